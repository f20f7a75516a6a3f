"""Widgets of notebook 07 (the dense layer): stretch logits through softmax, run a network digit by digit.

Each widget is a :class:`~cnnlib.widgets.explorer.FigureExplorer` drawing a
figure of :mod:`cnnlib.plotting.dense_layer`, with a one-line readout as its
caption; its starting state is exactly the figure the plotting function draws
with the same arguments, so the notebook can also show that figure on its own.
"""

from __future__ import annotations

import ipywidgets
import numpy as np

from .._validation import as_float_array, as_int, as_real, describe
from ..activations import softmax
from ..plotting.dense_layer import forward_pass_figure, softmax_bars_figure
from .explorer import FigureExplorer, code_line

__all__ = [
    "ForwardPassExplorer",
    "SoftmaxScaleExplorer",
    "forward_pass_readout",
    "forward_pass_widget",
    "softmax_scale_readout",
    "softmax_scale_widget",
]

FORWARD_STAGES = ("image", "feature_maps", "rectified", "pooled", "flat", "logits", "probabilities")
"""The keys the ``forward`` function of :func:`forward_pass_widget` must return, in the order of the pass."""


def softmax_scale_readout(logits, scale) -> str:
    """The line under the softmax widget: the largest and smallest probability at ``scale``.

    Parameters
    ----------
    logits : ndarray, shape (K,)
        Finite scores.
    scale : float
        Every logit is multiplied by it before softmax.

    Returns
    -------
    text : str

    Examples
    --------
    >>> softmax_scale_readout(np.array([2.0, 1.0, 0.1]), 1.0)
    'scale 1: largest probability 0.66 (class 0), smallest 0.10 (class 2)'
    >>> softmax_scale_readout(np.array([2.0, 1.0, 0.1]), 0.0)
    'scale 0: every probability is 0.33 (1/3)'
    """
    z = as_float_array(logits, "logits", ndim=1, layout="(K,)")
    scale = as_real(scale, "scale")
    p = softmax(z * scale)
    if np.allclose(p, p[0], rtol=0, atol=1e-12):
        return f"scale {float(scale):g}: every probability is {p[0]:.2f} (1/{p.size})"
    high, low = int(np.argmax(p)), int(np.argmin(p))
    return (
        f"scale {float(scale):g}: largest probability {p[high]:.2f} (class {high}), smallest {p[low]:.2f} (class {low})"
    )


class SoftmaxScaleExplorer(FigureExplorer):
    """A slider that multiplies the logits by a scale; the figure shows their softmax.

    Built by :func:`softmax_scale_widget`. Attributes: ``scale`` (the ``FloatSlider``),
    ``picture`` and ``figure`` (the :func:`~cnnlib.plotting.softmax_bars_figure` on
    show) and ``caption`` (the line of :func:`softmax_scale_readout`, below the picture).
    """

    def __init__(self, logits: np.ndarray, scale: float, max_scale: float, dpi: int | None):
        self.logits = logits
        super().__init__(
            {
                "scale": ipywidgets.FloatSlider(
                    value=scale,
                    min=0.0,
                    max=max_scale,
                    step=0.1,
                    description="scale",
                    continuous_update=False,
                    readout_format=".1f",
                )
            },
            dpi=dpi,
        )

    def arrange(self) -> list:
        return [self.scale, self.picture, self.caption]

    def draw(self):
        scale = float(self.scale.value)
        return softmax_bars_figure(self.logits, scale=scale), code_line(softmax_scale_readout(self.logits, scale))


def softmax_scale_widget(logits, *, scale=1.0, max_scale=5.0, dpi=None) -> SoftmaxScaleExplorer:
    """A slider that multiplies the logits by a scale and redraws their softmax.

    Scale 0 makes every probability ``1 / K``; a large scale gives almost all
    the probability to the largest logit. The order of the classes never changes.

    Parameters
    ----------
    logits : ndarray, shape (K,)
        Finite scores of K >= 2 classes.
    scale : float, default 1.0
        Starting position, ``0 <= scale <= max_scale``.
    max_scale : float, default 5.0
        Right end of the slider, > 0.
    dpi : int, optional
        Resolution of the picture, >= 20; by default the figure's own, as the static figure.

    Returns
    -------
    explorer : SoftmaxScaleExplorer
        A ``VBox``: the ``FloatSlider`` ``explorer.scale``; ``explorer.picture``, the PNG of
        ``plotting.softmax_bars_figure(logits, scale=explorer.scale.value)``; and the ``HTML``
        line ``explorer.caption`` with :func:`softmax_scale_readout`.

    Raises
    ------
    TypeError, ValueError
        If ``logits`` is not a finite vector of at least 2 numbers, or a scale is out of range.

    Examples
    --------
    >>> explorer = softmax_scale_widget(np.array([2.0, 1.0, 0.1]))
    >>> explorer.scale.value = 0.0
    >>> explorer.caption.value
    '<code>scale 0: every probability is 0.33 (1/3)</code>'
    """
    z = as_float_array(logits, "logits", ndim=1, layout="(K,)")
    if z.size < 2 or not np.all(np.isfinite(z)):
        raise ValueError(f"`logits` must hold at least 2 finite scores, got {describe(z)}")
    max_scale = as_real(max_scale, "max_scale", low=0, open_interval=True)
    scale = as_real(scale, "scale", low=0, high=max_scale)
    return SoftmaxScaleExplorer(z, float(scale), float(max_scale), dpi)


def forward_pass_readout(index, label, probabilities) -> str:
    """The line under the forward-pass widget: the true label and what the network answers.

    Parameters
    ----------
    index : int
        Position of the digit in the images.
    label : int
        Its true class.
    probabilities : ndarray, shape (K,) or (1, K)
        The network's output for it.

    Returns
    -------
    text : str

    Examples
    --------
    >>> forward_pass_readout(3, 0, np.array([0.3, 0.2, 0.5]))
    'digit #3, true label 0: the network answers 2 with probability 0.50 (wrong)'
    """
    index = as_int(index, "index", minimum=0)
    label = as_int(label, "label", minimum=0)
    p = as_float_array(probabilities, "probabilities", ndim=(1, 2), layout="(K,) or (1, K)").reshape(-1)
    best = int(np.argmax(p))
    verdict = "right" if best == label else "wrong"
    return f"digit #{index}, true label {label}: the network answers {best} with probability {p[best]:.2f} ({verdict})"


class ForwardPassExplorer(FigureExplorer):
    """A slider over digits that runs ``forward`` on each one and draws every stage of the pass.

    Built by :func:`forward_pass_widget`. Attributes: ``digit`` (the ``IntSlider`` over
    the images), ``caption`` (the line of :func:`forward_pass_readout`), ``picture``
    and ``figure`` (the :func:`~cnnlib.plotting.forward_pass_figure` on show).
    """

    def __init__(self, images: np.ndarray, labels: np.ndarray, forward, index: int, dpi: int | None):
        self.images, self.labels, self.forward = images, labels, forward
        super().__init__(
            {
                "digit": ipywidgets.IntSlider(
                    value=index,
                    min=0,
                    max=images.shape[0] - 1,
                    description="digit #",
                    continuous_update=False,
                )
            },
            dpi=dpi,
        )

    def draw(self):
        i = int(self.digit.value)
        label = int(self.labels[i])
        stages = self.forward(self.images[i])
        if not isinstance(stages, dict) or set(stages) != set(FORWARD_STAGES):
            raise TypeError(
                f"forward must return a dict with the keys {', '.join(FORWARD_STAGES)}, got {describe(stages)}"
            )
        figure = forward_pass_figure(**stages, label=label)
        return figure, code_line(forward_pass_readout(i, label, stages["probabilities"]))


def forward_pass_widget(images, labels, forward, *, index=0, dpi=None) -> ForwardPassExplorer:
    """A slider over digits that runs ``forward`` on each one and draws every stage of the pass.

    Parameters
    ----------
    images : ndarray, shape (N, H, W)
        The digits, as ``forward`` expects them (e.g. scaled to [0, 1]).
    labels : ndarray, shape (N,)
        Their true classes.
    forward : callable
        ``forward(images[i])`` returns a dict with the keys of :data:`FORWARD_STAGES`
        (``image``, ``feature_maps``, ``rectified``, ``pooled``, ``flat``,
        ``logits``, ``probabilities``), the arguments of
        :func:`cnnlib.plotting.forward_pass_figure`.
    index : int, default 0
        The digit shown first.
    dpi : int, optional
        Resolution of the picture, >= 20; by default the figure's own, as the static figure.

    Returns
    -------
    explorer : ForwardPassExplorer
        A ``VBox``: the ``IntSlider`` ``explorer.digit`` over ``0 .. N-1``; the ``HTML``
        line ``explorer.caption`` with :func:`forward_pass_readout`; and ``explorer.picture``,
        the PNG of ``forward_pass_figure(**forward(images[i]), label=labels[i])``. If
        ``forward`` raises or returns something else, the picture shows that error instead.

    Raises
    ------
    TypeError, ValueError
        If ``images`` / ``labels`` do not match, ``forward`` is not callable or ``index`` is out of range.
    """
    images = as_float_array(images, "images", ndim=3, layout="(N, H, W)")
    labels = np.asarray(labels)
    if labels.shape != (images.shape[0],) or labels.dtype.kind not in "iu":
        raise ValueError(
            f"`labels` must hold one whole number per image, shape ({images.shape[0]},), "
            f"got {describe(labels)} of dtype {labels.dtype}"
        )
    if not callable(forward):
        raise TypeError(f"`forward` must be a function of one image, got {describe(forward)}")
    index = as_int(index, "index", minimum=0)
    if index >= images.shape[0]:
        raise ValueError(f"`index` must be < the number of images, {images.shape[0]}, got {index}")
    return ForwardPassExplorer(images, labels, forward, index, dpi)
