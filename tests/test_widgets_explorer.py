"""cnnlib.widgets.explorer: the one widget pattern (FigureExplorer) and the modules built on it.

A tiny explorer, a line of slope ``slope``, is driven here as a learner would drive
any widget of the series: each redraw must leave exactly one output in the picture,
an error must show as one stderr line and leave the widget usable, and the PNG must
be the one Jupyter's inline backend shows for the same figure.
"""

import ast
import io
from pathlib import Path

import ipywidgets
import numpy as np
import pytest
from matplotlib import colors
from matplotlib.figure import Figure
from PIL import Image
from widget_helpers import png_of, shown_error, shown_note, shown_output, shown_png

from cnnlib import widgets
from cnnlib.widgets.explorer import FigureExplorer, _paint_png, figure_png, png_point

WIDGETS = Path(widgets.__file__).parent


def line_figure(slope):
    figure = Figure(figsize=(3, 2), layout="constrained")
    ax = figure.add_subplot()
    ax.plot([0, 1], [0, slope])
    ax.set_title(f"slope {slope}")
    return figure


class Line(FigureExplorer):
    """A slider for a slope; 0 raises, 9 is a note (nothing to draw), -9 an empty picture."""

    def __init__(self, slope=1, **options):
        self.draws = 0
        super().__init__({"slope": ipywidgets.IntSlider(value=slope, min=-9, max=9)}, **options)

    def draw(self):
        self.draws += 1
        slope = self.slope.value
        if slope == 0:
            raise ValueError("a slope of 0 <is> flat")
        if slope == 9:
            return "Nothing to draw: too steep.", "<b>too steep</b>"
        if slope == -9:
            return None, "nothing"
        return line_figure(slope), f"<code>slope {slope}</code>"


def test_a_redraw_puts_exactly_one_png_output():
    line = Line()
    output = shown_output(line)
    assert output["output_type"] == "display_data" and output["metadata"] == {}
    assert set(output["data"]) == {"image/png", "text/plain"}
    assert output["data"]["text/plain"] == repr(line.figure), "the inline backend's text for a figure"
    assert isinstance(line.figure, Figure) and line.error is None
    for slope in (2, 3, -1):
        line.slope.value = slope
        assert len(line.picture.outputs) == 1, "the picture is replaced, not appended to"
        assert line.figure.axes[0].get_title() == f"slope {slope}"


def test_the_png_is_the_inline_backends_png_of_the_same_figure():
    # Compared with a new copy of the figure, as a notebook's static copy is: drawing one figure a second
    # time may move a constrained layout by a pixel, so only first drawings are comparable.
    for slope in (1, 2, -3):
        line = Line(slope=slope)
        png = shown_png(line)
        assert png.startswith(b"\x89PNG\r\n\x1a\n")
        assert png == png_of(line_figure(slope))
        assert png == figure_png(line_figure(slope))


def test_a_lower_dpi_draws_a_smaller_picture_through_the_same_path():
    full, low = Line(slope=2), Line(slope=2, dpi=50)
    assert low.dpi == 50 and full.dpi is None
    width = Image.open(io.BytesIO(shown_png(full))).width
    assert Image.open(io.BytesIO(shown_png(low))).width == pytest.approx(width / 2, abs=2)  # 100 dpi -> 50
    assert shown_png(low) == figure_png(line_figure(2), dpi=50)


@pytest.mark.parametrize(
    ("dpi", "error", "match"),
    [(5, ValueError, "`dpi` must be an integer >= 20"), (72.0, TypeError, "`dpi` must be an integer")],
)
def test_a_bad_dpi_is_refused(dpi, error, match):
    with pytest.raises(error, match=match):
        Line(dpi=dpi)


def test_the_caption_follows_the_controls():
    line = Line()
    assert line.caption.value == "<code>slope 1</code>"
    line.slope.value = 4
    assert line.caption.value == "<code>slope 4</code>"
    assert line.children == (line.slope, line.caption, line.picture)


def test_a_draw_that_raises_shows_one_stderr_line_and_the_widget_stays_usable():
    line = Line()
    line.slope.value = 0
    assert shown_error(line) == "ValueError: a slope of 0 <is> flat\n"
    assert line.figure is None and isinstance(line.error, ValueError)
    assert line.caption.value == "", "no caption describing a state that is not drawn"
    line.slope.value = 5
    assert shown_png(line) == png_of(line_figure(5)), "the next good value draws again"
    assert line.error is None and line.caption.value == "<code>slope 5</code>"


def test_a_note_and_an_empty_picture():
    line = Line(slope=9)
    assert shown_note(line) == "Nothing to draw: too steep.\n"
    assert line.figure is None and line.caption.value == "<b>too steep</b>"
    line.slope.value = -9
    assert line.picture.outputs == () and line.figure is None and line.caption.value == "nothing"


def test_a_draw_that_returns_something_else_is_shown_as_an_error():
    class Wrong(Line):
        def draw(self):
            return np.zeros((2, 2)), None

    assert shown_error(Wrong()).startswith("TypeError: Wrong.draw() must return a Figure, a str or None first")


def test_controls_are_attributes_and_a_dict():
    line = Line()
    assert line.controls == {"slope": line.slope}
    assert line.values == {"slope": 1}
    assert isinstance(line, ipywidgets.VBox)


def test_a_control_name_that_the_box_uses_itself_is_refused():
    class Clash(FigureExplorer):
        def __init__(self):
            super().__init__({"layout": ipywidgets.IntSlider()})

    with pytest.raises(ValueError, match="control name 'layout' is taken by Clash itself"):
        Clash()


def test_without_a_caption():
    line = Line(caption=False)
    assert line.caption is None and line.children == (line.slope, line.picture)
    line.slope.value = 0
    assert shown_error(line).startswith("ValueError")


def test_holding_redraws_sets_several_controls_with_one_redraw():
    class Pair(FigureExplorer):
        def __init__(self):
            self.draws = 0
            super().__init__({"a": ipywidgets.IntSlider(value=1), "b": ipywidgets.IntSlider(value=1)})

        def on_change(self, change):
            with self.holding_redraws():  # b follows a
                self.b.value = self.a.value
            self.redraw()

        def draw(self):
            self.draws += 1
            return line_figure(self.a.value + self.b.value), None

    pair = Pair()
    assert pair.draws == 1, "the first picture is drawn once"
    pair.a.value = 3
    assert (pair.b.value, pair.draws) == (3, 2)
    assert pair.figure.axes[0].get_title() == "slope 6"


def test_the_text_fallback_is_the_boxs_own_repr():
    # Where widgets do not render (and in the stored notebooks) the widget reads as the VBox it always was.
    line = Line()
    assert repr(line).startswith("VBox(children=(IntSlider(value=1, max=9, min=-9), HTML(value='<code>slope 1")
    assert line._repr_mimebundle_()["text/plain"].startswith("VBox(children=(IntSlider(")


def test_two_explorers_do_not_share_state():
    first, second = Line(), Line(slope=3)
    first.slope.value = 0
    assert shown_png(second) == png_of(line_figure(3))
    assert first.error is not None and second.error is None


# --- every widget module follows the pattern (a scan of the source) ------------------------------------------


def widget_modules():
    return sorted(path for path in WIDGETS.glob("*.py") if path.name != "__init__.py")


@pytest.mark.parametrize("path", widget_modules(), ids=lambda path: path.stem)
def test_widgets_import_only_public_plotting_names(path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    private = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and "plotting" in (node.module or "").split("."):
            private += [f"{node.module}.{alias.name}" for alias in node.names if alias.name.startswith("_")]
            private += [node.module for part in node.module.split(".") if part.startswith("_")]
        elif isinstance(node, ast.Attribute) and node.attr.startswith("_") and not node.attr.startswith("__"):
            if isinstance(node.value, ast.Name) and node.value.id == "plotting":
                private.append(f"plotting.{node.attr}")
    assert not private, f"{path.name} uses private plotting names: {private}"


class Quadrants(FigureExplorer):
    """A clickable picture of two axes side by side, each spanning 0 to 10; clicks are recorded."""

    def __init__(self):
        self.clicks = []
        super().__init__({"resolution": ipywidgets.IntSlider(value=100, min=50, max=200)}, clickable=True)

    def draw(self):
        figure = Figure(figsize=(4, 2), dpi=self.resolution.value)
        for k, color in enumerate(("red", "blue")):
            axes = figure.add_axes((0.05 + 0.5 * k, 0.1, 0.4, 0.8))
            axes.imshow(np.ones((10, 10, 3)) * np.array(colors.to_rgb(color)), extent=(0, 10, 0, 10))
            axes.set_gid(color)
        return figure, None

    def on_click(self, axes, x, y):
        self.clicks.append((None if axes is None else axes.get_gid(), round(x, 6), round(y, 6)))


@pytest.mark.parametrize("dpi", [50, 100, 173])
def test_a_click_on_the_board_reaches_the_axes_under_it_in_its_data_coordinates(dpi):
    explorer = Quadrants()
    explorer.resolution.value = dpi
    assert explorer.picture.outputs == () and explorer.board.layout.display is None
    rgb = np.asarray(Image.open(io.BytesIO(explorer.board_png)).convert("RGB")).astype(int)
    assert (explorer.board.width, explorer.board.height) == (rgb.shape[1], rgb.shape[0])
    for color, channel in (("red", 0), ("blue", 2)):
        rows, cols = np.nonzero(rgb[..., channel] - rgb.sum(axis=2) / 3 > 100)  # the axes' own pixels in the PNG
        explorer.clicks.clear()
        explorer.board_clicked(cols.min() + 0.5, rows.min() + 0.5)  # its top-left pixel
        explorer.board_clicked(cols.max() + 0.5, rows.max() + 0.5)  # its bottom-right pixel
        # within 2 PNG pixels (Agg snaps an image's edges to whole pixels); the crop's padding alone is 5 to 17
        near = 2 * 10 / (cols.max() - cols.min() + 1)
        (gid1, x1, y1), (gid2, x2, y2) = explorer.clicks
        assert gid1 == gid2 == color
        assert x1 == pytest.approx(0, abs=near) and y1 == pytest.approx(10, abs=near)
        assert x2 == pytest.approx(10, abs=near) and y2 == pytest.approx(0, abs=near)
    explorer.clicks.clear()
    explorer.board_clicked(1, 1)
    assert explorer.clicks[0][0] is None


def test_png_point_undoes_the_crop_of_the_inline_png():
    figure = line_figure(2)
    width, height = Image.open(io.BytesIO(figure_png(figure))).size
    left, top = png_point(figure, 0, 0)
    right, bottom = png_point(figure, width, height)
    box = figure.get_tightbbox().padded(0.1)  # inches: the inline backend pads by 0.1
    assert (left, right) == pytest.approx((box.x0 * 100, box.x1 * 100), abs=1)
    assert (bottom, top) == pytest.approx((box.y0 * 100, box.y1 * 100), abs=1)


def test_a_clickable_widget_shows_notes_and_errors_in_the_picture_and_hides_its_board():
    class Sometimes(Quadrants):
        def draw(self):
            if self.resolution.value == 60:
                raise ValueError("no picture at 60")
            return ("a note", None) if self.resolution.value == 70 else super().draw()

    explorer = Sometimes()
    for dpi, shown in ((60, "ValueError: no picture at 60\n"), (70, "a note\n")):
        explorer.resolution.value = dpi
        assert explorer.board.layout.display == "none" and explorer.board_png is None
        assert shown_output(explorer)["text"] == shown
        explorer.board_clicked(10, 10)  # nothing to click on: nothing happens
        assert explorer.clicks == []
    explorer.resolution.value = 100
    assert explorer.board.layout.display is None and explorer.picture.outputs == ()


@pytest.mark.parametrize("with_manager", [True, False])
def test_the_board_is_painted_with_the_png_as_it_is_or_through_the_public_call(with_manager):
    # ipycanvas 0.14's draw command takes the PNG bytes; without it, the public put_image_data takes pixels
    from types import SimpleNamespace

    from ipycanvas import Canvas

    png = figure_png(line_figure(1))
    sent = []
    if with_manager:
        canvas = Canvas(width=1, height=1)
        canvas._canvas_manager.send_draw_command = lambda *args: sent.append(args)
    else:  # a canvas of another ipycanvas, without the manager
        canvas = SimpleNamespace(width=1, height=1, layout=ipywidgets.Layout())
        canvas.put_image_data = lambda data, x, y: sent.append((data.shape, x, y))
    _paint_png(canvas, png)
    width, height = Image.open(io.BytesIO(png)).size
    assert (canvas.width, canvas.height) == (width, height)
    assert len(sent) == 1
    if with_manager:
        assert sent[0][0] is canvas and sent[0][2:] == ([0, 0], [png])
    else:
        assert sent[0] == ((height, width, 4), 0, 0)


@pytest.mark.parametrize("path", widget_modules(), ids=lambda path: path.stem)
def test_one_way_to_show_a_figure(path):
    # Only the base renders figures and shows errors; no module calls display() or uses an Image widget.
    source = path.read_text(encoding="utf-8")
    calls = {
        node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.Call)
    }
    assert "display" not in calls, f"{path.name} calls display(): builders return the widget"
    assert "Image" not in calls, f"{path.name} shows a picture in an ipywidgets.Image, not in FigureExplorer.picture"
    if path.name != "explorer.py":
        assert not calls & {"savefig", "print_figure", "print_png"}, f"{path.name} renders a figure itself"
        assert '"stderr"' not in source and "'stderr'" not in source, f"{path.name} shows errors its own way"


def test_every_builder_returns_a_figure_explorer():
    builders = [
        name
        for name in dir(widgets)
        if isinstance(getattr(widgets, name), type)
        and issubclass(getattr(widgets, name), FigureExplorer)
        and name != "FigureExplorer"
    ]
    assert sorted(builders) == sorted(
        [
            "DenseParamCounter",
            "DrawDigitExplorer",
            "EnvironmentCheckSlider",
            "FeatureMapsExplorer",
            "ForwardPassExplorer",
            "KernelEditor",
            "LearningRateExplorer",
            "PatchZoom",
            "PoolingWindowExplorer",
            "ReceptiveFieldExplorer",
            "ReluBiasExplorer",
            "SlideExplorer1D",
            "SlidingWindowExplorer",
            "SoftmaxScaleExplorer",
            "StridePaddingExplorer",
        ]
    )
