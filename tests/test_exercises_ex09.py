"""Exercises of notebook 09: right answers accepted, wrong ones explained without the answer."""

import numpy as np
import pytest
from helpers_exercises import assert_correct, assert_not_yet, checker_for, raises_not_implemented

from cnnlib import exercises
from cnnlib.exercises.ex09 import PAIRS_9_1, face_network_shapes

# Exercise 9.3 by hand for a 32 x 32 image: conv 3x3 -> 30, ReLU keeps it, pool 2 -> 15, conv 3x3 -> 13,
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


def most_active(maps, c):
    return int(np.argmax(maps[:, c].max(axis=(1, 2))))


def most_active_last_of_ties(maps, c):
    peaks = maps[:, c].max(axis=(1, 2))
    return int(np.flatnonzero(peaks == peaks.max())[-1])


def most_active_clipped(maps, c):
    return int(np.argmax(np.maximum(maps[:, c], 0).max(axis=(1, 2))))


RIGHT = {
    "9.1": [
        cosine,
        cosine_by_loops,
        lambda a, b: np.corrcoef(a.ravel(), b.ravel())[0, 1],
        lambda a, b: np.array(cosine(a, b)),  # a 0-d array is one number
        lambda a, b: np.float32(cosine(a, b)),  # float32 is precise enough
        lambda a, b: [cosine(a, b)],  # a list of one number is that number
    ],
    "9.2": [
        most_active,
        lambda maps, c: np.argmax(maps[:, c].reshape(len(maps), -1).max(axis=1)),  # a numpy int
        lambda maps, c: max(range(len(maps)), key=lambda n: (maps[n, c].max(), -n)),
        lambda maps, c: np.array([most_active(maps, c)]),  # one index in a 1-element array
    ],
    "9.3": [SHAPES_32, tuple(SHAPES_32), [list(s) for s in SHAPES_32], [np.array(s) for s in SHAPES_32]],
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
        (exercises.check_9_2, None, "expected a function"),
        (exercises.check_9_2, raises_not_implemented, "replace `raise NotImplementedError()`"),
        (exercises.check_9_2, lambda maps, c: None, "is None"),
        (exercises.check_9_2, lambda maps, c: int(np.argmax(maps[:, c].mean(axis=(1, 2)))), "largest *mean*"),
        (exercises.check_9_2, lambda maps, c: int(np.argmax(maps[:, c].sum(axis=(1, 2)))), "(or sum)"),
        (exercises.check_9_2, lambda maps, c: int(np.argmax(maps.max(axis=(1, 2, 3)))), "in any channel"),
        (exercises.check_9_2, lambda maps, c: int(np.argmax(maps[:, :, c].max(axis=(1, 2)))), "`maps[:, :, c]`"),
        (exercises.check_9_2, lambda maps, c: int(np.argmax(np.abs(maps[:, c]).max(axis=(1, 2)))), "(abs)"),
        (exercises.check_9_2, lambda maps, c: 0, "goes higher"),
        (exercises.check_9_2, lambda maps, c: int(np.argmax(maps[:, c])), "position in the flattened maps"),
        (exercises.check_9_2, most_active_last_of_ties, "on a tie for the largest value, return the first"),
        (exercises.check_9_2, most_active_clipped, "without clipping them at 0"),
        (exercises.check_9_2, lambda maps, c: int(np.argmax(maps[c].max(axis=(1, 2)))), "`maps[c]` is image c"),
        (exercises.check_9_2, lambda maps, c: maps[:, c].max(axis=(1, 2)), "array of shape (6,)"),
        (exercises.check_9_2, lambda maps, c: 0.5, "whole number"),
        (exercises.check_9_2, lambda maps, c: len(maps), "numbered 0 to 5"),
        (exercises.check_9_2, lambda maps, c: int(np.argmin(maps[:, c].max(axis=(1, 2)))), "peaks *lowest*"),
        (exercises.check_9_3, None, "replace None"),
        (exercises.check_9_3, "shapes", "list of 7 tuples"),
        (exercises.check_9_3, SHAPES_32[:6], "should hold 7 shapes"),
        (exercises.check_9_3, [(1, 32, 32)] + SHAPES_32, "Leave out the input image"),
        (exercises.check_9_3, SHAPES_25, "shapes for the 25 × 25 faces"),
        (exercises.check_9_3, [(1, *s) for s in SHAPES_32], "leave out the batch axis"),
        (exercises.check_9_3, [(4, 32, 32)] + SHAPES_32[1:], "no padding"),
        (exercises.check_9_3, [(8, 30, 30)] + SHAPES_32[1:], "conv1 has 4 filters"),
        (exercises.check_9_3, [(4, 31, 31)] + SHAPES_32[1:], "n - k + 1"),
        (exercises.check_9_3, [SHAPES_32[0], (4, 28, 28)] + SHAPES_32[2:], "keeps the shape of its input"),
        (exercises.check_9_3, SHAPES_32[:2] + [(8, 15, 15)] + SHAPES_32[3:], "keeps the number of channels"),
        (exercises.check_9_3, SHAPES_32[:5] + [(8, 7, 7), (392,)], "round down"),
        (exercises.check_9_3, SHAPES_32[:2] + [(4, 10, 10)] + SHAPES_32[3:], "one value per window"),
        (exercises.check_9_3, SHAPES_32[:6] + [(8, 6, 6)], "a single entry"),
        (exercises.check_9_3, SHAPES_32[:6] + [(2,)], "channels × height × width"),
        (exercises.check_9_3, SHAPES_32[:6] + [(288.5,)], "whole number"),
        (exercises.check_9_3, SHAPES_32[:6] + [288], "tuple of whole numbers"),
        (exercises.check_9_3, [(4, 30)] + SHAPES_32[1:], "(channels, height, width)"),
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


def test_most_active_image_gets_copies_negative_maps_and_ties():
    seen = []

    def spy(maps, c):
        seen.append((maps.copy(), c))
        return most_active(maps, c)

    exercises.check_9_2(spy)
    assert any((maps < 0).all() for maps, _ in seen), "all-negative maps (before ReLU) are checked"
    assert any(len(maps) == 1 for maps, _ in seen), "a single image is checked"
    ties = [(m, c) for m, c in seen if np.sum(m[:, c].max(axis=(1, 2)) == m[:, c].max()) > 1]
    assert ties, "a tie is checked"


def test_messages_hint_without_giving_the_answer_away():
    message = assert_not_yet(exercises.check_9_3, SHAPES_32[:5] + [(8, 7, 7), (392,)])
    assert "(8, 6, 6)" not in message and "288" not in message
    assert "corrcoef" not in assert_not_yet(exercises.check_9_1, lambda a, b: 0.5)


@pytest.mark.parametrize(
    ("exercise_id", "answer"),
    [
        ("9.1", lambda a, b: cosine(a.astype(np.float32), b.astype(np.float32))),  # computed in float32
        ("9.1", lambda a, b: np.array([[cosine(a, b)]])),  # an array holding one number
        ("9.2", lambda maps, c: np.int32(most_active(maps, c))),
        ("9.2", lambda maps, c: np.array(most_active(maps, c))),  # a 0-d array
        ("9.3", [(4, 30.0, 30.0), (4, 30, 30), (4, 15, 15), (8, 13, 13), (8, 13, 13), (8, 6, 6), (288.0,)]),
        ("9.3", [tuple(np.int64(v) for v in shape) for shape in SHAPES_32]),
        ("9.3", np.array(SHAPES_32[:6]).tolist() + [[288]]),
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


def test_a_wrong_axis_is_named_not_mistaken_for_a_tie():
    # maps[:, :, c] picks row c of every channel; on the tie case it happens to give a tied image as well
    message = assert_not_yet(exercises.check_9_2, lambda maps, c: int(np.argmax(maps[:, :, c].max(axis=(1, 2)))))
    assert "`maps[:, :, c]` is row c of every channel" in message and "tie" not in message
