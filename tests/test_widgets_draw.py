"""cnnlib.widgets.draw: strokes fed to the handlers drive the prediction, the maps, clear and undo."""

import numpy as np
import pytest
from widget_helpers import png_of, shown_note, shown_png

from cnnlib import attribution, data, images, plotting, widgets

CENTRE = 140


def ellipse(cx=CENTRE, cy=CENTRE, rx=55, ry=90, n=60):
    """A "0": one closed stroke round an upright ellipse, in canvas pixels."""
    angles = np.linspace(0, 2 * np.pi, n + 1)
    return list(zip(cx + rx * np.cos(angles), cy + ry * np.sin(angles), strict=True))


def one(x=CENTRE):
    """A "1": one vertical stroke."""
    return [(x, 40 + 10 * i) for i in range(21)]


@pytest.fixture(scope="module")
def network():
    return data.load_digit_cnn()


def test_default_state_is_a_test_digit_and_the_static_figure(network):
    explorer = widgets.draw_digit_explorer(network)
    assert isinstance(explorer, widgets.FigureExplorer)
    assert explorer.source.value == 0 and explorer.prediction == data.load_mnist().test_labels[0]
    static = plotting.digit_verdict_figure(explorer.digit, explorer.maps, explorer.probabilities)
    assert shown_png(explorer) == png_of(static)
    assert f"the network reads {explorer.prediction}" in explorer.caption.value


def test_a_blank_pad_shows_a_message_not_an_error(network):
    explorer = widgets.draw_digit_explorer(network, index=-1)
    assert shown_note(explorer).startswith("The pad is blank")
    assert explorer.prediction is None and explorer.figure is None and explorer.error is None


def test_drawing_a_one_then_a_zero_through_the_mouse_handlers(network):
    explorer = widgets.draw_digit_explorer(network, index=-1)
    stroke = one()
    explorer.pen_down(*stroke[0])
    for point in stroke[1:-1]:
        explorer.pen_move(*point)
    explorer.pen_up(*stroke[-1])
    assert explorer.strokes == [[(float(x), float(y)) for x, y in stroke]]
    assert explorer.prediction == 1
    assert explorer.caption.value.endswith("; on the pad: 1 stroke</b>")
    maps_of_one = {name: out.copy() for name, out in explorer.maps.items()}
    picture_of_one = shown_png(explorer)

    explorer.clear()
    assert explorer.strokes == [] and shown_note(explorer).startswith("The pad is blank")
    explorer.add_stroke(ellipse())
    assert explorer.prediction == 0
    assert "the network reads 0" in explorer.caption.value
    assert shown_png(explorer) != picture_of_one
    for name in ("conv1", "relu1", "pool1", "conv2", "relu2", "pool2"):
        assert not np.allclose(explorer.maps[name], maps_of_one[name]), name


def test_moves_without_the_pen_down_draw_nothing(network):
    explorer = widgets.draw_digit_explorer(network, index=-1)
    explorer.pen_move(10, 10)
    explorer.pen_up(20, 20)
    assert explorer.strokes == [] and shown_note(explorer).startswith("The pad is blank")


def test_undo_takes_back_the_last_stroke(network):
    explorer = widgets.draw_digit_explorer(network, index=-1)
    explorer.add_stroke(ellipse())
    assert explorer.prediction == 0
    zero = shown_png(explorer)
    explorer.add_stroke([(CENTRE - 80, CENTRE), (CENTRE + 80, CENTRE)])  # a bar through the middle
    assert len(explorer.strokes) == 2 and shown_png(explorer) != zero
    explorer.undo()
    assert len(explorer.strokes) == 1 and explorer.prediction == 0 and shown_png(explorer) == zero
    explorer.undo()
    assert shown_note(explorer).startswith("The pad is blank")
    explorer.undo()  # nothing left: no error
    assert explorer.error is None


def test_clear_and_undo_buttons_are_wired(network):
    explorer = widgets.draw_digit_explorer(network, index=-1)
    explorer.add_stroke(one())
    explorer.add_stroke(ellipse())
    explorer.undo_button.click()
    assert len(explorer.strokes) == 1 and explorer.prediction == 1
    explorer.clear_button.click()
    assert explorer.strokes == [] and explorer.prediction is None


def test_the_menu_loads_a_test_digit_and_clear_empties_it(network):
    mnist = data.load_mnist()
    explorer = widgets.draw_digit_explorer(network, index=-1)
    explorer.source.value = 3
    assert explorer.prediction == mnist.test_labels[3]
    assert np.abs(explorer.digit - mnist.test_images[3] / 255).max() < 0.05
    assert "on the pad: test digit 3</b>" in explorer.caption.value
    explorer.add_stroke([(40, 40), (60, 60)])
    explorer.add_stroke([(200, 40), (220, 60)])
    assert "on the pad: test digit 3 + 2 strokes</b>" in explorer.caption.value
    explorer.clear()
    assert explorer.source.value == -1 and explorer.background is None
    assert shown_note(explorer).startswith("The pad is blank")


def test_the_saliency_switch_changes_the_picture(network):
    explorer = widgets.draw_digit_explorer(network)
    before = shown_png(explorer)
    explorer.show_saliency.value = True
    assert shown_png(explorer) != before and explorer.figure._suptitle.get_text().endswith("saliency on")
    explorer.show_saliency.value = False
    assert shown_png(explorer) == before


@pytest.mark.parametrize(
    ("kwargs", "says"),
    [
        ({"digits": np.zeros((3, 8, 8))}, r"`digits` must have shape \(N, 28, 28\)"),
        ({"index": 20}, "`index` must be -1"),
        ({"digits": np.zeros((2, 28, 28)), "labels": [1]}, "one label per digit"),
    ],
)
def test_bad_arguments_are_named(network, kwargs, says):
    with pytest.raises(ValueError, match=says):
        widgets.draw_digit_explorer(network, **kwargs)


def test_after_strokes_the_picture_is_the_figure_made_anew(network):
    # the widget updates one figure in place (for speed); it must draw as a new figure would
    explorer = widgets.draw_digit_explorer(network)
    explorer.source.value = -1
    explorer.add_stroke(ellipse())
    explorer.show_saliency.value = True
    heat = attribution.saliency(network, explorer.digit[None, None])[0]
    fresh = plotting.digit_verdict_figure(explorer.digit, explorer.maps, explorer.probabilities, heat)
    assert shown_png(explorer) == png_of(fresh)
    zero = explorer.probabilities[0]
    assert explorer.figure._suptitle.get_text() == f"the network reads 0 ({zero:.0%}), saliency on"


def test_the_figure_refuses_maps_of_other_shapes():
    maps = {"conv1": np.zeros((1, 4, 6, 6))}
    figure = plotting.digit_verdict_figure(np.eye(8), maps, np.full(10, 0.1))
    with pytest.raises(ValueError, match="layer shapes the figure was made for"):
        plotting.update_digit_verdict_figure(figure, np.eye(8), {"conv1": np.zeros((1, 5, 6, 6))}, np.full(10, 0.1))
    with pytest.raises(ValueError, match="`probabilities` must have 10 classes, got 3"):
        plotting.update_digit_verdict_figure(figure, np.eye(8), maps, np.full(3, 0.3))
    with pytest.raises(TypeError, match="made by digit_verdict_figure"):
        plotting.update_digit_verdict_figure(plotting.tile_maps, np.eye(8), maps, np.full(10, 0.1))


def test_tile_maps_by_hand():
    maps = np.arange(3 * 2 * 2, dtype=float).reshape(3, 2, 2)
    tiled = plotting.tile_maps(maps, columns=2)
    assert tiled.shape == (5, 5)
    assert tiled[0:2, 0:2].tolist() == [[0, 1], [2, 3]] and tiled[0:2, 3:5].tolist() == [[4, 5], [6, 7]]
    assert tiled[3:5, 0:2].tolist() == [[8, 9], [10, 11]]
    assert np.isnan(tiled[2]).all() and np.isnan(tiled[:, 2]).all() and np.isnan(tiled[3:, 3:]).all()


# ---------------------------------------------------------------- the pieces underneath


def test_draw_strokes_by_hand():
    image = images.draw_strokes([[(2, 1), (2, 7)]], (9, 5), width=2)
    # pixels with centre within 1 of the segment x = 2, y in [1, 7] are full ink; a 0.5 soft edge beyond
    assert image[4].tolist() == [0.0, 0.5, 1.0, 0.5, 0.0]
    assert image[0, 2] == 0.5 and image[8, 2] == 0.5 and image[4, 2] == 1.0
    dot = images.draw_strokes([[(3, 3)]], (7, 7), width=2)
    assert dot[3, 3] == 1.0 and dot[0, 0] == 0.0
    assert not images.draw_strokes([], (4, 4)).any()


@pytest.mark.parametrize(("shape", "width", "says"), [((0, 5), 2, "`shape`"), ((5, 5), 0, "`width`")])
def test_draw_strokes_bad_arguments(shape, width, says):
    with pytest.raises(ValueError, match=says):
        images.draw_strokes([[(1, 1)]], shape, width)


def test_a_drawing_at_two_places_and_two_sizes_gives_nearly_the_same_digit():
    drawings = [
        images.draw_strokes([ellipse(cx, cy, 55 * s, 90 * s)], (280, 280), width=20 * s)
        for cx, cy, s in [(140, 140, 1.0), (80, 100, 0.6), (190, 170, 0.5), (140, 140, 1.4)]
    ]
    made = [images.to_mnist_digit(d) for d in drawings]
    for other in made[1:]:
        # the centre of mass is rounded to a whole pixel, as MNIST did: a symmetric ring whose centre
        # falls near a half pixel may land one pixel over, so compare at the best shift of at most 1
        best = min(
            np.abs(np.roll(other, (dy, dx), axis=(0, 1)) - made[0]).mean() for dy in (-1, 0, 1) for dx in (-1, 0, 1)
        )
        assert best < 0.01


def test_the_shipped_network_reads_test_digits_made_by_to_mnist_digit(network):
    mnist = data.load_mnist()
    made = np.array([images.to_mnist_digit(d) for d in mnist.test_images[:2000]])
    accuracy = np.mean(network.predict(made[:, None]) == mnist.test_labels[:2000])
    assert accuracy >= 0.985, f"{accuracy:.2%} of 2,000 test digits"
