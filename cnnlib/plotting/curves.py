"""Training curves (notebook 08): the loss step by step, training against validation, runs side by side.

One colour per run or per kind of data, the same in every panel: training in blue, validation in
orange; a raw per-step loss is drawn light and its moving average dark, since a mini-batch's loss is
noisy (each batch holds other digits).
"""

from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from .._validation import as_float_array, as_int

__all__ = ["loss_curves_figure", "moving_average", "optimizer_comparison_figure", "overfitting_figure"]

TRAIN, VALIDATION = "tab:blue", "tab:orange"


def moving_average(values, window) -> np.ndarray:
    """The mean of each run of ``window`` consecutive values (shape (N - window + 1,)); all of them if fewer.

    Examples
    --------
    >>> moving_average([1.0, 2.0, 3.0, 4.0], 2)
    array([1.5, 2.5, 3.5])
    """
    values = as_float_array(values, "values", ndim=1, layout="(N,)")
    window = min(as_int(window, "window", minimum=1), max(values.size, 1))
    return np.convolve(values, np.ones(window) / window, mode="valid")


def _epoch_lists(history):
    def as_list(name):
        values = getattr(history, name, None)
        return as_float_array(values, f"history.{name}", ndim=1) if values is not None and len(values) else None

    return as_list("loss"), as_list("accuracy"), as_list("val_accuracy")


def loss_curves_figure(history, *, smooth=50) -> Figure:
    """The loss of every step with its moving average, and accuracy per epoch, training against validation.

    Parameters
    ----------
    history : cnnlib.training.History
        ``batch_loss`` (S,), one per step; ``loss``, ``accuracy`` and ``val_accuracy`` (E,), one per epoch.
    smooth : int, default 50
        Steps per moving average.

    Returns
    -------
    fig : matplotlib.figure.Figure
        Two panels: the loss against the step (the epoch means drawn at each epoch's last step),
        the accuracies (%) against the epoch.
    """
    steps = as_float_array(getattr(history, "batch_loss", None), "history.batch_loss", ndim=1)
    loss, accuracy, val = _epoch_lists(history)
    if loss is None or accuracy is None:
        raise ValueError("`history` must hold at least one epoch of loss and accuracy")
    fig = Figure(figsize=(11, 3.8), dpi=90, layout="constrained")
    loss_ax, acc_ax = fig.subplots(1, 2)
    loss_ax.plot(np.arange(1, steps.size + 1), steps, color=TRAIN, alpha=0.25, lw=0.8, label="each mini-batch")
    window = min(smooth, steps.size)
    loss_ax.plot(np.arange(window, steps.size + 1), moving_average(steps, window), color=TRAIN, lw=2,
                 label=f"mean of the last {window}")  # fmt: skip
    ends = np.linspace(steps.size / loss.size, steps.size, loss.size)
    loss_ax.plot(ends, loss, "o", color="black", label="mean over the epoch")
    loss_ax.set(xlabel="step (one mini-batch each)", ylabel="cross-entropy", yscale="log", title="training loss")
    loss_ax.legend(fontsize=8)
    epochs = np.arange(1, loss.size + 1)
    acc_ax.plot(epochs, 100 * accuracy, "o-", color=TRAIN, label="training (during the epoch)")
    if val is not None:
        acc_ax.plot(epochs[: val.size], 100 * val, "o-", color=VALIDATION, label="validation (after the epoch)")
    acc_ax.set(xlabel="epoch", ylabel="accuracy (%)", xticks=epochs, title="accuracy")
    acc_ax.legend(fontsize=8, loc="lower right")
    return fig


def optimizer_comparison_figure(batch_losses, *, smooth=20) -> Figure:
    """The moving average of the loss per step, one line per optimizer (same start, same batches).

    Parameters
    ----------
    batch_losses : dict of str -> sequence of float
        A label per run and the loss of each of its steps.
    smooth : int, default 20

    Returns
    -------
    fig : matplotlib.figure.Figure
        One panel, log-scaled loss.
    """
    if not isinstance(batch_losses, dict) or not batch_losses:
        raise TypeError(
            f"`batch_losses` must be a non-empty dict of label -> losses, got {type(batch_losses).__name__}"
        )
    fig = Figure(figsize=(7.5, 3.8), dpi=90, layout="constrained")
    ax = fig.add_subplot()
    for label, losses in batch_losses.items():
        losses = as_float_array(losses, f"batch_losses[{label!r}]", ndim=1)
        window = min(smooth, losses.size)
        ax.plot(np.arange(window, losses.size + 1), moving_average(losses, window), lw=2, label=str(label))
    ax.set(xlabel="step", ylabel=f"loss (mean of {smooth} steps)", yscale="log", title="same start, same batches")
    ax.legend(fontsize=9)
    return fig


def overfitting_figure(histories) -> Figure:
    """Training against validation accuracy per epoch, one panel per run.

    Parameters
    ----------
    histories : dict of str -> cnnlib.training.History
        A title per run; each with ``accuracy`` and ``val_accuracy`` per epoch.

    Returns
    -------
    fig : matplotlib.figure.Figure
        One panel per run, on one accuracy scale; the gap between the two lines is what was memorised.
    """
    if not isinstance(histories, dict) or not histories:
        raise TypeError(f"`histories` must be a non-empty dict of title -> History, got {type(histories).__name__}")
    fig = Figure(figsize=(3.7 * len(histories), 3.5), dpi=90, layout="constrained")
    axes = np.atleast_1d(fig.subplots(1, len(histories), sharey=True))
    for ax, (title, history) in zip(axes, histories.items(), strict=True):
        _, accuracy, val = _epoch_lists(history)
        if accuracy is None or val is None:
            raise ValueError(f"histories[{title!r}] must hold training and validation accuracy per epoch")
        epochs = np.arange(1, accuracy.size + 1)
        ax.plot(epochs, 100 * accuracy, color=TRAIN, lw=2, label="training")
        ax.plot(epochs, 100 * val, color=VALIDATION, lw=2, label="validation")
        best = getattr(history, "best_epoch", None)
        if best is not None:
            ax.axvline(best + 1, color="0.5", ls="--", lw=1, label=f"best validation: epoch {best + 1}")
        ax.set(title=str(title), xlabel="epoch")
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        ax.legend(fontsize=8, loc="lower right")
    axes[0].set_ylabel("accuracy (%)")
    return fig
