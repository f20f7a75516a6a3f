"""The series' figure conventions in one place: colours, colour limits, number grids, numbers, pixel axes.

Every plotting module draws with these helpers, so one rule holds in every notebook:

- images are drawn in ``gray``, pixels 0 (black) to 255 (white): :func:`gray_style`;
- signed values (filters, feature maps, gradients, differences) in one diverging colormap,
  :data:`SIGNED_CMAP` (red > 0, white 0, blue < 0), between symmetric limits ``-L`` and ``L``:
  :func:`signed_limit`, :func:`signed_style`;
- values that are never negative (rectified and pooled maps, probabilities) in ``viridis``
  from 0: :func:`positive_style`; :func:`map_style` picks one of the two for a map;
- a colour bar marks the ends where the colours were clipped: :func:`add_colorbar`;
- small arrays are grids of coloured cells with their numbers written in, in black or white,
  whichever reads better on the cell: :func:`number_grid`, :func:`ink_on`, :func:`fit_fontsize`;
- numbers are written as a learner writes them: :func:`format_number` (``3``, ``-0.5``, ``1.25``),
  :func:`format_fraction` (``1/9``);
- pixel axes read ``column`` across and ``row`` down, row 0 at the top, with whole-number ticks:
  :func:`pixel_axes`;
- a figure function that draws one panel takes ``ax=`` and draws into it: :func:`panel`;
- in a notebook, an opaque figure is stored as an RGB PNG, without matplotlib's constant alpha
  channel: :func:`opaque_png_as_rgb` (the stored series must stay small).
"""

from __future__ import annotations

import io
from fractions import Fraction

import numpy as np
from matplotlib import colormaps
from matplotlib.axes import Axes
from matplotlib.colors import ListedColormap, Normalize, to_rgba
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from .._validation import describe

__all__ = [
    "opaque_png_as_rgb",
    "GRAY_CMAP",
    "POSITIVE_CMAP",
    "SIGNED_CMAP",
    "add_colorbar",
    "as_pixels",
    "fit_fontsize",
    "format_fraction",
    "format_number",
    "gray_style",
    "ink_on",
    "map_style",
    "number_grid",
    "panel",
    "pixel_axes",
    "positive_style",
    "signed_limit",
    "signed_style",
]

SIGNED_CMAP = "RdBu_r"
"""The diverging colormap of every signed map: white at 0, red positive, blue negative."""

POSITIVE_CMAP = "viridis"
"""The colormap of maps that are never negative, drawn from 0."""

GRAY_CMAP = "gray"
"""The colormap of images: black for 0, white for the brightest pixel."""

_BLANK_CELL = "0.93"  # a cell left out of a number grid (not computed yet)


# ---------------------------------------------------------------- colours and limits


def signed_limit(values, percentile=99) -> float:
    """Symmetric colour limit ``L`` for a signed map: a percentile of ``|values|``, never 0.

    Parameters
    ----------
    values : array_like, any shape
    percentile : float, default 99
        99 for maps of a photo, where a few extreme pixels would wash out the rest
        (they are clipped, and a colour bar marks it); 100, the largest ``|value|``,
        for small arrays whose every number must stay in range (kernels, grids).

    Returns
    -------
    limit : float
        ``L > 0``: the percentile, else the largest ``|value|``, else 1.0 (all zeros).

    Examples
    --------
    >>> signed_limit([[1, -2], [0.5, 0]], percentile=100)
    2.0
    >>> signed_limit(np.zeros((2, 2)))
    1.0
    """
    magnitude = np.abs(np.asarray(values, dtype=np.float64))
    return float(np.percentile(magnitude, percentile)) or float(magnitude.max()) or 1.0


def signed_style(values=None, *, limit=None, percentile=99) -> dict:
    """``imshow`` keywords for a signed map: :data:`SIGNED_CMAP` between ``-L`` and ``L``, white at 0.

    Parameters
    ----------
    values : array_like, optional
        The map; ``L = signed_limit(values, percentile)``.
    limit : float, optional
        ``L`` itself, e.g. one limit shared by several maps; takes precedence over ``values``.
    percentile : float, default 99
        As for :func:`signed_limit`.

    Returns
    -------
    style : dict
        ``{"cmap": SIGNED_CMAP, "vmin": -L, "vmax": L}``.

    Examples
    --------
    >>> signed_style([[1, -2]], percentile=100)
    {'cmap': 'RdBu_r', 'vmin': -2.0, 'vmax': 2.0}
    >>> signed_style(limit=0.5)["vmin"]
    -0.5
    """
    if limit is None:
        if values is None:
            raise TypeError("signed_style needs `values` or `limit`")
        limit = signed_limit(values, percentile)
    limit = float(limit)
    return {"cmap": SIGNED_CMAP, "vmin": -limit, "vmax": limit}


def positive_style(values=None, *, vmax=None) -> dict:
    """``imshow`` keywords for a map that is never negative: ``viridis`` from 0 to its largest value.

    Parameters
    ----------
    values : array_like, optional
        The map; the top of the scale is its largest value (1.0 if that is not above 0).
    vmax : float, optional
        The top of the scale itself, e.g. shared by several maps; takes precedence over ``values``.

    Returns
    -------
    style : dict
        ``{"cmap": POSITIVE_CMAP, "vmin": 0.0, "vmax": top}``.

    Examples
    --------
    >>> positive_style([[0, 3], [1, 2]])
    {'cmap': 'viridis', 'vmin': 0.0, 'vmax': 3.0}
    >>> positive_style(np.zeros(3))["vmax"]
    1.0
    """
    if vmax is None:
        if values is None:
            raise TypeError("positive_style needs `values` or `vmax`")
        vmax = float(np.max(values))
    vmax = float(vmax)
    return {"cmap": POSITIVE_CMAP, "vmin": 0.0, "vmax": vmax if vmax > 0 else 1.0}


def map_style(values, *, percentile=100) -> dict:
    """The style a map gets from its values: :func:`signed_style` if any is negative, else :func:`positive_style`.

    Parameters
    ----------
    values : array_like, any shape
        The map, or several maps drawn on one scale (e.g. a stack of shape (C, H, W)).
    percentile : float, default 100
        For the signed limit, as for :func:`signed_limit`.

    Returns
    -------
    style : dict
        ``imshow`` keywords ``cmap``, ``vmin``, ``vmax``.

    Examples
    --------
    >>> map_style([[-1, 4]])
    {'cmap': 'RdBu_r', 'vmin': -4.0, 'vmax': 4.0}
    >>> map_style([[0, 4]])
    {'cmap': 'viridis', 'vmin': 0.0, 'vmax': 4.0}
    """
    values = np.asarray(values, dtype=np.float64)
    if values.min() < 0:
        return signed_style(values, percentile=percentile)
    return positive_style(values)


def gray_style(vmin=0, vmax=255) -> dict:
    """``imshow`` keywords for an image: ``gray`` on a fixed range, 0 to 255 by default.

    Parameters
    ----------
    vmin, vmax : float or None, default 0 and 255
        The values drawn black and white. A fixed range makes one number always look
        the same (a dark photo stays dark); None stretches the gray over the image's range.

    Returns
    -------
    style : dict
        ``{"cmap": GRAY_CMAP, "vmin": vmin, "vmax": vmax}``.

    Examples
    --------
    >>> gray_style()
    {'cmap': 'gray', 'vmin': 0, 'vmax': 255}
    >>> gray_style(0, 1)["vmax"]
    1
    """
    return {"cmap": GRAY_CMAP, "vmin": vmin, "vmax": vmax}


def _clipped_ends(image) -> str:
    """``extend`` for the colour bar of ``image``: which ends of its values lie beyond its colour limits."""
    data = np.ma.masked_invalid(np.ma.asarray(image.get_array(), dtype=np.float64))
    if data.count() == 0:
        return "neither"
    low, high = image.norm.vmin, image.norm.vmax
    below, above = float(data.min()) < low - 1e-9, float(data.max()) > high + 1e-9
    return {(True, True): "both", (True, False): "min", (False, True): "max"}.get((below, above), "neither")


def add_colorbar(image, ax, *, label=None, shrink=0.8, extend="auto", **kwargs):
    """A colour bar for ``image`` beside ``ax``, with arrows at the ends where colours were clipped.

    Parameters
    ----------
    image : matplotlib.image.AxesImage
        What ``imshow`` returned.
    ax : Axes or sequence of Axes
        The panel(s) the bar belongs to; it is added to their figure (or subfigure).
    label : str, optional
        What the colours measure.
    shrink : float, default 0.8
        Length of the bar relative to the panel.
    extend : {"auto", "neither", "min", "max", "both"}, default "auto"
        ``"auto"``: an arrow at each end beyond which ``image`` holds values (clipped
        to the end colour), none when nothing is clipped.
    **kwargs
        Passed to ``Figure.colorbar`` (e.g. ``aspect``, ``pad``).

    Returns
    -------
    colorbar : matplotlib.colorbar.Colorbar

    Examples
    --------
    >>> fig = Figure()
    >>> ax = fig.add_subplot()
    >>> bar = add_colorbar(ax.imshow([[-3.0, 1.0]], **signed_style(limit=2)), ax, label="value")
    >>> bar.extend, bar.ax.get_ylabel()
    ('min', 'value')
    """
    first = ax if isinstance(ax, Axes) else np.ravel(ax)[0]
    if extend == "auto":
        extend = _clipped_ends(image)
    if label is not None:
        kwargs["label"] = label
    return first.figure.colorbar(image, ax=ax, shrink=shrink, extend=extend, **kwargs)


def as_pixels(image, name="image", layout="any") -> np.ndarray:
    """``image`` as an array of pixels 0-255, checked.

    Parameters
    ----------
    image : array_like, shape (H, W) or (H, W, 3)
    name : str, default "image"
        The argument's name, for messages.
    layout : {"any", "gray", "rgb"}, default "any"
        The shapes accepted: (H, W) for "gray", (H, W, 3) for "rgb", either for "any".

    Returns
    -------
    pixels : ndarray
        ``image`` as an array, its dtype unchanged.

    Raises
    ------
    TypeError, ValueError
        If ``image`` is not numeric, not of that shape, empty, or has values outside 0-255.

    Examples
    --------
    >>> as_pixels(np.zeros((2, 3), dtype=np.uint8), layout="gray").shape
    (2, 3)
    """
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


# ---------------------------------------------------------------- numbers


def format_number(x, decimals=None) -> str:
    """A number as a learner writes it: ``3`` not ``3.0``, ``1.25`` exactly, else 3 significant digits.

    Parameters
    ----------
    x : real number
    decimals : int, optional
        Round to this many decimals first (``decimals=0`` for pixels).

    Returns
    -------
    text : str
        Whole numbers without a decimal point (never ``-0``); numbers with one or two
        decimals exactly; any other to 3 significant digits; ``nan``, ``inf`` as such.

    Examples
    --------
    >>> [format_number(v) for v in (3.0, -0.5, 1.25, 12.25, 1 / 3, -0.0)]
    ['3', '-0.5', '1.25', '12.25', '0.333', '0']
    >>> format_number(127.6, decimals=0)
    '128'
    """
    x = float(x)
    if not np.isfinite(x):
        return str(x)
    if decimals is not None:
        x = round(x, decimals)
    if abs(x) < 1e12:
        if x == round(x):
            return str(int(round(x)))
        if abs(x) >= 0.01 and round(x, 2) == x:
            return f"{x:.2f}".rstrip("0")
    return f"{x:.3g}"


def format_fraction(x, max_denominator=64) -> str:
    """A kernel weight as a learner writes it: a simple fraction (``1/9``) where it is one, else :func:`format_number`.

    Parameters
    ----------
    x : real number
    max_denominator : int, default 64
        The largest denominator written as a fraction.

    Returns
    -------
    text : str

    Examples
    --------
    >>> [format_fraction(v) for v in (1 / 9, -0.5, 2.0, 1 / 16, 0.3)]
    ['1/9', '-1/2', '2', '1/16', '3/10']
    >>> format_fraction(0.123)
    '0.123'
    """
    x = float(x)
    if not np.isfinite(x) or x == round(x):
        return format_number(x)
    fraction = Fraction(x).limit_denominator(max_denominator)
    if abs(float(fraction) - x) < 1e-9:
        return str(fraction)
    return format_number(x)


def ink_on(color) -> str:
    """``"black"`` or ``"white"``: the text colour that reads better on a cell of ``color``.

    Parameters
    ----------
    color : matplotlib color
        E.g. a name, ``(r, g, b)`` or what a colormap returns.

    Returns
    -------
    ink : str
        ``"white"`` on cells darker than mid-gray (luminance ``0.299 R + 0.587 G + 0.114 B < 0.5``).

    Examples
    --------
    >>> ink_on("navy"), ink_on("yellow"), ink_on("0.4"), ink_on("0.6")
    ('white', 'black', 'white', 'black')
    """
    red, green, blue, _ = to_rgba(color)
    return "white" if 0.299 * red + 0.587 * green + 0.114 * blue < 0.5 else "black"


def fit_fontsize(values, size=11.0, formatter=format_number) -> float:
    """A font size at which the longest number of a small grid still fits in its cell.

    Parameters
    ----------
    values : array_like, shape (H, W)
    size : float, default 11
        The size for numbers of up to 3 characters in a grid of up to 3 x 3 cells;
        longer numbers and more cells scale it down in proportion.
    formatter : callable, default :func:`format_number`
        How the numbers will be written.

    Returns
    -------
    fontsize : float

    Examples
    --------
    >>> fit_fontsize(np.ones((3, 3)), 10)
    10.0
    >>> fit_fontsize(np.full((3, 3), 0.125), 10), fit_fontsize(np.ones((6, 6)), 10)
    (6.0, 5.0)
    """
    longest = max(len(formatter(v)) for v in np.ravel(values))
    return float(size) * min(1.0, 3.0 / max(longest, 1)) * min(1.0, 3.0 / max(np.shape(values)))


# ---------------------------------------------------------------- axes


def pixel_axes(
    ax, shape=None, *, first=(0, 0), every=None, corner=False, xlabel="column", ylabel="row", labelsize=None
) -> None:
    """Make ``ax`` read as a picture of pixels: ``column`` across, ``row`` down from row 0 at the top.

    Parameters
    ----------
    ax : Axes
    shape : (H, W), optional
        Fit the axes to H x W cells with square cells; needed for grids drawn from
        patches (``imshow`` already fits the axes to its image).
    first : (row, column), default (0, 0)
        Index of the top-left cell, e.g. of a patch cut out of a larger image.
    every : int, optional
        A tick on every ``every``-th cell, labelled with its index (needs ``shape``);
        0 for no ticks; by default matplotlib chooses whole-number ticks.
    corner : bool, default False
        Cell (r, c) spans ``[c, c + 1] x [r, r + 1]`` (a grid drawn from cell corners),
        rather than being centred on (c, r) as ``imshow`` draws pixels.
    xlabel, ylabel : str or None, default "column" and "row"
        None leaves the label alone.
    labelsize : float, optional
        Font size of the tick labels.

    Examples
    --------
    >>> ax = Figure().add_subplot()
    >>> pixel_axes(ax, (2, 3), every=1)
    >>> ax.get_xlabel(), ax.get_ylabel(), ax.get_xticks().tolist(), [float(y) for y in ax.get_ylim()]
    ('column', 'row', [0.0, 1.0, 2.0], [1.5, -0.5])
    """
    top, left = first
    shift = 0.5 if corner else 0.0
    if shape is not None:
        rows, cols = shape
        ax.set_xlim(left - 0.5 + shift, left + cols - 0.5 + shift)
        ax.set_ylim(top + rows - 0.5 + shift, top - 0.5 + shift)
        ax.set_aspect("equal")
    if every is None:
        if corner:
            raise ValueError("`every` is needed for a grid drawn from cell corners")
        for axis in (ax.xaxis, ax.yaxis):
            axis.set_major_locator(MaxNLocator(nbins="auto", steps=[1, 2, 2.5, 5, 10], integer=True))
    elif every == 0:
        ax.set_xticks([])
        ax.set_yticks([])
    else:
        if shape is None:
            raise ValueError("`every` needs the grid's `shape`")
        for set_ticks, start, count in ((ax.set_xticks, left, cols), (ax.set_yticks, top, rows)):
            index = np.arange(start, start + count, every)
            set_ticks(index + shift, [str(i) for i in index])
    if xlabel is not None:
        ax.set_xlabel(xlabel)
    if ylabel is not None:
        ax.set_ylabel(ylabel)
    if labelsize is not None:
        ax.tick_params(labelsize=labelsize)


def panel(ax=None, *, figsize, dpi=None):
    """The figure and axes a one-panel figure function draws into.

    Parameters
    ----------
    ax : Axes, optional
        Draw into this panel of another figure; the function then returns ``ax.figure``.
    figsize : (width, height)
        Size in inches of the new figure made when ``ax`` is None (constrained layout).
    dpi : float, optional
        Its dots per inch (matplotlib's default if None).

    Returns
    -------
    fig, ax : Figure (or SubFigure) and Axes

    Examples
    --------
    >>> fig, ax = panel(figsize=(4, 3), dpi=100)
    >>> fig.get_size_inches().tolist(), len(fig.axes)
    ([4.0, 3.0], 1)
    >>> panel(ax, figsize=(9, 9))[0] is fig
    True
    """
    if ax is None:
        fig = Figure(figsize=figsize, dpi=dpi, layout="constrained")
        return fig, fig.add_subplot()
    if not isinstance(ax, Axes):
        raise TypeError(f"`ax` must be a matplotlib Axes, got {describe(ax)}")
    return ax.figure, ax


# ---------------------------------------------------------------- the number grid


def number_grid(
    ax,
    values,
    *,
    cmap=SIGNED_CMAP,
    vmin=None,
    vmax=None,
    norm=None,
    formatter=format_number,
    fontsize=None,
    shown=None,
    zero_ink=None,
    lines="0.55",
    every=1,
    first=(0, 0),
    xlabel="column",
    ylabel="row",
    labelsize=8,
    title=None,
    aspect=None,
):
    """Draw a 2-D array as coloured cells with each number written in its cell.

    Parameters
    ----------
    ax : Axes
    values : array_like, shape (H, W)
    cmap : str or None, default :data:`SIGNED_CMAP`
        Colours of the cells; None for plain white cells. With the signed map and no
        limits, the colours are centred on 0 between ``-max|values|`` and ``max|values|``.
    vmin, vmax : float, optional
        Colour limits (e.g. ``**gray_style()``); by default the values' own range.
    norm : matplotlib.colors.Normalize, optional
        Instead of ``vmin`` and ``vmax``, e.g. a square-root scale for counts.
    formatter : callable, default :func:`format_number`
        Number -> text, e.g. :func:`format_fraction`.
    fontsize : float, optional
        Size of the numbers; by default :func:`fit_fontsize` of the values.
    shown : array_like of bool, shape (H, W), optional
        Cells where it is False are left blank (light gray, no number).
    zero_ink : color, optional
        Colour for the number 0 (e.g. a dim gray, so that the other numbers stand out);
        the others are black or white by :func:`ink_on`.
    lines : color or None, default "0.55"
        Colour of the lines between cells; None for none.
    every, first, xlabel, ylabel, labelsize
        The pixel axes, as for :func:`pixel_axes` (``every=0``: no ticks).
    title : str, optional
    aspect : str or float, optional
        As for ``imshow``; square cells by default.

    Returns
    -------
    image : matplotlib.image.AxesImage
        The coloured cells (for a colour bar).

    Examples
    --------
    >>> ax = Figure().add_subplot()
    >>> image = number_grid(ax, [[1, -2]])
    >>> [t.get_text() for t in ax.texts], image.get_clim(), image.get_cmap().name
    (['1', '-2'], (-2.0, 2.0), 'RdBu_r')
    """
    values = np.asarray(values, dtype=np.float64)
    if values.ndim != 2:
        raise ValueError(f"`values` must be 2-D (H, W), got {describe(values)}")
    rows, cols = values.shape
    top, left = first
    if cmap is None:
        colours, norm = ListedColormap(["white"]), Normalize(0.0, 1.0)
    else:
        colours = colormaps[cmap]
        if cmap == SIGNED_CMAP and vmin is None and vmax is None and norm is None:
            vmin, vmax = -signed_limit(values, 100), signed_limit(values, 100)
        norm = Normalize(vmin, vmax) if norm is None else norm
    colours = colours.with_extremes(bad=_BLANK_CELL)
    hidden = None if shown is None else ~np.asarray(shown, dtype=bool)
    extent = (left - 0.5, left + cols - 0.5, top + rows - 0.5, top - 0.5)
    image = ax.imshow(np.ma.masked_array(values, mask=hidden), cmap=colours, norm=norm, extent=extent, aspect=aspect)
    fontsize = fit_fontsize(values, formatter=formatter) if fontsize is None else fontsize
    for (i, j), value in np.ndenumerate(values):
        if hidden is not None and hidden[i, j]:
            continue
        ink = zero_ink if zero_ink is not None and value == 0 else ink_on(colours(norm(value)))
        ax.text(
            left + j,
            top + i,
            formatter(value),
            ha="center",
            va="center",
            fontsize=fontsize,
            color=ink,
            gid="cell-number",
            zorder=4,
        )
    if lines is not None:
        ax.set_xticks(np.arange(cols + 1) + left - 0.5, minor=True)
        ax.set_yticks(np.arange(rows + 1) + top - 0.5, minor=True)
        ax.grid(which="minor", color=lines, linewidth=0.8)
        ax.tick_params(which="minor", length=0)
    pixel_axes(ax, (rows, cols), first=first, every=every, xlabel=xlabel, ylabel=ylabel, labelsize=labelsize)
    if aspect is not None:
        ax.set_aspect(aspect)
    if title is not None:
        ax.set_title(title)
    return image


def opaque_png_as_rgb(png: bytes) -> bytes:
    """An RGBA PNG whose every pixel is opaque, re-encoded as RGB: the same picture, in fewer bytes.

    matplotlib writes RGBA PNGs even for a figure on a white background; the alpha channel, 255
    everywhere, still costs about an eighth of a figure's bytes (measured on the series' stored
    figures: 7.20 MB as RGBA, 6.32 MB as RGB). A PNG that is not RGBA, or has a transparent
    pixel, is returned unchanged.

    >>> from matplotlib.figure import Figure
    >>> fig = Figure(figsize=(2, 1)); _ = fig.subplots().plot([0, 1])
    >>> buffer = io.BytesIO(); fig.savefig(buffer, format="png")
    >>> from PIL import Image
    >>> Image.open(buffer).mode, Image.open(io.BytesIO(opaque_png_as_rgb(buffer.getvalue()))).mode
    ('RGBA', 'RGB')
    """
    from PIL import Image  # matplotlib's own dependency, loaded only when a figure is shown

    image = Image.open(io.BytesIO(png))
    if image.mode != "RGBA" or image.getextrema()[3] != (255, 255):
        return png
    out = io.BytesIO()
    image.convert("RGB").save(out, format="png", pnginfo=_text_chunks(image))
    return out.getvalue()


def _text_chunks(image):
    """The PNG's text chunks (matplotlib writes its version as "Software"), to be written again."""
    from PIL import PngImagePlugin

    info = PngImagePlugin.PngInfo()
    for key, value in getattr(image, "text", {}).items():
        info.add_text(key, value)
    return info
