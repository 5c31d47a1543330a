import io
import os
import zipfile

import numpy as np
import pytest

from dnngui import core
from dnngui.core.modelfile import MAX_PARAMS


@pytest.fixture
def net():
    return core.Network([6, 5, 4, 3], ["tanh", "swish"], "softmax", seed=2, classes=[7, 8, 9])


@pytest.fixture
def saved(net, tmp_path):
    path = tmp_path / "model.npz"
    net.save(path, description="made by a test")
    return path


def arrays_of(path):
    with np.load(path, allow_pickle=False) as npz:
        return {k: npz[k] for k in npz.files}


def write(path, arrays):
    np.savez(path, **arrays)
    return path


def test_round_trip_keeps_everything(net, saved):
    loaded = core.load_model(saved)
    assert loaded.sizes == net.sizes
    assert loaded.activation_names == ["tanh", "swish"]
    assert loaded.output.name == "softmax"
    assert loaded.classes.tolist() == [7, 8, 9]
    assert loaded.description == "made by a test"
    for k in net.params:
        assert np.array_equal(loaded.params[k], net.params[k])
        assert loaded.params[k].dtype == np.float32
    X = np.random.default_rng(0).random((6, 4))
    assert np.array_equal(loaded.predict(X), net.predict(X))


def test_sigmoid_model_round_trips(tmp_path):
    net = core.Network([4, 3, 1], "relu", "sigmoid", seed=0)
    net.save(tmp_path / "z.npz")
    assert core.load_model(tmp_path / "z.npz").output.name == "sigmoid"


def test_save_replaces_atomically_and_leaves_no_temporary_files(net, saved):
    net.params["W1"][:] = 0
    net.save(saved)
    assert np.all(core.load_model(saved).params["W1"] == 0)
    assert sorted(os.listdir(saved.parent)) == ["model.npz"]


def test_failed_save_keeps_the_old_file(net, saved, monkeypatch):
    before = saved.read_bytes()

    def broken_savez(f, **arrays):
        f.write(b"half a file")
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(np, "savez", broken_savez)
    with pytest.raises(core.ModelError, match="No space left"):
        net.save(saved)
    assert saved.read_bytes() == before
    assert sorted(os.listdir(saved.parent)) == ["model.npz"]


def mutate(arrays, **changes):
    out = dict(arrays)
    for k, v in changes.items():
        if v is None:
            out.pop(k)
        else:
            out[k] = v
    return out


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"W2": None}, "missing weights W2"),
        ({"sizes": None}, "missing sizes"),
        ({"format_version": np.array(2)}, "format version 2"),
        ({"W2": np.zeros((4, 4), np.float32)}, r"W2 has shape \(4, 4\)"),
        ({"sizes": np.array([6, 5, 9, 3])}, "shape"),
        ({"W1": np.full((5, 6), np.nan, np.float32)}, "NaN or infinite"),
        ({"b3": np.full((3, 1), np.inf, np.float32)}, "NaN or infinite"),
        ({"W1": np.zeros((5, 6), np.int32)}, "float32 or float64"),
        ({"activations": np.array(["tanh", "gelu"])}, "unknown activation 'gelu'"),
        ({"activations": np.array(["tanh"])}, "2 hidden layers but 1 activations"),
        ({"output": np.array("linear")}, "unknown output"),
        ({"sizes": np.array([6, 10**9, 4, 3])}, "layer widths"),
        ({"classes": np.array([1, 2])}, "classes"),
    ],
)
def test_broken_models_raise_one_clear_error(saved, tmp_path, changes, message):
    bad = write(tmp_path / "bad.npz", mutate(arrays_of(saved), **changes))
    with pytest.raises(core.ModelError, match=message) as info:
        core.load_model(bad)
    assert "\n" not in str(info.value)


def test_a_pickle_inside_is_never_loaded(saved, tmp_path):
    arrays = mutate(arrays_of(saved), W1=np.array([{"evil": 1}], dtype=object))
    bad = write(tmp_path / "pickle.npz", arrays)
    with pytest.raises(core.ModelError, match="Python objects"):
        core.load_model(bad)


@pytest.mark.parametrize(
    ("content", "message"),
    [(b"", "not a model file"), (b"hello world", "not a model file"), (b"PK\x03\x04broken", "not a model file")],
)
def test_files_that_are_not_archives(tmp_path, content, message):
    path = tmp_path / "x.npz"
    path.write_bytes(content)
    with pytest.raises(core.ModelError, match=message):
        core.load_model(path)


def test_truncated_file(saved):
    saved.write_bytes(saved.read_bytes()[:-200])
    with pytest.raises(core.ModelError):
        core.load_model(saved)


def test_missing_file_and_folder(tmp_path):
    with pytest.raises(core.ModelError, match="no such file"):
        core.load_model(tmp_path / "nope.npz")
    with pytest.raises(core.ModelError):
        core.load_model(tmp_path)


def test_a_header_claiming_a_huge_array_is_refused_without_allocating(tmp_path):
    header = io.BytesIO()
    np.lib.format.write_array_header_1_0(header, {"descr": "<f4", "fortran_order": False, "shape": (10**9, 784)})
    path = tmp_path / "huge.npz"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("W1.npy", header.getvalue() + b"\0" * 64)
    with pytest.raises(core.ModelError, match="more than dnngui reads"):
        core.load_model(path)
    assert MAX_PARAMS < 10**9 * 784
