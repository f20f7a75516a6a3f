"""What a face detector looks at (notebook 09): the two classes, their average faces, occluding each part.

Images are drawn in gray; the difference of the class averages and the drop in a
probability when part of the image is hidden on the signed map centred on 0 (red:
brighter in faces, or a drop). The images may come with a channel axis of 1, (N, 1, H, W), as the
network takes them.
"""

from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

from .._validation import as_float_array, as_int, describe
from .features import as_image_batch
from .style import GRAY_CMAP, add_colorbar, gray_style, signed_style

__all__ = [
    "class_means_figure",
    "face_samples_figure",
    "occlusion_figure",
]


def _bare(ax):
    ax.set(xticks=[], yticks=[])


def face_samples_figure(images, labels, *, per_class=8, class_names=("non-face", "face")) -> Figure:
    """The first ``per_class`` images of each class, a row per class, the last class first.

    Parameters
    ----------
    images : ndarray, shape (N, 1, H, W) or (N, H, W)
    labels : array_like of int, shape (N,)
        Indexes into ``class_names``.
    per_class : int, default 8
    class_names : sequence of str, default ("non-face", "face")

    Returns
    -------
    fig : matplotlib.figure.Figure
        ``len(class_names)`` rows of ``per_class`` axes, all images in gray on one scale.

    Examples
    --------
    >>> fig = face_samples_figure(np.zeros((4, 5, 5)), [0, 1, 1, 0], per_class=2)
    >>> [ax.get_ylabel() for ax in fig.axes if ax.get_ylabel()]
    ['face', 'non-face']
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
    fig.suptitle(
        f"{len(images)} images of {images.shape[1]} × {images.shape[2]} pixels: a few of each class", fontsize=11
    )
    return fig


def class_means_figure(images, labels, *, class_names=("non-face", "face")) -> Figure:
    """The average image of class 1, of class 0, and their difference.

    Parameters
    ----------
    images : ndarray, shape (N, 1, H, W) or (N, H, W)
    labels : array_like of 0 and 1, shape (N,)
        Both classes must occur.
    class_names : (str, str), default ("non-face", "face")

    Returns
    -------
    fig : matplotlib.figure.Figure
        Three axes of shape (H, W): the two averages in gray on one scale (one colour bar),
        and class 1 minus class 0 centred on 0 (its own colour bar).

    Examples
    --------
    >>> fig = class_means_figure(np.stack([np.ones((4, 4)), np.zeros((4, 4))]), [1, 0])
    >>> fig.axes[2].get_title().splitlines()[0], fig.axes[2].images[0].get_clim()
    ('face − non-face', (-1.0, 1.0))
    """
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
    shown = axes[2].imshow(means[0] - means[1], **signed_style(means[0] - means[1], percentile=100))
    axes[2].set_title(f"{class_names[1]} − {class_names[0]}\n(red: brighter in {class_names[1]}s)", fontsize=11)
    add_colorbar(shown, axes[2], shrink=0.85)
    for ax in axes:
        _bare(ax)
    fig.suptitle("the average of each class, and their difference", fontsize=12)
    return fig


def occlusion_figure(images, drops, *, size, class_name="face") -> Figure:
    """Images above the drop in P(class) when a ``size`` x ``size`` square centred on each pixel is hidden.

    Parameters
    ----------
    images : ndarray, shape (N, 1, H, W) or (N, H, W)
    drops : ndarray, shape (N, H, W)
        ``drops[n, i, j]``: P(``class_name``) of image n minus that probability with the square
        centred on pixel (i, j) hidden, as ``cnnlib.attribution.occlusion`` gives it; positive where
        hiding the square lowers the probability.
    size : int
        Side of the square.
    class_name : str, default "face"

    Returns
    -------
    fig : matplotlib.figure.Figure
        Two rows of N axes: the images, with the square whose hiding lowers the probability most
        outlined (centred on its pixel); the drops on the signed map centred on 0 (red: the
        probability falls, blue: it rises), one scale for all, titled with each map's largest
        drop, and one colour bar.

    Examples
    --------
    >>> d = np.zeros((1, 5, 5)); d[0, 3, 1] = 0.2
    >>> fig = occlusion_figure(np.zeros((1, 5, 5)), d, size=3)
    >>> fig.axes[1].get_title(), [float(v) for v in fig.axes[0].patches[0].get_xy()]
    ('largest drop 0.20', [-0.5, 1.5])
    """
    images = as_image_batch(images)
    size = as_int(size, "size", minimum=1)
    n = len(images)
    drops = as_float_array(drops, "drops", ndim=3, layout="(N, H, W)")
    if drops.shape != images.shape:
        hint = " (one per pixel: centre the square on each pixel)" if drops.shape[1:] != images.shape[1:] else ""
        raise ValueError(f"`drops` must have the images' shape {images.shape}{hint}, got {drops.shape}")
    style = signed_style(drops, percentile=100)
    fig = Figure(figsize=(1.5 * n + 1.4, 3.8), dpi=100, layout="constrained")
    axes = fig.subplots(2, n, squeeze=False)
    half = size // 2
    for k in range(n):
        i, j = np.unravel_index(np.argmax(drops[k]), drops[k].shape)
        axes[0, k].imshow(images[k], cmap=GRAY_CMAP)
        axes[0, k].add_patch(
            Rectangle((j - half - 0.5, i - half - 0.5), size, size, fill=False, ec="tab:orange", lw=2, clip_on=True)
        )
        shown = axes[1, k].imshow(drops[k], **style)
        axes[1, k].set_title(f"largest drop {drops[k].max():.2f}", fontsize=9)
        _bare(axes[0, k])
        _bare(axes[1, k])
    axes[0, 0].set_ylabel("image", fontsize=10)
    axes[1, 0].set_ylabel(f"drop in P({class_name}),\nsquare centred here", fontsize=9)
    add_colorbar(shown, axes[1, :], label=f"drop in P({class_name})", shrink=0.9)
    fig.suptitle(
        f"how much P({class_name}) drops when a {size} × {size} square centred on each pixel is hidden "
        "(outlined: the square that lowers it most)",
        fontsize=11,
    )
    return fig
