"""cnnlib.plotting.attribution: saliency maps and inputs made to excite a unit (notebook 09)."""

import numpy as np
import pytest
from figure_helpers import assert_inside
from matplotlib.figure import Figure

from cnnlib import plotting


def image_axes(fig):
    return [ax for ax in fig.axes if ax.images and ax.get_label() != "<colorbar>"]


def test_saliency_figure_draws_each_image_above_its_map_scaled_to_its_largest_value():
    images = np.zeros((3, 1, 4, 5))
    maps = np.zeros((3, 4, 5))
    maps[0, 1, 2], maps[1, 3, 4], maps[2, 0, 0] = 4.0, 0.5, 2.0
    maps[0, 0, 0] = 1.0  # a quarter of image 0's largest value
    fig = plotting.saliency_figure(images, maps, labels=[7, 2, 1], predictions=[7, 3, 1])
    assert isinstance(fig, Figure)
    axes = image_axes(fig)
    assert len(axes) == 6
    assert [ax.get_title() for ax in axes[:3]] == ["label 7, says 7", "label 2, says 3", "label 1, says 1"]
    assert axes[1].title.get_color() == "tab:red" and axes[0].title.get_color() == "black", "the mistake in red"
    assert axes[0].images[0].get_cmap().name == "gray" and axes[0].images[0].get_clim() == (0, 1)
    shown = axes[3].images[0]
    assert shown.get_cmap().name == "viridis" and shown.get_clim() == (0, 1)
    assert shown.get_array()[1, 2] == 1.0 and shown.get_array()[0, 0] == 0.25
    assert axes[4].images[0].get_array()[3, 4] == 1.0
    assert any(ax.get_label() == "<colorbar>" for ax in fig.axes)
    assert_inside(fig)


def test_saliency_figure_draws_a_map_of_zeros_without_dividing_by_zero():
    fig = plotting.saliency_figure(np.zeros((1, 3, 3)), np.zeros((1, 3, 3)))
    assert not np.isnan(image_axes(fig)[1].images[0].get_array()).any()
    assert image_axes(fig)[0].get_title() == ""


@pytest.mark.parametrize(
    ("maps", "keywords", "says"),
    [
        (np.zeros((2, 4, 4)), {}, "one \\(H, W\\) map per image"),
        (-np.ones((1, 4, 5)), {}, "must not be negative"),
        (np.zeros((1, 4, 5)), {"labels": [1, 2]}, "`labels` must have one entry per image"),
    ],
)
def test_saliency_figure_refuses_maps_that_do_not_fit(maps, keywords, says):
    with pytest.raises(ValueError, match=says):
        plotting.saliency_figure(np.zeros((1, 4, 5)), maps, **keywords)


def test_maximised_inputs_figure_draws_images_of_any_size_in_gray_from_0_to_1():
    images = [np.zeros((1, 5, 5)), np.full((14, 14), 0.5), np.ones((1, 28, 28))]
    fig = plotting.maximised_inputs_figure(images, ["conv1 0", "conv2 3", "class 7"], rows=2)
    axes = image_axes(fig)
    assert [ax.get_title() for ax in axes] == ["conv1 0", "conv2 3", "class 7"]
    assert [ax.images[0].get_array().shape for ax in axes] == [(5, 5), (14, 14), (28, 28)]
    assert all(ax.images[0].get_clim() == (0, 1) and ax.images[0].get_cmap().name == "gray" for ax in axes)
    assert len(fig.axes) == 4 and not fig.axes[3].axison, "the empty fourth place is hidden"
    assert_inside(fig)


@pytest.mark.parametrize(
    ("images", "titles", "rows", "says"),
    [
        ([np.zeros((5, 5))], [], 1, "one title per image"),
        ([np.zeros((2, 5, 5))], ["a"], 1, "grayscale"),
        ([np.zeros((5, 5))], ["a"], 2, "`rows` must be an int from 1"),
    ],
)
def test_maximised_inputs_figure_refuses_what_does_not_fit(images, titles, rows, says):
    with pytest.raises(ValueError, match=says):
        plotting.maximised_inputs_figure(images, titles, rows=rows)


def test_every_public_name_is_exported():
    for name in plotting.attribution.__all__:
        assert getattr(plotting, name) is getattr(plotting.attribution, name)
