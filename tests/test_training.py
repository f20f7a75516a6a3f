"""cnnlib.training: a network that learns, deterministically, changing only its parameters."""

import numpy as np
import pytest

from cnnlib import data
from cnnlib.images import scale_pixels
from cnnlib.layers import Conv2D, Dense, Flatten, MaxPool2D, ReLU
from cnnlib.training import SGD, Adam, Sequential, TrainingDiverged, digit_cnn_wide, evaluate, fit


def small_cnn(seed=0, dtype=np.float64):
    rng = np.random.default_rng(seed)
    return Sequential(
        Conv2D(1, 4, 3, rng=rng, dtype=dtype),
        ReLU(dtype=dtype),
        MaxPool2D(2, dtype=dtype),
        Flatten(dtype=dtype),
        Dense(4 * 13 * 13, 10, rng=rng, dtype=dtype),
    )


@pytest.fixture(scope="module")
def digits():
    mnist = data.load_mnist()
    return scale_pixels(mnist.train_images[:256])[:, None], mnist.train_labels[:256]


def test_a_small_cnn_overfits_32_digits(digits):
    images, labels = digits[0][:32], digits[1][:32]
    net = small_cnn()
    history = fit(net, images, labels, optimizer=Adam(net, lr=3e-3), epochs=40, batch_size=8, progress=False)
    assert history.loss[-1] < history.loss[0] / 10
    assert evaluate(net, images, labels) == 1.0


def test_sgd_with_momentum_lowers_the_loss(digits):
    net = small_cnn()
    history = fit(net, *digits, optimizer=SGD(net, lr=0.05, momentum=0.9), epochs=3, batch_size=16, progress=False)
    assert history.loss[-1] < history.loss[0]


def test_same_seed_gives_the_same_training_bit_for_bit(digits):
    runs = []
    for _ in range(2):
        net = small_cnn(seed=3, dtype=np.float32)
        history = fit(
            net, *digits, optimizer=Adam(net), epochs=2, batch_size=32, seed=7, progress=False, validation=digits
        )
        runs.append((history, [layer.params[key].copy() for _, layer, key in net.named_parameters()]))
    (first, weights1), (second, weights2) = runs
    assert first.loss == second.loss and first.val_accuracy == second.val_accuracy
    for a, b in zip(weights1, weights2, strict=True):
        np.testing.assert_array_equal(a, b)


def test_training_changes_weights_and_biases_but_never_sizes_strides_or_padding(digits):
    net = small_cnn()
    conv = net.layers[0]
    before = {name: layer.params[key].copy() for name, layer, key in net.named_parameters()}
    settings = (conv.kernel_size, conv.stride, conv.padding, net.layers[2].size, net.layers[2].stride)
    fit(net, *digits, optimizer=Adam(net), epochs=1, progress=False)
    after = {name: layer.params[key] for name, layer, key in net.named_parameters()}
    assert settings == (conv.kernel_size, conv.stride, conv.padding, net.layers[2].size, net.layers[2].stride)
    for name in before:
        assert after[name].shape == before[name].shape, name
        assert not np.array_equal(after[name], before[name]), f"{name} did not learn"
    assert {"0.b", "4.b"} <= set(before), "the biases are parameters too"


def test_a_diverging_run_stops_with_advice(digits):
    net = small_cnn(dtype=np.float32)  # float32 overflows to infinity after a few absurd steps
    with pytest.raises(TrainingDiverged, match="smaller learning rate than lr=1e\\+30"):
        fit(net, *digits, optimizer=SGD(net, lr=1e30), epochs=3, progress=False)


@pytest.mark.parametrize(
    ("lr", "error"), [(0, ValueError), (-0.1, ValueError), ("fast", TypeError), (np.nan, ValueError)]
)
def test_learning_rate_must_be_positive(lr, error):
    with pytest.raises(error, match="`lr`"):
        Adam(small_cnn(), lr=lr)


def test_bad_training_data_is_named(digits):
    net = small_cnn()
    with pytest.raises(ValueError, match="`labels` must have one label per sample"):
        fit(net, digits[0], digits[1][:10], optimizer=Adam(net), progress=False)
    with pytest.raises(ValueError, match="`labels` must be class numbers from 0 to 9"):
        fit(net, digits[0][:4], np.array([0, 1, 2, 10]), optimizer=Adam(net), progress=False)
    with pytest.raises(ValueError, match="`images` must be 4-D"):
        fit(net, digits[0][:, 0], digits[1], optimizer=Adam(net), progress=False)
    with pytest.raises(ValueError, match="C=1 channels"):
        fit(net, np.ones((4, 3, 28, 28)), digits[1][:4], optimizer=Adam(net), progress=False)


def test_the_wide_digit_cnn_has_the_layers_and_parameters_it_promises():
    net = digit_cnn_wide()
    # conv 16 x (1*5*5) + 16, conv 32 x (16*5*5) + 32, dense 10 x 512 + 10
    assert net.parameter_count() == 16 * 25 + 16 + 32 * 16 * 25 + 32 + 10 * 512 + 10 == 18_378
    shapes = {name: out.shape[1:] for name, out in net.layer_outputs(np.zeros((2, 1, 28, 28))).items()}
    assert shapes == {
        "conv1": (16, 24, 24),
        "relu1": (16, 24, 24),
        "pool1": (16, 12, 12),
        "conv2": (32, 8, 8),
        "relu2": (32, 8, 8),
        "pool2": (32, 4, 4),
        "flatten1": (512,),
        "dense1": (10,),
    }
    conv2 = net.layers[3]
    assert conv2.params["w"].dtype == np.float32
    assert np.std(conv2.params["w"]) == pytest.approx(np.sqrt(2 / (16 * 5 * 5)), rel=0.05)  # He initialisation


def test_history_records_the_training_time_of_each_epoch(digits):
    net = small_cnn(dtype=np.float32)
    history = fit(net, *digits, optimizer=Adam(net), epochs=2, batch_size=64, progress=False)
    assert len(history.seconds) == 2 and 0 < history.seconds[0] < history.seconds[1]
