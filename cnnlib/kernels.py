"""Classic 3 x 3 kernels by name, larger edge kernels, and how alike two sets of filters are.

The kernels are for cross-correlation (no flip), as a CNN layer applies them:
``cnnlib.correlate2d(image, KERNELS["Sobel x"])`` finds vertical edges.
Notebook 03 introduces them; notebook 09 compares learned filters with them.
"""

from __future__ import annotations

import numpy as np

from ._validation import as_float_array

__all__ = ["KERNELS", "as_filter_stack", "edge_kernels", "is_signed_kernel", "kernel_similarity"]


def _kernel(rows, scale=1.0) -> np.ndarray:
    array = np.array(rows, dtype=np.float64) * scale
    array.flags.writeable = False  # shared by every notebook: nobody may change a preset by accident
    return array


KERNELS = {
    "identity": _kernel([[0, 0, 0], [0, 1, 0], [0, 0, 0]]),
    "box blur": _kernel([[1, 1, 1], [1, 1, 1], [1, 1, 1]], 1 / 9),
    "Gaussian blur": _kernel([[1, 2, 1], [2, 4, 2], [1, 2, 1]], 1 / 16),
    "sharpen": _kernel([[0, -1, 0], [-1, 5, -1], [0, -1, 0]]),
    "Sobel x": _kernel([[-1, 0, 1], [-2, 0, 2], [-1, 0, 1]]),
    "Sobel y": _kernel([[-1, -2, -1], [0, 0, 0], [1, 2, 1]]),
    "Laplacian": _kernel([[0, 1, 0], [1, -4, 1], [0, 1, 0]]),
    "edge": _kernel([[-1, -1, -1], [-1, 8, -1], [-1, -1, -1]]),
}
"""Classic 3 x 3 kernels by name, for cross-correlation (no flip); read-only arrays of shape (3, 3).

- ``identity``: copies the image (1 at the centre).
- ``box blur``: the mean of the 9 pixels (weights 1/9, adding up to 1).
- ``Gaussian blur``: a weighted mean, the centre counting most (1, 2, 4 over 16).
- ``sharpen``: 5 x centre minus the 4 neighbours, i.e. identity minus the Laplacian:
  adds back the difference between a pixel and its surroundings.
- ``Sobel x``: right column minus left column (centre row counted twice): positive where
  brightness rises from left to right, so it finds *vertical* edges.
- ``Sobel y``: bottom row minus top row: positive where brightness rises downwards, *horizontal* edges.
- ``Laplacian``: the 4 neighbours minus 4 x centre: 0 on flat areas and even slopes, large at edges
  and fine detail in every direction.
- ``edge``: 8 x centre minus the 8 neighbours, an outline detector in every direction.

The blurs, ``identity`` and ``sharpen`` add up to 1 and keep the image's brightness; the Sobel
kernels, ``Laplacian`` and ``edge`` add up to 0 and give signed maps (:func:`is_signed_kernel`).
Copy one before changing it: ``KERNELS["sharpen"].copy()``.
"""


def edge_kernels(size=5, sigma=1.0) -> dict[str, np.ndarray]:
    """Edge kernels of side ``size`` in four directions, and a centre-surround one: Sobel and Laplacian, larger.

    Each is sampled from a Gaussian of width ``sigma`` centred on the middle pixel:
    ``x * g`` (brightness rising to the right, like Sobel x), ``y * g`` (rising downwards, like
    Sobel y, with row ``y`` counted downwards), the two diagonals ``(x + y) * g`` and ``(y - x) * g``,
    and ``(x**2 + y**2 - 2 sigma**2) * g`` (a dark centre on a light ring, like the Laplacian; the
    Laplacian of the Gaussian). For ``size=5, sigma=1`` the first is the 5 x 5 Sobel kernel,
    ``outer([1, 4, 6, 4, 1], [-1, -2, 0, 2, 1])``, up to a cosine of 0.998. Every kernel has its
    mean removed (weights adding up to 0, as for the 3 x 3 edge kernels) and its largest weight 1.

    Parameters
    ----------
    size : odd int, default 5
    sigma : float, default 1.0

    Returns
    -------
    kernels : dict of str to ndarray, shape (size, size)
        ``"Sobel x"``, ``"diagonal ↘"``, ``"Sobel y"``, ``"diagonal ↙"``, ``"Laplacian"``, for
        cross-correlation (no flip).

    Examples
    --------
    >>> kernels = edge_kernels()
    >>> list(kernels), kernels["Sobel x"].shape
    (['Sobel x', 'diagonal ↘', 'Sobel y', 'diagonal ↙', 'Laplacian'], (5, 5))
    >>> bool(kernels["Sobel x"][2, 4] > 0 > kernels["Sobel x"][2, 0])
    True
    """
    if isinstance(size, bool) or not isinstance(size, (int, np.integer)) or size < 3 or size % 2 == 0:
        raise ValueError(f"`size` must be an odd int of at least 3, got {size!r}")
    if not np.isfinite(sigma) or sigma <= 0:
        raise ValueError(f"`sigma` must be a positive number, got {sigma!r}")
    half = size // 2
    y, x = np.mgrid[-half : half + 1, -half : half + 1].astype(np.float64)
    g = np.exp(-(x**2 + y**2) / (2 * sigma**2))
    shapes = {
        "Sobel x": x * g,
        "diagonal ↘": (x + y) * g,
        "Sobel y": y * g,
        "diagonal ↙": (y - x) * g,
        "Laplacian": (x**2 + y**2 - 2 * sigma**2) * g,
    }
    kernels = {}
    for name, values in shapes.items():
        values = values - values.mean()
        kernels[name] = values / np.abs(values).max()
    return kernels


def is_signed_kernel(kernel, share: float = 1e-9) -> bool:
    """Whether ``kernel``'s weights add up to 0, so its feature map is signed and centred on 0.

    Parameters
    ----------
    kernel : ndarray, shape (KH, KW)
    share : float, default 1e-9
        How small the sum must be next to the sum of the absolute weights: the default allows only
        rounding; a figure may use a looser share (``plotting.draws_signed`` takes 5%).

    Returns
    -------
    signed : bool
        True when ``|sum(kernel)| <= share * sum(|kernel|)`` (an all-zero kernel counts as signed):
        a flat patch then gives (about) 0, edges give positive or negative values.

    Examples
    --------
    >>> is_signed_kernel(KERNELS["Sobel x"]), is_signed_kernel(KERNELS["box blur"])
    (True, False)
    """
    kernel = as_float_array(kernel, "kernel", ndim=2, layout="(KH, KW)")
    return bool(abs(kernel.sum()) <= share * np.abs(kernel).sum())


def as_filter_stack(values, name: str = "filters") -> np.ndarray:
    """``values`` of shape (F, KH, KW) or (F, 1, KH, KW) as a float array of shape (F, KH, KW)."""
    array = as_float_array(values, name, ndim=(3, 4), layout="(F, [1,] KH, KW)")
    if array.ndim == 4:
        if array.shape[1] != 1:
            raise ValueError(f"`{name}` must have one input channel, (F, 1, KH, KW), got shape {array.shape}")
        array = array[:, 0]
    return array


def kernel_similarity(filters, kernels) -> np.ndarray:
    """Cosine similarity of every filter with every kernel, after removing each one's mean.

    ``cos(a, b) = (a - mean a) . (b - mean b) / (|a - mean a| |b - mean b|)``: 1 for the same pattern
    (whatever its offset and scale), -1 for light and dark swapped, about 0 for unrelated patterns.

    Parameters
    ----------
    filters : ndarray, shape (F, KH, KW) or (F, 1, KH, KW)
    kernels : dict of str to ndarray of shape (KH, KW), or ndarray of shape (K, KH, KW)

    Returns
    -------
    similarity : ndarray, shape (F, K), values in [-1, 1]

    Examples
    --------
    >>> sobel_x = np.array([[-1, 0, 1], [-2, 0, 2], [-1, 0, 1]])
    >>> kernel_similarity(np.stack([sobel_x + 5, -2 * sobel_x, sobel_x.T]), [sobel_x]).shape
    (3, 1)
    >>> kernel_similarity(np.stack([sobel_x + 5, -2 * sobel_x]), [sobel_x]).round(6).ravel().tolist()
    [1.0, -1.0]
    """
    if isinstance(kernels, dict):
        kernels = np.stack([np.asarray(k, dtype=np.float64) for k in kernels.values()])
    vectors = []
    for name, values in (("filters", as_filter_stack(filters)), ("kernels", as_filter_stack(kernels, "kernels"))):
        flat = values.reshape(len(values), -1)
        flat = flat - flat.mean(axis=1, keepdims=True)
        length = np.linalg.norm(flat, axis=1, keepdims=True)
        if np.any(length == 0):
            raise ValueError(
                f"`{name}` must not hold a constant one: it has no pattern to compare "
                f"(entry {int(np.argmin(length))} is constant)"
            )
        vectors.append(flat / length)
    if vectors[0].shape[1] != vectors[1].shape[1]:
        raise ValueError(f"`filters` and `kernels` must have one size, got {vectors[0].shape} and {vectors[1].shape}")
    return np.clip(vectors[0] @ vectors[1].T, -1.0, 1.0)
