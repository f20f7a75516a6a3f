"""The picture of the drawing explorer (notebook 09): a digit, every layer's maps of it, and the verdict.

One figure, kept light so it redraws within 100 ms of a stroke: the 28 x 28 digit as the
network sees it (optionally with its saliency on top), the ten class probabilities as bars
with the winner marked, and one row per layer in which all the layer's channels are tiled
into a single picture (:func:`tile_maps`) on one colour scale (signed map for the
convolutions, ``viridis`` from 0 after ReLU and pooling).
"""

from __future__ import annotations

import numpy as np
from matplotlib import colormaps
from matplotlib.figure import Figure

from .._validation import as_float_array, describe
from .features import feature_map_layers
from .style import GRAY_CMAP, map_style

__all__ = ["digit_verdict_figure", "tile_maps", "update_digit_verdict_figure"]

WINNER_COLOR = "tab:orange"
OTHER_COLOR = "0.6"


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
    strip below a free band of ``gap`` pixels for its name. Returns the RGB picture, shape (H, W, 3),
    and for each layer the (column, row) where its name goes.
    """
    strips = []
    for values in layers.values():
        tiled = tile_maps(values[0])
        style = map_style(values[0])
        factor = -(-width // tiled.shape[1])  # enlarged to width or a little more
        tiled = np.kron(tiled, np.ones((factor, factor)))
        scaled = (tiled - style["vmin"]) / (style["vmax"] - style["vmin"])
        rgb = colormaps[style["cmap"]](np.clip(np.nan_to_num(scaled), 0, 1))[..., :3]
        rgb[np.isnan(tiled)] = 1.0
        strips.append(rgb)
    half = -(-len(strips) // 2)
    columns = [strips[:half], strips[half:]]
    side = max(strip.shape[1] for strip in strips)
    height = max(sum(strip.shape[0] + gap for strip in column) for column in columns)
    picture = np.ones((height, 2 * side + between, 3))
    places = []
    for k, column in enumerate(columns):
        left, top = k * (side + between), 0
        for strip in column:
            top += gap
            picture[top : top + strip.shape[0], left : left + strip.shape[1]] = strip
            places.append((left, top - 2))
            top += strip.shape[0]
    return picture, places


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
    for (name, out), (x, y) in zip(layers.items(), places, strict=True):
        strips.text(x, y, f"{name}: {' × '.join(map(str, out.shape[1:]))}", va="bottom", fontsize=8)
    heading = fig.suptitle("", fontsize=10)
    fig.verdict_artists = {
        "digit": seen_image,
        "saliency": heat_image,
        "title": heading,
        "bars": bar_container,
        "maps": strips_image,
        "title_text": title,
    }
    return update_digit_verdict_figure(fig, digit, maps, probabilities, saliency)


def update_digit_verdict_figure(fig, digit, maps, probabilities, saliency=None) -> Figure:
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
    artists = getattr(fig, "verdict_artists", None)
    if artists is None:
        raise TypeError(f"`fig` must be a figure made by digit_verdict_figure, got {describe(fig)}")
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
    return fig
