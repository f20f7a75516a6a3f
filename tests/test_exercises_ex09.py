"""Exercises of notebook 09: right answers accepted, wrong ones explained without the answer."""

import re

import numpy as np
import pytest
from helpers_exercises import assert_correct, assert_not_yet, checker_for, raises_not_implemented

from cnnlib import exercises
from cnnlib.exercises.ex09 import PAIRS_9_1
from cnnlib.exercises.ex09_faces import face_network_shapes

# Exercise 9.4 by hand for a 32 x 32 image: conv 3x3 -> 30, ReLU keeps it, pool 2 -> 15, conv 3x3 -> 13,
# pool 2 -> floor(13 / 2) = 6, flatten 8 * 6 * 6 = 288.
SHAPES_32 = [(4, 30, 30), (4, 30, 30), (4, 15, 15), (8, 13, 13), (8, 13, 13), (8, 6, 6), (288,)]
# The same for the 25 x 25 faces: 23, 23, 11, 9, 9, 4, 8 * 4 * 4 = 128.
SHAPES_25 = [(4, 23, 23), (4, 23, 23), (4, 11, 11), (8, 9, 9), (8, 9, 9), (8, 4, 4), (128,)]


def cosine(a, b):
    a, b = a - a.mean(), b - b.mean()
    return float(np.sum(a * b) / (np.linalg.norm(a) * np.linalg.norm(b)))


def cosine_by_loops(a, b):
    a, b = a.ravel().tolist(), b.ravel().tolist()
    ma, mb = sum(a) / len(a), sum(b) / len(b)
    dot = sum((x - ma) * (y - mb) for x, y in zip(a, b, strict=True))
    return dot / (sum((x - ma) ** 2 for x in a) ** 0.5 * sum((y - mb) ** 2 for y in b) ** 0.5)


def cosine_in_place(a, b):
    a -= a.mean()
    b -= b.mean()
    return float(np.sum(a * b) / (np.linalg.norm(a) * np.linalg.norm(b)))


def cosine_joint_mean(a, b):
    m = (a.mean() + b.mean()) / 2  # one mean for both filters
    return float(np.sum((a - m) * (b - m)) / (np.linalg.norm(a - m) * np.linalg.norm(b - m)))


RIGHT = {
    "9.1": [
        cosine,
        cosine_by_loops,
        lambda a, b: np.corrcoef(a.ravel(), b.ravel())[0, 1],
        lambda a, b: np.array(cosine(a, b)),  # a 0-d array is one number
        lambda a, b: np.float32(cosine(a, b)),  # float32 is precise enough
        lambda a, b: [cosine(a, b)],  # a list of one number is that number
    ],
    "9.4": [SHAPES_32, tuple(SHAPES_32), [list(s) for s in SHAPES_32], [np.array(s) for s in SHAPES_32]],
}


@pytest.mark.parametrize(("exercise_id", "answer"), [(key, a) for key, answers in RIGHT.items() for a in answers])
def test_right_answers_are_accepted(exercise_id, answer):
    assert_correct(checker_for(exercise_id), answer)


@pytest.mark.parametrize(
    ("checker", "answer", "says"),
    [
        (exercises.check_9_1, None, "expected a function"),
        (exercises.check_9_1, raises_not_implemented, "replace `raise NotImplementedError()`"),
        (exercises.check_9_1, lambda a, b: None, "is None"),
        (exercises.check_9_1, lambda a: 1.0, "raised TypeError"),
        (
            exercises.check_9_1,
            lambda a, b: float(np.sum(a * b) / (np.linalg.norm(a) * np.linalg.norm(b))),
            "you did not remove the means",
        ),
        (
            exercises.check_9_1,
            lambda a, b: float(np.sum((a - a.mean()) * (b - b.mean()))),
            "divide it by the product of their lengths",
        ),
        (exercises.check_9_1, lambda a, b: float(np.sum(a * b)), "plain dot product"),
        (exercises.check_9_1, lambda a, b: abs(cosine(a, b)), "keep the sign"),
        (exercises.check_9_1, cosine_joint_mean, "each filter's own mean"),
        (exercises.check_9_1, cosine_in_place, "changed the filters it was given"),
        (exercises.check_9_1, lambda a, b: float("nan"), "NaN"),
        (exercises.check_9_1, lambda a, b: 2.5, "between -1 and 1"),
        (exercises.check_9_1, lambda a, b: 0.5, "not the cosine of the two mean-removed filters"),
        (exercises.check_9_1, lambda a, b: "0.6", "one number"),
        (exercises.check_9_1, lambda a, b: np.ones((3, 3)), "one number"),
        (exercises.check_9_4, None, "replace None"),
        (exercises.check_9_4, "shapes", "list of 7 tuples"),
        (exercises.check_9_4, SHAPES_32[:6], "should hold 7 shapes"),
        (exercises.check_9_4, [*SHAPES_32[:6], 288], "a tuple of one number needs a comma, (288,)"),
        (exercises.check_9_4, [(1, 32, 32)] + SHAPES_32, "Leave out the input image"),
        (exercises.check_9_4, SHAPES_25, "shapes for the 25 × 25 faces"),
        (exercises.check_9_4, [(1, *s) for s in SHAPES_32], "leave out the batch axis"),
        (exercises.check_9_4, [(4, 32, 32)] + SHAPES_32[1:], "no padding"),
        (exercises.check_9_4, [(8, 30, 30)] + SHAPES_32[1:], "conv1 has 4 filters"),
        (exercises.check_9_4, [(4, 31, 31)] + SHAPES_32[1:], "n - k + 1"),
        (exercises.check_9_4, [SHAPES_32[0], (4, 28, 28)] + SHAPES_32[2:], "keeps the shape of its input"),
        (exercises.check_9_4, SHAPES_32[:2] + [(8, 15, 15)] + SHAPES_32[3:], "keeps the number of channels"),
        (exercises.check_9_4, SHAPES_32[:5] + [(8, 7, 7), (392,)], "round down"),
        (exercises.check_9_4, SHAPES_32[:2] + [(4, 10, 10)] + SHAPES_32[3:], "one value per window"),
        (exercises.check_9_4, SHAPES_32[:6] + [(8, 6, 6)], "a single entry"),
        (exercises.check_9_4, SHAPES_32[:6] + [(2,)], "channels × height × width"),
        (exercises.check_9_4, SHAPES_32[:6] + [(288.5,)], "whole number"),
        (exercises.check_9_4, SHAPES_32[:6] + [288], "tuple of whole numbers"),
        (exercises.check_9_4, [(4, 30)] + SHAPES_32[1:], "(channels, height, width)"),
        (exercises.check_9_4, [(30, 30, 4)] + SHAPES_32[1:], "right but in the wrong order"),  # channels last
    ],
)
def test_wrong_answers_get_a_message_that_says_what_to_look_at(checker, answer, says):
    assert_not_yet(checker, answer, says)


def test_cosine_pairs_include_the_hand_worked_ones():
    # Sobel x + 3 vs Sobel x: 1; Sobel x vs 2 Sobel y: 0; Laplacian vs -Laplacian / 2: -1; counting vs transpose: 0.6
    assert [round(cosine_by_loops(a, b), 12) for a, b in PAIRS_9_1[:4]] == [1.0, 0.0, -1.0, 0.6]
    assert all(abs(a.mean()) > 0.05 or abs(b.mean()) > 0.05 for a, b in PAIRS_9_1[4:]), "means that matter"


def test_face_network_shapes_follow_the_layers_of_cnnlib():
    from cnnlib.layers import Conv2D, MaxPool2D, ReLU

    for side in (25, 32):
        x = np.zeros((1, 1, side, side))
        shapes = []
        for layer in (Conv2D(1, 4, 3), ReLU(), MaxPool2D(2), Conv2D(4, 8, 3), ReLU(), MaxPool2D(2)):
            x = layer.forward(x)
            shapes.append(x.shape[1:])
        assert face_network_shapes(side) == shapes + [(int(np.prod(x.shape[1:])),)]
    assert face_network_shapes(32) == SHAPES_32 and face_network_shapes(25) == SHAPES_25


def test_messages_hint_without_giving_the_answer_away():
    message = assert_not_yet(exercises.check_9_4, SHAPES_32[:5] + [(8, 7, 7), (392,)])
    assert "(8, 6, 6)" not in message and "288" not in message
    assert "corrcoef" not in assert_not_yet(exercises.check_9_1, lambda a, b: 0.5)


@pytest.mark.parametrize(
    ("exercise_id", "answer"),
    [
        ("9.1", lambda a, b: cosine(a.astype(np.float32), b.astype(np.float32))),  # computed in float32
        ("9.1", lambda a, b: np.array([[cosine(a, b)]])),  # an array holding one number
        ("9.4", [(4, 30.0, 30.0), (4, 30, 30), (4, 15, 15), (8, 13, 13), (8, 13, 13), (8, 6, 6), (288.0,)]),
        ("9.4", [tuple(np.int64(v) for v in shape) for shape in SHAPES_32]),
        ("9.4", np.array(SHAPES_32[:6]).tolist() + [[288]]),
    ],
)
def test_every_form_of_a_right_answer_is_accepted(exercise_id, answer):
    assert_correct(checker_for(exercise_id), answer)


@pytest.mark.parametrize(
    ("checker", "answer", "says"),
    [
        (exercises.check_9_1, lambda a, b: cosine(a, b.T), "not the cosine"),  # b transposed
        (exercises.check_9_1, lambda a, b: float(np.sum(a * b)), "plain dot product"),
        (exercises.check_9_1, lambda a, b: -cosine(a, b), "not the cosine"),  # sign flipped
        (exercises.check_9_1, lambda a, b: round(cosine(a, b), 2), "not the cosine"),  # rounded too far
        (exercises.check_9_1, lambda a, b: np.float16(cosine(a, b)), "not the cosine"),  # 3 digits are too few
        (exercises.check_9_1, lambda a, b: [cosine(a, b), cosine(a, b)], "one number"),
    ],
)
def test_nearly_right_answers_are_named(checker, answer, says):
    assert_not_yet(checker, answer, says)


# Exercise 9.1 is a find-the-bug: the function as given, and the fixes that are still wrong -----------------
def cosine_as_given(a, b):
    """The notebook's buggy version: the dot product of the filters with their means left in."""
    a_centred, b_centred = a - a.mean(), b - b.mean()
    return float(np.sum(a * b) / (np.linalg.norm(a_centred) * np.linalg.norm(b_centred)))


def plain_cosine(a, b):
    return float(np.sum(a * b) / (np.linalg.norm(a) * np.linalg.norm(b)))


def test_the_given_cosine_is_right_on_mean_zero_kernels_and_wrong_otherwise():
    sobel_x = np.array([[-1.0, 0, 1], [-2, 0, 2], [-1, 0, 1]])
    assert abs(cosine_as_given(sobel_x, sobel_x) - 1) < 1e-12 and abs(cosine_as_given(sobel_x, sobel_x.T)) < 1e-12
    assert abs(cosine_as_given(sobel_x + 3, sobel_x + 3) - 1) > 0.5  # a filter against itself must give 1


@pytest.mark.parametrize(
    ("answer", "says"),
    [
        (cosine_as_given, "what the given function computes. Find its bug"),
        (
            lambda a, b: float(np.sum((a - a.mean()) * (b - b.mean())) / (np.linalg.norm(a) * np.linalg.norm(b))),
            "divide by the lengths of the mean-removed filters",
        ),
        (lambda a, b: float(np.sum((a - a.mean()) * (b - b.mean())) / np.linalg.norm(a - a.mean())), "both filters"),
        (lambda a, b: plain_cosine(a - a.mean(), b - a.mean()), "remove b's own mean from b"),
    ],
)
def test_9_1_half_fixed_versions_are_named(answer, says):
    assert_not_yet(exercises.check_9_1, answer, says)


# Exercise 9.2: the image a filter answers most -------------------------------------------------------------
# By hand: with pixels in [0, 1], weight x pixel is largest at 1 for a positive weight and at 0 for a negative
# one, so the best value is the sum of the positive weights; for [[1, -2], [3, 0]] it is 4.
def strongest(kernel, at=(10, 10)):
    image = np.zeros((28, 28))
    kh, kw = np.shape(kernel)
    image[at[0] : at[0] + kh, at[1] : at[1] + kw] = np.asarray(kernel) > 0
    return image


def with_patch(patch_of):
    """A learner's design that places ``patch_of(kernel)`` in a black 28 x 28 image."""
    return lambda kernel: (
        strongest(np.ones_like(kernel)) * 0
        + np.pad(patch_of(kernel), ((5, 23 - kernel.shape[0]), (5, 23 - kernel.shape[1])))
    )


def test_the_hand_worked_design_reaches_the_sum_of_the_positive_weights():
    kernel = np.array([[1.0, -2.0], [3.0, 0.0]])
    image = strongest(kernel, at=(0, 26))
    assert float(scipy_correlate(image, kernel).max()) == 4.0


def scipy_correlate(image, kernel):
    import scipy.signal

    return scipy.signal.correlate2d(image, kernel, mode="valid")


@pytest.mark.parametrize(
    "answer",
    [
        strongest,
        lambda kernel: strongest(kernel, at=(0, 0)),  # any place where the whole window fits
        lambda kernel: strongest(kernel, at=(28 - kernel.shape[0], 28 - kernel.shape[1])),
        lambda kernel: strongest(kernel).astype(np.float32),
        lambda kernel: strongest(kernel).astype(int),
        lambda kernel: strongest(kernel).astype(bool),
        lambda kernel: strongest(kernel).tolist(),
        lambda kernel: np.tile((kernel > 0) * 1.0, (28 // kernel.shape[0] + 1, 28 // kernel.shape[1] + 1))[:28, :28],
        lambda kernel: strongest(np.where(kernel == 0, 1.0, kernel)),  # under a zero weight any pixel will do
    ],
)
def test_9_2_accepts_every_image_that_reaches_the_best_value(answer):
    assert_correct(exercises.check_9_2, answer)


def changes_the_kernel(kernel):
    image = strongest(kernel)
    kernel[kernel < 0] = 0
    return image


@pytest.mark.parametrize(
    ("answer", "says"),
    [
        (None, "expected a function"),
        (raises_not_implemented, "replace `raise NotImplementedError()`"),
        (lambda kernel: None, "is None: does your function end with `return` and the image?"),
        (lambda kernel: np.ones((28, 28)), "a white patch also puts 1 under the negative weights"),
        (with_patch(lambda k: (k < 0) * 1.0), "white under the *negative* weights"),
        (with_patch(lambda k: (k > 0)[::-1, ::-1] * 1.0), "turned by 180 degrees"),
        (with_patch(lambda k: (k > 0).T * 1.0), "transposed"),
        (with_patch(lambda k: (k > k.mean()) * 1.0), "above the filter's mean"),
        (with_patch(lambda k: (k - k.min()) / (k.max() - k.min())), "copies the filter's shading"),
        (with_patch(lambda k: np.clip(k, 0, 1)), "clipped to [0, 1]"),
        (with_patch(lambda k: k), "Darker than black is not allowed"),  # the filter itself: negative pixels
        (lambda kernel: strongest(kernel) * 2, "Brighter than white is not allowed"),
        (lambda kernel: (kernel > 0) * 1.0, "That is one window: place it in a black 28 × 28 image"),
        (lambda kernel: np.zeros((28, 28)), "can make it reach"),
        (lambda kernel: strongest(kernel[:3, :3]), "strongest_input(a 5 x 5 kernel): your image makes the filter"),
        (lambda kernel: strongest(kernel)[:27], "expected an array of shape (28, 28), got shape (27, 28)"),
        (lambda kernel: strongest(kernel)[None], "without the extra axis of length 1"),
        (changes_the_kernel, "changed the kernel"),
        (lambda kernel: np.full((28, 28), np.nan), "NaN"),
        (lambda kernel: "white", "got the text"),
    ],
)
def test_9_2_wrong_designs_get_a_message_that_names_the_mistake(answer, says):
    assert_not_yet(exercises.check_9_2, answer, says)


def test_9_2_tries_filters_whose_mistakes_all_differ_from_the_right_pattern():
    kernel = exercises.ex09.KERNELS_9_2[0]
    right = kernel > 0
    for wrong in (right[::-1, ::-1], right.T, kernel > kernel.mean(), kernel < 0):
        assert np.sum(wrong * kernel) < np.sum(right * kernel) - 0.05
    shapes = {k.shape for k in exercises.ex09.KERNELS_9_2}
    assert (3, 3) in shapes and len(shapes) >= 3 and any(k.dtype == np.float32 for k in exercises.ex09.KERNELS_9_2)
    assert any((k < 0).all() for k in exercises.ex09.KERNELS_9_2), "a filter that nothing excites"


# Exercise 9.3: the box of pixels behind one unit -----------------------------------------------------------
# By hand (the notebook's table, for its network of 5 x 5 convolutions and 2 x 2 pooling): side and step per layer,
# conv1 (5, 1), pool1 (5 + 1 = 6, 2), conv2 (6 + 4 * 2 = 14, 2), pool2 (14 + 1 * 2 = 16, 4).
# With no padding unit (r, c) starts at pixel (r * step, c * step): pool2 unit (1, 3) is rows 4-19, columns 12-27.
FIELDS = {"conv1": (5, 1), "relu1": (5, 1), "pool1": (6, 2), "conv2": (14, 2), "relu2": (14, 2), "pool2": (16, 4)}


def box(layer, r, c):
    size, step = FIELDS[layer]
    return r * step, r * step + size, c * step, c * step + size


def box_from_the_network(layer, r, c):
    from cnnlib.data import load_digit_cnn

    net = load_digit_cnn()  # the notebook's `net`
    size, step = net.receptive_field(net.layer_names().index(layer) + 1)
    return r * step, r * step + size, c * step, c * step + size


def test_the_brute_force_finds_the_hand_worked_boxes():
    assert exercises.ex09._field_of("pool2", 1, 3) == (4, 20, 12, 28)
    for layer, r, c in exercises.ex09.UNITS_9_3:
        assert exercises.ex09._field_of(layer, r, c) == box(layer, r, c)
        reach = exercises.ex09._reach_9_3()[layer][r, c]
        top, bottom, left, right = box(layer, r, c)
        assert reach[top:bottom, left:right].all() and reach.sum() == (bottom - top) * (right - left), "a full square"


@pytest.mark.parametrize(
    "answer",
    [
        box,
        box_from_the_network,
        lambda layer, r, c: [float(v) for v in box(layer, r, c)],
        lambda layer, r, c: np.array(box(layer, r, c)),
        lambda layer, r, c: tuple(np.int64(v) for v in box(layer, r, c)),
    ],
)
def test_9_3_accepts_the_box_in_every_form(answer):
    assert_correct(exercises.check_9_3, answer)


def centred_on_the_step(layer, r, c):
    size, step = FIELDS[layer]
    return r * step - size // 2, r * step - size // 2 + size, c * step - size // 2, c * step - size // 2 + size


def one_layer_early(layer, r, c):
    names = list(FIELDS)
    size, step = FIELDS[names[max(names.index(layer) - 1, 0)]]
    return r * step, r * step + size, c * step, c * step + size


def pooling_does_not_grow_the_field(layer, r, c):
    """The right steps, but a field that pooling does not grow: 5 up to relu1 and pool1, 13 from conv2 on."""
    size, step = FIELDS[layer]
    size = {"pool1": 5, "pool2": 13}.get(layer, 13 if layer in ("conv2", "relu2") else size)
    return r * step, r * step + size, c * step, c * step + size


def no_stride(layer, r, c):
    size, _ = FIELDS[layer]
    return r, r + size, c, c + size


@pytest.mark.parametrize(
    ("answer", "says"),
    [
        (None, "expected a function"),
        (raises_not_implemented, "replace `raise NotImplementedError()`"),
        (lambda layer, r, c: None, "returned None"),
        (lambda layer, r, c: (lambda t: (t[0], t[1] - 1, t[2], t[3] - 1))(box(layer, r, c)), "one row and one column"),
        (lambda layer, r, c: box(layer, c, r), "rows and columns are swapped"),
        (lambda layer, r, c: (lambda t: (t[0], t[2], t[1], t[3]))(box(layer, r, c)), "(top, left, bottom, right)"),
        (centred_on_the_step, "right size"),
        (lambda layer, r, c: box(layer, r + 1, c + 1), "in the wrong place"),
        (lambda layer, r, c: (lambda s: (r * s, r * s + s, c * s, c * s + s))(FIELDS[layer][0]), "not by the field's"),
        (one_layer_early, "the field of conv1 and relu1; a unit of pool1 sees more"),
        (
            lambda layer, r, c: (lambda t: (t[0], t[1] + 1, t[2], t[3] + 1))(box(layer, r, c)),
            "one row and one column too long",
        ),
        (lambda layer, r, c: (0, 28, 0, 28), "form a square of the field's side"),
        (pooling_does_not_grow_the_field, "one pixel short, though your earlier boxes were right"),
        (no_stride, "right size, 6 × 6, but is in the wrong place"),
        (lambda layer, r, c: (slice(0, 3), slice(0, 3)), "returned slices"),
        (lambda layer, r, c: box(layer, r, c)[:2], "returned 2 numbers"),
        (lambda layer, r, c: (0.5, 3, 0, 3), "whole numbers"),
        (lambda layer, r, c: "box", "tuple of whole numbers"),
    ],
)
def test_9_3_wrong_boxes_get_a_message_that_names_the_mistake(answer, says):
    assert_not_yet(exercises.check_9_3, answer, says)


def test_9_3_asks_about_every_layer_and_units_off_the_diagonal():
    units = exercises.ex09.UNITS_9_3
    assert {layer for layer, *_ in units} == set(FIELDS)
    assert units[0][1] != units[0][2] and sum(r != c for _, r, c in units) >= 5


# Exercise 9.5: the occlusion map centred on the square -----------------------------------------------------
def occlusion(network, image, label, size, *, corner=False, fill="mean", clip=True, side=None):
    """A right answer, one square at a time; the keywords make the usual wrong ones."""
    import cnnlib

    side = size if side is None else side
    height, width = image.shape
    before = cnnlib.softmax(network.forward(image[None, None]))[0, label]
    drops = np.zeros((height, width))
    for i in range(height):
        for j in range(width):
            top, left = (i, j) if corner else (i - side // 2, j - side // 2)
            if clip:
                top, left = max(top, 0), max(left, 0)
            covered = image.copy()
            covered[
                top : top + side if corner else i + side - side // 2,
                left : left + side if corner else j + side - side // 2,
            ] = image.mean() if fill == "mean" else fill
            drops[i, j] = before - cnnlib.softmax(network.forward(covered[None, None]))[0, label]
    return drops


def occlusion_by_padding(network, image, label, size):
    """Another right answer: pad, cover the square in the padded copy, crop the padding off again."""
    import cnnlib

    half = size // 2
    padded = np.pad(image, half)
    height, width = image.shape
    covered = np.repeat(padded[None], height * width, axis=0)
    for k, (i, j) in enumerate(np.ndindex(height, width)):
        covered[k, i : i + size, j : j + size] = image.mean()
    covered = covered[:, half : half + height, half : half + width]
    probabilities = cnnlib.softmax(network.forward(np.concatenate([image[None], covered])[:, None]))[:, label]
    return (probabilities[0] - probabilities[1:]).reshape(height, width)


def test_the_reference_covers_what_a_hand_worked_square_covers():
    from cnnlib.exercises.ex09_faces import _case_9_5, _covered_scores

    network, image = _case_9_5(0)
    covered = image.copy()
    covered[0:2, 3:6] = image.mean()  # the 3 x 3 square centred on (0, 4), cut off at the top: rows 0-1, columns 3-5
    import cnnlib

    p = cnnlib.softmax(network.forward(covered[None, None]))[0, 2]
    assert abs(_covered_scores(network, image, 2, 3)[0, 4] - p) < 1e-12


@pytest.mark.parametrize(
    "answer",
    [
        occlusion,
        occlusion_by_padding,
        lambda *args: occlusion(*args).astype(np.float32),
        lambda *args: occlusion(*args).tolist(),
    ],
)
def test_9_5_accepts_every_right_map(answer):
    assert_correct(exercises.check_9_5, answer)


def changes_the_image(network, image, label, size):
    drops = occlusion(network, image.copy(), label, size)
    image[0, 0] = 0
    return drops


def corner_only_where_it_fits(network, image, label, size):
    return occlusion(network, image, label, size, corner=True)[: image.shape[0] - size + 1, : image.shape[1] - size + 1]


@pytest.mark.parametrize(
    ("answer", "says"),
    [
        (None, "expected a function"),
        (raises_not_implemented, "replace `raise NotImplementedError()`"),
        (lambda *args: None, "is None: does your function end with `return` and the map?"),
        (lambda *args: occlusion(*args, corner=True), "top-left corner is (i, j); centre it"),
        (corner_only_where_it_fits, "one entry per position where the whole square fits"),
        (lambda *args: occlusion(*args, fill=0.0), "not with 0 (black)"),
        (lambda *args: occlusion(*args, clip=False), "Cut the start off at 0"),
        (lambda n, im, label, size: occlusion(n, im, label, size, side=size - 1), "one short"),
        (lambda n, im, label, size: occlusion(n, im, label, size, side=size + 2), "not 3"),
        (lambda *args: -occlusion(*args), "the sign is flipped"),
        (lambda n, im, label, size: occlusion(n, im, 1, size), "drop of P(class 1); the map is of the class `label`"),
        (lambda *args: occlusion(*args).T, "Rows and columns are swapped"),
        (lambda n, im, label, size: np.zeros((3, 3)), "expected an array of shape (9, 12), got shape (3, 3)"),
        (lambda *args: occlusion(*args) + 0.001, "entry [0, 0] is"),
        (changes_the_image, "changed the image"),
        (lambda *args: np.full((9, 12), np.nan), "NaN"),
    ],
)
def test_9_5_wrong_maps_get_a_message_that_names_the_mistake(answer, says):
    assert_not_yet(exercises.check_9_5, answer, says)


def test_9_5_every_mistake_differs_clearly_from_the_right_map():
    from cnnlib.exercises.ex09_faces import CASES_9_5, _case_9_5, _covered_scores, _drop_mistakes, _probability

    for number, (_, label, size, _) in enumerate(CASES_9_5[:2]):  # side 1: corner and centre are one square
        network, image = _case_9_5(number)
        right = _probability(network, image, label) - _covered_scores(network, image, label, size)
        assert 0.1 < abs(right).max() < 1
        for mistake, explanation in _drop_mistakes(network, image, label, size):
            assert abs(mistake - right).max() > 0.05, explanation


def test_9_5_accepts_a_map_computed_from_a_float32_image():
    assert_correct(
        exercises.check_9_5, lambda n, image, label, size: occlusion(n, image.astype(np.float32), label, size)
    )


def test_9_5_a_map_with_too_few_digits_is_refused_with_two_numbers_that_differ():
    message = assert_not_yet(exercises.check_9_5, lambda *args: occlusion(*args).astype(np.float16), "entry [")
    got, right = re.search(r"is (\S+), but .* is (\S+): P of the whole image", message).groups()
    assert got != right


def test_the_reference_is_what_cnnlib_attribution_occlusion_computes():
    from cnnlib.attribution import occlusion as library_occlusion
    from cnnlib.exercises.ex09_faces import CASES_9_5, _case_9_5, _covered_scores, _probability

    for number, (_, label, size, _) in enumerate(CASES_9_5):
        network, image = _case_9_5(number)
        reference = _probability(network, image, label) - _covered_scores(network, image, label, size)
        np.testing.assert_allclose(library_occlusion(network, image[None], label, size), reference, atol=1e-12)


def test_9_5_forbids_the_library_function_the_notebook_uses():
    import cnnlib.attribution

    assert_not_yet(
        exercises.check_9_5,
        lambda network, image, label, size: cnnlib.attribution.occlusion(network, image[None], label, size),
        "uses cnnlib.attribution.occlusion, which this exercise forbids",
    )
