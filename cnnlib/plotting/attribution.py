"""Figures of what a trained network looks at (notebook 09): saliency maps and inputs made to excite a unit.

The maps come from :mod:`cnnlib.attribution`; these functions only draw them. Images
are in gray from 0 (black) to 1 (white), the scaled pixels the network takes; a
saliency map, ``|gradient|``, is never negative and is drawn in ``viridis`` from 0
(:mod:`cnnlib.plotting.style`), each on its own scale, since gradients of different
images differ in size.
"""

from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure

from .._validation import as_float_array, describe
from .features import as_image_batch
from .style import GRAY_CMAP, add_colorbar, gray_style, positive_style

__all__ = ["maximised_inputs_figure", "saliency_figure"]


def _bare(ax):
    ax.set(xticks=[], yticks=[])


def _labels(values, n: int, name: str) -> list:
    if values is None:
        return [None] * n
    values = list(np.ravel(values))
    if len(values) != n:
        raise ValueError(f"`{name}` must have one entry per image ({n}), got {describe(values)}")
    return values


def saliency_figure(images, maps, *, labels=None, predictions=None, title=None) -> Figure:
    """Each image above its saliency map, scaled to the map's largest value.

    Parameters
    ----------
    images : ndarray, shape (N, 1, H, W) or (N, H, W)
        Scaled to [0, 1].
    maps : ndarray, shape (N, H, W)
        E.g. ``cnnlib.attribution.saliency(network, images)``: never negative.
    labels, predictions : sequence of int, length N, optional
        Written above each image ("label 7, says 7"); a wrong prediction is written in red.
    title : str, optional

    Returns
    -------
    fig : matplotlib.figure.Figure
        Two rows of N axes: the images (gray, 0 to 1), and ``maps[n] / maps[n].max()`` in
        ``viridis`` from 0 to 1, with one colour bar.

    Examples
    --------
    >>> maps = np.zeros((2, 4, 4)); maps[0, 1, 2] = 3.0; maps[1, 0, 0] = 0.5
    >>> fig = saliency_figure(np.zeros((2, 4, 4)), maps, labels=[1, 2], predictions=[1, 3])
    >>> [ax.get_title() for ax in fig.axes[:2]], float(fig.axes[2].images[0].get_array().max())
    (['label 1, says 1', 'label 2, says 3'], 1.0)
    """
    images = as_image_batch(images)
    n, height, width = images.shape
    maps = as_float_array(maps, "maps", ndim=3, layout="(N, H, W)")
    if maps.shape != images.shape:
        raise ValueError(f"`maps` must have one (H, W) map per image, shape {images.shape}, got {maps.shape}")
    if maps.min() < 0:
        raise ValueError(f"`maps` must not be negative (a saliency map is |gradient|), got a minimum {maps.min():.3g}")
    labels, predictions = _labels(labels, n, "labels"), _labels(predictions, n, "predictions")
    fig = Figure(figsize=(1.55 * n + 1.3, 3.9), dpi=100, layout="constrained")
    axes = fig.subplots(2, n, squeeze=False)
    for k in range(n):
        axes[0, k].imshow(images[k], **gray_style(0, 1))
        parts = [f"label {labels[k]}" if labels[k] is not None else None]
        parts.append(f"says {predictions[k]}" if predictions[k] is not None else None)
        text = ", ".join(p for p in parts if p)
        wrong = labels[k] is not None and predictions[k] is not None and labels[k] != predictions[k]
        axes[0, k].set_title(text, fontsize=9, color="tab:red" if wrong else "black")
        top = float(maps[k].max())
        shown = axes[1, k].imshow(maps[k] / top if top > 0 else maps[k], **positive_style(vmax=1))
        _bare(axes[0, k])
        _bare(axes[1, k])
    axes[0, 0].set_ylabel("image", fontsize=10)
    axes[1, 0].set_ylabel("saliency\n|d score / d pixel|", fontsize=9)
    add_colorbar(shown, axes[1, :], label="share of the\nlargest value", shrink=0.9)
    fig.suptitle(title or "how much a small change of each pixel changes the class score", fontsize=11)
    return fig


def maximised_inputs_figure(images, titles, *, rows=1, title=None) -> Figure:
    """Inputs made to excite a channel or a class, each in gray from 0 to 1 with its own title.

    Parameters
    ----------
    images : sequence of ndarray, each of shape (1, h, w) or (h, w), values in [0, 1]
        E.g. the images of ``cnnlib.attribution.maximise_activation``; they may differ in size.
    titles : sequence of str
        One per image.
    rows : int, default 1
        The images fill ``rows`` rows, left to right.
    title : str, optional

    Returns
    -------
    fig : matplotlib.figure.Figure
        One axes per image (gray, 0 black to 1 white), titled.

    Examples
    --------
    >>> fig = maximised_inputs_figure([np.zeros((1, 5, 5)), np.ones((14, 14))], ["conv1 0", "conv2 3"])
    >>> [ax.get_title() for ax in fig.axes], fig.axes[1].images[0].get_array().shape
    (['conv1 0', 'conv2 3'], (14, 14))
    """
    pictures = []
    for k, image in enumerate(images):
        image = as_float_array(image, f"images[{k}]", ndim=(2, 3), layout="([1,] h, w)")
        if image.ndim == 3:
            if image.shape[0] != 1:
                raise ValueError(f"`images[{k}]` must be grayscale, (1, h, w), got shape {image.shape}")
            image = image[0]
        pictures.append(image)
    titles = list(titles)
    if not pictures or len(titles) != len(pictures):
        raise ValueError(f"`titles` must hold one title per image ({len(pictures)}), got {describe(titles)}")
    if isinstance(rows, bool) or not isinstance(rows, (int, np.integer)) or not 1 <= rows <= len(pictures):
        raise ValueError(f"`rows` must be an int from 1 to the number of images, {len(pictures)}, got {rows!r}")
    columns = -(-len(pictures) // rows)
    fig = Figure(figsize=(1.5 * columns + 0.4, 1.7 * rows + 0.6), dpi=100, layout="constrained")
    axes = fig.subplots(rows, columns, squeeze=False).ravel()
    for ax in axes:
        _bare(ax)
        ax.set_axis_off()
    for ax, picture, text in zip(axes, pictures, titles, strict=False):
        ax.set_axis_on()
        ax.imshow(picture, cmap=GRAY_CMAP, vmin=0, vmax=1)
        ax.set_title(text, fontsize=9)
    fig.suptitle(title or "inputs made, step by step, to excite one unit (black 0, white 1)", fontsize=11)
    return fig
