"""Files built to hurt: odd types, devices, FIFOs, encrypted zips, huge claims. One line each, memory bounded."""

import io
import os
import subprocess
import sys
import zipfile

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dnngui import core
from dnngui.core import data, personal
from dnngui.core.errors import DataError, ModelError

FUZZ = settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def model_bytes(**extra):
    """A valid small model file's bytes, with ``extra`` arrays added or replaced."""
    net = core.Network([784, 6, 10], "relu", "softmax", seed=0)
    arrays = {
        "format_version": np.array(1),
        "sizes": np.array(net.sizes),
        "activations": np.array(["relu"]),
        "output": np.array("softmax"),
        "classes": np.arange(10),
        **net.params,
        **extra,
    }
    out = io.BytesIO()
    np.savez(out, **arrays)
    return out.getvalue()


def npy_header_only(dtype, shape):
    """A member that is only a .npy header claiming ``dtype`` and ``shape`` (and a little data)."""
    header = io.BytesIO()
    np.lib.format.write_array_header_1_0(header, {"descr": dtype, "fortran_order": False, "shape": shape})
    return header.getvalue() + b"\0" * 64


def with_member(raw, name, member):
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(raw)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            if info.filename != f"{name}.npy":
                dst.writestr(info, src.read(info))
        dst.writestr(f"{name}.npy", member)
    return out.getvalue()


def many_members(n):
    """A zip whose central directory lists ``n`` empty members (built by hand: zipfile takes seconds)."""
    import struct

    local = struct.pack("<4s5H3L2H", b"PK\x03\x04", 20, 0, 0, 0, 0, 0, 0, 0, 5, 0) + b"a.npy"
    entries = b"".join(
        struct.pack("<4s6H3L5H2L", b"PK\x01\x02", 20, 20, 0, 0, 0, 0, 0, 0, 0, len(name), 0, 0, 0, 0, 0, 0) + name
        for name in (f"m{i}.npy".encode() for i in range(n))
    )
    end = struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, n & 0xFFFF, n & 0xFFFF, len(entries), len(local), 0)
    if n > 0xFFFF:  # a zip64 end record and its locator hold the true count
        record = struct.pack("<4sQ2H2L4Q", b"PK\x06\x06", 44, 45, 45, 0, 0, n, n, len(entries), len(local))
        locator = struct.pack("<4sLQL", b"PK\x06\x07", 0, len(local) + len(entries), 1)
        end = record + locator + struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, 0xFFFF, 0xFFFF, 0xFFFFFFFF, 0xFFFFFFFF, 0)
    return local + entries + end


HOSTILE = {
    "half-gigabyte text": (
        lambda: with_member(model_bytes(), "description", npy_header_only("<U500000000", ())),
        "type <U500000000",
    ),
    "raw void bytes": (lambda: with_member(model_bytes(), "junk", npy_header_only("|V1000000000", ())), "type |V"),
    "layers too wide": (
        lambda: with_member(
            model_bytes(sizes=np.array([784, 100_000, 100_000, 10])), "W2", npy_header_only("<f4", (100_000, 100_000))
        ),
        "more than dnngui reads",
    ),
    "classes beyond 9": (lambda: model_bytes(classes=np.arange(10, 20)), "different digits 0–9"),
    "negative classes": (lambda: model_bytes(classes=-np.arange(10)), "different digits 0–9"),
    "repeated classes": (lambda: model_bytes(classes=np.zeros(10, np.int64)), "different digits 0–9"),
    "huge class": (lambda: model_bytes(classes=np.array([2**62, *range(9)])), "different digits 0–9"),
}


@pytest.mark.parametrize("case", HOSTILE)
def test_a_hostile_model_file_is_one_line(tmp_path, case):
    make, words = HOSTILE[case]
    path = tmp_path / "m.npz"
    path.write_bytes(make())
    with pytest.raises(ModelError, match=words) as caught:
        core.load_model(path)
    assert "\n" not in str(caught.value)


def encrypted(raw):
    """The archive with the 'encrypted' flag set on every member, as one flipped bit can do."""
    buf = bytearray(raw)
    for signature, offset in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        at = buf.find(signature)
        while at != -1:
            buf[at + offset] |= 1
            at = buf.find(signature, at + 4)
    return bytes(buf)


@pytest.mark.parametrize(
    ("load", "error", "raw"),
    [
        (core.load_model, ModelError, lambda: model_bytes()),
        (personal.load, DataError, lambda: personal_bytes()),
        (data.read_digits_npz, DataError, lambda: personal_bytes()),
    ],
)
def test_an_encrypted_flag_is_a_damaged_file_not_a_traceback(tmp_path, load, error, raw):
    path = tmp_path / "x.npz"
    path.write_bytes(encrypted(raw()))
    with pytest.raises(error, match="damaged"):
        load(path)


def personal_bytes():
    out = io.BytesIO()
    digits = data.bundled().subset(slice(0, 5))
    np.savez(out, format_version=np.array(1), images=digits.images, labels=digits.labels)
    return out.getvalue()


@pytest.mark.parametrize("load", [core.load_model, personal.load, data.read_digits_npz, data.read_idx_images])
def test_devices_fifos_and_links_to_them_are_refused_at_once(tmp_path, load):
    fifo = tmp_path / "pipe.npz"
    os.mkfifo(fifo)
    link = tmp_path / "zero.npz"
    link.symlink_to("/dev/zero")
    for path in (fifo, link):
        with pytest.raises((ModelError, DataError), match="not a regular file"):
            load(path)


@FUZZ
@given(st.lists(st.tuples(st.sampled_from([6, 7, 8, 9]), st.integers(0, 255)), min_size=1, max_size=4))
def test_fuzzed_zip_flags_give_only_documented_errors(tmp_path, flips):
    buf = bytearray(model_bytes())
    at = buf.find(b"PK\x03\x04")
    for offset, value in flips:
        buf[at + offset] = value
    path = tmp_path / "f.npz"
    path.write_bytes(bytes(buf))
    try:
        network = core.load_model(path)
    except ModelError:
        return
    assert network.sizes == (784, 6, 10)


@FUZZ
@given(
    st.sampled_from(["<f4", "<f8", "|u1", "<i8", "<U3", "|S5", "<c8", "|V8", "<M8[s]", "|b1", "<f2", "O"]),
    st.lists(st.integers(0, 5), max_size=3),
)
def test_fuzzed_dtypes_give_only_documented_errors(tmp_path, dtype, shape):
    for name in ("W1", "sizes", "classes", "output"):
        path = tmp_path / "d.npz"
        member = npy_header_only(dtype, tuple(shape)) if dtype == "O" else _npy(dtype, tuple(shape))
        path.write_bytes(with_member(model_bytes(), name, member))
        try:
            network = core.load_model(path)
        except ModelError:
            continue
        assert all(p.dtype in (np.float32, np.float64) for p in network.params.values())


def _npy(dtype, shape):
    out = io.BytesIO()
    np.save(out, np.zeros(shape, dtype))
    return out.getvalue()


def test_peak_memory_stays_bounded_for_every_hostile_file(tmp_path):
    """Each hostile file is opened in a fresh process; the largest resident size is what the README states."""
    paths = []
    for case, (make, _) in HOSTILE.items():
        path = tmp_path / f"{case.replace(' ', '-')}.npz"
        path.write_bytes(make())
        paths.append(str(path))
    code = (
        "import resource, sys\nfrom dnngui import core\n"
        "from dnngui.core.errors import DnnguiError\n"
        "base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss\n"
        "for p in sys.argv[1:]:\n"
        "    try: core.load_model(p)\n"
        "    except DnnguiError: pass\n"
        "print((resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - base) // 1024)\n"
    )
    grown = int(subprocess.run([sys.executable, "-c", code, *paths], capture_output=True, text=True, check=True).stdout)
    assert grown < 64  # MB: nothing was allocated for what the files claimed


def test_a_zip_of_many_members_is_refused_before_its_directory_is_read(tmp_path):
    """Two million members took 1.1 GB and 9 s to be refused: the count is now read from the zip's end record."""
    path = tmp_path / "many.npz"
    path.write_bytes(many_members(300_000))  # 14 MB, under the drawings file's cap
    code = (
        "import resource, sys\nfrom dnngui.core import personal\nfrom dnngui.core.errors import DataError\n"
        "base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss\n"
        "try: personal.load(sys.argv[1])\nexcept DataError as e: print(e)\n"
        "print((resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - base) // 1024)\n"
    )
    result = subprocess.run([sys.executable, "-c", code, str(path)], capture_output=True, text=True, check=True)
    message, grown = result.stdout.strip().splitlines()
    assert message == "many.npz holds more arrays than dnngui reads (256)"
    assert int(grown) < 32  # MB: parsing the 300,000 entries took 87 MB and 3 s
