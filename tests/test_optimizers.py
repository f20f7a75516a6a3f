"""cnnlib.optimizers: Adam's step is its formula, for every parameter, whatever their dtypes."""

import copy

import numpy as np
import pytest

from cnnlib.layers import Conv2D, Dense, Flatten, ReLU
from cnnlib.network import Sequential
from cnnlib.optimizers import Adam


def mixed_network():
    """Parameters of two dtypes, in interleaved order: a float32 conv, then a float64 dense layer."""
    rng = np.random.default_rng(0)
    return Sequential(
        Conv2D(1, 3, 3, rng=rng, dtype=np.float32), ReLU(dtype=np.float32), Flatten(), Dense(48, 4, rng=rng)
    )


def adam_by_its_formula(params, grads, state, t, lr, beta1=0.9, beta2=0.999, eps=1e-8, weight_decay=0.0):
    """Kingma & Ba's step, one parameter at a time, in float64, in the paper's faster order (end of its section 2):
    the bias corrections folded into the step size, eps added to sqrt(v) as it stands."""
    for name, w in params.items():
        g = grads[name] + (weight_decay * w if name.endswith("w") else 0)
        m, v = state.setdefault(name, (np.zeros_like(w), np.zeros_like(w)))
        m = beta1 * m + (1 - beta1) * g
        v = beta2 * v + (1 - beta2) * g * g
        state[name] = (m, v)
        step_size = lr * np.sqrt(1 - beta2**t) / (1 - beta1**t)
        params[name] = w - step_size * m / (np.sqrt(v) + eps)


@pytest.mark.parametrize("weight_decay", [0.0, 0.01])
def test_adam_takes_the_step_of_its_formula_on_every_parameter_of_either_dtype(weight_decay):
    net = mixed_network()
    optimizer = Adam(net, lr=0.01, weight_decay=weight_decay)
    params = {name: layer.params[key].astype(np.float64) for name, layer, key in net.named_parameters()}
    rng, state = np.random.default_rng(1), {}
    for t in range(1, 6):
        grads = {}
        for name, layer, key in net.named_parameters():
            layer.grads[key] = rng.standard_normal(layer.params[key].shape).astype(layer.params[key].dtype)
            grads[name] = layer.grads[key].astype(np.float64)
        optimizer.step()
        adam_by_its_formula(params, grads, state, t, 0.01, weight_decay=weight_decay)
        for name, layer, key in net.named_parameters():
            assert layer.params[key].dtype == (np.float32 if name.startswith("0.") else np.float64)
            tolerance = 1e-6 if name.startswith("0.") else 1e-12
            np.testing.assert_allclose(layer.params[key], params[name], rtol=tolerance, atol=tolerance, err_msg=name)
            np.testing.assert_allclose(optimizer.m[name], state[name][0], rtol=tolerance, atol=tolerance)
            np.testing.assert_allclose(optimizer.v[name], state[name][1], rtol=tolerance, atol=tolerance)


def test_adam_s_averages_are_named_per_parameter_and_shaped_like_it():
    net = mixed_network()
    optimizer = Adam(net)
    for name, layer, key in net.named_parameters():
        assert optimizer.m[name].shape == optimizer.v[name].shape == layer.params[key].shape
        assert optimizer.m[name].dtype == layer.params[key].dtype


def adam_one_parameter_at_a_time(optimizer):
    """Adam's step as cnnlib computed it before its averages were kept in flat arrays (the reference for
    the cases below: its numbers, bit for bit)."""
    optimizer.t += 1
    scale = optimizer.lr * np.sqrt(1 - optimizer.beta2**optimizer.t) / (1 - optimizer.beta1**optimizer.t)
    moments = optimizer.reference_moments
    for name, layer, key in optimizer.network.named_parameters():
        g = layer.grads[key]
        if optimizer.weight_decay and key == "w":
            g = g + optimizer.weight_decay * layer.params[key]
        m, v = moments.setdefault(name, (np.zeros_like(layer.params[key]), np.zeros_like(layer.params[key])))
        m *= optimizer.beta1
        m += (1 - optimizer.beta1) * g
        v *= optimizer.beta2
        v += (1 - optimizer.beta2) * g * g
        layer.params[key] -= (scale * m / (np.sqrt(v) + optimizer.eps)).astype(m.dtype, copy=False)


def train_both(make_network, change=None, weight_decay=0.1, steps=4):
    """The same network trained by Adam and by the reference, ``change(net)`` applied after the first step."""
    nets = [make_network(), make_network()]
    optimizers = [Adam(net, lr=0.1, weight_decay=weight_decay) for net in nets]
    reference = optimizers[1]
    reference.reference_moments = {}
    x = np.linspace(-1, 1, 2 * 3).reshape(2, 3)
    for step in range(steps):
        for net, optimizer in zip(nets, optimizers, strict=True):
            if step == 1 and change is not None:
                change(net)
            net.backward(net.forward(x))
            optimizer.step() if optimizer is not reference else adam_one_parameter_at_a_time(optimizer)
    return nets


def assert_same_parameters(nets):
    for (name, layer, key), (_, other, _) in zip(*(net.named_parameters() for net in nets), strict=True):
        np.testing.assert_array_equal(layer.params[key], other.params[key], err_msg=name)


def test_a_layer_replaced_after_the_optimizer_was_made_is_trained_from_then_on():
    def replace(net):
        net.layers[0] = Dense(3, 3, rng=np.random.default_rng(1))

    nets = train_both(lambda: Sequential(Dense(3, 3, rng=np.random.default_rng(0)), ReLU(), Dense(3, 2)), replace)
    assert_same_parameters(nets)
    assert not np.array_equal(nets[0].layers[0].params["w"], Dense(3, 3, rng=np.random.default_rng(1)).params["w"])


def test_a_float64_array_put_into_a_float32_layer_is_updated_as_before():
    def widen(net):
        net.layers[0].params["w"] = net.layers[0].params["w"].astype(np.float64)

    nets = train_both(lambda: Sequential(Dense(3, 2, rng=np.random.default_rng(0), dtype=np.float32)), widen)
    assert_same_parameters(nets)


def test_one_layer_used_twice_with_weight_decay_is_updated_as_before():
    def tied():
        dense = Dense(3, 3, rng=np.random.default_rng(0))
        return Sequential(dense, ReLU(), dense)

    assert_same_parameters(train_both(tied))


def test_a_copy_of_adam_keeps_its_own_averages():
    net = mixed_network()
    optimizer = Adam(net)
    for _, layer, key in net.named_parameters():
        layer.grads[key] = np.ones_like(layer.params[key])
    optimizer.step()
    twin = copy.deepcopy(optimizer)
    twin.step()
    assert all(np.all(twin.m[name] > optimizer.m[name]) for name in optimizer.m)  # a second step's average grew
