"""What a training run did (notebook 08): loss and accuracy per epoch, the filters it learned, the digits it gets wrong.

Colours follow the series' rule (:mod:`cnnlib.plotting.style`): digits in gray;
filters and their change on the signed map centred on 0, one scale for all;
counts in ``viridis``. How the network learns (the loss, its gradients, gradient
descent) is drawn by :mod:`cnnlib.plotting.learning`.
"""

from __future__ import annotations

import numpy as np
from matplotlib.colors import PowerNorm
from matplotlib.figure import Figure

from .._validation import as_float_array, as_int, describe
from .style import GRAY_CMAP, POSITIVE_CMAP, add_colorbar, number_grid, panel, signed_limit, signed_style

__all__ = [
    "confusion_matrix_figure",
    "filters_before_after_figure",
    "misclassified_figure",
    "training_history_figure",
]


def training_history_figure(history, *, target=0.98) -> Figure:
    """Loss and accuracy per epoch of :func:`cnnlib.training.fit`, with the target line.

    Parameters
    ----------
    history : cnnlib.training.History
        ``loss`` and ``accuracy`` of shape (E,), one per epoch; ``val_accuracy`` (E,) or empty.
    target : float or None, default 0.98
        An accuracy to reach, drawn as a dashed line.

    Returns
    -------
    fig : matplotlib.figure.Figure
        Two axes: the loss per epoch, the accuracies (%) per epoch; every point labelled.

    Examples
    --------
    >>> from cnnlib.training import History
    >>> fig = training_history_figure(History(loss=[0.5, 0.2], accuracy=[0.9, 0.95]))
    >>> [t.get_text() for t in fig.axes[1].texts]
    ['90.00%', '95.00%']
    """
    loss = as_float_array(getattr(history, "loss", None), "history.loss", ndim=1)
    accuracy = as_float_array(getattr(history, "accuracy", None), "history.accuracy", ndim=1)
    val = getattr(history, "val_accuracy", None)
    val = as_float_array(val, "history.val_accuracy", ndim=1) if val is not None and len(val) else np.zeros(0)
    epochs = np.arange(1, loss.size + 1)
    fig = Figure(figsize=(11, 3.8), dpi=100, layout="constrained")
    loss_ax, acc_ax = fig.subplots(1, 2)
    loss_ax.plot(epochs, loss, "o-", color="tab:blue")
    for e, v in zip(epochs, loss, strict=True):
        loss_ax.annotate(f"{v:.3f}", (e, v), xytext=(0, 6), textcoords="offset points", ha="center", fontsize=9)
    loss_ax.set(
        xlabel="epoch",
        ylabel="mean cross-entropy",
        title="training loss (mean over the epoch)",
        xticks=epochs,
        ylim=(0, 1.25 * loss.max()),
    )
    lines = [
        (accuracy, val, "training (during the epoch)", "tab:blue"),
        (val, accuracy, "validation (after the epoch)", "tab:orange"),
    ]
    for values, other, name, colour in lines[: 2 if val.size else 1]:
        acc_ax.plot(epochs[: values.size], 100 * values, "o-", color=colour, label=name)
        for i, v in enumerate(values):
            above = i >= other.size or v >= other[i]  # the higher of the two points is labelled above it
            acc_ax.annotate(
                f"{100 * v:.2f}%",
                (i + 1, 100 * v),
                xytext=(0, 8 if above else -9),
                textcoords="offset points",
                ha="center",
                va="bottom" if above else "top",
                fontsize=9,
                color=colour,
            )
    if target is not None:
        acc_ax.axhline(100 * target, color="0.5", ls="--", lw=1, label=f"target {100 * target:g}%")
    shown = np.concatenate([accuracy, val, [target or accuracy.min()]])
    acc_ax.set(
        xlabel="epoch",
        ylabel="accuracy (%)",
        title="accuracy",
        xticks=epochs,
        ylim=(100 * shown.min() - 1.0, min(100.4, 100 * shown.max() + 0.8)),
    )
    acc_ax.legend(fontsize=9, loc="lower right")
    return fig


def filters_before_after_figure(before, after) -> Figure:
    """First-layer filters before and after training, and the change, on one colour scale centred on 0.

    Parameters
    ----------
    before, after : array_like, shape (F, 1, KH, KW) or (F, KH, KW)

    Returns
    -------
    fig : matplotlib.figure.Figure
        Three rows of F axes (before, after, after - before), all between ``-L`` and ``L``
        with ``L`` the largest |weight| of the three, and one colour bar.

    Examples
    --------
    >>> fig = filters_before_after_figure(np.zeros((2, 3, 3)), np.ones((2, 3, 3)))
    >>> len(fig.axes), fig.axes[0].images[0].get_clim()
    (7, (-1.0, 1.0))
    """
    arrays = []
    for name, value in (("before", before), ("after", after)):
        value = as_float_array(value, name, ndim=(3, 4), layout="(F, [1,] KH, KW)")
        if value.ndim == 4:
            if value.shape[1] != 1:
                raise ValueError(f"`{name}` must have one input channel, got shape {value.shape}")
            value = value[:, 0]
        arrays.append(value)
    if arrays[0].shape != arrays[1].shape:
        raise ValueError(f"`before` and `after` must have one shape, got {arrays[0].shape} and {arrays[1].shape}")
    n_filters = arrays[0].shape[0]
    arrays.append(arrays[1] - arrays[0])
    limit = signed_limit(np.concatenate([a.ravel() for a in arrays]), percentile=100)
    fig = Figure(figsize=(1.3 * n_filters + 1.4, 4.9), dpi=100, layout="constrained")
    axes = fig.subplots(3, n_filters, squeeze=False)
    names = ("before training", "after training", "change\n(after - before)")
    for row, (name, values) in enumerate(zip(names, arrays, strict=True)):
        for f in range(n_filters):
            shown = axes[row, f].imshow(values[f], **signed_style(limit=limit))
            axes[row, f].set(xticks=[], yticks=[])
            if row == 0:
                axes[row, f].set_title(f"filter {f}", fontsize=9)
        axes[row, 0].set_ylabel(name, fontsize=10)
    add_colorbar(shown, axes, label="weight (red > 0, blue < 0)")
    fig.suptitle("first-layer filters (3 × 3 weights)" if arrays[0].shape[1:] == (3, 3) else "first-layer filters")
    return fig


def confusion_matrix_figure(confusion, *, title="confusion matrix on the test digits", ax=None) -> Figure:
    """Counts of (true class, predicted class), written in every cell; colour on a square-root scale.

    Parameters
    ----------
    confusion : array_like of int, shape (K, K)
        ``confusion[t, p]`` = how many examples of class t were predicted as p.
    title : str, default "confusion matrix on the test digits"
    ax : matplotlib.axes.Axes, optional
        Draw into this panel of another figure (and return that figure) instead of a new figure.

    Returns
    -------
    fig : matplotlib.figure.Figure
        One axes of K x K cells, each count written in (the diagonal, the right answers, in
        bold), ``viridis`` on a square-root scale from 0, and a colour bar.

    Examples
    --------
    >>> ax = confusion_matrix_figure(np.array([[5, 1], [0, 7]])).axes[0]
    >>> [t.get_text() for t in ax.texts], ax.get_xlabel()
    (['5', '1', '0', '7'], 'predicted class')
    """
    counts = np.asarray(confusion)
    if counts.ndim != 2 or counts.shape[0] != counts.shape[1] or counts.dtype.kind not in "iu":
        raise ValueError(f"`confusion` must be a square array of integer counts, got {describe(confusion)}")
    fig, ax = panel(ax, figsize=(7.4, 6.4), dpi=100)
    shown = number_grid(
        ax,
        counts,
        cmap=POSITIVE_CMAP,
        norm=PowerNorm(0.5, vmin=0, vmax=max(int(counts.max()), 1)),
        fontsize=9,
        lines=None,
        xlabel="predicted class",
        ylabel="true class",
        labelsize=None,
        title=title,
    )
    for (t, p), text in zip(np.ndindex(counts.shape), ax.texts[-counts.size :], strict=True):
        text.set_fontsize(8 if counts[t, p] >= 1000 else 9)
        text.set_fontweight("bold" if t == p else "normal")
    add_colorbar(shown, ax, label="count (square-root colour scale)", shrink=0.85)
    return fig


def misclassified_figure(images, true_labels, predicted_labels, *, columns=10, max_images=40) -> Figure:
    """A grid of digits, each titled with its true and predicted class.

    Parameters
    ----------
    images : array_like, shape (N, H, W) or (N, 1, H, W)
    true_labels, predicted_labels : array_like of int, shape (N,)
    columns, max_images : int, default 10 and 40
        The first ``max_images`` images are drawn, ``columns`` per row.

    Returns
    -------
    fig : matplotlib.figure.Figure
        A grid of ``columns`` axes per row, each digit in gray titled "true t, got p"
        (a figure without axes if there are no images).

    Examples
    --------
    >>> fig = misclassified_figure(np.zeros((2, 28, 28)), [4, 7], [9, 1], columns=2)
    >>> [ax.get_title() for ax in fig.axes]
    ['true 4, got 9', 'true 7, got 1']
    """
    if np.shape(images)[:1] == (0,):  # nothing misclassified
        fig = Figure(figsize=(6, 1), dpi=100, layout="constrained")
        fig.suptitle("no misclassified digits")
        return fig
    images = as_float_array(images, "images", ndim=(3, 4), layout="(N, [1,] H, W)")
    if images.ndim == 4:
        images = images[:, 0]
    true_labels, predicted_labels = np.asarray(true_labels), np.asarray(predicted_labels)
    if true_labels.shape != (len(images),) or predicted_labels.shape != (len(images),):
        raise ValueError(
            f"`true_labels` and `predicted_labels` must have shape ({len(images)},), got "
            f"{true_labels.shape} and {predicted_labels.shape}"
        )
    columns, max_images = as_int(columns, "columns", minimum=1), as_int(max_images, "max_images", minimum=1)
    n = min(len(images), max_images)
    rows = max(1, -(-n // columns))
    fig = Figure(figsize=(1.15 * columns, 1.35 * rows + 0.5), dpi=100, layout="constrained")
    axes = fig.subplots(rows, columns, squeeze=False)
    for i, ax in enumerate(axes.flat):
        ax.set_axis_off()
        if i < n:
            ax.imshow(images[i], cmap=GRAY_CMAP)
            ax.set_title(f"true {true_labels[i]}, got {predicted_labels[i]}", fontsize=8)
    fig.suptitle(
        f"{n} of the {len(images)} misclassified test digits" if n < len(images) else f"the {n} misclassified digits"
    )
    return fig
