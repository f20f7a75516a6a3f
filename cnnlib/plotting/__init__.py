"""Figures for the notebooks, one module per idea; each function returns a matplotlib ``Figure``.

Figures are built with ``matplotlib.figure.Figure`` rather than pyplot, so no
global state is touched: tests can inspect them, and a notebook shows one by
making it the last expression of a cell (exactly once, as pyplot never sees it).
Every module draws with the series' conventions in :mod:`~cnnlib.plotting.style`
(colours, colour limits, number grids, number formats, pixel axes); a function
that draws one panel also takes ``ax=`` and draws into that panel. Every public
name of the modules is available as ``cnnlib.plotting.<name>``.
"""

import base64
import importlib
import sys

from .attribution import *  # noqa: F403
from .convolution1d import *  # noqa: F403
from .convolution2d import *  # noqa: F403
from .curves import *  # noqa: F403
from .dense_layer import *  # noqa: F403
from .depth import *  # noqa: F403
from .draw import *  # noqa: F403
from .faces import *  # noqa: F403
from .features import *  # noqa: F403
from .filters1d import *  # noqa: F403
from .flatten import *  # noqa: F403
from .images import *  # noqa: F403
from .initialisation import *  # noqa: F403
from .learning import *  # noqa: F403
from .pipeline import *  # noqa: F403
from .pooling import *  # noqa: F403
from .pooling_effects import *  # noqa: F403
from .receptive_field import *  # noqa: F403
from .relu import *  # noqa: F403
from .stride_padding import *  # noqa: F403
from .style import *  # noqa: F403
from .style import opaque_png_as_rgb
from .toeplitz import *  # noqa: F403
from .training import *  # noqa: F403


def _enable_notebook_display() -> None:
    """Inside Jupyter, let a returned Figure be drawn as a PNG even if pyplot is never used.

    Jupyter's inline backend registers its PNG formatter for ``Figure`` when the
    backend module is first loaded, which normally happens through pyplot. Loading
    it here does the same; the module itself checks that inline is the backend
    in use, so another choice (e.g. ``%matplotlib widget``) is left alone.
    """
    ipython = sys.modules.get("IPython")
    if ipython is None or ipython.get_ipython() is None:
        return
    try:
        importlib.import_module("matplotlib_inline.backend_inline")
    except ImportError:
        return
    _store_figures_as_rgb(ipython.get_ipython())


def _store_figures_as_rgb(shell) -> None:
    """Wrap the PNG printer the inline backend registered for ``Figure``: the same PNG, as RGB when opaque.

    The stored notebooks are mostly figures, and the series must stay under 12 MB; see
    :func:`~cnnlib.plotting.style.opaque_png_as_rgb`. The inline printer keeps every setting of its
    own (size, dpi, tight bounding box); a backend that registered none is left alone.
    """
    from matplotlib.figure import Figure

    formatter = shell.display_formatter.formatters["image/png"]
    try:
        printer = formatter.lookup_by_type(Figure)
    except KeyError:  # not the inline backend
        return
    if getattr(printer, "stores_rgb", False):  # wrapped already (the module was imported again)
        return

    def rgb_printer(figure):
        png = printer(figure)
        if isinstance(png, bytes):
            return opaque_png_as_rgb(png)
        if isinstance(png, str):  # base64, as some IPython versions have the printer return it
            return base64.b64encode(opaque_png_as_rgb(base64.b64decode(png))).decode("ascii")
        return png  # None: a figure with nothing drawn shows no picture

    rgb_printer.stores_rgb = True
    formatter.for_type(Figure, rgb_printer)


_enable_notebook_display()
