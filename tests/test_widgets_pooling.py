"""cnnlib.widgets.pooling: the window explorer shows the figure and the sizes for what the controls say."""

import io

import ipywidgets
import numpy as np
import pytest

from cnnlib import plotting, widgets

MAP = np.zeros((26, 26))
MAP[8:10, 5:17] = 1.0  # a bar, like the top edge of a 7
MAP[10:25, 12:14] = 0.5


def png(fig):
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png")
    return buffer.getvalue()


def parts(box):
    """(window slider, stride slider, tie checkbox, kind dropdown, info HTML, picture Image)."""
    sliders, options, info, picture = box.children
    return (*sliders.children, *options.children, info, picture)


@pytest.mark.parametrize(
    ("args", "text"),
    [
        ((26, 26, 2), "2 × 2 window, stride 2: 26 × 26 → 13 × 13 (OH = ⌊(26 − 2) / 2⌋ + 1 = 13), 169 windows; "
                      "dropped: nothing"),
        ((7, 7, 2), "2 × 2 window, stride 2: 7 × 7 → 3 × 3 (OH = ⌊(7 − 2) / 2⌋ + 1 = 3), 9 windows; "
                    "dropped: 1 row, 1 column"),
        # (26 - 3) // 2 + 1 = 12 windows reach row 2 * 11 + 3 = 25 of 26: one row and one column left over
        ((26, 26, 3, 2), "3 × 3 window, stride 2: 26 × 26 → 12 × 12 (OH = ⌊(26 − 3) / 2⌋ + 1 = 12), 144 windows; "
                         "dropped: 1 row, 1 column"),
        # (9 - 2) // 2 + 1 = 4 reaching row 8 of 9 (1 left); (6 - 2) // 2 + 1 = 3 reaching column 6 (none left)
        ((9, 6, 2, 2), "2 × 2 window, stride 2: 9 × 6 → 4 × 3 (OH = ⌊(9 − 2) / 2⌋ + 1 = 4, "
                       "OW = ⌊(6 − 2) / 2⌋ + 1 = 3), 12 windows; dropped: 1 row"),
        # (26 - 2) // 4 + 1 = 7 windows at 0, 4, ..., 24: 2 rows skipped after each of the first 6, none at the end
        ((26, 26, 2, 4), "2 × 2 window, stride 4: 26 × 26 → 7 × 7 (OH = ⌊(26 − 2) / 4⌋ + 1 = 7), 49 windows; "
                         "dropped: nothing; skipped between windows: 12 rows, 12 columns"),
        ((10, 10, 4, 1), "4 × 4 window, stride 1: 10 × 10 → 7 × 7 (OH = ⌊(10 − 4) / 1⌋ + 1 = 7), 49 windows; "
                         "dropped: nothing"),
    ],
)
def test_pooling_size_text_worked_by_hand(args, text):
    assert widgets.pooling_size_text(*args) == text


def test_the_explorer_is_built_from_the_controls_it_promises():
    box = widgets.pooling_window_explorer(MAP)
    window, stride, tied, kind, info, picture = parts(box)
    assert isinstance(box, ipywidgets.VBox)
    assert isinstance(window, ipywidgets.IntSlider) and isinstance(stride, ipywidgets.IntSlider)
    assert isinstance(tied, ipywidgets.Checkbox) and isinstance(kind, ipywidgets.Dropdown)
    assert isinstance(info, ipywidgets.HTML) and isinstance(picture, ipywidgets.Image)
    assert (window.min, window.value, window.max) == (1, 2, 6)
    assert tied.value and stride.disabled and stride.value == 2
    assert list(kind.options) == ["max", "average", "sum"]


def test_its_first_picture_is_the_static_figure_of_the_notebook():
    _, _, _, _, info, picture = parts(widgets.pooling_window_explorer(MAP))
    assert picture.value == png(plotting.pooling_windows_figure(MAP))
    assert info.value == f"<code>{widgets.pooling_size_text(26, 26, 2)}</code>"


def test_a_bigger_window_with_stride_tied_redraws_windows_that_still_tile():
    box = widgets.pooling_window_explorer(MAP)
    window, stride, _, _, info, picture = parts(box)
    before = picture.value
    window.value = 3
    assert stride.value == 3
    assert "3 × 3 window, stride 3: 26 × 26 → 8 × 8" in info.value
    assert "dropped: 2 rows, 2 columns" in info.value  # 8 windows of 3 cover 24 of the 26 rows
    assert picture.value != before
    assert picture.value == png(plotting.pooling_windows_figure(MAP, 3, 3))


def test_untying_the_stride_lets_windows_overlap():
    box = widgets.pooling_window_explorer(MAP)
    window, stride, tied, _, info, picture = parts(box)
    window.value = 3
    tied.value = False
    assert not stride.disabled
    stride.value = 2
    assert "3 × 3 window, stride 2: 26 × 26 → 12 × 12" in info.value
    assert picture.value == png(plotting.pooling_windows_figure(MAP, 3, 2))
    tied.value = True  # back to the default: the stride follows the window again
    assert stride.value == 3 and stride.disabled
    assert picture.value == png(plotting.pooling_windows_figure(MAP, 3, 3))


def test_choosing_another_kind_redraws_the_pooled_map():
    box = widgets.pooling_window_explorer(MAP)
    _, _, _, kind, _, picture = parts(box)
    kind.value = "average"
    assert picture.value == png(plotting.pooling_windows_figure(MAP, 2, 2, "average"))


def test_starting_values_are_used_and_sliders_fit_a_small_map():
    box = widgets.pooling_window_explorer(np.ones((4, 5)), size=3, stride=1, kind="sum")
    window, stride, tied, kind, info, _ = parts(box)
    assert window.max == stride.max == 4  # the map's smaller side
    assert (window.value, stride.value, tied.value, kind.value) == (3, 1, False, "sum")
    assert "4 × 5 → 2 × 3" in info.value


def test_two_explorers_do_not_share_state():
    first, second = widgets.pooling_window_explorer(MAP), widgets.pooling_window_explorer(MAP)
    parts(first)[0].value = 5
    assert parts(second)[0].value == 2
    assert "→ 13 × 13" in parts(second)[4].value


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
