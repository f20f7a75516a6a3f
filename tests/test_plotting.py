"""cnnlib.plotting: the figures carry the labels and shapes the notebooks teach with."""

import inspect
import os
import subprocess
import sys

import numpy as np
import pytest
from matplotlib.figure import Figure

from cnnlib import plotting

STAGES = ["Image", "Convolution", "ReLU", "Pooling", "Dense", "Prediction"]


def texts(fig):
    """Every string drawn on the figure's axes (text artists and the title)."""
    ax = fig.axes[0]
    return [t.get_text() for t in ax.texts] + [ax.get_title()]


def test_pipeline_figure_is_a_figure_with_a_title():
    fig = plotting.pipeline_figure()
    assert isinstance(fig, Figure)
    assert len(fig.axes) == 1
    assert fig.axes[0].get_title() == "The CNN pipeline: from pixels to a prediction"


def test_pipeline_figure_labels_every_stage_once_in_order():
    drawn = texts(plotting.pipeline_figure())
    assert [t for t in drawn if t in STAGES] == STAGES


def test_pipeline_figure_default_shapes_worked_by_hand():
    # 28 x 28 image, 8 filters of 3 x 3: 28 - 3 + 1 = 26; 2 x 2 pooling: 26 // 2 = 13;
    # flatten 8 * 13 * 13 = 1352 numbers into 10 scores.
    drawn = texts(plotting.pipeline_figure())
    for shape in ["28 × 28", "8 × 26 × 26", "8 × 13 × 13", "10 scores", "10 probabilities"]:
        assert shape in drawn, f"{shape!r} not among {drawn}"
    assert drawn.count("8 × 26 × 26") == 2, "ReLU keeps the shape of the feature maps"
    assert any("1,352" in t for t in drawn)


def test_pipeline_figure_uses_its_arguments():
    # 32 - 5 + 1 = 28 feature maps of 28 x 28; 28 // 3 = 9; 4 * 9 * 9 = 324.
    drawn = texts(plotting.pipeline_figure(image_size=32, n_filters=4, kernel_size=5, pool_size=3, n_classes=2))
    assert "32 × 32" in drawn
    assert "4 × 28 × 28" in drawn
    assert "4 × 9 × 9" in drawn
    assert "2 probabilities" in drawn
    assert any("324" in t for t in drawn)
    assert any("5 × 5" in t for t in drawn)


def test_pipeline_figure_calls_the_maps_by_their_names():
    joined = "\n".join(texts(plotting.pipeline_figure()))
    for name in ["feature maps", "rectified maps", "pooled maps", "softmax"]:
        assert name in joined
    assert "biases" in joined, "the figure must say that biases are learned too"


def test_pipeline_figure_text_stays_inside_the_figure():
    fig = plotting.pipeline_figure()
    fig.draw_without_rendering()  # runs the layout engine, so positions are final
    frame = fig.bbox
    for text in fig.axes[0].texts:
        box = text.get_window_extent()
        assert frame.x0 <= box.x0 and box.x1 <= frame.x1, f"{text.get_text()!r} is cut off"
        assert frame.y0 <= box.y0 and box.y1 <= frame.y1, f"{text.get_text()!r} is cut off"


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"image_size": 2.5}, TypeError, "`image_size` must be an integer"),
        ({"n_filters": 0}, ValueError, "`n_filters` must be an integer >= 1, got 0"),
        ({"n_classes": 1}, ValueError, "`n_classes` must be an integer >= 2, got 1"),
        ({"image_size": 3, "kernel_size": 5}, ValueError, "`kernel_size` must be <= `image_size` = 3, got 5"),
        ({"image_size": 5, "kernel_size": 3, "pool_size": 4}, ValueError, "feature map size 3, got 4"),
    ],
)
def test_pipeline_figure_bad_arguments(kwargs, error, match):
    with pytest.raises(error, match=match):
        plotting.pipeline_figure(**kwargs)


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
    accepting = {name for name in dir(plotting) if name.endswith("_figure")
                 and "ax" in inspect.signature(getattr(plotting, name)).parameters}
    assert accepting == set(ONE_PANEL)


def test_a_photo_credit_moves_under_the_title_in_someone_elses_figure():
    host = Figure()
    ax = host.add_subplot()
    plotting.photo_figure(np.zeros((2, 2, 3)), title="Black", credit="Someone, CC0", ax=ax)
    assert ax.get_title() == "Black: shape (2, 2, 3), dtype float64\nPhoto: Someone, CC0"
    assert not host.get_supxlabel()
