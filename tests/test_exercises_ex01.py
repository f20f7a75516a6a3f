"""Exercises of notebook 01: right answers accepted, wrong ones explained without giving the answer away."""

import numpy as np
import pytest
from helpers_exercises import assert_correct, assert_not_yet, checker_for, raises_not_implemented

import cnnlib
from cnnlib import exercises, images


# Right answers, written from the notebook's text (not from the checkers) -------------------------
def to_gray_by_channels(rgb):
    rgb = np.asarray(rgb, dtype=float)
    return 0.299 * rgb[..., 0] + 0.587 * rgb[..., 1] + 0.114 * rgb[..., 2]


def to_gray_by_matmul(rgb):
    return rgb @ np.array([0.299, 0.587, 0.114])


def to_gray_in_float32(rgb):
    # float32 rounds each gray level by up to about 1e-5: a right answer, not "close but off"
    return np.asarray(rgb, dtype=np.float32) @ np.array([0.299, 0.587, 0.114], dtype=np.float32)


def brighten_with_clip(image, amount):
    return np.clip(image.astype(np.int64) + amount, 0, 255).astype(np.uint8)


def brighten_with_where(image, amount):
    wider = image.astype(np.int16) + amount
    return np.where(wider > 255, 255, np.where(wider < 0, 0, wider)).astype(np.uint8)


def flat_index(r, c, width):
    return r * width + c


RIGHT = [
    ("1.1", to_gray_by_channels),
    ("1.1", to_gray_by_matmul),
    ("1.1", lambda rgb: to_gray_by_matmul(rgb).tolist()),  # nested lists of the right numbers
    # float32 all the way: right within float32's precision (at 255 its steps are 3e-5 apart)
    ("1.1", lambda rgb: rgb.astype(np.float32) @ np.array([0.299, 0.587, 0.114], dtype=np.float32)),
    ("1.1", to_gray_in_float32),
    ("1.2", brighten_with_clip),
    ("1.2", brighten_with_where),
    ("1.3", flat_index),
    ("1.3", lambda r, c, width: float(r * width + c)),  # a whole float is a whole number too
    ("1.4", 400 * 600 * 3 * 1000),
    ("1.4", np.int64(720_000_000)),
    ("1.4", np.array(720_000_000)),  # a 0-d array is one number
    ("1.4", 7.2e8),
    ("1.3", lambda r, c, width: np.int64(r) * width + c),
]


@pytest.mark.parametrize(("exercise_id", "answer"), RIGHT)
def test_right_answers_are_accepted(exercise_id, answer):
    assert_correct(checker_for(exercise_id), answer)


# Wrong answers ---------------------------------------------------------------------------------
def gray_in_place(rgb):
    rgb[..., 0] = 0  # changes the learner's input
    return to_gray_by_channels(rgb)


def brighten_in_place(image, amount):
    image += np.uint8(0)  # harmless value, but the same array comes back...
    image[0, 0] = 7  # ...after being changed
    return image


WRONG = [
    # 1.1 to_gray
    (exercises.check_1_1, raises_not_implemented, "replace `raise NotImplementedError()`"),
    (exercises.check_1_1, lambda rgb: None, "returned None"),
    (
        exercises.check_1_1,
        lambda rgb: rgb * np.array([0.299, 0.587, 0.114]),
        "expected an array of shape (1, 1), got shape (1, 1, 3)",
    ),
    (exercises.check_1_1, lambda rgb: rgb * np.array([0.299, 0.587, 0.114]), "the last axis disappears"),
    (exercises.check_1_1, lambda rgb: to_gray_by_channels(rgb).T, "Rows and columns are swapped"),
    (exercises.check_1_1, lambda rgb: np.asarray(rgb, float).mean(axis=-1), "plain mean"),
    (exercises.check_1_1, lambda rgb: to_gray_by_channels(np.asarray(rgb)[..., ::-1]), "wrong channels"),
    (exercises.check_1_1, lambda rgb: np.rint(to_gray_by_channels(rgb)), "did you round"),
    (exercises.check_1_1, lambda rgb: np.asarray(rgb, float) @ [0.3, 0.59, 0.11], "other weights"),
    # MATLAB's rounded weights: 0.0255 off at white, far more than float32 rounding
    (exercises.check_1_1, lambda rgb: np.asarray(rgb, float) @ [0.2989, 0.5870, 0.1140], "off by up to 0.026"),
    (exercises.check_1_1, lambda rgb: np.asarray(rgb, float) @ [0.2126, 0.7152, 0.0722], "wrong by up to"),
    (exercises.check_1_1, lambda rgb: to_gray_by_matmul(rgb).astype(np.uint8), "did you round"),
    (exercises.check_1_1, lambda rgb: to_gray_by_matmul(rgb).astype(np.float16), "close but off"),  # 3 digits
    (exercises.check_1_1, lambda rgb: to_gray_by_matmul(rgb)[..., None], "got shape (1, 1, 1)"),
    (exercises.check_1_1, lambda rgb: np.asarray(rgb, float).mean(axis=-1).astype(np.float32), "plain mean"),
    (exercises.check_1_1, lambda rgb: rgb.sum(axis=-1, dtype=np.uint8) / 3, "should stay 255"),  # uint8 wraps
    (exercises.check_1_1, cnnlib.images.rgb_to_gray, "to_gray uses cnnlib.images.rgb_to_gray, which this exercise"),
    (exercises.check_1_1, lambda rgb: images.rgb_to_gray(rgb), "uses cnnlib.images.rgb_to_gray"),
    (exercises.check_1_1, lambda rgb: np.asarray(rgb, float).sum(axis=-1), "should stay 255, got 765"),
    (exercises.check_1_1, lambda rgb: to_gray_by_channels(rgb) * np.nan, "NaN"),
    (exercises.check_1_1, gray_in_place, "changed the array it was given"),
    (exercises.check_1_1, lambda rgb: "gray", "should be an array of numbers, got the text 'gray'"),
    (exercises.check_1_1, lambda rgb: to_gray_by_channels(rgb).astype(complex), "should be an array of numbers"),
    (exercises.check_1_1, "to_gray", "expected a function"),
    # 1.2 brighten
    (exercises.check_1_2, raises_not_implemented, "replace `raise NotImplementedError()`"),
    (exercises.check_1_2, lambda image, amount: image + amount, "wrapped around: pixel 250 became 4"),
    (exercises.check_1_2, lambda image, amount: np.clip(image.astype(int) + amount, 0, 255), "dtype uint8"),
    (
        exercises.check_1_2,
        lambda image, amount: np.minimum(image.astype(int) + amount, 255).astype(np.uint8),
        "brighten(image, -120) wrapped around: pixel 0 became 136",
    ),
    (
        exercises.check_1_2,
        lambda image, amount: np.clip(image.astype(int) + amount, 0, 250).astype(np.uint8),
        "brighten(image, 10) turned pixel 250 into 250, expected 255",
    ),
    (exercises.check_1_2, lambda image, amount: image, "brighten(image, 10) turned pixel 0 into 0, expected 10"),
    (exercises.check_1_2, lambda image, amount: image.ravel(), "expected an array of shape (2, 3), got shape (6,)"),
    (exercises.check_1_2, brighten_in_place, "changed the image it was given"),
    (exercises.check_1_2, lambda image: image, "raised TypeError"),
    (exercises.check_1_2, lambda image, amount: brighten_with_clip(image, amount).tolist(), "dtype uint8"),
    (exercises.check_1_2, lambda image, amount: brighten_with_clip(image, amount).astype(np.float32), "dtype uint8"),
    (exercises.check_1_2, lambda image, amount: image.astype(np.int8) + amount, "brighten(image, 10) turned pixel"),
    # 1.3 flat_index
    (exercises.check_1_3, lambda r, c, width: c * width + r, "runs down the columns"),
    (exercises.check_1_3, lambda r, c, width: r * width + c + 1, "indices start at 0"),
    (exercises.check_1_3, lambda r, c, width: r + c, "flat_index(1, 0, 28) returned 1, expected 28"),
    (exercises.check_1_3, lambda r, c, width: r * (width - 1) + c, "before row 1 come 1 whole rows of 28"),
    (exercises.check_1_3, lambda r, c, width: None, "is None"),
    (exercises.check_1_3, lambda r, c, width: 2.5, "whole number"),
    (exercises.check_1_3, lambda r, c, width: (r, c), "whole number"),
    # 1.4 coffee_weights
    (exercises.check_1_4, None, "replace None"),
    (exercises.check_1_4, 400 * 600 * 1000, "the coffee photo is in colour"),
    (exercises.check_1_4, 400 * 600 * 3, "that is the number of inputs"),
    (exercises.check_1_4, 400 * 600, "that is the number of pixels"),
    (exercises.check_1_4, 400 * 600 * 3 * 1000 + 1000, "that includes the biases"),
    (exercises.check_1_4, (400 + 600 + 3) * 1000, "multiply, they do not add up"),
    (exercises.check_1_4, 10**12, "too large"),
    (exercises.check_1_4, 5, "too small"),
    (exercises.check_1_4, "720000000", "whole number"),
    (exercises.check_1_4, 7.2e8 + 0.5, "whole number"),
]


@pytest.mark.parametrize(("checker", "answer", "says"), WRONG)
def test_wrong_answers_get_a_message_that_says_what_to_look_at(checker, answer, says):
    assert_not_yet(checker, answer, says)


def test_messages_hint_without_giving_the_answer_away():
    message = assert_not_yet(exercises.check_1_3, lambda r, c, width: c * width + r)
    assert "r * width" not in message and "width * r" not in message
    message = assert_not_yet(exercises.check_1_4, 400 * 600 * 3)
    assert "720,000,000" not in message and "720000000" not in message
    assert "np.clip" not in assert_not_yet(exercises.check_1_2, lambda image, amount: image + amount)


def test_to_gray_checker_does_not_accept_the_plain_mean_just_because_white_stays_white():
    # the mean maps white to 255 as well, so the pure colours must be what catches it
    assert_not_yet(exercises.check_1_1, lambda rgb: np.asarray(rgb, float).mean(axis=-1), "plain mean")
