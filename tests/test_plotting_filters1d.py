"""cnnlib.plotting.filters1d: the smoothing and jump figures of notebook 02 draw the curves they are given."""

import numpy as np
import pytest

from cnnlib import plotting


def dots(ax, label=None):
    """(x, y) of every line drawn with round markers on ``ax`` (the stems' dots), optionally by legend label."""
    found = [line for line in ax.lines if line.get_marker() == "o" and (label is None or line.get_label() == label)]
    return [(list(line.get_xdata()), list(line.get_ydata())) for line in found]


def test_both_figures_have_titles_and_labelled_axes():
    t = np.linspace(0, 1, 20)
    figures = [
        plotting.smoothing_figure_1d(t, np.sin(t), {"box": np.sin(t)}, kernels={"box": np.ones(3) / 3}),
        plotting.jump_figure_1d(np.r_[np.zeros(4), np.ones(4)], np.zeros(8), [1, 0, -1]),
    ]
    for fig in figures:
        for ax in fig.axes:
            assert ax.get_title(loc="left") and ax.get_ylabel()
        assert fig.axes[-1].get_xlabel()


@pytest.mark.parametrize(
    ("call", "error", "match"),
    [
        (lambda: plotting.smoothing_figure_1d([0, 1], [0, 1, 2], {}), ValueError, "`noisy` must have the shape"),
        (lambda: plotting.jump_figure_1d([0, 1], [0], [1, -1]), ValueError, "`response` must have the shape"),
    ],
)
def test_bad_arguments_are_named(call, error, match):
    with pytest.raises(error, match=match):
        call()


def test_every_public_name_is_exported():
    for name in plotting.filters1d.__all__:
        assert getattr(plotting, name) is getattr(plotting.filters1d, name)


def test_smoothing_figure_draws_every_curve_with_a_legend():
    t = np.arange(10) / 10
    fig = plotting.smoothing_figure_1d(
        t,
        np.ones(10),
        {"box": np.zeros(10), "Gaussian": np.zeros(10)},
        clean=np.ones(10),
        kernels={"box": np.ones(3) / 3, "Gaussian": [0.25, 0.5, 0.25]},
    )
    ax_kernels, ax = fig.axes
    labels = [line.get_label() for line in ax.lines]
    assert labels == ["noisy signal", "signal before the noise", "smoothed: box", "smoothed: Gaussian"]
    assert [line.get_label() for line in ax_kernels.lines] == ["box (3 taps)", "Gaussian (3 taps)"]
    assert ax.get_xlabel() == "time t (s)"
    assert len(plotting.smoothing_figure_1d(t, np.ones(10), {"box": np.ones(10)}).axes) == 1


def test_jump_figure_marks_rises_and_falls():
    x = np.array([0, 0, 1, 1, 1, 0.5, 0.5])
    response = np.convolve(x, [1, 0, -1], mode="same")  # x[n+1] - x[n-1]: [0, 1, 1, 0, -0.5, -0.5, -0.5]
    fig = plotting.jump_figure_1d(x, response, [1, 0, -1])
    ax_y = fig.axes[1]
    assert dots(ax_y, "positive: x rises here") == [([1, 2], [1, 1])]
    assert dots(ax_y, "negative: x falls here") == [([4, 5, 6], [-0.5, -0.5, -0.5])]
    assert "[1, 0, -1]" in ax_y.get_title(loc="left")
