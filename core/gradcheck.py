"""Gradient check: backpropagation's gradients against finite differences.

For each parameter entry θ, the centred difference

    ∂J/∂θ ≈ (J(θ + ε) − J(θ − ε)) / 2ε

is compared with the analytic gradient, in float64. The relative error per
parameter array is ‖num − ana‖ / (‖num‖ + ‖ana‖): about 1e-9 when backprop is
right, near 1 when it is wrong.
"""

import numpy as np

from dnngui.core.errors import ModelError
from dnngui.core.network import WORKSPACE_BUDGET


def samples_for(network, wanted):
    """How many digits to check ``network`` on: ``wanted``, or fewer where a float64 forward and
    backward pass over them would not fit the network's workspace budget."""
    return max(1, min(wanted, network.columns_within(WORKSPACE_BUDGET // 4)))  # float64, and backward too


def check_computable(network, X, Y):
    """ModelError unless ``network`` computes a finite cost on (X, Y) in its own precision: with weights
    of 3e38 every output overflows, and the check would call every gradient wrong ("CHECK")."""
    with np.errstate(over="ignore", invalid="ignore"):
        finite = np.isfinite(network.cost(X, Y)) and np.isfinite(network.predict_proba(X)).all()
    if not finite:
        raise ModelError(
            "the model's outputs overflow float32 on these digits (its weights are too large), "
            "so there is no gradient to check"
        )


def gradient_check(network, X, Y, *, eps=1e-6, max_entries=None, seed=0, should_stop=None):
    """{name: relative error} for every array of ``network.params``.

    X: (n_0, m), Y: targets shaped like the output. The network is copied to
    float64 and left untouched. ``max_entries`` checks that many randomly chosen
    entries per array (drawn from ``seed``) instead of all, for big networks.
    ``should_stop``: optional callable polled between entries; when it returns
    True the check ends early with the arrays finished so far.
    """
    keep = samples_for(network, np.shape(X)[1])
    net = network.copy(dtype=np.float64)
    X, Y = np.asarray(X)[:, :keep], np.asarray(Y)[:, :keep]
    X = X / 255.0 if X.dtype == np.uint8 else X.astype(np.float64)
    Y = np.asarray(Y, np.float64)
    analytic = net.gradients(X, Y)
    rng = np.random.default_rng(seed)
    errors = {}
    for name, P in net.params.items():
        flat = P.reshape(-1)  # a view: changing it changes the network
        entries = np.arange(flat.size)
        if max_entries is not None and flat.size > max_entries:
            entries = rng.choice(flat.size, size=max_entries, replace=False)
        numeric = np.empty(entries.size)
        for k, i in enumerate(entries):
            if should_stop is not None and should_stop():
                return errors
            original = flat[i]
            flat[i] = original + eps
            cost_plus = net.cost(X, Y)
            flat[i] = original - eps
            cost_minus = net.cost(X, Y)
            flat[i] = original
            numeric[k] = (cost_plus - cost_minus) / (2 * eps)
        exact = analytic[name].reshape(-1)[entries]
        scale = np.linalg.norm(numeric) + np.linalg.norm(exact)
        errors[name] = float(np.linalg.norm(numeric - exact) / scale) if scale > 0 else 0.0
    return errors
