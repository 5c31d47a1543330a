"""The mini-batches of a run: shuffled, scaled to [0, 1], distorted; prepared a few ahead in a thread.

Preparing a batch (drawing pen digits afresh before an epoch, gathering the
rows, distorting them) is NumPy work on small arrays that a single core does
alone, while the network's products run in BLAS. :func:`ahead` lets the next
batches be prepared in a thread while the network learns from this one: both
release the GIL in their C loops. Measured (tests/bench/bench_ui_stall.py and
bench_train.py's notes): the Train tab's default network, with distortions and
pen digits, trained 20–30% faster on one BLAS thread.

The random stream is used only by the preparing side, in the same order as
one thread would use it, so a seed still gives the same run.
"""

import contextlib
import queue
import threading
from dataclasses import dataclass

import numpy as np

AHEAD = 2  # batches prepared ahead of the one being learned from
_POLL_SECONDS = 0.1  # how often a waiting producer looks whether the run has been dropped


@dataclass(frozen=True)
class Batch:
    """One batch: X (m, n_0) in [0, 1], Y (m, n_L) and the labels (m,), with where it falls in the run.

    ``steps`` is the number of batches per epoch, known once the first epoch has said which rows it uses."""

    epoch: int
    step: int
    steps: int
    X: np.ndarray
    Y: np.ndarray
    labels: np.ndarray


def every_row(epoch, rows, rng):
    return np.arange(rows.shape[0])


def batches(rows, targets, labels, *, epochs, batch_size, dtype, rng, before_epoch=None, augment=None):
    """Every Batch of the run, in order: each epoch a fresh shuffle of the rows ``before_epoch`` picks.

    rows: (N, n_0) uint8 pixels or floats in [0, 1]; targets: (N, n_L); labels: (N,).
    The arrays of a Batch are its own: nothing later overwrites them.
    """
    before_epoch = before_epoch or every_row
    scale = np.dtype(dtype).type(1.0 / 255.0)
    steps = None
    for epoch in range(1, epochs + 1):
        order = rng.permutation(before_epoch(epoch, rows, rng))
        steps = steps or -(-len(order) // batch_size)
        for step in range(1, steps + 1):
            picked = order[(step - 1) * batch_size : step * batch_size]
            block = rows.take(picked, axis=0)
            # pixels 0–255 → [0, 1]; rows already in [0, 1] only take the network's dtype
            X = np.multiply(block, scale) if rows.dtype == np.uint8 else block.astype(dtype, copy=False)
            if augment is not None:
                X = augment(X, rng)
            yield Batch(epoch, step, steps, X, targets.take(picked, axis=0), labels.take(picked))


def ahead(items, depth=AHEAD):
    """The items of the generator ``items``, made in a thread up to ``depth`` ahead of the one asked for.

    An exception raised while making an item is raised here, in its place. Closing
    this generator (or dropping it) ends the thread at its next item.
    """
    made = queue.Queue(maxsize=depth)
    dropped = threading.Event()
    end = object()

    def put(item):
        while not dropped.is_set():
            try:
                made.put(item, timeout=_POLL_SECONDS)
                return True
            except queue.Full:
                continue
        return False

    def produce():
        try:
            for item in items:
                if not put((item, None)):
                    return
            put((end, None))
        except BaseException as e:  # handed to the consumer, raised in its thread
            put((end, e))
        finally:
            items.close()

    thread = threading.Thread(target=produce, name="batches ahead", daemon=True)
    thread.start()
    try:
        while True:
            item, error = made.get()
            if error is not None:
                raise error
            if item is end:
                return
            yield item
    finally:  # the run is over or dropped: let the thread finish the item it makes, and wait for it
        dropped.set()
        while thread.is_alive():
            with contextlib.suppress(queue.Empty):
                made.get(timeout=_POLL_SECONDS)
        thread.join()
