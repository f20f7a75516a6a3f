"""The learning-rate widget of notebook 08: gradient descent on the toy ``y = w x``, one slider per knob.

The picture is :func:`cnnlib.plotting.descent_figure`, so the widget in its
starting state shows exactly the static figure the notebook draws with the
same arguments.
"""

from __future__ import annotations

import base64
import html
import io
import math

import ipywidgets

from .._validation import as_int, as_real
from ..plotting.learning import descent_figure
from ..toy_regression import check_toy_data, toy_descent_path

__all__ = ["learning_rate_readout", "learning_rate_widget"]


def _png(fig) -> bytes:
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", facecolor="white")
    return buffer.getvalue()


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
    return (f"lr = {float(lr):g}: after {steps} steps w = {last:.4g}, "
            f"{abs(last - best):.4f} away from the best w = {best:.4g}")


def learning_rate_widget(x, y, *, lr=0.05, w0=0.0, steps=20, max_lr=0.3) -> ipywidgets.VBox:
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
    box : ipywidgets.VBox
        ``box.children == (controls, picture, readout)``: ``controls`` an
        ``HBox`` of a ``FloatLogSlider`` (learning rate) and an ``IntSlider``
        (steps), ``picture`` an ``Output`` showing
        :func:`cnnlib.plotting.descent_figure` as a PNG, ``readout`` the
        ``HTML`` line of :func:`learning_rate_readout`.

    Examples
    --------
    >>> box = learning_rate_widget([1.0, 2.0, 3.0, 4.0], [2.1, 3.9, 6.2, 7.8])
    >>> (rate, count), picture, readout = box.children[0].children, box.children[1], box.children[2]
    >>> rate.value = 0.005
    >>> readout.value
    '<code>lr = 0.005: after 20 steps w = 1.572, 0.4185 away from the best w = 1.99</code>'
    """
    x, y = check_toy_data(x, y)
    lr, w0, max_lr = as_real(lr, "lr"), as_real(w0, "w0"), as_real(max_lr, "max_lr")
    steps = as_int(steps, "steps", minimum=1)
    if not 0.001 <= lr <= max_lr:
        raise ValueError(f"`lr` must be between 0.001 and max_lr={max_lr:g}, got {lr:g}")
    if steps > 50:
        raise ValueError(f"`steps` must be from 1 to 50, got {steps}")
    rate = ipywidgets.FloatLogSlider(value=lr, base=10, min=-3, max=math.log10(max_lr),
                                     step=0.01, description="learning rate", readout_format=".3g",
                                     continuous_update=False, style={"description_width": "initial"})
    count = ipywidgets.IntSlider(value=steps, min=1, max=50, description="steps", continuous_update=False)
    picture = ipywidgets.Output()
    readout = ipywidgets.HTML()

    def show(_change=None):
        try:
            png = _png(descent_figure(x, y, rate.value, w0=w0, steps=count.value))
            picture.outputs = ({
                "output_type": "display_data",
                "data": {"image/png": base64.b64encode(png).decode("ascii"),
                         "text/plain": f"<Figure: gradient descent with learning rate {rate.value:g}>"},
                "metadata": {},
            },)
            text = learning_rate_readout(x, y, rate.value, w0=w0, steps=count.value)
            readout.value = f"<code>{html.escape(text)}</code>"
        except Exception as error:  # noqa: BLE001 - show the problem in the widget instead of losing it
            readout.value = f"<p>Could not draw: {html.escape(f'{type(error).__name__}: {error}')}</p>"

    rate.observe(show, names="value")
    count.observe(show, names="value")
    show()
    return ipywidgets.VBox([ipywidgets.HBox([rate, count]), picture, readout])
