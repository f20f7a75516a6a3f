"""Every patch of a batch as one row (or column) of a matrix, and back: im2col and col2im for the layers.

A convolution layer takes, at every output position, the dot product of one
input patch with each filter. Laid out as the rows of one matrix, the patches
of a whole batch turn the layer into a single matrix product (one BLAS GEMM),
its weight gradient into another, and its input gradient into a third one
followed by the reverse of the layout: adding each patch's gradient back where
the patch was read (col2im). That reverse is a loop over the KH*KW kernel taps,
each adding a shifted, strided slice, never a loop over pixels.

Two layouts, the same numbers; a layer picks the faster copy for its shapes:

- ``im2row`` reads a channels-last (N, H, W, C) batch into rows of (KH, KW, C):
  the copy moves runs of C adjacent numbers, fast when C is large;
- ``im2col`` reads an (N, C, H, W) batch into columns, (C, KH, KW) down and
  (N, OH, OW) across: the copy moves runs of OW numbers, fast when C is 1.

``cnnlib.im2col`` (notebook 04) keeps one matrix per image; these are the
training layers' fast paths. No function here validates: callers have checked
that the (dilated) kernel fits the input.
"""

from __future__ import annotations

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from .shapes import dilated_size


def output_shape(space, kernel_shape, stride, dilation) -> tuple[int, int]:
    """(OH, OW) = ((H - dh*(KH - 1) - 1) // sh + 1, likewise W) for an already padded (H, W)."""
    span = dilated_size(kernel_shape, dilation)
    return tuple((n - k) // s + 1 for n, k, s in zip(space, span, stride, strict=True))


def patch_view(x: np.ndarray, kernel_shape, stride, dilation, axes=(2, 3)) -> np.ndarray:
    """Every patch of ``x`` as a view (no copy): the window axes come last, (..., OH, OW, ..., KH, KW).

    ``axes`` are the (H, W) axes of ``x``: (2, 3) for (N, C, H, W) gives (N, C, OH, OW, KH, KW),
    (1, 2) for (N, H, W, C) gives (N, OH, OW, C, KH, KW).
    """
    (sh, sw), (dh, dw) = stride, dilation
    windows = sliding_window_view(x, dilated_size(kernel_shape, dilation), axis=axes)
    steps = [slice(None)] * x.ndim
    steps[axes[0]], steps[axes[1]] = slice(None, None, sh), slice(None, None, sw)
    return windows[(*steps, slice(None, None, dh), slice(None, None, dw))]


def im2row(x: np.ndarray, kernel_shape, stride=(1, 1), dilation=(1, 1)) -> np.ndarray:
    """Patches of a channels-last batch as rows: (N, H, W, C) -> (N*OH*OW, KH*KW*C), one copy.

    Row ``(n*OH + i)*OW + j`` is the patch under the kernel at output position (i, j) of image n,
    read in (KH, KW, C) order; ``rows @ w.transpose(0, 2, 3, 1).reshape(F, -1).T`` is the layer's
    output, channels last, (N*OH*OW, F).
    """
    n, _, _, c = x.shape
    oh, ow = output_shape(x.shape[1:3], kernel_shape, stride, dilation)
    patches = patch_view(x, kernel_shape, stride, dilation, axes=(1, 2))  # (N, OH, OW, C, KH, KW)
    rows = np.empty((n * oh * ow, kernel_shape[0] * kernel_shape[1] * c), dtype=x.dtype)
    # always a copy, never a view of x: a layer keeps it for its backward pass
    np.copyto(rows.reshape(n, oh, ow, *kernel_shape, c), patches.transpose(0, 1, 2, 4, 5, 3))
    return rows


def im2col(x: np.ndarray, kernel_shape, stride=(1, 1), dilation=(1, 1)) -> np.ndarray:
    """Patches of a batch as columns: (N, C, H, W) -> (C*KH*KW, N*OH*OW), one copy.

    Column ``(n*OH + i)*OW + j`` is the patch at output position (i, j) of image n, read in
    (C, KH, KW) order; ``w.reshape(F, -1) @ cols`` is the layer's output, channels first, (F, N*OH*OW).
    """
    n, c = x.shape[:2]
    oh, ow = output_shape(x.shape[2:], kernel_shape, stride, dilation)
    patches = patch_view(x, kernel_shape, stride, dilation)  # (N, C, OH, OW, KH, KW)
    cols = np.empty((c * kernel_shape[0] * kernel_shape[1], n * oh * ow), dtype=x.dtype)
    np.copyto(cols.reshape(c, *kernel_shape, n, oh, ow), patches.transpose(1, 4, 5, 0, 2, 3))
    return cols


def col2im(cols: np.ndarray, shape, kernel_shape, stride=(1, 1), dilation=(1, 1)) -> np.ndarray:
    """The adjoint of :func:`im2col`: (C*KH*KW, N*OH*OW) -> (N, C, H, W), overlapping patches added up.

    Where patches overlap, their values add up: this is how dL/dx collects the gradient of every
    output position that read a pixel. Returns an (N, C, H, W) view of a (C, N, H, W) array.
    """
    n, c, h, w = shape
    (kh, kw), (sh, sw), (dh, dw) = kernel_shape, stride, dilation
    oh, ow = output_shape((h, w), kernel_shape, stride, dilation)
    taps = cols.reshape(c, kh, kw, n, oh, ow)
    out = np.zeros((c, n, h, w), dtype=cols.dtype)
    for a in range(kh):  # a loop over the kernel's taps, never over pixels
        for b in range(kw):
            out[:, :, a * dh : a * dh + sh * (oh - 1) + 1 : sh, b * dw : b * dw + sw * (ow - 1) + 1 : sw] += taps[
                :, a, b
            ]
    return out.transpose(1, 0, 2, 3)


def input_gradient(g: np.ndarray, w: np.ndarray, shape, stride=(1, 1), dilation=(1, 1)) -> np.ndarray:
    """dL/dx of a convolution: ``col2im(w.reshape(F, -1).T @ g_cols)``, (N, F, OH, OW) -> (N, C, H, W).

    ``shape`` is the (padded) input's (N, C, H, W). Returns an (N, C, H, W) view of a (C, N, H, W) array.

    At stride 1 the rows of g are first widened with zeros from OW to W. Then output position
    (i, j) sits at ``i*W + j`` and tap (a, b) adds it to pixel ``(i + a*dh)*W + j + b*dw``: the
    same shift for every position, so each tap adds one long contiguous run per channel and image
    instead of OH runs of OW numbers (5x faster for the digit CNN's second layer, for 1.5x the
    multiplications; the widened positions are zeros, and what they add lands where nothing else does).
    """
    n, c, h, width = shape
    f, _, kh, kw = w.shape
    oh, ow = g.shape[2:]
    w_cols = w.reshape(f, -1)  # (F, C*KH*KW)
    if stride != (1, 1):
        g_cols = g.transpose(1, 0, 2, 3).reshape(f, -1)  # (F, N*OH*OW)
        return col2im(w_cols.T @ g_cols, shape, (kh, kw), stride, dilation)
    dh, dw = dilation
    wide = np.zeros((f, n, oh, width), dtype=g.dtype)
    wide[:, :, :, :ow] = g.transpose(1, 0, 2, 3)
    taps = (w_cols.T @ wide.reshape(f, -1)).reshape(c, kh, kw, n, oh * width)
    run = oh * width
    out = np.zeros((c, n, h * width + (kw - 1) * dw), dtype=taps.dtype)  # room for the last row's overhang
    for a in range(kh):  # a loop over the kernel's taps, never over pixels
        for b in range(kw):
            start = a * dh * width + b * dw
            out[:, :, start : start + run] += taps[:, a, b]
    return out[:, :, : h * width].reshape(c, n, h, width).transpose(1, 0, 2, 3)


def pad_channels_last(x: np.ndarray, pads) -> np.ndarray:
    """(N, C, H, W) -> zero-padded, channels-last (N, H + top + bottom, W + left + right, C), in one copy.

    No copy at all when there is no padding and ``x`` is already stored channels last
    (a layer's output often is: see ``Conv2D``).
    """
    (top, bottom), (left, right) = pads
    last = x.transpose(0, 2, 3, 1)
    if top + bottom + left + right == 0:
        return np.ascontiguousarray(last)
    n, h, w, c = last.shape
    out = np.zeros((n, h + top + bottom, w + left + right, c), dtype=x.dtype)
    out[:, top : top + h, left : left + w] = last
    return out
