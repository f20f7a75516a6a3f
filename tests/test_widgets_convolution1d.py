"""cnnlib.widgets.convolution1d: the sliding-convolution widget shows, for every shift, what np.convolve computes."""

import re

import ipywidgets
import numpy as np
import pytest
from widget_helpers import png_of, shown_error, shown_png

from cnnlib import plotting, widgets
from cnnlib.plotting.convolution1d import format_number
from cnnlib.widgets import convolution1d

F, G = [2, 0, 1, 3, -1], [1, 2, 3]  # the notebook's running example: full output [2, 4, 7, 5, 8, 7, -3]


def table_rows(html):
    """The table's body rows as lists of cell texts."""
    return [re.findall(r"<td[^>]*>(.*?)</td>", row) for row in re.findall(r"<tr>(<td.*?)</tr>", html)]


def test_widget_is_controls_picture_and_terms():
    explorer = widgets.slide_widget_1d(F, G, n=2)
    assert isinstance(explorer, widgets.FigureExplorer) and isinstance(explorer, ipywidgets.VBox)
    controls, picture, terms = explorer.children
    assert controls.children == (explorer.play, explorer.shift)
    assert (picture, terms) == (explorer.picture, explorer.caption)
    assert isinstance(explorer.play, ipywidgets.Play) and isinstance(explorer.shift, ipywidgets.IntSlider)
    assert isinstance(picture, ipywidgets.Output) and isinstance(terms, ipywidgets.HTML)
    assert (explorer.shift.min, explorer.shift.value, explorer.shift.max) == (0, 2, 6)  # shifts 0 .. M + K - 2
    assert (explorer.play.min, explorer.play.value, explorer.play.max) == (0, 2, 6)
    assert explorer.controls == {"shift": explorer.shift}, "the play button moves the slider, it draws nothing"


def test_default_state_is_the_static_figure_of_the_notebook():
    explorer = widgets.slide_widget_1d(F, G, n=2)
    assert shown_png(explorer) == png_of(plotting.slide_figure_1d(F, G, 2))
    assert explorer.caption.value == widgets.terms_table_html_1d(F, G, 2)
    assert explorer.caption.value.splitlines()[-1] == "<p><b>(f * g)[2] = 7</b></p>"


def test_moving_the_slider_shows_np_convolve_at_every_shift():
    explorer = widgets.slide_widget_1d(F, G)
    expected = np.convolve(F, G)
    pictures = set()
    for n in [3, 0, 6, 1, 5, 2, 4]:
        explorer.shift.value = n
        terms = explorer.caption.value
        assert terms.splitlines()[-1] == f"<p><b>(f * g)[{n}] = {format_number(expected[n])}</b></p>"
        rows = table_rows(terms)
        assert float(rows[-1][-1]) == expected[n]  # the running sum ends at the output value
        assert [int(row[0]) for row in rows] == list(range(max(0, n - 2), min(4, n) + 1))  # the overlapping k
        assert all(int(row[0]) + int(row[2]) == n for row in rows)  # k + (n - k) = n
        assert explorer.figure.axes[0].get_title() == plotting.slide_figure_1d(F, G, n).axes[0].get_title()
        pictures.add(shown_png(explorer))
    assert len(pictures) == 7, "every shift draws a different picture"
    assert shown_png(explorer) == png_of(plotting.slide_figure_1d(F, G, 4))


def test_table_lists_products_and_running_sums_worked_by_hand():
    rows = table_rows(widgets.terms_table_html_1d(F, G, 3))
    # (f * g)[3] = f[1] g[2] + f[2] g[1] + f[3] g[0] = 0*3 + 1*2 + 3*1 = 5
    assert rows == [
        ["1", "0", "2", "3", "0", "0"],
        ["2", "1", "1", "2", "2", "2"],
        ["3", "3", "0", "1", "3", "5"],
    ]


def test_two_widgets_do_not_share_state():
    first, second = widgets.slide_widget_1d(F, G), widgets.slide_widget_1d([1, 1], [1, -1], n=1)
    first.shift.value = 5
    assert second.caption.value.splitlines()[-1] == "<p><b>(f * g)[1] = 0</b></p>"
    assert first.caption.value.splitlines()[-1] == "<p><b>(f * g)[5] = 7</b></p>"


def test_a_drawing_error_is_shown_in_the_widget_not_lost(monkeypatch):
    explorer = widgets.slide_widget_1d(F, G)

    def broken(*args):
        raise RuntimeError("no canvas")

    monkeypatch.setattr(convolution1d, "slide_figure_1d", broken)
    explorer.shift.value = 3
    assert shown_error(explorer) == "RuntimeError: no canvas\n"
    assert explorer.caption.value == "", "no table for a shift that is not drawn"


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"n": 7}, ValueError, r"`n` must be <= M \+ K - 2 = 6"),
        ({"n": -1}, ValueError, "`n` must be an integer >= 0, got -1"),
        ({"n": 2.0}, TypeError, "`n` must be an integer"),
        ({"f": None}, TypeError, "`f` must be a numeric array"),
        ({"g": [[1, 2], [3, 4]]}, ValueError, "`g` must be 1-D"),
    ],
)
def test_bad_arguments_are_named(kwargs, error, match):
    arguments = {"f": F, "g": G, **kwargs}
    with pytest.raises(error, match=match):
        widgets.slide_widget_1d(**arguments)
