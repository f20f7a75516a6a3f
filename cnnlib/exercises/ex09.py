"""Checkers for notebook 09 (features at each layer), first part: the first-layer filters and the receptive field.

9.1 fixes a cosine similarity, 9.2 designs the input a first-layer filter answers most, 9.3 gives the box of
pixels behind one unit. Expected values come from independent references: ``np.corrcoef`` for the cosine of two
mean-removed filters (their correlation coefficient), ``scipy.signal.correlate2d`` for a filter's response, and,
for the box, a brute force: a single bright pixel at each place, run through the layers of the notebook's digit
network (``cnnlib.data.load_digit_cnn()``, the architecture of ``digit_cnn_wide``) with every weight 1 (the
pixels that reach a unit are the ones whose change can move it). The face-network exercises are in
:mod:`cnnlib.exercises.ex09_faces`.
"""

from __future__ import annotations

import functools

import numpy as np
import scipy.signal

from ._answers import as_answer_array, as_number, as_shape, close, shown_apart
from ._feedback import NotYet, call_learner, exercise, safe_repr

__all__ = ["check_9_1", "check_9_2", "check_9_3"]

_SOBEL_X = np.array([[-1.0, 0.0, 1.0], [-2.0, 0.0, 2.0], [-1.0, 0.0, 1.0]])
_LAPLACIAN = np.array([[0.0, 1.0, 0.0], [1.0, -4.0, 1.0], [0.0, 1.0, 0.0]])
_COUNTING = np.arange(1.0, 10.0).reshape(3, 3)
_RNG_9_1 = np.random.default_rng(91)

# Exercise 9.1: pairs of 3 x 3 filters. By hand: Sobel x plus 3 is still Sobel x (cosine 1); Sobel x and
# Sobel y are at right angles (0); -Laplacian / 2 is the Laplacian with light and dark swapped (-1); the
# counting filter minus its mean 5 is [[-4, -3, -2], [-1, 0, 1], [2, 3, 4]], whose dot product with its
# transpose is 36 and whose squared length is 60, so cosine 0.6. Then random filters with non-zero means.
# The given function's bug (a dot product of the filters as they are) shows only when both means are not 0.
PAIRS_9_1 = (
    (_SOBEL_X + 3.0, _SOBEL_X),
    (_SOBEL_X, 2.0 * _SOBEL_X.T),
    (_LAPLACIAN, -0.5 * _LAPLACIAN),
    (_COUNTING, _COUNTING.T),
    *((_RNG_9_1.normal(0.4, 1.0, (3, 3)), _RNG_9_1.normal(-0.3, 2.0, (3, 3))) for _ in range(3)),
)

# Exercise 9.2: filters whose pattern (where the weights are positive) changes under a flip and a transpose, one
# whose small positive weight lies below its mean, one with zeros, one all negative, and filters of other sizes.
KERNELS_9_2 = (
    np.array([[0.9, -0.2, 0.1], [-0.4, 0.3, -0.1], [0.2, 0.8, -0.3]]),
    np.array([[0.0, 0.5, -1.0], [0.0, -0.3, 0.7], [1.2, 0.0, -0.6]], dtype=np.float32),  # like a trained filter
    -np.arange(1.0, 10.0).reshape(3, 3) / 10,  # nothing helps: the best is a black patch
    np.random.default_rng(92).normal(size=(5, 5)),
    np.array([[0.4, -0.8, 0.3, -0.1], [-0.5, 0.6, 0.0, 0.2]]),
)
SIDE_9_2 = 28

# Exercise 9.3: the layers up to pool2 of the notebook's digit network (digit_cnn_wide: 5 x 5 convolutions, maps of
# 24, 12, 8 and 4), and the units asked about, (layer, r, c); r != c in most, so that rows and columns swapped show;
# the first and last unit of every layer.
LAYERS_9_3 = ("conv1", "relu1", "pool1", "conv2", "relu2", "pool2")
UNITS_9_3 = (
    ("conv1", 2, 5),
    ("pool1", 3, 1),
    ("conv2", 1, 4),
    ("relu2", 6, 2),
    ("pool2", 1, 3),
    ("pool2", 3, 3),
    ("relu1", 23, 0),
    ("conv1", 0, 0),
    ("pool1", 11, 11),
    ("conv2", 7, 7),
    ("pool2", 0, 0),
)


def _text(filter_3x3) -> str:
    # + 0.0 turns -0.0 into 0.0, so the message shows no "-0."
    return np.array2string(filter_3x3 + 0.0, precision=2, separator=", ").replace("\n", "")


def _cosine(a, b) -> float:
    a, b = a.ravel(), b.ravel()
    return float(a @ b / (np.linalg.norm(a) * np.linalg.norm(b)))


def _mistakes_9_1(a, b):
    """(value, explanation) of the usual wrong ways to compute the similarity of ``a`` and ``b``."""
    centred_a, centred_b = a - a.mean(), b - b.mean()
    joint = np.concatenate([a.ravel(), b.ravel()]).mean()
    dot, lengths = float(centred_a.ravel() @ centred_b.ravel()), np.linalg.norm(centred_a) * np.linalg.norm(centred_b)
    return (
        (
            float(a.ravel() @ b.ravel()) / lengths,
            "that is what the given function computes. Find its bug: compare each line with the formula above "
            "the exercise, and try the function on a filter whose weights do not average 0, against itself plus "
            "a constant",
        ),
        (dot / (np.linalg.norm(a) * np.linalg.norm(b)), "divide by the lengths of the mean-removed filters"),
        (
            float(a.ravel() @ b.ravel()),
            "that is the plain dot product: remove each filter's mean, then divide by the product of the lengths",
        ),
        (_cosine(a, b), "you did not remove the means: subtract each filter's own mean before comparing"),
        (dot, "that is the dot product of the mean-removed filters; divide it by the product of their lengths"),
        (dot / np.linalg.norm(centred_a), "divide by the lengths of both filters, not of one"),
        (dot / np.linalg.norm(centred_b), "divide by the lengths of both filters, not of one"),
        (_cosine(a - a.mean(), b - a.mean()), "remove b's own mean from b (not a's)"),
        (abs(dot / lengths), "keep the sign: -1 means the same pattern with light and dark swapped"),
        (_cosine(a - joint, b - joint), "remove each filter's own mean, not the mean of both together"),
    )


@exercise(
    "9.1",
    hints=(
        "Test the function on a pair whose answer you know: a filter against itself, or against twice itself, "
        "must give 1. Try it with a filter whose mean is not 0, as the learned filters' means are not.",
        "The hand-made kernels of the table all have mean 0, so removing the mean changes nothing for them: the "
        "bug hides there. Compare, line by line, which arrays go into the dot product and which into the lengths.",
        "The formula uses the mean-removed filters everywhere, on the top of the fraction as well as the bottom. "
        "Fix the one line that does not, and keep a and b unchanged (a = a - ..., not a -= ...).",
    ),
)
def check_9_1(cosine_similarity):
    """Exercise 9.1: ``cosine_similarity(a, b)`` of two 3 x 3 filters after removing each one's mean."""
    answers = []
    for a, b in PAIRS_9_1:
        given_a, given_b = a.copy(), b.copy()
        got = call_learner(cosine_similarity, given_a, given_b, name="cosine_similarity")
        if not (np.array_equal(given_a, a) and np.array_equal(given_b, b)):
            raise NotYet(
                "cosine_similarity changed the filters it was given (`a -= a.mean()` works in place). "
                "Write `a = a - a.mean()` instead: the caller still needs its filters."
            )
        answers.append(as_number(got, "cosine_similarity(a, b)", squeeze=True, finite=False))
    expected = [float(np.corrcoef(a.ravel(), b.ravel())[0, 1]) for a, b in PAIRS_9_1]
    wrong = [
        k for k, (value, right) in enumerate(zip(answers, expected, strict=True)) if not abs(value - right) <= 1e-6
    ]
    if not wrong:
        return
    first = wrong[0]
    a, b = PAIRS_9_1[first]
    value = answers[first]
    # the explanation that fits every pair the answer got wrong
    explained = [
        [text for target, text in _mistakes_9_1(*PAIRS_9_1[k]) if abs(answers[k] - target) <= 1e-6] for k in wrong
    ]
    fitting = [text for text in explained[0] if all(text in texts for texts in explained)]
    if value != value:
        message = "it is NaN: check for a division by zero (the length of a filter after removing its mean)"
    elif fitting:
        message = fitting[0]
    elif abs(value) > 1 + 1e-9:
        message = "a cosine lies between -1 and 1: divide by the product of the two lengths"
    else:
        message = (
            "that is not the cosine of the two mean-removed filters (their dot product divided by "
            "the product of their lengths)"
        )
    raise NotYet(f"for a = {_text(a)}, b = {_text(b)} you returned {value:.4g}; {message}.")


def _strongest(kernel) -> float:
    """The largest response any image with pixels in [0, 1] can give: 1 under every positive weight, 0 elsewhere."""
    return float(np.maximum(np.asarray(kernel, dtype=np.float64), 0).sum())


def _holds_patch(image, patch) -> bool:
    """Whether some window of ``image`` equals ``patch``."""
    windows = np.lib.stride_tricks.sliding_window_view(image, patch.shape)
    return bool(np.isclose(windows, patch, rtol=0, atol=1e-6).all(axis=(-2, -1)).any())


def _image_mistakes_9_2(kernel):
    """(patch, explanation) of the usual wrong designs for ``kernel``; the first that the image holds is named."""
    positive = (kernel > 0).astype(np.float64)
    spread = float(kernel.max() - kernel.min()) or 1.0
    return (
        (
            np.ones_like(kernel),
            "a white patch also puts 1 under the negative weights, and each of those lowers the sum",
        ),
        ((kernel < 0) * 1.0, "your patch is white under the *negative* weights: that gives the weakest response"),
        (
            positive[::-1, ::-1],
            "your patch is the pattern turned by 180 degrees; a CNN layer correlates, without a flip",
        ),
        (positive.T, "your patch is the pattern transposed, its rows and columns swapped"),
        (
            (kernel > kernel.mean()) * 1.0,
            "you lit the pixels under weights above the filter's mean; a weight below the mean can still be positive, "
            "and then a white pixel under it adds to the sum",
        ),
        (
            (kernel - kernel.min()) / spread,
            "your patch copies the filter's shading, so some pixels are gray. A pixel under a positive weight adds "
            "most when it is 1, whatever the size of the weight",
        ),
        (
            np.clip(kernel, 0, 1),
            "your patch is the filter clipped to [0, 1]: a pixel under a positive weight adds most when it is 1, "
            "whatever the size of the weight",
        ),
    )


@exercise(
    "9.2",
    hints=(
        "The response at one position is a sum of weight × pixel over the window, plus the bias. Each term "
        "depends on one pixel only, so you can make each term as large as possible on its own.",
        "For a positive weight, which pixel value between 0 and 1 makes weight × pixel largest? And for a "
        "negative weight? The bias is the same for every image, so it does not change which image wins.",
        "Start from a black image of the given side and, in one window, make a pixel white exactly where the "
        "filter's weight is positive. Use the kernel's own shape, so that filters of other sizes work too.",
    ),
)
def check_9_2(strongest_input):
    """Exercise 9.2: ``strongest_input(kernel)``, a 28 x 28 image in [0, 1] on which ``kernel`` responds most."""
    for kernel in KERNELS_9_2:
        given = kernel.copy()
        call = f"strongest_input(a {kernel.shape[0]} x {kernel.shape[1]} kernel)"
        result = call_learner(strongest_input, given, name="strongest_input")
        if not np.array_equal(given, kernel):
            raise NotYet(f"{call} changed the kernel it was given; make a new image and leave the kernel as it is")
        image = as_answer_array(
            result,
            f"the result of {call}",
            shape=(SIDE_9_2, SIDE_9_2),
            hint=lambda shape, window=kernel.shape: (
                ". That is one window: place it in a black 28 × 28 image, the size of a digit."
                if shape == window
                else ". Return the image alone, 28 × 28, without the extra axis of length 1."
                if tuple(n for n in shape if n != 1) == (SIDE_9_2, SIDE_9_2)
                else ". Return a whole digit-sized image, 28 × 28."
            ),
            if_none="is None: does your function end with `return` and the image?",
        )
        low, high = float(image.min()), float(image.max())
        if low < -1e-9 or high > 1 + 1e-9:
            broken = (
                "Brighter than white is not allowed: that is what makes the question hard."
                if high > 1 + 1e-9
                else "Darker than black is not allowed: a pixel cannot be negative, so where a weight is negative "
                "the darkest you can do is 0."
            )
            raise NotYet(
                f"{call}: your pixels go from {low:.3g} to {high:.3g}, but a scaled image has pixels between 0 "
                f"(black) and 1 (white). {broken}"
            )
        reached = float(scipy.signal.correlate2d(image, kernel, mode="valid").max())
        best = _strongest(kernel)
        if close(reached, best, atol=1e-9 * max(1.0, best), like=result):
            continue
        start = f"on {_text(kernel)}, " if kernel.shape == (3, 3) else f"{call}: "
        shown, best_shown = shown_apart(reached, best)
        for patch, explanation in _image_mistakes_9_2(kernel):
            if float(np.sum(patch * kernel)) < best - 1e-6 and _holds_patch(image, patch):  # a wrong design here
                raise NotYet(f"{start}{explanation}.")
        raise NotYet(
            f"{start}your image makes the filter reach {shown} (before the bias), but an image with pixels in "
            f"[0, 1] can make it reach {best_shown}. Look at each weight on its own: which pixel value makes "
            "weight × pixel largest?"
        )


@functools.cache
def _reach_9_3() -> dict[str, np.ndarray]:
    """{layer: reach[r, c, y, x]}: True where a change of input pixel (y, x) can move unit (r, c) of that layer.

    Brute force: one image per pixel, that pixel 1 and the rest 0, through the layers of the notebook's digit
    network with every weight 1 and every bias 0. A unit comes out above 0 exactly when the pixel lies under its
    windows.
    """
    from ..layers import Conv2D
    from ..network import Sequential
    from ..training import digit_cnn_wide  # the architecture of cnnlib.data.load_digit_cnn(), notebook 09's `net`

    layers = []  # the digit network's layers, each convolution with one filter of ones: every channel sees alike
    for layer in digit_cnn_wide(dtype=np.float64).layers[: len(LAYERS_9_3)]:
        if isinstance(layer, Conv2D):
            layer = Conv2D(1, 1, layer.kernel_size, stride=layer.stride, padding=layer.padding[0][0])
            layer.params["w"][...] = 1.0
        layers.append(layer)
    network = Sequential(*layers)
    pixels = np.eye(SIDE_9_2 * SIDE_9_2).reshape(-1, 1, SIDE_9_2, SIDE_9_2)
    outputs = network.layer_outputs(pixels)
    reach = {}
    for name in LAYERS_9_3:
        moved = outputs[name][:, 0] > 0  # (pixel, OH, OW): channel 0 sees what every channel sees
        reach[name] = np.moveaxis(moved, 0, -1).reshape(*moved.shape[1:], SIDE_9_2, SIDE_9_2)
    return reach


def _field_of(layer: str, r: int, c: int) -> tuple[int, int, int, int]:
    """``(top, bottom, left, right)``, from the brute force: ``image[top:bottom, left:right]`` moves unit (r, c)."""
    rows, cols = np.nonzero(_reach_9_3()[layer][r, c])
    return int(rows.min()), int(rows.max()) + 1, int(cols.min()), int(cols.max()) + 1


def _sizes_9_3() -> dict[str, int]:
    """The side of each layer's field, from the brute force."""
    return {name: _field_of(name, 0, 0)[1] for name in LAYERS_9_3}


def _box_mistake(got, expected, layer, r, c, slicing_right=False) -> str:
    """What is wrong with box ``got`` for unit (r, c) of ``layer``, whose box is ``expected``.

    ``slicing_right``: an earlier unit's box was right, so a box one pixel short or long here comes from
    the field's side, not from where image[top:bottom] stops."""
    top, bottom, left, right = expected
    size = bottom - top
    if slicing_right and (got[0], got[2]) == (top, left) and got[1] - got[0] == got[3] - got[2] == size - 1:
        return (
            f"the box is {size - 1} × {size - 1}, one pixel short, though your earlier boxes were right: the field "
            f"of {layer} is larger than that. Every layer with a window wider than 1 grows the field, pooling too "
            "(the table above adds up what each layer adds)"
        )
    if (got[2], got[3], got[0], got[1]) == expected:
        return "rows and columns are swapped: r is the row, so it sets top and bottom, and c sets left and right"
    if (got[0], got[2], got[1], got[3]) == expected:
        return "the numbers are in the order (top, left, bottom, right); the check wants (top, bottom, left, right)"
    if (got[0], got[2]) == (top, left) and (got[1], got[3]) == (bottom - 1, right - 1):
        return (
            "the box is one row and one column short: image[top:bottom] stops before row `bottom`, so bottom is "
            "top plus the field's side"
        )
    if (got[0], got[2]) == (top, left) and (got[1], got[3]) == (bottom + 1, right + 1):
        return (
            "the box is one row and one column too long: image[top:bottom] already stops before row `bottom`, "
            "so bottom is top plus the field's side, with no + 1"
        )
    high, wide = got[1] - got[0], got[3] - got[2]
    if high == wide == size:
        moved_by_side = (got[0], got[2]) == (r * size, c * size)
        not_side = ", not by the field's side" if moved_by_side else ""
        return (
            f"the box has the right size, {size} × {size}, but is in the wrong place. With no padding, unit (0, 0) "
            "looks at the top-left corner of the image, and each step to the next unit moves the box by the "
            f"layer's step in pixels{not_side}"
        )
    others = [name for name, side in _sizes_9_3().items() if side == high == wide and side != size]
    if others:
        return (
            f"your box is {high} × {high}, the field of {' and '.join(others)}; a unit of {layer} sees "
            f"{'more' if high < size else 'less'} of the image"
        )
    return (
        f"the pixels that can move unit ({r}, {c}) of {layer} form a square of the field's side, starting at r "
        "times the layer's step (and c times it for the columns)"
    )


@exercise(
    "9.3",
    hints=(
        "net.receptive_field(n) gives the side and the step of the field after the first n layers: which n "
        "belongs to `layer`?",
        "net.layer_names().index(layer) + 1 is how many layers lead up to and include `layer`. The field's side "
        "says how large the box is. Where it starts is the new part: with no padding, unit (0, 0) "
        "of every layer looks at the image's top-left corner. Draw a 1-D line of pixels and pool1's first units.",
        "Moving one unit down moves the box down by the step (the product of the strides so far). So the box of "
        "unit (r, c) starts at row r × step and column c × step, and the end of a slice is excluded.",
    ),
)
def check_9_3(field_box):
    """Exercise 9.3: ``field_box(layer, r, c)`` is the box of input pixels that can change unit (r, c) of ``layer``."""
    slicing_right = False  # whether an earlier unit's box was right
    for layer, r, c in UNITS_9_3:
        call = f"field_box({layer!r}, {r}, {c})"
        result = call_learner(field_box, layer, r, c, name="field_box")
        if result is None:
            raise NotYet(f"{call} returned None: does your function end with `return top, bottom, left, right`?")
        if isinstance(result, slice) or (isinstance(result, tuple) and any(isinstance(v, slice) for v in result)):
            raise NotYet(
                f"{call} returned slices, {safe_repr(result)}; return four numbers, (top, bottom, left, right)"
            )
        got = as_shape(result, f"{call}", " Pixel positions are whole numbers.")
        if len(got) != 4:
            raise NotYet(f"{call} returned {len(got)} numbers, {got}; return four, (top, bottom, left, right)")
        expected = _field_of(layer, r, c)
        if got == expected:
            slicing_right = True
            continue
        mistake = _box_mistake(got, expected, layer, r, c, slicing_right)
        if min(got) < 0 or max(got) > SIDE_9_2:
            raise NotYet(f"{call} returned {got}, which reaches outside the 28 × 28 image; {mistake}")
        raise NotYet(f"{call} returned {got}: {mistake}.")
