"""The one pattern every widget of the series is built on: named controls, a figure that follows them, a caption.

A widget is a :class:`FigureExplorer`, a ``VBox`` whose controls are attributes
(``explorer.step``, ``editor.preset``) so that a test, or a curious learner, can
set their ``value`` and read back what is shown. A subclass says what to draw
for the current control values (:meth:`FigureExplorer.draw`) and, where the
default does not fit, how its parts are laid out (:meth:`FigureExplorer.arrange`).
:meth:`FigureExplorer.redraw` does the rest, the same way for every widget:

- the figure goes into ``picture`` (an ``Output``) as the PNG that Jupyter's
  inline backend shows for the same figure returned from a cell (see
  :func:`figure_png`), so the widget's first picture is byte for byte the static
  copy the notebook prints above it. The PNG is put straight into
  ``picture.outputs``, never through ``display()``: that works the same in a
  kernel, in a test and in a notebook executed headless;
- an error raised while drawing is shown in ``picture`` as a stderr stream
  (``ValueError: ...``): red for the learner, and seen by the browser test, which
  looks for stderr output. It does not vanish in a callback's log, and the next
  good value draws again.

A widget whose figure answers clicks (``clickable=True``) shows the same PNG on an
ipycanvas ``Canvas``, ``board``, instead: a PNG in an ``Output`` cannot tell
Python where it was clicked, a canvas can. A click is traced back through the
PNG's crop (:func:`png_point`) to the axes under it and handed to
:meth:`FigureExplorer.on_click` in that axes' data coordinates. Notes and errors
still go to ``picture``.
"""

from __future__ import annotations

import base64
import contextlib
import html
import traceback
from collections.abc import Iterator, Mapping

import ipywidgets
import matplotlib
import numpy as np
from IPython.core.pylabtools import print_figure
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from .._validation import as_int, describe

__all__ = ["FigureExplorer", "board_pixel", "figure_png", "png_point"]


def figure_png(figure: Figure, dpi: int | None = None) -> bytes | None:
    """``figure`` as the PNG Jupyter's inline backend shows when a cell returns it.

    This is the inline backend's own call, ``IPython.core.pylabtools.print_figure``
    with its default ``bbox_inches="tight"`` and the figure's dpi and colours, so
    the bytes equal those of the notebook's static copy of the figure.

    Parameters
    ----------
    figure : matplotlib.figure.Figure
    dpi : int, optional
        Resolution of the PNG. By default the figure's own, as the inline backend;
        a lower one draws a smaller picture (no longer equal to the static copy).

    Returns
    -------
    png : bytes or None
        None for a figure with nothing in it, which the inline backend does not draw either.

    Examples
    --------
    >>> figure = Figure(figsize=(2, 1))
    >>> _ = figure.add_subplot().plot([0, 1])
    >>> figure_png(figure)[:8]
    b'\\x89PNG\\r\\n\\x1a\\n'
    >>> figure_png(Figure()) is None
    True
    """
    return print_figure(figure, "png") if dpi is None else print_figure(figure, "png", dpi=dpi)


def _crop_box(figure: Figure):
    """The box, in inches, that the inline backend's PNG of ``figure`` shows: its tight box, padded."""
    return figure.get_tightbbox().padded(matplotlib.rcParams["savefig.pad_inches"])


def _board_png(figure: Figure, dpi: int | None, box=None):
    """``figure_png(figure, dpi)`` and its crop box (or None, to be found at a click).

    At the figure's own dpi and without a layout engine, the crop box is found first (unless
    given) and handed to the renderer: the same bytes, and one drawing pass fewer than the
    renderer finding it itself (a third of the time of a redraw).
    """
    if dpi is not None or figure.get_layout_engine() is not None:
        return figure_png(figure, dpi), None
    if not figure.axes and not figure.lines:
        return None, None
    box = _crop_box(figure) if box is None else box
    return print_figure(figure, "png", bbox_inches=box), box


def png_point(figure: Figure, x: float, y: float, dpi: int | None = None, box=None) -> tuple[float, float]:
    """Where pixel (x, y) of ``figure_png(figure, dpi)`` lies on the figure, in display coordinates.

    The inline backend's PNG is cropped to the figure's tight bounding box padded by
    ``savefig.pad_inches``; this undoes the crop (and the flip of the y axis), so that
    ``axes.transData.inverted()`` turns the result into data coordinates. The PNG's size is
    the box's in pixels, cut down to whole pixels at its top and right; its bottom-left
    corner is the box's.

    Parameters
    ----------
    figure : matplotlib.figure.Figure
    x, y : float
        A point of the PNG in pixels, from its top-left corner (as a canvas reports a click).
    dpi : int, optional
        The PNG's resolution, as given to :func:`figure_png`; by default the figure's own.
    box : matplotlib.transforms.Bbox, optional
        The crop in inches, if known; by default found again (a layout pass, about 20 ms).

    Returns
    -------
    x, y : float
        The same point in the figure's display coordinates (pixels from the bottom left, at
        the figure's dpi).

    Examples
    --------
    >>> figure = Figure(figsize=(2, 1), dpi=100)
    >>> axes = figure.add_axes((0, 0, 1, 1))
    >>> axes.set_axis_off()
    >>> [round(v, 6) for v in png_point(figure, 0, 0)]  # the PNG's corner: 0.1 inch of padding around the axes
    [-10.0, 110.0]
    """
    dpi, (left, top) = figure.dpi if dpi is None else dpi, _png_corner(figure, dpi, box)
    scale = figure.dpi / dpi
    return float((left + x) * scale), float((top - y) * scale)


def _png_corner(figure: Figure, dpi: int | None, box) -> tuple[float, float]:
    """The PNG's top-left corner in display pixels at ``dpi``: the box's left, its bottom + the PNG's height."""
    dpi = figure.dpi if dpi is None else dpi
    box = _crop_box(figure) if box is None else box
    return box.x0 * dpi, box.y0 * dpi + int(box.height * dpi)  # Agg makes an image of int(height) pixels


def board_pixel(figure: Figure, x: float, y: float, dpi: int | None = None, box=None) -> tuple[float, float]:
    """The inverse of :func:`png_point`: display point (x, y) of ``figure`` as a pixel of its PNG, from the top left.

    Examples
    --------
    >>> figure = Figure(figsize=(2, 1), dpi=100)
    >>> figure.add_axes((0, 0, 1, 1)).set_axis_off()
    >>> [round(v, 6) for v in board_pixel(figure, *png_point(figure, 12, 34))]
    [12.0, 34.0]
    """
    dpi, (left, top) = figure.dpi if dpi is None else dpi, _png_corner(figure, dpi, box)
    scale = dpi / figure.dpi
    return float(x * scale - left), float(top - y * scale)


def _png_size(png: bytes) -> tuple[int, int]:
    """(width, height) of a PNG, read from its header."""
    return int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")


def _paint_png(canvas, png: bytes) -> None:
    """Show ``png`` on the ipycanvas ``canvas``, resized to fit it.

    ipycanvas's public ``put_image_data`` takes an array and encodes it again (about 15 ms
    of a 100 ms redraw); its draw command takes encoded image bytes, so the PNG we already
    have is sent as it is. Where that command is missing (another ipycanvas), the public path.
    """
    width, height = _png_size(png)
    if (canvas.width, canvas.height) != (width, height):
        canvas.width, canvas.height = width, height
        canvas.layout.width, canvas.layout.height = f"{width}px", f"{height}px"
    manager = getattr(canvas, "_canvas_manager", None)
    try:
        from ipycanvas.canvas import COMMANDS

        manager.send_draw_command(canvas, COMMANDS["putImageData"], [0, 0], [png])
    except (ImportError, AttributeError, KeyError):
        from io import BytesIO

        from PIL import Image

        canvas.put_image_data(np.asarray(Image.open(BytesIO(png)).convert("RGBA")), 0, 0)


def _make_board():
    """The canvas a clickable widget shows its figure on."""
    from ipycanvas import Canvas

    board = Canvas(width=1, height=1)
    board.add_class("cnnlib-board")
    return board


def code_line(text: str) -> str:
    """``text`` escaped for HTML, in ``<code>``: the one-line readout most widgets show as their caption."""
    return f"<code>{html.escape(text)}</code>"


def _stream(name: str, text: str) -> dict:
    """One stream output (``name`` "stdout" or "stderr") for an ``Output`` widget's ``outputs``."""
    return {"output_type": "stream", "name": name, "text": text if text.endswith("\n") else text + "\n"}


_OWN_ATTRIBUTES = {"controls", "picture", "caption", "figure", "error", "dpi", "board", "board_png"}


class FigureExplorer(ipywidgets.VBox):
    """Named controls, a figure drawn for their values, and an optional caption, in one ``VBox``.

    Subclasses keep what :meth:`draw` needs as attributes, make their controls,
    pass them to ``__init__`` (which draws the first picture at once, so set the
    attributes before) and implement :meth:`draw`. Builders return the widget and
    never call ``display()``: a notebook shows it by making it the last expression
    of a cell.

    Parameters
    ----------
    controls : mapping of str to ipywidgets widget
        The controls whose ``value`` the figure depends on, by name, in display order.
        Each becomes an attribute of that name; a change of its ``value`` calls
        :meth:`on_change`, which redraws.
    caption : bool, default True
        Whether the widget has a ``caption``: the HTML that :meth:`draw` returns.
    dpi : int, optional
        Resolution of the picture, >= 20. By default the figure's own, so the PNG is
        byte-identical to the inline backend's; a lower one makes a smaller picture.
    clickable : bool, default False
        Show the figure on ``board`` (an ipycanvas ``Canvas``) rather than in ``picture``,
        and hand clicks on it to :meth:`on_click`.

    Attributes
    ----------
    controls : dict of str to widget
    picture : ipywidgets.Output
        After each redraw it holds one output: the figure as a PNG (``display_data``,
        with ``repr(figure)`` as its text, as the inline backend), a note on stdout
        when there is nothing to draw, or the error on stderr; or none (no figure).
    caption : ipywidgets.HTML or None
    figure : matplotlib.figure.Figure or None
        The figure on show; None when the picture shows a note, an error or nothing.
    error : Exception or None
        What the last redraw raised, or None.
    dpi : int or None
    board : ipycanvas.Canvas or None
        Only for a clickable widget: shows the figure (the PNG ``picture`` would hold),
        hidden while there is none.
    board_png : bytes or None
        The PNG on the board, or None.

    Examples
    --------
    >>> class Line(FigureExplorer):
    ...     def __init__(self):
    ...         super().__init__({"slope": ipywidgets.IntSlider(value=1, min=-3, max=3)})
    ...     def draw(self):
    ...         if self.slope.value == 0:
    ...             raise ValueError("a flat line is not worth a picture")
    ...         figure = Figure(figsize=(3, 2))
    ...         figure.add_subplot().plot([0, 1], [0, self.slope.value])
    ...         return figure, code_line(f"slope {self.slope.value}")
    >>> line = Line()
    >>> line.caption.value, line.picture.outputs[0]["output_type"]
    ('<code>slope 1</code>', 'display_data')
    >>> line.slope.value = 0
    >>> line.picture.outputs[0]["text"], line.figure
    ('ValueError: a flat line is not worth a picture\\n', None)
    """

    steady_crop = False
    """True in a clickable widget whose :meth:`draw` returns the same figure, updated in place, whose
    artists always fill the same box (outlines that move are kept out of the layout): the PNG's crop
    is then found once, not at every redraw."""

    def __init__(
        self,
        controls: Mapping[str, ipywidgets.Widget],
        *,
        caption: bool = True,
        dpi: int | None = None,
        clickable: bool = False,
    ):
        self.controls = dict(controls)
        for name, control in self.controls.items():
            if hasattr(type(self), name) or name in _OWN_ATTRIBUTES:  # e.g. "layout" would replace the box's own
                raise ValueError(f"control name {name!r} is taken by {type(self).__name__} itself; choose another")
            setattr(self, name, control)
        self.picture = ipywidgets.Output()
        self.caption = ipywidgets.HTML() if caption else None
        self.figure = None
        self.error = None
        self.dpi = None if dpi is None else as_int(dpi, "dpi", minimum=20)
        self._holding = False
        self.board, self.board_png, self._board_box = (_make_board() if clickable else None), None, None
        self._board_figure = None
        if self.board is not None:
            self.board.on_mouse_down(self.board_clicked)
        super().__init__(self.arrange())
        for control in self.controls.values():
            control.observe(self._control_changed, names="value")
        self.redraw()

    def __repr__(self) -> str:
        # The text shown where widgets do not render, stored in the notebooks: ipywidgets' repr of the
        # box under the name it always had, VBox. A subclass may say something shorter (KernelEditor).
        return "VBox" + super().__repr__().removeprefix(type(self).__name__)

    @property
    def values(self) -> dict:
        """The controls' values, by name."""
        return {name: control.value for name, control in self.controls.items()}

    def controls_row(self) -> ipywidgets.Widget:
        """The controls as the top of the widget: a single one on its own, several in an ``HBox``."""
        controls = list(self.controls.values())
        return controls[0] if len(controls) == 1 else ipywidgets.HBox(controls)

    def arrange(self) -> list:
        """The children, top to bottom: the controls, the caption (if any), the picture.

        Override to lay the parts out otherwise; called once, by ``__init__``.
        """
        board = [self.board] if self.board is not None else []
        return [self.controls_row(), *([self.caption] if self.caption is not None else []), *board, self.picture]

    def draw(self) -> tuple:
        """Draw the figure for the current control values; return it and the caption.

        Returns
        -------
        shown : matplotlib.figure.Figure, str or None
            The figure to show; or a note (plain text) saying why these values have no
            figure; or None for an empty picture.
        caption : str or None
            HTML for ``caption`` (escape any text put in it); ignored by a widget without one.

        Raises
        ------
        Exception
            Anything: :meth:`redraw` shows it in the picture and empties the caption.
        """
        raise NotImplementedError(f"{type(self).__name__} must implement draw()")

    def on_change(self, change: dict) -> None:
        """Called when a control's ``value`` changes (``change`` as from ``observe``); redraws.

        Override to keep controls consistent first (set them inside :meth:`holding_redraws`),
        then call :meth:`redraw`.
        """
        self.redraw()

    def on_click(self, axes: Axes, x: float, y: float) -> None:
        """A clickable widget's figure was clicked at (x, y) in the data coordinates of ``axes``.

        Override to act on it (e.g. select what is there and redraw); ``axes`` is None for a
        click outside every axes, and x, y are then the figure's display coordinates.
        """

    def board_clicked(self, x: float, y: float) -> None:
        """The board was clicked at canvas pixel (x, y) (the mouse-down handler): calls :meth:`on_click`.

        The top-most axes under the point gets it, in its data coordinates; a click while no
        figure is shown does nothing.
        """
        if self.figure is None:
            return
        point = png_point(self.figure, x, y, self.dpi, self._board_box)
        for axes in reversed(self.figure.axes):
            if axes.get_visible() and axes.bbox.contains(*point):
                self.on_click(axes, *axes.transData.inverted().transform(point))
                return
        self.on_click(None, *point)

    @contextlib.contextmanager
    def holding_redraws(self) -> Iterator[None]:
        """Set controls in code without a redraw for each: ``with self.holding_redraws(): ...``."""
        held, self._holding = self._holding, True
        try:
            yield
        finally:
            self._holding = held

    def _control_changed(self, change: dict) -> None:
        if not self._holding:
            self.on_change(change)

    def redraw(self) -> None:
        """Show :meth:`draw`'s figure and caption for the current control values, or the error it raised.

        The picture then holds exactly one output (none for an empty picture): the
        figure as the PNG :func:`figure_png` makes, the note on stdout, or
        ``"<ErrorType>: <message>"`` on stderr, with ``figure`` None and the caption empty.
        """
        try:
            shown, caption = self.draw()
            output = self._output_of(shown)
        except Exception as error:  # noqa: BLE001 - shown to the learner instead of vanishing in a callback
            self.figure, self.error = None, error
            if self.caption is not None:
                self.caption.value = ""
            self.picture.outputs = (_stream("stderr", "".join(traceback.format_exception_only(type(error), error))),)
            self._show_board()
            return
        self.figure = shown if isinstance(shown, Figure) else None
        self.error = None
        if self.caption is not None:
            self.caption.value = caption or ""
        self.picture.outputs = () if output is None else (output,)
        self._show_board()

    def _show_board(self) -> None:
        """A clickable widget shows its board only while there is a figure on it."""
        if self.board is not None:
            if self.figure is None:
                self.board_png = None
            self.board.layout.display = None if self.board_png is not None else "none"

    def _output_of(self, shown) -> dict | None:
        """The ``Output`` entry showing what :meth:`draw` returned."""
        if isinstance(shown, Figure) and self.board is not None:
            # a steady figure, updated in place, keeps its crop: found once (about 20 ms a redraw saved)
            known = self._board_box if self.steady_crop and shown is self._board_figure else None
            self.board_png, self._board_box = _board_png(shown, self.dpi, known)
            self._board_figure = shown
            if self.board_png is not None:
                _paint_png(self.board, self.board_png)
            return None
        if isinstance(shown, Figure):
            data = {"text/plain": repr(shown)}
            png = figure_png(shown, self.dpi)
            if png is not None:
                data["image/png"] = base64.b64encode(png).decode("ascii")
            return {"output_type": "display_data", "data": data, "metadata": {}}
        if isinstance(shown, str):
            return _stream("stdout", shown)
        if shown is None:
            return None
        raise TypeError(
            f"{type(self).__name__}.draw() must return a Figure, a str or None first, got {describe(shown)}"
        )
