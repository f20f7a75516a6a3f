"""cnnlib.plotting.relu: the figures of notebook 05 show the numbers they claim to show."""

import numpy as np
import pytest
from matplotlib import colors
from matplotlib.colors import to_rgba
from matplotlib.figure import Figure
from scipy import signal

from cnnlib import plotting

# A small signed map, worked by hand: ReLU keeps 2.0 and 0.5, zeroes the rest.
SMALL = np.array([[-1.0, 2.0, 0.0], [0.5, -3.0, -0.25]])
SMALL_RECTIFIED = np.array([[0.0, 2.0, 0.0], [0.5, 0.0, 0.0]])


def grid_texts(ax):
    return [t.get_text() for t in ax.texts]


def image_axes(fig):
    """The axes that show an image and are not colour bars, in drawing order."""
    return [ax for ax in fig.axes if ax.images and ax.get_label() != "<colorbar>"]


def colorbars(fig):
    return [ax for ax in fig.axes if ax.get_label() == "<colorbar>"]


def test_relu_numbers_figure_writes_both_grids_worked_by_hand():
    fig = plotting.relu_numbers_figure(SMALL)
    assert isinstance(fig, Figure)
    before, after = image_axes(fig)
    assert grid_texts(before) == ["-1", "2", "0", "0.5", "-3", "-0.2"]  # -0.25 rounded to 1 decimal
    assert grid_texts(after) == ["0", "2", "0", "0.5", "0", "0"]
    assert (before.get_title(), after.get_title()) == ("feature map", "rectified feature map")
    assert len(colorbars(fig)) == 2


def test_relu_numbers_figure_signed_map_centred_on_zero_rectified_from_zero_never_negative_zero():
    fig = plotting.relu_numbers_figure(np.array([[-0.04, 1.0], [-2.0, 0.0]]))
    before, after = image_axes(fig)
    # the largest |value| is 2: the signed map runs from -2 to 2, the rectified map from 0 to the same 2
    assert before.images[0].get_cmap().name == "RdBu_r"
    assert before.images[0].get_clim() == (-2.0, 2.0)
    assert after.images[0].get_cmap().name == "viridis"
    assert after.images[0].get_clim() == (0.0, 2.0)
    assert "-0" not in grid_texts(before)  # -0.04 rounds to 0, drawn as "0"
    np.testing.assert_array_equal(after.images[0].get_array(), [[0.0, 1.0], [0.0, 0.0]])


@pytest.mark.parametrize(
    ("feature_map", "error", "match"),
    [
        (np.zeros((13, 2)), ValueError, "at most 12 x 12"),
        (np.zeros((2, 2, 2)), ValueError, "`feature_map` must be 2-D"),
        (None, TypeError, "`feature_map` must be a numeric array"),
    ],
)
def test_relu_numbers_figure_bad_input(feature_map, error, match):
    with pytest.raises(error, match=match):
        plotting.relu_numbers_figure(feature_map)


def test_rectified_map_figure_shows_photo_map_and_rectified_map_up_to_one_limit():
    photo = np.arange(16.0).reshape(4, 4)
    fig = plotting.rectified_map_figure(photo, SMALL, filter_name="Sobel x")
    shown_photo, shown_map, shown_rectified = image_axes(fig)
    assert shown_photo.images[0].get_cmap().name == "gray"
    np.testing.assert_array_equal(shown_photo.images[0].get_array(), photo)
    np.testing.assert_array_equal(shown_map.images[0].get_array(), SMALL)
    np.testing.assert_array_equal(shown_rectified.images[0].get_array(), SMALL_RECTIFIED)
    # the signed map is centred on 0; the rectified map, never negative, is drawn in viridis from 0
    # (as rectified maps are in notebooks 06 to 09) up to the same limit
    assert shown_map.images[0].get_cmap().name == "RdBu_r"
    low, high = shown_map.images[0].get_clim()
    assert -low == high > 0
    assert shown_rectified.images[0].get_cmap().name == "viridis"
    assert shown_rectified.images[0].get_clim() == (0.0, high)
    assert shown_map.get_title() == "feature map (Sobel x)"
    assert shown_rectified.get_title() == "rectified feature map = ReLU(feature map)"
    assert shown_map.get_xlabel() and shown_map.get_ylabel()
    assert len(colorbars(fig)) == 3


def test_rectified_map_figure_clips_colours_at_the_99th_percentile():
    # 1000 values: 998 of size 1, two outliers of 100. The 99th percentile of |values| is 1,
    # so the outliers do not wash out the rest.
    values = np.ones((20, 50))
    values[0, 0], values[19, 49] = -100.0, 100.0
    fig = plotting.rectified_map_figure(np.zeros((22, 52)), values)
    assert image_axes(fig)[1].images[0].get_clim() == pytest.approx((-1.0, 1.0))


def test_rectified_map_figure_outlines_a_patch_and_the_pixels_it_is_computed_from():
    # a 3 x 3 filter on a 12 x 12 image gives a 10 x 10 map; the 4 x 4 patch at row 2, column 5 of the map
    # is computed from the pixels image[2:8, 5:11], a 6 x 6 square at the same corner
    fig = plotting.rectified_map_figure(np.zeros((12, 12)), np.ones((10, 10)), outline=(2, 5, 4))
    shown_photo, shown_map, shown_rectified = image_axes(fig)
    expected = [(shown_photo, 6, "red"), (shown_map, 4, "black"), (shown_rectified, 4, "white")]
    for ax, side, color in expected:
        (square,) = [p for p in ax.patches if p.get_gid() == "outline"]
        assert square.get_xy() == (5 - 0.5, 2 - 0.5)
        assert (square.get_width(), square.get_height()) == (side, side)
        assert square.get_edgecolor() == pytest.approx(to_rgba(color))
        (label,) = ax.texts
        assert label.get_text().startswith(f"{side} × {side} ")
    assert not [p for p in plotting.rectified_map_figure(np.zeros((12, 12)), np.ones((10, 10))).axes[1].patches]


@pytest.mark.parametrize(
    ("outline", "error", "match"),
    [
        ((8, 0, 3), ValueError, "inside the feature map of shape"),
        ((0, 0), TypeError, r"tuple \(row, col, size\)"),
        ((0, 0, 0), ValueError, r"`outline\[2\]` must be an integer >= 1"),
        ((0, 1.5, 2), TypeError, r"`outline\[1\]` must be an integer"),
    ],
)
def test_rectified_map_figure_bad_outline(outline, error, match):
    with pytest.raises(error, match=match):
        plotting.rectified_map_figure(np.zeros((12, 12)), np.ones((10, 10)), outline=outline)


def test_combined_kernel_figure_worked_by_hand():
    # correlate with [1, 2], then with [1, -1]: z[j] = x[j] + 2x[j+1] - x[j+1] - 2x[j+2],
    # so the combined kernel is [1, 1, -2], which is also the full convolution of the two.
    fig = plotting.combined_kernel_figure(np.array([[1, 2]]), np.array([[1, -1]]))
    first, second, combined = image_axes(fig)
    assert grid_texts(first) == ["1", "2"]
    assert grid_texts(second) == ["1", "-1"]
    assert grid_texts(combined) == ["1", "1", "-2"]
    assert combined.get_title() == "combined kernel"
    assert "1 × 3" in fig.get_suptitle()


def test_combined_kernel_figure_has_the_full_size():
    fig = plotting.combined_kernel_figure(np.ones((2, 3)), np.ones((4, 2)))
    assert image_axes(fig)[2].images[0].get_array().shape == (5, 4)


def test_two_layers_figure_agrees_with_scipy():
    rng = np.random.default_rng(1)
    image = rng.normal(size=(12, 14))
    first = np.array([[-1.0, 0.0, 1.0], [-2.0, 0.0, 2.0], [-1.0, 0.0, 1.0]])
    second = np.array([[1.0, 2.0], [0.0, 1.0]])
    fig = plotting.two_layers_figure(image, first, second)
    a, b, c = (ax.images[0].get_array() for ax in image_axes(fig))
    layer1 = signal.correlate2d(image, first, mode="valid")
    np.testing.assert_allclose(a, signal.correlate2d(layer1, second, mode="valid"))
    np.testing.assert_allclose(b, a)
    np.testing.assert_allclose(c, signal.correlate2d(np.maximum(layer1, 0), second, mode="valid"))
    assert a.shape == (12 - 3 - 2 + 2, 14 - 3 - 2 + 2)
    titles = [ax.get_title() for ax in image_axes(fig)]
    assert "identical to (a)" in titles[1]
    assert f"{np.abs(c - a).max():.3g}" in titles[2]
    clims = {ax.images[0].get_clim() for ax in image_axes(fig)}
    assert len(clims) == 1, "the three panels share one colour scale"


def test_two_layers_figure_refuses_kernels_larger_than_the_image():
    with pytest.raises(ValueError, match="larger than the image"):
        plotting.two_layers_figure(np.zeros((4, 4)), np.ones((3, 3)), np.ones((3, 3)))


def test_relu_bias_figure_worked_by_hand():
    # values > -bias = 1 survive: 2 and 3, i.e. 2 of 4.
    values = np.array([[-1.0, 0.5], [2.0, 3.0]])
    fig = plotting.relu_bias_figure(values, bias=-1.0)
    assert fig.get_suptitle() == "ReLU(feature map + bias) with bias = -1.00: 2 of 4 pixels survive (50.0%)"
    shown = image_axes(fig)[0]
    np.testing.assert_array_equal(shown.images[0].get_array(), [[0.0, 0.0], [1.0, 2.0]])
    # viridis from 0 up to the limit of the feature map (99th percentile of |values| = 2.97), whatever the bias
    assert shown.images[0].get_cmap().name == "viridis"
    assert shown.images[0].get_clim() == pytest.approx((0.0, np.percentile([1.0, 0.5, 2.0, 3.0], 99)))
    histogram = [ax for ax in fig.axes if ax.patches][0]
    heights = {}
    for bar in histogram.patches:
        heights.setdefault(bar.get_facecolor(), 0)
        heights[bar.get_facecolor()] += bar.get_height()
    assert sorted(heights.values()) == [2, 2], "two values become 0 (gray), two survive (red)"
    assert histogram.get_yscale() == "log"
    cut = histogram.lines[0].get_xdata()
    assert list(cut) == [1.0, 1.0]


def test_relu_bias_figure_histogram_has_an_edge_at_the_cut_so_no_bar_mixes_the_two_sides():
    values = np.linspace(-1.0, 3.0, 401).reshape(1, -1)  # the cut, -0.3137, falls between two values
    bias = 0.3137
    fig = plotting.relu_bias_figure(values, bias=bias)
    histogram = [ax for ax in fig.axes if ax.patches][0]
    red, gray = (colors.to_rgba("tab:red"), colors.to_rgba("0.6"))
    bars = [
        (bar.get_x(), bar.get_x() + bar.get_width(), bar.get_facecolor())
        for bar in histogram.patches
        if bar.get_height() > 0
    ]
    assert bars and {color for *_, color in bars} == {red, gray}
    assert all(left >= -bias - 1e-9 for left, _, color in bars if color == red)
    assert all(right <= -bias + 1e-9 for _, right, color in bars if color == gray)


def test_relu_bias_figure_positive_bias_lets_everything_through():
    fig = plotting.relu_bias_figure(np.array([[-0.5, 0.0], [0.0, 1.0]]), bias=0.75)
    assert "4 of 4 pixels survive (100.0%)" in fig.get_suptitle()


@pytest.mark.parametrize(
    ("bias", "error"), [("1", TypeError), (True, TypeError), (float("nan"), ValueError), (None, TypeError)]
)
def test_relu_bias_figure_bad_bias(bias, error):
    with pytest.raises(error, match="`bias` must be"):
        plotting.relu_bias_figure(np.ones((2, 2)), bias=bias)


def curve(ax, label_start):
    (line,) = [line for line in ax.lines if line.get_label().startswith(label_start)]
    return line.get_xdata(), line.get_ydata()


def value_at(ax, label_start, x0):
    x, y = curve(ax, label_start)
    return y[np.argmin(np.abs(x - x0))]


def test_activation_functions_figure_values_and_slopes_by_hand():
    fig = plotting.activation_functions_figure(leaky_slope=0.1)
    functions, slopes = fig.axes
    assert [line.get_label() for line in functions.lines][:4] == [
        "ReLU: max(x, 0)",
        "leaky ReLU: max(x, 0.1x)",
        "sigmoid: 1 / (1 + exp(−x))",
        "tanh(x)",
    ]
    assert value_at(functions, "ReLU", 2.0) == pytest.approx(2.0)
    assert value_at(functions, "ReLU", -2.0) == 0.0
    assert value_at(functions, "leaky", -2.0) == pytest.approx(-0.2)
    assert value_at(functions, "sigmoid", 0.0) == pytest.approx(0.5)
    assert value_at(functions, "tanh", 0.0) == pytest.approx(0.0)
    # slopes: sigmoid' (0) = 1/4, tanh'(0) = 1, ReLU' = 0 left of 0 and 1 right of it, undrawn at 0
    assert value_at(slopes, "sigmoid", 0.0) == pytest.approx(0.25)
    assert value_at(slopes, "tanh", 0.0) == pytest.approx(1.0)
    assert value_at(slopes, "ReLU", -1.0) == 0.0
    assert value_at(slopes, "ReLU", 1.0) == 1.0
    assert np.isnan(value_at(slopes, "ReLU", 0.0))
    assert value_at(slopes, "leaky", -1.0) == pytest.approx(0.1)
    assert value_at(slopes, "tanh", 4.0) < 0.01, "tanh saturates"
    assert functions.get_xlabel() and slopes.get_ylabel()


@pytest.mark.parametrize(("slope", "error"), [(0, ValueError), (1.5, ValueError), ("0.1", TypeError)])
def test_activation_functions_figure_bad_slope(slope, error):
    with pytest.raises(error, match="`leaky_slope`"):
        plotting.activation_functions_figure(leaky_slope=slope)


@pytest.mark.parametrize(
    "build",
    [
        lambda: plotting.relu_numbers_figure(SMALL),
        lambda: plotting.rectified_map_figure(np.zeros((6, 7)), SMALL),
        lambda: plotting.combined_kernel_figure(np.ones((3, 3)), np.ones((3, 3))),
        lambda: plotting.two_layers_figure(np.eye(9), np.ones((3, 3)), np.ones((3, 3))),
        lambda: plotting.relu_bias_figure(SMALL, bias=-0.5),
        lambda: plotting.activation_functions_figure(),
    ],
)
def test_titles_stay_inside_the_figure(build):
    fig = build()
    fig.draw_without_rendering()
    frame = fig.bbox
    titles = [ax.title for ax in fig.axes if ax.get_title()] + ([fig._suptitle] if fig._suptitle else [])
    assert titles
    for title in titles:
        box = title.get_window_extent()
        assert frame.x0 - 1 <= box.x0 and box.x1 <= frame.x1 + 1, f"{title.get_text()!r} is cut off"
        assert box.y1 <= frame.y1 + 1, f"{title.get_text()!r} is cut off"
