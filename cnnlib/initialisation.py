"""How large should the starting weights be? Follow the activations through a deep stack of ReLU layers.

Each layer computes ``x = relu(x @ w.T)`` with weights drawn from a normal
distribution of variance ``gain / fan_in``. A weighted sum of ``fan_in``
inputs then has ``gain`` times their mean square as its variance, and ReLU
keeps half of it (the positive half of a symmetric distribution), so every
layer multiplies the activations' mean square by ``gain / 2``:

- ``gain = 1`` (weights scaled by 1/sqrt(fan-in), LeCun's choice for tanh):
  the mean square halves at every layer, and after 20 layers it is a millionth;
- ``gain = 2`` (He et al. 2015, sqrt(2/fan-in)): it stays the same;
- ``gain = 4``: it doubles at every layer and explodes.
"""

from __future__ import annotations

import numpy as np

from ._validation import as_int, as_real

__all__ = ["activation_spread"]


def activation_spread(gain, depth=20, width=256, samples=500, seed=0) -> np.ndarray:
    """Root mean square of the activations after each layer of a deep ReLU stack.

    Parameters
    ----------
    gain : float
        Weights are drawn with standard deviation ``sqrt(gain / width)``.
    depth : int, default 20
        Number of dense + ReLU layers.
    width : int, default 256
        Units per layer (so the fan-in of every layer after the first).
    samples : int, default 500
        Inputs drawn from a standard normal distribution.
    seed : int, default 0

    Returns
    -------
    rms : ndarray, shape (depth + 1,)
        ``rms[0]`` for the input (about 1), ``rms[l]`` after layer ``l``; the theory
        above predicts ``rms[l] / rms[l - 1] = sqrt(gain / 2)`` at every layer, on average
        over the random weights (the mean square of the inputs is what matters, not whether
        they came out of a ReLU).

    Examples
    --------
    >>> spread = activation_spread(2.0, depth=3)
    >>> spread.shape
    (4,)
    """
    gain = as_real(gain, "gain", low=0, open_interval=True)
    depth, width = as_int(depth, "depth", minimum=1), as_int(width, "width", minimum=1)
    samples = as_int(samples, "samples", minimum=1)
    rng = np.random.default_rng(as_int(seed, "seed", minimum=0))
    x = rng.standard_normal((samples, width))
    rms = [np.sqrt(np.mean(x**2))]
    for _ in range(depth):
        w = rng.standard_normal((width, width)) * np.sqrt(gain / width)
        x = np.maximum(x @ w.T, 0.0)
        rms.append(np.sqrt(np.mean(x**2)))
    return np.array(rms)
