"""Figures of notebook 03 (convolution in 2-D): a filter sliding over numbers, im2col, filters on a photo.

Colours follow the series' rule (:mod:`cnnlib.plotting.style`). Images are drawn
in gray. A feature map is *signed* when its kernel's weights add up to 0, or nearly
(:func:`draws_signed`: ``|sum| <= 5%`` of the sum of the absolute weights): a flat
patch then gives (almost) 0, and edges give positive or negative values, so it is
drawn with the signed map centred on 0 (white 0, red positive, blue negative). Any other kernel gives an image-like map,
drawn in gray over the range a flat image would cover, ``sum(kernel)`` times the
input's range (a blur keeps the photo's range; sharpening overshoots are clipped).
Small grids of numbers are drawn with their values written in, as fractions where
they are simple ones (``1/9``): the image in gray, kernels on the signed map, outputs
in ``viridis`` from 0 (or on the signed map when they hold negative numbers).
"""

from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

from .._validation import as_float_array, as_int, as_int_pair, check_window_fits
from ..conv import correlate2d, im2col
from ..kernels import KERNELS, is_signed_kernel
from .style import (
    GRAY_CMAP,
    SIGNED_CMAP,
    add_colorbar,
    fit_fontsize,
    format_fraction,
    map_style,
    number_grid,
    pixel_axes,
    signed_limit,
    signed_style,
)

__all__ = [
    "SIGNED_SUM_SHARE",
    "draws_signed",
    "every_position_figure",
    "filter_gallery_figure",
    "filtered_image_figure",
    "im2col_figure",
    "sliding_window_figure",
]


SIGNED_SUM_SHARE = 0.05
"""A kernel's map is drawn signed when ``|sum(kernel)|`` is at most this share of ``sum(|kernel|)``."""


def draws_signed(kernel) -> bool:
    """Whether the feature map of ``kernel`` is drawn as a signed map: its weights add up to nearly 0.

    A kernel whose weights add up to ``s`` turns a flat patch of brightness ``v`` into ``s * v``,
    and an edge of height ``h`` into up to about ``sum(|kernel|) * h``. When ``|s|`` is small next to
    ``sum(|kernel|)``, the edges dominate, the map holds positive and negative values around 0,
    and a gray scale of ``s`` times the image's range would saturate. Such a kernel is signed.

    Parameters
    ----------
    kernel : ndarray, shape (KH, KW)

    Returns
    -------
    signed : bool
        True when ``|sum(kernel)| <= SIGNED_SUM_SHARE * sum(|kernel|)`` (5%; an all-zero kernel
        counts as signed).

    Examples
    --------
    >>> draws_signed(KERNELS["Sobel x"]), draws_signed(KERNELS["Sobel x"] + 0.01 / 9)
    (True, True)
    >>> draws_signed(KERNELS["sharpen"]), draws_signed(KERNELS["box blur"])
    (False, False)
    """
    return is_signed_kernel(kernel, share=SIGNED_SUM_SHARE)


def _feature_map_style(kernel: np.ndarray, image: np.ndarray, out: np.ndarray, limit=None) -> dict:
    """``imshow`` keywords for the feature map ``out`` of ``image`` by ``kernel`` (the module's rule)."""
    if draws_signed(kernel):
        if limit is not None:
            return signed_style(limit=limit)
        return signed_style(out)  # the 99th percentile of |out|: a few extreme pixels would wash out the rest
    total = float(kernel.sum())
    low, high = sorted((total * float(image.min()), total * float(image.max())))
    if high - low < 1e-12:
        low, high = low - 1.0, high + 1.0
    return {"cmap": GRAY_CMAP, "vmin": low, "vmax": high}


def _grid(ax, values, **kwargs):
    """A number grid as this notebook draws them: fractions written out, axes named j and i as in out[i, j]."""
    kwargs = {"formatter": format_fraction, "xlabel": "column j", "ylabel": "row i", **kwargs}
    return number_grid(ax, values, **kwargs)


def _image_grid(ax, image, **kwargs):
    """A small image as a number grid in gray, black at 0 (or below), white at 1 (or above)."""
    return _grid(ax, image, cmap=GRAY_CMAP, vmin=min(image.min(), 0), vmax=max(image.max(), 1), **kwargs)


def _image_and_kernel(image, kernel):
    image = as_float_array(image, "image", ndim=2, layout="(H, W)")
    kernel = as_float_array(kernel, "kernel", ndim=2, layout="(KH, KW)")
    check_window_fits(kernel.shape, image.shape, "kernel", "of shape", "image")
    return image, kernel


def _outline(ax, top, left, height, width, colour="tab:orange") -> None:
    ax.add_patch(Rectangle((left - 0.5, top - 0.5), width, height, fill=False, ec=colour, lw=3.5))


def sliding_window_figure(image, kernel, position=(0, 0)) -> Figure:
    """One step of the slide: the patch under the kernel, the kernel, and the output filled so far.

    Parameters
    ----------
    image : ndarray, shape (H, W)
        A small image (up to about 12 x 12, so that its numbers can be read).
    kernel : ndarray, shape (KH, KW), with KH <= H and KW <= W
    position : (i, j), default (0, 0)
        The output pixel being computed, ``0 <= i < OH``, ``0 <= j < OW``; the kernel's
        top-left corner sits on ``image[i, j]``.

    Returns
    -------
    fig : matplotlib.figure.Figure
        Three axes: the image with the patch outlined, the kernel, and the output of shape
        (OH, OW) = (H - KH + 1, W - KW + 1), with the positions before ``position`` (row by
        row) filled in and ``position`` outlined. The line under them writes out the
        multiply-and-sum of that one output pixel.

    Examples
    --------
    >>> fig = sliding_window_figure(np.eye(4), np.ones((2, 2)), position=(1, 2))
    >>> fig.axes[2].get_title()
    'output, shape (3, 3): out[1, 2] = 1'
    """
    image, kernel = _image_and_kernel(image, kernel)
    kh, kw = kernel.shape
    oh, ow = image.shape[0] - kh + 1, image.shape[1] - kw + 1
    i, j = as_int_pair(position, "position", minimum=0)
    if i >= oh or j >= ow:
        raise ValueError(f"`position` must be inside the output of shape ({oh}, {ow}), got ({i}, {j})")
    out = correlate2d(image, kernel)
    patch = image[i : i + kh, j : j + kw]
    shown = (np.arange(oh * ow) <= i * ow + j).reshape(oh, ow)

    fig = Figure(figsize=(11, 4.3), dpi=100, layout="constrained")
    axes = fig.subplots(1, 3, width_ratios=[image.shape[1], kw + 1.5, ow + 1.5])
    _image_grid(axes[0], image, title=f"image, shape {image.shape}", fontsize=11)
    _outline(axes[0], i, j, kh, kw)
    _grid(axes[1], kernel, title=f"kernel, shape {kernel.shape}", fontsize=11)
    _grid(
        axes[2],
        out,
        shown=shown,
        title=f"output, shape {out.shape}: out[{i}, {j}] = {format_fraction(out[i, j])}",
        fontsize=11,
        **map_style(out),
    )
    _outline(axes[2], i, j, 1, 1)
    terms = " + ".join(
        f"{format_fraction(p)}·{format_fraction(k)}" for p, k in zip(patch.ravel(), kernel.ravel(), strict=True)
    )
    if len(terms) > 150:
        terms = terms[:147] + "..."
    fig.suptitle(
        f"The kernel on the patch at rows {i}-{i + kh - 1}, columns {j}-{j + kw - 1}: "
        "multiply pixel by weight, add the products",
        fontsize=12,
    )
    fig.supxlabel(f"out[{i}, {j}] = {terms} = {format_fraction(out[i, j])}", fontsize=11, family="monospace")
    return fig


def every_position_figure(image, kernel) -> Figure:
    """Every position of the slide at once: one small panel per output pixel, in output order.

    Parameters
    ----------
    image : ndarray, shape (H, W)
    kernel : ndarray, shape (KH, KW), with at most 36 output pixels (OH * OW <= 36)

    Returns
    -------
    fig : matplotlib.figure.Figure
        OH x OW axes; the one in row i, column j shows the image with the patch under the
        kernel at (i, j) outlined, titled with its output value ``out[i, j]``.

    Examples
    --------
    >>> len(every_position_figure(np.zeros((5, 5)), np.ones((3, 3))).axes)
    9
    """
    image, kernel = _image_and_kernel(image, kernel)
    kh, kw = kernel.shape
    out = correlate2d(image, kernel)
    oh, ow = out.shape
    if oh * ow > 36:
        raise ValueError(f"`image` and `kernel` give {oh * ow} output pixels ({oh} x {ow}); at most 36 can be drawn")
    fig = Figure(figsize=(2.6 * ow + 0.4, 2.6 * oh + 0.6), dpi=100, layout="constrained")
    axes = np.atleast_2d(fig.subplots(oh, ow, squeeze=False))
    for (i, j), ax in np.ndenumerate(axes):
        _image_grid(ax, image, title=f"out[{i}, {j}] = {format_fraction(out[i, j])}", fontsize=9, xlabel="", ylabel="")
        _outline(ax, i, j, kh, kw)
    fig.supxlabel("column j of the image")
    fig.supylabel("row i of the image")
    fig.suptitle(
        f"All {oh * ow} positions of a {kh} × {kw} kernel on a {image.shape[0]} × {image.shape[1]} image: "
        "one output pixel each",
        fontsize=12,
    )
    return fig


def im2col_figure(image, kernel, highlight=(0, 0)) -> Figure:
    """im2col drawn out: the flattened kernel times the matrix of patches gives every output at once.

    Parameters
    ----------
    image : ndarray, shape (H, W)
        Small, so that the numbers can be read (at most 16 columns of patches).
    kernel : ndarray, shape (KH, KW)
    highlight : (i, j), default (0, 0)
        The output position whose patch (a column) and result are outlined.

    Returns
    -------
    fig : matplotlib.figure.Figure
        Five axes, left to right: the kernel as a row of KH*KW weights, the sign @,
        the matrix of shape (KH*KW, OH*OW) whose column ``i*OW + j`` is the patch at
        (i, j) flattened, the sign =, and their product, a row of OH*OW values (the
        output, read row by row).

    Examples
    --------
    >>> [ax.get_title() for ax in im2col_figure(np.eye(4), np.ones((3, 3))).axes][2]
    'patches as columns, shape (9, 4)'
    """
    image, kernel = _image_and_kernel(image, kernel)
    kh, kw = kernel.shape
    cols = im2col(image[None, None], kernel.shape)[0]
    oh, ow = image.shape[0] - kh + 1, image.shape[1] - kw + 1
    if cols.shape[1] > 16 or cols.shape[0] > 16:
        raise ValueError(f"`image` and `kernel` give a matrix of shape {cols.shape}; at most 16 x 16 can be drawn")
    i, j = as_int_pair(highlight, "highlight", minimum=0)
    if i >= oh or j >= ow:
        raise ValueError(f"`highlight` must be inside the output of shape ({oh}, {ow}), got ({i}, {j})")
    row = kernel.reshape(1, -1)
    product = row @ cols
    column = i * ow + j
    n_taps, n_positions = cols.shape

    fig = Figure(figsize=(13, 5.0), dpi=100, layout="constrained")
    row_ax, times_ax, cols_ax, equals_ax, product_ax = fig.subplots(
        1, 5, width_ratios=[n_taps, 1.2, n_positions, 1.2, n_positions]
    )
    _grid(row_ax, row, title=f"kernel as a row, shape {row.shape}", fontsize=11)
    _image_grid(cols_ax, cols, title=f"patches as columns, shape {cols.shape}", fontsize=11)
    _grid(product_ax, product, title=f"product, shape {product.shape}", fontsize=11, **map_style(product))
    _outline(cols_ax, 0, column, n_taps, 1)
    _outline(product_ax, 0, column, 1, 1)
    row_ax.set_xlabel("weight index a·KW + b")
    cols_ax.set_xlabel("output position i·OW + j")
    cols_ax.set_ylabel("weight index a·KW + b")
    product_ax.set_xlabel("output position i·OW + j")
    for ax in (row_ax, product_ax):
        ax.set_ylabel("")
        ax.set_yticks([])
    for ax, sign in ((times_ax, "@"), (equals_ax, "=")):
        ax.text(0.5, 0.5, sign, transform=ax.transAxes, fontsize=24, ha="center", va="center", weight="bold")
        ax.set_axis_off()
    fig.suptitle(
        f"One matrix product for the whole image: column {column} is the patch at ({i}, {j}), "
        f"and row @ column = out[{i}, {j}] = {format_fraction(product[0, column])}",
        fontsize=12,
    )
    return fig


def filtered_image_figure(image, kernel, name=None) -> Figure:
    """A photo, a kernel, and the feature map the kernel makes of it ('valid' cross-correlation).

    Parameters
    ----------
    image : ndarray, shape (H, W)
        A grayscale image, e.g. 0-255 pixels.
    kernel : ndarray, shape (KH, KW)
    name : str, optional
        What the kernel is called, for the title (e.g. ``"Sobel x"``).

    Returns
    -------
    fig : matplotlib.figure.Figure
        Three axes plus two colour bars (the feature map's, then the kernel's, below it):
        the image (gray), the kernel with its weights written in on the signed map centred
        on 0, and the feature map ``correlate2d(image, kernel)`` of shape
        (H - KH + 1, W - KW + 1), coloured by the module's rule (signed maps centred on 0).

    Examples
    --------
    >>> fig = filtered_image_figure(np.zeros((8, 8)), KERNELS["Sobel x"], name="Sobel x")
    >>> fig.axes[2].images[0].get_array().shape
    (6, 6)
    """
    image, kernel = _image_and_kernel(image, kernel)
    out = correlate2d(image, kernel)
    style = _feature_map_style(kernel, image, out)
    fig = Figure(figsize=(11, 4.1), dpi=80, layout="constrained")
    axes = fig.subplots(1, 3, width_ratios=[1, 0.55, 1])
    axes[0].imshow(image, cmap=GRAY_CMAP)
    axes[0].set_title(f"input, shape {image.shape}")
    weights = _grid(
        axes[1],
        kernel,
        title="kernel" if name is None else f"kernel: {name}",
        fontsize=fit_fontsize(kernel, 12, format_fraction),
    )
    shown = axes[2].imshow(out, **style)
    kind = "signed: red > 0, blue < 0" if style["cmap"] == SIGNED_CMAP else "gray"
    axes[2].set_title(f"feature map, shape {out.shape}\n({kind})")
    bar = add_colorbar(shown, axes[2])
    bar.set_label("output value" if bar.extend == "neither" else "output value (clipped beyond the arrows)")
    add_colorbar(weights, axes[1], label="weight", location="bottom", shrink=0.9)
    for ax in (axes[0], axes[2]):
        pixel_axes(ax)
    fig.suptitle("What one kernel does to a photo", fontsize=13)
    return fig


def filter_gallery_figure(image, kernels=None, ncols=4) -> Figure:
    """A gallery of feature maps: each kernel's output on the same photo, its weights drawn above it.

    Parameters
    ----------
    image : ndarray, shape (H, W)
        A grayscale photo, e.g. ``cnnlib.data.load_photo("camera")``.
    kernels : dict of str to ndarray of shape (KH, KW), optional
        Name -> kernel; default :data:`KERNELS`.
    ncols : int, default 4
        Kernels per row.

    Returns
    -------
    fig : matplotlib.figure.Figure
        For each kernel two axes, in the order of ``kernels``: its weights (a small grid
        titled with its name) and below it the feature map ``correlate2d(image, kernel)``
        of shape (H - KH + 1, W - KW + 1), in gray or, for kernels adding up to (nearly) 0
        (:func:`draws_signed`), on the signed map centred on 0. All signed maps share one
        scale (the 99th percentile of all their absolute values), so their strengths
        compare, and one colour bar, the last axes.

    Examples
    --------
    >>> fig = filter_gallery_figure(np.zeros((16, 16)))
    >>> [ax.get_title() for ax in fig.axes][:2], fig.axes[-2].get_title()
    (['identity', 'feature map (gray)'], 'feature map (signed, shared scale)')
    """
    image = as_float_array(image, "image", ndim=2, layout="(H, W)")
    kernels = KERNELS if kernels is None else kernels
    if not isinstance(kernels, dict) or not kernels:
        raise TypeError(f"`kernels` must be a non-empty dict of name -> 2-D kernel, got {type(kernels).__name__}")
    ncols = as_int(ncols, "ncols", minimum=1)
    ncols = min(ncols, len(kernels))
    nrows = -(-len(kernels) // ncols)
    checked = {name: _image_and_kernel(image, kernel) for name, kernel in kernels.items()}
    outs = {name: correlate2d(img, kernel) for name, (img, kernel) in checked.items()}
    signed_names = [name for name, (_, kernel) in checked.items() if draws_signed(kernel)]
    # one scale for every signed map, so that their strengths compare: the 99th percentile of all their |values|
    limit = signed_limit(np.concatenate([outs[name].ravel() for name in signed_names])) if signed_names else None
    fig = Figure(figsize=(3.2 * ncols + 0.8, 4.6 * nrows + 0.3), dpi=72, layout="constrained")
    grid = fig.add_gridspec(2 * nrows, ncols, height_ratios=[1.3, 3.2] * nrows)
    signed_axes, signed_image = [], None
    for n, (name, (image, kernel)) in enumerate(checked.items()):
        row, col = divmod(n, ncols)
        weights_ax = fig.add_subplot(grid[2 * row, col])
        map_ax = fig.add_subplot(grid[2 * row + 1, col])
        _grid(weights_ax, kernel, title=str(name), fontsize=fit_fontsize(kernel, 11, format_fraction))
        weights_ax.set_axis_off()
        out = outs[name]
        style = _feature_map_style(kernel, image, out, limit=limit)
        shown = map_ax.imshow(out, **style)
        if style["cmap"] == SIGNED_CMAP:
            signed_axes.append(map_ax)
            signed_image = shown
            kind = "signed, shared scale"
        else:
            kind = "gray"
        map_ax.set_title(f"feature map ({kind})", fontsize=10)
        pixel_axes(map_ax, every=0)
    if signed_image is not None:
        values = np.concatenate([outs[name].ravel() for name in signed_names])
        below, above = bool(values.min() < -limit), bool(values.max() > limit)
        extend = {(True, True): "both", (True, False): "min", (False, True): "max"}.get((below, above), "neither")
        bar = add_colorbar(signed_image, signed_axes, shrink=0.9, extend=extend)
        bar.set_label("signed maps, one scale: red > 0, blue < 0")
    fig.suptitle(
        f"Different kernels pick out different features: {len(kernels)} kernels on the same photo, shape {image.shape}",
        fontsize=13,
    )
    return fig
