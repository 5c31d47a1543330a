"""Export as code: the network as a standalone NumPy script that reads digits as the app does."""

import ast
import re
import subprocess
import sys

import numpy as np
import pytest

from dnngui import core
from dnngui.core import data
from dnngui.core.network import Network
from dnngui.core.resources import shipped_model_path
from tests.support.commands import run

PROBE = """
import json, runpy, sys
import numpy as np
m = runpy.run_path(sys.argv[1])
with np.load(sys.argv[2]) as w:
    params = {k: w[k] for k in w.files if k != "classes"}
X_train, y_train, X_val, y_val = m["load_digits"]()
X_val, y_val = m["of_classes"](X_val, y_val)
np.save(sys.argv[3], m["probabilities"](params, X_val))
"""


def export(tmp_path, model, digits=True):
    args = ["export", "--model", str(model), "--script", str(tmp_path / "net.py")]
    status, _, err = run(*args, *(["--digits"] if digits else []))
    assert status == 0, err
    return tmp_path / "net.py"


def script_probabilities(tmp_path, script):
    probe = [sys.executable, "-c", PROBE, str(script), str(tmp_path / "net.weights.npz"), str(tmp_path / "p.npy")]
    subprocess.run(probe, check=True, capture_output=True, cwd=tmp_path, timeout=120)
    return np.load(tmp_path / "p.npy")


def test_the_script_reads_the_validation_digits_as_the_app_does(tmp_path):
    script = export(tmp_path, shipped_model_path("digits"))
    result = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, cwd=tmp_path, timeout=120)
    assert result.returncode == 0, result.stderr
    network = core.load_model(shipped_model_path("digits"))
    val = data.split(data.bundled())[1]
    app = network.evaluate(data.as_columns(val.images), val.labels)[1]
    assert f"accuracy on 1000 validation digits: {app:.4f}" in result.stdout
    P, Q = script_probabilities(tmp_path, script), network.predict_proba(data.as_columns(val.images))
    # the same float32 operations, summed in another order here and there: within float32's rounding
    assert np.array_equal(P.argmax(axis=0), Q.argmax(axis=0)) and np.abs(P - Q).max() < 1e-5


@pytest.mark.parametrize("hidden", ["sigmoid", "tanh", "relu", "leaky_relu", "swish"])
@pytest.mark.parametrize("output", ["softmax", "sigmoid"])
def test_every_activation_and_output_gives_the_cores_probabilities(tmp_path, hidden, output):
    classes = [0, 1] if output == "sigmoid" else list(range(10))
    network = Network(
        [784, 24, 12, 1 if output == "sigmoid" else 10], [hidden, hidden], output, seed=3, classes=classes
    )
    network.save(tmp_path / "m.npz")
    P = script_probabilities(tmp_path, export(tmp_path, tmp_path / "m.npz"))
    val = data.split(data.bundled())[1]
    X = data.as_columns(val.images[np.isin(val.labels, classes)])
    np.testing.assert_allclose(P, network.predict_proba(X), atol=1e-6)


def test_the_script_needs_numpy_alone_and_opens_as_a_notebook(tmp_path):
    script = export(tmp_path, shipped_model_path("zero-one"), digits=False)
    text = script.read_text()
    tree = ast.parse(text)
    imported = {a.name.split(".")[0] for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
    imported |= {n.module.split(".")[0] for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)}
    assert imported <= {"numpy", "sys", "pathlib", "json", "matplotlib"}  # matplotlib only if it is there
    assert text.count("# %%") >= 6 and "dW = dZ·A_prevᵀ / m" in text and "dZ(L) = A(L) − Y" in text
    assert "zero-one.npz" in text.splitlines()[0] and "dnngui train" in text  # which model and run
    assert 'OUTPUT = "sigmoid"' in text and "SIZES = [784, 64, 32, 1]" in text
    result = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, cwd=tmp_path, timeout=60)
    assert result.returncode == 1 and "net.digits.npz is missing" in result.stderr  # said, not a traceback


def test_train_for_one_epoch_lowers_the_cost(tmp_path):
    network = Network([784, 16, 10], ["relu"], "softmax", seed=0)
    network.description = "dnngui train --optimizer adam --lr 0.003 --batch-size 256 --epochs 1 --seed 1 --out m.npz"
    network.save(tmp_path / "m.npz", description=network.description)
    script = export(tmp_path, tmp_path / "m.npz")
    assert "LR, BATCH_SIZE" in script.read_text() and '"adam", 0.003, 256, 1' in script.read_text()
    result = subprocess.run(
        [sys.executable, str(script), "--train"], capture_output=True, text=True, cwd=tmp_path, timeout=120
    )
    assert result.returncode == 0, result.stderr
    first, last = map(float, re.search(r"first batch ([\d.]+), of the last ([\d.]+)", result.stdout).groups())
    assert last < 0.7 * first


def test_a_network_of_other_inputs_and_a_script_name_that_is_not_python_are_refused(tmp_path):
    Network([100, 8, 10], ["relu"], "softmax", seed=0).save(tmp_path / "small.npz")
    status, _, err = run("export", "--model", str(tmp_path / "small.npz"), "--script", str(tmp_path / "s.py"))
    assert status == 2 and "takes 100 inputs" in err and not (tmp_path / "s.py").exists()
    status, _, err = run("export", "--model", str(shipped_model_path("digits")), "--script", str(tmp_path / "s.txt"))
    assert status == 2 and "ending in .py" in err


def test_export_onnx_from_the_command_line_writes_a_graph_that_opens_again(tmp_path):
    pytest.importorskip("onnx", reason='the ONNX extra is not installed (pip install "dnngui[onnx]")')
    args = ("export", "--model", str(shipped_model_path("zero-one")), "--onnx", str(tmp_path / "z.onnx"))
    status, out, err = run(*args)
    assert status == 0, err
    assert "opset 17" in out and "'pixels'" in out
    back = core.load_model(tmp_path / "z.onnx")
    assert back.sizes == (784, 64, 32, 1) and back.output.name == "sigmoid" and back.classes.tolist() == [0, 1]
    status, _, err = run("evaluate", "--model", str(tmp_path / "z.onnx"))  # --model of every command takes it
    assert status == 0, err
    status, _, err = run("export", "--model", str(shipped_model_path("zero-one")))
    assert status == 2 and "--script" in err and "--onnx" in err
