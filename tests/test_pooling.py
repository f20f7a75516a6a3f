"""cnnlib.pooling against hand calculations, a reference loop and PyTorch."""

import numpy as np
import pytest
from hypothesis import given
from strategies import as_pair, padded_pooling_cases, pooling_cases

import cnnlib


def reference_pool(x, size, stride, reduce):
    """Slow reference: visit every window position with two loops."""
    kh, kw = as_pair(size)
    sh, sw = (kh, kw) if stride is None else as_pair(stride)
    oh, ow = (x.shape[-2] - kh) // sh + 1, (x.shape[-1] - kw) // sw + 1
    out = np.empty(x.shape[:-2] + (oh, ow))
    for i in range(oh):
        for j in range(ow):
            out[..., i, j] = reduce(x[..., i * sh : i * sh + kh, j * sw : j * sw + kw], axis=(-2, -1))
    return out


def test_pooling_by_hand():
    x = np.array([[1, 3, 2, 0], [4, 2, 1, 1], [0, 0, 5, 6], [1, 1, 7, 8]])
    np.testing.assert_array_equal(cnnlib.max_pool2d(x), [[4, 2], [1, 8]])
    np.testing.assert_array_equal(cnnlib.sum_pool2d(x), [[10, 4], [2, 26]])
    np.testing.assert_array_equal(cnnlib.avg_pool2d(x), [[2.5, 1], [0.5, 6.5]])


def test_window_slides_with_overlap_when_stride_is_smaller():
    x = np.array([[1, 9, 1, 1, 1]])
    # windows of 1x3 at stride 1 start at columns 0, 1, 2; all but the last see the 9
    np.testing.assert_array_equal(cnnlib.max_pool2d(x, size=(1, 3), stride=1), [[9, 9, 1]])


def test_edges_that_do_not_fit_are_dropped():
    assert cnnlib.max_pool2d(np.zeros((7, 5))).shape == (3, 2)


@given(pooling_cases())
def test_pooling_matches_reference_loop(case):
    x, size, stride = case
    np.testing.assert_allclose(cnnlib.max_pool2d(x, size, stride), reference_pool(x, size, stride, np.max))
    np.testing.assert_allclose(cnnlib.avg_pool2d(x, size, stride), reference_pool(x, size, stride, np.mean))
    np.testing.assert_allclose(cnnlib.sum_pool2d(x, size, stride), reference_pool(x, size, stride, np.sum))


@given(pooling_cases())
def test_pooling_matches_torch(torch, case):
    x, size, stride = case
    if x.ndim < 3:
        x = x[None]  # torch pools (C, H, W) or (N, C, H, W)
    x = x.reshape((-1,) + x.shape[-3:])
    t = torch.from_numpy(x)
    kwargs = {"kernel_size": as_pair(size), "stride": None if stride is None else as_pair(stride)}
    np.testing.assert_allclose(cnnlib.max_pool2d(x, size, stride), torch.nn.functional.max_pool2d(t, **kwargs))
    np.testing.assert_allclose(
        cnnlib.avg_pool2d(x, size, stride), torch.nn.functional.avg_pool2d(t, **kwargs), atol=1e-12
    )


@pytest.mark.parametrize("pool", [cnnlib.max_pool2d, cnnlib.avg_pool2d, cnnlib.sum_pool2d])
def test_pooling_keeps_leading_axes(pool):
    assert pool(np.zeros((4, 3, 28, 28))).shape == (4, 3, 14, 14)


# ---------------------------------------------------------------- padding


def test_padded_pooling_by_hand():
    x = np.array([[1.0, 2.0], [3.0, 4.0]])
    # a 1-wide border: the four 2 x 2 windows at stride 2 each hold one pixel and three border cells
    np.testing.assert_array_equal(cnnlib.max_pool2d(x, 2, padding=1), [[1, 2], [3, 4]])
    np.testing.assert_array_equal(cnnlib.avg_pool2d(x, 2, padding=1), [[0.25, 0.5], [0.75, 1.0]])
    np.testing.assert_array_equal(cnnlib.sum_pool2d(x, 2, padding=1), [[1, 2], [3, 4]])
    # 3 x 3 windows at stride 1 with padding 1 keep the size: each output is its neighbourhood's max
    np.testing.assert_array_equal(cnnlib.max_pool2d(x, 3, stride=1, padding=1), [[4, 4], [4, 4]])


@given(padded_pooling_cases())
def test_padded_pooling_matches_torch(torch, case):
    x, size, stride, padding = case
    t = torch.from_numpy(x)
    kwargs = {"kernel_size": size, "stride": None if stride is None else as_pair(stride), "padding": padding}
    np.testing.assert_allclose(cnnlib.max_pool2d(x, size, stride, padding), torch.nn.functional.max_pool2d(t, **kwargs))
    np.testing.assert_allclose(
        cnnlib.avg_pool2d(x, size, stride, padding), torch.nn.functional.avg_pool2d(t, **kwargs), atol=1e-12
    )
    np.testing.assert_allclose(
        cnnlib.sum_pool2d(x, size, stride, padding),
        torch.nn.functional.avg_pool2d(t, **kwargs).numpy() * size[0] * size[1],
        atol=1e-9,
    )


@pytest.mark.parametrize("pool", [cnnlib.max_pool2d, cnnlib.avg_pool2d, cnnlib.sum_pool2d])
@pytest.mark.parametrize(
    ("kwargs", "error", "says"),
    [
        ({"size": 2, "padding": 2}, ValueError, r"at most half the window \(size // 2 = 1 along H\), got 2"),
        ({"size": (4, 2), "padding": (1, 2)}, ValueError, "size // 2 = 1 along W"),
        ({"size": 2, "padding": -1}, ValueError, "`padding` must be an integer >= 0, got -1"),
        ({"size": 2, "padding": 0.5}, TypeError, "`padding`"),
    ],
)
def test_bad_pooling_padding_is_named(pool, kwargs, error, says):
    with pytest.raises(error, match=says):
        pool(np.ones((4, 4)), **kwargs)
