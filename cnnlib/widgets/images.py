"""Widgets of notebook 01: zoom into the numbers of a photo, and count the weights of a dense layer.

Each widget is a :class:`~cnnlib.widgets.explorer.FigureExplorer` drawing a
figure of :mod:`cnnlib.plotting.images`, so its starting state is exactly the
static figure the notebook shows above it.
"""

from __future__ import annotations

import html

import ipywidgets
import numpy as np

from .._validation import as_int
from ..plotting.images import dense_params_figure, patch_figure
from ..shapes import dense_counts
from .explorer import FigureExplorer

__all__ = ["DenseParamCounter", "PatchZoom", "dense_param_counter", "patch_zoom"]

SLIDER_STYLE = {"description_width": "initial"}


class PatchZoom(FigureExplorer):
    """Two sliders that move a square patch over a grayscale image; the figure shows the patch's numbers.

    Built by :func:`patch_zoom`. Attributes: ``row`` and ``col`` (the ``IntSlider``s for the
    patch's top-left pixel), ``caption`` (the patch's darkest and brightest value), ``picture``
    and ``figure`` (the :func:`~cnnlib.plotting.patch_figure` on show).
    """

    def __init__(self, image: np.ndarray, row: int, col: int, size: int):
        self.image, self.size = image, size
        height, width = image.shape
        super().__init__(
            {
                "row": ipywidgets.IntSlider(
                    value=row,
                    min=0,
                    max=height - size,
                    description="row (top edge)",
                    continuous_update=False,
                    style=SLIDER_STYLE,
                ),
                "col": ipywidgets.IntSlider(
                    value=col,
                    min=0,
                    max=width - size,
                    description="column (left edge)",
                    continuous_update=False,
                    style=SLIDER_STYLE,
                ),
            }
        )

    def draw(self):
        r, c, size = self.row.value, self.col.value, self.size
        patch = self.image[r : r + size, c : c + size]
        summary = f"image[{r}:{r + size}, {c}:{c + size}]: darkest {patch.min()}, brightest {patch.max()}"
        return patch_figure(self.image, r, c, size), html.escape(summary)


def patch_zoom(image, row=0, col=0, size=8) -> PatchZoom:
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
    zoom : PatchZoom
        A ``VBox``: an ``HBox`` of the ``IntSlider``s ``zoom.row`` and ``zoom.col``; the ``HTML``
        line ``zoom.caption`` with the patch's darkest and brightest value; and ``zoom.picture``,
        the figure as a PNG.

    Raises
    ------
    TypeError, ValueError
        As :func:`cnnlib.plotting.patch_figure`: not an (H, W) image of pixels 0-255, or a patch that does not fit.

    Examples
    --------
    >>> zoom = patch_zoom(np.arange(100).reshape(10, 10), row=2, col=3, size=4)
    >>> zoom.row.value = 5
    >>> zoom.caption.value
    'image[5:9, 3:7]: darkest 53, brightest 86'
    """
    patch_figure(image, row, col, size)  # validates every argument before any widget is made
    return PatchZoom(np.asarray(image), int(row), int(col), int(size))


def _counts_line(height, width, channels, hidden_units) -> str:
    counts = dense_counts(height, width, channels, hidden_units)
    return (
        f"inputs = {height} × {width} × {channels} = {counts.inputs:,};  "
        f"weights = {counts.inputs:,} × {hidden_units:,} = {counts.weights:,};  "
        f"biases = {counts.biases:,}"
    )


class DenseParamCounter(FigureExplorer):
    """Controls for an image's size and channels and a dense layer's units; the figure and line count its weights.

    Built by :func:`dense_param_counter`. Attributes: ``height``, ``width`` and ``hidden_units``
    (``IntSlider``s), ``channels`` (``ToggleButtons``, 1 or 3), ``caption`` (the line of counts),
    ``picture`` and ``figure`` (the :func:`~cnnlib.plotting.dense_params_figure` on show).
    """

    LIMITS = {"height": 1024, "width": 1024, "hidden_units": 2000}

    def __init__(self, height: int, width: int, channels: int, hidden_units: int):
        def slider(value, name, description):
            return ipywidgets.IntSlider(
                value=value,
                min=1,
                max=self.LIMITS[name],
                description=description,
                continuous_update=False,
                style=SLIDER_STYLE,
                layout=ipywidgets.Layout(width="480px"),
            )

        super().__init__(
            {
                "height": slider(height, "height", "image height"),
                "width": slider(width, "width", "image width"),
                "channels": ipywidgets.ToggleButtons(
                    options=[("1 (gray)", 1), ("3 (RGB)", 3)],
                    value=channels,
                    description="channels",
                    style=SLIDER_STYLE,
                ),
                "hidden_units": slider(hidden_units, "hidden_units", "hidden units"),
            }
        )

    def arrange(self) -> list:
        return [ipywidgets.VBox(list(self.controls.values())), self.caption, self.picture]

    def draw(self):
        return dense_params_figure(**self.values), f"<b>{html.escape(_counts_line(**self.values))}</b>"


def dense_param_counter(height=200, width=200, channels=1, hidden_units=100) -> DenseParamCounter:
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
    counter : DenseParamCounter
        A ``VBox``: a ``VBox`` of the controls ``counter.height``, ``counter.width`` (``IntSlider``s),
        ``counter.channels`` (``ToggleButtons``) and ``counter.hidden_units`` (``IntSlider``); the
        ``HTML`` line ``counter.caption`` with the inputs, weights and biases; and ``counter.picture``,
        the figure as a PNG.

    Raises
    ------
    TypeError, ValueError
        If an argument is not an integer in its range.

    Examples
    --------
    >>> counter = dense_param_counter()
    >>> counter.channels.value = 3
    >>> counter.caption.value
    '<b>inputs = 200 × 200 × 3 = 120,000;  weights = 120,000 × 100 = 12,000,000;  biases = 100</b>'
    """
    values = {"height": height, "width": width, "hidden_units": hidden_units}
    for name, value in values.items():
        values[name] = as_int(value, name, minimum=1)
        if values[name] > DenseParamCounter.LIMITS[name]:
            raise ValueError(
                f"`{name}` must be an integer from 1 to {DenseParamCounter.LIMITS[name]}, got {values[name]}"
            )
    channels = as_int(channels, "channels", minimum=1)
    if channels not in (1, 3):
        raise ValueError(f"`channels` must be 1 (grayscale) or 3 (RGB), got {channels}")
    return DenseParamCounter(values["height"], values["width"], channels, values["hidden_units"])
