"""cnnlib.plotting.learning: the toy's descent is computed right, and every figure draws what it is given."""

import numpy as np
import pytest
from matplotlib.figure import Figure
from scipy.special import softmax as reference_softmax

from cnnlib import plotting
from cnnlib.toy_regression import toy_descent_path, toy_loss
from cnnlib.training import History

X, Y = np.array([1.0, 2.0, 3.0, 4.0]), np.array([2.1, 3.9, 6.2, 7.8])  # the notebook's toy
BEST = 59.7 / 30.0  # sum(x y) / sum(x^2)
CURVATURE = 15.0  # L'' = 2 mean(x^2)


def texts(fig):
    return [t.get_text() for ax in fig.axes for t in ax.texts]


def titles(fig):
    return [ax.get_title() for ax in fig.axes]


@pytest.mark.parametrize(("lr", "verdict"), [(0.05, "converged"), (0.005, "too slow"), (0.14, "diverges")])
def test_descent_figure_gives_the_verdict_in_its_title(lr, verdict):
    fig = plotting.descent_figure(X, Y, lr, steps=20)
    assert isinstance(fig, Figure) and len(fig.axes) == 3
    assert fig.get_suptitle().startswith(f"learning rate {lr:g}: {verdict}")
    loss_line = fig.axes[2].lines[0]
    path = toy_descent_path(X, Y, 0, lr, 20)
    np.testing.assert_allclose(loss_line.get_ydata(), toy_loss(X, Y, path))


def test_descent_figure_survives_a_path_that_blows_up():
    fig = plotting.descent_figure(X, Y, 1.0, steps=30)
    assert "diverges" in fig.get_suptitle()
    assert any("off the chart" in t for t in texts(fig))


def test_learning_rates_figure_has_one_panel_per_rate_and_one_for_the_losses():
    paths = {lr: toy_descent_path(X, Y, 0.0, lr, 20) for lr in (0.005, 0.05, 0.14)}
    fig = plotting.learning_rates_figure(X, Y, paths)
    assert len(fig.axes) == 4
    assert {"lr = 0.005: too slow", "lr = 0.05: converged", "lr = 0.14: diverges"} <= set(titles(fig))
    loss_ax = next(ax for ax in fig.axes if ax.get_title() == "loss after each step")
    assert len(loss_ax.lines) == 3 + 1  # one per rate and the smallest-loss line
    assert any("off the chart" in t for t in texts(fig))  # the diverging steps leave the window
    with pytest.raises(TypeError, match="`paths`"):
        plotting.learning_rates_figure(X, Y, [paths[0.05]])


# ---------------------------------------------------------------- loss and its gradient

def test_cross_entropy_figure_draws_minus_log_p_and_the_marks():
    fig = plotting.cross_entropy_figure(marked=(0.5, 0.1))
    curve = fig.axes[0].lines[0]
    np.testing.assert_allclose(curve.get_ydata(), -np.log(curve.get_xdata()))
    assert "p = 0.1: loss 2.30" in texts(fig) and "p = 0.5: loss 0.69" in texts(fig)
    with pytest.raises(ValueError, match="probabilities"):
        plotting.cross_entropy_figure(marked=(0.0,))


def test_softmax_gradient_figure_bars_are_p_onehot_and_their_difference():
    z, label = np.array([2.0, 1.0, 0.1, -1.0]), 2
    fig = plotting.softmax_gradient_figure(z, label)
    p = reference_softmax(z)
    onehot = np.eye(4)[label]
    for ax, expected in zip(fig.axes, [p, onehot, p - onehot], strict=True):
        np.testing.assert_allclose([bar.get_height() for bar in ax.patches], expected)
    with pytest.raises(ValueError, match="`label`"):
        plotting.softmax_gradient_figure(z, 4)


# ---------------------------------------------------------------- gradient grids

def test_gradient_grids_write_every_number_and_centre_the_colours_on_zero():
    x = np.array([[2.0, 7.0, 1.0, 3.0], [5.0, 0.0, 4.0, 9.0], [8.0, 1.0, 6.0, 2.0], [3.0, 4.0, 0.0, 5.0]])
    g = np.array([[0.5, -1.0], [2.0, 1.5]])
    fig = plotting.gradient_grids_figure({"x": x, "g": g}, window=2, marked={"x": x == 9.0}, title="pooling")
    x_ax, g_ax = fig.axes
    assert [t.get_text() for t in x_ax.texts] == ["2", "7", "1", "3", "5", "0", "4", "9",
                                                  "8", "1", "6", "2", "3", "4", "0", "5"]
    assert [t.get_text() for t in g_ax.texts] == ["0.5", "-1", "2", "1.5"]
    for ax, values in [(x_ax, x), (g_ax, g)]:
        low, high = ax.images[0].get_clim()
        assert low == -high == -np.abs(values).max()
    assert len(x_ax.patches) == 1 and not g_ax.patches  # the one marked cell
    assert len(x_ax.lines) > len(g_ax.lines)  # window lines on the 4 x 4 grid only
    assert fig.get_suptitle() == "pooling"


@pytest.mark.parametrize(
    ("grids", "kwargs", "error", "says"),
    [
        ({}, {}, TypeError, "non-empty dict"),
        ([np.zeros((2, 2))], {}, TypeError, "non-empty dict"),
        ({"a": np.zeros(3)}, {}, ValueError, "2-D"),
        ({"a": np.zeros((2, 2))}, {"marked": {"b": np.ones((2, 2))}}, ValueError, "keys are titles"),
        ({"a": np.zeros((2, 2))}, {"marked": {"a": np.ones((3, 3))}}, ValueError, "grid's shape"),
    ],
)
def test_gradient_grids_bad_input_is_named(grids, kwargs, error, says):
    with pytest.raises(error, match=says):
        plotting.gradient_grids_figure(grids, **kwargs)


# ---------------------------------------------------------------- training

def test_training_history_figure_plots_the_epochs_it_is_given():
    history = History(loss=[0.17, 0.07, 0.06], accuracy=[0.947, 0.978, 0.9826], val_accuracy=[0.970, 0.9775, 0.980])
    fig = plotting.training_history_figure(history)
    loss_ax, acc_ax = fig.axes
    np.testing.assert_allclose(loss_ax.lines[0].get_ydata(), history.loss)
    np.testing.assert_allclose(acc_ax.lines[0].get_ydata(), 100 * np.array(history.accuracy))
    np.testing.assert_allclose(acc_ax.lines[1].get_ydata(), 100 * np.array(history.val_accuracy))
    assert acc_ax.lines[2].get_ydata()[0] == 98  # the target line
    assert "98.26%" in texts(fig) and "0.170" in texts(fig)
    without_validation = plotting.training_history_figure(History(loss=[0.5], accuracy=[0.9]), target=None)
    assert len(without_validation.axes[1].lines) == 1


def test_filters_figure_shows_before_after_and_the_change_on_one_scale():
    rng = np.random.default_rng(0)
    before = rng.standard_normal((8, 1, 3, 3))
    after = before + 0.3 * rng.standard_normal((8, 1, 3, 3))
    fig = plotting.filters_before_after_figure(before, after)
    images = [ax.images[0] for ax in fig.axes if ax.images]
    assert len(images) == 3 * 8
    np.testing.assert_allclose(images[0].get_array(), before[0, 0])
    np.testing.assert_allclose(images[8].get_array(), after[0, 0])
    np.testing.assert_allclose(images[16].get_array(), after[0, 0] - before[0, 0])
    assert len({image.get_clim() for image in images}) == 1
    low, high = images[0].get_clim()
    assert low == -high
    assert images[0].get_cmap().name == "RdBu_r"
    with pytest.raises(ValueError, match="one shape"):
        plotting.filters_before_after_figure(before, after[:4])
    with pytest.raises(ValueError, match="one input channel"):
        plotting.filters_before_after_figure(np.zeros((8, 2, 3, 3)), np.zeros((8, 2, 3, 3)))


def test_confusion_matrix_writes_every_count():
    confusion = np.array([[5, 1, 0], [0, 7, 2], [1, 0, 1000]])
    fig = plotting.confusion_matrix_figure(confusion)
    ax = fig.axes[0]
    assert [t.get_text() for t in ax.texts] == [str(n) for n in confusion.ravel()]
    assert ax.images[0].get_cmap().name == "viridis"
    assert (ax.get_xlabel(), ax.get_ylabel()) == ("predicted class", "true class")
    with pytest.raises(ValueError, match="square"):
        plotting.confusion_matrix_figure(np.zeros((2, 3), dtype=int))
    with pytest.raises(ValueError, match="integer counts"):
        plotting.confusion_matrix_figure(np.zeros((3, 3)))


def test_misclassified_figure_titles_each_digit_with_true_and_predicted():
    images = np.arange(5 * 28 * 28, dtype=float).reshape(5, 1, 28, 28)
    fig = plotting.misclassified_figure(images, [4, 6, 2, 7, 9], [9, 0, 8, 3, 4], columns=2, max_images=3)
    shown = [ax for ax in fig.axes if ax.images]
    assert [ax.get_title() for ax in shown] == ["true 4, got 9", "true 6, got 0", "true 2, got 8"]
    assert all(ax.images[0].get_cmap().name == "gray" for ax in shown)
    assert fig.get_suptitle() == "3 of the 5 misclassified test digits"
    with pytest.raises(ValueError, match="predicted_labels"):
        plotting.misclassified_figure(images, [1, 2, 3, 4, 5], [1, 2])
    assert plotting.misclassified_figure(np.zeros((0, 28, 28)), [], []).get_suptitle() == "no misclassified digits"
