"""cnnlib.widgets.learning: the learning-rate widget starts as the static figure and redraws the descent."""

import base64
import io

import ipywidgets
import numpy as np
import pytest

from cnnlib import plotting, widgets

X, Y = [1.0, 2.0, 3.0, 4.0], [2.1, 3.9, 6.2, 7.8]  # the notebook's toy; best w = 59.7 / 30 = 1.99


def parts(box):
    controls, picture, readout = box.children
    rate, count = controls.children
    return rate, count, picture, readout


def shown_png(picture):
    [output] = picture.outputs
    assert output["output_type"] == "display_data"
    return base64.b64decode(output["data"]["image/png"])


def png(fig):
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", facecolor="white")
    return buffer.getvalue()


def test_widget_is_a_vbox_of_two_sliders_a_picture_and_a_readout():
    box = widgets.learning_rate_widget(X, Y)
    assert isinstance(box, ipywidgets.VBox)
    rate, count, picture, readout = parts(box)
    assert isinstance(rate, ipywidgets.FloatLogSlider) and isinstance(count, ipywidgets.IntSlider)
    assert isinstance(picture, ipywidgets.Output) and isinstance(readout, ipywidgets.HTML)
    assert (rate.value, rate.base, rate.min) == (0.05, 10, -3)
    assert rate.max == pytest.approx(np.log10(0.3))
    assert (count.min, count.value, count.max) == (1, 20, 50)


def test_default_state_is_the_static_figure_of_the_notebook():
    _, _, picture, readout = parts(widgets.learning_rate_widget(X, Y, lr=0.05, steps=20))
    assert shown_png(picture) == png(plotting.descent_figure(X, Y, lr=0.05, steps=20))
    assert readout.value == "<code>lr = 0.05: after 20 steps w = 1.99, 0.0000 away from the best w = 1.99</code>"


def test_moving_the_sliders_redraws_the_descent():
    box = widgets.learning_rate_widget(X, Y)
    rate, count, picture, readout = parts(box)
    rate.value = 0.005
    # each step keeps 1 - 15 * 0.005 = 0.925 of the distance: after 20 steps 1.99 * 0.925**20 = 0.42 remains
    assert readout.value == "<code>lr = 0.005: after 20 steps w = 1.572, 0.4185 away from the best w = 1.99</code>"
    assert shown_png(picture) == png(plotting.descent_figure(X, Y, lr=0.005, steps=20))
    count.value = 5
    assert "after 5 steps" in readout.value
    assert picture.outputs[0]["data"]["text/plain"] == "<Figure: gradient descent with learning rate 0.005>"
    rate.value = 0.3
    count.value = 50  # factor -3.5 per step: w passes 1e6 and the path stops
    assert "blew up" in readout.value


def test_readout_matches_the_closed_form():
    for lr in [0.01, 0.05, 0.12]:
        text = widgets.learning_rate_readout(X, Y, lr, steps=10)
        w = 1.99 + (0 - 1.99) * (1 - 15 * lr) ** 10
        assert f"w = {w:.4g}," in text


@pytest.mark.parametrize(
    ("kwargs", "error", "says"),
    [
        ({"lr": 0.5}, ValueError, "between 0.001 and max_lr"),
        ({"lr": 0.0001}, ValueError, "between 0.001"),
        ({"lr": "fast"}, TypeError, "`lr`"),
        ({"steps": 0}, ValueError, "steps"),
        ({"steps": 51}, ValueError, "from 1 to 50"),
        ({"w0": float("inf")}, ValueError, "`w0` must be a finite number"),
    ],
)
def test_bad_arguments_are_named(kwargs, error, says):
    with pytest.raises(error, match=says):
        widgets.learning_rate_widget(X, Y, **kwargs)


def test_bad_points_are_named():
    with pytest.raises(ValueError, match="one length"):
        widgets.learning_rate_widget(X, Y[:2])
