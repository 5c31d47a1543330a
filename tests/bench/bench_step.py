"""The Step tab and the saliency on the shipped model: the time one drawing costs the UI thread.

Run by hand (tests/test_benchmarks.py runs it at a tiny size only, to keep it working):
    python tests/bench/bench_step.py [--repeats 50]

Offscreen, in the real window (1400×900), with a crossed seven on the canvas:
1. "Teach one step": the step in core, and every picture and bar of the tab updated.
2. A pen move with "Why" on: classify, the saliency −∂J/∂X, its pull-back to the
   canvas, and both overlays: what follows the pen at every frame.
Medians and maxima in ms, against the 16 ms of a 60 Hz frame.
"""

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # run from a checkout without installing

from tests.support.screenshot import SEVEN, draw_strokes, scratch_window


def timed(action, repeats, app):
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        action()
        app.processEvents()  # the repaints the action asked for
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times), max(times)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=50)
    args = parser.parse_args()
    app, window = scratch_window((1400, 900))
    draw_strokes(window.canvas, SEVEN)
    window.side_tabs.setCurrentWidget(window.step_view)
    view = window.step_view
    view.target.setCurrentIndex(1)
    app.processEvents()
    median, worst = timed(view.teach_one_step, args.repeats, app)
    print(f"teach one step (core + the tab's pictures): median {median:.1f} ms, max {worst:.1f} ms")
    view.undo_steps()
    view.why_class.setCurrentIndex(7)
    view.why.setChecked(True)
    median, worst = timed(window.classify.now, args.repeats, app)
    print(f"a pen move with Why on (classify + saliency + both overlays): median {median:.1f} ms, max {worst:.1f} ms")
    view.why.setChecked(False)
    median, worst = timed(window.classify.now, args.repeats, app)
    print(f"the same pen move with Why off: median {median:.1f} ms, max {worst:.1f} ms")
    window.state.dirty = False
    window.close()


if __name__ == "__main__":
    main()
