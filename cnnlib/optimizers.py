"""Optimizers: how a step changes the parameters, given their gradients.

Each optimizer is built on a network and keeps its own state per parameter; ``step()`` reads every
layer's ``grads`` (filled by ``backward``) and changes the matching ``params`` in place. ``lr`` may be
changed between steps (a schedule does it).

``weight_decay`` adds ``weight_decay * w`` to the gradient of every weight (not of the biases): the
gradient of the penalty ``weight_decay / 2 * sum(w**2)``, which pulls weights towards 0 unless the
data keeps them large, a classic remedy for overfitting.
"""

from __future__ import annotations

import numpy as np

from ._validation import as_real

__all__ = ["SGD", "Adam"]


def _learning_rate(lr):
    return as_real(lr, "lr", low=0, open_interval=True)


class _Optimizer:
    def __init__(self, network, lr, weight_decay):
        self.network, self.lr = network, _learning_rate(lr)
        self.weight_decay = as_real(weight_decay, "weight_decay", low=0)

    def _gradient(self, layer, key):
        """dL/d(param), plus the weight decay's pull on weights (keys ``w``)."""
        grad = layer.grads[key]
        if self.weight_decay and key == "w":
            grad = grad + self.weight_decay * layer.params[key]
        return grad


class SGD(_Optimizer):
    """Gradient descent with momentum: ``v = momentum*v - lr*grad; param += v`` (``momentum=0``: plain descent)."""

    def __init__(self, network, lr=0.01, momentum=0.9, weight_decay=0.0):
        super().__init__(network, lr, weight_decay)
        if not 0 <= momentum < 1:
            raise ValueError(f"`momentum` must be in [0, 1), got {momentum}")
        self.momentum = momentum
        self.velocity = {name: np.zeros_like(layer.params[key]) for name, layer, key in network.named_parameters()}

    def step(self):
        for name, layer, key in self.network.named_parameters():
            v = self.velocity[name]
            v *= self.momentum
            v -= self.lr * self._gradient(layer, key)
            layer.params[key] += v


class Adam(_Optimizer):
    """Adam: steps scaled by running averages of the gradient and of its square (Kingma & Ba 2015).

    ``m`` and ``v`` hold those averages per parameter name. For speed, the averages of all parameters
    of one dtype are views of one flat array, and a step updates them together: a dozen numpy
    operations in all rather than a dozen per parameter (the same numbers: each is element-wise).
    """

    def __init__(self, network, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8, weight_decay=0.0):
        super().__init__(network, lr, weight_decay)
        self.beta1, self.beta2, self.eps, self.t = beta1, beta2, eps, 0
        self._groups = _by_dtype(network.named_parameters())
        self.m, self.v = {}, {}
        for group in self._groups:
            for name, layer, key, where in group.parts:
                self.m[name] = group.m[where].reshape(layer.params[key].shape)
                self.v[name] = group.v[where].reshape(layer.params[key].shape)

    def step(self):
        self.t += 1
        scale = self.lr * np.sqrt(1 - self.beta2**self.t) / (1 - self.beta1**self.t)
        for group in self._groups:
            g, m, v = group.g, group.m, group.v
            for _, layer, key, where in group.parts:
                g[where] = self._gradient(layer, key).reshape(-1)
            m *= self.beta1
            m += (1 - self.beta1) * g
            v *= self.beta2
            v += (1 - self.beta2) * g * g
            steps = (scale * m / (np.sqrt(v) + self.eps)).astype(m.dtype, copy=False)
            for _, layer, key, where in group.parts:
                param = layer.params[key]
                param -= steps[where].reshape(param.shape)


class _Group:
    """The parameters of one dtype: ``parts`` [(name, layer, key, slice)] and flat ``g``, ``m``, ``v`` (sliced so)."""

    def __init__(self, dtype):
        self.dtype, self.parts, self.size = dtype, [], 0

    def add(self, name, layer, key):
        size = layer.params[key].size
        self.parts.append((name, layer, key, slice(self.size, self.size + size)))
        self.size += size

    def allocate(self):
        self.g, self.m, self.v = (np.zeros(self.size, dtype=self.dtype) for _ in range(3))
        return self


def _by_dtype(named_parameters) -> list:
    """The network's parameters grouped by dtype, in order of first appearance."""
    groups = {}
    for name, layer, key in named_parameters:
        dtype = layer.params[key].dtype
        groups.setdefault(dtype, _Group(dtype)).add(name, layer, key)
    return [group.allocate() for group in groups.values()]
