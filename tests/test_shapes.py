"""cnnlib.shapes: output_size against hand calculations and real outputs; pad2d against np.pad."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from strategies import float_arrays, int_paddings

import cnnlib


@pytest.mark.parametrize(
    ("n", "k", "stride", "padding", "expected"),
    [
        (28, 3, 1, 0, 26),  # 28 - 3 + 1
        (28, 5, 1, 2, 28),  # (28 + 4 - 5) + 1
        (7, 3, 2, 1, 4),  # (7 + 2 - 3) // 2 + 1 = 3 + 1
        (6, 2, 2, 0, 3),  # pooling 6 wide by 2
        (7, 2, 2, 0, 3),  # (7 - 2) // 2 + 1 = 3: the last column is dropped
        (1, 1, 1, 0, 1),
        (3, 5, 1, 1, 1),  # a kernel larger than the image fits once the padding is added
        (28, 4, 1, "same", 28),
        (28, 3, 1, "full", 30),
        (28, 3, 1, "valid", 26),
        (28, 3, 2, "same", 14),
    ],
)
def test_output_size_by_hand(n, k, stride, padding, expected):
    assert cnnlib.output_size(n, k, stride=stride, padding=padding) == expected


@given(st.integers(1, 12), st.integers(1, 12), st.integers(1, 4), st.integers(0, 3))
def test_output_size_predicts_the_shape_correlate2d_returns(h, k, stride, padding):
    if k > h + 2 * padding:
        with pytest.raises(ValueError, match="`k`"):
            cnnlib.output_size(h, k, stride=stride, padding=padding)
        return
    out = cnnlib.correlate2d(np.ones((h, 5)), np.ones((k, 1)), stride=(stride, 1), padding=(padding, 0))
    assert out.shape[0] == cnnlib.output_size(h, k, stride=stride, padding=padding)


def test_pad2d_by_hand():
    np.testing.assert_array_equal(
        cnnlib.pad2d(np.array([[1, 2]]), (1, 0), value=9),
        [[9, 9], [1, 2], [9, 9]],
    )
    assert cnnlib.pad2d(np.ones((2, 3)), ((0, 1), (2, 0))).shape == (3, 5)


@given(st.tuples(st.integers(1, 6), st.integers(1, 6)).flatmap(float_arrays), int_paddings(), st.integers(-5, 5))
def test_pad2d_matches_numpy_pad(image, padding, value):
    ph, pw = padding if isinstance(padding, tuple) else (padding, padding)
    expected = np.pad(image, ((ph, ph), (pw, pw)), constant_values=value)
    np.testing.assert_array_equal(cnnlib.pad2d(image, padding, value=value), expected)


def test_pad2d_pads_only_the_last_two_axes():
    assert cnnlib.pad2d(np.zeros((2, 3, 4, 5)), 1).shape == (2, 3, 6, 7)
