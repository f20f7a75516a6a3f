"""What pooling does to real feature maps (notebook 06): keeps strong responses, tolerates shifts, averages globally.

Rectified maps are never negative, so they are drawn in ``viridis`` from 0
(:func:`~cnnlib.plotting.style.positive_style`), maps compared with each other on
one colour scale; photos and differences in gray. How the window moves over a
map is drawn by :mod:`cnnlib.plotting.pooling`.
"""

from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure

from .._validation import as_choice, as_float_array, describe
from ..pooling import POOLING_KINDS, avg_pool2d, max_pool2d
from .pooling import _check_window
from .style import GRAY_CMAP, add_colorbar, gray_style, panel, pixel_axes, positive_style

__all__ = [
    "global_average_pool_figure",
    "pooling_real_map_figure",
    "pooling_shift_figure",
    "shift_similarity_figure",
]


def pooling_real_map_figure(image, feature_map, size=2, stride=None) -> Figure:
    """An image, its rectified feature map, and that map max-pooled and average-pooled.

    The three maps share one colour scale (0 to the largest value of the
    rectified map), so it shows that max pooling keeps the strongest responses
    while averaging dims thin, isolated ones.

    Parameters
    ----------
    image : ndarray, shape (H, W)
        The grayscale input, drawn in gray.
    feature_map : ndarray, shape (H', W')
        A rectified feature map of ``image`` (non-negative).
    size : int, default 2
    stride : int, optional
        ``None`` means ``stride = size``.

    Returns
    -------
    fig : matplotlib.figure.Figure
        Four image axes (plus one colour bar), titled with their shapes.

    Raises
    ------
    TypeError, ValueError
        If an array is not 2-D, or the window does not fit in the feature map.

    Examples
    --------
    >>> fig = pooling_real_map_figure(np.zeros((10, 10)), np.ones((8, 8)), size=4)
    >>> fig.axes[2].get_title()
    'Max-pooled, 2 × 2'
    """
    image = as_float_array(image, "image", ndim=2, layout="(H, W)")
    x = as_float_array(feature_map, "feature_map", ndim=2, layout="(H, W)")
    size, stride = _check_window(x.shape, size, stride)
    style = positive_style(x)
    fig = Figure(figsize=(13, 3.9), dpi=100, layout="constrained")
    axes = fig.subplots(1, 4)
    axes[0].imshow(image, cmap=GRAY_CMAP, interpolation="nearest")
    axes[0].set_title(f"Image, {image.shape[0]} × {image.shape[1]}")
    panels = [
        ("Rectified feature map", x),
        ("Max-pooled", max_pool2d(x, size, stride)),
        ("Average-pooled", avg_pool2d(x, size, stride)),
    ]
    for ax, (name, values) in zip(axes[1:], panels, strict=True):
        shown = ax.imshow(values, **style, interpolation="nearest")
        ax.set_title(f"{name}, {values.shape[0]} × {values.shape[1]}")
    for ax in axes:
        pixel_axes(ax)
    add_colorbar(shown, list(axes[1:]), label="response (one colour scale for all three)", shrink=0.85)
    fig.suptitle(f"Pooling a real feature map with {size} × {size} windows, stride {stride}", fontsize=13)
    return fig


def pooling_shift_figure(feature_map, shifted_map, size=2, stride=None, kind="max") -> Figure:
    """Two maps (before and after a shift of the input), their pooled maps, and where they differ.

    Parameters
    ----------
    feature_map, shifted_map : ndarray, shape (H, W)
        Rectified feature maps of an image and of the same image shifted.
    size : int, default 2
    stride : int, optional
        ``None`` means ``stride = size``.
    kind : {"max", "average", "sum"}, default "max"

    Returns
    -------
    fig : matplotlib.figure.Figure
        Two rows of three axes: the maps and their absolute difference, then
        the pooled maps (OH, OW) and theirs. Each difference is titled with how
        many of the active cells (non-zero in either map) kept exactly their value.

    Raises
    ------
    TypeError, ValueError
        If the maps are not 2-D or differ in shape, ``kind`` is unknown, or the
        window does not fit.

    Examples
    --------
    >>> a = np.zeros((6, 6)); a[2, 2] = 1
    >>> fig = pooling_shift_figure(a, np.roll(a, 1, axis=1))
    >>> fig.axes[2].get_title(), fig.axes[5].get_title()
    ('|difference|: 0 of 2 active cells unchanged', '|difference|: 1 of 1 active cells unchanged')
    """
    a = as_float_array(feature_map, "feature_map", ndim=2, layout="(H, W)")
    b = as_float_array(shifted_map, "shifted_map", ndim=2, layout="(H, W)")
    if a.shape != b.shape:
        raise ValueError(f"`shifted_map` must have the shape of `feature_map` {a.shape}, got {describe(b)}")
    kind = as_choice(kind, "kind", POOLING_KINDS)
    size, stride = _check_window(a.shape, size, stride)
    pooled_a, pooled_b = POOLING_KINDS[kind](a, size, stride), POOLING_KINDS[kind](b, size, stride)
    fig = Figure(figsize=(11, 7.2), dpi=100, layout="constrained")
    axes = fig.subplots(2, 3)
    rows = [("rectified map", a, b), (f"{kind}-pooled", pooled_a, pooled_b)]
    for row, (name, first, second) in zip(axes, rows, strict=True):
        style = positive_style(np.concatenate([first.ravel(), second.ravel()]))
        row[0].imshow(first, **style, interpolation="nearest")
        row[0].set_title(f"{name}, {first.shape[0]} × {first.shape[1]}")
        shown = row[1].imshow(second, **style, interpolation="nearest")
        row[1].set_title(f"{name}, input shifted")
        add_colorbar(shown, row[1], label="value", shrink=0.85)
        difference = np.abs(first - second)
        active = (first > 0) | (second > 0)
        unchanged = int(np.count_nonzero((difference == 0) & active))
        diff_image = row[2].imshow(difference, **gray_style(0, style["vmax"]), interpolation="nearest")
        row[2].set_title(f"|difference|: {unchanged} of {int(active.sum())} active cells unchanged")
        add_colorbar(diff_image, row[2], label="|difference|", shrink=0.85)
        for ax in row:
            pixel_axes(ax)
    fig.suptitle(
        f"The input shifted: its rectified map and {size} × {size} {kind}-pooled map (stride {stride}) "
        "before and after",
        fontsize=13,
    )
    return fig


def global_average_pool_figure(maps, labels=None) -> Figure:
    """A stack of feature maps and the one number per map that global average pooling keeps.

    Parameters
    ----------
    maps : ndarray, shape (C, H, W)
        C rectified feature maps, 1 <= C <= 8.
    labels : sequence of C str, optional
        A name for each map (e.g. its filter); default "map 0", "map 1", ...

    Returns
    -------
    fig : matplotlib.figure.Figure
        C map axes (one colour scale, with its colour bar) and a bar chart of the C averages,
        ``maps.mean(axis=(1, 2))``, shape (C,).

    Raises
    ------
    TypeError, ValueError
        If ``maps`` is not 3-D or holds more than 8 maps, or ``labels`` does not
        name each map.

    Examples
    --------
    >>> fig = global_average_pool_figure(np.ones((3, 5, 5)))
    >>> fig.axes[-1].get_ylabel()
    'average of the map'
    """
    x = as_float_array(maps, "maps", ndim=3, layout="(C, H, W)")
    channels = x.shape[0]
    if channels > 8:
        raise ValueError(f"`maps` must hold at most 8 maps to be drawn side by side, got {describe(x)}")
    labels = [f"map {c}" for c in range(channels)] if labels is None else [str(label) for label in labels]
    if len(labels) != channels:
        raise ValueError(f"`labels` must name each of the {channels} maps, got {len(labels)} labels")
    averages = x.mean(axis=(1, 2))
    fig = Figure(figsize=(2.6 * max(channels, 3), 5.4), dpi=100, layout="constrained")
    grid = fig.add_gridspec(2, channels, height_ratios=[1, 0.6])
    style = positive_style(x)
    map_axes = []
    for c in range(channels):
        ax = fig.add_subplot(grid[0, c])
        image = ax.imshow(x[c], **style, interpolation="nearest")
        ax.set_title(f"{labels[c]}\naverage {averages[c]:.3f}", fontsize=10)
        pixel_axes(ax, ylabel="row" if c == 0 else "")
        map_axes.append(ax)
    add_colorbar(image, map_axes, label="value (one scale for all)")
    bars = fig.add_subplot(grid[1, :])
    bars.bar(range(channels), averages, color="#0072B2")
    bars.set_xticks(range(channels), labels)
    bars.set_xlabel("feature map")
    bars.set_ylabel("average of the map")
    bars.set_title(f"Global average pooling: {channels} maps of {x.shape[1]} × {x.shape[2]} → {channels} numbers")
    return fig


def shift_similarity_figure(shifts, similarities, *, ylabel="correlation with the unshifted map", ax=None) -> Figure:
    """How alike a map stays when its input shifts: one line per way of pooling (or none).

    Parameters
    ----------
    shifts : sequence of int, length S
        The shifts of the input, in pixels (the x axis).
    similarities : dict of str to sequence of float, each of length S
        ``{label: values}``: one curve per label, e.g. ``{"no pooling": [...], "max pool 2": [...]}``,
        each value a similarity (such as a correlation) between the map of the image and that of
        its shifted copy.
    ylabel : str
        Name of the measure, on the y axis.
    ax : Axes, optional
        Draw into this panel instead of a new figure.

    Returns
    -------
    fig : Figure
        One panel with a marked line per label, a dotted line at 0, and a legend.

    Examples
    --------
    >>> fig = shift_similarity_figure([0, 1, 2], {"no pooling": [1.0, 0.5, 0.0], "max pool 2": [1.0, 0.7, 0.3]})
    >>> [line.get_label() for line in fig.axes[0].get_lines()[:2]]
    ['no pooling', 'max pool 2']
    """
    shifts = as_float_array(shifts, "shifts", ndim=1, layout="(S,)")
    if not isinstance(similarities, dict) or not similarities:
        raise TypeError(f"`similarities` must be a non-empty dict of label to values, got {describe(similarities)}")
    fig, ax = panel(ax, figsize=(7, 3.8), dpi=100)
    for label, values in similarities.items():
        values = as_float_array(values, f"similarities[{label!r}]", ndim=1, layout="(S,)")
        if values.shape != shifts.shape:
            raise ValueError(
                f"`similarities[{label!r}]` must have one value per shift ({len(shifts)}), got {len(values)}"
            )
        ax.plot(shifts, values, marker="o", label=str(label))
    ax.axhline(0.0, color="0.5", linestyle=":", linewidth=1)
    ax.set_xticks(shifts)
    ax.set_xlabel("shift of the input (pixels)")
    ax.set_ylabel(ylabel)
    ax.set_title("How alike the maps stay when the input shifts")
    ax.grid(alpha=0.3)
    ax.legend()
    return fig
