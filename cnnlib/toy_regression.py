"""The one-weight toy of notebook 08: fit the line ``y = w x`` to points by gradient descent.

The loss is the mean squared error ``L(w) = mean((w x - y)**2)``, whose gradient is
``mean(2 (w x - y) x)`` and whose curvature ``L'' = 2 mean(x**2)`` decides which learning
rates converge (``lr < 2 / L''``), which is what the learning-rate slider shows.
"""

from __future__ import annotations

import numpy as np

from ._validation import as_float_array, as_int, as_real

__all__ = ["check_toy_data", "toy_descent_path", "toy_loss"]

_BLOW_UP = 1e6  # |w| beyond this counts as gone: the path stops there (NaN after)


def check_toy_data(x, y):
    """``x`` and ``y`` as float arrays of shape (M,), finite, of one length, ``x`` not all zeros."""
    x = as_float_array(x, "x", ndim=1, layout="(M,)")
    y = as_float_array(y, "y", ndim=1, layout="(M,)")
    if x.shape != y.shape or x.size == 0 or not (np.isfinite(x).all() and np.isfinite(y).all()):
        raise ValueError(f"`x` and `y` must be finite, non-empty and of one length, got shapes {x.shape}, {y.shape}")
    if not np.any(x):
        raise ValueError("`x` must not be all zeros (then w does not matter)")
    return x, y


def toy_loss(x, y, w):
    """Mean squared error of the line ``y = w x`` on the points ``(x, y)``, for one w or an array of them.

    Examples
    --------
    >>> float(toy_loss([1.0, 2.0], [2.0, 4.0], 2.0)), float(toy_loss([1.0, 2.0], [2.0, 4.0], 1.0))
    (0.0, 2.5)
    """
    x, y = check_toy_data(x, y)
    w = np.asarray(w, dtype=np.float64)
    return ((w[..., None] * x - y) ** 2).mean(axis=-1)


def toy_descent_path(x, y, w0, lr, steps):
    """Gradient descent on ``toy_loss``: ``w <- w - lr * mean(2 (w x - y) x)``, from ``w0``.

    Returns
    -------
    path : ndarray, shape (steps + 1,)
        ``path[0] = w0`` and ``path[t]`` the weight after t steps. A path that
        blows up (|w| > 1e6) stops there: the later entries are NaN.

    Examples
    --------
    >>> toy_descent_path([1.0, 2.0], [2.0, 4.0], 0.0, 0.1, 2)  # L'' = 2 mean(x**2) = 5: each step halves the gap
    array([0. , 1. , 1.5])
    """
    x, y = check_toy_data(x, y)
    w, lr = as_real(w0, "w0"), as_real(lr, "lr")
    path = np.full(as_int(steps, "steps", minimum=0) + 1, np.nan)
    for t in range(path.size):
        path[t] = w
        if abs(w) > _BLOW_UP:
            break
        w = w - lr * float(np.mean(2 * (w * x - y) * x))
    return path
