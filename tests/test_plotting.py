"""cnnlib.plotting as a package: a returned figure shows in Jupyter, and the one-panel figures take ``ax=``."""

import inspect
import os
import subprocess
import sys

import numpy as np
import pytest
from matplotlib.figure import Figure

from cnnlib import plotting

PNG_IN_IPYTHON = """
from IPython.core.interactiveshell import InteractiveShell
shell = InteractiveShell.instance()
from cnnlib import plotting
data, _ = shell.display_formatter.format(plotting.pipeline_figure())
print(sorted(data))
"""


def test_returned_figure_is_drawn_as_png_in_jupyter():
    # pyplot is never imported, so without cnnlib's help Jupyter would show only "<Figure size ...>".
    # A fresh interpreter, as in a kernel: the inline backend is selected through MPLBACKEND.
    env = dict(os.environ, MPLBACKEND="module://matplotlib_inline.backend_inline")
    command = [sys.executable, "-c", PNG_IN_IPYTHON]
    result = subprocess.run(command, env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "['image/png', 'text/plain']"


# ---------------------------------------------------------------- ax=: one-panel figures draw into a given panel

ONE_PANEL = {
    "pipeline_figure": lambda ax: plotting.pipeline_figure(ax=ax),
    "photo_figure": lambda ax: plotting.photo_figure(np.full((4, 6), 200, dtype=np.uint8), title="gray", ax=ax),
    "gray_swatches_figure": lambda ax: plotting.gray_swatches_figure(ax=ax),
    "digit_figure": lambda ax: plotting.digit_figure(np.eye(5) * 255, label=1, ax=ax),
    "cross_entropy_figure": lambda ax: plotting.cross_entropy_figure(ax=ax),
    "confusion_matrix_figure": lambda ax: plotting.confusion_matrix_figure(np.array([[3, 1], [0, 2]]), ax=ax),
    "shift_similarity_figure": lambda ax: plotting.shift_similarity_figure([0, 1], {"no pooling": [1, 0.5]}, ax=ax),
}


def drawn(ax):
    """What an axes holds: its texts, images, lines and patches (the colour-bar axes are other axes)."""
    return len(ax.texts) + len(ax.images) + len(ax.lines) + len(ax.patches)


@pytest.mark.parametrize("name", sorted(ONE_PANEL))
def test_one_panel_figures_draw_into_the_axes_they_are_given(name):
    draw = ONE_PANEL[name]
    alone = draw(None)
    assert isinstance(alone, Figure)
    host = Figure(figsize=(16, 6), layout="constrained")
    left, right = host.subplots(1, 2)
    assert draw(right) is host, "returns the figure of the given axes"
    assert drawn(left) == 0, "the other panel stays empty"
    standalone = alone.axes[0]
    assert drawn(right) == drawn(standalone)
    assert right.get_title() == standalone.get_title()
    assert len(host.axes) == 2 + len(alone.axes) - 1, "a colour bar comes along, nothing else"


@pytest.mark.parametrize("name", sorted(ONE_PANEL))
def test_one_panel_figures_return_the_subfigure_they_draw_into(name):
    host = Figure(layout="constrained")
    sub = host.subfigures(1, 2)[1]
    assert ONE_PANEL[name](sub.add_subplot()) is sub


def test_one_panel_functions_are_exactly_those_that_accept_ax():
    accepting = {
        name
        for name in dir(plotting)
        if name.endswith("_figure") and "ax" in inspect.signature(getattr(plotting, name)).parameters
    }
    assert accepting == set(ONE_PANEL)


def test_a_photo_credit_moves_under_the_title_in_someone_elses_figure():
    host = Figure()
    ax = host.add_subplot()
    plotting.photo_figure(np.zeros((2, 2, 3)), title="Black", credit="Someone, CC0", ax=ax)
    assert ax.get_title() == "Black: shape (2, 2, 3), dtype float64\nPhoto: Someone, CC0"
    assert not host.get_supxlabel()
