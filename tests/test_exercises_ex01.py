"""Exercises of notebook 01: right answers accepted, wrong ones explained without giving the answer away."""

import numpy as np
import pytest
from helpers_exercises import BrokenRepr, assert_correct, assert_not_yet, checker_for, raises_not_implemented

from cnnlib import exercises, images

# Right answers, worked out by hand from the notebook's weights (not from the checkers) -------------
# Exercise 1.1: pure red 255 has the gray 0.299 * 255 = 76.245, a green of 130 has 0.587 * 130 = 76.31:
# both round to 76, and the red channels are 255 apart.
RED_AND_GREEN = [[255, 0, 0], [0, 130, 0]]
# A pure blue 255 has 0.114 * 255 = 29.07; a gray of 29 has 29 (the weights add up to 1). Blue is 226 apart.
BLUE_AND_GRAY = [[0, 0, 255], [29, 29, 29]]
# (200, 100, 50): 59.8 + 58.7 + 5.7 = 124.2; (120, 140, 50): 35.88 + 82.18 + 5.7 = 123.76. Both 124, red 80 apart.
MIXTURES = [[200, 100, 50], [120, 140, 50]]


def brighten_with_clip(image, amount):
    return np.clip(image.astype(np.int64) + amount, 0, 255).astype(np.uint8)


def brighten_with_where(image, amount):
    wider = image.astype(np.int16) + amount
    return np.where(wider > 255, 255, np.where(wider < 0, 0, wider)).astype(np.uint8)


def flat_index(r, c, width):
    return r * width + c


def brighten_in_float(image, amount):
    return np.clip(image.astype(float) + amount, 0, 255).astype(np.uint8)


# Exercise 1.5 on the cat, (300, 451, 3): row 250 keeps columns and channels; rows 100-163 and columns 200-263
# are 64 each; ::2 keeps rows 0, 2, ..., 298 (150) and columns 0, 2, ..., 450 (226); 300 * 451 = 135,300 pixels.
SHAPES_1_5 = [(451, 3), (64, 64, 3), (150, 226), (135_300, 3)]

RIGHT = [
    ("1.1", RED_AND_GREEN),
    ("1.1", BLUE_AND_GRAY),
    ("1.1", MIXTURES),
    ("1.1", np.array(RED_AND_GREEN, dtype=np.uint8)),  # as pixels
    ("1.1", np.array(RED_AND_GREEN, dtype=np.float32)),
    ("1.1", [(255.0, 0.0, 0.0), (0.0, 130.0, 0.0)]),  # whole floats, tuples
    ("1.1", np.array([RED_AND_GREEN])),  # a tiny image of two pixels, shape (1, 2, 3)
    ("1.2", brighten_in_float),
    ("1.2", brighten_with_clip),
    ("1.2", brighten_with_where),
    ("1.3", flat_index),
    ("1.3", lambda r, c, width: float(r * width + c)),  # a whole float is a whole number too
    ("1.4", 400 * 600 * 3 * 1000),
    ("1.4", np.int64(720_000_000)),
    ("1.4", np.array(720_000_000)),  # a 0-d array is one number
    ("1.4", 7.2e8),
    ("1.3", lambda r, c, width: np.int64(r) * width + c),
    ("1.5", SHAPES_1_5),
    ("1.5", tuple(SHAPES_1_5)),
    ("1.5", [(451.0, 3.0), [64, 64, 3], np.array([150, 226]), (np.int64(135_300), 3)]),  # whole floats, lists
]


@pytest.mark.parametrize(("exercise_id", "answer"), RIGHT)
def test_right_answers_are_accepted(exercise_id, answer):
    assert_correct(checker_for(exercise_id), answer)


# Wrong answers ---------------------------------------------------------------------------------
def brighten_in_place(image, amount):
    image += np.uint8(0)  # harmless value, but the same array comes back...
    image[0, 0] = 7  # ...after being changed
    return image


def brighten_through_int8(image, amount):
    """The notebook's Exercise 1.2 as given: widened to a signed type that is not wider."""
    wider = image.astype(np.int8) + amount
    return np.clip(wider, 0, 255).astype(np.uint8)


WRONG = [
    # 1.1 two colours with the same gray
    (exercises.check_1_1, None, "replace None with two colours"),
    (exercises.check_1_1, [255, 0, 0], "two colours of three numbers each"),
    (exercises.check_1_1, [[255, 0, 0]], "got shape (1, 3)"),
    (exercises.check_1_1, [[255, 0, 0], [0, 130, 0], [0, 0, 0]], "got shape (3, 3)"),
    (exercises.check_1_1, [[255, 0], [0, 130]], "got shape (2, 2)"),
    (exercises.check_1_1, [[255, 0, 0], [0, 130]], "array of numbers"),  # ragged
    (exercises.check_1_1, "red and green", "got the text"),
    (exercises.check_1_1, [[255, 0, 0], [0, 130.5, 0]], "130.5 is not a pixel value: uint8 pixels are whole numbers"),
    (exercises.check_1_1, [[300, 0, 0], [0, 153, 0]], "300 is not a pixel value: uint8 pixels run from 0 to 255"),
    (exercises.check_1_1, [[-10, 0, 0], [0, 0, 0]], "-10 is not a pixel value"),
    (exercises.check_1_1, [[255, 0, 0], [255, 0, 0]], "the same colour"),
    # close in every channel: the same gray, but not clearly different (59 apart at most)
    (exercises.check_1_1, [[100, 100, 100], [159, 70, 100]], "differs by more than 59"),
    (exercises.check_1_1, [[100, 100, 100], [101, 100, 100]], "differs by more than 1"),
    # 0.299 * 255 = 76.245 against 0.587 * 131 = 76.897: one gray level apart
    (exercises.check_1_1, [[255, 0, 0], [0, 131, 0]], "round to 76 and 77"),
    # the same plain mean (85), far apart in gray: 76.245 against 29.07
    (exercises.check_1_1, [[255, 0, 0], [0, 0, 255]], "same plain mean"),
    (exercises.check_1_1, [[90, 90, 90], [150, 60, 60]], "same plain mean"),  # 90 against 86.1
    (exercises.check_1_1, [[200, 100, 50], [100, 150, 40]], "124.200 and 122.510"),
    (exercises.check_1_1, np.full((2, 3), np.nan), "NaN"),
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
    (
        exercises.check_1_2,
        lambda image, amount: np.clip(image.astype(int) + amount, 0, 255) / 255,
        "returned pixels scaled to 0-1",
    ),
    pytest.param(
        exercises.check_1_2,
        lambda image, amount: np.clip(image.astype(np.uint16) + amount, 0, 255).astype(np.uint8),
        "an unsigned type such as uint16 holds no negative numbers",
        marks=pytest.mark.skipif(np.__version__ < "2", reason="numpy 1 widens uint16 + -120 to int32: no error"),
    ),
    (exercises.check_1_2, lambda image, amount: image.ravel(), "expected an array of shape (2, 3), got shape (6,)"),
    (exercises.check_1_2, brighten_in_place, "changed the image it was given"),
    (exercises.check_1_2, lambda image: image, "raised TypeError"),
    (exercises.check_1_2, lambda image, amount: brighten_with_clip(image, amount).tolist(), "dtype uint8"),
    (exercises.check_1_2, lambda image, amount: brighten_with_clip(image, amount).astype(np.float32), "dtype uint8"),
    (exercises.check_1_2, lambda image, amount: image.astype(np.int8) + amount, "brighten(image, 10) turned pixel"),
    (exercises.check_1_2, brighten_through_int8, "int8 holds only -128 to 127"),
    (exercises.check_1_2, brighten_through_int8, "brighten(image, 10) turned pixel 200 into 0, expected 210"),
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


def with_shape(number, shape):
    """The right shapes of Exercise 1.5 with entry ``number`` replaced by ``shape``."""
    return [shape if n == number else right for n, right in enumerate(SHAPES_1_5)]


WRONG += [
    # 1.5 predicted shapes
    (exercises.check_1_5, None, "replace None with your list of four shapes"),
    (exercises.check_1_5, (451, 3), "should hold 4 shapes"),
    (exercises.check_1_5, SHAPES_1_5[:3], "it holds 3"),
    (exercises.check_1_5, "(451, 3)", "should be a list of four tuples"),
    (exercises.check_1_5, with_shape(0, (1, 451, 3)), "shape of cat[250] is not (1, 451, 3): an integer index removes"),
    (exercises.check_1_5, with_shape(0, (300, 3)), "the first index picks a row, not a column"),
    (exercises.check_1_5, with_shape(0, (3,)), "fixes the row only"),
    (exercises.check_1_5, with_shape(0, (451,)), "nothing picks a channel"),
    (exercises.check_1_5, with_shape(1, (65, 65, 3)), "a slice stops before its end"),
    (exercises.check_1_5, with_shape(1, (64, 64)), "does not index the channels"),
    (exercises.check_1_5, with_shape(1, (164, 264, 3)), "it holds 164 - 100 rows"),
    (exercises.check_1_5, with_shape(2, (150, 225)), "451 is odd"),
    (exercises.check_1_5, with_shape(2, (150, 226, 3)), "removes the channel axis"),
    (exercises.check_1_5, with_shape(2, (300, 451)), "every second row and every second column"),
    (exercises.check_1_5, with_shape(2, (151, 226)), "count the length of each axis"),
    (exercises.check_1_5, with_shape(3, (405_900,)), "asks for two axes"),
    (exercises.check_1_5, with_shape(3, 405_900), "asks for two axes"),  # a 1-D shape without its comma
    (exercises.check_1_5, with_shape(3, (3, 135_300)), "the 3 is the second axis"),
    (exercises.check_1_5, with_shape(3, (135_300,)), "the second axis, of length 3, is kept"),
    (exercises.check_1_5, with_shape(3, (135_300.5, 3)), "whole number"),
    (exercises.check_1_5, with_shape(0, "451, 3"), "should be a tuple of whole numbers"),
    (exercises.check_1_5, with_shape(0, BrokenRepr()), "should be a tuple of whole numbers"),
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
    for wrong in ([(1, 451, 3), *SHAPES_1_5[1:]], [SHAPES_1_5[0], (65, 65, 3), *SHAPES_1_5[2:]]):
        message = assert_not_yet(exercises.check_1_5, wrong)
        assert all(str(shape) not in message for shape in SHAPES_1_5), message
    assert "130" not in assert_not_yet(exercises.check_1_1, [[255, 0, 0], [0, 131, 0]]).replace("131", "")


def test_the_hand_worked_pairs_of_1_1_have_one_gray_by_the_notebooks_own_function():
    # An independent check of the comments above: images.rgb_to_gray, rounded as the notebook rounds it.
    for pair in (RED_AND_GREEN, BLUE_AND_GRAY, MIXTURES):
        gray = np.rint(images.rgb_to_gray(np.array(pair, dtype=np.uint8)))
        assert gray[0] == gray[1] and np.abs(np.diff(pair, axis=0)).max() >= 60


def test_1_1_agrees_with_np_rint_of_rgb_to_gray_where_a_gray_ends_in_one_half():
    # A colour whose gray is exactly k + 0.5 (299 R + 587 G + 114 B ends in 500), found by brute force; red at
    # least 100, so that every pure green is clearly different from it.
    tie = next(
        (r, g, b)
        for r in range(100, 256)
        for g in range(0, 256, 7)
        for b in range(0, 256, 11)
        if (299 * r + 587 * g + 114 * b) % 1000 == 500
    )
    gray = images.rgb_to_gray(np.array(tie, dtype=np.uint8))
    assert gray % 1 == 0.5
    verdicts = set()
    for green in range(256):
        partner = (0, green, 0)
        partner_gray = images.rgb_to_gray(np.array(partner, dtype=np.uint8))
        if abs(partner_gray - gray) < 1.5:  # the greens around the tie, on both sides of the rounding
            same = bool(np.rint(partner_gray) == np.rint(gray))
            verdicts.add(same)
            if same:
                assert_correct(exercises.check_1_1, [tie, partner])
            else:
                assert_not_yet(exercises.check_1_1, [tie, partner], "not the same gray")
    assert verdicts == {True, False}


def test_1_2_a_list_of_the_right_values_is_told_to_return_an_array():
    message = assert_not_yet(exercises.check_1_2, lambda image, amount: brighten_with_clip(image, amount).tolist())
    assert "as a list" in message and "numpy array of dtype uint8" in message
