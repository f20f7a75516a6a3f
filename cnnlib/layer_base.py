"""The base of every layer: input checks, the backward-before-forward guard, the gradient's shape.

Every layer follows one pattern. ``forward`` computes the output and keeps what
``backward`` will need; ``backward`` receives dL/d(output), stores dL/d(each
parameter) in ``grads`` under the parameter's name, and returns dL/d(input).
Parameters live in ``params``; training changes their values, never their
shapes, nor any size, stride or padding.
"""

from __future__ import annotations

import numpy as np

from ._validation import as_float_array


class NonFiniteError(ValueError):
    """A layer received NaN or infinity (bad data, or training that diverged)."""


class Layer:
    """Base class: no parameters; ``backward`` before ``forward`` is an error."""

    def __init__(self, dtype=np.float64):
        self.dtype = np.dtype(dtype)
        if self.dtype not in (np.float32, np.float64):
            raise TypeError(f"`dtype` must be float32 or float64, got {self.dtype}")
        self.params: dict[str, np.ndarray] = {}
        self.grads: dict[str, np.ndarray] = {}
        self._cache = None

    def _input(self, x, ndim, layout):
        """Validate and cast the input; NaN or infinity would poison every gradient."""
        x = as_float_array(x, "x", ndim=ndim, layout=layout, dtype=self.dtype)
        self._check_finite(x)
        return x

    def _check_finite(self, x):
        """Raise :class:`NonFiniteError` if ``x`` holds NaN or infinity (this layer's input)."""
        if not np.isfinite(x).all():
            raise NonFiniteError(f"`x` must contain only finite numbers: {type(self).__name__} got NaN or infinity")

    def _cached(self):
        if self._cache is None:
            raise RuntimeError(
                f"{type(self).__name__}.backward() was called before forward() (or after one that failed): "
                "run forward first"
            )
        return self._cache

    def parameter_gradients(self, grad_out):
        """Fill ``grads`` from dL/d(output) like ``backward``, without returning dL/d(input).

        A network's first layer is asked only for this (``Sequential.backward(..., input_gradient=False)``):
        nothing needs the gradient with respect to the images. Layers that can skip work here override it.
        """
        self.backward(grad_out)

    def _grad(self, grad_out, shape):
        grad_out = np.asarray(grad_out, dtype=self.dtype)
        if grad_out.shape != shape:
            raise ValueError(
                f"`grad_out` must have the shape of {type(self).__name__}'s output {shape}, got {grad_out.shape}"
            )
        return grad_out

    def __repr__(self):
        return f"{type(self).__name__}()"
