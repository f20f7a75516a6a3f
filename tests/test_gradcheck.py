"""cnnlib.gradcheck: central differences, the relative error, and checks that catch a wrong backward pass."""

import numpy as np
import pytest

from cnnlib import gradcheck
from cnnlib.layers import AvgPool2D, Conv2D, Dense, Flatten, MaxPool2D, ReLU
from cnnlib.network import Sequential


def test_numerical_gradient_of_known_functions():
    x = np.array([[0.5, -1.0], [2.0, 3.0]])
    # d/dx sum(sin x) = cos x; d/dx of x0*x1*x2*x3 = the product of the other three
    np.testing.assert_allclose(gradcheck.numerical_gradient(lambda v: np.sin(v).sum(), x), np.cos(x), atol=1e-9)
    np.testing.assert_allclose(
        gradcheck.numerical_gradient(lambda v: np.prod(v), x), [[-6.0, 3.0], [-1.5, -1.0]], atol=1e-8
    )


def test_numerical_gradient_restores_x_even_when_f_fails():
    x = np.array([1.0, 2.0, 3.0])
    before = x.copy()
    gradcheck.numerical_gradient(lambda v: v @ v, x)
    np.testing.assert_array_equal(x, before)

    def fails_on_a_change(v):
        if not np.array_equal(v, before):
            raise ZeroDivisionError("boom")
        return 0.0

    with pytest.raises(ZeroDivisionError):
        gradcheck.numerical_gradient(fails_on_a_change, x)
    np.testing.assert_array_equal(x, before)


@pytest.mark.parametrize(
    ("x", "h", "error", "says"),
    [
        (np.ones(3, dtype=np.float32), 1e-5, TypeError, "float64 numpy array"),
        ([1.0, 2.0], 1e-5, TypeError, "float64 numpy array"),
        (np.ones(3), 0.0, ValueError, "`h`"),
    ],
)
def test_numerical_gradient_names_bad_input(x, h, error, says):
    with pytest.raises(error, match=says):
        gradcheck.numerical_gradient(np.sum, x, h=h)


def test_relative_error_by_hand():
    assert gradcheck.relative_error([0.0, 0.0], [0.0, 0.0]) == 0.0
    assert gradcheck.relative_error([1.0, -1.0], [-1.0, -1.0]) == 1.0  # opposite signs: as wrong as it gets
    assert gradcheck.relative_error([3.0], [0.0]) == 1.0
    # the largest difference against the largest magnitude, not per element: 0.1 / (4 + 4)
    assert gradcheck.relative_error([1e-9, 4.0], [2e-9, 4.1]) == pytest.approx(0.1 / 8.1)
    with pytest.raises(ValueError, match="one shape"):
        gradcheck.relative_error(np.ones(3), np.ones(4))


def test_numerical_gradient_agrees_with_torch_autograd():
    torch = pytest.importorskip("torch", reason="torch is not installed (`.venv/bin/pip install torch==2.13.0`)")
    rng = np.random.default_rng(3)
    x, w = rng.standard_normal((2, 3, 6, 6)), rng.standard_normal((4, 3, 3, 3))

    def loss(v):
        out = torch.nn.functional.conv2d(torch.from_numpy(v), torch.from_numpy(w), padding=1)
        return float(torch.tanh(out).pow(2).sum())

    xt = torch.from_numpy(x.copy()).requires_grad_()
    torch.tanh(torch.nn.functional.conv2d(xt, torch.from_numpy(w), padding=1)).pow(2).sum().backward()
    assert gradcheck.relative_error(xt.grad.numpy(), gradcheck.numerical_gradient(loss, x)) < 1e-8


LAYERS = [
    (lambda rng: Dense(5, 3, rng=rng), (4, 5)),
    (lambda rng: Conv2D(2, 3, 3, rng=rng), (2, 2, 6, 5)),
    (lambda rng: Conv2D(2, 3, 3, stride=2, padding=1, rng=rng), (2, 2, 7, 6)),
    (lambda rng: Conv2D(1, 2, 2, dilation=2, rng=rng), (1, 1, 6, 6)),
    (lambda rng: ReLU(), (3, 7)),
    (lambda rng: MaxPool2D(2), (2, 2, 6, 6)),
    (lambda rng: MaxPool2D(3, stride=2, padding=1), (1, 2, 7, 7)),
    (lambda rng: AvgPool2D(2), (2, 1, 4, 6)),
    (lambda rng: Flatten(), (2, 3, 2, 2)),
]


@pytest.mark.parametrize(("make", "shape"), LAYERS)
def test_every_layer_passes_its_gradient_check(make, shape):
    rng = np.random.default_rng(0)
    layer = make(rng)
    x = rng.standard_normal(shape)  # continuous values: no ties in max pooling, no exact zeros for ReLU
    errors = gradcheck.check_layer(layer, x)
    assert set(errors) == {"x", *layer.params}
    assert max(errors.values()) < 1e-7, errors


class _DenseWithABug(Dense):
    """A realistic mistake: the bias gradient averaged over the batch instead of summed."""

    def backward(self, grad_out):
        grad_in = super().backward(grad_out)
        self.grads["b"] = self.grads["b"] / grad_out.shape[0]
        return grad_in


class _ReLUWithABug(ReLU):
    """Another: gated on the sign of the incoming gradient instead of the sign of the input."""

    def backward(self, grad_out):
        return np.where(grad_out > 0, grad_out, 0.0)


def test_a_wrong_backward_pass_fails_its_gradient_check():
    rng = np.random.default_rng(1)
    errors = gradcheck.check_layer(_DenseWithABug(5, 3, rng=rng), rng.standard_normal((4, 5)))
    assert errors["x"] < 1e-7 and errors["w"] < 1e-7 and errors["b"] > 0.1
    assert gradcheck.check_layer(_ReLUWithABug(), rng.standard_normal((3, 7)))["x"] > 0.1


def test_check_network_end_to_end_through_a_small_cnn():
    rng = np.random.default_rng(2)
    net = Sequential(
        Conv2D(1, 2, 3, rng=rng), ReLU(), MaxPool2D(2), Flatten(), Dense(2 * 3 * 3, 4, rng=rng)
    )  # (N, 1, 8, 8) -> (N, 2, 6, 6) -> (N, 2, 3, 3) -> (N, 18) -> (N, 4)
    images, labels = rng.standard_normal((3, 1, 8, 8)), np.array([0, 3, 1])
    errors = gradcheck.check_network(net, images, labels)
    assert set(errors) == {"0.w", "0.b", "4.w", "4.b", "input"}
    assert max(errors.values()) < 1e-6, errors
    net.layers[4] = _DenseWithABug(18, 4, rng=rng)
    assert gradcheck.check_network(net, images, labels)["4.b"] > 0.1


def test_checks_refuse_float32_layers():
    with pytest.raises(TypeError, match="float64 layers.*Dense has dtype float32"):
        gradcheck.check_layer(Dense(2, 2, dtype=np.float32), np.ones((1, 2)))
    with pytest.raises(TypeError, match="ReLU has dtype float32"):
        gradcheck.check_network(Sequential(ReLU(dtype=np.float32)), np.ones((1, 2)), np.array([0]))
