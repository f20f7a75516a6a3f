"""Figures of notebook 01 (images as matrices): photos, channels, gray levels, patches, a digit's numbers.

Every function takes arrays of pixels 0-255 and returns a ``Figure``; gray images
are drawn in gray on the fixed range 0 (black) to 255 (white), so the same number
always looks the same (:func:`~cnnlib.plotting.style.gray_style`). How an image is
flattened into a vector, and what a dense layer on it costs, is drawn by
:mod:`cnnlib.plotting.flatten`.
"""

from __future__ import annotations

from functools import partial

import numpy as np
from matplotlib.figure import Figure
from matplotlib.patches import ConnectionPatch, Rectangle

from .._validation import as_int, describe
from ..images import BT601_WEIGHTS, rgb_to_gray
from .flatten import dense_params_figure  # noqa: F401  (cnnlib.widgets.images imports it from here)
from .style import (
    add_colorbar,
    as_pixels,
    format_number,
    gray_style,
    ink_on,
    number_grid,
    panel,
    pixel_axes,
    signed_style,
)

__all__ = [
    "channels_figure",
    "digit_figure",
    "gray_comparison_figure",
    "gray_swatches_figure",
    "patch_figure",
    "photo_figure",
]

CHANNELS = ("red", "green", "blue")
SWATCHES = {
    "red": (255, 0, 0),
    "green": (0, 255, 0),
    "blue": (0, 0, 255),
    "yellow": (255, 255, 0),
    "cyan": (0, 255, 255),
    "magenta": (255, 0, 255),
    "white": (255, 255, 255),
}
_pixel_text = partial(format_number, decimals=0)  # a pixel as a whole number, e.g. 128


PHOTO_DPI = 72  # photos are the largest outputs of the series: 72 dpi keeps notebook 01 under 2 MB


def _show(ax, image, title):
    """Draw a gray (H, W) or colour (H, W, 3) image with row/column axes; return the AxesImage."""
    if image.ndim == 3:
        shown = ax.imshow(np.rint(image).astype(np.uint8))
    else:
        shown = ax.imshow(image, **gray_style())
    ax.set_title(title)
    pixel_axes(ax)
    return shown


def _credit(fig, ax, credit, *, own_figure=True):
    """Write a photo's credit line under the figure, or under the title of ``ax`` in someone else's figure."""
    if not credit:
        return
    if own_figure:
        fig.supxlabel(f"Photo: {credit}", fontsize=8.5, color="0.35", style="italic")
    else:
        ax.set_title(f"{ax.get_title()}\nPhoto: {credit}")


def photo_figure(image, *, title="A photo", credit=None, width=6.0, ax=None) -> Figure:
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
    ax : matplotlib.axes.Axes, optional
        Draw into this panel of another figure (and return that figure) instead of a new figure.
        The credit is then written under the title.

    Returns
    -------
    fig : matplotlib.figure.Figure
        One axes (and a colour bar for a gray image).

    Examples
    --------
    >>> fig = photo_figure(np.zeros((30, 40, 3), dtype=np.uint8), title="Black")
    >>> fig.axes[0].get_title()
    'Black: shape (30, 40, 3), dtype uint8'
    """
    image = as_pixels(image)
    if isinstance(width, bool) or not isinstance(width, (int, float)) or not 1 <= width <= 20:
        raise ValueError(f"`width` must be a number of inches from 1 to 20, got {width!r}")
    aspect = image.shape[0] / image.shape[1]
    own_figure = ax is None
    fig, ax = panel(ax, figsize=(width, width * aspect * 0.95 + 0.9), dpi=PHOTO_DPI)
    shown = _show(ax, image, f"{title}: shape {image.shape}, dtype {image.dtype}")
    if image.ndim == 2:
        add_colorbar(shown, ax, label="pixel value")
    _credit(fig, ax, credit, own_figure=own_figure)
    return fig


def channels_figure(rgb, *, title="One photo, three grids of numbers", credit=None) -> Figure:
    """Show a colour image, then its red, green and blue channels as three gray images.

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
        Four axes: the image in colour, so that the grids can be compared with the colours they make;
        then ``rgb[:, :, 0]``, ``rgb[:, :, 1]``, ``rgb[:, :, 2]``, each (H, W) in gray, where a bright
        pixel means a lot of that colour, with one colour bar for the three.

    Examples
    --------
    >>> fig = channels_figure(np.zeros((2, 3, 3), dtype=np.uint8))
    >>> [ax.get_title() for ax in fig.axes[:4]]
    ['colour', 'red: rgb[:, :, 0]', 'green: rgb[:, :, 1]', 'blue: rgb[:, :, 2]']
    """
    rgb = as_pixels(rgb, "rgb", "rgb")
    height, width = rgb.shape[:2]
    fig = Figure(figsize=(12, 2.2 * height / width + 1.4), dpi=PHOTO_DPI, layout="constrained")
    axes = fig.subplots(1, 4)
    _show(axes[0], rgb, "colour")
    for k, (ax, name) in enumerate(zip(axes[1:], CHANNELS, strict=True)):
        shown = _show(ax, rgb[:, :, k], f"{name}: rgb[:, :, {k}]")
    add_colorbar(shown, axes[1:], label="pixel value")
    fig.suptitle(title, fontsize=13, weight="bold")
    _credit(fig, None, credit)
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
        and their difference, weighted minus mean, on the signed map centred on 0.

    Examples
    --------
    >>> fig = gray_comparison_figure(np.array([[[255, 0, 0]]], dtype=np.uint8))  # one red pixel
    >>> float(fig.axes[1].images[0].get_array()[0, 0]), float(fig.axes[2].images[0].get_array()[0, 0])
    (76.245, 85.0)
    """
    rgb = as_pixels(rgb, "rgb", "rgb")
    weighted, mean = rgb_to_gray(rgb), rgb.astype(np.float64).mean(axis=-1)
    wr, wg, wb = BT601_WEIGHTS
    height, width = rgb.shape[:2]
    fig = Figure(figsize=(15, 3.0 * height / width + 1.6), dpi=PHOTO_DPI, layout="constrained")
    axes = fig.subplots(1, 4)
    _show(axes[0], rgb, "colour")
    _show(axes[1], weighted, f"weighted: {wr} R + {wg} G + {wb} B")
    _show(axes[2], mean, "plain mean: (R + G + B) / 3")
    difference = weighted - mean
    shown = axes[3].imshow(difference, **signed_style(limit=max(1.0, float(np.abs(difference).max()))))
    axes[3].set_title("weighted − mean")
    pixel_axes(axes[3])
    add_colorbar(shown, axes[3], label="difference (red: weighted is brighter)", shrink=0.9)
    fig.suptitle(title, fontsize=13, weight="bold")
    _credit(fig, None, credit)
    return fig


def gray_swatches_figure(colors=None, *, title=None, ax=None) -> Figure:
    """Pure colours and the gray level each one gets from the weighted sum and from the plain mean.

    Parameters
    ----------
    colors : dict of str -> (R, G, B), optional
        Name and pixel 0-255 of each swatch; default red, green, blue, yellow, cyan, magenta, white.
    title : str, optional
        Replaces the default title.
    ax : matplotlib.axes.Axes, optional
        Draw into this panel of another figure (and return that figure) instead of a new figure.

    Returns
    -------
    fig : matplotlib.figure.Figure
        One axes of three rows of squares: the colour, its weighted gray and its mean gray,
        each gray square labelled with its value.

    Examples
    --------
    >>> [t.get_text() for t in gray_swatches_figure({"red": (255, 0, 0)}).axes[0].texts]
    ['76.2', '85.0']
    """
    default = "Pure colours in gray: the mean makes red, green and blue all 85" if colors is None else None
    colors = dict(SWATCHES if colors is None else colors)
    rgb = as_pixels(np.array([list(colors.values())], dtype=np.float64), "colors", "rgb")
    rows = [rgb[0] / 255, rgb_to_gray(rgb)[0], rgb.mean(axis=-1)[0]]
    fig, ax = panel(ax, figsize=(1.15 * len(colors) + 2.4, 4.6))
    for i, row in enumerate(rows):
        for j, value in enumerate(row):
            face = value if i == 0 else (value / 255,) * 3
            ax.add_patch(Rectangle((j - 0.45, i - 0.45), 0.9, 0.9, fc=face, ec="0.5"))
            if i:
                ax.text(j, i, f"{value:.1f}", ha="center", va="center", fontsize=11, color=ink_on(face))
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
    image = as_pixels(image, layout="gray")
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
    patch = image[row : row + size, col : col + size]

    fig = Figure(figsize=(10.5, 4.8), dpi=PHOTO_DPI, layout="constrained")
    photo_ax, zoom_ax = fig.subplots(1, 2, width_ratios=[width / height, 1])
    _show(photo_ax, image, f"the whole image, shape {image.shape}")
    photo_ax.add_patch(Rectangle((col - 0.5, row - 0.5), size, size, fill=False, ec="red", lw=2))
    number_grid(
        zoom_ax,
        patch,
        **gray_style(),
        formatter=_pixel_text,
        fontsize=max(6.0, 15 - 0.5 * size),
        lines=None,
        first=(row, col),
        title=f"image[{row}:{row + size}, {col}:{col + size}]",
    )
    for side in zoom_ax.spines.values():
        side.set(color="red", linewidth=2)
    for corner_y, zoom_y in ((row - 0.5, 1), (row + size - 0.5, 0)):
        fig.add_artist(
            ConnectionPatch(
                xyA=(col + size - 0.5, corner_y),
                coordsA=photo_ax.transData,
                xyB=(0, zoom_y),
                coordsB=zoom_ax.transAxes,
                color="red",
                lw=0.8,
                alpha=0.6,
            )
        )
    fig.suptitle(
        title or f"Zoom: the {size} × {size} = {size * size} numbers under the red square", fontsize=13, weight="bold"
    )
    return fig


def digit_figure(digit, label=None, *, title=None, ax=None) -> Figure:
    """Show a small grayscale image, e.g. a 28 × 28 MNIST digit, with every pixel's value in its cell.

    Parameters
    ----------
    digit : ndarray, shape (H, W) with H, W <= 32, pixels 0 to 255
    label : int, optional
        The digit it shows, for the title.
    title : str, optional
        Replaces the default title.
    ax : matplotlib.axes.Axes, optional
        Draw into this panel of another figure (and return that figure) instead of a new figure.

    Returns
    -------
    fig : matplotlib.figure.Figure
        One axes with every row and column numbered; zeros are written in dim gray.

    Examples
    --------
    >>> digit_figure(np.zeros((28, 28), dtype=np.uint8), label=0).axes[0].get_title()
    'A handwritten 0: 28 × 28 = 784 numbers from 0 to 255'
    """
    digit = as_pixels(digit, "digit", "gray")
    height, width = digit.shape
    if max(height, width) > 32:
        raise ValueError(f"`digit` must be at most 32 × 32 so that its numbers stay readable, got {describe(digit)}")
    what = f"A handwritten {label}" if label is not None else "An image"
    fig, ax = panel(ax, figsize=(10, 10 * height / width + 0.4))
    number_grid(
        ax,
        digit,
        **gray_style(),
        formatter=_pixel_text,
        fontsize=min(9.0, 182 / max(height, width)),
        zero_ink="0.45",
        lines=None,
        labelsize=7,
        title=title or f"{what}: {height} × {width} = {height * width} numbers from 0 to 255",
    )
    return fig
