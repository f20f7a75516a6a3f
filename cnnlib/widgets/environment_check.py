"""The "if you see a slider, widgets work" check of notebook 00."""

from __future__ import annotations

import html

import ipywidgets

from .._validation import as_int

__all__ = ["environment_check_slider", "slider_message"]


def slider_message(value) -> str:
    """Text that the environment-check slider shows for ``value``.

    Parameters
    ----------
    value : int
        The slider position, ``value >= 0``.

    Returns
    -------
    message : str
        ``value``, its square, and a bar of ``value`` blocks.

    Examples
    --------
    >>> slider_message(3)
    '3 squared is 9  ■■■'
    """
    value = as_int(value, "value", minimum=0)
    return f"{value} squared is {value * value}  " + "■" * value


def environment_check_slider(value=3, maximum=10) -> ipywidgets.VBox:
    """Build the "if you see a slider, widgets work" check of notebook 00.

    Moving the slider rewrites the line below it with :func:`slider_message`.
    If the line changes as the slider moves, the browser, the kernel and
    ipywidgets are talking to each other.

    Parameters
    ----------
    value : int, default 3
        Starting position of the slider, ``0 <= value <= maximum``.
    maximum : int, default 10
        Largest position of the slider, ``maximum >= 1``.

    Returns
    -------
    box : ipywidgets.VBox
        ``box.children == (slider, message)``: an ``IntSlider`` and the
        ``HTML`` widget whose text follows the slider.

    Raises
    ------
    TypeError, ValueError
        If ``value`` or ``maximum`` is not an integer, or ``value > maximum``.

    Examples
    --------
    >>> box = environment_check_slider()
    >>> box.children[0].value = 4
    >>> box.children[1].value
    '<code>4 squared is 16  ■■■■</code>'
    """
    maximum = as_int(maximum, "maximum", minimum=1)
    value = as_int(value, "value", minimum=0)
    if value > maximum:
        raise ValueError(f"`value` must be <= `maximum` = {maximum}, got {value}")
    slider = ipywidgets.IntSlider(value=value, min=0, max=maximum, description="Move me:")
    message = ipywidgets.HTML()

    def show(change):
        message.value = f"<code>{html.escape(slider_message(change['new']))}</code>"

    slider.observe(show, names="value")
    show({"new": slider.value})
    return ipywidgets.VBox([slider, message])
