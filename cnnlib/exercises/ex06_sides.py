"""Checkers for Exercises 6.2 and 6.4 of notebook 06: the pooled side, and what no window reaches.

Expected values come from ``cnnlib.output_size`` and from PyTorch's rule for the pooled
size (``pytorch_pooled_side``, written out here and checked against PyTorch itself in the
tests). The messages name the slips: rounding up where windows must fit whole, one window
short, the padding on one side, ceil mode keeping a window that starts in the padding.
"""

from __future__ import annotations

import numpy as np

from ..shapes import output_size
from ._answers import whole_number
from ._feedback import NotYet, call_learner, exercise, safe_repr
from ._shortcuts import Shortcuts

__all__ = ["POOLED_SIDE_CASES", "REFUSED_PADDING_CASES", "check_6_2", "check_6_4", "pytorch_pooled_side"]

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
# Exercise 6.4: (n, window, stride, padding, ceil_mode), sizes the notebook does not show. Those marked
# "dropped" have a last ceil-mode window that would start in the right padding, which PyTorch drops.
POOLED_SIDE_CASES = [
    (7, 2, 2, 1, False),
    (10, 3, 2, 1, False),
    (13, 3, 3, 1, False),
    (9, 5, 4, 2, False),
    (6, 4, 2, 2, False),
    (7, 2, 2, 0, True),
    (6, 3, 2, 0, True),
    (14, 3, 2, 0, True),
    (9, 4, 3, 1, True),
    (5, 2, 2, 1, True),  # dropped
    (10, 4, 3, 2, True),  # dropped
    (112, 3, 2, 1, True),  # dropped
    (1, 2, 2, 1, True),  # dropped
    (55, 3, 2, 0, True),
    (4, 2, 3, 1, True),  # dropped, starting past n + p: keeping every window and dropping only past n + p differ
]
# Paddings of more than half the window, which PyTorch (and the learner's function) refuses.
REFUSED_PADDING_CASES = [(7, 2, 2, 2, False), (9, 4, 2, 3, True), (6, 1, 1, 1, False), (8, 5, 1, 3, False)]


def pytorch_pooled_side(n: int, window: int, stride: int, padding: int, ceil_mode: bool) -> int:
    """The pooled side by PyTorch's rule (``pooling_output_shape`` in ATen), for a padding of at most window // 2.

    Round down, or up with ``ceil_mode``; in ceil mode a last window that would
    start in the right padding is dropped, so every window starts inside the map
    or its left padding.
    """
    span = n + 2 * padding - window
    side = (span + (stride - 1 if ceil_mode else 0)) // stride + 1
    if ceil_mode and (side - 1) * stride >= n + padding:
        side -= 1
    return side


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
        reached = (expected - 1) * stride + window  # the last window ends just before this row
        if (side, dropped) == (n - reached, expected) and side != expected:
            raise NotYet(
                f"{call} gave the side {side} and dropped = {dropped}: the pair is the wrong way round, "
                "(side, dropped) is asked for"
            )
        if side != expected:
            if side == n - window + 1:
                hint = (
                    "that counts every start, one row apart: the window moves `stride` rows at a time, so count the "
                    "starts 0, stride, 2 * stride, ... where a whole window still fits"
                )
            elif side == n // stride:
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
        if dropped != n - reached:
            if dropped in (n - expected * stride, n % window):
                hint = (
                    "the last window starts at (side - 1) * stride and covers `window` rows from there "
                    "(n % window and n - side * stride are right only when the stride equals the window)"
                )
            else:
                hint = "find the row where the last window ends, and count the rows after it"
            raise NotYet(f"{call} gave dropped = {dropped}, expected {n - reached}: {hint}")


def _floor_side(n, k, s, p, ceil):
    return (n + 2 * p - k) // s + 1


def _ceil_side_kept(n, k, s, p, ceil):
    return -(-(n + 2 * p - k) // s) + 1 if ceil else _floor_side(n, k, s, p, ceil)


def _every_start_inside(n, k, s, p, ceil):
    """Ceil mode read as "one window for every start inside the map or its left padding"."""
    return -(-(n + p) // s) if ceil else _floor_side(n, k, s, p, ceil)


def _dropped_after_n_plus_p(n, k, s, p, ceil):
    side = _ceil_side_kept(n, k, s, p, ceil)
    return side - 1 if ceil and (side - 1) * s > n + p else side


def _dropped_before_n(n, k, s, p, ceil):
    side = _ceil_side_kept(n, k, s, p, ceil)
    return side - 1 if ceil and (side - 1) * s >= n else side


# Rules learners follow instead of PyTorch's, and what to say when every answer follows one of them.
SLIPS_6_4 = (
    (
        _floor_side,
        "ceil_mode makes no difference in your function: with ceil_mode=True, a last window that sticks out "
        "of the padded map is kept, so round the number of steps up",
    ),
    (
        _ceil_side_kept,
        "in ceil mode you keep every last window, but PyTorch drops one that would start in the right padding "
        "(at position n + p of the padded map or later)",
    ),
    (
        _dropped_after_n_plus_p,
        "a last window that starts exactly at position n + p of the padded map starts in the right padding "
        "too: drop it when it starts at n + p or later (>=, not >)",
    ),
    (
        _dropped_before_n,
        "a last window may start in the map or in its *left* padding: it is dropped only if it starts at "
        "position n + p of the padded map or later",
    ),
    (
        _every_start_inside,
        "in ceil mode you count a window for every start inside the map, but PyTorch adds at most one: it "
        "rounds the number of steps, (n + 2p - window) / stride, up instead of down, so a window is added only "
        "when the windows that fit do not end exactly at the end of the padded map",
    ),
    (
        lambda n, k, s, p, ceil: pytorch_pooled_side(n, k, s, 0, ceil),
        "the padding is missing: it adds p positions on each side before the windows slide",
    ),
    (
        lambda n, k, s, p, ceil: (n + p - k) // s + 1,
        "padding p is added on *each* side, so the padded map has n + 2p positions",
    ),
)


@exercise(
    "6.4",
    hints=(
        "Pad first: the map then has n + 2p positions, and the windows start at 0, s, 2s, ... as long as they "
        "fit, as in notebook 04. Without ceil_mode that is the output size formula, rounded down.",
        "With ceil_mode=True a last window may stick out past the padded map, so the number of steps is "
        "rounded up instead. But if that last window would start in the right padding, PyTorch drops it.",
        "Refuse first: a padding above window // 2 raises ValueError with a message naming `padding`. Then, in "
        "ceil mode, the last window starts at (side - 1)·stride of the padded map; if that is n + p or more, it "
        "starts in the right padding: take one off.",
    ),
    forbids=Shortcuts(
        "cnnlib.output_size",
        "cnnlib.max_pool2d",
        "cnnlib.avg_pool2d",
        "cnnlib.sum_pool2d",
        "cnnlib.pooling.pool_padding",
        instead="count the window's starts yourself, from the formula of notebook 04",
    ),
)
def check_6_4(pooled_side):
    """Exercise 6.4: ``pooled_side(n, window, stride, padding, ceil_mode)`` as PyTorch; ValueError for a big padding."""
    results, first_wrong = {}, None
    for case in POOLED_SIDE_CASES:
        n, k, s, p, ceil = case
        call = f"pooled_side({n}, {k}, {s}, {p}, {ceil})"
        try:
            result = call_learner(pooled_side, *case, name="pooled_side")
        except NotYet as failed:
            if isinstance(failed.learner_error, ValueError):
                raise NotYet(
                    f"{call} raised ValueError, but a padding of {p} with a window of {k} is allowed: only a "
                    f"padding of more than half the window (window // 2 = {k // 2}) is refused",
                    learner_error=failed.learner_error,
                ) from None
            raise
        results[case] = whole_number(result, call, " A number of windows is whole: round with //.")
        if first_wrong is None and results[case] != pytorch_pooled_side(*case):
            first_wrong = case
    if first_wrong is not None:
        call = f"pooled_side{first_wrong}"
        hints = [message for rule, message in SLIPS_6_4 if all(v == rule(*c) for c, v in results.items())]
        hint = f": {hints[0]}" if len(hints) == 1 else ""
        raise NotYet(f"{call} returned {results[first_wrong]}, expected {pytorch_pooled_side(*first_wrong)}{hint}")
    for case in REFUSED_PADDING_CASES:
        n, k, s, p, ceil = case
        call = f"pooled_side({n}, {k}, {s}, {p}, {ceil})"
        try:
            result = call_learner(pooled_side, *case, name="pooled_side")
        except NotYet as failed:
            error = failed.learner_error
            if error is None:  # not the learner's own error, e.g. a forbidden shortcut
                raise
            if not isinstance(error, ValueError):
                raise NotYet(
                    f"{call} raised {type(error).__name__}: refuse a padding of more than half the window with a "
                    "ValueError, the error for an argument with a wrong value",
                    learner_error=error,
                ) from None
            if "padding" not in str(error):
                raise NotYet(
                    f"{call} raised ValueError({safe_repr(str(error))}), which is right; let its message name "
                    "`padding`, say what is allowed and what came in"
                ) from None
            continue
        raise NotYet(
            f"{call} returned {safe_repr(result)}, but a padding of {p} is more than half the window {k}: a "
            "window could then hold nothing but padding. Raise a ValueError, as PyTorch does"
        )
