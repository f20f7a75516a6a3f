"""The pooling-window explorer of notebook 06: choose window size, stride and kind, see every window."""

from __future__ import annotations

import ipywidgets
import numpy as np

from .._validation import as_choice, as_float_array, as_int
from ..plotting.pooling import pooling_windows_figure
from ..pooling import POOLING_KINDS
from ..shapes import output_size
from .explorer import FigureExplorer, code_line

__all__ = ["PoolingWindowExplorer", "pooling_size_text", "pooling_window_explorer"]


def pooling_size_text(height, width, size, stride=None) -> str:
    """Say how large the pooled map is, with the formula, and what is dropped at the edges.

    Parameters
    ----------
    height, width : int
        Size H, W of the map being pooled.
    size : int
        Side of the square window, at most ``min(H, W)``.
    stride : int, optional
        Step of the window; ``None`` means ``stride = size``.

    Returns
    -------
    text : str
        One line: ``OH = ⌊(H − size) / stride⌋ + 1`` with the numbers filled in
        (and OW if it differs), the number of windows, the rows and columns at
        the edges that no complete window reaches, and (when the stride exceeds
        the window) those skipped between windows.

    Raises
    ------
    TypeError, ValueError
        If an argument is not a positive integer, or the window does not fit.

    Examples
    --------
    >>> pooling_size_text(26, 26, 2)
    '2 × 2 window, stride 2: 26 × 26 → 13 × 13 (OH = ⌊(26 − 2) / 2⌋ + 1 = 13), 169 windows; dropped: nothing'
    >>> pooling_size_text(7, 7, 2)
    '2 × 2 window, stride 2: 7 × 7 → 3 × 3 (OH = ⌊(7 − 2) / 2⌋ + 1 = 3), 9 windows; dropped: 1 row, 1 column'
    """
    height = as_int(height, "height", minimum=1)
    width = as_int(width, "width", minimum=1)
    size = as_int(size, "size", minimum=1)
    stride = size if stride is None else as_int(stride, "stride", minimum=1)
    out_h, out_w = output_size(height, size, stride), output_size(width, size, stride)
    formula = f"OH = ⌊({height} − {size}) / {stride}⌋ + 1 = {out_h}"
    if width != height:
        formula += f", OW = ⌊({width} − {size}) / {stride}⌋ + 1 = {out_w}"
    rows = height - ((out_h - 1) * stride + size)
    cols = width - ((out_w - 1) * stride + size)
    text = (
        f"{size} × {size} window, stride {stride}: {height} × {width} → {out_h} × {out_w} ({formula}), "
        f"{out_h * out_w} windows; dropped: {_count_rows_columns(rows, cols)}"
    )
    if stride > size:
        gaps = _count_rows_columns((out_h - 1) * (stride - size), (out_w - 1) * (stride - size))
        text += f"; skipped between windows: {gaps}"
    return text


def _count_rows_columns(rows, cols) -> str:
    """E.g. "1 row, 2 columns", or "nothing"."""
    parts = [f"{n} {word}{'' if n == 1 else 's'}" for n, word in [(rows, "row"), (cols, "column")] if n]
    return ", ".join(parts) if parts else "nothing"


class PoolingWindowExplorer(FigureExplorer):
    """Sliders for window size and stride, a "stride = window" tick and a pooling menu; every window drawn.

    Built by :func:`pooling_window_explorer`. Attributes: ``window`` and ``stride``
    (``IntSlider``s), ``tied`` (the ``Checkbox`` "stride = window": while ticked the
    stride follows the window and its slider is disabled), ``kind`` (the ``Dropdown``
    of pooling kinds), ``caption`` (the line of :func:`pooling_size_text`), ``picture``
    and ``figure`` (the :func:`~cnnlib.plotting.pooling_windows_figure` on show).
    """

    def __init__(self, feature_map: np.ndarray, size: int, stride: int | None, kind: str, max_size: int):
        self.feature_map = feature_map
        style = {"description_width": "initial"}
        super().__init__(
            {
                "window": ipywidgets.IntSlider(
                    value=size, min=1, max=max_size, description="window size", style=style, continuous_update=False
                ),
                "stride": ipywidgets.IntSlider(
                    value=size if stride is None else stride,
                    min=1,
                    max=max_size,
                    description="stride",
                    disabled=stride is None,
                    style=style,
                    continuous_update=False,
                ),
                "tied": ipywidgets.Checkbox(
                    value=stride is None, description="stride = window (the default)", indent=False
                ),
                "kind": ipywidgets.Dropdown(
                    options=list(POOLING_KINDS), value=kind, description="pooling", style=style
                ),
            }
        )

    def arrange(self) -> list:
        return [
            ipywidgets.HBox([self.window, self.stride]),
            ipywidgets.HBox([self.tied, self.kind]),
            self.caption,
            self.picture,
        ]

    def on_change(self, change: dict) -> None:
        with self.holding_redraws():  # a tied stride follows the window: one redraw for both
            self.stride.disabled = self.tied.value
            if self.tied.value:
                self.stride.value = self.window.value
        self.redraw()

    def draw(self):
        height, width = self.feature_map.shape
        text = pooling_size_text(height, width, self.window.value, self.stride.value)
        figure = pooling_windows_figure(self.feature_map, self.window.value, self.stride.value, self.kind.value)
        return figure, code_line(text)


def pooling_window_explorer(feature_map, size=2, stride=None, kind="max", max_size=6) -> PoolingWindowExplorer:
    """Sliders for window size and stride over a feature map; every window is drawn, the pooled map beside it.

    The picture is :func:`cnnlib.plotting.pooling_windows_figure` for the
    current settings, so the first picture is the same as that figure's
    default. With "stride = window" ticked (the default, like ``stride=None``)
    the stride follows the window and the windows tile the map; untick it to
    choose a smaller stride (overlapping windows) or a larger one (gaps).

    Parameters
    ----------
    feature_map : ndarray, shape (H, W)
        A rectified feature map, at most 64 × 64.
    size : int, default 2
        Starting window side, ``1 <= size <= max_size``.
    stride : int, optional
        Starting stride; ``None`` ticks "stride = window".
    kind : {"max", "average", "sum"}, default "max"
    max_size : int, default 6
        Largest window and stride on the sliders (at most ``min(H, W)``; a
        larger value is lowered to it).

    Returns
    -------
    explorer : PoolingWindowExplorer
        A ``VBox``: an ``HBox`` of the ``IntSlider``s ``explorer.window`` and
        ``explorer.stride``, an ``HBox`` of the "stride = window" ``Checkbox``
        ``explorer.tied`` and the ``Dropdown`` ``explorer.kind``, the ``HTML`` line
        ``explorer.caption`` from :func:`pooling_size_text`, and ``explorer.picture``,
        the figure as a PNG.

    Raises
    ------
    TypeError, ValueError
        If the map is not 2-D, or a starting value is out of range.

    Examples
    --------
    >>> import numpy as np
    >>> explorer = pooling_window_explorer(np.ones((26, 26)))
    >>> explorer.window.value = 3
    >>> explorer.stride.value
    3
    >>> explorer.caption.value.split(" (")[0]
    '<code>3 × 3 window, stride 3: 26 × 26 → 8 × 8'
    """
    x = as_float_array(feature_map, "feature_map", ndim=2, layout="(H, W)")
    max_size = min(as_int(max_size, "max_size", minimum=1), min(x.shape))
    size = as_int(size, "size", minimum=1)
    if size > max_size:
        raise ValueError(f"`size` must be <= {max_size} (`max_size` and the map's smaller side), got {size}")
    if stride is not None:
        stride = as_int(stride, "stride", minimum=1)
        if stride > max_size:
            raise ValueError(f"`stride` must be <= {max_size} (`max_size` and the map's smaller side), got {stride}")
    kind = as_choice(kind, "kind", POOLING_KINDS)
    return PoolingWindowExplorer(x, size, stride, kind, max_size)
