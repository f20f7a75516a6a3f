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
"""

from __future__ import annotations

import base64
import contextlib
import html
import traceback
from collections.abc import Iterator, Mapping

import ipywidgets
from IPython.core.pylabtools import print_figure
from matplotlib.figure import Figure

from .._validation import as_int, describe

__all__ = ["FigureExplorer", "figure_png"]


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


def code_line(text: str) -> str:
    """``text`` escaped for HTML, in ``<code>``: the one-line readout most widgets show as their caption."""
    return f"<code>{html.escape(text)}</code>"


def _stream(name: str, text: str) -> dict:
    """One stream output (``name`` "stdout" or "stderr") for an ``Output`` widget's ``outputs``."""
    return {"output_type": "stream", "name": name, "text": text if text.endswith("\n") else text + "\n"}


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

    def __init__(self, controls: Mapping[str, ipywidgets.Widget], *, caption: bool = True, dpi: int | None = None):
        self.controls = dict(controls)
        for name, control in self.controls.items():
            if hasattr(type(self), name):  # e.g. "layout" or "children" would replace the box's own
                raise ValueError(f"control name {name!r} is taken by {type(self).__name__} itself; choose another")
            setattr(self, name, control)
        self.picture = ipywidgets.Output()
        self.caption = ipywidgets.HTML() if caption else None
        self.figure = None
        self.error = None
        self.dpi = None if dpi is None else as_int(dpi, "dpi", minimum=20)
        self._holding = False
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
        return [self.controls_row(), *([self.caption] if self.caption is not None else []), self.picture]

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
            return
        self.figure = shown if isinstance(shown, Figure) else None
        self.error = None
        if self.caption is not None:
            self.caption.value = caption or ""
        self.picture.outputs = () if output is None else (output,)

    def _output_of(self, shown) -> dict | None:
        """The ``Output`` entry showing what :meth:`draw` returned."""
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
