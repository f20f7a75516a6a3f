"""cnnlib.plotting.learning: the toy's descent is computed right, and every figure draws what it is given."""

import numpy as np
import pytest
from matplotlib.figure import Figure
from scipy.special import softmax as reference_softmax

from cnnlib import plotting
from cnnlib.toy_regression import toy_descent_path, toy_loss

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
    assert [t.get_text() for t in x_ax.texts] == [
        "2",
        "7",
        "1",
        "3",
        "5",
        "0",
        "4",
        "9",
        "8",
        "1",
        "6",
        "2",
        "3",
        "4",
        "0",
        "5",
    ]
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
