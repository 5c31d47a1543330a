"""Does the window stay responsive while training, on every tab? (issue 15)

Run by hand (tests/test_benchmarks.py runs it at a tiny size only, to keep it working):
    python tests/bench/bench_ui_stall.py [--seconds 8] [--rounds 5] [--tabs Train Inside ...] [--after 180]

The window is 1400×900 with a pen digit on the canvas, and the Train tab's
default recipe trains in its child process. For each side tab in turn, a precise 10 ms QTimer
in the UI thread records its ticks: the longest gap between two ticks and the
99th percentile (targets: ≤ 33 ms and ≤ 17 ms). Then, with the Train tab showing,
the pen moves across the canvas every 16 ms while training runs, and the time
from each move to the prediction bars shown for it is recorded (target: ≤ 16 ms
at the 95th percentile). Last, batches per second with the window showing the
Train tab against the same recipe trained headless in this process, as
``dnngui train`` would: alternated, a few seconds each, while the window's run
pauses, since this shared machine's speed drifts by 20% from minute to minute
(target: the median ratio ≥ 90%). Each tab's line also gives the window
process's CPU time and the batches per second while it shows. ``--after 180``
measures three minutes into the run, when its curves hold 80,000 batches and
700 epochs (the first minutes hid a cost that grew with the run).
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

from dnngui.cli import train_threads
from dnngui.core import blas, corpus, pen, recipe
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


def headless_rates(settings):
    """A generator: each ``send(seconds)`` trains ``settings`` (a Recipe) without a window for that long and
    gives back its batches per second, with BLAS on as many threads as ``dnngui train`` gives it (the
    window's child gets one: core.blas). The first epoch's pen drawings come before the first send."""
    data = corpus.load(settings.data)
    blas.set_threads(train_threads(settings, data))
    _, run = recipe.start(settings, data)
    next(run)
    seconds = yield None
    while True:
        started, batches = time.perf_counter(), 0
        for _ in run:
            batches += 1
            if time.perf_counter() - started >= seconds:
                break
        seconds = yield batches / (time.perf_counter() - started)


def window_against_headless(window, settings, rounds, seconds):
    """(window, headless) batches/s, ``rounds`` times: the window trains with the Train tab showing, then
    pauses while the same recipe trains headless here, side by side, so that both see the same machine."""
    tab = window.train_tab
    window.side_tabs.setCurrentWidget(tab)
    headless = headless_rates(settings)
    next(headless)
    pairs = []
    for _ in range(rounds):
        run_loop(0.5)
        batches, began = len(tab.history.batch_x), time.perf_counter()
        run_loop(seconds)
        showing = (len(tab.history.batch_x) - batches) / (time.perf_counter() - began)
        tab.job.pause()
        run_loop(0.3)  # the child stops between two batches
        pairs.append((showing, headless.send(seconds)))
        tab.job.resume()
    headless.close()
    return pairs


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=8, help="per measurement")
    parser.add_argument("--tabs", nargs="*", default=None, help="side tabs to measure (default: all)")
    parser.add_argument("--rounds", type=int, default=5, help="alternated window/headless pairs")
    parser.add_argument(
        "--after", type=float, default=2, help="seconds of training before measuring (180: late in a long run)"
    )
    args = parser.parse_args()
    app, window = scratch_window((1400, 900))
    held = corpus.load().pen_validation[0].strokes
    draw_strokes(window.canvas, pen.canvas_strokes(held, 0))
    app.processEvents()
    tabs = window.side_tabs
    names = [tabs.tabText(i) for i in range(tabs.count())]
    tab = window.train_tab
    tab.form.epochs.setValue(1000)
    tab.start()
    run_loop(args.after)  # past the first epoch's pen drawings, or deep into the run
    print(f"after {len(tab.history.batch_x):,} batches ({len(tab.history.epoch_x)} epochs):")
    batches_before, started = len(tab.history.batch_x), time.perf_counter()
    settings = tab.form.recipe()
    print(f"window 1400×900, training the Train tab's defaults ({settings.command()}), {args.seconds:.0f} s per tab")
    print(f"{'tab':<12} {'median':>7} {'p99':>7} {'longest':>8} {'window CPU':>10} {'batches/s':>10}")
    print("(ms between 10 ms ticks: p99 ≤ 17, longest ≤ 33; the window process's CPU time, as a share of one core)")
    for i, name in enumerate(names):
        if args.tabs and name not in args.tabs:
            continue
        tabs.setCurrentIndex(i)
        run_loop(0.5)
        batches, began, cpu = len(tab.history.batch_x), time.perf_counter(), time.process_time()
        median, p99, longest = tick_gaps(args.seconds)
        elapsed = time.perf_counter() - began
        rate = (len(tab.history.batch_x) - batches) / elapsed
        busy = (time.process_time() - cpu) / elapsed
        print(f"{name:<12} {median:7.1f} {p99:7.1f} {longest:8.1f} {busy:10.0%} {rate:10.1f}", flush=True)
    tabs.setCurrentWidget(tab)
    latencies = pen_latency(window, args.seconds)
    windowed = (len(tab.history.batch_x) - batches_before) / (time.perf_counter() - started)
    if latencies:
        p95 = latencies[int(0.95 * (len(latencies) - 1))]
        print(
            f"pen move → bars while training: median {statistics.median(latencies):.1f} ms, "
            f"95th percentile {p95:.1f} ms over {len(latencies)} moves (target ≤ 16)"
        )
    print(f"batches/s over every tab and the pen moving: {windowed:.1f}")
    pairs = window_against_headless(window, settings, args.rounds, args.seconds / 2)
    tab.shutdown()
    app.processEvents()
    window.state.dirty = False
    window.close()
    ratios = [shown / alone for shown, alone in pairs]
    listed = ", ".join(f"{shown:.0f}/{alone:.0f}" for shown, alone in pairs)
    print(
        f"batches/s with the Train tab showing against headless, alternated ({listed}): "
        f"median {statistics.median(ratios):.0%} (target ≥ 90%)"
    )


if __name__ == "__main__":
    main()
