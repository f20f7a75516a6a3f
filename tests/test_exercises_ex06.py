"""Exercises of notebook 06: right answers accepted, wrong ones explained without the answer."""

import numpy as np
import pytest
from helpers_exercises import BrokenRepr, assert_correct, assert_not_yet, checker_for, raises_not_implemented

import cnnlib
from cnnlib import exercises


# Right answers, written from the notebook's rules (not from the checkers)
def side_and_dropped(n, window, stride):
    side = (n - window) // stride + 1  # starts 0, stride, ..., while a whole window fits
    last_row_read = (side - 1) * stride + window - 1
    return side, n - 1 - last_row_read


def avg_pool_by_reshape(x, size):
    rows, cols = x.shape[0] // size, x.shape[1] // size
    return x[: rows * size, : cols * size].reshape(rows, size, cols, size).mean(axis=(1, 3))


def avg_pool_by_loops(x, size):
    rows, cols = x.shape[0] // size, x.shape[1] // size
    out = np.zeros((rows, cols))
    for i in range(rows):
        for j in range(cols):
            out[i, j] = x[i * size : (i + 1) * size, j * size : (j + 1) * size].mean()
    return out


# Exercise 6.1's map [[1, 0, 4, 2], [3, 2, 0, 1], [0, 5, 1, 1], [2, 0, 0, 3]], pooled by hand: top-left
# {1, 0, 3, 2} -> 3, top-right {4, 2, 0, 1} -> 4, bottom-left {0, 5, 2, 0} -> 5, bottom-right {1, 1, 0, 3} -> 3.
RIGHT = [
    ("6.1", np.array([[3, 4], [5, 3]])),
    ("6.1", [[3.0, 4.0], [5.0, 3.0]]),
    ("6.1", np.array([[3, 4], [5, 3]], dtype=np.uint8)),
    ("6.2", side_and_dropped),
    ("6.2", lambda n, w, s: [float((n - w) // s + 1), (n - w) % s]),
    ("6.2", lambda n, w, s: np.array(side_and_dropped(n, w, s))),  # a pair as an array of two numbers
    ("6.3", avg_pool_by_reshape),
    ("6.3", avg_pool_by_loops),
    ("6.1", np.array([[3, 4], [5, 3]], dtype=np.float32)),
    ("6.1", ((3, 4), (5, 3))),
    ("6.2", lambda n, w, s: np.array(side_and_dropped(n, w, s))),  # an array of the two numbers is a pair too
    ("6.2", lambda n, w, s: tuple(np.int64(v) for v in side_and_dropped(n, w, s))),
    ("6.3", lambda x, size: avg_pool_by_reshape(x, size).astype(np.float32)),
    ("6.3", lambda x, size: avg_pool_by_loops(x, size).tolist()),
]


@pytest.mark.parametrize(("exercise_id", "answer"), RIGHT)
def test_right_answers_are_accepted(exercise_id, answer):
    assert_correct(checker_for(exercise_id), answer)


def test_the_map_of_exercise_6_1_is_the_one_worked_above_and_cannot_be_changed():
    np.testing.assert_array_equal(exercises.EXERCISE_6_1_MAP, [[1, 0, 4, 2], [3, 2, 0, 1], [0, 5, 1, 1], [2, 0, 0, 3]])
    with pytest.raises(ValueError, match="read-only"):
        exercises.EXERCISE_6_1_MAP[0, 0] = 9


def writes_into_x(x, size):
    x[0, 0] = 99.0
    return avg_pool_by_reshape(x, size)


def avg_pool_keeping_partial_windows(x, size):
    starts_h, starts_w = range(0, x.shape[0], size), range(0, x.shape[1], size)
    return np.array([[x[i : i + size, j : j + size].mean() for j in starts_w] for i in starts_h])


@pytest.mark.parametrize(
    ("checker", "answer", "says"),
    [
        (exercises.check_6_1, None, "is None"),
        (exercises.check_6_1, [3, 4, 5, 3], "expected an array of shape (2, 2), got shape (4,)"),
        (exercises.check_6_1, [3, 4, 5, 3], "arrange them as 2 rows of 2"),
        (exercises.check_6_1, exercises.EXERCISE_6_1_MAP, "got shape (4, 4): pooling shrinks the map"),
        (exercises.check_6_1, [[1.5, 1.75], [1.75, 1.25]], "these are the averages"),
        (exercises.check_6_1, [[6, 7], [7, 5]], "these are the sums"),
        (exercises.check_6_1, [[3, 5], [4, 3]], "the right numbers in the wrong places"),
        (exercises.check_6_1, [[3, 4], [5, 1]], "1 of the 4 values is wrong, e.g. the one in row 1, column 1"),
        (exercises.check_6_1, [[0, 0], [0, 0]], "4 of the 4 values are wrong"),
        (exercises.check_6_1, [[np.nan, 4], [5, 3]], "contains NaN"),
        (exercises.check_6_1, "3 4 5 3", "should be an array of numbers, got the text '3 4 5 3'"),
        (exercises.check_6_1, [["3", "4"], ["5", "3"]], "should be an array of numbers, got [['3', '4'], ['5', '3']]"),
        (exercises.check_6_1, [[3, 4], [5]], "should be an array of numbers"),
        (exercises.check_6_1, BrokenRepr(), "should be an array of numbers"),
        (exercises.check_6_1, max, "should be an array of numbers, got the function <built-in function max>"),
        (exercises.check_6_2, raises_not_implemented, "replace `raise NotImplementedError()`"),
        (
            exercises.check_6_2,
            lambda n, w, s: (n // s, side_and_dropped(n, w, s)[1]),
            "gave the side 13, expected 12: n // stride is right",
        ),
        (exercises.check_6_2, lambda n, w, s: (-(-(n - w) // s) + 1, 0), "gave the side 4, expected 3: you also"),
        (exercises.check_6_2, lambda n, w, s: ((n - w) // s, 0), "one too few"),
        (exercises.check_6_2, lambda n, w, s: (n * w * s, 0), "count the positions"),
        (
            exercises.check_6_2,
            lambda n, w, s: ((n - w) // s + 1, n % w),
            "pool_side_and_dropped(26, 3, 2) gave dropped = 2, expected 1",
        ),
        (
            exercises.check_6_2,
            lambda n, w, s: ((n - w) // s + 1, n % w if s == 1 else side_and_dropped(n, w, s)[1]),
            "pool_side_and_dropped(13, 3, 1) gave dropped = 1, expected 0: n % window is right only",
        ),
        (
            exercises.check_6_2,
            lambda n, w, s: ((n - w) // s + 1, 0),
            "pool_side_and_dropped(7, 2, 2) gave dropped = 0, expected 1: find the row where the last window ends",
        ),
        (
            exercises.check_6_2,
            lambda n, w, s: ((n - w) // s + 1, n - ((n - w) // s + 1) * s),
            "the last window starts at (side - 1) * stride",
        ),
        (exercises.check_6_2, lambda n, w, s: (n - w) / s + 1, "should return a pair (side, dropped), got 14.0"),
        (
            exercises.check_6_2,
            lambda n, w, s: ((n - w) / s + 1, 0),
            "the side from pool_side_and_dropped(7, 2, 2) should be a whole number, got 3.5",
        ),
        (exercises.check_6_2, lambda n, w, s: (14, None), "`dropped` from pool_side_and_dropped(28, 2, 2) is None"),
        (exercises.check_6_2, lambda n, w, s: None, "is None: return the pair (side, dropped)"),
        (exercises.check_6_2, lambda n, w: n, "raised TypeError"),
        (exercises.check_6_2, (14, 0), "expected a function"),
        (exercises.check_6_3, raises_not_implemented, "replace `raise NotImplementedError()`"),
        (
            exercises.check_6_3,
            lambda x, s: x.reshape(x.shape[0] // s, s, -1, s).mean(axis=(1, 3)),
            "first keep only the rows and columns that fill whole windows",
        ),
        (exercises.check_6_3, avg_pool_keeping_partial_windows, "drop the rows and columns that do not fill"),
        (exercises.check_6_3, lambda x, s: x, "one number per window, not one per pixel"),
        (exercises.check_6_3, lambda x, s: avg_pool_by_reshape(x, s).ravel(), "expected an array of shape (2, 2)"),
        (exercises.check_6_3, lambda x, s: avg_pool_by_reshape(x, s) * s * s, "returned the sum of each window"),
        (
            exercises.check_6_3,
            lambda x, s: avg_pool_by_reshape(x, s) + (x.shape == (7, 7)),
            "for x of shape (7, 7): the value in row 0, column 0 should be the mean of x[0:2, 0:2]",
        ),
        (exercises.check_6_3, lambda x, s: avg_pool_by_reshape(x, s) * np.nan, "NaN"),
        (exercises.check_6_3, lambda x, s: None, "is None"),
        (exercises.check_6_3, lambda x, s: "mean", "should be an array of numbers"),
        (exercises.check_6_3, writes_into_x, "changed its input x"),
        (exercises.check_6_3, lambda x, s: avg_pool_by_reshape(x, s).T, "row 0, column 1 should be the mean"),
        (exercises.check_6_3, lambda x, s: avg_pool_by_reshape(x.T, s), "should be the mean"),  # wrong axes
        (exercises.check_6_3, lambda x, s: x[: x.shape[0] // s * s, : x.shape[1] // s * s][::s, ::s], "should be"),
        (exercises.check_6_3, lambda x, s: cnnlib.avg_pool2d(x, s), "uses cnnlib.avg_pool2d, which this exercise"),
        (exercises.check_6_3, lambda x, s: cnnlib.sum_pool2d(x, s) / s**2, "uses cnnlib.sum_pool2d"),
        (exercises.check_6_3, cnnlib.avg_pool2d, "uses cnnlib.avg_pool2d"),
        (exercises.check_6_3, lambda x, s: avg_pool_by_reshape(x, s).astype(int), "should be the mean"),  # floors
        (exercises.check_6_1, [[3, 4], [5, 3.5]], "1 of the 4 values is wrong"),
        (exercises.check_6_1, [[[3, 4], [5, 3]]], "got shape (1, 2, 2)"),
        (exercises.check_6_2, lambda n, w, s: ((n - w) // s + 1,), "should return a pair (side, dropped)"),
        (exercises.check_6_2, lambda n, w, s: np.array([[(n - w) // s + 1, 0]]), "should return a pair"),
        (exercises.check_6_2, lambda n, w, s: side_and_dropped(n, w, s)[::-1], "gave the side"),  # swapped
    ],
)
def test_wrong_answers_get_a_message_that_says_what_to_look_at(checker, answer, says):
    assert_not_yet(checker, answer, says)


def max_pool_by_reshape(x, size):
    rows, cols = x.shape[0] // size, x.shape[1] // size
    return x[: rows * size, : cols * size].reshape(rows, size, cols, size).max(axis=(1, 3))


def test_max_pooling_instead_of_average_is_named():
    assert_not_yet(exercises.check_6_3, max_pool_by_reshape, "largest value of each window")


def test_messages_do_not_give_the_answers_away():
    message = assert_not_yet(exercises.check_6_1, [[0, 0], [0, 0]])
    assert "[[3, 4], [5, 3]]" not in message and "3., 4." not in message
    message = assert_not_yet(exercises.check_6_2, lambda n, w, s: (n, 0))
    assert "// stride + 1" not in message and "// s + 1" not in message
