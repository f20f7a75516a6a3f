"""Flattening: the order in which an image or a stack of maps becomes one vector, and what a dense layer on it costs.

Figures of notebooks 01 (an image read row by row into a vector; how many
weights a dense layer needs for a whole image) and 07 (a (C, H, W) sample read
channel by channel). Cells are coloured by the row or channel they come from, so
the order of the vector can be read off the picture.
"""

from __future__ import annotations

import numpy as np
from matplotlib import colormaps
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

from .._validation import as_float_array, as_int, describe
from ..shapes import dense_counts
from .style import as_pixels, gray_style, pixel_axes

__all__ = [
    "dense_params_figure",
    "digit_vector_figure",
    "flatten_channels_figure",
    "flatten_order_figure",
]

_MAX_FLATTEN_CELLS = 24  # more cells than this would not be readable in one row


def _one_sample(x, name: str, ndim: int, layout: str) -> np.ndarray:
    """``x`` as a float array of ``ndim`` dimensions, dropping a leading batch axis of length 1."""
    array = as_float_array(x, name, ndim=(ndim, ndim + 1), layout=layout)
    if array.ndim == ndim + 1:
        if array.shape[0] != 1:
            raise ValueError(f"`{name}` must hold one sample {layout}, got a batch of {describe(array)}")
        array = array[0]
    return array


def flatten_order_figure(height=3, width=4) -> Figure:
    """Show the order in which ``reshape(-1)`` reads a small (height, width) grid into a vector.

    Parameters
    ----------
    height, width : int, default 3 and 4
        The grid's shape, with ``height * width <= 24``.

    Returns
    -------
    fig : matplotlib.figure.Figure
        Two axes: the grid, each cell labelled "row, column" and coloured by its row; and the
        vector of ``height * width`` cells in the order ``reshape(-1)`` gives, numbered by index.

    Examples
    --------
    >>> fig = flatten_order_figure(2, 3)
    >>> [t.get_text() for t in sorted(fig.axes[1].texts, key=lambda t: t.get_position()[0])]
    ['0, 0', '0, 1', '0, 2', '1, 0', '1, 1', '1, 2']
    """
    height = as_int(height, "height", minimum=1)
    width = as_int(width, "width", minimum=1)
    n = height * width
    if n > 24:
        raise ValueError(f"`height * width` must be at most 24 so that the cells stay readable, got {n}")
    colors = colormaps["Pastel1"](np.arange(height) % 9)
    fig = Figure(figsize=(max(7.0, 0.72 * n + 1.2), 2.2 + 0.75 * height), layout="constrained")
    grid_ax, vector_ax = fig.subplots(2, 1, height_ratios=[height, 1.3])
    for r in range(height):
        for c in range(width):
            i = r * width + c  # reshape(-1) is row-major (C order): whole rows, one after another
            for ax, (x, y) in ((grid_ax, (c, r)), (vector_ax, (i, 0))):
                ax.add_patch(Rectangle((x - 0.5, y - 0.5), 1, 1, fc=colors[r], ec="0.3"))
                ax.text(x, y, f"{r}, {c}", ha="center", va="center", fontsize=10)
    pixel_axes(grid_ax, (height, width), every=1)
    grid_ax.set_title(f"image, shape ({height}, {width}): each cell shows its (row, column)")
    vector_ax.set(
        xlim=(-0.5, n - 0.5),
        ylim=(0.5, -0.5),
        aspect="equal",
        xticks=range(n),
        yticks=[],
        xlabel="index in the vector",
        title=f"image.reshape(-1), shape ({n},): row 0 first, then row 1, ...",
    )
    fig.suptitle("Flattening reads the image row by row", fontsize=13, weight="bold")
    return fig


def flatten_channels_figure(x) -> Figure:
    """Show the order in which ``cnnlib.flatten`` reads one (C, H, W) sample into a vector.

    Parameters
    ----------
    x : ndarray, shape (1, C, H, W) or (C, H, W)
        One small sample, with ``C * H * W <= 24`` so every number stays readable.

    Returns
    -------
    fig : matplotlib.figure.Figure
        Top: one grid per channel, each cell showing its value and its (c, h, w);
        bottom: the vector of ``D = C * H * W`` cells in the order ``flatten`` gives,
        numbered by index. Cells are coloured by channel in both.

    Raises
    ------
    TypeError, ValueError
        If ``x`` is not numeric, not 3-D / 4-D with one sample, or too large.

    Examples
    --------
    >>> fig = flatten_channels_figure(np.arange(12).reshape(1, 2, 2, 3))
    >>> len(fig.axes)
    3
    """
    sample = _one_sample(x, "x", 3, "(1, C, H, W) or (C, H, W)")
    channels, height, width = sample.shape
    size = sample.size
    if size > _MAX_FLATTEN_CELLS:
        raise ValueError(
            f"`x` must have at most {_MAX_FLATTEN_CELLS} numbers (C * H * W) so that the cells stay readable, "
            f"got shape {sample.shape} with {size}"
        )
    colors = colormaps["Pastel1"](np.arange(channels) % 9)
    fig = Figure(figsize=(max(7.5, 0.75 * size + 1.0), 2.6 + 0.8 * height), layout="constrained")
    top, bottom = fig.subfigures(2, 1, height_ratios=[height + 1.2, 1.6])
    grid_axes = np.atleast_1d(top.subplots(1, channels))
    vector_ax = bottom.subplots()
    flat = sample.reshape(-1)  # what cnnlib.flatten does to one sample: C order
    for c, ax in enumerate(grid_axes):
        for h in range(height):
            for w in range(width):
                value = sample[c, h, w]
                ax.add_patch(Rectangle((w - 0.5, h - 0.5), 1, 1, fc=colors[c], ec="0.3"))
                ax.text(w, h - 0.08, f"{value:g}", ha="center", va="center", fontsize=13, weight="bold")
                ax.text(w, h + 0.3, f"({c}, {h}, {w})", ha="center", va="center", fontsize=7.5, color="0.35")
        pixel_axes(ax, (height, width), every=1, xlabel="w (column)", ylabel="h (row)")
        ax.set_title(f"channel c = {c}")
    top.suptitle(
        f"One sample of shape (C, H, W) = {sample.shape}: each cell shows its value and (c, h, w)", fontsize=11
    )
    for i, value in enumerate(flat):
        c = i // (height * width)
        vector_ax.add_patch(Rectangle((i - 0.5, -0.5), 1, 1, fc=colors[c], ec="0.3"))
        vector_ax.text(i, 0, f"{value:g}", ha="center", va="center", fontsize=12, weight="bold")
    for c in range(1, channels):
        vector_ax.axvline(c * height * width - 0.5, color="0.1", lw=2.5)
    vector_ax.set(
        xlim=(-0.5, size - 0.5),
        ylim=(0.5, -0.5),
        aspect="equal",
        xticks=range(size),
        yticks=[],
        xlabel="index in the flattened vector",
    )
    bottom.suptitle(f"flatten: shape (1, {size}), channel 0 row by row, then channel 1, ...", fontsize=11)
    fig.suptitle("Flattening reads a whole channel before the next one", fontsize=13, weight="bold")
    return fig


def digit_vector_figure(digit, *, title=None) -> Figure:
    """Show a flattened image: the vector ``digit.reshape(-1)`` as a strip of grays and as bars.

    Parameters
    ----------
    digit : ndarray, shape (H, W), pixels 0 to 255
    title : str, optional
        Replaces the default title.

    Returns
    -------
    fig : matplotlib.figure.Figure
        Two axes sharing the index axis 0 to H*W - 1: the vector drawn as one row of gray cells, and
        its values as bars, with every other row of the image shaded so the rows can be told apart.

    Examples
    --------
    >>> fig = digit_vector_figure(np.arange(6).reshape(2, 3))
    >>> fig.axes[0].get_title(), fig.axes[0].images[0].get_array().tolist()
    ('The image as one vector of 2 × 3 = 6 numbers', [[0, 1, 2, 3, 4, 5]])
    """
    digit = as_pixels(digit, "digit", "gray")
    height, width = digit.shape
    vector = digit.reshape(-1)
    fig = Figure(figsize=(13, 4.6), layout="constrained")
    strip_ax, bar_ax = fig.subplots(2, 1, sharex=True, height_ratios=[1, 4])
    strip_ax.imshow(vector[None, :], aspect="auto", extent=(-0.5, vector.size - 0.5, 0.5, -0.5), **gray_style())
    strip_ax.set(yticks=[], title=title or f"The image as one vector of {height} × {width} = {vector.size} numbers")
    for r in range(1, height, 2):
        bar_ax.axvspan(r * width - 0.5, (r + 1) * width - 0.5, color="0.9", lw=0)
    bar_ax.stairs(vector, np.arange(vector.size + 1) - 0.5, fill=True, color="0.15")  # one bar per number
    step = max(1, height // 7)
    for r in range(0, height, step):
        bar_ax.text(r * width + width / 2, 268, f"row {r}", ha="center", va="bottom", fontsize=8, color="0.3")
    bar_ax.set_xticks(np.arange(0, height + 1, step) * width)
    bar_ax.set(
        xlim=(-0.5, vector.size - 0.5),
        ylim=(0, 290),
        ylabel="pixel value",
        xlabel=f"index in the vector (each shaded or white band is one row of {width} pixels)",
    )
    return fig


REFERENCE_IMAGES = {
    "MNIST digit\n28 × 28 × 1": (28, 28, 1),
    "small photo, gray\n200 × 200 × 1": (200, 200, 1),
    "small photo, RGB\n200 × 200 × 3": (200, 200, 3),
    "1-megapixel photo\n1000 × 1000 × 3": (1000, 1000, 3),
}


def _count_bars(ax, labels, values, colors, title, *, log):
    """Horizontal bars, each labelled with its value; on a log axis if ``log``, else in millions."""
    positions = np.arange(len(values))[::-1]
    scale = 1 if log else 1e6
    ax.barh(positions, np.array(values) / scale, color=colors, height=0.6)
    for y, value in zip(positions, values, strict=True):
        x = value * 1.4 if log else (value + 0.015 * max(values)) / scale
        ax.text(x, y, f"{value:,}", va="center", fontsize=10)
    if log:
        ax.set_xscale("log")
        ax.set_xlim(1, max(values) * 40)
    else:
        ax.set_xlim(0, max(values) * 1.3 / scale)
    ax.set(yticks=positions, title=title)
    ax.set_yticklabels(labels, fontsize=9.5)


def dense_params_figure(height=200, width=200, channels=1, hidden_units=100) -> Figure:
    """Show how many inputs and weights a dense layer needs to see a whole image at once.

    Parameters
    ----------
    height, width : int >= 1
        Image size in pixels.
    channels : int >= 1
        1 for grayscale, 3 for RGB.
    hidden_units : int >= 1
        Units of the dense layer.

    Returns
    -------
    fig : matplotlib.figure.Figure
        Two axes with log-scale counts: this layer's inputs, weights and biases (see
        :func:`dense_counts`); and the weights the same layer needs for a digit, small photos
        in gray and colour, a 1-megapixel photo and this image.

    Examples
    --------
    >>> dense_params_figure(28, 28, 1, 100).axes[0].get_title()
    'this layer: 28 × 28 × 1 image, 100 hidden units'
    """
    counts = dense_counts(height, width, channels, hidden_units)
    fig = Figure(figsize=(13, 4.6), layout="constrained")
    left, right = fig.subplots(1, 2)
    labels = [
        f"inputs\n{height} × {width} × {channels}",
        f"weights\n{counts.inputs:,} × {hidden_units:,}",
        "biases\none per hidden unit",
    ]
    _count_bars(
        left,
        labels,
        list(counts),
        ["tab:blue", "tab:red", "tab:gray"],
        f"this layer: {height} × {width} × {channels} image, {hidden_units:,} hidden units",
        log=True,
    )
    left.set_xlabel("how many (log scale: each step is 10 times more)")
    names = [*REFERENCE_IMAGES, f"this image\n{height} × {width} × {channels}"]
    sizes = [*REFERENCE_IMAGES.values(), (height, width, channels)]
    weights = [dense_counts(*size, hidden_units).weights for size in sizes]
    _count_bars(
        right,
        names,
        weights,
        ["tab:red"] * len(REFERENCE_IMAGES) + ["darkred"],
        f"the same {hidden_units:,} hidden units on other images",
        log=False,
    )
    right.set_xlabel("weights, in millions")
    fig.suptitle(
        f"A dense layer on the whole image: {counts.inputs:,} inputs × {hidden_units:,} hidden units "
        f"= {counts.weights:,} weights",
        fontsize=13,
        weight="bold",
    )
    return fig
