"""Gradient checks: is a backward pass right? Compare it with central differences.

A backward pass is easy to get almost right (a missing transpose, a sum over
the wrong axis), and training with an almost-right gradient still lowers the
loss, just worse. So every backward pass is checked against the definition of a
derivative, one input number at a time:

    df/dx[i] ~ (f(x + h e_i) - f(x - h e_i)) / (2 h)

and the two are compared by their *relative error*,
``max |a - n| / max(|a| + |n|)``: the largest difference against the largest
magnitude (CS231n divides entry by entry instead, which lets entries near 0
dominate). About 1e-7 or smaller in float64 means the
backward pass is right; 1e-2 or larger means it is wrong. Kinks (ReLU at 0, a
tie in max pooling) can give a larger error at a few points without a bug.
Checks run in float64: in float32 the rounding error of f, divided by 2h,
swamps the difference quotient.
"""

from __future__ import annotations

import numpy as np

from ._validation import as_real, describe
from .losses import SoftmaxCrossEntropy

__all__ = ["check_layer", "check_network", "numerical_gradient", "relative_error"]


def numerical_gradient(f, x, h=1e-5) -> np.ndarray:
    """Central differences of the scalar ``f(x)`` with respect to every element of ``x``.

    Parameters
    ----------
    f : callable
        ``f(x) -> float``. It may also read ``x`` through a closure (e.g. a layer's
        own weight array): ``x`` is changed in place, one element at a time, and
        restored afterwards.
    x : ndarray of float64, any shape
        The point; changed during the call and restored exactly.
    h : float, default 1e-5
        The step.

    Returns
    -------
    gradient : ndarray, shape of ``x``

    Examples
    --------
    >>> x = np.array([1.0, 2.0])
    >>> numerical_gradient(lambda v: float(np.sum(v**2)), x).round(6)
    array([2., 4.])
    """
    if not isinstance(x, np.ndarray) or x.dtype != np.float64:
        raise TypeError(
            f"`x` must be a float64 numpy array, changed in place (in float32 the differences drown in rounding), "
            f"got {describe(x)}"
        )
    h = as_real(h, "h", low=0, open_interval=True)
    gradient = np.zeros_like(x)
    for index in np.ndindex(x.shape):
        keep = x[index]
        try:
            x[index] = keep + h
            up = float(f(x))
            x[index] = keep - h
            down = float(f(x))
        finally:
            x[index] = keep
        gradient[index] = (up - down) / (2 * h)
    return gradient


def relative_error(analytic, numeric) -> float:
    """``max |a - n| / max(|a| + |n|)``: 0 when equal, 1 when of opposite sign or one is zero.

    Examples
    --------
    >>> relative_error([1.0, -2.0], [1.0, -2.0])
    0.0
    >>> round(relative_error([1.0, 2.0], [1.0, 2.2]), 4)  # 0.2 / (2 + 2.2)
    0.0476
    """
    a, n = np.asarray(analytic, dtype=np.float64), np.asarray(numeric, dtype=np.float64)
    if a.shape != n.shape:
        raise ValueError(f"`analytic` and `numeric` must have one shape, got {a.shape} and {n.shape}")
    scale = float(np.max(np.abs(a) + np.abs(n), initial=0.0))
    return 0.0 if scale == 0.0 else float(np.max(np.abs(a - n)) / scale)


def _float64(layers):
    for layer in layers:
        if getattr(layer, "dtype", np.float64) != np.float64:
            raise TypeError(
                f"gradient checks need float64 layers (float32 rounding swamps the differences); "
                f"{type(layer).__name__} has dtype {layer.dtype}: build it with dtype=np.float64"
            )


def check_layer(layer, x, seed=0) -> dict[str, float]:
    """Relative error of ``layer.backward`` for the input and every parameter.

    The loss is ``sum(layer.forward(x) * g)`` with a fixed random ``g``, so
    dL/d(output) = ``g``: every output value counts, with its own weight.

    Parameters
    ----------
    layer : a float64 layer of :mod:`cnnlib.layers`
    x : ndarray of float64, the layer's input shape (not changed)
    seed : int, default 0
        For ``g``.

    Returns
    -------
    errors : dict
        ``{"x": error, "w": error, "b": error}``: the input, then each parameter.
    """
    _float64([layer])
    x = np.array(x, dtype=np.float64)
    g = np.random.default_rng(seed).standard_normal(layer.forward(x).shape)
    errors = {"x": relative_error(layer.backward(g), numerical_gradient(lambda v: np.sum(layer.forward(v) * g), x))}
    for key, value in layer.params.items():
        layer.forward(x)
        layer.backward(g)
        analytic = layer.grads[key].copy()
        errors[key] = relative_error(analytic, numerical_gradient(lambda _: np.sum(layer.forward(x) * g), value))
    return errors


def check_network(network, images, labels) -> dict[str, float]:
    """Relative error of the whole backward pass, softmax + cross-entropy on top, for every parameter.

    Parameters
    ----------
    network : Sequential of float64 layers, (N, ...) -> (N, K) scores
    images : ndarray, the network's input (a few small ones: each number costs two forward passes)
    labels : ndarray of int, shape (N,)

    Returns
    -------
    errors : dict
        ``{"0.w": error, "0.b": error, ...}`` (as ``Sequential.named_parameters``) and ``"input"``.
    """
    _float64(network.layers)
    images = np.array(images, dtype=np.float64)
    loss = SoftmaxCrossEntropy()

    def value(inputs=images):
        return loss.forward(network.forward(inputs), labels)

    value()
    input_gradient = network.backward(loss.backward())
    analytic = {name: layer.grads[key].copy() for name, layer, key in network.named_parameters()}
    errors = {
        name: relative_error(analytic[name], numerical_gradient(lambda _: value(), layer.params[key]))
        for name, layer, key in network.named_parameters()
    }
    errors["input"] = relative_error(input_gradient, numerical_gradient(value, images))
    return errors
