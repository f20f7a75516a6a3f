"""The 1-D convolution as one banded (Toeplitz) matrix times the signal (notebook 02).

One figure: the matrix ``T`` with its numbers written in (zeros dimmed, so the band
of repeated diagonals stands out), the signal ``f`` as a column, and the product
``T @ f`` as a column, all on one signed colour scale centred on 0.
"""

from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure

from .._validation import as_float_array
from .style import add_colorbar, number_grid, signed_limit

__all__ = ["toeplitz_figure_1d"]


def toeplitz_figure_1d(matrix, signal) -> Figure:
    """Draw ``matrix @ signal`` as three number grids: the matrix, the signal and the product.

    Meant for the banded matrix ``T`` with ``T[n, k] = g[n - k]`` (0 outside the
    kernel), whose product with ``f`` is the full convolution ``f * g``: each row
    holds the flipped kernel, one step further right than the row above, and every
    other entry is 0. Zeros are written in light gray so that the band stands out.

    Parameters
    ----------
    matrix : array_like, shape (N, M)
        The matrix, e.g. N = M + K - 1 rows for a kernel of length K.
    signal : array_like, shape (M,)
        The vector it multiplies.

    Returns
    -------
    fig : matplotlib.figure.Figure
        Three axes and a colour bar: ``matrix`` (N, M), ``signal`` as a column (M, 1)
        and ``matrix @ signal`` as a column (N, 1), coloured on one signed scale centred
        on 0 whose limit is the largest ``|value|`` of the matrix and the signal (the
        product, often larger, is clipped in colour but written in full).

    Raises
    ------
    TypeError, ValueError
        If ``matrix`` is not 2-D, ``signal`` not 1-D, or their sizes do not match.

    Examples
    --------
    >>> T = np.array([[1, 0], [2, 1], [0, 2]])
    >>> fig = toeplitz_figure_1d(T, [3, -1])
    >>> [t.get_text() for t in fig.axes[2].texts]
    ['3', '5', '-2']
    """
    matrix = as_float_array(matrix, "matrix", ndim=2, layout="(N, M)")
    signal = as_float_array(signal, "signal", ndim=1, layout="(M,)")
    rows, cols = matrix.shape
    if signal.size != cols:
        raise ValueError(f"`signal` must have {cols} values (one per column of `matrix`), got {signal.size}")
    product = matrix @ signal
    limit = signed_limit(np.concatenate([matrix.ravel(), signal]), 100)
    grid = {"vmin": -limit, "vmax": limit, "zero_ink": "0.7", "labelsize": 10, "fontsize": 12}

    fig = Figure(figsize=(2.6 + 0.6 * (cols + 2), 1.4 + 0.55 * rows), dpi=80, layout="constrained")
    axes = fig.subplots(1, 3, width_ratios=[cols, 1, 1])
    number_grid(axes[0], matrix, xlabel="column k", ylabel="row n", **grid)
    axes[0].set_title(f"T, shape {rows} × {cols}")
    number_grid(axes[1], signal[:, None], xlabel="", ylabel="k", first=(0, 0), **grid)
    axes[1].set_title("× f")
    axes[1].set_xticks([])
    shown = number_grid(axes[2], product[:, None], xlabel="", ylabel="n", **grid)
    axes[2].set_title("= T @ f")
    axes[2].set_xticks([])
    add_colorbar(shown, axes[2], label="value (white = 0; arrows: clipped)", shrink=0.9, pad=0.4)
    fig.suptitle("The whole convolution as one matrix times the signal", fontsize=13)
    return fig
