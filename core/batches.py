"""The mini-batches of a run: shuffled, scaled to [0, 1], distorted; prepared a few ahead in a thread.

Preparing a batch (drawing pen digits afresh before an epoch, gathering the
rows, distorting them) is NumPy work on small arrays that a single core does
alone, while the network's products run in BLAS. :func:`ahead` lets the next
batches be prepared in a thread while the network learns from this one: both
release the GIL in their C loops. Measured on two cores: the Train tab's
default network, with distortions and pen digits, trains at 320–380 batches/s
on one BLAS thread against 240–250 without the thread (core.blas says why one).

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


def batches(rows, targets, labels, *, epochs, batch_size, dtype, rng, before_epoch=None, augment=None, kept=1):
    """Every Batch of the run, in order: each epoch a fresh shuffle of the rows ``before_epoch`` picks.

    rows: (N, n_0) uint8 pixels or floats in [0, 1]; targets: (N, n_L); labels: (N,).
    A Batch's arrays are written again ``kept`` batches later (buffers are reused:
    a new 1.6 MB array per batch of 512 costs its page faults every time), so a
    consumer may hold at most ``kept`` batches at once; use :func:`kept_ahead` with
    :func:`ahead`.
    """
    before_epoch = before_epoch or every_row
    scale = np.dtype(dtype).type(1.0 / 255.0)
    buffers = {}  # per batch size m: ``kept`` sets of (gathered rows, rows in [0, 1], targets, labels)
    made = 0
    steps = None
    for epoch in range(1, epochs + 1):
        order = rng.permutation(before_epoch(epoch, rows, rng))
        steps = steps or -(-len(order) // batch_size)
        for step in range(1, steps + 1):
            picked = order[(step - 1) * batch_size : step * batch_size]
            m = len(picked)
            if m not in buffers:
                buffers[m] = [_buffers(m, rows, targets, labels, dtype) for _ in range(kept)]
            block, X, Y, batch_labels = buffers[m][made % kept]
            made += 1
            np.take(rows, picked, axis=0, out=block)
            np.take(targets, picked, axis=0, out=Y)
            np.take(labels, picked, out=batch_labels)
            if rows.dtype == np.uint8:
                np.multiply(block, scale, out=X)  # pixels 0–255 → [0, 1]
            else:
                np.copyto(X, block)
            yield Batch(epoch, step, steps, X if augment is None else augment(X, rng), Y, batch_labels)


def _buffers(m, rows, targets, labels, dtype):
    return (
        np.empty((m, rows.shape[1]), rows.dtype),
        np.empty((m, rows.shape[1]), dtype),
        np.empty((m, targets.shape[1]), targets.dtype),
        np.empty(m, labels.dtype),
    )


def kept_ahead(depth=AHEAD):
    """How many batches are held at once with :func:`ahead`: ``depth`` waiting, one being made, one learned from."""
    return depth + 2


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
