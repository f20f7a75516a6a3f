"""The drawing explorer of notebook 09: from the end of one stroke to the new picture, within 100 ms.

One stroke is what happens on mouse up: the strokes are rasterised on the 280 x 280 pad
(:func:`cnnlib.images.draw_strokes`), made into an MNIST digit (:func:`cnnlib.images.to_mnist_digit`),
run through the shipped network one layer at a time, and the figure (digit, every layer's maps,
probabilities) is drawn and made into the PNG the widget shows. The target is absolute, not a ratio:
DESIGN.md asks for a redraw within 100 ms on 2 cores. The parts are timed too, so a miss says where.

A click on a unit of a map is held to the same 100 ms: from the canvas point to the unit under
it (undoing the PNG's crop), its field and filter, and the picture redrawn with them.
"""

from __future__ import annotations

import numpy as np

from cnnlib import data, images, plotting, softmax, widgets
from cnnlib.widgets.explorer import figure_png

from .timing import Settings, TimeVerdict, best_times, check_agree, ms, print_table

LIMIT_SECONDS = 0.1
# a "4": a down-and-across stroke and a long vertical one; the timed stroke is the second
FIRST = [(90.0, 40.0 + 8 * i) for i in range(16)] + [(90.0 + 8 * i, 160.0) for i in range(16)]
SECOND = [(180.0, 40.0 + 10 * i) for i in range(21)]


def run(settings: Settings) -> list:
    """Time one stroke of the drawing explorer end to end, and its parts; judge against 100 ms."""
    network = data.load_digit_cnn()
    explorer = widgets.draw_digit_explorer(network, index=-1)
    explorer.add_stroke(FIRST)

    def one_stroke():
        del explorer.strokes[1:]
        explorer.add_stroke(SECOND)

    one_stroke()
    drawing = images.draw_strokes([FIRST, SECOND], (widgets.draw.PAD_SIDE,) * 2, widgets.draw.PEN_WIDTH)
    digit = images.to_mnist_digit(drawing)
    check_agree("prediction after the stroke", explorer.prediction, network.predict(digit[None, None])[0])
    maps = network.layer_outputs(digit[None, None])
    probabilities = softmax(np.asarray(maps["dense1"][0], dtype=np.float64))

    def preprocess():
        images.to_mnist_digit(
            images.draw_strokes([FIRST, SECOND], (widgets.draw.PAD_SIDE,) * 2, widgets.draw.PEN_WIDTH)
        )

    figure = plotting.digit_verdict_figure(digit, maps, probabilities)

    def picture():  # what the widget does after the first picture: the figure updated in place
        figure_png(plotting.update_digit_verdict_figure(figure, digit, maps, probabilities))

    def first_picture():
        figure_png(plotting.digit_verdict_figure(digit, maps, probabilities))

    explorer.select_unit("relu2", 5, 3, 4)
    unit_png = explorer.board_png
    point = explorer.unit_on_board()
    explorer.select_unit("conv2", 0, 0, 0)

    explorer.board_clicked(*point)
    if tuple(explorer.selected[:4]) != ("relu2", 5, 3, 4) or explorer.board_png != unit_png:
        raise AssertionError(f"the click at {point} selected {explorer.selected[:4]}, not relu2's unit (5, 3, 4)")

    explorer.select_unit(None)
    whole, pre, forward, drawn, first = best_times(
        [one_stroke, preprocess, lambda: network.layer_outputs(digit[None, None]), picture, first_picture], settings
    )
    # with the unit selected: each stroke also draws its outline, field and filter; a click redraws all
    explorer.board_clicked(*point)
    selected_stroke, clicked = best_times([one_stroke, lambda: explorer.board_clicked(*point)], settings)
    print_table(
        f"6. drawing explorer, one stroke end to end (target <= {ms(LIMIT_SECONDS)} ms)",
        ["step", "ms"],
        [
            ["strokes -> 280x280 -> to_mnist_digit", ms(pre)],
            ["forward, every layer kept", ms(forward)],
            ["figure updated in place + PNG", ms(drawn)],
            ["whole stroke (widget.add_stroke)", ms(whole)],
            ["whole stroke, a unit selected", ms(selected_stroke)],
            ["click on a unit (board_clicked)", ms(clicked)],
            ["(first picture only: figure built + PNG)", ms(first)],
        ],
    )
    return [
        TimeVerdict(
            "drawing explorer, one stroke",
            whole / LIMIT_SECONDS,
            1.0,
            "preprocessing + forward + redraw",
            seconds=whole,
            limit_seconds=LIMIT_SECONDS,
        ),
        TimeVerdict(
            "drawing explorer, a click on a unit",
            clicked / LIMIT_SECONDS,
            1.0,
            "unit found + field + filter + redraw",
            seconds=clicked,
            limit_seconds=LIMIT_SECONDS,
        ),
    ]
