"""Element-wise non-linearity (ReLU) and the softmax that turns scores into probabilities."""

from __future__ import annotations

import numpy as np

from ._validation import as_float_array, as_int


def relu(x) -> np.ndarray:
    """Rectified linear unit: keep positive values, replace negative ones by 0.

    Parameters
    ----------
    x : ndarray, any shape

    Returns
    -------
    out : ndarray, same shape as ``x``, float64
        ``max(x, 0)`` element-wise.

    Examples
    --------
    >>> relu(np.array([-2, 0, 3]))
    array([0., 0., 3.])
    """
    x = as_float_array(x, "x")
    return np.maximum(x, 0.0)


def softmax(z, axis=-1) -> np.ndarray:
    """Turn scores (logits) into probabilities that are positive and sum to 1.

    Parameters
    ----------
    z : ndarray, shape (..., K)
        Finite scores, typically (N, K): N samples, K classes.
    axis : int, default -1
        The axis that holds the K classes.

    Returns
    -------
    p : ndarray, same shape as ``z``, float64
        ``p = exp(z) / sum(exp(z))`` along ``axis``.

    Notes
    -----
    The maximum along ``axis`` is subtracted before ``exp``. This changes
    nothing mathematically (the factor ``exp(-max)`` cancels) but keeps every
    exponent <= 0, so logits of 1000 do not overflow to ``inf / inf = nan``.

    Examples
    --------
    >>> softmax(np.array([1000.0, 1000.0]))
    array([0.5, 0.5])
    """
    z = as_float_array(z, "z")
    axis = as_int(axis, "axis", minimum=-z.ndim)
    if axis >= z.ndim:
        raise ValueError(f"`axis` must be in [{-z.ndim}, {z.ndim - 1}] for `z` with ndim={z.ndim}, got {axis}")
    if not np.all(np.isfinite(z)):
        raise ValueError("`z` must contain only finite numbers, got NaN or infinity")
    shifted = z - z.max(axis=axis, keepdims=True)
    exps = np.exp(shifted)
    return exps / exps.sum(axis=axis, keepdims=True)
