"""Checkers for notebook 05 (ReLU): a layer's bug, a kernel from the combined one, what survives, what commutes.

Expected values come from independent references: ``scipy.signal.correlate2d``
and ``np.maximum`` for a layer and for both orders of ReLU and a convolution,
a reshape for 2 x 2 pooling, ``scipy.signal.convolve2d`` for the combined
kernel that the learner's second kernel makes with the first (the answer is
judged by what it does), and a count by hand for the fraction that survives.
"""

from __future__ import annotations

import numpy as np
from scipy import signal

from ._answers import as_answer_array, as_number, mismatches, shown_apart
from ._feedback import NotYet, call_learner, exercise, safe_repr

__all__ = ["check_5_1", "check_5_2", "check_5_3", "check_5_4", "check_5_5"]

# Exercise 5.1: (image shape, (F, KH, KW), biases) of each test case. The first has biases of both signs and
# kernels that a flip changes, so that every slip shows on it; the others vary F and the kernel's shape.
CASES_5_1 = (
    ((6, 7), (2, 3, 2), (-1.5, 2.0)),
    ((5, 5), (3, 2, 2), (0.5, -0.25, 0.0)),
    ((4, 6), (1, 1, 1), (-2.0,)),
)

# Exercise 5.2: the known first kernel and the combined kernel the notebook gives, the full convolution of
# KERNEL_A_5_2 with a 2 x 2 kernel the learner finds. KERNEL_A_5_2 has a 0 in a corner, so that one weight of
# the unknown kernel cannot be read off a corner of the combined kernel.
KERNEL_A_5_2 = np.array([[1, 2], [0, -1]])
COMBINED_5_2 = np.array([[2, 3, -2], [1, 3, 7], [0, -1, -3]])

# Exercise 5.3: the small map and the bias of the notebook. By hand: only 3, 4 and 5 are > 2.
MAP_5_3 = np.array([[3, -1, 0, 2], [-2, 1, 4, -3], [0, 2, -2, 1], [5, -4, 2, 0]])
BIAS_5_3 = -2
SURVIVING_5_3 = 3 / 16

# Exercise 5.5: the kernel's shape, and the random test images (N(0, 1), seeded) its layer is tried on.
KERNEL_SHAPE_5_5, IMAGES_5_5 = (3, 3), 4


def _case_5_1(number: int):
    """(image, kernels, biases) of test case ``number`` of Exercise 5.1: small whole numbers as floats, seeded."""
    image_shape, kernel_shape, biases = CASES_5_1[number]
    rng = np.random.default_rng(51 + number)
    image = rng.integers(0, 10, size=image_shape).astype(np.float64)
    kernels = rng.integers(-2, 3, size=kernel_shape).astype(np.float64)
    return image, kernels, np.array(biases)


def _layer(image, kernels, biases, flip=False):
    """relu(correlate(image, kernels[f]) + biases[f]) for every f, with scipy: the reference for 5.1."""
    correlate = signal.convolve2d if flip else signal.correlate2d
    maps = np.stack([correlate(image, kernel, mode="valid") for kernel in kernels])
    return maps, np.maximum(maps + np.asarray(biases)[:, None, None], 0)


@exercise(
    "5.1",
    hints=(
        "Run conv_relu_layer_given on a small image with a negative bias and look at the smallest number it "
        "puts out. "
        "What is the smallest number a ReLU layer can ever put out?",
        "The notebook writes a layer as output = ReLU(feature map + bias). Read the loop line by line and "
        "note in which order this function does the two steps.",
        "The bias must reach the feature map before ReLU decides what survives: a negative bias is a "
        "threshold only if it is added first. Move the bias so that ReLU is the last step.",
    ),
)
def check_5_1(conv_relu_layer):
    """Exercise 5.1: ``conv_relu_layer(image, kernels, biases)`` is relu(correlate2d(image, kernels[f]) + biases[f])."""
    for number in range(len(CASES_5_1)):
        image, kernels, biases = _case_5_1(number)
        given = image.copy(), kernels.copy(), biases.copy()
        call = (
            f"conv_relu_layer(image of shape {image.shape}, kernels of shape {kernels.shape}, "
            f"biases {np.array2string(biases, separator=', ')})"
        )
        result = call_learner(conv_relu_layer, *given, name="conv_relu_layer")
        if not all(np.array_equal(a, b) for a, b in zip(given, (image, kernels, biases), strict=True)):
            raise NotYet(
                f"{call} changed its input arrays: compute new maps and leave image, kernels and biases as they are"
            )
        maps, expected = _layer(image, kernels, biases)
        f, oh, ow = expected.shape
        got = as_answer_array(
            result,
            f"the result of {call}",
            shape=expected.shape,
            finite=False,
            hint={
                (oh, ow, f): ". The maps are stacked along the wrong axis: one map per filter, first, (F, OH, OW).",
                (oh, ow): ". The layer puts out one map per filter, F of them, stacked as (F, OH, OW).",
            }.get,
            if_none="is None: does your function end with `return` and the stacked maps?",
        )
        wrong = mismatches(got, expected, rtol=1e-9, atol=1e-9, like=result)
        if not wrong:
            continue
        b = biases[:, None, None]
        if got.min() < 0:
            place = np.unravel_index(np.argmin(got), got.shape)
            detail = f"{got[place]:g} in map {place[0]}, row {place[1]}, column {place[2]}"
            if not mismatches(got, maps + b, rtol=1e-9, atol=1e-9, like=result):
                raise NotYet(f"{call} puts out negative numbers (e.g. {detail}): the ReLU is missing.")
            raise NotYet(
                f"{call} puts out negative numbers (e.g. {detail}), but the output of a ReLU layer is never "
                "negative. Which line lets them through?"
            )
        slips = [
            (np.maximum(maps, 0), "the biases are missing: each map gets its filter's bias before ReLU"),
            (np.maximum(maps - b, 0), "the bias is subtracted; a layer adds it: relu(map + bias)"),
            (
                _layer(image, kernels, biases, flip=True)[1],
                "the kernels are flipped: a CNN layer cross-correlates (cnnlib.correlate2d), without a flip",
            ),
            (np.maximum(maps + b[::-1], 0), "each map gets the bias of another filter: map f gets biases[f]"),
        ]
        for variant, message in slips:
            if not mismatches(got, variant, rtol=1e-9, atol=1e-9, like=result):
                raise NotYet(f"{call}: {message}.")
        place = wrong[0]
        raise NotYet(
            f"{call}: map {place[0]}, row {place[1]}, column {place[2]} is {got[place]:g}, expected "
            f"{expected[place]:g}: relu(correlate2d(image, kernels[f]) + biases[f]) for filter f."
        )


def _unknown_kernel_5_2() -> np.ndarray:
    """The 2 x 2 kernel whose full convolution with KERNEL_A_5_2 is COMBINED_5_2, solved with numpy.

    Column k of the system is the combined kernel of KERNEL_A_5_2 with the k-th unit kernel (the combined kernel
    is linear in the second kernel); the system has a unique, exact solution, since KERNEL_A_5_2 is not all zeros.
    """
    units = np.eye(4).reshape(4, 2, 2)
    system = np.stack([signal.convolve2d(KERNEL_A_5_2, unit).ravel() for unit in units], axis=1)
    return np.linalg.lstsq(system, COMBINED_5_2.ravel().astype(float), rcond=None)[0].reshape(2, 2)


@exercise(
    "5.2",
    hints=(
        "Write the notebook's formula, c[u, v] = sum over r, s of a[u - r, v - s]·b[r, s], for the top-left "
        "corner, u = v = 0: only one product is left. Which weight of kernel_b does it give you?",
        "Each corner of combined_ab is one weight of kernel_a times one weight of kernel_b, so corners give "
        "weights of kernel_b by a division. Where kernel_a's weight is 0 the corner is 0 whatever kernel_b "
        "holds: use an entry next to that corner instead, which has two products, one of them known by now.",
        "Or let numpy do it: combined_ab is linear in kernel_b, 9 equations in 4 unknowns. Build one column per "
        "weight of kernel_b (the combined kernel when that weight is 1 and the others 0) and solve with "
        "np.linalg.lstsq. Check: signal.convolve2d(kernel_a, kernel_b) must give combined_ab.",
    ),
)
def check_5_2(kernel_b):
    """Exercise 5.2: the 2 x 2 ``kernel_b`` whose full convolution with KERNEL_A_5_2 is COMBINED_5_2."""
    got = as_answer_array(
        kernel_b,
        "`kernel_b`",
        shape=(2, 2),
        finite=False,
        hint={
            COMBINED_5_2.shape: ". That is the size of the combined kernel; each layer's kernel is smaller: "
            "K_a + K_b - 1 = 3 rows with K_a = 2.",
        }.get,
        if_none="is None: replace None with your 2 x 2 kernel (a numpy array)",
    )
    if not np.isfinite(got).all():
        raise NotYet(
            "`kernel_b` holds NaN or infinity: a division by 0? Where kernel_a's weight is 0, the corner of "
            "combined_ab is 0 whatever kernel_b holds, so that weight must come from another entry of combined_ab."
        )
    right = _unknown_kernel_5_2()
    made = signal.convolve2d(KERNEL_A_5_2, got)
    if not mismatches(made, COMBINED_5_2, rtol=1e-9, atol=1e-9, like=kernel_b):
        return
    slips = [
        (
            right[::-1, ::-1],
            "your kernel is the right one turned by 180 degrees: it makes combined_ab as the cross-correlation of "
            "the two kernels, but the combined kernel is their convolution (the flip of the notebook's formula)",
        ),
        (right.T, "your kernel is the right one transposed, its rows and columns swapped"),
        (right[::-1, :], "your kernel is the right one upside down: only its rows are flipped"),
        (right[:, ::-1], "your kernel is the right one mirrored left to right: only its columns are flipped"),
        (KERNEL_A_5_2, "that is kernel_a, the first layer's kernel; the exercise asks for the second one"),
    ]
    for variant, message in slips:
        if not mismatches(got, variant, rtol=1e-9, atol=1e-9, like=kernel_b):
            raise NotYet(f"{message}. Check with signal.convolve2d(kernel_a, kernel_b), which must give combined_ab.")
    u, v = np.argwhere(~np.isclose(made, COMBINED_5_2, rtol=1e-9, atol=1e-9))[0]
    shown, wanted = shown_apart(made[u, v], COMBINED_5_2[u, v])
    raise NotYet(
        f"with your kernel, the combined kernel signal.convolve2d(kernel_a, kernel_b) has {shown} at [{u}, {v}], "
        f"where combined_ab has {wanted}. Entry [{u}, {v}] adds a[{u} - r, {v} - s]·b[r, s] over the weights of "
        "kernel_b (a counts as 0 outside its grid): check which products it has."
    )


@exercise(
    "5.3",
    hints=(
        "First add the bias, -2, to every entry; then ReLU keeps only what is still above 0.",
        "An entry survives only if it is strictly greater than 2: an entry equal to 2 lands exactly on 0, and "
        "ReLU keeps 0 at 0.",
        "Count the entries of small_map that are greater than 2, then divide by the 16 entries of the map.",
    ),
)
def check_5_3(surviving_fraction):
    """Exercise 5.3: the fraction of MAP_5_3 that is non-zero after relu(map + BIAS_5_3)."""
    value = as_number(surviving_fraction, "`surviving_fraction`", squeeze=True)
    size = MAP_5_3.size
    if abs(value - SURVIVING_5_3) <= 0.005:
        return
    if value > 1:
        if abs(value - round(value)) < 1e-9 and value <= size:
            raise NotYet(f"{value:g} looks like a count of entries: divide it by the {size} entries of the map")
        raise NotYet(f"{value:g} is larger than 1: give a fraction between 0 and 1, not a percentage")
    if value < 0:
        raise NotYet(f"{value:g} is negative: a fraction of entries lies between 0 and 1")
    mistakes = [
        (
            MAP_5_3 + BIAS_5_3 >= 0,
            "you counted entries that land exactly on 0 after the bias; ReLU keeps them at 0, so they do not survive",
        ),
        (MAP_5_3 > 0, "that is the share of positive entries before the bias: add the bias first"),
        (MAP_5_3 - BIAS_5_3 > 0, "check the sign: the bias is added, and it is negative"),
        (
            MAP_5_3 + BIAS_5_3 <= 0,
            "that is the share that becomes 0; the question asks for the share that stays non-zero",
        ),
    ]
    for counted, message in mistakes:
        count = np.count_nonzero(counted)
        if abs(value - count / size) <= 0.005:
            raise NotYet(f"{value:g} is not it: {message}.")
    if abs(value - SURVIVING_5_3) < 0.5 / size:  # nearer to it than to any other count: rounded too far
        raise NotYet(
            f"{value:g} is close but rounded too far: a fraction of {size} entries is a count divided by {size}; "
            "give the division itself, or its value to within 0.005."
        )
    raise NotYet(
        f"{value:g} is not it. Add the bias to each of the {size} entries, then count those that are still "
        "strictly above 0 and divide by the number of entries."
    )


def _as_bool(value, what: str) -> bool:
    """The learner's True or False (numpy's too), or a NotYet naming ``what``."""
    if isinstance(value, np.ndarray) and value.ndim == 0:
        value = value.item()
    if value is None:
        raise NotYet(f"{what} is None: replace None with True or False")
    if not isinstance(value, (bool, np.bool_)):
        raise NotYet(f"{what} should be True or False, got {safe_repr(value)}")
    return bool(value)


def _avg_pool_2x2(x):
    """2 x 2 average pooling, stride 2, rows and columns left over dropped: a reshape, the reference for 5.4."""
    rows, cols = x.shape[0] // 2, x.shape[1] // 2
    return x[: rows * 2, : cols * 2].reshape(rows, 2, cols, 2).mean(axis=(1, 3))


@exercise(
    "5.4",
    hints=(
        "Try both orders on one 2 x 2 window, by hand: first with four negative numbers, then with four "
        "positive ones, then with a mix of signs.",
        "ReLU never changes which number of a window is the largest; it only lifts the negative ones to 0. "
        "A mean, though, adds all four numbers, and a negative number pulls it down only if ReLU has not "
        "removed it yet.",
        "For the counterexample, one 2 x 2 window is enough: put a negative and a positive number in it and "
        "work out the mean of the window before and after ReLU.",
    ),
)
def check_5_4(max_pool_commutes, avg_pool_commutes=None, counterexample=None):
    """Exercise 5.4: does ReLU commute with 2 x 2 max pooling, with average pooling; a map where the latter differ."""
    if not _as_bool(max_pool_commutes, "`max_pool_commutes`"):
        raise NotYet(
            "`max_pool_commutes` is False, but try to find a window where the two orders differ: ReLU keeps the "
            "order of the numbers (a larger number stays at least as large), so what is the largest one after it?"
        )
    if _as_bool(avg_pool_commutes, "`avg_pool_commutes`"):
        raise NotYet(
            "`avg_pool_commutes` is True, but try a window holding one negative and one positive number: is its "
            "mean the same whether ReLU comes before or after?"
        )
    x = as_answer_array(
        counterexample, "`counterexample`", ndim=2, if_none="is None: replace None with a small 2-D map (a numpy array)"
    )
    if min(x.shape) < 2:
        raise NotYet(f"`counterexample` has shape {x.shape}: 2 x 2 pooling needs at least 2 rows and 2 columns")
    windows = x[: x.shape[0] // 2 * 2, : x.shape[1] // 2 * 2]
    windows = windows.reshape(x.shape[0] // 2, 2, x.shape[1] // 2, 2).swapaxes(1, 2)
    # The two orders differ exactly where a window holds a negative and a positive number: then the mean of
    # the rectified window is positive and larger than the window's mean. Decided on the signs, so that no
    # rounding of the means can hide (or fake) a difference.
    differ = (windows < 0).any(axis=(2, 3)) & (windows > 0).any(axis=(2, 3))
    if differ.any():
        return
    first = _avg_pool_2x2(np.maximum(x, 0))
    then = np.maximum(_avg_pool_2x2(x), 0)
    if (x >= 0).all():
        why = "it has no negative number, so ReLU changes nothing on it"
    elif (x <= 0).all():
        why = "it has no positive number, so both orders give 0 everywhere"
    else:
        why = "none of its 2 x 2 windows holds both a negative and a positive number"
        if x.shape[0] % 2 or x.shape[1] % 2:
            why += " (a last row or column that does not fill a window is dropped by the pooling)"
    raise NotYet(
        f"on `counterexample` both orders give the same pooled map ({np.array2string(first, separator=', ')} "
        f"and {np.array2string(then, separator=', ')}): {why}"
    )


def _orders_5_5(image, kernel):
    """(ReLU then layer, layer then ReLU) on ``image``: 'valid' cross-correlation, no bias, with scipy."""
    relu_first = signal.correlate2d(np.maximum(image, 0), kernel, mode="valid")
    layer_first = np.maximum(signal.correlate2d(image, kernel, mode="valid"), 0)
    return relu_first, layer_first


def _telling_images_5_5(kernel):
    """Images on which the two orders differ for a kernel that does not commute with ReLU, as (image, why)."""
    images = []
    for a, b in zip(*np.nonzero(kernel < 0), strict=True):
        image = np.zeros(kernel.shape)
        image[a, b] = 1.0  # a negative weight makes the positive pixel negative: ReLU removes it only afterwards
        images.append((image, "a negative weight turns a positive pixel into a negative output"))
    positive = list(zip(*np.nonzero(kernel > 0), strict=True))
    if len(positive) >= 2:
        (a, b), (c, d) = positive[:2]
        image = np.zeros(kernel.shape)
        largest = max(kernel[a, b], kernel[c, d])
        image[a, b], image[c, d] = kernel[c, d] / largest, -kernel[a, b] / largest  # the two products cancel
        images.append((image, "a positive and a negative pixel under two weights can cancel"))
    return images


@exercise(
    "5.5",
    hints=(
        "ReLU(a + b) and ReLU(a) + ReLU(b) differ as soon as a and b have opposite signs. A layer's output adds "
        "one product per weight: how many products can it afford?",
        "With two non-zero weights, an image with a positive pixel under one and a negative pixel under the "
        "other makes the two orders differ. So keep a single non-zero weight. Which sign must it have?",
        "For one weight w, compare ReLU(w·x) with w·ReLU(x) for x = 1 and for x = -1, once with w > 0 and once "
        "with w < 0.",
    ),
)
def check_5_5(commuting_kernel):
    """Exercise 5.5: a non-zero 3 x 3 kernel whose layer gives the same with ReLU before it as with ReLU after it."""
    kernel = as_answer_array(
        commuting_kernel,
        "`commuting_kernel`",
        shape=KERNEL_SHAPE_5_5,
        if_none="is None: replace None with your 3 x 3 kernel (a numpy array)",
    )
    if not kernel.any():
        raise NotYet("`commuting_kernel` is all zeros, which commutes with anything; give it at least one weight")
    rng = np.random.default_rng(55)
    # The small telling images first: a message about a 3 x 3 image is easier to follow than a random one.
    images = _telling_images_5_5(kernel) + [(rng.standard_normal((6, 6)), "") for _ in range(IMAGES_5_5)]
    for image, why in images:
        relu_first, layer_first = _orders_5_5(image, kernel)
        scale = max(float(np.abs(relu_first).max()), float(np.abs(layer_first).max()))
        if np.abs(relu_first - layer_first).max() > 1e-9 * scale:
            place = np.unravel_index(np.argmax(np.abs(relu_first - layer_first)), relu_first.shape)
            shown = (
                f"the image {' '.join(np.array2string(image, separator=', ', precision=3).split())}"
                if image.size <= 9
                else "a random image"
            )
            reason = f" Here {why}." if why else ""
            where = f" at {tuple(map(int, place))}" if relu_first.size > 1 else ""
            raise NotYet(
                f"on {shown}, ReLU then the layer gives {relu_first[place]:.4g}{where}, the layer then ReLU "
                f"gives {layer_first[place]:.4g}.{reason}"
            )
