"""The sliding-convolution widget of notebook 02: a slider for the shift n, the picture, and the sum.

The picture is :func:`cnnlib.plotting.slide_figure_1d` and the sum comes from
:func:`cnnlib.plotting.convolution_terms_1d`, so the widget at its starting
shift shows exactly the static figure the notebook prints above it.
"""

from __future__ import annotations

import html

import ipywidgets
import numpy as np

from .._validation import as_float_array, as_int
from ..plotting.convolution1d import (
    convolution_sum_text_1d,
    convolution_terms_1d,
    format_number,
    slide_figure_1d,
)
from .explorer import FigureExplorer

__all__ = ["SlideExplorer1D", "slide_widget_1d", "terms_table_html_1d"]


def terms_table_html_1d(f, g, n) -> str:
    """The sum ``(f * g)[n]`` as HTML: the one-line formula, then one table row per term with the running sum.

    Parameters
    ----------
    f : array_like, shape (M,)
    g : array_like, shape (K,)
    n : int, 0 <= n <= M + K - 2

    Returns
    -------
    text : str
        HTML whose last line reads ``(f * g)[n] = <value>``, the value of
        ``np.convolve(f, g)[n]``.

    Examples
    --------
    >>> terms_table_html_1d([2, 0, 1, 3, -1], [1, 2, 3], 2).splitlines()[-1]
    '<p><b>(f * g)[2] = 7</b></p>'
    """
    terms = convolution_terms_1d(f, g, n)
    header = "".join(
        f"<th style='padding:2px 10px'>{name}</th>"
        for name in ["k", "f[k]", "n − k", "g[n − k]", "f[k]·g[n − k]", "running sum"]
    )
    rows = []
    for k, fk, gk, product, running in terms:
        cells = [
            str(k),
            format_number(fk),
            str(n - k),
            format_number(gk),
            format_number(product),
            format_number(running),
        ]
        rows.append(
            "<tr>" + "".join(f"<td style='padding:2px 10px; text-align:right'>{c}</td>" for c in cells) + "</tr>"
        )
    return "\n".join(
        [
            f"<p><code>{html.escape(convolution_sum_text_1d(f, g, n))}</code></p>",
            f"<table><tr>{header}</tr>",
            *rows,
            "</table>",
            f"<p><b>(f * g)[{n}] = {format_number(terms[-1][-1])}</b></p>",
        ]
    )


class SlideExplorer1D(FigureExplorer):
    """A slider (and a play button) for the shift n; the flipped g slides over f, the sum is written out.

    Built by :func:`slide_widget_1d`. Attributes: ``shift`` (the ``IntSlider`` for n),
    ``play`` (a ``Play`` linked to it), ``picture`` and ``figure`` (the
    :func:`~cnnlib.plotting.slide_figure_1d` on show) and ``caption`` (the
    :func:`terms_table_html_1d` of the shift, below the picture).
    """

    def __init__(self, f: np.ndarray, g: np.ndarray, n: int):
        self.f, self.g = f, g
        last = f.size + g.size - 2
        self.play = ipywidgets.Play(value=n, min=0, max=last, interval=1500, description="play")
        shift = ipywidgets.IntSlider(value=n, min=0, max=last, description="shift n")
        ipywidgets.jslink((self.play, "value"), (shift, "value"))
        super().__init__({"shift": shift})

    def arrange(self) -> list:
        return [ipywidgets.HBox([self.play, self.shift]), self.picture, self.caption]

    def draw(self):
        n = self.shift.value
        return slide_figure_1d(self.f, self.g, n), terms_table_html_1d(self.f, self.g, n)


def slide_widget_1d(f, g, n=0) -> SlideExplorer1D:
    """Build the widget that slides the flipped g over f, one shift n at a time.

    Moving the slider (or pressing play) redraws :func:`cnnlib.plotting.slide_figure_1d`
    for the new shift and rewrites the table of products and running sums below it.

    Parameters
    ----------
    f : array_like, shape (M,)
    g : array_like, shape (K,)
    n : int, default 0
        Starting shift, ``0 <= n <= M + K - 2``.

    Returns
    -------
    explorer : SlideExplorer1D
        A ``VBox``: an ``HBox`` of a ``Play`` button and the ``IntSlider`` ``explorer.shift``
        for n (from 0 to M + K - 2), then ``explorer.picture`` (the figure as a PNG), then the
        ``HTML`` ``explorer.caption`` holding :func:`terms_table_html_1d`.

    Raises
    ------
    TypeError, ValueError
        If ``f`` or ``g`` is not a non-empty 1-D numeric array, or ``n`` is not
        an integer from 0 to M + K - 2.

    Examples
    --------
    >>> explorer = slide_widget_1d([2, 0, 1, 3, -1], [1, 2, 3])
    >>> explorer.shift.value = 2
    >>> explorer.caption.value.splitlines()[-1]
    '<p><b>(f * g)[2] = 7</b></p>'
    """
    f = as_float_array(f, "f", ndim=1, layout="(M,)")
    g = as_float_array(g, "g", ndim=1, layout="(K,)")
    last = f.size + g.size - 2
    n = as_int(n, "n", minimum=0)
    if n > last:
        raise ValueError(f"`n` must be <= M + K - 2 = {last} (the last shift where f and g overlap), got {n}")
    return SlideExplorer1D(f.copy(), g.copy(), n)
