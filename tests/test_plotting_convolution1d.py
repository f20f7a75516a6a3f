"""cnnlib.plotting.convolution1d: the figures of notebook 02 draw the numbers the definition gives."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from matplotlib.figure import Figure

from cnnlib import plotting
from cnnlib.plotting.convolution1d import format_number

F, G = [2, 0, 1, 3, -1], [1, 2, 3]  # the notebook's running example, M = 5, K = 3


def dots(ax, label=None):
    """(x, y) of every line drawn with round markers on ``ax`` (the stems' dots), optionally by legend label."""
    found = [line for line in ax.lines if line.get_marker() == "o" and (label is None or line.get_label() == label)]
    return [(list(line.get_xdata()), list(line.get_ydata())) for line in found]


def all_text(fig):
    texts = [fig.get_suptitle()]
    for ax in fig.axes:
        texts += [ax.get_title(loc="left"), ax.get_xlabel(), ax.get_ylabel()] + [t.get_text() for t in ax.texts]
        legend = ax.get_legend()
        if legend is not None:
            texts += [t.get_text() for t in legend.get_texts()]
    return texts


def test_format_number_writes_whole_numbers_without_a_decimal_point():
    assert [format_number(v) for v in [3.0, -2, 0.0, 0.5, 1 / 3, -0.25]] == ["3", "-2", "0", "0.5", "0.333", "-0.25"]


def test_convolution_terms_worked_by_hand():
    # (f * g)[2] = f[0] g[2] + f[1] g[1] + f[2] g[0] = 2*3 + 0*2 + 1*1 = 7
    assert plotting.convolution_terms_1d(F, G, 2) == [(0, 2, 3, 6, 6), (1, 0, 2, 0, 6), (2, 1, 1, 1, 7)]
    # first and last shift: only one pair overlaps
    assert plotting.convolution_terms_1d(F, G, 0) == [(0, 2, 1, 2, 2)]
    assert plotting.convolution_terms_1d(F, G, 6) == [(4, -1, 3, -3, -3)]


@given(
    st.lists(st.integers(-9, 9), min_size=1, max_size=7),
    st.lists(st.integers(-9, 9), min_size=1, max_size=7),
    st.data(),
)
def test_last_running_sum_is_np_convolve(f, g, data):
    n = data.draw(st.integers(0, len(f) + len(g) - 2))
    terms = plotting.convolution_terms_1d(f, g, n)
    assert terms[-1][-1] == np.convolve(f, g)[n]
    assert all(k + (n - k) == n and 0 <= k < len(f) for k, *_ in terms)
    assert len(terms) == min(n, len(f) - 1) - max(0, n - len(g) + 1) + 1


def test_sum_text_worked_by_hand_with_negative_numbers_in_brackets():
    assert plotting.convolution_sum_text_1d(F, G, 2) == (
        "(f * g)[2] = f[0]·g[2] + f[1]·g[1] + f[2]·g[0] = 2·3 + 0·2 + 1·1 = 7"
    )
    # (f * g)[3] for f = [2, -1, 3, 1], g = [1, 2, -1]: (-1)(-1) + 3*2 + 1*1 = 8
    assert plotting.convolution_sum_text_1d([2, -1, 3, 1], [1, 2, -1], 3) == (
        "(f * g)[3] = f[1]·g[2] + f[2]·g[1] + f[3]·g[0] = (-1)·(-1) + 3·2 + 1·1 = 8"
    )


def test_slide_figure_shows_the_flipped_kernel_products_and_output_at_n():
    fig = plotting.slide_figure_1d(F, G, 2)
    assert isinstance(fig, Figure)
    assert "Shift n = 2" in fig.get_suptitle()
    ax_in, ax_prod, ax_out = fig.axes
    # f at k = 0..4; the flipped kernel: g[0] at k = n = 2, g[1] at 1, g[2] at 0 (drawn 0.09 to the right)
    [(fx, fy)] = dots(ax_in, "f[k]")
    assert fy == F and np.allclose(fx, np.arange(5) - 0.09)
    [(gx, gy)] = [d for d in dots(ax_in) if d[1] == G]
    assert np.allclose(gx, np.array([2, 1, 0]) + 0.09)
    labels = {t.get_text(): t.get_position()[0] for t in ax_in.texts if t.get_text().startswith("g[")}
    assert {name: round(x - 0.09) for name, x in labels.items()} == {"g[0]": 2, "g[1]": 1, "g[2]": 0}
    # products 2*3, 0*2, 1*1 at k = 0, 1, 2, and their sum in the title
    assert [p.get_height() for p in ax_prod.patches if p.get_width() < 1] == [6, 0, 1]
    assert ax_prod.get_title(loc="left").endswith("6 + 0 + 1 = 7")
    # the output: the current value highlighted, the earlier ones drawn, the later ones faint
    [(now_x, now_y)] = dots(ax_out, "this shift:\n(f * g)[2] = 7")
    assert (now_x, now_y) == ([2], [7])
    [(before_x, before_y)] = dots(ax_out, "earlier shifts")
    assert (before_x, before_y) == ([0, 1], [2, 4])
    assert "M + K − 1 = 7" in ax_out.get_title(loc="left")


def test_slide_figure_keeps_its_axes_still_as_n_changes():
    limits = [[ax.get_ylim() for ax in plotting.slide_figure_1d(F, G, n).axes] for n in range(7)]
    assert all(lims == limits[0] for lims in limits)


def test_slide_figure_shows_a_negative_product_in_brackets():
    fig = plotting.slide_figure_1d(F, G, 6)  # only f[4] * g[2] = -1 * 3 overlaps
    assert fig.axes[1].get_title(loc="left").endswith("(-3) = -3")


@pytest.mark.parametrize("n", [0, 3, 6])
def test_slide_figure_text_stays_inside_the_figure(n):
    fig = plotting.slide_figure_1d(F, G, n)
    fig.draw_without_rendering()
    frame = fig.bbox
    for ax in fig.axes:
        for artist in [*ax.texts, ax.get_legend()]:
            box = artist.get_window_extent()
            assert frame.x0 <= box.x0 and box.x1 <= frame.x1
            assert frame.y0 <= box.y0 and box.y1 <= frame.y1


def test_every_figure_has_titles_and_labelled_axes():
    figures = [
        plotting.slide_figure_1d(F, G, 1),
        plotting.modes_figure_1d(F, G),
        plotting.kernel_flip_figure_1d([1, 2, 3]),
    ]
    for fig in figures:
        for ax in fig.axes:
            assert ax.get_title(loc="left") and ax.get_ylabel()
        assert fig.axes[-1].get_xlabel()


@pytest.mark.parametrize(
    ("f", "g", "lengths"),
    [
        (F, G, {"full": 7, "same": 5, "valid": 3}),
        ([1, 2], [3, -4, 5, -6], {"full": 5, "same": 4, "valid": 3}),  # kernel longer than the signal
        ([4], [1], {"full": 1, "same": 1, "valid": 1}),
    ],
)
def test_modes_figure_keeps_what_np_convolve_keeps(f, g, lengths):
    fig = plotting.modes_figure_1d(f, g)
    for ax, (mode, length) in zip(fig.axes, lengths.items(), strict=True):
        assert ax.get_title(loc="left").startswith(f"mode='{mode}' keeps {length} values")
        [(_, kept)] = dots(ax, "kept")
        assert kept == list(np.convolve(f, g, mode=mode))
        assert sum(len(y) for _, y in dots(ax)) == len(f) + len(g) - 1  # kept + dropped = full


def test_kernel_flip_figure_convolution_keeps_the_kernel_correlation_reverses_it():
    fig = plotting.kernel_flip_figure_1d([1, 2, 3])
    impulse, convolved, correlated = (dots(ax)[0][1] for ax in fig.axes)
    assert impulse == [0, 0, 0, 1, 0, 0, 0]
    assert convolved == [0, 0, 1, 2, 3, 0, 0]
    assert correlated == [0, 0, 3, 2, 1, 0, 0]
    assert "Convolution" in fig.axes[1].get_title(loc="left")
    assert "Cross-correlation" in fig.axes[2].get_title(loc="left")
    assert "[1, 2, 3]" in fig.get_suptitle()


@pytest.mark.parametrize(
    ("call", "error", "match"),
    [
        (lambda: plotting.slide_figure_1d(F, G, 7), ValueError, r"`n` must be <= M \+ K - 2 = 6 \(.*\), got 7"),
        (lambda: plotting.slide_figure_1d(F, G, -1), ValueError, "`n` must be an integer >= 0"),
        (lambda: plotting.slide_figure_1d(F, G, 1.5), TypeError, "`n` must be an integer"),
        (lambda: plotting.slide_figure_1d([[1, 2]], G, 0), ValueError, "`f` must be 1-D"),
        (lambda: plotting.convolution_terms_1d(F, [], 0), ValueError, "`g` must not be empty"),
        (lambda: plotting.modes_figure_1d(None, G), TypeError, "`f` must be a numeric array"),
        (lambda: plotting.kernel_flip_figure_1d([1, 2, 3], length=2), ValueError, "`length` must be an integer >= 3"),
    ],
)
def test_bad_arguments_are_named(call, error, match):
    with pytest.raises(error, match=match):
        call()


def test_every_public_name_is_exported():
    for name in plotting.convolution1d.__all__:
        assert getattr(plotting, name) is getattr(plotting.convolution1d, name)
