"""Depth (notebook 04): a bank of filters makes a stack of feature maps; one 3-D filter reads every colour channel.

Colours follow the series' rule (:mod:`cnnlib.plotting.style`): photos in gray,
filters and feature maps on the signed map centred on 0 (red > 0, blue < 0,
white 0), each with a colour bar: a feature map on its own scale (the bar says
how strong it is), maps that are summed on one shared scale (so their
strengths compare); small filters have their weights written in instead.
"""

from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure

from .._validation import as_float_array, describe
from ..conv import correlate2d
from .style import (
    GRAY_CMAP,
    add_colorbar,
    format_fraction,
    gray_style,
    number_grid,
    pixel_axes,
    signed_limit,
    signed_style,
)

__all__ = [
    "feature_stack_figure",
    "rgb_filter_figure",
]


def _signed_map(ax, values, title, limit=None):
    """Signed values centred on 0; by default the limit is the 99th percentile of ``|values|``. Returns the image."""
    shown = ax.imshow(values, **signed_style(values, limit=limit))
    ax.set_title(title, fontsize=10)
    return shown


def _bar_below(shown, ax, label="value"):
    """A short horizontal colour bar under one panel."""
    add_colorbar(shown, ax, label=label, location="bottom", shrink=0.85, aspect=12, pad=0.02)


def _weights(ax, weights, title, *, limit, written):
    """A filter centred on 0 between ``-limit`` and ``limit``, its weights written in (as fractions) if
    ``written``; returns the image when it needs a colour bar (weights not written), else None."""
    if written:
        number_grid(
            ax, weights, **signed_style(limit=limit), formatter=format_fraction, fontsize=8, xlabel=None, ylabel=None
        )
        ax.set_title(title, fontsize=10)
        return None
    return _signed_map(ax, weights, title, limit=limit)


def feature_stack_figure(image, kernels, maps, names=None) -> Figure:
    """Show an image, a bank of F filters and the F feature maps they produce (the depth of the output).

    Parameters
    ----------
    image : ndarray, shape (H, W)
        The input, drawn in gray.
    kernels : ndarray, shape (F, KH, KW)
        The filters, drawn with their values (red positive, blue negative).
    maps : ndarray, shape (F, OH, OW)
        The feature maps, e.g. ``conv2d(image[None, None], kernels[:, None])[0]``;
        each on the signed map centred on 0, clipped at the 99th percentile of its |values|,
        with its own colour bar.
    names : sequence of F str, optional
        A name per filter.

    Returns
    -------
    fig : matplotlib.figure.Figure
        ``1 + 2 F`` panels (the image, then kernel and map of each filter), then the colour
        bars: one under each map (and under each kernel too large to have its weights written in).

    Examples
    --------
    >>> fig = feature_stack_figure(np.eye(6), np.ones((2, 3, 3)), np.ones((2, 4, 4)))
    >>> len(fig.axes), sum(ax.get_label() == "<colorbar>" for ax in fig.axes)
    (7, 2)
    """
    image = as_float_array(image, "image", ndim=2, layout="(H, W)")
    kernels = as_float_array(kernels, "kernels", ndim=3, layout="(F, KH, KW)")
    maps = as_float_array(maps, "maps", ndim=3, layout="(F, OH, OW)")
    count = kernels.shape[0]
    if maps.shape[0] != count or not 1 <= count <= 8:
        raise ValueError(f"`maps` must hold one map per kernel (1 to 8), got {count} kernels and {describe(maps)}")
    names = [f"filter {i}" for i in range(count)] if names is None else [str(name) for name in names]
    if len(names) != count:
        raise ValueError(f"`names` must have one name per kernel ({count}), got {len(names)}")
    fig = Figure(figsize=(2.4 * (count + 1.3), 5.4), dpi=100, layout="constrained")
    grid = fig.add_gridspec(2, count + 1, height_ratios=[1, 2.2], width_ratios=[1.3] + [1] * count)
    photo = fig.add_subplot(grid[:, 0])
    photo.imshow(image, cmap=GRAY_CMAP)
    photo.set_title(f"input image {image.shape[0]} × {image.shape[1]}\n(depth 1)", fontsize=10)
    pixel_axes(photo)
    bars = []  # added after every panel, so that fig.axes lists the panels first
    for i in range(count):
        ax = fig.add_subplot(grid[0, i + 1])
        shown = _weights(ax, kernels[i], names[i], limit=signed_limit(kernels[i], 100), written=kernels[i].size <= 25)
        if shown is not None:
            bars.append((shown, ax, "weight"))
        ax = fig.add_subplot(grid[1, i + 1])
        bars.append((_signed_map(ax, maps[i], f"feature map {i}"), ax, "value"))
        pixel_axes(ax, ylabel=None)
    for shown, ax, label in bars:
        _bar_below(shown, ax, label)
    fig.suptitle(
        f"{count} filters → {count} feature maps, stacked into shape ({count}, {maps.shape[1]}, {maps.shape[2]}): "
        f"depth {count}   (red > 0, blue < 0, white = 0)",
        fontsize=12,
        weight="bold",
    )
    return fig


def rgb_filter_figure(x, w, b=0.0, channel_names=("red", "green", "blue")) -> Figure:
    """Show one 3-D filter on a colour image: a k x k slice per channel, the channel maps, their sum + bias.

    Parameters
    ----------
    x : ndarray, shape (C, H, W)
        The image, channels first, values in [0, 1] (e.g. an RGB photo / 255, moved to channels first).
    w : ndarray, shape (C, KH, KW)
        One filter: a kernel slice per channel.
    b : float, default 0.0
        The filter's bias.
    channel_names : sequence of C str
        Names of the channels.

    Returns
    -------
    fig : matplotlib.figure.Figure
        ``1 + 3 C + 1`` panels: the photo, then per channel its pixels, its slice of
        the filter and ``correlate2d(x[c], w[c])``, and last the feature map
        ``sum_c correlate2d(x[c], w[c]) + b`` of shape (H - KH + 1, W - KW + 1).
        Then the colour bars: one shared by the C channel maps (one scale, so their
        strengths compare) and one under the feature map.

    Examples
    --------
    >>> fig = rgb_filter_figure(np.ones((3, 8, 8)), np.ones((3, 3, 3)), b=-1.0)
    >>> fig.axes[10].get_images()[0].get_array().shape
    (6, 6)
    """
    x = as_float_array(x, "x", ndim=3, layout="(C, H, W)")
    w = as_float_array(w, "w", ndim=3, layout="(C, KH, KW)")
    channels = x.shape[0]
    if w.shape[0] != channels:
        raise ValueError(f"`w` must have one slice per channel of `x` (C={channels}), got {describe(w)}")
    if isinstance(b, (bool, np.bool_)) or not np.isscalar(b) or not np.isreal(b):
        raise TypeError(f"`b` must be a real number, got {describe(b)}")
    names = [str(name) for name in channel_names]
    if len(names) != channels:
        raise ValueError(f"`channel_names` must have one name per channel ({channels}), got {len(names)}")
    per_channel = np.stack([correlate2d(x[c], w[c]) for c in range(channels)])
    total = per_channel.sum(axis=0) + b
    limit = signed_limit(per_channel, 100)
    w_limit = signed_limit(w, 100)
    fig = Figure(figsize=(12, 1.95 * channels + 0.8), dpi=80, layout="constrained")
    grid = fig.add_gridspec(channels, 5, width_ratios=[1.6, 1, 0.7, 1, 1.6])
    photo = fig.add_subplot(grid[:, 0])
    photo.imshow(np.moveaxis(x, 0, -1) if channels == 3 else x.mean(axis=0), **gray_style(0, 1))
    photo.set_title(f"input: {channels} channels, {x.shape[1]} × {x.shape[2]}", fontsize=10)
    pixel_axes(photo)
    channel_axes = []
    for c in range(channels):
        ax = fig.add_subplot(grid[c, 1])
        ax.imshow(x[c], **gray_style(0, 1))
        ax.set_title(f"{names[c]} channel", fontsize=10)
        ax.set_axis_off()
        slice_ax = fig.add_subplot(grid[c, 2])
        if _weights(slice_ax, w[c], f"slice w[{c}]", limit=w_limit, written=w[c].size <= 9) is not None:
            slice_ax.set_title(f"slice w[{c}]\n(one scale, ±{w_limit:.2g})", fontsize=9)
        ax = fig.add_subplot(grid[c, 3])
        shared = _signed_map(ax, per_channel[c], f"correlate2d({names[c]}, w[{c}])", limit=limit)
        ax.title.set_fontsize(9)
        ax.set_axis_off()
        channel_axes.append(ax)
    ax = fig.add_subplot(grid[:, 4])
    summed = _signed_map(ax, total, f"feature map = sum of the {channels} maps + b\n(b = {b:g})")
    pixel_axes(ax, ylabel=None)
    add_colorbar(shared, channel_axes[-1], label="value, one scale\nfor every channel", location="bottom", aspect=10)
    _bar_below(summed, ax)
    fig.suptitle(
        f"One filter of shape ({channels}, {w.shape[1]}, {w.shape[2]}) on a {channels}-channel image "
        "gives one feature map   (red > 0, blue < 0, white = 0)",
        fontsize=12,
        weight="bold",
    )
    return fig
