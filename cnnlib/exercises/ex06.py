"""Checkers for notebook 06 (pooling): what a shift changes (6.1, 6.5) and average pooling (6.3).

Expected values come from ``cnnlib.max_pool2d`` / ``avg_pool2d`` / ``sum_pool2d``,
which the tests check against a reference loop and PyTorch, and from a numpy
reshape for 2 x 2 max pooling of a shifted map; never from the learner's earlier
answers. The pooled sizes (6.2, 6.4) are in :mod:`cnnlib.exercises.ex06_sides`.
"""

from __future__ import annotations

import numpy as np

from ..pooling import avg_pool2d, max_pool2d, sum_pool2d
from ._answers import as_answer_array, mismatches
from ._feedback import NotYet, call_learner, exercise, safe_repr
from ._shortcuts import Shortcuts
from .ex06_sides import check_6_2, check_6_4

__all__ = ["EXERCISE_6_1_MAP", "check_6_1", "check_6_2", "check_6_3", "check_6_4", "check_6_5"]

EXERCISE_6_1_MAP = np.array(
    [
        [1, 4, 3, 0, 0, 2],
        [0, 2, 1, 2, 1, 0],
        [5, 0, 6, 1, 0, 0],
        [2, 5, 0, 3, 0, 0],
    ]
)
"""The 4 x 6 rectified map of Exercise 6.1, max-pooled 2 x 2 before and after a shift by one pixel (read-only).

Its six windows hold one case each: the largest value in the right column only (top left), a larger value
coming in from the left (top middle), the largest value in the right column but an equal one coming in (top
right), the largest value in both columns (bottom left), the largest value in the left column (bottom middle),
and an empty window that receives a value (bottom right)."""
EXERCISE_6_1_MAP.setflags(write=False)  # the checker must compare with the map the learner saw

# Exercise 6.3: (height, width, size), square and not, dividing and not.
AVG_CASES = [(4, 4, 2), (6, 6, 3), (7, 7, 2), (5, 8, 2), (9, 6, 4), (3, 3, 1), (2, 5, 2)]

# Exercise 6.5: the side of the map to design.
STEADY_SIDE = 4


def _shift_right(x):
    """``x`` moved one column to the right: a zero column comes in on the left, the last column falls off."""
    shifted = np.zeros_like(x)
    shifted[:, 1:] = x[:, :-1]
    return shifted


def _max_pool_2x2(x):
    """2 x 2 max pooling with stride 2 by a reshape (rows and columns left over dropped)."""
    rows, cols = x.shape[0] // 2, x.shape[1] // 2
    return x[: rows * 2, : cols * 2].reshape(rows, 2, cols, 2).max(axis=(1, 3))


def _right_column_only(x):
    """For each 2 x 2 window: is its largest value in its right column only? (the tempting rule for 6.1)."""
    rows, cols = x.shape[0] // 2, x.shape[1] // 2
    windows = x[: rows * 2, : cols * 2].reshape(rows, 2, cols, 2)
    return windows[:, :, :, 1].max(axis=1) > windows[:, :, :, 0].max(axis=1)


@exercise(
    "6.1",
    hints=(
        "Work window by window. After the shift, each 2 x 2 window of the pooled grid holds different columns "
        "of the original map: which two?",
        "Window j covered columns 2j and 2j + 1. After a shift to the right it covers columns 2j - 1 and 2j of "
        "the original map: its own left column, and the right column of the window to its left (zeros for the "
        "first window).",
        "For each window, compare the largest value of its old columns with the largest value of its new "
        "columns. Mind ties: a value that leaves can be replaced by an equal one.",
    ),
)
def check_6_1(changes):
    """Exercise 6.1: which 2 x 2 max-pooled values of EXERCISE_6_1_MAP change when it shifts one pixel right."""
    x = np.asarray(EXERCISE_6_1_MAP)
    expected = _max_pool_2x2(x) != _max_pool_2x2(_shift_right(x))
    rows, cols = expected.shape

    def hint(shape):
        if shape == x.shape:
            return f": one True or False per pooled value, and the pooled map is {rows} x {cols}"
        if shape == (cols, rows):
            return f": rows and columns are swapped, the pooled map has {rows} rows and {cols} columns"
        return ""

    got = as_answer_array(
        changes, "`changes`", shape=expected.shape, hint=hint, if_none="is None: replace None with your mask"
    )
    if not np.isin(got, (0, 1)).all():
        raise NotYet(
            f"`changes` should hold True or False (or 1 and 0) for each pooled value, got {safe_repr(changes)}: "
            "mark whether each value changes, not the value itself"
        )
    got = got.astype(bool)
    if np.array_equal(got, expected):
        return
    if np.array_equal(got, ~expected):
        raise NotYet("True and False are swapped: True marks a pooled value that changes")
    shifted_left = np.zeros_like(x)
    shifted_left[:, :-1] = x[:, 1:]
    if np.array_equal(got, _max_pool_2x2(x) != _max_pool_2x2(shifted_left)):
        raise NotYet(
            "that is for a shift to the left; here every column moves one to the right, and a column of zeros "
            "comes in on the left"
        )
    if np.array_equal(got, _right_column_only(x)):
        raise NotYet(
            "you marked the windows whose largest value sits in their right column only. That value does leave, "
            "but look also at what comes in: the right column of the window to the left (zeros for the first)"
        )
    wrong = np.argwhere(got != expected)
    i, j = (int(v) for v in wrong[0])
    count = len(wrong)
    raise NotYet(
        f"{count} of the {expected.size} cells {'is' if count == 1 else 'are'} wrong, e.g. row {i}, column {j}: "
        f"after the shift its window holds columns {2 * j - 1} and {2 * j} of the original map"
        f"{' (column -1 being the zeros that come in)' if j == 0 else ''}, rows {2 * i} and {2 * i + 1}"
    )


@exercise(
    "6.3",
    hints=(
        "Only whole windows count: the pooled map has x.shape[0] // size rows and x.shape[1] // size columns, "
        "and the rows and columns left over at the end are dropped.",
        "With loops: for each output position (i, j), take the size x size window that starts at row i·size "
        "and column j·size, and its mean.",
        "Without loops: cut x to the rows and columns that fill whole windows, reshape that part to (OH, size, "
        "OW, size) and average over axes 1 and 3. cnnlib's average and sum pooling are switched off while the "
        "check runs.",
    ),
    forbids=Shortcuts(
        "cnnlib.avg_pool2d",
        "cnnlib.sum_pool2d",
        "cnnlib.layers.AvgPool2D",
        instead="average each window yourself, with loops or with a reshape",
    ),
)
def check_6_3(my_avg_pool):
    """Exercise 6.3: ``my_avg_pool(x, size)`` is average pooling with stride = size, like ``cnnlib.avg_pool2d``."""
    rng = np.random.default_rng(6)
    for height, width, size in AVG_CASES:
        x = rng.integers(0, 10, size=(height, width)).astype(np.float64)
        given = x.copy()
        call = f"my_avg_pool(x, {size}) for x of shape ({height}, {width})"
        uncovered = (
            f"for shape ({height}, {width}) the windows do not cover x exactly: first keep only the rows and "
            "columns that fill whole windows"
        )
        result = call_learner(
            my_avg_pool,
            given,
            size,
            name="my_avg_pool",
            explain=lambda error, why=uncovered: why if "reshape" in str(error) else None,
        )
        if not np.array_equal(given, x):
            raise NotYet(f"{call} changed its input x: build a new array instead of writing into x")
        expected = avg_pool2d(x, size)
        hints = {
            x.shape: ": the result has one number per window, not one per pixel",
            (-(-height // size), -(-width // size)): ": drop the rows and columns that do not fill a whole window",
            (height - size + 1, width - size + 1): (
                ": that is one window per position at stride 1. Here the windows do not overlap: "
                "stride = size, so the next window starts `size` pixels further"
            ),
        }
        got = as_answer_array(result, call, shape=expected.shape, hint=hints.get)
        wrong = mismatches(got, expected, like=result)
        if not wrong:
            continue
        if np.allclose(got, max_pool2d(x, size)):
            raise NotYet(
                f"{call} returned the largest value of each window (max pooling); average pooling takes "
                "the mean of each window"
            )
        if np.allclose(got, sum_pool2d(x, size)):
            raise NotYet(f"{call} returned the sum of each window; divide by the number of values in a window")
        row, col = wrong[0]
        rows, cols = f"{row * size}:{(row + 1) * size}", f"{col * size}:{(col + 1) * size}"
        raise NotYet(
            f"{call}: the value in row {row}, column {col} should be the mean of x[{rows}, {cols}] = "
            f"{expected[row, col]:.4g}, got {got[row, col]:.4g}"
        )


@exercise(
    "6.5",
    hints=(
        "A pooled value stays the same if the largest value of its window is still inside that window after "
        "the shift, and nothing larger comes in from the left.",
        "The shift moves a window's left column into its own right column, and its right column into the next "
        "window. So put each window's largest value in its left column.",
        "What comes into a window is the right column of the window to its left (zeros for the first). Keep "
        "those right columns no larger than the largest value of the window to their right.",
    ),
)
def check_6_5(steady_map):
    """Exercise 6.5: a 4 x 4 rectified map, every window active, whose 2 x 2 max pooling a one-pixel shift keeps."""
    side = STEADY_SIDE
    x = as_answer_array(
        steady_map,
        "`steady_map`",
        shape=(side, side),
        if_none=f"is None: replace None with your {side} x {side} map (a numpy array)",
    )
    if (x < 0).any():
        raise NotYet("`steady_map` has negative values, but a rectified map (after ReLU) has none")
    before = _max_pool_2x2(x)
    empty = np.argwhere(before <= 0)
    if len(empty):
        i, j = (int(v) for v in empty[0])
        raise NotYet(
            f"the 2 x 2 window in row {i}, column {j} of the pooled grid holds only zeros: give every window a "
            "detection (a positive value), so that the pooled map has something to keep"
        )
    shifted = _shift_right(x)
    after = _max_pool_2x2(shifted)
    changed = np.argwhere(after != before)
    if not len(changed):
        return
    i, j = (int(v) for v in changed[0])
    window = x[2 * i : 2 * i + 2, 2 * j : 2 * j + 2]
    incoming = x[2 * i : 2 * i + 2, 2 * j - 1] if j > 0 else np.zeros(2)
    if incoming.max() > before[i, j]:
        reason = "a larger value comes in from the left, from the right column of the window to its left"
    elif window[:, 1].max() > window[:, 0].max():
        reason = "its largest value sits in the window's right column, which the shift carries into the next window"
    else:
        reason = "compare the largest value of its columns before and after the shift"
    raise NotYet(
        f"the pooled value in row {i}, column {j} changes from {before[i, j]:g} to {after[i, j]:g} after the "
        f"shift: {reason}"
    )
