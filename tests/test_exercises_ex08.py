"""Exercises of notebook 08: right answers accepted, wrong ones explained without the answer."""

from fractions import Fraction

import numpy as np
import pytest
from helpers_exercises import BrokenRepr, assert_correct, assert_not_yet, checker_for, raises_not_implemented

from cnnlib import exercises


# Right answers, written from the notebook's rules (not from the checkers)
def relu_backward(x, grad_out):
    return np.where(x > 0, grad_out, 0.0)


# 2 x 2 max pooling of [[1, 3, 2, 0], [4, 2, 1, 5], [0, 6, 3, 1], [2, 1, 7, 2]]: the winners are
# 4 at (1, 0), 5 at (1, 3), 6 at (2, 1) and 7 at (3, 2); each receives its window's upstream gradient.
POOL_GRAD = np.array([[0.0, 0.0, 0.0, 0.0], [1.0, 0.0, 0.0, -2.0], [0.0, 3.0, 0.0, 0.0], [0.0, 0.0, 0.5, 0.0]])

# The toy's loss L(w) = mean((w x - y)^2) with x = 1, 2, 3, 4 has L'' = 2 mean(x^2) = 15, so each step
# multiplies the distance to the best w (1.99) by (1 - 15 lr); 10 steps from w = 0 must bring it under 0.01:
# |1 - 15 lr|^10 < 0.01 / 1.99, i.e. 0.0274 < lr < 0.106.
GOOD_RATES = [0.03, 1 / 15, 0.1]

RIGHT = [("8.1", relu_backward), ("8.2", POOL_GRAD), ("8.3", 0.05), ("8.3", np.float32(0.05)), ("8.3", np.array(0.05))]


@pytest.mark.parametrize(("exercise_id", "answer"), RIGHT)
def test_right_answers_are_accepted(exercise_id, answer):
    assert_correct(checker_for(exercise_id), answer)


@pytest.mark.parametrize(
    "answer",
    [
        lambda x, g: g * (x > 0),
        lambda x, g: np.maximum(np.sign(x), 0) * g,
        lambda x, g: [list(row) for row in np.where(x > 0, g, 0)] if x.ndim == 2 else np.where(x > 0, g, 0),
    ],
)
def test_other_right_relu_backwards_are_accepted(answer):
    assert_correct(exercises.check_8_1, answer)


@pytest.mark.parametrize("rate", GOOD_RATES)
def test_every_rate_in_the_converging_range_is_accepted(rate):
    assert_correct(exercises.check_8_3, rate)


def test_a_list_and_an_int_array_are_accepted_for_the_pooling_gradient():
    assert_correct(exercises.check_8_2, POOL_GRAD.tolist())
    assert_correct(exercises.check_8_2, (POOL_GRAD * 2).astype(int) / 2)


def in_place(x, g):
    g[x <= 0] = 0
    return g


@pytest.mark.parametrize(
    ("checker", "answer", "says"),
    [
        (exercises.check_8_1, raises_not_implemented, "replace `raise NotImplementedError()`"),
        (exercises.check_8_1, lambda x, g: 1 / 0, "raised ZeroDivisionError"),
        (exercises.check_8_1, lambda x: x, "raised TypeError"),
        (exercises.check_8_1, lambda x, g: None, "is None"),
        (exercises.check_8_1, "x > 0", "expected a function"),
        (exercises.check_8_1, lambda x, g: g.sum(), "expected an array of shape (4,), got shape ()"),
        (exercises.check_8_1, lambda x, g: g * np.nan, "NaN"),
        (exercises.check_8_1, lambda x, g: (x > 0).astype(float), "multiply it by the gradient"),
        (exercises.check_8_1, lambda x, g: g, "block it where the input x was negative"),
        (exercises.check_8_1, lambda x, g: np.maximum(g, 0), "depends on the forward input x"),
        (exercises.check_8_1, lambda x, g: np.maximum(x, 0), "the forward pass"),
        (exercises.check_8_1, lambda x, g: g * (x < 0), "the other way round"),
        (exercises.check_8_1, lambda x, g: 2 * g * (x > 0), "is wrong at index (2,), where x is positive"),
        (exercises.check_8_1, in_place, "changed its inputs in place"),
        (exercises.check_8_1, lambda x, g: "gradient", "should be an array of numbers, got the text 'gradient'"),
        (exercises.check_8_1, lambda x, g: x > 0, "multiply it by the gradient"),  # True and False count as 1 and 0
        (exercises.check_8_2, None, "replace None"),
        (
            exercises.check_8_2,
            np.array([[1.0, -2.0], [3.0, 0.5]]),
            "expected an array of shape (4, 4), got shape (2, 2)",
        ),
        (exercises.check_8_2, [[1.0, -2.0], [3.0, 0.5]], "not of the pooled output"),
        (exercises.check_8_2, np.zeros(16), "expected an array of shape (4, 4), got shape (16,)"),
        (exercises.check_8_2, "[[0, 0], [0, 0]]", "should be an array of numbers, got the text '[[0, 0], [0, 0]]'"),
        (exercises.check_8_2, POOL_GRAD.astype(str), "should be an array of numbers"),
        (exercises.check_8_2, np.full((4, 4), np.nan), "NaN"),
        (exercises.check_8_2, np.kron([[1.0, -2.0], [3.0, 0.5]], np.ones((2, 2))) / 4, "average pooling"),
        (exercises.check_8_2, np.kron([[1.0, -2.0], [3.0, 0.5]], np.ones((2, 2))), "to all 4 of its inputs"),
        (exercises.check_8_2, np.zeros((4, 4)), "top-left 2 x 2 window of your answer has 0 non-zero"),
        (exercises.check_8_2, POOL_GRAD.T, "top-left window the gradient went to the wrong input"),
        (exercises.check_8_2, np.where(POOL_GRAD == 3.0, 1.0, POOL_GRAD), "bottom-left window the right input"),
        (exercises.check_8_2, np.abs(POOL_GRAD), "top-right window the right input"),
        (exercises.check_8_3, None, "replace None"),
        (exercises.check_8_3, "0.05", "should be one number"),
        (exercises.check_8_3, True, "should be one number"),
        (exercises.check_8_3, BrokenRepr(), "should be one number"),
        (exercises.check_8_3, float("nan"), "finite number"),
        (exercises.check_8_3, -0.05, "does not go downhill"),
        (exercises.check_8_3, 0.0, "does not go downhill"),
        (exercises.check_8_3, 0.001, "too slow"),
        (exercises.check_8_3, 0.02, "Try a larger learning rate"),
        (exercises.check_8_3, 0.12, "jumps back and forth"),
        (exercises.check_8_3, 0.14, "diverges"),
        (exercises.check_8_3, 1e300, "diverges"),
    ],
)
def test_wrong_answers_get_a_message_that_says_what_to_look_at(checker, answer, says):
    assert_not_yet(checker, answer, says)


@pytest.mark.parametrize("rate", [0.001, 0.02, 0.12, 0.14])
def test_learning_rate_messages_never_give_the_working_range_away(rate):
    message = assert_not_yet(exercises.check_8_3, rate)
    for secret in ("0.0274", "0.027", "0.106", "1/15", "0.0667", "0.133"):
        assert secret not in message


def test_pooling_messages_never_show_the_expected_array():
    message = assert_not_yet(exercises.check_8_2, np.zeros((4, 4)))
    assert "-2" not in message and "0.5" not in message


@pytest.mark.parametrize(
    ("exercise_id", "answer"),
    [
        ("8.1", lambda x, g: np.where(x > 0, g, 0.0).astype(np.float32)),  # float32: right within its precision
        ("8.1", lambda x, g: g * (x >= 0)),  # no entry is exactly 0, so >= and > agree
        ("8.2", POOL_GRAD.astype(np.float32)),
        ("8.2", tuple(map(tuple, POOL_GRAD))),
        ("8.3", [0.05]),  # a list holding one number is that number
        ("8.3", Fraction(1, 15)),
        ("8.3", np.array([0.05], dtype=np.float32)),
    ],
)
def test_every_form_of_a_right_answer_is_accepted(exercise_id, answer):
    assert_correct(checker_for(exercise_id), answer)


@pytest.mark.parametrize(
    ("checker", "answer", "says"),
    [
        (exercises.check_8_1, lambda x, g: g * x, "is wrong at index"),  # multiplied by the input, not its slope
        (exercises.check_8_1, lambda x, g: np.maximum(x, 0) * g, "is wrong at index"),
        (exercises.check_8_1, lambda x, g: np.where(x > 0, g, 0.01 * g), "where x is negative"),  # leaky ReLU's
        (exercises.check_8_1, lambda x, g: np.where(x > 0, g, 0).astype(int), "is wrong at index"),  # fractions lost
        (exercises.check_8_1, lambda x, g: np.where(x > 0, g, 0).T, "got shape (4, 3)"),
        (exercises.check_8_2, -POOL_GRAD, "the right input gets the gradient, but not the right value"),
        (exercises.check_8_2, POOL_GRAD * np.array([[1, 3, 2, 0], [4, 2, 1, 5], [0, 6, 3, 1], [2, 1, 7, 2]]), "value"),
        (exercises.check_8_2, np.array([[0, 0, 0, 0], [1, 0, 0, -2], [0, 3, 0, 0], [0, 0, 0.5, 0]]).T, "wrong input"),
        (exercises.check_8_2, np.array([[0, 0, 0, -2.0], [1, 0, 0, 0], [0, 0, 0, 0], [3, 0, 0.5, 0]]), "wrong input"),
        (exercises.check_8_3, [0.05, 0.1], "should be one number"),
        (exercises.check_8_3, 0.0274, "Try a larger learning rate"),  # just outside the range that converges
        (exercises.check_8_3, 0.1061, "Try a somewhat smaller learning rate"),
    ],
)
def test_nearly_right_answers_are_named(checker, answer, says):
    assert_not_yet(checker, answer, says)


@pytest.mark.parametrize("rate", [0.0274, 0.1061])
def test_a_rate_at_the_edge_is_never_told_it_is_as_far_away_as_allowed(rate):
    message = assert_not_yet(exercises.check_8_3, rate)
    assert "still 0.01 away" not in message and "is still 0.01 away" not in message
    assert "(it must be within 0.01)" in message
