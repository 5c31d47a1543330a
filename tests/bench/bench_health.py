"""What watching training's health costs (issue 17: at most 5%).

Run by hand (tests/test_benchmarks.py runs it at a tiny size only, to keep it working):
    python tests/bench/bench_health.py [--rounds 5] [--epochs 3]

The Train tab's default network (784-256-128-10, Adam, batch 128) on the
bundled MNIST digits, with augmentation: seconds per epoch without health
figures and with them every 10 steps, as the app collects them (each epoch also
looks at a validation batch), alternating in one process, median of the rounds.
Also printed: the gradient RMS every run takes on every step to name the layer
that blew up if it diverges, as a share of a step.
"""

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # run from a checkout without installing

from dnngui.core import corpus, health, recipe
from dnngui.core.trainer import EpochDone

SETTINGS = recipe.Recipe(hidden=(256, 128), data="mnist")
EVERY = 10  # as dnngui.jobs.training.HEALTH_EVERY


def seconds_per_epoch(epochs, health_every):
    network, run = recipe.start(
        recipe.Recipe(**{**SETTINGS.as_dict(), "epochs": epochs + 1}), corpus.load("mnist"), health_every=health_every
    )
    times, started = [], time.perf_counter()
    for record in run:
        if isinstance(record, EpochDone):
            now = time.perf_counter()
            times.append(now - started)
            started = now
    return statistics.median(times[1:]), network  # the first epoch warms up


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--epochs", type=int, default=3)
    args = parser.parse_args()
    ratios = []
    for r in range(1, args.rounds + 1):
        plain, network = seconds_per_epoch(args.epochs, None)
        watched, _ = seconds_per_epoch(args.epochs, EVERY)
        ratios.append(watched / plain)
        print(f"round {r}: {plain:.3f} s/epoch plain, {watched:.3f} s/epoch watched: {watched / plain:.3f}", flush=True)
    print(f"health every {EVERY} steps: median {statistics.median(ratios):.3f} of the time (target ≤ 1.05)")
    batch = corpus.load("mnist").validation[0].subset(slice(SETTINGS.batch_size))
    grads = network.gradients(*recipe.task_arrays(network, "digits", batch))
    started = time.perf_counter()
    for _ in range(200):
        health.gradient_rms(network, grads)
    check = (time.perf_counter() - started) / 200
    steps = -(-9000 // SETTINGS.batch_size)
    print(f"the gradient RMS of every step: {check * 1e3:.3f} ms, {check * steps / plain:.1%} of a step")


if __name__ == "__main__":
    main()
