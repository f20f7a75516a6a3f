"""Pooling layers: max and average pooling with a forward and a backward pass, NCHW.

Their forward passes agree with :func:`cnnlib.max_pool2d` / :func:`cnnlib.avg_pool2d`;
``backward`` sends each window's gradient back to the inputs that made its value.
"""

from __future__ import annotations

import numpy as np

from . import _threads
from ._validation import as_int_pair, check_window_fits
from .layer_base import Layer
from .pooling import pool_padding


class _Pool2D(Layer):
    """Shared window bookkeeping of the pooling layers (input (N, C, H, W))."""

    fill = 0.0  # the value of a padded border

    def __init__(self, size=2, stride=None, padding=0, dtype=np.float64):
        super().__init__(dtype)
        self.size = as_int_pair(size, "size", minimum=1)
        self.stride = self.size if stride is None else as_int_pair(stride, "stride", minimum=1)
        self.padding = pool_padding(padding, self.size)

    def _windows(self, x):
        """(x's shape, the padded shape, windows of shape (N, C, OH, OW, KH*KW), a copy)."""
        x = self._input(x, 4, "(N, C, H, W)")
        (ph, pw), shape = self.padding, x.shape
        if ph or pw:
            x = np.pad(x, ((0, 0), (0, 0), (ph, ph), (pw, pw)), constant_values=self.fill)
        check_window_fits(self.size, x.shape[2:], "size", "window", "padded input" if ph or pw else "input")
        kh, kw = self.size
        view = np.lib.stride_tricks.sliding_window_view(x, self.size, axis=(2, 3))
        view = view[:, :, :: self.stride[0], :: self.stride[1]]
        return shape, x.shape, view.reshape(*view.shape[:4], kh * kw)

    def _scatter(self, x_shape, padded_shape, per_tap):
        """Add ``per_tap(t)`` (N, C, OH, OW) back to the input position of tap t of every window."""
        grad = np.zeros(padded_shape, dtype=self.dtype)
        kh, kw = self.size
        sh, sw = self.stride
        oh = (padded_shape[2] - kh) // sh + 1
        ow = (padded_shape[3] - kw) // sw + 1
        for tap in range(kh * kw):  # a loop over the window's taps, never over pixels
            a, b = divmod(tap, kw)
            grad[:, :, a : a + sh * (oh - 1) + 1 : sh, b : b + sw * (ow - 1) + 1 : sw] += per_tap(tap)
        ph, pw = self.padding
        return grad[:, :, ph : ph + x_shape[2], pw : pw + x_shape[3]]  # the border has no gradient to pass on

    def __repr__(self):
        padding = f", padding={self.padding}" if any(self.padding) else ""
        return f"{type(self).__name__}(size={self.size}, stride={self.stride}{padding})"


class MaxPool2D(_Pool2D):
    """Max pooling; backward routes each window's gradient to the (first) largest input.

    A padded border is -inf, so it never wins (as in PyTorch). Windows that tile the
    map (stride = size, no padding, the default) take a fast path: a running maximum
    over the KH*KW taps, each a strided slice of the whole batch.
    """

    fill = -np.inf

    def forward(self, x):
        if self._tiles_the_map():
            return self._forward_tiles(x)
        x_shape, padded_shape, windows = self._windows(x)
        winner = windows.argmax(axis=-1)
        self._cache = (x_shape, padded_shape, winner)
        return np.take_along_axis(windows, winner[..., None], axis=-1)[..., 0]

    def backward(self, grad_out):
        if self._tiles_the_map():
            return self._backward_tiles(grad_out)
        x_shape, padded_shape, winner = self._cached()
        g = self._grad(grad_out, winner.shape)
        return self._scatter(x_shape, padded_shape, lambda tap: g * (winner == tap))

    def _tiles_the_map(self):
        return self.stride == self.size and not any(self.padding)

    def _forward_tiles(self, x):
        """(N, C, H, W) -> (N, C, H // KH, W // KW), laid out in memory as ``x`` is."""
        x = self._input(x, 4, "(N, C, H, W)")
        check_window_fits(self.size, x.shape[2:], "size", "window", "input")
        taps, order = _tiles(x, self.size), _axis_order(x)
        best = _empty_in_order(taps[0].shape, order, x.dtype)
        beats = [_empty_in_order(taps[0].shape, order, bool) for _ in taps[1:]]
        max_of_taps(taps, best, beats)
        self._cache = (x.shape, order, beats)
        return best

    def _backward_tiles(self, grad_out):
        x_shape, order, beats = self._cached()
        (kh, kw), (n, c, h, w) = self.size, x_shape
        g = self._grad(grad_out, (n, c, h // kh, w // kw))
        # everything laid out as the input was: element-wise numpy is slow across different layouts,
        # and the layers below (ReLU, Conv2D) read the gradient in that layout without a copy
        if _axis_order(g) != order:
            g = _copy_in_order(g, order)
        grad = _zeros_in_order(x_shape, order, self.dtype)
        send_to_winners(g, beats, _tiles(grad, self.size))
        return grad


def tiling_max_pool_after(layer, kind, pool) -> bool:
    """Whether ``pool`` is cnnlib's own MaxPool2D with windows that tile the map (stride = size, no
    padding) and ``layer`` exactly a ``kind`` (not a learner's subclass) of the same dtype: what
    ``Sequential`` may reorder or run as one (each layer casts its input, so the dtypes must agree)."""
    return type(layer) is kind and type(pool) is MaxPool2D and pool._tiles_the_map() and layer.dtype == pool.dtype


def max_of_taps(taps, best, beats, positive=None, split=True) -> None:
    """The largest of the ``taps`` (arrays of one shape, a window's taps in order) into ``best``.

    ``beats[t - 1]`` (bool, as ``best``) is set where tap t is strictly larger than every tap
    before it: a tie keeps the first, as in PyTorch. In halves along axis 0 inside ``fit``, unless
    not ``split``.
    With ``positive`` (bool, as ``best``), a ReLU follows: ``positive`` is set where the largest
    is above 0 and ``best`` becomes max(largest, 0), as :class:`cnnlib.layers.ReLU` computes them.
    """

    def images(start, stop):
        window = slice(start, stop)
        np.copyto(best[window], taps[0][window])
        for tap, beat in zip(taps[1:], beats, strict=True):
            np.greater(tap[window], best[window], out=beat[window])
            np.maximum(best[window], tap[window], out=best[window])
        if positive is not None:
            np.greater(best[window], 0, out=positive[window])
            np.maximum(best[window], np.zeros_like(best[window]), out=best[window])  # against zeros: see ReLU

    if split:
        _threads.in_halves_when_sharing(images, best.shape[0], best.size * len(taps))
    else:
        images(0, best.shape[0])


def send_to_winners(g, beats, taps) -> None:
    """The backward of :func:`max_of_taps`: ``taps[t]`` = ``g`` where tap t won its window, else 0.

    ``g``, the ``beats`` and the ``taps`` written into have one shape, best laid out alike in memory:
    element-wise numpy is slow across different layouts. In halves along axis 0 inside ``fit``.
    """

    def images(start, stop):
        window = slice(start, stop)
        route_to_taps(g[window], [beat[window] for beat in beats], [tap[window] for tap in taps])

    _threads.in_halves_when_sharing(images, g.shape[0], g.size * len(taps))


def route_to_taps(g, beats, out, first=0) -> None:
    """``out[k]`` = ``g`` where tap ``first + k`` won its window, else 0 (``out`` for some of the taps).

    The winner is the last tap that beat all before it (``beats`` of :func:`max_of_taps`, for every
    tap), the first tap if none did: the first largest, as in PyTorch.
    """
    stop, later = first + len(out), None  # later: where a tap after the current one won
    for t in range(len(beats), stop - 1, -1):  # the taps after those of `out`
        later = beats[t - 1] if later is None else later | beats[t - 1]
    for t in range(stop - 1, first - 1, -1):
        if t == 0:  # the first tap wins where no later one did
            won = True if later is None else ~later
        else:  # tap t wins where it beat every tap before it and no later one did
            won = beats[t - 1] if later is None else beats[t - 1] & ~later
            later = beats[t - 1] if later is None else later | beats[t - 1]
        np.multiply(g, won, out=out[t - first])


def _tiles(x, size):
    """The KH*KW taps of non-overlapping windows: strided views (N, C, OH, OW), rows and columns left over dropped."""
    (kh, kw), (h, w) = size, x.shape[2:]
    oh, ow = h // kh, w // kw
    return [
        x[:, :, a : a + kh * (oh - 1) + 1 : kh, b : b + kw * (ow - 1) + 1 : kw] for a in range(kh) for b in range(kw)
    ]


def _axis_order(x):
    """The axes of ``x`` from the slowest-varying in memory to the fastest (C order: 0, 1, 2, 3)."""
    return tuple(int(axis) for axis in np.argsort([-abs(stride) for stride in x.strides], kind="stable"))


def _zeros_in_order(shape, order, dtype):
    """Zeros of ``shape`` stored with the axes in memory ``order`` (see :func:`_axis_order`)."""
    stored = np.zeros([shape[axis] for axis in order], dtype=dtype)
    return stored.transpose(np.argsort(order))


def _empty_in_order(shape, order, dtype):
    """An uninitialised array of ``shape`` stored with the axes in memory ``order``."""
    stored = np.empty([shape[axis] for axis in order], dtype=dtype)
    return stored.transpose(np.argsort(order))


def _copy_in_order(x, order):
    """A copy of ``x`` stored with the axes in memory ``order``."""
    return x.transpose(order).copy().transpose(np.argsort(order))


class AvgPool2D(_Pool2D):
    """Average pooling; backward shares each window's gradient equally among its inputs."""

    def forward(self, x):
        x_shape, padded_shape, windows = self._windows(x)
        out = windows.mean(axis=-1)  # a padded border's zeros count (PyTorch's count_include_pad=True)
        self._cache = (x_shape, padded_shape, out.shape)
        return out

    def backward(self, grad_out):
        x_shape, padded_shape, out_shape = self._cached()
        share = self._grad(grad_out, out_shape) / (self.size[0] * self.size[1])
        return self._scatter(x_shape, padded_shape, lambda tap: share)
