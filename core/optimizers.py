"""Optimisers: how the gradients change the weights, in place.

Each optimiser's ``step(params, grads)`` updates every array of ``params`` from
the matching array of ``grads`` (same keys, same shapes), where ``grads`` are
the gradients multiplied by the optimiser's ``gradient_scale`` (1 except for
plain SGD, which takes lr·dW straight from backprop and so saves a pass over
every weight). ``grads`` is scratch: its arrays may be overwritten. The learning rate ``lr`` may be changed between
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

    @property
    def gradient_scale(self):
        """The factor ``step`` expects the gradients to be multiplied by."""
        return 1.0

    def _decayed(self, name, P, g):
        """g + weight_decay·W for weight matrices (L2 regularisation), in place."""
        if self.weight_decay and name.startswith("W"):
            g += (self.weight_decay * self.gradient_scale) * P
        return g

    def step(self, params, grads):
        raise NotImplementedError


class SGD(Optimizer):
    """W ← W − lr·dW, with ``grads`` holding lr·dW already."""

    @property
    def gradient_scale(self):
        return self.lr

    def step(self, params, grads):
        for name, P, rate in self._trained(params):
            g = self._decayed(name, P, grads[name])
            if rate != 1.0:
                g *= rate
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


def make(name, lr, weight_decay=0.0, momentum=0.9, rates=None):
    """The optimiser called ``name`` ("sgd", "momentum" or "adam")."""
    if name == "sgd":
        return SGD(lr, weight_decay, rates)
    if name == "momentum":
        return Momentum(lr, weight_decay, momentum, rates)
    if name == "adam":
        return Adam(lr, weight_decay, rates=rates)
    raise KeyError(f"unknown optimizer {name!r} (known: {', '.join(OPTIMIZERS)})")
