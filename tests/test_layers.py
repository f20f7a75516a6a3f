"""cnnlib.layers: forward agrees with the functional core, backward with
central differences (always) and torch.autograd (where installed), bad input is named."""

import numpy as np
import pytest
from gradient_check import numerical_gradient
from hypothesis import given
from hypothesis import strategies as st
from sharing import shared_among_threads
from strategies import as_pair, dilated_batch_filter_cases, int_paddings, padded_pooling_cases, strides

import cnnlib
from cnnlib.layers import AvgPool2D, Conv2D, Dense, Flatten, MaxPool2D, ReLU, _banded_block, sharing_a_second_thread
from cnnlib.losses import SoftmaxCrossEntropy


def check_layer_gradients(layer, x, rng):
    """Compare backward with central differences of L = sum(forward(x) * G) for a random G."""
    out = layer.forward(x)
    upstream = rng.standard_normal(out.shape)
    grad_x = layer.backward(upstream)

    def loss():
        return float((layer.forward(x) * upstream).sum())

    np.testing.assert_allclose(grad_x, numerical_gradient(loss, x), rtol=1e-5, atol=1e-6)
    for key, value in layer.params.items():
        np.testing.assert_allclose(layer.grads[key], numerical_gradient(loss, value), rtol=1e-5, atol=1e-6)


@st.composite
def conv_cases(draw):
    n, c, f = draw(st.integers(1, 2)), draw(st.integers(1, 3)), draw(st.integers(1, 3))
    h, w = draw(st.integers(1, 6)), draw(st.integers(1, 6))
    padding = draw(int_paddings())
    ph, pw = as_pair(padding)
    kh, kw = draw(st.integers(1, h + 2 * ph)), draw(st.integers(1, w + 2 * pw))
    return (n, c, h, w), (f, c, kh, kw), draw(strides()), padding, draw(st.integers(0, 2**16))


def make_conv(w_shape, stride, padding, seed):
    f, c, kh, kw = w_shape
    layer = Conv2D(c, f, (kh, kw), stride=stride, padding=padding, rng=np.random.default_rng(seed))
    layer.params["b"] = np.random.default_rng(seed + 1).standard_normal(f)
    return layer


@given(conv_cases())
def test_conv2d_layer_forward_is_the_functional_conv2d(case):
    x_shape, w_shape, stride, padding, seed = case
    layer = make_conv(w_shape, stride, padding, seed)
    x = np.random.default_rng(seed).standard_normal(x_shape)
    expected = cnnlib.conv2d(x, layer.params["w"], layer.params["b"], stride=stride, padding=padding)
    np.testing.assert_allclose(layer.forward(x), expected, atol=1e-12)


@given(conv_cases())
def test_conv2d_backward_matches_central_differences(case):
    x_shape, w_shape, stride, padding, seed = case
    rng = np.random.default_rng(seed)
    check_layer_gradients(make_conv(w_shape, stride, padding, seed), rng.standard_normal(x_shape), rng)


@given(conv_cases())
def test_conv2d_backward_matches_torch_autograd(torch, case):
    x_shape, w_shape, stride, padding, seed = case
    rng = np.random.default_rng(seed)
    layer = make_conv(w_shape, stride, padding, seed)
    assert_conv_matches_torch_autograd(torch, layer, rng.standard_normal(x_shape), rng, stride, padding)


def assert_conv_matches_torch_autograd(torch, layer, x, rng, stride, padding, dilation=1):
    """Forward and every gradient of a Conv2D equal torch's conv2d and autograd for a random upstream gradient."""
    out = layer.forward(x)
    upstream = rng.standard_normal(out.shape)
    grad_x = layer.backward(upstream)
    xt = torch.tensor(x, requires_grad=True)
    wt = torch.tensor(layer.params["w"], requires_grad=True)
    bt = torch.tensor(layer.params["b"], requires_grad=True)
    yt = torch.nn.functional.conv2d(
        xt, wt, bt, stride=as_pair(stride), padding=as_pair(padding), dilation=as_pair(dilation)
    )
    yt.backward(torch.tensor(upstream))
    np.testing.assert_allclose(out, yt.detach().numpy(), atol=1e-10)
    np.testing.assert_allclose(grad_x, xt.grad.numpy(), atol=1e-10)
    np.testing.assert_allclose(layer.grads["w"], wt.grad.numpy(), atol=1e-10)
    np.testing.assert_allclose(layer.grads["b"], bt.grad.numpy(), atol=1e-10)


def test_conv_gradients_are_a_correlation_and_a_full_convolution():
    # the identities notebook 08 shows, for one image, one channel, one filter, stride 1
    rng = np.random.default_rng(5)
    x, g = rng.standard_normal((1, 1, 6, 5)), rng.standard_normal((1, 1, 4, 3))
    layer = Conv2D(1, 1, 3, rng=rng)
    layer.forward(x)
    grad_x = layer.backward(g)
    np.testing.assert_allclose(layer.grads["w"][0, 0], cnnlib.correlate2d(x[0, 0], g[0, 0]), atol=1e-12)
    np.testing.assert_allclose(grad_x[0, 0], cnnlib.convolve2d(g[0, 0], layer.params["w"][0, 0], padding="full"))


@st.composite
def pool_cases(draw):
    n, c = draw(st.integers(1, 2)), draw(st.integers(1, 2))
    h, w = draw(st.integers(1, 7)), draw(st.integers(1, 7))
    size = (draw(st.integers(1, h)), draw(st.integers(1, w)))
    stride = draw(st.one_of(st.none(), strides()))
    return (n, c, h, w), size, stride, draw(st.integers(0, 2**16))


@pytest.mark.parametrize("pool_class", [MaxPool2D, AvgPool2D])
@given(case=pool_cases())
def test_pooling_layers_backward_matches_central_differences(pool_class, case):
    x_shape, size, stride, seed = case
    rng = np.random.default_rng(seed)
    layer = pool_class(size, stride)
    x = rng.permutation(np.prod(x_shape)).reshape(x_shape) * 0.1  # distinct values: no ties for max
    np.testing.assert_allclose(
        layer.forward(x), (cnnlib.max_pool2d if pool_class is MaxPool2D else cnnlib.avg_pool2d)(x, size, stride)
    )
    check_layer_gradients(layer, x.astype(float), rng)


@pytest.mark.parametrize(("size", "stride"), [(2, None), (3, 1), (2, 3)])  # windows that tile the map, and not
def test_max_pooling_backward_sends_a_plain_zero_to_the_inputs_that_lost(size, stride):
    # a negative upstream gradient times "lost" must not come out as -0.0, which prints as "-0." (notebook 08)
    x = np.arange(36.0).reshape(1, 1, 6, 6)
    layer = MaxPool2D(size, stride)
    out = layer.forward(x)
    dx = layer.backward(-np.ones_like(out))
    lost = dx == 0
    assert lost.any() and (dx[~lost] < 0).all()
    assert not np.signbit(dx[lost]).any()


@pytest.mark.parametrize("pool_class", [MaxPool2D, AvgPool2D])
# inside sharing_a_second_thread (as in fit: max pooling shares its images with a second thread) and outside;
# the input stored channels first, or channels last as a Conv2D leaves it
@pytest.mark.parametrize(("shared", "channels_last"), [(False, False), (True, False), (True, True)])
@given(case=pool_cases())
def test_pooling_layers_backward_matches_torch(torch, pool_class, shared, channels_last, case):
    x_shape, size, stride, seed = case
    rng = np.random.default_rng(seed)
    x = np.round(rng.standard_normal(x_shape), 1)  # ties happen: the gradient goes to the first max, as in torch
    layer = pool_class(size, stride)
    stored = np.ascontiguousarray(x.transpose(0, 2, 3, 1)).transpose(0, 3, 1, 2) if channels_last else x
    with shared_among_threads(shared):
        out = layer.forward(stored)
        upstream = rng.standard_normal(out.shape)
        grad = layer.backward(upstream)
    xt = torch.tensor(x, requires_grad=True)
    function = torch.nn.functional.max_pool2d if pool_class is MaxPool2D else torch.nn.functional.avg_pool2d
    expected = function(xt, size, None if stride is None else as_pair(stride))
    expected.backward(torch.tensor(upstream))
    np.testing.assert_allclose(out, expected.detach().numpy(), atol=1e-12)
    np.testing.assert_allclose(grad, xt.grad.numpy(), atol=1e-12)


def test_max_pool_routes_the_gradient_to_the_largest_input():
    layer = MaxPool2D(2)
    layer.forward(np.array([[[[1.0, 5.0], [3.0, 2.0]]]]))
    np.testing.assert_array_equal(layer.backward(np.array([[[[7.0]]]])), [[[[0, 7], [0, 0]]]])


def test_relu_gates_the_gradient():
    layer = ReLU()
    layer.forward(np.array([[-1.0, 0.0, 2.0]]))
    np.testing.assert_array_equal(layer.backward(np.array([[5.0, 5.0, 5.0]])), [[0, 0, 5]])


@given(st.integers(1, 3), st.integers(1, 5), st.integers(1, 4), st.integers(0, 2**16))
def test_dense_relu_flatten_backward_match_central_differences(n, d, k, seed):
    rng = np.random.default_rng(seed)
    check_layer_gradients(Dense(d, k, rng=rng), rng.standard_normal((n, d)), rng)
    check_layer_gradients(ReLU(), rng.standard_normal((n, d)) + 0.01, rng)  # away from the kink at 0
    check_layer_gradients(Flatten(), rng.standard_normal((n, 2, d, 1)), rng)


def test_float32_layers_stay_float32():
    layer = Conv2D(1, 2, 3, dtype=np.float32)
    out = layer.forward(np.ones((1, 1, 5, 5)))
    assert out.dtype == np.float32 and layer.backward(np.ones_like(out)).dtype == np.float32
    assert layer.grads["w"].dtype == np.float32


BAD_INPUTS = [
    ("conv wrong ndim", lambda: Conv2D(1, 2, 3).forward(np.ones((5, 5))), ValueError, "`x`"),
    ("conv channels", lambda: Conv2D(3, 2, 3).forward(np.ones((1, 1, 5, 5))), ValueError, "C=3"),
    ("conv too small", lambda: Conv2D(1, 2, 5).forward(np.ones((1, 1, 3, 3))), ValueError, "`kernel_size`"),
    ("nan input", lambda: Conv2D(1, 2, 3).forward(np.full((1, 1, 5, 5), np.nan)), ValueError, "NaN"),
    ("inf input", lambda: Dense(2, 2).forward(np.array([[1.0, np.inf]])), ValueError, "NaN or infinity"),
    ("dense features", lambda: Dense(4, 2).forward(np.ones((3, 5))), ValueError, "D=4"),
    ("backward first", lambda: Conv2D(1, 2, 3).backward(np.ones((1, 2, 3, 3))), RuntimeError, "before forward"),
    ("pool backward first", lambda: MaxPool2D().backward(np.ones((1, 1, 1, 1))), RuntimeError, "before forward"),
    ("loss backward first", lambda: SoftmaxCrossEntropy().backward(), RuntimeError, "before forward"),
    ("labels range", lambda: SoftmaxCrossEntropy().forward(np.ones((2, 3)), np.array([0, 3])), ValueError, "0 to 2"),
    ("labels length", lambda: SoftmaxCrossEntropy().forward(np.ones((2, 3)), np.array([0])), ValueError, "(2,)"),
    ("labels float", lambda: SoftmaxCrossEntropy().forward(np.ones((2, 3)), np.array([0.5, 1])), TypeError, "integer"),
    ("dtype", lambda: ReLU(dtype=np.int32), TypeError, "float32 or float64"),
    ("stride 0", lambda: Conv2D(1, 1, 3, stride=0), ValueError, "`stride`"),
]


@pytest.mark.parametrize(("call", "exception", "says"), [c[1:] for c in BAD_INPUTS], ids=[c[0] for c in BAD_INPUTS])
def test_bad_input_gets_a_clear_error(call, exception, says):
    with pytest.raises(exception) as info:
        call()
    assert says in str(info.value)


def test_backward_with_a_wrong_gradient_shape_is_named():
    layer = Dense(3, 2)
    layer.forward(np.ones((4, 3)))
    with pytest.raises(ValueError, match=r"`grad_out` must have the shape of Dense's output \(4, 2\)"):
        layer.backward(np.ones((4, 3)))


@given(dilated_batch_filter_cases(), st.integers(0, 2**16))
def test_dilated_conv2d_layer_matches_torch_autograd_and_central_differences(torch, case, seed):
    x, w, _, stride, padding, dilation = case
    f, c, kh, kw = w.shape
    layer = Conv2D(c, f, (kh, kw), stride=stride, padding=padding, dilation=dilation)
    rng = np.random.default_rng(seed)
    layer.params["w"], layer.params["b"] = w / 50, rng.standard_normal(f)
    x = x / 50
    assert_conv_matches_torch_autograd(torch, layer, x, rng, stride, padding, dilation)
    check_layer_gradients(layer, x, rng)


@st.composite
def padded_pool_layer_cases(draw):
    x, size, stride, padding = draw(padded_pooling_cases())
    return x, size, stride, padding, draw(st.integers(0, 2**16))


@pytest.mark.parametrize("pool_class", [MaxPool2D, AvgPool2D])
@given(case=padded_pool_layer_cases())
def test_padded_pooling_layers_match_torch_forward_and_backward(torch, pool_class, case):
    x, size, stride, padding, seed = case
    rng = np.random.default_rng(seed)
    x = np.round(x, 1)  # ties happen: the gradient goes to the first max, as in torch
    layer = pool_class(size, stride, padding)
    out = layer.forward(x)
    upstream = rng.standard_normal(out.shape)
    xt = torch.tensor(x, requires_grad=True)
    function = torch.nn.functional.max_pool2d if pool_class is MaxPool2D else torch.nn.functional.avg_pool2d
    yt = function(xt, size, None if stride is None else as_pair(stride), padding)
    yt.backward(torch.tensor(upstream))
    np.testing.assert_allclose(out, yt.detach().numpy(), atol=1e-12)
    np.testing.assert_allclose(layer.backward(upstream), xt.grad.numpy(), atol=1e-12)


def test_padded_max_pool_layer_never_picks_the_border():
    layer = MaxPool2D(2, padding=1)
    x = -np.arange(1.0, 5.0).reshape(1, 1, 2, 2)  # all negative: a zero border would win
    np.testing.assert_array_equal(layer.forward(x)[0, 0], x[0, 0])
    np.testing.assert_array_equal(layer.backward(np.ones((1, 1, 2, 2))), np.ones((1, 1, 2, 2)))


# --- the fast paths of the training layers: both patch layouts, float32, memory layouts, skipped dL/dx ----


@st.composite
def many_channel_conv_cases(draw):
    """Like conv_cases, with C >= 4 (Conv2D lays its patches out as rows from there on) and a dilation."""
    n, c, f = draw(st.integers(1, 2)), draw(st.integers(4, 6)), draw(st.integers(1, 3))
    h, w = draw(st.integers(1, 7)), draw(st.integers(1, 7))
    padding, dilation = draw(int_paddings()), draw(st.integers(1, 2))
    ph, pw = as_pair(padding)
    kh = draw(st.integers(1, (h + 2 * ph - 1) // dilation + 1))
    kw = draw(st.integers(1, (w + 2 * pw - 1) // dilation + 1))
    return (n, c, h, w), (f, c, kh, kw), draw(strides()), padding, dilation, draw(st.integers(0, 2**16))


@given(many_channel_conv_cases())
def test_conv2d_with_many_channels_matches_torch_autograd(torch, case):
    x_shape, (f, c, kh, kw), stride, padding, dilation, seed = case
    rng = np.random.default_rng(seed)
    layer = Conv2D(c, f, (kh, kw), stride=stride, padding=padding, dilation=dilation, rng=rng)
    layer.params["b"] = rng.standard_normal(f)
    assert_conv_matches_torch_autograd(torch, layer, rng.standard_normal(x_shape), rng, stride, padding, dilation)


@pytest.mark.parametrize("shared", [True, False])  # inside sharing_a_second_thread (as in fit) and outside
@pytest.mark.parametrize("channels", [2, 6])  # one per patch layout
@pytest.mark.parametrize("n", [5, 12])  # backward's second thread takes the input gradient of the first n // 5 images
@pytest.mark.parametrize(("stride", "padding", "dilation"), [(1, 0, 1), (2, 1, 1), ((1, 2), (2, 0), 2)])
def test_conv2d_backward_of_a_larger_batch_matches_torch_autograd(
    torch, shared, channels, n, stride, padding, dilation
):
    rng = np.random.default_rng(n + channels)
    layer = Conv2D(channels, 3, (3, 2), stride=stride, padding=padding, dilation=dilation, rng=rng)
    layer.params["b"] = rng.standard_normal(3)
    x = rng.standard_normal((n, channels, 9, 8))
    with shared_among_threads(shared):
        assert_conv_matches_torch_autograd(torch, layer, x, rng, stride, padding, dilation)


def test_sharing_a_second_thread_gives_the_same_numbers_to_rounding():
    rng = np.random.default_rng(4)
    for channels in (1, 8):  # one per patch layout
        layer = Conv2D(channels, 5, 3, rng=rng)
        x = rng.standard_normal((10, channels, 9, 9))
        alone = layer.forward(x), layer.backward(np.ones((10, 5, 7, 7))), layer.grads["w"].copy()
        with sharing_a_second_thread():
            shared = layer.forward(x), layer.backward(np.ones((10, 5, 7, 7))), layer.grads["w"].copy()
        for a, b in zip(alone, shared, strict=True):
            np.testing.assert_allclose(a, b, rtol=1e-12, atol=1e-12)
    assert not cnnlib._threads.sharing  # switched off again on leaving


@pytest.mark.parametrize("channels", [1, 8])  # one per patch layout
def test_float32_conv2d_matches_torch_float32(torch, channels):
    rng = np.random.default_rng(channels)
    layer = Conv2D(channels, 6, 3, padding=1, stride=2, dtype=np.float32, rng=rng)
    layer.params["b"] = rng.standard_normal(6).astype(np.float32)
    x = rng.standard_normal((4, channels, 9, 10)).astype(np.float32)
    out = layer.forward(x)
    upstream = rng.standard_normal(out.shape).astype(np.float32)
    grad_x = layer.backward(upstream)
    xt = torch.tensor(x, requires_grad=True)
    wt = torch.tensor(layer.params["w"], requires_grad=True)
    bt = torch.tensor(layer.params["b"], requires_grad=True)
    yt = torch.nn.functional.conv2d(xt, wt, bt, stride=2, padding=1)
    yt.backward(torch.tensor(upstream))
    assert out.dtype == grad_x.dtype == layer.grads["w"].dtype == layer.grads["b"].dtype == np.float32
    for ours, theirs in [(out, yt), (grad_x, xt.grad), (layer.grads["w"], wt.grad), (layer.grads["b"], bt.grad)]:
        np.testing.assert_allclose(ours, theirs.detach().numpy(), rtol=1e-4, atol=1e-4)


@pytest.mark.parametrize("shared", [True, False])
@pytest.mark.parametrize("channels", [1, 8])
def test_parameter_gradients_equal_those_of_backward(channels, shared):
    rng = np.random.default_rng(0)
    layer = Conv2D(channels, 3, 3, rng=rng)
    x = rng.standard_normal((2, channels, 6, 6))
    upstream = rng.standard_normal(layer.forward(x).shape)
    with shared_among_threads(shared):
        layer.backward(upstream)
        expected = {key: value.copy() for key, value in layer.grads.items()}
        assert layer.parameter_gradients(upstream) is None
    for key, value in expected.items():
        np.testing.assert_array_equal(layer.grads[key], value)


def test_layers_take_any_memory_layout_and_give_the_same_numbers():
    # a Conv2D output is stored channels last; the layers after it must not care
    rng = np.random.default_rng(3)
    x = rng.standard_normal((2, 5, 8, 6))
    channels_last = np.ascontiguousarray(x.transpose(0, 2, 3, 1)).transpose(0, 3, 1, 2)
    for make in (lambda: Conv2D(5, 4, 3, rng=np.random.default_rng(0)), ReLU, MaxPool2D, lambda: MaxPool2D(3)):
        ours, reference = make(), make()
        out = ours.forward(channels_last)
        np.testing.assert_array_equal(out, reference.forward(x))
        upstream = rng.standard_normal(out.shape)
        np.testing.assert_allclose(ours.backward(upstream), reference.backward(upstream), atol=1e-12)


def test_max_pool_fast_path_sends_a_tie_to_the_first_largest_input():
    layer = MaxPool2D(2)
    x = np.array([[[[1.0, 3.0, 2.0], [3.0, 3.0, 2.0], [9.0, 9.0, 9.0]]]])  # the last row and column are dropped
    np.testing.assert_array_equal(layer.forward(x), [[[[3.0]]]])
    np.testing.assert_array_equal(layer.backward(np.array([[[[5.0]]]])), [[[[0, 5, 0], [0, 0, 0], [0, 0, 0]]]])


def test_conv2d_layer_reusing_its_buffer_gives_the_numbers_of_a_fresh_layer():
    # each forward writes the new patches into the memory of the last ones: batches of changing size
    rng = np.random.default_rng(4)
    for channels in (1, 8):  # both patch layouts
        reused = Conv2D(channels, 3, 3, rng=np.random.default_rng(0))
        for n in (4, 2, 5, 4):
            x = rng.standard_normal((n, channels, 7, 6))
            fresh = Conv2D(channels, 3, 3, rng=np.random.default_rng(0))
            np.testing.assert_array_equal(reused.forward(x), fresh.forward(x))
            upstream = rng.standard_normal((n, 3, 5, 4))
            np.testing.assert_array_equal(reused.backward(upstream), fresh.backward(upstream))
            np.testing.assert_array_equal(reused.grads["w"], fresh.grads["w"])


def test_banded_blocks_are_the_largest_whose_span_is_at_most_twice_the_kernel():
    pairs = 16 * 32  # C*F of digit_cnn_wide's second layer: thin per-tap products
    assert _banded_block(pairs, (5, 5), 8, (1, 1), (1, 1)) == 4  # digit_cnn_wide's second layer: spans 8 <= 10 (8: 12)
    assert _banded_block(pairs, (3, 3), 12, (1, 1), (1, 1)) == 4  # 6 <= 6 (6 would span 8)
    assert _banded_block(pairs, (5, 5), 24, (1, 1), (1, 1)) == 6  # 10 <= 10
    assert _banded_block(pairs, (3, 3), 16, (2, 2), (1, 1)) == 2  # (2 - 1) * 2 + 3 = 5 <= 6 (4 would span 9)
    assert _banded_block(pairs, (3, 3), 8, (1, 1), (2, 2)) == 2  # dilated: 1 + (3 - 1) * 2 + 1 = 6 <= 6 (4: 8)
    assert _banded_block(pairs, (5, 3), 12, (2, 1), (2, 1)) == 4  # only the kernel's width and the column steps count
    assert _banded_block(pairs, (5, 5), 6, (1, 1), (1, 1)) == 3  # at most half the row: never the whole row
    assert _banded_block(pairs, (3, 3), 11, (1, 1), (1, 1)) is None  # digit_cnn's second layer: no block divides 11
    # a 1-wide kernel: its taps' products are already one per kernel row
    assert _banded_block(pairs, (1, 1), 8, (1, 1), (1, 1)) is None
    assert _banded_block(32 * 32, (3, 3), 12, (1, 1), (1, 1)) is None  # per-tap products no longer thin


@pytest.mark.parametrize("shared", [True, False])
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_conv2d_with_banded_filters_matches_torch_autograd(torch, shared, dtype):
    # digit_cnn_wide's second layer, whose dL/dx goes through banded filters (blocks of 4 output positions)
    rng = np.random.default_rng(7)
    layer = Conv2D(16, 32, 5, rng=rng, dtype=dtype)
    filters, banded = layer._input_gradient_filters(8)
    assert banded and filters.shape == (5, 4 * 32, 8 * 16)
    layer.params["b"] = rng.standard_normal(32).astype(dtype)
    x = rng.standard_normal((5, 16, 12, 12)).astype(dtype)
    with shared_among_threads(shared):
        out = layer.forward(x)
        upstream = rng.standard_normal(out.shape).astype(dtype)
        grad_x = layer.backward(upstream)
    xt = torch.tensor(x, requires_grad=True)
    yt = torch.nn.functional.conv2d(xt, torch.tensor(layer.params["w"]), torch.tensor(layer.params["b"]))
    yt.backward(torch.tensor(upstream))
    assert grad_x.dtype == dtype
    tolerance = 1e-10 if dtype == np.float64 else 1e-3
    np.testing.assert_allclose(grad_x, xt.grad.numpy(), rtol=tolerance, atol=tolerance)


@pytest.mark.parametrize("shared", [True, False])
@pytest.mark.parametrize(
    ("kernel", "stride", "padding", "dilation", "side", "block"),
    [
        (3, 2, 0, 1, (17, 17), 2),  # OW 8: blocks start two input positions apart per output position
        (3, 1, 0, 2, (16, 16), 2),  # OW 12: the taps two input positions apart
        ((5, 3), (2, 1), 1, (2, 1), (14, 16), 4),  # rows strided and dilated, padded: OH 4, OW 16
    ],
)
def test_conv2d_banded_input_gradient_with_strides_and_dilations_matches_torch(
    torch, shared, kernel, stride, padding, dilation, side, block
):
    rng = np.random.default_rng(11)
    layer = Conv2D(6, 4, kernel, stride=stride, padding=padding, dilation=dilation, rng=rng)
    x = rng.standard_normal((3, 6, *side))
    ow = layer.forward(x).shape[3]
    filters, banded = layer._input_gradient_filters(ow)
    assert banded and filters.shape[1] == block * 4  # the banded path, with blocks of `block` output positions
    with shared_among_threads(shared):
        assert_conv_matches_torch_autograd(torch, layer, x, rng, stride, padding, dilation)
