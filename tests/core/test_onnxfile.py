"""ONNX: dnngui networks written as ONNX graphs run in ONNX Runtime as in core; MLPs from ONNX open as networks."""

from pathlib import Path

import numpy as np
import pytest

from dnngui import core
from dnngui.core import data
from dnngui.core.errors import ModelError
from dnngui.core.network import Network

onnx = pytest.importorskip("onnx", reason='the ONNX extra is not installed (pip install "dnngui[onnx]")')
from onnx import TensorProto, helper, numpy_helper  # noqa: E402

from dnngui.core import onnxfile  # noqa: E402

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


@pytest.fixture(scope="module")
def digits():
    val = data.split(data.bundled())[1]
    return data.as_columns(val.images).astype(np.float32) / 255.0, val.labels


@pytest.mark.parametrize("hidden", ["sigmoid", "tanh", "relu", "leaky_relu", "swish"])
@pytest.mark.parametrize("output", ["softmax", "sigmoid"])
def test_onnx_runtime_gives_the_cores_probabilities_for_every_activation_and_output(tmp_path, digits, hidden, output):
    ort = pytest.importorskip("onnxruntime", reason="ONNX Runtime is not installed (a test extra)")
    units = 1 if output == "sigmoid" else 10
    network = Network([784, 32, 16, units], [hidden, hidden], output, seed=1, classes=[0, 1] if units == 1 else None)
    onnxfile.save_onnx(network, tmp_path / "net.onnx")
    X, _ = digits
    session = ort.InferenceSession(str(tmp_path / "net.onnx"), providers=["CPUExecutionProvider"])
    (P,) = session.run(None, {onnxfile.INPUT: np.ascontiguousarray(X.T)})
    expected = network.forward(X).A[-1]  # softmax rows, or the sigmoid unit's P(1)
    np.testing.assert_allclose(P.T, expected, atol=1e-5)


def test_a_written_graph_round_trips_to_the_same_network(tmp_path):
    network = Network([784, 20, 3], ["swish"], "softmax", seed=2, classes=[3, 7, 9])
    network.description = "a 3-7-9 reader"
    onnxfile.save_onnx(network, tmp_path / "n.onnx")
    back = core.load_model(tmp_path / "n.onnx")
    assert back.sizes == network.sizes and back.activation_names == network.activation_names
    assert back.classes.tolist() == [3, 7, 9] and back.description == "a 3-7-9 reader"
    for k in network.params:
        np.testing.assert_array_equal(back.params[k], network.params[k])


def test_a_pytorch_mlp_exported_to_onnx_opens_and_reads_digits(digits):
    """tests/fixtures/torch_mlp.onnx: torch.onnx.export of an nn.Sequential (tests/support/make_torch_onnx.py)."""
    network = core.load_model(FIXTURES / "torch_mlp.onnx")
    assert network.sizes == (784, 64, 10) and network.output.name == "softmax"
    expected = np.load(FIXTURES / "torch_mlp_probabilities.npy")  # PyTorch's own, on the first 50 digits
    X, _ = digits
    np.testing.assert_allclose(network.predict_proba(X[:, :50]), expected, atol=1e-5)


def graph(nodes, inits, inputs=(("x", [1, 784]),), opset=17):
    value_infos = [helper.make_tensor_value_info(n, TensorProto.FLOAT, shape) for n, shape in inputs]
    out = [helper.make_tensor_value_info(nodes[-1].output[0], TensorProto.FLOAT, None)]
    g = helper.make_graph(nodes, "g", value_infos, out, [numpy_helper.from_array(a, n) for n, a in inits.items()])
    return helper.make_model(g, opset_imports=[helper.make_opsetid("", opset)])


def mlp(n_in=784, act="Relu"):
    rng = np.random.default_rng(0)
    inits = {"W": rng.standard_normal((8, n_in)).astype(np.float32), "b": np.zeros(8, np.float32)}
    inits |= {"V": rng.standard_normal((10, 8)).astype(np.float32), "c": np.zeros(10, np.float32)}
    nodes = [
        helper.make_node("Gemm", ["x", "W", "b"], ["z1"], transB=1),
        helper.make_node(act, ["z1"], ["a1"]),
        helper.make_node("Gemm", ["a1", "V", "c"], ["z2"], transB=1),
        helper.make_node("Softmax", ["z2"], ["p"], axis=1),
    ]
    return graph(nodes, inits, inputs=(("x", [1, n_in]),))


def test_matmul_then_add_layers_open_as_gemm_layers_do(tmp_path):
    rng = np.random.default_rng(4)
    W, b = rng.standard_normal((784, 6)).astype(np.float32), rng.standard_normal(6).astype(np.float32)
    nodes = [
        helper.make_node("MatMul", ["x", "W"], ["m"]),
        helper.make_node("Add", ["m", "b"], ["z"]),
        helper.make_node("Softmax", ["z"], ["p"], axis=1),
    ]
    onnx.save(graph(nodes, {"W": W, "b": b}), tmp_path / "mm.onnx")
    network = core.load_model(tmp_path / "mm.onnx")
    np.testing.assert_array_equal(network.params["W1"], W.T)


@pytest.mark.parametrize(
    ("make", "words"),
    [
        (lambda: mlp(n_in=100), "takes 100 inputs"),
        (lambda: mlp(act="Elu"), "the operator Elu is not supported"),
        (
            lambda: graph(
                [helper.make_node("Conv", ["x", "W"], ["y"])], {"W": np.zeros((1, 1, 3, 3), np.float32)}, (("x", None),)
            ),
            "the operator Conv is not supported",
        ),
    ],
    ids=["other input size", "unknown operator", "a convolution"],
)
def test_what_is_not_an_mlp_of_784_inputs_is_refused_in_one_line(tmp_path, make, words):
    onnx.save(make(), tmp_path / "bad.onnx")
    with pytest.raises(ModelError, match=words) as caught:
        core.load_model(tmp_path / "bad.onnx")
    assert "\n" not in str(caught.value) and "bad.onnx" in str(caught.value)


def test_weights_in_an_external_file_are_refused_and_the_path_never_followed(tmp_path):
    onnx.save(mlp(), tmp_path / "ext.onnx", save_as_external_data=True, location="weights.bin", size_threshold=0)
    (tmp_path / "weights.bin").unlink()  # were it followed, its absence would show as another error
    with pytest.raises(ModelError, match="external data files are not supported"):
        core.load_model(tmp_path / "ext.onnx")


def test_junk_a_truncated_file_and_one_over_the_cap_are_one_line(tmp_path, monkeypatch):
    (tmp_path / "junk.onnx").write_bytes(b"\x08\x07garbage" * 50)
    onnx.save(mlp(), tmp_path / "ok.onnx")
    (tmp_path / "cut.onnx").write_bytes((tmp_path / "ok.onnx").read_bytes()[:3000])
    for bad in ("junk.onnx", "cut.onnx"):
        with pytest.raises(ModelError, match=bad):
            core.load_model(tmp_path / bad)
    monkeypatch.setattr(onnxfile, "MAX_BYTES", 1000)
    with pytest.raises(ModelError, match="more than dnngui loads"):
        core.load_model(tmp_path / "ok.onnx")


@pytest.mark.parametrize("seed", range(40))
def test_fuzzed_onnx_files_give_only_model_errors(tmp_path, seed):
    onnx.save(mlp(), tmp_path / "ok.onnx")
    raw = bytearray((tmp_path / "ok.onnx").read_bytes())
    rng = np.random.default_rng(seed)
    for at in rng.integers(0, len(raw), 1 + seed % 8):
        raw[at] = rng.integers(0, 256)
    (tmp_path / "fuzz.onnx").write_bytes(bytes(raw))
    try:
        network = core.load_model(tmp_path / "fuzz.onnx")
    except ModelError:
        return
    assert network.sizes[0] == 784 and all(np.isfinite(p).all() for p in network.params.values())
