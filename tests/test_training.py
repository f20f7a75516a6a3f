"""cnnlib.training: a network that learns, deterministically, changing only its parameters."""

import numpy as np
import pytest

from cnnlib import data
from cnnlib.images import scale_pixels
from cnnlib.layers import Conv2D, Dense, Flatten, MaxPool2D, NonFiniteError, ReLU
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


def test_validation_images_with_nan_are_refused_by_the_network(digits):
    net = small_cnn()
    bad = digits[0][:8].copy()
    bad[3, 0, 5, 5] = np.nan
    with pytest.raises(NonFiniteError, match="NaN or infinity"):  # fit checks the training images only
        fit(net, *(a[:8] for a in digits), optimizer=Adam(net), validation=(bad, digits[1][:8]), progress=False)


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


# ---------------------------------------------------------------- per-step loss, weight decay, best epoch


def test_history_keeps_every_batch_loss_and_the_epoch_loss_is_their_weighted_mean(digits):
    images, labels = digits[0][:100], digits[1][:100]
    net = small_cnn()
    history = fit(net, images, labels, optimizer=Adam(net), epochs=2, batch_size=32, progress=False)
    assert len(history.batch_loss) == 2 * 4  # 100 digits: batches of 32, 32, 32 and 4
    sizes = np.array([32, 32, 32, 4])
    for epoch in range(2):
        losses = np.array(history.batch_loss[4 * epoch : 4 * epoch + 4])
        assert history.loss[epoch] == pytest.approx((losses * sizes).sum() / 100)


@pytest.mark.parametrize(
    "make",
    [
        lambda net, wd: SGD(net, lr=0.1, momentum=0.0, weight_decay=wd),
        lambda net, wd: Adam(net, lr=0.1, weight_decay=wd),
    ],
)
def test_weight_decay_pulls_weights_towards_zero_and_leaves_biases(make):
    net = Sequential(Dense(3, 2))
    dense = net.layers[0]
    dense.params["w"][:] = [[1.0, -2.0, 0.5], [0.0, 3.0, -1.0]]
    dense.params["b"][:] = [1.0, -1.0]
    dense.grads = {"w": np.zeros((2, 3)), "b": np.zeros(2)}  # the data pulls nowhere: only the decay acts
    before = dense.params["w"].copy()
    make(net, 0.5).step()
    after = dense.params["w"]
    # every weight moved towards 0 (SGD: by lr * wd * w exactly; Adam: by lr per weight, its sign)
    assert np.all(np.abs(after[before != 0]) < np.abs(before[before != 0]))
    assert np.all(np.sign(after) * np.sign(before) >= 0)
    np.testing.assert_array_equal(dense.params["b"], [1.0, -1.0])
    if isinstance(make(net, 0.5), SGD):
        np.testing.assert_allclose(after, before * (1 - 0.1 * 0.5))


def test_weight_decay_zero_is_plain_training(digits):
    runs = []
    for wd in (None, 0.0):
        net = small_cnn()
        optimizer = Adam(net) if wd is None else Adam(net, weight_decay=wd)
        fit(net, *digits, optimizer=optimizer, epochs=1, batch_size=64, progress=False)
        runs.append(net.layers[-1].params["w"].copy())
    np.testing.assert_array_equal(*runs)


def test_restore_best_puts_back_the_weights_of_the_best_validation_epoch(digits):
    train, val = (digits[0][:96], digits[1][:96]), (digits[0][96:], digits[1][96:])
    net = small_cnn()
    history = fit(net, *train, optimizer=Adam(net, lr=3e-3), epochs=6, batch_size=16, validation=val,
                  restore_best=True, progress=False)  # fmt: skip
    best = history.best_epoch
    assert history.val_accuracy[best] == max(history.val_accuracy)
    assert best == history.val_accuracy.index(max(history.val_accuracy))  # the first epoch that reached it
    assert evaluate(net, *val) == history.val_accuracy[best]
    again = small_cnn()  # the same run stopped after the best epoch holds the same weights
    fit(again, *train, optimizer=Adam(again, lr=3e-3), epochs=best + 1, batch_size=16, progress=False)
    for (_, a, key), (_, b, _) in zip(net.named_parameters(), again.named_parameters(), strict=True):
        np.testing.assert_array_equal(a.params[key], b.params[key])


def test_restore_best_needs_validation_data(digits):
    net = small_cnn()
    with pytest.raises(ValueError, match="`restore_best=True` needs `validation`"):
        fit(net, *digits, optimizer=Adam(net), restore_best=True, progress=False)


def test_a_diverging_scheduled_run_points_at_the_schedule(digits):
    from cnnlib.training import OneCycle

    net = small_cnn(dtype=np.float32)  # float32 overflows to infinity after a few absurd steps
    with pytest.raises(TrainingDiverged, match="The schedule had set lr=.*whose largest rate is smaller"):
        fit(net, *digits, optimizer=SGD(net), schedule=OneCycle(2.5e31, total_steps=100), epochs=3, batch_size=32,
            progress=False)  # fmt: skip


def test_optimizers_name_a_bad_weight_decay():
    with pytest.raises(ValueError, match="`weight_decay`"):
        Adam(small_cnn(), weight_decay=-1.0)
