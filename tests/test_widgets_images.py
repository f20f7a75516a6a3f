"""cnnlib.widgets.images: the widgets of notebook 01 start as their static figure and follow their controls.

The widgets are driven as a learner would, by setting the controls' ``value``; what they show is
read back from the summary line and from the ``Output`` (a PNG plus a plain-text copy).
"""

import base64
import io

import ipywidgets
import numpy as np
import pytest

from cnnlib import plotting, widgets


def ramp(height, width):
    """Pixel (r, c) holds r * width + c (mod 256), so every patch is known by heart."""
    return (np.arange(height * width).reshape(height, width) % 256).astype(np.uint8)


def shown(output):
    """The single output of an Output widget, as (plain text, PNG bytes)."""
    (bundle,) = output.outputs
    assert bundle["output_type"] == "display_data", bundle
    return bundle["data"]["text/plain"], base64.b64decode(bundle["data"]["image/png"])


def png_of(fig):
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=100, bbox_inches="tight")
    return buffer.getvalue()


# patch_zoom ------------------------------------------------------------------------------------


def test_patch_zoom_is_two_sliders_a_summary_and_an_output():
    box = widgets.patch_zoom(ramp(10, 12), row=2, col=3, size=4)
    sliders, summary, output = box.children
    row, col = sliders.children
    assert isinstance(row, ipywidgets.IntSlider) and isinstance(col, ipywidgets.IntSlider)
    assert isinstance(summary, ipywidgets.HTML) and isinstance(output, ipywidgets.Output)
    assert (row.min, row.value, row.max) == (0, 2, 6)  # the top edge can go down to 10 - 4
    assert (col.min, col.value, col.max) == (0, 3, 8)


def test_patch_zoom_starts_as_the_static_patch_figure():
    image = ramp(10, 12)
    _, _, output = widgets.patch_zoom(image, row=2, col=3, size=4).children
    text, png = shown(output)
    assert png == png_of(plotting.patch_figure(image, 2, 3, 4))
    assert text.startswith("image[2:6, 3:7]:")


def test_moving_the_sliders_shows_the_numbers_of_the_new_patch():
    image = ramp(10, 12)
    box = widgets.patch_zoom(image, row=0, col=0, size=2)
    (row, col), summary, output = box.children[0].children, box.children[1], box.children[2]
    before = shown(output)[1]
    row.value = 4
    col.value = 5
    # pixel (r, c) holds 12 r + c: rows 4-5, columns 5-6 -> 53 54 / 65 66
    assert summary.value == "image[4:6, 5:7]: darkest 53, brightest 66"
    text, png = shown(output)
    assert text == "image[4:6, 5:7]:\n[[53 54]\n [65 66]]"
    assert png != before
    assert png == png_of(plotting.patch_figure(image, 4, 5, 2))


def test_two_zoom_widgets_do_not_share_state():
    first, second = widgets.patch_zoom(ramp(10, 10), size=2), widgets.patch_zoom(ramp(10, 10), size=2)
    first.children[0].children[0].value = 3
    assert second.children[1].value == "image[0:2, 0:2]: darkest 0, brightest 11"
    assert first.children[1].value == "image[3:5, 0:2]: darkest 30, brightest 41"


def test_a_failing_redraw_is_shown_in_the_output_instead_of_vanishing(monkeypatch):
    box = widgets.patch_zoom(ramp(10, 10), size=2)

    def broken(*args):
        raise RuntimeError("cannot draw")

    monkeypatch.setattr("cnnlib.widgets.images.patch_figure", broken)
    box.children[0].children[0].value = 1
    (bundle,) = box.children[2].outputs
    assert bundle == {"output_type": "stream", "name": "stderr", "text": "RuntimeError: cannot draw\n"}


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


def controls_of(box):
    height, width, channels, hidden = box.children[0].children
    return height, width, channels, hidden


def test_dense_param_counter_controls_and_their_ranges():
    box = widgets.dense_param_counter()
    height, width, channels, hidden = controls_of(box)
    assert (height.min, height.value, height.max) == (1, 200, 1024)
    assert (width.min, width.value, width.max) == (1, 200, 1024)
    assert isinstance(channels, ipywidgets.ToggleButtons)
    assert [value for _, value in channels.options] == [1, 3]
    assert (hidden.min, hidden.value, hidden.max) == (1, 100, 2000)


def test_dense_param_counter_starts_as_the_static_figure():
    box = widgets.dense_param_counter(height=200, width=200, channels=1, hidden_units=100)
    text, png = shown(box.children[2])
    assert text == "inputs = 200 × 200 × 1 = 40,000;  weights = 40,000 × 100 = 4,000,000;  biases = 100"
    assert png == png_of(plotting.dense_params_figure(200, 200, 1, 100))


def test_dense_param_counter_follows_each_control():
    box = widgets.dense_param_counter(height=28, width=28, channels=1, hidden_units=100)
    height, width, channels, hidden = controls_of(box)
    counts = box.children[1]
    assert "inputs = 28 × 28 × 1 = 784;" in counts.value
    height.value, width.value = 200, 200
    assert "inputs = 200 × 200 × 1 = 40,000;" in counts.value
    channels.value = 3
    assert "inputs = 200 × 200 × 3 = 120,000;" in counts.value
    hidden.value = 1000
    assert "weights = 120,000 × 1,000 = 120,000,000;" in counts.value
    assert "biases = 1,000" in counts.value
    text, png = shown(box.children[2])
    assert text == "inputs = 200 × 200 × 3 = 120,000;  weights = 120,000 × 1,000 = 120,000,000;  biases = 1,000"
    assert png == png_of(plotting.dense_params_figure(200, 200, 3, 1000))


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
