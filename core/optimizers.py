"""Optimisers: how the gradients change the weights, in place.

Each optimiser's ``step(params, grads)`` updates every array of ``params`` from
the matching array of ``grads`` (same keys, same shapes): dW and db as backprop
gave them. ``grads`` is scratch: its arrays may be overwritten, which is how the
steps below avoid allocating. The learning rate ``lr`` may be changed between
steps (a schedule does this). L2 weight decay adds ``weight_decay·W`` to the
gradient of each weight matrix W (never to the biases b). ``rates`` gives some
arrays their own learning rate, as a multiple of ``lr`` (by name; 0 leaves the
array as it is): fine-tuning trains the output layer faster and keeps the rest.
"""

import math

import numpy as np

OPTIMIZERS = ("sgd", "momentum", "adam")


class Optimizer:
    def __init__(self, lr, weight_decay=0.0, rates=None):
        self.lr = float(lr)
        self.weight_decay = float(weight_decay)
        self.rates = dict(rates or {})

    def _trained(self, params):
        """(name, array, its learning rate's multiple) of each array this optimiser changes."""
        for name, P in params.items():
            rate = self.rates.get(name, 1.0)
            if rate:
                yield name, P, rate

    def _decayed(self, name, P, g):
        """g + weight_decay·W for weight matrices (L2 regularisation), in place."""
        if self.weight_decay and name.startswith("W"):
            g += self.weight_decay * P
        return g

    def step(self, params, grads):
        raise NotImplementedError


class SGD(Optimizer):
    """W ← W − lr·dW."""

    def step(self, params, grads):
        for name, P, rate in self._trained(params):
            g = self._decayed(name, P, grads[name])
            g *= self.lr * rate
            P -= g


class Momentum(Optimizer):
    """v ← μ·v − lr·dW;  W ← W + v."""

    def __init__(self, lr, weight_decay=0.0, momentum=0.9, rates=None):
        super().__init__(lr, weight_decay, rates)
        self.momentum = float(momentum)
        self.velocity = {}

    def step(self, params, grads):
        for name, P, rate in self._trained(params):
            g = self._decayed(name, P, grads[name])
            v = self.velocity.get(name)
            if v is None:
                v = self.velocity[name] = np.zeros_like(P)
            v *= self.momentum
            g *= self.lr * rate
            v -= g
            P += v


class Adam(Optimizer):
    """Adam (Kingma & Ba): per-weight steps from running means of g and g².

    m ← β1·m + (1 − β1)·g;  v ← β2·v + (1 − β2)·g²;
    W ← W − lr·m̂ / (√v̂ + ε), with the bias-corrected m̂ = m/(1 − β1ᵗ), v̂ = v/(1 − β2ᵗ).

    ``step`` computes this in place, reusing the gradient's array for g², then
    for the step, and folding both corrections into one factor:
    lr·m̂ / (√v̂ + ε) = lr·√(1 − β2ᵗ)/(1 − β1ᵗ) · m / (√v + ε·√(1 − β2ᵗ)).
    :func:`adam_step` is the same step written as the equations, one array at a
    time; the tests hold the two together.
    """

    def __init__(self, lr, weight_decay=0.0, beta1=0.9, beta2=0.999, eps=1e-8, rates=None):
        super().__init__(lr, weight_decay, rates)
        self.beta1, self.beta2, self.eps = beta1, beta2, eps
        self.t = 0
        self.m = {}
        self.v = {}

    def step(self, params, grads):
        self.t += 1
        correction1 = 1.0 - self.beta1**self.t
        correction2 = 1.0 - self.beta2**self.t
        step_size = self.lr * math.sqrt(correction2) / correction1
        for name, P, rate in self._trained(params):
            g = self._decayed(name, P, grads[name])
            if name not in self.m:
                self.m[name] = np.zeros_like(P)
                self.v[name] = np.zeros_like(P)
            m, v = self.m[name], self.v[name]
            m *= self.beta1
            m += (1.0 - self.beta1) * g
            v *= self.beta2
            np.multiply(g, g, out=g)
            g *= 1.0 - self.beta2
            v += g
            # g is free again: reuse it for the step lr·m̂ / (√v̂ + ε)
            np.sqrt(v, out=g)
            g += self.eps * math.sqrt(correction2)
            np.divide(m, g, out=g)
            g *= step_size * rate
            P -= g


def adam_step(W, g, m, v, t, lr, beta1=0.9, beta2=0.999, eps=1e-8):
    """Adam's step t (from 1) for one array, as the equations read: (new W, new m, new v).

    The reference for :class:`Adam`, which computes the same in place and without temporaries.
    """
    m = beta1 * m + (1 - beta1) * g
    v = beta2 * v + (1 - beta2) * g**2
    m_hat = m / (1 - beta1**t)
    v_hat = v / (1 - beta2**t)
    return W - lr * m_hat / (np.sqrt(v_hat) + eps), m, v


def make(name, lr, weight_decay=0.0, momentum=0.9, rates=None):
    """The optimiser called ``name`` ("sgd", "momentum" or "adam")."""
    if name == "sgd":
        return SGD(lr, weight_decay, rates)
    if name == "momentum":
        return Momentum(lr, weight_decay, momentum, rates)
    if name == "adam":
        return Adam(lr, weight_decay, rates=rates)
    raise KeyError(f"unknown optimizer {name!r} (known: {', '.join(OPTIMIZERS)})")
