"""A network: layers applied one after the other, and what can be read off them.

``Sequential`` runs its layers forward and backward, counts their parameters,
and lets a notebook look inside: every layer's output (notebook 09) and the
receptive field of a unit after some layers.
"""

from __future__ import annotations

import numpy as np

from ._validation import as_float_array, as_int, describe
from .conv_pool import ConvMaxPool, fuses, fuses_relu
from .layers import ReLU
from .pool_layers import tiling_max_pool_after
from .shapes import ReceptiveField, receptive_field

__all__ = ["Sequential"]

_KINDS = {
    "Conv2D": "conv",
    "ReLU": "relu",
    "MaxPool2D": "pool",
    "AvgPool2D": "pool",
    "Flatten": "flatten",
    "Dense": "dense",
}


class Sequential:
    """Layers applied one after the other; ``backward`` runs them in reverse.

    Two shortcuts, for speed: ``forward`` and ``backward`` run a ``ReLU`` that comes just before a
    ``MaxPool2D`` whose windows tile the map after it instead, on the pooled maps: a quarter of
    the numbers for 2 x 2 windows (see :func:`_running_order`); and a ``Conv2D`` followed by
    such a pooling run as one, with the ReLU after them if there is one
    (:class:`cnnlib.conv_pool.ConvMaxPool`), the pooling reading contiguous blocks instead of
    strided windows. Both give the same numbers and gradients as the
    layers one at a time; :meth:`layer_outputs` keeps the layers' own order, so every output shown
    is what its layer makes.

    Examples
    --------
    >>> from cnnlib.layers import Dense, ReLU
    >>> net = Sequential(Dense(4, 3), ReLU(), Dense(3, 2))
    >>> net.forward(np.ones((5, 4))).shape
    (5, 2)
    >>> net.parameter_count()
    23
    """

    def __init__(self, *layers):
        for i, layer in enumerate(layers):
            if not (hasattr(layer, "forward") and hasattr(layer, "backward")):
                raise TypeError(f"`layers` must have forward and backward methods; layer {i} is {describe(layer)}")
        self.layers = list(layers)
        self._ran_in_layer_order = False  # whether the last forward pass was layer_outputs (see backward)

    def forward(self, x):
        self._ran_in_layer_order = False
        for layer in self._running():
            x = layer.forward(x)
        return x

    def backward(self, grad, *, input_gradient=True):
        """Run the layers' backward passes in reverse; each fills its ``grads``.

        Returns dL/d(input) from ``grad`` = dL/d(output). With ``input_gradient=False`` it returns
        None and the first layer computes only its parameters' gradients: training never uses the
        gradient with respect to the images, and for a first ``Conv2D`` it is a third of the work.
        After :meth:`layer_outputs`, it follows the layers in their own order, as that pass ran them.
        """
        if not self.layers:
            return grad if input_gradient else None
        # back through what the last forward pass ran: after layer_outputs, the layers in their own order
        first, *rest = list(self.layers) if self._ran_in_layer_order else self._running()
        for layer in reversed(rest):
            grad = layer.backward(grad)
        if input_gradient:
            return first.backward(grad)
        getattr(first, "parameter_gradients", first.backward)(grad)
        return None

    def _running(self) -> list:
        """What ``forward`` runs, in order: :func:`_running_order`, with each tiling max pooling straight after
        a ``Conv2D`` run together with it, and with the ReLU after them if there is one (a
        :class:`~cnnlib.conv_pool.ConvMaxPool`, which keeps their state from ``forward`` to ``backward``:
        the same one as long as the layers run as one)."""
        units, running = getattr(self, "_units", {}), []
        order = _running_order(self.layers)  # anew each call: a learner may change the layers
        i = 0
        while i < len(order):
            if i + 1 < len(order) and fuses(order[i], order[i + 1]):
                relu = order[i + 2] if i + 2 < len(order) and fuses_relu(order[i + 1], order[i + 2]) else None
                running.append(_unit(units, order[i], order[i + 1], relu))
                i += 2 if relu is None else 3
            else:
                running.append(order[i])
                i += 1
        self._units = {
            _unit_key(unit.conv, unit.pool, unit.relu): unit for unit in running if type(unit) is ConvMaxPool
        }
        return running

    def named_parameters(self):
        """``[(name, layer, key)]`` with names like ``"0.w"`` (layer index, parameter key)."""
        return [(f"{i}.{key}", layer, key) for i, layer in enumerate(self.layers) for key in layer.params]

    def parameter_count(self) -> int:
        return sum(layer.params[key].size for _, layer, key in self.named_parameters())

    def predict(self, images, batch_size=500) -> np.ndarray:
        """Class with the highest score for each image, shape (N,)."""
        batch_size = as_int(batch_size, "batch_size", minimum=1)
        return np.concatenate(
            [self.forward(images[i : i + batch_size]).argmax(axis=1) for i in range(0, len(images), batch_size)]
        )

    def layer_names(self) -> list[str]:
        """Short names for the layers, numbered per kind: conv1, relu1, pool1, conv2, ...

        Examples
        --------
        >>> from cnnlib.training import digit_cnn
        >>> digit_cnn().layer_names()
        ['conv1', 'relu1', 'pool1', 'conv2', 'relu2', 'pool2', 'flatten1', 'dense1']
        """
        counts: dict[str, int] = {}
        names = []
        for layer in self.layers:
            kind = _KINDS.get(type(layer).__name__, type(layer).__name__.lower())
            counts[kind] = counts.get(kind, 0) + 1
            names.append(f"{kind}{counts[kind]}")
        return names

    def layer_outputs(self, images) -> dict[str, np.ndarray]:
        """Run ``images`` through the layers one at a time and keep every output.

        Parameters
        ----------
        images : ndarray, shape (N, C, H, W)

        Returns
        -------
        outputs : dict of str to ndarray
            ``{name: output}`` in layer order, named by :meth:`layer_names`; for the digit CNN
            ``outputs["conv1"]`` has shape (N, 8, 26, 26) and ``outputs["dense1"]`` (N, 10).
            The last output is what :meth:`forward` returns.

        Examples
        --------
        >>> from cnnlib.training import digit_cnn
        >>> digit_cnn().layer_outputs(np.zeros((2, 1, 28, 28)))["pool2"].shape
        (2, 16, 5, 5)
        """
        x = as_float_array(images, "images", ndim=4, layout="(N, C, H, W)")  # each layer casts it to its dtype
        self._ran_in_layer_order = True  # backward follows this pass (see backward)
        outputs = {}
        for name, layer in zip(self.layer_names(), self.layers, strict=True):
            x = layer.forward(x)
            outputs[name] = x
        return outputs

    def receptive_field(self, n_layers=None) -> ReceptiveField:
        """Receptive field of a unit after the first ``n_layers`` layers (all by default).

        The layers must be convolutions, ReLUs and poolings with square windows and strides and no
        padding (a unit after a flatten or dense layer sees the whole image).

        Returns
        -------
        field : ReceptiveField
            ``(size, step)``, as :func:`cnnlib.shapes.receptive_field` gives for the layers' windows.

        Examples
        --------
        >>> from cnnlib.training import digit_cnn
        >>> digit_cnn().receptive_field(5)   # after conv1, relu1, pool1, conv2, relu2
        ReceptiveField(size=8, step=2)
        """
        n_layers = len(self.layers) if n_layers is None else as_int(n_layers, "n_layers", minimum=1)
        if n_layers > len(self.layers):
            raise ValueError(f"`n_layers` must be at most the {len(self.layers)} layers of the network, got {n_layers}")
        windows, strides, dilations = [], [], []
        for layer in self.layers[:n_layers]:
            if hasattr(layer, "in_features") or type(layer).__name__ == "Flatten":
                raise ValueError(f"`n_layers` must stop before {layer!r}: a unit after it sees the whole image")
            window = getattr(layer, "kernel_size", None) or getattr(layer, "size", None)
            if window is None:  # ReLU and other element-wise layers: the field does not change
                continue
            padding = getattr(layer, "padding", ((0, 0), (0, 0)))
            dilation = getattr(layer, "dilation", (1, 1))
            if len(set(window)) != 1 or len(set(layer.stride)) != 1 or len(set(dilation)) != 1 or np.any(padding):
                raise ValueError(f"the layers must have square windows and strides and no padding, got {layer!r}")
            windows.append(window[0])
            strides.append(layer.stride[0])
            dilations.append(getattr(layer, "dilation", (1, 1))[0])
        return receptive_field(windows, strides, dilations)[-1] if windows else ReceptiveField(1, 1)

    def __repr__(self):
        inner = ",\n  ".join(repr(layer) for layer in self.layers)
        return f"Sequential(\n  {inner}\n)"


def _unit_key(conv, pool, relu):
    return id(conv), id(pool), id(relu)


def _unit(units, conv, pool, relu):
    """The ``ConvMaxPool`` of these layers: the one of the last call if it is still theirs (its forward's
    state must reach backward), else a new one."""
    unit = units.get(_unit_key(conv, pool, relu))
    if unit is None or unit.conv is not conv or unit.pool is not pool or unit.relu is not relu:
        unit = ConvMaxPool(conv, pool, relu)
    return unit


def _running_order(layers) -> list:
    """``layers`` in the order ``forward`` runs them: a ReLU directly before a tiling MaxPool2D swapped with it.

    Max pooling and ReLU commute: max(x, 0) keeps the order of numbers, so the largest of a window
    after ReLU is max(largest, 0). Their gradients agree too: where a window's largest value is
    positive, both send the window's gradient to the same input (the first largest); where it is
    not, ReLU blocks it either way. Swapped only where pooling first saves work and changes no
    number: windows that tile the map (stride = size, no padding), so ReLU sees KH*KW times fewer
    numbers, and the same dtype on both layers (each casts its input: a float32 ReLU before a
    float64 pool would round before the comparison, and ties could change). Only these two exact
    classes: a layer of the learner's own runs where it stands.
    """
    order = list(layers)
    for i in range(len(order) - 1):
        relu, pool = order[i], order[i + 1]
        if tiling_max_pool_after(relu, ReLU, pool):
            order[i], order[i + 1] = pool, relu
    return order
