"""cnnlib.plotting.pooling: the figures of notebook 06 draw what the text says they draw."""

import numpy as np
import pytest
from matplotlib.figure import Figure

from cnnlib import plotting

# The worked example of the notebook; its 2 x 2 windows by hand:
# {0, 3, 2, 7} -> max 7, sum 12; {1, 0, 0, 4} -> 4, 5; {5, 0, 1, 2} -> 5, 8; {0, 1, 6, 0} -> 6, 7.
WORKED = np.array([[0, 3, 1, 0], [2, 7, 0, 4], [5, 0, 0, 1], [1, 2, 6, 0]])


def windows(ax):
    return [p for p in ax.patches if p.get_gid() == "pool-window"]


def window_starts(ax):
    """(row, column) of the top-left cell of every outlined window."""
    return sorted({(round(p.get_y() + 0.5), round(p.get_x() + 0.5)) for p in windows(ax)})


def numbers(ax):
    return [t.get_text() for t in ax.texts]


def legend_texts(fig):
    return [t.get_text() for t in fig.legends[0].get_texts()]


@pytest.mark.parametrize(
    ("shape", "size", "stride", "out_shape"),
    [
        ((4, 4), 2, None, (2, 2)),  # (4 - 2) // 2 + 1 = 2
        ((7, 7), 2, None, (3, 3)),  # (7 - 2) // 2 + 1 = 3: the last row and column are dropped
        ((7, 7), 3, 2, (3, 3)),  # (7 - 3) // 2 + 1 = 3, overlapping
        ((26, 26), 3, 2, (12, 12)),  # (26 - 3) // 2 + 1 = 12
        ((5, 8), 2, 3, (2, 3)),  # (5 - 2) // 3 + 1 = 2, (8 - 2) // 3 + 1 = 3, gaps between windows
        ((6, 6), 1, 1, (6, 6)),
    ],
)
def test_one_outline_per_output_cell_at_every_stride(shape, size, stride, out_shape):
    x = np.arange(np.prod(shape), dtype=float).reshape(shape)
    fig = plotting.pooling_windows_figure(x, size, stride)
    ax_map, ax_pool = fig.axes[:2]
    assert len(windows(ax_map)) == out_shape[0] * out_shape[1]
    step = size if stride is None else stride
    expected = sorted((i * step, j * step) for i in range(out_shape[0]) for j in range(out_shape[1]))
    assert window_starts(ax_map) == expected
    assert ax_pool.get_title().endswith(f"{out_shape[0]} × {out_shape[1]}")


def test_worked_example_numbers_and_the_largest_value_of_each_window():
    fig = plotting.pooling_windows_figure(WORKED)
    ax_map, ax_pool = fig.axes
    assert isinstance(fig, Figure)
    assert numbers(ax_map) == [str(v) for v in WORKED.ravel()]
    assert numbers(ax_pool) == ["7", "4", "5", "6"]
    marked = sorted(
        (round(p.get_y() + 0.5 - 0.12), round(p.get_x() + 0.5 - 0.12))
        for p in ax_map.patches
        if p.get_gid() == "window-max"
    )
    assert marked == [(1, 1), (1, 3), (2, 0), (3, 2)]
    assert fig.get_suptitle() == "Max pooling, 2 × 2 window, stride 2 (tiling the map): 4 × 4 → 2 × 2"
    assert not unread_cells(ax_map)


def unread_cells(ax):
    """(row, column) of every cell under a hatched 'never read' patch."""
    cells = set()
    for patch in ax.patches:
        if patch.get_gid() == "unread":
            top, left = round(patch.get_y() + 0.5), round(patch.get_x() + 0.5)
            cells |= {
                (r, c)
                for r in range(top, top + round(patch.get_height()))
                for c in range(left, left + round(patch.get_width()))
            }
    return cells


def test_the_rows_and_columns_no_window_reaches_are_hatched_and_named():
    fig = plotting.pooling_windows_figure(np.ones((7, 7)))
    ax_map = fig.axes[0]
    # windows start at 0, 2, 4 and are 2 wide: row 6 and column 6 are never read
    assert unread_cells(ax_map) == {(6, c) for c in range(7)} | {(r, 6) for r in range(7)}
    assert "never read (1 row and 1 column at the edges)" in legend_texts(fig)


def test_gaps_between_windows_are_hatched_too():
    fig = plotting.pooling_windows_figure(np.ones((5, 8)), size=2, stride=3)
    # windows start at rows 0, 3 and columns 0, 3, 6: row 2 and columns 2 and 5 are skipped
    assert unread_cells(fig.axes[0]) == {(r, c) for r in range(5) for c in range(8) if r == 2 or c in (2, 5)}
    assert "never read" in legend_texts(fig)
    assert "(leaving gaps)" in fig.get_suptitle()


def test_overlapping_windows_are_said_to_overlap_and_shared_cells_are_shaded():
    fig = plotting.pooling_windows_figure(np.ones((7, 7)), size=3, stride=2)
    assert "(overlapping)" in fig.get_suptitle()
    shaded = {
        (round(p.get_y() + 0.5), round(p.get_x() + 0.5)) for p in fig.axes[0].patches if p.get_gid() == "shared-cell"
    }
    # windows start at rows/columns 0, 2, 4 and are 3 wide: rows 2 and 4 (and columns 2 and 4) are read twice
    assert shaded == {(r, c) for r in range(7) for c in range(7) if r in (2, 4) or c in (2, 4)}


def test_shared_cells_are_only_named_when_there_are_some():
    one_window = plotting.pooling_windows_figure(np.ones((4, 4)), size=3, stride=2)  # (4 - 3) // 2 + 1 = 1
    assert "cell read by several windows" not in legend_texts(one_window)
    assert "cell read by several windows" in legend_texts(plotting.pooling_windows_figure(np.ones((5, 5)), 3, 2))


def test_a_large_map_is_an_image_and_its_pooled_map_holds_the_pooled_values():
    x = np.zeros((12, 12))
    x[1, 10], x[5, 3] = 4.0, 2.0
    fig = plotting.pooling_windows_figure(x, size=4)
    ax_map, ax_pool = fig.axes[:2]
    assert ax_map.images[0].get_array().shape == (12, 12)
    expected = np.zeros((3, 3))
    expected[0, 2], expected[1, 0] = 4.0, 2.0  # the windows holding (1, 10) and (5, 3)
    np.testing.assert_array_equal(ax_pool.images[0].get_array(), expected)
    assert ax_map.images[0].get_cmap().name == "gray"
    assert ax_map.get_xlabel() == "column" and ax_map.get_ylabel() == "row"


def test_average_pooled_image_shares_the_scale_of_the_map_so_dilution_shows():
    x = np.zeros((12, 12))
    x[0, 0] = 4.0  # alone in its 2 x 2 window: max 4, average 1, sum 4
    for kind, top in [("max", 4.0), ("average", 4.0), ("sum", 4.0)]:
        ax_pool = plotting.pooling_windows_figure(x, kind=kind).axes[1]
        assert ax_pool.images[0].get_clim() == (0.0, top)
    x[0, 1] = 4.0  # now the window sums to 8, beyond the map's largest value: sums get their own scale
    assert plotting.pooling_windows_figure(x, kind="sum").axes[1].images[0].get_clim() == (0.0, 8.0)
    assert plotting.pooling_windows_figure(x, kind="average").axes[1].images[0].get_array()[0, 0] == 2.0


@pytest.mark.parametrize(
    ("kind", "title"), [("average", "Average-pooled map, 2 × 2"), ("sum", "Sum-pooled map, 2 × 2")]
)
def test_kind_changes_the_pooled_map(kind, title):
    ax_pool = plotting.pooling_windows_figure(WORKED, kind=kind).axes[1]
    assert ax_pool.get_title() == title
    expected = {"average": ["3", "1.25", "2", "1.75"], "sum": ["12", "5", "8", "7"]}[kind]
    assert numbers(ax_pool) == expected


def test_kinds_figure_shows_the_three_pooled_maps_worked_by_hand():
    fig = plotting.pooling_kinds_figure(WORKED)
    assert len(fig.axes) == 4
    assert len(windows(fig.axes[0])) == 4
    assert numbers(fig.axes[1]) == ["7", "4", "5", "6"]
    assert numbers(fig.axes[2]) == ["3", "1.25", "2", "1.75"]
    assert numbers(fig.axes[3]) == ["12", "5", "8", "7"]
    assert "4 × 4 → 2 × 2" in fig.get_suptitle()


@pytest.mark.parametrize("shape", [(4, 4), (7, 7), (26, 26)])
def test_titles_and_legend_stay_inside_the_figure(shape):
    fig = plotting.pooling_windows_figure(np.ones(shape), size=3, stride=2)
    fig.draw_without_rendering()  # runs the layout engine, so positions are final
    frame = fig.bbox
    ax_map, ax_pool = fig.axes[:2]
    for artist in [fig.legends[0], ax_map.title, ax_pool.title]:
        box = artist.get_window_extent()
        assert frame.x0 <= box.x0 and box.x1 <= frame.x1 and frame.y0 <= box.y0 and box.y1 <= frame.y1


@pytest.mark.parametrize(
    ("call", "error", "match"),
    [
        (lambda: plotting.pooling_windows_figure(np.ones((4, 4)), kind="median"), ValueError, "`kind` must be one of"),
        (lambda: plotting.pooling_windows_figure(np.ones((4, 4)), size=5), ValueError, "`size` = 5 is larger"),
        (lambda: plotting.pooling_windows_figure(np.ones((4, 4)), size=0), ValueError, "`size` must be an integer"),
        (lambda: plotting.pooling_windows_figure(np.ones((4, 4)), stride=1.5), TypeError, "`stride` must be an int"),
        (lambda: plotting.pooling_windows_figure(np.ones(4)), ValueError, "`feature_map` must be 2-D"),
        (lambda: plotting.pooling_windows_figure(np.ones((65, 65))), ValueError, "at most 64"),
        (lambda: plotting.pooling_kinds_figure(np.ones((11, 11))), ValueError, "at most 10"),
    ],
)
def test_bad_arguments_are_named(call, error, match):
    with pytest.raises(error, match=match):
        call()
