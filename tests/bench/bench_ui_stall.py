"""Does the window stay responsive while training, on every tab? (issue 15)

Run by hand:  python tests/bench/bench_ui_stall.py [--seconds 10] [--tabs Train Inside ...]

The window is 1400×900 with a pen digit on the canvas, and the default recipe
trains in its worker thread. For each side tab in turn, a precise 10 ms QTimer
in the UI thread records its ticks: the longest gap between two ticks and the
99th percentile (targets: ≤ 33 ms and ≤ 17 ms). Then, with the Train tab showing,
the pen moves across the canvas every 16 ms while training runs, and the time
from each move to the prediction bars shown for it is recorded (target: ≤ 16 ms
at the 95th percentile). Last, batches per second with the window showing (the
Train tab, and over the whole run: every tab and the pen) against the same
recipe trained headless in this process afterwards (target: ≥ 90%).
"""

import argparse
import itertools
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6 import QtCore, QtGui

from core import blas, corpus, pen, recipe
from tests.support.screenshot import draw_strokes, scratch_window


def run_loop(seconds):
    """The app's real event loop, sleeping between events, for ``seconds``."""
    loop = QtCore.QEventLoop()
    QtCore.QTimer.singleShot(round(seconds * 1000), loop.quit)
    loop.exec()


def tick_gaps(seconds):
    """(median, 99th percentile, longest) gap in ms between ticks of a 10 ms timer over ``seconds``."""
    ticks = []
    timer = QtCore.QTimer()
    timer.setTimerType(QtCore.Qt.TimerType.PreciseTimer)
    timer.timeout.connect(lambda: ticks.append(time.perf_counter()))
    timer.start(10)
    run_loop(seconds)
    timer.stop()
    gaps = sorted((b - a) * 1000 for a, b in itertools.pairwise(ticks[3:]))
    return statistics.median(gaps), gaps[int(0.99 * (len(gaps) - 1))], gaps[-1]


def pen_latency(window, seconds):
    """Times in ms from a pen move on the canvas to the prediction bars drawn for it."""
    canvas, panel = window.canvas, window.panel
    shown = panel.show_prediction
    pending, latencies = [], []

    def show(prediction):
        shown(prediction)
        now = time.perf_counter()
        latencies.extend((now - t) * 1000 for t in pending)
        pending.clear()

    panel.show_prediction = show
    rect = canvas.rect()
    path = [(0.3 + 0.4 * (i % 40) / 40, 0.3 + 0.4 * ((i * 7) % 40) / 40) for i in range(400)]
    step = iter(itertools.cycle(path))

    def press(kind, x, y, buttons):
        point = QtCore.QPointF(x * rect.width(), y * rect.height())
        button = QtCore.Qt.MouseButton.NoButton if kind == QtCore.QEvent.Type.MouseMove else left
        event = QtGui.QMouseEvent(
            kind, point, canvas.mapToGlobal(point), button, buttons, QtCore.Qt.KeyboardModifier.NoModifier
        )
        pending.append(time.perf_counter())
        QtCore.QCoreApplication.sendEvent(canvas, event)

    left = QtCore.Qt.MouseButton.LeftButton
    press(QtCore.QEvent.Type.MouseButtonPress, 0.3, 0.3, left)
    timer = QtCore.QTimer()
    timer.setTimerType(QtCore.Qt.TimerType.PreciseTimer)
    timer.timeout.connect(lambda: press(QtCore.QEvent.Type.MouseMove, *next(step), left))
    timer.start(16)
    run_loop(seconds)
    timer.stop()
    press(QtCore.QEvent.Type.MouseButtonRelease, 0.5, 0.5, QtCore.Qt.MouseButton.NoButton)
    panel.show_prediction = shown
    return sorted(latencies)


def headless_rate(settings, seconds):
    """Batches per second of ``settings`` (a Recipe) trained without a window, after its first epoch starts,
    with BLAS on as many threads as ``dnngui train`` uses (the window uses one: core.blas)."""
    blas.set_threads(blas.default_threads() or 1)
    _, run = recipe.start(settings, corpus.load())
    next(run)  # the first batch waits for the pen digits' first drawings
    started, batches = time.perf_counter(), 0
    for _ in run:
        batches += 1
        if time.perf_counter() - started >= seconds:
            break
    return batches / (time.perf_counter() - started)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=8, help="per measurement")
    parser.add_argument("--tabs", nargs="*", default=None, help="side tabs to measure (default: all)")
    args = parser.parse_args()
    app, window = scratch_window((1400, 900))
    held = corpus.load().validation_strokes
    draw_strokes(window.canvas, pen.canvas_strokes(held, 0))
    app.processEvents()
    tabs = window.side_tabs
    names = [tabs.tabText(i) for i in range(tabs.count())]
    tab = window.train_tab
    tab.form.epochs.setValue(1000)
    tab.start()
    run_loop(2)  # past the first epoch's pen drawings
    batches_before, started = len(tab.history.batch_x), time.perf_counter()
    settings = tab.form.recipe()
    print(f"window 1400×900, training the Train tab's defaults ({settings.command()}), {args.seconds:.0f} s per tab")
    print(f"{'tab':<12} {'median':>7} {'p99':>7} {'longest':>8}   (ms between 10 ms ticks: p99 ≤ 17, longest ≤ 33)")
    showing = None  # batches/s while the Train tab shows
    for i, name in enumerate(names):
        if args.tabs and name not in args.tabs:
            continue
        tabs.setCurrentIndex(i)
        run_loop(0.5)
        batches, began = len(tab.history.batch_x), time.perf_counter()
        median, p99, longest = tick_gaps(args.seconds)
        if tabs.widget(i) is tab:
            showing = (len(tab.history.batch_x) - batches) / (time.perf_counter() - began)
        print(f"{name:<12} {median:7.1f} {p99:7.1f} {longest:8.1f}", flush=True)
    tabs.setCurrentWidget(tab)
    latencies = pen_latency(window, args.seconds)
    windowed = (len(tab.history.batch_x) - batches_before) / (time.perf_counter() - started)
    tab.shutdown()
    app.processEvents()
    window.state.dirty = False
    window.close()
    if latencies:
        p95 = latencies[int(0.95 * (len(latencies) - 1))]
        print(
            f"pen move → bars while training: median {statistics.median(latencies):.1f} ms, "
            f"95th percentile {p95:.1f} ms over {len(latencies)} moves (target ≤ 16)"
        )
    headless = headless_rate(settings, args.seconds)
    if showing is not None:
        print(f"batches/s with the Train tab showing {showing:.1f}, headless {headless:.1f}: {showing / headless:.0%}")
    print(
        f"batches/s over every tab and the pen moving {windowed:.1f}, headless {headless:.1f}: "
        f"{windowed / headless:.0%} (target ≥ 90%)"
    )


if __name__ == "__main__":
    main()
