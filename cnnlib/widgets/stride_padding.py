"""The stride / padding explorer of notebook 04: sliders for n, k, stride and padding, the grid redrawn."""

from __future__ import annotations

import base64
import html
import io

import ipywidgets

from .._validation import as_int
from ..plotting.stride_padding import output_size_equation, stride_padding_figure
from ..shapes import output_size

__all__ = ["stride_padding_explorer", "stride_padding_summary"]


def stride_padding_summary(n, k, stride, padding) -> str:
    """One line saying how large the output is, or why there is none.

    Parameters
    ----------
    n, k, stride : int
        Input side, kernel side and stride, each ``>= 1``.
    padding : int
        Zeros on each side, ``>= 0``.

    Returns
    -------
    text : str
        The output size formula with the numbers, and the number of kernel positions.

    Examples
    --------
    >>> stride_padding_summary(7, 3, 2, 1)
    'output side ⌊(7 + 2·1 − 3) / 2⌋ + 1 = ⌊6 / 2⌋ + 1 = 4: output 4 × 4, 16 kernel positions'
    >>> stride_padding_summary(3, 5, 1, 0)
    'no output: the 5 × 5 kernel does not fit in the 3 × 3 padded input (n + 2p = 3 < k = 5)'
    """
    n, k = as_int(n, "n", minimum=1), as_int(k, "k", minimum=1)
    stride, padding = as_int(stride, "stride", minimum=1), as_int(padding, "padding", minimum=0)
    side = n + 2 * padding
    if side < k:
        return (f"no output: the {k} × {k} kernel does not fit in the {side} × {side} padded input "
                f"(n + 2p = {side} < k = {k})")
    size = output_size(n, k, stride=stride, padding=padding)
    equation = output_size_equation(n, k, stride, padding)
    return f"output side {equation}: output {size} × {size}, {size * size} kernel positions"


def _figure_output(n, k, stride, padding) -> dict:
    """The figure as one display_data output (PNG), ready for an Output widget's ``outputs``."""
    fig = stride_padding_figure(n, k, stride, padding)
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png")
    png = base64.b64encode(buffer.getvalue()).decode("ascii")
    text = f"<stride/padding grid: n={n}, k={k}, stride={stride}, padding={padding}>"
    return {"output_type": "display_data", "data": {"image/png": png, "text/plain": text}, "metadata": {}}


def _stream(text: str) -> dict:
    """A line of text as one stream output for an Output widget's ``outputs``."""
    return {"output_type": "stream", "name": "stdout", "text": text + "\n"}


def stride_padding_explorer(n=7, k=3, stride=2, padding=1) -> ipywidgets.VBox:
    """Build sliders for input size, kernel size, stride and padding that redraw the kernel's positions.

    The picture is :func:`cnnlib.plotting.stride_padding_figure` for the
    slider values, so the starting state equals
    ``stride_padding_figure(n, k, stride, padding)``. Above it, a line gives
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

    Returns
    -------
    box : ipywidgets.VBox
        ``box.children == (sliders, summary, picture)``: an ``HBox`` of four
        ``IntSlider`` (n, k, stride, padding, in that order), an ``HTML`` line
        and an ``Output`` whose ``outputs`` hold the current figure as a PNG.

    Raises
    ------
    TypeError, ValueError
        If a starting value is not an integer in its slider's range.

    Examples
    --------
    >>> box = stride_padding_explorer()
    >>> sliders, summary, picture = box.children
    >>> sliders.children[2].value = 1  # stride 1
    >>> "output 7 × 7" in summary.value
    True
    """
    ranges = {"n": (3, 12), "k": (1, 6), "stride": (1, 4), "padding": (0, 3)}
    start = {"n": n, "k": k, "stride": stride, "padding": padding}
    for name, (low, high) in ranges.items():
        value = as_int(start[name], name, minimum=low)
        if value > high:
            raise ValueError(f"`{name}` must be an integer from {low} to {high} (the slider's range), got {value}")
    labels = {"n": "input n", "k": "kernel k", "stride": "stride s", "padding": "padding p"}
    sliders = {
        name: ipywidgets.IntSlider(value=start[name], min=low, max=high, description=labels[name],
                                   continuous_update=False, layout=ipywidgets.Layout(width="230px"))
        for name, (low, high) in ranges.items()
    }
    summary = ipywidgets.HTML()
    picture = ipywidgets.Output()

    def redraw(_change=None):
        values = {name: slider.value for name, slider in sliders.items()}
        try:
            text = stride_padding_summary(**values)
            summary.value = f"<b>{html.escape(text)}</b>"
            if text.startswith("no output"):
                picture.outputs = (_stream("Nothing to draw: make k smaller, or n or p larger."),)
            else:
                picture.outputs = (_figure_output(**values),)
        except Exception as error:  # noqa: BLE001 - show the problem under the sliders, never lose it in a log
            picture.outputs = (_stream(f"Could not draw: {type(error).__name__}: {error}"),)

    for slider in sliders.values():
        slider.observe(redraw, names="value")
    redraw()
    return ipywidgets.VBox([ipywidgets.HBox(list(sliders.values())), summary, picture])
