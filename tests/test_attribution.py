"""cnnlib.attribution: input gradients and saliency maps against PyTorch autograd and central differences."""

import numpy as np
import pytest

from cnnlib.attribution import input_gradient, maximise_activation, occlusion, saliency
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


# ---------------------------------------------------------------- occlusion


def one_pixel_net(row, col, size=9):
    """(N, 1, size, size) -> (N, 2): class 1's score is 5 x pixel (row, col); class 0's is 0."""
    dense = Dense(size * size, 2)
    dense.params["w"][:] = 0.0
    dense.params["w"][1, row * size + col] = 5.0
    return Sequential(Flatten(), dense)


def test_occlusion_is_centred_on_the_hidden_square():
    image = np.zeros((1, 9, 9))
    image[0, 2, 6] = 1.0
    drop = occlusion(one_pixel_net(2, 6), image, class_index=1, size=3, fill=0.0)
    # hiding the pixel drops P(1) from sigmoid(5) to 1/2, wherever a 3 x 3 square CENTRED on (i, j) covers it
    expected = np.zeros((9, 9))
    expected[1:4, 5:8] = 1 / (1 + np.exp(-5.0)) - 0.5
    np.testing.assert_allclose(drop, expected, atol=1e-12)


def test_occlusion_agrees_with_hiding_each_square_one_by_one():
    net = small_cnn(channels=2)
    image = np.random.default_rng(4).random((2, 8, 8))

    def p(x):
        scores = net.forward(x[None])[0]
        return np.exp(scores[2] - scores.max()) / np.exp(scores - scores.max()).sum()

    expected = np.zeros((8, 8))
    for i in range(8):
        for j in range(8):
            hidden = image.copy()
            hidden[:, max(i - 2, 0) : i + 3, max(j - 2, 0) : j + 3] = image.mean()  # 5 x 5, cut at the border
            expected[i, j] = p(image) - p(hidden)
    np.testing.assert_allclose(occlusion(net, image, 2, size=5), expected, atol=1e-12)


@pytest.mark.parametrize(
    ("kwargs", "error", "says"),
    [
        ({"size": 4}, ValueError, "`size` must be odd"),
        ({"size": 0}, ValueError, "`size`"),
        ({"class_index": 3}, ValueError, "between 0 and 2"),
        ({"image": np.zeros((8, 8))}, ValueError, "`image` must be 3-D"),
    ],
)
def test_occlusion_names_bad_input(kwargs, error, says):
    arguments = {"image": np.zeros((1, 8, 8)), "class_index": 0, "size": 3} | kwargs
    with pytest.raises(error, match=says):
        occlusion(small_cnn(), **arguments)


# ---------------------------------------------------------------- activation maximisation


def test_maximise_activation_finds_the_best_image_of_a_linear_score():
    # the score w . x on [0, 1] pixels is largest with x = 1 where w > 0 and x = 0 where w < 0
    rng = np.random.default_rng(5)
    dense = Dense(16, 2)
    dense.params["w"][:] = rng.choice([-1.0, 1.0], size=(2, 16)) * rng.uniform(0.2, 1.0, size=(2, 16))
    net = Sequential(Flatten(), dense)
    image, objective = maximise_activation(net, 2, 1, (1, 4, 4), steps=60, lr=0.1, l2=1e-4)
    np.testing.assert_array_equal(image.ravel(), (dense.params["w"][1] > 0).astype(float))
    assert objective[-1] > objective[0] and objective.shape == (61,)


def test_maximise_activation_raises_a_conv_channel_above_500_random_images():
    net = small_cnn()
    image, objective = maximise_activation(net, 1, 3, (1, 8, 8), steps=40)  # channel 3 of the convolution
    randoms = np.random.default_rng(6).random((500, 1, 8, 8))
    best_random = net.layers[0].forward(randoms)[:, 3].mean(axis=(1, 2)).max()
    assert net.layers[0].forward(image[None])[0, 3].mean() > best_random
    assert np.all(np.diff(objective) > 0)
    assert 0.0 <= image.min() and image.max() <= 1.0


@pytest.mark.parametrize(
    ("args", "says"),
    [
        ((9, 0, (1, 8, 8)), "at most the network's 5 layers"),
        ((2, 4, (1, 8, 8)), "between 0 and 3"),
        ((2, -1, (1, 8, 8)), "`channel`"),
    ],
)
def test_maximise_activation_names_bad_input(args, says):
    with pytest.raises(ValueError, match=says):
        maximise_activation(small_cnn(), *args, steps=1)
