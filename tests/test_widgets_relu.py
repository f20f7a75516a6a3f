"""cnnlib.widgets.relu: the bias slider redraws the rectified map and recounts the survivors."""

import io

import ipywidgets
import numpy as np
import pytest
from PIL import Image
from widget_helpers import png_of, shown_error, shown_png

from cnnlib import plotting, widgets
from cnnlib.widgets import relu as relu_widgets

# Worked by hand: with bias b, the values above -b survive.
#   b = 0: 0.5, 1.5, 2.5 and 3.0 survive (4 of 6); b = -2: only 2.5 and 3.0 (2 of 6);
#   b = 1: everything above -1 survives, i.e. all but -2.0 (5 of 6).
VALUES = np.array([[-2.0, -0.5, 0.5], [1.5, 2.5, 3.0]])


@pytest.mark.parametrize(
    ("bias", "expected"),
    [
        (0.0, "bias = 0.00: 4 of 6 pixels are non-zero after ReLU (66.7%)"),
        (-2.0, "bias = -2.00: 2 of 6 pixels are non-zero after ReLU (33.3%)"),
        (1.0, "bias = 1.00: 5 of 6 pixels are non-zero after ReLU (83.3%)"),
        (-3.0, "bias = -3.00: 0 of 6 pixels are non-zero after ReLU (0.0%)"),
    ],
)
def test_relu_survival_text_worked_by_hand(bias, expected):
    assert widgets.relu_survival_text(VALUES, bias) == expected


def test_relu_survival_text_counts_a_value_that_lands_on_zero_as_gone():
    # 1 + (-1) = 0 and ReLU(0) = 0: it does not survive.
    assert widgets.relu_survival_text(np.array([1.0, 2.0]), -1.0).startswith("bias = -1.00: 1 of 2")


def test_relu_survival_text_uses_thousands_separators():
    assert "1,500 of 3,000 pixels" in widgets.relu_survival_text(np.tile([-1.0, 1.0], 1500))


def test_relu_bias_explorer_is_a_slider_a_summary_and_a_picture():
    explorer = widgets.relu_bias_explorer(VALUES, bias_limit=3.0)
    assert isinstance(explorer, widgets.FigureExplorer) and isinstance(explorer, ipywidgets.VBox)
    assert explorer.children == (explorer.bias, explorer.caption, explorer.picture)
    slider = explorer.bias
    assert isinstance(slider, ipywidgets.FloatSlider)
    assert (slider.min, slider.value, slider.max) == (-3.0, 0.0, 3.0)
    assert slider.step == pytest.approx(0.05)  # 3 / 100 = 0.03, rounded up to a 1-2-5 step
    assert slider.continuous_update is False


def test_relu_bias_explorer_starts_exactly_as_the_static_figure():
    explorer = widgets.relu_bias_explorer(VALUES, bias_limit=3.0)
    assert explorer.caption.value == "<code>bias = 0.00: 4 of 6 pixels are non-zero after ReLU (66.7%)</code>"
    assert shown_png(explorer) == png_of(plotting.relu_bias_figure(VALUES, 0.0))


def test_moving_the_slider_recounts_and_redraws():
    explorer = widgets.relu_bias_explorer(VALUES, bias_limit=3.0)
    before = shown_png(explorer)
    explorer.bias.value = -2.0
    assert explorer.caption.value == "<code>bias = -2.00: 2 of 6 pixels are non-zero after ReLU (33.3%)</code>"
    after = shown_png(explorer)
    assert after != before
    assert after == png_of(plotting.relu_bias_figure(VALUES, -2.0))
    picture = Image.open(io.BytesIO(after))
    assert picture.format == "PNG" and picture.width > 600


def test_default_slider_range_follows_the_maps_colour_limit():
    # |values| are 0, 1, ..., 99: the 99th percentile is 98.01 (numpy's linear interpolation between
    # 98 and 99), rounded up to 2 significant digits: 99.
    values = np.arange(100.0).reshape(10, 10) * np.where(np.arange(100) % 2, 1, -1).reshape(10, 10)
    slider = widgets.relu_bias_explorer(values).bias
    assert (slider.min, slider.max) == (-99.0, 99.0)
    assert slider.step == pytest.approx(1.0)  # 0.99 rounded up to a 1-2-5 step


def test_a_failing_redraw_is_shown_under_the_slider(monkeypatch):
    explorer = widgets.relu_bias_explorer(VALUES, bias_limit=3.0)

    def broken(*args, **kwargs):
        raise RuntimeError("drawing failed")

    monkeypatch.setattr(relu_widgets, "relu_bias_figure", broken)
    explorer.bias.value = 1.0
    assert shown_error(explorer) == "RuntimeError: drawing failed\n"


def test_two_explorers_do_not_share_state():
    first = widgets.relu_bias_explorer(VALUES, bias_limit=3.0)
    second = widgets.relu_bias_explorer(VALUES, bias=1.0, bias_limit=3.0)
    first.bias.value = -2.0
    assert "bias = 1.00: 5 of 6" in second.caption.value
    assert "bias = -2.00: 2 of 6" in first.caption.value


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"feature_map": np.ones(4)}, ValueError, "`feature_map` must be 2-D"),
        ({"feature_map": VALUES, "bias": 5.0, "bias_limit": 3.0}, ValueError, "`bias` must be between"),
        ({"feature_map": VALUES, "bias_limit": 0.0}, ValueError, "`bias_limit` must be a number > 0"),
        ({"feature_map": VALUES, "bias": "0"}, TypeError, "`bias` must be a real number"),
    ],
)
def test_relu_bias_explorer_bad_arguments(kwargs, error, match):
    with pytest.raises(error, match=match):
        widgets.relu_bias_explorer(**kwargs)
