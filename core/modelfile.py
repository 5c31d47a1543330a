"""Model files: a network saved as an .npz archive, and read back with every check.

Layout (format version 1), all plain arrays, no pickles:

    format_version  int64 ()            1
    sizes           int64 (L+1,)        layer widths n_0 … n_L
    activations     str   (L−1,)        hidden activations
    output          str   ()            "sigmoid" or "softmax"
    classes         int64 (C,)          the label of each class
    W1, b1, …       float (n_l, n_{l−1}), (n_l, 1)
    description     str   ()            optional: how the model was made

Anything else about a file that is not such a model raises ModelError with a
message naming the file and the problem (core.npz reads the archive safely).
"""

from pathlib import Path

import numpy as np

from dnngui.core import activations as _activations
from dnngui.core import losses as _losses
from dnngui.core.atomic import write_atomically
from dnngui.core.errors import ModelError
from dnngui.core.network import Network
from dnngui.core.npz import read_npz

FORMAT_VERSION = 1
MAX_UNITS = 100_000
MAX_LAYERS = 64
MAX_BYTES = 512 * 2**20  # the arrays of a model file; the app's largest network (8 × 4096) is 480 MB in float32
MAX_PARAMS = MAX_BYTES // 4
_REQUIRED = ("format_version", "sizes", "activations", "output", "classes")


def save_model(network, path, description=""):
    """Write ``network`` to ``path`` atomically: a crash never leaves half a file.

    The archive is written to a temporary file in the same folder, flushed to
    disk, then renamed over ``path``. On failure the old file is untouched and
    ModelError says why.
    """
    path = Path(path)
    arrays = {
        "format_version": np.array(FORMAT_VERSION, np.int64),
        "sizes": np.array(network.sizes, np.int64),
        "activations": np.array(network.activation_names, dtype=str).reshape(-1),
        "output": np.array(network.output.name),
        "classes": np.asarray(network.classes, np.int64),
        "description": np.array(description or network.description),
        **network.params,
    }
    write_atomically(path, lambda f: np.savez(f, **arrays), ModelError)


def _read_arrays(path):
    return read_npz(path, _REQUIRED, "a model file", ModelError, MAX_BYTES)


def _scalar_string(arrays, key, name):
    value = arrays[key]
    if value.dtype.kind != "U" or value.ndim != 0:
        raise ModelError(f"{name}: {key!r} must be a text value")
    return str(value)


def _check_layout(arrays, name):
    """Return (sizes, activations, output, classes) after checking they describe a network."""
    version = arrays["format_version"]
    if version.dtype.kind not in "iu" or version.ndim != 0:
        raise ModelError(f"{name}: format_version must be a whole number")
    if int(version) != FORMAT_VERSION:
        raise ModelError(f"{name} has format version {int(version)}; this dnngui reads version {FORMAT_VERSION}")
    sizes = arrays["sizes"]
    if sizes.dtype.kind not in "iu" or sizes.ndim != 1 or not 2 <= sizes.size <= MAX_LAYERS + 1:
        raise ModelError(f"{name}: sizes must list 2 to {MAX_LAYERS + 1} layer widths")
    if sizes.min() < 1 or sizes.max() > MAX_UNITS:
        raise ModelError(f"{name}: layer widths must be between 1 and {MAX_UNITS:,}, got {sizes.tolist()}")
    sizes = [int(n) for n in sizes]
    acts = arrays["activations"]
    if acts.ndim != 1 or (acts.size and acts.dtype.kind != "U"):
        raise ModelError(f"{name}: activations must be a list of names")
    acts = [str(a) for a in acts]
    if len(acts) != len(sizes) - 2:
        raise ModelError(f"{name}: {len(sizes) - 2} hidden layers but {len(acts)} activations")
    unknown = [a for a in acts if a not in _activations.ACTIVATIONS]
    if unknown:
        raise ModelError(f"{name}: unknown activation {unknown[0]!r}")
    output = _scalar_string(arrays, "output", name)
    if output not in _losses.OUTPUTS:
        raise ModelError(f"{name}: unknown output {output!r}")
    if output == "sigmoid" and sizes[-1] != 1:
        raise ModelError(f"{name}: a sigmoid output has 1 unit, not {sizes[-1]}")
    classes = arrays["classes"]
    n_classes = _losses.get(output).n_classes(sizes[-1])
    if classes.dtype.kind not in "iu" or classes.shape != (n_classes,):
        raise ModelError(f"{name}: classes must be {n_classes} whole numbers")
    if classes.min() < 0 or classes.max() > 9 or len(set(classes.tolist())) != n_classes:
        raise ModelError(f"{name}: classes must be {n_classes} different digits 0–9, got {classes.tolist()[:12]}")
    n_params = sum(a * b + a for a, b in zip(sizes[1:], sizes[:-1], strict=True))
    if n_params > MAX_PARAMS:
        raise ModelError(f"{name}: its layers need {n_params:,} weights, more than dnngui loads ({MAX_PARAMS:,})")
    return sizes, acts, output, classes.astype(np.int64)


def load_model(path):
    """The network saved at ``path`` (a dnngui .npz, or an MLP in an .onnx file: core.onnxfile);
    ModelError (one line, naming the problem) otherwise."""
    name = Path(path).name
    if name.lower().endswith(".onnx"):
        from dnngui.core.onnxfile import load_onnx  # it imports this module for its caps

        return load_onnx(path)
    arrays = _read_arrays(path)
    sizes, acts, output, classes = _check_layout(arrays, name)
    params = {}
    dtype = None
    for l in range(1, len(sizes)):
        for key, shape in ((f"W{l}", (sizes[l], sizes[l - 1])), (f"b{l}", (sizes[l], 1))):
            if key not in arrays:
                raise ModelError(f"{name}: missing weights {key}")
            P = arrays[key]
            if P.dtype not in (np.float32, np.float64):
                raise ModelError(f"{name}: {key} must be float32 or float64, not {P.dtype}")
            if P.shape != shape:
                raise ModelError(f"{name}: {key} has shape {P.shape}, but the layer sizes need {shape}")
            if not np.isfinite(P).all():
                raise ModelError(f"{name}: {key} contains NaN or infinite weights")
            dtype = dtype or P.dtype
            params[key] = P
    network = Network.with_params(sizes, acts, output, params, classes=classes)
    if "description" in arrays and arrays["description"].dtype.kind == "U":
        network.description = str(arrays["description"])
    return network
