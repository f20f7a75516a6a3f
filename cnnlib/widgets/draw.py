"""Draw a digit (notebook 09): a drawing pad, and the whole trained network live on what is drawn.

The pad is an ipycanvas ``Canvas``; the strokes are kept as data (a list of strokes, each a
list of (x, y) points) and turned into an image in plain numpy
(:func:`cnnlib.images.draw_strokes`), so the handlers can be fed strokes without a browser.
After each stroke (on mouse up) the drawing is made into an MNIST digit
(:func:`cnnlib.images.to_mnist_digit`), run through the network, and the picture shows
:func:`cnnlib.plotting.digit_verdict_figure`: the digit, every layer's maps, the ten class
probabilities with the winner marked and, when switched on, the saliency. The picture is
clickable (``FigureExplorer(clickable=True)``): a click on a unit of a map selects it, and
the picture then outlines the unit, its receptive field on the digit, and shows the filter
that made its channel; the unit stays selected while the learner draws on.
"""

from __future__ import annotations

import html

import ipywidgets
import numpy as np

from ..activations import softmax
from ..attribution import saliency
from ..images import draw_strokes, to_mnist_digit
from ..plotting.draw import SelectedUnit, digit_verdict_figure, unit_at, update_digit_verdict_figure
from ..plotting.receptive_field import field_square
from .explorer import FigureExplorer, board_pixel

__all__ = ["DrawDigitExplorer", "draw_digit_explorer", "BLANK_NOTE"]

PAD_SIDE = 280
"""Side of the drawing pad in canvas pixels: 10 per pixel of a 28 x 28 digit."""
PEN_WIDTH = 20.0
"""Width of the pen in canvas pixels."""
BLANK_NOTE = "The pad is blank: draw a digit with the mouse (press, drag, release), or pick a test digit."
OWN_DRAWING = -1


class DrawDigitExplorer(FigureExplorer):
    """A drawing pad with Clear and Undo, a test-digit menu and a saliency switch; the network's view beside.

    Built by :func:`draw_digit_explorer`. Attributes: ``canvas`` (the ipycanvas ``Canvas``),
    ``clear_button``, ``undo_button``, ``source`` (``Dropdown``: your drawing or a test digit),
    ``show_saliency`` (``Checkbox``), ``strokes`` (list of lists of (x, y)), ``background``
    (the loaded test digit on pad scale, or None), ``digit`` (the 28 x 28 the network saw, or
    None), ``probabilities`` (shape (10,), or None), ``maps`` (``network.layer_outputs``),
    ``caption``, ``board`` (the clickable picture), ``picture`` (notes), ``figure`` and
    ``selected`` (the :class:`~cnnlib.plotting.SelectedUnit` outlined, or None).

    The figure is made once and updated in place, always filling the same box
    (``steady_crop``).

    Handlers that a test can call as the browser does: :meth:`pen_down`, :meth:`pen_move`,
    :meth:`pen_up` (canvas pixel coordinates), :meth:`add_stroke`, :meth:`clear`, :meth:`undo`;
    ``board_clicked(x, y)`` (a click on the picture) and :meth:`select_unit`.
    """

    steady_crop = True

    def __init__(self, network, digits, labels, index):
        self.network, self.digits, self.labels = network, digits, labels
        self.strokes: list[list[tuple[float, float]]] = []
        self.background = None
        self.digit = self.probabilities = self.maps = self.selected = None
        self._pen = self._verdict = None
        self.canvas = _make_canvas()
        self.clear_button = ipywidgets.Button(description="Clear", icon="eraser")
        self.undo_button = ipywidgets.Button(description="Undo last stroke", icon="undo")
        options = [("your drawing", OWN_DRAWING)] + [
            (f"test digit {i}" + ("" if labels is None else f" (label {labels[i]})"), i) for i in range(len(digits))
        ]
        self._load(index)
        super().__init__(
            {
                "source": ipywidgets.Dropdown(options=options, value=index, description="show"),
                "show_saliency": ipywidgets.Checkbox(value=False, description="saliency", indent=False),
            },
            clickable=True,
        )
        self.clear_button.on_click(lambda _: self.clear())
        self.undo_button.on_click(lambda _: self.undo())
        if self.canvas is not None:
            self.canvas.on_mouse_down(self.pen_down)
            self.canvas.on_mouse_move(self.pen_move)
            self.canvas.on_mouse_up(self.pen_up)
            self.canvas.on_mouse_out(self.pen_up)
            self._paint_canvas()

    def arrange(self) -> list:
        pad = [w for w in (self.canvas,) if w is not None]
        left = ipywidgets.VBox([*pad, ipywidgets.HBox([self.clear_button, self.undo_button]), *self.controls.values()])
        return [ipywidgets.HBox([left, ipywidgets.VBox([self.caption, self.board, self.picture])])]

    # ---- the drawing as data

    def drawing(self) -> np.ndarray:
        """The pad as an image, shape (PAD_SIDE, PAD_SIDE), ink 1.0 on 0.0: loaded digit and strokes."""
        image = draw_strokes(self.strokes, (PAD_SIDE, PAD_SIDE), PEN_WIDTH)
        if self.background is not None:
            np.maximum(image, self.background, out=image)
        return image

    def _load(self, index) -> None:
        self.background = None if index == OWN_DRAWING else np.kron(self.digits[index], np.ones((10, 10)))

    # ---- handlers

    def pen_down(self, x, y) -> None:
        """Mouse pressed at canvas pixel (x, y): a new stroke begins."""
        self._pen = [(float(x), float(y))]

    def pen_move(self, x, y) -> None:
        """Mouse moved to (x, y): extends the stroke (and draws the segment on the pad) while pressed."""
        if self._pen is None:
            return
        if self.canvas is not None:
            self.canvas.stroke_line(*self._pen[-1], float(x), float(y))
        self._pen.append((float(x), float(y)))

    def pen_up(self, x, y) -> None:
        """Mouse released (or left the pad) at (x, y): the stroke is kept and everything is redrawn."""
        if self._pen is None:
            return
        stroke, self._pen = [*self._pen, (float(x), float(y))], None
        self.add_stroke(stroke)

    def add_stroke(self, points) -> None:
        """Add one stroke (a list of (x, y) canvas points) and redraw: what a mouse drag does."""
        self.strokes.append([(float(x), float(y)) for x, y in points])
        self.redraw()

    def clear(self) -> None:
        """Empty the pad (strokes and loaded digit); the menu goes back to "your drawing"."""
        self.strokes, self.background, self._pen = [], None, None
        with self.holding_redraws():
            self.source.value = OWN_DRAWING
        self._paint_canvas()
        self.redraw()

    def undo(self) -> None:
        """Take back the last stroke (nothing happens on a pad without strokes)."""
        if self.strokes:
            self.strokes.pop()
            self._paint_canvas()
            self.redraw()

    def on_change(self, change):
        if change["owner"] is self.source:
            self.strokes, self._pen = [], None
            self._load(self.source.value)
            self._paint_canvas()
        self.redraw()

    # ---- one unit, clicked

    def on_click(self, axes, x, y) -> None:
        """A click on the picture: on a unit of a map, that unit is selected.

        Between the tiles of the maps, or on the filter shown, the selection stays; anywhere else
        (the digit, the bars, the margins) it is cleared. A unit whose field cannot be drawn (after a
        padded layer) is not selected; the caption says why.
        """
        artists = self._verdict.verdict_artists
        if axes is artists["filter"]:
            return
        if axes is not artists["maps"].axes:
            self.select_unit(None)
            return
        unit = unit_at(self._verdict, x, y)
        if unit is None:
            return
        try:
            self.select_unit(*unit)
        except ValueError as error:  # e.g. a padded convolution: its field is not a plain square of the digit
            self.select_unit(None)
            self.caption.value += html.escape(f" (unit {unit[1:]} of {unit[0]}: {error})")

    def select_unit(self, layer, channel=0, row=0, col=0) -> None:
        """Outline unit (row, col) of ``channel`` in ``layer`` (a name of ``network.layer_names()``); None: none.

        The picture then shows the unit's receptive field on the digit and the filter that made
        its channel (for a ReLU or pooling layer, the filter of the convolution before it).
        """
        if layer is None:
            self.selected = None
        else:
            self.selected = _selected_unit(self.network, layer, channel, row, col)
        self.redraw()

    def unit_on_board(self) -> tuple[float, float]:
        """Where the selected unit is drawn on the board, in canvas pixels: the point a click there reports."""
        if self.selected is None or self.figure is None:
            raise ValueError("no unit is selected and shown: select one with select_unit(layer, channel, row, col)")
        outline = self.figure.verdict_artists["unit"]
        centre = (outline.get_x() + outline.get_width() / 2, outline.get_y() + outline.get_height() / 2)
        point = self.figure.verdict_artists["maps"].axes.transData.transform(centre)
        return board_pixel(self.figure, *point, self.dpi, self._board_box)

    # ---- what is shown

    def _paint_canvas(self) -> None:
        """Show ``drawing()`` on the pad (after clear, undo or loading a digit); strokes are drawn live."""
        if self.canvas is None:
            return
        gray = (np.clip(self.drawing(), 0, 1) * 255).astype(np.uint8)
        self.canvas.put_image_data(np.repeat(gray[:, :, None], 3, axis=2), 0, 0)

    def draw(self):
        image = self.drawing()
        if not image.any():
            self.digit = self.probabilities = self.maps = None
            return BLANK_NOTE, ""
        self.digit = to_mnist_digit(image)
        x = self.digit[None, None]
        self.maps = self.network.layer_outputs(x)
        scores = list(self.maps.values())[-1][0]
        self.probabilities = softmax(np.asarray(scores, dtype=np.float64))
        heat = saliency(self.network, x)[0] if self.show_saliency.value else None
        if self._verdict is None:  # built once; each stroke then only updates it (most of the 100 ms budget)
            self._verdict = digit_verdict_figure(self.digit, self.maps, self.probabilities, heat)
        figure = update_digit_verdict_figure(
            self._verdict, self.digit, self.maps, self.probabilities, heat, self.selected
        )
        return figure, f"<b>{html.escape(self.readout())}</b><br>{html.escape(self.unit_line())}"

    def unit_line(self) -> str:
        """The line under :meth:`readout`: the selected unit's value, field and filter; or how to select one."""
        unit = self.selected
        if unit is None:
            return "Click a unit of a map to see its receptive field and its filter."
        value = float(self.maps[unit.layer][0, unit.channel, unit.row, unit.col])
        top, bottom, left, right = unit.field
        return (
            f"{unit.layer}, channel {unit.channel}, row {unit.row}, column {unit.col}: {value:.3g}; "
            f"it sees rows {top}-{bottom} and columns {left}-{right} of the digit (orange), "
            f"through {unit.filter_name} ({' × '.join(map(str, unit.filters.shape))} weights, below the maps)"
        )

    def readout(self) -> str:
        """The line above the picture: the answer, the runner-up, and what is on the pad."""
        if self.probabilities is None:
            return ""
        first, second = (int(k) for k in np.argsort(self.probabilities)[::-1][:2])
        text = (
            f"the network reads {first} ({self.probabilities[first]:.1%} sure); "
            f"next {second} ({self.probabilities[second]:.1%})"
        )
        strokes = len(self.strokes)
        on_pad = [] if self.background is None else [f"test digit {self.source.value}"]
        on_pad += [f"{strokes} stroke{'s' if strokes != 1 else ''}"] if strokes else []
        return f"{text}; on the pad: {' + '.join(on_pad)}"

    @property
    def prediction(self) -> int | None:
        """The digit the network reads in the current drawing, or None for a blank pad."""
        return None if self.probabilities is None else int(np.argmax(self.probabilities))


def _selected_unit(network, layer, channel, row, col) -> SelectedUnit:
    """The :class:`SelectedUnit` for unit (row, col) of ``channel`` in ``network``'s layer named ``layer``."""
    names = network.layer_names()
    maps = network.layer_outputs(np.zeros((1, 1, 28, 28)))
    if layer not in names or np.ndim(maps[layer]) != 4:
        with_maps = [name for name in names if np.ndim(maps[name]) == 4]
        raise ValueError(f"`layer` must be one of the layers with feature maps {with_maps}, got {layer!r}")
    index = names.index(layer)
    convolutions = [k for k in range(index + 1) if np.ndim(network.layers[k].params.get("w", ())) == 4]
    if not convolutions:
        raise ValueError(f"`layer` must come after a convolution, got {layer!r}")
    conv = convolutions[-1]  # ReLU and pooling keep the channels: channel c of them is filter c's
    channels, height, width = maps[layer].shape[1:]
    for name, value, size in (("channel", channel, channels), ("row", row, height), ("col", col, width)):
        if not (isinstance(value, (int, np.integer)) and 0 <= value < size):
            raise ValueError(f"`{name}` must be an integer from 0 to {size - 1} in {layer}, got {value!r}")
    size, step = network.receptive_field(index + 1)
    field = field_square((row, col), size, step, (28, 28))
    weights = network.layers[conv].params["w"][channel]
    return SelectedUnit(layer, int(channel), int(row), int(col), field, weights, f"{names[conv]} filter {channel}")


def _make_canvas():
    """The drawing pad: a black ipycanvas ``Canvas`` with a round white pen; None without ipycanvas."""
    try:
        from ipycanvas import Canvas
    except ImportError:  # pragma: no cover - ipycanvas is a dependency; a pad-less widget still shows digits
        return None
    canvas = Canvas(width=PAD_SIDE, height=PAD_SIDE, layout=ipywidgets.Layout(width=f"{PAD_SIDE}px"))
    canvas.sync_image_data = False
    canvas.fill_style = "black"
    canvas.fill_rect(0, 0, PAD_SIDE, PAD_SIDE)
    canvas.stroke_style = "white"
    canvas.line_width = PEN_WIDTH
    canvas.line_cap = "round"
    canvas.add_class("cnnlib-pad")
    return canvas


def draw_digit_explorer(network=None, digits=None, labels=None, *, index=0, count=20) -> DrawDigitExplorer:
    """A drawing pad and the trained network live on what is drawn: every layer, the answer, the saliency.

    Parameters
    ----------
    network : cnnlib.network.Sequential, optional
        Maps (N, 1, 28, 28) images in [0, 1] to (N, 10) scores; default
        :func:`cnnlib.data.load_digit_cnn`.
    digits : ndarray, shape (N, 28, 28), optional
        Digits the menu can load onto the pad, values 0-255 or 0-1; default the first ``count``
        MNIST test digits (with their labels).
    labels : sequence of int, optional
        Shown in the menu.
    index : int, default 0
        The digit loaded at the start; -1 for an empty pad.
    count : int, default 20
        How many test digits the default menu offers.

    Returns
    -------
    explorer : DrawDigitExplorer
        Left the pad (``explorer.canvas``), ``explorer.clear_button``, ``explorer.undo_button``,
        the ``Dropdown`` ``explorer.source`` and the ``Checkbox`` ``explorer.show_saliency``;
        right the caption (what the network reads) and the picture, which in the starting state
        is ``digit_verdict_figure`` of the loaded digit; a blank pad shows :data:`BLANK_NOTE`.

    Examples
    --------
    >>> explorer = draw_digit_explorer(index=-1)
    >>> explorer.picture.outputs[0]["text"].startswith("The pad is blank")
    True
    >>> explorer.add_stroke([(140, 40), (140, 240)])      # a "1"
    >>> explorer.prediction
    1
    """
    from ..data import load_digit_cnn, load_mnist

    if network is None:
        network = load_digit_cnn()
    if digits is None:
        mnist = load_mnist()
        digits, labels = mnist.test_images[:count], mnist.test_labels[:count] if labels is None else labels
    digits = np.asarray(digits, dtype=np.float64)
    if digits.ndim != 3 or digits.shape[1:] != (28, 28):
        raise ValueError(f"`digits` must have shape (N, 28, 28), got {digits.shape}")
    if digits.max() > 1:
        digits = digits / 255.0
    if labels is not None and len(labels) != len(digits):
        raise ValueError(f"`labels` must have one label per digit ({len(digits)}), got {len(labels)}")
    if not (index == OWN_DRAWING or 0 <= index < len(digits)):
        raise ValueError(f"`index` must be -1 (empty pad) or 0 to {len(digits) - 1}, got {index}")
    return DrawDigitExplorer(network, digits, labels, index)
