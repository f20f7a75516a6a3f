"""Checker for Exercise 3.2 of notebook 03: the full 2-D convolution, written with loops.

The expected values come from ``scipy.signal.convolve2d(mode="full")``; the
messages compare the learner's output with the slips a learner makes, each
computed with scipy: the cross-correlation (no turn), a kernel turned along one
axis only, the output moved by one row or column (zeros padded unevenly), and
the sizes of the 'valid' and 'same' outputs or of a border one pixel too wide.
"""

from __future__ import annotations

import numpy as np
import scipy.signal

from ._answers import as_answer_array, mismatches
from ._feedback import NotYet, call_learner, exercise
from ._shortcuts import CONVOLUTIONS, Shortcuts

__all__ = ["check_3_2"]

# (image shape, kernel shape) pairs: square and not, a kernel of even height, a 1 x 1 kernel and one taller
# than the image. The first image is not square, so that a transposed output shows in its shape, and its kernel
# is asymmetric on both axes, so that a missing or half turn shows.
SHAPES_3_2 = [
    ((5, 6), (3, 3)),
    ((5, 8), (2, 3)),
    ((7, 4), (3, 1)),
    ((4, 4), (4, 4)),
    ((3, 5), (1, 1)),
    ((2, 5), (3, 2)),
]
FIRST_KERNEL_3_2 = np.array([[1.0, 2.0, 0.0], [0.0, -1.0, 3.0], [-2.0, 0.0, 1.0]])


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


def _shape_hint(shape, image_shape, kernel_shape) -> str:
    """What an output of ``shape``, instead of (H + KH - 1, W + KW - 1), most likely is."""
    (h, w), (kh, kw) = image_shape, kernel_shape
    known = {
        (h - kh + 1, w - kw + 1): ". That is the 'valid' size, where the kernel lies entirely on the image; 'full' "
        "also keeps the positions where it overlaps the image by a single row or column.",
        (h, w): ". That is the size of the image, as 'same' mode (or zeros on one side only) gives: 'full' needs "
        "KH - 1 rows of zeros above the image and KH - 1 below, and KW - 1 columns on each side.",
        (h + kh + 1, w + kw + 1): ". Two rows and two columns too many: with KH rows of zeros above and below, "
        "the first and the last row of positions see nothing but zeros. KH - 1 rows (and KW - 1 columns) are enough.",
        (w + kw - 1, h + kh - 1): ". Rows and columns are swapped: the output has H + KH - 1 rows and W + KW - 1 "
        "columns.",
    }
    if tuple(shape) in known:
        return known[tuple(shape)]
    if len(shape) == 2 and shape[0] == h + kh - 1:
        return ". The number of rows is right; along a row, 'full' has W + KW - 1 positions (notebook 02)."
    if len(shape) == 2 and shape[1] == w + kw - 1:
        return ". The number of columns is right; down a column, 'full' has H + KH - 1 positions (notebook 02)."
    return ". Along each side, 'full' has n + k - 1 positions, as in 1-D (notebook 02)."


def _moved(image, kernel, down: int, right: int):
    """The full convolution as if the zeros were padded unevenly: moved ``down`` rows and ``right`` columns."""
    kh, kw = kernel.shape
    if min(kh - 1 - down, kh - 1 + down, kw - 1 - right, kw - 1 + right) < 0:
        return None
    padded = np.pad(image, ((kh - 1 + down, kh - 1 - down), (kw - 1 + right, kw - 1 - right)))
    return scipy.signal.correlate2d(padded, kernel[::-1, ::-1], mode="valid")


def _where(down: int, right: int) -> str:
    """(1, 0) -> 'one row down'; (0, -1) -> 'one column to the left'; (1, 1) -> 'one row down and one column ...'."""
    parts = []
    if down:
        parts.append(f"one row {'down' if down > 0 else 'up'}")
    if right:
        parts.append(f"one column to the {'right' if right > 0 else 'left'}")
    return " and ".join(parts)


@exercise(
    "3.2",
    hints=(
        "As in 1-D, 'full' keeps every position where the kernel overlaps the image by at least one pixel, and "
        "pixels outside the image count as zeros. So surround the image with zeros, then slide the turned "
        "kernel over every 'valid' position of the bigger image.",
        "How wide must the border be? In the top-left corner of the output, only the turned kernel's bottom-right "
        "weight lies on the image: the kernel sticks out by KH - 1 rows above and KW - 1 columns to the left. "
        "The same holds on the other sides.",
        "Make an array of zeros of shape (H + 2(KH - 1), W + 2(KW - 1)), put the image in its middle, turn the "
        "kernel with kernel[::-1, ::-1], and multiply-and-add it on every 'valid' patch of the padded image. "
        "Every convolution of numpy, scipy and cnnlib, 1-D and 2-D, is switched off while the check runs.",
    ),
    forbids=Shortcuts(
        *CONVOLUTIONS,
        instead="pad the image with zeros and write the loops yourself",
    ),
)
def check_3_2(convolve_full):
    """Exercise 3.2: ``convolve_full(image, kernel)`` agrees with ``scipy.signal.convolve2d(mode='full')``."""
    for number, (image_shape, kernel_shape) in enumerate(SHAPES_3_2):
        image, kernel = _test_case(number, image_shape, kernel_shape)
        image_copy, kernel_copy = image.copy(), kernel.copy()
        call = f"convolve_full(image of shape {image.shape}, kernel of shape {kernel.shape})"
        result = call_learner(convolve_full, image_copy, kernel_copy, name="convolve_full")
        if not (np.array_equal(image_copy, image) and np.array_equal(kernel_copy, kernel)):
            raise NotYet(
                f"{call} changed its input arrays; compute a new output array and leave `image` and "
                "`kernel` as they are (pad into a new array, turn with kernel[::-1, ::-1], which makes a new view)"
            )
        expected = scipy.signal.convolve2d(image, kernel, mode="full")
        got = as_answer_array(
            result,
            f"the result of {call}",
            shape=expected.shape,
            hint=lambda shape, image=image, kernel=kernel: _shape_hint(shape, image.shape, kernel.shape),
            if_none="is None: does your function end with `return` and the array?",
        )
        wrong = mismatches(got, expected, rtol=1e-9, atol=1e-9, like=result)
        if not wrong:
            continue
        if got.shape == got.shape[::-1] and not mismatches(got.T, expected, rtol=1e-9, atol=1e-9, like=result):
            raise NotYet(
                f"{call}: your output is transposed, its rows and columns swapped: out[i, j] belongs at row i."
            )
        turns = [
            (
                kernel,
                "that is cross-correlation, the kernel as it is. Convolution turns the kernel by 180 degrees: "
                "flip both its rows and its columns",
            ),
            (kernel[::-1, :], "the kernel's rows are flipped but its columns are not: flip both"),
            (kernel[:, ::-1], "the kernel's columns are flipped but its rows are not: flip both"),
        ]
        for variant, message in turns:
            if not mismatches(got, scipy.signal.correlate2d(image, variant, mode="full"), rtol=1e-9, atol=1e-9):
                raise NotYet(f"{call}: {message}.")
        for down, right in ((1, 0), (-1, 0), (0, 1), (0, -1), (1, 1), (-1, -1)):
            moved = _moved(image, kernel, down, right)
            if moved is not None and not mismatches(got, moved, rtol=1e-9, atol=1e-9, like=result):
                raise NotYet(
                    f"{call}: your output is the right one moved {_where(down, right)}, as if the image had more "
                    "zeros on one side than on the other: 'full' has KH - 1 rows of zeros above and below the "
                    "image, and KW - 1 columns on the left and on the right."
                )
        if np.asarray(result).dtype.kind in "iub":
            raise NotYet(
                f"{call} returned an array of integers, but the pixels of this test image are not whole numbers: "
                "each sum lost its fraction. Make the output a float array, e.g. np.zeros(shape)."
            )
        if any(
            not mismatches(got, scipy.signal.convolve2d(cut(image), kernel, mode="full"), rtol=1e-9, atol=1e-9)
            for cut in (np.trunc, np.floor)
        ):
            raise NotYet(
                f"{call}: your output is that of the image with its fractions cut off: the padded image holds "
                "integers (np.zeros(..., dtype=int), or an integer array padded), so writing the pixels into it "
                "dropped their fractions. Make the padded image a float array."
            )
        i, j = wrong[0]
        raise NotYet(
            f"{call}: out[{i}, {j}] is {got[i, j]:g}, expected {expected[i, j]:g}. With the image surrounded by "
            f"zeros, out[{i}, {j}] is the patch at ({i}, {j}) of the padded image times the turned kernel, added up."
        )
