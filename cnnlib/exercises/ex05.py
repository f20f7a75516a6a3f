"""Checkers for notebook 05 (ReLU).

Expected values come from independent references: ``np.maximum`` for ReLU,
``scipy.signal.correlate2d`` applied twice for the combined kernel (the answer
is judged by what it does, not by its numbers), and a count by hand for the
fraction that survives.
"""

from __future__ import annotations

import numpy as np
from scipy import signal

from ._feedback import NotYet, as_answer_array, as_number, call_learner, exercise, mismatches

__all__ = ["check_5_1", "check_5_2", "check_5_3"]

# Exercise 5.1: inputs of several shapes and dtypes, with negative zero and integers.
RELU_INPUTS = (
    np.array([-2.0, -0.0, 0.0, 0.5, 3.0]),
    np.arange(-6, 6).reshape(3, 4),
    np.array([[[-1.5, 2.0], [0.0, -0.25]], [[4.0, -3.0], [1.0, 1e-9]]]),
    np.array([[-1e6, 1e6, -1e-9]]),
    np.array([7.0]),
)

# Exercise 5.2: the two kernels, as the notebook states them.
KERNEL_A_5_2 = np.array([[1, 2], [0, -1]])
KERNEL_B_5_2 = np.array([[0, 1, 3], [-1, 0, 2]])

# Exercise 5.3: the small map and the bias of the notebook. By hand: only 3, 4 and 5 are > 2.
MAP_5_3 = np.array([[3, -1, 0, 2], [-2, 1, 4, -3], [0, 2, -2, 1], [5, -4, 2, 0]])
BIAS_5_3 = -2
SURVIVING_5_3 = 3 / 16


def _where(index) -> str:
    return "" if index == () else f" at index {index}"


@exercise("5.1")
def check_5_1(my_relu):
    """Exercise 5.1: ``my_relu(x)`` returns max(x, 0) element-wise, same shape, input left unchanged."""
    for x in RELU_INPUTS:
        given = x.copy()
        result = call_learner(my_relu, given, name="my_relu")
        shown = np.array2string(x, separator=", ")
        got = as_answer_array(
            result,
            f"my_relu({shown})",
            shape=x.shape,
            finite=False,
            hint=". ReLU works element by element, so its output has the shape of its input.",
        )
        if not np.array_equal(given, x):
            raise NotYet(
                f"my_relu changed the array it was given (x = {shown} became "
                f"{np.array2string(given, separator=', ')}). Return a new array instead: the caller may still "
                "need the feature map."
            )
        wrong = mismatches(got, np.maximum(x, 0), rtol=1e-6, atol=0)  # float32 is right too; a negative is not
        if wrong:
            index = wrong[0]
            raise NotYet(
                f"my_relu(x) is wrong at {len(wrong)} of {x.size} places for x = {shown}: "
                f"for the value {x[index]:g}{_where(index)} it gave {got[index]:g}. "
                "ReLU turns each negative value into 0 and keeps every other value as it is."
            )


def _two_layers(image, first, second):
    return signal.correlate2d(signal.correlate2d(image, first, mode="valid"), second, mode="valid")


@exercise("5.2")
def check_5_2(combined_kernel):
    """Exercise 5.2: one kernel whose cross-correlation equals correlating with KERNEL_A_5_2, then KERNEL_B_5_2."""
    expected_shape = tuple(a + b - 1 for a, b in zip(KERNEL_A_5_2.shape, KERNEL_B_5_2.shape, strict=True))
    kernel = as_answer_array(
        combined_kernel,
        "`combined_kernel`",
        shape=expected_shape,
        hint=". Each layer shrinks a 'valid' output by its kernel's size minus 1; the combined "
        "kernel must shrink it by the sum of both.",
    )
    correlated = signal.correlate2d(KERNEL_A_5_2, KERNEL_B_5_2, mode="full")
    if np.allclose(kernel, correlated):
        raise NotYet(
            "that is the full cross-correlation of the two kernels, so one of them is flipped the wrong way. "
            "Write out the second layer's output as a double sum over both kernels and see which index runs "
            "backwards."
        )
    rng = np.random.default_rng(5)
    for _ in range(3):
        image = rng.integers(-5, 6, size=(7, 9)).astype(np.float64)
        target = _two_layers(image, KERNEL_A_5_2, KERNEL_B_5_2)
        got = signal.correlate2d(image, kernel, mode="valid")
        if not np.allclose(got, target):
            gap = float(np.abs(got - target).max())
            hint = ""
            if np.allclose(kernel[::-1, ::-1], signal.convolve2d(KERNEL_A_5_2, KERNEL_B_5_2, mode="full")):
                hint = " Your kernel is the right one turned by 180 degrees: undo the flip."
            raise NotYet(
                f"correlating a test image with `combined_kernel` differs from applying `kernel_a` and then `kernel_b` "
                f"by up to {gap:.3g}.{hint} The combined kernel is the 'full' convolution or cross-correlation "
                "of the two kernels: work out which."
            )


@exercise("5.3")
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
    raise NotYet(
        f"{value:g} is not it. Add the bias to each of the {size} entries, then count those that are still "
        "strictly above 0 and divide by the number of entries."
    )
