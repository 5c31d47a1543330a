"""Data sets of 28×28 digits: the bundled 10k MNIST digits, MNIST IDX files, splits.

Images are uint8 (N, 28, 28), 0 = background, 255 = ink, as MNIST stores them;
labels are uint8 (N,). The network reads them as X: (784, N) columns, made by
:func:`as_columns` without copying.
"""

import gzip
import zlib
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from dnngui.core.errors import DataError
from dnngui.core.npz import check_regular_file, read_npz
from dnngui.core.resources import bundled_digits_path
from dnngui.core.shapes import SIDE

SPLIT_SEED = 20_251_128
VALIDATION_FRACTION = 0.1
IMAGE_MAGIC = 0x00000803
LABEL_MAGIC = 0x00000801
MAX_IDX_ITEMS = 1_000_000  # MNIST has 70,000
MAX_NPZ_BYTES = 1024 * 2**20  # 1.3 million digits of 784 bytes


@dataclass(frozen=True)
class DigitSet:
    """Digits with their labels and a name to show a person."""

    images: np.ndarray  # uint8 (N, 28, 28)
    labels: np.ndarray  # uint8 (N,)
    name: str

    def __len__(self):
        return len(self.labels)

    def subset(self, index, name=None):
        return DigitSet(self.images[index], self.labels[index], name or self.name)


def empty(name=""):
    """A set of no digits."""
    return DigitSet(np.zeros((0, SIDE, SIDE), np.uint8), np.zeros(0, np.uint8), name)


def as_columns(images):
    """X: (784, N) from images (N, 28, 28), as a view (no copy)."""
    return images.reshape(images.shape[0], images.shape[1] * images.shape[2]).T  # -1 fails for 0 images


def load_bundled():
    """The 10,000 MNIST training digits shipped with dnngui: (images, labels)."""
    with np.load(bundled_digits_path(), allow_pickle=False) as npz:
        return npz["images"], npz["labels"]


def bundled():
    images, labels = load_bundled()
    return DigitSet(images, labels, "bundled MNIST digits")


def split(digits, val_fraction=VALIDATION_FRACTION):
    """(train, validation): the fixed split every part of dnngui uses.

    The order is a permutation drawn from a fixed seed, so the same data always
    split the same way, in the app, on the command line and in the tests.
    """
    order = np.random.default_rng(SPLIT_SEED).permutation(len(digits))
    n_val = round(len(digits) * val_fraction)
    val, train = np.sort(order[:n_val]), np.sort(order[n_val:])
    return digits.subset(train, f"{digits.name} (train)"), digits.subset(val, f"{digits.name} (validation)")


# ------------------------------------------------------------------ IDX files
def _open_idx(path):
    """The file's bytes as a stream, decompressed on the fly if it is gzipped."""
    path = Path(path)
    check_regular_file(path, "an IDX file", DataError)
    try:
        f = open(path, "rb")  # noqa: SIM115 - returned to the caller, who closes it
    except OSError as e:
        raise DataError(f"cannot read {path.name}: {e.strerror or e}") from None
    gzipped = f.read(2) == b"\x1f\x8b"
    f.seek(0)
    if gzipped:
        f.close()
        return gzip.open(path, "rb")
    return f


def _read_idx(path, magic, dims):
    """The array of an IDX file; the header is checked before the data are read, so a
    file (or a gzip bomb) that claims more than dnngui reads is refused without reading it."""
    name = Path(path).name
    kind = "images" if magic == IMAGE_MAGIC else "labels"
    header_size = 4 + 4 * dims
    try:
        with _open_idx(path) as f:
            header = f.read(header_size)
            if len(header) < header_size:
                raise DataError(f"{name} is too short to be an MNIST IDX file ({len(header)} bytes)")
            found = int.from_bytes(header[:4], "big")
            if found != magic:
                raise DataError(
                    f"{name} is not an MNIST {kind} file (magic number {found:#010x}, expected {magic:#010x})"
                )
            shape = tuple(int.from_bytes(header[4 + 4 * i : 8 + 4 * i], "big") for i in range(dims))
            if shape[0] > MAX_IDX_ITEMS:
                raise DataError(f"{name} claims {shape[0]:,} items, more than dnngui reads")
            if dims == 3 and shape[1:] != (SIDE, SIDE):
                raise DataError(f"{name} holds {shape[1]}×{shape[2]} images; dnngui needs 28×28")
            expected = int(np.prod(shape, dtype=np.int64))
            body = f.read(expected)
            if len(body) < expected:
                size, claimed = header_size + len(body), header_size + expected
                raise DataError(f"{name} is truncated: {size:,} bytes, its header says {claimed:,}")
            if f.read(1):
                raise DataError(f"{name} is longer than its header says")
    except (OSError, EOFError, zlib.error) as e:
        raise DataError(f"{name} is damaged ({e})") from None
    return np.frombuffer(body, np.uint8).reshape(shape)


def read_idx_images(path):
    """uint8 (N, 28, 28) from an MNIST images file (gzipped or not); DataError otherwise."""
    return _read_idx(path, IMAGE_MAGIC, 3)


def read_idx_labels(path):
    """uint8 (N,) from an MNIST labels file (gzipped or not); DataError otherwise."""
    labels = _read_idx(path, LABEL_MAGIC, 1)
    if labels.size and labels.max() > 9:
        raise DataError(f"{Path(path).name} has label {int(labels.max())}; MNIST labels are 0–9")
    return labels


def read_idx_pair(images_path, labels_path, name=None):
    """A DigitSet from an images file and a labels file that must agree in count."""
    images = read_idx_images(images_path)
    labels = read_idx_labels(labels_path)
    if len(images) != len(labels):
        raise DataError(
            f"{Path(images_path).name} has {len(images):,} images but {Path(labels_path).name} "
            f"has {len(labels):,} labels"
        )
    if len(images) == 0:
        raise DataError(f"{Path(images_path).name} holds no images")
    return DigitSet(images, labels, name or Path(images_path).name)


def _find(folder, stem):
    for candidate in (f"{stem}", f"{stem}.gz", stem.replace("-idx", ".idx"), stem.replace("-idx", ".idx") + ".gz"):
        if (folder / candidate).is_file():
            return folder / candidate
    return None


def has_mnist_set(folder, which):
    """True if ``folder`` holds the images or the labels file of the ``which`` set."""
    folder = Path(folder)
    return any(_find(folder, f"{which}-{kind}-idx{dims}-ubyte") for kind, dims in (("images", 3), ("labels", 1)))


def read_mnist_folder(folder, which="train"):
    """The ``which`` ("train" or "t10k") set of a folder of MNIST IDX files."""
    folder = Path(folder)
    if not folder.is_dir():
        raise DataError(f"{folder.name}: no such folder")
    images = _find(folder, f"{which}-images-idx3-ubyte")
    labels = _find(folder, f"{which}-labels-idx1-ubyte")
    if images is None or labels is None:
        missing = f"{which}-images-idx3-ubyte" if images is None else f"{which}-labels-idx1-ubyte"
        raise DataError(
            f"{folder} has no {missing}[.gz]: an MNIST folder holds {which}-images-idx3-ubyte and "
            f"{which}-labels-idx1-ubyte, each may be gzipped (.gz)"
        )
    return read_idx_pair(images, labels, f"MNIST {which} ({folder.name})")


def check_digits(images, labels, name):
    """Raise DataError unless images are uint8 (N, 28, 28) and labels N digits 0–9."""
    if images.dtype != np.uint8 or images.ndim != 3 or images.shape[1:] != (SIDE, SIDE):
        raise DataError(f"{name}: images must be uint8 (N, 28, 28), got {images.dtype} {images.shape}")
    if labels.shape != (len(images),) or labels.dtype.kind not in "iu":
        raise DataError(f"{name}: labels must be {len(images)} whole numbers")
    if labels.size and (labels.min() < 0 or labels.max() > 9):
        raise DataError(f"{name}: labels must be 0–9")


def read_digits_npz(path):
    """A DigitSet from an .npz with ``images`` uint8 (N, 28, 28) and ``labels`` (N,) 0–9."""
    path = Path(path)
    arrays = read_npz(path, ("images", "labels"), "a digits file", DataError, MAX_NPZ_BYTES)
    images, labels = arrays["images"], arrays["labels"]
    check_digits(images, labels, path.name)
    return DigitSet(images, labels.astype(np.uint8), path.name)


def load_digits(source=None):
    """The digits at ``source``: None for the bundled set, a folder of IDX files, or an .npz."""
    if source is None:
        return bundled()
    source = Path(source)
    if source.is_dir():
        return read_mnist_folder(source)
    return read_digits_npz(source)
