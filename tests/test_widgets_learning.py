"""cnnlib.widgets.learning: the learning-rate widget starts as the static figure and redraws the descent."""

import ipywidgets
import numpy as np
import pytest
from widget_helpers import png_of, shown_error, shown_png

from cnnlib import plotting, widgets
from cnnlib.widgets import learning

X, Y = [1.0, 2.0, 3.0, 4.0], [2.1, 3.9, 6.2, 7.8]  # the notebook's toy; best w = 59.7 / 30 = 1.99


def test_widget_is_two_sliders_a_picture_and_a_readout():
    explorer = widgets.learning_rate_widget(X, Y)
    assert isinstance(explorer, widgets.FigureExplorer) and isinstance(explorer, ipywidgets.VBox)
    controls, picture, readout = explorer.children
    assert controls.children == (explorer.lr, explorer.steps)
    assert (picture, readout) == (explorer.picture, explorer.caption)
    assert isinstance(explorer.lr, ipywidgets.FloatLogSlider) and isinstance(explorer.steps, ipywidgets.IntSlider)
    assert (explorer.lr.value, explorer.lr.base, explorer.lr.min) == (0.05, 10, -3)
    assert explorer.lr.max == pytest.approx(np.log10(0.3))
    assert (explorer.steps.min, explorer.steps.value, explorer.steps.max) == (1, 20, 50)


def test_default_state_is_the_static_figure_of_the_notebook():
    explorer = widgets.learning_rate_widget(X, Y, lr=0.05, steps=20)
    assert shown_png(explorer) == png_of(plotting.descent_figure(X, Y, lr=0.05, steps=20))
    assert explorer.caption.value == (
        "<code>lr = 0.05: after 20 steps w = 1.99, 0.0000 away from the best w = 1.99</code>"
    )


def test_moving_the_sliders_redraws_the_descent():
    explorer = widgets.learning_rate_widget(X, Y)
    explorer.lr.value = 0.005
    # each step keeps 1 - 15 * 0.005 = 0.925 of the distance: after 20 steps 1.99 * 0.925**20 = 0.42 remains
    assert explorer.caption.value == (
        "<code>lr = 0.005: after 20 steps w = 1.572, 0.4185 away from the best w = 1.99</code>"
    )
    assert shown_png(explorer) == png_of(plotting.descent_figure(X, Y, lr=0.005, steps=20))
    explorer.steps.value = 5
    assert "after 5 steps" in explorer.caption.value
    assert shown_png(explorer) == png_of(plotting.descent_figure(X, Y, lr=0.005, steps=5))
    explorer.lr.value = 0.3
    explorer.steps.value = 50  # factor -3.5 per step: w passes 1e6 and the path stops
    assert "blew up" in explorer.caption.value


def test_a_drawing_error_is_shown_in_the_widget(monkeypatch):
    explorer = widgets.learning_rate_widget(X, Y)

    def broken(*args, **kwargs):
        raise RuntimeError("no axes")

    monkeypatch.setattr(learning, "descent_figure", broken)
    explorer.steps.value = 3
    assert shown_error(explorer) == "RuntimeError: no axes\n"


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
