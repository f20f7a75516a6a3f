"""Padding an image and predicting the size of a convolution's output."""

from __future__ import annotations

import numbers

import numpy as np

from ._validation import PADDING_MODES, as_float_array, as_int, as_int_pair, as_real, describe, resolve_padding


def output_size(n, k, stride=1, padding=0) -> int:
    """Number of positions a window of size ``k`` takes along an axis of size ``n``.

    Parameters
    ----------
    n : int
        Input size along one axis (height or width), ``n >= 1``.
    k : int
        Kernel (or pooling window) size along that axis, ``k >= 1``.
    stride : int, default 1
        Step between two positions of the window, ``stride >= 1``.
    padding : int or {"valid", "same", "full"}, default 0
        Zeros added on *each* side (an int), or a mode: ``"valid"`` = 0,
        ``"same"`` adds ``k - 1`` in total, ``"full"`` adds ``k - 1`` on each side.

    Returns
    -------
    size : int
        ``(n + 2*padding - k) // stride + 1`` (for a mode, the total padding
        replaces ``2*padding``).

    Raises
    ------
    ValueError
        If the window does not fit in the padded input even once.

    Examples
    --------
    >>> output_size(28, 3)
    26
    >>> output_size(7, 3, stride=2, padding=1)
    4
    >>> output_size(28, 5, padding="same")
    28
    """
    n = as_int(n, "n", minimum=1)
    k = as_int(k, "k", minimum=1)
    stride = as_int(stride, "stride", minimum=1)
    if isinstance(padding, str):
        before, after = resolve_padding(padding, (k,))[0]
        total = before + after
        shown = f"padding={padding!r}"
    else:
        if isinstance(padding, (tuple, list)) or not isinstance(padding, numbers.Integral):
            raise TypeError(
                f"`padding` must be an int >= 0 or one of {PADDING_MODES} (one axis at a time), got {describe(padding)}"
            )
        total = 2 * as_int(padding, "padding", minimum=0)
        shown = f"2*padding={total}"
    if n + total < k:
        raise ValueError(
            f"`k` = {k} is larger than the padded input n + {shown} = {n + total}: the window never fits, "
            "so there is no output (use a smaller k or more padding)"
        )
    return (n + total - k) // stride + 1


def pad2d(image, padding, value=0) -> np.ndarray:
    """Surround an image with a border of constant ``value``.

    Parameters
    ----------
    image : ndarray, shape (H, W) or (..., H, W)
        Only the last two axes are padded.
    padding : int or (ph, pw) or ((top, bottom), (left, right))
        Rows added above and below, columns added left and right.
    value : float, default 0
        The value of the border.

    Returns
    -------
    out : ndarray, shape (..., H + top + bottom, W + left + right), float64

    Examples
    --------
    >>> pad2d(np.ones((2, 3)), 1).shape
    (4, 5)
    >>> pad2d(np.ones((2, 3)), (0, 2))
    array([[0., 0., 1., 1., 1., 0., 0.],
           [0., 0., 1., 1., 1., 0., 0.]])
    """
    image = as_float_array(image, "image", min_ndim=2, layout="(H, W) or (..., H, W)")
    pads = _as_pads(padding)
    value = as_real(value, "value", finite=False)  # -inf pads a max pool
    widths = [(0, 0)] * (image.ndim - 2) + list(pads)
    return np.pad(image, widths, mode="constant", constant_values=value)


def _as_pads(padding):
    """Accept an int, a pair, or a pair of pairs; return ((top, bottom), (left, right))."""
    if isinstance(padding, (tuple, list)) and len(padding) == 2 and all(
        isinstance(p, (tuple, list)) for p in padding
    ):
        top, bottom = as_int_pair(padding[0], "padding", minimum=0)
        left, right = as_int_pair(padding[1], "padding", minimum=0)
        return ((top, bottom), (left, right))
    if isinstance(padding, str):
        raise TypeError(
            f"`padding` for pad2d must be an int, a pair (ph, pw) or ((top, bottom), (left, right)), got {padding!r} "
            "(modes need a kernel size: use correlate2d(..., padding=mode))"
        )
    ph, pw = as_int_pair(padding, "padding", minimum=0)
    return ((ph, ph), (pw, pw))
