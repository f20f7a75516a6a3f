"""Figures of notebook 04 on where the kernel goes: stride, padding, the output size, the loop over taps.

The grid figures draw a square input of side n, its frame of zeros, a dot on the
top-left cell of every position the kernel takes, and the output grid, so that
the output size formula can be read off the picture. The last figure shows the
loop over kernel taps that makes the fast implementation fast. Many filters
(depth) and colour input are drawn by :mod:`cnnlib.plotting.depth`.
"""

from __future__ import annotations

import numpy as np
from matplotlib import colormaps
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch, Rectangle

from .._validation import as_int
from ..shapes import output_size, resolve_padding
from .style import pixel_axes

__all__ = [
    "output_size_equation",
    "padding_modes_figure",
    "stride_padding_figure",
    "tap_slices_figure",
]

IMAGE_COLOR, PADDING_COLOR, KERNEL_COLOR = "#cfe2f3", "#fcd5b0", "crimson"
MAX_GRID_SIDE = 30  # cells per side of a drawn grid; more would be unreadable


def output_size_equation(n, k, stride=1, padding=0, dilation=1) -> str:
    """The output size formula with the numbers filled in, as one line of text.

    Parameters
    ----------
    n, k, stride : int
        Input side, kernel side and stride (``n, k, stride >= 1``).
    padding : int or {"valid", "same", "full"}, default 0
        Zeros on each side, or a mode (then the total number of zeros is shown).
    dilation : int, default 1
        Distance between two taps of the kernel; above 1 the formula shows ``d·(k − 1) − 1``.

    Returns
    -------
    text : str
        ``"⌊(n + 2·p − k) / s⌋ + 1 = ⌊m / s⌋ + 1 = size"``, with the numbers; with a dilation d > 1,
        ``"⌊(n + 2·p − d·(k − 1) − 1) / s⌋ + 1 = ..."``.

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
    >>> output_size_equation(9, 3, stride=1, padding=0, dilation=2)
    '⌊(9 + 2·0 − 2·(3 − 1) − 1) / 1⌋ + 1 = ⌊4 / 1⌋ + 1 = 5'
    """
    size = output_size(n, k, stride=stride, padding=padding, dilation=dilation)
    span = dilation * (k - 1) + 1
    if isinstance(padding, str):
        total = sum(resolve_padding(padding, (span,))[0])
        added = f"{total}"
    else:
        total, added = 2 * padding, f"2·{padding}"
    if dilation == 1:
        return f"⌊({n} + {added} − {k}) / {stride}⌋ + 1 = ⌊{n + total - k} / {stride}⌋ + 1 = {size}"
    spread = f"{dilation}·({k} − 1) − 1"
    return f"⌊({n} + {added} − {spread}) / {stride}⌋ + 1 = ⌊{n + total - span} / {stride}⌋ + 1 = {size}"


def _grid_args(n, k, stride, padding, dilation=1):
    """Validate a square grid's arguments; return (n, k, stride, (before, after), side of the output)."""
    n = as_int(n, "n", minimum=1)
    k = as_int(k, "k", minimum=1)
    stride = as_int(stride, "stride", minimum=1)
    dilation = as_int(dilation, "dilation", minimum=1)
    if not isinstance(padding, str):
        padding = as_int(padding, "padding", minimum=0)
    size = output_size(n, k, stride=stride, padding=padding, dilation=dilation)
    pads = resolve_padding(padding, (dilation * (k - 1) + 1,))[0]
    if n + sum(pads) > MAX_GRID_SIDE:
        raise ValueError(
            f"`n` + padding must be at most {MAX_GRID_SIDE} cells for a readable grid, got {n} + {sum(pads)}"
        )
    return n, k, stride, pads, size


def _position_colors(count):
    return colormaps["viridis"](np.linspace(0.05, 0.85, count)) if count > 1 else colormaps["viridis"]([0.4])


def _draw_padded_grid(ax, n, k, stride, pads, dilation=1):
    """Draw the padded input, a dot per kernel position and the kernel at its first two positions.

    With a dilation d > 1 the kernel spans d(k - 1) + 1 cells: its outline is that span, and its
    k x k taps (d cells apart) are filled at the first position.
    """
    before, _ = pads
    side = n + sum(pads)
    span = dilation * (k - 1) + 1
    starts = np.arange(0, side - span + 1, stride)
    is_image = np.zeros(side, bool)
    is_image[before : before + n] = True
    read = np.zeros(side, bool)
    for start in starts:
        read[start : start + span : dilation] = True
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
    ax.scatter(
        cols.ravel() + 0.5,
        rows.ravel() + 0.5,
        s=60 if side <= 16 else 25,
        c=_position_colors(starts.size**2),
        ec="white",
        lw=0.8,
        zorder=4,
        gid="kernel-positions",
    )
    ax.add_patch(Rectangle((0, 0), span, span, fill=False, ec=KERNEL_COLOR, lw=2.6, zorder=5, gid="first-kernel"))
    if dilation > 1:
        for a in range(k):
            for b in range(k):
                tap = Rectangle((b * dilation, a * dilation), 1, 1, fc=KERNEL_COLOR, alpha=0.45, lw=0, zorder=3)
                tap.set_gid("kernel-tap")
                ax.add_patch(tap)
    if starts.size > 1:
        ax.add_patch(
            Rectangle(
                (stride, 0), span, span, fill=False, ec=KERNEL_COLOR, lw=1.8, ls="--", zorder=5, gid="second-kernel"
            )
        )
    pixel_axes(
        ax,
        (side, side),
        every=1 if side <= 16 else 2,
        corner=True,
        xlabel="column of the padded input",
        ylabel="row of the padded input",
        labelsize=8,
    )
    ax.tick_params(length=0)
    return starts.size


def _draw_output_grid(ax, size):
    """Draw a size x size output grid, each cell with the dot colour of its kernel position."""
    for i in range(size):
        for j in range(size):
            ax.add_patch(Rectangle((j, i), 1, 1, fc="white", ec="0.55", lw=0.6))
    rows, cols = np.mgrid[0:size, 0:size]
    ax.scatter(
        cols.ravel() + 0.5,
        rows.ravel() + 0.5,
        s=60 if size <= 16 else 25,
        c=_position_colors(size * size),
        ec="white",
        lw=0.8,
        zorder=4,
        gid="output-cells",
    )
    pixel_axes(ax, (size, size), every=1, corner=True, xlabel="output column", ylabel="output row", labelsize=8)
    ax.tick_params(length=0)


def _grid_legend(fig, stride, dilation=1):
    handles = [
        Patch(fc=IMAGE_COLOR, ec="black", label="image pixel"),
        Patch(fc=PADDING_COLOR, ec="0.55", label="zero padding"),
        Patch(fc="white", ec="0.35", hatch="///", label="never under the kernel"),
        Line2D(
            [], [], ls="", marker="o", mfc="tab:green", mec="white", ms=9, label="top-left cell of a kernel position"
        ),
        Line2D([], [], color=KERNEL_COLOR, lw=2.6, label="kernel, first position"),
        Line2D([], [], color=KERNEL_COLOR, lw=1.8, ls="--", label=f"next position, {stride} to the right"),
    ]
    if dilation > 1:
        handles.append(Patch(fc=KERNEL_COLOR, alpha=0.45, label=f"a tap of the kernel ({dilation} apart)"))
    fig.legend(handles=handles, loc="outside lower center", ncols=3, fontsize=9, frameon=False)


def stride_padding_figure(n=7, k=3, stride=2, padding=1, dilation=1) -> Figure:
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
    dilation : int, default 1
        Distance between two taps of the kernel: with d > 1 the kernel spans ``d*(k - 1) + 1``
        cells, its ``k*k`` taps are filled at the first position (patches with gid ``"kernel-tap"``)
        and only the cells under a tap count as read.

    Returns
    -------
    fig : matplotlib.figure.Figure
        Two axes: the padded input (with one dot per kernel position, in the
        scatter with gid ``"kernel-positions"``) and the output grid of side
        ``OH = (n + 2*padding - d*(k - 1) - 1) // stride + 1``, so ``OH**2`` dots each.

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
    >>> fig = stride_padding_figure(9, 3, stride=1, padding=0, dilation=2)   # spans 5: 5 x 5 positions
    >>> len(fig.axes[0].collections[0].get_offsets())
    25
    """
    n, k, stride, pads, size = _grid_args(n, k, stride, padding, dilation)
    side = n + sum(pads)
    fig = Figure(figsize=(10, 5.6), dpi=100, layout="constrained")
    grid, out = fig.subplots(1, 2, width_ratios=[side, max(size, side * 0.45)])
    _draw_padded_grid(grid, n, k, stride, pads, dilation)
    shown = f"'{padding}' ({pads[0]}, {pads[1]})" if isinstance(padding, str) else str(padding)
    dilated = f", dilation {dilation}" if dilation > 1 else ""
    grid.set_title(f"input {n} × {n}, padding {shown}, kernel {k} × {k}, stride {stride}{dilated}")
    _draw_output_grid(out, size)
    out.set_title(f"output {size} × {size}\n(one cell per kernel position)")
    equation = output_size_equation(n, k, stride, padding, dilation)
    fig.suptitle(f"Output side {equation}", fontsize=13, weight="bold")
    _grid_legend(fig, stride, dilation)
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
    notes = {
        "valid": "only where the kernel fits",
        "same": "output as large as the input",
        "full": "wherever kernel and image overlap",
    }
    for ax, mode in zip(axes, modes, strict=True):
        pads = resolve_padding(mode, (k,))[0]
        _grid_args(n, k, 1, mode)
        size = _draw_padded_grid(ax, n, k, 1, pads)
        ax.set_title(f"'{mode}': output {size} × {size}\n{notes[mode]}, {pads[0]} + {pads[1]} zeros")
    fig.suptitle(
        f"Three padding modes for a {n} × {n} input and a {k} × {k} kernel, stride 1", fontsize=13, weight="bold"
    )
    _grid_legend(fig, 1)
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
        pixel_axes(ax, (n, n), every=1, corner=True, xlabel="image column", ylabel="image row", labelsize=8)
        ax.tick_params(length=0)
        ax.set_title(f"out += kernel[{a}, {b}] ×\nimage[{a}:{a + side}, {b}:{b + side}]", fontsize=10)
    fig.suptitle(
        f"The fast loop: each of the {k * k} taps adds one shifted {side} × {side} slice of the image",
        fontsize=12,
        weight="bold",
    )
    return fig
