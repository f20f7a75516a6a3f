"""Figures of notebook 09 (features at each layer): what each layer of a trained CNN makes of an image.

What a face detector relies on (class averages, occlusion) is drawn by :mod:`cnnlib.plotting.faces`.

Colours follow the series' rule (:mod:`cnnlib.plotting.style`): images in gray;
signed numbers (feature maps with negative values, filters, similarities) on the
signed map centred on 0 (white 0, red positive, blue negative); non-negative maps
(after ReLU and max pooling) in ``viridis`` from 0. Within one layer every channel
shares one colour scale, so a weak channel looks weak.
"""

from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

from .._validation import as_float_array, as_int, describe
from ..kernels import as_filter_stack, kernel_similarity
from ..shapes import ReceptiveField
from .style import (
    GRAY_CMAP,
    SIGNED_CMAP,
    add_colorbar,
    map_style,
    number_grid,
    signed_style,
)

__all__ = [
    "as_image_batch",
    "as_image_index",
    "feature_map_layers",
    "channel_maps_figure",
    "filter_match_figure",
    "layer_maps_figure",
    "top_activations_figure",
]


def _signed_im(ax, values):
    """``values`` on the signed map, between -max|values| and max|values|."""
    return ax.imshow(values, **signed_style(values, percentile=100))


def _bare(ax):
    ax.set(xticks=[], yticks=[])


def filter_match_figure(filters, kernels) -> Figure:
    """How much each learned filter looks like each hand-made kernel: their :func:`kernel_similarity`.

    Parameters
    ----------
    filters : ndarray, shape (F, 1, KH, KW) or (F, KH, KW)
    kernels : dict of str to ndarray of shape (KH, KW)

    Returns
    -------
    fig : matplotlib.figure.Figure
        A heat map of shape (F, K), signed from -1 to 1 with each value written in and each
        row's largest |value| in bold; each filter drawn left of its row, each kernel above
        its column (each small picture on its own scale).

    Examples
    --------
    >>> fig = filter_match_figure(np.array([[[1.0, 0, -1]] * 3]), {"Sobel x": np.array([[-1.0, 0, 1]] * 3)})
    >>> [t.get_text() for t in fig.axes[0].texts]
    ['-1.00']
    """
    if not isinstance(kernels, dict) or not kernels:
        raise TypeError(f"`kernels` must be a non-empty dict of name -> (KH, KW) array, got {describe(kernels)}")
    filters = as_filter_stack(filters, "filters")
    similarity = kernel_similarity(filters, kernels)
    n_filters, n_kernels = similarity.shape
    fig = Figure(figsize=(1.15 * n_kernels + 3.2, 0.62 * (n_filters + 1) + 0.9), dpi=100, layout="constrained")
    grid = fig.add_gridspec(n_filters + 1, n_kernels + 1)
    heat = fig.add_subplot(grid[1:, 1:])
    shown = number_grid(
        heat,
        similarity,
        **signed_style(limit=1),
        formatter="{:+.2f}".format,
        fontsize=10,
        lines=None,
        every=0,
        xlabel=None,
        ylabel=None,
        aspect="auto",
    )
    for (f, k), text in zip(np.ndindex(similarity.shape), heat.texts[-similarity.size :], strict=True):
        if k == np.argmax(np.abs(similarity[f])):
            text.set_fontweight("bold")
    for f in range(n_filters):
        ax = fig.add_subplot(grid[f + 1, 0])
        _signed_im(ax, filters[f])
        _bare(ax)
        ax.set_ylabel(f"filter {f}", rotation=0, ha="right", va="center", fontsize=10)
    for k, (name, kernel) in enumerate(kernels.items()):
        ax = fig.add_subplot(grid[0, k + 1])
        _signed_im(ax, np.asarray(kernel, dtype=np.float64))
        _bare(ax)
        ax.set_title(name, fontsize=10)
    add_colorbar(shown, heat, label="cosine similarity (means removed)")
    fig.suptitle(
        "learned filters (rows) against hand-made kernels (columns); best match in bold\n"
        "(each small picture on its own scale: red > 0, blue < 0)",
        fontsize=11,
    )
    return fig


def as_image_batch(images) -> np.ndarray:
    """``images`` as a float array of shape (N, H, W), checked.

    Parameters
    ----------
    images : array_like, shape (N, 1, H, W) or (N, H, W)
        Grayscale images, with or without the channel axis the network uses.

    Returns
    -------
    images : ndarray, shape (N, H, W)

    Examples
    --------
    >>> as_image_batch(np.zeros((5, 1, 28, 28))).shape
    (5, 28, 28)
    """
    images = as_float_array(images, "images", ndim=(3, 4), layout="(N, [1,] H, W)")
    if images.ndim == 4:
        if images.shape[1] != 1:
            raise ValueError(f"`images` must be grayscale, (N, 1, H, W), got shape {images.shape}")
        images = images[:, 0]
    return images


def feature_map_layers(maps, n_images: int) -> dict[str, np.ndarray]:
    """The layers of ``maps`` that hold feature maps, checked to have one map per image.

    Parameters
    ----------
    maps : dict of str to array_like
        Layer name -> output, e.g. from ``network.layer_outputs(images)``.
    n_images : int
        N, the number of images.

    Returns
    -------
    layers : dict of str to ndarray of shape (N, C, h, w)
        The 4-D entries, in order; the others (flatten, dense) are left out.

    Examples
    --------
    >>> list(feature_map_layers({"conv1": np.zeros((2, 4, 6, 6)), "dense1": np.zeros((2, 10))}, 2))
    ['conv1']
    """
    if not isinstance(maps, dict):
        raise TypeError(f"`maps` must be a dict of layer name -> (N, C, h, w) array, got {describe(maps)}")
    kept = {name: np.asarray(out) for name, out in maps.items() if np.ndim(out) == 4}
    if not kept:
        raise ValueError("`maps` must hold at least one (N, C, h, w) array of feature maps, got none")
    for name, out in kept.items():
        if out.shape[0] != n_images:
            raise ValueError(f"`maps[{name!r}]` must have one map per image (N={n_images}), got shape {out.shape}")
    return kept


def as_image_index(index, n: int) -> int:
    """``index`` as an int from 0 to ``n - 1``: which of ``n`` images.

    Raises
    ------
    TypeError, ValueError
        With a message naming `index`, if it is not a whole number in that range.

    Examples
    --------
    >>> as_image_index(2, 3)
    2
    """
    index = as_int(index, "index", minimum=0)
    if index >= n:
        raise ValueError(f"`index` must be below the number of images, {n}, got {index}")
    return index


def layer_maps_figure(images, maps, index=0, *, title=None) -> Figure:
    """Image ``index`` and its feature maps at every layer: a row per layer, a column per channel.

    Parameters
    ----------
    images : ndarray, shape (N, 1, H, W) or (N, H, W)
    maps : dict of str to ndarray of shape (N, C, h, w)
        E.g. from ``network.layer_outputs(images)``; entries that are not 4-D (flatten, dense) are skipped.
    index : int, default 0
        Which image.
    title : str, optional

    Returns
    -------
    fig : matplotlib.figure.Figure
        Row 0 the input (gray), then a row per layer with one colour scale and bar: the signed
        map centred on 0 if the row has negative values, else ``viridis`` from 0.

    Examples
    --------
    >>> fig = layer_maps_figure(np.zeros((1, 8, 8)), {"conv1": np.ones((1, 2, 6, 6))})
    >>> sum(ax.get_label() == "<colorbar>" for ax in fig.axes), fig.axes[2].get_ylabel().splitlines()
    (1, ['conv1', '2 × 6 × 6'])
    """
    images = as_image_batch(images)
    layers = feature_map_layers(maps, len(images))
    index = as_image_index(index, len(images))
    columns = max(out.shape[1] for out in layers.values())
    fig = Figure(
        figsize=(max(7.0, 0.78 * columns + 1.8), 1.05 * (len(layers) + 1) + 0.5), dpi=100, layout="constrained"
    )
    axes = fig.subplots(len(layers) + 1, columns, squeeze=False)
    for ax in axes.ravel():
        _bare(ax)
        ax.set_frame_on(False)
    axes[0, 0].imshow(images[index], cmap=GRAY_CMAP)
    axes[0, 0].set_frame_on(True)
    axes[0, 0].set_ylabel(f"input\n{images.shape[1]} × {images.shape[2]}", fontsize=9)
    for row, (name, out) in enumerate(layers.items(), start=1):
        values = out[index]
        style = map_style(values)
        for c in range(values.shape[0]):
            shown = axes[row, c].imshow(values[c], **style)
            axes[row, c].set_frame_on(True)
            axes[row, c].set_title(str(c), fontsize=7, pad=2)
        axes[row, 0].set_ylabel(f"{name}\n{values.shape[0]} × {values.shape[1]} × {values.shape[2]}", fontsize=9)
        bar = add_colorbar(shown, axes[row, :], shrink=0.9, aspect=8, pad=0.01)
        bar.ax.tick_params(labelsize=7)
    fig.suptitle(
        title or f"image {index} and its feature maps at every layer (channel number above each map)", fontsize=12
    )
    return fig


def channel_maps_figure(images, maps, index=0, layer=None, *, title=None) -> Figure:
    """Image ``index`` and the maps of one layer, larger: the explorer's picture.

    Parameters
    ----------
    images, maps, index, title
        As for :func:`layer_maps_figure`.
    layer : str, optional
        A key of ``maps``; default the first layer of feature maps.

    Returns
    -------
    fig : matplotlib.figure.Figure
        The input (gray) on the left, the C maps of shape (h, w) in rows of up to 8 on one
        colour scale (signed, centred on 0, if any is negative, else ``viridis``), one colour bar.

    Examples
    --------
    >>> fig = channel_maps_figure(np.zeros((1, 8, 8)), {"relu1": np.ones((1, 3, 6, 6))})
    >>> fig.get_suptitle()
    'image 0 after relu1: 3 maps of 6 × 6'
    """
    images = as_image_batch(images)
    layers = feature_map_layers(maps, len(images))
    index = as_image_index(index, len(images))
    layer = next(iter(layers)) if layer is None else layer
    if layer not in layers:
        raise ValueError(f"`layer` must be one of {list(layers)}, got {layer!r}")
    values = layers[layer][index]
    n_maps = values.shape[0]
    columns = min(n_maps, 8)
    rows = -(-n_maps // columns)
    fig = Figure(figsize=(11.5, 1.55 * rows + 1.3), dpi=90, layout="constrained")
    left, right = fig.subfigures(1, 2, width_ratios=[1.6, columns + 0.8])
    ax = left.subplots()
    ax.imshow(images[index], cmap=GRAY_CMAP)
    ax.set_title(f"input, {images.shape[1]} × {images.shape[2]}", fontsize=10)
    _bare(ax)
    axes = right.subplots(rows, columns, squeeze=False)
    style = map_style(values)
    for c, ax in enumerate(axes.ravel()):
        _bare(ax)
        if c < n_maps:
            shown = ax.imshow(values[c], **style)
            ax.set_title(f"channel {c}", fontsize=9)
        else:
            ax.set_axis_off()
    kind = "signed: red > 0, blue < 0" if style["cmap"] == SIGNED_CMAP else "0 or more"
    add_colorbar(shown, axes, label=f"value ({kind})", shrink=0.9)
    fig.suptitle(
        title or f"image {index} after {layer}: {n_maps} maps of {values.shape[1]} × {values.shape[2]}", fontsize=12
    )
    return fig


def top_activations_figure(images, layer_maps, channels, *, field, k=6, average_of=25) -> Figure:
    """For each channel, the images that make it fire most, with the patch its strongest unit sees.

    Parameters
    ----------
    images : ndarray, shape (N, 1, H, W) or (N, H, W)
    layer_maps : ndarray, shape (N, C, h, w)
        One layer's maps of those images; an image's score for channel c is ``layer_maps[n, c].max()``.
    channels : sequence of int
        Which channels, one row each.
    field : ReceptiveField
        Of that layer (``network.receptive_field(n_layers)``): the outlined patch and the averaged patches.
    k : int, default 6
        Images per row, the strongest first (ties: the lower index first).
    average_of : int, default 25
        The first column shows the mean of the patches seen at the top ``average_of`` images.

    Returns
    -------
    fig : matplotlib.figure.Figure
        A row per channel: the average patch, then the top k images, each with the field of its
        strongest unit outlined and its score in the title.

    Examples
    --------
    >>> maps = np.zeros((3, 1, 2, 2)); maps[2, 0, 1, 1] = 5.0
    >>> fig = top_activations_figure(np.zeros((3, 4, 4)), maps, [0], field=(2, 2), k=2)
    >>> [ax.get_title() for ax in fig.axes]
    ['mean of top 3', '#2: 5.00', '#0: 0.00']
    """
    images = as_image_batch(images)
    layer_maps = as_float_array(layer_maps, "layer_maps", ndim=4, layout="(N, C, h, w)")
    if layer_maps.shape[0] != len(images):
        raise ValueError(f"`layer_maps` must have one map per image (N={len(images)}), got shape {layer_maps.shape}")
    channels = [as_int(c, "channels", minimum=0) for c in channels]
    if not channels or max(channels) >= layer_maps.shape[1]:
        raise ValueError(f"`channels` must be a non-empty list of channels below {layer_maps.shape[1]}, got {channels}")
    k, average_of = as_int(k, "k", minimum=1), as_int(average_of, "average_of", minimum=1)
    size, step = ReceptiveField(*field)
    fig = Figure(figsize=(1.45 * (k + 1) + 0.6, 1.55 * len(channels) + 0.7), dpi=90, layout="constrained")
    axes = fig.subplots(len(channels), k + 1, squeeze=False)
    n, _, h, w = layer_maps.shape
    for row, c in zip(axes, channels, strict=True):
        flat = layer_maps[:, c].reshape(n, -1)
        scores = flat.max(axis=1)
        order = np.argsort(-scores, kind="stable")
        where = np.argmax(flat, axis=1)
        patches = []
        for image in order[:average_of]:
            i, j = divmod(int(where[image]), w)
            patches.append(images[image, step * i : step * i + size, step * j : step * j + size])
        row[0].imshow(np.mean(patches, axis=0), cmap=GRAY_CMAP)
        row[0].set_title(f"mean of top {len(patches)}", fontsize=8)
        row[0].set_ylabel(f"channel {c}", fontsize=10)
        for ax, image in zip(row[1:], order[:k], strict=False):
            i, j = divmod(int(where[image]), w)
            ax.imshow(images[image], cmap=GRAY_CMAP)
            ax.add_patch(Rectangle((step * j - 0.5, step * i - 0.5), size, size, fill=False, ec="tab:orange", lw=2))
            ax.set_title(f"#{image}: {scores[image]:.2f}", fontsize=8)
        for ax in row:
            _bare(ax)
    fig.suptitle(
        f"what each channel responds to most ({size} × {size} patch outlined: what its strongest unit sees)",
        fontsize=11,
    )
    return fig
