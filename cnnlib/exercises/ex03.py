"""Checkers for notebook 03 (convolution in 2-D): one output pixel, kernels to design, a kernel to recover.

The full convolution with loops (3.2) is in :mod:`cnnlib.exercises.ex03_full`.

The expected values come from independent references: ``numpy`` for one
multiply-and-sum, ``scipy.signal.convolve2d`` / ``correlate2d`` for whole images,
numpy slicing for an image moved by one pixel, the kernel that made an output
(known to the checker, never shown), and the mean over every 3 x 3 window
(``sliding_window_view``) for the box blur.
"""

from __future__ import annotations

import numpy as np
import scipy.signal

from ._answers import as_answer_array, as_number, close, mismatches, shown_apart
from ._feedback import NotYet, call_learner, exercise, safe_repr
from .ex03_full import check_3_2

__all__ = ["check_3_1", "check_3_2", "check_3_3", "check_3_4", "check_3_5", "check_3_6"]

# Exercise 3.1: one output pixel of the Sobel x kernel on a 3 x 3 patch, worked by hand.
PATCH_3_1 = np.array([[10, 10, 80], [10, 20, 90], [20, 20, 90]])
KERNEL_3_1 = np.array([[-1, 0, 1], [-2, 0, 2], [-1, 0, 1]])

# Exercise 3.3: 8 x 8 test images with a step from 0 (dark) to 1 (bright) halfway.
EDGE_SIDE = 8
RELATIVE_TOLERANCE = 0.01  # "about 0": below 1 % of the sum of the kernel's absolute weights
RELATIVE_STRENGTH = 0.1  # "strong": at least 10 % of it

# Exercise 3.4: the images the shift is tried on, not square, with bright borders (seeded in _shift_images).
SHAPES_3_4 = ((6, 7), (5, 5), (8, 4))

# Exercise 3.5: (image shape, kernel shape, the image's top rows flat?) for each recovery; images are 0-1.
CASES_3_5 = (
    ((12, 15), (3, 3), False),
    ((9, 9), (3, 3), False),
    ((14, 11), (3, 3), True),  # the first patches are all alike: a few patches alone cannot give the kernel
    ((10, 12), (2, 4), False),  # a kernel of another size, read off the shapes
)
FLAT_ROWS_3_5 = 5
TOLERANCE_3_5 = 1e-3  # a recovered weight may be off by this share of the largest weight (gradient descent is fine)

# Exercise 3.6: the shapes of the two kernels, and the test images.
COLUMN_SHAPE, ROW_SHAPE = (3, 1), (1, 3)
SHAPES_3_6 = ((7, 9), (5, 5))


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
    shown = f"{answer:g}" if f"{answer:g}" != f"{expected:g}" else repr(float(answer))  # 299.99999 is not 300
    raise NotYet(
        f"{shown} is not the multiply-and-sum of this patch and kernel. Write out the nine products, "
        "pixel times the weight in the same place, then add them (the zeros drop out, the middle row counts twice)."
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
    if (
        on_horizontal > RELATIVE_TOLERANCE * scale
        and abs(on_horizontal - on_vertical) <= 1e-9 * scale
        and all(response > RELATIVE_TOLERANCE * scale for response in _diagonal_responses(kernel, len(vertical)))
    ):
        raise NotYet(
            f"it gives the same, up to {on_vertical:.3g}, on a vertical and on a horizontal edge: it responds to "
            "edges in every direction (as the Laplacian does), where only vertical ones should count. On a "
            "horizontal edge every row of the patch is uniform: what must each row of weights add up to?"
        )
    if on_horizontal > RELATIVE_TOLERANCE * scale:
        raise NotYet(
            f"it finds the vertical edge (up to {on_vertical:.3g}), but a horizontal edge (dark above, bright "
            f"below) also gives up to {on_horizontal:.3g}, where about 0 is expected. On a horizontal edge every "
            "row of the patch is uniform: what must each row of weights add up to?"
        )


def _diagonal_responses(kernel, side: int) -> list[float]:
    """The largest |response| of ``kernel`` to a diagonal edge each way, on side x side images."""
    i, j = np.indices((side, side))
    return [
        float(np.abs(scipy.signal.correlate2d(edge.astype(float), kernel, mode="valid")).max())
        for edge in (j > i, i + j >= side)
    ]


def _shift_images():
    """The test images of Exercise 3.4: whole numbers 1-9, seeded, so that every border pixel is non-zero."""
    rng = np.random.default_rng(34)
    return [rng.integers(1, 10, size=shape).astype(np.float64) for shape in SHAPES_3_4]


def _movement(kernel: np.ndarray):
    """How correlating with ``kernel`` ('same') moves a single bright pixel: ((rows down, columns right), scale).

    None when the pixel does not come out as one pixel (the kernel mixes several, or none).
    """
    side = 2 * max(kernel.shape) + 3
    impulse = np.zeros((side, side))
    impulse[side // 2, side // 2] = 1.0
    response = scipy.signal.correlate2d(impulse, kernel, mode="same")
    places = np.argwhere(np.abs(response) > 1e-9)
    if len(places) != 1:
        return None
    (row, col), centre = places[0], side // 2
    return (int(row - centre), int(col - centre)), float(response[row, col])


def _direction(down: int, right: int) -> str:
    """(1, 0) -> 'one pixel down'; (0, -2) -> '2 pixels to the left'; (-1, 1) -> 'one pixel up, one to the right'."""
    parts = []
    for steps, way in ((down, "down" if down > 0 else "up"), (right, "to the right" if right > 0 else "to the left")):
        if steps:
            count = "one" if abs(steps) == 1 else str(abs(steps))
            noun = "" if parts else (" pixel" if abs(steps) == 1 else " pixels")
            parts.append(f"{count}{noun} {way}")
    return ", ".join(parts)


@exercise(
    "3.4",
    hints=(
        "A kernel that copies a pixel has a single weight of 1 and zeros elsewhere: in the centre it copies "
        "each pixel to its own place (the identity kernel). Moving that 1 changes where each output takes its "
        "pixel from.",
        "Moving the image to the right means output pixel (i, j) shows the pixel that was at (i, j - 1), "
        "the one on its left. correlate2d lays the kernel on the image as it is, centred on (i, j) in 'same' mode.",
        "Which kernel weight lies on the pixel just left of the centre? Put the 1 there. Convolution would "
        "flip the kernel, so with convolve2d the 1 would go on the other side; the check uses correlate2d.",
    ),
)
def check_3_4(shift_right):
    """Exercise 3.4: ``correlate2d(image, shift_right, mode='same')`` is the image moved one pixel to the right."""
    kernel = as_answer_array(shift_right, "`shift_right`", ndim=2, if_none="is None: replace None with your kernel")
    if not kernel.any():
        raise NotYet("`shift_right` is all zeros, so the output is black: the pixels must come through, moved")
    movement = _movement(kernel)
    if movement is None:
        raise NotYet(
            "with your kernel one bright pixel comes out as several pixels (or none): each output mixes "
            "neighbours, as a blur does. A shift copies one pixel, so the kernel has a single non-zero weight."
        )
    (down, right), scale = movement
    if (down, right) != (0, 1):
        moved = "stays where it is" if (down, right) == (0, 0) else f"moves {_direction(down, right)}"
        why = ""
        if (down, right) == (0, -1):
            why = (
                " That kernel would move it right under convolution, which flips the kernel; correlate2d, like a "
                "CNN layer, does not flip: the weight on the left of the centre multiplies the pixel on the left."
            )
        elif any(side % 2 == 0 for side in kernel.shape):
            why = (
                f" Your kernel has an even side, {kernel.shape}, so it has no middle pixel, and where 'same' puts "
                "its centre is easy to get wrong. An odd size, such as 3 x 3, with its one weight next to the "
                "middle, avoids that."
            )
        elif right == 0 and abs(down) == 1:
            why = " The kernel's first index is the row (up and down), the second the column."
        raise NotYet(f"with your kernel the image {moved}, not one pixel to the right.{why}")
    if abs(scale - 1) > 1e-9:
        raise NotYet(
            f"your kernel moves the image one pixel to the right, but also multiplies every pixel by {scale:g}: "
            "a shift only moves pixels"
        )
    for image in _shift_images():
        expected = np.zeros_like(image)
        expected[:, 1:] = image[:, :-1]  # moved right: column j shows what column j - 1 held, zeros enter on the left
        got = scipy.signal.correlate2d(image, kernel, mode="same")
        if mismatches(got, expected, rtol=0, atol=1e-9, like=shift_right):
            raise NotYet(f"on a {image.shape} test image your kernel does not give the image moved right")


def _recovery_case(number: int, image_shape, kernel_shape, flat_top: bool):
    """(image, kernel) of Exercise 3.5, case ``number``: a 0-1 image and a random kernel, seeded."""
    rng = np.random.default_rng(35 + number)
    image = rng.uniform(0, 1, size=image_shape)
    if flat_top:
        image[:FLAT_ROWS_3_5] = 0.5
    return image, np.round(rng.normal(size=kernel_shape), 2)


@exercise(
    "3.5",
    hints=(
        "Every output pixel is one equation: the patch under it, multiplied by the unknown weights and added "
        "up, gives the known output value. With more equations than weights, the weights are fixed.",
        "First read the kernel's size off the shapes: a kernel KH rows high leaves H - KH + 1 output rows. Then "
        "lay every patch out as a row of KH·KW numbers, so that patches @ weights == output, flattened.",
        "Solve that system in the least-squares sense with np.linalg.lstsq and reshape the weights to "
        "(KH, KW). Or run the gradient descent of the notebook's last section until it settles; if the loss "
        "grows instead, the learning rate is too large for these images.",
    ),
)
def check_3_5(recover_kernel):
    """Exercise 3.5: ``recover_kernel(image, output)`` is the kernel with ``correlate2d(image, kernel) == output``."""
    for number, (image_shape, kernel_shape, flat_top) in enumerate(CASES_3_5):
        image, kernel = _recovery_case(number, image_shape, kernel_shape, flat_top)
        output = scipy.signal.correlate2d(image, kernel, mode="valid")
        image_in, output_in = image.copy(), output.copy()
        call = f"recover_kernel(image of shape {image.shape}, output of shape {output.shape})"
        result = call_learner(recover_kernel, image_in, output_in, name="recover_kernel")
        if not (np.array_equal(image_in, image) and np.array_equal(output_in, output)):
            raise NotYet(f"{call} changed its input arrays; leave `image` and `output` as they are")
        got = as_answer_array(
            result,
            f"the result of {call}",
            shape=kernel.shape,
            hint=". The kernel's size follows from the shapes: a kernel KH rows high leaves H - KH + 1 output "
            "rows, and the same for the columns.",
            if_none="is None: does your function end with `return` and the kernel?",
        )
        scale = float(np.abs(kernel).max())
        if not mismatches(got, kernel, rtol=0, atol=TOLERANCE_3_5 * scale, like=result):
            continue
        if not mismatches(got, kernel[::-1, ::-1], rtol=0, atol=TOLERANCE_3_5 * scale, like=result):
            raise NotYet(
                f"{call}: your kernel is the right one turned by 180 degrees, the kernel for convolution. The "
                "output was made by correlate2d, which lays the kernel on each patch as it is."
            )
        if got.shape == got.shape[::-1] and not mismatches(got.T, kernel, rtol=0, atol=TOLERANCE_3_5 * scale):
            raise NotYet(f"{call}: your kernel is transposed, its rows and columns swapped.")
        off = float(np.abs(got - kernel).max())
        if off < 0.05 * scale:
            raise NotYet(
                f"{call}: close, but a weight is off by {off:.2g}. The output is exact, so the kernel can be "
                "found exactly: solve the equations (least squares), or let gradient descent run longer."
            )
        if float(np.abs(got).max()) > 100 * scale:
            raise NotYet(
                f"{call}: your kernel has weights up to {float(np.abs(got).max()):.3g}, far larger than any weight "
                "that could make this output. If you used gradient descent, the loss grew instead of shrinking: "
                "take a smaller learning rate."
            )
        miss = float(np.abs(scipy.signal.correlate2d(image, got, mode="valid") - output).max())
        flat = " The top rows of this image are flat, so its first patches are all alike." if flat_top else ""
        raise NotYet(
            f"{call}: correlating the image with your kernel misses the output by up to {miss:.3g}; the right "
            f"kernel reproduces every output pixel.{flat} {_recovery_advice(result)}"
        )


def _recovery_advice(result) -> str:
    """What to do about a recovered kernel that misses: whole numbers lose the weights' fractions; otherwise solve
    with every patch's equation, or (with gradient descent) run longer."""
    if np.asarray(result).dtype.kind in "iub":
        return "Your kernel holds whole numbers: the weights have fractions, so keep them as floats, unrounded."
    return (
        "Use the equations of all the patches (least squares), or, with gradient descent, run more steps or take "
        "a larger learning rate while the loss still falls."
    )


def _shape_or_none(value):
    """The shape of what a learner gave (an array, nested lists), or None if it has none."""
    try:
        return tuple(np.shape(value))
    except (TypeError, ValueError):  # ragged lists, objects numpy cannot shape
        return None


def _box_average(image: np.ndarray) -> np.ndarray:
    """The mean of every 3 x 3 window of ``image`` ('valid' positions)."""
    return np.lib.stride_tricks.sliding_window_view(image, (3, 3)).mean(axis=(-2, -1))


@exercise(
    "3.6",
    hints=(
        "Averaging 9 pixels can be done in two rounds: first average each pixel with its neighbours above and "
        "below (a column of 3), then average those results along the row (a row of 3).",
        "In two rounds, pixel (a, b) of a 3 x 3 window is counted with the weight blur_column[a] times "
        "blur_row[b]. The box gives each of the nine the same weight, one ninth.",
        "So every weight of the column must be equal, every weight of the row too, and (column weight) x (row "
        "weight) must be one ninth. Mind the shapes: a column is (3, 1), a row is (1, 3).",
    ),
)
def check_3_6(blur_column, blur_row=None):
    """Exercise 3.6: correlating with ``blur_column`` (3, 1), then ``blur_row`` (1, 3), is the 3 x 3 box average."""
    kernels = []
    given = {"blur_column": _shape_or_none(blur_column), "blur_row": _shape_or_none(blur_row)}
    for name, value, shape, other, other_name in (
        ("blur_column", blur_column, COLUMN_SHAPE, ROW_SHAPE, "blur_row"),
        ("blur_row", blur_row, ROW_SHAPE, COLUMN_SHAPE, "blur_column"),
    ):
        what = "A column has 3 rows and 1 column" if shape == COLUMN_SHAPE else "A row has 1 row and 3 columns"
        # a swap only if the other kernel has this one's shape too (two columns are not a swap)
        swap = given[other_name] == shape

        def shape_hint(got, what=what, other=other, swap=swap):
            swapped = ": did you swap the two?" if got == other and swap else "."
            flat = " A flat list is 1-D: write it as a 2-D array." if len(got) == 1 else ""
            return f". {what}{swapped}{flat}"

        both = ", and pass both kernels: check_3_6(blur_column, blur_row)" if name == "blur_row" else ""
        kernels.append(
            as_answer_array(
                value,
                f"`{name}`",
                shape=shape,
                hint=shape_hint,
                if_none=f"is None: replace None with your {shape[0]} x {shape[1]} kernel{both}",
            )
        )
    column, row = kernels
    combined = column @ row  # weight of window pixel (a, b) after both rounds: column[a] * row[b]
    if not np.allclose(combined, combined.mean(), rtol=0, atol=1e-9):
        raise NotYet(
            "the nine pixels of a window do not count equally: after both rounds pixel (a, b) has the weight "
            "blur_column[a] x blur_row[b], and a box gives all nine the same weight"
        )
    ratio = float(combined.sum())
    dtypes = [np.asarray(kernel).dtype for kernel in (blur_column, blur_row)]
    given = np.zeros(1, dtype=min(dtypes, key=lambda dtype: (dtype.kind != "f", dtype.itemsize)))  # float32 if either
    if not close(ratio, 1.0, atol=1e-9, like=given):
        shown, _ = shown_apart(ratio, 1.0)
        raise NotYet(
            f"the two kernels together give {shown} times the 3 x 3 average: their weights multiply, so the sum "
            "of the column times the sum of the row must be 1"
        )
    rng = np.random.default_rng(36)
    for shape in SHAPES_3_6:
        image = rng.integers(0, 256, size=shape).astype(np.float64)
        first = scipy.signal.correlate2d(image, column, mode="valid")
        got = scipy.signal.correlate2d(first, row, mode="valid")
        if mismatches(got, _box_average(image), rtol=1e-9, atol=1e-9, like=given):
            raise NotYet(f"on a {shape} test image the two rounds do not give the 3 x 3 average")
