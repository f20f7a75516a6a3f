"""Softmax and cross-entropy fused into one layer, for a stable loss and a simple gradient."""

from __future__ import annotations

import numbers

import numpy as np

from ._validation import as_float_array, describe


def as_labels(labels, n_samples: int, n_classes: int) -> np.ndarray:
    """Validate class labels: ``n_samples`` integers in ``[0, n_classes)``; returns an int64 array."""
    array = np.asarray(labels) if not isinstance(labels, numbers.Number) else None
    if array is None or array.dtype.kind not in "iu":
        raise TypeError(f"`labels` must be an array of integer class labels, got {describe(labels)}")
    if array.shape != (n_samples,):
        raise ValueError(f"`labels` must have one label per sample, shape ({n_samples},), got shape {array.shape}")
    if array.size and (array.min() < 0 or array.max() >= n_classes):
        raise ValueError(
            f"`labels` must be class numbers from 0 to {n_classes - 1}, got values from {array.min()} to {array.max()}"
        )
    return array.astype(np.int64, copy=False)


class SoftmaxCrossEntropy:
    """Mean cross-entropy of softmax(logits) against integer labels.

    ``forward(logits, labels)`` with logits (N, K) and labels (N,) returns the
    mean loss ``-mean(log p[n, labels[n]])``, computed as
    ``logsumexp(z) - z[label]`` so large logits never overflow.
    ``backward()`` returns dL/dlogits = (softmax(z) - onehot(labels)) / N:
    fusing the two is what makes this gradient so simple.
    """

    def __init__(self):
        self._cache = None

    def forward(self, logits, labels) -> float:
        z = as_float_array(logits, "logits", ndim=2, layout="(N, K)")
        labels = as_labels(labels, z.shape[0], z.shape[1])
        shifted = z - z.max(axis=1, keepdims=True)
        log_norm = np.log(np.exp(shifted).sum(axis=1, keepdims=True))
        log_p = shifted - log_norm
        self._cache = (np.exp(log_p), labels, np.asarray(logits).dtype)
        return float(-log_p[np.arange(z.shape[0]), labels].mean())

    def backward(self) -> np.ndarray:
        if self._cache is None:
            raise RuntimeError("SoftmaxCrossEntropy.backward() was called before forward(): run forward first")
        p, labels, dtype = self._cache
        grad = p.copy()
        grad[np.arange(labels.size), labels] -= 1
        return (grad / labels.size).astype(dtype if dtype.kind == "f" else np.float64, copy=False)

    def __repr__(self):
        return "SoftmaxCrossEntropy()"
