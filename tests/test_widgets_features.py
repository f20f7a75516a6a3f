"""cnnlib.widgets.features: the feature-map explorer starts as the static figure and redraws on every change."""

import ipywidgets
import numpy as np
import pytest
from widget_helpers import png_of, shown_error, shown_png

from cnnlib import plotting, widgets
from cnnlib.widgets import features as features_widgets

RNG = np.random.default_rng(0)
IMAGES = RNG.uniform(0, 1, (4, 1, 10, 10))
CONV = RNG.normal(size=(4, 3, 8, 8))
MAPS = {
    "conv1": CONV,
    "relu1": np.maximum(CONV, 0),
    "pool1": np.maximum(CONV, 0)[:, :, ::2, ::2],
    "flatten1": np.maximum(CONV, 0)[:, :, ::2, ::2].reshape(4, -1),
}
LABELS = [7, 2, 1, 0]


def test_explorer_is_a_slider_a_menu_a_picture_and_a_readout():
    explorer = widgets.feature_maps_explorer(IMAGES, MAPS, LABELS)
    assert isinstance(explorer, widgets.FigureExplorer) and isinstance(explorer, ipywidgets.VBox)
    controls, picture, readout = explorer.children
    assert controls.children == (explorer.index, explorer.layer)
    assert (picture, readout) == (explorer.picture, explorer.caption)
    assert isinstance(explorer.index, ipywidgets.IntSlider) and isinstance(explorer.layer, ipywidgets.Dropdown)
    assert (explorer.index.min, explorer.index.value, explorer.index.max) == (0, 0, 3)
    assert explorer.layer.options == ("conv1", "relu1", "pool1") and explorer.layer.value == "conv1"  # no flatten1


def test_default_state_is_the_static_figure_of_the_notebook():
    explorer = widgets.feature_maps_explorer(IMAGES, MAPS, LABELS, index=2, layer="relu1")
    assert (explorer.index.value, explorer.layer.value) == (2, "relu1")
    assert shown_png(explorer) == png_of(plotting.channel_maps_figure(IMAGES, MAPS, index=2, layer="relu1"))
    assert explorer.caption.value.startswith("<code>image 2 (label 1) after relu1: 3 maps of 8 × 8")


def test_moving_the_slider_or_the_menu_redraws():
    explorer = widgets.feature_maps_explorer(IMAGES, MAPS, LABELS)
    explorer.index.value = 3
    assert shown_png(explorer) == png_of(plotting.channel_maps_figure(IMAGES, MAPS, index=3, layer="conv1"))
    assert explorer.caption.value.startswith("<code>image 3 (label 0) after conv1")
    explorer.layer.value = "pool1"
    assert shown_png(explorer) == png_of(plotting.channel_maps_figure(IMAGES, MAPS, index=3, layer="pool1"))
    assert "4 × 4" in explorer.caption.value


def test_readout_counts_the_maps_that_are_all_zero():
    maps = {"relu1": np.zeros((2, 3, 2, 2))}
    maps["relu1"][1, 0, 0, 0] = 1.0
    assert (
        widgets.feature_maps_readout(maps, 0, "relu1")
        == "image 0 after relu1: 3 maps of 2 × 2; 3 of the 3 maps are all 0 for this image"
    )
    assert (
        widgets.feature_maps_readout(maps, 1, "relu1", labels=["a", "b"])
        == "image 1 (label b) after relu1: 3 maps of 2 × 2; 2 of the 3 maps are all 0 for this image"
    )
    assert (
        widgets.feature_maps_readout({"conv1": np.ones((1, 2, 3, 4))}, 0, "conv1")
        == "image 0 after conv1: 2 maps of 3 × 4"
    )


def test_a_drawing_error_is_shown_in_the_widget_not_raised(monkeypatch):
    explorer = widgets.feature_maps_explorer(IMAGES, MAPS)

    def broken(*args):
        raise RuntimeError("no picture")

    monkeypatch.setattr(features_widgets, "channel_maps_figure", broken)
    explorer.index.value = 1
    assert shown_error(explorer) == "RuntimeError: no picture\n"
    assert explorer.caption.value == ""


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
