"""How a network learns (notebook 08): the loss, its gradient, gradient descent on a toy, gradients of each layer.

Colours follow the series' rule (:mod:`cnnlib.plotting.style`): signed numbers
(gradients) on the signed map centred on 0 (white 0, red positive, blue
negative), with their numbers written in. The toy problem is fitting one weight
``w`` in ``y = w x`` by least squares, ``L(w) = mean((w x - y)**2)``, whose gradient
is ``mean(2 (w x - y) x)``. What a real training run did is drawn by
:mod:`cnnlib.plotting.training`.
"""

from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle
from matplotlib.ticker import MaxNLocator

from .._validation import as_float_array, as_int, as_real, describe
from ..toy_regression import check_toy_data, toy_descent_path, toy_loss
from .style import number_grid, panel

__all__ = [
    "cross_entropy_figure",
    "descent_figure",
    "gradient_grids_figure",
    "learning_rates_figure",
    "softmax_gradient_figure",
]


def _verdict(path, best, tolerance=0.01) -> str:
    """'converged', 'too slow' or 'diverges', comparing the last distance to the best w with the first."""
    start, end = abs(path[0] - best), abs(path[-1] - best)
    if not np.isfinite(end) or end > max(start, 1e-12):
        return "diverges"
    return "converged" if end <= tolerance * max(start, 1.0) else "too slow"


def _finite_limits(values, pad=0.1):
    values = np.asarray(values, dtype=np.float64)
    values = values[np.isfinite(values)]
    low, high = float(values.min()), float(values.max())
    span = (high - low) or 1.0
    return low - pad * span, high + pad * span


def _draw_path(ax, x, y, path, colour, window):
    """The parabola L(w) over ``window`` and the steps as dots joined by arrows."""
    grid = np.linspace(*window, 300)
    ax.plot(grid, toy_loss(x, y, grid), color="0.55", lw=1.5, label="loss L(w)")
    shown = path[np.isfinite(path) & (path >= window[0]) & (path <= window[1])]
    losses = toy_loss(x, y, shown)
    for t in range(shown.size - 1):
        ax.annotate(
            "",
            xy=(shown[t + 1], losses[t + 1]),
            xytext=(shown[t], losses[t]),
            arrowprops={"arrowstyle": "->", "color": colour, "lw": 1.2, "alpha": 0.8},
        )
    ax.plot(shown, losses, "o", color=colour, ms=5, zorder=3, label="steps")
    if shown.size:
        ax.plot(shown[:1], losses[:1], "s", color="black", ms=6, zorder=4, label="start")
    outside = int(np.isfinite(path).sum()) - shown.size
    if outside:
        ax.text(
            0.98,
            0.97,
            f"{outside} later steps\noff the chart",
            transform=ax.transAxes,
            ha="right",
            va="top",
            fontsize=8,
            color=colour,
        )
    ax.set_xlim(*window)
    ax.set_ylim(-0.04 * toy_loss(x, y, grid).max(), 1.15 * toy_loss(x, y, grid).max())
    ax.set_xlabel("weight w")
    ax.set_ylabel("loss L(w)")


def _best_w(x, y) -> float:
    return float((x * y).sum() / (x * x).sum())


def _window(x, y, w0) -> tuple[float, float]:
    best = _best_w(x, y)
    reach = 1.6 * max(abs(best - w0), 0.5)
    return best - reach, best + reach


def descent_figure(x, y, lr, *, w0=0.0, steps=20) -> Figure:
    """Gradient descent on the toy with one learning rate: the fit, the steps on L(w), the loss per step.

    Parameters
    ----------
    x, y : array_like, shape (M,)
        The points to fit with ``y = w x``.
    lr : float
        The learning rate.
    w0 : float, default 0.0
        Where the descent starts.
    steps : int, default 20

    Returns
    -------
    fig : matplotlib.figure.Figure
        Three axes: the points and the line of the last w; the parabola L(w)
        with every step (steps outside the window are left out); the loss
        after each step (log scale). The title gives the verdict:
        "converged", "too slow" or "diverges".

    Examples
    --------
    >>> descent_figure([1, 2], [2, 4], lr=0.1, steps=10).get_suptitle().split(":")[0]
    'learning rate 0.1'
    >>> descent_figure([1, 2], [2, 4], lr=1.0, steps=10).get_suptitle().split()[3]
    'diverges'
    """
    x, y = check_toy_data(x, y)
    lr = as_real(lr, "lr")
    path = toy_descent_path(x, y, w0, lr, steps)
    best = _best_w(x, y)
    verdict = _verdict(path, best)
    colour = {"converged": "tab:green", "too slow": "tab:orange", "diverges": "tab:red"}[verdict]
    fig = Figure(figsize=(12, 3.8), dpi=100, layout="constrained")
    fit_ax, path_ax, loss_ax = fig.subplots(1, 3)
    last = path[np.isfinite(path)][-1]
    fit_ax.plot(x, y, "o", color="black", label="data")
    line_x = np.array([0.0, x.max() * 1.05])
    fit_ax.plot(line_x, best * line_x, color="0.6", ls="--", label=f"best: w = {best:.3g}")
    if abs(last) < 1e3:
        fit_ax.plot(line_x, last * line_x, color=colour, lw=2, label=f"after {steps} steps: w = {last:.3g}")
    fit_ax.set_ylim(*_finite_limits(np.concatenate([y, [0.0], best * line_x]), pad=0.25))
    fit_ax.set(xlabel="x", ylabel="y", title="the fit y = w x")
    fit_ax.legend(fontsize=8, loc="upper left")
    _draw_path(path_ax, x, y, path, colour, _window(x, y, w0))
    path_ax.set_title("steps on the loss curve")
    path_ax.legend(fontsize=8, loc="upper center")
    losses = toy_loss(x, y, path)
    loss_ax.semilogy(np.arange(path.size), losses, "o-", color=colour, ms=4)
    loss_ax.axhline(float(toy_loss(x, y, best)), color="0.6", ls="--", label="smallest possible loss")
    loss_ax.set(xlabel="step t", ylabel="loss L(w_t) (log scale)", title="loss after each step")
    loss_ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    loss_ax.legend(fontsize=8)
    fig.suptitle(
        f"learning rate {lr:g}: {verdict} (w after {steps} steps: {last:.4g}, best w: {best:.4g})",
        color=colour,
        fontsize=12,
    )
    return fig


def learning_rates_figure(x, y, paths) -> Figure:
    """Several descents side by side: one loss-curve panel per learning rate, and all losses per step.

    Parameters
    ----------
    x, y : array_like, shape (M,)
    paths : dict {learning rate: ndarray of shape (T + 1,)}
        The weight before the first step and after each step, e.g. from
        :func:`toy_descent_path` or the notebook's own loop.

    Returns
    -------
    fig : matplotlib.figure.Figure
        A row of panels (parabola and steps, titled with the verdict) above one
        wide panel with the loss per step of every path (log scale).

    Examples
    --------
    >>> # best w = 2, and w <- w - lr * 5 (w - 2): lr 0.2 lands on it at once, lr 0.5 overshoots further each step
    >>> fig = learning_rates_figure([1, 2], [2, 4], {0.2: [0.0, 2.0, 2.0], 0.5: [0.0, 5.0, -2.5]})
    >>> [ax.get_title() for ax in fig.axes[1:]]
    ['lr = 0.2: converged', 'lr = 0.5: diverges']
    """
    x, y = check_toy_data(x, y)
    if not isinstance(paths, dict) or not paths:
        raise TypeError(f"`paths` must be a non-empty dict {{learning rate: path}}, got {describe(paths)}")
    paths = {as_real(lr, "learning rate"): as_float_array(p, f"paths[{lr}]", ndim=1) for lr, p in paths.items()}
    best = _best_w(x, y)
    starts = {float(p[0]) for p in paths.values()}
    fig = Figure(figsize=(4 * len(paths), 7), dpi=100, layout="constrained")
    grid = fig.add_gridspec(2, len(paths))
    colours = {"converged": "tab:green", "too slow": "tab:orange", "diverges": "tab:red"}
    loss_ax = fig.add_subplot(grid[1, :])
    for column, (lr, path) in enumerate(paths.items()):
        verdict = _verdict(path, best)
        ax = fig.add_subplot(grid[0, column])
        _draw_path(ax, x, y, path, colours[verdict], _window(x, y, min(starts, key=lambda s: -abs(s - best))))
        ax.set_title(f"lr = {lr:g}: {verdict}", color=colours[verdict])
        with np.errstate(over="ignore", invalid="ignore"):
            losses = toy_loss(x, y, path)
        loss_ax.semilogy(
            np.arange(path.size), losses, "o-", ms=4, color=colours[verdict], label=f"lr = {lr:g} ({verdict})"
        )
    loss_ax.axhline(float(toy_loss(x, y, best)), color="0.6", ls="--", label="smallest possible loss")
    loss_ax.set(xlabel="step t", ylabel="loss L(w_t) (log scale)", title="loss after each step")
    loss_ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    loss_ax.legend(fontsize=9, loc="center left", bbox_to_anchor=(1.01, 0.5), frameon=False)
    return fig


def cross_entropy_figure(marked=(0.9, 0.5, 0.1, 0.01), *, ax=None) -> Figure:
    """The loss of one example, ``-log p``, against p, the probability given to the right class.

    Parameters
    ----------
    marked : sequence of float in (0, 1], default (0.9, 0.5, 0.1, 0.01)
        Probabilities that get a dot and their loss written beside it.
    ax : matplotlib.axes.Axes, optional
        Draw into this panel of another figure (and return that figure) instead of a new figure.

    Returns
    -------
    fig : matplotlib.figure.Figure
        One axes: the curve, the marks, and a dashed line at log 10 (a uniform guess among 10 classes).

    Examples
    --------
    >>> [t.get_text() for t in cross_entropy_figure(marked=[0.5]).axes[0].texts][0]
    'p = 0.5: loss 0.69'
    """
    marked = as_float_array(marked, "marked", ndim=1)
    if marked.size and not ((marked > 0) & (marked <= 1)).all():
        raise ValueError(f"`marked` must hold probabilities in (0, 1], got {marked}")
    fig, ax = panel(ax, figsize=(7, 3.6), dpi=100)
    p = np.linspace(0.005, 1, 400)
    ax.plot(p, -np.log(p), color="tab:blue", lw=2)
    for value in marked:
        ax.plot(value, -np.log(value), "o", color="tab:red", zorder=3)
        ax.annotate(
            f"p = {value:g}: loss {-np.log(value):.2f}",
            (value, -np.log(value)),
            xytext=(8, 4),
            textcoords="offset points",
            fontsize=9,
        )
    ax.axhline(np.log(10), color="0.6", ls="--", lw=1)
    ax.text(
        0.99,
        np.log(10) + 0.1,
        "log 10 = 2.30: a uniform guess among 10 classes",
        ha="right",
        va="bottom",
        fontsize=8,
        color="0.35",
    )
    ax.set(
        xlabel="p, the probability given to the right class",
        ylabel="loss = -log p",
        xlim=(0, 1.02),
        ylim=(0, 5.6),
        title="cross-entropy of one example",
    )
    return fig


def softmax_gradient_figure(logits, label) -> Figure:
    """Bars of ``p = softmax(z)``, of the one-hot target, and of the gradient ``p - onehot``, for one example.

    Parameters
    ----------
    logits : array_like, shape (K,)
        The scores z of one example.
    label : int, 0 <= label < K
        Its true class.

    Returns
    -------
    fig : matplotlib.figure.Figure
        Three bar charts of K bars sharing the y-axis, each bar labelled with its value.

    Examples
    --------
    >>> fig = softmax_gradient_figure([0.0, 0.0], label=1)
    >>> [[float(bar.get_height()) for bar in ax.patches] for ax in fig.axes]
    [[0.5, 0.5], [0.0, 1.0], [0.5, -0.5]]
    """
    z = as_float_array(logits, "logits", ndim=1, layout="(K,)")
    label = as_int(label, "label", minimum=0)
    if label >= z.size:
        raise ValueError(f"`label` must be a class from 0 to {z.size - 1}, got {label}")
    p = np.exp(z - z.max())
    p /= p.sum()
    onehot = np.eye(z.size)[label]
    fig = Figure(figsize=(12, 3.2), dpi=100, layout="constrained")
    classes = np.arange(z.size)
    for ax, values, title in zip(
        fig.subplots(1, 3, sharey=True),
        [p, onehot, p - onehot],
        ["p = softmax(z)", f"one-hot target (label {label})", "gradient p - one-hot"],
        strict=True,
    ):
        colours = ["tab:red" if v > 0 else "tab:blue" for v in values]
        colours[label] = "black" if title.startswith("one-hot") else colours[label]
        ax.bar(classes, values, color=colours)
        for k, v in zip(classes, values, strict=True):
            ax.text(
                k,
                v + (0.03 if v >= 0 else -0.03),
                f"{v:.2f}",
                ha="center",
                va="bottom" if v >= 0 else "top",
                fontsize=8,
            )
        ax.axhline(0, color="0.5", lw=0.8)
        ax.set(xticks=classes, xlabel="class k", title=title, ylim=(-1.15, 1.15))
    return fig


def _gradient_grid(ax, values, title, window=None, marked=None):
    """A number grid centred on 0 without pixel axes; thick lines every ``window`` cells; ``marked`` cells outlined."""
    number_grid(ax, values, fontsize=10 if values.shape[1] <= 5 else 8, lines="0.75", every=0, xlabel=None, ylabel=None)
    rows, cols = values.shape
    if window:
        for k in range(0, max(rows, cols) + 1, window):
            if k <= cols:
                ax.axvline(k - 0.5, color="black", lw=2)
            if k <= rows:
                ax.axhline(k - 0.5, color="black", lw=2)
    if marked is not None:
        for i, j in np.argwhere(marked):
            ax.add_patch(Rectangle((j - 0.44, i - 0.44), 0.88, 0.88, fill=False, edgecolor="tab:orange", lw=3))
    ax.set_title(title, fontsize=10)


def gradient_grids_figure(grids, *, window=None, marked=None, title=None) -> Figure:
    """Small 2-D arrays side by side with their numbers written in, each centred on 0 (red > 0, blue < 0).

    Parameters
    ----------
    grids : dict {title: array_like, shape (H, W)}
        E.g. the input, the upstream gradient and the gradient of a layer.
    window : int, optional
        Draw thick lines every ``window`` cells on grids larger than
        ``window`` (the pooling windows).
    marked : dict {title: array_like of bool, shape (H, W)}, optional
        Cells to outline in orange (e.g. the winners of max pooling).
    title : str, optional

    Returns
    -------
    fig : matplotlib.figure.Figure
        One axes per grid, in order, each a :func:`~cnnlib.plotting.style.number_grid`
        between ``-max|grid|`` and ``max|grid|``.

    Examples
    --------
    >>> fig = gradient_grids_figure({"g": [[0.5, -1.0]], "dx": [[0.0, 0.5, 0.0, -1.0]]})
    >>> [[t.get_text() for t in ax.texts] for ax in fig.axes]
    [['0.5', '-1'], ['0', '0.5', '0', '-1']]
    """
    if not isinstance(grids, dict) or not grids:
        raise TypeError(f"`grids` must be a non-empty dict {{title: 2-D array}}, got {describe(grids)}")
    arrays = {name: as_float_array(v, f"grids[{name!r}]", ndim=2, layout="(H, W)") for name, v in grids.items()}
    widths = [a.shape[1] for a in arrays.values()]
    height = max(a.shape[0] for a in arrays.values())
    fig = Figure(figsize=(0.62 * sum(widths) + 0.9 * len(arrays), 0.62 * height + 1.0), dpi=100, layout="constrained")
    axes = fig.subplots(1, len(arrays), gridspec_kw={"width_ratios": widths})
    marked = {} if marked is None else marked
    if not isinstance(marked, dict) or not set(marked) <= set(arrays):
        raise ValueError(f"`marked` must be a dict whose keys are titles of `grids`, got {describe(marked)}")
    for ax, (name, values) in zip(np.atleast_1d(axes), arrays.items(), strict=True):
        big = window and values.shape[0] > window
        mask = None
        if name in marked:
            mask = np.asarray(marked[name], dtype=bool)
            if mask.shape != values.shape:
                raise ValueError(f"`marked[{name!r}]` must have the grid's shape {values.shape}, got {mask.shape}")
        _gradient_grid(ax, values, name, window if big else None, mask)
    if title:
        fig.suptitle(title, fontsize=11)
    return fig
