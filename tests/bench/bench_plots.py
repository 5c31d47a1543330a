"""The Train tab's cost plot late in a long run: what one update costs the UI thread (issue 15).

Run by hand (tests/test_benchmarks.py runs it at a tiny size only, to keep it working):
    python tests/bench/bench_plots.py [--repaints 60]

bench_ui_stall.py watches the first minutes of a run; this one fills the plot's
history as a long run would and times the update the window makes 20 times a
second while training (the curves' new data, then the repaint), window
1400×900, Train tab showing. Histories: 2,000 batches over a 20-epoch axis, the
digits recipe's 16,400 over 140 epochs, and 50,000 over 1000 epochs. Prints the
median ms of each; an update should fit well inside a 16 ms frame.
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

from tests.support.screenshot import scratch_window

HISTORIES = ((2_000, 20), (16_400, 140), (50_000, 1000))  # (batches, epochs on the axis)


def update_ms(plot, batches, epochs, repaints):
    """Median ms of plot.refresh() and a repaint, with ``batches`` costs of a run of ``epochs``."""
    history = plot.history
    history.clear()
    cost = np.exp(-np.arange(batches) / (batches / 5)) + 0.1 * np.random.default_rng(0).random(batches)
    history.batch_x.extend(np.arange(1, batches + 1) * epochs / batches)
    history.batch_cost.extend(cost)
    history.smooth_cost.extend(np.convolve(cost, np.ones(50) / 50, "same"))
    plot.start_run(0, epochs)
    times = []
    for _ in range(repaints):
        started = time.perf_counter()
        plot.refresh()
        plot.loss.viewport().repaint()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repaints", type=int, default=60)
    args = parser.parse_args()
    app, window = scratch_window((1400, 900))
    window.side_tabs.setCurrentWidget(window.train_tab)
    app.processEvents()
    for batches, epochs in HISTORIES:
        ms = update_ms(window.train_tab.plot, batches, epochs, args.repaints)
        print(f"{batches:>6,} batches over {epochs:>4} epochs: {ms:5.1f} ms an update (median of {args.repaints})")
    window.train_tab.history.clear()
    window.state.dirty = False
    window.close()


if __name__ == "__main__":
    main()
