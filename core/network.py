"""The article's fully connected network: forward and backward propagation.

Layers are numbered as in the article, l = 1 … L, with A0 = X::

    Z(l) = W(l)·A(l−1) + b(l)        W(l): (n_l, n_{l−1}),  b(l): (n_l, 1)
    A(l) = f_l(Z(l))                 hidden f_l from core.activations
    A(L) = g(Z(L))                   sigmoid or softmax, from core.losses

and the backward pass, for a batch of m columns::

    dZ(L) = A(L) − Y
    dW(l) = dZ(l)·A(l−1)ᵀ / m
    db(l) = Σ_columns dZ(l) / m
    dZ(l−1) = (W(l)ᵀ·dZ(l)) ⊙ f'_{l−1}(Z(l−1))
"""

from dataclasses import dataclass

import numpy as np

from dnngui.core import activations as _activations
from dnngui.core import losses as _losses
from dnngui.core.shapes import PIXELS

DEFAULT_SIZES = (PIXELS, 256, 128, 10)
WORKSPACE_BUDGET = 64 * 2**20  # bytes of Z and A that reading a batch may take: the batch is cut to fit


def as_input(X, dtype=np.float32):
    """X as the network reads it: float in [0, 1]. uint8 pixels (0–255) are scaled by 1/255."""
    X = np.asarray(X)
    if X.dtype == np.uint8:
        return np.multiply(X, 1.0 / 255.0, dtype=dtype)
    return X.astype(dtype, copy=False)


@dataclass(frozen=True)
class Forward:
    """Every layer's Z and A for one forward pass, indexed by the article's layer number.

    ``A[0]`` is X; ``Z[0]`` is None. ``A[-1]`` is the output A(L).
    """

    Z: list
    A: list


@dataclass(frozen=True)
class Backprop:
    """One forward and backward pass: Z[l], A[l] (A[0] = X), dZ[l] for l = 1 … L, the gradients
    dW(l), db(l) keyed like ``params``, and dX = ∂J/∂X. Each dZ already carries the 1/m."""

    Z: list
    A: list
    dZ: list
    grads: dict
    dX: np.ndarray


class _Workspace:
    """Preallocated arrays for one batch size m, so a training step allocates nothing."""

    def __init__(self, network, m):
        dtype = network.dtype
        sizes = network.sizes
        self.m = m
        self.Z = [None] + [np.empty((n, m), dtype) for n in sizes[1:]]
        self.A = [None] + [np.empty((n, m), dtype) for n in sizes[1:]]
        self.dZ = [None] + [np.empty((n, m), dtype) for n in sizes[1:]]
        self.work = [None] + [np.empty((n, m), dtype) for n in sizes[1:]]
        self.grads = {k: np.empty_like(v) for k, v in network.params.items()}
        self.ones = np.ones((m, 1), dtype)  # Σ over the batch as a product: Σ_j dZ[:, j] = dZ·1


class Network:
    """A fully connected classifier with the article's shapes.

    sizes: layer widths [n_0, n_1, …, n_L]; n_0 = 784 for 28×28 images.
    activations: one name for every hidden layer, or a list of L − 1 names
        ("sigmoid", "tanh", "relu", "leaky_relu", "swish").
    output: "softmax" (n_L = number of classes) or "sigmoid" (n_L = 1, two classes).
    seed: seeds the np.random.Generator that draws the initial weights; the same
        seed gives the same weights.
    classes: the label of each class (default 0, 1, …); used to name predictions.
    params: weights to hold (taken, not copied; their dtype is the network's)
        instead of drawing them.

    ``params`` holds the arrays by the article's names: "W1", "b1", "W2", ….
    """

    def __init__(
        self,
        sizes=DEFAULT_SIZES,
        activations="relu",
        output="softmax",
        seed=0,
        dtype=np.float32,
        classes=None,
        params=None,
    ):
        self.sizes = tuple(int(n) for n in sizes)
        if len(self.sizes) < 2 or min(self.sizes) < 1:
            raise ValueError(f"sizes must be at least two positive widths, got {sizes}")
        n_hidden = len(self.sizes) - 2
        if isinstance(activations, str):
            activations = [activations] * n_hidden
        if len(activations) != n_hidden:
            raise ValueError(f"{n_hidden} hidden layers need {n_hidden} activations, got {len(activations)}")
        self.activations = [_activations.get(name) for name in activations]
        self.output = _losses.get(output)
        n_classes = self.output.n_classes(self.sizes[-1])
        if self.output.units(n_classes) != self.sizes[-1]:  # a sigmoid output is one unit for two classes
            raise ValueError(f"a {output} output has {self.output.units(n_classes)} unit, not {self.sizes[-1]}")
        self.classes = np.arange(n_classes) if classes is None else np.asarray(classes)
        if self.classes.shape != (n_classes,):
            raise ValueError(f"need {n_classes} class labels, got {self.classes.shape}")
        if params is None:
            self.dtype = np.dtype(dtype)
            self.params = self._initial_params(np.random.default_rng(seed))
        else:
            self.dtype = next(iter(params.values())).dtype
            self.params = dict(params)
        self.description = ""
        self._workspaces = {}

    # ----------------------------------------------------------------- shape
    @property
    def depth(self):
        """L, the number of layers with weights."""
        return len(self.sizes) - 1

    @property
    def activation_names(self):
        return [f.name for f in self.activations]

    @property
    def n_params(self):
        return sum(p.size for p in self.params.values())

    def _initial_params(self, rng):
        params = {}
        layer_fns = [*self.activations, _activations.get("sigmoid")]  # Glorot for the output
        for l in range(1, self.depth + 1):
            n_in, n_out = self.sizes[l - 1], self.sizes[l]
            std = layer_fns[l - 1].init_std(n_in, n_out)
            params[f"W{l}"] = (rng.standard_normal((n_out, n_in)) * std).astype(self.dtype)
            params[f"b{l}"] = np.zeros((n_out, 1), self.dtype)
        return params

    @classmethod
    def with_params(cls, sizes, activations, output, params, classes=None):
        """A network holding ``params`` (taken, not copied), with no random initialisation.

        The shapes are checked by the caller (core.modelfile); the dtype is the params'.
        """
        return cls(sizes, list(activations), output, classes=classes, params=params)

    def copy(self, dtype=None):
        """An independent network with the same shape and a copy of the weights."""
        dtype = np.dtype(dtype or self.dtype)
        params = {k: v.astype(dtype, copy=True) for k, v in self.params.items()}
        clone = Network(self.sizes, self.activation_names, self.output.name, classes=self.classes.copy(), params=params)
        clone.description = self.description
        return clone

    def set_params(self, params):
        """Copy ``params`` (a dict like ``self.params``) into this network's arrays."""
        for name, P in self.params.items():
            np.copyto(P, params[name])

    # --------------------------------------------------------------- forward
    # A training step, as core.trainer takes it: ws = workspace(m); forward_into(X, ws);
    # backward_into(Y, ws); then an optimiser applies ws.grads. Nothing is allocated.
    def workspace(self, m):
        """The preallocated Z, A, dZ and gradient arrays for batches of m columns (kept for a few m)."""
        ws = self._workspaces.get(m)
        if ws is None:
            if len(self._workspaces) > 4:
                self._workspaces.clear()
            ws = self._workspaces[m] = _Workspace(self, m)
        return ws

    def forward_into(self, X, ws):
        """The forward pass into ``ws``; X: (n_0, m) in the network's dtype."""
        ws.A[0] = A_prev = X
        for l in range(1, self.depth + 1):
            Z = ws.Z[l]
            np.matmul(self.params[f"W{l}"], A_prev, out=Z)
            Z += self.params[f"b{l}"]  # Z = W·A_prev + b
            if l < self.depth:
                self.activations[l - 1](Z, out=ws.A[l])  # A = f(Z)
            else:
                self.output.activate(Z, out=ws.A[l])  # A_L = g(Z_L)
            A_prev = ws.A[l]

    def forward(self, X):
        """Every layer's Z(l) and A(l) for X: (n_0, m) in [0, 1] (uint8 pixels are scaled)."""
        X = as_input(X, self.dtype)
        ws = _Workspace(self, X.shape[1])
        self.forward_into(X, ws)
        return Forward(Z=ws.Z, A=ws.A)

    def columns_within(self, budget=WORKSPACE_BUDGET):
        """How many columns a forward pass may take at once for its Z and A to fit ``budget`` bytes
        (at least one): 2,048 digits of a 784-1-100000-1-… network of 64 layers wanted 52 GB."""
        per_column = 2 * sum(self.sizes[1:]) * np.dtype(self.dtype).itemsize
        return max(1, budget // per_column)

    def _chunks(self, X):
        step = self.columns_within()
        return (X[:, i : i + step] for i in range(0, max(X.shape[1], 1), step))

    def predict_proba(self, X):
        """Class probabilities, (classes, m); columns sum to 1. Read in chunks that fit WORKSPACE_BUDGET."""
        return np.concatenate([self.output.probabilities(self.forward(part).A[-1]) for part in self._chunks(X)], axis=1)

    def predict(self, X):
        """The most likely class label of each column of X, (m,). Read in chunks that fit WORKSPACE_BUDGET."""
        return self.classes[np.concatenate([self.output.predict(self.forward(part).A[-1]) for part in self._chunks(X)])]

    def cost(self, X, Y):
        """J, the cross-entropy averaged over the m columns. Y has the shape of A(L)."""
        forward = self.forward(X)
        return self.output.cost(forward.Z[-1], np.asarray(Y, self.dtype))

    def evaluate(self, X, labels, chunk=2048):
        """(cost, accuracy) over X: (n_0, N) and class indices ``labels`` (N,), in chunks."""
        labels = np.asarray(labels)
        total_cost, correct = 0.0, 0
        n = labels.size
        chunk = min(chunk, self.columns_within())
        for start in range(0, n, chunk):
            part = slice(start, start + chunk)
            forward = self.forward(X[:, part])
            Y = self.output.one_hot(labels[part], len(self.classes))
            m = Y.shape[1]
            total_cost += self.output.cost(forward.Z[-1], Y) * m
            correct += int(np.count_nonzero(self.output.predict(forward.A[-1]) == labels[part]))
        return total_cost / max(n, 1), correct / max(n, 1)

    # -------------------------------------------------------------- backward
    def backward_into(self, Y, ws, weights=True):
        """Gradients of J (dW and db of every layer) into ``ws.grads``, after ``forward_into`` on the same batch.

        The 1/m of every dW and db is applied once, to dZ(L): the backward pass is
        linear in dZ(L), so each dZ(l) below is already divided by m. weights=False
        carries only the dZ chain, into ``ws.dZ``, leaving ``ws.grads`` as it was.
        """
        L = self.depth
        dZ = self.output.delta(ws.A[L], Y, out=ws.dZ[L])  # dZ(L) = A(L) − Y
        dZ *= 1.0 / ws.m
        for l in range(L, 0, -1):
            if weights:
                np.matmul(dZ, ws.A[l - 1].T, out=ws.grads[f"W{l}"])  # dW = dZ·A_prevᵀ / m
                np.matmul(dZ, ws.ones, out=ws.grads[f"b{l}"])  # db = Σ dZ / m
            if l > 1:
                dA_prev = np.matmul(self.params[f"W{l}"].T, dZ, out=ws.dZ[l - 1])  # Wᵀ·dZ
                f = self.activations[l - 2]
                f.backprop(dA_prev, ws.Z[l - 1], ws.A[l - 1], ws.work[l - 1])  # ⊙ f'(Z_prev)
                dZ = dA_prev

    def gradients(self, X, Y):
        """∂J/∂W(l) and ∂J/∂b(l) for the batch (X, Y), keyed like ``params``."""
        X = as_input(X, self.dtype)
        ws = _Workspace(self, X.shape[1])
        self.forward_into(X, ws)
        self.backward_into(np.asarray(Y, self.dtype), ws)
        return ws.grads

    def backprop(self, X, Y):
        """Everything one backward pass computes for the batch (X, Y), as copies: a Backprop record."""
        X = as_input(X, self.dtype)
        ws = _Workspace(self, X.shape[1])
        self.forward_into(X, ws)
        self.backward_into(np.asarray(Y, self.dtype), ws)
        dX = self.params["W1"].T @ ws.dZ[1]  # dX = W1ᵀ·dZ1: backprop carried one layer further, to the input
        return Backprop(
            Z=[None, *(z.copy() for z in ws.Z[1:])],
            A=[X.copy(), *(a.copy() for a in ws.A[1:])],
            dZ=[None, *(d.copy() for d in ws.dZ[1:])],
            grads={k: g.copy() for k, g in ws.grads.items()},
            dX=dX,
        )

    def input_gradient(self, X, Y):
        """∂J/∂X, shaped like X (n_0, m), for targets Y: how the cost changes with each input pixel.

        dX = W1ᵀ·dZ1, the backward pass carried one layer past the first weights.
        J is the mean over the m columns, so each column is 1/m of its own
        example's gradient. For "why class k", Y is one-hot(k) and the saliency is
        −∂J/∂X: where more ink would raise P(k) (positive) or lower it (negative).

        Only the dZ chain is computed, not the dW and db beside it (:meth:`backprop` has them): the
        saliency follows the pen, and the largest network's gradients are half a gigabyte.
        """
        X = as_input(X, self.dtype)
        ws = _Workspace(self, X.shape[1])  # its gradient arrays are allocated, never written
        self.forward_into(X, ws)
        self.backward_into(np.asarray(Y, self.dtype), ws, weights=False)
        return self.params["W1"].T @ ws.dZ[1]  # dX = W1ᵀ·dZ1

    def save(self, path, description=""):
        """Write this network to ``path`` (.npz); see core.modelfile."""
        from dnngui.core.modelfile import save_model

        save_model(self, path, description)

    def __repr__(self):
        shape = "-".join(map(str, self.sizes))
        return f"Network({shape}, {'/'.join(self.activation_names) or '-'}, {self.output.name})"
