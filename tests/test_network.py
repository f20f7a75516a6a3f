"""cnnlib.network: Sequential's layer names and outputs, and the receptive field of its units."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from cnnlib.layers import AvgPool2D, Conv2D, Dense, Flatten, MaxPool2D, ReLU
from cnnlib.network import Sequential, _running_order
from cnnlib.training import digit_cnn

# ---------------------------------------------------------------- layer_names, layer_outputs


def test_layer_names_number_each_kind_of_layer():
    assert digit_cnn().layer_names() == ["conv1", "relu1", "pool1", "conv2", "relu2", "pool2", "flatten1", "dense1"]
    net = Sequential(Conv2D(1, 2, 3), ReLU(), AvgPool2D(2), Dense(4, 2))
    assert net.layer_names() == ["conv1", "relu1", "pool1", "dense1"]


def test_layer_names_of_an_unknown_layer_use_its_class_name():
    class Scale(ReLU):
        pass

    assert Sequential(Scale(), Scale(), ReLU()).layer_names() == ["scale1", "scale2", "relu1"]


def test_layer_outputs_are_the_layers_applied_one_after_the_other():
    net = digit_cnn(seed=1)
    x = np.random.default_rng(0).uniform(0, 1, (3, 1, 28, 28)).astype(np.float32)
    outputs = net.layer_outputs(x)
    assert list(outputs) == net.layer_names()
    expected = x
    for layer, (name, out) in zip(net.layers, outputs.items(), strict=True):
        expected = layer.forward(expected)
        np.testing.assert_array_equal(out, expected, err_msg=name)
    np.testing.assert_array_equal(outputs["dense1"], net.forward(x))
    assert {name: out.shape[1:] for name, out in outputs.items()} == {
        "conv1": (8, 26, 26),
        "relu1": (8, 26, 26),
        "pool1": (8, 13, 13),
        "conv2": (16, 11, 11),
        "relu2": (16, 11, 11),
        "pool2": (16, 5, 5),
        "flatten1": (400,),
        "dense1": (10,),
    }


def test_layer_outputs_names_bad_images():
    with pytest.raises(ValueError, match=r"`images` must be 4-D \(N, C, H, W\)"):
        digit_cnn().layer_outputs(np.zeros((28, 28)))


# ---------------------------------------------------------------- backward
def test_a_network_skips_only_the_gradient_of_its_input():
    rng = np.random.default_rng(0)
    layers = [Conv2D(1, 2, 3, rng=rng), ReLU(), Flatten(), Dense(2 * 4 * 4, 3, rng=rng)]
    net = Sequential(*layers)
    x = rng.standard_normal((2, 1, 6, 6))
    upstream = rng.standard_normal((2, 3))
    net.forward(x)
    grad_x = net.backward(upstream)
    assert grad_x.shape == x.shape
    before = [layer.grads[key].copy() for _, layer, key in net.named_parameters()]
    assert net.backward(upstream, input_gradient=False) is None
    for value, (_, layer, key) in zip(before, net.named_parameters(), strict=True):
        np.testing.assert_array_equal(layer.grads[key], value)


def layer_by_layer(layers, x, upstream):
    """The network's output and dL/dx, each layer run in the order given (what Sequential must equal)."""
    for layer in layers:
        x = layer.forward(x)
    grad = upstream
    for layer in reversed(layers):
        grad = layer.backward(grad)
    return x, grad


@given(
    size=st.sampled_from([(2, 2), (3, 3), (2, 3)]),
    stride=st.sampled_from([None, 1, (1, 2), "size"]),
    padding=st.sampled_from([0, 1]),
    dtypes=st.sampled_from([(np.float64, np.float64), (np.float32, np.float32), (np.float32, np.float64)]),
    seed=st.integers(0, 2**16),
)
def test_a_relu_before_max_pooling_gives_the_numbers_of_the_layers_in_their_order(size, stride, padding, dtypes, seed):
    # Sequential runs such a ReLU on the pooled maps where it may: outputs, dL/dx and every parameter gradient
    # must be those of the layers in their own order, ties and all (integers make many ties, zeros and
    # negatives), for every pooling and every pair of dtypes, swapped or not
    rng = np.random.default_rng(seed)
    relu_dtype, pool_dtype = dtypes
    x = rng.integers(-2, 3, (2, 2, 7, 7)) + rng.integers(0, 2, (2, 2, 7, 7)) * 1e-9  # ties only in float32
    pool_stride, pool_padding = size if stride == "size" else stride, min(padding, min(size) // 2)
    pool = MaxPool2D(size, stride=pool_stride, padding=pool_padding, dtype=pool_dtype)
    layers = [Conv2D(2, 3, 1, rng=rng), ReLU(dtype=relu_dtype), pool]
    layers[0].params["w"] = rng.integers(-1, 2, layers[0].params["w"].shape).astype(np.float64)
    net = Sequential(*layers, ReLU(), Flatten())
    outputs = net.layer_outputs(x)
    upstream = rng.integers(-3, 4, outputs["flatten1"].shape).astype(np.float64)
    out, grad_x = layer_by_layer(net.layers, x, upstream)
    grads = {name: layer.grads[key].copy() for name, layer, key in net.named_parameters()}

    got = net.forward(x)
    assert got.dtype == out.dtype
    np.testing.assert_array_equal(got, out)
    np.testing.assert_array_equal(net.backward(upstream), grad_x)
    for name, layer, key in net.named_parameters():
        np.testing.assert_array_equal(layer.grads[key], grads[name], err_msg=name)
    # swapped only where the pool's windows tile the map and both layers have one dtype: a quarter of the work
    swapped = pool.stride == pool.size and not any(pool.padding) and relu_dtype == pool_dtype
    assert net.layers[1]._cache.shape == (outputs["pool1"] if swapped else outputs["relu1"]).shape


def test_only_cnnlib_s_own_relu_and_max_pooling_swap_places():
    class MyReLU(ReLU):
        pass

    relu, pool, mine, conv = ReLU(), MaxPool2D(2), MyReLU(), Conv2D(1, 1, 1)
    assert _running_order([conv, relu, pool, relu]) == [conv, pool, relu, relu]
    assert _running_order([conv, mine, pool]) == [conv, mine, pool]
    assert _running_order([conv, relu, AvgPool2D(2)])[1] is relu
    assert _running_order([relu, pool, pool]) == [pool, pool, relu]
    overlapping, padded = MaxPool2D(3, stride=2), MaxPool2D(2, padding=1)
    assert _running_order([relu, overlapping]) == [relu, overlapping]  # ReLU would not save work there
    assert _running_order([relu, padded]) == [relu, padded]
    assert _running_order([ReLU(dtype=np.float32), pool])[1] is pool  # float32 rounding before the comparison


def test_backward_of_an_empty_network_passes_the_gradient_through():
    assert Sequential().backward(np.ones(3)).shape == (3,)
    assert Sequential().backward(np.ones(3), input_gradient=False) is None


# ---------------------------------------------------------------- receptive_field


@pytest.mark.parametrize(
    ("layers", "expected"),
    [
        ([], (1, 1)),
        ([Conv2D(1, 1, 3)], (3, 1)),
        ([Conv2D(1, 1, 3), MaxPool2D(2)], (4, 2)),  # 3 + (2 - 1) * 1; step 1 * 2
        (digit_cnn().layers[:5], (8, 2)),  # 4 + (3 - 1) * 2
        (digit_cnn().layers[:6], (10, 4)),  # 8 + (2 - 1) * 2; step 2 * 2
        ([Conv2D(1, 1, 5, stride=2), ReLU(), Conv2D(1, 1, 3)], (9, 2)),  # 5, then 5 + 2 * 2
    ],
)
def test_receptive_field_by_hand(layers, expected):
    assert tuple(Sequential(*layers).receptive_field()) == expected


@given(st.lists(st.sampled_from(["conv3", "conv2s2", "avg2", "relu"]), min_size=1, max_size=4))
def test_receptive_field_is_where_the_input_gradient_of_one_unit_is_non_zero(kinds):
    # Linear layers only (average pooling, ReLU on a positive input): a unit depends on exactly the pixels of its field.
    rng = np.random.default_rng(0)
    make = {
        "conv3": lambda: Conv2D(1, 1, 3, rng=rng),
        "conv2s2": lambda: Conv2D(1, 1, 2, stride=2, rng=rng),
        "avg2": lambda: AvgPool2D(2),
        "relu": lambda: ReLU(),
    }
    layers = [make[kind]() for kind in kinds]
    for layer in layers:
        if isinstance(layer, Conv2D):
            layer.params["w"] = np.abs(layer.params["w"]) + 0.1  # positive weights keep every value positive
    size, step = Sequential(*layers).receptive_field()
    side = size + 3 * step + 2
    net = Sequential(*layers)
    out = net.forward(rng.uniform(1, 2, (1, 1, side, side)))
    i, j = out.shape[2] - 1, out.shape[3] // 2
    grad = np.zeros_like(out)
    grad[0, 0, i, j] = 1.0
    reached = np.argwhere(net.backward(grad)[0, 0] != 0)
    assert reached.min(axis=0).tolist() == [step * i, step * j]
    assert reached.max(axis=0).tolist() == [step * i + size - 1, step * j + size - 1]


@pytest.mark.parametrize(
    ("layers", "says"),
    [
        ([Conv2D(1, 1, 3, padding=1)], "no padding"),
        ([Conv2D(1, 1, (3, 5))], "square windows"),
        ([Conv2D(1, 1, 3), Flatten()], "sees the whole image"),
        ([Dense(4, 2)], "sees the whole image"),
    ],
)
def test_receptive_field_refuses_what_it_cannot_describe(layers, says):
    with pytest.raises(ValueError, match=says):
        Sequential(*layers).receptive_field()


def test_receptive_field_after_some_layers_is_that_of_the_first_layers():
    net = digit_cnn()
    assert net.receptive_field(5) == Sequential(*net.layers[:5]).receptive_field() == (8, 2)
    assert net.receptive_field(6) == (10, 4)


@pytest.mark.parametrize(
    ("n_layers", "error", "says"),
    [(0, ValueError, ">= 1"), (9, ValueError, "at most the 8"), (2.0, TypeError, "`n_layers` must be an integer")],
)
def test_receptive_field_names_a_bad_layer_count(n_layers, error, says):
    with pytest.raises(error, match=says):
        digit_cnn().receptive_field(n_layers)
