"""cnnlib.plotting.dense_layer: the figures and the table of notebook 07 show what they claim to show.

The flatten figure of notebook 07 is tested with its module, in test_plotting_flatten.py.
"""

import numpy as np
import pytest
from matplotlib.patches import Rectangle

from cnnlib import plotting


def axis_texts(ax):
    return [t.get_text() for t in ax.texts]


def bar_heights(ax):
    """Heights of the filled bars of a bar chart (outline-only bars are left out)."""
    return [p.get_height() for p in ax.patches if isinstance(p, Rectangle) and p.get_fill()]


def all_titles(fig):
    titles = [ax.get_title() for ax in fig.axes]
    for sub in fig.subfigs:
        titles.append(sub.get_suptitle())
    return titles + [fig.get_suptitle()]


# ---------------------------------------------------------------- softmax_bars_figure


def test_softmax_bars_figure_worked_by_hand():
    # e^0 = 1 and e^(ln 3) = 3, so the probabilities are 1/4 and 3/4.
    fig = plotting.softmax_bars_figure(np.array([0.0, np.log(3.0)]))
    logit_ax, prob_ax = fig.axes
    assert bar_heights(logit_ax) == pytest.approx([0.0, np.log(3.0)])
    assert bar_heights(prob_ax) == pytest.approx([0.25, 0.75])
    assert axis_texts(prob_ax) == ["0.25", "0.75"]
    assert (logit_ax.get_title(), prob_ax.get_title()) == ("logits z", "probabilities softmax(z)")
    assert prob_ax.get_ylabel() == "probability" and logit_ax.get_xlabel() == "class"


def test_softmax_bars_figure_scale_stretches_the_logits_and_keeps_the_originals_as_outlines():
    fig = plotting.softmax_bars_figure(np.array([1.0, -1.0]), scale=2.0)
    logit_ax, prob_ax = fig.axes
    assert bar_heights(logit_ax) == pytest.approx([2.0, -2.0])
    outlines = [p.get_height() for p in logit_ax.patches if not p.get_fill()]
    assert outlines == pytest.approx([1.0, -1.0])
    assert logit_ax.get_title() == "scaled logits 2 · z"
    assert prob_ax.get_title() == "probabilities softmax(2 · z)"
    # softmax([2, -2]) = [e^2, e^-2] / (e^2 + e^-2), computed here by hand
    first = np.exp(2.0) / (np.exp(2.0) + np.exp(-2.0))
    assert bar_heights(prob_ax) == pytest.approx([first, 1 - first])


def test_softmax_bars_figure_scale_zero_is_uniform_and_highlights_every_tied_bar():
    fig = plotting.softmax_bars_figure(np.array([3.0, 1.0, -2.0, 0.5]), scale=0)
    prob_ax = fig.axes[1]
    assert bar_heights(prob_ax) == pytest.approx([0.25] * 4)
    assert len({tuple(p.get_facecolor()) for p in prob_ax.patches}) == 1


def test_softmax_bars_figure_highlights_only_the_largest_probability():
    prob_ax = plotting.softmax_bars_figure(np.array([0.0, 2.0, 1.0])).axes[1]
    colours = [tuple(p.get_facecolor()) for p in prob_ax.patches]
    assert colours[0] == colours[2] != colours[1]


def test_softmax_bars_figure_takes_class_names_and_a_title():
    fig = plotting.softmax_bars_figure(np.array([[1.0, 2.0]]), class_names=["cat", "dog"], title="pets")
    assert [t.get_text() for t in fig.axes[1].get_xticklabels()] == ["cat", "dog"]
    assert fig.get_suptitle() == "pets"


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"logits": np.array([1.0])}, ValueError, "at least 2 scores"),
        ({"logits": np.array([1.0, np.nan])}, ValueError, "finite"),
        ({"logits": np.zeros((2, 3))}, ValueError, "must hold one sample"),
        ({"logits": np.zeros(3), "scale": "big"}, TypeError, "`scale` must be a number"),
        ({"logits": np.zeros(3), "scale": True}, TypeError, "`scale` must be a number"),
        ({"logits": np.zeros(3), "scale": np.inf}, ValueError, "`scale` must be finite"),
        ({"logits": np.zeros(3), "class_names": ["a", "b"]}, ValueError, "one name per class, K=3, got 2"),
    ],
)
def test_softmax_bars_figure_bad_input(kwargs, error, match):
    with pytest.raises(error, match=match):
        plotting.softmax_bars_figure(**kwargs)


# ---------------------------------------------------------------- forward_pass_figure


def small_pass(n_maps=3):
    """A hand-sized forward pass: 6 x 6 image, 3 x 3 maps... shapes chosen so every stage differs."""
    rng = np.random.default_rng(0)
    image = rng.random((6, 6))
    maps = rng.normal(size=(1, n_maps, 4, 4))
    rectified = np.maximum(maps, 0)
    pooled = rectified[:, :, ::2, ::2]
    flat = pooled.reshape(1, -1)
    logits = np.array([[0.0, 1.0, -1.0]])
    probabilities = np.exp(logits) / np.exp(logits).sum()
    return {
        "image": image,
        "feature_maps": maps,
        "rectified": rectified,
        "pooled": pooled,
        "flat": flat,
        "logits": logits,
        "probabilities": probabilities,
    }


def test_forward_pass_figure_names_every_stage_with_its_shape():
    fig = plotting.forward_pass_figure(**small_pass(), label=1)
    joined = "\n".join(all_titles(fig))
    for piece in [
        "true label 1, shape (1, 1, 6, 6)",
        "3 feature maps, shape (1, 3, 4, 4)",
        "3 rectified maps, shape (1, 3, 4, 4)",
        "3 pooled maps, shape (1, 3, 2, 2)",
        "shape (1, 12) = (1, 3·2·2)",
        "3 logits, shape (1, 3)",
        "3 probabilities; largest 0.67 for class 1",  # e / (1 + e + 1/e) = 0.665
    ]:
        assert piece in joined, f"{piece!r} not in the titles:\n{joined}"
    assert fig.get_suptitle() == "One forward pass through the network"


def test_forward_pass_figure_follows_the_colour_rules():
    stages = small_pass()
    fig = plotting.forward_pass_figure(**stages)
    digit, maps, rectified, pooled, strip = [ax.images[0] for ax in fig.axes if ax.images]
    assert digit.get_cmap().name == "gray"
    limit = np.abs(stages["feature_maps"]).max()
    assert maps.get_cmap().name == "RdBu_r"  # signed: diverging, centred on 0
    assert (maps.norm.vmin, maps.norm.vmax) == pytest.approx((-limit, limit))
    for shown in [rectified, pooled, strip]:  # never negative: viridis from 0, one shared scale
        assert shown.get_cmap().name == "viridis"
        assert shown.norm.vmin == 0 and shown.norm.vmax == pytest.approx(stages["rectified"].max())


def test_forward_pass_figure_lays_the_maps_side_by_side_with_a_gap():
    stages = small_pass()
    fig = plotting.forward_pass_figure(**stages)
    maps_ax = next(ax for ax in fig.axes if ax.images and ax.images[0].get_cmap().name == "RdBu_r")
    montage = maps_ax.images[0].get_array()
    # 3 maps of 4 x 4 with a gap of 1 column (round(4 / 6) = 1, at least 1): 4 + 1 + 4 + 1 + 4 = 14 columns
    assert montage.shape == (4, 14)
    np.testing.assert_array_equal(montage[:, 5:9], stages["feature_maps"][0, 1])
    assert montage.mask[:, 4].all() and montage.mask[:, 9].all()
    assert [t.get_text() for t in maps_ax.get_xticklabels()] == ["filter 0", "filter 1", "filter 2"]


def test_forward_pass_figure_draws_the_probabilities_as_bars_with_the_uniform_line():
    stages = small_pass()
    fig = plotting.forward_pass_figure(**stages)
    prob_ax = fig.axes[-1]
    assert bar_heights(prob_ax) == pytest.approx(stages["probabilities"][0])
    assert prob_ax.get_ylabel() == "probability"
    assert [line.get_ydata()[0] for line in prob_ax.lines] == pytest.approx([1 / 3])


def test_forward_pass_figure_accepts_stages_without_the_batch_axis():
    stages = {
        name: value[0] if value.ndim > 2 or name in ("flat", "logits", "probabilities") else value
        for name, value in small_pass().items()
    }
    fig = plotting.forward_pass_figure(**stages)
    assert "shape (1, 3, 2, 2)" in "\n".join(all_titles(fig))


@pytest.mark.parametrize(
    ("change", "error", "match"),
    [
        ({"rectified": np.zeros((1, 3, 5, 5))}, ValueError, "`rectified` must have the shape of `feature_maps`"),
        ({"pooled": np.zeros((1, 2, 2, 2))}, ValueError, "one map per filter, F=3"),
        ({"flat": np.zeros((1, 11))}, ValueError, "must hold the 12 numbers of `pooled`"),
        ({"probabilities": np.zeros((1, 4))}, ValueError, "`logits` and `probabilities` must both have shape"),
        ({"feature_maps": np.zeros((2, 3, 4, 4))}, ValueError, "must hold one sample"),
        ({"image": np.zeros((1, 2, 6, 6))}, ValueError, "one grayscale image"),
        ({"image": None}, TypeError, "`image` must be a numeric array"),
        ({"label": -1}, ValueError, "`label` must be an integer >= 0"),
    ],
)
def test_forward_pass_figure_bad_input(change, error, match):
    stages = {**small_pass(), "label": None}
    stages.update(change)
    with pytest.raises(error, match=match):
        plotting.forward_pass_figure(**stages)


def test_forward_pass_figure_refuses_more_maps_than_fit_in_a_row():
    with pytest.raises(ValueError, match="at most 16 maps"):
        plotting.forward_pass_figure(**small_pass(n_maps=17))


# ---------------------------------------------------------------- parameter_count_table


def test_parameter_count_table_worked_by_hand():
    # conv: 8 filters of 1 x 3 x 3 plus 8 biases = 80; dense 1352 -> 10: 13,520 + 10 = 13,530; total 13,610.
    table = plotting.parameter_count_table(
        [
            ("conv", (1, 8, 26, 26), "F*C*k*k + F", 8 * 1 * 3 * 3 + 8),
            ("ReLU", (1, 8, 26, 26), "nothing to learn", 0),
            ("dense", (1, 10), "D*K + K", 1352 * 10 + 10),
        ]
    )
    lines = table.splitlines()
    assert lines[0].split() == ["layer", "output", "shape", "parameters", "formula"]
    assert lines[2].split()[-5:] == ["26)", "80", "F*C*k*k", "+", "F"]
    assert "13,530" in lines[4]
    assert lines[-1].split() == ["total", "13,610"]
    assert (
        len(
            {
                line.index(word) + len(word)
                for line, word in [(lines[2], "80"), (lines[4], "13,530"), (lines[-1], "13,610")]
            }
        )
        == 1
    ), "counts align right"


@pytest.mark.parametrize(
    ("rows", "error", "match"),
    [
        (None, TypeError, "`rows` must be a sequence"),
        ("conv", TypeError, "`rows` must be a sequence"),
        ([("conv", (1, 2), 3)], ValueError, "each row of `rows` must be"),
        ([("conv", (1, 2), "f", -1)], ValueError, "`count` must be an integer >= 0"),
        ([("conv", (1, 2), "f", 2.5)], TypeError, "`count` must be an integer"),
    ],
)
def test_parameter_count_table_bad_rows(rows, error, match):
    with pytest.raises(error, match=match):
        plotting.parameter_count_table(rows)
