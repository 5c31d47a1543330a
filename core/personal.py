"""A person's own labelled drawings: stored safely, mixed into training so that they count.

The samples are network inputs (after core.preprocess.to_mnist) kept as MNIST
does, uint8 (N, 28, 28) with 255 = ink, and their digit labels. The file is an
.npz written atomically, so a crash never loses or corrupts what was there.
"""

from pathlib import Path

import numpy as np

from core import data
from core.atomic import write_atomically
from core.data import DigitSet, check_digits
from core.errors import DataError
from core.npz import read_npz
from core.shapes import SIDE

FORMAT_VERSION = 1
MAX_BYTES = 256 * 2**20  # 300,000 drawings
MIX_SHARE = 0.1  # the share of a training set that the personal samples make up when mixed in
MAX_COPIES = 50


def empty():
    return data.empty("your digits")


def as_sample(x):
    """A network input (784,) float in [0, 1] as a stored uint8 28×28 image."""
    return np.clip(np.rint(np.asarray(x, float).reshape(SIDE, SIDE) * 255.0), 0, 255).astype(np.uint8)


def add(digits, x, label):
    """A new DigitSet with the sample ``x`` (784,) labelled ``label`` (0–9) appended."""
    if not (isinstance(label, (int, np.integer)) and 0 <= label <= 9):
        raise ValueError(f"a digit label is 0–9, got {label!r}")
    images = np.concatenate([digits.images, as_sample(x)[None]])
    labels = np.append(digits.labels, np.uint8(label))
    return DigitSet(images, labels, digits.name)


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
    return DigitSet(
        np.concatenate([digits.images, more.images]), np.concatenate([digits.labels, more.labels]), digits.name
    )


def save(digits, path):
    """Write the set to ``path`` atomically; DataError (nothing changed) if that fails."""
    arrays = {"format_version": np.array(FORMAT_VERSION), "images": digits.images, "labels": digits.labels}
    write_atomically(Path(path), lambda f: np.savez(f, **arrays), DataError)


def load(path):
    """The set saved at ``path``; DataError naming the problem if it is not a valid one."""
    path = Path(path)
    arrays = read_npz(path, ("format_version", "images", "labels"), "a dnngui drawings file", DataError, MAX_BYTES)
    version, images, labels = arrays["format_version"], arrays["images"], arrays["labels"]
    if version.ndim != 0 or version.dtype.kind not in "iu" or int(version) != FORMAT_VERSION:
        raise DataError(f"{path.name} has an unknown format version")
    check_digits(images, labels, path.name)
    return DigitSet(images, labels.astype(np.uint8), "your digits")


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


def counts(digits):
    """How many samples of each digit 0–9."""
    return np.bincount(digits.labels, minlength=10)[:10]
