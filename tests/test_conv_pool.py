"""cnnlib.conv_pool: a Conv2D and the max pooling after it, run as one, give the two layers' numbers."""

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from sharing import shared_among_threads

from cnnlib import columns
from cnnlib.conv_pool import ConvMaxPool, fuses, fuses_relu
from cnnlib.layers import Conv2D, Dense, Flatten, MaxPool2D, NonFiniteError, ReLU
from cnnlib.network import Sequential
from cnnlib.pool_layers import largest_of_parts, max_of_taps, route_to_taps, running_max
from cnnlib.training import digit_cnn_wide


def integer_layers(rng, channels, filters, kernel, stride, padding, dilation, pool_size, dtype):
    """A Conv2D with small whole-number filters and biases (sums are exact: ties stay ties), and a tiling pool."""
    conv = Conv2D(channels, filters, kernel, stride=stride, padding=padding, dilation=dilation, rng=rng, dtype=dtype)
    conv.params["w"] = rng.integers(-1, 2, conv.params["w"].shape).astype(dtype)
    conv.params["b"] = rng.integers(-1, 2, filters).astype(dtype)
    return conv, MaxPool2D(pool_size, dtype=dtype)


def one_after_the_other(conv, pool, x, upstream, input_gradient=True, relu=None):
    """Output, dL/dx (or None) and conv's gradients, each layer run on its own: what ConvMaxPool must equal."""
    out = pool.forward(conv.forward(x))
    if relu is not None:
        out = relu.forward(out)
        upstream = relu.backward(upstream)
    grad = pool.backward(upstream)
    grad_x = conv.backward(grad) if input_gradient else conv.parameter_gradients(grad)
    return out, grad_x, {key: value.copy() for key, value in conv.grads.items()}


@settings(max_examples=60, deadline=None)
@given(
    channels=st.sampled_from([1, 3, 5]),  # conv lays out columns below 4 channels, rows from 4 on
    kernel=st.sampled_from([1, 2, 3, (2, 3)]),
    stride=st.sampled_from([1, 2]),
    padding=st.sampled_from([0, 1]),
    dilation=st.sampled_from([1, 2]),
    pool_size=st.sampled_from([2, (1, 2), (2, 1), 3]),
    side=st.integers(5, 13),
    dtype=st.sampled_from([np.float32, np.float64]),
    shared=st.booleans(),
    input_gradient=st.booleans(),
    with_relu=st.booleans(),
    seed=st.integers(0, 2**16),
)
def test_conv_max_pool_equals_the_layers_one_after_the_other_ties_and_all(
    channels, kernel, stride, padding, dilation, pool_size, side, dtype, shared, input_gradient, with_relu, seed
):
    # whole numbers in [-2, 2] make many ties inside the windows (whole zero maps, equal sums): the first
    # largest tap must win as in MaxPool2D, and every sum is exact, so the results are equal, not close
    rng = np.random.default_rng(seed)
    conv, pool = integer_layers(rng, channels, 4, kernel, stride, padding, dilation, pool_size, dtype)
    x = rng.integers(-2, 3, (3, channels, side, side)).astype(dtype)
    x[0] = 0  # an image of zeros: every window a four-way tie (the bias)
    span = (np.array(conv.kernel_size) - 1) * dilation + 1
    out_side = (side + 2 * padding - span) // stride + 1
    assume(np.all(out_side >= pool.size))  # else the layers raise (test_bad_input_gets_the_conv_layer_s_own_errors)
    pooled_shape = (3, 4, out_side[0] // pool.size[0], out_side[1] // pool.size[1])
    upstream = rng.integers(-3, 4, pooled_shape).astype(dtype)
    relu = ReLU(dtype=dtype) if with_relu else None
    expected_out, expected_dx, expected_grads = one_after_the_other(conv, pool, x, upstream, input_gradient, relu)
    upstream_before = upstream.copy()

    fused = ConvMaxPool(conv, pool, relu)
    with shared_among_threads(shared):
        out = fused.forward(x)
        grad_x = fused.backward(upstream) if input_gradient else fused.parameter_gradients(upstream)
    assert out.dtype == expected_out.dtype == dtype
    np.testing.assert_array_equal(out, expected_out)
    assert not np.signbit(out[out == 0]).any() if with_relu else True  # 0, not -0, as ReLU's own forward gives
    np.testing.assert_array_equal(upstream, upstream_before)  # the gradient handed in is left as it was
    if input_gradient:
        np.testing.assert_array_equal(grad_x, expected_dx)
    else:
        assert grad_x is None
    for key, value in expected_grads.items():
        np.testing.assert_array_equal(conv.grads[key], value, err_msg=key)


@pytest.mark.parametrize("shared", [False, True])  # shared: the pooling in parts, one per thread
@pytest.mark.parametrize(("pool_size", "side"), [(2, 8), (3, 9)])
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_each_layer_s_own_backward_still_works_after_a_run_as_one(dtype, pool_size, side, shared):
    # a learner may run the network forward, then a layer's own backward: the caches must be the layers' own
    rng = np.random.default_rng(3)
    conv, pool = integer_layers(rng, 4, 3, 3, 1, 1, 1, pool_size, dtype)
    x = rng.integers(-2, 3, (2, 4, side, side)).astype(dtype)
    upstream = rng.integers(-3, 4, (2, 3, side // pool_size, side // pool_size)).astype(dtype)
    expected_out, expected_dx, expected_grads = one_after_the_other(conv, pool, x, upstream)

    with shared_among_threads(shared):
        out = ConvMaxPool(conv, pool).forward(x)
    assert pool._cache[3] == ((pool_size,) if shared else ())  # the taps of the first window row, then the rest
    np.testing.assert_array_equal(out, expected_out)
    grad_x = conv.backward(pool.backward(upstream))
    np.testing.assert_array_equal(grad_x, expected_dx)
    for key, value in expected_grads.items():
        np.testing.assert_array_equal(conv.grads[key], value, err_msg=key)


def test_a_window_that_does_not_divide_the_map_runs_the_layers_one_after_the_other():
    rng = np.random.default_rng(4)
    conv, pool = integer_layers(rng, 1, 2, 3, 1, 0, 1, 2, np.float64)
    x = rng.integers(-2, 3, (2, 1, 9, 9)).astype(np.float64)  # conv output 7 x 7: a row and a column left over
    upstream = rng.integers(-3, 4, (2, 2, 3, 3)).astype(np.float64)
    expected_out, expected_dx, expected_grads = one_after_the_other(conv, pool, x, upstream)
    fused = ConvMaxPool(conv, pool)
    np.testing.assert_array_equal(fused.forward(x), expected_out)
    np.testing.assert_array_equal(fused.backward(upstream), expected_dx)
    np.testing.assert_array_equal(conv.grads["w"], expected_grads["w"])


def test_bad_input_gets_the_conv_layer_s_own_errors():
    fused = ConvMaxPool(Conv2D(2, 3, 3), MaxPool2D(2))
    with pytest.raises(ValueError, match="C=2 channels"):
        fused.forward(np.zeros((1, 1, 8, 8)))
    with pytest.raises(ValueError, match="kernel_size"):
        fused.forward(np.zeros((1, 2, 2, 2)))
    with pytest.raises(RuntimeError, match="before forward"):
        ConvMaxPool(Conv2D(2, 3, 3), MaxPool2D(2)).backward(np.zeros((1, 3, 3, 3)))
    with pytest.raises(ValueError, match="grad_out"):
        fused.forward(np.zeros((1, 2, 8, 8)))
        fused.backward(np.zeros((1, 3, 2, 2)))


def test_only_cnnlib_s_own_conv_and_tiling_max_pool_of_one_dtype_run_as_one():
    class MyPool(MaxPool2D):
        pass

    conv = Conv2D(1, 2, 3)
    assert fuses(conv, MaxPool2D(2))
    assert not fuses(conv, MyPool(2))
    assert not fuses(conv, MaxPool2D(2, stride=1))  # overlapping windows
    assert not fuses(conv, MaxPool2D(2, padding=1))
    assert not fuses(conv, MaxPool2D(2, dtype=np.float32))  # the pool would round the conv's output first
    assert not fuses(ReLU(), MaxPool2D(2))
    with pytest.raises(ValueError, match="cannot run as one"):
        ConvMaxPool(conv, MaxPool2D(3, stride=2))

    class MyReLU(ReLU):
        pass

    assert fuses_relu(MaxPool2D(2), ReLU())
    assert not fuses_relu(MaxPool2D(2), MyReLU())
    assert not fuses_relu(MaxPool2D(2), ReLU(dtype=np.float32))
    assert not fuses_relu(MaxPool2D(2), Flatten())
    with pytest.raises(ValueError, match="`relu` cannot run as one"):
        ConvMaxPool(conv, MaxPool2D(2), ReLU(dtype=np.float32))


def test_sequential_runs_each_conv_its_pool_and_relu_as_one_and_follows_changes_to_its_layers():
    net = digit_cnn_wide()  # conv, ReLU, pool, conv, ReLU, pool, flatten, dense
    running = net._running()
    assert [type(unit).__name__ for unit in running] == ["ConvMaxPool", "ConvMaxPool", "Flatten", "Dense"]
    assert running[0].conv is net.layers[0] and running[0].pool is net.layers[2] and running[0].relu is net.layers[1]
    assert net._running()[1] is running[1]  # the same unit: forward's state must reach backward
    net.layers[5].stride = (1, 1)  # a learner changes a layer in place: overlapping windows, not fused
    assert type(net._running()[1]) is Conv2D
    net.layers[2] = MaxPool2D(2, stride=1)  # or swaps one
    assert type(net._running()[0]) is Conv2D
    # a ReLU after the pooling (not moved there) joins it too; one before a Flatten does not
    net = Sequential(Conv2D(1, 2, 3), MaxPool2D(2), ReLU(), Flatten(), ReLU())
    assert [type(unit).__name__ for unit in net._running()] == ["ConvMaxPool", "Flatten", "ReLU"]
    net.layers[2] = ReLU(dtype=np.float32)  # a ReLU of another dtype runs on its own
    assert [type(unit).__name__ for unit in net._running()] == ["ConvMaxPool", "ReLU", "Flatten", "ReLU"]
    assert net._running()[0].relu is None


def test_a_network_run_as_one_gives_the_numbers_of_its_layers_one_at_a_time():
    # whole numbers: every sum is exact however a product is split, so the results are equal, not close
    rng = np.random.default_rng(7)
    images = rng.integers(0, 3, (6, 1, 28, 28)).astype(np.float32)
    upstream = rng.integers(-3, 4, (6, 10)).astype(np.float32)
    net, reference = digit_cnn_wide(), digit_cnn_wide()
    for (_, layer, key), (_, theirs, _) in zip(net.named_parameters(), reference.named_parameters(), strict=True):
        layer.params[key] = theirs.params[key] = rng.integers(-1, 2, layer.params[key].shape).astype(np.float32)
    x = images
    for layer in reference.layers:
        x = layer.forward(x)
    grad = upstream
    for layer in reversed(reference.layers):
        grad = layer.backward(grad)
    with shared_among_threads(True):
        np.testing.assert_array_equal(net.forward(images), x)
        np.testing.assert_array_equal(net.backward(upstream), grad)
    for (name, layer, key), (_, theirs, _) in zip(net.named_parameters(), reference.named_parameters(), strict=True):
        np.testing.assert_array_equal(layer.grads[key], theirs.grads[key], err_msg=name)


@pytest.mark.parametrize("input_gradient", [True, False])
@pytest.mark.parametrize("channels", [1, 4])  # patches as columns and as rows
def test_a_layer_run_on_its_own_after_a_fused_forward_is_what_backward_follows(input_gradient, channels):
    # forward runs the pair as one, then layer_outputs runs each layer on other images: backward must
    # follow the layers' own last forward, not the pair's
    rng = np.random.default_rng(6)

    def network():
        conv = Conv2D(channels, 2, 3, rng=np.random.default_rng(1))
        return Sequential(conv, MaxPool2D(2), Flatten(), Dense(18, 3, rng=np.random.default_rng(2)))

    x1, x2 = rng.standard_normal((2, 2, channels, 8, 8))
    upstream = rng.standard_normal((2, 3))
    expected, net = network(), network()
    expected.layer_outputs(x2)
    want = expected.backward(upstream, input_gradient=input_gradient)
    net.forward(x1)
    net.layer_outputs(x2)
    got = net.backward(upstream, input_gradient=input_gradient)
    if input_gradient:
        np.testing.assert_array_equal(got, want)
    for (name, layer, key), (_, reference, _) in zip(net.named_parameters(), expected.named_parameters(), strict=True):
        np.testing.assert_allclose(layer.grads[key], reference.grads[key], rtol=1e-12, atol=1e-12, err_msg=name)


@pytest.mark.parametrize("bad", [np.nan, np.inf])
def test_weights_that_blew_up_are_named_at_the_pooling_as_before(bad):
    net = Sequential(Conv2D(1, 2, 3), MaxPool2D(2), Flatten())
    net.layers[0].params["w"][0, 0, 0, 0] = bad
    with pytest.raises(NonFiniteError, match="MaxPool2D got NaN or infinity"), np.errstate(invalid="ignore"):
        net.forward(np.ones((1, 1, 8, 8)))  # (BLAS may meet infinity minus infinity on the way: not the point here)


@pytest.mark.parametrize("shared", [False, True])
@pytest.mark.parametrize("channels", [1, 4])  # patches as columns, and as rows
def test_an_overflow_in_one_threads_share_of_the_rows_is_named_at_the_pooling(shared, channels):
    # output row 0 alone reads input row 0 (3 x 3 filters), and it is in the first window row of the pooling:
    # shared, that is the helper thread's part of the rows, each part checked on the thread that made it
    conv = Conv2D(channels, 2, 3)
    conv.params["w"][...] = 2.0
    unit = ConvMaxPool(conv, MaxPool2D(2))
    x = np.zeros((3, channels, 8, 8))
    with shared_among_threads(shared):
        unit.forward(x)  # a batch that went through: its patches are what the next batch overwrites
    x[1, 0, 0, 3] = 1e308  # finite, but 2e308 is not
    with shared_among_threads(shared):
        with pytest.raises(NonFiniteError, match="MaxPool2D got NaN or infinity"), np.errstate(over="ignore"):
            unit.forward(x)
        # the last batch's patches were overwritten on the way: there is nothing to go back through
        with pytest.raises(RuntimeError, match="before forward"):
            conv.backward(np.ones((3, 2, 6, 6)))


def test_a_failed_forward_leaves_conv2d_nothing_to_go_back_through():
    conv = Conv2D(1, 2, 3)
    conv.forward(np.ones((2, 1, 5, 5)))
    with pytest.raises(ValueError, match="channels"):
        conv.forward(np.ones((2, 3, 5, 5)))  # refused before its patches are touched: the last batch's stay
    assert conv.backward(np.ones((2, 2, 3, 3))).shape == (2, 1, 5, 5)
    conv.params["w"][0, 0, 0, 0] = np.inf
    with pytest.raises(NonFiniteError), np.errstate(invalid="ignore"):
        conv.output_rows(np.ones((2, 1, 5, 5)), after=lambda out, start, stop: conv._check_finite(out[start:stop]))
    with pytest.raises(RuntimeError, match="before forward"):
        conv.backward(np.ones((2, 2, 3, 3)))


@settings(max_examples=200, deadline=None)
@given(taps=st.integers(1, 9), data=st.data())
def test_taps_maximised_in_parts_give_the_largest_and_route_to_the_first_largest(taps, data):
    # a window's taps maximised in parts (each thread its own, as ConvMaxPool pools in fit), then the parts in
    # order: the same largest, bit for bit (equal zeros of both signs among them), and the same winners
    parts = tuple(data.draw(st.sets(st.integers(1, taps - 1)) if taps > 1 else st.just(set()), label="parts"))
    parts = tuple(sorted(parts))
    rng = np.random.default_rng(data.draw(st.integers(0, 2**16), label="seed"))
    values = rng.integers(-2, 3, (taps, 60)).astype(np.float32)  # many ties
    values[rng.random(values.shape) < 0.2] = -0.0
    g = rng.integers(1, 9, 60).astype(np.float32)
    best, beats = np.empty(60, np.float32), [np.empty(60, bool) for _ in range(taps - 1)]
    max_of_taps(list(values), best, beats)
    expected = np.zeros((taps, 60), np.float32)
    expected[values.argmax(axis=0), np.arange(60)] = g  # argmax: the first largest

    found = {}
    for first, last in zip((0, *parts), (*parts, taps), strict=True):
        part_best, part_beats = np.empty(60, np.float32), [np.empty(60, bool) for _ in range(last - first - 1)]
        running_max(list(values[first:last]), part_best, part_beats)
        found[first] = (part_best, part_beats)
    parted_best, parted_beats, found_parts = largest_of_parts(found)
    assert found_parts == parts
    np.testing.assert_array_equal(parted_best.view(np.int32), best.view(np.int32))  # the sign of each zero too
    routed = np.empty((taps, 60), np.float32)
    route_to_taps(g, beats, routed)
    np.testing.assert_array_equal(routed, expected)
    for first in range(taps):  # any run of taps, as each thread routes its share
        for stop in range(first + 1, taps + 1):
            share = np.empty((stop - first, 60), np.float32)
            route_to_taps(g, parted_beats, share, first, parts)
            np.testing.assert_array_equal(share, expected[first:stop], err_msg=f"taps {first}..{stop}")


@pytest.mark.parametrize("pool", [(2, 2), (1, 4), (3, 1)])
def test_patches_in_pool_tap_order_are_the_same_patches_reordered(pool):
    rng = np.random.default_rng(5)
    x = rng.standard_normal((2, 3, 8, 10))  # conv output 6 x 8 for 3 x 3
    ph, pw = pool
    cols = columns.im2col(x, (3, 3))
    by_tap = cols.reshape(-1, 2, 6 // ph, ph, 8 // pw, pw).transpose(0, 3, 5, 1, 2, 4).reshape(cols.shape)
    np.testing.assert_array_equal(columns.im2col(x, (3, 3), pool=pool), by_tap)
    x_last = np.ascontiguousarray(x.transpose(0, 2, 3, 1))
    rows = columns.im2row(x_last, (3, 3))
    by_tap = rows.reshape(2, 6 // ph, ph, 8 // pw, pw, -1).transpose(2, 4, 0, 1, 3, 5).reshape(rows.shape)
    np.testing.assert_array_equal(columns.im2row(x_last, (3, 3), pool=pool), by_tap)


def test_pool_tap_major_puts_each_window_tap_first():
    a = np.arange(2 * 4 * 6).reshape(2, 4, 6)
    view = columns.pool_tap_major(a, (2, 3), 1)
    assert view.shape == (2, 3, 2, 2, 2)
    p, q, n, i, j = 1, 2, 1, 1, 0
    assert view[p, q, n, i, j] == a[n, i * 2 + p, j * 3 + q]


@pytest.mark.parametrize("input_gradient", [True, False])
def test_after_layer_outputs_backward_follows_the_layers_in_their_own_order(input_gradient):
    # forward runs ReLU after the pooling (and all three as one); layer_outputs runs them in their own
    # order: a backward pass after layer_outputs must be that pass's, not forward's
    rng = np.random.default_rng(8)
    x1, x2 = rng.random((2, 3, 1, 28, 28)).astype(np.float32)
    upstream = rng.standard_normal((3, 10)).astype(np.float32)
    net, reference = digit_cnn_wide(seed=2), digit_cnn_wide(seed=2)
    net.forward(x1)
    net.layer_outputs(x2)
    got = net.backward(upstream, input_gradient=input_gradient)
    x = x2
    for layer in reference.layers:
        x = layer.forward(x)
    grad = upstream
    for layer in reversed(reference.layers[1:]):
        grad = layer.backward(grad)
    want = reference.layers[0].backward(grad)
    if input_gradient:
        np.testing.assert_array_equal(got, want)
    else:
        assert got is None
    for (name, layer, key), (_, theirs, _) in zip(net.named_parameters(), reference.named_parameters(), strict=True):
        np.testing.assert_array_equal(layer.grads[key], theirs.grads[key], err_msg=name)
    net.forward(x1)  # and a forward pass brings back forward's own order
    again = digit_cnn_wide(seed=2)
    again.forward(x1)
    np.testing.assert_array_equal(net.backward(upstream), again.backward(upstream))
