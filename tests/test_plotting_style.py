"""cnnlib.plotting.style: the series' figure conventions, each helper on examples worked by hand.

Colours expected on a cell are read from matplotlib's own colormaps (the reference),
never from the helper under test.
"""

import base64
import io
import pathlib
import re

import nbclient
import nbformat
import numpy as np
import pytest
from matplotlib import colormaps
from matplotlib.figure import Figure
from PIL import Image

from cnnlib import plotting
from cnnlib.plotting import style

PLOTTING = pathlib.Path(plotting.__file__).parent


def new_axes():
    return Figure().add_subplot()


def texts(ax):
    return [t.get_text() for t in ax.texts]


def luminance(rgba):
    red, green, blue = rgba[:3]
    return 0.299 * red + 0.587 * green + 0.114 * blue


# ---------------------------------------------------------------- colours and limits


def test_signed_colormap_is_the_diverging_red_blue_map():
    assert style.SIGNED_CMAP == "RdBu_r"
    assert plotting.SIGNED_CMAP is style.SIGNED_CMAP
    # white in the middle, red at the top, blue at the bottom
    middle, top, bottom = (colormaps[style.SIGNED_CMAP](v) for v in (0.5, 1.0, 0.0))
    assert min(middle[:3]) > 0.9
    assert top[0] > top[2] and bottom[2] > bottom[0]


def test_signed_limit_worked_by_hand():
    assert style.signed_limit([[1, -2], [0.5, 0]], percentile=100) == 2.0
    # 998 values of size 1 and two outliers of 100: the 99th percentile of |values| is 1
    values = np.ones(1000)
    values[0], values[1] = -100.0, 100.0
    assert style.signed_limit(values) == 1.0
    # the median of |[0, 0, 3]| is 0, so the largest |value| is used instead; all zeros give 1
    assert style.signed_limit([0, 0, -3], percentile=50) == 3.0
    assert style.signed_limit(np.zeros((2, 2))) == 1.0


def test_signed_style_is_symmetric_around_zero():
    assert style.signed_style([[1, -2]], percentile=100) == {"cmap": "RdBu_r", "vmin": -2.0, "vmax": 2.0}
    assert style.signed_style(limit=0.5) == {"cmap": "RdBu_r", "vmin": -0.5, "vmax": 0.5}
    assert style.signed_style([[1, -2]], limit=4)["vmax"] == 4.0, "an explicit limit wins"
    with pytest.raises(TypeError, match="`values` or `limit`"):
        style.signed_style()


def test_positive_style_starts_at_zero():
    assert style.positive_style([[1, 3], [2, 1]]) == {"cmap": "viridis", "vmin": 0.0, "vmax": 3.0}
    assert style.positive_style(np.zeros(4))["vmax"] == 1.0, "an all-zero map still gets a scale"
    assert style.positive_style(vmax=5)["vmax"] == 5.0
    with pytest.raises(TypeError, match="`values` or `vmax`"):
        style.positive_style()


def test_map_style_picks_signed_for_negative_values_and_viridis_otherwise():
    assert style.map_style([[-1.0, 4.0]]) == {"cmap": "RdBu_r", "vmin": -4.0, "vmax": 4.0}
    assert style.map_style([[0.0, 4.0]]) == {"cmap": "viridis", "vmin": 0.0, "vmax": 4.0}


def test_gray_style_is_fixed_from_0_to_255():
    assert style.gray_style() == {"cmap": "gray", "vmin": 0, "vmax": 255}
    assert style.gray_style(0, 1) == {"cmap": "gray", "vmin": 0, "vmax": 1}


@pytest.mark.parametrize(
    ("values", "arrows"),
    [([[-1.0, 1.0]], "neither"), ([[-3.0, 1.0]], "min"), ([[-1.0, 3.0]], "max"), ([[-3.0, 3.0]], "both")],
)
def test_colorbar_arrows_mark_the_clipped_ends(values, arrows):
    fig = Figure()
    ax = fig.add_subplot()
    bar = style.add_colorbar(ax.imshow(values, **style.signed_style(limit=2)), ax, label="value")
    assert bar.extend == arrows
    assert bar.ax.get_ylabel() == "value"
    assert len(fig.axes) == 2


def test_colorbar_can_be_told_its_arrows_and_serves_several_panels():
    fig = Figure()
    axes = fig.subplots(1, 2)
    image = axes[0].imshow([[0.0, 1.0]], **style.positive_style(vmax=1))
    bar = style.add_colorbar(image, axes, extend="both")
    assert bar.extend == "both"
    assert len(fig.axes) == 3


def test_colorbar_goes_into_the_subfigure_of_its_panel():
    fig = Figure()
    left, right = fig.subfigures(1, 2)
    ax = right.add_subplot()
    style.add_colorbar(ax.imshow([[1.0]]), ax)
    assert len(right.axes) == 2 and not left.axes


def test_as_pixels_checks_shape_and_range():
    assert style.as_pixels(np.zeros((2, 3, 3), dtype=np.uint8)).shape == (2, 3, 3)
    with pytest.raises(ValueError, match=r"shape \(H, W\), got"):
        style.as_pixels(np.zeros((2, 3, 3)), layout="gray")
    with pytest.raises(ValueError, match="from 0 to 255, got values from -1"):
        style.as_pixels(np.array([[-1, 2]]))
    with pytest.raises(TypeError, match="`photo` must be an array of pixels"):
        style.as_pixels("cat.png", "photo")


# ---------------------------------------------------------------- numbers


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (3.0, "3"),
        (-2, "-2"),
        (-0.0, "0"),
        (-0.5, "-0.5"),
        (1.25, "1.25"),
        (12.25, "12.25"),
        (1 / 3, "0.333"),
        (2 / 3, "0.667"),
        (0.001, "0.001"),
        (123456.5, "123456.5"),
        (float("nan"), "nan"),
        (np.float32(0.5), "0.5"),
    ],
)
def test_format_number_worked_by_hand(value, text):
    assert style.format_number(value) == text


def test_format_number_rounds_first_when_asked():
    assert style.format_number(127.6, decimals=0) == "128"
    assert style.format_number(-0.04, decimals=1) == "0", "never -0"
    assert style.format_number(1 / 3, decimals=2) == "0.33"


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (1 / 9, "1/9"),
        (2 / 9, "2/9"),
        (-1 / 16, "-1/16"),
        (0.5, "1/2"),
        (3.0, "3"),
        (-2.0, "-2"),
        (0.123, "0.123"),
        (np.pi, "3.14"),
    ],
)
def test_format_fraction_writes_simple_fractions(value, text):
    assert style.format_fraction(value) == text


def test_format_number_is_the_one_the_1d_widget_imports():
    from cnnlib.plotting.convolution1d import format_number

    assert format_number is style.format_number is plotting.format_number


@pytest.mark.parametrize(
    ("colour", "ink"),
    [
        ("black", "white"),
        ("white", "black"),
        ("navy", "white"),
        ("yellow", "black"),
        ((0.4, 0.4, 0.4), "white"),
        ((0.6, 0.6, 0.6), "black"),
    ],
)
def test_ink_on_picks_the_readable_text_colour(colour, ink):
    assert style.ink_on(colour) == ink


def test_fit_fontsize_shrinks_for_long_numbers_and_many_cells():
    assert style.fit_fontsize(np.ones((3, 3)), 12) == 12
    assert style.fit_fontsize(np.full((3, 3), 0.125), 10) == pytest.approx(6.0)  # 5 characters: 10 * 3 / 5
    assert style.fit_fontsize(np.ones((6, 2)), 10) == pytest.approx(5.0)  # 6 rows: 10 * 3 / 6
    assert style.fit_fontsize([[1 / 9]], 10, style.format_fraction) == 10  # "1/9" is 3 characters


# ---------------------------------------------------------------- axes


def test_pixel_axes_names_column_and_row_and_puts_row_0_on_top():
    ax = new_axes()
    style.pixel_axes(ax, (2, 3), every=1)
    assert (ax.get_xlabel(), ax.get_ylabel()) == ("column", "row")
    assert ax.get_xticks().tolist() == [0, 1, 2] and ax.get_yticks().tolist() == [0, 1]
    assert ax.get_xlim() == (-0.5, 2.5) and ax.get_ylim() == (1.5, -0.5)


def test_pixel_axes_numbers_a_patch_from_its_first_row_and_column():
    ax = new_axes()
    style.pixel_axes(ax, (2, 2), first=(5, 7), every=1, xlabel="x", ylabel="y")
    assert [t.get_text() for t in ax.get_xticklabels()] == ["7", "8"]
    assert [t.get_text() for t in ax.get_yticklabels()] == ["5", "6"]
    assert ax.get_ylim() == (6.5, 4.5)
    assert (ax.get_xlabel(), ax.get_ylabel()) == ("x", "y")


def test_pixel_axes_for_a_grid_drawn_from_cell_corners():
    ax = new_axes()
    style.pixel_axes(ax, (4, 4), every=2, corner=True)
    assert ax.get_xlim() == (0, 4) and ax.get_ylim() == (4, 0)
    assert ax.get_xticks().tolist() == [0.5, 2.5]
    assert [t.get_text() for t in ax.get_xticklabels()] == ["0", "2"]
    with pytest.raises(ValueError, match="`every`"):
        style.pixel_axes(new_axes(), (4, 4), corner=True)


def test_pixel_axes_ticks_whole_pixels_only_and_can_hide_them():
    ax = new_axes()
    ax.imshow(np.zeros((4, 4)))
    style.pixel_axes(ax)
    ax.figure.draw_without_rendering()
    assert all(float(t).is_integer() for t in ax.get_xticks())
    bare = new_axes()
    style.pixel_axes(bare, every=0, xlabel=None, ylabel=None)
    assert not len(bare.get_xticks()) and bare.get_xlabel() == ""


def test_panel_makes_a_figure_or_draws_into_the_given_axes():
    fig, ax = style.panel(figsize=(4, 3), dpi=100)
    assert isinstance(fig, Figure) and fig.axes == [ax]
    assert tuple(fig.get_size_inches()) == (4, 3)
    host = Figure()
    sub = host.subfigures(1, 2)[1]
    given = sub.add_subplot()
    assert style.panel(given, figsize=(9, 9)) == (sub, given), "the figure of the axes: here a subfigure"
    with pytest.raises(TypeError, match="`ax` must be a matplotlib Axes"):
        style.panel("ax", figsize=(1, 1))


# ---------------------------------------------------------------- the number grid


def test_number_grid_of_one_and_minus_two():
    ax = new_axes()
    image = style.number_grid(ax, [[1, -2]])
    assert texts(ax) == ["1", "-2"]
    assert image.get_cmap().name == "RdBu_r" and image.get_clim() == (-2.0, 2.0)
    # -2 is the bottom of the map (dark blue): white ink; 1 is 3/4 of the way up (light red): black ink
    dark, light = colormaps["RdBu_r"](0.0), colormaps["RdBu_r"](0.75)
    assert luminance(dark) < 0.5 < luminance(light)
    assert [t.get_color() for t in ax.texts] == ["black", "white"]
    assert [t.get_position() for t in ax.texts] == [(0, 0), (1, 0)]
    assert (ax.get_xlabel(), ax.get_ylabel()) == ("column", "row")


def test_number_grid_on_gray_pixels_writes_white_on_dark_and_black_on_light():
    ax = new_axes()
    style.number_grid(ax, [[0, 127], [128, 255]], **style.gray_style(), zero_ink="0.45")
    assert texts(ax) == ["0", "127", "128", "255"]
    assert [t.get_color() for t in ax.texts] == ["0.45", "white", "black", "black"]


def test_number_grid_leaves_hidden_cells_blank_and_uses_the_formatter():
    ax = new_axes()
    shown = np.array([[True, True], [False, False]])
    image = style.number_grid(
        ax, [[1 / 9, 0.5], [2.0, 3.0]], shown=shown, formatter=style.format_fraction, title="kernel"
    )
    assert texts(ax) == ["1/9", "1/2"]
    assert image.get_array().mask.tolist() == [[False, False], [True, True]]
    assert ax.get_title() == "kernel"


def test_number_grid_without_colours_offset_and_without_lines():
    ax = new_axes()
    image = style.number_grid(ax, [[3.0, -1.0]], cmap=None, lines=None, first=(4, 10), fontsize=9)
    assert [t.get_color() for t in ax.texts] == ["black", "black"]
    assert [t.get_position() for t in ax.texts] == [(10, 4), (11, 4)]
    assert [t.get_fontsize() for t in ax.texts] == [9, 9]
    assert image.get_extent() == [9.5, 11.5, 4.5, 3.5]
    assert not any(line.get_visible() for line in ax.xaxis.get_minorticklines())
    with pytest.raises(ValueError, match="`values` must be 2-D"):
        style.number_grid(new_axes(), [1, 2, 3])


# ---------------------------------------------------------------- one home for the conventions


def plotting_sources():
    return {path.name: path.read_text() for path in sorted(PLOTTING.glob("*.py")) if path.name != "style.py"}


def test_only_style_names_the_signed_colormap():
    for name, source in plotting_sources().items():
        assert "RdBu" not in source, f"{name} spells out the signed colormap; use style.SIGNED_CMAP / signed_style"


def test_only_style_writes_numbers_into_grid_cells():
    writes_cells = re.compile(r"for \(\w+, \w+\), \w+ in np\.ndenumerate\([^\n]*\n(?:[^\n]*\n){0,3}?[^\n]*\.text\(")
    for name, source in plotting_sources().items():
        assert not re.search(r"def \w*(number_grid|cell_numbers)\b", source), f"{name} defines its own number grid"
        assert not writes_cells.search(source), f"{name} writes numbers cell by cell; use style.number_grid"


def test_every_module_is_listed_in_the_package_and_exports_its_names():
    init = (PLOTTING / "__init__.py").read_text()
    for path in PLOTTING.glob("*.py"):
        if path.name != "__init__.py":
            assert f"from .{path.stem} import *" in init, f"{path.stem} is not star-imported by the package"
    for name in style.__all__:
        assert getattr(plotting, name) is getattr(style, name)


def _png_of(fig) -> bytes:
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png")
    return buffer.getvalue()


def test_an_opaque_figure_is_stored_as_the_same_pixels_in_rgb_and_fewer_bytes():
    fig = Figure(figsize=(3, 2), dpi=80)
    fig.subplots().imshow(np.random.default_rng(0).random((20, 30)), cmap="viridis")
    rgba = _png_of(fig)
    rgb = plotting.opaque_png_as_rgb(rgba)
    before, after = Image.open(io.BytesIO(rgba)), Image.open(io.BytesIO(rgb))
    assert (before.mode, after.mode) == ("RGBA", "RGB")
    assert np.array_equal(np.asarray(before)[..., :3], np.asarray(after))
    assert len(rgb) < 0.95 * len(rgba)
    assert after.text.get("Software", "").startswith("Matplotlib")  # matplotlib's own note is kept


def test_a_png_with_transparency_or_without_alpha_is_left_as_it_is():
    fig = Figure(figsize=(2, 1), dpi=50)
    fig.subplots().plot([0, 1])
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", transparent=True)
    assert plotting.opaque_png_as_rgb(buffer.getvalue()) == buffer.getvalue()
    gray = io.BytesIO()
    Image.new("L", (4, 4), 128).save(gray, format="png")
    assert plotting.opaque_png_as_rgb(gray.getvalue()) == gray.getvalue()


def test_in_a_notebook_figures_are_stored_as_rgb_pngs_pyplot_ones_too():
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [
        nbformat.v4.new_code_cell(source)
        for source in (
            "import numpy as np\nfrom cnnlib import plotting\nplotting.photo_figure(np.zeros((4, 4)))",
            "import matplotlib.pyplot as plt\nplt.plot([0, 1]);",
        )
    ]
    nbclient.NotebookClient(notebook, kernel_name="python3", timeout=120).execute()
    modes = [
        Image.open(io.BytesIO(base64.b64decode(output["data"]["image/png"]))).mode
        for cell in notebook.cells
        for output in cell.outputs
        if "image/png" in output.get("data", {})
    ]
    assert modes == ["RGB", "RGB"]
