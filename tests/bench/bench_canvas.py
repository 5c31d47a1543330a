"""Pen movement to updated bars: how long a person waits to see the guess change.

Run by hand (tests/test_benchmarks.py runs it at a tiny size only, to keep it working):
    python tests/bench/bench_canvas.py [--strokes 20]

Drives the real main window offscreen. Mouse moves arrive every 4 ms (a 250 Hz
mouse) along strokes across the canvas; for every move, the latency is the time
from the move being sent to the probability bars being updated for it (the
window classifies at most once per frame, so some moves are answered by the next
frame's update). Prints the median, 95th percentile and maximum, and the cost
of one update alone (preprocess, forward pass, bars), against the 16 ms budget.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import numpy as np
from PySide6 import QtCore, QtGui, QtWidgets

from tests.support.screenshot import scratch_window

MOVE_INTERVAL = 0.004


def send(canvas, kind, position, buttons):
    moving = kind == QtCore.QEvent.Type.MouseMove
    button = QtCore.Qt.MouseButton.NoButton if moving else QtCore.Qt.MouseButton.LeftButton
    event = QtGui.QMouseEvent(
        kind, position, canvas.mapToGlobal(position), button, buttons, QtCore.Qt.KeyboardModifier.NoModifier
    )
    QtWidgets.QApplication.sendEvent(canvas, event)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--strokes", type=int, default=20)
    args = parser.parse_args()
    app, window = scratch_window((1100, 760))
    canvas = window.canvas

    updates = []
    original = window.panel.show_prediction

    def recorded(prediction):
        original(prediction)
        window.panel.plot.viewport().repaint()  # count the bars' repaint in the update
        window.panel.preview.repaint()
        updates.append(time.perf_counter())

    window.panel.show_prediction = recorded
    latencies, rng = [], np.random.default_rng(0)
    held = QtCore.Qt.MouseButton.LeftButton
    for _ in range(args.strokes):
        window.canvas.clear()
        app.processEvents()
        x0, y0, x1, y1 = rng.uniform(5, 23, 4)
        points = [canvas.cell_centre(x0 + (x1 - x0) * t, y0 + (y1 - y0) * t) for t in np.linspace(0, 1, 60)]
        send(canvas, QtCore.QEvent.Type.MouseButtonPress, points[0], held)
        begin = time.perf_counter()
        sent_times = []
        for i, p in enumerate(points[1:]):
            while time.perf_counter() < begin + i * MOVE_INTERVAL:
                app.processEvents()
            sent_times.append(time.perf_counter())
            send(canvas, QtCore.QEvent.Type.MouseMove, p, held)
            canvas.repaint()  # and the stroke's own repaint, as a screen would show it
        settle = time.perf_counter() + 0.05
        while time.perf_counter() < settle:
            app.processEvents()
        for sent in sent_times:
            answered = next((u for u in updates if u >= sent), None)
            if answered is not None:
                latencies.append((answered - sent) * 1000)
        send(canvas, QtCore.QEvent.Type.MouseButtonRelease, points[-1], QtCore.Qt.MouseButton.NoButton)
        app.processEvents()

    costs = []
    for _ in range(200):
        start = time.perf_counter()
        window.update_prediction()
        costs.append((time.perf_counter() - start) * 1000)
    latencies.sort()
    p95 = latencies[int(0.95 * (len(latencies) - 1))]
    print(
        f"{len(latencies)} pen moves: latency median {statistics.median(latencies):.2f} ms, "
        f"95th percentile {p95:.2f} ms, max {latencies[-1]:.2f} ms (budget 16 ms)"
    )
    print(f"one update (preprocess + forward + bars + repaint): median {statistics.median(costs):.2f} ms")
    window.state.dirty = False
    window.close()


if __name__ == "__main__":
    main()
