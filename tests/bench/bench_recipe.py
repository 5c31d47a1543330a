"""Which recipe reads people best: train a recipe with several seeds, read each held-out set per digit.

Run by hand (tests/test_benchmarks.py runs it at a tiny size only, to keep it working):
    python tests/bench/bench_recipe.py --seeds 0 1 2 [--epochs 60] [--pen-per-writer 250]

Every setting of core.recipe.Recipe can be given as ``--name value`` (the
defaults are the shipped digits model's). Each seed trains one model as
``dnngui train`` does (BLAS beside the batch thread) and prints one line: the
training time, then for each validation set (MNIST's, the held-out UCI writers,
the held-out UNIPEN writers, the held-out UNIPEN laboratory) its accuracy and
its lowest digit; ``--per-digit`` adds every digit's accuracy. Recipes are
chosen by the held-out writers only, over several seeds: one seed's luck on one
writer is not progress.
"""

import argparse
import dataclasses
import json
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # run from a checkout without installing

from dnngui.cli import train_threads
from dnngui.core import blas, corpus, recipe


def per_digit(network, digits):
    """(accuracy, {digit: accuracy}) of ``network`` on a DigitSet."""
    guesses = network.predict(digits.images.reshape(len(digits), -1).T)
    labels = np.asarray(digits.labels)
    return float(np.mean(guesses == labels)), {
        int(d): float(np.mean(guesses[labels == d] == d)) for d in np.unique(labels)
    }


def parse():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, nargs="+", default=[0])
    parser.add_argument("--per-digit", action="store_true")
    parser.add_argument("--save", help="save each seed's model as this path with {seed} filled in")
    for field in dataclasses.fields(recipe.Recipe):
        default = getattr(recipe.Recipe(), field.name)
        kind = type(default)
        if kind is tuple:
            parser.add_argument(
                f"--{field.name.replace('_', '-')}", type=lambda s: tuple(_value(v) for v in s.split(","))
            )
        elif kind is bool:
            parser.add_argument(f"--{field.name.replace('_', '-')}", type=lambda s: s.lower() in ("1", "true", "yes"))
        else:
            parser.add_argument(f"--{field.name.replace('_', '-')}", type=kind)
    return parser.parse_args()


def _value(text):
    return int(text) if text.isdigit() else text


def main():
    args = parse()
    changes = {f.name: getattr(args, f.name) for f in dataclasses.fields(recipe.Recipe)}
    changes = {k: v for k, v in changes.items() if v is not None and k != "seed"}
    data = corpus.load(changes.get("data"))
    for seed in args.seeds:
        r = dataclasses.replace(recipe.Recipe(), seed=seed, **changes)
        blas.set_threads(train_threads(r, data))
        started = time.monotonic()
        network, run = recipe.start(r, data)
        for _ in run:
            pass
        seconds = time.monotonic() - started
        figures = {}
        for v in data.validation:
            accuracy, digits = per_digit(network, v)
            worst = min(digits, key=digits.get)
            figures[v.name] = {"accuracy": round(accuracy, 4), "worst digit": [worst, round(digits[worst], 4)]}
            if args.per_digit:
                figures[v.name]["digits"] = {d: round(a, 4) for d, a in digits.items()}
        print(json.dumps({"seed": seed, "changes": changes, "seconds": round(seconds, 1), **figures}), flush=True)
        if args.save:
            out = args.save.format(seed=seed)
            network.save(out, description=r.command(Path(out).name))


if __name__ == "__main__":
    main()
