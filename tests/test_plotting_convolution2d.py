"""cnnlib.plotting.convolution2d: the figures of notebook 03 draw the numbers they claim to draw."""

import numpy as np
import pytest
import scipy.signal
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

from cnnlib import plotting
from cnnlib.kernels import KERNELS, is_signed_kernel

# The original article's example: a 5 x 5 binary image and a 3 x 3 filter.
IMAGE = np.array([[1, 1, 1, 0, 0], [0, 1, 1, 1, 0], [0, 0, 1, 1, 1], [0, 0, 1, 1, 0], [0, 1, 1, 0, 0]])
KERNEL = np.array([[1, 0, 1], [0, 1, 0], [1, 0, 1]])
# Worked by hand: the four corners plus the centre of each 3 x 3 patch; e.g. out[0, 0] = 1 + 1 + 1 + 0 + 1 = 4.
OUT = np.array([[4, 3, 4], [2, 4, 3], [2, 3, 4]])


def photo(seed=0, shape=(20, 24)):
    return np.random.default_rng(seed).integers(0, 256, size=shape).astype(float)


def texts_of(ax):
    return [t.get_text() for t in ax.texts]


def outlines(ax):
    return [p for p in ax.patches if isinstance(p, Rectangle) and not p.get_fill()]


# --- sliding_window_figure ---------------------------------------------------------------------


def test_sliding_window_figure_shows_image_kernel_and_output():
    fig = plotting.sliding_window_figure(IMAGE, KERNEL, (0, 0))
    assert isinstance(fig, Figure)
    image_ax, kernel_ax, out_ax = fig.axes
    assert image_ax.get_title() == "image, shape (5, 5)"
    assert kernel_ax.get_title() == "kernel, shape (3, 3)"
    assert out_ax.get_title() == "output, shape (3, 3): out[0, 0] = 4"
    np.testing.assert_array_equal(image_ax.images[0].get_array(), IMAGE)
    np.testing.assert_array_equal(kernel_ax.images[0].get_array(), KERNEL)
    for ax in fig.axes:
        assert (ax.get_xlabel(), ax.get_ylabel()) == ("column j", "row i")
    assert texts_of(image_ax) == [str(v) for v in IMAGE.ravel()]


def test_sliding_window_figure_fills_the_output_in_loop_order():
    fig = plotting.sliding_window_figure(IMAGE, KERNEL, (1, 2))
    _, _, out_ax = fig.axes
    data = out_ax.images[0].get_array()
    np.testing.assert_array_equal(data.data, OUT)
    assert data.mask.tolist() == [[False] * 3, [False] * 3, [True] * 3], "row 2 is not computed yet"
    assert texts_of(out_ax) == ["4", "3", "4", "2", "4", "3"]


def test_sliding_window_figure_outlines_the_patch_and_writes_the_sum():
    fig = plotting.sliding_window_figure(IMAGE, KERNEL, (1, 2))
    (patch,) = outlines(fig.axes[0])
    assert patch.get_xy() == (1.5, 0.5) and (patch.get_width(), patch.get_height()) == (3, 3)
    (cell,) = outlines(fig.axes[2])
    assert cell.get_xy() == (1.5, 0.5) and (cell.get_width(), cell.get_height()) == (1, 1)
    # patch rows 1-3, columns 2-4: [[1, 1, 0], [1, 1, 1], [1, 1, 0]] against the kernel
    assert fig._supxlabel.get_text() == "out[1, 2] = 1·1 + 1·0 + 0·1 + 1·0 + 1·1 + 1·0 + 1·1 + 1·0 + 0·1 = 3"


def test_sliding_window_figure_on_a_signed_kernel_uses_a_diverging_map_centred_on_zero():
    fig = plotting.sliding_window_figure(IMAGE, KERNELS["Sobel x"], (2, 2))
    for ax in fig.axes[1:]:
        image = ax.images[0]
        low, high = image.get_clim()
        assert image.get_cmap().name.startswith("RdBu_r") and low == -high


@pytest.mark.parametrize(
    ("args", "error", "match"),
    [
        ((IMAGE, KERNEL, (3, 0)), ValueError, r"`position` must be inside the output of shape \(3, 3\), got \(3, 0\)"),
        ((IMAGE, KERNEL, (0, -1)), ValueError, "`position` must be a pair of integers >= 0"),
        ((IMAGE, np.ones((6, 2)), (0, 0)), ValueError, "larger than the image"),
        ((IMAGE.ravel(), KERNEL, (0, 0)), ValueError, "`image` must be 2-D"),
        ((IMAGE, None, (0, 0)), TypeError, "`kernel` must be a numeric array"),
    ],
)
def test_sliding_window_figure_bad_arguments(args, error, match):
    with pytest.raises(error, match=match):
        plotting.sliding_window_figure(*args)


# --- every_position_figure ---------------------------------------------------------------------


def test_every_position_figure_has_one_panel_per_output_pixel_with_its_value():
    fig = plotting.every_position_figure(IMAGE, KERNEL)
    assert len(fig.axes) == 9
    titles = [ax.get_title() for ax in fig.axes]
    assert titles == [f"out[{i}, {j}] = {OUT[i, j]}" for i in range(3) for j in range(3)]
    for n, ax in enumerate(fig.axes):
        (patch,) = outlines(ax)
        i, j = divmod(n, 3)
        assert patch.get_xy() == (j - 0.5, i - 0.5)
    assert "9 positions" in fig._suptitle.get_text()


def test_every_position_figure_refuses_too_many_panels():
    with pytest.raises(ValueError, match="49 output pixels"):
        plotting.every_position_figure(np.zeros((9, 9)), np.ones((3, 3)))


# --- im2col_figure -----------------------------------------------------------------------------


def test_im2col_figure_draws_row_times_columns_equals_output():
    fig = plotting.im2col_figure(IMAGE, KERNEL, highlight=(1, 2))
    row_ax, times_ax, cols_ax, equals_ax, product_ax = fig.axes
    assert (times_ax.texts[0].get_text(), equals_ax.texts[0].get_text()) == ("@", "=")
    np.testing.assert_array_equal(row_ax.images[0].get_array(), KERNEL.reshape(1, 9))
    cols = cols_ax.images[0].get_array()
    assert cols.shape == (9, 9)
    np.testing.assert_array_equal(cols[:, 0], IMAGE[0:3, 0:3].ravel())
    np.testing.assert_array_equal(cols[:, 5], IMAGE[1:4, 2:5].ravel())  # position (1, 2) is column 1*3 + 2
    np.testing.assert_array_equal(product_ax.images[0].get_array(), OUT.reshape(1, 9))
    (column,) = outlines(cols_ax)
    assert column.get_xy() == (4.5, -0.5) and column.get_height() == 9
    assert "column 5 is the patch at (1, 2)" in fig._suptitle.get_text()
    assert cols_ax.get_title() == "patches as columns, shape (9, 9)"


def test_im2col_figure_bad_highlight():
    with pytest.raises(ValueError, match="`highlight` must be inside"):
        plotting.im2col_figure(IMAGE, KERNEL, highlight=(0, 3))


# --- filtered_image_figure and filter_gallery_figure -------------------------------------------


def test_filtered_image_figure_shows_the_scipy_feature_map_centred_on_zero():
    image = photo()
    fig = plotting.filtered_image_figure(image, KERNELS["Sobel x"], name="Sobel x")
    image_ax, kernel_ax, map_ax = fig.axes[:3]
    np.testing.assert_array_equal(image_ax.images[0].get_array(), image)
    expected = scipy.signal.correlate2d(image, KERNELS["Sobel x"], mode="valid")
    shown = map_ax.images[0]
    np.testing.assert_allclose(shown.get_array(), expected)
    low, high = shown.get_clim()
    assert shown.get_cmap().name.startswith("RdBu_r") and low == -high
    assert high == pytest.approx(np.percentile(np.abs(expected), 99)), "a few extreme pixels do not wash out the map"
    assert kernel_ax.get_title() == "kernel: Sobel x"
    assert map_ax.get_title() == "feature map, shape (18, 22)\n(signed: red > 0, blue < 0)"
    assert image_ax.get_xlabel() == "column" and map_ax.get_ylabel() == "row"
    assert len(fig.axes) == 5, "a colour bar for the feature map and one for the kernel"
    assert fig.axes[3].get_ylabel() == "output value (clipped beyond the arrows)"
    kernel_bar = fig.axes[4]
    assert kernel_bar.get_xlabel() == "weight"
    assert kernel_ax.images[0].get_clim() == (-2, 2), "the kernel centred on 0: -max|w| to max|w|"


def test_filtered_image_figure_colour_bar_has_no_arrows_when_nothing_is_clipped():
    fig = plotting.filtered_image_figure(np.tile([0.0, 0, 0, 1, 1, 1], (5, 1)), KERNELS["Sobel x"])
    # every response on this step is 0 or 4 (1 + 2 + 1): the 99th percentile is the maximum
    assert fig.axes[2].images[0].get_clim() == (-4, 4)
    assert fig.axes[3].get_ylabel() == "output value"


def test_filtered_image_figure_draws_a_blur_in_gray_over_the_image_range():
    image = photo()
    fig = plotting.filtered_image_figure(image, KERNELS["box blur"])
    shown = fig.axes[2].images[0]
    assert shown.get_cmap().name.startswith("gray")
    np.testing.assert_allclose(shown.get_clim(), (image.min(), image.max()))


def test_filtered_image_figure_of_a_sum_9_kernel_scales_the_gray_range():
    image = photo()
    shown = plotting.filtered_image_figure(image, np.ones((3, 3))).axes[2].images[0]
    np.testing.assert_allclose(shown.get_clim(), (9 * image.min(), 9 * image.max()))


def test_filter_gallery_figure_draws_every_kernel_and_its_feature_map():
    image = photo(1, (16, 16))
    fig = plotting.filter_gallery_figure(image)
    assert len(fig.axes) == 2 * len(KERNELS) + 1, "one colour bar for all the signed maps"
    signed_maps = [
        scipy.signal.correlate2d(image, kernel, mode="valid") for kernel in KERNELS.values() if is_signed_kernel(kernel)
    ]
    shared = np.percentile(np.abs(np.concatenate([m.ravel() for m in signed_maps])), 99)
    for n, (name, kernel) in enumerate(KERNELS.items()):
        weights_ax, map_ax = fig.axes[2 * n], fig.axes[2 * n + 1]
        assert weights_ax.get_title() == name
        np.testing.assert_array_equal(weights_ax.images[0].get_array(), kernel)
        shown = map_ax.images[0]
        np.testing.assert_allclose(shown.get_array(), scipy.signal.correlate2d(image, kernel, mode="valid"))
        if is_signed_kernel(kernel):
            assert shown.get_cmap().name.startswith("RdBu_r")
            np.testing.assert_allclose(shown.get_clim(), (-shared, shared)), "one scale, so strengths compare"
            assert map_ax.get_title() == "feature map (signed, shared scale)"
        else:
            assert shown.get_cmap().name.startswith("gray")
            assert map_ax.get_title() == "feature map (gray)"
        assert (map_ax.get_xlabel(), map_ax.get_ylabel()) == ("column", "row")
    assert "8 kernels" in fig._suptitle.get_text()
    assert fig.axes[-1].get_ylabel() == "signed maps, one scale: red > 0, blue < 0"


@pytest.mark.parametrize(
    ("kernel", "signed"),
    [
        (KERNELS["Sobel x"], True),  # sum 0
        (KERNELS["Sobel x"] + np.array([[0, 0, 0], [0, 0.01, 0], [0, 0, 0]]), True),  # 0.01 <= 5% of 8.01
        (KERNELS["Sobel x"] + np.array([[0, 0, 0], [0, 0.4, 0], [0, 0, 0]]), True),  # 0.4 <= 5% of 8.4 = 0.42
        (KERNELS["Sobel x"] + np.array([[0, 0, 0], [0, 0.5, 0], [0, 0, 0]]), False),  # 0.5 > 5% of 8.5 = 0.425
        (KERNELS["sharpen"], False),  # 1 > 5% of 9
        (np.zeros((3, 3)), True),
        (-np.ones((2, 2)), False),
    ],
)
def test_draws_signed_when_the_sum_is_small_next_to_the_absolute_sum(kernel, signed):
    assert plotting.draws_signed(kernel) is signed


def test_filtered_image_figure_of_a_near_zero_sum_kernel_is_signed_not_saturated_gray():
    image = photo()
    kernel = KERNELS["Sobel x"] + np.array([[0, 0, 0], [0, 0.01, 0], [0, 0, 0]])
    shown = plotting.filtered_image_figure(image, kernel).axes[2].images[0]
    expected = scipy.signal.correlate2d(image, kernel, mode="valid")
    assert shown.get_cmap().name.startswith("RdBu_r")
    np.testing.assert_allclose(
        shown.get_clim(), (-np.percentile(np.abs(expected), 99), np.percentile(np.abs(expected), 99))
    )


def test_filter_gallery_figure_with_chosen_kernels_and_columns():
    kernels = {"left minus right": np.array([[1.0, -1.0]]), "double": np.array([[2.0]])}
    fig = plotting.filter_gallery_figure(photo(), kernels, ncols=1)
    assert [ax.get_title() for ax in fig.axes[:4:2]] == ["left minus right", "double"]
    assert fig.axes[1].images[0].get_array().shape == (20, 23)
    with pytest.raises(TypeError, match="`kernels` must be a non-empty dict"):
        plotting.filter_gallery_figure(photo(), kernels=[np.ones((3, 3))])
    with pytest.raises(ValueError, match="`ncols` must be an integer >= 1"):
        plotting.filter_gallery_figure(photo(), ncols=0)


def test_small_grids_write_fractions_readably():
    fig = plotting.filtered_image_figure(photo(), KERNELS["Gaussian blur"])
    assert texts_of(fig.axes[1]) == ["1/16", "1/8", "1/16", "1/8", "1/4", "1/8", "1/16", "1/8", "1/16"]
