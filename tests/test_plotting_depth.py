"""cnnlib.plotting.depth: the feature-stack and RGB-filter figures of notebook 04 draw the maps they compute."""

import numpy as np
import pytest

import cnnlib
from cnnlib import plotting


def texts(ax):
    return [t.get_text() for t in ax.texts]


def test_feature_stack_figure_shows_each_kernel_and_its_map():
    rng = np.random.default_rng(0)
    image = rng.random((12, 10))
    kernels = rng.standard_normal((3, 3, 3))
    maps = cnnlib.conv2d(image[None, None], kernels[:, None])[0]
    fig = plotting.feature_stack_figure(image, kernels, maps, names=["a", "b", "c"])
    assert len(fig.axes) == 1 + 2 * 3 + 3  # the panels, then a colour bar under each map
    shown = [ax.get_images()[0].get_array() for ax in fig.axes[:7]]
    np.testing.assert_array_equal(shown[0], image)
    for i in range(3):
        np.testing.assert_array_equal(shown[1 + 2 * i], kernels[i])
        np.testing.assert_array_equal(shown[2 + 2 * i], maps[i])
        image_artist = fig.axes[2 + 2 * i].get_images()[0]
        assert image_artist.get_cmap().name == "RdBu_r"
        low, high = image_artist.get_clim()
        assert low == -high  # centred on 0
    assert [fig.axes[1 + 2 * i].get_title() for i in range(3)] == ["a", "b", "c"]
    assert "(3, 10, 8)" in fig._suptitle.get_text() and "depth 3" in fig._suptitle.get_text()
    assert fig.axes[0].get_images()[0].get_cmap().name == "gray"


def test_feature_stack_figure_gives_each_map_its_own_colour_bar():
    # maps 1000 times apart in strength: each bar ends where its own map is clipped
    image = np.zeros((6, 6))
    kernels = np.stack([np.eye(3), np.ones((3, 3)), -np.eye(3)])
    maps = np.stack([np.linspace(-1, 1, 16).reshape(4, 4) * 10.0**p for p in (0, 3, -3)])
    fig = plotting.feature_stack_figure(image, kernels, maps)
    panels, bars = fig.axes[:7], fig.axes[7:]
    assert [ax.get_label() for ax in bars] == ["<colorbar>"] * 3
    for i, bar in enumerate(bars):
        np.testing.assert_allclose(bar.get_xlim(), panels[2 + 2 * i].get_images()[0].get_clim())
    assert bars[1].get_xlim()[1] > 100 * bars[0].get_xlim()[1] > 100 * 100 * bars[2].get_xlim()[1]


def test_feature_stack_figure_draws_a_large_kernel_with_a_colour_bar_not_numbers():
    kernels = np.random.default_rng(2).standard_normal((1, 7, 7))  # 49 weights: too many to write in
    fig = plotting.feature_stack_figure(np.zeros((9, 9)), kernels, np.ones((1, 3, 3)))
    assert len(fig.axes[1].texts) == 0 and sum(ax.get_label() == "<colorbar>" for ax in fig.axes) == 2


@pytest.mark.parametrize(
    ("args", "match"),
    [
        ((np.ones((5, 5)), np.ones((2, 3, 3)), np.ones((3, 3, 3))), "one map per kernel"),
        ((np.ones((5, 5)), np.ones((3, 3)), np.ones((1, 3, 3))), "`kernels` must be 3-D"),
        ((np.ones((5, 5)), np.ones((9, 3, 3)), np.ones((9, 3, 3))), "1 to 8"),
    ],
)
def test_feature_stack_figure_bad_arguments(args, match):
    with pytest.raises(ValueError, match=match):
        plotting.feature_stack_figure(*args)


def test_rgb_filter_figure_sums_the_channel_maps_and_adds_the_bias():
    rng = np.random.default_rng(1)
    x = rng.random((3, 9, 11))
    w = rng.standard_normal((3, 3, 3))
    fig = plotting.rgb_filter_figure(x, w, b=0.5)
    assert len(fig.axes) == 1 + 3 * 3 + 1 + 2  # the panels, then two colour bars
    total = fig.axes[10].get_images()[0].get_array()
    # reference: scipy-free, by the definition: sum over channels and taps, plus the bias
    expected = np.zeros((7, 9))
    for c in range(3):
        for i in range(7):
            for j in range(9):
                expected[i, j] += np.sum(x[c, i : i + 3, j : j + 3] * w[c])
    np.testing.assert_allclose(total, expected + 0.5)
    channel_maps = [fig.axes[1 + 3 * c + 2].get_images()[0].get_array() for c in range(3)]
    np.testing.assert_allclose(sum(channel_maps) + 0.5, total)
    assert "b = 0.5" in fig.axes[10].get_title()
    # one bar shared by the three channel maps (one scale), one for the summed map
    shared, own = fig.axes[11:]
    assert {fig.axes[1 + 3 * c + 2].get_images()[0].get_clim() for c in range(3)} == {tuple(shared.get_xlim())}
    np.testing.assert_allclose(own.get_xlim(), fig.axes[10].get_images()[0].get_clim())
    assert [fig.axes[1 + 3 * c].get_title() for c in range(3)] == ["red channel", "green channel", "blue channel"]


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"x": np.ones((3, 5, 5)), "w": np.ones((2, 3, 3))}, ValueError, "one slice per channel"),
        ({"x": np.ones((5, 5)), "w": np.ones((3, 3, 3))}, ValueError, "`x` must be 3-D"),
        ({"x": np.ones((3, 5, 5)), "w": np.ones((3, 3, 3)), "b": "1"}, TypeError, "`b` must be a real number"),
        ({"x": np.ones((2, 5, 5)), "w": np.ones((2, 3, 3))}, ValueError, "`channel_names`"),
    ],
)
def test_rgb_filter_figure_bad_arguments(kwargs, error, match):
    with pytest.raises(error, match=match):
        plotting.rgb_filter_figure(**kwargs)


def test_small_filters_have_their_weights_written_as_fractions():
    redness = np.stack([np.full((3, 3), 2 / 9), np.full((3, 3), -1 / 9), np.full((3, 3), -1 / 9)])
    fig = plotting.rgb_filter_figure(np.ones((3, 6, 6)) / 2, redness)
    slices = [ax for ax in fig.axes if ax.get_title().startswith("slice")]
    assert [texts(ax) for ax in slices] == [["2/9"] * 9, ["-1/9"] * 9, ["-1/9"] * 9]
    stack = plotting.feature_stack_figure(np.eye(6), np.array([[[1.0, -2.0], [0.5, 0.0]]]), np.ones((1, 5, 5)))
    assert texts(stack.axes[1]) == ["1", "-2", "1/2", "0"]


def test_each_feature_map_is_clipped_at_the_99th_percentile():
    maps = np.ones((1, 20, 50))
    maps[0, 0, 0] = 100.0  # one outlier in 1000: the 99th percentile of |map| is 1
    fig = plotting.feature_stack_figure(np.zeros((21, 51)), np.ones((1, 2, 2)), maps)
    assert fig.axes[2].images[0].get_clim() == pytest.approx((-1.0, 1.0))


def test_every_public_name_is_exported():
    for name in plotting.depth.__all__:
        assert getattr(plotting, name) is getattr(plotting.depth, name)
