"""cnnlib.conv against hand calculations, scipy.signal, numpy and PyTorch."""

import threading

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from scipy import signal
from strategies import (
    as_pair,
    batch_filter_cases,
    dilated_batch_filter_cases,
    float_arrays,
    image_kernel_cases,
    strides,
)

import cnnlib
import cnnlib._threads

MODES = ["valid", "same", "full"]


def reference_conv2d(x, w, b, stride, padding):
    """Slow reference: per image, per filter, sum over channels of scipy's correlate2d."""
    sh, sw = as_pair(stride)
    ph, pw = as_pair(padding)
    xp = np.pad(x, ((0, 0), (0, 0), (ph, ph), (pw, pw)))
    n, f = x.shape[0], w.shape[0]
    maps = [
        [sum(signal.correlate2d(xp[i, c], w[j, c], mode="valid") for c in range(x.shape[1])) for j in range(f)]
        for i in range(n)
    ]
    out = np.array(maps)[:, :, ::sh, ::sw]
    return out if b is None else out + np.asarray(b)[:, None, None]


# --- worked by hand ---------------------------------------------------------


def test_naive_worked_example():
    image = np.arange(16).reshape(4, 4)
    # top-left 3x3 patch of 0..15: 0+1+2 + 4+5+6 + 8+9+10 = 45; each step right adds 3*3 = 9,
    # each step down adds 3*12 = 36
    expected = np.array([[45, 54], [81, 90]])
    np.testing.assert_array_equal(cnnlib.correlate2d_naive(image, np.ones((3, 3))), expected)


def test_correlation_does_not_flip_but_convolution_does():
    image = np.zeros((3, 3))
    image[1, 1] = 1  # an impulse in the centre
    kernel = np.arange(1, 10).reshape(3, 3)
    # correlating an impulse reads the kernel backwards; convolving it copies the kernel
    np.testing.assert_array_equal(cnnlib.correlate2d(image, kernel, padding="same"), kernel[::-1, ::-1])
    np.testing.assert_array_equal(cnnlib.convolve2d(image, kernel, padding="same"), kernel)


def test_stride_and_padding_by_hand():
    image = np.arange(1, 10).reshape(3, 3)  # 1..9
    kernel = np.ones((2, 2))
    # padding 1 gives a 5x5 image; stride 2 visits rows/cols 0 and 2 of the padded image:
    # corners see one pixel each (1, 3, 7, 9)
    np.testing.assert_array_equal(cnnlib.correlate2d(image, kernel, stride=2, padding=1), [[1, 5], [11, 28]])


def test_uint8_pixels_are_promoted_before_arithmetic():
    image = np.full((2, 2), 250, dtype=np.uint8)
    out = cnnlib.correlate2d(image, np.ones((1, 2), dtype=np.uint8))
    assert out.dtype == np.float64
    np.testing.assert_array_equal(out, [[500.0], [500.0]])  # uint8 would wrap to 244
    assert cnnlib.conv2d(image[None, None], np.ones((1, 1, 2, 2), dtype=np.uint8))[0, 0, 0, 0] == 1000.0


def test_convolve1d_worked_example():
    # (f*g)[n] = sum_k f[k] g[n-k] with f = [1, 2, 3], g = [0, 1, 0.5]
    # n=0: 0; n=1: 1*1 = 1; n=2: 1*.5 + 2*1 = 2.5; n=3: 2*.5 + 3*1 = 4; n=4: 3*.5 = 1.5
    np.testing.assert_allclose(cnnlib.convolve1d([1, 2, 3], [0, 1, 0.5]), [0, 1, 2.5, 4, 1.5])


# --- against scipy / numpy --------------------------------------------------


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("kernel_shape", [(1, 1), (2, 2), (3, 3), (2, 5), (4, 3), (7, 6)])
def test_correlate2d_and_convolve2d_match_scipy_in_every_mode(mode, kernel_shape):
    rng = np.random.default_rng(0)
    image, kernel = rng.standard_normal((7, 6)), rng.standard_normal(kernel_shape)
    if mode == "valid" and (kernel_shape[0] > 7 or kernel_shape[1] > 6):
        pytest.skip("kernel larger than image has no 'valid' output")
    np.testing.assert_allclose(cnnlib.correlate2d(image, kernel, padding=mode), signal.correlate2d(image, kernel, mode))
    np.testing.assert_allclose(cnnlib.convolve2d(image, kernel, padding=mode), signal.convolve2d(image, kernel, mode))


def test_fast_paths_for_large_images_match_scipy():
    rng = np.random.default_rng(1)
    image = rng.integers(0, 256, size=(128, 96), dtype=np.uint8)
    kernel = rng.standard_normal((5, 5))
    expected = signal.correlate2d(image.astype(float), kernel, "valid")
    np.testing.assert_allclose(cnnlib.correlate2d(image, kernel), expected)
    np.testing.assert_allclose(cnnlib.correlate2d_naive(image, kernel), expected)


@given(image_kernel_cases())
def test_correlate2d_matches_scipy(case):
    image, kernel, padding = case
    if isinstance(padding, str):
        expected = signal.correlate2d(image, kernel, padding)
    else:
        ph, pw = as_pair(padding)
        expected = signal.correlate2d(np.pad(image, ((ph, ph), (pw, pw))), kernel, "valid")
    np.testing.assert_allclose(cnnlib.correlate2d(image, kernel, padding=padding), expected, atol=1e-9)


@given(image_kernel_cases(), strides())
def test_strided_correlation_keeps_every_stride_th_output(case, stride):
    image, kernel, padding = case
    sh, sw = as_pair(stride)
    full_stride = cnnlib.correlate2d(image, kernel, padding=padding)
    strided = cnnlib.correlate2d(image, kernel, stride=stride, padding=padding)
    np.testing.assert_allclose(strided, full_stride[::sh, ::sw], atol=1e-9)


@given(image_kernel_cases())
def test_convolve2d_matches_scipy(case):
    image, kernel, padding = case
    if isinstance(padding, str):
        expected = signal.convolve2d(image, kernel, padding)
    else:
        ph, pw = as_pair(padding)
        expected = signal.convolve2d(np.pad(image, ((ph, ph), (pw, pw))), kernel, "valid")
    np.testing.assert_allclose(cnnlib.convolve2d(image, kernel, padding=padding), expected, atol=1e-9)


@given(image_kernel_cases())
def test_naive_loop_matches_scipy_valid(case):
    image, kernel, _ = case
    if kernel.shape[0] > image.shape[0] or kernel.shape[1] > image.shape[1]:
        return
    np.testing.assert_allclose(
        cnnlib.correlate2d_naive(image, kernel), signal.correlate2d(image, kernel, "valid"), atol=1e-9
    )


@given(
    st.integers(1, 12).flatmap(float_arrays),
    st.integers(1, 12).flatmap(float_arrays),
    st.sampled_from(["full", "same", "valid"]),
)
def test_convolve1d_matches_numpy(f, g, mode):
    f, g = np.ravel(f), np.ravel(g)
    np.testing.assert_allclose(cnnlib.convolve1d(f, g, mode), np.convolve(f, g, mode), atol=1e-9)


# --- the NCHW layer -----------------------------------------------------------


@given(batch_filter_cases())
def test_conv2d_matches_channel_sum_of_scipy(case):
    x, w, b, stride, padding = case
    out = cnnlib.conv2d(x, w, b, stride=stride, padding=padding)
    np.testing.assert_allclose(out, reference_conv2d(x, w, b, stride, padding), atol=1e-8)


@given(batch_filter_cases())
def test_conv2d_matches_torch(torch, case):
    x, w, b, stride, padding = case
    expected = torch.nn.functional.conv2d(
        torch.from_numpy(x),
        torch.from_numpy(w),
        None if b is None else torch.from_numpy(b),
        stride=as_pair(stride),
        padding=as_pair(padding),
    ).numpy()
    np.testing.assert_allclose(cnnlib.conv2d(x, w, b, stride=stride, padding=padding), expected, atol=1e-8)


def test_conv2d_output_shape_and_same_padding():
    x = np.zeros((2, 3, 28, 28))
    assert cnnlib.conv2d(x, np.zeros((8, 3, 5, 5)), padding="same").shape == (2, 8, 28, 28)
    assert cnnlib.conv2d(x, np.zeros((8, 3, 5, 5)), stride=(2, 1)).shape == (2, 8, 12, 24)


def test_im2col_columns_are_the_patches():
    x = np.arange(2 * 2 * 4 * 4, dtype=float).reshape(2, 2, 4, 4)
    cols = cnnlib.im2col(x, (3, 3))
    assert cols.shape == (2, 2 * 3 * 3, 4)
    # output position (1, 0) of image 1 is column 1*OW + 0 = 2; its patch covers rows 1-3, cols 0-2
    np.testing.assert_array_equal(cols[1, :, 2], x[1, :, 1:4, 0:3].ravel())
    w = np.random.default_rng(3).standard_normal((5, 2, 3, 3))
    np.testing.assert_allclose((w.reshape(5, -1) @ cols).reshape(2, 5, 2, 2), cnnlib.conv2d(x, w))


# ---------------------------------------------------------------- dilation


def test_dilation_by_hand():
    # A 2 x 2 kernel with dilation 2 reads the corners of each 3 x 3 patch.
    image = np.arange(16.0).reshape(4, 4)
    corners = image[:-2, :-2] + image[:-2, 2:] + image[2:, :-2] + image[2:, 2:]  # [[20, 24], [36, 40]]
    np.testing.assert_array_equal(cnnlib.correlate2d(image, np.ones((2, 2)), dilation=2), [[20, 24], [36, 40]])
    np.testing.assert_array_equal(cnnlib.correlate2d(image, np.ones((2, 2)), dilation=2), corners)
    # dilation (1, 3) on a 1 x 2 kernel: columns 0 and 3 of each row
    np.testing.assert_array_equal(
        cnnlib.correlate2d(image, np.array([[1.0, -1.0]]), dilation=(1, 3)), image[:, :1] - image[:, 3:]
    )


@given(dilated_batch_filter_cases(), st.sampled_from([None, "same", "full", "valid"]))
def test_dilated_correlation_is_correlation_with_a_kernel_spread_out_by_zeros(case, mode):
    x, w, _, stride, padding, dilation = case
    image, kernel = x[0, 0], w[0, 0]
    padding = padding if mode is None else mode
    (dh, dw) = as_pair(dilation)
    spread = np.zeros(((kernel.shape[0] - 1) * dh + 1, (kernel.shape[1] - 1) * dw + 1))
    spread[::dh, ::dw] = kernel
    if mode == "valid" and (spread.shape[0] > image.shape[0] or spread.shape[1] > image.shape[1]):
        with pytest.raises(ValueError, match="is larger than the padded image"):
            cnnlib.correlate2d(image, kernel, padding=padding, dilation=dilation)
        return
    got = cnnlib.correlate2d(image, kernel, stride=stride, padding=padding, dilation=dilation)
    np.testing.assert_allclose(
        got, cnnlib.correlate2d(image, spread, stride=stride, padding=padding), rtol=1e-12, atol=1e-9
    )
    if mode is None:  # symmetric padding: convolving with the flipped kernel is the same correlation
        flipped = cnnlib.convolve2d(image, kernel[::-1, ::-1], stride=stride, padding=padding, dilation=dilation)
        np.testing.assert_allclose(flipped, got, rtol=1e-12, atol=1e-9)


def torch_conv2d(torch, x, w, b, stride, padding, dilation):
    """PyTorch's conv2d of numpy arrays (``b`` may be None), as a numpy array."""
    bias = None if b is None else torch.from_numpy(b)
    return torch.nn.functional.conv2d(
        torch.from_numpy(x), torch.from_numpy(w), bias, stride=stride, padding=padding, dilation=dilation
    ).numpy()


@given(dilated_batch_filter_cases())
def test_dilated_conv2d_matches_torch(torch, case):
    x, w, b, stride, padding, dilation = case
    expected = torch_conv2d(torch, x, w, b, stride, padding, dilation)
    got = cnnlib.conv2d(x, w, b, stride=stride, padding=padding, dilation=dilation)
    assert got.shape == expected.shape
    np.testing.assert_allclose(got, expected, rtol=1e-9, atol=1e-8)


@pytest.mark.parametrize("chunk_bytes", [1, 600])  # one image per chunk; a few images, the last chunk shorter
@pytest.mark.parametrize("threads", [1, 2, 3])  # the images shared among as many threads (cores)
@pytest.mark.parametrize("whole_rows", [False, True])  # columns read along whole input rows (stride 1) or not
@given(case=dilated_batch_filter_cases())
def test_conv2d_in_chunks_of_images_on_several_threads_matches_torch(torch, chunk_bytes, threads, whole_rows, case):
    # conv2d lays out the columns of a few images at a time and shares the images among the cores:
    # neither the chunks nor the threads may change a number, even with fewer images than threads
    x, w, b, stride, padding, dilation = case
    x = np.concatenate([x, x[::-1] * 0.5, x])  # 3 to 6 images
    expected = torch_conv2d(torch, x, w, b, stride, padding, dilation)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(cnnlib.conv, "_WHOLE_ROWS_BELOW_WIDTH", 10**9 if whole_rows else 0)
        patch.setattr(cnnlib.conv, "_WHOLE_ROWS_MAX_TAPS", 10**9 if whole_rows else 0)
        patch.setattr(cnnlib.conv, "_COLUMN_CHUNK_BYTES", chunk_bytes)
        patch.setattr(cnnlib.conv, "_SPLIT_MIN_PRODUCTS", 0)
        patch.setattr(cnnlib._threads, "cores", lambda: threads)
        got = cnnlib.conv2d(x, w, b, stride=stride, padding=padding, dilation=dilation)
        two_images = cnnlib.conv2d(x[:2], w, b, stride=stride, padding=padding, dilation=dilation)
    np.testing.assert_allclose(got, expected, rtol=1e-9, atol=1e-8)
    np.testing.assert_allclose(two_images, expected[:2], rtol=1e-9, atol=1e-8)


def test_each_thread_of_conv2d_lays_out_its_columns_in_a_buffer_of_its_own():
    # the threads reuse their buffer from chunk to chunk: one buffer shared by two threads would mix their columns
    users = {}  # the address of each buffer handed out -> the threads it was handed to
    reuse = cnnlib.conv.columns.reuse

    def recording_reuse(buffer, shape, dtype):
        cols = reuse(buffer, shape, dtype)
        memory = cols if cols.base is None else cols.base
        users.setdefault(memory.__array_interface__["data"][0], set()).add(threading.get_ident())
        return cols

    rng = np.random.default_rng(0)
    x, w = rng.standard_normal((16, 4, 12, 12)), rng.standard_normal((4, 4, 3, 3))
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(cnnlib.conv.columns, "reuse", recording_reuse)
        patch.setattr(cnnlib.conv, "_SPLIT_MIN_PRODUCTS", 0)
        patch.setattr(cnnlib.conv, "_COLUMN_CHUNK_BYTES", 1)  # one image per chunk: each buffer reused 8 times
        patch.setattr(cnnlib._threads, "cores", lambda: 2)
        for _ in range(3):
            cnnlib.conv2d(x, w)
    assert len({thread for threads in users.values() for thread in threads}) == 2
    assert all(len(threads) == 1 for threads in users.values()), users


@pytest.mark.parametrize("dilation", [1, 2])
def test_conv2d_of_a_strided_view_or_float32_is_conv2d_of_a_plain_copy(dilation):
    # the whole-row layout reads the input's memory directly: views and other dtypes must come out the same
    rng = np.random.default_rng(dilation)
    big = rng.standard_normal((3, 2, 20, 24))
    w = rng.standard_normal((4, 2, 3, 3))
    for x in (big[:, :, ::2, 1::2], big.transpose(0, 1, 3, 2)[:, :, :12, :10], big[::-1, ::-1, :9, :11]):
        np.testing.assert_array_equal(
            cnnlib.conv2d(x, w, dilation=dilation), cnnlib.conv2d(x.copy(), w, dilation=dilation)
        )
    x32 = big[:, :, :11, :11].astype(np.float32)
    np.testing.assert_array_equal(cnnlib.conv2d(x32, w), cnnlib.conv2d(x32.astype(np.float64), w))


@pytest.mark.parametrize("size, padding", [(28, 1), (28, 0), (12, 0)])
def test_conv2d_of_finite_numbers_raises_no_floating_point_error_whatever_its_buffer_held(size, padding):
    # the whole-row layout computes positions past each image's end and drops them: the columns it
    # reads there must not be what an earlier call left in the reused buffer (here infinities)
    rng = np.random.default_rng(size)
    w = rng.standard_normal((8, 4, 3, 3))
    with np.errstate(all="ignore"):
        cnnlib.conv2d(np.full((64, 4, 60, 60), np.inf), w, stride=2)  # every column of this thread's buffer: inf
    x = rng.standard_normal((64, 4, size, size))
    with np.errstate(all="raise"):
        got = cnnlib.conv2d(x, w, padding=padding)
    np.testing.assert_allclose(got[3, 5], cnnlib.conv2d(x[3:4], w[5:6], padding=padding)[0, 0], rtol=1e-12)


@pytest.mark.parametrize("one_chunk", [False, True])
@pytest.mark.parametrize(
    "x_shape, w_shape",
    [((14, 1, 27, 27), (8, 1, 5, 5)), ((9, 4, 14, 14), (8, 4, 3, 3)), ((7, 16, 12, 12), (8, 16, 3, 3))],
)
def test_conv2d_gives_the_same_numbers_on_any_number_of_cores(x_shape, w_shape, one_chunk):
    # The chunks of images are set by the layer, not by how many threads share them: OpenBLAS computes a
    # small product (here 2 of the first layer's 27 x 27 images) with another kernel that rounds differently
    # from a large one (all 14), and a notebook's printed numbers must not depend on the machine.
    rng = np.random.default_rng(0)
    x, w = rng.standard_normal(x_shape), rng.standard_normal(w_shape)
    results = []
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(cnnlib.conv, "_SPLIT_MIN_PRODUCTS", 0)
        if one_chunk:  # the whole batch one product, however many threads
            patch.setattr(cnnlib.conv, "_SHARED_CHUNKS", 1)
            patch.setattr(cnnlib.conv, "_FEW_TAPS_CHUNK_BYTES", 1 << 30)
            patch.setattr(cnnlib.conv, "_COLUMN_CHUNK_BYTES", 1 << 30)
        for cores in (1, 2, 3, 4, 7):
            patch.setattr(cnnlib._threads, "cores", lambda cores=cores: cores)
            results.append(cnnlib.conv2d(x, w))
    for shared in results[1:]:
        np.testing.assert_array_equal(shared, results[0])
    np.testing.assert_allclose(results[0], cnnlib.conv2d(x, w), rtol=1e-12, atol=1e-12)


@given(dilated_batch_filter_cases())
def test_dilated_conv2d_is_the_channel_sum_of_dilated_correlations(case):
    x, w, b, stride, padding, dilation = case
    got = cnnlib.conv2d(x, w, b, stride=stride, padding=padding, dilation=dilation)
    for n in range(x.shape[0]):
        for f in range(w.shape[0]):
            expected = sum(
                cnnlib.correlate2d(x[n, c], w[f, c], stride=stride, padding=padding, dilation=dilation)
                for c in range(x.shape[1])
            ) + (0 if b is None else b[f])
            np.testing.assert_allclose(got[n, f], expected, rtol=1e-9, atol=1e-8)


def test_same_padding_keeps_the_size_for_a_dilated_kernel():
    assert cnnlib.correlate2d(np.ones((9, 9)), np.ones((3, 3)), padding="same", dilation=3).shape == (9, 9)
    assert cnnlib.conv2d(np.ones((1, 1, 9, 9)), np.ones((1, 1, 3, 3)), padding="same", dilation=2).shape == (1, 1, 9, 9)


@pytest.mark.parametrize(
    ("call", "error", "says"),
    [
        (
            lambda: cnnlib.correlate2d(np.ones((5, 5)), np.ones((3, 3)), dilation=0),
            ValueError,
            "`dilation` must be an integer >= 1, got 0",
        ),
        (
            lambda: cnnlib.conv2d(np.ones((1, 1, 5, 5)), np.ones((1, 1, 3, 3)), dilation=-1),
            ValueError,
            "`dilation` must be an integer >= 1",
        ),
        (lambda: cnnlib.conv2d(np.ones((1, 1, 5, 5)), np.ones((1, 1, 3, 3)), dilation=1.5), TypeError, "`dilation`"),
        (
            lambda: cnnlib.correlate2d(np.ones((4, 4)), np.ones((3, 3)), dilation=2),
            ValueError,
            r"`kernel` of shape \(3, 3\) with dilation \(2, 2\) spans \(5, 5\) is larger than the padded "
            r"image \(4, 4\)",
        ),
        (
            lambda: cnnlib.conv2d(np.ones((1, 1, 4, 4)), np.ones((1, 1, 3, 3)), dilation=(1, 2)),
            ValueError,
            r"spans \(3, 5\) is larger than the padded input \(4, 4\)",
        ),
        (lambda: cnnlib.im2col(np.ones((1, 1, 4, 4)), (3, 3), dilation=2), ValueError, r"spans \(5, 5\)"),
    ],
)
def test_bad_dilations_are_named(call, error, says):
    with pytest.raises(error, match=says):
        call()


def test_im2col_with_dilation_lays_out_the_spread_patches():
    x = np.arange(25.0).reshape(1, 1, 5, 5)
    cols = cnnlib.im2col(x, (2, 2), dilation=2)  # (1, 4, 9): patches at rows/cols 0-2, taps 2 apart
    np.testing.assert_array_equal(cols[0, :, 0], [0, 2, 10, 12])
    np.testing.assert_array_equal(cols[0, :, 8], [12, 14, 22, 24])
