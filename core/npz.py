"""Reading .npz archives from outside safely: no pickles, no arrays bigger than their data or a cap.

Every member's .npy header is read before any array, so a file that claims a
huge array is refused without allocating it: each reader states how many
bytes its kind of file may hold in all, and only plain numbers and short texts
are accepted (no objects, no raw bytes, no half-gigabyte strings).
"""

import zipfile
from pathlib import Path

import numpy as np

MAX_MEMBERS = 256  # a model of 64 layers has 133 arrays
MAX_TEXT_CHARS = 65_536  # the longest text value (a model's description)
NUMBER_KINDS = "biuf"  # booleans, whole numbers, floats


MAX_DIRECTORY_BYTES = MAX_MEMBERS * 1024  # a zip's central directory: an entry is 46 bytes and its name


def _zip_directory(path):
    """(members, bytes) of the central directory a zip's end record declares, or None without one.

    Read before zipfile parses the directory: parsing two million members took 1.1 GB and 9 s
    before the count could be checked. zipfile reads as many bytes as the record says, so
    bounding them bounds the parse, whatever count a hostile record states."""
    with open(path, "rb") as f:
        f.seek(0, 2)
        size = f.tell()
        f.seek(size - min(size, 65_535 + 22 + 20))  # the record, its comment and a zip64 locator
        tail = f.read()
        at = tail.rfind(b"PK\x05\x06")
        if at < 0 or len(tail) - at < 22:
            return None
        members = int.from_bytes(tail[at + 10 : at + 12], "little")
        directory = int.from_bytes(tail[at + 12 : at + 16], "little")
        locator = tail[at - 20 : at] if at >= 20 else b""
        if locator[:4] == b"PK\x06\x07":  # zip64: the counts are in the record the locator points to
            f.seek(int.from_bytes(locator[8:16], "little"))
            record = f.read(56)
            if record[:4] == b"PK\x06\x06" and len(record) == 56:
                members = int.from_bytes(record[32:40], "little")
                directory = int.from_bytes(record[40:48], "little")
    return members, directory


def check_regular_file(path, what, error_class):
    """Raise unless ``path`` is a regular file (not a folder, device, FIFO or socket), naming the problem."""
    path = Path(path)
    name = path.name
    if path.is_dir():
        raise error_class(f"{name} is a folder, not {what}")
    if not path.exists():
        raise error_class(f"{name}: no such file")
    if not path.is_file():
        raise error_class(f"{name} is not a regular file (a device, pipe or socket), so it is not {what}")


def _allowed(dtype):
    if dtype.kind in NUMBER_KINDS:
        return True
    return dtype.kind == "U" and dtype.itemsize <= 4 * MAX_TEXT_CHARS


def check_headers(archive, name, max_bytes, error_class):
    """Read every member's .npy header; refuse pickles, odd types, and arrays bigger than their data or the cap."""
    members = archive.infolist()
    if len(members) > MAX_MEMBERS:
        raise error_class(f"{name} holds {len(members):,} arrays, more than dnngui reads")
    total = 0
    for info in members:
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
        if not _allowed(dtype):
            raise error_class(f"{name}: array {key!r} has type {dtype}, which no dnngui file holds")
        size = int(np.prod(shape, dtype=np.float64)) * dtype.itemsize
        if size > max_bytes:
            raise error_class(f"{name}: array {key!r} claims {size:,} bytes, more than dnngui reads")
        if size > info.file_size - header_size:
            raise error_class(f"{name}: array {key!r} is truncated")
        total += size
    if total > max_bytes:
        raise error_class(f"{name}: the arrays hold {total:,} bytes, more than dnngui reads ({max_bytes:,})")


def read_npz(path, required, what, error_class, max_bytes):
    """{key: array} of the .npz at ``path``, which must hold the ``required`` keys.

    ``what`` names the kind of file in messages ("a model file"); at most
    ``max_bytes`` of arrays are read. Any problem, whatever the zip or .npy
    layers raise, becomes ``error_class`` with a one-line message naming the file.
    """
    path = Path(path)
    name = path.name
    check_regular_file(path, what, error_class)
    try:
        with open(path, "rb"):
            pass  # a permission problem is reported as such, not as "not an archive"
        if not zipfile.is_zipfile(path):
            raise error_class(f"{name} is not {what} (not an .npz archive)")
        declared = _zip_directory(path)
        if declared is not None and (declared[0] > MAX_MEMBERS or declared[1] > MAX_DIRECTORY_BYTES):
            raise error_class(f"{name} holds more arrays than dnngui reads ({MAX_MEMBERS})")
        with zipfile.ZipFile(path) as archive:
            check_headers(archive, name, max_bytes, error_class)
        with np.load(path, allow_pickle=False) as npz:
            arrays = {key: npz[key] for key in npz.files}
    except error_class:
        raise
    except PermissionError:
        raise error_class(f"{name}: permission denied") from None
    except MemoryError:
        raise error_class(f"{name}: not enough memory to read it") from None
    except Exception as e:  # zipfile and numpy raise many kinds (encrypted members: RuntimeError)
        raise error_class(f"{name} is damaged ({type(e).__name__}: {str(e)[:200]})") from None
    missing = [k for k in required if k not in arrays]
    if missing:
        raise error_class(f"{name} is not {what} (missing {', '.join(missing)})")
    return arrays
