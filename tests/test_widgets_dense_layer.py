"""cnnlib.widgets.dense_layer: the softmax-scale and forward-pass widgets, driven without a browser."""

import io

import ipywidgets
import numpy as np
import pytest
from PIL import Image
from widget_helpers import png_of, shown_error, shown_png

import cnnlib
from cnnlib import plotting, widgets
from cnnlib.widgets.explorer import figure_png

# ---------------------------------------------------------------- softmax_scale_readout / widget


def test_softmax_scale_readout_worked_by_hand():
    # softmax([0, ln 3]) = [1/4, 3/4]; at scale 0 both logits are 0, so 1/2 each.
    logits = np.array([0.0, np.log(3.0)])
    assert widgets.softmax_scale_readout(logits, 1.0) == (
        "scale 1: largest probability 0.75 (class 1), smallest 0.25 (class 0)"
    )
    assert widgets.softmax_scale_readout(logits, 0.0) == "scale 0: every probability is 0.50 (1/2)"


@pytest.mark.parametrize(
    ("scale", "error", "match"),
    [
        (None, TypeError, "a real number"),
        ("1", TypeError, "a real number"),
        (True, TypeError, "a real number"),
        (np.nan, ValueError, "a finite number"),
    ],
)
def test_softmax_scale_readout_bad_scale(scale, error, match):
    with pytest.raises(error, match=f"`scale` must be {match}"):
        widgets.softmax_scale_readout(np.zeros(2), scale)


def test_softmax_scale_widget_is_slider_picture_and_readout():
    explorer = widgets.softmax_scale_widget(np.array([2.0, 1.0, 0.1]))
    assert isinstance(explorer, widgets.FigureExplorer) and isinstance(explorer, ipywidgets.VBox)
    assert explorer.children == (explorer.scale, explorer.picture, explorer.caption)
    assert isinstance(explorer.scale, ipywidgets.FloatSlider)
    assert (explorer.scale.min, explorer.scale.value, explorer.scale.max) == (0.0, 1.0, 5.0)


def test_softmax_scale_widget_starts_as_the_static_figure():
    logits = np.array([2.0, 1.0, 0.1, -1.0])
    explorer = widgets.softmax_scale_widget(logits)
    assert shown_png(explorer) == png_of(plotting.softmax_bars_figure(logits))
    assert explorer.caption.value == f"<code>{widgets.softmax_scale_readout(logits, 1.0)}</code>"


def test_moving_the_scale_slider_redraws_and_rewrites():
    logits = np.array([0.0, np.log(3.0)])
    explorer = widgets.softmax_scale_widget(logits)
    first = shown_png(explorer)
    explorer.scale.value = 0.0
    assert explorer.caption.value == "<code>scale 0: every probability is 0.50 (1/2)</code>"
    assert shown_png(explorer) != first
    assert shown_png(explorer) == png_of(plotting.softmax_bars_figure(logits, scale=0.0))


def test_a_lower_dpi_still_draws_the_same_figure_smaller():
    logits = np.array([2.0, 1.0, 0.1])
    explorer = widgets.softmax_scale_widget(logits, dpi=50)
    png = shown_png(explorer)
    assert png == figure_png(plotting.softmax_bars_figure(logits), dpi=50)
    full = png_of(plotting.softmax_bars_figure(logits))
    assert Image.open(io.BytesIO(png)).width < Image.open(io.BytesIO(full)).width


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"logits": np.array([1.0])}, ValueError, "at least 2 finite scores"),
        ({"logits": np.array([1.0, np.inf])}, ValueError, "at least 2 finite scores"),
        ({"logits": np.zeros((2, 2))}, ValueError, "`logits` must be 1-D"),
        ({"logits": np.zeros(3), "scale": 6.0}, ValueError, "`scale` must be a number between 0 and 5, got 6.0"),
        ({"logits": np.zeros(3), "scale": -1.0}, ValueError, "`scale` must be a number between 0"),
        ({"logits": np.zeros(3), "max_scale": 0}, ValueError, "`max_scale` must be a number > 0"),
        ({"logits": np.zeros(3), "max_scale": "5"}, TypeError, "`max_scale` must be a real number"),
        ({"logits": np.zeros(3), "dpi": 5}, ValueError, "`dpi` must be an integer >= 20"),
        ({"logits": np.zeros(3), "dpi": 72.0}, TypeError, "`dpi` must be an integer"),
    ],
)
def test_softmax_scale_widget_bad_arguments(kwargs, error, match):
    with pytest.raises(error, match=match):
        widgets.softmax_scale_widget(**kwargs)


# ---------------------------------------------------------------- forward_pass_readout / widget


def test_forward_pass_readout_worked_by_hand():
    assert widgets.forward_pass_readout(3, 0, np.array([0.3, 0.2, 0.5])) == (
        "digit #3, true label 0: the network answers 2 with probability 0.50 (wrong)"
    )
    assert widgets.forward_pass_readout(0, 1, np.array([[0.1, 0.9]])) == (
        "digit #0, true label 1: the network answers 1 with probability 0.90 (right)"
    )


# A tiny network on 6 x 6 images: 2 filters of 3 x 3 -> (2, 4, 4), pool -> (2, 2, 2), dense 8 -> 3.
RNG = np.random.default_rng(0)
W_CONV, W_DENSE = RNG.normal(size=(2, 1, 3, 3)), RNG.normal(size=(3, 8))
IMAGES = RNG.random((5, 6, 6))
LABELS = np.array([0, 1, 2, 0, 1])


def tiny_forward(image):
    x = image.reshape(1, 1, 6, 6)
    feature_maps = cnnlib.conv2d(x, W_CONV)
    rectified = cnnlib.relu(feature_maps)
    pooled = cnnlib.max_pool2d(rectified)
    flat = cnnlib.flatten(pooled)
    logits = cnnlib.dense(flat, W_DENSE)
    return {
        "image": x,
        "feature_maps": feature_maps,
        "rectified": rectified,
        "pooled": pooled,
        "flat": flat,
        "logits": logits,
        "probabilities": cnnlib.softmax(logits),
    }


def test_forward_pass_widget_is_slider_readout_and_picture():
    explorer = widgets.forward_pass_widget(IMAGES, LABELS, tiny_forward)
    assert isinstance(explorer, widgets.FigureExplorer)
    assert explorer.children == (explorer.digit, explorer.caption, explorer.picture)
    assert isinstance(explorer.digit, ipywidgets.IntSlider)
    assert (explorer.digit.min, explorer.digit.value, explorer.digit.max) == (0, 0, 4)


def test_forward_pass_widget_starts_as_the_static_figure():
    explorer = widgets.forward_pass_widget(IMAGES, LABELS, tiny_forward, index=2)
    stages = tiny_forward(IMAGES[2])
    assert shown_png(explorer) == png_of(plotting.forward_pass_figure(**stages, label=2))
    assert explorer.caption.value == f"<code>{widgets.forward_pass_readout(2, 2, stages['probabilities'])}</code>"


def test_moving_the_digit_slider_runs_forward_on_that_digit():
    seen = []

    def forward(image):
        seen.append(image.copy())
        return tiny_forward(image)

    explorer = widgets.forward_pass_widget(IMAGES, LABELS, forward)
    first = shown_png(explorer)
    explorer.digit.value = 4
    np.testing.assert_array_equal(seen[-1], IMAGES[4])
    assert explorer.caption.value.startswith("<code>digit #4, true label 1: the network answers ")
    assert shown_png(explorer) != first


def test_a_forward_that_fails_is_shown_as_an_error_and_the_next_digit_draws_again():
    def broken(image):
        if image[0, 0] == IMAGES[1, 0, 0]:
            raise ValueError("shapes <do not> fit")
        return tiny_forward(image)

    explorer = widgets.forward_pass_widget(IMAGES, LABELS, broken)
    explorer.digit.value = 1
    assert shown_error(explorer) == "ValueError: shapes <do not> fit\n"
    assert explorer.caption.value == "" and explorer.figure is None
    explorer.digit.value = 2
    assert shown_png(explorer) == png_of(plotting.forward_pass_figure(**tiny_forward(IMAGES[2]), label=2))


def test_a_forward_that_returns_the_wrong_thing_is_shown_as_an_error():
    explorer = widgets.forward_pass_widget(IMAGES, LABELS, lambda image: {"logits": 1})
    assert shown_error(explorer).startswith("TypeError: forward must return a dict with the keys image, feature_maps")
    assert explorer.figure is None


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"labels": LABELS[:3]}, ValueError, r"one whole number per image, shape \(5,\)"),
        ({"labels": LABELS.astype(float)}, ValueError, "one whole number per image"),
        ({"images": IMAGES[0]}, ValueError, "`images` must be 3-D"),
        ({"forward": "forward"}, TypeError, "`forward` must be a function of one image"),
        ({"index": 5}, ValueError, "`index` must be < the number of images, 5, got 5"),
        ({"index": -1}, ValueError, "`index` must be an integer >= 0"),
        ({"dpi": 10}, ValueError, "`dpi` must be an integer >= 20"),
    ],
)
def test_forward_pass_widget_bad_arguments(kwargs, error, match):
    arguments = {"images": IMAGES, "labels": LABELS, "forward": tiny_forward, **kwargs}
    with pytest.raises(error, match=match):
        widgets.forward_pass_widget(**arguments)
