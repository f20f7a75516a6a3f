"""cnnlib.widgets.pooling: the window explorer shows the figure and the sizes for what the controls say."""

import ipywidgets
import numpy as np
import pytest
from widget_helpers import png_of, shown_error, shown_png

from cnnlib import plotting, widgets
from cnnlib.widgets import pooling

MAP = np.zeros((26, 26))
MAP[8:10, 5:17] = 1.0  # a bar, like the top edge of a 7
MAP[10:25, 12:14] = 0.5


@pytest.mark.parametrize(
    ("args", "text"),
    [
        (
            (26, 26, 2),
            "2 × 2 window, stride 2: 26 × 26 → 13 × 13 (OH = ⌊(26 − 2) / 2⌋ + 1 = 13), 169 windows; dropped: nothing",
        ),
        (
            (7, 7, 2),
            "2 × 2 window, stride 2: 7 × 7 → 3 × 3 (OH = ⌊(7 − 2) / 2⌋ + 1 = 3), 9 windows; dropped: 1 row, 1 column",
        ),
        # (26 - 3) // 2 + 1 = 12 windows reach row 2 * 11 + 3 = 25 of 26: one row and one column left over
        (
            (26, 26, 3, 2),
            "3 × 3 window, stride 2: 26 × 26 → 12 × 12 (OH = ⌊(26 − 3) / 2⌋ + 1 = 12), 144 windows; "
            "dropped: 1 row, 1 column",
        ),
        # (9 - 2) // 2 + 1 = 4 reaching row 8 of 9 (1 left); (6 - 2) // 2 + 1 = 3 reaching column 6 (none left)
        (
            (9, 6, 2, 2),
            "2 × 2 window, stride 2: 9 × 6 → 4 × 3 (OH = ⌊(9 − 2) / 2⌋ + 1 = 4, "
            "OW = ⌊(6 − 2) / 2⌋ + 1 = 3), 12 windows; dropped: 1 row",
        ),
        # (26 - 2) // 4 + 1 = 7 windows at 0, 4, ..., 24: 2 rows skipped after each of the first 6, none at the end
        (
            (26, 26, 2, 4),
            "2 × 2 window, stride 4: 26 × 26 → 7 × 7 (OH = ⌊(26 − 2) / 4⌋ + 1 = 7), 49 windows; "
            "dropped: nothing; skipped between windows: 12 rows, 12 columns",
        ),
        (
            (10, 10, 4, 1),
            "4 × 4 window, stride 1: 10 × 10 → 7 × 7 (OH = ⌊(10 − 4) / 1⌋ + 1 = 7), 49 windows; dropped: nothing",
        ),
    ],
)
def test_pooling_size_text_worked_by_hand(args, text):
    assert widgets.pooling_size_text(*args) == text


def test_the_explorer_is_built_from_the_controls_it_promises():
    explorer = widgets.pooling_window_explorer(MAP)
    assert isinstance(explorer, widgets.FigureExplorer) and isinstance(explorer, ipywidgets.VBox)
    sliders, options, info, picture = explorer.children
    assert sliders.children == (explorer.window, explorer.stride)
    assert options.children == (explorer.tied, explorer.kind)
    assert (info, picture) == (explorer.caption, explorer.picture)
    assert isinstance(explorer.window, ipywidgets.IntSlider) and isinstance(explorer.stride, ipywidgets.IntSlider)
    assert isinstance(explorer.tied, ipywidgets.Checkbox) and isinstance(explorer.kind, ipywidgets.Dropdown)
    assert (explorer.window.min, explorer.window.value, explorer.window.max) == (1, 2, 6)
    assert explorer.tied.value and explorer.stride.disabled and explorer.stride.value == 2
    assert list(explorer.kind.options) == ["max", "average", "sum"]


def test_its_first_picture_is_the_static_figure_of_the_notebook():
    explorer = widgets.pooling_window_explorer(MAP)
    assert shown_png(explorer) == png_of(plotting.pooling_windows_figure(MAP))
    assert explorer.caption.value == f"<code>{widgets.pooling_size_text(26, 26, 2)}</code>"


def test_a_bigger_window_with_stride_tied_redraws_windows_that_still_tile():
    explorer = widgets.pooling_window_explorer(MAP)
    before = shown_png(explorer)
    explorer.window.value = 3
    assert explorer.stride.value == 3
    assert "3 × 3 window, stride 3: 26 × 26 → 8 × 8" in explorer.caption.value
    assert "dropped: 2 rows, 2 columns" in explorer.caption.value  # 8 windows of 3 cover 24 of the 26 rows
    assert shown_png(explorer) != before
    assert shown_png(explorer) == png_of(plotting.pooling_windows_figure(MAP, 3, 3))


def test_a_tied_stride_follows_the_window_with_one_redraw(monkeypatch):
    explorer = widgets.pooling_window_explorer(MAP)
    redraws = []
    original = widgets.PoolingWindowExplorer.redraw

    def counting(self):
        redraws.append((self.window.value, self.stride.value))
        original(self)

    monkeypatch.setattr(widgets.PoolingWindowExplorer, "redraw", counting)
    explorer.window.value = 4
    assert redraws == [(4, 4)], "the window and the stride it pulls along are drawn once, together"


def test_untying_the_stride_lets_windows_overlap():
    explorer = widgets.pooling_window_explorer(MAP)
    explorer.window.value = 3
    explorer.tied.value = False
    assert not explorer.stride.disabled
    explorer.stride.value = 2
    assert "3 × 3 window, stride 2: 26 × 26 → 12 × 12" in explorer.caption.value
    assert shown_png(explorer) == png_of(plotting.pooling_windows_figure(MAP, 3, 2))
    explorer.tied.value = True  # back to the default: the stride follows the window again
    assert explorer.stride.value == 3 and explorer.stride.disabled
    assert shown_png(explorer) == png_of(plotting.pooling_windows_figure(MAP, 3, 3))


def test_choosing_another_kind_redraws_the_pooled_map():
    explorer = widgets.pooling_window_explorer(MAP)
    explorer.kind.value = "average"
    assert shown_png(explorer) == png_of(plotting.pooling_windows_figure(MAP, 2, 2, "average"))


def test_starting_values_are_used_and_sliders_fit_a_small_map():
    explorer = widgets.pooling_window_explorer(np.ones((4, 5)), size=3, stride=1, kind="sum")
    assert explorer.window.max == explorer.stride.max == 4  # the map's smaller side
    assert explorer.values == {"window": 3, "stride": 1, "tied": False, "kind": "sum"}
    assert "4 × 5 → 2 × 3" in explorer.caption.value


def test_two_explorers_do_not_share_state():
    first, second = widgets.pooling_window_explorer(MAP), widgets.pooling_window_explorer(MAP)
    first.window.value = 5
    assert second.window.value == 2
    assert "→ 13 × 13" in second.caption.value


def test_a_drawing_error_is_shown_in_the_picture(monkeypatch):
    explorer = widgets.pooling_window_explorer(MAP)

    def broken(*args):
        raise RuntimeError("no grid")

    monkeypatch.setattr(pooling, "pooling_windows_figure", broken)
    explorer.kind.value = "sum"
    assert shown_error(explorer) == "RuntimeError: no grid\n"


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"size": 7}, ValueError, "`size` must be <= 6"),
        ({"stride": 0}, ValueError, "`stride` must be an integer >= 1"),
        ({"stride": 9}, ValueError, "`stride` must be <= 6"),
        ({"kind": "median"}, ValueError, "`kind` must be one of"),
        ({"max_size": 2.5}, TypeError, "`max_size` must be an integer"),
        ({"feature_map": np.ones(5)}, ValueError, "`feature_map` must be 2-D"),
    ],
)
def test_bad_arguments_are_named(kwargs, error, match):
    kwargs = {"feature_map": MAP, **kwargs}
    with pytest.raises(error, match=match):
        widgets.pooling_window_explorer(**kwargs)


def test_pooling_size_text_refuses_a_window_that_does_not_fit():
    with pytest.raises(ValueError, match="larger than the padded input"):
        widgets.pooling_size_text(3, 3, 4)
