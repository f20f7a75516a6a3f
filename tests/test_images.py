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


# ---------------------------------------------------------------- to_mnist_digit


def place(digit, canvas_shape, top, left, scale):
    """An MNIST digit drawn ``scale`` times larger at (top, left) on a black canvas, 0-255."""
    big = np.kron(digit, np.ones((scale, scale)))
    canvas = np.zeros(canvas_shape)
    canvas[top : top + big.shape[0], left : left + big.shape[1]] = big
    return canvas


def test_mnist_digits_come_back_as_themselves():
    # MNIST's digits were made this way already: 20 x 20 box, centre of mass at the centre
    test = data.load_mnist().test_images[:300]
    made = np.array([images.to_mnist_digit(d) for d in test])
    assert made.shape == (300, 28, 28) and made.min() >= 0 and made.max() <= 1
    assert np.abs(made - test / 255).max() < 0.05


@pytest.mark.parametrize("index", [0, 1, 2, 3, 4])
def test_where_and_how_large_the_digit_is_drawn_does_not_matter(index):
    digit = data.load_mnist().test_images[index].astype(float)
    drawings = [
        place(digit, (300, 400), 10, 20, 3),
        place(digit, (300, 400), 150, 300, 3),
        place(digit, (300, 400), 40, 100, 9),
        place(digit, (100, 100), 60, 2, 1),
    ]
    made = [images.to_mnist_digit(d) for d in drawings]
    for other in made[1:]:
        assert np.abs(other - made[0]).mean() < 0.02
        assert np.corrcoef(other.ravel(), made[0].ravel())[0, 1] > 0.97


def test_the_box_is_20_pixels_and_the_centre_of_mass_is_at_14():
    canvas = np.zeros((90, 60))
    canvas[10:70, 5:25] = 1.0  # a 60 x 20 bar, values 0-1: scaled by 1/3 to 20 x 7 (6.67 rounded)
    digit = images.to_mnist_digit(canvas)
    rows, cols = np.flatnonzero(digit.any(axis=1)), np.flatnonzero(digit.any(axis=0))
    assert rows[-1] - rows[0] + 1 == 20 and cols[-1] - cols[0] + 1 == 7
    mass = digit.sum()
    assert abs(digit.sum(axis=1) @ np.arange(28) / mass - 14) <= 0.5
    assert abs(digit.sum(axis=0) @ np.arange(28) / mass - 14) <= 0.5
    assert digit.max() == 1.0


def test_area_averaging_keeps_a_thin_stroke():
    canvas = np.zeros((400, 400))
    canvas[:, 200] = 255  # a 1-pixel line, shrunk 20 times: every-20th-pixel sampling could miss it
    digit = images.to_mnist_digit(canvas)
    assert digit.max() == 1.0 and np.count_nonzero(digit.max(axis=0)) == 1


@pytest.mark.parametrize(
    ("drawing", "error", "says"),
    [
        (np.zeros((50, 50)), ValueError, "`drawing` is blank"),
        (-np.ones((5, 5)), ValueError, "`drawing` must hold finite values >= 0"),
        (np.full((5, 5), np.nan), ValueError, "finite values"),
        (np.ones((2, 5, 5)), ValueError, "`drawing` must be 2-D"),
        ("digit", TypeError, "`drawing`"),
    ],
)
def test_to_mnist_digit_names_bad_drawings(drawing, error, says):
    with pytest.raises(error, match=says):
        images.to_mnist_digit(drawing)
