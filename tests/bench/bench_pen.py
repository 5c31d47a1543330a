"""Pen-drawn digits: what drawing them costs training, and how long the shipped recipe takes.

Run by hand (tests/test_benchmarks.py runs it at a tiny size only, to keep it working):
    python tests/bench/bench_pen.py [--epochs 10] [--full]

1. Loading the bundled pen digits, and drawing them with a random pen (µs a digit).
2. The shipped recipe's first epochs on MNIST only and on MNIST + pen-drawn
   digits, alternated in one process: seconds per trained sample of each, so
   the ratio says how much the pen digits (their drawing included) slow
   training per digit learned from. Epoch 1 draws every pen digit; later ones
   draw a share (core.pen.Pool), so the ratio is given for both.
3. With --full, the whole shipped recipe (`dnngui train` with its defaults)
   timed end to end, in its own process: the target is under 3 minutes.
"""

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # run from a checkout without installing

from dnngui.core import corpus, pen, pendigits, recipe
from dnngui.core.trainer import BatchDone


def drawing_cost(passes):
    started = time.perf_counter()
    strokes = pendigits.bundled()
    load = time.perf_counter() - started
    rng = np.random.default_rng(0)
    index = np.arange(len(strokes))
    times = []
    for _ in range(passes):
        started = time.perf_counter()
        for begin in range(0, len(index), pen.Pool.CHUNK):
            pen.Pen().draw(strokes, index[begin : begin + pen.Pool.CHUNK], rng)
        times.append((time.perf_counter() - started) / len(strokes))
    print(f"bundled pen digits load in {load * 1000:.0f} ms")
    print(f"a random pen draws one in {statistics.median(times) * 1e6:.0f} µs (median of {passes} passes over all)")


def epoch_times(data, epochs, hidden):
    """Seconds of each epoch, and the samples an epoch trains on."""
    r = recipe.Recipe(hidden=hidden or recipe.Recipe().hidden)  # the shipped schedule; only the first epochs run
    _, run = recipe.start(r, corpus.load(data))
    times, samples = [], 0
    started = time.perf_counter()
    for record in run:
        if isinstance(record, BatchDone):
            samples = record.steps * r.batch_size
            continue
        times.append(time.perf_counter() - started)
        started = time.perf_counter()
        if record.epoch == epochs:
            break
    return times, samples


def per_sample(epochs, pairs, hidden):
    rows = {}
    for data in ("mnist", "mnist+pen") * pairs:
        times, samples = epoch_times(data, epochs, hidden)
        rows.setdefault(data, []).append((times, samples))
    for data, runs in rows.items():
        later = [t for times, _ in runs for t in times[1:]]
        first = statistics.median(times[0] for times, _ in runs)
        print(
            f"{data:>10}: {runs[0][1]:,} samples an epoch; epoch 1 {first:.2f} s, later epochs median "
            f"{statistics.median(later):.2f} s"
        )
    mnist = statistics.median(t for times, _ in rows["mnist"] for t in times) / rows["mnist"][0][1]
    both = rows["mnist+pen"][0][1]
    first = statistics.median(times[0] for times, _ in rows["mnist+pen"]) / both
    later = statistics.median(t for times, _ in rows["mnist+pen"] for t in times[1:]) / both
    print(
        f"seconds per sample, MNIST + pen / MNIST only: epoch 1 {first / mnist:.2f}, later epochs {later / mnist:.2f}"
    )
    n = recipe.Recipe().epochs
    print(f"over the shipped {n} epochs: {(first + (n - 1) * later) / n / mnist:.2f}")


def full_recipe():
    with tempfile.TemporaryDirectory() as folder:
        started = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "dnngui", "train", "--out", str(Path(folder) / "digits.npz")],
            check=True,
            capture_output=True,
        )
        print(f"the shipped recipe, end to end: {time.perf_counter() - started:.1f} s (target: under 180 s)")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=10, help="epochs timed per run (at least 2: epoch 1 draws all)")
    parser.add_argument("--passes", type=int, default=3, help="passes of the random pen over every UCI digit")
    parser.add_argument("--pairs", type=int, default=2, help="alternated runs of MNIST only and MNIST + pen")
    parser.add_argument(
        "--hidden", type=lambda s: tuple(map(int, s.split(","))), help="another network (default: shipped)"
    )
    parser.add_argument("--full", action="store_true", help="also time the whole shipped recipe")
    args = parser.parse_args()
    if args.epochs < 2:
        parser.error("--epochs must be at least 2: the first draws every pen digit, the later ones a share")
    drawing_cost(args.passes)
    per_sample(args.epochs, args.pairs, args.hidden)
    if args.full:
        full_recipe()


if __name__ == "__main__":
    main()
