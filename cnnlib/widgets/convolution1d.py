"""The sliding-convolution widget of notebook 02: a slider for the shift n, the picture, and the sum.

The picture is :func:`cnnlib.plotting.slide_figure_1d` and the sum comes from
:func:`cnnlib.plotting.convolution_terms_1d`, so the widget at its starting
shift shows exactly the static figure the notebook prints above it.
"""

from __future__ import annotations

import base64
import html
import io

import ipywidgets

from .._validation import as_float_array, as_int
from ..plotting.convolution1d import (
    convolution_sum_text_1d,
    convolution_terms_1d,
    format_number,
    slide_figure_1d,
)

__all__ = ["slide_widget_1d", "terms_table_html_1d"]


def figure_png(fig) -> bytes:
    """``fig`` as PNG bytes, drawn as Jupyter's inline backend draws a returned figure."""
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", bbox_inches="tight", facecolor="white")
    return buffer.getvalue()


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
        cells = [str(k), format_number(fk), str(n - k), format_number(gk), format_number(product),
                 format_number(running)]
        rows.append("<tr>" + "".join(f"<td style='padding:2px 10px; text-align:right'>{c}</td>" for c in cells)
                    + "</tr>")
    return "\n".join([
        f"<p><code>{html.escape(convolution_sum_text_1d(f, g, n))}</code></p>",
        f"<table><tr>{header}</tr>",
        *rows,
        "</table>",
        f"<p><b>(f * g)[{n}] = {format_number(terms[-1][-1])}</b></p>",
    ])


def slide_widget_1d(f, g, n=0) -> ipywidgets.VBox:
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
    box : ipywidgets.VBox
        ``box.children == (controls, picture, terms)``: ``controls`` is an
        ``HBox`` of a ``Play`` button and the ``IntSlider`` for n (from 0 to
        M + K - 2), ``picture`` an ``Output`` holding the figure as a PNG
        display, ``terms`` the ``HTML`` of :func:`terms_table_html_1d`.

    Raises
    ------
    TypeError, ValueError
        If ``f`` or ``g`` is not a non-empty 1-D numeric array, or ``n`` is not
        an integer from 0 to M + K - 2.

    Examples
    --------
    >>> box = slide_widget_1d([2, 0, 1, 3, -1], [1, 2, 3])
    >>> controls, picture, terms = box.children
    >>> controls.children[1].value = 2
    >>> terms.value.splitlines()[-1]
    '<p><b>(f * g)[2] = 7</b></p>'
    """
    f = as_float_array(f, "f", ndim=1, layout="(M,)")
    g = as_float_array(g, "g", ndim=1, layout="(K,)")
    last = f.size + g.size - 2
    n = as_int(n, "n", minimum=0)
    if n > last:
        raise ValueError(f"`n` must be <= M + K - 2 = {last} (the last shift where f and g overlap), got {n}")
    slider = ipywidgets.IntSlider(value=n, min=0, max=last, description="shift n")
    play = ipywidgets.Play(value=n, min=0, max=last, interval=1500, description="play")
    ipywidgets.jslink((play, "value"), (slider, "value"))
    picture = ipywidgets.Output()
    terms = ipywidgets.HTML()

    def show(shift):
        try:
            png = figure_png(slide_figure_1d(f, g, shift))
            picture.outputs = ({
                "output_type": "display_data",
                "data": {
                    "image/png": base64.b64encode(png).decode("ascii"),
                    "text/plain": f"<Figure: convolution at shift n = {shift}>",
                },
                "metadata": {},
            },)
            terms.value = terms_table_html_1d(f, g, shift)
        except Exception as error:  # noqa: BLE001 - show the problem in the widget instead of losing it
            terms.value = f"<p>Could not draw shift {shift}: {html.escape(f'{type(error).__name__}: {error}')}</p>"

    slider.observe(lambda change: show(change["new"]), names="value")
    show(n)
    return ipywidgets.VBox([ipywidgets.HBox([play, slider]), picture, terms])
