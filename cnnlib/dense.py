"""The fully connected (dense) layer and the flatten that feeds it."""

from __future__ import annotations

import numpy as np

from ._validation import as_float_array


def flatten(x) -> np.ndarray:
    """Turn each sample of a batch into one long vector.

    Parameters
    ----------
    x : ndarray, shape (N, ...) e.g. (N, C, H, W)
        The first axis is the batch; everything after it is one sample.

    Returns
    -------
    out : ndarray, shape (N, D) with D = C*H*W, float64
        Read in C order: the whole first channel row by row, then the next channel.

    Examples
    --------
    >>> flatten(np.zeros((4, 8, 5, 5))).shape
    (4, 200)
    """
    x = as_float_array(x, "x", min_ndim=2, layout="(N, ...), e.g. (N, C, H, W)")
    return x.reshape(x.shape[0], -1)


def dense(x, w, b=None) -> np.ndarray:
    """Fully connected layer: every output is a weighted sum of every input, plus a bias.

    Parameters
    ----------
    x : ndarray, shape (N, D) or (D,)
        N samples of D features (a single sample may be given as a vector).
    w : ndarray, shape (K, D)
        One row of D weights per output unit (like conv filters, outputs come first).
    b : ndarray, shape (K,), optional
        One bias per output unit.

    Returns
    -------
    out : ndarray, shape (N, K) (or (K,) for a single sample), float64
        ``out = x @ w.T + b``; agrees with ``torch.nn.functional.linear``.

    Examples
    --------
    >>> dense(np.ones((2, 3)), np.ones((4, 3)), np.arange(4)).shape
    (2, 4)
    >>> dense(np.ones(3), np.ones((4, 3)), np.zeros(4))
    array([3., 3., 3., 3.])
    """
    x = as_float_array(x, "x", ndim=(1, 2), layout="(N, D) or (D,)")
    w = as_float_array(w, "w", ndim=2, layout="(K, D)")
    if w.shape[1] != x.shape[-1]:
        raise ValueError(
            f"`w` must have one column per input feature: `x` has D={x.shape[-1]} features "
            f"(shape {x.shape}), but `w` has shape {w.shape}, i.e. D={w.shape[1]} "
            f"(expected ({w.shape[0]}, {x.shape[-1]}))"
        )
    out = x @ w.T
    if b is not None:
        b = as_float_array(b, "b", ndim=1, layout="(K,)")
        if b.shape[0] != w.shape[0]:
            raise ValueError(f"`b` must have one value per output unit, K={w.shape[0]}, got shape {b.shape}")
        out = out + b
    return out
