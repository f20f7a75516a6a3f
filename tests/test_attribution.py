"""cnnlib.attribution: input gradients and saliency maps against PyTorch autograd and central differences."""

import numpy as np
import pytest

from cnnlib.attribution import input_gradient, saliency
from cnnlib.layers import Conv2D, Dense, Flatten, MaxPool2D, ReLU
from cnnlib.network import Sequential


def small_cnn(channels=1, seed=0):
    """(N, channels, 8, 8) -> (N, 3): conv 4 3x3, ReLU, max pool 2, dense 3 (float64)."""
    rng = np.random.default_rng(seed)
    return Sequential(Conv2D(channels, 4, 3, rng=rng), ReLU(), MaxPool2D(2), Flatten(), Dense(4 * 3 * 3, 3, rng=rng))


def torch_input_gradient(torch, net, images, classes):
    conv, dense = net.layers[0], net.layers[4]
    x = torch.tensor(images, requires_grad=True)
    h = torch.nn.functional.conv2d(x, torch.tensor(conv.params["w"]), torch.tensor(conv.params["b"]))
    h = torch.nn.functional.max_pool2d(torch.relu(h), 2).flatten(1)
    scores = h @ torch.tensor(dense.params["w"]).T + torch.tensor(dense.params["b"])
    scores[torch.arange(len(images)), torch.tensor(classes)].sum().backward()
    return x.grad.numpy()


@pytest.mark.parametrize("channels", [1, 3])
def test_input_gradient_agrees_with_pytorch_autograd(torch, channels):
    net = small_cnn(channels)
    images = np.random.default_rng(1).normal(size=(5, channels, 8, 8))
    classes = np.array([0, 1, 2, 1, 0])
    gradient, used = input_gradient(net, images, classes)
    np.testing.assert_array_equal(used, classes)
    np.testing.assert_allclose(gradient, torch_input_gradient(torch, net, images, classes), rtol=1e-10, atol=1e-12)
    expected_map = np.abs(gradient).max(axis=1)
    np.testing.assert_array_equal(saliency(net, images, classes), expected_map)
    assert saliency(net, images, classes).shape == (5, 8, 8)


def test_input_gradient_is_the_slope_of_the_class_score():
    net = small_cnn()
    image = np.random.default_rng(2).normal(size=(1, 1, 8, 8))
    gradient, _ = input_gradient(net, image, 2)
    eps = 1e-6
    for position in [(0, 0, 3, 4), (0, 0, 0, 0), (0, 0, 7, 5)]:
        plus, minus = image.copy(), image.copy()
        plus[position] += eps
        minus[position] -= eps
        slope = (net.forward(plus)[0, 2] - net.forward(minus)[0, 2]) / (2 * eps)
        assert gradient[position] == pytest.approx(slope, abs=1e-6)


def test_default_class_is_the_prediction():
    net = small_cnn()
    images = np.random.default_rng(3).normal(size=(6, 1, 8, 8))
    _, used = input_gradient(net, images)
    np.testing.assert_array_equal(used, net.forward(images).argmax(axis=1))


@pytest.mark.parametrize(
    "classes, words",
    [(3, "between 0 and 2"), (-1, "between 0 and 2"), ([0, 1], "one per image"), (0.5, "one per image")],
)
def test_bad_classes_are_refused_by_name(classes, words):
    with pytest.raises(ValueError, match="`classes`") as error:
        saliency(small_cnn(), np.zeros((3, 1, 8, 8)), classes)
    assert words in str(error.value)


def test_images_must_be_a_batch():
    with pytest.raises(ValueError, match="`images`"):
        saliency(small_cnn(), np.zeros((8, 8)))
