"""The feature-map explorer of notebook 09: pick an image and a layer, see that layer's maps of the image.

The picture is :func:`cnnlib.plotting.channel_maps_figure`, so the widget in its
starting state shows exactly the static figure the notebook draws with the
same arguments. The maps are computed once, before the widget is built (e.g.
with ``network.layer_outputs(images)``), so moving the slider only redraws.
"""

from __future__ import annotations

import ipywidgets
import numpy as np

from ..plotting.features import as_image_batch, as_image_index, channel_maps_figure, feature_map_layers
from .explorer import FigureExplorer, code_line

__all__ = ["FeatureMapsExplorer", "feature_maps_explorer", "feature_maps_readout"]


def feature_maps_readout(maps, index, layer, labels=None) -> str:
    """The line under the explorer: which image, its label, and what the layer made of it.

    Examples
    --------
    >>> maps = {"relu1": np.array([[[[0.0, 2.0]], [[0.0, 0.0]]]])}   # 1 image, 2 maps of 1 x 2
    >>> feature_maps_readout(maps, 0, "relu1", labels=[7])
    'image 0 (label 7) after relu1: 2 maps of 1 × 2; 1 of the 2 maps is all 0 for this image'
    """
    values = np.asarray(maps[layer])[index]
    label = "" if labels is None else f" (label {labels[index]})"
    silent = int(sum(not np.any(channel) for channel in values))
    text = f"image {index}{label} after {layer}: {values.shape[0]} maps of {values.shape[1]} × {values.shape[2]}"
    if silent:
        verb = "is" if silent == 1 else "are"
        text += f"; {silent} of the {values.shape[0]} maps {verb} all 0 for this image"
    return text


class FeatureMapsExplorer(FigureExplorer):
    """A slider over the images and a menu of layers; the figure shows that layer's maps of that image.

    Built by :func:`feature_maps_explorer`. Attributes: ``index`` (the ``IntSlider`` over
    the images), ``layer`` (the ``Dropdown`` of layers), ``picture`` and ``figure`` (the
    :func:`~cnnlib.plotting.channel_maps_figure` on show) and ``caption`` (the line of
    :func:`feature_maps_readout`, below the picture).
    """

    def __init__(self, images: np.ndarray, layers: dict, labels, index: int, layer: str):
        self.images, self.layers, self.labels = images, layers, labels
        super().__init__(
            {
                "index": ipywidgets.IntSlider(
                    value=index, min=0, max=len(images) - 1, description="image", continuous_update=False
                ),
                "layer": ipywidgets.Dropdown(options=list(layers), value=layer, description="layer"),
            }
        )

    def arrange(self) -> list:
        return [self.controls_row(), self.picture, self.caption]

    def draw(self):
        index, layer = self.index.value, self.layer.value
        figure = channel_maps_figure(self.images, self.layers, index, layer)
        return figure, code_line(feature_maps_readout(self.layers, index, layer, self.labels))


def feature_maps_explorer(images, maps, labels=None, *, index=0, layer=None) -> FeatureMapsExplorer:
    """A slider over the images and a menu of layers, showing that layer's feature maps of that image.

    Parameters
    ----------
    images : ndarray, shape (N, 1, H, W) or (N, H, W)
    maps : dict of str to ndarray of shape (N, C, h, w)
        Each layer's output for the same N images, e.g. from ``network.layer_outputs(images)``;
        entries that are not 4-D (flatten, dense) are left out of the menu.
    labels : sequence, shape (N,), optional
        Shown in the line under the picture.
    index : int, default 0
        Starting image.
    layer : str, optional
        Starting layer; default the first 4-D one.

    Returns
    -------
    explorer : FeatureMapsExplorer
        A ``VBox``: an ``HBox`` of the ``IntSlider`` ``explorer.index`` (image) and the
        ``Dropdown`` ``explorer.layer``; ``explorer.picture``, holding
        :func:`cnnlib.plotting.channel_maps_figure` as a PNG; and the ``HTML`` line
        ``explorer.caption`` of :func:`feature_maps_readout`.

    Examples
    --------
    >>> maps = {"conv1": np.zeros((3, 2, 4, 4)), "dense1": np.zeros((3, 5))}
    >>> explorer = feature_maps_explorer(np.zeros((3, 6, 6)), maps)
    >>> explorer.index.max, explorer.layer.options
    (2, ('conv1',))
    """
    images = as_image_batch(images)
    layers = feature_map_layers(maps, len(images))
    index = as_image_index(index, len(images))
    layer = next(iter(layers)) if layer is None else layer
    if layer not in layers:
        raise ValueError(f"`layer` must be one of {list(layers)}, got {layer!r}")
    if labels is not None and len(labels) != len(images):
        raise ValueError(f"`labels` must have one label per image ({len(images)}), got {len(labels)}")
    return FeatureMapsExplorer(images, layers, labels, index, layer)
