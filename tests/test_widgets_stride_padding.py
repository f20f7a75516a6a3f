"""cnnlib.widgets.stride_padding: the explorer redraws the grid when its sliders move."""

import io

import ipywidgets
import numpy as np
import pytest
from matplotlib.image import imread
from widget_helpers import png_of, shown_error, shown_note, shown_png

from cnnlib import plotting, widgets
from cnnlib.widgets import stride_padding


def test_explorer_is_sliders_a_summary_and_a_picture():
    explorer = widgets.stride_padding_explorer()
    assert isinstance(explorer, widgets.FigureExplorer) and isinstance(explorer, ipywidgets.VBox)
    sliders, summary, picture = explorer.children
    assert sliders.children == (explorer.n, explorer.k, explorer.stride, explorer.padding, explorer.dilation)
    assert (summary, picture) == (explorer.caption, explorer.picture)
    assert list(explorer.controls) == ["n", "k", "stride", "padding", "dilation"]
    assert [(s.min, s.value, s.max) for s in explorer.controls.values()] == [
        (3, 7, 12),
        (1, 3, 6),
        (1, 2, 4),
        (0, 1, 3),
        (1, 1, 3),
    ]


def test_explorer_default_state_is_the_static_figure():
    explorer = widgets.stride_padding_explorer()
    assert shown_png(explorer) == png_of(plotting.stride_padding_figure())
    assert "output 4 × 4, 16 kernel positions" in explorer.caption.value


@pytest.mark.parametrize(
    ("name", "value", "size"),
    [("stride", 1, 7), ("padding", 0, 3), ("k", 5, 3), ("n", 12, 6), ("dilation", 2, 3)],
    # (7 + 2 - 3) // 1 + 1 = 7; (7 - 3) // 2 + 1 = 3; (7 + 2 - 5) // 2 + 1 = 3; (12 + 2 - 3) // 2 + 1 = 6;
    # dilation 2: the kernel spans 2 * 2 + 1 = 5, (7 + 2 - 5) // 2 + 1 = 3
)
def test_moving_a_slider_redraws_the_grid_and_the_size(name, value, size):
    explorer = widgets.stride_padding_explorer()
    before = shown_png(explorer)
    explorer.controls[name].value = value
    after = shown_png(explorer)
    assert after != before
    assert after == png_of(plotting.stride_padding_figure(**explorer.values))
    assert f"output {size} × {size}, {size * size} kernel positions" in explorer.caption.value
    pixels = imread(io.BytesIO(after))
    assert pixels.ndim == 3 and pixels.shape[0] > 100


def test_a_kernel_that_does_not_fit_is_explained_not_drawn():
    explorer = widgets.stride_padding_explorer()
    explorer.padding.value = 0
    explorer.n.value = 3
    explorer.k.value = 5
    assert "no output" in explorer.caption.value and "does not fit" in explorer.caption.value
    assert shown_note(explorer) == "Nothing to draw: make k or d smaller, or n or p larger.\n"
    assert explorer.figure is None and explorer.error is None, "a note, not an error"
    explorer.padding.value = 1  # 3 + 2 = 5 cells: the kernel fits once
    assert "output 1 × 1" in explorer.caption.value
    assert shown_png(explorer) == png_of(plotting.stride_padding_figure(3, 5, 2, 1))


def test_two_explorers_do_not_share_state():
    first, second = widgets.stride_padding_explorer(), widgets.stride_padding_explorer(n=9, stride=1)
    first.k.value = 1
    assert "output 9 × 9" in second.caption.value  # 9 + 2 - 3 + 1 = 9
    assert "output 5 × 5" in first.caption.value  # (7 + 2 - 1) // 2 + 1


def test_a_drawing_error_is_shown_in_the_picture(monkeypatch):
    explorer = widgets.stride_padding_explorer()

    def broken(*args, **kwargs):
        raise RuntimeError("no grid")

    monkeypatch.setattr(stride_padding, "stride_padding_figure", broken)
    explorer.stride.value = 1
    assert shown_error(explorer) == "RuntimeError: no grid\n"


def test_summary_worked_by_hand():
    assert widgets.stride_padding_summary(8, 3, 2, 0).endswith("= 3: output 3 × 3, 9 kernel positions")
    assert widgets.stride_padding_summary(12, 6, 4, 3, dilation=3).endswith(": output 1 × 1, 1 kernel position")
    assert widgets.stride_padding_summary(3, 5, 1, 0).startswith("no output")
    # dilation 3 spreads a 3 x 3 kernel over 3 * 2 + 1 = 7 pixels: (9 - 7) // 1 + 1 = 3
    assert widgets.stride_padding_summary(9, 3, 1, 0, dilation=3).endswith("= 3: output 3 × 3, 9 kernel positions")
    assert "spans 7 pixels" in widgets.stride_padding_summary(6, 3, 1, 0, dilation=3)


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"n": 13}, ValueError, "`n` must be an integer from 3 to 12"),
        ({"k": 0}, ValueError, "`k` must be an integer >= 1"),
        ({"stride": 2.0}, TypeError, "`stride` must be an integer"),
        ({"padding": 4}, ValueError, "`padding` must be an integer from 0 to 3"),
        ({"dilation": 4}, ValueError, "`dilation` must be an integer from 1 to 3"),
    ],
)
def test_explorer_bad_starting_values(kwargs, error, match):
    with pytest.raises(error, match=match):
        widgets.stride_padding_explorer(**kwargs)


def test_figure_png_is_deterministic():
    # the default-state test above relies on drawing two copies of the same figure giving the same bytes
    a, b = png_of(plotting.stride_padding_figure()), png_of(plotting.stride_padding_figure())
    assert a == b
    assert np.asarray(imread(io.BytesIO(a))).shape[2] in (3, 4)
