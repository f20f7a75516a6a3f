"""Checkers for notebook 06 (pooling): pool a map by hand, what the windows reach, average pooling.

Expected values come from ``cnnlib.max_pool2d`` / ``avg_pool2d`` / ``sum_pool2d``
and ``cnnlib.output_size``, which the tests check against a reference loop and
PyTorch; never from the learner's earlier answers.
"""

from __future__ import annotations

import numpy as np

from ..pooling import avg_pool2d, max_pool2d, sum_pool2d
from ..shapes import output_size
from ._answers import as_answer_array, mismatches, whole_number
from ._feedback import NotYet, call_learner, exercise, safe_repr
from ._shortcuts import Shortcuts

__all__ = ["EXERCISE_6_1_MAP", "check_6_1", "check_6_2", "check_6_3"]

EXERCISE_6_1_MAP = np.array(
    [
        [1, 0, 4, 2],
        [3, 2, 0, 1],
        [0, 5, 1, 1],
        [2, 0, 0, 3],
    ]
)
"""The 4 x 4 rectified map that Exercise 6.1 max-pools by hand with 2 x 2 windows, stride 2 (read-only)."""
EXERCISE_6_1_MAP.setflags(write=False)  # the checker must compare with the map the learner saw

# Exercise 6.2: (n, window, stride), windows that tile or overlap, sizes that divide and sizes that do not.
SIDE_CASES = [
    (28, 2, 2),
    (26, 2, 2),
    (7, 2, 2),
    (8, 3, 3),
    (10, 4, 4),
    (26, 3, 2),
    (27, 3, 2),
    (55, 3, 2),
    (9, 4, 2),
    (13, 3, 1),
    (5, 5, 5),
    (6, 1, 1),
]
# Exercise 6.3: (height, width, size), square and not, dividing and not.
AVG_CASES = [(4, 4, 2), (6, 6, 3), (7, 7, 2), (5, 8, 2), (9, 6, 4), (3, 3, 1), (2, 5, 2)]


@exercise(
    "6.1",
    hints=(
        "Split the 4 x 4 map into four 2 x 2 blocks that do not overlap: top-left, top-right, bottom-left "
        "and bottom-right.",
        "Max pooling keeps the largest of the four numbers in each block, and nothing else.",
        "Place the four maxima as the blocks are placed: the top-left block's maximum goes to row 0, column 0 "
        "of a 2 x 2 array, the top-right block's to row 0, column 1, and so on.",
    ),
)
def check_6_1(pooled):
    """Exercise 6.1: ``pooled`` is the 2 x 2 max pooling of :data:`EXERCISE_6_1_MAP` (2 x 2 windows, stride 2)."""
    x = EXERCISE_6_1_MAP
    expected = max_pool2d(x)

    def hint(shape):
        if np.prod(shape) == expected.size:
            return ": you have the right count, arrange them as 2 rows of 2, np.array([[a, b], [c, d]])"
        return ": pooling shrinks the map, one number per 2 × 2 window" if shape == x.shape else ""

    got = as_answer_array(pooled, "`pooled`", shape=expected.shape, hint=hint)
    wrong = mismatches(got, expected)
    if not wrong:
        return
    for name, other in [("averages", avg_pool2d(x)), ("sums", sum_pool2d(x))]:
        if np.allclose(got, other):
            raise NotYet(f"these are the {name} of the windows; max pooling keeps the largest value of each")
    if np.allclose(got, expected.T):
        raise NotYet(
            "the right numbers in the wrong places: the output's row i comes from rows 2i and 2i + 1 of "
            "the map, its column j from columns 2j and 2j + 1"
        )
    row, col = wrong[0]
    count = len(wrong)
    raise NotYet(
        f"{count} of the 4 values {'is' if count == 1 else 'are'} wrong, e.g. the one in row {row}, column {col}: "
        f"look again at the window of rows {2 * row}-{2 * row + 1} and columns {2 * col}-{2 * col + 1} of the map"
    )


def _pair_of_whole_numbers(value, what: str) -> tuple[int, int]:
    if isinstance(value, np.ndarray) and value.ndim == 1:
        value = value.tolist()  # an array of the two numbers is a pair too
    if value is None:
        raise NotYet(f"{what} is None: return the pair (side, dropped)")
    value = value.tolist() if isinstance(value, np.ndarray) and value.shape == (2,) else value  # np.array([s, d])
    if not isinstance(value, (tuple, list)) or len(value) != 2:
        raise NotYet(f"{what} should return a pair (side, dropped), got {safe_repr(value)}")
    return whole_number(value[0], f"the side from {what}"), whole_number(value[1], f"`dropped` from {what}")


@exercise(
    "6.2",
    hints=(
        "A window can start at row 0, stride, 2·stride, ... as long as the whole window still fits. Counting "
        "those starts is notebook 04's output size formula, with no padding.",
        "The side is that formula with k = window, s = stride and p = 0, rounded down. Then find where the "
        "last window ends.",
        "The last window starts at (side - 1)·stride and covers `window` rows from there; every row after its "
        "end is dropped. Return the side and that number of rows as a pair.",
    ),
)
def check_6_2(pool_side_and_dropped):
    """Exercise 6.2: ``pool_side_and_dropped(n, window, stride)`` = (pooled side, rows that no window reaches)."""
    for n, window, stride in SIDE_CASES:
        call = f"pool_side_and_dropped({n}, {window}, {stride})"
        result = call_learner(pool_side_and_dropped, n, window, stride, name="pool_side_and_dropped")
        side, dropped = _pair_of_whole_numbers(result, call)
        expected = output_size(n, window, stride)
        if side != expected:
            if side == n // stride:
                hint = (
                    "n // stride is right only when the stride equals the window; here the windows overlap, "
                    "so count the positions where a whole window fits"
                )
            elif side == -(-(n - window) // stride) + 1:
                hint = (
                    "you also count a last window that does not fit completely; pooling drops the rows that "
                    "do not fill a whole window (round down)"
                )
            elif side == expected - 1:
                hint = "one too few: count the window's first position as well"
            else:
                hint = "count the positions where the window's first row can start so that the whole window fits"
            raise NotYet(f"{call} gave the side {side}, expected {expected}: {hint}")
        reached = (expected - 1) * stride + window  # the last window ends just before this row
        if dropped != n - reached:
            if dropped == n - expected * stride:
                hint = "the last window starts at (side - 1) * stride and covers `window` rows from there"
            elif dropped == n % window:
                hint = "n % window is right only when the stride equals the window"
            else:
                hint = "find the row where the last window ends, and count the rows after it"
            raise NotYet(f"{call} gave dropped = {dropped}, expected {n - reached}: {hint}")


@exercise(
    "6.3",
    hints=(
        "Only whole windows count: the pooled map has x.shape[0] // size rows and x.shape[1] // size columns, "
        "and the rows and columns left over at the end are dropped.",
        "With loops: for each output position (i, j), take the size x size window that starts at row i·size "
        "and column j·size, and its mean.",
        "Without loops: cut x to the rows and columns that fill whole windows, reshape that part to (OH, size, "
        "OW, size) and average over axes 1 and 3. cnnlib's pooling is switched off while the check runs.",
    ),
    forbids=Shortcuts(
        "cnnlib.avg_pool2d",
        "cnnlib.sum_pool2d",
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
        try:
            result = call_learner(my_avg_pool, given, size, name="my_avg_pool")
        except NotYet as failed:
            if failed.learner_error is None or "reshape" not in str(failed.learner_error):
                raise
            raise NotYet(
                f"{failed}. For shape ({height}, {width}) the windows do not cover x exactly: first keep "
                "only the rows and columns that fill whole windows",
                learner_error=failed.learner_error,
            ) from None
        if not np.array_equal(given, x):
            raise NotYet(f"{call} changed its input x: build a new array instead of writing into x")
        expected = avg_pool2d(x, size)
        hints = {
            x.shape: ": the result has one number per window, not one per pixel",
            (-(-height // size), -(-width // size)): ": drop the rows and columns that do not fill a whole window",
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
