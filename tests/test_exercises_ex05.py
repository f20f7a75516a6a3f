"""Exercises of notebook 05: right answers accepted, wrong ones explained without the answer."""

from fractions import Fraction

import numpy as np
import pytest
import scipy.signal
from helpers_exercises import assert_correct, assert_not_yet, checker_for, raises_not_implemented

import cnnlib
from cnnlib import exercises
from cnnlib.exercises import ex05

# Exercise 5.2 by hand: combined_ab = a * b (full convolution) for a = [[1, 2], [0, -1]] and the unknown 2 x 2 b.
# Its corners have one product each: 2 = 1·b[0, 0], -2 = 2·b[0, 1], -3 = -1·b[1, 1]; the bottom-left corner is
# a[1, 0]·b[1, 0] = 0·b[1, 0], so b[1, 0] comes from entry [1, 0]: 1 = a[0, 0]·b[1, 0] + a[1, 0]·b[0, 0] = b[1, 0].
KERNEL_B_5_2 = np.array([[2, -1], [1, 3]])
# Forward, as the sum of copies of b shifted by (p, q) and scaled by a[p, q]:
#   1 * b at (0, 0): [[2, -1, 0], [1, 3, 0], [0, 0, 0]];  2 * b at (0, 1): [[0, 4, -2], [0, 2, 6], [0, 0, 0]]
#  -1 * b at (1, 1): [[0, 0, 0], [0, -2, 1], [0, -1, -3]]
COMBINED_AB = np.array([[2, 3, -2], [1, 3, 7], [0, -1, -3]])


# Exercise 5.1: the function the notebook hands out, with its one bug (the bias is added after ReLU) ...
def buggy_layer(image, kernels, biases):
    maps = []
    for kernel, bias in zip(kernels, biases, strict=True):
        feature_map = cnnlib.correlate2d(image, kernel)
        feature_map[feature_map < 0] = 0  # ReLU
        maps.append(feature_map + bias)
    return np.stack(maps)


# ... and fixes a learner might write: the bias moved before ReLU, in several styles.
def fixed_layer(image, kernels, biases):
    maps = []
    for kernel, bias in zip(kernels, biases, strict=True):
        feature_map = cnnlib.correlate2d(image, kernel) + bias
        feature_map[feature_map < 0] = 0  # ReLU
        maps.append(feature_map)
    return np.stack(maps)


def fixed_with_loops(image, kernels, biases):
    f, kh, kw = np.shape(kernels)
    oh, ow = len(image) - kh + 1, len(image[0]) - kw + 1
    out = np.zeros((f, oh, ow))
    for g in range(f):
        for i in range(oh):
            for j in range(ow):
                out[g, i, j] = max(np.sum(image[i : i + kh, j : j + kw] * kernels[g]) + biases[g], 0.0)
    return out


def fixed_with_conv2d(image, kernels, biases):
    return cnnlib.relu(cnnlib.conv2d(image[None, None], kernels[:, None], biases)[0])


def writes_into_image(image, kernels, biases):
    image -= image.mean()  # "normalises" the caller's image
    return fixed_layer(image, kernels, biases)


def relu_missing(image, kernels, biases):
    return np.stack([cnnlib.correlate2d(image, k) + b for k, b in zip(kernels, biases, strict=True)])


def bias_missing(image, kernels, biases):
    return np.stack([cnnlib.relu(cnnlib.correlate2d(image, k)) for k in kernels])


def bias_subtracted(image, kernels, biases):
    return np.stack([cnnlib.relu(cnnlib.correlate2d(image, k) - b) for k, b in zip(kernels, biases, strict=True)])


def kernels_flipped(image, kernels, biases):
    return np.stack([cnnlib.relu(cnnlib.convolve2d(image, k) + b) for k, b in zip(kernels, biases, strict=True)])


def biases_reversed(image, kernels, biases):
    return fixed_layer(image, kernels, biases[::-1])


def stacked_last(image, kernels, biases):
    return np.moveaxis(fixed_layer(image, kernels, biases), 0, -1)


def max_instead_of_maximum(image, kernels, biases):
    return np.stack([np.max(cnnlib.correlate2d(image, k) + b, 0) for k, b in zip(kernels, biases, strict=True)])


def relu_of_bias_too(image, kernels, biases):  # almost right: a positive bias is right, a negative one is not
    pairs = zip(kernels, biases, strict=True)
    return np.stack([cnnlib.relu(cnnlib.correlate2d(image, k)) + max(b, 0) for k, b in pairs])


ONE_WEIGHT = np.zeros((3, 3))
ONE_WEIGHT[0, 2] = 0.5

RIGHT = {
    "5.1": [
        fixed_layer,
        fixed_with_loops,
        fixed_with_conv2d,
        lambda image, kernels, biases: fixed_layer(image, kernels, biases).astype(np.float32),
        lambda image, kernels, biases: fixed_layer(image, kernels, biases).tolist(),
    ],
    "5.2": [
        KERNEL_B_5_2,
        KERNEL_B_5_2.astype(float),
        KERNEL_B_5_2.tolist(),
        KERNEL_B_5_2.astype(np.float32),
        KERNEL_B_5_2.astype(np.int8),
        [[Fraction(2), -1.0], [np.int64(1), np.float32(3)]],
    ],
    "5.3": [
        3 / 16,
        0.1875,
        0.19,
        np.float64(0.1875),
        np.float32(0.1875),
        Fraction(3, 16),
        np.array(0.1875),
        np.array([0.1875]),
        [0.1875],
    ],
    "5.5": [
        ONE_WEIGHT,
        ONE_WEIGHT.tolist(),
        ONE_WEIGHT.astype(np.float32),
        np.diag([0.0, 3.0, 0.0]),  # an integer-valued one: the identity scaled by 3
        np.array([[0, 0, 0], [0, 1, 0], [0, 0, 0]]),
    ],
}


@pytest.mark.parametrize(("exercise_id", "answer"), [(key, a) for key, answers in RIGHT.items() for a in answers])
def test_right_answers_are_accepted(exercise_id, answer):
    assert_correct(checker_for(exercise_id), answer)


@pytest.mark.parametrize(
    ("checker", "answer", "says"),
    [
        (exercises.check_5_1, raises_not_implemented, "replace `raise NotImplementedError()`"),
        (exercises.check_5_1, None, "expected a function"),
        (exercises.check_5_1, lambda image, kernels, biases: None, "is None: does your function end with `return`"),
        (exercises.check_5_1, lambda image: image, "raised TypeError"),
        (exercises.check_5_1, buggy_layer, "puts out negative numbers (e.g. -1.5 in map 0"),
        (exercises.check_5_1, buggy_layer, "Which line lets them through?"),
        (exercises.check_5_1, relu_missing, "the ReLU is missing"),
        (exercises.check_5_1, bias_missing, "the biases are missing"),
        (exercises.check_5_1, bias_subtracted, "the bias is subtracted"),
        (exercises.check_5_1, kernels_flipped, "the kernels are flipped"),
        (exercises.check_5_1, biases_reversed, "each map gets the bias of another filter"),
        (exercises.check_5_1, writes_into_image, "changed its input arrays"),
        (exercises.check_5_1, stacked_last, "stacked along the wrong axis"),
        (exercises.check_5_1, max_instead_of_maximum, "got shape (2, 6)"),
        (exercises.check_5_1, relu_of_bias_too, "expected"),
        (exercises.check_5_1, lambda image, kernels, biases: "maps", "should be an array of numbers"),
        (exercises.check_5_2, None, "replace None with your 2 x 2 kernel"),
        # the learner who takes the combined kernel for the cross-correlation of the kernels solves for b turned
        (
            exercises.check_5_2,
            KERNEL_B_5_2[::-1, ::-1],
            "turned by 180 degrees: it makes combined_ab as the cross-corr",
        ),
        (exercises.check_5_2, KERNEL_B_5_2.T, "the right one transposed"),
        (exercises.check_5_2, KERNEL_B_5_2[::-1, :], "upside down: only its rows are flipped"),
        (exercises.check_5_2, KERNEL_B_5_2[:, ::-1], "mirrored left to right: only its columns are flipped"),
        (exercises.check_5_2, np.array([[1, 2], [0, -1]]), "that is kernel_a, the first layer's kernel"),
        # b[1, 0] hidden behind a[1, 0] = 0 in its corner: guessing 0 makes entry [1, 0] of the combined kernel 0
        (exercises.check_5_2, [[2, -1], [0, 3]], "has 0 at [1, 0], where combined_ab has 1"),
        (exercises.check_5_2, [[2, -1], [np.nan, 3]], "a division by 0?"),
        (exercises.check_5_2, [[2, -1], [1, 3.001]], "has 3.001 at [1, 1], where combined_ab has 3"),  # almost right
        (exercises.check_5_2, COMBINED_AB, "got shape (3, 3). That is the size of the combined kernel"),
        (exercises.check_5_2, KERNEL_B_5_2.ravel(), "expected an array of shape (2, 2), got shape (4,)"),
        (exercises.check_5_2, [[1, 2], [3]], "array of numbers"),
        (exercises.check_5_2, np.maximum, "got the function"),
        (exercises.check_5_2, "kernel", "array of numbers"),
        (exercises.check_5_3, None, "replace None"),
        (exercises.check_5_3, 3, "count of entries: divide"),
        (exercises.check_5_3, 18.75, "not a percentage"),
        (exercises.check_5_3, 6 / 16, "land exactly on 0"),
        (exercises.check_5_3, 0.5, "add the bias first"),
        (exercises.check_5_3, 0.18, "is close but rounded too far"),  # 3/16 = 0.1875 cut to two digits
        (exercises.check_5_3, 12 / 16, "check the sign"),
        (exercises.check_5_3, 13 / 16, "share that becomes 0"),
        (exercises.check_5_3, 0.25, "strictly above 0"),
        (exercises.check_5_3, -0.1, "negative"),
        (exercises.check_5_3, float("nan"), "finite number"),
        (exercises.check_5_3, "3/16", "one number"),
        (exercises.check_5_3, True, "one number"),
        (exercises.check_5_5, None, "replace None with your 3 x 3 kernel"),
        (exercises.check_5_5, np.zeros((3, 3)), "all zeros"),
        (exercises.check_5_5, -ONE_WEIGHT, "a negative weight turns a positive pixel into a negative output"),
        (exercises.check_5_5, np.ones((3, 3)) / 9, "a positive and a negative pixel under two weights can cancel"),
        (exercises.check_5_5, cnnlib.kernels.KERNELS["Sobel x"], "a negative weight"),
        (exercises.check_5_5, np.eye(3), "can cancel"),
        (exercises.check_5_5, ONE_WEIGHT + np.diag([0, 1e-12, 0]), "can cancel"),  # almost right: a tiny second
        (exercises.check_5_5, ONE_WEIGHT - np.diag([0, 1e-12, 0]), "a negative weight"),
        (exercises.check_5_5, np.ones((1, 1)), "expected an array of shape (3, 3), got shape (1, 1)"),
        (exercises.check_5_5, np.full((3, 3), np.inf), "NaN or infinity"),
        (exercises.check_5_5, "identity", "array of numbers"),
    ],
)
def test_wrong_answers_get_a_message_that_says_what_to_look_at(checker, answer, says):
    assert_not_yet(checker, answer, says)


def test_5_1_hands_in_copies_and_tries_biases_of_both_signs_and_a_kernel_a_flip_changes():
    seen = []

    def spy(image, kernels, biases):
        seen.append((image.copy(), kernels.copy(), biases.copy()))
        return fixed_layer(image, kernels, biases)

    exercises.check_5_1(spy)
    image, kernels, biases = seen[0]
    assert (biases < 0).any() and (biases > 0).any()
    assert all(not np.array_equal(k, k[::-1, ::-1]) for k in kernels)
    assert {k.shape[0] for _, k, _ in seen} >= {1, 2, 3}, "one, two and three filters"
    # Each slip changes the first case's output, so that it is caught there
    for slip in (buggy_layer, relu_missing, bias_missing, bias_subtracted, kernels_flipped, biases_reversed):
        assert not np.allclose(slip(image, kernels, biases), fixed_layer(image, kernels, biases)), slip.__name__


def orders_differ(x, pool):
    """Whether ReLU before and after ``pool`` give different maps, from scipy-free numpy."""
    return not np.array_equal(pool(np.maximum(x, 0)), np.maximum(pool(x), 0))


def max_pool(x):
    return x.reshape(x.shape[0] // 2, 2, x.shape[1] // 2, 2).max(axis=(1, 3))


def avg_pool(x):
    return x.reshape(x.shape[0] // 2, 2, x.shape[1] // 2, 2).mean(axis=(1, 3))


def test_5_4_answers_agree_with_trying_many_maps():
    rng = np.random.default_rng(54)
    maps = [rng.integers(-4, 5, size=(4, 6)).astype(float) for _ in range(200)]
    assert not any(orders_differ(x, max_pool) for x in maps), "max pooling commutes with ReLU"
    assert any(orders_differ(x, avg_pool) for x in maps), "average pooling does not"
    assert np.array_equal(cnnlib.max_pool2d(cnnlib.relu(maps[0])), cnnlib.relu(cnnlib.max_pool2d(maps[0])))


@pytest.mark.parametrize(
    "counterexample",
    [
        [[-1, 1], [0, 0]],
        np.array([[-2.0, 1.0], [0.0, 0.0]]),  # mean -0.25: 0 after ReLU, but 0.25 with ReLU first
        np.array([[5, -1, 0], [0, 0, 0], [9, 9, 9]]),  # odd sides: the last row and column are dropped
        np.array([[1e16, -1.0], [0.0, 0.0]]),  # the means round to the same float: still a counterexample
        np.array([[3, 3, -1, 2], [3, 3, 0, 0]], dtype=np.float32),
    ],
)
def test_5_4_right_answers_are_accepted(counterexample):
    assert_correct(exercises.check_5_4, True, False, counterexample)
    assert_correct(exercises.check_5_4, np.True_, np.array(False), counterexample)


@pytest.mark.parametrize(
    ("answers", "says"),
    [
        ((None, False, [[-1, 1], [0, 0]]), "`max_pool_commutes` is None: replace None with True or False"),
        ((True, None, [[-1, 1], [0, 0]]), "`avg_pool_commutes` is None"),
        ((True, False, None), "`counterexample` is None"),
        ((False, False, [[-1, 1], [0, 0]]), "ReLU keeps the order of the numbers"),
        ((True, True, [[-1, 1], [0, 0]]), "one negative and one positive number"),
        ((False, True, [[-1, 1], [0, 0]]), "`max_pool_commutes` is False"),
        ((1, False, [[-1, 1], [0, 0]]), "should be True or False, got 1"),
        (("True", False, [[-1, 1], [0, 0]]), "should be True or False"),
        ((True, False, [[1, 2], [3, 4]]), "it has no negative number"),
        ((True, False, [[-1, -2], [0, -4]]), "it has no positive number"),
        ((True, False, [[-1, 0, 5], [0, 0, 0], [0, 0, 0]]), "none of its 2 x 2 windows holds both"),
        ((True, False, [[-1, 0, 5], [0, 0, 0], [0, 0, 0]]), "a last row or column that does not fill a window"),
        ((True, False, [[-1, 0, 5, 7], [-3, 0, 0, 1]]), "none of its 2 x 2 windows holds both"),
        ((True, False, [[-1, 1]]), "has shape (1, 2): 2 x 2 pooling needs at least 2 rows"),
        ((True, False, [-1, 1, 0, 0]), "should be 2-D"),
        ((True, False, [[np.nan, 1], [0, 0]]), "NaN"),
    ],
)
def test_5_4_wrong_answers_are_explained(answers, says):
    first, *more = answers
    assert_not_yet(exercises.check_5_4, first, says, more=tuple(more))


def test_5_4_judges_a_counterexample_as_running_both_orders_would():
    # The checker decides on the signs in each window; running both orders (exactly, with fractions) agrees.
    rng = np.random.default_rng(5)
    for _ in range(300):
        x = rng.integers(-2, 3, size=(2, 4))
        windows = [[Fraction(int(v)) for v in x[:, j : j + 2].ravel()] for j in (0, 2)]
        relu_first = [sum(max(v, 0) for v in window) / 4 for window in windows]
        relu_after = [max(sum(window) / 4, 0) for window in windows]
        if relu_first != relu_after:
            assert_correct(exercises.check_5_4, True, False, x)
        else:
            assert_not_yet(exercises.check_5_4, True, "both orders give the same pooled map", more=(False, x))


def test_5_5_a_right_kernel_commutes_on_every_image_and_a_wrong_one_is_shown_failing():
    rng = np.random.default_rng(0)
    for _ in range(20):
        image = rng.standard_normal((7, 7))
        relu_first = scipy.signal.correlate2d(np.maximum(image, 0), ONE_WEIGHT, mode="valid")
        relu_after = np.maximum(scipy.signal.correlate2d(image, ONE_WEIGHT, mode="valid"), 0)
        np.testing.assert_array_equal(relu_first, relu_after)
    message = assert_not_yet(exercises.check_5_5, np.ones((3, 3)) / 9)
    assert "the image [[" in message and "ReLU then the layer gives" in message
    for image, _ in ex05._telling_images_5_5(np.eye(3) - 0.5 * np.ones((3, 3))):
        relu_first, relu_after = ex05._orders_5_5(image, np.eye(3) - 0.5 * np.ones((3, 3)))
        assert not np.allclose(relu_first, relu_after), "every telling image tells"


def test_5_2_the_kernel_by_hand_makes_the_combined_kernel_and_the_two_layers():
    np.testing.assert_array_equal(scipy.signal.convolve2d(ex05.KERNEL_A_5_2, KERNEL_B_5_2), COMBINED_AB)
    np.testing.assert_array_equal(ex05.COMBINED_5_2, COMBINED_AB)
    image = np.random.default_rng(52).integers(-5, 6, size=(6, 7)).astype(float)
    two_layers = scipy.signal.correlate2d(
        scipy.signal.correlate2d(image, ex05.KERNEL_A_5_2, mode="valid"), KERNEL_B_5_2, mode="valid"
    )
    np.testing.assert_allclose(scipy.signal.correlate2d(image, COMBINED_AB, mode="valid"), two_layers, atol=1e-9)
    assert ex05.KERNEL_A_5_2[1, 0] == 0, "a weight of kernel_a is 0 in a corner: one weight of b is not a division"


def test_messages_hint_without_giving_the_answer_away():
    for wrong in ([[2, -1], [0, 3]], KERNEL_B_5_2 + 1, [[2, -1], [1, 3.001]]):
        assert "[[2, -1], [1, 3]]" not in assert_not_yet(exercises.check_5_2, wrong)
    for wrong in (0.5, 0.25, 3):
        message = assert_not_yet(exercises.check_5_3, wrong)
        assert "0.1875" not in message and "3/16" not in message
    message = assert_not_yet(exercises.check_5_1, buggy_layer)
    assert "after ReLU" not in message and "before ReLU" not in message, "the bug is for the learner to find"
