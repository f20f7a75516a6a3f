"""Optimizers: how a step changes the parameters, given their gradients.

Each optimizer is built on a network and keeps its own state per parameter; ``step()`` reads every
layer's ``grads`` (filled by ``backward``) and changes the matching ``params`` in place. ``lr`` may be
changed between steps (a schedule does it).

``weight_decay`` adds ``weight_decay * w`` to the gradient of every weight (not of the biases): the
gradient of the penalty ``weight_decay / 2 * sum(w**2)``, which pulls weights towards 0 unless the
data keeps them large, a classic remedy for overfitting.
"""

from __future__ import annotations

import math

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

    ``m`` and ``v`` give those averages per parameter name. For speed, the averages of all parameters
    whose averages and gradients have the same dtypes live in one flat array, and a step updates
    them together: a dozen numpy operations in all rather than a dozen per parameter, with the same
    numbers, since each is element-wise. The network's parameters are looked up at every step, as a
    learner may replace a layer or an array: the flat arrays are then laid out again, each name
    keeping its averages (a new name starts from zero).
    """

    def __init__(self, network, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8, weight_decay=0.0):
        super().__init__(network, lr, weight_decay)
        self.beta1, self.beta2, self.eps, self.t = beta1, beta2, eps, 0
        self._groups, self._layout, self._tied = [], None, False
        self._arrange(network.named_parameters(), gradients_known=False)

    @property
    def m(self) -> dict:
        """The running average of each parameter's gradient, by name (views of the flat arrays)."""
        return {name: group.m[where].reshape(shape) for group in self._groups for name, *_, where, shape in group.parts}

    @property
    def v(self) -> dict:
        """The running average of each parameter's squared gradient, by name (views of the flat arrays)."""
        return {name: group.v[where].reshape(shape) for group in self._groups for name, *_, where, shape in group.parts}

    def step(self):
        self.t += 1
        scale = self.lr * np.sqrt(1 - self.beta2**self.t) / (1 - self.beta1**self.t)
        params = self.network.named_parameters()
        if self._layout_of(params, gradients_known=True) != self._layout:
            self._arrange(params, gradients_known=True)
        if self._tied and self.weight_decay:
            # one array under two names (a layer used twice): the old order matters, as the decay of the
            # second update reads the weights the first has changed
            moments = {name: (m, v) for name, m, v in self._moments()}
            for name, layer, key in params:
                self._update(scale, self._gradient(layer, key), *moments[name], [(layer, key, slice(None))])
            return
        for group in self._groups:
            for _, layer, key, where, _ in group.parts:
                group.g[where] = self._gradient(layer, key).reshape(-1)
            self._update(
                scale, group.g, group.m, group.v, [(layer, key, where) for _, layer, key, where, _ in group.parts]
            )

    def _update(self, scale, g, m, v, targets):
        """The step for gradient ``g`` with averages ``m`` and ``v`` (updated), subtracted from ``targets``."""
        m *= self.beta1
        m += (1 - self.beta1) * g
        v *= self.beta2
        v += (1 - self.beta2) * g * g
        steps = (scale * m / (np.sqrt(v) + self.eps)).astype(m.dtype, copy=False)
        for layer, key, where in targets:
            param = layer.params[key]
            param -= steps.reshape(-1)[where].reshape(param.shape)

    def _moments(self):
        """(name, m, v) of every parameter, shaped as it, views of the flat arrays."""
        for group in self._groups:
            for name, *_, where, shape in group.parts:
                yield name, group.m[where].reshape(shape), group.v[where].reshape(shape)

    def _layout_of(self, params, gradients_known):
        """What the flat arrays depend on: each parameter's name, layer, array, shape and gradient dtype."""
        layout = []
        for name, layer, key in params:
            param = layer.params[key]
            grad_dtype = layer.grads[key].dtype if gradients_known else param.dtype
            if self.weight_decay and key == "w":  # the gradient then has the decay added
                grad_dtype = np.result_type(grad_dtype, param.dtype)
            layout.append((name, id(layer), key, id(param), param.shape, grad_dtype))
        return layout

    def _arrange(self, params, gradients_known):
        """Lay out the flat arrays for ``params``; a name whose shape is kept keeps its averages and their dtype."""
        kept = {name: (m.copy(), v.copy()) for name, m, v in self._moments()}
        layout, groups = self._layout_of(params, gradients_known), {}
        for (name, layer, key), (*_, shape, grad_dtype) in zip(params, layout, strict=True):
            old = kept.get(name)
            m_dtype = old[0].dtype if old is not None and old[0].shape == shape else layer.params[key].dtype
            groups.setdefault((m_dtype, grad_dtype), _Group(m_dtype, grad_dtype)).add(name, layer, key, shape)
        self._groups = [group.allocate() for group in groups.values()]
        for name, m, v in self._moments():
            if name in kept and kept[name][0].shape == m.shape:
                m[...], v[...] = kept[name]
        arrays = [id(layer.params[key]) for _, layer, key in params]
        self._layout, self._tied = layout, len(set(arrays)) < len(arrays)


class _Group:
    """Parameters whose averages and gradients share dtypes: ``parts`` [(name, layer, key, slice, shape)],
    flat ``g`` (gradient dtype), ``m`` and ``v`` (the averages' dtype), each parameter at its slice."""

    def __init__(self, dtype, grad_dtype):
        self.dtype, self.grad_dtype, self.parts, self.size = dtype, grad_dtype, [], 0

    def add(self, name, layer, key, shape):
        size = math.prod(shape)
        self.parts.append((name, layer, key, slice(self.size, self.size + size), shape))
        self.size += size

    def allocate(self):
        self.g = np.zeros(self.size, dtype=self.grad_dtype)
        self.m, self.v = np.zeros(self.size, dtype=self.dtype), np.zeros(self.size, dtype=self.dtype)
        return self
