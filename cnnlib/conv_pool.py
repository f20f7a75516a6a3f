"""A convolution, the max pooling right after it and a ReLU after that, run as one (``Sequential`` does it).

A ``Conv2D`` lays out its output one row per position, (N, OH, OW) in order. A 2 x 2 max
pooling then reads every window's four taps as strided views, runs of F numbers each, and
numpy's loops over such short runs cost several times the arithmetic. Here the convolution
computes the same rows in another order, by window tap (a, b) first (see
:func:`cnnlib.columns.pool_tap_major`), so that each tap of every window is one contiguous
block and the pooling is the largest of PH*PW whole blocks: measured on the first layer of
``digit_cnn_wide``, one thread, forward and backward pooling took 0.29 ms instead of 0.99 ms. The numbers are
those of the two layers one after the other, ties included (the first largest tap wins, as
in PyTorch); both layers' caches are filled, so either's own ``backward`` still works. Inside
``fit``, where each of two threads computes some of the window taps, each takes the largest of
its own taps at once, and the calling thread combines the parts
(:func:`cnnlib.pool_layers.largest_of_parts`).

A ReLU after the pooling (``Sequential`` moves one from before it, see
:func:`cnnlib.network._running_order`) joins them: it then works on the pooled blocks, contiguous
and channels last, right after the pooling, where on its own it would read a transposed view
and, going back, multiply two arrays laid out differently (measured on ``digit_cnn_wide``: the
ReLUs' forward and backward took 0.27 ms of a 5-7 ms training step on their own, one thread).
"""

from __future__ import annotations

import numpy as np

from . import _threads
from .layers import Conv2D, MaxPool2D, ReLU, _sum_rows
from .pool_layers import (
    largest_of_parts,
    relu_in_place,
    route_to_taps,
    running_max,
    send_to_winners,
    tiling_max_pool_after,
)

__all__ = ["ConvMaxPool", "fuses", "fuses_relu"]


def fuses(conv, pool) -> bool:
    """Whether ``ConvMaxPool(conv, pool)`` may run the two: cnnlib's own layers (not a subclass,
    whose methods may differ), the pool's windows tiling the map, and one dtype (each layer casts its input)."""
    return tiling_max_pool_after(conv, Conv2D, pool)


def fuses_relu(pool, relu) -> bool:
    """Whether ``relu`` may join a ``ConvMaxPool`` ending with ``pool``: cnnlib's own ReLU of the pool's dtype."""
    return type(relu) is ReLU and relu.dtype == pool.dtype


class ConvMaxPool:
    """``pool.forward(conv.forward(x))`` (then ``relu.forward`` of that) and its backward, with the pooling
    on contiguous blocks.

    Shapes: ``forward`` (N, C, H, W) -> (N, F, OH // PH, OW // PW), stored channels last;
    ``backward`` takes dL/d(that) and returns dL/dx, filling ``conv.grads``. Where the
    window does not divide the convolution's output (rows or columns left over), the
    layers simply run one after the other.
    """

    def __init__(self, conv: Conv2D, pool: MaxPool2D, relu: ReLU | None = None):
        if not fuses(conv, pool):
            raise ValueError(f"`conv` and `pool` cannot run as one: {conv!r} then {pool!r}")
        if relu is not None and not fuses_relu(pool, relu):
            raise ValueError(f"`relu` cannot run as one with {pool!r}: {relu!r} (of dtype {relu.dtype})")
        self.conv, self.pool, self.relu = conv, pool, relu
        self._cache = None  # after a fused forward: (pooled shape, beats, parts, positive, the layers' caches)

    def forward(self, x):
        conv, pool, relu = self.conv, self.pool, self.relu
        (ph, pw), out_shape = pool.size, _conv_output_shape(conv, x)
        self._cache = None
        if out_shape is None or out_shape[0] % ph or out_shape[1] % pw:
            out = pool.forward(conv.forward(x))
            return out if relu is None else relu.forward(out)
        taps, found = ph * pw, {}  # found: each part's largest and beats, by the part's first tap

        def pool_part(out, start, stop):
            # the pool's check of its input (weights that blew up), as its own forward makes it, and the largest
            # of this part's taps, on the thread that made the part, while it is in that core's cache
            pool._check_finite(out[start:stop])
            m, f = out.shape[0] // taps, out.shape[1]  # windows, channels
            first, last = start // m, stop // m  # the part's taps
            best = np.empty((m, f), dtype=out.dtype)
            beats = [np.empty((m, f), dtype=bool) for _ in range(last - first - 1)]
            running_max(list(out[start:stop].reshape(last - first, m, f)), best, beats)
            found[first] = (best, beats)

        rows, (n, oh, ow) = conv.output_rows(x, pool.size, after=pool_part)
        # then the parts' largest in order (see route_to_taps). On one thread, the pooling of digit_cnn_wide's
        # first layer took 0.27-0.38 ms of a training step; now the parts' share of it is done on both threads
        f, (best, beats, parts) = rows.shape[1], largest_of_parts(found)
        positive = None if relu is None else np.empty(best.shape, dtype=bool)
        if relu is not None:
            relu_in_place(best, positive)
        pooled = (n, oh // ph, ow // pw, f)

        def as_maps(a):  # (N*OH/PH*OW/PW, F) -> (N, F, OH/PH, OW/PW), a view
            return a.reshape(pooled).transpose(0, 3, 1, 2)

        # the layers' caches as their own forward passes leave them (channels-last order), so that each
        # one's own backward works too
        pool._cache = ((n, f, oh, ow), (0, 2, 3, 1), [as_maps(beat) for beat in beats], parts)
        if relu is not None:
            relu._cache = as_maps(positive)
        # and kept here: if a layer runs forward on its own meanwhile, its backward is that forward's
        caches = (conv._cache, pool._cache, None if relu is None else relu._cache)
        self._cache = ((n, f, oh // ph, ow // pw), beats, parts, positive, caches)
        return as_maps(best)

    def backward(self, grad_out):
        return self._backward(grad_out, input_gradient=True)

    def parameter_gradients(self, grad_out):
        """Fill ``conv.grads`` only (a network's first layer: nothing needs dL/d(images))."""
        self._backward(grad_out, input_gradient=False)

    def _backward(self, grad_out, input_gradient):
        conv, pool, relu = self.conv, self.pool, self.relu
        cache = self._cache
        if cache is None or any(a is not b for a, b in zip(cache[4], self._layer_caches(), strict=True)):
            # unfused, backward before forward (the layers say so), or a layer's forward ran on its own since
            grad = pool.backward(grad_out if relu is None else relu.backward(grad_out))
            return conv.backward(grad) if input_gradient else conv.parameter_gradients(grad)
        pooled_shape, beats, parts, positive = cache[:4]
        ph, pw = pool.size
        last = pool if relu is None else relu  # whose output grad_out is the gradient of, for a wrong shape's message
        g = last._grad(grad_out, pooled_shape).transpose(0, 2, 3, 1)  # (N, OH/PH, OW/PW, F): as the blocks
        windows = (-1, pooled_shape[1])  # (N*OH/PH*OW/PW, F): as the blocks
        if relu is None:
            g = np.ascontiguousarray(g).reshape(windows)
        else:  # the ReLU's backward, written straight in the blocks' layout (a new array: grad_out stays)
            g = np.multiply(g, positive.reshape(g.shape)).reshape(windows)
        if not input_gradient:
            self._parameter_gradients(g, beats, parts)
            return None
        rows = np.empty((ph * pw, *g.shape), dtype=g.dtype)  # dL/d(conv output), rows as the forward made them
        send_to_winners(g, beats, rows, parts)
        return conv._backward(None, input_gradient, rows=rows.reshape(-1, pooled_shape[1]))

    def _parameter_gradients(self, g, beats, parts):
        """``conv.grads`` from g = dL/d(pooled) (M, F): each thread routes a half of the window taps' gradient
        and multiplies it with those taps' patches at once (one handoff, the rows still in its cache)."""
        conv, (taps, m, f) = self.conv, (len(beats) + 1, *g.shape)
        patches, shares = conv._cached()[1], {}

        def share(start, stop):  # taps start..stop
            routed = np.empty((stop - start, m, f), dtype=g.dtype)
            route_to_taps(g, beats, routed, start, parts)
            shares[start] = conv.weight_product(routed.reshape(-1, f), patches, start * m, stop * m)

        _threads.in_parts(share, taps, 2 if _threads.sharing else 1)
        # every pooled gradient reaches exactly one tap: dL/db sums g itself, a PH*PW-th of the rows
        conv.store_parameter_gradients(sum(shares[start] for start in sorted(shares)), _sum_rows(g))

    def _layer_caches(self):
        return self.conv._cache, self.pool._cache, None if self.relu is None else self.relu._cache

    def __repr__(self):
        relu = "" if self.relu is None else f", {self.relu!r}"
        return f"ConvMaxPool({self.conv!r}, {self.pool!r}{relu})"


def _conv_output_shape(conv, x):
    """(OH, OW) of ``conv`` on ``x``, or None where ``x`` is not a batch the layer could take (it then raises)."""
    shape = np.shape(x)
    if len(shape) != 4:
        return None
    (top, bottom), (left, right) = conv.padding
    padded = (shape[2] + top + bottom, shape[3] + left + right)
    if padded[0] < conv.span[0] or padded[1] < conv.span[1]:
        return None
    return tuple((p - s) // st + 1 for p, s, st in zip(padded, conv.span, conv.stride, strict=True))
