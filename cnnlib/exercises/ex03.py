"""Checkers for notebook 03 (convolution in 2-D): one output pixel, the convolution loop, an edge detector.

The expected values come from independent references: ``numpy`` for one
multiply-and-sum, ``scipy.signal.convolve2d`` / ``correlate2d`` (mode
``'valid'``) for whole images.
"""

from __future__ import annotations

import numpy as np
import scipy.signal

from ._answers import as_answer_array, as_number, close, mismatches
from ._feedback import NotYet, call_learner, exercise, safe_repr
from ._shortcuts import Shortcuts

__all__ = ["check_3_1", "check_3_2", "check_3_3"]

# Exercise 3.1: one output pixel of the Sobel x kernel on a 3 x 3 patch, worked by hand.
PATCH_3_1 = np.array([[10, 10, 80], [10, 20, 90], [20, 20, 90]])
KERNEL_3_1 = np.array([[-1, 0, 1], [-2, 0, 2], [-1, 0, 1]])

# Exercise 3.2: (image shape, kernel shape) pairs, square and not; the first kernel is asymmetric
# on both axes, so that a missing or half flip shows.
SHAPES_3_2 = [
    ((6, 6), (3, 3)),
    ((5, 8), (2, 3)),
    ((7, 4), (3, 1)),
    ((4, 4), (4, 4)),
    ((3, 5), (1, 1)),
    ((6, 9), (4, 2)),
]
FIRST_KERNEL_3_2 = np.array([[1.0, 2.0, 0.0], [0.0, -1.0, 3.0], [-2.0, 0.0, 1.0]])

# Exercise 3.3: 8 x 8 test images with a step from 0 (dark) to 1 (bright) halfway.
EDGE_SIDE = 8
RELATIVE_TOLERANCE = 0.01  # "about 0": below 1 % of the sum of the kernel's absolute weights
RELATIVE_STRENGTH = 0.1  # "strong": at least 10 % of it


@exercise(
    "3.1",
    hints=(
        "A CNN filter lies on the patch as it is, without flipping: each pixel is multiplied by the kernel "
        "weight in the same row and column, and the nine products are added up.",
        "The middle column of Sobel x is 0, so only the left and the right columns of the patch count: the "
        "left one with the weights -1, -2, -1, the right one with 1, 2, 1.",
        "Row by row, take the right pixel minus the left pixel; count the middle row's difference twice; add "
        "the three rows. A positive result means bright on the right.",
    ),
)
def check_3_1(answer):
    """Exercise 3.1: the output pixel of ``KERNEL_3_1`` (Sobel x) on ``PATCH_3_1``, a single number."""
    expected = float(np.sum(PATCH_3_1 * KERNEL_3_1))
    if isinstance(answer, (list, tuple, np.ndarray)):
        try:
            shape = np.shape(answer)
            collection = f"a collection of shape {shape},"
        except ValueError:  # nested lists of different lengths have no shape
            shape, collection = None, f"a collection, {safe_repr(answer)},"
        one_number = shape is not None and int(np.prod(shape)) == 1  # [300] is that number, as_number takes it
    if isinstance(answer, (list, tuple, np.ndarray)) and not one_number:
        raise NotYet(
            f"`answer` is {collection} but one output pixel is a single number. "
            "Multiplying element-wise gives nine products (and `patch @ kernel` is a matrix product, "
            "not what a filter computes): add the nine products up."
        )
    given = answer
    answer = as_number(answer, "`answer`", squeeze=True, if_none="is None: replace None with the number you worked out")
    if close(answer, expected, atol=1e-9, like=given):
        return
    if close(answer, -expected, atol=1e-9, like=given):
        raise NotYet(
            f"{answer:g} has the wrong sign. Did you flip the kernel? That is convolution; a CNN filter "
            "multiplies each pixel by the weight in the same place (row a, column b) without flipping."
        )
    raise NotYet(
        f"{answer:g} is not the multiply-and-sum of this patch and kernel. Write out the nine products, "
        "pixel times the weight in the same place, then add them (the zeros drop out, the middle row counts twice)."
    )


def _test_case(number: int, image_shape, kernel_shape):
    """The image and kernel of test case ``number`` of Exercise 3.2, seeded: pixels in quarters, whole weights.

    Pixels that are not whole numbers make an output array of integers (which would cut
    the fractions off) show; quarters are exact in floating point, so every sum is exact.
    """
    rng = np.random.default_rng(32 + number)
    image = rng.integers(0, 40, size=image_shape) / 4
    if number == 0:
        return image, FIRST_KERNEL_3_2.copy()
    return image, rng.integers(-3, 4, size=kernel_shape).astype(np.float64)


@exercise(
    "3.2",
    hints=(
        "The output has one value for each position where the whole kernel fits: (H - KH + 1) rows and "
        "(W - KW + 1) columns. Start from an array of zeros of that shape.",
        "Convolution turns the kernel by 180 degrees: at output (i, j), image pixel (i + a, j + b) is "
        "multiplied by the kernel weight at (KH - 1 - a, KW - 1 - b), the formula for convolution in the "
        "notebook.",
        "Use four loops: two over the output position (i, j) and two over the kernel position (a, b), adding "
        "each product into output (i, j). Or flip the kernel along both axes once and slide it without "
        "flipping, as the cross-correlation loop does. scipy and cnnlib's convolutions are switched off while "
        "the check runs.",
    ),
    forbids=Shortcuts(
        "scipy.signal.convolve2d",
        "scipy.signal.correlate2d",
        "scipy.signal.convolve",
        "scipy.signal.correlate",
        "scipy.signal.fftconvolve",
        "scipy.signal.oaconvolve",
        "scipy.ndimage.convolve",
        "scipy.ndimage.correlate",
        "cnnlib.convolve2d",
        "cnnlib.correlate2d",
        "cnnlib.correlate2d_naive",
        "cnnlib.conv2d",
        "cnnlib.im2col",
        instead="write the loops yourself, following the formula for convolution in the notebook",
    ),
)
def check_3_2(convolve_valid):
    """Exercise 3.2: ``convolve_valid(image, kernel)`` agrees with ``scipy.signal.convolve2d(mode='valid')``."""
    for number, (image_shape, kernel_shape) in enumerate(SHAPES_3_2):
        image, kernel = _test_case(number, image_shape, kernel_shape)
        image_copy, kernel_copy = image.copy(), kernel.copy()
        call = f"convolve_valid(image of shape {image.shape}, kernel of shape {kernel.shape})"
        result = call_learner(convolve_valid, image_copy, kernel_copy, name="convolve_valid")
        if not (np.array_equal(image_copy, image) and np.array_equal(kernel_copy, kernel)):
            raise NotYet(
                f"{call} changed its input arrays; compute a new output array and leave `image` and "
                "`kernel` as they are (flip with kernel[::-1, ::-1], which makes a new view)"
            )
        expected = scipy.signal.convolve2d(image, kernel, mode="valid")
        got = as_answer_array(
            result,
            f"the result of {call}",
            shape=expected.shape,
            hint=lambda shape, swapped=expected.shape[::-1]: (
                ". Rows and columns are swapped: the output has H - KH + 1 rows and W - KW + 1 columns."
                if shape == swapped
                else ". Count the positions the kernel takes along each side, as in Exercise 0.1."
            ),
            if_none="is None: does your function end with `return` and the array?",
        )
        wrong = mismatches(got, expected, rtol=1e-9, atol=1e-9, like=result)
        if not wrong:
            continue
        versions = [
            (
                kernel,
                "that is cross-correlation, the kernel as it is. Convolution turns the kernel by 180 degrees "
                "first: flip both its rows and its columns",
            ),
            (kernel[::-1, :], "the kernel's rows are flipped but its columns are not: flip both"),
            (kernel[:, ::-1], "the kernel's columns are flipped but its rows are not: flip both"),
        ]
        if got.shape == got.shape[::-1] and not mismatches(got.T, expected, rtol=1e-9, atol=1e-9, like=result):
            raise NotYet(
                f"{call}: your output is transposed, its rows and columns swapped: out[i, j] belongs at row i."
            )
        for variant, hint in versions:
            if not mismatches(
                got, scipy.signal.correlate2d(image, variant, mode="valid"), rtol=1e-9, atol=1e-9, like=result
            ):
                raise NotYet(f"{call}: {hint}.")
        i, j = wrong[0]
        raise NotYet(
            f"{call}: out[{i}, {j}] is {got[i, j]:g}, expected {expected[i, j]:g}. Take the patch "
            f"image[{i}:{i}+KH, {j}:{j}+KW], multiply it element-wise by the flipped kernel and add everything up."
        )


def _edge_images():
    """(vertical edge, horizontal edge, flat) test images: 0 = dark, 1 = bright."""
    half = EDGE_SIDE // 2
    vertical = np.zeros((EDGE_SIDE, EDGE_SIDE))
    vertical[:, half:] = 1.0  # dark on the left, bright on the right
    return vertical, vertical.T.copy(), np.ones((EDGE_SIDE, EDGE_SIDE))


@exercise(
    "3.3",
    hints=(
        "On a flat patch every pixel has the same value, so the response is that value times the sum of the "
        "weights. For a flat image to give 0, what must the nine weights add up to?",
        "A vertical edge changes from left to right, so let the left and the right columns of the kernel have "
        "opposite signs.",
        "On a horizontal edge each row of the patch is uniform, so each row of weights must add up to 0 on "
        "its own: for example, in every row a negative weight on the left, the same positive weight on the "
        "right and 0 in the middle.",
    ),
)
def check_3_3(vertical_edge_kernel):
    """Exercise 3.3: a 3 x 3 kernel strong on a vertical edge, about 0 on a horizontal edge and on a flat image."""
    kernel = as_answer_array(
        vertical_edge_kernel,
        "`vertical_edge_kernel`",
        shape=(3, 3),
        if_none="is None: replace None with your 3 x 3 array",
    )
    scale = float(np.abs(kernel).sum())
    if scale == 0:
        raise NotYet("`vertical_edge_kernel` is all zeros, so it responds to nothing; give it some weights")
    vertical, horizontal, flat = _edge_images()
    on_vertical = float(np.abs(scipy.signal.correlate2d(vertical, kernel, mode="valid")).max())
    on_horizontal = float(np.abs(scipy.signal.correlate2d(horizontal, kernel, mode="valid")).max())
    on_flat = float(np.abs(scipy.signal.correlate2d(flat, kernel, mode="valid")).max())
    if on_flat > RELATIVE_TOLERANCE * scale:
        raise NotYet(
            f"on a flat image (every pixel 1) your kernel gives {kernel.sum():.3g} everywhere, not 0: a patch "
            "with no edge should give nothing. What must the weights add up to?"
        )
    if on_vertical < RELATIVE_STRENGTH * scale:
        hint = (
            " It does respond to a horizontal edge: turn it by 90 degrees."
            if on_horizontal >= RELATIVE_STRENGTH * scale
            else ""
        )
        raise NotYet(
            f"on a vertical edge (dark on the left, bright on the right) your kernel gives at most "
            f"{on_vertical:.3g}, hardly more than on a flat image. Let the weights on the left and on the right "
            f"differ.{hint}"
        )
    if on_horizontal > RELATIVE_TOLERANCE * scale:
        raise NotYet(
            f"it finds the vertical edge (up to {on_vertical:.3g}), but a horizontal edge (dark above, bright "
            f"below) also gives up to {on_horizontal:.3g}, where about 0 is expected. On a horizontal edge every "
            "row of the patch is uniform: what must each row of weights add up to?"
        )
