"""Reading .npz archives from outside safely: no pickles, no arrays bigger than their data.

Every member's .npy header is read before any array, so a file that claims a
huge array is refused without allocating it.
"""

import zipfile
import zlib
from pathlib import Path

import numpy as np


def check_headers(archive, name, max_values, error_class):
    """Read every member's .npy header; refuse pickles and arrays bigger than their data."""
    total = 0
    for info in archive.infolist():
        key = info.filename.removesuffix(".npy")
        with archive.open(info) as f:
            version = np.lib.format.read_magic(f)
            if version == (1, 0):
                shape, _, dtype = np.lib.format.read_array_header_1_0(f)
            elif version == (2, 0):
                shape, _, dtype = np.lib.format.read_array_header_2_0(f)
            else:
                raise error_class(f"{name}: array {key!r} has an unsupported .npy version {version}")
            header_size = f.tell()
        if dtype.hasobject:
            raise error_class(f"{name}: array {key!r} holds Python objects; dnngui never loads pickles")
        count = int(np.prod(shape, dtype=np.float64))
        if count > max_values:
            raise error_class(f"{name}: array {key!r} claims {count:,} values, more than dnngui reads")
        if count * dtype.itemsize > info.file_size - header_size:
            raise error_class(f"{name}: array {key!r} is truncated")
        total += count
    if total > max_values:
        raise error_class(f"{name}: the arrays hold {total:,} values, more than dnngui reads")


def read_npz(path, required, what, error_class, max_values):
    """{key: array} of the .npz at ``path``, which must hold the ``required`` keys.

    ``what`` names the kind of file in messages ("a model file"). Any problem
    raises ``error_class`` with a one-line message naming the file.
    """
    path = Path(path)
    name = path.name
    if path.is_dir():
        raise error_class(f"{name} is a folder, not {what}")
    if not path.exists():
        raise error_class(f"{name}: no such file")
    try:
        with open(path, "rb"):
            pass  # a permission problem is reported as such, not as "not an archive"
        if not zipfile.is_zipfile(path):
            raise error_class(f"{name} is not {what} (not an .npz archive)")
        with zipfile.ZipFile(path) as archive:
            check_headers(archive, name, max_values, error_class)
        with np.load(path, allow_pickle=False) as npz:
            arrays = {key: npz[key] for key in npz.files}
    except error_class:
        raise
    except PermissionError:
        raise error_class(f"{name}: permission denied") from None
    except (OSError, EOFError, ValueError, zipfile.BadZipFile, zlib.error, KeyError, NotImplementedError) as e:
        raise error_class(f"{name} is damaged ({e})") from None
    missing = [k for k in required if k not in arrays]
    if missing:
        raise error_class(f"{name} is not {what} (missing {', '.join(missing)})")
    return arrays
