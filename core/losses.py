"""Output layers paired with their cost: sigmoid + binary cross-entropy, softmax + categorical.

Each pair provides the output activation ``A_L = g(Z_L)``, the cost J averaged
over the m examples of a batch, and the error at the output ``dZ_L = ∂(m·J)/∂Z_L``.

Why dZ_L = A_L − Y in both cases
--------------------------------
Sigmoid with binary cross-entropy, per example, a = σ(z)::

    L = −(y·log a + (1 − y)·log(1 − a))
    ∂L/∂a = −y/a + (1 − y)/(1 − a)           ∂a/∂z = a·(1 − a)
    ∂L/∂z = −y·(1 − a) + (1 − y)·a = a − y

Softmax with categorical cross-entropy, a_i = e^(z_i) / Σ_k e^(z_k)::

    L = −Σ_k y_k·log a_k
    ∂a_k/∂z_i = a_k·(δ_ki − a_i)
    ∂L/∂z_i = −Σ_k (y_k/a_k)·a_k·(δ_ki − a_i) = −y_i + a_i·Σ_k y_k = a_i − y_i

(Σ_k y_k = 1 for a one-hot Y.) The derivative of the output activation cancels
against the derivative of the log, which is why these two pairings are used.

The costs are computed from Z_L rather than from A_L, with a stable
log-sigmoid and log-softmax, so that neither log(a) nor log(1 − a) can meet a
zero. (The article guards with ``A3 += epsilon``, which protects log(a) only.)
"""

import numpy as np

from dnngui.core.activations import sigmoid


class Output:
    """An output activation with its cost. Y has the shape of A_L: (units, m)."""

    name = ""

    def units(self, n_classes):
        """How many output units a classifier of ``n_classes`` classes needs."""
        raise NotImplementedError

    def n_classes(self, units):
        """How many classes ``units`` output units tell apart (the inverse of :meth:`units`)."""
        raise NotImplementedError

    def activate(self, Z, out=None):
        """A_L = g(Z_L), probabilities. Z: (units, m)."""
        raise NotImplementedError

    def cost(self, Z, Y):
        """J = (1/m)·Σ L over the batch, a Python float, computed stably from Z_L."""
        raise NotImplementedError

    def delta(self, A, Y, out=None):
        """dZ_L = A_L − Y (see the module docstring)."""
        return np.subtract(A, Y, out=out)

    def probabilities(self, A):
        """Class probabilities (classes, m) from the output activations."""
        return A

    def predict(self, A):
        """Index of the most likely class, (m,) int."""
        return np.argmax(self.probabilities(A), axis=0)

    def one_hot(self, labels, n_classes):
        """Y for class indices ``labels`` (m,): the target this output is trained against."""
        raise NotImplementedError


class SigmoidBinaryCrossEntropy(Output):
    """One sigmoid unit, a = P(class 1); the article's 0-vs-1 classifier."""

    name = "sigmoid"

    def units(self, n_classes):
        return 1

    def n_classes(self, units):
        return 2

    def activate(self, Z, out=None):
        return sigmoid(Z, out=out)

    def cost(self, Z, Y):
        # −(y·log σ(z) + (1 − y)·log(1 − σ(z))) = max(z, 0) − z·y + log(1 + e^(−|z|))
        losses = np.maximum(Z, 0.0) - Z * Y + np.log1p(np.exp(-np.abs(Z)))
        return float(np.mean(losses, dtype=np.float64))

    def probabilities(self, A):
        return np.concatenate([1.0 - A, A], axis=0)

    def predict(self, A):
        return (A[0] >= 0.5).astype(np.intp)

    def one_hot(self, labels, n_classes):
        return np.asarray(labels, dtype=np.float32).reshape(1, -1)


class SoftmaxCrossEntropy(Output):
    """C softmax units, a_i = P(class i); the ten-digit classifier."""

    name = "softmax"

    def units(self, n_classes):
        return n_classes

    def n_classes(self, units):
        return units

    def activate(self, Z, out=None):
        # e^(z − max z) never overflows and leaves the softmax unchanged.
        out = np.subtract(Z, Z.max(axis=0, keepdims=True), out=out)
        np.exp(out, out=out)
        out /= out.sum(axis=0, keepdims=True)
        return out

    def cost(self, Z, Y):
        # −Σ_i y_i·log softmax(z)_i = log Σ_i e^(z_i − z_max) − Σ_i y_i·(z_i − z_max), as Σ_i y_i = 1
        shifted = Z - Z.max(axis=0)
        total = np.log(np.exp(shifted).sum(axis=0)).sum(dtype=np.float64) - (Y * shifted).sum(dtype=np.float64)
        return float(total) / Z.shape[1]

    def one_hot(self, labels, n_classes):
        labels = np.asarray(labels, dtype=np.intp)
        Y = np.zeros((n_classes, labels.size), dtype=np.float32)
        Y[labels, np.arange(labels.size)] = 1.0
        return Y


OUTPUTS = {o.name: o for o in (SigmoidBinaryCrossEntropy(), SoftmaxCrossEntropy())}


def get(name):
    """The output called ``name``; KeyError lists the known ones."""
    try:
        return OUTPUTS[name]
    except KeyError:
        known = ", ".join(OUTPUTS)
        raise KeyError(f"unknown output {name!r} (known: {known})") from None
