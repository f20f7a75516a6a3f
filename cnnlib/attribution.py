"""What a trained network looks at: maps over the input, computed with the network's own backward pass.

A *saliency map* (Simonyan, Vedaldi & Zisserman 2013) asks: if a pixel changed a
little, how much would the score of a class change? That is the gradient of the
class score (the logit, before softmax) with respect to the input, which
``Sequential.backward`` already computes when it is handed a one-hot gradient.

*Occlusion* (Zeiler & Fergus 2014) asks a blunter question without gradients:
hide a square of the image, how much does the class probability drop?
*Activation maximisation* (Erhan et al. 2009) turns the gradient around: change
the input, step by step, so that one channel or class responds as much as it can.
"""

from __future__ import annotations

import numpy as np

from ._validation import as_float_array, as_int, as_real, describe
from .activations import softmax

__all__ = ["input_gradient", "maximise_activation", "occlusion", "saliency"]


def _classes(classes, n, k, scores):
    """The class of each image: the predicted one when ``classes`` is None."""
    if classes is None:
        return scores.argmax(axis=1)
    raw = np.asarray(classes)
    if raw.ndim == 0:
        raw = np.full(n, raw)
    if raw.shape != (n,) or not np.issubdtype(raw.dtype, np.integer):
        raise ValueError(f"`classes` must be None, one int or {n} ints (one per image), got {describe(classes)}")
    if raw.min() < 0 or raw.max() >= k:
        raise ValueError(f"`classes` must be between 0 and {k - 1} (the network has {k} scores), got {raw.tolist()}")
    return raw.astype(np.int64)


def input_gradient(network, images, classes=None) -> tuple[np.ndarray, np.ndarray]:
    """Gradient of each image's class score with respect to that image.

    Parameters
    ----------
    network : Sequential
        Maps (N, C, H, W) images to (N, K) scores.
    images : ndarray, shape (N, C, H, W)
    classes : None, int or ndarray of int, shape (N,)
        The class whose score is differentiated; by default the network's prediction.

    Returns
    -------
    gradient : ndarray, shape (N, C, H, W)
        d score[n, classes[n]] / d images[n] (signed). Images do not interact, so one backward pass
        through the whole batch gives every image its own gradient.
    classes : ndarray of int, shape (N,)
        The classes used.
    """
    images = as_float_array(images, "images", ndim=4, layout="(N, C, H, W)")
    scores = network.forward(images)
    if scores.ndim != 2 or scores.shape[0] != len(images):
        raise ValueError(f"`network` must map N images to (N, K) scores, got output shape {scores.shape}")
    classes = _classes(classes, len(images), scores.shape[1], scores)
    one_hot = np.zeros_like(scores)
    one_hot[np.arange(len(images)), classes] = 1.0
    return network.backward(one_hot), classes


def saliency(network, images, classes=None) -> np.ndarray:
    """Saliency maps: the size of the class score's gradient at each pixel.

    Parameters
    ----------
    network : Sequential
    images : ndarray, shape (N, C, H, W)
    classes : None, int or ndarray of int, shape (N,)
        As in :func:`input_gradient` (default: the predicted class).

    Returns
    -------
    maps : ndarray, shape (N, H, W)
        ``|gradient|``, the largest over the channels (Simonyan et al.'s choice for colour images).

    Examples
    --------
    >>> from cnnlib.layers import Dense, Flatten
    >>> from cnnlib.network import Sequential
    >>> net = Sequential(Flatten(), Dense(4, 2))
    >>> net.layers[1].params["w"][:] = [[1, -2, 0, 0], [0, 0, 3, 0]]
    >>> saliency(net, np.zeros((1, 1, 2, 2)), classes=0)
    array([[[1., 2.],
            [0., 0.]]])
    """
    gradient, _ = input_gradient(network, images, classes)
    return np.abs(gradient).max(axis=1)


def occlusion(network, image, class_index, size=7, fill=None) -> np.ndarray:
    """Drop in P(class) when a square of side ``size`` centred on each pixel is hidden.

    Parameters
    ----------
    network : Sequential
        Maps (N, C, H, W) images to (N, K) scores (softmax is applied here).
    image : ndarray, shape (C, H, W)
    class_index : int
        The class whose probability is watched.
    size : odd int, default 7
        Side of the square; it is centred on the pixel and cut off at the borders.
    fill : float, optional
        The value that hides the square; by default the image's mean (a flat gray patch).

    Returns
    -------
    drop : ndarray, shape (H, W)
        ``P(class | image) - P(class | image with the square centred on (i, j) hidden)``:
        positive where hiding the square lowers the probability, so the map lines up with
        the image pixel for pixel.
    """
    image = as_float_array(image, "image", ndim=3, layout="(C, H, W)")
    size = as_int(size, "size", minimum=1)
    if size % 2 == 0:
        raise ValueError(f"`size` must be odd, so that the square has a centre pixel, got {size}")
    fill = float(image.mean()) if fill is None else as_real(fill, "fill")
    _, height, width = image.shape
    half = size // 2
    covered = np.repeat(image[None], height * width + 1, axis=0)  # the last copy stays whole
    for k, (i, j) in enumerate(np.ndindex(height, width)):
        covered[k, :, max(i - half, 0) : i + half + 1, max(j - half, 0) : j + half + 1] = fill
    scores = np.concatenate([network.forward(covered[s : s + 256]) for s in range(0, len(covered), 256)])
    k = _classes(class_index, 1, scores.shape[1], scores)[0]
    p = softmax(scores.astype(np.float64), axis=1)[:, k]
    return (p[-1] - p[:-1]).reshape(height, width)


def maximise_activation(network, n_layers, channel, shape, *, steps=100, lr=0.05, l2=1e-3, seed=0):
    """An input that makes one channel (or class score) of a layer respond strongly: gradient ascent.

    The objective is the mean of channel ``channel`` of the output of the first
    ``n_layers`` layers (a map (C, H, W) or scores (K,)), minus ``l2 * sum(x**2)`` so
    that the image stays small where it does not help. Each step moves ``x`` by
    ``lr`` along the gradient scaled to a root mean square of 1, then clips it to
    [0, 1], the range of the network's inputs. A channel that is 0 everywhere
    after ReLU gets no gradient: maximise the convolution's output (the layer
    before the ReLU) instead.

    Parameters
    ----------
    network : Sequential
    n_layers : int
        How many layers to run (``len(network.layers)`` for the class scores).
    channel : int
        The channel of that layer's output, or the class.
    shape : tuple (C, H, W)
        The input's shape.
    steps, lr, l2 : the ascent's length, step size and penalty.
    seed : int
        The start is 0.5 gray plus a little seeded noise.

    Returns
    -------
    image : ndarray, shape (C, H, W), values in [0, 1]
    objective : ndarray, shape (steps + 1,)
        The objective before each step and after the last: it should rise.
    """
    n_layers = as_int(n_layers, "n_layers", minimum=1)
    if n_layers > len(network.layers):
        raise ValueError(f"`n_layers` must be at most the network's {len(network.layers)} layers, got {n_layers}")
    channel = as_int(channel, "channel", minimum=0)
    shape = tuple(as_int(side, "shape", minimum=1) for side in shape)
    steps, lr, l2 = as_int(steps, "steps", minimum=0), as_real(lr, "lr", low=0), as_real(l2, "l2", low=0)
    layers = network.layers[:n_layers]
    x = 0.5 + 0.01 * np.random.default_rng(seed).standard_normal(shape)
    objective = []
    for step in range(steps + 1):
        out = x[None]
        for layer in layers:
            out = layer.forward(out)
        if channel >= out.shape[1]:
            raise ValueError(f"`channel` must be between 0 and {out.shape[1] - 1} for this layer, got {channel}")
        objective.append(float(out[0, channel].mean()) - l2 * float(np.sum(x**2)))
        if step == steps:
            break
        grad = np.zeros_like(out)
        grad[0, channel] = 1.0 / out[0, channel].size
        for layer in reversed(layers):
            grad = layer.backward(grad)
        grad = grad[0] - 2 * l2 * x
        x = np.clip(x + lr * grad / max(float(np.sqrt(np.mean(grad**2))), 1e-12), 0.0, 1.0)
    return x, np.array(objective)
