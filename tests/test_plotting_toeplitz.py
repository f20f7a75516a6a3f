"""cnnlib.plotting.toeplitz: the convolution as a banded matrix times the signal (notebook 02)."""

import numpy as np
import pytest
from figure_helpers import assert_inside
from matplotlib.figure import Figure

from cnnlib import plotting
from cnnlib.plotting.style import SIGNED_CMAP

# f = [2, 0, 1, 3, -1], g = [1, 2, 3]: T[n, k] = g[n - k], written out by hand.
F = [2, 0, 1, 3, -1]
T = [
    [1, 0, 0, 0, 0],
    [2, 1, 0, 0, 0],
    [3, 2, 1, 0, 0],
    [0, 3, 2, 1, 0],
    [0, 0, 3, 2, 1],
    [0, 0, 0, 3, 2],
    [0, 0, 0, 0, 3],
]


def numbers(ax):
    return [t.get_text() for t in ax.texts]


def test_toeplitz_figure_writes_matrix_signal_and_product():
    fig = plotting.toeplitz_figure_1d(T, F)
    assert isinstance(fig, Figure)
    matrix_ax, signal_ax, product_ax = fig.axes[:3]
    assert numbers(matrix_ax)[:5] == ["1", "0", "0", "0", "0"]
    assert numbers(matrix_ax)[10:15] == ["3", "2", "1", "0", "0"], "row 2 is the flipped kernel"
    assert numbers(signal_ax) == ["2", "0", "1", "3", "-1"]
    # Row by row: 1·2 = 2; 2·2 + 1·0 = 4; 3·2 + 2·0 + 1·1 = 7; 3·0 + 2·1 + 1·3 = 5;
    # 3·1 + 2·3 + 1·(-1) = 8; 3·3 + 2·(-1) = 7; 3·(-1) = -3 (the full convolution, also by hand in notebook 02).
    assert numbers(product_ax) == ["2", "4", "7", "5", "8", "7", "-3"]
    assert matrix_ax.get_title() == "T, shape 7 × 5"


def test_toeplitz_figure_one_signed_scale_centred_on_zero():
    fig = plotting.toeplitz_figure_1d(T, F)
    for ax in fig.axes[:3]:
        (image,) = ax.images
        assert image.get_cmap().name == SIGNED_CMAP
        assert image.get_clim() == (-3.0, 3.0)  # largest |value| of T and f is 3
    assert len(fig.axes) == 4, "three panels and a colour bar"
    assert fig.axes[3].get_ylabel().startswith("value")
    assert_inside(fig)


def test_toeplitz_figure_dims_the_zeros():
    fig = plotting.toeplitz_figure_1d(T, F)
    zeros = [t for t in fig.axes[0].texts if t.get_text() == "0"]
    assert len(zeros) == 35 - 15  # 7 x 5 entries, 5 columns x 3 kernel weights non-zero
    assert {t.get_color() for t in zeros} == {"0.7"}


@pytest.mark.parametrize(
    ("matrix", "signal", "error", "match"),
    [
        ([1, 2], [1], ValueError, "`matrix` must be 2-D"),
        (np.eye(2), [[1, 2]], ValueError, "`signal` must be 1-D"),
        (np.eye(2), [1, 2, 3], ValueError, "`signal` must have 2 values"),
        ("T", [1], TypeError, "`matrix` must be a numeric array"),
    ],
)
def test_toeplitz_figure_bad_arguments(matrix, signal, error, match):
    with pytest.raises(error, match=match):
        plotting.toeplitz_figure_1d(matrix, signal)
