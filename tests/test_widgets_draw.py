"""cnnlib.widgets.draw: strokes fed to the handlers drive the prediction, the maps, clear and undo."""

import re

import numpy as np
import pytest
from matplotlib.transforms import Bbox
from widget_helpers import png_of, shown_note, shown_png

from cnnlib import attribution, data, images, plotting, widgets
from cnnlib.layers import Conv2D, Dense, Flatten, ReLU
from cnnlib.network import Sequential
from cnnlib.pool_layers import MaxPool2D
from cnnlib.widgets.explorer import board_pixel, png_point

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
    assert "; on the pad: 1 stroke</b>" in explorer.caption.value
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


# ---------------------------------------------------------------- one unit, clicked


def red_centre(png):
    """The centre (x, y) of the red square drawn round the selected unit, in the PNG's pixels from the top left.

    Found from the square's top, left and right edges (its bottom may be cut off at the picture's
    edge); + 0.5: pixel k of the PNG spans k to k + 1, as a click on the canvas counts.
    """
    import io

    from PIL import Image

    rgb = np.asarray(Image.open(io.BytesIO(png)).convert("RGB")).astype(int)
    rows, cols = np.nonzero((rgb[..., 0] > 200) & (rgb[..., 1] < 60) & (rgb[..., 2] < 60))
    assert rows.size, "no red outline in the picture"
    half = (cols.max() - cols.min()) / 2
    return cols.min() + half + 0.5, rows.min() + half + 0.5


@pytest.mark.parametrize(
    "unit", [("conv1", 3, 10, 12), ("relu1", 15, 23, 0), ("pool1", 8, 5, 11), ("conv2", 0, 0, 0), ("pool2", 31, 3, 3)]
)
def test_a_click_on_a_unit_in_the_picture_selects_it(network, unit):
    explorer = widgets.draw_digit_explorer(network)
    explorer.select_unit(*unit)
    x, y = red_centre(shown_png(explorer))  # where the outline was drawn, read from the PNG the learner sees
    assert explorer.unit_on_board() == pytest.approx((x, y), abs=1.5)
    explorer.select_unit(None)
    with pytest.raises(ValueError, match="no unit is selected"):
        explorer.unit_on_board()
    assert explorer.selected is None
    explorer.board_clicked(x, y)  # as the canvas reports a click: PNG pixels from the top left
    assert explorer.selected is not None and tuple(explorer.selected[:4]) == unit
    assert f"{unit[0]}, channel {unit[1]}, row {unit[2]}, column {unit[3]}:" in explorer.caption.value


def centre_on_board(explorer, axes):
    """The centre of ``axes`` as a point of the board (PNG pixels from the top left)."""
    bbox = axes.get_window_extent()
    return board_pixel(explorer.figure, (bbox.x0 + bbox.x1) / 2, (bbox.y0 + bbox.y1) / 2)


def test_clicks_off_a_unit(network):
    explorer = widgets.draw_digit_explorer(network)
    artists = explorer.figure.verdict_artists
    explorer.select_unit("conv2", 1, 2, 3)
    explorer.board_clicked(*centre_on_board(explorer, artists["filter"]))  # a closer look at the filter: kept
    assert explorer.selected.layer == "conv2"
    place = next(place for place in artists["places"] if place.name == "conv2")
    gap = board_pixel(explorer.figure, *artists["maps"].axes.transData.transform((place.left + 8 * place.factor, 40)))
    explorer.board_clicked(*gap)  # the white line between conv2's first two tiles: kept
    assert explorer.selected.layer == "conv2"
    explorer.board_clicked(*centre_on_board(explorer, artists["digit"].axes))  # on the digit: cleared
    assert explorer.selected is None and "Click a unit of a map" in explorer.caption.value
    explorer.select_unit("conv2", 1, 2, 3)
    explorer.board_clicked(3, 3)  # the white corner of the picture: cleared
    assert explorer.selected is None


def test_every_pixel_of_the_maps_on_the_board_is_read_back_as_the_unit_drawn_there(network):
    # the colour of each PNG pixel over the maps must be the colour of the picture pixel a click there reads
    import io

    from PIL import Image

    explorer = widgets.draw_digit_explorer(network)
    artists = explorer.figure.verdict_artists
    picture = artists["maps"].get_array()  # (H, W, 3) in [0, 1]
    png = np.asarray(Image.open(io.BytesIO(shown_png(explorer))).convert("RGB")).astype(int)
    left, top = board_pixel(explorer.figure, *artists["maps"].axes.transData.transform((-0.5, -0.5)))
    right, bottom = board_pixel(
        explorer.figure, *artists["maps"].axes.transData.transform((picture.shape[1] - 0.5, picture.shape[0] - 0.5))
    )
    # png_point is a shift (and a flip of y) at the figure's own dpi: found once, applied to every pixel
    (x0, y0), (x1, y1) = png_point(explorer.figure, 0, 0), png_point(explorer.figure, 1, 1)
    assert (x1 - x0, y1 - y0) == pytest.approx((1, -1))
    rows, cols = np.mgrid[int(top) + 1 : int(bottom) - 1, int(left) + 1 : int(right) - 1]
    display = np.column_stack([x0 + cols.ravel() + 0.5, y0 - rows.ravel() - 0.5])
    x, y = artists["maps"].axes.transData.inverted().transform(display).T
    expected = np.round(picture[np.floor(y + 0.5).astype(int), np.floor(x + 0.5).astype(int)] * 255)
    on_maps = (expected < 255).any(axis=1)  # not the white bands, where the layers' names are written
    wrong = int((np.abs(png[rows.ravel(), cols.ravel()] - expected).max(axis=1) > 2)[on_maps].sum())
    checked = int(on_maps.sum())
    assert checked > 50_000 and wrong <= checked // 1000, f"{wrong} of {checked} pixels read back as another"


def test_the_filter_panel_stays_clear_of_the_maps_for_other_networks():
    rng = np.random.default_rng(0)
    tall = Sequential(  # a tall first column: 32 maps of 24 x 24, then 32 of 12 x 12
        Conv2D(1, 32, 5, rng=rng),
        ReLU(),
        MaxPool2D(2),
        Conv2D(32, 8, 5, rng=rng),
        ReLU(),
        MaxPool2D(2),
        Flatten(),
        Dense(128, 10, rng=rng),
    )
    single = Sequential(Conv2D(1, 4, 5, rng=rng), Flatten(), Dense(4 * 24 * 24, 10, rng=rng))
    for network, layer in ((tall, "pool1"), (single, "conv1"), (data.load_digit_cnn(), "pool2")):
        explorer = widgets.draw_digit_explorer(network)
        explorer.select_unit(layer, 0, 0, 0)
        artists = explorer.figure.verdict_artists
        panel = artists["filter"].get_tightbbox()  # with its title
        for place in artists["places"]:
            corners = artists["maps"].axes.transData.transform(
                [(place.left, place.top - 14), (place.right, place.bottom)]
            )
            strip = Bbox.from_extents(
                corners[:, 0].min(), corners[:, 1].min(), corners[:, 0].max(), corners[:, 1].max()
            )
            assert not panel.overlaps(strip), f"the filter panel covers {place.name}'s maps"


def test_a_click_on_a_unit_after_a_padded_layer_says_why_it_is_not_selected():
    rng = np.random.default_rng(0)
    padded = Sequential(Conv2D(1, 4, 3, padding=1, rng=rng), Flatten(), Dense(4 * 28 * 28, 10, rng=rng))
    explorer = widgets.draw_digit_explorer(padded)
    explorer.select_unit(None)
    place = explorer.figure.verdict_artists["places"][0]
    point = explorer.figure.verdict_artists["maps"].axes.transData.transform((place.left + 5, place.top + 5))
    explorer.board_clicked(*board_pixel(explorer.figure, *point))
    assert explorer.selected is None and explorer.error is None
    assert re.search(
        r"\(unit \(0, \d+, \d+\) of conv1: the layers must have square windows and strides and no padding",
        explorer.caption.value,
    )


def test_a_conv1_unit_is_its_filter_on_its_field(network):
    # the field outlined and the filter shown are what the unit computes: sum(patch * filter) + bias
    explorer = widgets.draw_digit_explorer(network)
    explorer.select_unit("conv1", 7, 9, 14)
    unit = explorer.selected
    top, bottom, left, right = unit.field
    assert (bottom - top + 1, right - left + 1) == (5, 5) and (top, left) == (9, 14)
    patch = explorer.digit[top : bottom + 1, left : right + 1]
    bias = network.layers[0].params["b"][7]
    expected = np.sum(patch * unit.filters[0]) + bias
    assert explorer.maps["conv1"][0, 7, 9, 14] == pytest.approx(expected, rel=1e-4, abs=1e-5)
    assert np.array_equal(unit.filters, network.layers[0].params["w"][7]) and unit.filter_name == "conv1 filter 7"


@pytest.mark.parametrize(("layer", "size"), [("conv1", 5), ("pool1", 6), ("conv2", 14), ("relu2", 14), ("pool2", 16)])
def test_the_outlined_field_is_exactly_what_the_unit_depends_on(network, layer, size):
    explorer = widgets.draw_digit_explorer(network)
    explorer.select_unit(layer, 2, 1, 1)
    top, bottom, left, right = explorer.selected.field
    assert (bottom - top + 1, right - left + 1) == (size, size)
    conv = {"conv1": "conv1", "pool1": "conv1", "conv2": "conv2", "relu2": "conv2", "pool2": "conv2"}[layer]
    assert explorer.selected.filter_name == f"{conv} filter 2"

    def unit_value(digit, at=conv):  # the convolution's own unit, before ReLU can hide a change
        return network.layer_outputs(digit[None, None])[at][0, 2]

    rng = np.random.default_rng(0)
    digit = explorer.digit
    outside = digit.copy()
    inside = np.zeros(digit.shape, bool)
    inside[top : bottom + 1, left : right + 1] = True
    outside[~inside] = rng.random((~inside).sum())
    after = network.layer_outputs(outside[None, None])[layer][0, 2, 1, 1]
    assert after == explorer.maps[layer][0, 2, 1, 1]  # nothing outside the field reaches the unit
    # ... and every pixel inside does reach the convolution behind it: each one changed alone moves a unit
    if layer == conv:
        for r, c in [(top, left), (top, right), (bottom, left), (bottom, right)]:
            moved = digit.copy()
            moved[r, c] += 1.0
            assert unit_value(moved)[1, 1] != unit_value(digit)[1, 1], f"pixel ({r}, {c}) of the field does nothing"


def test_the_selection_stays_while_the_learner_draws(network):
    explorer = widgets.draw_digit_explorer(network, index=-1)
    explorer.select_unit("relu2", 5, 3, 4)
    assert shown_note(explorer).startswith("The pad is blank") and explorer.board.layout.display == "none"
    explorer.add_stroke(one())
    value = explorer.maps["relu2"][0, 5, 3, 4]
    assert explorer.selected.layer == "relu2" and f"row 3, column 4: {value:.3g};" in explorer.caption.value
    fresh = plotting.digit_verdict_figure(explorer.digit, explorer.maps, explorer.probabilities)
    plotting.update_digit_verdict_figure(
        fresh, explorer.digit, explorer.maps, explorer.probabilities, None, explorer.selected
    )
    assert shown_png(explorer) == png_of(fresh)
    assert fresh.verdict_artists["filter"].get_title() == "conv2 filter 5: 16 × 5 × 5"


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (("dense1", 0, 0, 0), r"`layer` must be one of the layers with feature maps \['conv1', 'relu1', 'pool1'"),
        (("conv9", 0, 0, 0), "got 'conv9'"),
        (("conv2", 32, 0, 0), "`channel` must be an integer from 0 to 31 in conv2, got 32"),
        (("pool2", 0, 4, 0), "`row` must be an integer from 0 to 3 in pool2, got 4"),
        (("conv1", 0, 0, 1.5), "`col` must be an integer from 0 to 23 in conv1, got 1.5"),
    ],
)
def test_a_unit_that_is_not_there_is_named(network, args, says):
    explorer = widgets.draw_digit_explorer(network)
    with pytest.raises(ValueError, match=says):
        explorer.select_unit(*args)
    assert explorer.selected is None and explorer.error is None


def test_the_crop_found_once_is_the_inline_backends_in_every_state(network):
    # the board keeps the PNG's crop of its first picture (steady_crop): it must stay the crop matplotlib
    # itself finds, whatever is shown, or the board would show a picture cut otherwise than the notebook's
    explorer = widgets.draw_digit_explorer(network)
    for index, saliency, unit in [
        (0, False, None),
        (3, True, ("pool2", 31, 3, 3)),  # the last unit: its outline reaches beyond the figure's edge
        (7, False, ("conv1", 0, 0, 0)),
        (11, True, None),
    ]:
        explorer.source.value = index
        explorer.show_saliency.value = saliency
        explorer.select_unit(*(unit or (None,)))
        assert shown_png(explorer) == png_of(explorer.figure), f"test digit {index}, saliency {saliency}, {unit}"


def test_the_unit_line_is_text_for_a_printed_page_and_the_caption_shows_it(network):
    explorer = widgets.draw_digit_explorer(network)
    assert explorer.unit_line() == "Click a unit of a map to see its receptive field and its filter."
    explorer.select_unit("conv2", 1, 2, 3)
    # conv2 after a 5 x 5 conv and 2 x 2 pooling: a 14 x 14 field that moves 2 pixels per unit
    assert "it sees rows 4-17 and columns 6-19 of the digit" in explorer.unit_line()
    assert explorer.unit_line() in explorer.caption.value
