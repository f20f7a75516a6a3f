"""Exercises of notebook 07: right answers accepted, wrong ones explained without the answer."""

import math
import warnings

import numpy as np
import pytest
import scipy.special
from helpers_exercises import BrokenRepr, assert_correct, assert_not_yet, checker_for

import cnnlib
from cnnlib import exercises


# Right answers, written from the notebook's rules (not from the checkers)
def stable_softmax(z):
    z = np.asarray(z, dtype=float)
    exps = np.exp(z - z.max(axis=-1, keepdims=True))
    return exps / exps.sum(axis=-1, keepdims=True)


def stable_softmax_as_lists(z):
    return stable_softmax(z).tolist()


def flat_index(c, h, w, height, width):
    return c * height * width + h * width + w


RIGHT = {
    "7.1": [stable_softmax, stable_softmax_as_lists],
    "7.2": [flat_index, lambda c, h, w, height, width: float((c * height + h) * width + w)],
    "7.3": [16 * 12 * 12 * 10 + 10, 23050.0, np.int64(23050), np.array(23050)],
}


@pytest.mark.parametrize(("exercise_id", "answer"), [(key, a) for key, answers in RIGHT.items() for a in answers])
def test_right_answers_are_accepted(exercise_id, answer):
    assert_correct(checker_for(exercise_id), answer)


# Wrong softmaxes a learner might write
def naive(z):
    return np.exp(z) / np.exp(z).sum(axis=-1, keepdims=True)


def one_max_for_all_rows(z):
    exps = np.exp(z - z.max())
    return exps / exps.sum(axis=-1, keepdims=True)


def sum_of_whole_array(z):
    exps = np.exp(z - z.max(axis=-1, keepdims=True))
    return exps / exps.sum()


def max_without_keepdims(z):
    exps = np.exp(z - z.max(axis=-1))
    return exps / exps.sum(axis=-1)


def changes_its_input(z):
    z -= z.max(axis=-1, keepdims=True)
    return np.exp(z) / np.exp(z).sum(axis=-1, keepdims=True)


def with_math_exp(z):
    return [math.exp(v) / sum(math.exp(u) for u in z) for v in z]


def not_implemented(z):
    raise NotImplementedError()


def forgets_to_divide(z):
    return np.exp(z - z.max(axis=-1, keepdims=True))


def returns_logits(z):
    return z - z.max(axis=-1, keepdims=True)


def divides_by_the_max(z):
    exps = np.exp(z - z.max(axis=-1, keepdims=True))
    return exps / exps.max(axis=-1, keepdims=True)


def negative_probabilities(z):
    return stable_softmax(z) * 2 - stable_softmax(z) * 3 + 0 * z


def returns_infinity(z):
    return np.full(np.shape(z), np.inf)


@pytest.mark.parametrize(
    ("checker", "answer", "says"),
    [
        (exercises.check_7_1, naive, "your softmax returned nan for logits around 1000: subtract the largest logit"),
        (exercises.check_7_1, one_max_for_all_rows, "subtract each row's own largest logit"),
        (exercises.check_7_1, sum_of_whole_array, "each row should add up to 1"),
        (exercises.check_7_1, max_without_keepdims, "keepdims=True"),
        (exercises.check_7_1, changes_its_input, "changed its input z in place"),
        (exercises.check_7_1, with_math_exp, "exp of logits as large as 1002 is out of range"),
        (exercises.check_7_1, not_implemented, "replace `raise NotImplementedError()`"),
        (exercises.check_7_1, forgets_to_divide, "adds up to"),
        (exercises.check_7_1, returns_logits, "never negative"),
        (exercises.check_7_1, divides_by_the_max, "adds up to"),
        (exercises.check_7_1, negative_probabilities, "never negative"),
        (exercises.check_7_1, returns_infinity, "infinity"),
        (exercises.check_7_1, lambda z: None, "returned None"),
        (exercises.check_7_1, lambda z: 1.0, "expected an array of shape (3,), got shape (); return one probability"),
        (exercises.check_7_1, lambda z: "abc", "should be an array of numbers, got the text 'abc'"),
        (exercises.check_7_1, lambda z: stable_softmax(z).astype(complex), "should be an array of numbers"),
        (exercises.check_7_1, lambda z: [np.nan] * len(z), "returned nan"),
        (exercises.check_7_1, lambda: 1, "raised TypeError"),
        (exercises.check_7_1, None, "expected a function"),
        (exercises.check_7_2, lambda c, h, w, height, width: flat_index(c, h, w, height, width) + 1, "start at 0"),
        (exercises.check_7_2, lambda c, h, w, height, width: c + h * width + w, "whole map of height * width"),
        (exercises.check_7_2, lambda c, h, w, height, width: c * height * width + w * height + h, "row by row"),
        (exercises.check_7_2, lambda c, h, w, height, width: c * height * width + h * height + w, "row by row"),
        (exercises.check_7_2, lambda c, h, w, height, width: h * width + w, "whole maps first"),
        (exercises.check_7_2, lambda c, h, w, height, width: None, "is None"),
        (exercises.check_7_2, lambda c, h, w, height, width: 1.5, "whole number"),
        (exercises.check_7_2, lambda c, h, w: 0, "raised TypeError"),
        (exercises.check_7_2, 11, "expected a function"),
        (exercises.check_7_3, None, "replace None"),
        (exercises.check_7_3, 2304 * 10, "the biases are learned too"),
        (exercises.check_7_3, 2304, "how many numbers go in"),
        (exercises.check_7_3, 2304 + 10, "its own row of D weights"),
        (exercises.check_7_3, 12 * 12 * 10 + 10, "maps x height x width"),
        (exercises.check_7_3, 2304 * 10 + 16, "one bias per output unit"),
        (exercises.check_7_3, 10**9, "too large"),
        (exercises.check_7_3, 7, "too small"),
        (exercises.check_7_3, "23050", "whole number"),
        (exercises.check_7_3, float("nan"), "whole number"),
        (exercises.check_7_3, True, "whole number"),
        (exercises.check_7_3, BrokenRepr(), "whole number"),
    ],
)
def test_wrong_answers_get_a_message_that_says_what_to_look_at(checker, answer, says):
    assert_not_yet(checker, answer, says)


@pytest.mark.parametrize("softmax", [naive, one_max_for_all_rows, with_math_exp, returns_infinity])
def test_a_softmax_that_overflows_raises_no_warning_only_the_feedback(softmax):
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # any RuntimeWarning that escaped the checker would fail here
        assert_not_yet(exercises.check_7_1, softmax)


def test_checker_messages_print_arrays_on_one_line():
    message = assert_not_yet(exercises.check_7_1, sum_of_whole_array, "[[1., 2., 3.], [3., 1., 0.]]")
    assert "\n" not in message


def test_messages_hint_without_giving_the_answer_away():
    message = assert_not_yet(exercises.check_7_3, 2304)
    assert "23050" not in message and "23,050" not in message
    message = assert_not_yet(exercises.check_7_2, lambda c, h, w, height, width: 0)
    assert "height * width +" not in message and "c * height" not in message


# ---------------------------------------------------------------- 7.1: softmaxes that are almost right
def shifted_by(shift):
    """A softmax that subtracts ``shift(z)`` (one number per row, keepdims) instead of each row's largest logit."""

    def softmax(z):
        exps = np.exp(z - shift(z))
        return exps / exps.sum(axis=-1, keepdims=True)

    return softmax


# Each passes [1, 2, 3] and [1000, 1001, 1002] (any per-row shift does), and returns nan once the logits of one
# row lie more than 709 apart, where exp overflows: [0, 1000] for the smallest and the first logit, [-800, 0, 800]
# for the mean, [1000, 0] for the last, [0, 0, 1000] for the median.
ALMOST_RIGHT = {
    "the smallest logit": shifted_by(lambda z: z.min(axis=-1, keepdims=True)),
    "the mean of the logits": shifted_by(lambda z: z.mean(axis=-1, keepdims=True)),
    "the first logit": shifted_by(lambda z: z[..., :1]),
    "the last logit": shifted_by(lambda z: z[..., -1:]),
    "the median of the logits": shifted_by(lambda z: np.median(z, axis=-1, keepdims=True)),
}


@pytest.mark.parametrize("shift", ALMOST_RIGHT, ids=list(ALMOST_RIGHT))
def test_7_1_names_a_shift_that_overflows_when_the_logits_lie_far_apart(shift):
    softmax = ALMOST_RIGHT[shift]
    assert_correct_on_close_logits = np.allclose(softmax(np.array([1000.0, 1001.0, 1002.0])), stable_softmax([0, 1, 2]))
    assert assert_correct_on_close_logits, "the adversarial answer must pass the easy cases"
    message = assert_not_yet(exercises.check_7_1, softmax, "is wrong for logits that lie far apart")
    assert f"It looks as if you subtract {shift}:" in message and "Subtract each row's largest logit" in message


def test_7_1_tries_logits_more_than_709_apart():
    # exp(709.8) is the largest float; a case must overflow every shift but the largest logit's
    tried = []
    exercises.check_7_1(lambda z: tried.append(np.ptp(z, axis=-1).max()) or stable_softmax(z))
    assert max(tried) >= 1000


def with_logsumexp(z):
    from scipy.special import logsumexp  # allowed: the text forbids only a ready-made softmax

    return np.exp(z - logsumexp(z, axis=-1, keepdims=True))


@pytest.mark.parametrize(
    "softmax",
    [
        lambda z: stable_softmax(np.asarray(z, dtype=np.float32)),  # float32 probabilities: right within float32
        with_logsumexp,
        lambda z: stable_softmax(z).tolist(),
        lambda z: tuple(map(tuple, np.atleast_2d(stable_softmax(z)))) if np.ndim(z) == 2 else tuple(stable_softmax(z)),
    ],
)
def test_7_1_accepts_every_form_of_a_stable_softmax(softmax):
    assert_correct(exercises.check_7_1, softmax)


def column_softmax(z):
    exps = np.exp(z - z.max(axis=0, keepdims=True))
    return exps / exps.sum(axis=0, keepdims=True)


@pytest.mark.parametrize(
    ("softmax", "says"),
    [
        (lambda z: cnnlib.softmax(z), "my_softmax uses cnnlib.softmax, which this exercise forbids"),
        (cnnlib.softmax, "uses cnnlib.softmax"),
        (lambda z: scipy.special.softmax(z, axis=-1), "uses scipy.special.softmax"),
        (lambda z: np.exp(scipy.special.log_softmax(z, axis=-1)), "uses scipy.special.log_softmax"),
        (column_softmax, "your columns do: you worked along axis 0"),
        (lambda z: stable_softmax(z * 1.0001), "the largest difference is at index [2], 0.6653 instead of 0.6652"),
        (lambda z: stable_softmax(np.clip(z, -700, 700)) if np.ptp(z) < 700 else stable_softmax(z - 1), "0.333"),
        # float16 of softmax([1, 2, 3]) = [0.0900306, 0.244728, 0.665241], by hand: steps of 2**-14, 2**-13 and
        # 2**-11 give 0.0900269 + 0.244751 + 0.665039 = 0.999817, shown with the digits that tell it from 1
        (lambda z: stable_softmax(z).astype(np.float16), "which adds up to 0.9998 instead of 1"),
    ],
)
def test_7_1_explains_the_forbidden_and_the_nearly_right(softmax, says):
    assert_not_yet(exercises.check_7_1, softmax, says)
