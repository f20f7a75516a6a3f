"""The arithmetic of windows: padding, output sizes, receptive fields and parameter counts.

Everything here is about sizes, not values: how much padding a mode adds, how
many positions a window takes, which input pixels one unit sees, how many
weights a layer needs. Notebooks 01, 04 and 09 are built on it.
"""

from __future__ import annotations

import numbers
from typing import NamedTuple

import numpy as np

from ._validation import as_float_array, as_int, as_int_pair, as_real, describe

PADDING_MODES = ("valid", "same", "full")
"""The named paddings: none, output as large as the input (at stride 1), every overlap."""


def resolve_padding(padding, kernel_shape: tuple[int, int], name: str = "padding"):
    """Turn ``padding`` into ``((top, bottom), (left, right))`` for a kernel of ``kernel_shape``.

    For a dilated kernel pass the pixels it spans, ``d(k - 1) + 1`` per axis (:func:`dilated_size`).

    ``padding`` is an int, a pair ``(ph, pw)``, or one of ``"valid"`` (no
    padding), ``"same"`` (output as large as the input at stride 1) and
    ``"full"`` (every position where kernel and image overlap at all). For an
    even kernel ``"same"`` cannot be symmetric: the extra row/column goes at the
    bottom/right, which is where ``scipy.signal.correlate2d`` puts it.
    """
    if isinstance(padding, str):
        mode = padding.lower()
        if mode not in PADDING_MODES:
            raise ValueError(
                f"`{name}` must be an int >= 0, a pair of ints, or one of {PADDING_MODES}, got {padding!r}"
            )
        pads = []
        for k in kernel_shape:
            if mode == "valid":
                pads.append((0, 0))
            elif mode == "full":
                pads.append((k - 1, k - 1))
            else:
                pads.append(((k - 1) // 2, k // 2))
        return tuple(pads)
    ph, pw = as_int_pair(padding, name, minimum=0)
    return ((ph, ph), (pw, pw))


def output_size(n, k, stride=1, padding=0, dilation=1) -> int:
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
        ``"same"`` adds ``d(k - 1)`` in total, ``"full"`` adds ``d(k - 1)`` on each side.
    dilation : int, default 1
        Gap factor of the window: its taps are ``dilation`` pixels apart, so it spans
        ``d(k - 1) + 1`` pixels; 1 is an ordinary window.

    Returns
    -------
    size : int
        ``(n + 2*padding - d(k - 1) - 1) // stride + 1`` (for a mode, the total padding
        replaces ``2*padding``); with ``d = 1`` this is ``(n + 2*padding - k) // stride + 1``.

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
    >>> output_size(28, 3, dilation=2)    # the window spans 5 pixels
    24
    """
    n = as_int(n, "n", minimum=1)
    k = as_int(k, "k", minimum=1)
    stride = as_int(stride, "stride", minimum=1)
    span = as_int(dilation, "dilation", minimum=1) * (k - 1) + 1
    if isinstance(padding, str):
        before, after = resolve_padding(padding, (span,))[0]
        total = before + after
        shown = f"padding={padding!r}"
    else:
        if isinstance(padding, (tuple, list)) or not isinstance(padding, numbers.Integral):
            raise TypeError(
                f"`padding` must be an int >= 0 or one of {PADDING_MODES} (one axis at a time), got {describe(padding)}"
            )
        total = 2 * as_int(padding, "padding", minimum=0)
        shown = f"2*padding={total}"
    if n + total < span:
        window = f"`k` = {k}" if span == k else f"the dilated window (k = {k}, dilation = {dilation}: {span} pixels)"
        raise ValueError(
            f"{window} is larger than the padded input n + {shown} = {n + total}: the window never fits, "
            "so there is no output (use a smaller k or more padding)"
        )
    return (n + total - span) // stride + 1


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
    if isinstance(padding, (tuple, list)) and len(padding) == 2 and all(isinstance(p, (tuple, list)) for p in padding):
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


def dilated_size(kernel_shape, dilation) -> tuple[int, ...]:
    """Pixels spanned by a kernel whose taps are ``dilation`` apart: ``d(k - 1) + 1`` per axis.

    Examples
    --------
    >>> dilated_size((3, 3), (2, 1))
    (5, 3)
    """
    if dilation == (1, 1):  # the common case, kept cheap (conv2d calls this twice per call)
        return tuple(kernel_shape)
    return tuple(d * (k - 1) + 1 for k, d in zip(kernel_shape, dilation, strict=True))


class ReceptiveField(NamedTuple):
    """The input pixels one unit sees: unit (i, j) sees rows ``step*i .. step*i + size - 1`` (columns alike).

    ``size`` is the side of the field in input pixels; ``step`` (also called the jump) is how far
    the field moves when the unit moves by one.
    """

    size: int
    step: int


def receptive_field(kernel_sizes, strides, dilations=None) -> list[ReceptiveField]:
    """Receptive field of a unit after each of a stack of square-window layers without padding.

    A layer with window k, stride s and dilation d grows the field by ``d * (k - 1) * step`` and
    multiplies the step by s: ``r_l = r_{l-1} + d_l (k_l - 1) j_{l-1}``, ``j_l = j_{l-1} s_l``,
    from ``r_0 = j_0 = 1``. A ReLU is a layer with k = s = 1 (it changes neither).

    Parameters
    ----------
    kernel_sizes : sequence of int, length L
        Window side of each layer (a convolution's kernel or a pooling window), each >= 1.
    strides : sequence of int, length L
        Stride of each layer, each >= 1.
    dilations : sequence of int, length L, optional
        Gap factor of each window (1 = no gaps); all 1 by default.

    Returns
    -------
    fields : list of ReceptiveField, length L
        ``(size, step)`` after layer 1, 2, ..., L.

    Examples
    --------
    >>> receptive_field([3, 3, 3], [1, 1, 1])
    [ReceptiveField(size=3, step=1), ReceptiveField(size=5, step=1), ReceptiveField(size=7, step=1)]
    >>> receptive_field([3, 2, 3], [1, 2, 1])[-1]    # conv 3x3, max pool 2, conv 3x3
    ReceptiveField(size=8, step=2)
    """
    kernel_sizes, strides = _int_sequence(kernel_sizes, "kernel_sizes"), _int_sequence(strides, "strides")
    dilations = [1] * len(kernel_sizes) if dilations is None else _int_sequence(dilations, "dilations")
    if not len(kernel_sizes) == len(strides) == len(dilations):
        raise ValueError(
            "`kernel_sizes`, `strides` and `dilations` must have one length (one entry per layer), "
            f"got {len(kernel_sizes)}, {len(strides)} and {len(dilations)}"
        )
    size, step, fields = 1, 1, []
    for k, s, d in zip(kernel_sizes, strides, dilations, strict=True):
        size += d * (k - 1) * step
        step *= s
        fields.append(ReceptiveField(size, step))
    return fields


def _int_sequence(values, name: str) -> list[int]:
    if isinstance(values, np.ndarray) and values.ndim == 1:
        values = values.tolist()
    if not isinstance(values, (list, tuple)):
        raise TypeError(f"`{name}` must be a sequence of integers >= 1 (one per layer), got {describe(values)}")
    numbers = []
    for i, value in enumerate(values):
        try:
            numbers.append(as_int(value, name, minimum=1))
        except (TypeError, ValueError) as error:
            raise type(error)(f"{error} (entry {i}: each layer's value)") from None
    return numbers


class DenseCounts(NamedTuple):
    """Sizes of a dense layer that sees a whole image: ``inputs``, ``weights`` and ``biases``."""

    inputs: int
    weights: int
    biases: int


def dense_counts(height, width, channels, hidden_units) -> DenseCounts:
    """Count the inputs, weights and biases of a dense layer fed a whole (height, width, channels) image.

    Every number of the image is one input, and every input is connected to every hidden unit by a
    weight of its own; each hidden unit adds one bias.

    Returns
    -------
    counts : DenseCounts
        ``inputs = height * width * channels``, ``weights = inputs * hidden_units``,
        ``biases = hidden_units``.

    Examples
    --------
    >>> dense_counts(200, 200, 3, 1000)
    DenseCounts(inputs=120000, weights=120000000, biases=1000)
    """
    height = as_int(height, "height", minimum=1)
    width = as_int(width, "width", minimum=1)
    channels = as_int(channels, "channels", minimum=1)
    hidden_units = as_int(hidden_units, "hidden_units", minimum=1)
    inputs = height * width * channels
    return DenseCounts(inputs, inputs * hidden_units, hidden_units)
