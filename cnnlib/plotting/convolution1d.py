"""Figures of notebook 02 (convolution in 1-D): slide, multiply, add; modes; the flip; smoothing; jumps.

Every figure is built from arrays the notebook computed (or from ``f`` and
``g`` alone, where the figure *is* the computation), and the one-line sum
``(f * g)[n] = ...`` that the sliding figure and its widget show comes from
:func:`convolution_terms_1d`, so picture, widget and text always agree.
"""

from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from .._validation import as_float_array, as_int

__all__ = [
    "convolution_sum_text_1d",
    "convolution_terms_1d",
    "jump_figure_1d",
    "kernel_flip_figure_1d",
    "modes_figure_1d",
    "slide_figure_1d",
    "smoothing_figure_1d",
]

F_COLOR, G_COLOR, PRODUCT_COLOR, OUT_COLOR, NOW_COLOR = "tab:blue", "tab:orange", "tab:green", "tab:purple", "tab:red"


def format_number(x) -> str:
    """A number as a learner would write it: ``3`` rather than ``3.0``, three significant digits otherwise."""
    x = float(x)
    if x == round(x) and abs(x) < 1e12:
        return str(int(round(x)))
    return f"{x:.3g}"


def _signals(f, g):
    return as_float_array(f, "f", ndim=1, layout="(M,)"), as_float_array(g, "g", ndim=1, layout="(K,)")


def _shift(n, f, g) -> int:
    n = as_int(n, "n", minimum=0)
    last = f.size + g.size - 2
    if n > last:
        raise ValueError(f"`n` must be <= M + K - 2 = {last} (the last shift where f and g overlap), got {n}")
    return n


def convolution_terms_1d(f, g, n) -> list[tuple[int, float, float, float, float]]:
    """The terms of ``(f * g)[n] = sum_k f[k] g[n - k]``, in the order of k, with the running sum.

    Parameters
    ----------
    f : array_like, shape (M,)
    g : array_like, shape (K,)
    n : int, 0 <= n <= M + K - 2
        The shift: the output index.

    Returns
    -------
    terms : list of (k, f[k], g[n - k], product, running_sum)
        One entry for each k where both f[k] and g[n - k] exist; the last
        running sum is ``(f * g)[n]``, i.e. ``np.convolve(f, g)[n]``.

    Examples
    --------
    >>> [t[0] for t in convolution_terms_1d([2, 0, 1, 3, -1], [1, 2, 3], 2)]
    [0, 1, 2]
    >>> convolution_terms_1d([2, 0, 1, 3, -1], [1, 2, 3], 2)[-1][-1]
    7.0
    """
    f, g = _signals(f, g)
    n = _shift(n, f, g)
    terms, running = [], 0.0
    for k in range(max(0, n - g.size + 1), min(f.size - 1, n) + 1):
        product = f[k] * g[n - k]
        running += product
        terms.append((k, float(f[k]), float(g[n - k]), float(product), float(running)))
    return terms


def convolution_sum_text_1d(f, g, n) -> str:
    """``(f * g)[n]`` written out: which samples meet, their values, and the sum.

    Examples
    --------
    >>> convolution_sum_text_1d([2, 0, 1, 3, -1], [1, 2, 3], 2)
    '(f * g)[2] = f[0]·g[2] + f[1]·g[1] + f[2]·g[0] = 2·3 + 0·2 + 1·1 = 7'
    """
    terms = convolution_terms_1d(f, g, n)
    names = " + ".join(f"f[{k}]·g[{n - k}]" for k, *_ in terms)

    def paren(v):
        return f"({format_number(v)})" if v < 0 else format_number(v)

    values = " + ".join(f"{paren(fk)}·{paren(gk)}" for _, fk, gk, _, _ in terms)
    return f"(f * g)[{n}] = {names} = {values} = {format_number(terms[-1][-1])}"


def _stems(ax, x, y, color, label=None, offset=0.0, size=7, faint=False):
    """Vertical lines from 0 to y with a dot on top; ``faint`` for values shown only as context."""
    x = np.asarray(x, dtype=float) + offset
    alpha = 0.35 if faint else 1.0
    ax.vlines(x, 0, y, color=color, lw=2, alpha=alpha)
    ax.plot(x, y, "o", color=color, ms=size, label=label, alpha=alpha, zorder=3)


def _label_values(ax, x, y, color, offset=0.0):
    span = np.diff(ax.get_ylim())[0]
    for xi, yi in zip(x, y, strict=True):
        va, dy = ("bottom", 0.04 * span) if yi >= 0 else ("top", -0.04 * span)
        ax.text(xi + offset, yi + dy, format_number(yi), ha="center", va=va, fontsize=9, color=color)


def _limits(values, pad=0.3):
    lo, hi = min(0.0, float(np.min(values))), max(0.0, float(np.max(values)))
    span = (hi - lo) or 1.0
    return lo - pad * span, hi + pad * span


def _finish(ax, title, ylabel):
    ax.set_title(title, fontsize=11, loc="left")
    ax.set_ylabel(ylabel)
    ax.axhline(0, color="0.6", lw=0.8)
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.grid(axis="x", color="0.92")


def _legend(ax):
    """The legend outside the axes, on the right, so it never hides a value."""
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=9, frameon=False)


def slide_figure_1d(f, g, n) -> Figure:
    """One step of convolution: g flipped and shifted to n, the products where it overlaps f, the output.

    Parameters
    ----------
    f : array_like, shape (M,)
    g : array_like, shape (K,)
    n : int, 0 <= n <= M + K - 2
        The shift to show.

    Returns
    -------
    fig : matplotlib.figure.Figure
        Three axes sharing the index axis, from -(K - 1) to M + K - 2: the
        inputs (overlap shaded), the products with their running sum, and the
        M + K - 1 outputs with ``(f * g)[n]`` highlighted. The y-limits do not
        depend on n, so stepping through n does not make the picture jump.

    Examples
    --------
    >>> fig = slide_figure_1d([2, 0, 1, 3, -1], [1, 2, 3], 2)
    >>> len(fig.axes)
    3
    """
    f, g = _signals(f, g)
    n = _shift(n, f, g)
    m, k_len = f.size, g.size
    full = np.convolve(f, g)
    terms = convolution_terms_1d(f, g, n)
    ks = np.array([t[0] for t in terms])
    products = np.array([t[3] for t in terms])
    partial = [term[4] for s in range(full.size) for term in convolution_terms_1d(f, g, s)]

    fig = Figure(figsize=(11.5, 7.6), dpi=100, layout="constrained")
    ax_in, ax_prod, ax_out = fig.subplots(3, 1, sharex=True)
    ax_in.axvspan(ks[0] - 0.4, ks[-1] + 0.4, color="#fff3c4", zorder=0, label="overlap")
    ax_prod.axvspan(ks[0] - 0.4, ks[-1] + 0.4, color="#fff3c4", zorder=0)
    for ax in (ax_in, ax_prod, ax_out):
        ax.axvline(n, color=NOW_COLOR, lw=1, ls=":", zorder=1)

    ax_in.set_ylim(*_limits(np.concatenate([f, g]), pad=0.35))
    _stems(ax_in, np.arange(m), f, F_COLOR, "f[k]", offset=-0.09)
    flipped_at = n - np.arange(k_len)
    _stems(ax_in, flipped_at, g, G_COLOR, "g[n − k]:\ng flipped, slid to n", offset=0.09)
    span = np.diff(ax_in.get_ylim())[0]
    for j, (x, v) in enumerate(zip(flipped_at, g, strict=True)):
        va, dy = ("bottom", 0.04 * span) if v >= 0 else ("top", -0.04 * span)
        ax_in.text(x + 0.09, v + dy, f"g[{j}]", ha="left", va=va, fontsize=9, color=G_COLOR)
    _label_values(ax_in, np.arange(m), f, F_COLOR, offset=-0.3)
    _finish(ax_in, f"Inputs at shift n = {n}: f and the flipped kernel", "value")
    _legend(ax_in)

    ax_prod.set_ylim(*_limits(np.concatenate([partial, np.outer(f, g).ravel()])))
    ax_prod.bar(ks, products, width=0.45, color=PRODUCT_COLOR, label="product f[k]·g[n − k]", zorder=2)
    ax_prod.plot(ks, [t[4] for t in terms], "D--", color="0.25", ms=5, label="running sum", zorder=3)
    _label_values(ax_prod, ks, products, PRODUCT_COLOR)
    added = " + ".join(format_number(p) if p >= 0 else f"({format_number(p)})" for p in products)
    _finish(ax_prod, f"Multiply where they overlap, then add: {added} = {format_number(full[n])}", "product")
    _legend(ax_prod)

    ax_out.set_ylim(*_limits(full))
    outputs = np.arange(full.size)
    done, later = outputs < n, outputs > n
    _stems(ax_out, outputs[done], full[done], OUT_COLOR, "earlier shifts")
    _stems(ax_out, outputs[later], full[later], "0.55", "shifts still to come", faint=True)
    _stems(ax_out, [n], [full[n]], NOW_COLOR, f"this shift:\n(f * g)[{n}] = {format_number(full[n])}", size=10)
    _label_values(ax_out, [n], [full[n]], NOW_COLOR, offset=0.32)
    _finish(ax_out, f"Output: one value per shift, M + K − 1 = {full.size} in all", "(f * g)[n]")
    ax_out.set_xlabel("index: k for the inputs, n for the output")
    _legend(ax_out)
    ax_out.set_xlim(-k_len + 0.4, m + k_len - 1.6)
    fig.suptitle(f"Convolution = slide, multiply, add.   Shift n = {n}", fontsize=13, weight="bold")
    return fig


def modes_figure_1d(f, g) -> Figure:
    """What 'full', 'same' and 'valid' keep of ``np.convolve(f, g)``, aligned on the full output.

    Returns
    -------
    fig : matplotlib.figure.Figure
        Three axes, one per mode, each showing all M + K - 1 full values and
        highlighting the ones that mode keeps: M + K - 1, max(M, K) and
        max(M, K) - min(M, K) + 1 of them.

    Examples
    --------
    >>> [ax.get_title(loc="left").split()[0] for ax in modes_figure_1d([2, 0, 1, 3, -1], [1, 2, 3]).axes]
    ["mode='full'", "mode='same'", "mode='valid'"]
    """
    f, g = _signals(f, g)
    full = np.convolve(f, g)
    short, long = sorted((f.size, g.size))
    kept = {
        "full": (0, full.size, f"M + K − 1 = {f.size} + {g.size} − 1"),
        "same": ((short - 1) // 2, (short - 1) // 2 + long, f"max(M, K) = {long}"),
        "valid": (short - 1, long, f"max(M, K) − min(M, K) + 1 = {long} − {short} + 1"),
    }
    fig = Figure(figsize=(9, 6.2), dpi=100, layout="constrained")
    axes = fig.subplots(3, 1, sharex=True)
    index = np.arange(full.size)
    for ax, (mode, (start, stop, rule)) in zip(axes, kept.items(), strict=True):
        ax.set_ylim(*_limits(full))
        keep = (index >= start) & (index < stop)
        ax.axvspan(start - 0.4, stop - 0.6, color="#e8e0f5", zorder=0)
        _stems(ax, index[keep], full[keep], OUT_COLOR, "kept")
        if (~keep).any():
            _stems(ax, index[~keep], full[~keep], "0.55", "dropped", faint=True)
        _label_values(ax, index[keep], full[keep], OUT_COLOR)
        _finish(ax, f"mode='{mode}' keeps {stop - start} values:  {rule}", "value")
        _legend(ax)
    axes[-1].set_xlabel("index n of the full output")
    fig.suptitle(f"np.convolve modes for M = {f.size} and K = {g.size}", fontsize=13, weight="bold")
    return fig


def kernel_flip_figure_1d(kernel, length=7) -> Figure:
    """An impulse, its convolution with ``kernel`` and its cross-correlation with ``kernel`` ('same' mode).

    Parameters
    ----------
    kernel : array_like, shape (K,)
    length : int, default 7
        Length of the impulse signal (a single 1 in the middle), ``length >= K``.

    Returns
    -------
    fig : matplotlib.figure.Figure
        Three axes: the impulse, ``np.convolve(impulse, kernel, 'same')`` (the
        kernel as it is) and ``np.correlate(impulse, kernel, 'same')`` (reversed).

    Examples
    --------
    >>> len(kernel_flip_figure_1d([1, 2, 3]).axes)
    3
    """
    kernel = as_float_array(kernel, "kernel", ndim=1, layout="(K,)")
    length = as_int(length, "length", minimum=kernel.size)
    impulse = np.zeros(length)
    impulse[length // 2] = 1.0
    written = f"[{', '.join(format_number(v) for v in kernel)}]"
    rows = [
        ("Input: an impulse, a single 1", impulse, F_COLOR),
        (f"Convolution, np.convolve(impulse, {written}, 'same'): the kernel as it is",
         np.convolve(impulse, kernel, "same"), OUT_COLOR),
        (f"Cross-correlation, np.correlate(impulse, {written}, 'same'): the kernel reversed",
         np.correlate(impulse, kernel, "same"), G_COLOR),
    ]
    fig = Figure(figsize=(8, 6), dpi=100, layout="constrained")
    axes = fig.subplots(3, 1, sharex=True)
    index = np.arange(length)
    for ax, (title, values, color) in zip(axes, rows, strict=True):
        ax.set_ylim(*_limits(np.concatenate([impulse, kernel])))
        _stems(ax, index, values, color)
        nonzero = values != 0
        _label_values(ax, index[nonzero], values[nonzero], color)
        _finish(ax, title, "value")
    axes[-1].set_xlabel("index n")
    fig.suptitle(f"The kernel flip, seen with the kernel {written}", fontsize=13, weight="bold")
    return fig


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
