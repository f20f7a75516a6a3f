"""cnnlib.plotting.faces: the face-detector figures of notebook 09 draw the images and numbers they are given."""

import numpy as np
import pytest
from matplotlib.patches import Rectangle

from cnnlib import plotting


def image_axes(fig):
    return [ax for ax in fig.axes if ax.images and ax.get_label() != "<colorbar>"]


def test_face_samples_figure_shows_faces_first():
    images = np.stack([np.full((5, 5), float(n)) for n in range(6)])
    labels = np.array([0, 1, 0, 1, 1, 0])
    fig = plotting.face_samples_figure(images, labels, per_class=2)
    shown = [ax.images[0].get_array()[0, 0] for ax in image_axes(fig)]
    assert shown == [1.0, 3.0, 0.0, 2.0]
    assert [ax.get_ylabel() for ax in fig.axes if ax.get_ylabel()] == ["face", "non-face"]


def test_class_means_figure_shows_each_class_average_and_their_difference():
    rng = np.random.default_rng(7)
    images, labels = rng.uniform(0, 255, (10, 1, 6, 6)), np.array([1, 0] * 5)
    face, other = images[labels == 1, 0].mean(axis=0), images[labels == 0, 0].mean(axis=0)
    arrays = [ax.images[0].get_array() for ax in image_axes(plotting.class_means_figure(images, labels))]
    for got, expected in zip(arrays, [face, other, face - other], strict=True):
        np.testing.assert_allclose(got, expected)
    with pytest.raises(ValueError, match="hold both 0 and 1"):
        plotting.class_means_figure(images, np.ones(10, dtype=int))


def test_occlusion_figure_outlines_the_square_centred_on_the_largest_drop():
    drops = np.zeros((2, 5, 5))
    drops[0, 1, 1] = 0.05
    drops[1, 3, 1] = 0.2  # square of side 3 centred on row 3, column 1: rows 2-4, columns 0-2
    drops[1, 0, 4] = -0.1  # hiding this one raised P(face)
    fig = plotting.occlusion_figure(np.zeros((2, 5, 5)), drops, size=3)
    axes = image_axes(fig)
    [box] = [p for p in axes[1].patches if isinstance(p, Rectangle)]
    assert (box.get_x(), box.get_y(), box.get_width()) == (-0.5, 1.5, 3)
    assert [axes[2].get_title(), axes[3].get_title()] == ["largest drop 0.05", "largest drop 0.20"]
    assert axes[3].images[0].get_array().shape == (5, 5), "one value per pixel, drawn over the image's pixels"
    assert {ax.images[0].get_cmap().name for ax in axes[2:]} == {"RdBu_r"}
    assert all(ax.images[0].get_clim() == (-0.2, 0.2) for ax in axes[2:]), "one scale, centred on 0"
    assert any(ax.get_label() == "<colorbar>" and "drop in P(face)" in ax.get_ylabel() for ax in fig.axes)


def test_occlusion_figure_wants_one_drop_per_pixel():
    with pytest.raises(ValueError, match=r"must have the images' shape \(2, 5, 5\) \(one per pixel"):
        plotting.occlusion_figure(np.zeros((2, 5, 5)), np.zeros((2, 3, 3)), size=3)


def test_the_difference_of_the_averages_is_centred_on_zero():
    images = np.stack([np.full((3, 3), 4.0), np.full((3, 3), 1.0)])  # a face of 4s, a non-face of 1s
    difference = image_axes(plotting.class_means_figure(images, [1, 0]))[2].images[0]
    assert difference.get_cmap().name == "RdBu_r" and difference.get_clim() == (-3.0, 3.0)


def test_every_public_name_is_exported():
    for name in plotting.faces.__all__:
        assert getattr(plotting, name) is getattr(plotting.faces, name)
