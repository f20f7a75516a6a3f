"""cnnlib.widgets.dense_layer: the softmax-scale and forward-pass widgets, driven without a browser."""

import io

import ipywidgets
import numpy as np
import pytest

import cnnlib
from cnnlib import plotting, widgets

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def png(fig, dpi=72):
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=dpi)
    return buffer.getvalue()


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
    [(None, TypeError, "a real number"), ("1", TypeError, "a real number"), (True, TypeError, "a real number"),
     (np.nan, ValueError, "a finite number")],
)
def test_softmax_scale_readout_bad_scale(scale, error, match):
    with pytest.raises(error, match=f"`scale` must be {match}"):
        widgets.softmax_scale_readout(np.zeros(2), scale)


def test_softmax_scale_widget_is_slider_image_and_readout():
    box = widgets.softmax_scale_widget(np.array([2.0, 1.0, 0.1]))
    assert isinstance(box, ipywidgets.VBox)
    slider, image, readout = box.children
    assert isinstance(slider, ipywidgets.FloatSlider)
    assert isinstance(image, ipywidgets.Image) and image.format == "png"
    assert isinstance(readout, ipywidgets.HTML)
    assert (slider.min, slider.value, slider.max) == (0.0, 1.0, 5.0)


def test_softmax_scale_widget_starts_as_the_static_figure():
    logits = np.array([2.0, 1.0, 0.1, -1.0])
    _, image, readout = widgets.softmax_scale_widget(logits).children
    assert bytes(image.value).startswith(PNG_SIGNATURE)
    assert image.value == png(plotting.softmax_bars_figure(logits))
    assert readout.value == f"<code>{widgets.softmax_scale_readout(logits, 1.0)}</code>"


def test_moving_the_scale_slider_redraws_and_rewrites():
    logits = np.array([0.0, np.log(3.0)])
    slider, image, readout = widgets.softmax_scale_widget(logits).children
    first = image.value
    slider.value = 0.0
    assert readout.value == "<code>scale 0: every probability is 0.50 (1/2)</code>"
    assert image.value != first
    assert image.value == png(plotting.softmax_bars_figure(logits, scale=0.0))


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
    return {"image": x, "feature_maps": feature_maps, "rectified": rectified, "pooled": pooled, "flat": flat,
            "logits": logits, "probabilities": cnnlib.softmax(logits)}


def test_forward_pass_widget_is_slider_readout_and_image():
    box = widgets.forward_pass_widget(IMAGES, LABELS, tiny_forward)
    slider, readout, image = box.children
    assert isinstance(slider, ipywidgets.IntSlider)
    assert (slider.min, slider.value, slider.max) == (0, 0, 4)
    assert isinstance(readout, ipywidgets.HTML) and isinstance(image, ipywidgets.Image)


def test_forward_pass_widget_starts_as_the_static_figure():
    _, readout, image = widgets.forward_pass_widget(IMAGES, LABELS, tiny_forward, index=2).children
    stages = tiny_forward(IMAGES[2])
    assert image.value == png(plotting.forward_pass_figure(**stages, label=2))
    assert readout.value == f"<code>{widgets.forward_pass_readout(2, 2, stages['probabilities'])}</code>"


def test_moving_the_digit_slider_runs_forward_on_that_digit():
    seen = []

    def forward(image):
        seen.append(image.copy())
        return tiny_forward(image)

    slider, readout, image = widgets.forward_pass_widget(IMAGES, LABELS, forward).children
    first = image.value
    slider.value = 4
    np.testing.assert_array_equal(seen[-1], IMAGES[4])
    assert readout.value.startswith("<code>digit #4, true label 1: the network answers ")
    assert image.value != first


def test_a_forward_that_fails_is_reported_in_the_readout():
    def broken(image):
        if image[0, 0] == IMAGES[1, 0, 0]:
            raise ValueError("shapes <do not> fit")
        return tiny_forward(image)

    slider, readout, image = widgets.forward_pass_widget(IMAGES, LABELS, broken).children
    before = image.value
    slider.value = 1
    assert readout.value == "<code>digit #1: ValueError: shapes &lt;do not&gt; fit</code>"
    assert image.value == before


def test_a_forward_that_returns_the_wrong_thing_is_reported_in_the_readout():
    _, readout, image = widgets.forward_pass_widget(IMAGES, LABELS, lambda image: {"logits": 1}).children
    assert "forward must return a dict with the keys image, feature_maps" in readout.value
    assert image.value == b""


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"labels": LABELS[:3]}, ValueError, r"one whole number per image, shape \(5,\)"),
        ({"labels": LABELS.astype(float)}, ValueError, "one whole number per image"),
        ({"images": IMAGES[0]}, ValueError, "`images` must be 3-D"),
        ({"forward": "forward"}, TypeError, "`forward` must be a function of one image"),
        ({"index": 5}, ValueError, "`index` must be < the number of images, 5, got 5"),
        ({"index": -1}, ValueError, "`index` must be an integer >= 0"),
    ],
)
def test_forward_pass_widget_bad_arguments(kwargs, error, match):
    arguments = {"images": IMAGES, "labels": LABELS, "forward": tiny_forward, **kwargs}
    with pytest.raises(error, match=match):
        widgets.forward_pass_widget(**arguments)
