"""How healthy training is, layer by layer, from what backprop already computes.

The diagnostics that show the classic failures of backprop:

- **vanishing gradients** (deep sigmoid networks): the RMS of dW(l) falls layer by
  layer towards the input, a fan of lines on a log axis;
- **steps too large or too small**: the update-to-weight ratio ‖ΔW(l)‖/‖W(l)‖ of one
  step, healthy near 1e-3;
- **dead ReLUs** (a unit never active on a validation batch) and **saturated**
  sigmoid or tanh units (|f′(Z)| < 0.01 on every digit of the batch): units that
  no longer learn, because f′ is zero or nearly so for every input;
- histograms of W(l), dW(l) and A(l).

Per-step figures (:class:`StepHealth`) cost one pass over the gradients and the
weights; the per-epoch ones (:class:`EpochHealth`) a forward and backward pass
over one validation batch. Both are plain data.
"""

from dataclasses import dataclass

import numpy as np

from dnngui.core.network import WORKSPACE_BUDGET, as_input

SATURATED = 0.01  # |f′(Z)| below this on every digit: the unit passes almost no gradient back
HEALTHY_UPDATE_RATIO = 1e-3  # the rule of thumb: each step moves the weights by about a thousandth
BINS = 40
BATCH = 512  # validation digits looked at for the per-epoch figures


@dataclass(frozen=True)
class StepHealth:
    """One training step, per layer l = 1 … L (index l − 1): RMS of dW(l) and of W(l), and ‖ΔW(l)‖/‖W(l)‖."""

    grad_rms: tuple
    weight_rms: tuple
    update_ratio: tuple


@dataclass(frozen=True)
class Histogram:
    counts: np.ndarray  # (BINS,)
    edges: np.ndarray  # (BINS + 1,)


@dataclass(frozen=True)
class EpochHealth:
    """Per hidden layer l = 1 … L − 1: the share of units dead and saturated (NaN where the
    activation cannot be: a sigmoid is never dead, a ReLU never saturated); per layer l = 1 … L:
    histograms of W(l), dW(l) and A(l); and the RMS of dW(l) on the batch."""

    dead: tuple
    saturated: tuple
    weights: tuple
    grads: tuple
    activations: tuple
    grad_rms: tuple


def rms(a):
    """Root mean square, as one dot product in the array's own precision (no copy)."""
    flat = np.ascontiguousarray(a).reshape(-1)
    return float(np.sqrt(max(float(np.dot(flat, flat)), 0.0) / max(flat.size, 1)))


def weight_copies(network):
    """W(l) of every layer, copied: what :func:`step_health` compares the step's result with."""
    return [network.params[f"W{l}"].copy() for l in range(1, network.depth + 1)]


def gradient_rms(network, grads):
    """RMS of dW(l) per layer."""
    return tuple(rms(grads[f"W{l}"]) for l in range(1, network.depth + 1))


def step_health(network, grad_rms, before):
    """A StepHealth from the gradients' RMS (taken before the step) and W(l) before the step."""
    weight_rms, ratios = [], []
    for l, old in enumerate(before, start=1):
        W = network.params[f"W{l}"]
        size = rms(W)
        weight_rms.append(size)
        change = rms(np.subtract(W, old, out=old))  # the copy is not needed any more
        ratios.append(change / size if size > 0 else float("inf"))
    return StepHealth(tuple(grad_rms), tuple(weight_rms), tuple(ratios))


def histogram(values, bins=BINS):
    """BINS equal bins from the smallest to the largest finite value, counted in the values' own precision:
    a third of np.histogram's time on W1's 200,000 weights, which the per-epoch figures take nine times."""
    values = np.asarray(values).reshape(-1)
    if values.dtype.kind != "f":
        values = values.astype(np.float64)
    low, high = (float(values.min()), float(values.max())) if values.size else (0.0, 0.0)
    if not (np.isfinite(low) and np.isfinite(high)):
        values = values[np.isfinite(values)]
        low, high = (float(values.min()), float(values.max())) if values.size else (0.0, 0.0)
    if values.size == 0:
        values = np.zeros(1)
    if high <= low:  # one value: a bin around it, wide enough to stay a bin at 3e38
        half = max(0.5, abs(low) * 1e-6)
        low, high = low - half, high + half
    dtype = values.dtype.type
    index = ((values - dtype(low)) * dtype(bins / (high - low))).astype(np.intp)
    np.clip(index, 0, bins - 1, out=index)
    return Histogram(np.bincount(index, minlength=bins), np.linspace(low, high, bins + 1))


def batch_for(network, wanted=BATCH):
    """How many digits a check of ``network`` looks at: ``wanted``, or fewer where a forward and
    backward pass over them would not fit the network's workspace budget."""
    return max(1, min(wanted, network.columns_within(WORKSPACE_BUDGET // 2)))  # the backward pass: as much again


def epoch_health(network, X, Y):
    """An EpochHealth from one forward and backward pass over (X, Y): a validation batch (its first
    :func:`batch_for` columns)."""
    keep = batch_for(network, X.shape[1])
    X, Y = X[:, :keep], np.asarray(Y)[:, :keep]
    X = as_input(X, network.dtype)
    ws = network.workspace(X.shape[1])  # the network's own arrays: nothing copied, no dX
    with np.errstate(over="ignore", invalid="ignore"):  # weights of 3e38: figures of inf and NaN, not warnings
        network.forward_into(X, ws)
        network.backward_into(np.asarray(Y, network.dtype), ws)
    L = network.depth
    dead, saturated = [], []
    for l in range(1, L):
        f = network.activations[l - 1]
        Z, A = ws.Z[l], ws.A[l]
        derivative = np.abs(f.derivative(Z, A))
        if f.name in ("relu",):
            dead.append(float(np.mean(np.all(A <= 0, axis=1))))
        else:
            dead.append(float("nan"))
        if f.name in ("sigmoid", "tanh"):
            saturated.append(float(np.mean(np.all(derivative < SATURATED, axis=1))))
        else:
            saturated.append(float("nan"))
    return EpochHealth(
        dead=tuple(dead),
        saturated=tuple(saturated),
        weights=tuple(histogram(network.params[f"W{l}"]) for l in range(1, L + 1)),
        grads=tuple(histogram(ws.grads[f"W{l}"]) for l in range(1, L + 1)),
        activations=tuple(histogram(ws.A[l]) for l in range(1, L + 1)),
        grad_rms=gradient_rms(network, ws.grads),
    )


VANISHING = 100.0  # the last layer's gradient RMS this many times the first's, growing layer by layer
DEAD = 0.5  # a layer with this share of its ReLUs dead: its gradient is small because they are


def diagnosis(grad_rms, dead=(), saturated=()):
    """One sentence on a network's gradient flow and units, naming a fault only where the figures show one.

    grad_rms: the RMS of dW(l) for l = 1 … L. Vanishing (or exploding) gradients: the RMS grows (shrinks)
    from each layer to the next and the ends differ VANISHING times; a smaller difference is said as a
    fact, with no diagnosis (a healthy ReLU network's first layer often gets a tenth of the last's).
    Dead units are named as dead units, and then the small gradients are put down to them.
    """
    rms = np.asarray(grad_rms, float)
    if not np.isfinite(rms).all():
        return ": the gradients are not finite numbers: the outputs overflow (the weights are far too large)."
    text = f": RMS of dW1 {rms[0]:.2g}, of dW{len(rms)} {rms[-1]:.2g}"
    deadest = max(((s, l) for l, s in enumerate(dead, start=1) if np.isfinite(s) and s > 0), default=None)
    if len(rms) >= 2 and rms[0] > 0 and rms[-1] > 0:
        ratio = rms[-1] / rms[0]
        steps = np.diff(np.log(rms))
        if deadest is not None and deadest[0] >= DEAD:
            text += f". {deadest[0]:.0%} of layer {deadest[1]}'s units are dead (no digit switches them on)"
            text += ": they pass no gradient back, so the layers before them hardly learn."
            deadest = None
        elif ratio >= VANISHING and (steps > 0).all():
            text += f": the first layer's gradient is {ratio:,.0f} times smaller than the last's (vanishing gradients)."
        elif ratio <= 1 / VANISHING and (steps < 0).all():
            text += (
                f": the first layer's gradient is {1 / ratio:,.0f} times larger than the last's (exploding gradients)."
            )
        elif ratio >= 10 or ratio <= 0.1:
            text += f"; the last layer's is {ratio:.2g} times the first's."
        else:
            text += ": gradients of similar size in every layer."
    else:
        text += "."
    if deadest is not None:
        text += f" {deadest[0]:.0%} of layer {deadest[1]}'s units are dead."
    worst = max(((s, l) for l, s in enumerate(saturated, start=1) if np.isfinite(s) and s > 0), default=None)
    if worst is not None:
        text += f" {worst[0]:.0%} of layer {worst[1]}'s units are saturated."
    return text
