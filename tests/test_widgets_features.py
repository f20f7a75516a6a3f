"""cnnlib.widgets.features: the feature-map explorer starts as the static figure and redraws on every change."""

import base64
import io

import ipywidgets
import numpy as np
import pytest

from cnnlib import plotting, widgets
from cnnlib.widgets import features as features_widgets

RNG = np.random.default_rng(0)
IMAGES = RNG.uniform(0, 1, (4, 1, 10, 10))
CONV = RNG.normal(size=(4, 3, 8, 8))
MAPS = {"conv1": CONV, "relu1": np.maximum(CONV, 0), "pool1": np.maximum(CONV, 0)[:, :, ::2, ::2],
        "flatten1": np.maximum(CONV, 0)[:, :, ::2, ::2].reshape(4, -1)}
LABELS = [7, 2, 1, 0]


def parts(box):
    controls, picture, readout = box.children
    slider, menu = controls.children
    return slider, menu, picture, readout


def shown_png(picture):
    [output] = picture.outputs
    assert output["output_type"] == "display_data"
    return base64.b64decode(output["data"]["image/png"])


def png(fig):
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", facecolor="white")
    return buffer.getvalue()


def test_explorer_is_a_slider_a_menu_a_picture_and_a_readout():
    box = widgets.feature_maps_explorer(IMAGES, MAPS, LABELS)
    assert isinstance(box, ipywidgets.VBox)
    slider, menu, picture, readout = parts(box)
    assert isinstance(slider, ipywidgets.IntSlider) and isinstance(menu, ipywidgets.Dropdown)
    assert isinstance(picture, ipywidgets.Output) and isinstance(readout, ipywidgets.HTML)
    assert (slider.min, slider.value, slider.max) == (0, 0, 3)
    assert menu.options == ("conv1", "relu1", "pool1") and menu.value == "conv1"   # flatten1 is not a map


def test_default_state_is_the_static_figure_of_the_notebook():
    slider, menu, picture, readout = parts(widgets.feature_maps_explorer(IMAGES, MAPS, LABELS, index=2,
                                                                          layer="relu1"))
    assert (slider.value, menu.value) == (2, "relu1")
    assert shown_png(picture) == png(plotting.channel_maps_figure(IMAGES, MAPS, index=2, layer="relu1"))
    assert readout.value.startswith("<code>image 2 (label 1) after relu1: 3 maps of 8 × 8")


def test_moving_the_slider_or_the_menu_redraws():
    slider, menu, picture, readout = parts(widgets.feature_maps_explorer(IMAGES, MAPS, LABELS))
    slider.value = 3
    assert shown_png(picture) == png(plotting.channel_maps_figure(IMAGES, MAPS, index=3, layer="conv1"))
    assert readout.value.startswith("<code>image 3 (label 0) after conv1")
    menu.value = "pool1"
    assert shown_png(picture) == png(plotting.channel_maps_figure(IMAGES, MAPS, index=3, layer="pool1"))
    assert picture.outputs[0]["data"]["text/plain"] == "<Figure: image 3 after pool1>"
    assert "4 × 4" in readout.value


def test_readout_counts_the_maps_that_are_all_zero():
    maps = {"relu1": np.zeros((2, 3, 2, 2))}
    maps["relu1"][1, 0, 0, 0] = 1.0
    assert widgets.feature_maps_readout(maps, 0, "relu1") == \
        "image 0 after relu1: 3 maps of 2 × 2; 3 of the 3 maps are all 0 for this image"
    assert widgets.feature_maps_readout(maps, 1, "relu1", labels=["a", "b"]) == \
        "image 1 (label b) after relu1: 3 maps of 2 × 2; 2 of the 3 maps are all 0 for this image"
    assert widgets.feature_maps_readout({"conv1": np.ones((1, 2, 3, 4))}, 0, "conv1") == \
        "image 0 after conv1: 2 maps of 3 × 4"


def test_a_drawing_error_is_shown_in_the_widget_not_raised(monkeypatch):
    slider, _, _, readout = parts(widgets.feature_maps_explorer(IMAGES, MAPS))

    def broken(*args):
        raise RuntimeError("no picture")

    monkeypatch.setattr(features_widgets, "channel_maps_figure", broken)
    slider.value = 1
    assert readout.value == "<p>Could not draw: RuntimeError: no picture</p>"


@pytest.mark.parametrize(
    ("kwargs", "error", "says"),
    [
        ({"layer": "flatten1"}, ValueError, r"`layer` must be one of \['conv1', 'relu1', 'pool1'\]"),
        ({"index": 4}, ValueError, "below the number of images, 4"),
        ({"labels": [1, 2]}, ValueError, "one label per image"),
        ({"maps": {"flatten1": MAPS["flatten1"]}}, ValueError, "at least one"),
        ({"maps": {"conv1": CONV[:3]}}, ValueError, "one map per image"),
    ],
)
def test_bad_arguments_are_named(kwargs, error, says):
    arguments = {"maps": MAPS, **kwargs}
    maps = arguments.pop("maps")
    with pytest.raises(error, match=says):
        widgets.feature_maps_explorer(IMAGES, maps, **arguments)
