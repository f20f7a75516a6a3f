"""cnnlib.plotting.stride_padding: the grids show every kernel position; the depth and RGB figures their maps."""

import numpy as np
import pytest
from matplotlib.figure import Figure

import cnnlib
from cnnlib import plotting


def by_gid(ax, gid):
    """Every artist (patch or collection) of ``ax`` with this gid."""
    return [a for a in list(ax.patches) + list(ax.collections) if a.get_gid() == gid]


def dots(ax, gid="kernel-positions"):
    """The (x, y) centres of the dots of the scatter with this gid, as a set of (column, row) cells."""
    (scatter,) = by_gid(ax, gid)
    return {(int(x), int(y)) for x, y in scatter.get_offsets()}


@pytest.mark.parametrize(
    ("n", "k", "stride", "padding", "side"),
    [
        (7, 3, 2, 1, 4),  # (7 + 2 - 3) // 2 + 1 = 4
        (8, 3, 2, 0, 3),  # 5 // 2 + 1 = 3: the floor drops the last column
        (5, 3, 1, 0, 3),
        (5, 5, 1, 2, 5),
        (12, 5, 1, 3, 14),  # (12 + 6 - 5) + 1 = 14
        (10, 1, 4, 0, 3),  # starts 0, 4, 8
    ],
)
def test_stride_padding_figure_draws_one_dot_per_kernel_position(n, k, stride, padding, side):
    fig = plotting.stride_padding_figure(n, k, stride, padding)
    grid, out = fig.axes
    assert side == cnnlib.output_size(n, k, stride=stride, padding=padding)
    starts = range(0, n + 2 * padding - k + 1, stride)
    assert dots(grid) == {(c, r) for r in starts for c in starts}
    assert len(dots(grid)) == side**2
    assert dots(out, "output-cells") == {(c, r) for r in range(side) for c in range(side)}
    assert out.get_title().startswith(f"output {side} × {side}\n")
    assert fig._suptitle.get_text().endswith(f"= {side}")


def test_stride_padding_figure_colours_padding_and_image_cells():
    fig = plotting.stride_padding_figure(n=4, k=3, stride=1, padding=1)
    grid = fig.axes[0]
    cells = [p for p in grid.patches if p.get_gid() is None and p.get_width() == 1]
    colours = [tuple(np.round(p.get_facecolor(), 3)) for p in cells]
    assert len(cells) == 6 * 6
    assert len(set(colours)) == 2
    # 16 image pixels and 36 - 16 = 20 zeros around them
    assert sorted(colours.count(c) for c in set(colours)) == [16, 20]
    zeros = [t for t in grid.texts if t.get_text() == "0"]
    assert len(zeros) == 20
    (border,) = by_gid(grid, "image-border")
    assert (border.get_x(), border.get_y(), border.get_width(), border.get_height()) == (1, 1, 4, 4)


def test_stride_padding_figure_hatches_the_pixels_the_floor_leaves_out():
    # n = 8, k = 3, stride 2: starts 0, 2, 4 cover columns 0..6; row 7 and column 7 are never read,
    # which is 8 + 8 - 1 = 15 cells.
    grid = plotting.stride_padding_figure(8, 3, 2, 0).axes[0]
    hatched = {(int(p.get_x()), int(p.get_y())) for p in by_gid(grid, "never-read")}
    assert hatched == {(c, 7) for c in range(8)} | {(7, r) for r in range(8)}
    # stride 1 reads every pixel
    assert by_gid(plotting.stride_padding_figure(8, 3, 1, 0).axes[0], "never-read") == []


def test_stride_padding_figure_outlines_the_first_two_kernel_positions():
    grid = plotting.stride_padding_figure(7, 3, 2, 1).axes[0]
    (first,) = by_gid(grid, "first-kernel")
    (second,) = by_gid(grid, "second-kernel")
    assert (first.get_x(), first.get_y(), first.get_width()) == (0, 0, 3)
    assert (second.get_x(), second.get_y(), second.get_width()) == (2, 0, 3)
    # a single position has no second one
    assert by_gid(plotting.stride_padding_figure(3, 3, 1, 0).axes[0], "second-kernel") == []


def test_stride_padding_figure_has_titles_labels_and_a_legend():
    fig = plotting.stride_padding_figure()
    assert isinstance(fig, Figure)
    grid, out = fig.axes
    assert grid.get_xlabel() and grid.get_ylabel() and out.get_xlabel() and out.get_ylabel()
    assert grid.get_title() == "input 7 × 7, padding 1, kernel 3 × 3, stride 2"
    labels = [t.get_text() for t in fig.legends[0].get_texts()]
    assert "zero padding" in labels and "never under the kernel" in labels


def test_stride_padding_figure_accepts_a_mode():
    fig = plotting.stride_padding_figure(5, 3, 1, "same")
    assert len(dots(fig.axes[0])) == 25
    assert "'same' (1, 1)" in fig.axes[0].get_title()


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"n": 3, "k": 5, "padding": 0}, ValueError, "never fits"),
        ({"n": 0}, ValueError, "`n` must be an integer >= 1"),
        ({"stride": 1.5}, TypeError, "`stride` must be an integer"),
        ({"padding": -1}, ValueError, "`padding` must be an integer >= 0"),
        ({"padding": "wide"}, ValueError, "`padding` must be"),
        ({"n": 40}, ValueError, "at most 30 cells"),
    ],
)
def test_stride_padding_figure_bad_arguments(kwargs, error, match):
    with pytest.raises(error, match=match):
        plotting.stride_padding_figure(**kwargs)


def test_output_size_equation_worked_by_hand():
    assert plotting.output_size_equation(7, 3, 2, 1) == "⌊(7 + 2·1 − 3) / 2⌋ + 1 = ⌊6 / 2⌋ + 1 = 4"
    assert plotting.output_size_equation(8, 3, 2, 0) == "⌊(8 + 2·0 − 3) / 2⌋ + 1 = ⌊5 / 2⌋ + 1 = 3"
    assert plotting.output_size_equation(6, 4, 1, "same") == "⌊(6 + 3 − 4) / 1⌋ + 1 = ⌊5 / 1⌋ + 1 = 6"


def test_padding_modes_figure_output_sizes():
    # n = 5, k = 3: valid 5 - 3 + 1 = 3, same 5, full 5 + 3 - 1 = 7
    fig = plotting.padding_modes_figure(5, 3)
    titles = [ax.get_title() for ax in fig.axes]
    expected = ["'valid': output 3 × 3", "'same': output 5 × 5", "'full': output 7 × 7"]
    assert [t.split("\n")[0] for t in titles] == expected
    assert [len(dots(ax)) for ax in fig.axes] == [9, 25, 49]
    # an even kernel: 'same' pads 1 before and 2 after (k - 1 = 3 zeros in total), as scipy does
    fig = plotting.padding_modes_figure(6, 4)
    assert "1 + 2 zeros" in fig.axes[1].get_title()
    assert len(dots(fig.axes[1])) == 36


def test_padding_modes_figure_refuses_a_kernel_larger_than_the_input():
    with pytest.raises(ValueError, match="`k` must be <= `n` = 3"):
        plotting.padding_modes_figure(3, 4)


def test_tap_slices_figure_shades_the_slice_each_tap_multiplies():
    # n = 6, k = 3: the output is 4 x 4, so tap (a, b) multiplies image[a:a+4, b:b+4]
    fig = plotting.tap_slices_figure(6, 3, taps=[(0, 0), (2, 1)])
    assert len(fig.axes) == 3
    for ax, (a, b) in zip(fig.axes[1:], [(0, 0), (2, 1)], strict=True):
        (shade,) = by_gid(ax, "tap-slice")
        assert (shade.get_x(), shade.get_y(), shade.get_width(), shade.get_height()) == (b, a, 4, 4)
        assert f"kernel[{a}, {b}]" in ax.get_title()
    assert "9 taps" in fig._suptitle.get_text()


@pytest.mark.parametrize("taps", [[(3, 0)], [], [(0, -1)]])
def test_tap_slices_figure_bad_taps(taps):
    with pytest.raises(ValueError, match="`taps`"):
        plotting.tap_slices_figure(6, 3, taps=taps)


@pytest.mark.parametrize(
    ("n", "k", "stride", "padding", "dilation", "side"),
    [
        (9, 3, 1, 0, 2, 5),  # the kernel spans 2 * (3 - 1) + 1 = 5 cells: 9 - 5 + 1 = 5 positions
        (8, 3, 2, 1, 2, 3),  # (8 + 2 - 5) // 2 + 1 = 3
        (10, 2, 1, 0, 3, 7),  # spans 3 * 1 + 1 = 4: 10 - 4 + 1 = 7
    ],
)
def test_stride_padding_figure_with_dilation_spreads_the_taps(n, k, stride, padding, dilation, side):
    fig = plotting.stride_padding_figure(n, k, stride, padding, dilation=dilation)
    grid, out = fig.axes
    span = dilation * (k - 1) + 1
    starts = range(0, n + 2 * padding - span + 1, stride)
    assert dots(grid) == {(c, r) for r in starts for c in starts}
    assert len(dots(out, "output-cells")) == side**2
    taps = {(int(p.get_x()), int(p.get_y())) for p in by_gid(grid, "kernel-tap")}
    assert taps == {(dilation * b, dilation * a) for a in range(k) for b in range(k)}
    (first,) = by_gid(grid, "first-kernel")
    assert first.get_width() == span
    assert f"dilation {dilation}" in grid.get_title()
    assert fig._suptitle.get_text().endswith(f"= {side}")


def test_stride_padding_figure_with_dilation_hatches_the_cells_between_taps():
    # n = 5, k = 2, d = 2, stride 3, no padding: one start per axis (0; 3 + 3 > 5), taps at 0 and 2,
    # so rows and columns 1, 3 and 4 are never read.
    grid = plotting.stride_padding_figure(5, 2, 3, 0, dilation=2).axes[0]
    hatched = {(int(p.get_x()), int(p.get_y())) for p in by_gid(grid, "never-read")}
    read = {0, 2}
    assert hatched == {(c, r) for r in range(5) for c in range(5) if not (r in read and c in read)}
    assert by_gid(plotting.stride_padding_figure(5, 2, 3, 0).axes[0], "kernel-tap") == []
