"""One step of backprop on one example, and why the network thinks what it thinks.

:func:`one_step` is gradient descent on a single drawing (m = 1), with every
number a learner wants to see: the forward pass layer by layer, the cost, each
dZ, dW and db going backwards, and the probabilities before and after
W ← W − α·dW. :func:`saliency` carries the same backward pass one layer
further, to the input; :func:`nudge` follows it, through the preprocessing,
to make a drawing look like another digit.
"""

from dataclasses import dataclass

import numpy as np

from dnngui.core.preprocess import pull_back, to_mnist


@dataclass(frozen=True)
class Step:
    """One step on one example x (784,) labelled as class index ``target``.

    Z, A: every layer's pre-activation and activation, (n_l,) each, A[0] = x;
    cost: J before the step; dZ: (n_l,) for l = 1 … L (dZ[0] is None); dW, db:
    the gradients keyed "W1", "b1", …; before, after: the class probabilities
    before and after the update W ← W − lr·dW, b ← b − lr·db.
    """

    x: np.ndarray
    target: int
    lr: float
    Z: list
    A: list
    cost: float
    dZ: list
    dW: dict
    db: dict
    before: np.ndarray
    after: np.ndarray

    def norm(self, name):
        """‖dW(l)‖ or ‖db(l)‖ (Frobenius), e.g. norm("W2")."""
        grads = self.dW if name.startswith("W") else self.db
        return float(np.linalg.norm(grads[name]))


def _target(network, k):
    return network.output.one_hot(np.array([k]), len(network.classes))


def one_step(network, x, k, lr):
    """(Step, the network after the step): one step of gradient descent on x as class index k.

    ``network`` is left as it is; the one returned is a changed copy.
    """
    x = np.asarray(x, network.dtype).reshape(-1, 1)
    Y = _target(network, k)
    record = network.backprop(x, Y)
    before = network.output.probabilities(record.A[-1])[:, 0]
    cost = float(network.output.cost(record.Z[-1], Y.astype(network.dtype)))
    after_net = network.copy()
    for name, grad in record.grads.items():
        after_net.params[name] -= lr * grad  # W ← W − α·dW, b ← b − α·db
    after = after_net.predict_proba(x)[:, 0]
    step = Step(
        x=x[:, 0].copy(),
        target=int(k),
        lr=float(lr),
        Z=[None, *(z[:, 0] for z in record.Z[1:])],
        A=[a[:, 0] for a in record.A],
        cost=cost,
        dZ=[None, *(d[:, 0] for d in record.dZ[1:])],
        dW={n: g for n, g in record.grads.items() if n.startswith("W")},
        db={n: g[:, 0] for n, g in record.grads.items() if n.startswith("b")},
        before=before,
        after=after,
    )
    return step, after_net


def saliency(network, x, k, against=None):
    """−∂J/∂x for target class index k, (784,): positive where more ink would raise P(k), negative
    where it would lower it. With ``against`` (another class index), why k rather than that class:
    the difference of the two saliencies."""
    x = np.asarray(x, network.dtype).reshape(-1, 1)
    s = -network.input_gradient(x, _target(network, k))[:, 0]
    if against is not None:
        s = s + network.input_gradient(x, _target(network, against))[:, 0]
    return s


@dataclass(frozen=True)
class Nudge:
    """A drawing moved towards a class: ``path``, the drawing after each step (2-D float32 images);
    ``read``, whether the network reads the last one, as the canvas would, as that class."""

    path: list
    read: bool


def nudge(network, drawing, k, steps=10, size=0.02, method="sign"):
    """The drawing (a 2-D image in [0, 1]) moved up to ``steps`` small steps towards class index k: a Nudge.

    Each step reads the drawing as the canvas does (core.preprocess.to_mnist),
    takes ∂J/∂x for class k and carries it back to the drawing (pull_back), so
    the change survives the crop, scale and centring. method "sign" (the fast
    gradient sign method) moves every pixel by ``size`` against the gradient's
    sign; "gradient" moves along the gradient itself, its largest pixel by ``size``.
    The path ends at the first step the network reads as class k.
    """
    image = np.clip(np.asarray(drawing, np.float64), 0.0, 1.0)
    path = []
    x = to_mnist(image)
    while x is not None and len(path) < steps:
        g = pull_back(image, -saliency(network, x, k))  # ∂J/∂drawing
        move = np.sign(g) if method == "sign" else g / max(np.abs(g).max(), 1e-12)
        image = np.clip(image - size * move, 0.0, 1.0)
        path.append(image.astype(np.float32))
        x = to_mnist(path[-1])
        if x is not None and network.output.predict(network.forward(x.reshape(-1, 1)).A[-1])[0] == k:
            return Nudge(path, True)
    return Nudge(path, False)
