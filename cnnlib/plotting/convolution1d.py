"""Convolution in 1-D (notebook 02), the operation itself: slide, multiply, add; the three modes; the flip.

Every figure is built from ``f`` and ``g`` alone (the figure *is* the
computation), and the one-line sum ``(f * g)[n] = ...`` that the sliding figure
and its widget show comes from :func:`convolution_terms_1d`, so picture, widget
and text always agree. Signals are drawn as stems, values written beside them
with :func:`~cnnlib.plotting.style.format_number`. What kernels do to a signal
(smoothing, finding jumps) is drawn by :mod:`cnnlib.plotting.filters1d`.
"""

from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from .._validation import as_float_array, as_int
from .style import format_number  # cnnlib.widgets.convolution1d imports it from here too

__all__ = [
    "convolution_sum_text_1d",
    "convolution_terms_1d",
    "kernel_flip_figure_1d",
    "modes_figure_1d",
    "slide_figure_1d",
]

F_COLOR, G_COLOR, PRODUCT_COLOR, OUT_COLOR, NOW_COLOR = "tab:blue", "tab:orange", "tab:green", "tab:purple", "tab:red"


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

    Parameters
    ----------
    f, g, n
        As for :func:`convolution_terms_1d`.

    Returns
    -------
    text : str
        ``(f * g)[n] = f[k]·g[n - k] + ... = (values) = sum``, negative values in brackets.

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

    Parameters
    ----------
    f : array_like, shape (M,)
    g : array_like, shape (K,)

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
        (
            f"Convolution, np.convolve(impulse, {written}, 'same'): the kernel as it is",
            np.convolve(impulse, kernel, "same"),
            OUT_COLOR,
        ),
        (
            f"Cross-correlation, np.correlate(impulse, {written}, 'same'): the kernel reversed",
            np.correlate(impulse, kernel, "same"),
            G_COLOR,
        ),
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
