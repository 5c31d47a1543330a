"""Pen digits as flat arrays: subsets, the split by writer and the compact file."""

import numpy as np
import pytest

from dnngui.core import pendigits
from dnngui.core.errors import DataError


@pytest.fixture(scope="module")
def pen():
    return pendigits.bundled()


def test_a_subset_keeps_each_digits_strokes(pen):
    picked = [7000, 3, 512]
    sub = pen.subset(picked)
    assert sub.labels.tolist() == pen.labels[picked].tolist()
    for k, i in enumerate(picked):
        mine, theirs = sub.strokes_of(k), pen.strokes_of(i)
        assert len(mine) == len(theirs) and all(np.array_equal(a, b) for a, b in zip(mine, theirs, strict=True))
    for other in (pen.subset(pen.labels == 4), pen.subset([]), pen.subset(np.zeros(len(pen), bool))):
        pendigits.check(other, "a subset")  # offsets that hang together, even with no digit at all
    assert len(pen.subset([])) == 0 and np.all(pen.subset(pen.labels == 4).labels == 4)


def test_the_split_holds_out_whole_writers_and_never_changes(pen):
    train, val = pendigits.split_by_writer(pen)
    assert not set(np.unique(train.writers)) & set(np.unique(val.writers))
    assert len(np.unique(val.writers)) == pendigits.VALIDATION_WRITERS
    assert len(train) + len(val) == len(pen)
    again = pendigits.split_by_writer(pen)[1]
    assert np.array_equal(again.writers, val.writers) and np.array_equal(again.points, val.points)


def test_the_compact_file_round_trips(tmp_path, pen):
    sub = pen.subset(slice(0, 50))
    pendigits.save(sub, tmp_path / "p.npz")
    back = pendigits.load(tmp_path / "p.npz")
    for field in ("points", "strokes", "digits", "labels", "writers"):
        assert np.array_equal(getattr(back, field), getattr(sub, field))


def test_offsets_that_do_not_hang_together_are_refused(tmp_path, pen):
    sub = pen.subset(slice(0, 5))
    broken = pendigits.PenDigits(sub.points, sub.strokes[::-1].copy(), sub.digits, sub.labels, sub.writers, "x")
    pendigits.save(broken, tmp_path / "broken.npz")
    with pytest.raises(DataError, match="out of order"):
        pendigits.load(tmp_path / "broken.npz")
