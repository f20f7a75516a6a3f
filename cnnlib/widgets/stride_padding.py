"""The stride / padding explorer of notebook 04: sliders for n, k, stride, padding and dilation, the grid redrawn."""

from __future__ import annotations

import html

import ipywidgets

from .._validation import as_int
from ..plotting.stride_padding import output_size_equation, stride_padding_figure
from ..shapes import output_size
from .explorer import FigureExplorer

__all__ = ["StridePaddingExplorer", "stride_padding_explorer", "stride_padding_summary"]

RANGES = {"n": (3, 12), "k": (1, 6), "stride": (1, 4), "padding": (0, 3), "dilation": (1, 3)}
"""The range of each slider of :func:`stride_padding_explorer`."""


def stride_padding_summary(n, k, stride, padding, dilation=1) -> str:
    """One line saying how large the output is, or why there is none.

    Parameters
    ----------
    n, k, stride : int
        Input side, kernel side and stride, each ``>= 1``.
    padding : int
        Zeros on each side, ``>= 0``.
    dilation : int, default 1
        Distance between two taps of the kernel, ``>= 1``: the kernel spans ``d(k - 1) + 1`` pixels.

    Returns
    -------
    text : str
        The output size formula with the numbers, and the number of kernel positions.

    Examples
    --------
    >>> stride_padding_summary(7, 3, 2, 1)
    'output side ⌊(7 + 2·1 − 3) / 2⌋ + 1 = ⌊6 / 2⌋ + 1 = 4: output 4 × 4, 16 kernel positions'
    >>> stride_padding_summary(5, 5, 1, 0)
    'output side ⌊(5 + 2·0 − 5) / 1⌋ + 1 = ⌊0 / 1⌋ + 1 = 1: output 1 × 1, 1 kernel position'
    >>> stride_padding_summary(3, 5, 1, 0)
    'no output: the 5 × 5 kernel does not fit in the 3 × 3 padded input (n + 2p = 3 < k = 5)'
    >>> stride_padding_summary(4, 3, 1, 0, dilation=2)
    'no output: the 3 × 3 kernel, dilated 2, spans 5 pixels and does not fit in the 4 × 4 padded input'
    """
    n, k = as_int(n, "n", minimum=1), as_int(k, "k", minimum=1)
    stride, padding = as_int(stride, "stride", minimum=1), as_int(padding, "padding", minimum=0)
    dilation = as_int(dilation, "dilation", minimum=1)
    side, span = n + 2 * padding, dilation * (k - 1) + 1
    if side < span and dilation > 1:
        return (
            f"no output: the {k} × {k} kernel, dilated {dilation}, spans {span} pixels and does not fit "
            f"in the {side} × {side} padded input"
        )
    if side < k:
        return (
            f"no output: the {k} × {k} kernel does not fit in the {side} × {side} padded input "
            f"(n + 2p = {side} < k = {k})"
        )
    size = output_size(n, k, stride=stride, padding=padding, dilation=dilation)
    equation = output_size_equation(n, k, stride, padding, dilation)
    positions = "1 kernel position" if size == 1 else f"{size * size} kernel positions"
    return f"output side {equation}: output {size} × {size}, {positions}"


class StridePaddingExplorer(FigureExplorer):
    """Sliders for input size, kernel size, stride, padding and dilation; the grid of positions follows them.

    Built by :func:`stride_padding_explorer`. Attributes: ``n``, ``k``, ``stride``, ``padding``
    and ``dilation`` (``IntSlider``s), ``caption`` (the output size, from
    :func:`stride_padding_summary`), ``picture`` and ``figure`` (the
    :func:`~cnnlib.plotting.stride_padding_figure` on show; None when the kernel does not fit).
    """

    def __init__(self, start: dict):
        labels = {
            "n": "input n",
            "k": "kernel k",
            "stride": "stride s",
            "padding": "padding p",
            "dilation": "dilation d",
        }
        super().__init__(
            {
                name: ipywidgets.IntSlider(
                    value=start[name],
                    min=low,
                    max=high,
                    description=labels[name],
                    continuous_update=False,
                    layout=ipywidgets.Layout(width="230px"),
                )
                for name, (low, high) in RANGES.items()
            }
        )

    def draw(self):
        text = stride_padding_summary(**self.values)
        if text.startswith("no output"):  # a note in the picture, not an error: the learner chose it
            return "Nothing to draw: make k or d smaller, or n or p larger.", f"<b>{html.escape(text)}</b>"
        return stride_padding_figure(**self.values), f"<b>{html.escape(text)}</b>"


def stride_padding_explorer(n=7, k=3, stride=2, padding=1, dilation=1) -> StridePaddingExplorer:
    """Build sliders for input size, kernel size, stride, padding and dilation that redraw the kernel's positions.

    The picture is :func:`cnnlib.plotting.stride_padding_figure` for the
    slider values, so the starting state equals
    ``stride_padding_figure(n, k, stride, padding, dilation)``. Above it, a line gives
    the output size with the formula filled in (or says that the kernel does
    not fit).

    Parameters
    ----------
    n : int, default 7
        Starting input side, 3 to 12.
    k : int, default 3
        Starting kernel side, 1 to 6.
    stride : int, default 2
        Starting stride, 1 to 4.
    padding : int, default 1
        Starting padding on each side, 0 to 3.
    dilation : int, default 1
        Starting distance between two taps of the kernel, 1 to 3.

    Returns
    -------
    explorer : StridePaddingExplorer
        A ``VBox``: an ``HBox`` of the five ``IntSlider``s ``explorer.n``, ``.k``,
        ``.stride``, ``.padding`` and ``.dilation``; the ``HTML`` line ``explorer.caption``; and
        ``explorer.picture``, the figure as a PNG (or, when the kernel does not fit,
        a line saying what to change).

    Raises
    ------
    TypeError, ValueError
        If a starting value is not an integer in its slider's range.

    Examples
    --------
    >>> explorer = stride_padding_explorer()
    >>> explorer.stride.value = 1
    >>> "output 7 × 7" in explorer.caption.value
    True
    """
    start = {"n": n, "k": k, "stride": stride, "padding": padding, "dilation": dilation}
    for name, (low, high) in RANGES.items():
        start[name] = as_int(start[name], name, minimum=low)
        if start[name] > high:
            raise ValueError(
                f"`{name}` must be an integer from {low} to {high} (the slider's range), got {start[name]}"
            )
    return StridePaddingExplorer(start)
