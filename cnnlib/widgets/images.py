"""Widgets of notebook 01: zoom into the numbers of a photo, and count the weights of a dense layer.

Each widget redraws a figure of :mod:`cnnlib.plotting.images` into an
``Output`` widget by setting its ``outputs`` (a PNG and a plain-text copy of
what the figure shows), so it works the same in a kernel and in tests, and its
starting state is exactly the static figure the notebook shows above it.
"""

from __future__ import annotations

import base64
import html
import io

import ipywidgets
import numpy as np

from .._validation import as_int
from ..plotting.images import dense_params_figure, patch_figure
from ..shapes import dense_counts

__all__ = ["dense_param_counter", "patch_zoom"]

SLIDER_STYLE = {"description_width": "initial"}


def _show_figure(output: ipywidgets.Output, draw, text) -> None:
    """Replace what ``output`` shows with the figure ``draw()`` returns, as a PNG plus ``text()`` as plain text.

    If drawing fails, the error is shown in ``output`` instead (a callback's error would otherwise be lost).
    """
    try:
        fig = draw()
        buffer = io.BytesIO()
        fig.savefig(buffer, format="png", dpi=100, bbox_inches="tight")
        data = {"image/png": base64.b64encode(buffer.getvalue()).decode("ascii"), "text/plain": text()}
        output.outputs = ({"output_type": "display_data", "data": data, "metadata": {}},)
    except Exception as error:  # noqa: BLE001 - shown to the learner instead of vanishing
        output.outputs = ({"output_type": "stream", "name": "stderr", "text": f"{type(error).__name__}: {error}\n"},)


def patch_zoom(image, row=0, col=0, size=8) -> ipywidgets.VBox:
    """Build the zoom widget: two sliders move a square patch over a grayscale image and show its numbers.

    Beside the image (with the patch outlined), the figure shows the patch enlarged with the value
    of every pixel written in its cell: :func:`cnnlib.plotting.patch_figure`.

    Parameters
    ----------
    image : ndarray, shape (H, W), pixels 0 to 255
        E.g. ``np.rint(rgb_to_gray(photo)).astype(np.uint8)``.
    row, col : int, default 0
        Starting top-left pixel of the patch, ``0 <= row <= H - size``, ``0 <= col <= W - size``.
    size : int, default 8
        Side of the patch, 1 to 16.

    Returns
    -------
    box : ipywidgets.VBox
        ``box.children == (sliders, summary, output)``: an ``HBox`` of the ``row`` and ``col``
        ``IntSlider``s; an ``HTML`` line with the patch's darkest and brightest value; and the
        ``Output`` whose single output holds the figure as PNG and the patch's numbers as text.

    Raises
    ------
    TypeError, ValueError
        As :func:`cnnlib.plotting.patch_figure`: not an (H, W) image of pixels 0-255, or a patch that does not fit.

    Examples
    --------
    >>> box = patch_zoom(np.arange(100).reshape(10, 10), row=2, col=3, size=4)
    >>> sliders, summary, output = box.children
    >>> sliders.children[0].value = 5  # the row slider
    >>> summary.value
    'image[5:9, 3:7]: darkest 53, brightest 86'
    """
    patch_figure(image, row, col, size)  # validates every argument before any widget is made
    image = np.asarray(image)
    size = int(size)
    height, width = image.shape
    sliders = [
        ipywidgets.IntSlider(value=int(row), min=0, max=height - size, description="row (top edge)",
                             continuous_update=False, style=SLIDER_STYLE),
        ipywidgets.IntSlider(value=int(col), min=0, max=width - size, description="column (left edge)",
                             continuous_update=False, style=SLIDER_STYLE),
    ]
    summary = ipywidgets.HTML()
    output = ipywidgets.Output()

    def update(_change=None):
        r, c = sliders[0].value, sliders[1].value
        patch = image[r:r + size, c:c + size]
        where = f"image[{r}:{r + size}, {c}:{c + size}]"
        summary.value = html.escape(f"{where}: darkest {patch.min()}, brightest {patch.max()}")
        _show_figure(output, lambda: patch_figure(image, r, c, size),
                     lambda: f"{where}:\n{np.array2string(patch, max_line_width=200)}")

    for slider in sliders:
        slider.observe(update, names="value")
    update()
    return ipywidgets.VBox([ipywidgets.HBox(sliders), summary, output])


def _counts_line(height, width, channels, hidden_units) -> str:
    counts = dense_counts(height, width, channels, hidden_units)
    return (
        f"inputs = {height} × {width} × {channels} = {counts.inputs:,};  "
        f"weights = {counts.inputs:,} × {hidden_units:,} = {counts.weights:,};  "
        f"biases = {counts.biases:,}"
    )


def dense_param_counter(height=200, width=200, channels=1, hidden_units=100) -> ipywidgets.VBox:
    """Build the parameter-count widget: image size, channels and hidden units -> a dense layer's sizes.

    Moving a control rewrites the line of counts and redraws :func:`cnnlib.plotting.dense_params_figure`.

    Parameters
    ----------
    height, width : int, 1 to 1024, default 200
        Image size in pixels.
    channels : {1, 3}, default 1
        1 for grayscale, 3 for RGB.
    hidden_units : int, 1 to 2000, default 100
        Units of the dense layer.

    Returns
    -------
    box : ipywidgets.VBox
        ``box.children == (controls, counts, output)``: a ``VBox`` of the ``height``, ``width``
        ``IntSlider``s, the ``channels`` ``ToggleButtons`` and the ``hidden units`` ``IntSlider``;
        an ``HTML`` line with the inputs, weights and biases; and the ``Output`` holding the figure.

    Raises
    ------
    TypeError, ValueError
        If an argument is not an integer in its range.

    Examples
    --------
    >>> box = dense_param_counter()
    >>> height, width, channels, hidden = box.children[0].children
    >>> channels.value = 3
    >>> box.children[1].value
    '<b>inputs = 200 × 200 × 3 = 120,000;  weights = 120,000 × 100 = 12,000,000;  biases = 100</b>'
    """
    limits = {"height": 1024, "width": 1024, "hidden_units": 2000}
    values = {"height": height, "width": width, "hidden_units": hidden_units}
    for name, value in values.items():
        values[name] = as_int(value, name, minimum=1)
        if values[name] > limits[name]:
            raise ValueError(f"`{name}` must be an integer from 1 to {limits[name]}, got {values[name]}")
    channels = as_int(channels, "channels", minimum=1)
    if channels not in (1, 3):
        raise ValueError(f"`channels` must be 1 (grayscale) or 3 (RGB), got {channels}")

    def slider(name, description):
        return ipywidgets.IntSlider(value=values[name], min=1, max=limits[name], description=description,
                                    continuous_update=False, style=SLIDER_STYLE,
                                    layout=ipywidgets.Layout(width="480px"))

    controls = [
        slider("height", "image height"),
        slider("width", "image width"),
        ipywidgets.ToggleButtons(options=[("1 (gray)", 1), ("3 (RGB)", 3)], value=channels,
                                 description="channels", style=SLIDER_STYLE),
        slider("hidden_units", "hidden units"),
    ]
    counts = ipywidgets.HTML()
    output = ipywidgets.Output()

    def update(_change=None):
        args = [control.value for control in controls]
        counts.value = f"<b>{html.escape(_counts_line(*args))}</b>"
        _show_figure(output, lambda: dense_params_figure(*args), lambda: _counts_line(*args))

    for control in controls:
        control.observe(update, names="value")
    update()
    return ipywidgets.VBox([ipywidgets.VBox(controls), counts, output])
