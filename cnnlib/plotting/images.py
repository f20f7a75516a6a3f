"""Figures of notebook 01 (images as matrices): photos, channels, gray levels, patches, flattening, dense sizes.

Every function takes arrays of pixels 0-255 and returns a ``Figure``; images
are drawn with the ``gray`` colormap on the fixed range 0 (black) to 255
(white), so the same number always looks the same.
"""

from __future__ import annotations

import numpy as np
from matplotlib import colormaps
from matplotlib.figure import Figure
from matplotlib.patches import ConnectionPatch, Rectangle

from .._validation import as_int, describe
from ..images import BT601_WEIGHTS, rgb_to_gray
from ..shapes import dense_counts

__all__ = [
    "channels_figure",
    "dense_params_figure",
    "digit_figure",
    "digit_vector_figure",
    "flatten_order_figure",
    "gray_comparison_figure",
    "gray_swatches_figure",
    "patch_figure",
    "photo_figure",
]

GRAY = {"cmap": "gray", "vmin": 0, "vmax": 255}
CHANNELS = ("red", "green", "blue")
SWATCHES = {
    "red": (255, 0, 0), "green": (0, 255, 0), "blue": (0, 0, 255), "yellow": (255, 255, 0),
    "cyan": (0, 255, 255), "magenta": (255, 0, 255), "white": (255, 255, 255),
}


def _pixels(image, name="image", layout="any") -> np.ndarray:
    """``image`` as an array of pixels 0-255: (H, W) for "gray", (H, W, 3) for "rgb", either for "any"."""
    if image is None or isinstance(image, (str, bytes)):
        raise TypeError(f"`{name}` must be an array of pixels 0-255, got {describe(image)}")
    array = np.asarray(image)
    if array.dtype.kind not in "uif":
        raise TypeError(f"`{name}` must hold numbers (pixels 0-255), got an array of dtype {array.dtype}")
    shapes = {"gray": "(H, W)", "rgb": "(H, W, 3)", "any": "(H, W) or (H, W, 3)"}
    is_gray, is_rgb = array.ndim == 2, array.ndim == 3 and array.shape[-1] == 3
    if not {"gray": is_gray, "rgb": is_rgb, "any": is_gray or is_rgb}[layout] or array.size == 0:
        raise ValueError(f"`{name}` must be an image of shape {shapes[layout]}, got {describe(array)}")
    if not np.all(np.isfinite(array)) or array.min() < 0 or array.max() > 255:
        raise ValueError(f"`{name}` must hold pixels from 0 to 255, got values from {array.min()} to {array.max()}")
    return array


def _show(ax, image, title):
    """Draw a gray (H, W) or colour (H, W, 3) image with row/column axes; return the AxesImage."""
    if image.ndim == 3:
        shown = ax.imshow(np.rint(image).astype(np.uint8))
    else:
        shown = ax.imshow(image, **GRAY)
    ax.set(title=title, xlabel="column", ylabel="row")
    return shown


def _cell_numbers(ax, values, left=0, top=0, fontsize=9.0, zero_color=None):
    """Write each value of a 2-D array in its cell, white on dark cells and black on light ones."""
    for (i, j), value in np.ndenumerate(values):
        color = "white" if value < 128 else "black"
        if zero_color is not None and value == 0:
            color = zero_color
        ax.text(left + j, top + i, f"{value:.0f}", ha="center", va="center", fontsize=fontsize, color=color)


def _credit(fig, credit):
    """Write a photo's credit line under the figure."""
    if credit:
        fig.supxlabel(f"Photo: {credit}", fontsize=8.5, color="0.35", style="italic")


def photo_figure(image, *, title="A photo", credit=None, width=6.0) -> Figure:
    """Show a photo with its row and column numbers, and its credit line under it.

    Parameters
    ----------
    image : ndarray, shape (H, W) or (H, W, 3), pixels 0 to 255
        Grayscale images are drawn in gray from 0 (black) to 255 (white), with a colour bar.
    title : str
        Title of the axes; the shape and dtype are added to it.
    credit : str, optional
        Who took the photo and its licence (:data:`cnnlib.data.PHOTOS`), written under the figure.
    width : float, default 6.0
        Width of the figure in inches (at 100 dots per inch).

    Returns
    -------
    fig : matplotlib.figure.Figure

    Examples
    --------
    >>> fig = photo_figure(np.zeros((30, 40, 3), dtype=np.uint8), title="Black")
    >>> fig.axes[0].get_title()
    'Black: shape (30, 40, 3), dtype uint8'
    """
    image = _pixels(image)
    if isinstance(width, bool) or not isinstance(width, (int, float)) or not 1 <= width <= 20:
        raise ValueError(f"`width` must be a number of inches from 1 to 20, got {width!r}")
    aspect = image.shape[0] / image.shape[1]
    fig = Figure(figsize=(width, width * aspect * 0.95 + 0.9), layout="constrained")
    ax = fig.add_subplot()
    shown = _show(ax, image, f"{title}: shape {image.shape}, dtype {image.dtype}")
    if image.ndim == 2:
        fig.colorbar(shown, ax=ax, label="pixel value", shrink=0.8)
    _credit(fig, credit)
    return fig


def channels_figure(rgb, *, title="One photo, three grids of numbers", credit=None) -> Figure:
    """Show the red, green and blue channels of a colour image as three gray images.

    Parameters
    ----------
    rgb : ndarray, shape (H, W, 3), pixels 0 to 255, channels (red, green, blue)
    title : str
        Title of the figure.
    credit : str, optional
        The photo's credit line (:data:`cnnlib.data.PHOTOS`), written under the figure.

    Returns
    -------
    fig : matplotlib.figure.Figure
        Three axes, ``rgb[:, :, 0]``, ``rgb[:, :, 1]``, ``rgb[:, :, 2]``, each (H, W) in gray,
        where a bright pixel means a lot of that colour; one shared colour bar.
    """
    rgb = _pixels(rgb, "rgb", "rgb")
    height, width = rgb.shape[:2]
    fig = Figure(figsize=(10.5, 2.5 * height / width + 1.4), layout="constrained")
    axes = fig.subplots(1, 3)
    for k, (ax, name) in enumerate(zip(axes, CHANNELS, strict=True)):
        shown = _show(ax, rgb[:, :, k], f"{name}: rgb[:, :, {k}]")
    fig.colorbar(shown, ax=axes, label="pixel value", shrink=0.8)
    fig.suptitle(title, fontsize=13, weight="bold")
    _credit(fig, credit)
    return fig


def gray_comparison_figure(rgb, *, title="Colour to gray: weighted sum or plain mean?", credit=None) -> Figure:
    """Compare the luminance-weighted gray of a colour image with the plain mean of its channels.

    Parameters
    ----------
    rgb : ndarray, shape (H, W, 3), pixels 0 to 255, channels (red, green, blue)
    title : str
        Title of the figure.
    credit : str, optional
        The photo's credit line (:data:`cnnlib.data.PHOTOS`), written under the figure.

    Returns
    -------
    fig : matplotlib.figure.Figure
        Four axes in a row: the colour image; ``0.299 R + 0.587 G + 0.114 B`` (BT.601); ``(R + G + B) / 3``;
        and their difference, weighted minus mean, on a diverging map centred on 0.
    """
    rgb = _pixels(rgb, "rgb", "rgb")
    weighted, mean = rgb_to_gray(rgb), rgb.astype(np.float64).mean(axis=-1)
    wr, wg, wb = BT601_WEIGHTS
    height, width = rgb.shape[:2]
    fig = Figure(figsize=(15, 3.0 * height / width + 1.6), layout="constrained")
    axes = fig.subplots(1, 4)
    _show(axes[0], rgb, "colour")
    _show(axes[1], weighted, f"weighted: {wr} R + {wg} G + {wb} B")
    _show(axes[2], mean, "plain mean: (R + G + B) / 3")
    difference = weighted - mean
    limit = max(1.0, float(np.abs(difference).max()))
    shown = axes[3].imshow(difference, cmap="RdBu_r", vmin=-limit, vmax=limit)
    axes[3].set(title="weighted − mean", xlabel="column", ylabel="row")
    fig.colorbar(shown, ax=axes[3], label="difference (red: weighted is brighter)", shrink=0.9)
    fig.suptitle(title, fontsize=13, weight="bold")
    _credit(fig, credit)
    return fig


def gray_swatches_figure(colors=None, *, title=None) -> Figure:
    """Pure colours and the gray level each one gets from the weighted sum and from the plain mean.

    Parameters
    ----------
    colors : dict of str -> (R, G, B), optional
        Name and pixel 0-255 of each swatch; default red, green, blue, yellow, cyan, magenta, white.
    title : str, optional
        Replaces the default title.

    Returns
    -------
    fig : matplotlib.figure.Figure
        One axes of three rows of squares: the colour, its weighted gray and its mean gray,
        each gray square labelled with its value.
    """
    default = "Pure colours in gray: the mean makes red, green and blue all 85" if colors is None else None
    colors = dict(SWATCHES if colors is None else colors)
    rgb = _pixels(np.array([list(colors.values())], dtype=np.float64), "colors", "rgb")
    rows = [rgb[0] / 255, rgb_to_gray(rgb)[0], rgb.mean(axis=-1)[0]]
    fig = Figure(figsize=(1.15 * len(colors) + 2.4, 4.6), layout="constrained")
    ax = fig.add_subplot()
    for i, row in enumerate(rows):
        for j, value in enumerate(row):
            face = value if i == 0 else (value / 255,) * 3
            ax.add_patch(Rectangle((j - 0.45, i - 0.45), 0.9, 0.9, fc=face, ec="0.5"))
            if i:
                ax.text(j, i, f"{value:.1f}", ha="center", va="center", fontsize=11,
                        color="white" if value < 128 else "black")
    ax.set_xticks(range(len(colors)), [f"{name}\n{tuple(int(v) for v in c)}" for name, c in colors.items()])
    wr, wg, wb = BT601_WEIGHTS
    ax.set_yticks(range(3), ["colour", f"weighted\n{wr} R + {wg} G\n+ {wb} B", "plain mean\n(R + G + B) / 3"])
    ax.set(xlim=(-0.55, len(colors) - 0.45), ylim=(2.55, -0.55), xlabel="colour (R, G, B)", aspect="equal")
    ax.tick_params(length=0)
    for side in ax.spines.values():
        side.set_visible(False)
    ax.set_title(title or default or "Colours in gray: weighted sum or plain mean", fontsize=12, weight="bold")
    return fig


def patch_figure(image, row, col, size=8, *, title=None) -> Figure:
    """Show a grayscale image with one square patch outlined, and that patch enlarged with its numbers.

    Parameters
    ----------
    image : ndarray, shape (H, W), pixels 0 to 255
    row, col : int
        Top-left pixel of the patch, ``0 <= row <= H - size`` and ``0 <= col <= W - size``.
    size : int, default 8
        Side of the patch, from 1 to 16 (so its numbers stay readable).
    title : str, optional
        Title of the figure; default "Zoom: the numbers of a size × size patch".

    Returns
    -------
    fig : matplotlib.figure.Figure
        Two axes: the image with the patch outlined in red, and ``image[row:row+size, col:col+size]``
        with the value of every pixel written in its cell; axes numbered as in the image.

    Raises
    ------
    TypeError, ValueError
        If ``image`` is not an (H, W) array of pixels 0-255, or the patch does not fit in it.

    Examples
    --------
    >>> fig = patch_figure(np.arange(100).reshape(10, 10), row=2, col=3, size=4)
    >>> fig.axes[1].get_title()
    'image[2:6, 3:7]'
    """
    image = _pixels(image, layout="gray")
    size = as_int(size, "size", minimum=1)
    if size > 16 or size > min(image.shape):
        raise ValueError(f"`size` must be at most 16 and fit in the image of shape {image.shape}, got {size}")
    height, width = image.shape
    row = as_int(row, "row", minimum=0)
    col = as_int(col, "col", minimum=0)
    if row > height - size:
        raise ValueError(f"`row` must be between 0 and H - size = {height - size}, got {row}")
    if col > width - size:
        raise ValueError(f"`col` must be between 0 and W - size = {width - size}, got {col}")
    patch = image[row:row + size, col:col + size]

    fig = Figure(figsize=(10.5, 4.8), layout="constrained")
    photo_ax, zoom_ax = fig.subplots(1, 2, width_ratios=[width / height, 1])
    _show(photo_ax, image, f"the whole image, shape {image.shape}")
    photo_ax.add_patch(Rectangle((col - 0.5, row - 0.5), size, size, fill=False, ec="red", lw=2))
    zoom_ax.imshow(patch, extent=(col - 0.5, col + size - 0.5, row + size - 0.5, row - 0.5), **GRAY)
    _cell_numbers(zoom_ax, patch, left=col, top=row, fontsize=max(6.0, 15 - 0.5 * size))
    zoom_ax.set_xticks(range(col, col + size))
    zoom_ax.set_yticks(range(row, row + size))
    zoom_ax.tick_params(labelsize=8)
    zoom_ax.set(title=f"image[{row}:{row + size}, {col}:{col + size}]", xlabel="column", ylabel="row")
    for side in zoom_ax.spines.values():
        side.set(color="red", linewidth=2)
    for corner_y, zoom_y in ((row - 0.5, 1), (row + size - 0.5, 0)):
        fig.add_artist(ConnectionPatch(
            xyA=(col + size - 0.5, corner_y), coordsA=photo_ax.transData, xyB=(0, zoom_y),
            coordsB=zoom_ax.transAxes, color="red", lw=0.8, alpha=0.6,
        ))
    fig.suptitle(title or f"Zoom: the {size} × {size} = {size * size} numbers under the red square",
                 fontsize=13, weight="bold")
    return fig


def digit_figure(digit, label=None, *, title=None) -> Figure:
    """Show a small grayscale image, e.g. a 28 × 28 MNIST digit, with every pixel's value in its cell.

    Parameters
    ----------
    digit : ndarray, shape (H, W) with H, W <= 32, pixels 0 to 255
    label : int, optional
        The digit it shows, for the title.
    title : str, optional
        Replaces the default title.

    Returns
    -------
    fig : matplotlib.figure.Figure
        One axes with every row and column numbered; zeros are written in dim gray.

    Examples
    --------
    >>> digit_figure(np.zeros((28, 28), dtype=np.uint8), label=0).axes[0].get_title()
    'A handwritten 0: 28 × 28 = 784 numbers from 0 to 255'
    """
    digit = _pixels(digit, "digit", "gray")
    height, width = digit.shape
    if max(height, width) > 32:
        raise ValueError(f"`digit` must be at most 32 × 32 so that its numbers stay readable, got {describe(digit)}")
    what = f"A handwritten {label}" if label is not None else "An image"
    fig = Figure(figsize=(10, 10 * height / width + 0.4), layout="constrained")
    ax = fig.add_subplot()
    _show(ax, digit, title or f"{what}: {height} × {width} = {height * width} numbers from 0 to 255")
    _cell_numbers(ax, digit, fontsize=min(9.0, 182 / max(height, width)), zero_color="0.45")
    ax.set_xticks(range(width))
    ax.set_yticks(range(height))
    ax.tick_params(labelsize=7)
    return fig


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
    grid_ax.set(xlim=(-0.5, width - 0.5), ylim=(height - 0.5, -0.5), aspect="equal",
                xticks=range(width), yticks=range(height), xlabel="column", ylabel="row",
                title=f"image, shape ({height}, {width}): each cell shows its (row, column)")
    vector_ax.set(xlim=(-0.5, n - 0.5), ylim=(0.5, -0.5), aspect="equal", xticks=range(n), yticks=[],
                  xlabel="index in the vector", title=f"image.reshape(-1), shape ({n},): row 0 first, then row 1, ...")
    fig.suptitle("Flattening reads the image row by row", fontsize=13, weight="bold")
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
    """
    digit = _pixels(digit, "digit", "gray")
    height, width = digit.shape
    vector = digit.reshape(-1)
    fig = Figure(figsize=(13, 4.6), layout="constrained")
    strip_ax, bar_ax = fig.subplots(2, 1, sharex=True, height_ratios=[1, 4])
    strip_ax.imshow(vector[None, :], aspect="auto", extent=(-0.5, vector.size - 0.5, 0.5, -0.5), **GRAY)
    strip_ax.set(yticks=[], title=title or f"The image as one vector of {height} × {width} = {vector.size} numbers")
    for r in range(1, height, 2):
        bar_ax.axvspan(r * width - 0.5, (r + 1) * width - 0.5, color="0.9", lw=0)
    bar_ax.stairs(vector, np.arange(vector.size + 1) - 0.5, fill=True, color="0.15")  # one bar per number
    step = max(1, height // 7)
    for r in range(0, height, step):
        bar_ax.text(r * width + width / 2, 268, f"row {r}", ha="center", va="bottom", fontsize=8, color="0.3")
    bar_ax.set_xticks(np.arange(0, height + 1, step) * width)
    bar_ax.set(xlim=(-0.5, vector.size - 0.5), ylim=(0, 290), ylabel="pixel value",
               xlabel=f"index in the vector (each shaded or white band is one row of {width} pixels)")
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
    labels = [f"inputs\n{height} × {width} × {channels}", f"weights\n{counts.inputs:,} × {hidden_units:,}",
              "biases\none per hidden unit"]
    _count_bars(left, labels, list(counts), ["tab:blue", "tab:red", "tab:gray"],
                f"this layer: {height} × {width} × {channels} image, {hidden_units:,} hidden units", log=True)
    left.set_xlabel("how many (log scale: each step is 10 times more)")
    names = [*REFERENCE_IMAGES, f"this image\n{height} × {width} × {channels}"]
    sizes = [*REFERENCE_IMAGES.values(), (height, width, channels)]
    weights = [dense_counts(*size, hidden_units).weights for size in sizes]
    _count_bars(right, names, weights, ["tab:red"] * len(REFERENCE_IMAGES) + ["darkred"],
                f"the same {hidden_units:,} hidden units on other images", log=False)
    right.set_xlabel("weights, in millions")
    fig.suptitle(f"A dense layer on the whole image: {counts.inputs:,} inputs × {hidden_units:,} hidden units "
                 f"= {counts.weights:,} weights", fontsize=13, weight="bold")
    return fig
