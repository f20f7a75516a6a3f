"""Convolution and cross-correlation: 1-D, one 2-D image, and a batch (NCHW layer).

Notes
-----
*Convolution* flips the kernel before sliding it; *cross-correlation* does not.
CNN layers (and this module's ``conv2d``) compute cross-correlation: since the
filter values are learned, flipping them would change nothing but the bookkeeping.
Every output value is an element-wise multiply-and-sum of one image patch with
the kernel (a dot product of two vectors), not a matrix product. ``im2col`` is
the trick that lays all the patches out as the columns of one matrix, so that a
whole layer does become a single matrix product, which BLAS computes fast.
"""

from __future__ import annotations

import threading

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from . import _threads, columns
from ._validation import as_float_array, as_int_pair, check_window_fits
from .shapes import dilated_size, resolve_padding

# Below this many output pixels per kernel tap, one matrix-vector product over a
# window view beats a Python loop over the kernel taps (measured with bench_correlate:
# 28 x 28 images take the product with kernels from 3 x 3 on, 64 x 64 the loop up to 5 x 5).
_TAPS_MIN_PIXELS_PER_TAP = 128
# conv2d lays out the columns of a few images at a time, about this many bytes,
# so that they are still in cache (L3) when the matrix product reads them: one im2col
# of a whole 64-image batch of 28x28x16 spills to RAM. Measured on bench_conv2d's grid
# (AMD EPYC, 2 cores, 32 MB L3): 4 MB chunks were faster than 1 MB and 256 KB on
# almost every layer, 10-30% on the small ones, where fewer chunks mean fewer calls.
_COLUMN_CHUNK_BYTES = 1 << 22
# With few taps per filter (C*KH*KW up to _FEW_TAPS), the product does only K multiply-adds per
# number it reads or writes, so it runs at the speed of the cache that holds its columns and output:
# on one thread such chunks are cut at about _FEW_TAPS_CHUNK_BYTES of columns and output together,
# which stay in L2 (1 MB per core here). Measured on one thread, 64 images of 14 x 14, against 4 MB
# chunks of columns: C = 1, F = 16 went from 0.145 to 0.11 ms with 3 x 3 filters and from 0.20 to
# 0.16 ms with 5 x 5; C = 4, F = 16, 3 x 3 from 0.34 to 0.27 ms. Against PyTorch, C = 1, F = 16,
# 3 x 3 took 1.73x with 256 KB chunks, 1.52x with 512 KB, 1.45x with 1 MB and 1.9x with 2 MB. Shared
# among threads, fewer and larger chunks did better (each chunk hands the GIL between the threads):
# C = 1, 28 x 28 layers took 0.95-0.99x PyTorch's time in 8 chunks, 1.09-1.16x in 512 KB ones.
_FEW_TAPS = 64
_FEW_TAPS_CHUNK_BYTES = 1 << 20
# From this many multiply-adds on, conv2d shares a batch's chunks among the cores. Below, handing work
# to another thread costs more than it saves: a helper takes 15-85 us to wake on these VMs, and the two
# threads then hand the GIL to each other between chunks. Measured on bench_conv2d's layers, 2 cores,
# ratios to PyTorch alone / shared: C = 1, F = 16, 14 x 14, 3 x 3 (1.5 million) 1.49-1.52 / 2.23;
# C = 1, F = 8, 14 x 14, 5 x 5 (1.8 million) 1.40 / 2.0; C = 1, F = 16, 14 x 14, 5 x 5 (3.6 million)
# 1.56-1.63 / 1.38; C = 1, F = 8, 28 x 28, 3 x 3 (3.4 million) 1.40-1.43 / 1.21.
_SPLIT_MIN_PRODUCTS = 1 << 21
# A shared batch is cut into about this many chunks (fewer if it has fewer images), so that each core
# gets about as many images.
_SHARED_CHUNKS = 8
# For short output rows (OW below this), or rows where less than _WHOLE_ROWS_MAX_WASTE of the positions
# computed would be dropped, and up to this many taps per filter (C*KH*KW), conv2d at stride 1 copies
# whole rows of the input (conv2d_padded). Measured on bench_conv2d's grid, 2 cores: 1.1-1.35x faster
# on 14 x 14 maps with C = 1 and 4, 1.2-1.4x with C = 16 (144 and 400 taps, the largest measured);
# on 28 x 28 maps with 3 x 3 filters (2 of 28 positions dropped) about 1.1x faster with C = 1 and 4,
# the same with C = 16; with 5 x 5 (4 of 28 dropped) up to 1.2x slower.
_WHOLE_ROWS_BELOW_WIDTH = 16
_WHOLE_ROWS_MAX_WASTE = 0.125
_WHOLE_ROWS_MAX_TAPS = 400


class _Scratch(threading.local):
    """Each thread's columns buffer, reused from chunk to chunk and call to call (``columns.reuse``).

    ``layout`` is (dtype, taps, images, columns per image, columns copied per image) of ``view``,
    the (taps, images, columns per image) array last laid out in ``cols``.
    """

    cols = view = layout = None


_scratch = _Scratch()


def correlate2d_naive(image, kernel) -> np.ndarray:
    """Cross-correlate an image with a kernel, one output pixel at a time ('valid' only).

    The readable reference: for every position, take the patch under the
    kernel, multiply element-wise and add up.

    Parameters
    ----------
    image : ndarray, shape (H, W)
    kernel : ndarray, shape (KH, KW), with KH <= H and KW <= W

    Returns
    -------
    out : ndarray, shape (H - KH + 1, W - KW + 1), float64

    Examples
    --------
    >>> correlate2d_naive(np.arange(16).reshape(4, 4), np.ones((3, 3)))
    array([[45., 54.],
           [81., 90.]])
    """
    image = as_float_array(image, "image", ndim=2, layout="(H, W)")
    kernel = as_float_array(kernel, "kernel", ndim=2, layout="(KH, KW)")
    check_window_fits(kernel.shape, image.shape, "kernel", "of shape", "image")
    kh, kw = kernel.shape
    out = np.zeros((image.shape[0] - kh + 1, image.shape[1] - kw + 1))
    for i in range(out.shape[0]):
        for j in range(out.shape[1]):
            patch = image[i : i + kh, j : j + kw]
            out[i, j] = np.sum(patch * kernel)
    return out


def correlate2d(image, kernel, *, stride=1, padding=0, dilation=1) -> np.ndarray:
    """Cross-correlate an image with a kernel (no flip), vectorised.

    Parameters
    ----------
    image : ndarray, shape (H, W)
    kernel : ndarray, shape (KH, KW)
    stride : int or (sh, sw), default 1
        Step of the kernel along H and W.
    padding : int or (ph, pw) or {"valid", "same", "full"}, default 0
        Zeros around the image. ``"valid"``: none, output ``H - KH + 1``.
        ``"same"``: output as large as the image at stride 1 (for an even
        kernel the extra zero row/column goes at the bottom/right, as in
        scipy). ``"full"``: ``KH - 1`` rows on each side, output ``H + KH - 1``.
    dilation : int or (dh, dw), default 1
        Gap between the kernel's taps: a 3 x 3 kernel with dilation 2 reads a 5 x 5
        patch, every other pixel. The modes pad for the dilated span ``d(K - 1) + 1``.

    Returns
    -------
    out : ndarray, shape (OH, OW), float64
        ``OH = (H + top + bottom - dh*(KH - 1) - 1) // sh + 1``, likewise ``OW``.

    Notes
    -----
    ``out[i, j] = sum_{a, b} padded[i*sh + a*dh, j*sw + b*dw] * kernel[a, b]``.
    With stride 1 this equals ``scipy.signal.correlate2d(image, kernel, mode)``.
    The loop runs over the KH*KW kernel taps (each one shifts the whole image),
    never over pixels.

    Examples
    --------
    >>> correlate2d(np.ones((28, 28)), np.ones((3, 3))).shape
    (26, 26)
    >>> correlate2d(np.ones((28, 28)), np.ones((3, 3)), stride=2, padding="same").shape
    (14, 14)
    >>> correlate2d(np.ones((28, 28)), np.ones((3, 3)), dilation=2).shape
    (24, 24)
    """
    image = as_float_array(image, "image", ndim=2, layout="(H, W)")
    kernel = as_float_array(kernel, "kernel", ndim=2, layout="(KH, KW)")
    stride = as_int_pair(stride, "stride", minimum=1)
    dilation = _dilation_pair(dilation)
    pads = resolve_padding(padding, kernel.shape if dilation == (1, 1) else dilated_size(kernel.shape, dilation))
    return _correlate_padded(image, kernel, stride, pads, dilation)


def convolve2d(image, kernel, *, stride=1, padding=0, dilation=1) -> np.ndarray:
    """Convolve an image with a kernel: cross-correlation with the kernel flipped.

    Parameters and output shape as in :func:`correlate2d`. With stride 1 the
    result equals ``scipy.signal.convolve2d(image, kernel, mode)``.

    Notes
    -----
    ``out[i, j] = sum_{a, b} padded[i*sh + a, j*sw + b] * kernel[KH-1-a, KW-1-b]``:
    the kernel is turned by 180 degrees. For an even kernel, ``"same"`` puts
    the extra zero row/column at the top/left (scipy's convention: the flip
    mirrors the padding too).

    Examples
    --------
    The flipped kernel is [[4, 3], [2, 1]]; on the diagonal patches it picks 4 + 1:

    >>> convolve2d(np.eye(3), np.array([[1, 2], [3, 4]]))
    array([[5., 2.],
           [3., 5.]])
    """
    image = as_float_array(image, "image", ndim=2, layout="(H, W)")
    kernel = as_float_array(kernel, "kernel", ndim=2, layout="(KH, KW)")
    stride = as_int_pair(stride, "stride", minimum=1)
    dilation = _dilation_pair(dilation)
    (top, bottom), (left, right) = resolve_padding(padding, dilated_size(kernel.shape, dilation))
    return _correlate_padded(image, kernel[::-1, ::-1], stride, ((bottom, top), (right, left)), dilation)


def convolve1d(f, g, mode="full") -> np.ndarray:
    """Discrete 1-D convolution ``(f * g)[n] = sum_k f[k] g[n - k]``.

    Parameters
    ----------
    f : ndarray, shape (M,)
    g : ndarray, shape (K,)
    mode : {"full", "same", "valid"}, default "full"
        As in ``np.convolve``: ``"full"`` keeps every shift where the two
        overlap (length M + K - 1), ``"same"`` the centre max(M, K) values,
        ``"valid"`` only the shifts with complete overlap (max(M, K) - min(M, K) + 1).

    Returns
    -------
    out : ndarray, shape (M + K - 1,) for "full", float64

    Examples
    --------
    >>> convolve1d([1, 2, 3], [0, 1, 0.5])
    array([0. , 1. , 2.5, 4. , 1.5])
    """
    f = as_float_array(f, "f", ndim=1, layout="(M,)")
    g = as_float_array(g, "g", ndim=1, layout="(K,)")
    if mode not in ("full", "same", "valid"):
        raise ValueError(f"`mode` must be one of ('full', 'same', 'valid'), got {mode!r}")
    k = g.size
    padded = np.pad(f, k - 1)
    full = sliding_window_view(padded, k) @ g[::-1]
    short, long = sorted((f.size, g.size))
    if mode == "same":
        start = (short - 1) // 2
        return full[start : start + long]
    if mode == "valid":
        return full[short - 1 : long]
    return full


def im2col(x, kernel_shape, stride=1, dilation=1) -> np.ndarray:
    """Lay out every patch of a batch as one column of a matrix (no padding added).

    Parameters
    ----------
    x : ndarray, shape (N, C, H, W)
    kernel_shape : (KH, KW)
    stride : int or (sh, sw), default 1
    dilation : int or (dh, dw), default 1

    Returns
    -------
    cols : ndarray, shape (N, C*KH*KW, OH*OW)
        ``cols[n, :, i*OW + j]`` is the patch under the kernel at output
        position ``(i, j)``, flattened in (C, KH, KW) order, so that
        ``w.reshape(F, -1) @ cols`` is the layer's output for filters ``w``.

    Examples
    --------
    >>> im2col(np.zeros((2, 3, 5, 5)), (3, 3)).shape
    (2, 27, 9)
    """
    x = as_float_array(x, "x", ndim=4, layout="(N, C, H, W)")
    kh, kw = as_int_pair(kernel_shape, "kernel_shape", minimum=1)
    sh, sw = as_int_pair(stride, "stride", minimum=1)
    dilation = as_int_pair(dilation, "dilation", minimum=1)
    _check_span_fits((kh, kw), dilation, x.shape[2:], "kernel_shape", "input")
    return im2col_unchecked(x, (kh, kw), (sh, sw), dilation)


def conv2d(x, w, b=None, *, stride=1, padding=0, dilation=1) -> np.ndarray:
    """Forward pass of a convolutional layer on a batch (cross-correlation, NCHW).

    Parameters
    ----------
    x : ndarray, shape (N, C, H, W)
        N images of C channels each.
    w : ndarray, shape (F, C, KH, KW)
        F filters; each spans all C input channels.
    b : ndarray, shape (F,), optional
        One bias per filter.
    stride : int or (sh, sw), default 1
    padding : int or (ph, pw) or {"valid", "same", "full"}, default 0
    dilation : int or (dh, dw), default 1
        Gap between the filter's taps (``torch.nn.functional.conv2d(dilation=...)``).

    Returns
    -------
    out : ndarray, shape (N, F, OH, OW), float64
        ``OH = (H + 2*ph - dh*(KH - 1) - 1) // sh + 1``, likewise ``OW``.
        ``out[n, f] = sum_c correlate2d(x[n, c], w[f, c]) + b[f]``; agrees
        with ``torch.nn.functional.conv2d``.

    Notes
    -----
    Computed as im2col followed by a matrix product (BLAS), a few images at a
    time so that the columns are still in cache when the product reads them. A
    large batch's images are shared among the cores, each on its own thread.
    The product comes out filters first, so ``out`` is a view of an (F, N, ...)
    array (``np.ascontiguousarray(out)`` if a caller needs NCHW in memory).

    Examples
    --------
    >>> conv2d(np.zeros((4, 3, 28, 28)), np.zeros((8, 3, 5, 5)), padding=2).shape
    (4, 8, 28, 28)
    """
    x = as_float_array(x, "x", ndim=4, layout="(N, C, H, W)")
    w = as_float_array(w, "w", ndim=4, layout="(F, C, KH, KW)")
    if w.shape[1] != x.shape[1]:
        raise ValueError(
            f"`w` must have as many channels as `x`: filters of shape {w.shape} have C={w.shape[1]}, "
            f"but `x` of shape {x.shape} has C={x.shape[1]}"
        )
    n_filters = w.shape[0]
    if b is not None:
        b = as_float_array(b, "b", ndim=1, layout="(F,)")
        if b.shape[0] != n_filters:
            raise ValueError(f"`b` must have one value per filter, F={n_filters}, got shape {b.shape}")
    stride = as_int_pair(stride, "stride", minimum=1)
    dilation = _dilation_pair(dilation)
    padded = pad_nchw(x, resolve_padding(padding, dilated_size(w.shape[2:], dilation)))
    _check_span_fits(w.shape[2:], dilation, padded.shape[2:], "w", "padded input", what="with kernel size")
    return conv2d_padded(padded, w, b, stride, dilation)


def _dilation_pair(dilation) -> tuple[int, int]:
    """``dilation`` as (dh, dw); the default 1 skips validation (fixed costs dominate small images)."""
    return (1, 1) if type(dilation) is int and dilation == 1 else as_int_pair(dilation, "dilation", minimum=1)


def pad_nchw(x: np.ndarray, pads) -> np.ndarray:
    """Zero-pad the H and W axes of an NCHW batch by ``((top, bottom), (left, right))``."""
    (top, bottom), (left, right) = pads
    if top + bottom + left + right == 0:
        return x
    return np.pad(x, ((0, 0), (0, 0), (top, bottom), (left, right)))


def conv2d_padded(padded: np.ndarray, w: np.ndarray, b, stride, dilation=(1, 1)) -> np.ndarray:
    """The arithmetic of :func:`conv2d` on an already padded, validated batch.

    Keeps the inputs' dtype (float32 layers stay float32). Shapes:
    ``padded`` (N, C, Hp, Wp), ``w`` (F, C, KH, KW), ``b`` (F,) or None;
    returns (N, F, OH, OW), a view of an (F, N, ...) array (see :func:`conv2d`).
    """
    n, n_filters = padded.shape[0], w.shape[0]
    oh, ow = columns.output_shape(padded.shape[2:], w.shape[2:], stride, dilation)
    w_rows = w.reshape(n_filters, -1)
    taps = w_rows.shape[1]
    dtype = np.result_type(padded, w)
    width = padded.shape[3]
    whole_rows = (
        stride == (1, 1)
        and taps <= _WHOLE_ROWS_MAX_TAPS
        and (ow < _WHOLE_ROWS_BELOW_WIDTH or width - ow < _WHOLE_ROWS_MAX_WASTE * width)
    )
    if whole_rows:
        # Short rows (or wide ones with few positions wasted), few taps: copying runs of OW numbers
        # costs about as much as the product, so copy longer runs. Output positions are taken along
        # whole rows of the input, OW real ones and W - OW that wrap past the edge (computed, then
        # dropped): each tap's columns are then one run of the image, (OH - 1) * W + OW long. The
        # W - OW columns after it (past the image's end) are set to zero: like every wrapped
        # position, they only feed outputs that are dropped.
        padded = np.ascontiguousarray(padded)
        run, per_image = (oh - 1) * width + ow, oh * width
        image, channel, row, col = padded.strides
        kh, kw = w.shape[2:]
        patches = np.ndarray(  # (C, KH, KW, N, run), a view of the input's memory
            (w.shape[1], kh, kw, n, run),
            padded.dtype,
            padded,
            strides=(channel, dilation[0] * row, dilation[1] * col, image, col),
        )
    else:  # (C, KH, KW, N, OH, OW)
        patches = columns.patch_view(padded, w.shape[2:], stride, dilation).transpose(1, 4, 5, 0, 2, 3)
        run = per_image = oh * ow
    # One product per chunk of images, (F, K) @ (K, k * per_image): the images side by side in the
    # columns, one BLAS call instead of k small ones (a few percent faster on bench_conv2d's small
    # layers, where fixed costs count), so the output comes out (F, N, ...). Chunks of a size set by
    # the layer's shape alone (which also decides whether the batch is shared among threads), never
    # by how many cores there are: BLAS may round a product of another width differently, and the
    # numbers must not depend on the machine.
    out = np.empty((n_filters, n, per_image), dtype=dtype)
    shared = out.size * taps >= _SPLIT_MIN_PRODUCTS
    if taps <= _FEW_TAPS and not shared:
        step = _FEW_TAPS_CHUNK_BYTES // (dtype.itemsize * (taps + n_filters) * per_image)
    else:
        step = _COLUMN_CHUNK_BYTES // (dtype.itemsize * taps * per_image)
    if shared:
        step = min(step, -(-n // _SHARED_CHUNKS))
    step = max(1, step)

    def chunks(first, stop):
        cols = _columns_buffer(dtype, taps, step, per_image, run)
        for start in range(first * step, min(stop * step, n), step):
            count = min(step, n - start)
            part = cols[:, :count]  # the last chunk's fewer images: a view, each row still one run of memory
            np.copyto(
                part[:, :, :run].reshape(*patches.shape[:3], count, *patches.shape[4:]),
                patches[:, :, :, start : start + count],
            )
            np.matmul(w_rows, part.reshape(taps, -1), out=out[:, start : start + count].reshape(n_filters, -1))

    chunk_count = -(-n // step)
    with _threads.blas_on_one_thread():
        if shared:  # the chunks shared among the cores, each thread's products on BLAS's one thread (cnnlib._threads)
            _threads.in_parts(chunks, chunk_count, _threads.cores())
        else:
            # on this thread alone: BLAS's own threads cost more than they save on so little, and a busy machine
            # made them 2x slower (one 256 x 256 image of notebook 04: 0.48 ms against 0.24 ms on one thread)
            chunks(0, chunk_count)
    out = out.reshape(n_filters, n, oh, -1)[..., :ow]  # without the wrapped positions, if any
    if b is not None:
        out += b[:, None, None, None]
    return out.transpose(1, 0, 2, 3)


def _columns_buffer(dtype, taps: int, images: int, per_image: int, run: int) -> np.ndarray:
    """This thread's (taps, images, per_image) columns array, laid out for a chunk of ``images`` images.

    Only the first ``run`` columns of each image are copied in; the rest (the whole-row layout's
    positions past an image's end) only feed outputs that are dropped, but they must hold zeros,
    not what the buffer held before: an infinity left there by an earlier call would raise a
    floating-point error on finite input. They are zeroed when the layout changes, not at every
    call: the copies never write there, so a run of calls on one layer zeroes them once.
    """
    layout = (dtype, taps, images, per_image, run)
    if _scratch.layout != layout:
        cols = columns.reuse(_scratch.cols, (taps, images, per_image), dtype)
        if cols.base is None:  # a new array: this thread's buffer for the next calls
            _scratch.cols = cols
        if run < per_image:
            cols[:, :, run:] = 0
        _scratch.view, _scratch.layout = cols, layout
    return _scratch.view


def im2col_unchecked(x: np.ndarray, kernel_shape, stride, dilation=(1, 1)) -> np.ndarray:
    """(N, C, H, W) -> (N, C*KH*KW, OH*OW); inputs already validated."""
    patches = columns.patch_view(x, kernel_shape, stride, dilation)  # (N, C, OH, OW, KH, KW)
    n, c, oh, ow, kh, kw = patches.shape
    # one copy, contiguous rows of OW
    return patches.transpose(0, 1, 4, 5, 2, 3).reshape(n, c * kh * kw, oh * ow)


def _check_span_fits(kernel_shape, dilation, space, name: str, where: str, what: str = "of shape"):
    """Raise if the kernel, dilated, does not fit in ``space`` (the message says what it spans); return the span."""
    if dilation == (1, 1):  # the common case, kept cheap: small images are dominated by fixed costs
        check_window_fits(kernel_shape, space, name, what, where)
        return tuple(kernel_shape)
    span = dilated_size(kernel_shape, dilation)
    check_window_fits(span, space, name, f"{what} {tuple(kernel_shape)} with dilation {tuple(dilation)} spans", where)
    return span


def _correlate_padded(image, kernel, stride, pads, dilation=(1, 1)) -> np.ndarray:
    """Pad, check the kernel fits, and correlate ('valid' on the padded image)."""
    (top, bottom), (left, right) = pads
    padded = np.pad(image, pads) if top + bottom + left + right else image
    span_h, span_w = _check_span_fits(kernel.shape, dilation, padded.shape, "kernel", "padded image")
    kh, kw = kernel.shape
    (sh, sw), (dh, dw) = stride, dilation
    oh = (padded.shape[0] - span_h) // sh + 1
    ow = (padded.shape[1] - span_w) // sw + 1
    if oh * ow < _TAPS_MIN_PIXELS_PER_TAP * kh * kw:
        # every window as a view (OH, OW, KH, KW) of the image's memory, made directly: as_strided's
        # checks cost as much as the product itself on a 28 x 28 image
        padded = np.ascontiguousarray(padded)
        row, col = padded.strides
        windows = np.ndarray((oh, ow, kh, kw), padded.dtype, padded, strides=(sh * row, sw * col, dh * row, dw * col))
        # one matrix-vector product: a row per output pixel, a column per kernel tap
        return (windows.reshape(oh * ow, kh * kw) @ kernel.ravel()).reshape(oh, ow)
    # Loop over the kernel's taps: each adds a shifted, strided copy of the image.
    out = np.zeros((oh, ow))
    for a, b, rows, cols in columns.tap_slices((kh, kw), (sh, sw), (dh, dw), (oh, ow)):
        out += kernel[a, b] * padded[rows, cols]
    return out
