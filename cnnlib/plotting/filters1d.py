"""What a 1-D kernel does to a signal (notebook 02): smoothing noise away, finding where the signal jumps.

The signals are drawn as lines or stems (:mod:`cnnlib.plotting.convolution1d`
draws the operation itself: slide, multiply, add), the kernels beside them,
centred on 0.
"""

from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure

from .._validation import as_float_array
from .convolution1d import F_COLOR, NOW_COLOR, _finish, _label_values, _limits, _stems
from .style import format_number

__all__ = [
    "jump_figure_1d",
    "smoothing_figure_1d",
]


def smoothing_figure_1d(t, noisy, smoothed, *, clean=None, kernels=None) -> Figure:
    """A noisy signal and its smoothed versions; on the left, the kernels that smoothed it.

    Parameters
    ----------
    t : array_like, shape (N,)
        Sample times, for the x-axis.
    noisy : array_like, shape (N,)
    smoothed : dict of str to array_like, shape (N,)
        Smoothed signals by name; each is drawn in its own colour.
    clean : array_like, shape (N,), optional
        The signal before the noise was added, drawn dashed.
    kernels : dict of str to array_like, optional
        The kernels by the same names, drawn as stems centred on 0.

    Returns
    -------
    fig : matplotlib.figure.Figure
        One axes for the signals, and one more on the left if ``kernels`` is given.

    Examples
    --------
    >>> t = np.linspace(0, 1, 50)
    >>> fig = smoothing_figure_1d(t, np.sin(t), {"box": np.sin(t)}, kernels={"box": np.ones(3) / 3})
    >>> len(fig.axes)
    2
    """
    t = as_float_array(t, "t", ndim=1, layout="(N,)")
    noisy = as_float_array(noisy, "noisy", ndim=1, layout="(N,)")
    curves = {name: as_float_array(v, f"smoothed[{name!r}]", ndim=1, layout="(N,)") for name, v in smoothed.items()}
    for name, values in [("noisy", noisy), *curves.items()]:
        if values.shape != t.shape:
            raise ValueError(f"`{name}` must have the shape of `t` {t.shape}, got shape {values.shape}")
    colors = dict(zip(curves, ["tab:orange", "tab:green", "tab:purple", "tab:brown"], strict=False))
    fig = Figure(figsize=(11, 4.4), dpi=100, layout="constrained")
    if kernels:
        ax_k, ax = fig.subplots(1, 2, width_ratios=[1, 3.2])
        for name, kernel in kernels.items():
            kernel = as_float_array(kernel, f"kernels[{name!r}]", ndim=1, layout="(K,)")
            offsets = np.arange(kernel.size) - (kernel.size - 1) / 2
            ax_k.plot(offsets, kernel, "o-", color=colors.get(name, "0.3"), ms=4, label=f"{name} ({kernel.size} taps)")
        ax_k.set_title("The kernels (weights add up to 1)", fontsize=11, loc="left")
        ax_k.set_xlabel("offset from the centre")
        ax_k.set_ylabel("weight")
        tallest = max(float(np.max(as_float_array(k, "kernel"))) for k in kernels.values())
        ax_k.set_ylim(0, 1.6 * tallest)
        ax_k.legend(fontsize=9, loc="upper center")
    else:
        ax = fig.subplots()
    ax.plot(t, noisy, ".", color="0.6", ms=4, label="noisy signal")
    if clean is not None:
        clean = as_float_array(clean, "clean", ndim=1, layout="(N,)")
        ax.plot(t, clean, "--", color="black", lw=1.2, label="signal before the noise")
    for name, values in curves.items():
        ax.plot(t, values, color=colors[name], lw=2.2, label=f"smoothed: {name}")
    ax.set_title("Smoothing a noisy signal by convolution", fontsize=11, loc="left")
    ax.set_xlabel("time t (s)")
    ax.set_ylabel("signal value")
    ax.legend(fontsize=9, loc="lower left", ncols=2)
    return fig


def jump_figure_1d(signal, response, kernel) -> Figure:
    """A signal with jumps, above its response to a derivative-like ``kernel`` (same length, 'same' mode).

    Parameters
    ----------
    signal : array_like, shape (N,)
    response : array_like, shape (N,)
        E.g. ``np.convolve(signal, kernel, mode="same")``.
    kernel : array_like, shape (K,)
        Named in the title.

    Returns
    -------
    fig : matplotlib.figure.Figure
        Two axes sharing the index axis; positive responses in red, negative in blue.

    Examples
    --------
    >>> x = np.r_[np.zeros(5), np.ones(5)]
    >>> len(jump_figure_1d(x, np.convolve(x, [1, 0, -1], "same"), [1, 0, -1]).axes)
    2
    """
    signal = as_float_array(signal, "signal", ndim=1, layout="(N,)")
    response = as_float_array(response, "response", ndim=1, layout="(N,)")
    kernel = as_float_array(kernel, "kernel", ndim=1, layout="(K,)")
    if response.shape != signal.shape:
        raise ValueError(f"`response` must have the shape of `signal` {signal.shape}, got shape {response.shape}")
    index = np.arange(signal.size)
    fig = Figure(figsize=(10, 5.2), dpi=100, layout="constrained")
    ax_x, ax_y = fig.subplots(2, 1, sharex=True)
    ax_x.step(index, signal, where="mid", color="0.3", lw=1)
    _stems(ax_x, index, signal, F_COLOR, "x[n]", size=4)
    ax_x.set_ylim(*_limits(signal, pad=0.15))
    _finish(ax_x, "Signal: flat stretches joined by jumps", "x[n]")
    ax_y.set_ylim(*_limits(response, pad=0.2))
    up, down = response > 0, response < 0
    _stems(ax_y, index[up], response[up], NOW_COLOR, "positive: x rises here", size=5)
    _stems(ax_y, index[down], response[down], F_COLOR, "negative: x falls here", size=5)
    starts = [i for i in index[up | down] if i == 0 or response[i - 1] != response[i]]
    runs = [(i, int(np.argmax(np.r_[response[i:] != response[i], True]))) for i in starts]
    _label_values(ax_y, [i + (length - 1) / 2 for i, length in runs], [response[i] for i, _ in runs], "0.2")
    flat = ~(up | down)
    ax_y.plot(index[flat], response[flat], "o", color="0.6", ms=3, label="zero: x is flat here")
    written = ", ".join(format_number(v) for v in kernel)
    _finish(ax_y, f"Response: np.convolve(x, [{written}], mode='same')", "response")
    ax_y.set_xlabel("index n")
    ax_x.legend(loc="upper right", fontsize=9)
    ax_y.legend(loc="upper right", fontsize=9)
    fig.suptitle("A derivative-like kernel finds where the signal jumps", fontsize=13, weight="bold")
    return fig
