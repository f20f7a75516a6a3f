"""cnnlib.widgets: builders return widgets that tests can drive without a browser."""

import ipywidgets
import pytest

from cnnlib import widgets


def test_slider_message_worked_by_hand():
    assert widgets.slider_message(0) == "0 squared is 0  "
    assert widgets.slider_message(3) == "3 squared is 9  ■■■"
    assert widgets.slider_message(10).endswith("10 squared is 100  " + "■" * 10)


@pytest.mark.parametrize(("value", "error"), [(-1, ValueError), (2.0, TypeError), ("3", TypeError)])
def test_slider_message_bad_value(value, error):
    with pytest.raises(error, match="`value` must be an integer >= 0"):
        widgets.slider_message(value)


def test_environment_check_slider_is_a_vbox_of_slider_and_message():
    box = widgets.environment_check_slider()
    assert isinstance(box, ipywidgets.VBox)
    slider, message = box.children
    assert isinstance(slider, ipywidgets.IntSlider)
    assert isinstance(message, ipywidgets.HTML)
    assert (slider.min, slider.value, slider.max) == (0, 3, 10)


def test_environment_check_slider_shows_its_default_state_before_any_move():
    _, message = widgets.environment_check_slider().children
    assert message.value == "<code>3 squared is 9  ■■■</code>"


def test_moving_the_slider_rewrites_the_message():
    box = widgets.environment_check_slider()
    slider, message = box.children
    slider.value = 7
    assert message.value == "<code>7 squared is 49  ■■■■■■■</code>"
    slider.value = 0
    assert message.value == "<code>0 squared is 0  </code>"


def test_two_checks_do_not_share_state():
    first, second = widgets.environment_check_slider(), widgets.environment_check_slider(value=5)
    first.children[0].value = 8
    assert "5 squared is 25" in second.children[1].value
    assert "8 squared is 64" in first.children[1].value


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
