import os

import numpy as np
import pytest

from core import data, personal
from core.errors import DataError


def sample(value=0.5):
    x = np.zeros(784)
    x[300:320] = value
    return x


def test_add_keeps_the_network_input_and_label():
    digits = personal.add(personal.empty(), sample(1.0), 7)
    assert len(digits) == 1 and digits.labels.tolist() == [7]
    assert digits.images.dtype == np.uint8 and digits.images[0].reshape(-1)[300] == 255
    with pytest.raises(ValueError):
        personal.add(digits, sample(), 10)


def test_save_and_load_round_trip(tmp_path):
    digits = personal.add(personal.add(personal.empty(), sample(), 3), sample(0.2), 4)
    personal.save(digits, tmp_path / "mine.npz")
    back = personal.load(tmp_path / "mine.npz")
    assert np.array_equal(back.images, digits.images) and back.labels.tolist() == [3, 4]


def test_a_crash_mid_write_leaves_the_old_file_valid(tmp_path, monkeypatch):
    path = tmp_path / "mine.npz"
    one = personal.add(personal.empty(), sample(), 1)
    personal.save(one, path)

    def crash(src, dst):  # the process dies after writing the new file, before the rename
        raise OSError(5, "Input/output error")

    monkeypatch.setattr(os, "replace", crash)
    with pytest.raises(DataError):
        personal.save(personal.add(one, sample(), 2), path)
    monkeypatch.undo()
    assert personal.load(path).labels.tolist() == [1]
    assert [p.name for p in tmp_path.iterdir()] == ["mine.npz"]  # no half-written leftovers


@pytest.mark.parametrize("content", [b"", b"junk", b"PK\x03\x04 half a zip"])
def test_damaged_files_raise_data_error(tmp_path, content):
    (tmp_path / "bad.npz").write_bytes(content)
    with pytest.raises(DataError):
        personal.load(tmp_path / "bad.npz")


def test_mixing_repeats_a_few_samples_until_they_count():
    base = data.split(data.bundled())[0]
    mine = personal.empty()
    for label in range(10):
        mine = personal.add(mine, sample(), label)
    mixed = personal.mix(base, mine)
    extra = len(mixed) - len(base)
    assert extra == 10 * 50  # capped at 50 copies each
    assert 0.05 < extra / len(mixed) < 0.15
    assert personal.mix(base, personal.empty()) is base
