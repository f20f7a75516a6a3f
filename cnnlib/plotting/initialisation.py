"""Starting weights (notebook 07): the size of the activations through a deep ReLU stack, per weight scale."""

from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from .._validation import as_float_array

__all__ = ["activation_spread_figure"]


def activation_spread_figure(spreads) -> Figure:
    """One line per weight scale: the root mean square of the activations after each layer, on a log scale.

    Parameters
    ----------
    spreads : dict of str -> ndarray, shape (depth + 1,)
        A label per scale and what :func:`cnnlib.initialisation.activation_spread` returned.

    Returns
    -------
    fig : matplotlib.figure.Figure
        One panel; the dashed line at 1 is the size of the input.

    Examples
    --------
    >>> fig = activation_spread_figure({"a": np.ones(4), "b": 2.0 ** np.arange(4)})
    >>> [line.get_label() for line in fig.axes[0].get_lines()][:2]
    ['a', 'b']
    """
    if not isinstance(spreads, dict) or not spreads:
        raise TypeError(f"`spreads` must be a non-empty dict of label -> array, got {type(spreads).__name__}")
    fig = Figure(figsize=(7.5, 3.8), dpi=90, layout="constrained")
    ax = fig.add_subplot()
    for label, rms in spreads.items():
        rms = as_float_array(rms, f"spreads[{label!r}]", ndim=1, layout="(depth + 1,)")
        ax.semilogy(np.arange(len(rms)), rms, marker="o", markersize=3, label=str(label))
    ax.axhline(1.0, color="0.5", linestyle="--", linewidth=1)
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_xlabel("layer (0 = the input)")
    ax.set_ylabel("root mean square of the activations")
    ax.set_title(f"Through {len(rms) - 1} dense + ReLU layers", fontsize=11)
    ax.legend(fontsize=9)
    ax.grid(True, which="major", alpha=0.3)
    return fig
