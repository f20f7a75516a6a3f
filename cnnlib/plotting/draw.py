"""The picture of the drawing explorer (notebook 09): a digit, every layer's maps of it, and the verdict.

One figure, kept light so it redraws within 100 ms of a stroke: the 28 x 28 digit as the
network sees it (optionally with its saliency on top), the ten class probabilities as bars
with the winner marked, and one row per layer in which all the layer's channels are tiled
into a single picture (:func:`tile_maps`) on one colour scale (signed map for the
convolutions, ``viridis`` from 0 after ReLU and pooling).
"""

from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure

from .._validation import as_float_array
from .features import feature_map_layers
from .style import GRAY_CMAP, map_style

__all__ = ["digit_verdict_figure", "tile_maps"]

WINNER_COLOR = "tab:orange"
OTHER_COLOR = "0.6"


def tile_maps(maps, columns=None, gap=1) -> np.ndarray:
    """Channels ``(C, h, w)`` tiled row by row into one picture, separated by ``gap`` pixels of NaN.

    Parameters
    ----------
    maps : ndarray, shape (C, h, w)
    columns : int, optional
        Tiles per row; default ``C`` up to 8, else ``ceil(C / 2)`` up to 16, else 16.
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
    if columns is None:
        columns = channels if channels <= 8 else min(16, -(-channels // 2))
    rows = -(-channels // columns)
    tiled = np.full((rows * (height + gap) - gap, columns * (width + gap) - gap), np.nan)
    for c in range(channels):
        r, k = divmod(c, columns)
        tiled[r * (height + gap) : r * (height + gap) + height, k * (width + gap) : k * (width + gap) + width] = maps[c]
    return tiled


def digit_verdict_figure(digit, maps, probabilities, saliency=None, *, title=None) -> Figure:
    """A 28 x 28 digit, its feature maps at every layer and the network's ten class probabilities.

    Parameters
    ----------
    digit : ndarray, shape (H, W)
        What the network sees, values 0 to 1 (e.g. from :func:`cnnlib.images.to_mnist_digit`).
    maps : dict of str to ndarray of shape (1, C, h, w)
        ``network.layer_outputs(digit[None, None])``; entries that are not 4-D are skipped.
    probabilities : ndarray, shape (K,)
        Softmax of the scores; the largest is the network's answer, drawn in orange.
    saliency : ndarray, shape (H, W), optional
        If given, drawn over the digit (``hot``, transparent where small).
    title : str, optional

    Returns
    -------
    fig : matplotlib.figure.Figure
        Left: the digit above the probability bars; right: one row per layer (name and shape
        at the left), all channels of the layer tiled by :func:`tile_maps` on one scale.

    Examples
    --------
    >>> maps = {"conv1": np.zeros((1, 4, 6, 6)), "dense1": np.zeros((1, 10))}
    >>> fig = digit_verdict_figure(np.eye(8), maps, np.full(10, 0.1))
    >>> [ax.get_ylabel().splitlines()[0] for ax in fig.axes[2:]]
    ['conv1']
    """
    digit = as_float_array(digit, "digit", ndim=2, layout="(H, W)")
    probabilities = as_float_array(probabilities, "probabilities", ndim=1, layout="(K,)")
    layers = feature_map_layers(maps, 1)
    rows = len(layers)
    fig = Figure(figsize=(9.0, max(4.2, 0.85 * rows + 0.6)), dpi=100)
    fig.subplots_adjust(left=0.02, right=0.99, bottom=0.08, top=0.9, wspace=0.25)
    grid = fig.add_gridspec(1, 2, width_ratios=(1, 2.3))
    left = grid[0, 0].subgridspec(2, 1, height_ratios=(1.3, 1), hspace=0.35)

    seen = fig.add_subplot(left[0])
    seen.imshow(digit, cmap=GRAY_CMAP, vmin=0, vmax=1)
    if saliency is not None:
        heat = as_float_array(saliency, "saliency", ndim=2, layout="(H, W)")
        peak = heat.max() if heat.max() > 0 else 1.0
        seen.imshow(np.ma.masked_less(heat / peak, 0.1), cmap="hot", vmin=0, vmax=1, alpha=0.75)
    seen.set(xticks=[], yticks=[])
    seen.set_title("what the network sees" + (" + saliency" if saliency is not None else ""), fontsize=10)

    winner = int(np.argmax(probabilities))
    bars = fig.add_subplot(left[1])
    colors = [WINNER_COLOR if k == winner else OTHER_COLOR for k in range(len(probabilities))]
    bars.bar(np.arange(len(probabilities)), probabilities, color=colors)
    bars.set(ylim=(0, 1.08), xticks=np.arange(len(probabilities)), yticks=[0, 0.5, 1])
    bars.set_xlabel("class", fontsize=9)
    bars.set_ylabel("probability", fontsize=9)
    bars.tick_params(labelsize=8)
    bars.set_title(f"answer: {winner} ({probabilities[winner]:.0%})", fontsize=10, color=WINNER_COLOR)

    right = grid[0, 1].subgridspec(rows, 1, hspace=0.15)
    for row, (name, out) in enumerate(layers.items()):
        values = out[0]
        ax = fig.add_subplot(right[row])
        style = map_style(values)
        ax.imshow(tile_maps(values), interpolation="nearest", **style)
        ax.set(xticks=[], yticks=[])
        ax.set_ylabel(f"{name}\n{' × '.join(map(str, values.shape))}", fontsize=8, rotation=0, ha="right", va="center")
    fig.suptitle(
        title or "the drawing, every layer's maps (all channels, one scale per layer) and the answer", fontsize=11
    )
    return fig
