"""Figures of notebook 09 (features at each layer): what each layer of a trained CNN makes of an image.

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
    gray_style,
    map_style,
    number_grid,
    positive_style,
    signed_style,
)

__all__ = [
    "as_image_batch",
    "as_image_index",
    "feature_map_layers",
    "channel_maps_figure",
    "class_means_figure",
    "face_samples_figure",
    "filter_match_figure",
    "layer_maps_figure",
    "occlusion_figure",
    "top_activations_figure",
]

def _signed_im(ax, values):
    """``values`` on the signed map, between -max|values| and max|values|."""
    return ax.imshow(values, **signed_style(values, percentile=100))


def _bare(ax):
    ax.set(xticks=[], yticks=[])


def filter_match_figure(filters, kernels) -> Figure:
    """The :func:`kernel_similarity` of ``filters`` (F, [1,] KH, KW) with ``kernels`` (dict of name -> (KH, KW)).

    A heat map (signed, -1 to 1) with each value written in, each row's largest |value| in bold;
    each filter drawn left of its row and each kernel above its column.
    """
    if not isinstance(kernels, dict) or not kernels:
        raise TypeError(f"`kernels` must be a non-empty dict of name -> (KH, KW) array, got {describe(kernels)}")
    filters = as_filter_stack(filters, "filters")
    similarity = kernel_similarity(filters, kernels)
    n_filters, n_kernels = similarity.shape
    fig = Figure(figsize=(1.15 * n_kernels + 3.2, 0.62 * (n_filters + 1) + 0.9), dpi=100, layout="constrained")
    grid = fig.add_gridspec(n_filters + 1, n_kernels + 1)
    heat = fig.add_subplot(grid[1:, 1:])
    shown = number_grid(heat, similarity, **signed_style(limit=1), formatter="{:+.2f}".format, fontsize=10,
                        lines=None, every=0, xlabel=None, ylabel=None, aspect="auto")
    for (f, k), text in zip(np.ndindex(similarity.shape), heat.texts[-similarity.size:], strict=True):
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
    fig.suptitle("learned filters (rows) against hand-made kernels (columns); best match in bold\n"
                 "(each small picture on its own scale: red > 0, blue < 0)", fontsize=11)
    return fig


def as_image_batch(images) -> np.ndarray:
    """``images`` of shape (N, 1, H, W) or (N, H, W) as a float array of shape (N, H, W)."""
    images = as_float_array(images, "images", ndim=(3, 4), layout="(N, [1,] H, W)")
    if images.ndim == 4:
        if images.shape[1] != 1:
            raise ValueError(f"`images` must be grayscale, (N, 1, H, W), got shape {images.shape}")
        images = images[:, 0]
    return images


def feature_map_layers(maps, n_images: int) -> dict[str, np.ndarray]:
    """The 4-D entries (N, C, h, w) of ``maps``, checked to have one row per image."""
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
    """``index`` as an int in ``0 .. n - 1`` (which of n images), or a message naming `index`."""
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

    Returns
    -------
    fig : matplotlib.figure.Figure
        Row 0 the input (gray), then a row per layer with one colour scale and bar: the signed
        map centred on 0 if the row has negative values, else ``viridis`` from 0.
    """
    images = as_image_batch(images)
    layers = feature_map_layers(maps, len(images))
    index = as_image_index(index, len(images))
    columns = max(out.shape[1] for out in layers.values())
    fig = Figure(figsize=(max(7.0, 0.78 * columns + 1.8), 1.05 * (len(layers) + 1) + 0.5), dpi=100,
                 layout="constrained")
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
    fig.suptitle(title or f"image {index} and its feature maps at every layer (channel number above each map)",
                 fontsize=12)
    return fig


def channel_maps_figure(images, maps, index=0, layer=None, *, title=None) -> Figure:
    """Image ``index`` and the maps of one ``layer`` (default: the first), larger: the explorer's picture.

    ``images`` and ``maps`` as for :func:`layer_maps_figure`. The input (gray) on the left, the C maps
    in rows of up to 8 on one colour scale (signed, centred on 0, if any is negative, else ``viridis``).
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
    fig.suptitle(title or f"image {index} after {layer}: {n_maps} maps of {values.shape[1]} × {values.shape[2]}",
                 fontsize=12)
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
    k : int
        Images per row, the strongest first (ties: the lower index first).
    average_of : int
        The first column shows the mean of the patches seen at the top ``average_of`` images.

    Returns
    -------
    fig : matplotlib.figure.Figure
        A row per channel: the average patch, then the top k images, each with the field of its
        strongest unit outlined and its score in the title.
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
    fig.suptitle(f"what each channel responds to most ({size} × {size} patch outlined: what its strongest unit sees)",
                 fontsize=11)
    return fig


def face_samples_figure(images, labels, *, per_class=8, class_names=("non-face", "face")) -> Figure:
    """The first ``per_class`` images (N, [1,] H, W) of each class, a row per class, the last class first.

    ``labels`` (N,) are indexes into ``class_names``.
    """
    images = as_image_batch(images)
    labels = np.asarray(labels)
    if labels.shape != (len(images),):
        raise ValueError(f"`labels` must have shape ({len(images)},), one per image, got {describe(labels)}")
    per_class = as_int(per_class, "per_class", minimum=1)
    order = list(range(len(class_names)))[::-1]
    fig = Figure(figsize=(1.2 * per_class + 1.0, 1.35 * len(order) + 0.5), dpi=100, layout="constrained")
    axes = fig.subplots(len(order), per_class, squeeze=False)
    for row, label in zip(axes, order, strict=True):
        chosen = np.flatnonzero(labels == label)[:per_class]
        for ax, n in zip(row, chosen, strict=False):
            ax.imshow(images[n], **gray_style(0, max(float(images.max()), 1.0)))
        for ax in row:
            _bare(ax)
        row[0].set_ylabel(class_names[label], fontsize=10)
    fig.suptitle(f"{len(images)} images of {images.shape[1]} × {images.shape[2]} pixels: a few of each class",
                 fontsize=11)
    return fig


def class_means_figure(images, labels, *, class_names=("non-face", "face")) -> Figure:
    """The average image (N, [1,] H, W) of class 1, of class 0 (``labels`` (N,)), and their difference."""
    images = as_image_batch(images)
    labels = np.asarray(labels)
    if labels.shape != (len(images),) or not (np.any(labels == 0) and np.any(labels == 1)):
        raise ValueError(f"`labels` must have shape ({len(images)},) and hold both 0 and 1, got {describe(labels)}")
    means = [images[labels == 1].mean(axis=0), images[labels == 0].mean(axis=0)]
    fig = Figure(figsize=(10, 3.6), dpi=100, layout="constrained")
    axes = fig.subplots(1, 3)
    low, high = min(float(m.min()) for m in means), max(float(m.max()) for m in means)
    for ax, mean, name in zip(axes[:2], means, class_names[::-1], strict=True):
        shown = ax.imshow(mean, cmap=GRAY_CMAP, vmin=low, vmax=high)
        ax.set_title(f"average {name}", fontsize=11)
    add_colorbar(shown, axes[:2], label="mean pixel value", shrink=0.85)
    shown = _signed_im(axes[2], means[0] - means[1])
    axes[2].set_title(f"{class_names[1]} − {class_names[0]}\n(red: brighter in {class_names[1]}s)", fontsize=11)
    add_colorbar(shown, axes[2], shrink=0.85)
    for ax in axes:
        _bare(ax)
    fig.suptitle("the average of each class, and their difference", fontsize=12)
    return fig


def occlusion_figure(images, probabilities, *, size, class_name="face") -> Figure:
    """Images (N, [1,] H, W) over the probability of a class with a flat ``size`` x ``size`` square covering each part.

    ``probabilities`` (N, H - size + 1, W - size + 1): ``[n, i, j]`` with the square's top-left corner at
    (i, j). Top row: the images, the square that lowers the probability most outlined; bottom row: the
    probabilities (``viridis``, 0 to 1), titled with their minimum.
    """
    images = as_image_batch(images)
    size = as_int(size, "size", minimum=1)
    n, height, width = images.shape
    expected = (n, height - size + 1, width - size + 1)
    probabilities = as_float_array(probabilities, "probabilities", ndim=3, layout="(N, OH, OW)")
    if probabilities.shape != expected:
        raise ValueError(f"`probabilities` must have shape {expected} for these images and size={size}, "
                         f"got {probabilities.shape}")
    fig = Figure(figsize=(1.5 * n + 1.2, 3.7), dpi=100, layout="constrained")
    axes = fig.subplots(2, n, squeeze=False)
    for k in range(n):
        i, j = np.unravel_index(np.argmin(probabilities[k]), probabilities[k].shape)
        axes[0, k].imshow(images[k], cmap=GRAY_CMAP)
        axes[0, k].add_patch(Rectangle((j - 0.5, i - 0.5), size, size, fill=False, ec="tab:orange", lw=2))
        shown = axes[1, k].imshow(probabilities[k], **positive_style(vmax=1))
        axes[1, k].set_title(f"lowest {probabilities[k].min():.2f}", fontsize=9)
        _bare(axes[0, k])
        _bare(axes[1, k])
    axes[0, 0].set_ylabel("image", fontsize=10)
    axes[1, 0].set_ylabel(f"P({class_name}), square\nat each position", fontsize=9)
    add_colorbar(shown, axes[1, :], label=f"P({class_name})", shrink=0.9)
    fig.suptitle(f"P({class_name}) with a flat {size} × {size} square over each position "
                 "(outlined: the square that lowers it most)", fontsize=11)
    return fig
