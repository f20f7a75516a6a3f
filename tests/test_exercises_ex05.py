"""Exercises of notebook 05: right answers accepted, wrong ones explained without the answer."""

from fractions import Fraction

import numpy as np
import pytest
from helpers_exercises import assert_correct, assert_not_yet, checker_for, raises_not_implemented

from cnnlib import exercises

# Exercise 5.2 by hand: the full convolution of a = [[1, 2], [0, -1]] and b = [[0, 1, 3], [-1, 0, 2]]
# is the sum of copies of b shifted by (p, q) and scaled by a[p, q]:
#   1 * b at (0, 0):  [[0, 1, 3, 0], [-1, 0, 2, 0], [0, 0, 0, 0]]
#   2 * b at (0, 1):  [[0, 0, 2, 6], [0, -2, 0, 4], [0, 0, 0, 0]]
#  -1 * b at (1, 1):  [[0, 0, 0, 0], [0, 0, -1, -3], [0, 1, 0, -2]]
COMBINED_5_2 = np.array([[0, 1, 5, 6], [-1, -2, 1, 1], [0, 1, 0, -2]])
# The tempting wrong one, the full cross-correlation: copies of a scaled by b[m, n] at (1 - m, 2 - n):
#   1 * a at (1, 1), 3 * a at (1, 0), -1 * a at (0, 2), 2 * a at (0, 0)  (b[0, 0] = b[1, 1] = 0).
CORRELATED_5_2 = np.array([[2, 4, -1, -2], [3, 5, 2, 1], [0, -3, -1, 0]])


def relu_in_place(x):
    x[x < 0] = 0
    return x


def relu_flat(x):
    return np.maximum(x, 0).ravel()


def relu_abs(x):
    return np.abs(x)


def relu_clipped(x):
    return np.clip(x, 0, 1)


def relu_as_bool(x):
    return x > 0


def relu_as_list(x):
    return np.maximum(x, 0).tolist()


def needs_two_arguments(x, y):
    return x


RIGHT = {
    "5.1": [
        lambda x: np.maximum(x, 0),
        lambda x: x * (x > 0),
        lambda x: np.where(x > 0, x, 0),
        lambda x: np.clip(x, 0, None),
        lambda x: (x + np.abs(x)) / 2,
        relu_as_list,  # a nested list of the right numbers is an array of the right shape too
        lambda x: np.maximum(x, 0).astype(np.float32),  # 1e-9 in float32 is still 1e-9, to float32's precision
    ],
    "5.2": [COMBINED_5_2, COMBINED_5_2.astype(float), COMBINED_5_2.tolist(), COMBINED_5_2.astype(np.float32)],
    "5.3": [3 / 16, 0.1875, 0.19, np.float64(0.1875), Fraction(3, 16), np.array(0.1875), np.array([0.1875])],
}


@pytest.mark.parametrize(("exercise_id", "answer"), [(key, a) for key, answers in RIGHT.items() for a in answers])
def test_right_answers_are_accepted(exercise_id, answer):
    assert_correct(checker_for(exercise_id), answer)


@pytest.mark.parametrize(
    ("checker", "answer", "says"),
    [
        (exercises.check_5_1, raises_not_implemented, "replace `raise NotImplementedError()`"),
        (exercises.check_5_1, None, "expected a function"),
        (exercises.check_5_1, lambda x: None, "is None"),
        (exercises.check_5_1, needs_two_arguments, "raised TypeError"),
        (exercises.check_5_1, relu_flat, "expected an array of shape (3, 4), got shape (12,)"),
        (exercises.check_5_1, relu_in_place, "changed the array it was given"),
        (exercises.check_5_1, relu_abs, "for the value -2 at index (0,) it gave 2"),
        (exercises.check_5_1, relu_clipped, "for the value 3 at index (4,) it gave 1"),
        (exercises.check_5_1, relu_as_bool, "it gave 1"),  # True and False count as 1 and 0
        (exercises.check_5_1, lambda x: "relu", "should be an array of numbers, got the text 'relu'"),
        (exercises.check_5_1, lambda x: np.full(x.shape, np.nan), "wrong at"),
        (exercises.check_5_2, None, "replace None"),
        (exercises.check_5_2, CORRELATED_5_2, "full cross-correlation of the two kernels"),
        (exercises.check_5_2, COMBINED_5_2[::-1, ::-1], "turned by 180 degrees"),
        (exercises.check_5_2, COMBINED_5_2 + 1, "differs from applying `kernel_a` and then `kernel_b`"),
        (exercises.check_5_2, np.zeros((4, 4)), "expected an array of shape (3, 4), got shape (4, 4)"),
        (exercises.check_5_2, COMBINED_5_2.ravel(), "expected an array of shape (3, 4), got shape (12,)"),
        (exercises.check_5_2, np.full((3, 4), np.nan), "NaN or infinity"),
        (exercises.check_5_2, [[1, 2], [3]], "array of numbers"),
        (exercises.check_5_2, np.maximum, "got the function"),
        (exercises.check_5_2, "kernel", "array of numbers"),
        (exercises.check_5_3, None, "replace None"),
        (exercises.check_5_3, 3, "count of entries: divide"),
        (exercises.check_5_3, 18.75, "not a percentage"),
        (exercises.check_5_3, 6 / 16, "land exactly on 0"),
        (exercises.check_5_3, 0.5, "add the bias first"),
        (exercises.check_5_3, 12 / 16, "check the sign"),
        (exercises.check_5_3, 13 / 16, "share that becomes 0"),
        (exercises.check_5_3, 0.25, "strictly above 0"),
        (exercises.check_5_3, -0.1, "negative"),
        (exercises.check_5_3, float("nan"), "finite number"),
        (exercises.check_5_3, "3/16", "one number"),
        (exercises.check_5_3, True, "one number"),
        (exercises.check_5_3, [0.1875], "one number"),
    ],
)
def test_wrong_answers_get_a_message_that_says_what_to_look_at(checker, answer, says):
    assert_not_yet(checker, answer, says)


def test_my_relu_gets_a_copy_so_an_in_place_answer_cannot_spoil_later_checks():
    seen = []

    def spy(x):
        seen.append(x.copy())
        return np.maximum(x, 0)

    exercises.check_5_1(spy)
    assert any(x.dtype.kind == "i" for x in seen), "integers are checked too"
    assert any(np.signbit(x).any() and (x == 0).any() for x in seen), "negative zero is checked too"
    assert {x.ndim for x in seen} >= {1, 2, 3}, "arrays of several shapes are checked"


def test_messages_hint_without_giving_the_answer_away():
    assert "convolve2d" not in assert_not_yet(exercises.check_5_2, COMBINED_5_2 + 1)
    for wrong in (0.5, 0.25, 3):
        message = assert_not_yet(exercises.check_5_3, wrong)
        assert "0.1875" not in message and "3/16" not in message
