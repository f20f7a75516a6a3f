"""Shared by the widget tests (tests/test_widgets_*.py): read what a FigureExplorer shows.

Every widget shows one output in its ``picture``: the figure as a PNG, a note on
stdout, or an error on stderr (a clickable widget shows its figure on its ``board``
instead, and the picture is then empty). These helpers read it back, each asserting that
the picture holds exactly that one output, and make the PNG that Jupyter's
inline backend shows for a figure returned from a cell, to compare with.
"""

import base64
import functools
from types import SimpleNamespace


def shown_output(widget):
    """The single output of the widget's picture (an ``Output``)."""
    outputs = widget.picture.outputs
    assert len(outputs) == 1, f"the picture should hold exactly one output, it holds {len(outputs)}: {outputs}"
    return outputs[0]


def shown_png(widget):
    """The PNG the widget shows, as bytes: in its picture, or on its board if it is clickable."""
    if getattr(widget, "board", None) is not None:
        assert widget.picture.outputs == (), f"a figure on the board leaves the picture empty: {widget.picture.outputs}"
        assert widget.board_png is not None and widget.board.layout.display is None, "the board shows no figure"
        return widget.board_png
    output = shown_output(widget)
    assert output["output_type"] == "display_data", f"expected a figure, the picture shows {output}"
    return base64.b64decode(output["data"]["image/png"])


def shown_error(widget):
    """The error the widget shows, as the text of its stderr stream (e.g. ``"ValueError: ...\\n"``)."""
    output = shown_output(widget)
    assert output["output_type"] == "stream" and output["name"] == "stderr", f"expected an error, got {output}"
    return output["text"]


def shown_note(widget):
    """The note the widget shows instead of a figure, as the text of its stdout stream."""
    output = shown_output(widget)
    assert output["output_type"] == "stream" and output["name"] == "stdout", f"expected a note, got {output}"
    return output["text"]


@functools.cache
def _inline_display_formatter():
    """IPython's display formatter set up as a kernel's inline backend sets it up, with its default options."""
    from IPython.core.formatters import DisplayFormatter
    from IPython.core.pylabtools import select_figure_formats
    from matplotlib_inline.config import InlineBackend

    inline = InlineBackend()  # a fresh configuration: the defaults every kernel starts with
    formatter = DisplayFormatter()
    select_figure_formats(
        SimpleNamespace(display_formatter=formatter), inline.figure_formats, **inline.print_figure_kwargs
    )
    return formatter


def png_of(figure):
    """The PNG Jupyter's inline backend shows for ``figure`` returned from a cell: the notebook's static copy."""
    data, _ = _inline_display_formatter().format(figure, include={"image/png"})
    return base64.b64decode(data["image/png"])
