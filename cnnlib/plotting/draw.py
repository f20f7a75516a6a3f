"""The picture of the drawing explorer (notebook 09): a digit, every layer's maps of it, and the verdict.

One figure, kept light so it redraws within 100 ms of a stroke: the 28 x 28 digit as the
network sees it (optionally with its saliency on top), the ten class probabilities as bars
with the winner marked, and one row per layer in which all the layer's channels are tiled
into a single picture (:func:`tile_maps`) on one colour scale (signed map for the
convolutions, ``viridis`` from 0 after ReLU and pooling).

One unit of one map can be selected (:class:`SelectedUnit`; :func:`unit_at` finds the unit
under a point of the maps): it is outlined in its map, its receptive field is outlined on
the digit, and the filter that made its channel is drawn below the first column of maps.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
from matplotlib import colormaps, patheffects
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

from .._validation import as_float_array, describe
from .features import feature_map_layers
from .receptive_field import FIELD_COLOR
from .style import GRAY_CMAP, map_style

__all__ = ["SelectedUnit", "digit_verdict_figure", "tile_maps", "unit_at", "update_digit_verdict_figure"]

WINNER_COLOR = "tab:orange"
OTHER_COLOR = "0.6"
UNIT_COLOR = "red"
FILTER_ROOM = 64
"""Picture pixels kept free below the shorter column of maps for a selected unit's filter (and its title)."""


class SelectedUnit(NamedTuple):
    """One unit of one feature map, as the drawing explorer shows it when it is clicked.

    Attributes
    ----------
    layer : str
        The layer's name in ``maps`` (e.g. ``"relu2"``).
    channel, row, col : int
        The unit: channel, row and column in the layer's (C, h, w) output.
    field : (int, int, int, int)
        Its receptive field on the digit: ``top, bottom, left, right``, both ends included
        (as :func:`cnnlib.plotting.field_square` gives).
    filters : ndarray, shape (C_in, KH, KW)
        The weights of the convolution filter that made the channel (for a ReLU or pooling
        layer, the filter of the convolution before it): one slice per input channel.
    filter_name : str
        Its title, e.g. ``"conv2 filter 7"``.
    """

    layer: str
    channel: int
    row: int
    col: int
    field: tuple[int, int, int, int]
    filters: np.ndarray
    filter_name: str


class _Strip(NamedTuple):
    """Where one layer's tiled maps lie in the picture of :func:`_layer_strips` (pixels)."""

    name: str
    left: int
    top: int
    right: int  # one past the last column
    bottom: int  # one past the last row
    factor: int
    channels: int
    height: int
    width: int
    columns: int


def tile_maps(maps, columns=None, gap=1) -> np.ndarray:
    """Channels ``(C, h, w)`` tiled row by row into one picture, separated by ``gap`` pixels of NaN.

    Parameters
    ----------
    maps : ndarray, shape (C, h, w)
    columns : int, optional
        Tiles per row; default ``min(C, 8)``.
    gap : int, default 1

    Returns
    -------
    tiled : ndarray, shape (R * (h + gap) - gap, K * (w + gap) - gap) with K columns and R = ceil(C / K) rows
        NaN (drawn as the background) between the tiles and in unused cells.

    Examples
    --------
    >>> tile_maps(np.ones((16, 3, 3))).shape   # 2 rows of 8
    (7, 31)
    """
    maps = as_float_array(maps, "maps", ndim=3, layout="(C, h, w)")
    channels, height, width = maps.shape
    columns = min(channels, 8) if columns is None else columns
    rows = -(-channels // columns)
    tiled = np.full((rows * (height + gap) - gap, columns * (width + gap) - gap), np.nan)
    for c in range(channels):
        r, k = divmod(c, columns)
        tiled[r * (height + gap) : r * (height + gap) + height, k * (width + gap) : k * (width + gap) + width] = maps[c]
    return tiled


def _layer_strips(layers, width=150, gap=14, between=12):
    """Every layer's tiled maps in colour (each on its own scale), enlarged to about ``width`` pixels.

    The strips are stacked in two columns, the first half of the layers left, the rest right, each
    strip below a free band of ``gap`` pixels for its name; below the shorter column at least
    ``FILTER_ROOM`` pixels stay free for a selected unit's filter. Returns the RGB picture, shape
    (H, W, 3), and for each layer a :class:`_Strip`: where its maps lie (its name goes just above ``top``).
    """
    strips, shapes = [], []
    for values in layers.values():
        tiled = tile_maps(values[0])
        style = map_style(values[0])
        factor = -(-width // tiled.shape[1])  # enlarged to width or a little more
        tiled = np.kron(tiled, np.ones((factor, factor)))
        scaled = (tiled - style["vmin"]) / (style["vmax"] - style["vmin"])
        rgb = colormaps[style["cmap"]](np.clip(np.nan_to_num(scaled), 0, 1))[..., :3]
        rgb[np.isnan(tiled)] = 1.0
        strips.append(rgb)
        shapes.append((factor, *values.shape[1:], min(values.shape[1], 8)))
    half = -(-len(strips) // 2)
    side = max(strip.shape[1] for strip in strips)
    heights = [sum(strip.shape[0] + gap for strip in column) for column in (strips[:half], strips[half:]) if column]
    height = max(max(heights), min(heights) + FILTER_ROOM)
    picture = np.ones((height, 2 * side + between, 3))
    places, top = [], 0
    for k, (name, strip, shape) in enumerate(zip(layers, strips, shapes, strict=True)):
        top = 0 if k in (0, half) else top
        left = 0 if k < half else side + between
        top += gap
        picture[top : top + strip.shape[0], left : left + strip.shape[1]] = strip
        places.append(_Strip(name, left, top, left + strip.shape[1], top + strip.shape[0], *shape))
        top += strip.shape[0]
    return picture, places


def unit_at(fig, x, y) -> tuple[str, int, int, int] | None:
    """The unit drawn at point (x, y) of the maps of a :func:`digit_verdict_figure`, or None.

    Parameters
    ----------
    fig : matplotlib.figure.Figure
        Made by :func:`digit_verdict_figure`.
    x, y : float
        A point in the data coordinates of the maps' axes (``fig.verdict_artists["maps"].axes``):
        pixels of the maps' picture, column and row.

    Returns
    -------
    unit : (layer, channel, row, col) or None
        None for a point between the tiles, on a name or outside the maps.

    Examples
    --------
    >>> maps = {"conv1": np.zeros((1, 4, 6, 6))}
    >>> fig = digit_verdict_figure(np.eye(8), maps, np.full(10, 0.1))
    >>> # each unit drawn 6 x 6; the strip starts at row 14, channel 1's tile at column (6 + 1) * 6
    >>> unit_at(fig, 42 + 6 * 1 + 2, 14 + 6 * 2 + 2)
    ('conv1', 1, 2, 1)
    >>> unit_at(fig, 42 + 6 * 1 + 2, 0) is None          # above the strip, where its name is
    True
    """
    places = _verdict_artists(fig)["places"]
    col, row = int(np.floor(x + 0.5)), int(np.floor(y + 0.5))  # imshow: pixel k spans k - 0.5 to k + 0.5
    for place in places:
        row_in, col_in = row - place.top, col - place.left
        if row_in < 0 or col_in < 0:
            continue
        (tile_row, i), (tile_col, j) = (
            divmod(v // place.factor, n + 1) for v, n in ((row_in, place.height), (col_in, place.width))
        )
        channel = tile_row * place.columns + tile_col
        if i < place.height and j < place.width and tile_col < place.columns and channel < place.channels:
            return place.name, channel, i, j
    return None


def digit_verdict_figure(digit, maps, probabilities, saliency=None, *, title=None) -> Figure:
    """A 28 x 28 digit, its feature maps at every layer and the network's ten class probabilities.

    Drawn in three panels, so that it redraws within the drawing explorer's 100 ms.

    Parameters
    ----------
    digit : ndarray, shape (H, W)
        What the network sees, values 0 to 1 (e.g. from :func:`cnnlib.images.to_mnist_digit`).
    maps : dict of str to ndarray of shape (1, C, h, w)
        ``network.layer_outputs(digit[None, None])``; entries that are not 4-D are skipped.
    probabilities : ndarray, shape (K,)
        Softmax of the scores; the largest is the network's answer, its bar orange, named in the title.
    saliency : ndarray, shape (H, W), optional
        If given, drawn over the digit (``hot``, transparent where below a tenth of its largest value).
    title : str, optional
        Default: "the network reads <answer> (<probability>)". Titles are kept short: every glyph
        costs time in a redraw.

    Returns
    -------
    fig : matplotlib.figure.Figure
        Left: the digit above the probability bars; right: one strip per layer (in two columns),
        named with its shape, all channels of the layer tiled by :func:`tile_maps` (8 to a row) on
        the layer's own scale (signed map if it has negative values, else ``viridis`` from 0),
        enlarged to a common width.

    Examples
    --------
    >>> maps = {"conv1": np.zeros((1, 4, 6, 6)), "dense1": np.zeros((1, 10))}
    >>> fig = digit_verdict_figure(np.eye(8), maps, np.full(10, 0.1))
    >>> [t.get_text() for t in fig.axes[2].texts]
    ['conv1: 4 × 6 × 6']
    """
    digit = as_float_array(digit, "digit", ndim=2, layout="(H, W)")
    probabilities = as_float_array(probabilities, "probabilities", ndim=1, layout="(K,)")
    layers = feature_map_layers(maps, 1)
    fig = Figure(figsize=(6.8, 3.8), dpi=100)
    seen = fig.add_axes((0.02, 0.42, 0.27, 0.46))
    seen_image = seen.imshow(digit, cmap=GRAY_CMAP, vmin=0, vmax=1, interpolation="nearest")
    nothing = np.ma.masked_array(np.zeros(digit.shape), mask=True)
    heat_image = seen.imshow(nothing, cmap="hot", vmin=0, vmax=1, alpha=0.75, interpolation="nearest")
    seen.set(xticks=[], yticks=[])

    bars = fig.add_axes((0.03, 0.1, 0.26, 0.25))
    bar_container = bars.bar(np.arange(len(probabilities)), probabilities, color=OTHER_COLOR)
    bars.set(ylim=(0, 1.08), xticks=np.arange(len(probabilities)), yticks=[])
    bars.set_xlabel("class: probability 0 to 1", fontsize=8)
    bars.tick_params(labelsize=8, length=2)

    picture, places = _layer_strips(layers)
    strips = fig.add_axes((0.32, 0.01, 0.67, 0.87))
    strips_image = strips.imshow(picture, interpolation="nearest")
    strips.set_axis_off()
    for place in places:
        shape = " × ".join(map(str, layers[place.name].shape[1:]))
        strips.text(place.left, place.top - 2, f"{place.name}: {shape}", va="bottom", fontsize=8)
    heading = fig.suptitle("", fontsize=10)
    fig.verdict_artists = {
        "digit": seen_image,
        "saliency": heat_image,
        "title": heading,
        "bars": bar_container,
        "maps": strips_image,
        "title_text": title,
        "places": places,
        "field": seen.add_patch(_outline((0, 0), 1, FIELD_COLOR, 2.0, "receptive-field")),
        "unit": strips.add_patch(_outline((0, 0), 1, UNIT_COLOR, 1.5, "unit")),
        "filter": _filter_axes(fig, strips, picture.shape, places),
    }
    return update_digit_verdict_figure(fig, digit, maps, probabilities, saliency)


def _outline(corner, side, color, width, gid) -> Rectangle:
    """A hidden square outline, shown and moved when a unit is selected.

    Edged in black, so that it stands out on the gray digit and on the saliency's reds and yellows
    alike; never cut off at the edge of its panel (a unit of the last row or column), and kept out of
    the figure's layout, so that the figure's extent (and its PNG's crop) stays the same wherever it is.
    """
    return Rectangle(
        corner,
        side,
        side,
        fill=False,
        edgecolor=color,
        linewidth=width,
        gid=gid,
        visible=False,
        clip_on=False,
        in_layout=False,
        path_effects=[patheffects.withStroke(linewidth=width + 1.5, foreground="black")],
    )


def _filter_axes(fig, strips, shape, places):
    """The hidden axes for a selected unit's filter: in the free space below the shorter column of maps."""
    strips.apply_aspect()  # where the picture really lies in the figure (it keeps its aspect ratio)
    box = strips.get_position()
    height, width = shape[:2]
    half = -(-len(places) // 2)
    columns = [column for column in (places[:half], places[half:]) if column]
    column = min(columns, key=lambda column: max(place.bottom for place in column))
    free_top = max(place.bottom for place in column) + 24  # room for the title above (FILTER_ROOM is 64)
    left, right = min(place.left for place in column), max(place.right for place in column)
    axes = fig.add_axes(
        (
            box.x0 + box.width * left / width,
            box.y0 + 0.01,
            box.width * (right - left) / width,
            box.height * (height - free_top) / height - 0.01,
        )
    )
    axes.imshow(np.zeros((1, 1)), interpolation="nearest")
    axes.set(xticks=[], yticks=[])
    axes.set_title("", fontsize=8)
    axes.set_visible(False)
    return axes


def _verdict_artists(fig) -> dict:
    """What :func:`digit_verdict_figure` keeps to update its figure; a TypeError for another figure."""
    artists = getattr(fig, "verdict_artists", None)
    if artists is None:
        raise TypeError(f"`fig` must be a figure made by digit_verdict_figure, got {describe(fig)}")
    return artists


def update_digit_verdict_figure(fig, digit, maps, probabilities, saliency=None, unit=None) -> Figure:
    """Show another digit in a figure made by :func:`digit_verdict_figure`, in place.

    The result draws exactly as a new ``digit_verdict_figure`` of the same arguments, but
    skips building the panels again, which is most of the time of a redraw. The layers must
    have the shapes the figure was made for, and there must be as many probabilities.

    Parameters
    ----------
    fig : matplotlib.figure.Figure
        Made by :func:`digit_verdict_figure`.
    digit, maps, probabilities, saliency
        As for :func:`digit_verdict_figure`.

    Returns
    -------
    fig : matplotlib.figure.Figure
        The same figure, updated.

    Examples
    --------
    >>> maps = {"conv1": np.zeros((1, 4, 6, 6))}
    >>> fig = digit_verdict_figure(np.eye(8), maps, np.full(10, 0.1))
    >>> probabilities = np.eye(10)[3]
    >>> update_digit_verdict_figure(fig, np.eye(8), maps, probabilities)._suptitle.get_text()
    'the network reads 3 (100%)'
    """
    artists = _verdict_artists(fig)
    digit = as_float_array(digit, "digit", ndim=2, layout="(H, W)")
    probabilities = as_float_array(probabilities, "probabilities", ndim=1, layout="(K,)")
    picture, _ = _layer_strips(feature_map_layers(maps, 1))
    if picture.shape != artists["maps"].get_array().shape:
        raise ValueError("`maps` must have the layer shapes the figure was made for; make a new figure")
    if len(probabilities) != len(artists["bars"]):
        raise ValueError(f"`probabilities` must have {len(artists['bars'])} classes, got {len(probabilities)}")
    if digit.shape != artists["digit"].get_array().shape:
        raise ValueError(f"`digit` must have shape {artists['digit'].get_array().shape}, got {digit.shape}")

    artists["digit"].set_data(digit)
    if saliency is None:
        artists["saliency"].set_visible(False)
    else:
        heat = as_float_array(saliency, "saliency", ndim=2, layout="(H, W)")
        peak = heat.max() if heat.max() > 0 else 1.0
        artists["saliency"].set_data(np.ma.masked_less(heat / peak, 0.1))
        artists["saliency"].set_visible(True)

    winner = int(np.argmax(probabilities))
    for k, (bar, p) in enumerate(zip(artists["bars"], probabilities, strict=True)):
        bar.set_height(p)
        bar.set_facecolor(WINNER_COLOR if k == winner else OTHER_COLOR)
    heading = f"the network reads {winner} ({probabilities[winner]:.0%})" + (
        ", saliency on" if saliency is not None else ""
    )
    artists["title"].set_text(artists["title_text"] or heading)
    artists["maps"].set_data(picture)
    _show_unit(artists, unit)
    return fig


def _show_unit(artists, unit) -> None:
    """Outline ``unit`` (a :class:`SelectedUnit`, or None for none) and its field, and draw its filter."""
    for name in ("field", "unit", "filter"):
        artists[name].set_visible(unit is not None)
    if unit is None:
        return
    place = next((place for place in artists["places"] if place.name == unit.layer), None)
    if place is None:
        raise ValueError(
            f"`unit` must be in one of the layers {[p.name for p in artists['places']]}, got {unit.layer!r}"
        )
    if not (0 <= unit.channel < place.channels and 0 <= unit.row < place.height and 0 <= unit.col < place.width):
        raise ValueError(
            f"`unit` must lie in {unit.layer}'s {place.channels} x {place.height} x {place.width} maps, "
            f"got channel {unit.channel}, row {unit.row}, column {unit.col}"
        )
    top, bottom, left, right = unit.field
    artists["field"].set_bounds(left - 0.5, top - 0.5, right - left + 1, bottom - top + 1)
    tile_row, tile_col = divmod(unit.channel, place.columns)
    y = place.top + (tile_row * (place.height + 1) + unit.row) * place.factor
    x = place.left + (tile_col * (place.width + 1) + unit.col) * place.factor
    margin = 2  # a unit may be a single pixel: the outline goes round it, a little wider
    artists["unit"].set_bounds(x - 0.5 - margin, y - 0.5 - margin, place.factor + 2 * margin, place.factor + 2 * margin)
    filters = as_float_array(unit.filters, "unit.filters", ndim=3, layout="(C_in, KH, KW)")
    tiled = tile_maps(filters)
    axes = artists["filter"]
    image = axes.images[0]
    style = map_style(filters)
    image.set_data(tiled)
    image.set_cmap(style["cmap"])
    image.set_clim(style["vmin"], style["vmax"])
    image.set_extent((-0.5, tiled.shape[1] - 0.5, tiled.shape[0] - 0.5, -0.5))
    axes.set_title(f"{unit.filter_name}: {' × '.join(map(str, filters.shape))}", fontsize=8)
