"""Property-based fuzzing of the doors that read files: only the documented errors come out."""

import io
import zipfile

import numpy as np
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from dnngui import core
from dnngui.core import data, personal
from dnngui.core.errors import DataError, ModelError

FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def idx_file(magic, shape, payload):
    return magic.to_bytes(4, "big") + b"".join(n.to_bytes(4, "big") for n in shape) + payload


@pytest.fixture(scope="module")
def valid_model_bytes(tmp_path_factory):
    path = tmp_path_factory.mktemp("m") / "valid.npz"
    core.Network([784, 6, 4, 10], ["relu", "tanh"], "softmax", seed=0).save(path)
    return path.read_bytes()


@pytest.fixture(scope="module")
def valid_idx_bytes():
    images, labels = data.load_bundled()
    return (
        idx_file(0x803, (20, 28, 28), images[:20].tobytes()),
        idx_file(0x801, (20,), labels[:20].tobytes()),
    )


def mutate(raw, flips, cut, insert):
    """Flip some bytes, then cut the file short or insert junk."""
    buf = bytearray(raw)
    for position, value in flips:
        buf[position % len(buf)] ^= value or 1
    if cut:
        buf = buf[: cut % len(buf)]
    if insert:
        at = len(buf) // 2
        buf[at:at] = insert
    return bytes(buf)


mutations = st.tuples(
    st.lists(st.tuples(st.integers(0, 10**6), st.integers(0, 255)), max_size=8),
    st.integers(0, 10**6),
    st.binary(max_size=16),
)


@pytest.mark.parametrize(
    ("load", "error"),
    [(core.load_model, ModelError), (personal.load, DataError), (data.read_digits_npz, DataError)],
)
@FUZZ
@given(raw=st.binary(max_size=3000))
def test_npz_readers_refuse_arbitrary_bytes(tmp_path, load, error, raw):
    path = tmp_path / "fuzz.npz"
    path.write_bytes(raw)
    with pytest.raises(error):
        load(path)


@FUZZ
@given(mutations)
def test_model_loader_mutated_files(tmp_path, valid_model_bytes, mutation):
    path = tmp_path / "fuzz.npz"
    path.write_bytes(mutate(valid_model_bytes, *mutation))
    try:
        network = core.load_model(path)
    except ModelError:
        return
    assert all(np.isfinite(p).all() for p in network.params.values())


def zip_with(arrays_bytes):
    """An archive whose members are raw bytes under .npy names."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        for name, raw in arrays_bytes.items():
            z.writestr(f"{name}.npy", raw)
    return out.getvalue()


@FUZZ
@given(st.dictionaries(st.sampled_from(["sizes", "W1", "b1", "output", "format_version"]), st.binary(max_size=300)))
def test_model_loader_zip_of_junk_members(tmp_path, members):
    path = tmp_path / "fuzz.npz"
    path.write_bytes(zip_with(members))
    with pytest.raises(ModelError):
        core.load_model(path)


@FUZZ
@given(
    st.lists(st.integers(1, 12), min_size=1, max_size=3),
    st.sampled_from(["relu", "tanh", "sigmoid", "leaky_relu", "swish"]),
    st.sampled_from(["softmax", "sigmoid"]),
    st.sampled_from([np.float32, np.float64]),
    st.integers(0, 2**32 - 1),
)
def test_a_valid_model_round_trips_exactly(tmp_path, hidden, activation, output, dtype, seed):
    units = 1 if output == "sigmoid" else 3
    net = core.Network([5, *hidden, units], activation, output, seed=seed, dtype=dtype)
    net.save(tmp_path / "m.npz")
    back = core.load_model(tmp_path / "m.npz")
    assert back.sizes == net.sizes and back.activation_names == net.activation_names
    for k in net.params:
        assert back.params[k].dtype == net.params[k].dtype
        assert np.array_equal(back.params[k], net.params[k])


@FUZZ
@given(st.binary(max_size=2000))
def test_idx_reader_arbitrary_bytes(tmp_path, raw):
    path = tmp_path / "fuzz-idx"
    path.write_bytes(raw)
    for read in (data.read_idx_images, data.read_idx_labels):
        try:
            array = read(path)
        except DataError:
            continue
        assert array.dtype == np.uint8 and (array.ndim == 1 or array.shape[1:] == (28, 28))


@FUZZ
@given(mutations)
def test_idx_reader_mutated_files(tmp_path, valid_idx_bytes, mutation):
    images_raw, labels_raw = valid_idx_bytes
    (tmp_path / "i").write_bytes(mutate(images_raw, *mutation))
    (tmp_path / "l").write_bytes(mutate(labels_raw, *mutation))
    try:
        digits = data.read_idx_pair(tmp_path / "i", tmp_path / "l")
    except DataError:
        return
    assert digits.images.shape[1:] == (28, 28) and len(digits.images) == len(digits.labels)
    assert digits.labels.max() <= 9


@FUZZ
@given(st.integers(1, 40), st.integers(0, 2**32 - 1))
def test_a_valid_idx_pair_round_trips_exactly(tmp_path, n, seed):
    rng = np.random.default_rng(seed)
    images = rng.integers(0, 256, (n, 28, 28), dtype=np.uint8)
    labels = rng.integers(0, 10, n, dtype=np.uint8)
    (tmp_path / "i").write_bytes(idx_file(0x803, (n, 28, 28), images.tobytes()))
    (tmp_path / "l").write_bytes(idx_file(0x801, (n,), labels.tobytes()))
    digits = data.read_idx_pair(tmp_path / "i", tmp_path / "l")
    assert np.array_equal(digits.images, images) and np.array_equal(digits.labels, labels)


@pytest.fixture(scope="module")
def valid_drawings_bytes(tmp_path_factory):
    path = tmp_path_factory.mktemp("d") / "mine.npz"
    strokes = ((2.2, np.array([[8, 6], [20, 6], [12, 23]], np.float32)),)
    digits = personal.add(personal.add(personal.empty(), np.full(784, 0.5), 7, strokes), np.zeros(784), 1)
    personal.save(digits, path)
    return path.read_bytes()


@FUZZ
@given(mutations)
def test_drawings_loader_mutated_files_with_strokes(tmp_path, valid_drawings_bytes, mutation):
    path = tmp_path / "fuzz.npz"
    path.write_bytes(mutate(valid_drawings_bytes, *mutation))
    try:
        digits = personal.load(path)
    except DataError:
        return
    assert len(digits.strokes) == len(digits) and all(
        np.isfinite(points).all() and width > 0 for drawing in digits.strokes for width, points in drawing
    )


stroke_arrays = st.sampled_from(["points", "strokes", "widths", "drawing"])
shapes = st.sampled_from([(), (0,), (1,), (3,), (2, 2), (3, 2), (1, 1, 1)])
dtypes = st.sampled_from([np.float32, np.float64, np.int64, np.uint8, np.bool_])


@FUZZ
@given(stroke_arrays, shapes, dtypes, st.integers(0, 2**32 - 1))
@example("drawing", (3,), np.uint8, 50587234)  # offsets out of order, as unsigned numbers whose differences wrap
def test_drawings_files_with_0d_or_misshaped_stroke_arrays_are_data_errors(
    tmp_path, valid_drawings_bytes, field, shape, dtype, seed
):
    """Arrays of any shape and kind where the stroke arrays belong: a DataError, never a TypeError."""
    source = tmp_path / "valid.npz"
    source.write_bytes(valid_drawings_bytes)
    with np.load(source) as npz:
        arrays = {k: npz[k] for k in npz.files}
    arrays[field] = np.random.default_rng(seed).integers(0, 4, shape).astype(dtype)
    np.savez(tmp_path / "odd.npz", **arrays)
    try:
        digits = personal.load(tmp_path / "odd.npz")
    except DataError:
        return
    assert len(digits.strokes) == len(digits)
