"""cnnlib.plotting.images: the figures of notebook 01 draw the numbers they claim to draw.

Expected values are worked out here by hand or with plain numpy (the BT.601 sum written out,
row-major order read off np.arange), never taken from the code under test.
"""

import numpy as np
import pytest
from figure_helpers import assert_inside, ramp
from matplotlib.figure import Figure

from cnnlib import plotting

RGB = np.array(
    [[[255, 0, 0], [0, 255, 0], [0, 0, 255]], [[255, 255, 255], [0, 0, 0], [200, 100, 50]]], dtype=np.uint8
)  # (2, 3, 3): red, green, blue / white, black, orange


def texts(ax):
    return [t.get_text() for t in ax.texts]


# photo_figure ---------------------------------------------------------------------------------


def test_photo_figure_titles_the_photo_with_its_shape_and_dtype_and_labels_the_axes():
    fig = plotting.photo_figure(RGB, title="Colours", credit="Someone, CC0")
    assert isinstance(fig, Figure)
    ax = fig.axes[0]
    assert ax.get_title() == "Colours: shape (2, 3, 3), dtype uint8"
    assert (ax.get_xlabel(), ax.get_ylabel()) == ("column", "row")
    assert fig.get_supxlabel() == "Photo: Someone, CC0"
    np.testing.assert_array_equal(ax.images[0].get_array(), RGB)


def test_photo_figure_draws_gray_images_on_the_fixed_range_0_to_255_with_a_colour_bar():
    dim = np.full((4, 4), 10, dtype=np.uint8)  # a dark image must stay dark, not be stretched to white
    fig = plotting.photo_figure(dim)
    image = fig.axes[0].images[0]
    assert image.get_cmap().name == "gray"
    assert image.get_clim() == (0, 255)
    assert len(fig.axes) == 2, "image and colour bar"


@pytest.mark.parametrize(
    ("image", "kwargs", "error", "match"),
    [
        (np.zeros((4, 4, 4)), {}, ValueError, r"shape \(H, W\) or \(H, W, 3\), got an array with ndim=3"),
        (np.full((2, 2), 300), {}, ValueError, "from 0 to 255, got values from 300 to 300"),
        (np.full((2, 2), -1.0), {}, ValueError, "from 0 to 255"),
        ("cat.png", {}, TypeError, "must be an array of pixels 0-255, got the string"),
        (np.zeros((2, 2)), {"width": 0}, ValueError, "`width` must be a number of inches"),
    ],
)
def test_photo_figure_bad_inputs(image, kwargs, error, match):
    with pytest.raises(error, match=match):
        plotting.photo_figure(image, **kwargs)


# channels and gray --------------------------------------------------------------------------


def test_channels_figure_shows_red_green_blue_grids_in_order():
    fig = plotting.channels_figure(RGB)
    colour, *panels = [ax for ax in fig.axes if ax.images]
    assert colour.get_title() == "colour"
    np.testing.assert_array_equal(colour.images[0].get_array(), RGB)  # the photo itself first, in colour
    assert [ax.get_title() for ax in panels] == ["red: rgb[:, :, 0]", "green: rgb[:, :, 1]", "blue: rgb[:, :, 2]"]
    np.testing.assert_array_equal(panels[0].images[0].get_array(), [[255, 0, 0], [255, 0, 200]])
    np.testing.assert_array_equal(panels[1].images[0].get_array(), [[0, 255, 0], [255, 0, 100]])
    np.testing.assert_array_equal(panels[2].images[0].get_array(), [[0, 0, 255], [255, 0, 50]])
    assert all(ax.images[0].get_clim() == (0, 255) for ax in panels)


def test_channels_figure_refuses_a_gray_image():
    with pytest.raises(ValueError, match=r"`rgb` must be an image of shape \(H, W, 3\)"):
        plotting.channels_figure(np.zeros((5, 5)))


def test_gray_comparison_figure_shows_weighted_sum_plain_mean_and_their_difference():
    fig = plotting.gray_comparison_figure(RGB)
    colour, weighted, mean, difference = (ax for ax in fig.axes if ax.images)
    # 0.299 R + 0.587 G + 0.114 B, pixel by pixel
    by_hand = [[76.245, 149.685, 29.07], [255.0, 0.0, 0.299 * 200 + 0.587 * 100 + 0.114 * 50]]
    np.testing.assert_allclose(weighted.images[0].get_array(), by_hand)
    np.testing.assert_allclose(mean.images[0].get_array(), [[85, 85, 85], [255, 0, 350 / 3]])
    np.testing.assert_allclose(difference.images[0].get_array(), np.array(by_hand) - [[85, 85, 85], [255, 0, 350 / 3]])
    low, high = difference.images[0].get_clim()
    assert -low == high > 0, "the diverging map is centred on 0"
    assert "0.299 R + 0.587 G + 0.114 B" in weighted.get_title()
    assert "(R + G + B) / 3" in mean.get_title()


def test_gray_swatches_figure_writes_both_grays_of_each_pure_colour():
    fig = plotting.gray_swatches_figure()
    drawn = texts(fig.axes[0])
    # weighted row: red 76.245, green 149.685, blue 29.07, yellow 225.93, cyan 178.755, magenta 105.315, white 255
    assert drawn[:7] == ["76.2", "149.7", "29.1", "225.9", "178.8", "105.3", "255.0"]
    assert drawn[7:] == ["85.0", "85.0", "85.0", "170.0", "170.0", "170.0", "255.0"]
    assert "85" in fig.axes[0].get_title()


def test_gray_swatches_figure_takes_other_colours():
    fig = plotting.gray_swatches_figure({"gray": (100, 100, 100)})
    assert texts(fig.axes[0]) == ["100.0", "100.0"], "a gray pixel keeps its value under both recipes"
    assert [t.get_text() for t in fig.axes[0].get_xticklabels()] == ["gray\n(100, 100, 100)"]


# patch_figure --------------------------------------------------------------------------------


def test_patch_figure_writes_the_patch_values_in_row_major_order():
    image = ramp(10, 10)
    fig = plotting.patch_figure(image, row=2, col=3, size=4)
    photo, zoom = fig.axes
    assert zoom.get_title() == "image[2:6, 3:7]"
    # pixel (r, c) of the ramp holds 10 r + c
    assert texts(zoom) == [str(10 * r + c) for r in range(2, 6) for c in range(3, 7)]
    np.testing.assert_array_equal(zoom.images[0].get_array(), image[2:6, 3:7])
    assert [t.get_text() for t in zoom.get_xticklabels()] == ["3", "4", "5", "6"]
    assert [t.get_text() for t in zoom.get_yticklabels()] == ["2", "3", "4", "5"]


def test_patch_figure_outlines_the_patch_on_the_whole_image():
    fig = plotting.patch_figure(ramp(10, 12), row=5, col=7, size=3)
    photo = fig.axes[0]
    (outline,) = photo.patches
    assert outline.get_xy() == (6.5, 4.5)  # pixel centres are whole numbers, so edges are at -0.5
    assert (outline.get_width(), outline.get_height()) == (3, 3)
    assert photo.get_title() == "the whole image, shape (10, 12)"


def test_patch_figure_numbers_are_white_on_dark_cells_and_black_on_light_cells():
    image = np.array([[0, 127], [128, 255]], dtype=np.uint8)
    zoom = plotting.patch_figure(image, 0, 0, size=2).axes[1]
    assert [t.get_color() for t in zoom.texts] == ["white", "white", "black", "black"]


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"row": 7}, ValueError, r"`row` must be between 0 and H - size = 6, got 7"),
        ({"col": -1}, ValueError, r"`col` must be an integer >= 0, got -1"),
        ({"size": 0}, ValueError, r"`size` must be an integer >= 1"),
        ({"size": 17}, ValueError, "`size` must be at most 16"),
        ({"row": 1.5}, TypeError, "`row` must be an integer"),
    ],
)
def test_patch_figure_bad_arguments(kwargs, error, match):
    arguments = {"row": 0, "col": 0, "size": 4} | kwargs
    with pytest.raises(error, match=match):
        plotting.patch_figure(ramp(10, 20), **arguments)


def test_patch_figure_refuses_a_colour_image():
    with pytest.raises(ValueError, match=r"`image` must be an image of shape \(H, W\)"):
        plotting.patch_figure(RGB, 0, 0, size=2)


# digit -------------------------------------------------------------------------------------------


def test_digit_figure_writes_all_784_numbers_of_a_28_by_28_image():
    digit = ramp(28, 28)
    fig = plotting.digit_figure(digit, label=3)
    ax = fig.axes[0]
    assert ax.get_title() == "A handwritten 3: 28 × 28 = 784 numbers from 0 to 255"
    assert texts(ax) == [str((28 * r + c) % 256) for r in range(28) for c in range(28)]
    assert len(ax.get_xticks()) == len(ax.get_yticks()) == 28


def test_digit_figure_writes_zeros_in_dim_gray():
    ax = plotting.digit_figure(np.array([[0, 200], [50, 0]])).axes[0]
    assert [t.get_color() for t in ax.texts] == ["0.45", "black", "white", "0.45"]


def test_digit_figure_refuses_an_image_too_big_to_read():
    with pytest.raises(ValueError, match="at most 32 × 32"):
        plotting.digit_figure(np.zeros((40, 40)))


@pytest.mark.parametrize(
    "make",
    [
        lambda: plotting.photo_figure(RGB, title="t", credit="c"),
        lambda: plotting.channels_figure(RGB),
        lambda: plotting.gray_comparison_figure(RGB),
        lambda: plotting.gray_swatches_figure(),
        lambda: plotting.patch_figure(ramp(20, 30), 4, 5),
        lambda: plotting.digit_figure(ramp(28, 28)),
    ],
)
def test_every_figure_has_a_title_and_keeps_its_text_inside(make):
    fig = make()
    assert fig.get_suptitle() or fig.axes[0].get_title()
    assert_inside(fig)
