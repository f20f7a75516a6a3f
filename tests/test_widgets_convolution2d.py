"""cnnlib.widgets.convolution2d: driving the widgets of notebook 03 changes what they draw."""

import ipywidgets
import numpy as np
import pytest
import scipy.signal
from widget_helpers import png_of, shown_error, shown_png

from cnnlib import plotting, widgets
from cnnlib.kernels import KERNELS

IMAGE = np.array([[1, 1, 1, 0, 0], [0, 1, 1, 1, 0], [0, 0, 1, 1, 1], [0, 0, 1, 1, 0], [0, 1, 1, 0, 0]])
KERNEL = np.array([[1, 0, 1], [0, 1, 0], [1, 0, 1]])


def photo(shape=(24, 30)):
    return np.random.default_rng(3).integers(0, 256, size=shape).astype(float)


def drawn(fig):
    """What a figure shows, comparable between two figures: titles, image data, texts and limits."""
    return [
        (
            ax.get_title(),
            [np.ma.getdata(im.get_array()).tolist() for im in ax.images],
            [im.get_clim() for im in ax.images],
            [t.get_text() for t in ax.texts],
        )
        for ax in fig.axes
    ]


# --- sliding_window_widget ---------------------------------------------------------------------


def test_sliding_window_widget_is_a_box_of_play_slider_and_picture():
    explorer = widgets.sliding_window_widget(IMAGE, KERNEL)
    assert isinstance(explorer, widgets.FigureExplorer) and isinstance(explorer, ipywidgets.VBox)
    controls, picture = explorer.children
    assert controls.children == (explorer.play, explorer.step)
    assert picture is explorer.picture and isinstance(picture, ipywidgets.Output)
    assert explorer.caption is None and explorer.controls == {"step": explorer.step}
    assert (explorer.step.min, explorer.step.value, explorer.step.max) == (0, 0, 8)
    assert explorer.play.max == explorer.step.max


def test_sliding_window_widget_starts_as_the_static_figure():
    explorer = widgets.sliding_window_widget(IMAGE, KERNEL)
    assert drawn(explorer.figure) == drawn(plotting.sliding_window_figure(IMAGE, KERNEL, (0, 0)))
    assert shown_png(explorer) == png_of(plotting.sliding_window_figure(IMAGE, KERNEL, (0, 0)))


def test_moving_the_step_slider_moves_the_kernel_row_by_row():
    explorer = widgets.sliding_window_widget(IMAGE, KERNEL)
    explorer.step.value = 5
    assert explorer.position == (1, 2)
    assert explorer.figure.axes[2].get_title() == "output, shape (3, 3): out[1, 2] = 3"
    assert drawn(explorer.figure) == drawn(plotting.sliding_window_figure(IMAGE, KERNEL, (1, 2)))
    explorer.step.value = 8
    assert explorer.figure.axes[2].images[0].get_array().mask.sum() == 0, "the last step fills the whole output"


def test_sliding_window_widget_on_a_non_square_image():
    explorer = widgets.sliding_window_widget(np.arange(12).reshape(3, 4), np.ones((2, 2)))
    assert explorer.step.max == 5  # 2 x 3 output positions
    explorer.step.value = 4
    assert explorer.position == (1, 1)


def test_sliding_window_widget_keeps_its_own_copy_of_the_image():
    image = IMAGE.copy()
    explorer = widgets.sliding_window_widget(image, KERNEL)
    image[:] = 0
    explorer.step.value = 1
    assert explorer.figure.axes[2].get_title().endswith("out[0, 1] = 3")


def test_sliding_window_widget_bad_arguments():
    with pytest.raises(ValueError, match="larger than the image"):
        widgets.sliding_window_widget(np.ones((2, 2)), KERNEL)
    with pytest.raises(TypeError, match="`image` must be a numeric array"):
        widgets.sliding_window_widget(None, KERNEL)


# --- kernel_editor -----------------------------------------------------------------------------


def test_kernel_editor_layout():
    editor = widgets.kernel_editor(photo())
    assert isinstance(editor, widgets.FigureExplorer) and isinstance(editor, ipywidgets.VBox)
    controls, picture = editor.children
    assert picture is editor.picture
    assert editor.preset in controls.children and editor.caption in controls.children
    assert len(editor.entries) == 9
    assert list(editor.controls) == ["preset", "w00", "w01", "w02", "w10", "w11", "w12", "w20", "w21", "w22"]
    assert editor.w12 is editor.entries[5]
    assert all(isinstance(entry, ipywidgets.BoundedFloatText) for entry in editor.entries)
    assert list(editor.preset.options) == [*KERNELS, "custom"]


def test_kernel_editor_starts_as_the_static_figure():
    image = photo()
    editor = widgets.kernel_editor(image)
    assert editor.preset.value == "Sobel x"
    sobel_x = KERNELS["Sobel x"]
    np.testing.assert_array_equal(editor.kernel, sobel_x)
    assert drawn(editor.figure) == drawn(plotting.filtered_image_figure(image, sobel_x, "Sobel x"))
    assert shown_png(editor) == png_of(plotting.filtered_image_figure(image, sobel_x, "Sobel x"))
    np.testing.assert_allclose(editor.feature_map, scipy.signal.correlate2d(image, sobel_x, "valid"))
    assert "add up to 0" in editor.caption.value


def test_editing_one_weight_redraws_the_feature_map_and_switches_to_custom():
    image = photo()
    editor = widgets.kernel_editor(image)
    before = editor.figure.axes[2].images[0].get_array().copy()
    editor.entries[4].value = 1.0  # the centre weight: Sobel x plus the identity
    expected_kernel = np.array([[-1, 0, 1], [-2, 1, 2], [-1, 0, 1]])
    expected = scipy.signal.correlate2d(image, expected_kernel, mode="valid")
    np.testing.assert_allclose(editor.kernel, expected_kernel)
    np.testing.assert_allclose(editor.feature_map, expected)
    shown = editor.figure.axes[2].images[0]
    np.testing.assert_allclose(shown.get_array(), expected)
    assert not np.allclose(shown.get_array(), before)
    assert editor.preset.value == "custom"
    assert editor.figure.axes[1].get_title() == "kernel: custom"
    assert [t.get_text() for t in editor.figure.axes[1].texts][4] == "1"
    assert shown.get_cmap().name.startswith("gray"), "the weights now add up to 1: an image-like map"
    assert "add up to 1" in editor.caption.value


def test_a_weight_sum_near_zero_is_drawn_signed():
    editor = widgets.kernel_editor(photo())
    editor.entries[4].value = 0.01  # Sobel x adds up to 0.01 now: 0.01 is 0.1% of the absolute sum 8.01
    shown = editor.figure.axes[2].images[0]
    low, high = shown.get_clim()
    assert shown.get_cmap().name.startswith("RdBu_r") and low == -high
    assert "add up to 0.01, nearly 0" in editor.caption.value and "signed" in editor.caption.value


def test_choosing_a_preset_fills_in_its_weights_and_redraws_once(monkeypatch):
    image = photo()
    editor = widgets.kernel_editor(image)
    editor.entries[0].value = 7.0
    redraws = []
    original = widgets.KernelEditor.redraw

    def counting(self):
        redraws.append(self.kernel.copy())
        original(self)

    monkeypatch.setattr(widgets.KernelEditor, "redraw", counting)
    editor.preset.value = "Gaussian blur"
    assert len(redraws) == 1, "nine weights change, but the photo is filtered once"
    np.testing.assert_allclose(editor.kernel, KERNELS["Gaussian blur"])
    assert [entry.value for entry in editor.entries] == pytest.approx(np.array([1, 2, 1, 2, 4, 2, 1, 2, 1]) / 16)
    np.testing.assert_allclose(
        editor.figure.axes[2].images[0].get_array(),
        scipy.signal.correlate2d(image, KERNELS["Gaussian blur"], mode="valid"),
    )
    assert editor.preset.value == "Gaussian blur"


def test_choosing_custom_keeps_the_weights():
    editor = widgets.kernel_editor(photo(), preset="sharpen")
    editor.preset.value = "custom"
    np.testing.assert_allclose(editor.kernel, KERNELS["sharpen"])
    assert editor.figure.axes[1].get_title() == "kernel: custom"


def test_kernel_editor_does_not_change_the_presets():
    editor = widgets.kernel_editor(photo(), preset="Laplacian")
    editor.entries[0].value = 3.0
    assert KERNELS["Laplacian"][0, 0] == 0


@pytest.mark.parametrize(
    ("args", "kwargs", "error", "match"),
    [
        ((np.ones((2, 5)),), {}, ValueError, "larger than the image"),
        ((np.ones(9),), {}, ValueError, "`image` must be 2-D"),
        ((photo(),), {"preset": "blur"}, ValueError, "`preset` must be one of"),
        ((photo(),), {"preset": "custom"}, ValueError, "`preset` must be one of"),
    ],
)
def test_kernel_editor_bad_arguments(args, kwargs, error, match):
    with pytest.raises(error, match=match):
        widgets.kernel_editor(*args, **kwargs)


def test_reprs_are_short_and_stable_for_pages_without_widgets():
    assert repr(widgets.sliding_window_widget(IMAGE, KERNEL)) == (
        "SlidingWindowExplorer(image shape (5, 5), kernel shape (3, 3), step 0 of 8)"
    )
    assert repr(widgets.kernel_editor(photo())) == "KernelEditor(image shape (24, 30), preset 'Sobel x')"


def test_the_picture_shows_the_current_figure_as_a_png():
    editor = widgets.kernel_editor(photo())
    first = shown_png(editor)
    assert first.startswith(b"\x89PNG")
    assert editor.picture.outputs[0]["data"]["text/plain"] == repr(editor.figure)
    editor.entries[8].value = 5.0
    assert shown_png(editor) != first
    explorer = widgets.sliding_window_widget(IMAGE, KERNEL)
    first = shown_png(explorer)
    explorer.step.value = 3
    assert shown_png(explorer) != first
    assert shown_png(explorer) == png_of(plotting.sliding_window_figure(IMAGE, KERNEL, (1, 0)))


def test_an_error_while_drawing_is_shown_in_the_picture_not_lost(monkeypatch):
    editor = widgets.kernel_editor(photo())

    def broken(*args, **kwargs):
        raise RuntimeError("cannot draw")

    monkeypatch.setattr(widgets.convolution2d, "filtered_image_figure", broken)
    editor.entries[0].value = 1.0
    assert shown_error(editor) == "RuntimeError: cannot draw\n"
    assert editor.figure is None
    monkeypatch.undo()
    editor.entries[0].value = 2.0
    assert editor.figure.axes[1].get_title() == "kernel: custom", "the next edit draws again"
