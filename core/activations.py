"""Hidden-layer activations A = f(Z) and their derivatives f'(Z).

Each activation keeps its value and its local derivative side by side, the two
halves the chain rule needs. Forward computes ``A = f(Z)``; backward turns
``dA = Wᵀ·dZ`` from the layer above into ``dZ = dA ⊙ f'(Z)``, in place, so the
training loop allocates nothing.

All arrays are (units, m): one column per example.
"""

import numpy as np

LEAKY_SLOPE = 0.01


def sigmoid(Z, out=None):
    """σ(Z) = 1 / (1 + e^(−Z)), computed as ½(1 + tanh(Z/2)) so it never overflows."""
    out = np.multiply(Z, 0.5, out=out)
    np.tanh(out, out=out)
    out += 1.0
    out *= 0.5
    return out


class Activation:
    """One hidden activation: its value, its derivative and the initialisation it wants.

    ``init`` is "he" (variance 2/n_in, for the ReLU family) or "glorot"
    (variance 2/(n_in + n_out), for the saturating sigmoid and tanh).
    """

    name = ""
    title = ""  # as the app writes it (see title())
    init = "he"

    def __call__(self, Z, out=None):
        """A = f(Z). Z: (units, m). Writes into ``out`` when given."""
        raise NotImplementedError

    def derivative(self, Z, A):
        """f'(Z) as a new (units, m) array; A = f(Z) is passed so it need not be recomputed."""
        raise NotImplementedError

    def backprop(self, dA, Z, A, work):
        """dZ = dA ⊙ f'(Z), written over ``dA``. ``work`` is scratch space shaped like Z."""
        dA *= self.derivative(Z, A)

    def init_std(self, n_in, n_out):
        """Standard deviation of the initial weights of a layer using this activation."""
        if self.init == "he":
            return np.sqrt(2.0 / n_in)
        return np.sqrt(2.0 / (n_in + n_out))


class Sigmoid(Activation):
    name = "sigmoid"
    title = "sigmoid"
    init = "glorot"

    def __call__(self, Z, out=None):
        return sigmoid(Z, out=out)

    def derivative(self, Z, A):
        # σ'(Z) = σ(Z)·(1 − σ(Z)) = A·(1 − A)
        return A * (1.0 - A)

    def backprop(self, dA, Z, A, work):
        np.subtract(1.0, A, out=work)
        work *= A
        dA *= work


class Tanh(Activation):
    name = "tanh"
    title = "tanh"
    init = "glorot"

    def __call__(self, Z, out=None):
        return np.tanh(Z, out=out)

    def derivative(self, Z, A):
        # tanh'(Z) = 1 − tanh²(Z) = 1 − A²
        return 1.0 - A * A

    def backprop(self, dA, Z, A, work):
        np.multiply(A, A, out=work)
        np.subtract(1.0, work, out=work)
        dA *= work


class ReLU(Activation):
    name = "relu"
    title = "ReLU"

    def __call__(self, Z, out=None):
        return np.maximum(Z, 0.0, out=out)

    def derivative(self, Z, A):
        # relu'(Z) = 1 where Z > 0, else 0
        return (Z > 0).astype(Z.dtype)

    def backprop(self, dA, Z, A, work):
        np.greater(Z, 0.0, out=work)
        dA *= work


class LeakyReLU(Activation):
    name = "leaky_relu"
    title = "leaky ReLU"

    def __call__(self, Z, out=None):
        out = np.multiply(Z, LEAKY_SLOPE, out=out)
        return np.maximum(Z, out, out=out)

    def derivative(self, Z, A):
        # leaky_relu'(Z) = 1 where Z > 0, else the slope
        return np.where(Z > 0, 1.0, LEAKY_SLOPE).astype(Z.dtype)

    def backprop(self, dA, Z, A, work):
        np.greater(Z, 0.0, out=work)
        work *= 1.0 - LEAKY_SLOPE
        work += LEAKY_SLOPE
        dA *= work


class Swish(Activation):
    """swish(Z) = Z·σ(Z), smooth and non-monotonic near zero."""

    name = "swish"
    title = "swish"

    def __call__(self, Z, out=None):
        out = sigmoid(Z, out=out)
        out *= Z
        return out

    def derivative(self, Z, A):
        # swish'(Z) = σ(Z) + Z·σ(Z)·(1 − σ(Z)) = A + σ(Z)·(1 − A)
        return A + sigmoid(Z) * (1.0 - A)

    def backprop(self, dA, Z, A, work):
        sigmoid(Z, out=work)
        work -= A * work
        work += A
        dA *= work


ACTIVATIONS = {a.name: a for a in (Sigmoid(), Tanh(), ReLU(), LeakyReLU(), Swish())}


def title(name):
    """How the app writes an activation or output ``name``: "ReLU" and "leaky ReLU" (an acronym),
    "sigmoid", "tanh", "swish", "softmax" (plain words), the same in every tab."""
    return ACTIVATIONS[name].title if name in ACTIVATIONS else name


def get(name):
    """The activation called ``name``; KeyError lists the known ones."""
    try:
        return ACTIVATIONS[name]
    except KeyError:
        known = ", ".join(ACTIVATIONS)
        raise KeyError(f"unknown activation {name!r} (known: {known})") from None
