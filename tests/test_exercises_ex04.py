"""Exercises of notebook 04: right answers accepted, wrong ones explained without the answer."""

import numpy as np
import pytest
from helpers_exercises import BrokenRepr, assert_correct, assert_not_yet, raises_not_implemented

from cnnlib import exercises


# Right answers, written from the notebook's rules (not from the checkers)
def side(n, k, s, p):
    return (n + 2 * p - k) // s + 1


def side_with_floor(n, k, s, p):
    return float(np.floor((n + 2 * p - k) / s) + 1)  # a float that is a whole number is fine


# 4.2: x (8, 3, 32, 24), w (16, 3, 5, 5), stride 2, padding 1:
# OH = (32 + 2 - 5) // 2 + 1 = 29 // 2 + 1 = 15, OW = (24 + 2 - 5) // 2 + 1 = 21 // 2 + 1 = 11.
SHAPE = (8, 16, 15, 11)
# 4.3: layer 2 has 32 filters of 16 x 3 x 3 plus 32 biases; a dense layer of 100 units on 64 * 64 * 3 inputs.
CONV, DENSE = 32 * 16 * 3 * 3 + 32, 64 * 64 * 3 * 100 + 100


@pytest.mark.parametrize("answer", [side, side_with_floor])
def test_4_1_right_answers_are_accepted(answer):
    assert_correct(exercises.check_4_1, answer)


@pytest.mark.parametrize(
    "answer",
    [
        SHAPE,
        list(SHAPE),
        tuple(np.int64(v) for v in SHAPE),
        np.array(SHAPE),
        (8, 16, 15.0, 11.0),  # 32 / 2 style arithmetic gives whole floats: the same shape
        (8, 16, np.float64(15), np.array(11)),
    ],
)
def test_4_2_right_answers_are_accepted(answer):
    assert_correct(exercises.check_4_2, answer)


@pytest.mark.parametrize(("conv", "dense"), [(CONV, DENSE), (np.int64(CONV), float(DENSE)), (np.array(CONV), DENSE)])
def test_4_3_right_answers_are_accepted(conv, dense):
    assert_correct(exercises.check_4_3, conv, dense)


@pytest.mark.parametrize(
    ("answer", "says"),
    [
        (raises_not_implemented, "replace `raise NotImplementedError()`"),
        (lambda n, k, s, p: 1 / 0, "raised ZeroDivisionError"),
        (lambda n, k: n - k + 1, "raised TypeError"),
        (lambda n, k, s, p: None, "is None"),
        (lambda n, k, s, p: float("nan"), "whole number"),
        (lambda n, k, s, p: [1, 2], "whole number"),
        (lambda n, k, s, p: BrokenRepr(), "whole number"),
        (26, "expected a function"),
        (None, "expected a function"),
        (lambda n, k, s, p: (n + 2 * p - k) / s + 1, "round down"),
        (lambda n, k, s, p: (n - k) // s + 1, "padding is missing"),
        (lambda n, k, s, p: (n + p - k) // s + 1, "on *each* side"),
        (lambda n, k, s, p: (n + 2 * p - k) // s, "count the first position"),
        (lambda n, k, s, p: -(-(n + 2 * p - k) // s) + 1, "You rounded up"),
        (lambda n, k, s, p: n + 2 * p - k + 1, "stride is missing"),
        (lambda n, k, s, p: 3, "returned 3, expected 26"),
        (lambda n, k, s, p: np.array([(n + 2 * p - k) // s + 1]), "whole number"),
    ],
)
def test_4_1_wrong_answers_are_explained(answer, says):
    assert_not_yet(exercises.check_4_1, answer, says)


def test_4_1_reports_a_case_where_the_floor_matters():
    # (8, 3, 2, 0): 5 / 2 = 2.5 steps, so 3 positions, not 4 (rounded up) or 3.5.
    def rounds_up(n, k, s, p):
        return -(-(n + 2 * p - k) // s) + 1

    assert_not_yet(exercises.check_4_1, rounds_up, "output_side(8, 3, 2, 0) returned 4, expected 3")


@pytest.mark.parametrize(
    ("answer", "says"),
    [
        (None, "replace None"),
        ("(8, 16, 15, 11)", "tuple of 4 whole numbers"),
        (15, "tuple of 4 whole numbers"),
        ((16, 15, 11), "forget N"),
        ((8, 16, 15, 11, 1), "holds 5"),
        ((8, 16, 14.5, 11), "round down"),
        ((8, 16, 15.5, 11.5), "whole numbers"),
        ((8, 16, "15", 11), "whole numbers"),
        ((8, 16, None, 11), "whole numbers"),
        ((True, 16, 15, 11), "whole numbers"),
        ((1, 16, 15, 11), "keeps the number of images"),
        ((8, 3, 15, 11), "number of input channels C"),
        ((8, 5, 15, 11), "one feature map per filter"),
        ((8, 16, 11, 15), "swapped"),
        ((8, 16, 16, 11), "You rounded up"),
        ((8, 16, 30, 11), "stride is missing"),
        ((8, 16, 15, 10), "width W = 24"),
        ((8, 16, 28, 20), "OH = 28"),
        (np.zeros((2, 2)), "whole numbers"),
        ({"N": 8}, "tuple of 4"),
    ],
)
def test_4_2_wrong_answers_are_explained(answer, says):
    assert_not_yet(exercises.check_4_2, answer, says)


@pytest.mark.parametrize(
    ("conv", "dense", "says"),
    [
        (None, DENSE, "`conv_params` is None"),
        (CONV, None, "`dense_params` is None"),
        ("4640", DENSE, "whole number"),
        (float("nan"), DENSE, "whole number"),
        (CONV + 0.5, DENSE, "whole number"),
        (32 * 16 * 9, DENSE, "biases are missing: each filter"),
        (32 * 3 * 9 + 32, DENSE, "layer 1's output"),
        (32 * 9 + 32, DENSE, "one k x k slice per input channel"),
        (64 * 64 * 16 * 32, DENSE, "does not depend on the image's height or width"),
        (1234, DENSE, "count per filter"),
        (CONV, 64 * 64 * 3 * 100, "biases are missing: each unit"),
        (CONV, 64 * 64 * 100 + 100, "3 numbers per pixel"),
        (CONV, 64 * 64 * 3, "counts the inputs"),
        (CONV, 5, "(number of inputs) x (number of units)"),
        (BrokenRepr(), DENSE, "whole number"),
    ],
)
def test_4_3_wrong_answers_are_explained(conv, dense, says):
    assert_not_yet(exercises.check_4_3, conv, says, more=(dense,))


def test_4_3_with_a_single_argument_says_what_is_missing():
    assert_not_yet(exercises.check_4_3, CONV, "`dense_params` is None")


def test_messages_hint_without_giving_the_answer_away():
    assert "15" not in assert_not_yet(exercises.check_4_2, (8, 16, 16, 11))
    assert str(CONV) not in assert_not_yet(exercises.check_4_3, 1234, more=(DENSE,))
    assert str(DENSE) not in assert_not_yet(exercises.check_4_3, CONV, more=(5,))


@pytest.mark.parametrize(
    "answer",
    [
        lambda n, k, s, p: np.int64((n + 2 * p - k) // s + 1),
        lambda n, k, s, p: np.array((n + 2 * p - k) // s + 1),  # a 0-d array is one number
        lambda n, k, s, p: len(range(0, n + 2 * p - k + 1, s)),  # counting the starts
    ],
)
def test_4_1_accepts_every_form_of_the_right_count(answer):
    assert_correct(exercises.check_4_1, answer)


@pytest.mark.parametrize(("conv", "dense"), [(float(CONV), float(DENSE)), (np.float32(CONV), np.array(DENSE))])
def test_4_3_accepts_whole_floats_and_0d_arrays(conv, dense):
    assert_correct(exercises.check_4_3, conv, dense)
