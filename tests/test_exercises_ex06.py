"""Exercises of notebook 06: right answers accepted, wrong ones explained without the answer."""

import numpy as np
import pytest
from helpers_exercises import BrokenRepr, assert_correct, assert_not_yet, checker_for, raises_not_implemented

import cnnlib
from cnnlib import exercises
from cnnlib.exercises import ex06_sides


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


# Exercise 6.1 by hand. The map [[1, 4, 3, 0, 0, 2], [0, 2, 1, 2, 1, 0], [5, 0, 6, 1, 0, 0], [2, 5, 0, 3, 0, 0]]
# shifted one pixel right; window j then holds the old columns 2j - 1 and 2j (column -1: zeros).
#   top:    columns 0-1 {1, 4, 0, 2} max 4 -> {0, 0, 1, 0} max 1: changes
#           columns 2-3 {3, 0, 1, 2} max 3 -> {4, 3, 2, 1} max 4: changes (a larger value comes in)
#           columns 4-5 {0, 2, 1, 0} max 2 -> {0, 0, 2, 1} max 2: stays (the 2 that leaves is replaced by a 2)
#   bottom: columns 0-1 {5, 0, 2, 5} max 5 -> {0, 5, 0, 2} max 5: stays
#           columns 2-3 {6, 1, 0, 3} max 6 -> {0, 6, 5, 0} max 6: stays
#           columns 4-5 {0, 0, 0, 0} max 0 -> {1, 0, 3, 0} max 3: changes
CHANGES = np.array([[True, True, False], [False, False, True]])


RIGHT = [
    ("6.1", CHANGES),
    ("6.1", CHANGES.astype(int).tolist()),
    ("6.1", CHANGES.astype(np.float32)),
    ("6.1", np.array([[1, 1, 0], [0, 0, 1]], dtype=np.uint8)),
    ("6.1", ((True, True, False), (False, False, True))),
    ("6.2", side_and_dropped),
    ("6.2", lambda n, w, s: [float((n - w) // s + 1), (n - w) % s]),
    ("6.2", lambda n, w, s: np.array(side_and_dropped(n, w, s))),  # a pair as an array of two numbers
    ("6.3", avg_pool_by_reshape),
    ("6.3", avg_pool_by_loops),
    ("6.2", lambda n, w, s: np.array(side_and_dropped(n, w, s))),  # an array of the two numbers is a pair too
    ("6.2", lambda n, w, s: tuple(np.int64(v) for v in side_and_dropped(n, w, s))),
    ("6.3", lambda x, size: avg_pool_by_reshape(x, size).astype(np.float32)),
    ("6.3", lambda x, size: avg_pool_by_loops(x, size).tolist()),
]


@pytest.mark.parametrize(("exercise_id", "answer"), RIGHT)
def test_right_answers_are_accepted(exercise_id, answer):
    assert_correct(checker_for(exercise_id), answer)


def test_the_map_of_exercise_6_1_is_the_one_worked_above_and_cannot_be_changed():
    np.testing.assert_array_equal(
        exercises.EXERCISE_6_1_MAP,
        [[1, 4, 3, 0, 0, 2], [0, 2, 1, 2, 1, 0], [5, 0, 6, 1, 0, 0], [2, 5, 0, 3, 0, 0]],
    )
    with pytest.raises(ValueError, match="read-only"):
        exercises.EXERCISE_6_1_MAP[0, 0] = 9


def test_6_1_agrees_with_the_notebooks_shift_and_cnnlib_pooling():
    x = exercises.EXERCISE_6_1_MAP.astype(float)
    shifted = np.zeros_like(x)
    shifted[:, 1:] = x[:, :-1]
    np.testing.assert_array_equal(cnnlib.max_pool2d(x) != cnnlib.max_pool2d(shifted), CHANGES)


def writes_into_x(x, size):
    x[0, 0] = 99.0
    return avg_pool_by_reshape(x, size)


def avg_pool_keeping_partial_windows(x, size):
    starts_h, starts_w = range(0, x.shape[0], size), range(0, x.shape[1], size)
    return np.array([[x[i : i + size, j : j + size].mean() for j in starts_w] for i in starts_h])


@pytest.mark.parametrize(
    ("checker", "answer", "says"),
    [
        (exercises.check_6_2, raises_not_implemented, "replace `raise NotImplementedError()`"),
        (
            exercises.check_6_2,
            lambda n, w, s: (n // s, side_and_dropped(n, w, s)[1]),
            "gave the side 13, expected 12: n // stride is right",
        ),
        (exercises.check_6_2, lambda n, w, s: (-(-(n - w) // s) + 1, 0), "gave the side 4, expected 3: you also"),
        (exercises.check_6_2, lambda n, w, s: ((n - w) // s, 0), "one too few"),
        (exercises.check_6_2, lambda n, w, s: (n - w + 1, 0), "the window moves `stride` rows at a time"),
        (exercises.check_6_2, lambda n, w, s: (n - ((n - w) // s * s + w), (n - w) // s + 1), "wrong way round"),
        (exercises.check_6_2, lambda n, w, s: (n * w * s, 0), "count the positions"),
        (
            exercises.check_6_2,
            lambda n, w, s: ((n - w) // s + 1, n % w),
            "pool_side_and_dropped(26, 3, 2) gave dropped = 2, expected 1: the last window starts at (side - 1) "
            "* stride and covers `window` rows from there (n % window and n - side * stride are right only",
        ),
        (
            exercises.check_6_2,
            lambda n, w, s: ((n - w) // s + 1, n % w if s == 1 else side_and_dropped(n, w, s)[1]),
            "pool_side_and_dropped(13, 3, 1) gave dropped = 1, expected 0: the last window starts at",
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
        (
            exercises.check_6_3,
            lambda x, s: np.lib.stride_tricks.sliding_window_view(x, (s, s)).mean(axis=(2, 3)),
            "got shape (3, 3): that is one window per position at stride 1. Here the windows do not overlap",
        ),
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
    for wrong in ([[0, 0, 0], [0, 0, 0]], [[1, 1, 1], [0, 0, 1]]):
        message = assert_not_yet(exercises.check_6_1, wrong)
        assert "True, True, False" not in message and "[1, 1, 0]" not in message
    message = assert_not_yet(exercises.check_6_4, forgets_the_drop)
    assert "- 1" not in message and "-= 1" not in message
    message = assert_not_yet(exercises.check_6_2, lambda n, w, s: (n, 0))
    assert "// stride + 1" not in message and "// s + 1" not in message


def shift_left(x):
    moved = np.zeros_like(x)
    moved[:, :-1] = x[:, 1:]
    return moved


LEFT_SHIFT = cnnlib.max_pool2d(exercises.EXERCISE_6_1_MAP) != cnnlib.max_pool2d(shift_left(exercises.EXERCISE_6_1_MAP))
RIGHT_COLUMN_ONLY = np.array([[True, False, True], [False, False, False]])  # where each window's max sits right


@pytest.mark.parametrize(
    ("answer", "says"),
    [
        (None, "`changes` is None"),
        (~CHANGES, "True and False are swapped"),
        (LEFT_SHIFT, "that is for a shift to the left"),
        (RIGHT_COLUMN_ONLY, "whose largest value sits in their right column only"),
        ([[1, 1, 1], [0, 0, 1]], "1 of the 6 cells is wrong, e.g. row 0, column 2: after the shift its window holds"),
        ([[0, 1, 0], [0, 0, 1]], "row 0, column 0: after the shift its window holds columns -1 and 0"),
        ([[1, 1, 0], [1, 0, 1]], "1 of the 6 cells is wrong, e.g. row 1, column 0"),  # the tie in both columns
        ([[1, 1, 0], [0, 0, 0]], "row 1, column 2"),  # the empty window that receives a value
        (np.zeros((2, 3)), "3 of the 6 cells are wrong"),
        (np.ones((4, 6)), "got shape (4, 6): one True or False per pooled value"),
        (CHANGES.T, "got shape (3, 2): rows and columns are swapped"),
        (CHANGES.ravel(), "expected an array of shape (2, 3), got shape (6,)"),
        ([[4, 3, 2], [5, 6, 0]], "mark whether each value changes, not the value itself"),  # the pooled map
        ([[1, 1, 0], [0, 0, 2]], "True or False (or 1 and 0)"),
        ([[1, 1, np.nan], [0, 0, 1]], "NaN"),
        ("TTF FFT", "should be an array of numbers"),
        (BrokenRepr(), "should be an array of numbers"),
    ],
)
def test_6_1_wrong_answers_are_explained(answer, says):
    assert_not_yet(exercises.check_6_1, answer, says)


def test_6_1_the_tempting_answers_are_each_wrong_somewhere():
    assert not np.array_equal(LEFT_SHIFT, CHANGES) and not np.array_equal(RIGHT_COLUMN_ONLY, CHANGES)
    assert not np.array_equal(LEFT_SHIFT, ~CHANGES) and not np.array_equal(RIGHT_COLUMN_ONLY, LEFT_SHIFT)


# Exercise 6.4: right answers, written from PyTorch's documentation of MaxPool2d (not from the checker).
def pooled_side(n, window, stride, padding, ceil_mode):
    if padding > window // 2:
        raise ValueError(f"`padding` must be at most half the window ({window // 2}), got {padding}")
    starts = range(0, n + 2 * padding - window + 1 + (stride - 1 if ceil_mode else 0), stride)
    return len([start for start in starts if start < n + padding])  # a window must start before the right padding


def pooled_side_float(n, window, stride, padding, ceil_mode):
    import math

    if padding > window // 2:
        raise ValueError("padding too large")
    rounding = math.ceil if ceil_mode else math.floor
    side = rounding((n + 2 * padding - window) / stride) + 1.0
    return side - 1 if ceil_mode and (side - 1) * stride >= n + padding else side


def forgets_the_drop(n, window, stride, padding, ceil_mode):
    if padding > window // 2:
        raise ValueError("padding too large")
    return -(-(n + 2 * padding - window) // stride) + 1 if ceil_mode else (n + 2 * padding - window) // stride + 1


def test_6_4_pytorchs_rule_as_the_checker_writes_it_agrees_with_pytorch():
    torch = pytest.importorskip("torch")
    cases = ex06_sides.POOLED_SIDE_CASES + [
        (n, k, s, p, c)
        for n in range(1, 13)
        for k in range(1, 6)
        for s in range(1, 5)
        for p in range(k // 2 + 1)
        for c in (False, True)
        if n + 2 * p >= k
    ]
    for n, k, s, p, c in cases:
        out = torch.nn.functional.max_pool1d(torch.zeros(1, 1, n), k, s, p, ceil_mode=c)
        by_rule = ex06_sides.pytorch_pooled_side(n, k, s, p, c)
        assert by_rule == out.shape[-1] == pooled_side(n, k, s, p, c), (n, k, s, p, c)
    for n, k, s, p, c in ex06_sides.REFUSED_PADDING_CASES:
        with pytest.raises(RuntimeError, match="should be at most half"):
            torch.nn.functional.max_pool1d(torch.zeros(1, 1, n), k, s, p, ceil_mode=c)


def test_6_4_covers_both_modes_and_the_dropped_last_window():
    cases = ex06_sides.POOLED_SIDE_CASES
    assert any(not c for *_, c in cases) and any(c for *_, c in cases)
    dropped = [case for case in cases if case[-1] and forgets_the_drop(*case) != pooled_side(*case)]
    assert len(dropped) >= 3
    assert any(p == k // 2 and p > 0 for _, k, _, p, _ in cases), "a padding of exactly half the window is allowed"


@pytest.mark.parametrize(
    "answer",
    [
        pooled_side,
        pooled_side_float,
        lambda *case: np.int64(pooled_side(*case)),
        lambda *case: np.array(pooled_side(*case)),
    ],
)
def test_6_4_right_answers_are_accepted(answer):
    assert_correct(exercises.check_6_4, answer)


def refuses(answer):
    """``answer`` with PyTorch's refusal of a padding over half the window put in front."""

    def refusing(n, window, stride, padding, ceil_mode):
        if padding > window // 2:
            raise ValueError("`padding` must be at most window // 2")
        return answer(n, window, stride, padding, ceil_mode)

    return refusing


def never_refuses(n, window, stride, padding, ceil_mode):
    return ex06_sides.pytorch_pooled_side(n, window, stride, padding, ceil_mode)


@pytest.mark.parametrize(
    ("answer", "says"),
    [
        (raises_not_implemented, "replace `raise NotImplementedError()`"),
        (refuses(lambda n, k, s, p, c: (n + 2 * p - k) // s + 1), "ceil_mode makes no difference in your function"),
        (forgets_the_drop, "drops one that would start in the right padding"),
        (
            refuses(
                lambda n, k, s, p, c: (
                    forgets_the_drop(n, k, s, p, c) - (c and (forgets_the_drop(n, k, s, p, c) - 1) * s >= n)
                )
            ),
            "may start in the map or in its *left* padding",
        ),
        (
            refuses(
                lambda n, k, s, p, c: (
                    forgets_the_drop(n, k, s, p, c) - (c and (forgets_the_drop(n, k, s, p, c) - 1) * s > n + p)
                )
            ),
            "drop it when it starts at n + p or later (>=, not >)",
        ),
        (
            refuses(lambda n, k, s, p, c: -(-(n + p) // s) if c else (n + 2 * p - k) // s + 1),  # a window per start
            "returned 28, expected 27: in ceil mode you count a window for every start inside the map",
        ),
        (refuses(lambda n, k, s, p, c: ex06_sides.pytorch_pooled_side(n, k, s, 0, c)), "the padding is missing"),
        (refuses(lambda n, k, s, p, c: (n + p - k) // s + 1), "on *each* side"),
        (refuses(lambda n, k, s, p, c: (n + 2 * p - k) / s + 1), "should be a whole number, got 4.5"),
        (refuses(lambda n, k, s, p, c: 3), "pooled_side(7, 2, 2, 1, False) returned 3, expected 4"),
        (never_refuses, "returned 5, but a padding of 2 is more than half the window 2"),
        (
            lambda n, k, s, p, c: refuses(never_refuses)(n, k, s, p, c) if p * 2 < k else 1 / 0,
            "raised ZeroDivisionError",
        ),
        (
            lambda n, k, s, p, c: (
                never_refuses(n, k, s, p, c) if p < k / 2 else (_ for _ in ()).throw(ValueError("padding"))
            ),
            "raised ValueError, but a padding of 1 with a window of 2 is allowed",
        ),
        (
            lambda n, k, s, p, c: (
                never_refuses(n, k, s, p, c) if p <= k // 2 else (_ for _ in ()).throw(IndexError("p"))
            ),
            "raised IndexError: refuse a padding of more than half the window with a ValueError",
        ),
        (
            lambda n, k, s, p, c: (
                never_refuses(n, k, s, p, c) if p <= k // 2 else (_ for _ in ()).throw(ValueError("no"))
            ),
            "raised ValueError('no'), which is right; let its message name `padding`",
        ),
        (
            refuses(lambda n, k, s, p, c: cnnlib.output_size(n, k, stride=s, padding=p)),
            "uses cnnlib.output_size, which this exercise forbids",
        ),
        (
            lambda n, k, s, p, c: cnnlib.max_pool2d(np.zeros((n, n)), k, s, p).shape[0],
            "uses cnnlib.max_pool2d, which this exercise forbids",
        ),
        (lambda n, k, s, p: 1, "raised TypeError"),
        (5, "expected a function"),
    ],
)
def test_6_4_wrong_answers_are_explained(answer, says):
    assert_not_yet(exercises.check_6_4, answer, says)


STEADY = np.array([[2, 0, 3, 1], [1, 0, 0, 0], [4, 4, 1, 0], [0, 1, 5, 0]])  # every window's largest value left


@pytest.mark.parametrize(
    "answer",
    [STEADY, STEADY.tolist(), STEADY.astype(np.float32), np.ones((4, 4)), [[1, 0, 1, 0], [0, 0, 0, 0]] * 2],
)
def test_6_5_right_answers_are_accepted(answer):
    assert_correct(exercises.check_6_5, answer)


def test_6_5_a_right_answer_is_steady_by_cnnlib_too():
    moved = np.zeros_like(STEADY)
    moved[:, 1:] = STEADY[:, :-1]
    assert not np.array_equal(moved, STEADY)
    np.testing.assert_array_equal(cnnlib.max_pool2d(moved), cnnlib.max_pool2d(STEADY))


@pytest.mark.parametrize(
    ("answer", "says"),
    [
        (None, "`steady_map` is None"),
        (np.zeros((4, 4)), "holds only zeros"),
        (
            [[1, 0, 0, 0], [0, 0, 0, 0], [1, 0, 1, 0], [0, 0, 0, 0]],
            "row 0, column 1 of the pooled grid holds only zeros",
        ),
        (-np.ones((4, 4)), "negative values"),
        ([[0, 1, 1, 0], [0, 0, 0, 0], [1, 0, 1, 0], [0, 0, 0, 0]], "sits in the window's right column"),
        ([[1, 5, 3, 0], [0, 0, 0, 0], [1, 0, 1, 0], [0, 0, 0, 0]], "changes from 5 to 1"),
        (
            [[1, 0, 1, 0], [0, 0, 0, 0], [7, 7, 1, 0], [0, 0, 0, 0]],
            "row 1, column 1 changes from 1 to 7 after the shift: a larger value comes in from the left",
        ),
        (np.ones((2, 2)), "expected an array of shape (4, 4), got shape (2, 2)"),
        (np.ones((4, 4, 1)), "expected an array of shape (4, 4)"),
        (np.full((4, 4), np.inf), "NaN or infinity"),
        ("edges", "array of numbers"),
    ],
)
def test_6_5_wrong_answers_are_explained(answer, says):
    assert_not_yet(exercises.check_6_5, answer, says)


def test_6_3_the_average_pooling_layer_is_a_forbidden_shortcut_too():
    import cnnlib.layers

    def with_the_layer(x, size):  # notebook 04 imports the layer, so a learner knows it
        return cnnlib.layers.AvgPool2D(size).forward(x[None, None])[0, 0]

    assert_not_yet(exercises.check_6_3, with_the_layer, "uses cnnlib.layers.AvgPool2D, which this exercise forbids")
