"""cnnlib.plotting.training: the figures of a training run (notebook 08) draw the numbers they are given."""

import numpy as np
import pytest

from cnnlib import plotting
from cnnlib.training import History


def texts(fig):
    return [t.get_text() for ax in fig.axes for t in ax.texts]


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


def test_confusion_matrix_bolds_the_diagonal_and_writes_dark_cells_in_white():
    ax = plotting.confusion_matrix_figure(np.array([[9, 0], [1, 4]])).axes[0]
    assert [t.get_fontweight() for t in ax.texts] == ["bold", "normal", "normal", "bold"]
    # square-root scale from 0 to 9: a count of 0 is the darkest viridis colour, 9 the brightest
    assert [t.get_color() for t in ax.texts][:2] == ["black", "white"]


def test_every_public_name_is_exported():
    for name in plotting.training.__all__:
        assert getattr(plotting, name) is getattr(plotting.training, name)
