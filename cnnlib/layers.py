"""Layers that learn: each has ``forward(x)``, ``backward(grad_out)`` and named parameters.

Every layer follows one pattern. ``forward`` computes the output and keeps what
``backward`` will need; ``backward`` receives dL/d(output), stores dL/d(each
parameter) in ``grads`` under the parameter's name, and returns dL/d(input).
Parameters live in ``params``; training changes their values, never their
shapes, nor any size, stride or padding.

Layers take a ``dtype`` (float64 by default, float32 to train faster); the
input is cast to it. The base class is in :mod:`cnnlib.layer_base`, the pooling
layers in :mod:`cnnlib.pool_layers`; all are importable from here.
"""

from __future__ import annotations

import math

import numpy as np

from . import _threads, columns
from ._threads import sharing_a_second_thread as sharing_a_second_thread  # where fit finds it
from ._validation import as_int, as_int_pair, check_window_fits
from .columns import pad_channels_last
from .conv import pad_nchw
from .layer_base import Layer, NonFiniteError
from .pool_layers import AvgPool2D, MaxPool2D
from .shapes import dilated_size, resolve_padding

__all__ = ["AvgPool2D", "Conv2D", "Dense", "Flatten", "Layer", "MaxPool2D", "NonFiniteError", "ReLU"]


# From this many input channels on, Conv2D lays its patches out as rows read from channels-last data
# (the copy moves runs of C numbers); below, as columns read from channels-first data (runs of OW).
# Measured on the digit CNNs: columns are 4x faster to gather at C=1, rows 2.5x faster at C=16.
# Either way the product comes out channels last, (N*OH*OW, F): ReLU and pooling are faster on it
# than on (F, N*OH*OW), and the next Conv2D reads it without a copy.
_ROWS_MIN_CHANNELS = 4

# Conv2D.backward's second thread computes half of dL/dw and the input gradient of the first
# 1/_SECOND_THREAD_SHARE of the batch, the calling thread the other half and the rest of the input gradient.
# The share is fixed by the batch, never by the machine; but changing it may change dL/dx in the last bit
# for some layer shapes (OpenBLAS may round a row of a product differently when the product has another
# number of rows). From a fifth to a half (December 7) changed no number of digit_cnn or digit_cnn_wide,
# nor any stored notebook output.
# The calling thread starts with its input gradient, the second with its half of dL/dw: each input
# gradient was then 50 small numpy calls, and those of two threads at once wait for the GIL in turn.
# Measured (digit_cnn_wide's second layer, 2 cores, medians of 8 interleaved runs): 2.93 ms against 3.04
# ms with both threads starting on dL/dw. (Since, dL/dx there is 5 products and 10 adds: see below.)
_SECOND_THREAD_SHARE = 2

# Conv2D's dL/dx with patches as rows multiplies g by banded filters (columns.add_banded_products) in
# blocks of output positions along a row, where the per-tap products (rows, F) @ (F, C) are thin: C*F up
# to _BANDED_MAX_CHANNEL_PAIRS. The block: the largest proper divisor of OW, from 2 up to OW / 2, whose
# input span is at most _BANDED_MAX_WASTE times the kernel's width (the band's zeros are multiplied too).
# Measured on digit_cnn_wide's second layer (C = 16, F = 32, 5 x 5, OW = 8; 32 images, float32, 2-core
# Intel Xeon): blocks of 4 (span 8, 1.6x the arithmetic) took 0.9 ms alone and 1.1 ms with the other
# thread doing the same, against 1.3 and 1.8 ms tap by tap; blocks of 8 (the whole row, 2.4x) 1.2 and 1.4
# ms; blocks of 2 (1.2x, more adds) 0.9 and 1.2. On other layers, 32 images on one thread, banded (best
# block) against taps: 3 x 3 filters with C*F = 128-512 0.24-1.09 ms against 0.32-1.22, C*F = 1024-16384
# 2.16-7.86 against 2.10-6.93 (slower: those per-tap products are no longer thin); 5 x 5 filters with
# C*F = 64-512 faster by a third to more than half, 1024 and 4096 by 15-22%.
_BANDED_MAX_CHANNEL_PAIRS = 512
_BANDED_MAX_WASTE = 2


def _banded_block(channel_pairs, kernel_shape, out_width, stride, dilation):
    """The block of output positions per banded product for this layer shape, or None for the per-tap products.

    ``channel_pairs`` = C*F; see _BANDED_MAX_CHANNEL_PAIRS and _BANDED_MAX_WASTE.
    """
    kw, sw, dw = kernel_shape[1], stride[1], dilation[1]
    if kw == 1 or channel_pairs > _BANDED_MAX_CHANNEL_PAIRS:  # one tap per kernel row, or products not thin
        return None
    for block in range(out_width // 2, 1, -1):
        span = (block - 1) * sw + (kw - 1) * dw + 1
        if out_width % block == 0 and span <= _BANDED_MAX_WASTE * kw:
            return block
    return None


class Conv2D(Layer):
    """Convolutional layer (cross-correlation), NCHW.

    Parameters
    ----------
    in_channels, out_channels : int
        C and F.
    kernel_size : int or (KH, KW)
    stride : int or (sh, sw), default 1
    padding : int or (ph, pw) or {"valid", "same", "full"}, default 0
    dilation : int or (dh, dw), default 1
        Gap between the filter's taps; a 3 x 3 filter with dilation 2 reads a 5 x 5 patch.
    rng : numpy.random.Generator, optional
        For the initial filters (He normal: std = sqrt(2 / (C*KH*KW))); biases start at 0.

    Shapes: ``forward`` (N, C, H, W) -> (N, F, OH, OW); ``params["w"]`` (F, C, KH, KW), ``params["b"]`` (F,).

    Notes
    -----
    With ``g`` = dL/d(output): dL/dw[f, c] is the cross-correlation of the
    input channel c with g[f] (summed over the batch), dL/db[f] sums g[f], and
    dL/dx is the *full convolution* of g with the filters (flipped, in/out
    channels swapped, g spread out by the stride, the filters by the dilation).

    All three are computed as matrix products over the batch's patches laid out
    once per call (:mod:`cnnlib.columns`): the output is patches times filters,
    dL/dw is g times patches, and dL/dx is g times filters, each row added back
    onto the patch it came from, which is that full convolution written as a
    scatter (a loop over the KH*KW taps, or over the KH kernel rows with banded
    filters where that is faster: see ``columns.add_banded_products``). The output is an (N, F, OH, OW) view of
    the (N*OH*OW, F) product, stored channels last, with no transposing copy.

    Inside :func:`sharing_a_second_thread` (``fit`` trains inside it) the products are
    shared with a second thread (numpy lets go of the GIL inside them), so that a layer
    uses two cores as PyTorch does: in ``forward`` half of the batch's images each (each
    thread lays out its images' patches and multiplies them, one handoff), and in ``backward``
    half of dL/dw's product and dL/dx of half the images each.
    """

    def __init__(
        self, in_channels, out_channels, kernel_size, *, stride=1, padding=0, dilation=1, rng=None, dtype=np.float64
    ):
        super().__init__(dtype)
        self.in_channels = as_int(in_channels, "in_channels", minimum=1)
        self.out_channels = as_int(out_channels, "out_channels", minimum=1)
        self.kernel_size = as_int_pair(kernel_size, "kernel_size", minimum=1)
        self.stride = as_int_pair(stride, "stride", minimum=1)
        self.dilation = as_int_pair(dilation, "dilation", minimum=1)
        self.span = dilated_size(self.kernel_size, self.dilation)  # pixels the dilated filter covers
        self.padding = resolve_padding(padding, self.span)
        self._rows = self.in_channels >= _ROWS_MIN_CHANNELS
        rng = np.random.default_rng(0) if rng is None else rng
        fan_in = self.in_channels * self.kernel_size[0] * self.kernel_size[1]
        shape = (self.out_channels, self.in_channels, *self.kernel_size)
        self.params = {
            "w": (rng.standard_normal(shape) * np.sqrt(2.0 / fan_in)).astype(self.dtype),
            "b": np.zeros(self.out_channels, dtype=self.dtype),
        }

    def forward(self, x):
        out, (n, oh, ow) = self.output_rows(x)
        # (N, F, OH, OW) as a view of the product as it came (no copy): the next layers work on any
        # layout, and a following Conv2D reads channels-last data without transposing it
        return out.reshape(n, oh, ow, self.out_channels).transpose(0, 3, 1, 2)

    def output_rows(self, x, pool=None, after=None):
        """The forward pass as the product came: ((rows, F), (N, OH, OW)), one row per output position.

        Rows in the order (N, OH, OW), or with ``pool`` = (PH, PW) (which must divide OH and OW) by
        pooling window tap, (PH, PW, N, OH/PH, OW/PW) (see :func:`cnnlib.columns.pool_tap_major`):
        what :class:`cnnlib.conv_pool.ConvMaxPool` pools. ``backward`` works after either.
        ``after(out, start, stop)``, if given, runs on each part of the rows (``out[start:stop]``) as soon
        as it is computed, on the thread that computed it, while it is in that core's cache: two parts
        may run at once, each must touch its own rows only. What it raises is raised here, and the layer
        then keeps nothing to go back through. With ``pool``, each part is whole window taps.
        """
        x = self._input(x, 4, "(N, C, H, W)")
        if x.shape[1] != self.in_channels:
            raise ValueError(
                f"`x` must have C={self.in_channels} channels for this Conv2D, got shape {x.shape} (C={x.shape[1]})"
            )
        (top, bottom), (left, right) = self.padding
        padded_shape = (*x.shape[:2], x.shape[2] + top + bottom, x.shape[3] + left + right)
        check_window_fits(
            self.span,
            padded_shape[2:],
            "kernel_size",
            "" if self.span == self.kernel_size else f"{self.kernel_size} with dilation {self.dilation} spans",
            "padded input",
        )
        n, f = x.shape[0], self.out_channels
        oh, ow = columns.output_shape(padded_shape[2:], self.kernel_size, self.stride, self.dilation)
        previous = None if self._cache is None else self._cache[1]  # last batch's patches: the buffer to reuse
        out = np.empty((n * oh * ow, f), dtype=self.dtype)  # channels last
        filters, bias = self._filters().T, self.params["b"]
        # the copy hands over images, or window rows a (PW*N*OH/PH*OW/PW rows each) when pooled
        per_part = oh * ow if pool is None else n * oh * ow // pool[0]

        def multiply(patches, start, stop):  # the output of parts start..stop, once their patches are laid out
            rows = slice(start * per_part, stop * per_part)
            np.matmul(patches[rows] if self._rows else patches[:, rows].T, filters, out=out[rows])
            _add_bias(out[rows], bias)
            if after is not None:
                after(out, rows.start, rows.stop)

        # the last batch's patches get overwritten: until this batch's are all in, nothing to go back through
        self._cache = None
        # each thread multiplies the patches it has just copied (see columns._copy_images)
        if self._rows:  # (N*OH*OW, KH*KW*C)
            x_last = pad_channels_last(x, self.padding)
            patches = columns.im2row(x_last, self.kernel_size, self.stride, self.dilation, previous, multiply, pool)
        else:  # (C*KH*KW, N*OH*OW)
            x_first = pad_nchw(x, self.padding)
            patches = columns.im2col(x_first, self.kernel_size, self.stride, self.dilation, previous, multiply, pool)
        self._cache = (padded_shape, patches, pool)
        return out, (n, oh, ow)

    def _filters(self):
        """The filters as a matrix (F, K) in the order of the patches' K = KH*KW*C (rows) or C*KH*KW (columns)."""
        w = self.params["w"]
        return w.transpose(0, 2, 3, 1).reshape(self.out_channels, -1) if self._rows else w.reshape(w.shape[0], -1)

    def backward(self, grad_out):
        return self._backward(grad_out, input_gradient=True)

    def parameter_gradients(self, grad_out):
        """Fill ``grads`` only: dL/dx is skipped (the first layer of a network never needs it)."""
        self._backward(grad_out, input_gradient=False)

    def _backward(self, grad_out, input_gradient, rows=None):
        """dL/dx (or None) from ``grad_out`` (N, F, OH, OW), or from ``rows``: the gradient as (rows, F) in
        the order of the forward pass's rows (see :meth:`output_rows`)."""
        padded_shape, patches, pool = self._cached()
        n, f = padded_shape[0], self.out_channels
        oh, ow = columns.output_shape(padded_shape[2:], self.kernel_size, self.stride, self.dilation)
        g = None  # (N*OH*OW, F), rows in (N, OH, OW) order: what dL/dx reads
        if rows is None:
            g = self._grad(grad_out, (n, f, oh, ow)).transpose(0, 2, 3, 1).reshape(-1, f)
            rows = g if pool is None else _pool_tap_major_rows(g, (n, oh, ow), pool)
        elif pool is None:
            raise RuntimeError("`rows` in window-tap order need a forward pass with `pool` (output_rows(x, pool))")
        elif rows.shape != (n * oh * ow, f):
            raise ValueError(
                f"`rows` must have the shape of this Conv2D's output rows {(n * oh * ow, f)}, got {rows.shape}"
            )
        if not input_gradient:  # the second thread is free: it takes half of dL/dw's product
            self._parameter_gradients(rows, patches, _matmul_summed_in_two)
            return None
        # dL/dw and dL/dx are independent products of g. Inside sharing_a_second_thread, each of two threads
        # computes one half of dL/dw's product (the halves of _matmul_summed_in_two, summed in the same order)
        # and dL/dx of its share of the images (numpy lets go of the GIL inside them), so that each core does
        # about half the work, as PyTorch's two threads do; the calling thread starts with dL/dx, the helper
        # with dL/dw (see _SECOND_THREAD_SHARE). Each thread zeroes and reorders what its share needs itself
        grad = self._input_gradient_empty(padded_shape)
        filters = self._input_gradient_filters(ow)  # made once, read by both threads

        def input_gradient(images):
            (grad[images] if self._rows else grad[:, images]).fill(0)
            image_rows = _image_order_rows(rows, (n, oh, ow), pool, images) if g is None else _images_rows(g, n, images)
            self._add_input_gradient(image_rows, grad, images, filters)

        if _threads.sharing:
            half, shared, halves = rows.shape[0] // 2, n // _SECOND_THREAD_SHARE, {}

            def part(k, share):  # half k of dL/dw's product and dL/dx of the images `share`
                start, stop = (0, half) if k == 0 else (half, rows.shape[0])
                if k == 0:
                    halves[k] = self.weight_product(rows[start:stop], patches, start, stop)
                input_gradient(share)
                if k == 1:  # dL/dx first here: the dozens of small calls of the two threads' dL/dx overlap less
                    halves[k] = self.weight_product(rows[start:stop], patches, start, stop)

            pending = _threads.start(part, 0, slice(0, shared))
            try:
                part(1, slice(shared, n))
            finally:
                error = pending.wait()  # no helper may still write into grad after this returns
            if error is not None:
                raise error
            product = halves[0]
            product += halves[1]
            self.store_parameter_gradients(product, _sum_rows(rows))
        else:
            self._parameter_gradients(rows, patches, _matmul_summed_in_two)  # one product, outside sharing
            input_gradient(slice(0, n))
        (top, bottom), (left, right) = self.padding
        height, width = padded_shape[2] - top - bottom, padded_shape[3] - left - right
        if self._rows:  # (N, Hp, Wp, C)
            return grad[:, top : top + height, left : left + width].transpose(0, 3, 1, 2)
        return grad[:, :, top : top + height, left : left + width].transpose(1, 0, 2, 3)  # from (C, N, Hp, Wp)

    def _parameter_gradients(self, g, patches, matmul):
        """Fill ``grads`` from g = dL/d(output) as (rows, F), rows ordered as the patches, with ``matmul``."""
        # dL/dw: g correlated with every patch, summed over the batch, as one product; dL/db sums g
        if self._rows:
            product = matmul(g.T, patches)
        else:  # (patches @ g).T, not g.T @ patches.T: BLAS is faster with the long N*OH*OW axis this way
            product = matmul(patches, g).T
        self.store_parameter_gradients(product, _sum_rows(g))

    def weight_product(self, g, patches, start, stop):
        """dL/dw's share of the forward pass's patch rows start..stop, from their gradient g (stop - start, F): (F, K).

        K in the patches' order; :meth:`store_parameter_gradients` takes the sum of all shares.
        ``np.dot``: it lets go of the GIL even for a small output (see :func:`_matmul_summed_in_two`).
        """
        if self._rows:
            return np.dot(g.T, patches[start:stop])
        return np.dot(patches[:, start:stop], g).T

    def store_parameter_gradients(self, product, grad_b):
        """``grads`` from dL/dw as the (F, K) product of g and the patches (K in the patches' order), and dL/db (F,)."""
        if self._rows:
            grad_w = product.reshape(self.out_channels, *self.kernel_size, -1).transpose(0, 3, 1, 2)
        else:
            grad_w = product.reshape(self.params["w"].shape)
        self.grads["w"], self.grads["b"] = np.ascontiguousarray(grad_w), grad_b

    def _input_gradient_empty(self, padded_shape):
        """Room for dL/d(padded input), laid out as the patches' adjoint adds into it (each share zeroes its images).

        (N, Hp, Wp, C) for patches as rows, (C, N, Hp, Wp) as columns.
        """
        n, c, hp, wp = padded_shape
        return np.empty((n, hp, wp, c) if self._rows else (c, n, hp, wp), dtype=self.dtype)

    def _input_gradient_filters(self, out_width):
        """``(filters, banded)``: the filters as :meth:`_add_input_gradient` multiplies g by them, for output
        rows ``out_width`` wide, and whether they are banded.

        Patches as rows: banded matrices (columns.banded_filters) where the layer's shape allows
        blocks (see _banded_block), else (KH*KW, F, C) tap-major. Patches as columns: (C*KH*KW, F).
        """
        if not self._rows:
            return self._filters().T, False
        w, (kh, kw) = self.params["w"], self.kernel_size
        f, c = self.out_channels, self.in_channels
        by_tap = w.transpose(2, 3, 0, 1).reshape(kh * kw, f, c)  # (KH*KW, F, C)
        block = _banded_block(c * f, self.kernel_size, out_width, self.stride, self.dilation)
        if block is None:
            return by_tap, False
        return columns.banded_filters(by_tap, self.kernel_size, block, self.stride, self.dilation), True

    def _add_input_gradient(self, g, grad, images, filters):
        """Add dL/dx of the batch's ``images`` (a slice) into ``grad`` (see :meth:`_input_gradient_empty`).

        g = dL/d(output) of those images, (k*OH*OW, F) in image order. dL/dx is g times the filters
        (``(filters, banded)`` as :meth:`_input_gradient_filters` made them), each row added back onto its patch.
        """
        filters, banded = filters
        start, stop, _ = images.indices(grad.shape[0 if self._rows else 1])
        if start == stop:
            return
        shape = grad.shape
        kernel, stride, dilation = self.kernel_size, self.stride, self.dilation
        if not self._rows:
            cols = filters @ g.T  # (C*KH*KW, k*OH*OW)
            columns.col2im(cols, (stop - start, shape[0], *shape[2:]), kernel, stride, dilation, out=grad[:, images])
        elif banded:
            columns.add_banded_products(g, filters, grad[images], kernel, stride, dilation)
        else:
            columns.add_tap_products(g, filters, grad[images], kernel, stride, dilation)

    def __repr__(self):
        return (
            f"Conv2D({self.in_channels}, {self.out_channels}, kernel_size={self.kernel_size}, "
            f"stride={self.stride}, padding={self.padding}"
            + (f", dilation={self.dilation})" if self.dilation != (1, 1) else ")")
        )


def _images_rows(g, n, images):
    """The rows of ``images`` (a slice of the N images) in g (N*OH*OW, F), in image order: a view."""
    start, stop, _ = images.indices(n)
    per_image = g.shape[0] // n
    return g[start * per_image : stop * per_image]


def _image_order_rows(rows, shape, pool, images):
    """The rows of ``images`` (a slice), from rows by pooling window tap (see ``output_rows``) to image order.

    ``shape`` = (N, OH, OW); ``pool`` = (PH, PW). A copy, (k*OH*OW, F).
    """
    (n, oh, ow), (ph, pw), f = shape, pool, rows.shape[1]
    by_tap = rows.reshape(ph, pw, n, oh // ph, ow // pw, f)[:, :, images]
    return by_tap.transpose(2, 3, 0, 4, 1, 5).reshape(-1, f)


def _pool_tap_major_rows(g, shape, pool):
    """(N*OH*OW, F) rows in image order -> the same rows by pooling window tap (a copy); ``shape`` = (N, OH, OW)."""
    (n, oh, ow), f = shape, g.shape[1]
    by_image = g.reshape(n, oh, ow, f)
    return np.ascontiguousarray(columns.pool_tap_major(by_image, pool, 1)).reshape(-1, f)


def _matmul_summed_in_two(a, b):
    """``a @ b`` for a long inner axis: ``a`` (F, M) times ``b`` (M, K) as two halves of M added, (F, K).

    Split only inside :func:`sharing_a_second_thread`, one half on the second thread; elsewhere one
    product. ``Conv2D.backward`` computes the same two halves on its two threads and adds them in the
    same order, so ``parameter_gradients`` and ``backward`` agree bit for bit.

    The halves are ``np.dot``, not ``np.matmul``: numpy's matmul keeps the GIL when its output is
    small (under 500 numbers, e.g. the first layer's 16 x 25 filters), so the helper could not even
    start until this thread's half had ended (measured: 0.6 ms of waiting per training step).
    """
    if not _threads.sharing:
        return np.matmul(a, b)
    half = a.shape[1] // 2
    first = _threads.start(np.dot, a[:, :half], b[:half])
    try:
        second = np.dot(a[:, half:], b[half:])
    finally:
        first.wait()
    out = first.result()
    out += second
    return out


def _add_bias(out, b):
    """``out += b`` for a contiguous (M, F) ``out`` and a bias (F,), in place.

    Added over rows of several F-long runs at a time (``b`` repeated): numpy's loop over rows as
    short as F = 16 costs 3x more than the addition itself (measured on digit_cnn_wide's first layer).
    """
    m, f = out.shape
    repeats = math.gcd(m, max(1, 256 // f))  # runs of up to 256 numbers that tile the M rows exactly
    np.add(out.reshape(-1, repeats * f), np.tile(b, repeats), out=out.reshape(-1, repeats * f))


def _sum_rows(g):
    """``g.sum(axis=0)`` of a tall (M, F) matrix, as a matrix-vector product: (F,).

    numpy sums the M rows of a narrow matrix 20x slower than BLAS multiplies them by a vector of ones
    (measured: 0.9 ms against 0.04 ms for (36864, 16) float32, the first layer's bias gradient).
    """
    return np.ones(g.shape[0], dtype=g.dtype) @ g


class ReLU(Layer):
    """max(x, 0); its backward lets the gradient through where x > 0 and blocks it elsewhere.

    The output keeps the memory layout of ``x`` (e.g. channels last after a ``Conv2D``).
    """

    def forward(self, x):
        x = self._input(x, None, "")
        self._cache = x > 0
        # not in place: the caller may still use x (Sequential.layer_outputs does); against an array of
        # zeros laid out as x, not the scalar 0: numpy's loop for that is 2-3x faster (measured)
        return np.maximum(x, np.zeros_like(x))

    def backward(self, grad_out):
        mask = self._cached()
        return self._grad(grad_out, mask.shape) * mask


class Flatten(Layer):
    """(N, C, H, W) -> (N, C*H*W); backward reshapes the gradient back."""

    def forward(self, x):
        x = self._input(x, None, "")
        if x.ndim < 2:
            raise ValueError(f"`x` must have a batch axis first, (N, ...), got shape {x.shape}")
        self._cache = x.shape
        return x.reshape(x.shape[0], -1)

    def backward(self, grad_out):
        shape = self._cached()
        return self._grad(grad_out, (shape[0], int(np.prod(shape[1:])))).reshape(shape)


class Dense(Layer):
    """Fully connected layer: (N, D) -> (N, K), ``out = x @ w.T + b``, ``w`` of shape (K, D).

    Initial weights: He normal (std = sqrt(2 / D)); biases 0.
    """

    def __init__(self, in_features, out_features, *, rng=None, dtype=np.float64):
        super().__init__(dtype)
        self.in_features = as_int(in_features, "in_features", minimum=1)
        self.out_features = as_int(out_features, "out_features", minimum=1)
        rng = np.random.default_rng(0) if rng is None else rng
        self.params = {
            "w": (rng.standard_normal((self.out_features, self.in_features)) * np.sqrt(2.0 / self.in_features)).astype(
                self.dtype
            ),
            "b": np.zeros(self.out_features, dtype=self.dtype),
        }

    def forward(self, x):
        x = self._input(x, 2, "(N, D)")
        if x.shape[1] != self.in_features:
            raise ValueError(f"`x` must have D={self.in_features} features for this Dense, got shape {x.shape}")
        self._cache = x
        return x @ self.params["w"].T + self.params["b"]

    def backward(self, grad_out):
        x = self._cached()
        g = self._grad(grad_out, (x.shape[0], self.out_features))
        self.grads["w"] = g.T @ x
        self.grads["b"] = g.sum(axis=0)
        return g @ self.params["w"]

    def __repr__(self):
        return f"Dense({self.in_features}, {self.out_features})"
