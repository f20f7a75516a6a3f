"""cnnlib.widgets.stride_padding: the explorer redraws the grid when its sliders move."""

import base64
import io

import ipywidgets
import numpy as np
import pytest
from matplotlib.image import imread

from cnnlib import plotting, widgets


def parts(box):
    sliders, summary, picture = box.children
    return dict(zip(["n", "k", "stride", "padding"], sliders.children, strict=True)), summary, picture


def png_of(figure):
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return buffer.getvalue()


def shown_png(picture):
    (output,) = picture.outputs
    return base64.b64decode(output["data"]["image/png"])


def test_explorer_is_sliders_a_summary_and_a_picture():
    box = widgets.stride_padding_explorer()
    assert isinstance(box, ipywidgets.VBox)
    sliders, summary, picture = parts(box)
    assert all(isinstance(s, ipywidgets.IntSlider) for s in sliders.values())
    assert [(s.min, s.value, s.max) for s in sliders.values()] == [(3, 7, 12), (1, 3, 6), (1, 2, 4), (0, 1, 3)]
    assert isinstance(summary, ipywidgets.HTML)
    assert isinstance(picture, ipywidgets.Output)


def test_explorer_default_state_is_the_static_figure():
    _, summary, picture = parts(widgets.stride_padding_explorer())
    assert shown_png(picture) == png_of(plotting.stride_padding_figure())
    assert "output 4 × 4, 16 kernel positions" in summary.value


@pytest.mark.parametrize(
    ("name", "value", "size"),
    [("stride", 1, 7), ("padding", 0, 3), ("k", 5, 3), ("n", 12, 6)],
    # (7 + 2 - 3) // 1 + 1 = 7; (7 - 3) // 2 + 1 = 3; (7 + 2 - 5) // 2 + 1 = 3; (12 + 2 - 3) // 2 + 1 = 6
)
def test_moving_a_slider_redraws_the_grid_and_the_size(name, value, size):
    sliders, summary, picture = parts(widgets.stride_padding_explorer())
    before = shown_png(picture)
    sliders[name].value = value
    after = shown_png(picture)
    assert after != before
    values = {key: slider.value for key, slider in sliders.items()}
    assert after == png_of(plotting.stride_padding_figure(**values))
    assert f"output {size} × {size}, {size * size} kernel positions" in summary.value
    assert len(picture.outputs) == 1, "the picture is replaced, not appended"
    pixels = imread(io.BytesIO(after))
    assert pixels.ndim == 3 and pixels.shape[0] > 100


def test_a_kernel_that_does_not_fit_is_explained_not_drawn():
    sliders, summary, picture = parts(widgets.stride_padding_explorer())
    sliders["padding"].value = 0
    sliders["n"].value = 3
    sliders["k"].value = 5
    assert "no output" in summary.value and "does not fit" in summary.value
    (output,) = picture.outputs
    assert output["output_type"] == "stream" and "make k smaller" in output["text"]
    sliders["padding"].value = 1  # 3 + 2 = 5 cells: the kernel fits once
    assert "output 1 × 1" in summary.value
    assert "image/png" in picture.outputs[0]["data"]


def test_two_explorers_do_not_share_state():
    first, second = widgets.stride_padding_explorer(), widgets.stride_padding_explorer(n=9, stride=1)
    parts(first)[0]["k"].value = 1
    assert "output 9 × 9" in parts(second)[1].value  # 9 + 2 - 3 + 1 = 9
    assert "output 5 × 5" in parts(first)[1].value  # (7 + 2 - 1) // 2 + 1


def test_summary_worked_by_hand():
    assert widgets.stride_padding_summary(8, 3, 2, 0).endswith("= 3: output 3 × 3, 9 kernel positions")
    assert widgets.stride_padding_summary(3, 5, 1, 0).startswith("no output")


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"n": 13}, ValueError, "`n` must be an integer from 3 to 12"),
        ({"k": 0}, ValueError, "`k` must be an integer >= 1"),
        ({"stride": 2.0}, TypeError, "`stride` must be an integer"),
        ({"padding": 4}, ValueError, "`padding` must be an integer from 0 to 3"),
    ],
)
def test_explorer_bad_starting_values(kwargs, error, match):
    with pytest.raises(error, match=match):
        widgets.stride_padding_explorer(**kwargs)


def test_figure_png_is_deterministic():
    # the default-state test above relies on rendering the same figure twice giving the same bytes
    a, b = png_of(plotting.stride_padding_figure()), png_of(plotting.stride_padding_figure())
    assert a == b
    assert np.asarray(imread(io.BytesIO(a))).shape[2] in (3, 4)
