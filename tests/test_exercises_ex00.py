"""Exercises of notebook 00: right answers accepted, wrong ones explained without the answer."""

import numpy as np
import pytest
from helpers_exercises import BrokenRepr, assert_correct, assert_not_yet, checker_for, raises_not_implemented

from cnnlib import exercises


# Right answers, written from the notebook's rules (not from the checkers)
def side(n, k):
    return n - k + 1


RIGHT = [
    ("0.1", side),
    ("0.1", lambda n, k: np.array(n - k + 1)),  # a 0-d array is one number
    ("0.2", [(32, 32), (6, 28, 28), (6, 28, 28), (6, 14, 14)]),
    ("0.2", [(32, 32), (6, 28, 28), (6, 28, 28), (6, 14.0, 14.0)]),  # side / 2 gives the whole number 14.0
    ("0.2", ([32, 32], np.array([6, 28, 28]), (np.int64(6), 28, 28), (6, np.float32(14), 14))),
    ("0.3", 1176.0),
    ("0.3", np.array(1176)),
    ("0.3", 6 * 14 * 14),
    ("0.3", np.int64(6 * 14 * 14)),
]


@pytest.mark.parametrize(("exercise_id", "answer"), RIGHT)
def test_right_answers_are_accepted(exercise_id, answer):
    assert_correct(checker_for(exercise_id), answer)


def divides_by_zero(n, k):
    return 1 / 0


@pytest.mark.parametrize(
    ("checker", "answer", "says"),
    [
        (exercises.check_0_1, raises_not_implemented, "replace `raise NotImplementedError()`"),
        (exercises.check_0_1, divides_by_zero, "raised ZeroDivisionError"),
        (exercises.check_0_1, lambda n, k: n - k, "returned 25, expected 26"),
        (exercises.check_0_1, lambda n, k: None, "is None"),
        (exercises.check_0_1, lambda n: n, "raised TypeError"),
        (exercises.check_0_1, 26, "expected a function"),
        (exercises.check_0_1, lambda n, k: float("nan"), "whole number"),
        (exercises.check_0_2, None, "replace None"),
        (exercises.check_0_2, [(32, 32), (6, 28, 28), (6, 14, 14)], "hold 4 shapes"),
        (exercises.check_0_2, [(32, 32), (28, 28), (6, 28, 28), (6, 14, 14)], "(maps, height, width)"),
        (
            exercises.check_0_2,
            [(1, 32, 32), (6, 28, 28), (6, 28, 28), (6, 14, 14)],
            "the shape of the image itself should be (height, width)",
        ),
        (exercises.check_0_2, [(32, 32), (6, 30, 30), (6, 30, 30), (6, 15, 15)], "after convolution"),
        (exercises.check_0_2, [(32, 32), (6, 28, 28), (6, 28, 28), (6, 28, 28)], "after pooling"),
        (
            exercises.check_0_2,
            [(32, 32), (6, 28, 28), (6, 28, 28), (6, 14.5, 14.5)],
            "whole numbers, got (6, 14.5, 14.5). A side is a whole number of pixels: round down",
        ),
        (exercises.check_0_2, [(32, 32), (6, 28, 28), (6, 28, 28), (6, "14", 14)], "tuple of whole numbers"),
        (exercises.check_0_2, [(32, 32), (6, 28, 28), (6, 28, 28), (6, True, 14)], "tuple of whole numbers"),
        (exercises.check_0_2, [(32, 32), (28, 28, 6), (28, 28, 6), (14, 14, 6)], "after convolution"),
        (exercises.check_0_2, [(32, 32), (6, 27, 27), (6, 27, 27), (6, 13, 13)], "after convolution"),
        (exercises.check_0_2, [(32, 32), (6, 28, 28), (6, 14, 14), (6, 14, 14)], "after ReLU"),
        (exercises.check_0_2, [(32, 32), (6, 28, 28), (6, 28, 28), (6, 13, 13)], "after pooling"),
        (exercises.check_0_2, [(32, 32), (6, 28, 28), (6, 28, 28), (3, 14, 14)], "after pooling"),
        (exercises.check_0_2, "32x32", "list of 4 tuples"),
        (exercises.check_0_3, None, "replace None"),
        (exercises.check_0_3, 6 * 28 * 28, "too large"),
        (exercises.check_0_3, 14 * 14, "too small"),
        (exercises.check_0_3, 6 * 13 * 13, "too small"),
        (exercises.check_0_3, 1176.5, "whole number"),
        (exercises.check_0_3, 10**400, "= 10000000000000000... is too large"),
        (exercises.check_0_3, "1176", "whole number"),
        (exercises.check_0_3, True, "whole number"),
        (exercises.check_0_3, BrokenRepr(), "whole number"),
    ],
)
def test_wrong_answers_get_a_message_that_says_what_to_look_at(checker, answer, says):
    assert_not_yet(checker, answer, says)


def test_messages_hint_without_giving_the_formula_away():
    assert "n - k + 1" not in assert_not_yet(exercises.check_0_1, lambda n, k: n - k)
    assert "1176" not in assert_not_yet(exercises.check_0_3, 1000)
