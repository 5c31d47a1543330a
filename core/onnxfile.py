"""ONNX: a network written as an ONNX graph, and an MLP from ONNX (PyTorch's, say) read as a dnngui network.

The graph dnngui writes (opset OPSET), for m digits at once:

    input  "pixels"         float32 (m, 784)   the network input, one digit a row, in [0, 1]
    Gemm   Z(l) = A(l−1)·W(l)ᵀ + b(l)          W(l) (n_l, n_{l−1}) as dnngui holds it (transB = 1)
    f      Relu, Sigmoid, Tanh, LeakyRelu (alpha 0.01), or swish as Mul(Z, Sigmoid(Z))
    output "probabilities"  float32 (m, classes) Softmax over the classes, or (m, 1) one Sigmoid unit

The classes' labels travel in the metadata ("dnngui.classes"). Reading takes a graph
of fully connected layers (Gemm, or MatMul then Add) with those activations between
them and a Softmax or Sigmoid at the end, on 784 inputs (a Flatten first is allowed);
anything else is refused with one ModelError line naming it. The file's size is
capped before it is parsed, and weights in external data files are refused, never
followed. ONNX is an optional extra: ``pip install "dnngui[onnx]"``.
"""

import os
from pathlib import Path

import numpy as np

from dnngui.core import losses as _losses
from dnngui.core.atomic import write_atomically
from dnngui.core.errors import ModelError
from dnngui.core.modelfile import MAX_BYTES, MAX_LAYERS, MAX_UNITS
from dnngui.core.network import Network
from dnngui.core.npz import check_regular_file

OPSET = 17
INPUT, OUTPUT = "pixels", "probabilities"
INSTALL = 'ONNX needs the onnx package: pip install "dnngui[onnx]"'
_HIDDEN_OPS = {"Relu": "relu", "Sigmoid": "sigmoid", "Tanh": "tanh", "LeakyRelu": "leaky_relu"}
SUPPORTED = (
    "fully connected layers (Gemm, or MatMul + Add) with ReLU, LeakyRelu, Sigmoid, Tanh or swish, "
    "ending in Softmax or Sigmoid"
)


def _onnx():
    try:
        import onnx  # an optional extra, imported only when a feature asks for it
    except ImportError:
        raise ModelError(INSTALL) from None
    return onnx


def available():
    """True if the onnx package is installed."""
    try:
        _onnx()
    except ModelError:
        return False
    return True


def save_onnx(network, path):
    """Write ``network`` as an ONNX graph at ``path`` (the layout in the module's docstring)."""
    onnx = _onnx()
    from onnx import TensorProto, helper, numpy_helper

    nodes, inits = [], []
    previous = INPUT
    for l in range(1, network.depth + 1):
        W = np.asarray(network.params[f"W{l}"], np.float32)
        b = np.asarray(network.params[f"b{l}"], np.float32).reshape(-1)
        inits += [numpy_helper.from_array(W, f"W{l}"), numpy_helper.from_array(b, f"b{l}")]
        nodes.append(helper.make_node("Gemm", [previous, f"W{l}", f"b{l}"], [f"Z{l}"], transB=1, name=f"layer{l}"))
        name = OUTPUT if l == network.depth else f"A{l}"
        act = network.output.name if l == network.depth else network.activation_names[l - 1]
        if act == "softmax":
            nodes.append(helper.make_node("Softmax", [f"Z{l}"], [name], axis=1))
        elif act == "swish":  # f(Z) = Z·σ(Z)
            nodes.append(helper.make_node("Sigmoid", [f"Z{l}"], [f"S{l}"]))
            nodes.append(helper.make_node("Mul", [f"Z{l}", f"S{l}"], [name]))
        elif act == "leaky_relu":
            nodes.append(helper.make_node("LeakyRelu", [f"Z{l}"], [name], alpha=0.01))
        else:
            op = {"relu": "Relu", "sigmoid": "Sigmoid", "tanh": "Tanh"}[act]
            nodes.append(helper.make_node(op, [f"Z{l}"], [name]))
        previous = name
    graph = helper.make_graph(
        nodes,
        "dnngui network",
        [helper.make_tensor_value_info(INPUT, TensorProto.FLOAT, ["m", network.sizes[0]])],
        [helper.make_tensor_value_info(OUTPUT, TensorProto.FLOAT, ["m", network.sizes[-1]])],
        inits,
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", OPSET)], producer_name="dnngui")
    model.doc_string = network.description or ""
    classes = ",".join(str(int(c)) for c in network.classes)
    helper.set_model_props(model, {"dnngui.classes": classes, "dnngui.output": network.output.name})
    onnx.checker.check_model(model)
    write_atomically(Path(path), lambda f: f.write(model.SerializeToString()), ModelError)


def load_onnx(path):
    """The MLP in the ONNX file at ``path`` as a dnngui Network; ModelError (one line) for anything else."""
    path = Path(path)
    name = path.name
    check_regular_file(path, "an ONNX model", ModelError)
    try:
        size = os.path.getsize(path)
    except OSError as e:
        raise ModelError(f"{name}: {e.strerror}") from None
    if size > MAX_BYTES:
        raise ModelError(f"{name} is {size / 2**20:.0f} MiB, more than dnngui loads ({MAX_BYTES // 2**20} MiB)")
    onnx = _onnx()
    try:
        model = onnx.load_model(str(path), load_external_data=False)
    except Exception as e:  # protobuf's own errors name no common base: any failure to parse is a bad file
        raise ModelError(f"{name} is not an ONNX model ({type(e).__name__})") from None
    return _network(model, name)


def _array(init, name):
    from onnx import numpy_helper

    if init.data_location == 1 or init.external_data:  # EXTERNAL: a path to another file, never followed
        raise ModelError(
            f"{name}: weights in external data files are not supported; save it with its weights inside "
            "(torch.onnx.export(..., external_data=False))"
        )
    if np.prod(init.dims, dtype=np.int64) > MAX_BYTES // 4:
        raise ModelError(f"{name}: the weights {init.name!r} are larger than dnngui loads")
    try:
        return numpy_helper.to_array(init).astype(np.float64)
    except Exception as e:
        raise ModelError(f"{name}: the weights {init.name!r} cannot be read ({type(e).__name__})") from None


def _network(model, name):
    graph = model.graph
    inits = {init.name: init for init in graph.initializer}
    constants = {}
    nodes = []
    for node in graph.node:
        if node.op_type == "Constant":  # some exporters give the weights as Constant nodes
            from onnx import numpy_helper

            value = next((a.t for a in node.attribute if a.name == "value"), None)
            if value is None:
                raise ModelError(f"{name}: a Constant without a tensor value is not supported")
            constants[node.output[0]] = numpy_helper.to_array(value).astype(np.float64)
        else:
            nodes.append(node)
    inputs = [i for i in graph.input if i.name not in inits]
    if len(inputs) != 1:
        raise ModelError(f"{name}: the graph must have one input, the digit's pixels, not {len(inputs)}")

    def weights(value):
        if value in constants:
            return constants[value]
        if value in inits:
            return _array(inits[value], name)
        raise ModelError(f"{name}: {value!r} must be a weight array stored in the file")

    Ws, bs, acts = [], [], []
    current = inputs[0].name
    i = 0
    if nodes and nodes[0].op_type == "Flatten":
        current, i = nodes[0].output[0], 1
    while i < len(nodes):
        node = nodes[i]
        if node.op_type == "Gemm":
            attrs = {a.name: a for a in node.attribute}
            if attrs.get("transA") and attrs["transA"].i:
                raise ModelError(f"{name}: a Gemm with transA is not supported")
            alpha = attrs["alpha"].f if "alpha" in attrs else 1.0
            beta = attrs["beta"].f if "beta" in attrs else 1.0
            if node.input[0] != current or len(node.input) < 2:
                raise ModelError(f"{name}: layer {len(Ws) + 1} does not follow the one before it")
            W = weights(node.input[1])
            W = alpha * (W if attrs.get("transB") and attrs["transB"].i else W.T)
            b = beta * weights(node.input[2]) if len(node.input) > 2 and node.input[2] else np.zeros(W.shape[0])
            current, i = node.output[0], i + 1
        elif node.op_type == "MatMul" and i + 1 < len(nodes) and nodes[i + 1].op_type == "Add":
            if node.input[0] != current:
                raise ModelError(f"{name}: layer {len(Ws) + 1} does not follow the one before it")
            W = weights(node.input[1]).T
            add = nodes[i + 1]
            other = [v for v in add.input if v != node.output[0]]
            if len(other) != 1:
                raise ModelError(f"{name}: layer {len(Ws) + 1}'s Add must add a bias")
            b = weights(other[0])
            current, i = add.output[0], i + 2
        else:
            raise ModelError(f"{name}: the operator {node.op_type} is not supported (dnngui opens {SUPPORTED})")
        if W.ndim != 2 or b.size != W.shape[0]:
            raise ModelError(f"{name}: layer {len(Ws) + 1} is not a fully connected layer (W {W.shape}, b {b.shape})")
        Ws.append(W)
        bs.append(b.reshape(-1, 1))
        if i >= len(nodes):
            raise ModelError(f"{name}: the last layer needs a Softmax or Sigmoid output")
        act, current, i = _activation(nodes, i, current, name)
        acts.append(act)
        if current in {o.name for o in graph.output}:
            break
    if i != len(nodes):
        raise ModelError(f"{name}: the graph goes on after its output ({nodes[i].op_type})")
    return _build(model, Ws, bs, acts, name)


def _activation(nodes, i, current, name):
    """(the activation's name, the value it makes, the next node's index) for the node(s) at i."""
    node = nodes[i]
    if node.input[0] != current:
        raise ModelError(f"{name}: an activation does not follow its layer")
    if node.op_type == "Sigmoid" and i + 1 < len(nodes) and nodes[i + 1].op_type == "Mul":
        mul = nodes[i + 1]
        if set(mul.input) == {current, node.output[0]}:
            return "swish", mul.output[0], i + 2
    if node.op_type == "LeakyRelu":
        alpha = next((a.f for a in node.attribute if a.name == "alpha"), 0.01)
        if abs(alpha - 0.01) > 1e-6:
            raise ModelError(f"{name}: LeakyRelu with alpha {alpha:g} is not supported (dnngui's slope is 0.01)")
    if node.op_type == "Softmax":
        axis = next((a.i for a in node.attribute if a.name == "axis"), -1)
        if axis not in (1, -1):
            raise ModelError(f"{name}: a Softmax over axis {axis} is not supported")
        return "softmax", node.output[0], i + 1
    if node.op_type in _HIDDEN_OPS:
        return _HIDDEN_OPS[node.op_type], node.output[0], i + 1
    raise ModelError(f"{name}: the operator {node.op_type} is not supported (dnngui opens {SUPPORTED})")


def _build(model, Ws, bs, acts, name):
    if not Ws:
        raise ModelError(f"{name}: the graph has no fully connected layer")
    if len(Ws) > MAX_LAYERS:
        raise ModelError(f"{name}: more than {MAX_LAYERS} layers")
    sizes = [Ws[0].shape[1]] + [W.shape[0] for W in Ws]
    if sizes[0] != 784:
        raise ModelError(f"{name} takes {sizes[0]} inputs; digits have 784 (28 × 28)")
    if max(sizes) > MAX_UNITS:
        raise ModelError(f"{name}: a layer of more than {MAX_UNITS:,} units")
    for l, W in enumerate(Ws[1:], start=2):
        if W.shape[1] != sizes[l - 1]:
            raise ModelError(f"{name}: layer {l} takes {W.shape[1]} inputs but the layer before gives {sizes[l - 1]}")
    output, hidden = acts[-1], acts[:-1]
    if output not in ("softmax", "sigmoid") or "softmax" in hidden:
        raise ModelError(f"{name}: the last layer must end in Softmax or Sigmoid, and only the last")
    if output == "sigmoid" and sizes[-1] != 1:
        raise ModelError(f"{name}: a Sigmoid output must be one unit (P of the second class), not {sizes[-1]}")
    props = {p.key: p.value for p in model.metadata_props}
    default = "0,1" if output == "sigmoid" else ",".join(map(str, range(sizes[-1])))
    try:
        classes = [int(c) for c in props.get("dnngui.classes", default).split(",")]
    except ValueError:
        raise ModelError(f"{name}: its dnngui.classes are not whole numbers") from None
    n_classes = _losses.get(output).n_classes(sizes[-1])
    if len(classes) != n_classes or len(set(classes)) != len(classes) or not all(0 <= c <= 9 for c in classes):
        raise ModelError(f"{name}: its {n_classes} outputs need {n_classes} distinct digit classes 0–9")
    for P in (*Ws, *bs):
        if not np.isfinite(P).all():
            raise ModelError(f"{name}: it contains NaN or infinite weights")
    params = {}
    for l, (W, b) in enumerate(zip(Ws, bs, strict=True), start=1):
        params[f"W{l}"], params[f"b{l}"] = W.astype(np.float32), b.astype(np.float32)
    network = Network.with_params(sizes, hidden, output, params, classes=classes)
    network.description = model.doc_string or f"opened from {name} (ONNX)"
    return network
