"""cnnlib.widgets.receptive_field: the explorer follows the layer and the unit; its default is the static figure."""

import numpy as np
import pytest
from widget_helpers import png_of, shown_png

from cnnlib import plotting, widgets
from cnnlib.training import digit_cnn


@pytest.fixture(scope="module")
def image():
    return np.linspace(0, 1, 28 * 28).reshape(28, 28)


def test_explorer_is_a_menu_two_sliders_a_caption_and_a_picture(image):
    explorer = widgets.receptive_field_explorer(digit_cnn(), image)
    assert isinstance(explorer, widgets.FigureExplorer)
    assert list(explorer.controls) == ["layer", "row", "column"]
    assert list(explorer.layer.options) == ["conv1", "relu1", "pool1", "conv2", "relu2", "pool2"]
    assert (explorer.row.max, explorer.column.max) == (4, 4)  # pool2's map is 5 x 5


def test_explorer_default_state_is_the_static_figure(image):
    network = digit_cnn()
    explorer = widgets.receptive_field_explorer(network, image)
    fmap = network.layer_outputs(image[None, None])["pool2"][0, 0]
    assert shown_png(explorer) == png_of(plotting.receptive_field_figure(image, fmap, (2, 1), 10, 4, "pool2"))
    # r = 1 + 2 + 1 + 2*2 + 1*2 = 10 (conv 3, pool 2, conv 3, pool 2), step 2 * 2 = 4
    assert "field 10 × 10, step 4" in explorer.caption.value
    assert "rows 8-17, columns 4-13" in explorer.caption.value


@pytest.mark.parametrize(
    ("layer", "size", "step", "side"),
    [("conv1", 3, 1, 26), ("pool1", 4, 2, 13), ("conv2", 8, 2, 11), ("relu2", 8, 2, 11)],
)
def test_choosing_a_layer_sets_the_field_and_the_slider_ranges(image, layer, size, step, side):
    explorer = widgets.receptive_field_explorer(digit_cnn(), image)
    before = shown_png(explorer)
    explorer.layer.value = layer
    assert shown_png(explorer) != before
    assert (explorer.row.max, explorer.column.max) == (side - 1, side - 1)
    top, left = 2 * step, 1 * step
    assert f"field {size} × {size}, step {step}" in explorer.caption.value
    assert f"rows {top}-{top + size - 1}, columns {left}-{left + size - 1}" in explorer.caption.value


def test_a_unit_beyond_a_smaller_map_is_brought_onto_it(image):
    explorer = widgets.receptive_field_explorer(digit_cnn(), image, layer="conv1", unit=(20, 25))
    explorer.layer.value = "pool2"
    assert (explorer.row.value, explorer.column.value) == (4, 4)
    assert "unit (4, 4) sees rows 16-25, columns 16-25" in explorer.caption.value


def test_moving_the_unit_moves_the_field(image):
    explorer = widgets.receptive_field_explorer(digit_cnn(), image)
    explorer.column.value = 3
    assert "rows 8-17, columns 12-21" in explorer.caption.value


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [({"layer": "dense1"}, "`layer` must be one of"), ({"unit": (5, 0)}, "must be a cell of pool2's 5 x 5 map")],
)
def test_explorer_bad_arguments(image, kwargs, match):
    with pytest.raises(ValueError, match=match):
        widgets.receptive_field_explorer(digit_cnn(), image, **kwargs)
