"""cnnlib.widgets.environment_check: the slider of notebook 00 rewrites the line under it."""

import ipywidgets
import pytest
from widget_helpers import shown_error

from cnnlib import widgets
from cnnlib.widgets import environment_check


def test_slider_message_worked_by_hand():
    assert widgets.slider_message(0) == "0 squared is 0  "
    assert widgets.slider_message(3) == "3 squared is 9  ■■■"
    assert widgets.slider_message(10).endswith("10 squared is 100  " + "■" * 10)


@pytest.mark.parametrize(("value", "error"), [(-1, ValueError), (2.0, TypeError), ("3", TypeError)])
def test_slider_message_bad_value(value, error):
    with pytest.raises(error, match="`value` must be an integer >= 0"):
        widgets.slider_message(value)


def test_environment_check_slider_is_a_slider_a_line_and_an_empty_picture():
    check = widgets.environment_check_slider()
    assert isinstance(check, widgets.FigureExplorer) and isinstance(check, ipywidgets.VBox)
    assert check.children == (check.slider, check.caption, check.picture)  # notebook 00 reads children[0]
    assert isinstance(check.slider, ipywidgets.IntSlider) and isinstance(check.caption, ipywidgets.HTML)
    assert (check.slider.min, check.slider.value, check.slider.max) == (0, 3, 10)
    assert check.picture.outputs == () and check.figure is None


def test_environment_check_slider_shows_its_default_state_before_any_move():
    assert widgets.environment_check_slider().caption.value == "<code>3 squared is 9  ■■■</code>"


def test_moving_the_slider_rewrites_the_message():
    check = widgets.environment_check_slider()
    check.slider.value = 7
    assert check.caption.value == "<code>7 squared is 49  ■■■■■■■</code>"
    check.slider.value = 0
    assert check.caption.value == "<code>0 squared is 0  </code>"
    assert check.picture.outputs == ()


def test_two_checks_do_not_share_state():
    first, second = widgets.environment_check_slider(), widgets.environment_check_slider(value=5)
    first.slider.value = 8
    assert "5 squared is 25" in second.caption.value
    assert "8 squared is 64" in first.caption.value


def test_a_failing_line_is_shown_as_an_error(monkeypatch):
    check = widgets.environment_check_slider()

    def broken(value):
        raise RuntimeError("no line")

    monkeypatch.setattr(environment_check, "slider_message", broken)
    check.slider.value = 2
    assert shown_error(check) == "RuntimeError: no line\n"
    assert check.caption.value == ""


def test_the_text_fallback_is_the_one_stored_in_notebook_00():
    text = widgets.environment_check_slider()._repr_mimebundle_()["text/plain"]
    assert text == (
        "VBox(children=(IntSlider(value=3, description='Move me:', max=10), "
        "HTML(value='<code>3 squared is 9  ■■■</code…"
    )


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"value": 11}, ValueError, "`value` must be <= `maximum` = 10, got 11"),
        ({"value": -1}, ValueError, "`value` must be an integer >= 0, got -1"),
        ({"maximum": 0}, ValueError, "`maximum` must be an integer >= 1, got 0"),
        ({"maximum": 5.5}, TypeError, "`maximum` must be an integer"),
    ],
)
def test_environment_check_slider_bad_arguments(kwargs, error, match):
    with pytest.raises(error, match=match):
        widgets.environment_check_slider(**kwargs)
