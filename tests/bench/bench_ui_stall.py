"""Does the window stay responsive while training? The longest gap between two ticks of
a 10 ms QTimer in the UI thread, while the Train tab trains in its worker thread.

Run by hand:  python tests/bench/bench_ui_stall.py [--seconds 15] [--hidden 256,128]

Target: the longest gap under 50 ms. Also prints the gaps' median and 99th
percentile, and how many progress updates reached the UI per second (at most ~30).
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

from PySide6 import QtCore

from tests.support.screenshot import scratch_window


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=15)
    parser.add_argument("--hidden", default="256, 128")
    parser.add_argument("--data", default="mnist+pen", help="mnist+pen (the default), mnist or pen")
    args = parser.parse_args()
    app, window = scratch_window((1200, 800))
    tab = window.train_tab
    tab.form.hidden.setText(args.hidden)
    window.data_source.use(args.data)
    tab.form.epochs.setValue(1000)
    updates = []
    ticks = []
    timer = QtCore.QTimer()
    timer.setTimerType(QtCore.Qt.TimerType.PreciseTimer)
    timer.timeout.connect(lambda: ticks.append(time.perf_counter()))
    tab.start()
    tab.job.yielded.connect(lambda progress: updates.append(time.perf_counter()))
    timer.start(10)
    loop = QtCore.QEventLoop()  # the app's real event loop, sleeping between events
    QtCore.QTimer.singleShot(round(args.seconds * 1000), loop.quit)
    loop.exec()
    timer.stop()
    batches = len(tab.history.batch_x)
    tab.shutdown()
    app.processEvents()  # deliver the end of training before closing
    window.state.dirty = False
    window.close()
    gaps = sorted((b - a) * 1000 for a, b in itertools.pairwise(ticks[5:]))
    p99 = gaps[int(0.99 * (len(gaps) - 1))]
    print(
        f"training {args.hidden} on {args.data} with augmentation for {args.seconds:.0f} s: {batches} batches, "
        f"{len(updates) / args.seconds:.1f} progress updates/s"
    )
    print(
        f"10 ms timer gaps: median {statistics.median(gaps):.1f} ms, 99th percentile {p99:.1f} ms, "
        f"longest {gaps[-1]:.1f} ms (target < 50 ms)"
    )


if __name__ == "__main__":
    main()
