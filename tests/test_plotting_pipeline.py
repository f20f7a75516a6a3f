"""cnnlib.plotting.pipeline: the map of a CNN in notebook 00 carries the labels and shapes the series teaches."""

import numpy as np
import pytest
from matplotlib.figure import Figure
from matplotlib.patches import Circle, Rectangle

from cnnlib import data, plotting

STAGES = ["Image", "Convolution", "ReLU", "Pooling", "Dense", "Prediction"]


def texts(fig):
    """Every string drawn on the figure's axes (text artists and the title)."""
    ax = fig.axes[0]
    return [t.get_text() for t in ax.texts] + [ax.get_title()]


def test_pipeline_figure_is_a_figure_with_a_title():
    fig = plotting.pipeline_figure()
    assert isinstance(fig, Figure)
    assert len(fig.axes) == 1
    assert fig.axes[0].get_title() == "The CNN pipeline: from pixels to a prediction"


def test_pipeline_figure_labels_every_stage_once_in_order():
    drawn = texts(plotting.pipeline_figure())
    assert [t for t in drawn if t in STAGES] == STAGES


def test_pipeline_figure_default_shapes_worked_by_hand():
    # 28 x 28 image, 8 filters of 3 x 3: 28 - 3 + 1 = 26; 2 x 2 pooling: 26 // 2 = 13;
    # flatten 8 * 13 * 13 = 1352 numbers into 10 scores.
    drawn = texts(plotting.pipeline_figure())
    for shape in ["28 × 28", "8 × 26 × 26", "8 × 13 × 13", "10 scores", "10 probabilities"]:
        assert shape in drawn, f"{shape!r} not among {drawn}"
    assert drawn.count("8 × 26 × 26") == 2, "ReLU keeps the shape of the feature maps"
    assert any("1,352" in t for t in drawn)


def test_pipeline_figure_uses_its_arguments():
    # 32 - 5 + 1 = 28 feature maps of 28 x 28; 28 // 3 = 9; 4 * 9 * 9 = 324.
    drawn = texts(plotting.pipeline_figure(image_size=32, n_filters=4, kernel_size=5, pool_size=3, n_classes=2))
    assert "32 × 32" in drawn
    assert "4 × 28 × 28" in drawn
    assert "4 × 9 × 9" in drawn
    assert "2 probabilities" in drawn
    assert any("324" in t for t in drawn)
    assert any("5 × 5" in t for t in drawn)


def test_pipeline_figure_calls_the_maps_by_their_names():
    joined = "\n".join(texts(plotting.pipeline_figure()))
    for name in ["feature maps", "rectified maps", "pooled maps", "softmax"]:
        assert name in joined
    assert "biases" in joined, "the figure must say that biases are learned too"


def test_pipeline_figure_text_stays_inside_the_figure():
    fig = plotting.pipeline_figure()
    fig.draw_without_rendering()  # runs the layout engine, so positions are final
    frame = fig.bbox
    for text in fig.axes[0].texts:
        box = text.get_window_extent()
        assert frame.x0 <= box.x0 and box.x1 <= frame.x1, f"{text.get_text()!r} is cut off"
        assert frame.y0 <= box.y0 and box.y1 <= frame.y1, f"{text.get_text()!r} is cut off"


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"image_size": 2.5}, TypeError, "`image_size` must be an integer"),
        ({"n_filters": 0}, ValueError, "`n_filters` must be an integer >= 1, got 0"),
        ({"n_classes": 1}, ValueError, "`n_classes` must be an integer >= 2, got 1"),
        ({"image_size": 3, "kernel_size": 5}, ValueError, "`kernel_size` must be <= `image_size` = 3, got 5"),
        ({"image_size": 5, "kernel_size": 3, "pool_size": 4}, ValueError, "feature map size 3, got 4"),
    ],
)
def test_pipeline_figure_bad_arguments(kwargs, error, match):
    with pytest.raises(error, match=match):
        plotting.pipeline_figure(**kwargs)


def drawn_digit(fig):
    """The one image drawn on the map: the picture in the image box."""
    (image,) = fig.axes[0].images
    return image


def test_pipeline_figure_draws_a_real_mnist_seven_by_default():
    # The shipped MNIST test set starts with a 7 (its label); the map must show those
    # 28 x 28 pixels, in gray from 0 (black) to 255 (white), not a hand-drawn icon.
    mnist = data.load_mnist()
    assert mnist.test_labels[0] == 7
    image = drawn_digit(plotting.pipeline_figure())
    assert image.get_array().shape == (28, 28)
    np.testing.assert_array_equal(image.get_array(), mnist.test_images[0])
    assert image.get_cmap().name == "gray"
    assert image.get_clim() == (0, 255)


def test_pipeline_figure_draws_the_digit_it_is_given():
    digit = np.zeros((5, 5))
    digit[1:4, 2] = 255  # a vertical stroke
    image = drawn_digit(plotting.pipeline_figure(digit=digit))
    np.testing.assert_array_equal(image.get_array(), digit)


@pytest.mark.parametrize(
    ("digit", "match"),
    [
        (np.zeros((2, 2, 2)), "`digit` must be an image of shape \\(H, W\\)"),
        (np.full((3, 3), 300.0), "`digit` must hold pixels from 0 to 255"),
    ],
)
def test_pipeline_figure_bad_digit(digit, match):
    with pytest.raises(ValueError, match=match):
        plotting.pipeline_figure(digit=digit)


def test_pipeline_figure_draws_probabilities_that_add_up_to_1():
    # The box says "softmax: positive, adding up to 1": the prediction's bars (the only patches 0.08 wide) must too.
    bars = [p for p in plotting.pipeline_figure().axes[0].patches if isinstance(p, Rectangle) and p.get_width() == 0.08]
    assert len(bars) == 10
    heights = [bar.get_height() for bar in bars]
    assert min(heights) > 0
    assert sum(heights) == pytest.approx(1.0)


def prediction_bars(fig):
    """The prediction box's bars, left to right: the only rectangles in the box's row of bars (y = 1.05)."""
    bars = [p for p in fig.axes[0].patches if isinstance(p, Rectangle) and p.get_y() == pytest.approx(1.5 - 0.45)]
    return sorted(bars, key=lambda bar: bar.get_x())


def named_class(fig):
    """The one short text drawn above the bars: the class the prediction box names, or "?"."""
    (text,) = [t for t in fig.axes[0].texts if t.get_position()[1] == pytest.approx(1.5 + 0.38)]
    return text


def tallest(bars):
    return max(range(len(bars)), key=lambda i: bars[i].get_height())


def centre(bar):
    return bar.get_x() + bar.get_width() / 2


def test_pipeline_figure_names_the_default_digit_s_class_over_its_tallest_bar():
    fig = plotting.pipeline_figure()
    bars, name = prediction_bars(fig), named_class(fig)
    assert len(bars) == 10 and tallest(bars) == 7 == data.load_mnist().test_labels[0]
    assert name.get_text() == "7" and name.get_position()[0] == pytest.approx(centre(bars[7]))


def test_pipeline_figure_does_not_name_a_class_for_a_digit_of_unknown_class():
    # a digit of the learner's own: the map cannot know its class, so the bars are all alike under a "?"
    fig = plotting.pipeline_figure(digit=np.zeros((28, 28)))
    heights = [bar.get_height() for bar in prediction_bars(fig)]
    assert heights == pytest.approx([0.1] * 10)
    assert named_class(fig).get_text() == "?"


def test_pipeline_figure_names_the_class_it_is_given():
    fig = plotting.pipeline_figure(digit=np.zeros((28, 28)), label=3)
    bars = prediction_bars(fig)
    assert tallest(bars) == 3 and named_class(fig).get_text() == "3"
    assert named_class(fig).get_position()[0] == pytest.approx(centre(bars[3]))
    assert sum(bar.get_height() for bar in bars) == pytest.approx(1.0)


def test_pipeline_figure_draws_one_bar_and_one_dense_unit_per_class():
    fig = plotting.pipeline_figure(n_classes=2, label=1)
    bars = prediction_bars(fig)
    dense_units = [p for p in fig.axes[0].patches if isinstance(p, Circle)]
    assert len(bars) == 2 and len(dense_units) == 2 and tallest(bars) == 1
    assert sum(bar.get_height() for bar in bars) == pytest.approx(1.0)
    # the default 7 has no bar among 2 classes: nothing is named
    assert named_class(plotting.pipeline_figure(n_classes=2)).get_text() == "?"
    # a thousand classes: ten bars drawn, not a thousand
    assert len(prediction_bars(plotting.pipeline_figure(n_classes=1000))) == 10


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"label": 10}, ValueError, "`label` must be a class the prediction box draws, from 0 to 9 .*got 10"),
        ({"n_classes": 3, "label": 5}, ValueError, "from 0 to 2 \\(one bar per class, n_classes = 3, .*got 5"),
        ({"n_classes": 20, "label": 12}, ValueError, "from 0 to 9 \\(.*n_classes = 20, at most 10\\), got 12"),
        ({"label": -1}, ValueError, "`label` must be an integer >= 0, got -1"),
        ({"label": 2.5}, TypeError, "`label` must be an integer"),
    ],
)
def test_pipeline_figure_bad_label(kwargs, error, match):
    with pytest.raises(error, match=match):
        plotting.pipeline_figure(**kwargs)
