"""cnnlib.plotting.pooling_effects: the real-map, shift and global-pooling figures of notebook 06, worked by hand."""

import numpy as np
import pytest

from cnnlib import plotting


def test_real_map_figure_shares_one_colour_scale_and_names_the_shapes():
    image = np.zeros((10, 10))
    x = np.zeros((8, 8))
    x[0, 0] = 8.0  # max pooling keeps 8; averaging spreads it over 16 cells: 0.5
    fig = plotting.pooling_real_map_figure(image, x, size=4)
    titles = [ax.get_title() for ax in fig.axes[:4]]
    assert titles == ["Image, 10 × 10", "Rectified feature map, 8 × 8", "Max-pooled, 2 × 2", "Average-pooled, 2 × 2"]
    assert fig.axes[2].images[0].get_array()[0, 0] == 8.0
    assert fig.axes[3].images[0].get_array()[0, 0] == 0.5
    assert {ax.images[0].get_clim() for ax in fig.axes[1:4]} == {(0.0, 8.0)}
    assert fig.axes[0].images[0].get_cmap().name == "gray"


def test_shift_figure_counts_unchanged_cells_worked_by_hand():
    a = np.zeros((6, 6))
    a[2, 2] = 1.0
    # Shifted by 1, the 1 moves from column 2 to column 3: another cell of the map, but the same 2 x 2 window.
    fig = plotting.pooling_shift_figure(a, np.roll(a, 1, axis=1))
    map_diff, pooled_diff = fig.axes[2], fig.axes[5]  # the grid's axes come first, row by row
    assert map_diff.get_title() == "|difference|: 0 of 2 active cells unchanged"
    assert pooled_diff.get_title() == "|difference|: 1 of 1 active cells unchanged"
    # Shifted by 2, a whole window, the 1 lands in the next window: the pooled map changes too.
    fig = plotting.pooling_shift_figure(a, np.roll(a, 2, axis=1))
    assert fig.axes[5].get_title() == "|difference|: 0 of 2 active cells unchanged"
    assert fig.axes[3].get_title() == "max-pooled, 3 × 3"


def test_global_average_pool_figure_bars_are_the_map_averages():
    maps = np.stack([np.full((4, 5), 2.0), np.eye(4, 5), np.zeros((4, 5))])  # averages 2, 4/20 = 0.2, 0
    fig = plotting.global_average_pool_figure(maps, ["flat", "diagonal", "empty"])
    bars = fig.axes[-1]
    np.testing.assert_allclose([p.get_height() for p in bars.patches], [2.0, 0.2, 0.0])
    assert [t.get_text() for t in bars.get_xticklabels()] == ["flat", "diagonal", "empty"]
    assert bars.get_title() == "Global average pooling: 3 maps of 4 × 5 → 3 numbers"
    assert fig.axes[1].get_title() == "diagonal\naverage 0.200"
    # one colour bar reads all three maps: from 0 to the largest value of any of them
    (colorbar,) = [ax for ax in fig.axes if ax.get_label() == "<colorbar>"]
    assert colorbar.get_ylim() == pytest.approx((0.0, 2.0))
    assert all(ax.images[0].get_clim() == pytest.approx((0.0, 2.0)) for ax in fig.axes[:3])


@pytest.mark.parametrize(
    ("call", "error", "match"),
    [
        (lambda: plotting.pooling_shift_figure(np.ones((4, 4)), np.ones((4, 5))), ValueError, "`shifted_map` must"),
        (lambda: plotting.pooling_shift_figure(np.ones((4, 4)), np.ones((4, 4)), kind="median"), ValueError, "`kind`"),
        (lambda: plotting.pooling_real_map_figure(np.ones((4, 4)), np.ones((3, 3)), size=4), ValueError, "`size`"),
        (lambda: plotting.global_average_pool_figure(np.ones((9, 3, 3))), ValueError, "at most 8 maps"),
        (lambda: plotting.global_average_pool_figure(np.ones((2, 3, 3)), ["one"]), ValueError, "name each of the 2"),
        (lambda: plotting.global_average_pool_figure(np.ones((3, 3))), ValueError, "`maps` must be 3-D"),
    ],
)
def test_bad_arguments_are_named(call, error, match):
    with pytest.raises(error, match=match):
        call()


def test_every_public_name_is_exported():
    for name in plotting.pooling_effects.__all__:
        assert getattr(plotting, name) is getattr(plotting.pooling_effects, name)


def test_shift_similarity_figure_draws_one_line_per_label_with_its_values():
    fig = plotting.shift_similarity_figure([0, 1, 2], {"no pooling": [1.0, 0.5, 0.0], "max pool 2": [1.0, 0.75, 0.25]})
    ax = fig.axes[0]
    lines = [line for line in ax.get_lines() if line.get_label() in ("no pooling", "max pool 2")]
    assert [line.get_label() for line in lines] == ["no pooling", "max pool 2"]
    np.testing.assert_allclose(lines[1].get_ydata(), [1.0, 0.75, 0.25])
    np.testing.assert_allclose(lines[0].get_xdata(), [0, 1, 2])
    assert ax.get_xlabel() == "shift of the input (pixels)"
    assert ax.get_ylabel() == "correlation with the unshifted map"
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["no pooling", "max pool 2"]


def test_shift_similarity_figure_rejects_values_that_do_not_match_the_shifts():
    with pytest.raises(ValueError, match="one value per shift"):
        plotting.shift_similarity_figure([0, 1, 2], {"no pooling": [1.0, 0.5]})
    with pytest.raises(TypeError, match="non-empty dict"):
        plotting.shift_similarity_figure([0, 1], [1.0, 0.5])
