"""cnnlib.plotting.flatten: the vector a flattened image or sample is drawn in the order numpy reads it.

Expected orders are read off np.arange (row-major), counts worked by hand.
"""

import numpy as np
import pytest
from figure_helpers import assert_inside, ramp
from matplotlib.figure import Figure

from cnnlib import plotting


def texts(ax):
    return [t.get_text() for t in ax.texts]


# One sample of 2 channels of 2 x 3, values deliberately out of order.
SAMPLE = np.array([[[5, 0, 2], [7, 1, 3]], [[9, 4, 8], [6, 11, 10]]])
# Read by hand: channel 0 row 0, channel 0 row 1, channel 1 row 0, channel 1 row 1.
SAMPLE_FLAT_BY_HAND = ["5", "0", "2", "7", "1", "3", "9", "4", "8", "6", "11", "10"]


def test_flatten_order_figure_lays_the_rows_end_to_end():
    fig = plotting.flatten_order_figure(height=3, width=4)
    grid, vector = fig.axes
    order = np.arange(12).reshape(3, 4)  # where numpy puts each (row, column)
    expected = [None] * 12
    for (r, c), index in np.ndenumerate(order):
        expected[index] = f"{r}, {c}"
    cells = sorted(vector.texts, key=lambda t: t.get_position()[0])
    assert [t.get_text() for t in cells] == expected
    assert sorted(texts(grid)) == sorted(expected)
    assert vector.get_title().startswith("image.reshape(-1), shape (12,)")
    assert_inside(fig)


@pytest.mark.parametrize(("height", "width", "error"), [(5, 5, ValueError), (0, 3, ValueError), (2.0, 3, TypeError)])
def test_flatten_order_figure_bad_sizes(height, width, error):
    with pytest.raises(error):
        plotting.flatten_order_figure(height, width)


def test_digit_vector_figure_bars_follow_the_rows_one_after_another():
    digit = np.zeros((28, 28), dtype=np.uint8)
    digit[1, 0], digit[0, 27], digit[27, 27] = 10, 20, 30
    fig = plotting.digit_vector_figure(digit)
    strip, bars = fig.axes
    (steps,) = [patch for patch in bars.patches if hasattr(patch, "get_data")]
    heights, edges, _ = steps.get_data()
    assert len(heights) == 784
    np.testing.assert_array_equal(np.diff(edges), 1.0)  # one unit-wide bar per number
    # row-major: (0, 27) is index 27, (1, 0) is index 28, (27, 27) the last of 784
    assert (heights[27], heights[28], heights[783]) == (20, 10, 30)
    assert sum(h > 0 for h in heights) == 3
    np.testing.assert_array_equal(strip.images[0].get_array()[0], digit.reshape(-1))
    assert strip.get_title() == "The image as one vector of 28 × 28 = 784 numbers"
    assert bars.get_ylabel() == "pixel value"


def test_dense_params_figure_shows_the_worked_numbers_for_200_by_200():
    fig = plotting.dense_params_figure(200, 200, 1, 100)
    layer, others = fig.axes
    assert texts(layer) == ["40,000", "4,000,000", "100"]
    assert fig.get_suptitle().endswith("40,000 inputs × 100 hidden units = 4,000,000 weights")
    # digit 784 * 100; gray 40,000 * 100; colour 120,000 * 100; 3,000,000 * 100; this image again
    assert texts(others) == ["78,400", "4,000,000", "12,000,000", "300,000,000", "4,000,000"]
    assert layer.get_xscale() == "log"
    assert_inside(fig)


def test_dense_params_figure_triples_everything_but_the_biases_in_colour():
    fig = plotting.dense_params_figure(200, 200, 3, 1000)
    assert texts(fig.axes[0]) == ["120,000", "120,000,000", "1,000"]
    labels = [t.get_text() for t in fig.axes[0].get_yticklabels()]
    assert labels[0] == "inputs\n200 × 200 × 3"


def test_flatten_channels_figure_draws_the_vector_in_flatten_order():
    fig = plotting.flatten_channels_figure(SAMPLE[None])
    assert isinstance(fig, Figure)
    *grids, vector = fig.axes
    assert len(grids) == 2
    assert texts(vector) == SAMPLE_FLAT_BY_HAND
    assert vector.get_xlabel() == "index in the flattened vector"


def test_flatten_channels_figure_labels_every_cell_with_its_position():
    fig = plotting.flatten_channels_figure(SAMPLE)  # (C, H, W) without the batch axis works too
    first, second, _ = fig.axes
    assert first.get_title() == "channel c = 0"
    assert second.get_title() == "channel c = 1"
    assert texts(second)[:2] == ["9", "(1, 0, 0)"]
    assert "(1, 1, 2)" in texts(second)
    assert first.get_xlabel() == "w (column)" and first.get_ylabel() == "h (row)"


def test_flatten_channels_figure_colours_cells_by_channel():
    fig = plotting.flatten_channels_figure(SAMPLE)
    vector = fig.axes[2]
    colours = [tuple(p.get_facecolor()) for p in vector.patches]
    assert len(set(colours[:6])) == 1 and len(set(colours[6:])) == 1
    assert colours[0] != colours[6]


@pytest.mark.parametrize(
    ("x", "error", "match"),
    [
        (np.zeros((2, 2)), ValueError, "`x` must be 3-D or 4-D"),
        (np.zeros((2, 1, 2, 2)), ValueError, "must hold one sample"),
        (np.zeros((1, 3, 3, 3)), ValueError, "at most 24 numbers"),
        ("abc", TypeError, "`x` must be a numeric array"),
        (None, TypeError, "got None"),
    ],
)
def test_flatten_channels_figure_bad_input(x, error, match):
    with pytest.raises(error, match=match):
        plotting.flatten_channels_figure(x)


def test_digit_vector_figure_keeps_its_title_inside():
    fig = plotting.digit_vector_figure(ramp(28, 28))
    assert isinstance(fig, Figure) and fig.axes[0].get_title()
    assert_inside(fig)


def test_every_public_name_is_exported():
    for name in plotting.flatten.__all__:
        assert getattr(plotting, name) is getattr(plotting.flatten, name)


def test_the_images_widget_still_finds_dense_params_figure_in_images():
    from cnnlib.plotting.images import dense_params_figure

    assert dense_params_figure is plotting.flatten.dense_params_figure
