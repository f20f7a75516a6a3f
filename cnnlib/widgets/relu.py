"""The bias slider of notebook 05: how much of a feature map survives ``relu(feature_map + bias)``."""

from __future__ import annotations

import math

import ipywidgets
import numpy as np

from .._validation import as_float_array, as_real
from ..plotting.relu import relu_bias_figure
from ..plotting.style import signed_limit
from .explorer import FigureExplorer, code_line

__all__ = ["ReluBiasExplorer", "relu_bias_explorer", "relu_survival_text"]


def relu_survival_text(feature_map, bias=0.0) -> str:
    """One line saying how many values of ``relu(feature_map + bias)`` are non-zero.

    Parameters
    ----------
    feature_map : ndarray, any shape
    bias : float, default 0.0
        Added to every value before ReLU; a value survives when ``value + bias > 0``.

    Returns
    -------
    text : str
        The bias, the number of survivors, the number of values and the percentage
        (one decimal).

    Examples
    --------
    >>> relu_survival_text(np.array([[-1.0, 0.5], [2.0, 3.0]]), bias=-1.0)
    'bias = -1.00: 2 of 4 pixels are non-zero after ReLU (50.0%)'
    """
    values = as_float_array(feature_map, "feature_map")
    bias = as_real(bias, "bias")
    survivors = int(np.count_nonzero(values + bias > 0))
    return (
        f"bias = {bias:.2f}: {survivors:,} of {values.size:,} pixels are non-zero after ReLU "
        f"({100 * survivors / values.size:.1f}%)"
    )


def _nice_limit(value: float) -> float:
    """``value`` rounded up to 2 significant digits: a slider end that reads well."""
    if value <= 0 or not math.isfinite(value):
        return 1.0
    scale = 10 ** (math.floor(math.log10(value)) - 1)
    return math.ceil(value / scale - 1e-9) * scale


def _nice_step(limit: float) -> float:
    """About ``limit / 100``, rounded up to 1, 2 or 5 times a power of 10, so round biases can be reached."""
    raw = limit / 100
    power = 10.0 ** math.floor(math.log10(raw))
    return next(m * power for m in (1, 2, 5, 10) if m * power >= raw * (1 - 1e-9))


class ReluBiasExplorer(FigureExplorer):
    """A slider for the bias added before ReLU, the share of the map that survives, and the picture.

    Built by :func:`relu_bias_explorer`. Attributes: ``bias`` (the ``FloatSlider``),
    ``caption`` (the line of :func:`relu_survival_text`), ``picture`` and ``figure``
    (the :func:`~cnnlib.plotting.relu_bias_figure` on show).
    """

    def __init__(self, feature_map: np.ndarray, bias: float, bias_limit: float):
        self.feature_map = feature_map
        super().__init__(
            {
                "bias": ipywidgets.FloatSlider(
                    value=bias,
                    min=-bias_limit,
                    max=bias_limit,
                    step=_nice_step(bias_limit),
                    description="bias",
                    readout_format=".2f",
                    continuous_update=False,
                    layout=ipywidgets.Layout(width="60%"),
                )
            }
        )

    def draw(self):
        bias = self.bias.value
        return relu_bias_figure(self.feature_map, bias), code_line(relu_survival_text(self.feature_map, bias))


def relu_bias_explorer(feature_map, bias=0.0, bias_limit=None) -> ReluBiasExplorer:
    """A slider for the bias added before ReLU, the share of the map that survives, and the picture.

    Moving the slider redraws :func:`cnnlib.plotting.relu_bias_figure` for the new
    bias and rewrites the line of :func:`relu_survival_text` above it. The starting
    state is exactly ``relu_bias_figure(feature_map, bias)``.

    Parameters
    ----------
    feature_map : ndarray, shape (H, W)
    bias : float, default 0.0
        Starting bias, ``-bias_limit <= bias <= bias_limit``.
    bias_limit : float, optional
        The slider runs from ``-bias_limit`` to ``bias_limit`` in steps of about
        ``bias_limit / 100``, rounded up to 1, 2 or 5 times a power of 10. By default,
        the colour limit of the map (99th percentile of ``|feature_map|``) rounded up
        to 2 significant digits.

    Returns
    -------
    explorer : ReluBiasExplorer
        A ``VBox``: the ``FloatSlider`` ``explorer.bias``, the ``HTML`` line ``explorer.caption``
        with the share of survivors, and ``explorer.picture``, the figure as a PNG. The slider
        redraws when released (``continuous_update=False``).

    Raises
    ------
    TypeError, ValueError
        If ``feature_map`` is not a 2-D numeric array, or the bias or its limit are not
        finite numbers with ``|bias| <= bias_limit``.

    Examples
    --------
    >>> explorer = relu_bias_explorer(np.array([[-1.0, 0.5], [2.0, 3.0]]), bias_limit=2.0)
    >>> explorer.bias.value = -1.0
    >>> explorer.caption.value
    '<code>bias = -1.00: 2 of 4 pixels are non-zero after ReLU (50.0%)</code>'
    """
    values = as_float_array(feature_map, "feature_map", ndim=2, layout="(H, W)")
    bias = as_real(bias, "bias")
    if bias_limit is None:
        bias_limit = _nice_limit(signed_limit(values))
    else:
        bias_limit = as_real(bias_limit, "bias_limit", low=0, open_interval=True)
    if abs(bias) > bias_limit:
        raise ValueError(f"`bias` must be between -bias_limit and bias_limit = {bias_limit:g}, got {bias!r}")
    return ReluBiasExplorer(values, bias, bias_limit)
