"""cnnlib.widgets.images: the widgets of notebook 01 start as their static figure and follow their controls.

The widgets are driven as a learner would, by setting the controls' ``value``; what they show is
read back from the caption and from the picture (a PNG).
"""

import ipywidgets
import numpy as np
import pytest
from widget_helpers import png_of, shown_error, shown_png

from cnnlib import plotting, widgets


def ramp(height, width):
    """Pixel (r, c) holds r * width + c (mod 256), so every patch is known by heart."""
    return (np.arange(height * width).reshape(height, width) % 256).astype(np.uint8)


# patch_zoom ------------------------------------------------------------------------------------


def test_patch_zoom_is_two_sliders_a_summary_and_a_picture():
    zoom = widgets.patch_zoom(ramp(10, 12), row=2, col=3, size=4)
    assert isinstance(zoom, widgets.FigureExplorer) and isinstance(zoom, ipywidgets.VBox)
    sliders, summary, picture = zoom.children
    assert sliders.children == (zoom.row, zoom.col)
    assert (summary, picture) == (zoom.caption, zoom.picture)
    assert isinstance(zoom.row, ipywidgets.IntSlider) and isinstance(zoom.col, ipywidgets.IntSlider)
    assert (zoom.row.min, zoom.row.value, zoom.row.max) == (0, 2, 6)  # the top edge can go down to 10 - 4
    assert (zoom.col.min, zoom.col.value, zoom.col.max) == (0, 3, 8)


def test_patch_zoom_starts_as_the_static_patch_figure():
    image = ramp(10, 12)
    zoom = widgets.patch_zoom(image, row=2, col=3, size=4)
    assert shown_png(zoom) == png_of(plotting.patch_figure(image, 2, 3, 4))
    assert zoom.caption.value.startswith("image[2:6, 3:7]:")


def test_moving_the_sliders_shows_the_numbers_of_the_new_patch():
    image = ramp(10, 12)
    zoom = widgets.patch_zoom(image, row=0, col=0, size=2)
    before = shown_png(zoom)
    zoom.row.value = 4
    zoom.col.value = 5
    # pixel (r, c) holds 12 r + c: rows 4-5, columns 5-6 -> 53 54 / 65 66
    assert zoom.caption.value == "image[4:6, 5:7]: darkest 53, brightest 66"
    assert shown_png(zoom) != before
    assert shown_png(zoom) == png_of(plotting.patch_figure(image, 4, 5, 2))
    assert [t.get_text() for t in zoom.figure.axes[1].texts] == ["53", "54", "65", "66"]


def test_two_zoom_widgets_do_not_share_state():
    first, second = widgets.patch_zoom(ramp(10, 10), size=2), widgets.patch_zoom(ramp(10, 10), size=2)
    first.row.value = 3
    assert second.caption.value == "image[0:2, 0:2]: darkest 0, brightest 11"
    assert first.caption.value == "image[3:5, 0:2]: darkest 30, brightest 41"


def test_a_failing_redraw_is_shown_in_the_picture_instead_of_vanishing(monkeypatch):
    zoom = widgets.patch_zoom(ramp(10, 10), size=2)

    def broken(*args):
        raise RuntimeError("cannot draw")

    monkeypatch.setattr("cnnlib.widgets.images.patch_figure", broken)
    zoom.row.value = 1
    assert shown_error(zoom) == "RuntimeError: cannot draw\n"


@pytest.mark.parametrize(
    ("image", "kwargs", "error", "match"),
    [
        (ramp(10, 10), {"row": 9}, ValueError, "`row` must be between 0 and H - size = 2, got 9"),
        (ramp(10, 10), {"size": 20}, ValueError, "`size` must be at most 16"),
        (np.zeros((10, 10, 3)), {}, ValueError, r"shape \(H, W\)"),
        (None, {}, TypeError, "`image` must be an array"),
    ],
)
def test_patch_zoom_bad_arguments(image, kwargs, error, match):
    with pytest.raises(error, match=match):
        widgets.patch_zoom(image, **kwargs)


# dense_param_counter ---------------------------------------------------------------------------


def test_dense_param_counter_controls_and_their_ranges():
    counter = widgets.dense_param_counter()
    assert isinstance(counter, widgets.FigureExplorer)
    controls, counts, picture = counter.children
    assert controls.children == (counter.height, counter.width, counter.channels, counter.hidden_units)
    assert (counts, picture) == (counter.caption, counter.picture)
    assert (counter.height.min, counter.height.value, counter.height.max) == (1, 200, 1024)
    assert (counter.width.min, counter.width.value, counter.width.max) == (1, 200, 1024)
    assert isinstance(counter.channels, ipywidgets.ToggleButtons)
    assert [value for _, value in counter.channels.options] == [1, 3]
    assert (counter.hidden_units.min, counter.hidden_units.value, counter.hidden_units.max) == (1, 100, 2000)


def test_dense_param_counter_starts_as_the_static_figure():
    counter = widgets.dense_param_counter(height=200, width=200, channels=1, hidden_units=100)
    assert counter.caption.value == (
        "<b>inputs = 200 × 200 × 1 = 40,000;  weights = 40,000 × 100 = 4,000,000;  biases = 100</b>"
    )
    assert shown_png(counter) == png_of(plotting.dense_params_figure(200, 200, 1, 100))


def test_dense_param_counter_follows_each_control():
    counter = widgets.dense_param_counter(height=28, width=28, channels=1, hidden_units=100)
    assert "inputs = 28 × 28 × 1 = 784;" in counter.caption.value
    counter.height.value, counter.width.value = 200, 200
    assert "inputs = 200 × 200 × 1 = 40,000;" in counter.caption.value
    counter.channels.value = 3
    assert "inputs = 200 × 200 × 3 = 120,000;" in counter.caption.value
    counter.hidden_units.value = 1000
    assert counter.caption.value == (
        "<b>inputs = 200 × 200 × 3 = 120,000;  weights = 120,000 × 1,000 = 120,000,000;  biases = 1,000</b>"
    )
    assert shown_png(counter) == png_of(plotting.dense_params_figure(200, 200, 3, 1000))


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"channels": 2}, ValueError, "`channels` must be 1 .grayscale. or 3 .RGB., got 2"),
        ({"height": 0}, ValueError, "`height` must be an integer >= 1, got 0"),
        ({"width": 2000}, ValueError, "`width` must be an integer from 1 to 1024, got 2000"),
        ({"hidden_units": 10.5}, TypeError, "`hidden_units` must be an integer"),
    ],
)
def test_dense_param_counter_bad_arguments(kwargs, error, match):
    with pytest.raises(error, match=match):
        widgets.dense_param_counter(**kwargs)
