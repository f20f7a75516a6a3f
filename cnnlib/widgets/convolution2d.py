"""Widgets of notebook 03 (convolution in 2-D): step a kernel across an image, and edit a 3 x 3 kernel.

Both are :class:`~cnnlib.widgets.explorer.FigureExplorer` widgets: their controls
are attributes, so a test (or a curious learner) can set ``value`` on them and read
back what is drawn: ``figure`` is the matplotlib ``Figure`` currently shown in
``picture``, made by the same plotting function the notebook calls for its static copy.
"""

from __future__ import annotations

import html

import ipywidgets
import numpy as np

from .._validation import as_float_array, check_window_fits
from ..conv import correlate2d
from ..kernels import KERNELS
from ..plotting.convolution2d import draws_signed, filtered_image_figure, sliding_window_figure
from .explorer import FigureExplorer

__all__ = ["KernelEditor", "SlidingWindowExplorer", "kernel_editor", "sliding_window_widget"]

CUSTOM = "custom"
"""The preset name :class:`KernelEditor` shows once a weight has been edited by hand."""


class SlidingWindowExplorer(FigureExplorer):
    """A slider (and a play button) that moves the kernel one output position at a time.

    Built by :func:`sliding_window_widget`. Attributes: ``step`` (the ``IntSlider``,
    0 to OH*OW - 1, in the order the loop visits the positions: row by row), ``play``
    (a ``Play`` linked to it), ``picture`` (the ``Output`` showing the figure),
    ``figure`` (the :func:`~cnnlib.plotting.sliding_window_figure` on show) and
    ``position`` (the current ``(i, j)``). It has no caption: the figure's titles say it all.
    """

    def __init__(self, image: np.ndarray, kernel: np.ndarray):
        self.image, self.kernel = image, kernel
        self.out_shape = (image.shape[0] - kernel.shape[0] + 1, image.shape[1] - kernel.shape[1] + 1)
        last = self.out_shape[0] * self.out_shape[1] - 1
        self.play = ipywidgets.Play(value=0, min=0, max=last, interval=900, description="play")
        step = ipywidgets.IntSlider(value=0, min=0, max=last, description="step", continuous_update=True)
        ipywidgets.jslink((self.play, "value"), (step, "value"))
        super().__init__({"step": step}, caption=False)

    def __repr__(self) -> str:  # the text a page without widget support shows instead of the widget
        return (
            f"SlidingWindowExplorer(image shape {self.image.shape}, kernel shape {self.kernel.shape}, "
            f"step {self.step.value} of {self.step.max})"
        )

    @property
    def position(self) -> tuple[int, int]:
        """The output position ``(i, j)`` of the current step."""
        return divmod(self.step.value, self.out_shape[1])

    def arrange(self) -> list:
        return [ipywidgets.HBox([self.play, self.step]), self.picture]

    def draw(self):
        return sliding_window_figure(self.image, self.kernel, self.position), None


def sliding_window_widget(image, kernel) -> SlidingWindowExplorer:
    """Step a kernel across a small image and watch the output fill in, one pixel per step.

    Parameters
    ----------
    image : ndarray, shape (H, W)
        Small enough to read its numbers, e.g. 5 x 5.
    kernel : ndarray, shape (KH, KW), with KH <= H and KW <= W

    Returns
    -------
    explorer : SlidingWindowExplorer
        A ``VBox``: a play button and a slider ``step`` from 0 to OH*OW - 1 (with
        OH = H - KH + 1, OW = W - KW + 1), above the figure
        ``plotting.sliding_window_figure(image, kernel, position)`` with
        ``position = divmod(step, OW)``. Its first state is position (0, 0).

    Examples
    --------
    >>> explorer = sliding_window_widget(np.eye(5), np.ones((3, 3)))
    >>> explorer.step.max, explorer.position
    (8, (0, 0))
    >>> explorer.step.value = 5
    >>> explorer.position
    (1, 2)
    """
    image = as_float_array(image, "image", ndim=2, layout="(H, W)")
    kernel = as_float_array(kernel, "kernel", ndim=2, layout="(KH, KW)")
    check_window_fits(kernel.shape, image.shape, "kernel", "of shape", "image")
    return SlidingWindowExplorer(image.copy(), kernel.copy())


class KernelEditor(FigureExplorer):
    """Nine boxes for the weights of a 3 x 3 kernel, a preset menu, and the filtered photo.

    Built by :func:`kernel_editor`. Attributes: ``preset`` (the ``Dropdown`` of
    :data:`~cnnlib.kernels.KERNELS` names plus ``"custom"``), ``entries`` (the 9
    ``BoundedFloatText`` boxes, row by row; also the controls ``w00`` ... ``w22``),
    ``caption`` (an ``HTML`` line on the sum of the weights), ``picture`` (the
    ``Output`` showing the figure), ``figure`` (the
    :func:`~cnnlib.plotting.filtered_image_figure` on show), ``kernel`` (the
    weights now, shape (3, 3)) and ``feature_map`` (what the kernel makes of the image).
    """

    def __init__(self, image: np.ndarray, preset: str):
        self.image = image
        self.feature_map = None
        self.entries = tuple(
            ipywidgets.BoundedFloatText(
                value=float(weight), min=-100.0, max=100.0, step=0.25, layout=ipywidgets.Layout(width="84px")
            )
            for weight in np.ravel(KERNELS[preset])
        )
        menu = ipywidgets.Dropdown(options=[*KERNELS, CUSTOM], value=preset, description="preset")
        names = (f"w{row}{col}" for row in range(3) for col in range(3))
        super().__init__({"preset": menu, **dict(zip(names, self.entries, strict=True))})

    def __repr__(self) -> str:  # the text a page without widget support shows instead of the widget
        return f"KernelEditor(image shape {self.image.shape}, preset {self.preset.value!r})"

    @property
    def kernel(self) -> np.ndarray:
        """The weights in the nine boxes, shape (3, 3)."""
        return np.array([entry.value for entry in self.entries], dtype=np.float64).reshape(3, 3)

    def arrange(self) -> list:
        grid = ipywidgets.GridBox(list(self.entries), layout=ipywidgets.Layout(grid_template_columns="repeat(3, 88px)"))
        hint = ipywidgets.HTML("Weights, row by row.<br>Type a number and press Enter.")
        column = ipywidgets.VBox([self.preset, hint, grid, self.caption], layout=ipywidgets.Layout(width="300px"))
        return [column, self.picture]

    def on_change(self, change: dict) -> None:
        # A preset fills in its nine weights; a weight typed by hand makes the kernel "custom". Either
        # way the photo is filtered once, not once per box.
        with self.holding_redraws():
            if change["owner"] is not self.preset:
                self.preset.value = CUSTOM
            elif change["new"] != CUSTOM:
                for entry, weight in zip(self.entries, np.ravel(KERNELS[change["new"]]), strict=True):
                    entry.value = float(weight)
        self.redraw()

    def draw(self):
        kernel = self.kernel
        total = kernel.sum()
        if draws_signed(kernel):
            if abs(total) <= 1e-12:
                kind = "add up to 0: a flat patch gives 0, so the map is signed (red > 0, blue < 0)"
            else:
                kind = (
                    f"add up to {total:.3g}, nearly 0 next to the sum of their sizes, {np.abs(kernel).sum():.3g}: "
                    "a flat patch gives almost 0, so the map is signed (red > 0, blue < 0)"
                )
        else:
            kind = f"add up to {total:.3g}: a flat patch is multiplied by {total:.3g} (gray map)"
        self.feature_map = correlate2d(self.image, kernel)
        figure = filtered_image_figure(self.image, kernel, name=self.preset.value)
        return figure, f"The weights {html.escape(kind, quote=False)}."


def kernel_editor(image, preset="Sobel x") -> KernelEditor:
    """Edit the nine weights of a 3 x 3 kernel and see at once what it does to a photo.

    Parameters
    ----------
    image : ndarray, shape (H, W)
        A grayscale photo; about 256 x 256 redraws quickly (e.g. ``photo[::2, ::2]`` of a 512 x 512 one).
    preset : str, default "Sobel x"
        The kernel to start from, one of :data:`cnnlib.kernels.KERNELS`.

    Returns
    -------
    editor : KernelEditor
        A ``VBox`` of the controls (preset menu, 3 x 3 grid of weights, a line on their sum)
        above the figure ``plotting.filtered_image_figure(image, kernel, name)``; the feature
        map has shape (H - 2, W - 2). Choosing a preset fills in its weights; editing a weight
        switches the menu to ``"custom"``. Its first state is
        ``filtered_image_figure(image, KERNELS[preset], name=preset)``.

    Raises
    ------
    TypeError, ValueError
        If ``image`` is not a 2-D array of at least 3 x 3, or ``preset`` is not a known kernel.

    Examples
    --------
    >>> editor = kernel_editor(np.zeros((8, 8)), preset="box blur")
    >>> editor.feature_map.shape
    (6, 6)
    >>> editor.entries[4].value = 2.0
    >>> editor.preset.value
    'custom'
    """
    image = as_float_array(image, "image", ndim=2, layout="(H, W)")
    check_window_fits((3, 3), image.shape, "kernel", "of shape", "image")
    if not isinstance(preset, str) or preset not in KERNELS:
        raise ValueError(f"`preset` must be one of {tuple(KERNELS)}, got {preset!r}")
    return KernelEditor(image.copy(), preset)
