"""cnnlib.optimizers: Adam's step is its formula, for every parameter, whatever their dtypes."""

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
