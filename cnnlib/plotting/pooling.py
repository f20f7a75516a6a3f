"""How pooling reads a map (notebook 06): every position of the window, the cells it never reads, three kinds.

The window figures draw every window position as an outline on the input map
(one outline per output cell), hatch the cells that no window reads (rows and
columns dropped at the edges, gaps between windows), and show the pooled map
beside it. Small maps get their numbers written in white cells (so the window
colours show); larger ones are drawn in gray (black = 0), on which the bright
window outlines stand out. What pooling does to real maps (keeping strong
responses, tolerating shifts, global average pooling) is drawn by
:mod:`cnnlib.plotting.pooling_effects`.
"""

from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure
from matplotlib.patches import Patch, Rectangle

from .._validation import as_choice, as_float_array, as_int, describe
from ..pooling import POOLING_KINDS
from .style import add_colorbar, gray_style, number_grid, pixel_axes

__all__ = [
    "pooling_kinds_figure",
    "pooling_windows_figure",
]

MAX_NUMBERED_SIDE = 10  # up to this many cells per side, the numbers are written in the cells
MAX_WINDOWS_SIDE = 64  # larger maps would hide the window outlines
# Distinct colours for neighbouring windows: on white cells (mostly Okabe-Ito, readable by colour-blind
# people), and brighter ones on a map drawn in gray.
WINDOW_COLORS = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#D55E00", "#56B4E9", "#7B3294", "#8C6D31")
BRIGHT_WINDOW_COLORS = ("#56B4E9", "#E69F00", "#F0E442", "#FF6EC7", "#00D084", "#FF4040", "#FFFFFF", "#B09CFF")
UNREAD_HATCH = "////"


def _check_window(shape, size, stride) -> tuple[int, int]:
    """Validate a square window and its stride for a map of ``shape``; return (size, stride)."""
    size = as_int(size, "size", minimum=1)
    stride = size if stride is None else as_int(stride, "stride", minimum=1)
    if size > min(shape):
        raise ValueError(f"`size` = {size} is larger than the map {tuple(shape)}: the window must fit at least once")
    return size, stride


def _window_color(i, j, overlapping, palette=WINDOW_COLORS):
    """Neighbouring windows get different colours (2 x 2 pattern, or 4 x 2 when they overlap)."""
    return palette[(i % 2) * 2 + (j % 2) + (4 * ((i // 2 + j // 2) % 2) if overlapping else 0)]


def _draw_map(ax, x, *, numbered, vmax=None, title=""):
    """Draw a 2-D map: white cells with numbers, or a gray image (black = 0); return the gray image (or None)."""
    every = 1 if max(x.shape) <= MAX_NUMBERED_SIDE else None
    if numbered:
        number_grid(ax, x, cmap=None, fontsize=11, lines="0.6", every=every, title=title)
        return None
    top = float(x.max()) if vmax is None else vmax
    image = ax.imshow(x, **gray_style(0, top if top > 0 else 1.0), interpolation="nearest")
    pixel_axes(ax, x.shape, every=every, labelsize=8)
    ax.set_title(title)
    return image


def _draw_windows(ax, x, size, stride, kind, *, numbered):
    """Outline every window position on the map already drawn on ``ax``; hatch the cells no window reads.

    Returns (OH, OW, rows dropped at the end, columns dropped at the end, whether any cell is never read,
    whether any cell is read by several windows).
    """
    height, width = x.shape
    out_h, out_w = (height - size) // stride + 1, (width - size) // stride + 1
    overlapping = stride < size
    palette = WINDOW_COLORS if numbered else BRIGHT_WINDOW_COLORS
    line = 2.2 if numbered else float(np.clip(36 / max(height, width), 0.6, 2.0))
    reads = np.zeros(x.shape, int)
    for i in range(out_h):
        for j in range(out_w):
            color = _window_color(i, j, overlapping, palette)
            inset = (0.06 + 0.06 * ((i + j) % 2)) if overlapping else 0.04
            top, left = i * stride, j * stride
            reads[top : top + size, left : left + size] += 1
            corner = (left - 0.5 + inset, top - 0.5 + inset)
            ax.add_patch(
                Rectangle(
                    corner,
                    size - 2 * inset,
                    size - 2 * inset,
                    fill=False,
                    ec=color,
                    lw=line,
                    gid="pool-window",
                    zorder=3,
                )
            )
            if numbered and not overlapping:
                ax.add_patch(Rectangle((left - 0.5, top - 0.5), size, size, fc=color, alpha=0.18, lw=0, zorder=1))
            if numbered and kind == "max" and not overlapping:
                patch = x[top : top + size, left : left + size]
                r, c = np.unravel_index(np.argmax(patch), patch.shape)
                ax.add_patch(
                    Rectangle(
                        (left + c - 0.5 + 0.12, top + r - 0.5 + 0.12),
                        0.76,
                        0.76,
                        fill=False,
                        ec=color,
                        lw=1.4,
                        ls="--",
                        zorder=3,
                        gid="window-max",
                    )
                )
    if numbered and overlapping:  # cells read by several windows get darker
        for r, c in zip(*np.nonzero(reads > 1), strict=True):
            shade = 0.93 - 0.07 * min(reads[r, c] - 1, 4)
            ax.add_patch(Rectangle((c - 0.5, r - 0.5), 1, 1, fc=str(shade), lw=0, zorder=1, gid="shared-cell"))
    for r in range(height):  # hatch the cells no window reads, one rectangle per run along a row
        unread = np.flatnonzero(reads[r] == 0)
        for run in np.split(unread, np.flatnonzero(np.diff(unread) > 1) + 1) if unread.size else []:
            ax.add_patch(
                Rectangle(
                    (run[0] - 0.5, r - 0.5),
                    run.size,
                    1,
                    fc="0.5",
                    alpha=0.45,
                    hatch=UNREAD_HATCH,
                    ec="0.15",
                    lw=0,
                    zorder=2,
                    gid="unread",
                )
            )
    used_h, used_w = (out_h - 1) * stride + size, (out_w - 1) * stride + size
    return out_h, out_w, height - used_h, width - used_w, bool((reads == 0).any()), bool((reads > 1).any())


def _draw_pooled(ax, pooled, *, numbered, overlapping, vmax=None, title=""):
    """Draw the pooled map; with numbers, each cell tinted and outlined with the colour of its window."""
    _draw_map(ax, pooled, numbered=numbered, vmax=vmax, title=title)
    if numbered:
        for i in range(pooled.shape[0]):
            for j in range(pooled.shape[1]):
                color = _window_color(i, j, overlapping)
                if not overlapping:
                    ax.add_patch(Rectangle((j - 0.5, i - 0.5), 1, 1, fc=color, alpha=0.18, lw=0, zorder=1))
                ax.add_patch(
                    Rectangle((j - 0.5 + 0.04, i - 0.5 + 0.04), 0.92, 0.92, fill=False, ec=color, lw=2.2, zorder=3)
                )


def _kind_title(kind) -> str:
    return {"max": "Max-pooled", "average": "Average-pooled", "sum": "Sum-pooled"}[kind]


def pooling_windows_figure(feature_map, size=2, stride=None, kind="max", *, numbered=None) -> Figure:
    """Draw every position of the pooling window on a map, and the pooled map beside it.

    Each window position is outlined (neighbours in different colours), cells
    that no window reads are hatched (rows and columns at the edges that do not
    fill a whole window, or gaps when the stride exceeds the window), and the
    pooled map is drawn on the right. On a numbered map, max pooling marks
    the largest value of each window with a dashed square, and overlapping
    windows shade the cells they share.

    Parameters
    ----------
    feature_map : ndarray, shape (H, W)
        A rectified (non-negative) feature map; H, W <= 64.
    size : int, default 2
        Side of the square window, ``1 <= size <= min(H, W)``.
    stride : int, optional
        Step of the window; ``None`` means ``stride = size`` (windows tile the map).
    kind : {"max", "average", "sum"}, default "max"
    numbered : bool, optional
        Write the values in the cells; default: when H and W are at most 10.
        Otherwise the maps are drawn in gray (black = 0); a max- or
        average-pooled map shares the map's colour scale, a sum-pooled one has its own.

    Returns
    -------
    fig : matplotlib.figure.Figure
        Two axes: the map with ``OH * OW`` window outlines (patches with gid
        ``"pool-window"``) and the pooled map of shape (OH, OW), with
        ``OH = (H - size) // stride + 1`` and the same for OW.

    Raises
    ------
    TypeError, ValueError
        If the map is not 2-D or larger than 64 × 64, ``kind`` is unknown, or the
        window does not fit in the map.

    Examples
    --------
    >>> fig = pooling_windows_figure(np.arange(49.0).reshape(7, 7))
    >>> sum(p.get_gid() == "pool-window" for p in fig.axes[0].patches)
    9
    >>> fig.axes[1].get_title()
    'Max-pooled map, 3 × 3'
    """
    x = as_float_array(feature_map, "feature_map", ndim=2, layout="(H, W)")
    kind = as_choice(kind, "kind", POOLING_KINDS)
    size, stride = _check_window(x.shape, size, stride)
    if max(x.shape) > MAX_WINDOWS_SIDE:
        raise ValueError(
            f"`feature_map` must be at most {MAX_WINDOWS_SIDE} × {MAX_WINDOWS_SIDE} so that the "
            f"windows can be seen, got {describe(x)}"
        )
    numbered = max(x.shape) <= MAX_NUMBERED_SIDE if numbered is None else bool(numbered)
    pooled = POOLING_KINDS[kind](x, size, stride)
    height, width = x.shape
    out_h, out_w = pooled.shape
    overlapping = stride < size
    fig = Figure(figsize=(10, 4.8), dpi=100, layout="constrained")
    ax_map, ax_pool = fig.subplots(1, 2, width_ratios=[width, max(out_w, 0.45 * width)])
    image = _draw_map(ax_map, x, numbered=numbered, title=f"Rectified feature map, {height} × {width}")
    drawn = _draw_windows(ax_map, x, size, stride, kind, numbered=numbered)
    rows_left, cols_left, any_unread, any_shared = drawn[2:]
    # max and average stay within the map's range, so they share its colour scale; sums grow beyond it
    shared_top = None if kind == "sum" else max(float(x.max()), 1e-12)
    _draw_pooled(
        ax_pool,
        pooled,
        numbered=numbered,
        overlapping=overlapping,
        vmax=shared_top,
        title=f"{_kind_title(kind)} map, {out_h} × {out_w}",
    )
    if image is not None:
        add_colorbar(image, ax_map, label="value")
        add_colorbar(ax_pool.images[0], ax_pool, label="pooled value")
    color = WINDOW_COLORS[0] if numbered else BRIGHT_WINDOW_COLORS[1]
    handles = [Patch(fill=False, ec=color, lw=2, label=f"a {size} × {size} window ({out_h * out_w} in all)")]
    if numbered and any_shared:
        handles.append(Patch(fc="0.8", ec="0.6", label="cell read by several windows"))
    if any_unread:
        where = [f"{n} {word}{'' if n == 1 else 's'}" for n, word in [(rows_left, "row"), (cols_left, "column")] if n]
        label = "never read" + (f" ({' and '.join(where)} at the edges)" if where else "")
        handles.append(Patch(fc="0.5", alpha=0.45, hatch=UNREAD_HATCH, ec="0.15", lw=0, label=label))
    if numbered and kind == "max" and not overlapping:
        handles.append(Patch(fill=False, ec="0.2", ls="--", label="largest value of a window"))
    fig.legend(handles=handles, loc="outside lower center", ncol=len(handles), fontsize=9, frameon=False)
    layout = "overlapping" if overlapping else ("tiling the map" if stride == size else "leaving gaps")
    fig.suptitle(
        f"{kind.capitalize()} pooling, {size} × {size} window, stride {stride} ({layout}): "
        f"{height} × {width} → {out_h} × {out_w}",
        fontsize=13,
    )
    return fig


def pooling_kinds_figure(feature_map, size=2, stride=None) -> Figure:
    """A small map with its windows, and its max-, average- and sum-pooled maps side by side.

    Parameters
    ----------
    feature_map : ndarray, shape (H, W), H, W <= 10
        Small enough for its numbers to be written in the cells.
    size : int, default 2
        Side of the square window.
    stride : int, optional
        ``None`` means ``stride = size``.

    Returns
    -------
    fig : matplotlib.figure.Figure
        Four axes: the map with its windows, then the max, average and sum
        pooled maps, each of shape (OH, OW) with ``OH = (H - size) // stride + 1``.

    Raises
    ------
    TypeError, ValueError
        If the map is not 2-D or larger than 10 × 10, or the window does not fit.

    Examples
    --------
    >>> fig = pooling_kinds_figure(np.arange(16.0).reshape(4, 4))
    >>> [ax.get_title().splitlines()[0] for ax in fig.axes[1:]]
    ['max', 'average', 'sum']
    """
    x = as_float_array(feature_map, "feature_map", ndim=2, layout="(H, W)")
    size, stride = _check_window(x.shape, size, stride)
    if max(x.shape) > MAX_NUMBERED_SIDE:
        raise ValueError(
            f"`feature_map` must be at most {MAX_NUMBERED_SIDE} × {MAX_NUMBERED_SIDE} so that its "
            f"numbers can be read, got {describe(x)}"
        )
    height, width = x.shape
    out_h, out_w = (height - size) // stride + 1, (width - size) // stride + 1
    fig = Figure(figsize=(12, 3.9), dpi=100, layout="constrained")
    axes = fig.subplots(1, 4, width_ratios=[width] + [max(out_w, 0.5 * width)] * 3)
    _draw_map(axes[0], x, numbered=True, title=f"Rectified feature map, {height} × {width}")
    _draw_windows(axes[0], x, size, stride, "none", numbered=True)
    notes = {"max": "largest of each window", "average": "mean of each window", "sum": "total of each window"}
    for ax, (kind, pool) in zip(axes[1:], POOLING_KINDS.items(), strict=True):
        _draw_pooled(
            ax, pool(x, size, stride), numbered=True, overlapping=stride < size, title=f"{kind}\n({notes[kind]})"
        )
    fig.suptitle(
        f"Three kinds of pooling, {size} × {size} windows, stride {stride}: {height} × {width} → {out_h} × {out_w}",
        fontsize=13,
    )
    return fig
