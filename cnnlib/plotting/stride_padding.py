"""Figures of notebook 04: where the kernel goes (stride, padding), many filters (depth), colour input.

The grid figures draw a square input of side n, its frame of zeros, a dot on the
top-left cell of every position the kernel takes, and the output grid, so that
the output size formula can be read off the picture. The other figures show a
bank of filters on a photo, one 3-D filter on an RGB photo, and the loop over
kernel taps that makes the fast implementation fast.
"""

from __future__ import annotations

import numpy as np
from matplotlib import colormaps
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch, Rectangle

from .._validation import as_float_array, as_int, describe
from ..conv import correlate2d
from ..shapes import output_size, resolve_padding

__all__ = [
    "feature_stack_figure",
    "output_size_equation",
    "padding_modes_figure",
    "rgb_filter_figure",
    "stride_padding_figure",
    "tap_slices_figure",
]

IMAGE_COLOR, PADDING_COLOR, KERNEL_COLOR = "#cfe2f3", "#fcd5b0", "crimson"
MAX_GRID_SIDE = 30  # cells per side of a drawn grid; more would be unreadable


def output_size_equation(n, k, stride=1, padding=0) -> str:
    """The output size formula with the numbers filled in, as one line of text.

    Parameters
    ----------
    n, k, stride : int
        Input side, kernel side and stride (``n, k, stride >= 1``).
    padding : int or {"valid", "same", "full"}, default 0
        Zeros on each side, or a mode (then the total number of zeros is shown).

    Returns
    -------
    text : str
        ``"⌊(n + 2·p − k) / s⌋ + 1 = ⌊m / s⌋ + 1 = size"``, with the numbers.

    Raises
    ------
    TypeError, ValueError
        As :func:`cnnlib.output_size`, e.g. if the kernel does not fit.

    Examples
    --------
    >>> output_size_equation(7, 3, stride=2, padding=1)
    '⌊(7 + 2·1 − 3) / 2⌋ + 1 = ⌊6 / 2⌋ + 1 = 4'
    >>> output_size_equation(5, 3, padding="full")
    '⌊(5 + 4 − 3) / 1⌋ + 1 = ⌊6 / 1⌋ + 1 = 7'
    """
    size = output_size(n, k, stride=stride, padding=padding)
    if isinstance(padding, str):
        total = sum(resolve_padding(padding, (k,))[0])
        added = f"{total}"
    else:
        total, added = 2 * padding, f"2·{padding}"
    return f"⌊({n} + {added} − {k}) / {stride}⌋ + 1 = ⌊{n + total - k} / {stride}⌋ + 1 = {size}"


def _grid_args(n, k, stride, padding):
    """Validate a square grid's arguments; return (n, k, stride, (before, after), side of the output)."""
    n = as_int(n, "n", minimum=1)
    k = as_int(k, "k", minimum=1)
    stride = as_int(stride, "stride", minimum=1)
    if not isinstance(padding, str):
        padding = as_int(padding, "padding", minimum=0)
    size = output_size(n, k, stride=stride, padding=padding)
    pads = resolve_padding(padding, (k,))[0]
    if n + sum(pads) > MAX_GRID_SIDE:
        raise ValueError(
            f"`n` + padding must be at most {MAX_GRID_SIDE} cells for a readable grid, got {n} + {sum(pads)}"
        )
    return n, k, stride, pads, size


def _position_colors(count):
    return colormaps["viridis"](np.linspace(0.05, 0.85, count)) if count > 1 else colormaps["viridis"]([0.4])


def _draw_padded_grid(ax, n, k, stride, pads):
    """Draw the padded input, a dot per kernel position and the kernel at its first two positions."""
    before, _ = pads
    side = n + sum(pads)
    starts = np.arange(0, side - k + 1, stride)
    is_image = np.zeros(side, bool)
    is_image[before : before + n] = True
    read = np.zeros(side, bool)
    for start in starts:
        read[start : start + k] = True
    for r in range(side):
        for c in range(side):
            inside = is_image[r] and is_image[c]
            ax.add_patch(Rectangle((c, r), 1, 1, fc=IMAGE_COLOR if inside else PADDING_COLOR, ec="0.55", lw=0.6))
            if not inside and side <= 16:
                ax.text(c + 0.5, r + 0.5, "0", ha="center", va="center", fontsize=8, color="0.45")
            if not (read[r] and read[c]):
                ax.add_patch(Rectangle((c, r), 1, 1, fill=False, hatch="///", ec="0.35", lw=0, gid="never-read"))
    ax.add_patch(Rectangle((before, before), n, n, fill=False, ec="black", lw=1.8, gid="image-border"))
    rows, cols = np.meshgrid(starts, starts, indexing="ij")
    ax.scatter(cols.ravel() + 0.5, rows.ravel() + 0.5, s=60 if side <= 16 else 25,
               c=_position_colors(starts.size ** 2), ec="white", lw=0.8, zorder=4, gid="kernel-positions")
    ax.add_patch(Rectangle((0, 0), k, k, fill=False, ec=KERNEL_COLOR, lw=2.6, zorder=5, gid="first-kernel"))
    if starts.size > 1:
        ax.add_patch(Rectangle((stride, 0), k, k, fill=False, ec=KERNEL_COLOR, lw=1.8, ls="--", zorder=5,
                               gid="second-kernel"))
    ax.set_xlim(0, side)
    ax.set_ylim(side, 0)
    ax.set_aspect("equal")
    step = 1 if side <= 16 else 2
    ax.set_xticks(np.arange(0, side, step) + 0.5, [str(i) for i in range(0, side, step)], fontsize=8)
    ax.set_yticks(np.arange(0, side, step) + 0.5, [str(i) for i in range(0, side, step)], fontsize=8)
    ax.tick_params(length=0)
    ax.set_xlabel("column of the padded input")
    ax.set_ylabel("row of the padded input")
    return starts.size


def _draw_output_grid(ax, size):
    """Draw a size x size output grid, each cell with the dot colour of its kernel position."""
    for i in range(size):
        for j in range(size):
            ax.add_patch(Rectangle((j, i), 1, 1, fc="white", ec="0.55", lw=0.6))
    rows, cols = np.mgrid[0:size, 0:size]
    ax.scatter(cols.ravel() + 0.5, rows.ravel() + 0.5, s=60 if size <= 16 else 25, c=_position_colors(size * size),
               ec="white", lw=0.8, zorder=4, gid="output-cells")
    ax.set_xlim(0, size)
    ax.set_ylim(size, 0)
    ax.set_aspect("equal")
    ticks = np.arange(size)
    ax.set_xticks(ticks + 0.5, [str(i) for i in ticks], fontsize=8)
    ax.set_yticks(ticks + 0.5, [str(i) for i in ticks], fontsize=8)
    ax.tick_params(length=0)
    ax.set_xlabel("output column")
    ax.set_ylabel("output row")


def _grid_legend(fig, stride):
    handles = [
        Patch(fc=IMAGE_COLOR, ec="black", label="image pixel"),
        Patch(fc=PADDING_COLOR, ec="0.55", label="zero padding"),
        Patch(fc="white", ec="0.35", hatch="///", label="never under the kernel"),
        Line2D([], [], ls="", marker="o", mfc="tab:green", mec="white", ms=9,
               label="top-left cell of a kernel position"),
        Line2D([], [], color=KERNEL_COLOR, lw=2.6, label="kernel, first position"),
        Line2D([], [], color=KERNEL_COLOR, lw=1.8, ls="--", label=f"next position, {stride} to the right"),
    ]
    fig.legend(handles=handles, loc="outside lower center", ncols=3, fontsize=9, frameon=False)


def stride_padding_figure(n=7, k=3, stride=2, padding=1) -> Figure:
    """Draw every position of a k x k kernel on an n x n input with zero padding, and the output grid.

    Parameters
    ----------
    n : int, default 7
        Side of the square input, ``n >= 1``.
    k : int, default 3
        Side of the square kernel, ``k >= 1``.
    stride : int, default 2
        Step of the kernel in both directions, ``stride >= 1``.
    padding : int or {"valid", "same", "full"}, default 1
        Zeros added on each side (an int), or a mode.

    Returns
    -------
    fig : matplotlib.figure.Figure
        Two axes: the padded input (with one dot per kernel position, in the
        scatter with gid ``"kernel-positions"``) and the output grid of side
        ``OH = (n + 2*padding - k) // stride + 1``, so ``OH**2`` dots each.

    Raises
    ------
    TypeError, ValueError
        If an argument is not a valid size, the kernel does not fit in the
        padded input, or the padded input is more than 30 cells wide.

    Examples
    --------
    >>> fig = stride_padding_figure(7, 3, stride=2, padding=1)
    >>> len(fig.axes[0].collections[0].get_offsets())  # 4 x 4 kernel positions
    16
    """
    n, k, stride, pads, size = _grid_args(n, k, stride, padding)
    side = n + sum(pads)
    fig = Figure(figsize=(10, 5.6), dpi=100, layout="constrained")
    grid, out = fig.subplots(1, 2, width_ratios=[side, max(size, side * 0.45)])
    _draw_padded_grid(grid, n, k, stride, pads)
    shown = f"'{padding}' ({pads[0]}, {pads[1]})" if isinstance(padding, str) else str(padding)
    grid.set_title(f"input {n} × {n}, padding {shown}, kernel {k} × {k}, stride {stride}")
    _draw_output_grid(out, size)
    out.set_title(f"output {size} × {size}\n(one cell per kernel position)")
    fig.suptitle(f"Output side {output_size_equation(n, k, stride, padding)}", fontsize=13, weight="bold")
    _grid_legend(fig, stride)
    return fig


def padding_modes_figure(n=5, k=3) -> Figure:
    """Draw the 'valid', 'same' and 'full' paddings of an n x n input side by side (stride 1).

    Parameters
    ----------
    n : int, default 5
        Side of the square input.
    k : int, default 3
        Side of the square kernel, ``k <= n``.

    Returns
    -------
    fig : matplotlib.figure.Figure
        Three axes, one per mode, titled with the mode and its output size:
        ``n - k + 1`` ('valid'), ``n`` ('same'), ``n + k - 1`` ('full').

    Examples
    --------
    >>> [ax.get_title().split(":")[0] for ax in padding_modes_figure().axes]
    ["'valid'", "'same'", "'full'"]
    """
    n = as_int(n, "n", minimum=1)
    k = as_int(k, "k", minimum=1)
    if k > n:
        raise ValueError(f"`k` must be <= `n` = {n} so that 'valid' has an output, got {k}")
    modes = ("valid", "same", "full")
    sides = [n + sum(resolve_padding(mode, (k,))[0]) for mode in modes]
    fig = Figure(figsize=(12, 5), dpi=100, layout="constrained")
    axes = fig.subplots(1, 3, width_ratios=sides)
    notes = {"valid": "only where the kernel fits", "same": "output as large as the input",
             "full": "wherever kernel and image overlap"}
    for ax, mode in zip(axes, modes, strict=True):
        pads = resolve_padding(mode, (k,))[0]
        _grid_args(n, k, 1, mode)
        size = _draw_padded_grid(ax, n, k, 1, pads)
        ax.set_title(f"'{mode}': output {size} × {size}\n{notes[mode]}, {pads[0]} + {pads[1]} zeros")
    fig.suptitle(f"Three padding modes for a {n} × {n} input and a {k} × {k} kernel, stride 1",
                 fontsize=13, weight="bold")
    _grid_legend(fig, 1)
    return fig


def _diverging(ax, values, title, annotate=False, limit=None):
    """Show signed values with a diverging map centred on 0; optionally write each value in its cell.

    ``limit`` is the value drawn darkest; by default the 99.5th percentile of ``|values|``,
    so that a few extreme pixels do not wash out the rest.
    """
    if limit is None:
        limit = float(np.percentile(np.abs(values), 99.5)) or float(np.abs(values).max()) or 1.0
    ax.imshow(values, cmap="RdBu_r", vmin=-limit, vmax=limit)
    ax.set_title(title, fontsize=10)
    if annotate:
        for (r, c), value in np.ndenumerate(values):
            color = "white" if abs(value) > 0.6 * limit else "black"
            ax.text(c, r, f"{value:.2g}", ha="center", va="center", fontsize=8, color=color)
        ax.set_xticks(range(values.shape[1]))
        ax.set_yticks(range(values.shape[0]))


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
        each drawn with a diverging map centred on 0.
    names : sequence of F str, optional
        A name per filter.

    Returns
    -------
    fig : matplotlib.figure.Figure
        ``1 + 2 F`` axes: the image, then kernel and map of each filter.

    Examples
    --------
    >>> fig = feature_stack_figure(np.eye(6), np.ones((2, 3, 3)), np.ones((2, 4, 4)))
    >>> len(fig.axes)
    5
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
    photo.imshow(image, cmap="gray")
    photo.set_title(f"input image {image.shape[0]} × {image.shape[1]}\n(depth 1)", fontsize=10)
    photo.set_xlabel("column")
    photo.set_ylabel("row")
    for i in range(count):
        _diverging(fig.add_subplot(grid[0, i + 1]), kernels[i], names[i], annotate=kernels[i].size <= 25,
                   limit=float(np.abs(kernels[i]).max()) or 1.0)
        ax = fig.add_subplot(grid[1, i + 1])
        _diverging(ax, maps[i], f"feature map {i}")
        ax.set_xlabel("column")
    fig.suptitle(
        f"{count} filters → {count} feature maps, stacked into shape ({count}, {maps.shape[1]}, {maps.shape[2]}): "
        f"depth {count}   (red > 0, blue < 0, white = 0)", fontsize=12, weight="bold")
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
        ``1 + 3 C + 1`` axes: the photo, then per channel its pixels, its slice of
        the filter and ``correlate2d(x[c], w[c])``, and last the feature map
        ``sum_c correlate2d(x[c], w[c]) + b`` of shape (H - KH + 1, W - KW + 1).

    Examples
    --------
    >>> fig = rgb_filter_figure(np.ones((3, 8, 8)), np.ones((3, 3, 3)), b=-1.0)
    >>> fig.axes[-1].get_images()[0].get_array().shape
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
    limit = float(np.abs(per_channel).max()) or 1.0
    w_limit = float(np.abs(w).max()) or 1.0
    fig = Figure(figsize=(12, 1.95 * channels + 0.8), dpi=100, layout="constrained")
    grid = fig.add_gridspec(channels, 5, width_ratios=[1.6, 1, 0.7, 1, 1.6])
    photo = fig.add_subplot(grid[:, 0])
    photo.imshow(np.moveaxis(x, 0, -1) if channels == 3 else x.mean(axis=0), cmap="gray", vmin=0, vmax=1)
    photo.set_title(f"input: {channels} channels, {x.shape[1]} × {x.shape[2]}", fontsize=10)
    photo.set_xlabel("column")
    photo.set_ylabel("row")
    for c in range(channels):
        ax = fig.add_subplot(grid[c, 1])
        ax.imshow(x[c], cmap="gray", vmin=0, vmax=1)
        ax.set_title(f"{names[c]} channel", fontsize=10)
        ax.set_axis_off()
        _diverging(fig.add_subplot(grid[c, 2]), w[c], f"slice w[{c}]", annotate=w[c].size <= 9, limit=w_limit)
        ax = fig.add_subplot(grid[c, 3])
        ax.imshow(per_channel[c], cmap="RdBu_r", vmin=-limit, vmax=limit)
        ax.set_title(f"correlate2d({names[c]}, w[{c}])", fontsize=10)
        ax.set_axis_off()
    ax = fig.add_subplot(grid[:, 4])
    _diverging(ax, total, f"feature map = sum of the {channels} maps + b\n(b = {b:g})")
    ax.set_xlabel("column")
    fig.suptitle(f"One filter of shape ({channels}, {w.shape[1]}, {w.shape[2]}) on a {channels}-channel image "
                 "gives one feature map   (red > 0, blue < 0, white = 0)", fontsize=12, weight="bold")
    return fig


def tap_slices_figure(n=6, k=3, taps=((0, 0), (0, 2), (2, 1))) -> Figure:
    """Show which slice of an n x n image each kernel tap (a, b) multiplies in the fast loop.

    Parameters
    ----------
    n : int, default 6
        Side of the image.
    k : int, default 3
        Side of the kernel, ``k <= n``.
    taps : sequence of (a, b)
        Kernel cells to show, ``0 <= a, b < k``.

    Returns
    -------
    fig : matplotlib.figure.Figure
        One axes for the kernel, then one per tap with the slice
        ``image[a : a + OH, b : b + OW]`` (``OH = OW = n - k + 1``) shaded.

    Examples
    --------
    >>> len(tap_slices_figure().axes)
    4
    """
    n = as_int(n, "n", minimum=1)
    k = as_int(k, "k", minimum=1)
    if k > n or n > MAX_GRID_SIDE:
        raise ValueError(f"`k` must be <= `n` <= {MAX_GRID_SIDE}, got k={k} and n={n}")
    taps = [(as_int(a, "taps", minimum=0), as_int(b, "taps", minimum=0)) for a, b in taps]
    if not taps or any(a >= k or b >= k for a, b in taps):
        raise ValueError(f"`taps` must be a non-empty list of cells (a, b) with 0 <= a, b < k = {k}, got {taps}")
    side = n - k + 1
    colors = colormaps["tab10"](np.arange(len(taps)))
    fig = Figure(figsize=(3.2 * (len(taps) + 0.8), 3.9), dpi=100, layout="constrained")
    axes = fig.subplots(1, len(taps) + 1, width_ratios=[k + 1] + [n] * len(taps))
    for r in range(k):
        for c in range(k):
            axes[0].add_patch(Rectangle((c, r), 1, 1, fc="white", ec="0.4"))
            axes[0].text(c + 0.5, r + 0.5, f"({r},{c})", ha="center", va="center", fontsize=8)
    for (a, b), color in zip(taps, colors, strict=True):
        axes[0].add_patch(Rectangle((b, a), 1, 1, fc=color, alpha=0.5, ec="0.4"))
    axes[0].set(xlim=(0, k), ylim=(k, 0), aspect="equal", title="kernel taps (a, b)", xticks=[], yticks=[])
    for ax, (a, b), color in zip(axes[1:], taps, colors, strict=True):
        for r in range(n):
            for c in range(n):
                ax.add_patch(Rectangle((c, r), 1, 1, fc=IMAGE_COLOR, ec="0.55", lw=0.6))
        ax.add_patch(Rectangle((b, a), side, side, fc=color, alpha=0.45, ec=color, lw=2.5, gid="tap-slice"))
        ax.set(xlim=(0, n), ylim=(n, 0), aspect="equal", xlabel="image column", ylabel="image row")
        ax.set_xticks(np.arange(n) + 0.5, [str(i) for i in range(n)], fontsize=8)
        ax.set_yticks(np.arange(n) + 0.5, [str(i) for i in range(n)], fontsize=8)
        ax.tick_params(length=0)
        ax.set_title(f"out += kernel[{a}, {b}] ×\nimage[{a}:{a + side}, {b}:{b + side}]", fontsize=10)
    fig.suptitle(f"The fast loop: each of the {k * k} taps adds one shifted {side} × {side} slice of the image",
                 fontsize=12, weight="bold")
    return fig
