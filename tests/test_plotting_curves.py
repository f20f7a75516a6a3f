"""cnnlib.plotting.curves: training curves draw exactly the numbers a History holds."""

import numpy as np
import pytest

from cnnlib import plotting
from cnnlib.training import History


def history(epochs=3, steps_per_epoch=40, best=None):
    rng = np.random.default_rng(0)
    batch_loss = list(np.exp(-np.arange(epochs * steps_per_epoch) / 50) + 0.05 * rng.random(epochs * steps_per_epoch))
    loss = [float(np.mean(batch_loss[e * steps_per_epoch : (e + 1) * steps_per_epoch])) for e in range(epochs)]
    return History(loss=loss, accuracy=[0.8, 0.9, 0.95][:epochs], val_accuracy=[0.85, 0.9, 0.92][:epochs],
                   batch_loss=batch_loss, best_epoch=best)  # fmt: skip


def test_moving_average_by_hand():
    np.testing.assert_allclose(plotting.moving_average([1, 2, 3, 4, 5], 3), [2, 3, 4])
    np.testing.assert_allclose(plotting.moving_average([1, 3], 10), [2])  # fewer values than the window


def test_loss_curves_figure_draws_every_step_its_average_and_the_epoch_means():
    h = history()
    loss_ax, acc_ax = plotting.loss_curves_figure(h, smooth=10).axes
    raw, smooth, epochs = loss_ax.get_lines()
    np.testing.assert_array_equal(raw.get_ydata(), h.batch_loss)
    np.testing.assert_allclose(smooth.get_ydata(), plotting.moving_average(h.batch_loss, 10))
    np.testing.assert_allclose(epochs.get_ydata(), h.loss)
    np.testing.assert_allclose(epochs.get_xdata(), [40, 80, 120])  # each epoch's mean at its last step
    train, val = acc_ax.get_lines()
    np.testing.assert_allclose(train.get_ydata(), [80, 90, 95])
    np.testing.assert_allclose(val.get_ydata(), [85, 90, 92])
    assert loss_ax.get_yscale() == "log"


def test_optimizer_comparison_figure_one_line_per_optimizer():
    losses = {"SGD": np.linspace(2, 1, 50), "Adam": np.linspace(2, 0.2, 50)}
    ax = plotting.optimizer_comparison_figure(losses, smooth=5).axes[0]
    assert [line.get_label() for line in ax.get_lines()] == ["SGD", "Adam"]
    np.testing.assert_allclose(ax.get_lines()[1].get_ydata(), plotting.moving_average(losses["Adam"], 5))
    with pytest.raises(TypeError, match="`batch_losses`"):
        plotting.optimizer_comparison_figure([1, 2])


def test_overfitting_figure_one_panel_per_run_with_the_best_epoch_marked():
    fig = plotting.overfitting_figure({"300 digits": history(best=1), "3,000 digits": history()})
    first, second = fig.axes
    assert first.get_title() == "300 digits" and second.get_title() == "3,000 digits"
    assert len(first.get_lines()) == 3 and len(second.get_lines()) == 2  # the best epoch only where known
    np.testing.assert_array_equal(first.get_lines()[2].get_xdata(), [2, 2])
    with pytest.raises(ValueError, match="training and validation accuracy"):
        plotting.overfitting_figure({"no validation": History(loss=[1.0], accuracy=[0.5])})
