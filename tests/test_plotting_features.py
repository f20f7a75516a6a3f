"""cnnlib.plotting.features: the figures of notebook 09 on what each layer makes of an image."""

import numpy as np
import pytest
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

from cnnlib import plotting
from cnnlib.kernels import KERNELS, kernel_similarity
from cnnlib.shapes import ReceptiveField

SOBEL_X = np.array([[-1.0, 0.0, 1.0], [-2.0, 0.0, 2.0], [-1.0, 0.0, 1.0]])


def image_axes(fig):
    return [ax for ax in fig.axes if ax.images and ax.get_label() != "<colorbar>"]


# ---------------------------------------------------------------- filter_match_figure


def test_filter_match_figure_writes_every_similarity_and_draws_every_filter():
    filters = np.random.default_rng(3).normal(size=(5, 1, 3, 3))
    kernels = {name: KERNELS[name] for name in ("Sobel x", "Sobel y", "Laplacian")}
    fig = plotting.filter_match_figure(filters, kernels)
    assert isinstance(fig, Figure)
    heat = next(ax for ax in fig.axes if ax.images and ax.images[0].get_array().shape == (5, 3))
    similarity = kernel_similarity(filters, kernels)
    np.testing.assert_array_equal(heat.images[0].get_array(), similarity)
    assert heat.images[0].get_cmap().name == "RdBu_r" and heat.images[0].get_clim() == (-1, 1)
    texts = [t for t in heat.texts]
    assert [t.get_text() for t in texts] == [f"{v:+.2f}" for v in similarity.ravel()]
    bold = [(int(t.get_position()[1]), int(t.get_position()[0])) for t in texts if t.get_fontweight() == "bold"]
    assert bold == [(f, int(np.argmax(np.abs(similarity[f])))) for f in range(5)]
    small = [ax for ax in image_axes(fig) if ax is not heat]
    assert len(small) == 5 + 3
    assert [ax.get_title() for ax in small if ax.get_title()] == list(kernels)
    assert [ax.get_ylabel() for ax in small if ax.get_ylabel()] == [f"filter {f}" for f in range(5)]


def test_filter_match_figure_wants_named_kernels():
    with pytest.raises(TypeError, match="`kernels` must be a non-empty dict"):
        plotting.filter_match_figure(np.ones((2, 3, 3)), [SOBEL_X])


# ---------------------------------------------------------------- layer_maps_figure, channel_maps_figure


def small_maps():
    rng = np.random.default_rng(4)
    images = rng.uniform(0, 1, (3, 1, 8, 8))
    conv = rng.normal(size=(3, 2, 6, 6))
    return images, {
        "conv1": conv,
        "relu1": np.maximum(conv, 0),
        "pool1": np.maximum(conv, 0)[:, :, ::2, ::2],
        "conv2": rng.normal(size=(3, 4, 2, 2)),
        "dense1": rng.normal(size=(3, 5)),
    }


def test_layer_maps_figure_has_a_row_per_layer_and_a_scale_per_row():
    images, maps = small_maps()
    fig = plotting.layer_maps_figure(images, maps, index=2, title="three")
    assert fig._suptitle.get_text() == "three"
    shown = image_axes(fig)
    assert len(shown) == 1 + 2 + 2 + 2 + 4  # the input, then every channel of the 4-D layers (dense1 skipped)
    np.testing.assert_array_equal(shown[0].images[0].get_array(), images[2, 0])
    assert shown[0].images[0].get_cmap().name == "gray"
    rows = {"conv1": shown[1:3], "relu1": shown[3:5], "pool1": shown[5:7], "conv2": shown[7:11]}
    for name, axes in rows.items():
        values = maps[name][2]
        for c, ax in enumerate(axes):
            np.testing.assert_array_equal(ax.images[0].get_array(), values[c])
        clims = {ax.images[0].get_clim() for ax in axes}
        assert len(clims) == 1, f"{name}: one colour scale per row"
        low, high = clims.pop()
        if name.startswith("conv"):
            assert axes[0].images[0].get_cmap().name == "RdBu_r" and low == -high == -np.abs(values).max()
        else:
            assert axes[0].images[0].get_cmap().name == "viridis" and (low, high) == (0.0, values.max())
    assert sum(ax.get_label() == "<colorbar>" for ax in fig.axes) == 4
    assert shown[1].get_ylabel() == "conv1\n2 × 6 × 6"


def test_channel_maps_figure_shows_one_layer_of_one_image():
    images, maps = small_maps()
    fig = plotting.channel_maps_figure(images, maps, index=1, layer="conv2")
    shown = image_axes(fig)
    assert len(shown) == 1 + 4
    for c, ax in enumerate(shown[1:]):
        np.testing.assert_array_equal(ax.images[0].get_array(), maps["conv2"][1, c])
        assert ax.get_title() == f"channel {c}"
    assert fig._suptitle.get_text() == "image 1 after conv2: 4 maps of 2 × 2"
    default = plotting.channel_maps_figure(images, maps)
    assert default._suptitle.get_text() == "image 0 after conv1: 2 maps of 6 × 6"


def test_channel_maps_figure_puts_sixteen_maps_in_two_rows_of_eight():
    maps = {"conv2": np.random.default_rng(5).normal(size=(1, 16, 3, 3))}
    fig = plotting.channel_maps_figure(np.zeros((1, 8, 8)), maps)
    positions = sorted({round(ax.get_position().y0, 3) for ax in image_axes(fig)[1:]})
    assert len(image_axes(fig)) == 17 and len(positions) == 2


@pytest.mark.parametrize(
    ("call", "error", "says"),
    [
        (lambda im, m: plotting.layer_maps_figure(im, m, index=3), ValueError, "below the number of images, 3"),
        (lambda im, m: plotting.layer_maps_figure(im, m, index=-1), ValueError, "`index`"),
        (lambda im, m: plotting.layer_maps_figure(im[:2], m), ValueError, r"one map per image \(N=2\)"),
        (lambda im, m: plotting.layer_maps_figure(im, {"dense1": m["dense1"]}), ValueError, "at least one"),
        (lambda im, m: plotting.layer_maps_figure(im, list(m.values())), TypeError, "`maps` must be a dict"),
        (lambda im, m: plotting.layer_maps_figure(np.zeros((3, 3, 8, 8)), m), ValueError, "grayscale"),
        (lambda im, m: plotting.channel_maps_figure(im, m, layer="dense1"), ValueError, r"one of \['conv1'"),
    ],
)
def test_map_figures_name_bad_arguments(call, error, says):
    images, maps = small_maps()
    with pytest.raises(error, match=says):
        call(images, maps)


# ---------------------------------------------------------------- top_activations_figure


def test_top_activations_figure_ranks_images_by_their_largest_value_and_outlines_its_field():
    rng = np.random.default_rng(6)
    images = rng.uniform(0, 1, (5, 12, 12))
    maps = rng.uniform(0, 1, (5, 2, 3, 3))
    maps[3, 1, 2, 1] = 9.0  # image 3 first, its strongest unit at (2, 1)
    maps[1, 1, 0, 0] = maps[4, 1, 1, 2] = 5.0  # images 1 and 4 tie second: the lower index first
    fig = plotting.top_activations_figure(images, maps, [1], field=ReceptiveField(6, 3), k=3, average_of=1)
    axes = image_axes(fig)
    assert [ax.get_title() for ax in axes[1:]] == ["#3: 9.00", "#1: 5.00", "#4: 5.00"]
    [box] = [p for p in axes[1].patches if isinstance(p, Rectangle)]
    assert (box.get_x(), box.get_y(), box.get_width()) == (3 * 1 - 0.5, 3 * 2 - 0.5, 6)
    # the mean of the top 1 patch is image 3's 6 x 6 patch at rows 6-11, columns 3-8
    np.testing.assert_array_equal(axes[0].images[0].get_array(), images[3, 6:12, 3:9])
    assert axes[0].get_ylabel() == "channel 1"


def test_top_activations_figure_averages_the_top_patches():
    images = np.arange(2 * 4 * 4, dtype=float).reshape(2, 4, 4)
    maps = np.zeros((2, 1, 2, 2))
    maps[0, 0, 0, 0], maps[1, 0, 1, 1] = 2.0, 1.0
    fig = plotting.top_activations_figure(images, maps, [0], field=(2, 2), k=2, average_of=2)
    expected = (images[0, 0:2, 0:2] + images[1, 2:4, 2:4]) / 2
    np.testing.assert_array_equal(image_axes(fig)[0].images[0].get_array(), expected)


@pytest.mark.parametrize(
    ("kwargs", "says"),
    [
        ({"channels": [2]}, "channels below 2"),
        ({"channels": []}, "non-empty"),
        ({"k": 0}, "`k`"),
        ({"maps": np.zeros((4, 2, 3, 3))}, "one map per image"),
    ],
)
def test_top_activations_figure_names_bad_arguments(kwargs, says):
    arguments = {"images": np.zeros((5, 8, 8)), "maps": np.zeros((5, 2, 3, 3)), "channels": [0], "k": 2}
    arguments.update(kwargs)
    with pytest.raises(ValueError, match=says):
        plotting.top_activations_figure(
            arguments["images"], arguments["maps"], arguments["channels"], field=(4, 2), k=arguments["k"]
        )
