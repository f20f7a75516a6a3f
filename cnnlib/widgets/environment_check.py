"""The "if you see a slider, widgets work" check of notebook 00."""

from __future__ import annotations

import ipywidgets

from .._validation import as_int
from .explorer import FigureExplorer, code_line

__all__ = ["EnvironmentCheckSlider", "environment_check_slider", "slider_message"]


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


class EnvironmentCheckSlider(FigureExplorer):
    """A slider and the line under it that follows it: a :class:`FigureExplorer` without a figure.

    Built by :func:`environment_check_slider`. Attributes: ``slider`` (the
    ``IntSlider``), ``caption`` (the ``HTML`` line of :func:`slider_message`) and
    ``picture`` (an ``Output``, empty unless writing the line fails).
    """

    def __init__(self, value: int, maximum: int):
        super().__init__({"slider": ipywidgets.IntSlider(value=value, min=0, max=maximum, description="Move me:")})

    def draw(self) -> tuple[None, str]:
        return None, code_line(slider_message(self.slider.value))


def environment_check_slider(value=3, maximum=10) -> EnvironmentCheckSlider:
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
    check : EnvironmentCheckSlider
        A ``VBox``: ``check.children == (slider, caption, picture)``, the ``IntSlider``
        ``check.slider``, the ``HTML`` line ``check.caption`` whose text follows it, and an
        ``Output`` that stays empty (it would show an error).

    Raises
    ------
    TypeError, ValueError
        If ``value`` or ``maximum`` is not an integer, or ``value > maximum``.

    Examples
    --------
    >>> check = environment_check_slider()
    >>> check.slider.value = 4
    >>> check.caption.value
    '<code>4 squared is 16  ■■■■</code>'
    """
    maximum = as_int(maximum, "maximum", minimum=1)
    value = as_int(value, "value", minimum=0)
    if value > maximum:
        raise ValueError(f"`value` must be <= `maximum` = {maximum}, got {value}")
    return EnvironmentCheckSlider(value, maximum)
