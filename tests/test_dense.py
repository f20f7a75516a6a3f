"""cnnlib.dense: flatten order and the fully connected layer, against hand calculations and PyTorch."""

import numpy as np
from hypothesis import given
from hypothesis import strategies as st
from strategies import float_arrays

import cnnlib


def test_flatten_reads_channel_by_channel_row_by_row():
    x = np.arange(2 * 2 * 2 * 3).reshape(2, 2, 2, 3)
    out = cnnlib.flatten(x)
    assert out.shape == (2, 12)
    # sample 1 starts at 12; its first channel is 12..17, the second 18..23
    np.testing.assert_array_equal(out[1], np.arange(12, 24))


def test_dense_by_hand():
    x = np.array([[1.0, 2.0]])
    w = np.array([[1.0, 0.0], [1.0, 1.0], [0.5, -1.0]])  # (K=3, D=2)
    # unit 0: 1*1 + 2*0 = 1; unit 1: 1 + 2 = 3; unit 2: 0.5 - 2 = -1.5; plus bias 10
    np.testing.assert_array_equal(cnnlib.dense(x, w, np.full(3, 10.0)), [[11, 13, 8.5]])
    np.testing.assert_array_equal(cnnlib.dense(x[0], w), [1, 3, -1.5])


@given(st.integers(1, 4), st.integers(1, 6), st.integers(1, 5), st.data())
def test_dense_matches_torch_linear(torch, n, d, k, data):
    x = data.draw(float_arrays((n, d)))
    w = data.draw(float_arrays((k, d)))
    b = data.draw(float_arrays((k,)))
    expected = torch.nn.functional.linear(torch.from_numpy(x), torch.from_numpy(w), torch.from_numpy(b)).numpy()
    np.testing.assert_allclose(cnnlib.dense(x, w, b), expected, atol=1e-9)
