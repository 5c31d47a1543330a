"""The UNIPEN reader: pen digits from text files, every bad file refused in one line."""

import gzip
import os
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dnngui.core import pendigits, unipen
from dnngui.core.errors import DataError
from tests.support.unipen_text import unipen_text

FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@pytest.fixture(scope="module")
def few():
    """Twelve bundled pen digits by several writers."""
    pen = pendigits.bundled()
    return pen.subset(np.arange(0, 7494, 625))


def assert_same(a, b):
    for field in ("points", "strokes", "digits", "labels", "writers"):
        assert np.array_equal(getattr(a, field), getattr(b, field)), field


def test_plain_and_gzipped_files_read_back_every_stroke(tmp_path, few):
    text = unipen_text(few)
    (tmp_path / "a.unipen").write_text(text)
    (tmp_path / "a.unipen.gz").write_bytes(gzip.compress(text.encode()))
    assert_same(unipen.read_unipen(tmp_path / "a.unipen"), few)
    assert_same(unipen.read_unipen(tmp_path / "a.unipen.gz"), few)


def test_the_bundled_set_is_the_uci_training_file():
    pen = pendigits.bundled()
    assert len(pen) == 7494 and len(np.unique(pen.writers)) == 30
    assert np.bincount(pen.labels).min() >= 719
    assert (np.diff(pen.strokes) >= 1).all() and pen.points.dtype == np.int16


def test_a_file_laid_out_as_unipen_1a_reads_back_every_stroke(tmp_path):
    """Header .COMMENT lines before the first digit, writers 1001 and up, dense points, other keywords."""
    unipen_1a = pendigits.bundled_unipen()
    some = unipen_1a.subset(np.flatnonzero(np.diff(unipen_1a.strokes)[unipen_1a.digits[:-1]] > 60)[:20])
    assert some.writers.min() > 1000
    text = unipen_text(some, dt=False).replace(".INCLUDE        dene.doc", ".COMMENT UNIPEN 1a\n.COMMENT by many")
    (tmp_path / "1a.unipen.gz").write_bytes(gzip.compress((".X_DIM 1000\n.DATE 1993\n" + text).encode()))
    assert_same(unipen.read_unipen(tmp_path / "1a.unipen.gz"), some)


SHARED = Path(__file__).resolve().parents[2].parent / "shared" / "datasets" / "unipen-1a-train.unipen.gz"


@pytest.mark.skipif(not SHARED.is_file(), reason="the UNIPEN 1a file is not beside this checkout")
def test_the_bundled_unipen_set_is_the_unipen_1a_training_file():
    assert_same(unipen.read_unipen(SHARED), pendigits.bundled_unipen())


def test_the_bundled_unipen_set_holds_144_writers_of_every_digit():
    unipen_1a = pendigits.bundled_unipen()
    assert len(unipen_1a) == 11890 and len(np.unique(unipen_1a.writers)) == 144
    assert np.bincount(unipen_1a.labels).tolist() == [1199, 1281, 1239, 1190, 1184, 1165, 1178, 1141, 1140, 1173]


BAD = {
    "no PEN_UP": ('.SEGMENT DIGIT 0 ? "3"\n.PEN_DOWN\n 1 2\n', "truncated"),
    "missing label": (".SEGMENT DIGIT 0 ?\n.PEN_DOWN\n 1 2\n.PEN_UP\n", "label"),
    "letter label": ('.SEGMENT DIGIT 0 ? "a"\n.PEN_DOWN\n 1 2\n.PEN_UP\n', "label"),
    "two-digit label": ('.SEGMENT DIGIT 0 ? "12"\n.PEN_DOWN\n 1 2\n.PEN_UP\n', "label"),
    "empty stroke": ('.SEGMENT DIGIT 0 ? "3"\n.PEN_DOWN\n.PEN_UP\n', "no points"),
    "absurd point": ('.SEGMENT DIGIT 0 ? "3"\n.PEN_DOWN\n 1 99999999\n.PEN_UP\n', "beyond"),
    "word for a point": ('.SEGMENT DIGIT 0 ? "3"\n.PEN_DOWN\n 1 two\n.PEN_UP\n', "two whole numbers"),
    "digit without strokes": (
        '.SEGMENT DIGIT 0 ? "3"\n.SEGMENT DIGIT 1 ? "4"\n.PEN_DOWN\n 1 2\n.PEN_UP\n',
        "no strokes",
    ),
    "last digit without strokes": ('.SEGMENT DIGIT 0 ? "3"\n', "no strokes"),
    "stroke before a digit": (".PEN_DOWN\n 1 2\n.PEN_UP\n", "before any"),
    "PEN_UP alone": ('.SEGMENT DIGIT 0 ? "3"\n.PEN_UP\n', "without .PEN_DOWN"),
    "nothing": ("", "no digits"),
    "writer not a number": ('.SEGMENT DIGIT 0 ? "3"\n.COMMENT 3 x 1\n.PEN_DOWN\n 1 2\n.PEN_UP\n', "writer"),
    "unknown keyword": (
        '.SEGMENT DIGIT 0 ? "3"\n.PEN_DOWN\n 1 2\n.PEN_UP\n.STROKE_COLOUR red\n',
        "not a UNIPEN keyword",
    ),
    "absurd writer": ('.SEGMENT DIGIT 0 ? "3"\n.COMMENT 3 99999999 1\n.PEN_DOWN\n 1 2\n.PEN_UP\n', "out of range"),
}


@pytest.mark.parametrize("case", BAD)
def test_a_bad_file_is_refused_in_one_line_naming_it(tmp_path, case):
    text, words = BAD[case]
    path = tmp_path / "bad.unipen"
    path.write_text(text)
    with pytest.raises(DataError, match=words) as caught:
        unipen.read_unipen(path)
    message = str(caught.value)
    assert "bad.unipen" in message and "\n" not in message


def test_binary_junk_a_folder_a_missing_file_and_a_device_are_refused(tmp_path):
    (tmp_path / "junk.unipen").write_bytes(bytes(range(256)))
    for path, words in (
        (tmp_path / "junk.unipen", "not a UNIPEN text file"),
        (tmp_path, "folder"),
        (tmp_path / "nope.unipen", "no such file"),
        ("/dev/zero", "not a regular file"),
    ):
        with pytest.raises(DataError, match=words):
            unipen.read_unipen(path)


def test_a_fifo_is_refused_without_waiting(tmp_path):
    fifo = tmp_path / "pipe.unipen"
    os.mkfifo(fifo)
    with pytest.raises(DataError, match="not a regular file"):
        unipen.read_unipen(fifo)


def test_a_gzip_bomb_stops_at_the_cap(tmp_path, monkeypatch):
    monkeypatch.setattr(unipen, "MAX_BYTES", 1 << 20)
    path = tmp_path / "bomb.unipen.gz"
    path.write_bytes(gzip.compress(b" \n" * (4 << 20)))
    with pytest.raises(DataError, match="more than 1 MiB"):
        unipen.read_unipen(path)


def test_a_newline_bomb_and_an_endless_line_stop_at_their_caps_a_line_at_a_time(tmp_path, monkeypatch):
    """A 260 KB gzip of 256 MiB of newlines took 2.3 GB and 17 s to be refused: the text is read a line at
    a time now, and the lines are counted."""
    monkeypatch.setattr(unipen, "MAX_LINES", 100_000)
    path = tmp_path / "newlines.unipen.gz"
    path.write_bytes(gzip.compress(b"\n" * (1 << 20)))
    with pytest.raises(DataError, match="more than 100,000 lines"):
        unipen.read_unipen(path)
    path.write_bytes(gzip.compress(b"1" * (1 << 20)))
    with pytest.raises(DataError, match="line 1: longer than 4,096 characters"):
        unipen.read_unipen(path)


def test_points_past_the_cap_are_refused_while_reading(tmp_path, monkeypatch):
    monkeypatch.setattr(unipen, "MAX_TEXT_POINTS", 1000)
    text = '.SEGMENT DIGIT 0 ? "1"\n.PEN_DOWN\n' + " 1 2\n" * 1500 + ".PEN_UP\n"
    (tmp_path / "many.unipen").write_text(text)
    with pytest.raises(DataError, match="line 1003: more points than dnngui reads"):
        unipen.read_unipen(tmp_path / "many.unipen")


def test_a_truncated_gzip_is_damaged(tmp_path, few):
    raw = gzip.compress(unipen_text(few).encode())
    path = tmp_path / "cut.unipen.gz"
    path.write_bytes(raw[: len(raw) // 2])
    with pytest.raises(DataError, match="damaged or truncated"):
        unipen.read_unipen(path)


@FUZZ
@given(
    st.lists(st.tuples(st.integers(0, 10**6), st.sampled_from(list(b' \n.0123456789"-PENUDOWSGMT'))), max_size=10),
    st.integers(0, 10**6),
)
def test_mutated_files_give_only_data_errors(tmp_path, few, flips, cut):
    raw = bytearray(unipen_text(few.subset(slice(0, 3))).encode())
    for position, value in flips:
        raw[position % len(raw)] = value
    if cut:
        raw = raw[: cut % len(raw)]
    path = tmp_path / "fuzz.unipen"
    path.write_bytes(bytes(raw))
    try:
        pen = unipen.read_unipen(path)
    except DataError:
        return
    pendigits.check(pen, "fuzz")
    assert all(len(pen.strokes_of(i)) >= 1 for i in range(len(pen)))


@FUZZ
@given(st.binary(max_size=2000))
def test_arbitrary_bytes_give_only_data_errors(tmp_path, raw):
    path = tmp_path / "fuzz.unipen"
    path.write_bytes(raw)
    try:
        pen = unipen.read_unipen(path)
    except DataError:
        return
    pendigits.check(pen, "fuzz")
