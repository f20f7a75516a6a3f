"""What a trained network looks at: maps over the input, computed with the network's own backward pass.

A *saliency map* (Simonyan, Vedaldi & Zisserman 2013) asks: if a pixel changed a
little, how much would the score of a class change? That is the gradient of the
class score (the logit, before softmax) with respect to the input, which
``Sequential.backward`` already computes when it is handed a one-hot gradient.
"""

from __future__ import annotations

import numpy as np

from ._validation import as_float_array, describe

__all__ = ["input_gradient", "saliency"]


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
