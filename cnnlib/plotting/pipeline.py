"""The map of the whole pipeline (notebook 00): image -> conv -> ReLU -> pool -> dense -> prediction.

One panel of boxes and arrows, each box with a small picture of its stage, the
shape of what it outputs (computed from the sizes given) and one line on what
it does.
"""

from __future__ import annotations

import numpy as np
from matplotlib import colormaps
from matplotlib.figure import Figure
from matplotlib.patches import Circle, FancyBboxPatch, Rectangle

from .._validation import as_int
from ..data import load_mnist
from .style import as_pixels, gray_style, panel

__all__ = ["pipeline_figure"]

_BOX_W, _BOX_H, _GAP = 1.9, 2.6, 0.5


def _stack(ax, cx, cy, size, count, colors):
    """Draw ``count`` offset squares of side ``size`` centred near (cx, cy): a stack of maps."""
    step = 0.05
    x0 = cx - size / 2 - step * (count - 1) / 2
    y0 = cy - size / 2 + step * (count - 1) / 2
    for i in range(count):
        corner = (x0 + i * step, y0 - i * step)
        ax.add_patch(Rectangle(corner, size, size, fc=colors[i % len(colors)], ec="0.2", lw=0.6))


# How many classes the dense and prediction boxes draw at most (one dot and one bar each).
_MAX_DRAWN_CLASSES = 10


def _draw_glyph(ax, kind, cx, cy, digit, n_classes, label):
    """Draw the small picture of one pipeline stage, centred at (cx, cy).

    ``digit`` is the input image; the dense and prediction boxes draw ``n_classes`` dots and
    bars (at most ``_MAX_DRAWN_CLASSES``), the prediction's tallest at ``label``, or all alike
    with a "?" when the class is not known.
    """
    maps = colormaps["viridis"](np.linspace(0.15, 0.9, 8))
    drawn = min(n_classes, _MAX_DRAWN_CLASSES)
    scale = _MAX_DRAWN_CLASSES / drawn  # fewer classes: wider bars, further apart
    if kind == "image":
        extent = (cx - 0.5, cx + 0.5, cy - 0.5, cy + 0.5)
        ax.imshow(digit, **gray_style(), extent=extent, interpolation="nearest", zorder=3)
    elif kind == "conv":
        _stack(ax, cx, cy, 0.72, 8, maps)
    elif kind == "relu":
        z = np.linspace(-1, 1, 3)
        ax.plot([cx - 0.5, cx + 0.5], [cy - 0.35] * 2, color="0.6", lw=0.8)
        ax.plot(cx + 0.5 * z, cy - 0.35 + 0.7 * np.maximum(z, 0), color="tab:red", lw=2.5)
    elif kind == "pool":
        _stack(ax, cx, cy, 0.42, 8, maps)
    elif kind == "dense":
        for i in range(drawn):
            ax.add_patch(Circle((cx, cy - 0.5 + i * 0.111 * scale), 0.045, fc="tab:blue", ec="0.2", lw=0.5))
    elif kind == "prediction":
        step = 0.1 * scale
        for i, h in enumerate(_probabilities(drawn, label)):
            color = "tab:orange" if i == label else "0.7"
            ax.add_patch(Rectangle((cx - 0.5 + i * step, cy - 0.45), 0.08 * scale, h, fc=color))
        where = cx if label is None else cx - 0.5 + label * step + 0.04 * scale
        text = "?" if label is None else str(label)
        ax.text(where, cy + 0.38, text, ha="center", va="bottom", fontsize=10, weight="bold")


def _probabilities(count: int, label) -> np.ndarray:
    """Bar heights for the prediction's picture, adding up to 1: most on ``label``, or all equal if None."""
    if label is None:
        return np.full(count, 1.0 / count)
    rest = np.array([0.02, 0.01, 0.03, 0.03, 0.01, 0.02, 0.01, 0.04, 0.03])[: count - 1]
    heights = np.insert(rest, label, 0.0)
    heights[label] = 1.0 - rest.sum()
    return heights


def _first_test_seven() -> np.ndarray:
    """The first digit of the shipped MNIST test set (a 7): the picture in the image box by default."""
    return load_mnist().test_images[0]


def pipeline_figure(
    image_size=28, n_filters=8, kernel_size=3, pool_size=2, n_classes=10, *, digit=None, label=None, ax=None
) -> Figure:
    """Draw the map of a CNN: image -> convolution -> ReLU -> pooling -> dense -> prediction.

    Each stage is a box with its name, the shape of what it outputs and one
    line on what it does; arrows show the order. Shapes are computed from the
    arguments for one convolution layer ('valid', stride 1) and one pooling
    layer (stride = window).

    Parameters
    ----------
    image_size : int, default 28
        Height and width H = W of the square grayscale input image.
    n_filters : int, default 8
        Number of filters F, so the number of feature maps.
    kernel_size : int, default 3
        Filter height and width KH = KW.
    pool_size : int, default 2
        Pooling window size, also its stride.
    n_classes : int, default 10
        Number of classes the dense layer scores.
    digit : array_like, shape (H, W), pixels 0-255, optional
        The picture drawn in the image box, in gray from 0 (black) to 255 (white).
        By default the first digit of the shipped MNIST test set, a real 28 x 28 "7"
        (``cnnlib.data.load_mnist().test_images[0]``), matching the default ``image_size``.
    label : int, optional
        The class the prediction box shows as the most likely, 0 <= label < n_classes (and
        below 10: the box draws at most 10 bars). By default 7 for the default digit; for a
        digit of your own, none: the bars are all alike, under a "?".
    ax : matplotlib.axes.Axes, optional
        Draw into this panel (and return its figure) instead of a new figure.

    Returns
    -------
    fig : matplotlib.figure.Figure
        One axes without ticks. Feature maps have shape (F, OH, OW) with
        OH = OW = H - KH + 1; pooled maps (F, PH, PW) with PH = PW = OH // pool_size.

    Raises
    ------
    TypeError, ValueError
        If an argument is not a positive integer, or a window does not fit.

    Examples
    --------
    >>> fig = pipeline_figure()
    >>> fig.axes[0].get_title()
    'The CNN pipeline: from pixels to a prediction'
    """
    image_size = as_int(image_size, "image_size", minimum=1)
    n_filters = as_int(n_filters, "n_filters", minimum=1)
    kernel_size = as_int(kernel_size, "kernel_size", minimum=1)
    pool_size = as_int(pool_size, "pool_size", minimum=1)
    n_classes = as_int(n_classes, "n_classes", minimum=2)
    if digit is None:  # the first test digit, a 7: the prediction box names it, if it has a bar for it
        digit = _first_test_seven()
        label = 7 if label is None and min(n_classes, _MAX_DRAWN_CLASSES) > 7 else label
    else:
        digit = as_pixels(digit, "digit", layout="gray")
    if label is not None:
        label = as_int(label, "label", minimum=0)
        drawn = min(n_classes, _MAX_DRAWN_CLASSES)
        if label >= drawn:
            raise ValueError(
                f"`label` must be a class the prediction box draws, from 0 to {drawn - 1} (one bar per class, "
                f"n_classes = {n_classes}, at most {_MAX_DRAWN_CLASSES}), got {label}"
            )
    if kernel_size > image_size:
        raise ValueError(f"`kernel_size` must be <= `image_size` = {image_size}, got {kernel_size}")
    conv = image_size - kernel_size + 1
    if pool_size > conv:
        raise ValueError(f"`pool_size` must be <= the feature map size {conv}, got {pool_size}")
    pooled = conv // pool_size
    flat = n_filters * pooled * pooled
    k, p = kernel_size, pool_size
    stages = [
        ("Image", "image", f"{image_size} × {image_size}", "pixels 0-255,\n1 channel (gray)"),
        ("Convolution", "conv", f"{n_filters} × {conv} × {conv}", f"{n_filters} filters of {k} × {k}\n→ feature maps"),
        ("ReLU", "relu", f"{n_filters} × {conv} × {conv}", "negatives → 0\n→ rectified maps"),
        ("Pooling", "pool", f"{n_filters} × {pooled} × {pooled}", f"max per {p} × {p} window\n→ pooled maps"),
        ("Dense", "dense", f"{n_classes} scores", f"flatten {flat:,} numbers,\nweigh them → scores"),
        ("Prediction", "prediction", f"{n_classes} probabilities", "softmax: positive,\nadding up to 1"),
    ]

    fig, ax = panel(ax, figsize=(13, 4.1), dpi=100)
    for i, (name, glyph, shape, note) in enumerate(stages):
        x = i * (_BOX_W + _GAP)
        cx = x + _BOX_W / 2
        style = "round,pad=0.02,rounding_size=0.12"
        ax.add_patch(FancyBboxPatch((x, 0), _BOX_W, _BOX_H, boxstyle=style, fc="#f4f6fb", ec="0.3"))
        ax.text(cx, _BOX_H - 0.22, name, ha="center", va="center", fontsize=13, weight="bold")
        _draw_glyph(ax, glyph, cx, 1.5, digit, n_classes, label)
        ax.text(cx, 0.72, shape, ha="center", va="center", fontsize=11.5, color="#1f3b73")
        ax.text(cx, 0.3, note, ha="center", va="center", fontsize=9.5, color="0.3", linespacing=1.3)
        if i:
            arrow = {"arrowstyle": "-|>", "lw": 2, "color": "0.25", "mutation_scale": 18}
            ax.annotate("", xy=(x - 0.04, _BOX_H / 2), xytext=(x - _GAP + 0.04, _BOX_H / 2), arrowprops=arrow)

    def bracket(first, last, label):
        left, right, y = first * (_BOX_W + _GAP), last * (_BOX_W + _GAP) + _BOX_W, _BOX_H + 0.18
        ax.plot([left, left, right, right], [y, y + 0.12, y + 0.12, y], color="0.4", lw=1.2)
        ax.text((left + right) / 2, y + 0.22, label, ha="center", va="bottom", fontsize=10.5, style="italic")

    bracket(1, 3, "feature extraction: conv → ReLU → pool, repeated as often as needed")
    bracket(4, 5, "classification")
    learned = (
        "Training learns the filter values, the dense weights and the biases; "
        "sizes, stride and the number of filters are chosen by you and never change."
    )
    ax.text(3 * (_BOX_W + _GAP) - _GAP / 2, -0.3, learned, ha="center", va="top", fontsize=10, color="0.25")
    ax.set_xlim(-0.15, 6 * _BOX_W + 5 * _GAP + 0.15)
    ax.set_ylim(-0.6, _BOX_H + 0.7)
    ax.set_aspect("equal")
    ax.set_axis_off()
    ax.set_title("The CNN pipeline: from pixels to a prediction", fontsize=15, weight="bold")
    return fig
