"""The learning-rate widget of notebook 08: gradient descent on the toy ``y = w x``, one slider per knob.

The picture is :func:`cnnlib.plotting.descent_figure`, so the widget in its
starting state shows exactly the static figure the notebook draws with the
same arguments.
"""

from __future__ import annotations

import math

import ipywidgets
import numpy as np

from .._validation import as_int, as_real
from ..plotting.learning import descent_figure
from ..toy_regression import check_toy_data, toy_descent_path
from .explorer import FigureExplorer, code_line

__all__ = ["LearningRateExplorer", "learning_rate_readout", "learning_rate_widget"]


def learning_rate_readout(x, y, lr, *, w0=0.0, steps=20) -> str:
    """The line under the widget: the weight after the last step and how far it is from the best one.

    Examples
    --------
    >>> learning_rate_readout([1.0, 2.0], [2.0, 4.0], 0.1, steps=2)
    'lr = 0.1: after 2 steps w = 1.5, 0.5000 away from the best w = 2'
    """
    x, y = check_toy_data(x, y)
    path = toy_descent_path(x, y, w0, lr, steps)
    best = float((x * y).sum() / (x * x).sum())
    last = path[-1]
    if last != last:  # NaN: the path blew up and stopped
        return f"lr = {float(lr):g}: w blew up (|w| > 1e6) within {steps} steps; the best w is {best:.4g}"
    return (
        f"lr = {float(lr):g}: after {steps} steps w = {last:.4g}, "
        f"{abs(last - best):.4f} away from the best w = {best:.4g}"
    )


class LearningRateExplorer(FigureExplorer):
    """Sliders for the learning rate and the number of steps; the figure shows the descent on ``y = w x``.

    Built by :func:`learning_rate_widget`. Attributes: ``lr`` (a ``FloatLogSlider``),
    ``steps`` (an ``IntSlider``), ``picture`` and ``figure`` (the
    :func:`~cnnlib.plotting.descent_figure` on show) and ``caption`` (the line of
    :func:`learning_rate_readout`, below the picture).
    """

    def __init__(self, x: np.ndarray, y: np.ndarray, lr: float, w0: float, steps: int, max_lr: float):
        self.x, self.y, self.w0 = x, y, w0
        super().__init__(
            {
                "lr": ipywidgets.FloatLogSlider(
                    value=lr,
                    base=10,
                    min=-3,
                    max=math.log10(max_lr),
                    step=0.01,
                    description="learning rate",
                    readout_format=".3g",
                    continuous_update=False,
                    style={"description_width": "initial"},
                ),
                "steps": ipywidgets.IntSlider(value=steps, min=1, max=50, description="steps", continuous_update=False),
            }
        )

    def arrange(self) -> list:
        return [self.controls_row(), self.picture, self.caption]

    def draw(self):
        lr, steps = self.lr.value, self.steps.value
        figure = descent_figure(self.x, self.y, lr, w0=self.w0, steps=steps)
        return figure, code_line(learning_rate_readout(self.x, self.y, lr, w0=self.w0, steps=steps))


def learning_rate_widget(x, y, *, lr=0.05, w0=0.0, steps=20, max_lr=0.3) -> LearningRateExplorer:
    """Sliders for the learning rate and the number of steps, redrawing the descent on the toy problem.

    Parameters
    ----------
    x, y : array_like, shape (M,)
        The points fitted by ``y = w x``.
    lr : float, default 0.05
        Starting learning rate, between 0.001 and ``max_lr``.
    w0 : float, default 0.0
        Where every descent starts.
    steps : int, default 20
        Starting number of steps, 1 to 50.
    max_lr : float, default 0.3

    Returns
    -------
    explorer : LearningRateExplorer
        A ``VBox``: an ``HBox`` of the ``FloatLogSlider`` ``explorer.lr`` and the
        ``IntSlider`` ``explorer.steps``; ``explorer.picture``, showing
        :func:`cnnlib.plotting.descent_figure` as a PNG; and the ``HTML`` line
        ``explorer.caption`` of :func:`learning_rate_readout`.

    Examples
    --------
    >>> explorer = learning_rate_widget([1.0, 2.0, 3.0, 4.0], [2.1, 3.9, 6.2, 7.8])
    >>> explorer.lr.value = 0.005
    >>> explorer.caption.value
    '<code>lr = 0.005: after 20 steps w = 1.572, 0.4185 away from the best w = 1.99</code>'
    """
    x, y = check_toy_data(x, y)
    lr, w0, max_lr = as_real(lr, "lr"), as_real(w0, "w0"), as_real(max_lr, "max_lr")
    steps = as_int(steps, "steps", minimum=1)
    if not 0.001 <= lr <= max_lr:
        raise ValueError(f"`lr` must be between 0.001 and max_lr={max_lr:g}, got {lr:g}")
    if steps > 50:
        raise ValueError(f"`steps` must be from 1 to 50, got {steps}")
    return LearningRateExplorer(x, y, lr, w0, steps, max_lr)
