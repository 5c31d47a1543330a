"""A person's own labelled drawings: stored safely, mixed into training so that they count.

The samples are network inputs (after core.preprocess.to_mnist) kept as MNIST
does, uint8 (N, 28, 28) with 255 = ink, and their digit labels. Since format
version 2 each drawing also keeps the strokes it was drawn with (canvas cells,
and the brush's width), so that it can be drawn again with other pens, as the
pen-drawn training digits are; a drawing that was erased into or started from
a loaded image keeps none. Version 1 files (images only) are read as drawings
without strokes. The file is an .npz written atomically, so a crash never
loses or corrupts what was there.

Strokes in the file, flat (as core.pendigits keeps pen digits):

    points   float32 (P, 2)  x, y in canvas cells, y downwards
    strokes  int64 (S + 1,)  stroke s is points[strokes[s]:strokes[s + 1]]
    widths   float32 (S,)    the brush's diameter of each stroke, in cells
    drawing  int64 (N + 1,)  drawing i has strokes drawing[i] … drawing[i + 1] − 1 (none is allowed)
"""

import itertools
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from dnngui.core import data, pendigits
from dnngui.core.atomic import write_atomically
from dnngui.core.data import DigitSet, check_digits
from dnngui.core.errors import DataError
from dnngui.core.npz import read_npz
from dnngui.core.shapes import SIDE

FORMAT_VERSION = 2
READABLE_VERSIONS = (1, 2)
MAX_BYTES = 256 * 2**20  # what a drawings file may hold, read and written alike: about 300,000 drawings
MIX_SHARE = 0.1  # the share of a training set that the personal samples make up when mixed in
MAX_COPIES = 50


@dataclass(frozen=True)
class Drawings(DigitSet):
    """Your digits: a DigitSet whose ``strokes`` hold, per drawing, a tuple of (width, float32 (k, 2)
    points in canvas cells), or () when the drawing keeps no strokes."""

    strokes: tuple = ()

    def subset(self, index, name=None):
        picked = np.arange(len(self))[index]
        return Drawings(
            self.images[picked], self.labels[picked], name or self.name, tuple(self.strokes[i] for i in picked)
        )


def _strokes_of(digits):
    """The strokes of each of ``digits`` (a plain DigitSet has none)."""
    strokes = getattr(digits, "strokes", ())
    return tuple(strokes) if len(strokes) == len(digits) else ((),) * len(digits)


def empty():
    none = data.empty("your digits")
    return Drawings(none.images, none.labels, none.name, ())


def as_sample(x):
    """A network input (784,) float in [0, 1] as a stored uint8 28×28 image."""
    return np.clip(np.rint(np.asarray(x, float).reshape(SIDE, SIDE) * 255.0), 0, 255).astype(np.uint8)


def add(digits, x, label, strokes=()):
    """New Drawings with the sample ``x`` (784,) labelled ``label`` (0–9) appended, and the strokes it was
    drawn with: (width, points) pairs, points (k, 2) in canvas cells; () when there are none to keep."""
    if not (isinstance(label, (int, np.integer)) and 0 <= label <= 9):
        raise ValueError(f"a digit label is 0–9, got {label!r}")
    kept = tuple((float(width), np.asarray(points, np.float32).reshape(-1, 2).copy()) for width, points in strokes)
    images = np.concatenate([digits.images, as_sample(x)[None]])
    labels = np.append(digits.labels, np.uint8(label))
    return Drawings(images, labels, digits.name, (*_strokes_of(digits), kept))


def remove(digits, indices):
    keep = np.ones(len(digits), bool)
    keep[list(indices)] = False
    return digits.subset(keep)


def _keys(digits):
    return [image.tobytes() + bytes([label]) for image, label in zip(digits.images, digits.labels, strict=True)]


def new_only(digits, more):
    """The samples of ``more`` that ``digits`` does not hold already (same image and label)."""
    known = set(_keys(digits))
    return more.subset(np.array([k not in known for k in _keys(more)], bool))


def without(digits, gone):
    """``digits`` less one sample equal (image and label) to each of ``gone``'s; ones not found are ignored."""
    keep = np.ones(len(digits), bool)
    keys = _keys(digits)
    for key in _keys(gone):
        for i, k in enumerate(keys):
            if keep[i] and k == key:
                keep[i] = False
                break
    return digits.subset(keep)


def merge(digits, more):
    return Drawings(
        np.concatenate([digits.images, more.images]),
        np.concatenate([digits.labels, more.labels]),
        digits.name,
        _strokes_of(digits) + _strokes_of(more),
    )


def _flat_strokes(digits):
    """The strokes of ``digits`` as the file keeps them: points, strokes, widths, drawing."""
    per_drawing = _strokes_of(digits)
    flat = [stroke for drawing in per_drawing for stroke in drawing]
    points = np.concatenate([p for _, p in flat]) if flat else np.zeros((0, 2), np.float32)
    return {
        "points": points.astype(np.float32),
        "strokes": np.concatenate([[0], np.cumsum([len(p) for _, p in flat], dtype=np.int64)]),
        "widths": np.array([w for w, _ in flat], np.float32),
        "drawing": np.concatenate([[0], np.cumsum([len(d) for d in per_drawing], dtype=np.int64)]),
    }


def _arrays(digits):
    return {
        "format_version": np.array(FORMAT_VERSION),
        "images": digits.images,
        "labels": digits.labels,
        **_flat_strokes(digits),
    }


def _file_bytes(digits):
    """The bytes of the arrays a file of ``digits`` holds (what :func:`load` counts against MAX_BYTES)."""
    strokes = [stroke for drawing in _strokes_of(digits) for stroke in drawing]
    points = sum(len(p) for _, p in strokes)
    return digits.images.nbytes + digits.labels.nbytes + 8 * points + 12 * len(strokes) + 8 * len(digits) + 24


def check_size(digits, more=None):
    """DataError if a file of ``digits`` (and ``more``) would hold more than :func:`load` reads back."""
    size = _file_bytes(digits) + (0 if more is None else _file_bytes(more))
    if size > MAX_BYTES:
        n = len(digits) + (0 if more is None else len(more))
        raise DataError(
            f"{n:,} drawings would take {size / 2**20:,.0f} MiB, more than a drawings file may hold "
            f"({MAX_BYTES // 2**20} MiB); delete some first"
        )


def save(digits, path):
    """Write the set to ``path`` atomically; DataError (nothing changed) if that fails, or if the file
    would be larger than :func:`load` reads (the same cap, MAX_BYTES, for both)."""
    check_size(digits)
    arrays = _arrays(digits)
    write_atomically(Path(path), lambda f: np.savez(f, **arrays), DataError)


def _read_strokes(arrays, n, name):
    """Per drawing, its (width, points) strokes from the file's flat arrays; DataError if they do not agree."""
    missing = [k for k in ("points", "strokes", "widths", "drawing") if k not in arrays]
    if missing:
        raise DataError(f"{name} is not a dnngui drawings file (missing {', '.join(missing)})")
    points, offsets, widths, drawing = (arrays[k] for k in ("points", "strokes", "widths", "drawing"))
    if points.dtype.kind != "f" or points.ndim != 2 or points.shape[1:] != (2,) or not np.isfinite(points).all():
        raise DataError(f"{name}: stroke points must be finite (P, 2) numbers")
    if np.abs(points).max(initial=0) > 1000:
        raise DataError(f"{name}: a stroke point lies far off the canvas")
    if widths.dtype.kind != "f" or widths.ndim != 1:  # before anything counts them: a 0-d array has no length
        raise DataError(f"{name}: brush widths must be a list of positive numbers")
    for what, index, end in (("strokes", offsets, len(points)), ("drawing", drawing, len(widths))):
        if index.dtype.kind not in "iu" or index.ndim != 1 or len(index) < 1 or index[0] != 0 or index[-1] != end:
            raise DataError(f"{name}: the {what} offsets do not fit the strokes")
    offsets, drawing = offsets.astype(np.int64), drawing.astype(np.int64)  # unsigned differences wrap round
    if np.any(np.diff(offsets) < 1) or np.any(np.diff(drawing) < 0):
        raise DataError(f"{name}: the stroke offsets are out of order")
    if len(offsets) != len(widths) + 1 or len(drawing) != n + 1:
        raise DataError(f"{name}: the strokes do not agree with the drawings in number")
    if not (np.isfinite(widths) & (widths > 0) & (widths < 100)).all():
        raise DataError(f"{name}: brush widths must be positive numbers")
    return tuple(
        tuple((float(widths[s]), points[offsets[s] : offsets[s + 1]].astype(np.float32)) for s in range(a, b))
        for a, b in itertools.pairwise(drawing)
    )


def load(path):
    """The set saved at ``path``; DataError naming the problem if it is not a valid one."""
    path = Path(path)
    arrays = read_npz(path, ("format_version", "images", "labels"), "a dnngui drawings file", DataError, MAX_BYTES)
    version, images, labels = arrays["format_version"], arrays["images"], arrays["labels"]
    if version.ndim != 0 or version.dtype.kind not in "iu" or int(version) not in READABLE_VERSIONS:
        raise DataError(f"{path.name} has an unknown format version")
    check_digits(images, labels, path.name)
    strokes = _read_strokes(arrays, len(labels), path.name) if int(version) >= 2 else ((),) * len(labels)
    return Drawings(images, labels.astype(np.uint8), "your digits", strokes)


def mix(base, personal, share=MIX_SHARE):
    """``base`` with the personal samples repeated so they make up about ``share`` of it.

    A few dozen drawings among thousands of MNIST digits would barely move the
    weights; repeated (at most MAX_COPIES times each, and with the random
    distortions of training on top) they count.
    """
    if len(personal) == 0:
        return base
    copies = int(np.clip(round(share * len(base) / len(personal)), 1, MAX_COPIES))
    repeated = DigitSet(np.repeat(personal.images, copies, axis=0), np.repeat(personal.labels, copies), "")
    mixed = merge(base, repeated)
    return DigitSet(mixed.images, mixed.labels, f"{base.name} + {len(personal)} of yours ×{copies}")


def as_pen_digits(digits, copies=1):
    """The drawings that kept their strokes as pen digits (core.pendigits), each ``copies`` times, for
    redrawing with random pens as the pen-drawn training digits are; None if none kept strokes.

    Canvas cells (y downwards) become the pen's points in hundredths of a cell, y upwards."""
    kept = [i for i, strokes in enumerate(_strokes_of(digits)) if any(len(p) for _, p in strokes)]
    if not kept:
        return None
    per_digit = []
    for i in kept:
        lines = [np.asarray(p, np.float64) for _, p in digits.strokes[i] if len(p)]
        per_digit.append([np.rint(np.column_stack([p[:, 0], -p[:, 1]]) * 100).astype(np.int16) for p in lines])
    flat = [line for lines in per_digit for line in lines] * copies
    strokes = np.concatenate([[0], np.cumsum([len(line) for line in flat])]).astype(np.int64)
    digit_starts = np.concatenate([[0], np.cumsum([len(lines) for lines in per_digit] * copies)]).astype(np.int64)
    labels = np.tile(np.asarray(digits.labels)[kept], copies).astype(np.uint8)
    return pendigits.PenDigits(
        np.concatenate(flat), strokes, digit_starts, labels, np.zeros(len(labels), np.int16), "your strokes"
    )


def reading(network, digits):
    """What ``network`` reads each of ``digits`` as (a digit), or None where it has no class for it."""
    if len(digits) == 0:
        return []
    predicted = network.predict(digits.images.reshape(len(digits), -1).T)
    known = np.isin(digits.labels, network.classes)
    return [int(p) if k else None for p, k in zip(predicted, known, strict=True)]


def read_right(network, digits):
    """The share of ``digits`` that ``network`` reads as their label (of those it has a class for); NaN if none."""
    pairs = [(g, int(label)) for g, label in zip(reading(network, digits), digits.labels, strict=True) if g is not None]
    return float(np.mean([g == label for g, label in pairs])) if pairs else float("nan")


def counts(digits):
    """How many samples of each digit 0–9."""
    return np.bincount(digits.labels, minlength=10)[:10]
