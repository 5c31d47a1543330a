import threading
import time

import numpy as np
import pytest

from dnngui.core.batches import ahead, batches, kept_ahead


def _run(rng_seed=0, augment=None, before_epoch=None, epochs=3, kept=1):
    rows = np.arange(50 * 4, dtype=np.uint8).reshape(50, 4)
    targets = np.eye(5, dtype=np.float32)[np.arange(50) % 5]
    labels = np.arange(50) % 5
    return batches(
        rows,
        targets,
        labels,
        epochs=epochs,
        batch_size=16,
        dtype=np.float32,
        rng=np.random.default_rng(rng_seed),
        before_epoch=before_epoch,
        augment=augment,
        kept=kept,
    )


def _threads_ahead():
    return [t for t in threading.enumerate() if t.name == "batches ahead"]


def jitter(X, rng):
    return X + rng.uniform(0, 0.01, X.shape).astype(X.dtype)


def test_every_row_once_per_epoch_scaled_with_its_own_target():
    seen = {}
    for batch in _run():
        assert batch.X.dtype == np.float32 and batch.X.max() <= 1.0
        assert batch.steps == 4  # 50 rows in batches of 16: 16, 16, 16, 2
        rows = np.rint(batch.X * 255).astype(int)
        firsts = rows[:, 0] // 4
        assert np.array_equal(batch.labels, firsts % 5)
        assert np.array_equal(batch.Y.argmax(axis=1), batch.labels)
        seen.setdefault(batch.epoch, []).extend(firsts)
    assert sorted(seen) == [1, 2, 3]
    assert all(sorted(rows) == list(range(50)) for rows in seen.values())
    assert seen[1] != seen[2]  # each epoch a fresh shuffle


def test_prepared_ahead_in_a_thread_the_run_is_the_same():
    """Distortions and the shuffle share one random stream: the thread must use it in the same order,
    and must not write a batch's buffers while the learner still reads them."""

    def seen(run, slowly=False):
        got = []
        for b in run:
            if slowly:  # a learner slower than the thread: the thread fills its queue meanwhile
                time.sleep(0.01)
            got.append((b.epoch, b.step, b.X.copy(), b.Y.copy(), b.labels.copy()))
        return got

    for augment in (jitter, None):  # without distortion X is a reused buffer itself
        alone = seen(_run(augment=augment))
        prepared = seen(ahead(_run(augment=augment, kept=kept_ahead())), slowly=True)
        assert len(alone) == len(prepared) == 12
        for a, b in zip(alone, prepared, strict=True):
            assert a[:2] == b[:2]
            assert all(np.array_equal(x, y) for x, y in zip(a[2:], b[2:], strict=True))
    assert not _threads_ahead()


def test_an_error_while_preparing_is_raised_to_the_learner_and_the_thread_ends():
    def draw_pens(epoch, rows, rng):
        if epoch == 2:
            raise MemoryError("no room for the pen digits")
        return np.arange(len(rows))

    run = ahead(_run(before_epoch=draw_pens))
    first_epoch = [next(run) for _ in range(4)]
    assert [b.step for b in first_epoch] == [1, 2, 3, 4]
    with pytest.raises(MemoryError, match="pen digits"):
        next(run)
    assert not _threads_ahead()


def test_a_run_dropped_early_ends_its_thread():
    run = ahead(_run(epochs=1000))
    next(run)
    assert _threads_ahead()
    run.close()
    assert not _threads_ahead()
