"""Pooling: slide a window over each feature map and keep one number per position.

Notes
-----
The window does slide. With the default ``stride=None`` the stride equals the
window size, so consecutive windows tile the map without overlapping; a
smaller stride makes them overlap. Rows and columns left over at the bottom
and right edges (when the size does not divide) are dropped, as in PyTorch's
default (``ceil_mode=False``).

``padding`` adds a border before pooling, as PyTorch does: max pooling pads
with -inf (a border never wins), average pooling with zeros that count in the
mean (PyTorch's default ``count_include_pad=True``), sum pooling with zeros.
A pad may be at most half the window, so every window holds a real value.
"""

from __future__ import annotations

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from ._validation import as_float_array, as_int_pair, check_window_fits


def pool_padding(padding, size) -> tuple[int, int]:
    """``padding`` as ``(ph, pw)``, each at most half the window ``size`` (PyTorch's rule)."""
    pads = as_int_pair(padding, "padding", minimum=0)
    for pad, side, axis in zip(pads, size, "HW", strict=True):
        if pad > side // 2:
            raise ValueError(
                f"`padding` must be at most half the window (size // 2 = {side // 2} along {axis}), got {pad}: "
                "a window could then hold only padding (PyTorch refuses it too)"
            )
    return pads


def _windows(x, size, stride, padding=0, fill=0.0) -> np.ndarray:
    """Validate, pad with ``fill`` and return the strided window view, shape (..., OH, OW, KH, KW)."""
    x = as_float_array(x, "x", min_ndim=2, layout="(H, W) or (..., H, W)")
    size = as_int_pair(size, "size", minimum=1)
    stride = size if stride is None else as_int_pair(stride, "stride", minimum=1)
    ph, pw = pool_padding(padding, size)
    if ph or pw:
        x = np.pad(x, [(0, 0)] * (x.ndim - 2) + [(ph, ph), (pw, pw)], constant_values=fill)
    where = "padded input's last two axes (H, W)" if ph or pw else "input's last two axes (H, W)"
    check_window_fits(size, x.shape[-2:], "size", "window", where)
    windows = sliding_window_view(x, size, axis=(-2, -1))
    return windows[..., :: stride[0], :: stride[1], :, :]


def max_pool2d(x, size=2, stride=None, padding=0) -> np.ndarray:
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
    padding : int or (ph, pw), default 0
        Border added on each side before pooling, at most half the window; -inf here,
        so the border never wins (zeros for average and sum pooling).

    Returns
    -------
    out : ndarray, shape (..., OH, OW), float64
        ``OH = (H + 2*ph - kh) // sh + 1``, ``OW = (W + 2*pw - kw) // sw + 1``.

    Examples
    --------
    >>> max_pool2d(np.arange(16).reshape(4, 4))
    array([[ 5.,  7.],
           [13., 15.]])
    >>> max_pool2d(np.zeros((8, 3, 28, 28)), size=3, stride=2).shape
    (8, 3, 13, 13)
    >>> max_pool2d(-np.ones((2, 2)), padding=1)    # the -inf border never wins
    array([[-1., -1.],
           [-1., -1.]])
    """
    return _windows(x, size, stride, padding, fill=-np.inf).max(axis=(-2, -1))


def avg_pool2d(x, size=2, stride=None, padding=0) -> np.ndarray:
    """Mean of each window. Parameters and output shape as in :func:`max_pool2d`.

    A padded border is zeros, and they count in the mean (PyTorch's ``count_include_pad=True``).

    Examples
    --------
    >>> avg_pool2d(np.arange(16).reshape(4, 4))
    array([[ 2.5,  4.5],
           [10.5, 12.5]])
    >>> avg_pool2d(np.ones((2, 2)), padding=1)      # each corner window holds one 1 and three zeros
    array([[0.25, 0.25],
           [0.25, 0.25]])
    """
    return _windows(x, size, stride, padding).mean(axis=(-2, -1))


def sum_pool2d(x, size=2, stride=None, padding=0) -> np.ndarray:
    """Sum of each window (``avg_pool2d`` times the window's area).

    Parameters and output shape as in :func:`max_pool2d`.

    Examples
    --------
    >>> sum_pool2d(np.arange(16).reshape(4, 4))
    array([[10., 18.],
           [42., 50.]])
    """
    return _windows(x, size, stride, padding).sum(axis=(-2, -1))


POOLING_KINDS = {"max": max_pool2d, "average": avg_pool2d, "sum": sum_pool2d}
"""The three pooling functions by name, as the notebooks and widgets offer them."""
