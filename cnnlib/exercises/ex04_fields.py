"""Checker for Exercise 4.1 of notebook 04: the receptive field and step after each layer of a stack.

The expected values follow every tap of every layer back to the input rows (brute
force, not the recurrence the notebook states); the messages name the slip when the
learner's (size, step) pairs match a wrong recurrence, each computed here.
"""

from __future__ import annotations

import numpy as np

from ._answers import as_answer_array, whole_number
from ._feedback import NotYet, exercise, safe_repr

__all__ = ["check_4_1"]

# Exercise 4.1: a stack the notebook does not show, as (name, window k, stride s, dilation d), no padding.
STACK_4_1 = (
    ("conv 3 x 3", 3, 1, 1),
    ("max pool 2 x 2", 2, 2, 1),
    ("conv 3 x 3, dilation 2", 3, 1, 2),
    ("conv 3 x 3, stride 2", 3, 2, 1),
)
UNIT_ROW_4_1 = 2  # the learner gives the input rows that a unit in row 2 of the last map sees


def _rows_seen(layers, unit: int) -> set[int]:
    """The input rows that the unit in row ``unit`` of the last of ``layers`` reads, following every tap back."""
    rows = {unit}
    for _, k, s, d in reversed(layers):
        rows = {row * s + tap * d for row in rows for tap in range(k)}
    return rows


def _fields_4_1() -> list[tuple[int, int]]:
    """(size, step) after each layer of STACK_4_1, by brute force: the rows that units 0 and 1 read."""
    fields = []
    for depth in range(1, len(STACK_4_1) + 1):
        first, second = _rows_seen(STACK_4_1[:depth], 0), _rows_seen(STACK_4_1[:depth], 1)
        fields.append((max(first) - min(first) + 1, min(second) - min(first)))
    return fields


def _fields_by(rule) -> list[tuple[int, int]]:
    """(size, step) after each layer of STACK_4_1 by a (wrong) recurrence ``rule(size, step, k, s, d)``."""
    size, step, fields = 1, 1, []
    for _, k, s, d in STACK_4_1:
        size, step = rule(size, step, k, s, d)
        fields.append((size, step))
    return fields


# Slips learners make with the recurrence r_l = r_{l-1} + d (k - 1) j_{l-1}, j_l = j_{l-1} s, and what to say.
SLIPS_4_1 = (
    (
        lambda r, j, k, s, d: (r + (k - 1) * j, j * s),
        "the dilation of layer 3 is missing: its taps are d rows apart, so it adds d(k - 1) steps, not k - 1",
    ),
    (
        lambda r, j, k, s, d: (r + (d * k - 1) * j, j * s),
        "a filter of k taps with dilation d spans d(k - 1) + 1 positions, not d·k: its taps sit at offsets "
        "0, d, ..., d(k - 1)",
    ),
    (
        lambda r, j, k, s, d: (r + d * (k - 1) * j * s, j * s),
        "a layer's own stride does not widen its own field: the field grows with the step of the layer "
        "before (j_{l-1}), and the stride multiplies the step only for the layers after it",
    ),
    (
        lambda r, j, k, s, d: (r + d * (k - 1), j),
        "the step never grows: after a layer with stride s, neighbouring units are s times further apart",
    ),
    (
        lambda r, j, k, s, d: (r + d * (k - 1), j * s),
        "the field grows by d(k - 1) times the step, not by d(k - 1) alone: after the pooling, neighbouring "
        "units of a map are 2 input rows apart, so each tap of a later layer reaches 2 rows further",
    ),
    (
        lambda r, j, k, s, d: (r + d * k * j, j * s),
        "a window of k taps adds k - 1 steps to the field, not k (one 3 x 3 conv on the image sees 3 rows)",
    ),
)


def _whole_pairs(value, what: str, count: int) -> list[tuple[int, int]]:
    """The learner's list of ``count`` (size, step) pairs as ints, or a NotYet naming ``what``."""
    if isinstance(value, (list, tuple)) and len(value) == count + 1:
        first = value[0]
        if isinstance(first, (list, tuple, np.ndarray)) and len(first) == 2 and tuple(np.asarray(first)) == (1, 1):
            raise NotYet(
                f"{what} holds {count + 1} pairs: leave out the input's own (1, 1) and give one pair per layer, "
                f"{count} in all"
            )

    def hint(shape):
        if shape == (2, count):
            return f". Write one (size, step) pair per layer, {count} pairs, not a list of sizes and a list of steps"
        return f". Write one (size, step) pair per layer, {count} pairs in all"

    pairs = as_answer_array(
        value, what, shape=(count, 2), hint=hint, if_none="is None: replace None with your list of (size, step) pairs"
    )
    if not np.array_equal(pairs, np.round(pairs)):
        raise NotYet(f"{what} should hold whole numbers (rows of the input), got {safe_repr(value)}")
    return [(int(size), int(step)) for size, step in pairs]


def _whole_pair(value, what: str, names: str) -> tuple[int, int]:
    """The learner's pair of whole numbers, e.g. (first, last), or a NotYet naming ``what``."""
    if value is None:
        raise NotYet(f"{what} is None: replace None with your pair {names}")
    if isinstance(value, np.ndarray) and value.ndim == 1:
        value = value.tolist()
    if not isinstance(value, (tuple, list)) or len(value) != 2:
        raise NotYet(f"{what} should be a pair of whole numbers {names}, got {safe_repr(value)}")
    return whole_number(value[0], f"the first number of {what}"), whole_number(value[1], f"the second number of {what}")


@exercise(
    "4.1",
    hints=(
        "Go layer by layer from the input, where a unit is one pixel: size 1, step 1. A pooling window is a "
        "layer like a convolution, with its own window and stride.",
        "Use the notebook's rule: the size grows by d(k - 1) times the step of the layer before, and then the "
        "step multiplies by this layer's stride. Write down (size, step) after each of the four layers.",
        "For the rows: unit 0 of the last map starts at input row 0, and each next unit starts one step of the "
        "last map further down. Its field then covers `size` rows from there, the first and the last included.",
    ),
)
def check_4_1(fields, rows_seen=None):
    """Exercise 4.1: (size, step) after each layer of STACK_4_1; the input rows a unit in row 2 of the last map sees."""
    expected = _fields_4_1()
    got = _whole_pairs(fields, "`fields`", len(STACK_4_1))
    if got != expected:
        if [(step, size) for size, step in got] == expected:
            raise NotYet("each pair is the wrong way round: write (size, step), the size of the field first")
        for rule, message in SLIPS_4_1:
            if got == _fields_by(rule):
                raise NotYet(f"`fields` is not right: {message}.")
        layer = next(n for n, (a, b) in enumerate(zip(got, expected, strict=True)) if a != b)
        (size, step), (want_size, want_step) = got[layer], expected[layer]
        part = "size" if size != want_size else "step"
        if size != want_size and step != want_step:
            part = "size and step"
        raise NotYet(
            f"`fields` goes wrong at layer {layer + 1} ({STACK_4_1[layer][0]}): its {part} "
            f"{'are' if part == 'size and step' else 'is'} not right. The size grows by d(k - 1) times the step "
            "of the layer before; then the step multiplies by this layer's stride."
        )
    rows = _rows_seen(STACK_4_1, UNIT_ROW_4_1)
    first, last = min(rows), max(rows)
    got_first, got_last = _whole_pair(rows_seen, "`rows_seen`", "(first row, last row)")
    if (got_first, got_last) == (first, last):
        return
    size, step = expected[-1]
    if (got_last, got_first) == (first, last):
        raise NotYet("`rows_seen` is the wrong way round: give (first row, last row), the smaller first")
    if got_first == first and got_last == last + 1:
        raise NotYet("`rows_seen` ends one row too late: a field of r rows that starts at row a ends at row a + r - 1")
    if got_first == UNIT_ROW_4_1 * size:
        raise NotYet(
            "`rows_seen` starts too far down: neighbouring units of a map are one step apart, not one field "
            "apart (their fields overlap)"
        )
    previous_step = expected[-2][1]
    if previous_step != step and got_first == UNIT_ROW_4_1 * previous_step:
        raise NotYet(
            f"`rows_seen` starts at row {got_first}, {UNIT_ROW_4_1} steps of {previous_step} rows. The units of "
            f"the last map are {step} input rows apart: the step *after* the last layer, the product of every "
            "stride up to and including its own"
        )
    if got_first == UNIT_ROW_4_1:
        raise NotYet(
            f"`rows_seen` starts at input row {UNIT_ROW_4_1}, but a unit in row {UNIT_ROW_4_1} of the last map is "
            f"{UNIT_ROW_4_1} steps of that map below unit 0, and that map's step is not 1 input row"
        )
    if got_first == first and got_last - got_first + 1 != size:
        raise NotYet(
            "`rows_seen` starts at the right row, but from first to last it should cover as many rows as the "
            "last layer's field size"
        )
    raise NotYet(
        f"`rows_seen` = ({got_first}, {got_last}) is not right. Unit 0 of the last map sees rows 0 to size - 1; "
        f"the unit in row {UNIT_ROW_4_1} sees the same number of rows, starting {UNIT_ROW_4_1} steps further down."
    )
