"""Pooling: slide a window over each feature map and keep one number per position.

Notes
-----
The window does slide. With the default ``stride=None`` the stride equals the
window size, so consecutive windows tile the map without overlapping; a
smaller stride makes them overlap. Rows and columns left over at the bottom
and right edges (when the size does not divide) are dropped, as in PyTorch's
default (``ceil_mode=False``).
"""

from __future__ import annotations

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from ._validation import as_float_array, as_int_pair, check_window_fits


def _windows(x, size, stride) -> np.ndarray:
    """Validate and return the strided window view, shape (..., OH, OW, KH, KW)."""
    x = as_float_array(x, "x", min_ndim=2, layout="(H, W) or (..., H, W)")
    size = as_int_pair(size, "size", minimum=1)
    stride = size if stride is None else as_int_pair(stride, "stride", minimum=1)
    check_window_fits(size, x.shape[-2:], "size", "window", "input's last two axes (H, W)")
    windows = sliding_window_view(x, size, axis=(-2, -1))
    return windows[..., :: stride[0], :: stride[1], :, :]


def max_pool2d(x, size=2, stride=None) -> np.ndarray:
    """Largest value in each window.

    Parameters
    ----------
    x : ndarray, shape (H, W) or (..., H, W)
        Pooling acts on the last two axes, separately for every leading index
        (e.g. every image and channel of an NCHW batch).
    size : int or (kh, kw), default 2
        Window size.
    stride : int or (sh, sw), optional
        Step of the window; ``None`` means ``stride = size`` (no overlap).

    Returns
    -------
    out : ndarray, shape (..., OH, OW), float64
        ``OH = (H - kh) // sh + 1``, ``OW = (W - kw) // sw + 1``.

    Examples
    --------
    >>> max_pool2d(np.arange(16).reshape(4, 4))
    array([[ 5.,  7.],
           [13., 15.]])
    >>> max_pool2d(np.zeros((8, 3, 28, 28)), size=3, stride=2).shape
    (8, 3, 13, 13)
    """
    return _windows(x, size, stride).max(axis=(-2, -1))


def avg_pool2d(x, size=2, stride=None) -> np.ndarray:
    """Mean of each window. Parameters and output shape as in :func:`max_pool2d`.

    Examples
    --------
    >>> avg_pool2d(np.arange(16).reshape(4, 4))
    array([[ 2.5,  4.5],
           [10.5, 12.5]])
    """
    return _windows(x, size, stride).mean(axis=(-2, -1))


def sum_pool2d(x, size=2, stride=None) -> np.ndarray:
    """Sum of each window (``avg_pool2d`` times the window's area).

    Parameters and output shape as in :func:`max_pool2d`.

    Examples
    --------
    >>> sum_pool2d(np.arange(16).reshape(4, 4))
    array([[10., 18.],
           [42., 50.]])
    """
    return _windows(x, size, stride).sum(axis=(-2, -1))


POOLING_KINDS = {"max": max_pool2d, "average": avg_pool2d, "sum": sum_pool2d}
"""The three pooling functions by name, as the notebooks and widgets offer them."""
