"""Digits written with a pen, kept as strokes: the pen-drawn digits dnngui learns from.

A person drawing on the canvas makes strokes, not a scanned image; so do the
30 writers of the UCI pen-based digits (Alpaydin & Alimoglu, 1998, CC BY 4.0,
see assets/DATASET.md). Keeping the strokes lets training draw each digit
afresh with a random pen (core.pen), exactly as the canvas draws a person's.

Everything sits in flat arrays, so a set of thousands of digits is a handful
of arrays, not a million small lists:

    points   int16 (P, 2)    x, y in the tablet's units, y growing upwards
    strokes  int64 (S + 1,)  stroke s is points[strokes[s]:strokes[s + 1]]
    digits   int64 (N + 1,)  digit i is strokes digits[i] … digits[i + 1] − 1
    labels   uint8 (N,)      the digit, 0–9
    writers  int16 (N,)      who wrote it (0 when the file does not say)
"""

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from dnngui.core.atomic import write_atomically
from dnngui.core.errors import DataError
from dnngui.core.npz import read_npz
from dnngui.core.resources import bundled_pen_digits_path, bundled_unipen_path

FORMAT_VERSION = 1
COORDINATE_LIMIT = 30_000  # tablets report a few thousand units at most; int16 holds ±32,767
MAX_DIGITS = 200_000
MAX_POINTS = 20_000_000
MAX_BYTES = 4 * MAX_POINTS + 16 * MAX_DIGITS * 2  # points, offsets, labels and writers at their most
VALIDATION_WRITERS = 6  # of the bundled set's 30 writers, held out whole (a writer's 25 sevens look alike)
SPLIT_SEED = 20_261_129
# UNIPEN's file names no laboratories, but its writers were numbered laboratory by laboratory, and each
# laboratory's tablet shows in its digits (how finely the coordinates step): writers 1130–1150 wrote on one
# tablet, unlike their neighbours', and are held out whole as a new laboratory, the closest thing to a new user.
UNIPEN_HELD_LAB = range(1130, 1151)
UNIPEN_VALIDATION_WRITERS = 18  # of the other 125 UNIPEN writers, held out whole (chosen from SPLIT_SEED)


@dataclass(frozen=True)
class PenDigits:
    """Pen-drawn digits as strokes, with their labels and writers (see the module's layout)."""

    points: np.ndarray
    strokes: np.ndarray
    digits: np.ndarray
    labels: np.ndarray
    writers: np.ndarray
    name: str

    def __len__(self):
        return len(self.labels)

    def strokes_of(self, i):
        """Digit i's strokes: a list of int16 (k, 2) arrays of (x, y) points, y upwards."""
        first, last = self.digits[i], self.digits[i + 1]
        return [self.points[self.strokes[s] : self.strokes[s + 1]] for s in range(first, last)]

    def subset(self, index, name=None):
        """The digits picked by ``index`` (indices or a boolean mask), in that order."""
        picked = np.arange(len(self))[index]
        stroke_ids = ranges(self.digits[picked], self.digits[picked + 1])
        point_ids = ranges(self.strokes[stroke_ids], self.strokes[stroke_ids + 1])
        strokes = _offsets(self.strokes[stroke_ids + 1] - self.strokes[stroke_ids])
        digits = _offsets(self.digits[picked + 1] - self.digits[picked])
        return PenDigits(
            self.points[point_ids], strokes, digits, self.labels[picked], self.writers[picked], name or self.name
        )


def ranges(starts, ends):
    """The concatenated ranges start … end − 1 of each pair, as one index array (ends ≥ starts)."""
    lengths = ends - starts
    return np.repeat(starts - np.cumsum(lengths) + lengths, lengths) + np.arange(lengths.sum())


def _offsets(counts):
    """Offsets 0, c0, c0 + c1, … (int64) for ``counts`` of items in a row."""
    return np.concatenate([[0], np.cumsum(counts)]).astype(np.int64)


def empty(name=""):
    """A set of no pen digits."""
    none = np.zeros(0, np.int64)
    return PenDigits(
        np.zeros((0, 2), np.int16),
        np.zeros(1, np.int64),
        np.zeros(1, np.int64),
        none.astype(np.uint8),
        none.astype(np.int16),
        name,
    )


def check(pen, name):
    """Raise DataError unless the arrays of ``pen`` hang together as the layout says."""
    points, strokes, digits = pen.points, pen.strokes, pen.digits
    n = len(pen.labels)
    if points.ndim != 2 or points.shape[1:] != (2,) or points.dtype != np.int16:
        raise DataError(f"{name}: points must be int16 (P, 2), got {points.dtype} {points.shape}")
    for what, offsets, end in (("strokes", strokes, len(points)), ("digits", digits, len(strokes) - 1)):
        if offsets.ndim != 1 or offsets.dtype.kind not in "iu" or len(offsets) < 1:
            raise DataError(f"{name}: {what} must be a list of offsets")
        if offsets[0] != 0 or offsets[-1] != end or np.any(np.diff(offsets) < 1):
            raise DataError(
                f"{name}: {what} offsets are out of order (every stroke needs a point, every digit a stroke)"
            )
    if len(digits) != n + 1 or pen.writers.shape != (n,) or pen.labels.shape != (n,):
        raise DataError(f"{name}: the labels, writers and digits do not agree in number")
    if pen.labels.dtype.kind not in "iu" or (n and (pen.labels.min() < 0 or pen.labels.max() > 9)):
        raise DataError(f"{name}: labels must be digits 0–9")
    if pen.writers.dtype.kind not in "iu":
        raise DataError(f"{name}: writers must be whole numbers")
    if points.size and np.abs(points.astype(np.int32)).max() > COORDINATE_LIMIT:
        raise DataError(f"{name}: a point lies beyond ±{COORDINATE_LIMIT:,} tablet units")


def concat(parts, name):
    """One set of the digits of every PenDigits in ``parts``, in order (their writers must not overlap)."""
    points = np.concatenate([p.points for p in parts])
    strokes = _offsets(np.concatenate([np.diff(p.strokes) for p in parts]))
    digits = _offsets(np.concatenate([np.diff(p.digits) for p in parts]))
    labels = np.concatenate([p.labels for p in parts])
    return PenDigits(points, strokes, digits, labels, np.concatenate([p.writers for p in parts]), name)


def held_out_writers(pen, n_val_writers, kept=()):
    """``n_val_writers`` of the writers of ``pen`` not in ``kept``, drawn from a fixed seed: the split never changes."""
    writers = np.setdiff1d(np.unique(pen.writers), np.asarray(kept, pen.writers.dtype))
    return np.random.default_rng(SPLIT_SEED).permutation(writers)[:n_val_writers]


def split_by_writer(pen, n_val_writers=VALIDATION_WRITERS):
    """(train, validation): whole writers held out, drawn from a fixed seed, so the split never changes."""
    val = np.isin(pen.writers, held_out_writers(pen, n_val_writers))
    return pen.subset(~val, f"{pen.name} (train)"), pen.subset(val, f"{pen.name} (held-out writers)")


def split_unipen(pen):
    """(train, held-out writers, held-out laboratory) of the bundled UNIPEN digits (see UNIPEN_HELD_LAB)."""
    lab = np.isin(pen.writers, np.asarray(UNIPEN_HELD_LAB))
    writers = np.isin(pen.writers, held_out_writers(pen, UNIPEN_VALIDATION_WRITERS, kept=UNIPEN_HELD_LAB))
    return (
        pen.subset(~(lab | writers), f"{pen.name} (train)"),
        pen.subset(writers, f"{pen.name} (held-out writers)"),
        pen.subset(lab, f"{pen.name} (held-out laboratory)"),
    )


def save(pen, path):
    """Write ``pen`` as a compact .npz, atomically."""
    arrays = {
        "format_version": np.array(FORMAT_VERSION),
        "points": pen.points,
        "strokes": pen.strokes,
        "digits": pen.digits,
        "labels": pen.labels,
        "writers": pen.writers,
    }
    write_atomically(Path(path), lambda f: np.savez_compressed(f, **arrays), DataError)


def load(path, name=None):
    """The pen digits saved at ``path`` by :func:`save`; DataError naming the problem otherwise."""
    path = Path(path)
    keys = ("format_version", "points", "strokes", "digits", "labels", "writers")
    arrays = read_npz(path, keys, "a dnngui pen-digits file", DataError, MAX_BYTES)
    version = arrays["format_version"]
    if version.ndim != 0 or version.dtype.kind not in "iu" or int(version) != FORMAT_VERSION:
        raise DataError(f"{path.name} has an unknown format version")
    pen = PenDigits(
        arrays["points"],
        arrays["strokes"].astype(np.int64, copy=False),
        arrays["digits"].astype(np.int64, copy=False),
        arrays["labels"],
        arrays["writers"],
        name or path.name,
    )
    check(pen, path.name)
    return PenDigits(
        pen.points, pen.strokes, pen.digits, pen.labels.astype(np.uint8), pen.writers.astype(np.int16), pen.name
    )


def bundled():
    """The 7,494 UCI pen-drawn digits by 30 writers at one laboratory, shipped with dnngui."""
    return load(bundled_pen_digits_path(), "pen-drawn digits")


def bundled_unipen():
    """The 11,890 UNIPEN pen-drawn digits by 144 writers at 12 laboratories, shipped with dnngui."""
    return load(bundled_unipen_path(), "UNIPEN pen-drawn digits")
