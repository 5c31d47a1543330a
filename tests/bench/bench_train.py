"""Training speed: seconds per epoch for core, against the same model in PyTorch.

Run by hand (tests/test_benchmarks.py runs it at a tiny size only, to keep it working):
    python tests/bench/bench_train.py [--rounds 7] [--epochs 3] [--batches 128 32 512]

Model 784-256-128-10, ReLU/softmax, float32, plain SGD, at batch 128, 32 and
512, on the 10,000 bundled digits reshuffled every epoch. Targets (issue 15):
core/torch ≤ 0.7 at batch 128 and ≤ 0.8 at 32 and 512, medians of the pairs. Each framework runs in its own process,
alternating core, torch, core, torch …, so neither one's idle BLAS/OpenMP
threads compete with the other's. Within a process the first epoch is a warm-up
and the median of the rest is reported. Prints the core/torch ratio pair by
pair with its median, and each framework's FLOP rate as a fraction of a
1024×1024 float32 np.matmul on the same machine.
"""

import argparse
import itertools
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # run from a checkout without installing

SIZES = (784, 256, 128, 10)
LR = 0.1
TARGETS = {128: 0.7, 32: 0.8, 512: 0.8}


def epoch_flops(n_samples):
    """Multiply-adds ×2 of one epoch: forward, dW of every layer, dA of every layer but the first."""
    pairs = list(itertools.pairwise(SIZES))
    forward = sum(a * b for a, b in pairs)
    backward = forward + sum(a * b for a, b in pairs[1:])
    return 2 * (forward + backward) * n_samples


def matmul_gflops(repeats=20):
    rng = np.random.default_rng(0)
    a = rng.random((1024, 1024), dtype=np.float32)
    b = rng.random((1024, 1024), dtype=np.float32)
    out = np.empty_like(a)
    np.matmul(a, b, out=out)
    times = []
    for _ in range(repeats):
        t = time.perf_counter()
        np.matmul(a, b, out=out)
        times.append(time.perf_counter() - t)
    return 2 * 1024**3 / statistics.median(times) / 1e9


def load_data():
    from dnngui.core.data import as_columns, load_bundled

    images, labels = load_bundled()
    return as_columns(images), labels


def run_core(epochs, batch):
    from dnngui import core

    X, labels = load_data()
    net = core.Network(SIZES, "relu", "softmax", seed=0)
    Y = net.output.one_hot(labels, 10)
    times = []
    start = time.perf_counter()
    for record in core.train(net, X, Y, epochs=epochs, batch_size=batch, lr=LR, optimizer="sgd"):
        if isinstance(record, core.EpochDone):
            now = time.perf_counter()
            times.append(now - start)
            start = now
    return times, X.shape[1]


def run_torch(epochs, batch):
    import torch

    X, labels = load_data()
    data = torch.from_numpy(np.ascontiguousarray(X.T, dtype=np.float32) / np.float32(255))
    target = torch.from_numpy(labels.astype(np.int64))
    torch.manual_seed(0)
    model = torch.nn.Sequential(
        torch.nn.Linear(784, 256), torch.nn.ReLU(), torch.nn.Linear(256, 128), torch.nn.ReLU(), torch.nn.Linear(128, 10)
    )
    loss_fn = torch.nn.CrossEntropyLoss()
    opt = torch.optim.SGD(model.parameters(), lr=LR)
    n = data.shape[0]
    times = []
    for _ in range(epochs):
        start = time.perf_counter()
        order = torch.randperm(n)
        for i in range(0, n, batch):
            idx = order[i : i + batch]
            opt.zero_grad(set_to_none=True)
            loss = loss_fn(model(data[idx]), target[idx])
            loss.backward()
            opt.step()
        times.append(time.perf_counter() - start)
    return times, n


def worker(name, epochs, batch):
    times, n = (run_core if name == "core" else run_torch)(epochs + 1, batch)
    print(json.dumps({"epoch_s": statistics.median(times[1:]), "n": n, "matmul_gflops": matmul_gflops()}))


def spawn(name, epochs, batch):
    out = subprocess.run(
        [sys.executable, __file__, "--worker", name, "--epochs", str(epochs), "--batch", str(batch)],
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--epochs", type=int, default=3, help="timed epochs per process, after one warm-up")
    parser.add_argument("--batches", type=int, nargs="+", default=[128, 32, 512])
    parser.add_argument("--worker", choices=["core", "torch"])
    parser.add_argument("--batch", type=int, default=128, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        worker(args.worker, args.epochs, args.batch)
        return
    try:
        import torch  # noqa: F401

        frameworks = ["core", "torch"]
    except ImportError:
        frameworks = ["core"]
        print("PyTorch is not installed: timing core alone (pip install torch==2.13.0 to compare)")
    summary = [measure(frameworks, args.rounds, args.epochs, batch) for batch in args.batches]
    if "torch" in frameworks:
        print("; ".join(summary))


def measure(frameworks, rounds, epochs, batch):
    """Alternate the frameworks' processes ``rounds`` times at ``batch``; print each round and the medians."""
    print(f"batch {batch}:")
    rows = []
    for r in range(1, rounds + 1):
        row = {name: spawn(name, epochs, batch) for name in frameworks}
        rows.append(row)
        line = f"round {r}: core {row['core']['epoch_s']:.3f} s/epoch"
        if "torch" in row:
            ratio = row["core"]["epoch_s"] / row["torch"]["epoch_s"]
            line += f", torch {row['torch']['epoch_s']:.3f} s/epoch, core/torch {ratio:.3f}"
        print(line, flush=True)
    flops = epoch_flops(rows[0]["core"]["n"])
    for name in frameworks:
        epoch_s = statistics.median(row[name]["epoch_s"] for row in rows)
        gflops = statistics.median(row[name]["matmul_gflops"] for row in rows)
        share = flops / epoch_s / 1e9 / gflops
        print(f"{name}: median {epoch_s:.3f} s/epoch, {flops / epoch_s / 1e9:.1f} GFLOP/s = {share:.0%} of np.matmul")
    if "torch" not in frameworks:
        return ""
    ratios = [row["core"]["epoch_s"] / row["torch"]["epoch_s"] for row in rows]
    median = statistics.median(ratios)
    print(f"core/torch: median {median:.3f} (pairs: {', '.join(f'{x:.3f}' for x in ratios)})", flush=True)
    return f"batch {batch}: core/torch {median:.2f} (target ≤ {TARGETS.get(batch, 0.8)})"


if __name__ == "__main__":
    main()
