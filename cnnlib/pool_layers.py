"""Pooling layers: max and average pooling with a forward and a backward pass, NCHW.

Their forward passes agree with :func:`cnnlib.max_pool2d` / :func:`cnnlib.avg_pool2d`;
``backward`` sends each window's gradient back to the inputs that made its value.
"""

from __future__ import annotations

import numpy as np

from . import _threads
from ._validation import as_int_pair, check_window_fits
from .columns import output_shape, tap_slices
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
        out_size = output_shape(padded_shape[2:], self.size, self.stride, (1, 1))
        for a, b, rows, cols in tap_slices(self.size, self.stride, (1, 1), out_size):
            grad[:, :, rows, cols] += per_tap(a * self.size[1] + b)
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
        self._cache = (x.shape, order, beats, ())
        return best

    def _backward_tiles(self, grad_out):
        x_shape, order, beats, parts = self._cached()
        (kh, kw), (n, c, h, w) = self.size, x_shape
        g = self._grad(grad_out, (n, c, h // kh, w // kw))
        # everything laid out as the input was: element-wise numpy is slow across different layouts,
        # and the layers below (ReLU, Conv2D) read the gradient in that layout without a copy
        if _axis_order(g) != order:
            g = _copy_in_order(g, order)
        grad = _zeros_in_order(x_shape, order, self.dtype)
        send_to_winners(g, beats, _tiles(grad, self.size), parts)
        # a negative gradient times a lost tap is -0.0: the same number as 0.0, but printed "-0." it puzzles a
        # reader (notebook 08 prints one). Adding 0.0 makes it 0.0; one pass, off the training path, where
        # Sequential runs a convolution and its pooling as one layer (ConvMaxPool)
        np.add(grad, 0.0, out=grad)
        return grad


def tiling_max_pool_after(layer, kind, pool) -> bool:
    """Whether ``pool`` is cnnlib's own MaxPool2D with windows that tile the map (stride = size, no
    padding) and ``layer`` exactly a ``kind`` (not a learner's subclass) of the same dtype: what
    ``Sequential`` may reorder or run as one (each layer casts its input, so the dtypes must agree)."""
    return type(layer) is kind and type(pool) is MaxPool2D and pool._tiles_the_map() and layer.dtype == pool.dtype


def max_of_taps(taps, best, beats) -> None:
    """The largest of the ``taps`` (arrays of one shape, a window's taps in order) into ``best``.

    ``beats[t - 1]`` (bool, as ``best``) is set where tap t is strictly larger than every tap
    before it: a tie keeps the first, as in PyTorch. In halves along axis 0 inside ``fit``.
    """

    def images(start, stop):
        window = slice(start, stop)
        running_max([tap[window] for tap in taps], best[window], [beat[window] for beat in beats])

    _threads.in_halves_when_sharing(images, best.shape[0], best.size * len(taps))


def running_max(taps, best, beats) -> None:
    """``best`` = the largest of the ``taps`` (in order); ``beats[t - 1]`` where tap t is strictly larger
    than every tap before it (see :func:`max_of_taps`). One tap: ``best`` is a copy of it."""
    first, *rest = taps
    if not rest:
        np.copyto(best, first)
        return
    np.greater(rest[0], first, out=beats[0])
    np.maximum(first, rest[0], out=best)
    for tap, beat in zip(rest[1:], beats[1:], strict=True):
        np.greater(tap, best, out=beat)
        np.maximum(best, tap, out=best)


def largest_of_parts(found) -> tuple:
    """The largest of taps maximised in parts: ``found`` holds each part's (largest, beats) by the part's first
    tap, as :func:`running_max` made them (the taps of a window in order, split anywhere).

    Returns (the largest of all, the beats of every tap, the parts): what :func:`route_to_taps` reads, with
    ``parts`` the first tap of each part after the first. The largest are the same numbers as those of
    :func:`max_of_taps` (max is exact; np.maximum keeps the same one of two equal zeros).
    """
    parts = tuple(sorted(found))[1:]
    best, beats = found[0][0], list(found[0][1])
    for first in parts:
        part_best, part_beats = found[first]
        beats.append(np.greater(part_best, best))
        np.maximum(best, part_best, out=best)
        beats += part_beats
    return best, beats, parts


def relu_in_place(best, positive) -> None:
    """``positive`` = best > 0, then best = max(best, 0), as :class:`cnnlib.layers.ReLU` computes them."""
    np.greater(best, 0, out=positive)
    np.maximum(best, np.zeros_like(best), out=best)  # against zeros: see ReLU


def send_to_winners(g, beats, taps, parts=()) -> None:
    """The backward of :func:`max_of_taps`: ``taps[t]`` = ``g`` where tap t won its window, else 0.

    ``g``, the ``beats`` and the ``taps`` written into have one shape, best laid out alike in memory:
    element-wise numpy is slow across different layouts. In halves along axis 0 inside ``fit``.
    ``parts``: see :func:`route_to_taps`.
    """

    def images(start, stop):
        window = slice(start, stop)
        route_to_taps(g[window], [beat[window] for beat in beats], [tap[window] for tap in taps], 0, parts)

    _threads.in_halves_when_sharing(images, g.shape[0], g.size * len(taps))


def route_to_taps(g, beats, out, first=0, parts=()) -> None:
    """``out[k]`` = ``g`` where tap ``first + k`` won its window, else 0 (``out`` for some of the taps).

    The winner is the last tap that beat all before it (``beats`` of :func:`max_of_taps`, for every
    tap), the first tap if none did: the first largest, as in PyTorch.

    ``parts``: the first tap of each part after the first, when the taps were maximised in parts
    (each part's taps as :func:`max_of_taps` does, then the parts' maxima in order): ``beats[s - 1]``
    of a part's first tap s is then set where that part's largest beat every earlier part's. The
    winner is the same, first largest: the first largest of the first part that holds the largest.
    """
    taps, stop = len(beats) + 1, first + len(out)
    starts, ends = (0, *parts), (*parts, taps)
    part_later = None  # where a later part won
    for part in range(len(starts) - 1, -1, -1):
        start, end = starts[part], ends[part]
        if end <= first:  # this part and those before it hold none of the taps asked for
            break
        beat_part = None if part == 0 else beats[start - 1]
        if start < stop:  # some of this part's taps are asked for
            part_won = _beat_and_not(beat_part, part_later)
            later = None  # where a later tap of this part beat all the part's taps before it
            for t in range(end - 1, max(start, first) - 1, -1):
                if t < stop:
                    tap_won = _beat_and_not(None if t == start else beats[t - 1], later)
                    won = tap_won if part_won is None else part_won if tap_won is None else tap_won & part_won
                    np.multiply(g, True if won is None else won, out=out[t - first])
                if t > start:
                    later = beats[t - 1] if later is None else later | beats[t - 1]
        if beat_part is not None:
            part_later = beat_part if part_later is None else part_later | beat_part


def _beat_and_not(beat, later):
    """``beat & ~later``, with None for "everywhere" (``beat``) and "nowhere" (``later``); None if everywhere."""
    if later is None:
        return beat
    return ~later if beat is None else beat & ~later


def _tiles(x, size):
    """The KH*KW taps of non-overlapping windows: strided views (N, C, OH, OW), rows and columns left over dropped."""
    (kh, kw), (h, w) = size, x.shape[2:]
    return [x[:, :, rows, cols] for _, _, rows, cols in tap_slices(size, size, (1, 1), (h // kh, w // kw))]


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
