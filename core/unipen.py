"""Reading UNIPEN files: digits written with a pen, as the tablet recorded them.

The UCI pen-based digits come in this plain-text format (gzipped or not)::

    .SEGMENT DIGIT    0 ? "8"        a digit starts; its label is the last field, in quotes
    .COMMENT 8 12  224               label, writer, the sample's number
    .PEN_DOWN                        a stroke starts
     267  333                        x y in tablet units, y growing upwards
    .PEN_UP                          the stroke ends; a digit may have several
    .DT 100                          milliseconds until the next stroke (ignored)

UNIPEN's own files (category 1a, as bundled) open with ``.COMMENT`` lines, name
writers 1001 and up, and hold denser points; the other keywords of the UNIPEN
1.0 format are read past, and a line starting with any other keyword is refused.

Files come from outside, so everything is checked: the decompressed size is
capped before it is read (a gzip bomb stops at the cap), and a truncated file,
a missing or non-digit label, a stroke with no points or absurd coordinates is
refused with one DataError line naming the file, the line and the problem.
"""

import array
import gzip
import itertools
import re
import zlib
from pathlib import Path

import numpy as np

from dnngui.core.errors import DataError
from dnngui.core.npz import check_regular_file
from dnngui.core.pendigits import COORDINATE_LIMIT, MAX_DIGITS, PenDigits

MAX_BYTES = 256 * 2**20  # the UCI training file is 3.5 MB decompressed
MAX_POINTS_PER_STROKE = 100_000
MAX_TEXT_POINTS = 4_000_000  # points a text file may hold (UNIPEN 1a: 517,095): a few seconds, 16 MB
MAX_LINES = 2 * MAX_TEXT_POINTS  # every line is read, blank ones too: this bounds the time a file takes
MAX_LINE = 4096  # characters in one line
_NOT_TEXT = re.compile(rb"[^\t\n\r\x20-\x7e]")  # anything but printable ASCII, tabs and line ends
# The keywords the UNIPEN 1.0 format defines: all but those that carry digits are read past. Anything else
# that starts with a dot is not UNIPEN, and is refused rather than guessed at.
KEYWORDS = frozenset(
    [
        ".KEYWORD",
        ".RESERVED",
        ".INCLUDE",
        ".COMMENT",
        ".VERSION",
        ".DATA_SOURCE",
        ".DATA_ID",
        ".DATA_CONTACT",
        ".DATA_INFO",
        ".SETUP",
        ".PAD",
        ".DATE",
        ".STYLE",
        ".WRITER_ID",
        ".COUNTRY",
        ".HAND",
        ".AGE",
        ".SEX",
        ".SKILL",
        ".WRITER_INFO",
        ".COORD",
        ".HIERARCHY",
        ".X_DIM",
        ".Y_DIM",
        ".H_LINE",
        ".V_LINE",
        ".X_POINTS_PER_INCH",
        ".Y_POINTS_PER_INCH",
        ".Z_POINTS_PER_INCH",
        ".X_POINTS_PER_MM",
        ".Y_POINTS_PER_MM",
        ".Z_POINTS_PER_MM",
        ".POINTS_PER_GRAM",
        ".POINTS_PER_SECOND",
        ".PEN_DOWN",
        ".PEN_UP",
        ".DT",
        ".START_SET",
        ".START_BOX",
        ".SEGMENT",
        ".LEXICON",
        ".ALPHABET",
        ".ALPHABET_FREQ",
        ".LEXICON_SOURCE",
        ".LEXICON_ID",
        ".LEXICON_CONTACT",
        ".LEXICON_INFO",
        ".RECOGNIZER_SOURCE",
        ".RECOGNIZER_ID",
        ".RECOGNIZER_CONTACT",
        ".RECOGNIZER_INFO",
        ".REC_TIME",
        ".REC_LABELS",
        ".REC_SCORES",
        ".IMPLEMENTATION",
    ]
)


def _lines(path):
    """(number, text) of each line of the file, decompressed if gzipped, read a line at a time so that
    memory stays small whatever the file holds; DataError past MAX_BYTES of text or MAX_LINES lines."""
    path = Path(path)
    name = path.name
    check_regular_file(path, "a UNIPEN file", DataError)
    read = 0
    try:
        with open(path, "rb") as f:
            gzipped = f.read(2) == b"\x1f\x8b"
        with gzip.open(path, "rb") if gzipped else open(path, "rb") as f:
            for number in itertools.count(1):
                raw = f.readline(MAX_LINE + 1)
                if not raw:
                    return
                read += len(raw)
                if read > MAX_BYTES:
                    raise DataError(f"{name} holds more than {MAX_BYTES // 2**20} MiB of text, more than dnngui reads")
                if number > MAX_LINES:
                    raise DataError(f"{name} has more than {MAX_LINES:,} lines, more than dnngui reads")
                if len(raw) > MAX_LINE:
                    raise DataError(f"{name}, line {number}: longer than {MAX_LINE:,} characters")
                odd = _NOT_TEXT.search(raw)
                if odd:
                    raise DataError(
                        f"{name} is not a UNIPEN text file (line {number}, byte {odd.start()} is not plain text)"
                    )
                yield number, raw.decode("ascii")
    except PermissionError:
        raise DataError(f"{name}: permission denied") from None
    except (OSError, EOFError, zlib.error) as e:
        raise DataError(f"{name} is damaged or truncated ({e})") from None


def _label(fields, where):
    text = fields[-1].strip('"') if len(fields) >= 3 else ""
    if len(text) != 1 or not text.isdigit():
        raise DataError(f"{where}: a digit's label must be one of 0–9 in quotes, got {fields[-1] if fields else ''!r}")
    return int(text)


def _writer(fields, where):
    if len(fields) < 3:
        return 0
    try:
        writer = int(fields[2])
    except ValueError:
        raise DataError(f"{where}: the writer must be a whole number, got {fields[2]!r}") from None
    if not 0 <= writer <= COORDINATE_LIMIT:
        raise DataError(f"{where}: writer {writer} is out of range")
    return writer


def read_unipen(path):
    """PenDigits from a UNIPEN file (``.unipen`` or ``.unipen.gz``); DataError for anything else."""
    name = Path(path).name
    points = array.array("h")  # x, y, x, y, …: two bytes each, not a tuple of two ints each
    stroke_ends, digit_ends, labels, writers = [], [], [], []
    in_digit = in_stroke = False
    stroke_start = 0
    for number, line in _lines(path):
        fields = line.split()
        if not fields:
            continue
        where = f"{name}, line {number}"
        if in_stroke:
            if fields[0] == ".PEN_UP":
                if len(points) // 2 == stroke_start:
                    raise DataError(f"{where}: a stroke with no points")
                stroke_ends.append(len(points) // 2)
                in_stroke = False
                continue
            if len(fields) != 2:
                raise DataError(f"{where}: expected a point 'x y' or .PEN_UP, got {line.strip()[:40]!r}")
            try:
                x, y = int(fields[0]), int(fields[1])
            except ValueError:
                raise DataError(f"{where}: a point must be two whole numbers, got {line.strip()[:40]!r}") from None
            if abs(x) > COORDINATE_LIMIT or abs(y) > COORDINATE_LIMIT:
                raise DataError(f"{where}: the point ({x}, {y}) lies beyond ±{COORDINATE_LIMIT:,} tablet units")
            count = len(points) // 2
            if count - stroke_start >= MAX_POINTS_PER_STROKE or count >= MAX_TEXT_POINTS:
                raise DataError(f"{where}: more points than dnngui reads")
            points.extend((x, y))
            continue
        keyword = fields[0]
        if keyword == ".SEGMENT":
            if in_digit and digit_ends[-1] == len(stroke_ends):
                raise DataError(f"{where}: the digit before this one has no strokes")
            if len(labels) >= MAX_DIGITS:
                raise DataError(f"{where}: more than {MAX_DIGITS:,} digits, more than dnngui reads")
            labels.append(_label(fields, where))
            writers.append(0)
            digit_ends.append(len(stroke_ends))
            in_digit = True
        elif keyword == ".COMMENT" and in_digit:
            writers[-1] = _writer(fields, where)
        elif keyword == ".PEN_DOWN":
            if not in_digit:
                raise DataError(f"{where}: a stroke before any .SEGMENT")
            in_stroke = True
            stroke_start = len(points) // 2
        elif keyword == ".PEN_UP":
            raise DataError(f"{where}: .PEN_UP without .PEN_DOWN")
        elif not keyword.startswith("."):
            raise DataError(f"{where}: a point outside a stroke")
        elif keyword not in KEYWORDS:
            raise DataError(f"{where}: {keyword[:40]!r} is not a UNIPEN keyword")
    if in_stroke:
        raise DataError(f"{name} is truncated: the last stroke has no .PEN_UP")
    if not labels:
        raise DataError(f"{name} holds no digits (no .SEGMENT lines)")
    if digit_ends[-1] == len(stroke_ends):
        raise DataError(f"{name} is truncated: the last digit has no strokes")
    return PenDigits(
        np.frombuffer(points, np.int16).reshape(-1, 2).copy(),
        np.array([0, *stroke_ends], np.int64),
        np.array([*digit_ends, len(stroke_ends)], np.int64),
        np.array(labels, np.uint8),
        np.array(writers, np.int16),
        name,
    )
