"""cnnlib.images: pixel scaling and RGB -> gray, by hand and against Pillow's own conversion (ITU-R 601-2 luma)."""

import numpy as np
import pytest
from PIL import Image

from cnnlib import data, images


def test_scale_pixels_by_hand():
    out = images.scale_pixels(np.array([[0, 51], [102, 255]], dtype=np.uint8))
    assert out.dtype == np.float64
    np.testing.assert_allclose(out, [[0.0, 0.2], [0.4, 1.0]])  # 51 / 255 = 1/5
    np.testing.assert_allclose(images.scale_pixels([0, 255]), [0.0, 1.0])  # plain ints are pixels too


def test_scale_pixels_of_mnist_is_in_unit_range():
    x = images.scale_pixels(data.load_mnist().test_images)
    assert x.shape == (10000, 28, 28) and x.min() == 0.0 and x.max() == 1.0


def test_rgb_to_gray_by_hand():
    pixels = np.array([[255, 0, 0], [0, 255, 0], [0, 0, 255], [255, 255, 255], [0, 0, 0]], dtype=np.uint8)
    # BT.601: 0.299 * 255 = 76.245, 0.587 * 255 = 149.685, 0.114 * 255 = 29.07; white stays 255
    np.testing.assert_allclose(images.rgb_to_gray(pixels), [76.245, 149.685, 29.07, 255.0, 0.0])
    assert images.rgb_to_gray(pixels)[3] == 255.0
    assert images.BT601_WEIGHTS == (0.299, 0.587, 0.114)


def test_rgb_to_gray_shapes():
    assert images.rgb_to_gray(np.zeros((4, 5, 3))).shape == (4, 5)
    assert images.rgb_to_gray(np.zeros((2, 4, 5, 3))).shape == (2, 4, 5)


@pytest.mark.parametrize("name", ["astronaut", "chelsea", "coffee"])
def test_rgb_to_gray_matches_pillow(name):
    photo = data.load_photo(name)
    reference = np.asarray(Image.fromarray(photo).convert("L"), dtype=float)  # ITU-R 601-2 luma
    gray = images.rgb_to_gray(photo)
    assert gray.shape == photo.shape[:2]
    assert np.abs(np.rint(gray) - reference).max() <= 1  # Pillow rounds with 16-bit fixed-point weights


def test_scale_pixels_names_a_ragged_list():
    with pytest.raises(TypeError, match="`images` must be an array with a regular shape"):
        images.scale_pixels([[1, 2], [3]])
