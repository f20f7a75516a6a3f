"""The receptive field explorer of notebook 04: pick a layer and a unit, see the input pixels it depends on."""

from __future__ import annotations

import html

import ipywidgets

from .._validation import as_float_array, as_int
from ..plotting.receptive_field import field_square, receptive_field_figure
from .explorer import FigureExplorer

__all__ = ["ReceptiveFieldExplorer", "receptive_field_explorer"]


def _spatial_layers(network) -> list[str]:
    """Names of the layers whose units still have a position: everything before the first flatten or dense layer."""
    names = []
    for name, layer in zip(network.layer_names(), network.layers, strict=True):
        if hasattr(layer, "in_features") or type(layer).__name__ == "Flatten":
            break
        names.append(name)
    return names


class ReceptiveFieldExplorer(FigureExplorer):
    """A layer menu and two sliders (row, column of a unit); the input shows that unit's receptive field.

    Built by :func:`receptive_field_explorer`. Attributes: ``layer`` (``Dropdown``), ``row`` and
    ``column`` (``IntSlider``s, their ranges follow the layer's map), ``outputs`` (every layer's
    output for the image), ``caption``, ``picture`` and ``figure``.
    """

    def __init__(self, network, image, layer, unit):
        self.network, self.image = network, image
        self.outputs = network.layer_outputs(image[None, None])
        self.names = _spatial_layers(network)
        height, width = self.outputs[layer].shape[2:]
        style = {"layout": ipywidgets.Layout(width="260px"), "continuous_update": False}
        super().__init__(
            {
                "layer": ipywidgets.Dropdown(options=self.names, value=layer, description="layer"),
                "row": ipywidgets.IntSlider(value=unit[0], min=0, max=height - 1, description="unit row", **style),
                "column": ipywidgets.IntSlider(value=unit[1], min=0, max=width - 1, description="unit column", **style),
            }
        )

    def on_change(self, change):
        if change["owner"] is self.layer:  # a new layer has a map of another size: keep the unit on it
            height, width = self.outputs[self.layer.value].shape[2:]
            with self.holding_redraws():
                self.row.value, self.column.value = min(self.row.value, height - 1), min(self.column.value, width - 1)
                self.row.max, self.column.max = height - 1, width - 1
        self.redraw()

    def draw(self):
        layer, unit = self.layer.value, (self.row.value, self.column.value)
        size, step = self.network.receptive_field(self.names.index(layer) + 1)
        top, bottom, left, right = field_square(unit, size, step, self.image.shape)
        figure = receptive_field_figure(self.image, self.outputs[layer][0, 0], unit, size, step, layer)
        text = (
            f"{layer}: field {size} × {size}, step {step}; unit {unit} sees rows {top}-{bottom}, "
            f"columns {left}-{right} of the input"
        )
        return figure, f"<b>{html.escape(text)}</b>"


def receptive_field_explorer(network, image, layer="pool2", unit=(2, 1)) -> ReceptiveFieldExplorer:
    """Build a widget that outlines, on the input, the receptive field of a chosen unit of a chosen layer.

    The picture is :func:`cnnlib.plotting.receptive_field_figure` for the chosen layer's first map
    and unit, with the field from :meth:`cnnlib.network.Sequential.receptive_field`, so the starting
    state equals ``receptive_field_figure(image, outputs[layer][0, 0], unit, size, step, layer)``.

    Parameters
    ----------
    network : cnnlib.network.Sequential
        A network of convolutions, ReLUs and poolings without padding, then (optionally) flatten and
        dense layers, e.g. :func:`cnnlib.training.digit_cnn`; the menu lists the layers before the flatten.
    image : ndarray, shape (H, W)
        One gray input, values 0 to 1.
    layer : str, default "pool2"
        The starting layer, one of the menu's names (``network.layer_names()``).
    unit : (int, int), default (2, 1)
        The starting unit's row and column in that layer's map.

    Returns
    -------
    explorer : ReceptiveFieldExplorer
        A ``VBox``: the ``Dropdown`` ``explorer.layer`` and the ``IntSlider``s ``explorer.row`` and
        ``explorer.column``; the ``HTML`` line ``explorer.caption``; the figure ``explorer.picture``.

    Raises
    ------
    ValueError
        If ``layer`` is not one of the network's layers before the flatten, or ``unit`` is not on its map.

    Examples
    --------
    >>> import numpy as np
    >>> from cnnlib.training import digit_cnn
    >>> explorer = receptive_field_explorer(digit_cnn(), np.zeros((28, 28)))
    >>> explorer.layer.value = "conv1"
    >>> explorer.caption.value
    '<b>conv1: field 3 × 3, step 1; unit (2, 1) sees rows 2-4, columns 1-3 of the input</b>'
    """
    image = as_float_array(image, "image", ndim=2, layout="(H, W)")
    names = _spatial_layers(network)
    if layer not in names:
        raise ValueError(f"`layer` must be one of {names}, got {layer!r}")
    row, column = (as_int(v, "unit", minimum=0) for v in unit)
    height, width = network.layer_outputs(image[None, None])[layer].shape[2:]
    if row >= height or column >= width:
        raise ValueError(f"`unit` must be a cell of {layer}'s {height} x {width} map, got {(row, column)}")
    return ReceptiveFieldExplorer(network, image, layer, (row, column))
