"""Every patch of a batch as one row (or column) of a matrix, and back: im2col and col2im for the layers.

A convolution layer takes, at every output position, the dot product of one
input patch with each filter. Laid out as the rows of one matrix, the patches
of a whole batch turn the layer into a single matrix product (one BLAS GEMM),
its weight gradient into another, and its input gradient into a third one
followed by the reverse of the layout: adding each patch's gradient back where
the patch was read (col2im). That reverse is a loop over the KH*KW kernel taps,
each adding a shifted, strided slice, never a loop over pixels (or, for thin
layers, over the KH kernel rows with banded filters: add_banded_products).

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

import math

import numpy as np
from numpy.lib.stride_tricks import as_strided

from . import _threads


def output_shape(space, kernel_shape, stride, dilation) -> tuple[int, int]:
    """(OH, OW) = ((H - dh*(KH - 1) - 1) // sh + 1, likewise W) for an already padded (H, W)."""
    (h, w), (kh, kw), (sh, sw), (dh, dw) = space, kernel_shape, stride, dilation  # unpacked: 0.3 us, not 1.1
    return (h - dh * (kh - 1) - 1) // sh + 1, (w - dw * (kw - 1) - 1) // sw + 1


def tap_slices(kernel_shape, stride, dilation, out_size):
    """Each tap (a, b) of a kernel, in row order, with the input rows and columns it reads at every output position.

    Yields ``(a, b, rows, cols)``: ``x[..., rows, cols]`` is an (..., OH, OW) strided view of the
    (padded) input holding, at (i, j), the pixel tap (a, b) meets when the kernel sits at output
    position (i, j): row ``a*dh + i*sh``, column ``b*dw + j*sw``. The loops of this module (and of
    the pooling layers) go over the taps this way, never over pixels.
    """
    (kh, kw), (sh, sw), (dh, dw), (oh, ow) = kernel_shape, stride, dilation, out_size
    for a in range(kh):
        for b in range(kw):
            yield a, b, slice(a * dh, a * dh + sh * (oh - 1) + 1, sh), slice(b * dw, b * dw + sw * (ow - 1) + 1, sw)


def patch_view(x: np.ndarray, kernel_shape, stride, dilation, axes=(2, 3)) -> np.ndarray:
    """Every patch of ``x`` as a read-only view (no copy): the window axes come last, (..., OH, OW, ..., KH, KW).

    ``axes`` are the (H, W) axes of ``x``: (2, 3) for (N, C, H, W) gives (N, C, OH, OW, KH, KW),
    (1, 2) for (N, H, W, C) gives (N, OH, OW, C, KH, KW). Made with ``as_strided`` (what
    ``sliding_window_view`` does, without its checks, which cost more than the view on small layers).
    """
    (sh, sw), (dh, dw) = stride, dilation
    out_h, out_w = output_shape((x.shape[axes[0]], x.shape[axes[1]]), kernel_shape, stride, dilation)
    shape, strides = list(x.shape), list(x.strides)
    shape[axes[0]], shape[axes[1]] = out_h, out_w
    strides[axes[0]], strides[axes[1]] = sh * x.strides[axes[0]], sw * x.strides[axes[1]]
    window_strides = (dh * x.strides[axes[0]], dw * x.strides[axes[1]])
    return as_strided(x, (*shape, *kernel_shape), (*strides, *window_strides), writeable=False)


def im2row(x: np.ndarray, kernel_shape, stride=(1, 1), dilation=(1, 1), out=None, then=None, pool=None) -> np.ndarray:
    """Patches of a channels-last batch as rows: (N, H, W, C) -> (N*OH*OW, KH*KW*C), one copy.

    Row ``(n*OH + i)*OW + j`` is the patch under the kernel at output position (i, j) of image n,
    read in (KH, KW, C) order; ``rows @ w.transpose(0, 2, 3, 1).reshape(F, -1).T`` is the layer's
    output, channels last, (N*OH*OW, F). ``out``: an array whose memory to write into if it is
    large enough (see :func:`reuse`), else a new one is made. ``then(rows, start, stop)``, if
    given, runs as soon as the rows of images start..stop are in place, on the thread that copied
    them (see :func:`_copy_images`).

    ``pool=(PH, PW)`` (which must divide OH and OW) orders the rows by pooling window tap instead
    (see :func:`pool_tap_major`); ``then`` then counts window rows ``a`` (each PW*N*OH/PH*OW/PW rows), not images.
    """
    n, _, _, c = x.shape
    oh, ow = output_shape(x.shape[1:3], kernel_shape, stride, dilation)
    patches = patch_view(x, kernel_shape, stride, dilation, axes=(1, 2)).transpose(0, 1, 2, 4, 5, 3)
    rows = reuse(out, (n * oh * ow, kernel_shape[0] * kernel_shape[1] * c), x.dtype)
    # always a copy, never a view of x: a layer keeps it for its backward pass
    if pool is None:  # (N, OH, OW, KH, KW, C)
        _copy_images(rows.reshape(n, oh, ow, *kernel_shape, c), patches, 0, rows, then)
    else:  # (PH, PW, N, OH/PH, OW/PW, KH, KW, C)
        _copy_images(
            rows.reshape(*pool, n, oh // pool[0], ow // pool[1], *kernel_shape, c),
            pool_tap_major(patches, pool, 1),
            0,
            rows,
            then,
        )
    return rows


def pool_tap_major(a: np.ndarray, pool, h_axis: int) -> np.ndarray:
    """A view of ``a`` with its (H, W) axes at ``h_axis`` split into windows of ``pool`` = (PH, PW), taps first.

    (..., H, W, ...) -> (PH, PW, ..., H/PH, W/PW, ...): element ``[p, q, ..., i, j, ...]`` is
    ``a[..., i*PH + p, j*PW + q, ...]``. A layer followed by a max pooling whose windows tile its
    output computes its output rows in this order, so that each tap of every window is one
    contiguous block and the pooling works on whole blocks (:class:`cnnlib.conv_pool.ConvMaxPool`).
    """
    (ph, pw), (h, w) = pool, a.shape[h_axis : h_axis + 2]
    split = a.reshape(*a.shape[:h_axis], h // ph, ph, w // pw, pw, *a.shape[h_axis + 2 :])
    rest = [axis for axis in range(split.ndim) if axis not in (h_axis + 1, h_axis + 3)]
    return split.transpose(h_axis + 1, h_axis + 3, *rest)


def row2im(rows: np.ndarray, shape, kernel_shape, stride=(1, 1), dilation=(1, 1)) -> np.ndarray:
    """The adjoint of :func:`im2row`: (N*OH*OW, KH*KW*C) -> (N, H, W, C), overlapping patches added up.

    Where patches overlap, their values add up: this is how dL/dx collects the gradient of every
    output position that read a pixel.
    """
    kh, kw = kernel_shape
    return tap2im(rows.reshape(rows.shape[0], kh * kw, -1).transpose(1, 0, 2), shape, kernel_shape, stride, dilation)


def tap2im(taps: np.ndarray, shape, kernel_shape, stride=(1, 1), dilation=(1, 1), out=None) -> np.ndarray:
    """:func:`row2im` of tap-major rows: (KH*KW, N*OH*OW, C) -> (N, H, W, C).

    ``taps[a*KW + b]`` holds what tap (a, b) of every patch adds back. This is the layout of
    ``np.matmul(g, filters)`` with g (N*OH*OW, F) and filters (KH*KW, F, C): each tap's slice is
    contiguous, so the adds below move runs of OW*C numbers (2.5x faster than from rows, whose
    runs are C numbers long). ``out``: an (N, H, W, C) array to add into (and return), else zeros.
    """
    n, h, w, c = shape
    kh, kw = kernel_shape
    oh, ow = output_shape((h, w), kernel_shape, stride, dilation)
    taps = taps.reshape(kh, kw, n, oh, ow, c)
    out = np.zeros(shape, dtype=taps.dtype) if out is None else out
    for a, b, rows, cols in tap_slices(kernel_shape, stride, dilation, (oh, ow)):
        out[:, rows, cols] += taps[a, b]
    return out


def add_tap_products(g: np.ndarray, filters: np.ndarray, out: np.ndarray, kernel_shape, stride=(1, 1), dilation=(1, 1)):
    """Add ``tap2im(np.matmul(g, filters), ...)`` into ``out`` (N, H, W, C), one tap at a time.

    g (N*OH*OW, F) is a gradient in rows, filters (KH*KW, F, C) tap-major: what ``Conv2D`` adds for dL/dx
    where it takes no banded filters (see :func:`add_banded_products`).

    Each tap's product goes into one small buffer and is added from there while it is still in the
    core's cache, instead of all KH*KW products going out to memory first and coming back for the adds
    (6.5 MB for the second layer of ``digit_cnn_wide`` on 64 images). The same products and adds, in
    the same order: the same numbers.
    """
    n, h, w, c = out.shape
    kw = kernel_shape[1]
    oh, ow = output_shape((h, w), kernel_shape, stride, dilation)
    product = np.empty((g.shape[0], c), dtype=np.result_type(g, filters))
    as_maps = product.reshape(n, oh, ow, c)
    for a, b, rows, cols in tap_slices(kernel_shape, stride, dilation, (oh, ow)):
        np.matmul(g, filters[a * kw + b], out=product)
        out[:, rows, cols] += as_maps
    return out


def banded_filters(filters: np.ndarray, kernel_shape, block: int, stride=(1, 1), dilation=(1, 1)) -> np.ndarray:
    """Tap-major filters (KH*KW, F, C) -> (KH, block*F, span*C): one banded matrix per kernel row.

    Row ``a`` of the kernel takes ``block`` neighbouring output positions of an output row (their
    gradients, block*F numbers) to what they add back onto the ``span = (block - 1)*sw + (KW - 1)*dw + 1``
    input positions they read in input row ``i*sh + a*dh`` (span*C numbers): output position t of the
    block reads input position ``t*sw + b*dw`` through tap (a, b). Zero where a position reads
    nothing, so most of each matrix is a band around a staircase (a block Toeplitz matrix).
    """
    (kh, kw), (sw, dw) = kernel_shape, (stride[1], dilation[1])
    f, c = filters.shape[1:]
    span = (block - 1) * sw + (kw - 1) * dw + 1
    banded = np.zeros((kh, block, f, span, c), dtype=filters.dtype)
    by_tap = filters.reshape(kh, kw, 1, f, c)
    s = banded.strides
    for b in range(kw):  # tap (a, b) lies on one staircase: output position t, input position t*sw + b*dw
        steps = np.ndarray((kh, block, f, c), banded.dtype, banded, b * dw * s[3], (s[0], s[1] + sw * s[3], s[2], s[4]))
        steps[...] = by_tap[:, b]
    return banded.reshape(kh, block * f, span * c)


def add_banded_products(g, banded, out, kernel_shape, stride=(1, 1), dilation=(1, 1)):
    """What :func:`add_tap_products` adds into ``out`` (N, H, W, C), with the filters as ``banded_filters(..., block)``.

    g (N*OH*OW, F) is a gradient in rows; OW must be a multiple of the block. Instead of KH*KW thin
    products (rows, F) @ (F, C), each followed by an add, one product per kernel row: every row of g's
    blocks, (N*OH*OW/block, block*F), times that kernel row's banded matrix, then one add per set of
    blocks that do not overlap in the input. The band's zeros are multiplied too (span/KW times the
    arithmetic), but BLAS runs a product of this shape at about twice the rate of the thin ones, and
    there are far fewer calls: on the second layer of ``digit_cnn_wide`` (32 images, blocks of 4, 1.6x
    the arithmetic, 5 products and 10 adds instead of 25 and 25) dL/dx took 0.9-1.1 ms against 1.3-1.6
    alone, 1.1 against 1.8 ms with the other thread doing the same (2-core Intel Xeon).
    For a finite g, the numbers agree with the taps' to rounding (BLAS adds the taps of a kernel row in
    another order). An infinity or NaN in g spreads as NaN over its whole block's span, with numpy's
    "invalid value" warning (zero times infinity), where the taps put infinity only where it goes.
    """
    n, h, w, c = out.shape
    kh = kernel_shape[0]
    (sh, sw), dh = stride, dilation[0]
    oh, ow = output_shape((h, w), kernel_shape, stride, dilation)
    block = banded.shape[1] // g.shape[1]
    span = banded.shape[2] // c
    if ow % block:
        raise ValueError(f"the output width {ow} must be a multiple of the block, {block}")
    blocks = ow // block
    # blocks `apart` apart read disjoint input positions: each such set of blocks is added at once
    apart = min(blocks, -(-span // (block * sw)))
    product = np.empty((g.shape[0] // block, span * c), dtype=np.result_type(g, banded))
    by_block = product.reshape(n, oh, blocks, span, c)
    g_blocks = g.reshape(-1, banded.shape[1])
    if not out.flags.c_contiguous:
        raise ValueError("`out` must be C-contiguous")  # the views below are made from its memory
    s = out.strides
    for a in range(kh):
        np.matmul(g_blocks, banded[a], out=product)
        for k in range(apart):
            count = len(range(k, blocks, apart))
            # the input positions that blocks k, k + apart, ... of every output row i add onto: row i*sh + a*dh
            target = np.ndarray(
                (n, oh, count, span, c),
                out.dtype,
                out,
                a * dh * s[1] + k * block * sw * s[2],
                (s[0], sh * s[1], apart * block * sw * s[2], s[2], s[3]),
            )
            target += by_block[:, :, k::apart]
    return out


def im2col(x: np.ndarray, kernel_shape, stride=(1, 1), dilation=(1, 1), out=None, then=None, pool=None) -> np.ndarray:
    """Patches of a batch as columns: (N, C, H, W) -> (C*KH*KW, N*OH*OW), one copy.

    Column ``(n*OH + i)*OW + j`` is the patch at output position (i, j) of image n, read in
    (C, KH, KW) order; ``w.reshape(F, -1) @ cols`` is the layer's output, channels first, (F, N*OH*OW).
    ``out``, ``then(cols, start, stop)`` and ``pool`` (columns by pooling window tap) as in :func:`im2row`.
    """
    n, c = x.shape[:2]
    oh, ow = output_shape(x.shape[2:], kernel_shape, stride, dilation)
    patches = patch_view(x, kernel_shape, stride, dilation).transpose(1, 4, 5, 0, 2, 3)  # (C, KH, KW, N, OH, OW)
    cols = reuse(out, (c * kernel_shape[0] * kernel_shape[1], n * oh * ow), x.dtype)
    if pool is None:
        _copy_images(cols.reshape(c, *kernel_shape, n, oh, ow), patches, 3, cols, then)
    else:  # (C, KH, KW, PH, PW, N, OH/PH, OW/PW); pool_tap_major puts the taps first, the copy wants them after KW
        taps_first = pool_tap_major(patches, pool, 4)
        _copy_images(
            cols.reshape(c, *kernel_shape, *pool, n, oh // pool[0], ow // pool[1]),
            taps_first.transpose(2, 3, 4, 0, 1, 5, 6, 7),
            3,
            cols,
            then,
        )
    return cols


def col2im(cols: np.ndarray, shape, kernel_shape, stride=(1, 1), dilation=(1, 1), out=None) -> np.ndarray:
    """The adjoint of :func:`im2col`: (C*KH*KW, N*OH*OW) -> (N, C, H, W), overlapping patches added up.

    Returns an (N, C, H, W) view of a (C, N, H, W) array (the order the taps are added in): ``out``
    if given, a (C, N, H, W) array to add into, else zeros.
    """
    n, c, h, w = shape
    kh, kw = kernel_shape
    oh, ow = output_shape((h, w), kernel_shape, stride, dilation)
    taps = cols.reshape(c, kh, kw, n, oh, ow)
    out = np.zeros((c, n, h, w), dtype=cols.dtype) if out is None else out
    for a, b, rows, columns in tap_slices(kernel_shape, stride, dilation, (oh, ow)):
        out[:, :, rows, columns] += taps[:, a, b]
    return out.transpose(1, 0, 2, 3)


def _copy_images(dst: np.ndarray, src: np.ndarray, axis: int, patches=None, then=None) -> None:
    """``np.copyto(dst, src)``; a large one in halves of the images (along ``axis``) on two threads in ``fit``.

    ``then(patches, start, stop)`` follows each part's copy on the same thread: a layer multiplies
    the rows just copied while they are still in that core's cache, with no second handoff.
    """

    def images(start, stop):
        index = (slice(None),) * axis + (slice(start, stop),)
        np.copyto(dst[index], src[index])
        if then is not None:
            then(patches, start, stop)

    _threads.in_halves_when_sharing(images, dst.shape[axis], dst.size)


def reuse(buffer, shape, dtype) -> np.ndarray:
    """An array of ``shape`` and ``dtype`` in the memory of ``buffer`` if it is large enough, else a new one.

    A layer hands back the patches of its previous batch: writing into pages already in use is
    cheaper than asking the system for fresh ones (measured: a small conv2d spent half its time
    in page faults, training 1 ms per batch in the system).
    """
    size = math.prod(shape)  # not np.prod: a tenth of the time on a tuple, which counts on small layers
    if buffer is not None and buffer.dtype == dtype and buffer.flags.c_contiguous and buffer.size >= size:
        return buffer.reshape(-1)[:size].reshape(shape)
    return np.empty(shape, dtype=dtype)


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
