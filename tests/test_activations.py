"""cnnlib.activations against hand calculations, numpy and PyTorch."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from strategies import float_arrays

import cnnlib

shapes = st.lists(st.integers(1, 5), min_size=1, max_size=4).map(tuple)


def test_relu_by_hand():
    np.testing.assert_array_equal(cnnlib.relu([[-3, 0], [2, -0.5]]), [[0, 0], [2, 0]])
    assert cnnlib.relu(np.array([-1], dtype=np.int8)).dtype == np.float64


@given(shapes.flatmap(float_arrays))
def test_relu_is_max_with_zero(x):
    np.testing.assert_array_equal(cnnlib.relu(x), np.maximum(x, 0))


def test_softmax_by_hand():
    # exp(0) = 1 and exp(ln 3) = 3: probabilities 1/4 and 3/4
    np.testing.assert_allclose(cnnlib.softmax(np.array([0.0, np.log(3.0)])), [0.25, 0.75])


@pytest.mark.parametrize("scale", [1e3, 1e5, 1e300])
def test_softmax_is_stable_for_huge_logits(scale):
    with np.errstate(over="raise", invalid="raise"):  # no overflow, no inf / inf
        p = cnnlib.softmax(np.array([[1.0, 2.0, 2.0], [-1.0, 0.0, -1.0]]) * scale)
    np.testing.assert_allclose(p, [[0, 0.5, 0.5], [0, 1, 0]], atol=1e-12)


@given(shapes.flatmap(float_arrays), st.data())
def test_softmax_rows_are_probabilities_and_shift_invariant(z, data):
    axis = data.draw(st.integers(-z.ndim, z.ndim - 1))
    p = cnnlib.softmax(z, axis=axis)
    assert np.all(p >= 0)
    np.testing.assert_allclose(p.sum(axis=axis), 1.0)
    np.testing.assert_allclose(cnnlib.softmax(z + 7.5, axis=axis), p, atol=1e-12)


@given(shapes.flatmap(float_arrays), st.data())
def test_softmax_matches_torch(torch, z, data):
    axis = data.draw(st.integers(-z.ndim, z.ndim - 1))
    expected = torch.softmax(torch.from_numpy(z), dim=axis).numpy()
    np.testing.assert_allclose(cnnlib.softmax(z, axis=axis), expected, atol=1e-12)
