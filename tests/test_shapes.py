"""cnnlib.shapes: output_size, pad2d, receptive_field and dense_counts against hand calculations and references."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from strategies import float_arrays, int_paddings

import cnnlib
from cnnlib import shapes


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


# ---------------------------------------------------------------- dense_counts


@pytest.mark.parametrize(
    ("size", "expected"),
    [
        ((28, 28, 1, 100), (784, 78_400, 100)),
        ((200, 200, 1, 1000), (40_000, 40_000_000, 1000)),
        ((200, 200, 3, 1000), (120_000, 120_000_000, 1000)),
        ((1, 1, 1, 1), (1, 1, 1)),
    ],
)
def test_dense_counts_worked_by_hand(size, expected):
    assert tuple(shapes.dense_counts(*size)) == expected


@pytest.mark.parametrize(
    ("size", "error", "match"),
    [((0, 5, 1, 1), ValueError, "`height` must be an integer >= 1"), ((5, 5, 1.0, 1), TypeError, "`channels`")],
)
def test_dense_counts_bad_arguments(size, error, match):
    with pytest.raises(error, match=match):
        shapes.dense_counts(*size)


# ---------------------------------------------------------------- receptive_field


@pytest.mark.parametrize(
    ("kernel_sizes", "strides", "dilations", "expected"),
    [
        ([3, 3, 3], [1, 1, 1], None, [(3, 1), (5, 1), (7, 1)]),  # each 3x3 adds 2
        ([3, 2, 3, 2], [1, 2, 1, 2], None, [(3, 1), (4, 2), (8, 2), (10, 4)]),  # the digit CNN, ReLUs left out
        ([3, 3], [1, 1], [1, 2], [(3, 1), (7, 1)]),  # a dilation-2 3x3 spans 5: 3 + 2 * 2
        ([5, 3], [2, 1], None, [(5, 2), (9, 2)]),  # 5 + (3 - 1) * 2
        ([], [], None, []),
    ],
)
def test_receptive_field_worked_by_hand(kernel_sizes, strides, dilations, expected):
    assert shapes.receptive_field(kernel_sizes, strides, dilations) == expected


@pytest.mark.parametrize(
    ("args", "error", "says"),
    [
        (([3, 3], [1]), ValueError, "one length"),
        (([3, 0], [1, 1]), ValueError, r"`kernel_sizes` must be an integer >= 1, got 0 \(entry 1"),
        ((3, 1), TypeError, "`kernel_sizes` must be a sequence"),
        (([3], [1.5]), TypeError, r"`strides` must be an integer >= 1, got float 1.5 \(entry 0"),
    ],
)
def test_receptive_field_names_bad_input(args, error, says):
    with pytest.raises(error, match=says):
        shapes.receptive_field(*args)


@pytest.mark.parametrize(
    ("n", "k", "stride", "padding", "dilation", "expected"),
    [
        (28, 3, 1, 0, 2, 24),  # spans 5: 28 - 5 + 1
        (7, 3, 1, 0, 3, 1),  # spans 7: exactly one position
        (10, 2, 2, 1, 4, 4),  # (10 + 2 - 4*1 - 1) // 2 + 1 = 7 // 2 + 1
        (9, 3, 1, "same", 3, 9),  # 'same' pads the span - 1 = 6
        (5, 3, 1, "full", 2, 9),  # 'full' pads 4 on each side: 5 + 8 - 5 + 1
    ],
)
def test_output_size_with_dilation_by_hand(n, k, stride, padding, dilation, expected):
    assert cnnlib.output_size(n, k, stride=stride, padding=padding, dilation=dilation) == expected


@given(st.integers(1, 12), st.integers(1, 4), st.integers(1, 3), st.integers(0, 2), st.integers(1, 3))
def test_output_size_with_dilation_is_the_length_of_a_real_output(n, k, stride, padding, dilation):
    if n + 2 * padding < dilation * (k - 1) + 1:
        with pytest.raises(ValueError, match="the window never fits"):
            cnnlib.output_size(n, k, stride, padding, dilation)
        return
    out = cnnlib.correlate2d(
        np.ones((1, n)), np.ones((1, k)), stride=(1, stride), padding=(0, padding), dilation=(1, dilation)
    )
    assert cnnlib.output_size(n, k, stride, padding, dilation) == out.shape[1]


@pytest.mark.parametrize(("dilation", "error"), [(0, ValueError), (-2, ValueError), (1.0, TypeError)])
def test_output_size_names_a_bad_dilation(dilation, error):
    with pytest.raises(error, match="`dilation` must be an integer >= 1"):
        cnnlib.output_size(28, 3, dilation=dilation)
