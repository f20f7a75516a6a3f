"""cnnlib.columns: the patch layouts of the training layers against loops over every pixel and tap."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from sharing import shared_among_threads
from strategies import as_pair, dilations, strides

from cnnlib import columns


@st.composite
def layout_cases(draw):
    """(x of shape (N, C, H, W), kernel_shape, stride, dilation) with the dilated kernel inside x."""
    n, c = draw(st.integers(1, 3)), draw(st.integers(1, 5))
    h, w = draw(st.integers(1, 9)), draw(st.integers(1, 9))
    stride, dilation = as_pair(draw(strides())), as_pair(draw(dilations()))
    kh = draw(st.integers(1, (h - 1) // dilation[0] + 1))
    kw = draw(st.integers(1, (w - 1) // dilation[1] + 1))
    x = np.random.default_rng(draw(st.integers(0, 2**16))).standard_normal((n, c, h, w))
    return x, (kh, kw), stride, dilation


def positions(x_shape, kernel_shape, stride, dilation):
    """Every (n, c, i, j, a, b, row, col): output (i, j) of image n reads tap (a, b) of channel c there."""
    n, c, h, w = x_shape
    (kh, kw), (sh, sw), (dh, dw) = kernel_shape, stride, dilation
    oh, ow = (h - dh * (kh - 1) - 1) // sh + 1, (w - dw * (kw - 1) - 1) // sw + 1
    for index in np.ndindex(n, c, oh, ow, kh, kw):
        image, channel, i, j, a, b = index
        yield (*index, i * sh + a * dh, j * sw + b * dw)


def test_output_shape_by_hand():
    assert columns.output_shape((28, 28), (5, 5), (1, 1), (1, 1)) == (24, 24)
    assert columns.output_shape((7, 9), (3, 2), (2, 3), (2, 1)) == (2, 3)  # (7 - 5) // 2 + 1, (9 - 2) // 3 + 1


def test_im2col_of_a_small_image_by_hand():
    x = np.arange(9.0).reshape(1, 1, 3, 3)
    np.testing.assert_array_equal(
        columns.im2col(x, (2, 2)),
        [[0, 1, 3, 4], [1, 2, 4, 5], [3, 4, 6, 7], [4, 5, 7, 8]],  # column p: the patch at output position p
    )
    np.testing.assert_array_equal(columns.im2row(x.transpose(0, 2, 3, 1), (2, 2)), columns.im2col(x, (2, 2)).T)


@pytest.mark.parametrize("shared", [False, True])  # inside sharing_a_second_thread, half the images on a helper
@given(case=layout_cases())
def test_im2col_and_im2row_hold_every_tap_where_the_loop_puts_it(shared, case):
    x, kernel_shape, stride, dilation = case
    n, c, _, _ = x.shape
    kh, kw = kernel_shape
    with shared_among_threads(shared):
        cols = columns.im2col(x, kernel_shape, stride, dilation)
        rows = columns.im2row(np.ascontiguousarray(x.transpose(0, 2, 3, 1)), kernel_shape, stride, dilation)
    oh, ow = columns.output_shape(x.shape[2:], kernel_shape, stride, dilation)
    assert cols.shape == (c * kh * kw, n * oh * ow) and rows.shape == (n * oh * ow, kh * kw * c)
    assert cols.flags.c_contiguous and rows.flags.c_contiguous  # copies, ready for BLAS
    for image, channel, i, j, a, b, row, col in positions(x.shape, kernel_shape, stride, dilation):
        value = x[image, channel, row, col]
        assert cols[(channel * kh + a) * kw + b, (image * oh + i) * ow + j] == value
        assert rows[(image * oh + i) * ow + j, (a * kw + b) * c + channel] == value


@given(layout_cases(), st.integers(0, 2**16))
def test_col2im_adds_every_column_back_onto_its_patch(case, seed):
    x, kernel_shape, stride, dilation = case
    kh, kw = kernel_shape
    cols = np.random.default_rng(seed).standard_normal(columns.im2col(x, kernel_shape, stride, dilation).shape)
    oh, ow = columns.output_shape(x.shape[2:], kernel_shape, stride, dilation)
    expected = np.zeros(x.shape)
    for image, channel, i, j, a, b, row, col in positions(x.shape, kernel_shape, stride, dilation):
        expected[image, channel, row, col] += cols[(channel * kh + a) * kw + b, (image * oh + i) * ow + j]
    np.testing.assert_allclose(columns.col2im(cols, x.shape, kernel_shape, stride, dilation), expected, atol=1e-12)


@given(layout_cases(), st.integers(0, 2**16))
def test_row2im_adds_every_row_back_onto_its_patch(case, seed):
    x, kernel_shape, stride, dilation = case
    n, c, h, w = x.shape
    kh, kw = kernel_shape
    oh, ow = columns.output_shape((h, w), kernel_shape, stride, dilation)
    rows = np.random.default_rng(seed).standard_normal((n * oh * ow, kh * kw * c))
    expected = np.zeros((n, h, w, c))
    for image, channel, i, j, a, b, row, col in positions(x.shape, kernel_shape, stride, dilation):
        expected[image, row, col, channel] += rows[(image * oh + i) * ow + j, (a * kw + b) * c + channel]
    got = columns.row2im(rows, (n, h, w, c), kernel_shape, stride, dilation)
    np.testing.assert_allclose(got, expected, atol=1e-12)
    taps = np.ascontiguousarray(rows.reshape(n * oh * ow, kh * kw, c).transpose(1, 0, 2))  # tap-major
    np.testing.assert_array_equal(columns.tap2im(taps, (n, h, w, c), kernel_shape, stride, dilation), got)


@given(layout_cases(), st.integers(1, 4), st.integers(0, 2**16))
def test_add_tap_products_adds_what_tap2im_of_the_products_adds(case, filters, seed):
    x, kernel_shape, stride, dilation = case
    n, c, h, w = x.shape
    kh, kw = kernel_shape
    oh, ow = columns.output_shape((h, w), kernel_shape, stride, dilation)
    rng = np.random.default_rng(seed)
    g = rng.standard_normal((n * oh * ow, filters))
    taps_filters = rng.standard_normal((kh * kw, filters, c))
    start = rng.standard_normal((n, h, w, c))  # added into, not overwritten
    expected = columns.tap2im(
        np.matmul(g, taps_filters), (n, h, w, c), kernel_shape, stride, dilation, out=start.copy()
    )
    got = columns.add_tap_products(g, taps_filters, start.copy(), kernel_shape, stride, dilation)
    np.testing.assert_array_equal(got, expected)


@given(layout_cases(), st.integers(1, 4), st.data())
def test_add_banded_products_adds_every_gradient_row_times_the_filters_onto_its_patch(case, filters, data):
    x, kernel_shape, stride, dilation = case
    n, c, h, w = x.shape
    kh, kw = kernel_shape
    oh, ow = columns.output_shape((h, w), kernel_shape, stride, dilation)
    block = data.draw(st.sampled_from([d for d in range(1, ow + 1) if ow % d == 0]), label="block")
    rng = np.random.default_rng(data.draw(st.integers(0, 2**16), label="seed"))
    g = rng.standard_normal((n * oh * ow, filters))
    taps_filters = rng.standard_normal((kh * kw, filters, c))
    start = rng.standard_normal((n, h, w, c))  # added into, not overwritten
    expected = start.copy()
    for image, channel, i, j, a, b, row, col in positions(x.shape, kernel_shape, stride, dilation):
        expected[image, row, col, channel] += g[(image * oh + i) * ow + j] @ taps_filters[a * kw + b, :, channel]
    banded = columns.banded_filters(taps_filters, kernel_shape, block, stride, dilation)
    got = columns.add_banded_products(g, banded, start.copy(), kernel_shape, stride, dilation)
    np.testing.assert_allclose(got, expected, rtol=1e-12, atol=1e-12)


def test_banded_filters_by_hand():
    p, q = 2.0, 3.0
    taps = np.array([[[p]], [[q]]])  # a 1 x 2 kernel, F = C = 1, tap-major
    np.testing.assert_array_equal(columns.banded_filters(taps, (1, 2), 2), [[[p, q, 0], [0, p, q]]])
    # stride 2: the block's second position starts two input positions on; dilation 2: its taps are two apart
    strided, dilated = [[[p, q, 0, 0], [0, 0, p, q]]], [[[p, 0, q, 0], [0, p, 0, q]]]
    np.testing.assert_array_equal(columns.banded_filters(taps, (1, 2), 2, stride=(1, 2)), strided)
    np.testing.assert_array_equal(columns.banded_filters(taps, (1, 2), 2, dilation=(1, 2)), dilated)
    two_by_two = np.arange(1.0, 5.0).reshape(4, 1, 1)  # taps (0, 0), (0, 1), (1, 0), (1, 1) = 1, 2, 3, 4
    np.testing.assert_array_equal(columns.banded_filters(two_by_two, (2, 2), 1), [[[1, 2]], [[3, 4]]])
    # F = 2 filters, C = 1: rows (t, f), columns (input position, c)
    pair = np.array([[[1.0], [10.0]], [[2.0], [20.0]]])  # tap b of filter f: (b + 1) * 10**f
    np.testing.assert_array_equal(
        columns.banded_filters(pair, (1, 2), 2), [[[1, 2, 0], [10, 20, 0], [0, 1, 2], [0, 10, 20]]]
    )


def test_add_banded_products_refuses_what_it_cannot_lay_out():
    g, out = np.ones((2 * 3, 1)), np.zeros((2, 1, 4, 1))  # 2 images of 1 x 4, a 1 x 2 kernel: OW = 3
    banded = columns.banded_filters(np.ones((2, 1, 1)), (1, 2), 2)
    with pytest.raises(ValueError, match="output width 3 must be a multiple of the block, 2"):
        columns.add_banded_products(g, banded, out, (1, 2))
    g, out = np.ones((2 * 4, 1)), np.zeros((2, 1, 5, 2))[..., :1]  # OW = 4, but `out` is not contiguous
    with pytest.raises(ValueError, match="`out` must be C-contiguous"):
        columns.add_banded_products(g, banded, out, (1, 2))


@given(layout_cases(), st.integers(0, 2**16))
def test_col2im_and_row2im_are_the_adjoints_of_im2col_and_im2row(case, seed):
    # <im2col(x), y> = <x, col2im(y)>: the identity that makes col2im the backward pass of im2col
    x, kernel_shape, stride, dilation = case
    rng = np.random.default_rng(seed)
    cols = columns.im2col(x, kernel_shape, stride, dilation)
    y = rng.standard_normal(cols.shape)
    back = columns.col2im(y, x.shape, kernel_shape, stride, dilation)
    np.testing.assert_allclose((cols * y).sum(), (x * back).sum(), rtol=1e-10, atol=1e-10)
    last = np.ascontiguousarray(x.transpose(0, 2, 3, 1))
    rows = columns.im2row(last, kernel_shape, stride, dilation)
    y = rng.standard_normal(rows.shape)
    back = columns.row2im(y, last.shape, kernel_shape, stride, dilation)
    np.testing.assert_allclose((rows * y).sum(), (last * back).sum(), rtol=1e-10, atol=1e-10)


def test_float32_stays_float32():
    x = np.ones((2, 3, 6, 6), dtype=np.float32)
    assert columns.im2col(x, (3, 3)).dtype == np.float32
    assert columns.im2row(x.transpose(0, 2, 3, 1), (3, 3)).dtype == np.float32
    assert columns.col2im(columns.im2col(x, (3, 3)), x.shape, (3, 3)).dtype == np.float32
    assert columns.row2im(np.ones((2 * 16, 27), np.float32), (2, 6, 6, 3), (3, 3)).dtype == np.float32


@given(st.integers(0, 2), st.integers(0, 2), st.integers(0, 2), st.integers(0, 2))
def test_pad_channels_last_is_numpy_pad_moved_to_channels_last(top, bottom, left, right):
    x = np.random.default_rng(0).standard_normal((2, 3, 4, 5))
    padded = columns.pad_channels_last(x, ((top, bottom), (left, right)))
    expected = np.pad(x, ((0, 0), (0, 0), (top, bottom), (left, right))).transpose(0, 2, 3, 1)
    np.testing.assert_array_equal(padded, expected)
    assert padded.flags.c_contiguous


def test_pad_channels_last_does_not_copy_channels_last_data():
    stored = np.zeros((2, 4, 5, 3))
    assert np.shares_memory(columns.pad_channels_last(stored.transpose(0, 3, 1, 2), ((0, 0), (0, 0))), stored)
