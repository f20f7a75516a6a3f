"""Figures of notebook 05 (ReLU): rectified feature maps, why stacked convolutions collapse, activations.

Colours follow the series' rule (:mod:`cnnlib.plotting.style`). Photos are drawn
in gray. Feature maps are signed, so they are drawn on the signed map centred
on 0 (white 0, red positive, blue negative) between symmetric limits ``-L`` and
``L``, with ``L`` the 99th percentile of ``|map|`` (a few extreme pixels would wash
out the rest; colour bars mark the clipped ends). Rectified maps are never
negative, so they are drawn in ``viridis`` from 0, as the later notebooks draw
rectified and pooled maps, up to the same ``L`` as the feature map they came from.
Small grids of numbers are drawn with their values written in.
"""

from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

from .._validation import as_float_array, as_int, as_real, check_window_fits, describe
from ..activations import relu
from ..conv import convolve2d, correlate2d
from .style import GRAY_CMAP, add_colorbar, number_grid, pixel_axes, positive_style, signed_limit, signed_style

__all__ = [
    "activation_functions_figure",
    "combined_kernel_figure",
    "rectified_map_figure",
    "relu_bias_figure",
    "relu_numbers_figure",
    "two_layers_figure",
]


def _map_panel(ax, values, limit: float, title: str, colorbar_label: str = "value", *, rectified=False) -> None:
    """A signed map drawn between -limit and limit (a rectified one from 0 to limit), with its colour bar."""
    image = ax.imshow(values, **(positive_style(vmax=limit) if rectified else signed_style(limit=limit)))
    ax.set_title(title)
    pixel_axes(ax)
    add_colorbar(image, ax, label=colorbar_label)


def relu_numbers_figure(feature_map, *, decimals=1) -> Figure:
    """A small feature map and its rectified version side by side, every number written in.

    Parameters
    ----------
    feature_map : ndarray, shape (H, W), with H, W <= 12
        A few numbers of a feature map (e.g. a patch cut out of a larger one).
    decimals : int, default 1
        The numbers are rounded to this many decimals before drawing.

    Returns
    -------
    fig : matplotlib.figure.Figure
        Two grids of shape (H, W), each with its colour bar: ``feature_map`` on the
        signed map between symmetric limits ``-L`` and ``L``, and ``relu(feature_map)``
        in ``viridis`` from 0 to the same ``L``.

    Examples
    --------
    >>> fig = relu_numbers_figure(np.array([[-1.0, 2.0], [0.5, -3.0]]))
    >>> [ax.get_title() for ax in fig.axes[:2]]
    ['feature map', 'rectified feature map']
    """
    values = as_float_array(feature_map, "feature_map", ndim=2, layout="(H, W)")
    if max(values.shape) > 12:
        raise ValueError(f"`feature_map` must be at most 12 x 12 so its numbers can be read, got {describe(values)}")
    values = np.round(values, decimals) + 0.0  # + 0.0 turns -0.0 into 0.0
    limit = signed_limit(values, percentile=100)
    rows, cols = values.shape
    fig = Figure(figsize=(max(7.5, 1.2 + 1.1 * cols), 1.2 + 0.5 * rows), dpi=100, layout="constrained")
    axes = fig.subplots(1, 2)
    before = number_grid(axes[0], values, **signed_style(limit=limit), fontsize=10, title="feature map")
    add_colorbar(before, axes[0], label="value (white = 0)")
    after = number_grid(axes[1], relu(values), **positive_style(vmax=limit), fontsize=10, title="rectified feature map")
    add_colorbar(after, axes[1], label="value (0 and up)")
    fig.suptitle("ReLU, number by number: negative entries become 0, the others stay")
    return fig


def _check_outline(outline, shape) -> tuple[int, int, int]:
    """Validate ``outline = (row, col, size)``: a size x size square inside a map of ``shape``."""
    if not isinstance(outline, tuple | list) or len(outline) != 3:
        raise TypeError(f"`outline` must be a tuple (row, col, size), got {describe(outline)}")
    row = as_int(outline[0], "outline[0]", minimum=0)
    col = as_int(outline[1], "outline[1]", minimum=0)
    size = as_int(outline[2], "outline[2]", minimum=1)
    if row + size > shape[0] or col + size > shape[1]:
        raise ValueError(
            f"`outline` must be a square inside the feature map of shape {tuple(shape)}, "
            f"got rows {row} to {row + size - 1} and columns {col} to {col + size - 1}"
        )
    return row, col, size


def rectified_map_figure(image, feature_map, *, filter_name="vertical-edge filter", outline=None) -> Figure:
    """A photo, its feature map and the rectified feature map ReLU makes of it.

    Parameters
    ----------
    image : ndarray, shape (H, W)
        The grayscale photo the feature map was computed from.
    feature_map : ndarray, shape (OH, OW)
        The output of a filter on ``image``: signed values.
    filter_name : str, default "vertical-edge filter"
        Named in the title of the feature map.
    outline : (row, col, size), optional
        Outline the ``size`` x ``size`` patch ``feature_map[row:row+size, col:col+size]``
        on both maps (black on the feature map, white on the rectified map), and in red
        on the photo the pixels it is computed from, ``image[row:row+size+KH-1,
        col:col+size+KW-1]`` with ``KH = H - OH + 1`` and ``KW = W - OW + 1`` (the
        feature map being the 'valid' output of a filter of stride 1); each square
        is pointed at by a labelled arrow, so that a patch shown elsewhere can be
        found in the whole picture.

    Returns
    -------
    fig : matplotlib.figure.Figure
        Three image axes and their colour bars: the photo in ``gray``, the feature map
        on the signed map between symmetric limits ``-L`` and ``L``, and
        ``relu(feature_map)`` in ``viridis`` from 0 to the same ``L``.

    Examples
    --------
    >>> fig = rectified_map_figure(np.eye(6), np.eye(4) - 0.5)
    >>> fig.axes[2].get_title()
    'rectified feature map = ReLU(feature map)'
    """
    image = as_float_array(image, "image", ndim=2, layout="(H, W)")
    values = as_float_array(feature_map, "feature_map", ndim=2, layout="(OH, OW)")
    square = None if outline is None else _check_outline(outline, values.shape)
    limit = signed_limit(values)
    fig = Figure(figsize=(15, 4.6), dpi=80, layout="constrained")
    axes = fig.subplots(1, 3)
    shown = axes[0].imshow(image, cmap=GRAY_CMAP)
    axes[0].set_title("photo")
    pixel_axes(axes[0])
    add_colorbar(shown, axes[0], label="brightness")
    _map_panel(axes[1], values, limit, f"feature map ({filter_name})")
    _map_panel(axes[2], relu(values), limit, "rectified feature map = ReLU(feature map)", rectified=True)
    if square is not None:
        row, col, size = square
        kh, kw = image.shape[0] - values.shape[0] + 1, image.shape[1] - values.shape[1] + 1
        marks = [
            (axes[0], "red", size + max(kh, 1) - 1, size + max(kw, 1) - 1, "pixels"),
            (axes[1], "black", size, size, "patch"),
            (axes[2], "white", size, size, "patch"),
        ]
        for ax, color, height, width, what in marks:
            corner = (col - 0.5, row - 0.5)
            ax.add_patch(Rectangle(corner, width, height, fill=False, ec=color, lw=1.5, gid="outline", zorder=3))
            ax.annotate(
                f"{height} × {width} {what}",
                xy=(col - 0.5, row + height / 2 - 0.5),
                xytext=(-40, 30),
                textcoords="offset points",
                ha="right",
                color=color,
                fontsize=9,
                arrowprops={"arrowstyle": "->", "color": color, "lw": 1.2},
            )
    fig.suptitle("Before and after ReLU: the positive values (red) stay, the negative ones (blue) become 0")
    return fig


def _kernels(first, second):
    first = as_float_array(first, "first", ndim=2, layout="(KH, KW)")
    second = as_float_array(second, "second", ndim=2, layout="(KH, KW)")
    return first, second


def combined_kernel_figure(first, second) -> Figure:
    """Two kernels and the one kernel that does the work of both: their full convolution.

    Parameters
    ----------
    first : ndarray, shape (KH1, KW1)
        The kernel of the first layer (cross-correlation, as in a CNN).
    second : ndarray, shape (KH2, KW2)
        The kernel of the second layer.

    Returns
    -------
    fig : matplotlib.figure.Figure
        Three grids with their numbers: ``first``, ``second`` and
        ``convolve2d(first, second, padding="full")``, of shape
        (KH1 + KH2 - 1, KW1 + KW2 - 1).

    Examples
    --------
    >>> fig = combined_kernel_figure(np.ones((3, 3)), np.ones((3, 3)))
    >>> fig.axes[2].images[0].get_array().shape
    (5, 5)
    """
    first, second = _kernels(first, second)
    combined = convolve2d(first, second, padding="full")
    grids = [first, second, combined]
    limit = signed_limit(np.concatenate([g.ravel() for g in grids]), percentile=100)
    rows = max(g.shape[0] for g in grids)
    widths = [g.shape[1] for g in grids]
    fig = Figure(figsize=(2.5 + 0.75 * sum(widths), 1.6 + 0.6 * rows), dpi=100, layout="constrained")
    axes = fig.subplots(1, 3, width_ratios=widths)
    titles = ["first kernel (layer 1)", "second kernel (layer 2)", "combined kernel"]
    for ax, grid, title in zip(axes, grids, titles, strict=True):
        image = number_grid(ax, grid, **signed_style(limit=limit), fontsize=10, title=title)
    add_colorbar(image, axes, label="weight")
    fig.suptitle(
        f"Layer 1 then layer 2 = one layer with the combined {combined.shape[0]} × {combined.shape[1]} kernel "
        "(the full convolution of the two)"
    )
    return fig


def two_layers_figure(image, first, second) -> Figure:
    """Two convolution layers with and without ReLU between them, and the single combined layer.

    Parameters
    ----------
    image : ndarray, shape (H, W)
    first : ndarray, shape (KH1, KW1)
        The first layer's kernel (cross-correlation, 'valid').
    second : ndarray, shape (KH2, KW2)
        The second layer's kernel.

    Returns
    -------
    fig : matplotlib.figure.Figure
        Three maps of shape (H - KH1 - KH2 + 2, W - KW1 - KW2 + 2), with the same
        symmetric limits on the signed map: (a) layer 1 then layer 2; (b) one layer with the
        combined kernel ``convolve2d(first, second, padding="full")``; (c) layer 1,
        ReLU, then layer 2. Titles give the largest difference from (a).

    Examples
    --------
    >>> fig = two_layers_figure(np.eye(8), np.eye(3), np.ones((2, 2)))
    >>> fig.axes[0].images[0].get_array().shape
    (5, 5)
    """
    image = as_float_array(image, "image", ndim=2, layout="(H, W)")
    first, second = _kernels(first, second)
    combined = convolve2d(first, second, padding="full")
    check_window_fits(combined.shape, image.shape, "first and second", "combined to a kernel of shape", "image")
    two_steps = correlate2d(correlate2d(image, first), second)
    one_step = correlate2d(image, combined)
    with_relu = correlate2d(relu(correlate2d(image, first)), second)
    limit = signed_limit(two_steps)
    same = np.allclose(one_step, two_steps)
    gap = float(np.abs(with_relu - two_steps).max())
    titles = [
        "(a) layer 1, then layer 2",
        "(b) one layer, combined kernel\n" + ("identical to (a) up to rounding" if same else "differs from (a)"),
        f"(c) layer 1, ReLU, then layer 2\ndiffers from (a) by up to {gap:.3g}",
    ]
    fig = Figure(figsize=(15, 4.9), dpi=80, layout="constrained")
    axes = fig.subplots(1, 3)
    for ax, values, title in zip(axes, [two_steps, one_step, with_relu], titles, strict=True):
        _map_panel(ax, values, limit, title)
    fig.suptitle("Without a non-linearity two layers are one; with ReLU between them they are not")
    return fig


def relu_bias_figure(feature_map, bias=0.0) -> Figure:
    """``relu(feature_map + bias)`` and where the cut falls in the histogram of the map's values.

    Parameters
    ----------
    feature_map : ndarray, shape (H, W)
    bias : float, default 0.0
        Added to every value before ReLU, as a convolution layer adds its bias.
        A value survives (is non-zero after ReLU) when ``value + bias > 0``, i.e.
        ``value > -bias``.

    Returns
    -------
    fig : matplotlib.figure.Figure
        Left: ``relu(feature_map + bias)`` in ``viridis`` from 0 to the limit ``L``
        that the signed map of ``feature_map`` would have, and its colour bar. Right: a histogram (log scale) of the
        values of ``feature_map``, survivors in red, the rest in gray, and a dashed
        line at the cut ``-bias``. The title gives the fraction of survivors.

    Examples
    --------
    >>> fig = relu_bias_figure(np.array([[-1.0, 0.5], [2.0, 3.0]]), bias=-1.0)
    >>> fig.get_suptitle()
    'ReLU(feature map + bias) with bias = -1.00: 2 of 4 pixels survive (50.0%)'
    """
    values = as_float_array(feature_map, "feature_map", ndim=2, layout="(H, W)")
    bias = as_real(bias, "bias")
    limit = signed_limit(values)
    rectified = relu(values + bias)
    survivors = int(np.count_nonzero(rectified))
    fig = Figure(figsize=(13, 4.8), dpi=80, layout="constrained")
    left, right = fig.subplots(1, 2, width_ratios=[1, 1.15])
    _map_panel(left, rectified, limit, "rectified feature map", rectified=True)
    kept = values > -bias
    # stacked, so that the bin holding the cut shows both its parts (the values at the cut become 0)
    right.hist(
        [values[~kept], values[kept]],
        bins=_bins_with_edge_at(values, -bias),
        stacked=True,
        color=["0.6", "tab:red"],
        label=["becomes 0", "survives (value > −bias)"],
    )
    right.axvline(-bias, color="black", linestyle="--", linewidth=1.5, label=f"cut at −bias = {-bias + 0.0:.2f}")
    right.set_yscale("log")
    right.set(xlabel="feature-map value", ylabel="number of pixels (log scale)", title="values of the feature map")
    right.legend(loc="upper right", fontsize=9)
    percent = 100 * survivors / values.size
    fig.suptitle(
        f"ReLU(feature map + bias) with bias = {bias:.2f}: {survivors:,} of {values.size:,} pixels survive "
        f"({percent:.1f}%)"
    )
    return fig


def activation_functions_figure(leaky_slope=0.1) -> Figure:
    """ReLU, leaky ReLU, sigmoid and tanh, and their slopes (derivatives), on [-4, 4].

    Parameters
    ----------
    leaky_slope : float, default 0.1
        Slope of leaky ReLU for negative inputs, ``0 < leaky_slope < 1`` (0.01 is
        common in practice; 0.1 is easier to see).

    Returns
    -------
    fig : matplotlib.figure.Figure
        Two axes, each with four lines in the order ReLU, leaky ReLU, sigmoid, tanh:
        the functions on the left, their slopes on the right (the ReLU slopes are
        left undrawn at x = 0, where they jump).

    Examples
    --------
    >>> fig = activation_functions_figure()
    >>> [line.get_label() for line in fig.axes[0].lines][:2]
    ['ReLU: max(x, 0)', 'leaky ReLU: max(x, 0.1x)']
    """
    leaky_slope = as_real(leaky_slope, "leaky_slope", low=0, high=1, open_interval=True)
    x = np.linspace(-4, 4, 801)
    sigmoid = 1 / (1 + np.exp(-x))
    tanh = np.tanh(x)
    jump = np.where(x == 0, np.nan, 1.0)  # the ReLU slopes jump at 0: leave that point out
    curves = [  # label, f(x), f'(x), colour, line style
        ("ReLU: max(x, 0)", np.maximum(x, 0), np.where(x > 0, 1.0, 0.0) * jump, "tab:red", "-"),
        (
            f"leaky ReLU: max(x, {leaky_slope:g}x)",
            np.maximum(x, leaky_slope * x),
            np.where(x > 0, 1.0, leaky_slope) * jump,
            "tab:orange",
            "--",
        ),
        ("sigmoid: 1 / (1 + exp(−x))", sigmoid, sigmoid * (1 - sigmoid), "tab:blue", "-"),
        ("tanh(x)", tanh, 1 - tanh**2, "tab:green", "-"),
    ]
    fig = Figure(figsize=(13, 4.8), dpi=80, layout="constrained")
    left, right = fig.subplots(1, 2)
    for label, values, slope, colour, style in curves:
        width = 3.5 if style == "-" and colour == "tab:red" else 2
        left.plot(x, values, label=label, color=colour, linestyle=style, linewidth=width)
        right.plot(x, slope, label=label, color=colour, linestyle=style, linewidth=width)
    for ax in (left, right):
        ax.axhline(0, color="0.5", linewidth=0.8)
        ax.axvline(0, color="0.5", linewidth=0.8)
        ax.grid(alpha=0.3)
    left.set(xlabel="input x", ylabel="output f(x)", title="activation functions", ylim=(-1.5, 4.2))
    right.set(
        xlabel="input x",
        ylabel="slope f′(x)",
        title="their slopes (what gradients are multiplied by)",
        ylim=(-0.1, 1.15),
    )
    left.legend(loc="upper left", fontsize=9)
    right.annotate(
        "ReLU and leaky ReLU: slope 1\nfor every x > 0, however large",
        xy=(2.6, 1.0),
        xytext=(1.4, 0.7),
        fontsize=9,
        arrowprops={"arrowstyle": "->", "color": "0.3"},
    )
    right.annotate(
        "sigmoid and tanh: slope near 0\nfar from 0 (they saturate)",
        xy=(3.3, 0.03),
        xytext=(1.6, 0.35),
        fontsize=9,
        arrowprops={"arrowstyle": "->", "color": "0.3"},
    )
    right.annotate(
        "ReLU: slope 0 for x < 0",
        xy=(-2.5, 0.0),
        xytext=(-3.9, 0.3),
        fontsize=9,
        arrowprops={"arrowstyle": "->", "color": "0.3"},
    )
    fig.suptitle("ReLU and the usual alternatives")
    return fig


def _bins_with_edge_at(values, cut, count=80):
    """About ``count`` equal bins over the range of ``values``, one edge at ``cut`` if it lies inside the range,
    so that no bin mixes values on both sides of it."""
    low, high = float(values.min()), float(values.max())
    if not high > low:
        return np.linspace(low, low + 1.0, count + 1)
    if not low < cut < high:
        return np.linspace(low, high, count + 1)
    width = (high - low) / count
    below, above = int(np.ceil((cut - low) / width)), int(np.ceil((high - cut) / width))
    return cut + width * np.arange(-below, above + 1)
