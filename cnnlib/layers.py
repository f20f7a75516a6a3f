"""Layers that learn: each has ``forward(x)``, ``backward(grad_out)`` and named parameters.

Every layer follows one pattern. ``forward`` computes the output and keeps what
``backward`` will need; ``backward`` receives dL/d(output), stores dL/d(each
parameter) in ``grads`` under the parameter's name, and returns dL/d(input).
Parameters live in ``params``; training changes their values, never their
shapes, nor any size, stride or padding.

Layers take a ``dtype`` (float64 by default, float32 to train faster); the
input is cast to it.
"""

from __future__ import annotations

import numpy as np

from ._validation import as_float_array, as_int, as_int_pair, check_window_fits
from .conv import conv2d_padded, im2col_unchecked, pad_nchw
from .pooling import pool_padding
from .shapes import dilated_size, resolve_padding


class NonFiniteError(ValueError):
    """A layer received NaN or infinity (bad data, or training that diverged)."""


class Layer:
    """Base class: no parameters; ``backward`` before ``forward`` is an error."""

    def __init__(self, dtype=np.float64):
        self.dtype = np.dtype(dtype)
        if self.dtype not in (np.float32, np.float64):
            raise TypeError(f"`dtype` must be float32 or float64, got {self.dtype}")
        self.params: dict[str, np.ndarray] = {}
        self.grads: dict[str, np.ndarray] = {}
        self._cache = None

    def _input(self, x, ndim, layout):
        """Validate and cast the input; NaN or infinity would poison every gradient."""
        x = as_float_array(x, "x", ndim=ndim, layout=layout, dtype=self.dtype)
        if not np.isfinite(x).all():
            raise NonFiniteError(f"`x` must contain only finite numbers: {type(self).__name__} got NaN or infinity")
        return x

    def _cached(self):
        if self._cache is None:
            raise RuntimeError(f"{type(self).__name__}.backward() was called before forward(): run forward first")
        return self._cache

    def _grad(self, grad_out, shape):
        grad_out = np.asarray(grad_out, dtype=self.dtype)
        if grad_out.shape != shape:
            raise ValueError(
                f"`grad_out` must have the shape of {type(self).__name__}'s output {shape}, got {grad_out.shape}"
            )
        return grad_out

    def __repr__(self):
        return f"{type(self).__name__}()"


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
    dL/dx is the *full convolution* of g with the filters, i.e. a forward
    convolution of the zero-padded g with the filters flipped and their
    in/out channels swapped (g is first spread out by the stride). With a dilation the
    flipped filters are spread out too, with zeros between their taps.
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
        rng = np.random.default_rng(0) if rng is None else rng
        fan_in = self.in_channels * self.kernel_size[0] * self.kernel_size[1]
        shape = (self.out_channels, self.in_channels, *self.kernel_size)
        self.params = {
            "w": (rng.standard_normal(shape) * np.sqrt(2.0 / fan_in)).astype(self.dtype),
            "b": np.zeros(self.out_channels, dtype=self.dtype),
        }

    def forward(self, x):
        x = self._input(x, 4, "(N, C, H, W)")
        if x.shape[1] != self.in_channels:
            raise ValueError(
                f"`x` must have C={self.in_channels} channels for this Conv2D, got shape {x.shape} (C={x.shape[1]})"
            )
        padded = pad_nchw(x, self.padding)
        check_window_fits(
            self.span,
            padded.shape[2:],
            "kernel_size",
            "" if self.span == self.kernel_size else f"{self.kernel_size} with dilation {self.dilation} spans",
            "padded input",
        )
        w, b = self.params["w"], self.params["b"]
        cols = im2col_unchecked(padded, self.kernel_size, self.stride, self.dilation)  # (N, C*KH*KW, OH*OW)
        oh = (padded.shape[2] - self.span[0]) // self.stride[0] + 1
        ow = (padded.shape[3] - self.span[1]) // self.stride[1] + 1
        out = (w.reshape(self.out_channels, -1) @ cols).reshape(x.shape[0], self.out_channels, oh, ow)
        out += b[:, None, None]
        self._cache = (x.shape, padded.shape, cols)
        return out

    def backward(self, grad_out):
        x_shape, padded_shape, cols = self._cached()
        n, f = x_shape[0], self.out_channels
        oh = (padded_shape[2] - self.span[0]) // self.stride[0] + 1
        ow = (padded_shape[3] - self.span[1]) // self.stride[1] + 1
        g = self._grad(grad_out, (n, f, oh, ow))
        w = self.params["w"]
        g_rows = g.reshape(n, f, oh * ow)
        # dL/dw: correlate the input patches (the im2col columns) with g, summed over the batch
        self.grads["w"] = (g_rows @ cols.transpose(0, 2, 1)).sum(axis=0).reshape(w.shape)
        self.grads["b"] = g_rows.sum(axis=(0, 2))
        return self._input_gradient(g, x_shape, padded_shape)

    def _input_gradient(self, g, x_shape, padded_shape):
        """dL/dx as a full convolution of g with the flipped filters (the forward machinery again)."""
        (kh, kw), (sh, sw), (dh, dw) = self.span, self.stride, self.dilation
        n, f, oh, ow = g.shape
        spread = g
        if sh > 1 or sw > 1:  # put back the positions the stride skipped, as zeros
            spread = np.zeros((n, f, (oh - 1) * sh + 1, (ow - 1) * sw + 1), dtype=g.dtype)
            spread[:, :, ::sh, ::sw] = g
        w = self.params["w"]
        if (dh, dw) != (1, 1):  # the dilated filter as an ordinary one with zeros between its taps
            spaced = np.zeros((*w.shape[:2], kh, kw), dtype=w.dtype)
            spaced[:, :, ::dh, ::dw] = w
            w = spaced
        flipped = w[:, :, ::-1, ::-1].transpose(1, 0, 2, 3)  # (C, F, KH, KW)
        full = conv2d_padded(pad_nchw(spread, ((kh - 1, kh - 1), (kw - 1, kw - 1))), flipped, None, (1, 1))
        # rows/columns the kernel never reached (when the stride does not divide) get no gradient
        grad_padded = np.zeros(padded_shape, dtype=g.dtype)
        grad_padded[:, :, : full.shape[2], : full.shape[3]] = full
        (top, _), (left, _) = self.padding
        return grad_padded[:, :, top : top + x_shape[2], left : left + x_shape[3]]

    def __repr__(self):
        return (
            f"Conv2D({self.in_channels}, {self.out_channels}, kernel_size={self.kernel_size}, "
            f"stride={self.stride}, padding={self.padding}"
            + (f", dilation={self.dilation})" if self.dilation != (1, 1) else ")")
        )


class ReLU(Layer):
    """max(x, 0); its backward lets the gradient through where x > 0 and blocks it elsewhere."""

    def forward(self, x):
        x = self._input(x, None, "")
        self._cache = x > 0
        return np.where(self._cache, x, 0).astype(self.dtype, copy=False)

    def backward(self, grad_out):
        mask = self._cached()
        return self._grad(grad_out, mask.shape) * mask


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

    A padded border is -inf, so it never wins (as in PyTorch).
    """

    fill = -np.inf

    def forward(self, x):
        x_shape, padded_shape, windows = self._windows(x)
        winner = windows.argmax(axis=-1)
        self._cache = (x_shape, padded_shape, winner)
        return np.take_along_axis(windows, winner[..., None], axis=-1)[..., 0]

    def backward(self, grad_out):
        x_shape, padded_shape, winner = self._cached()
        g = self._grad(grad_out, winner.shape)
        return self._scatter(x_shape, padded_shape, lambda tap: np.where(winner == tap, g, 0))


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
