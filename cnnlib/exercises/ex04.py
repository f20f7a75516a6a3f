"""Checkers for notebook 04 (stride, padding and depth): receptive fields, layer shapes, parameter and MAC counts.

The expected values come from independent references: the receptive fields
from following every tap of every layer back to the input rows (brute force,
not the recurrence the notebook states), the shapes from an actual
:func:`cnnlib.conv2d` output, and the counts from counting weights, biases and
multiplications (F filters of C x k x k weights plus F biases; LeNet-5's C3 with
the connection table of LeCun et al., 1998, Table I).
"""

from __future__ import annotations

import numpy as np

from ..conv import conv2d
from ._answers import as_answer_array, as_shape, whole_number
from ._feedback import NotYet, exercise, safe_repr

__all__ = ["LENET_C3_INPUTS", "check_4_1", "check_4_2", "check_4_3", "check_4_4", "check_4_5"]

# Exercise 4.1: a stack the notebook does not show, as (name, window k, stride s, dilation d), no padding.
STACK_4_1 = (
    ("conv 3 x 3", 3, 1, 1),
    ("max pool 2 x 2", 2, 2, 1),
    ("conv 3 x 3, dilation 2", 3, 1, 2),
    ("conv 3 x 3, stride 2", 3, 2, 1),
)
UNIT_ROW_4_1 = 2  # the learner gives the input rows that a unit in row 2 of the last map sees

# Exercise 4.2: a batch of 8 RGB images 32 high and 24 wide, 16 filters of 7 x 7, stride 3, padding 2. Chosen so
# that every common slip (no padding, padding on one side, one short, rounding up, no stride, OH and OW swapped)
# gives a different (OH, OW); with stride 2 and padding 1, one-sided padding came out right.
X_SHAPE, W_SHAPE, STRIDE, PADDING = (8, 3, 32, 24), (16, 3, 7, 7), 3, 2

# Exercise 4.3: a 64 x 64 RGB image; layer 1 has 16 filters of 3 x 3 ('same');
# layer 2 has 32 filters of 3 x 3 on layer 1's output; a dense layer has 100 units on the raw image.
IMAGE_H, IMAGE_W, IMAGE_C, F1, F2, KERNEL, UNITS = 64, 64, 3, 16, 32, 3, 100

# Exercise 4.4: dilation and stride together. Chosen so that every common slip (no dilation, a span of d*k,
# no padding, padding on one side, rounding up, no stride, one short, OH and OW swapped) gives a different shape.
X_SHAPE_4_4, W_SHAPE_4_4, STRIDE_4_4, PADDING_4_4, DILATION_4_4 = (2, 8, 20, 15), (6, 8, 5, 5), 2, 3, 2

LENET_C3_INPUTS = (
    (0, 1, 2),
    (1, 2, 3),
    (2, 3, 4),
    (3, 4, 5),
    (0, 4, 5),
    (0, 1, 5),
    (0, 1, 2, 3),
    (1, 2, 3, 4),
    (2, 3, 4, 5),
    (0, 3, 4, 5),
    (0, 1, 4, 5),
    (0, 1, 2, 5),
    (0, 1, 3, 4),
    (1, 2, 4, 5),
    (0, 2, 3, 5),
    (0, 1, 2, 3, 4, 5),
)
"""Exercise 4.5: which of S2's 6 maps each of LeNet-5's 16 C3 filters reads (LeCun et al., 1998, Table I)."""
C3_KERNEL, C3_INPUT_SIDE, C3_MAPS_IN = 5, 14, 6  # 5 x 5 filters on S2's 6 maps of 14 x 14, no padding, stride 1


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


def _batch_shape(shape, what: str) -> tuple[int, int, int, int]:
    """The learner's (N, F, OH, OW) as ints, or a NotYet naming ``what``."""
    if shape is None:
        raise NotYet(f"{what} is None: replace None with your tuple (N, F, OH, OW)")
    if isinstance(shape, np.ndarray) and shape.ndim == 1:
        shape = shape.tolist()
    if not isinstance(shape, (tuple, list)):
        raise NotYet(f"{what} should be a tuple of 4 whole numbers (N, F, OH, OW), got {safe_repr(shape)}")
    if len(shape) != 4:
        hint = " Did you forget N, the number of images in the batch?" if len(shape) == 3 else ""
        raise NotYet(f"{what} should hold 4 numbers (N, F, OH, OW), it holds {len(shape)}.{hint}")
    # (8, 16, 15.0, 11.0) from / is right: 15.0 is the whole number 15; only a fraction is wrong
    return as_shape(shape, what)


def _check_batch_and_filters(n, f, oh, ow, x_shape, expected) -> None:
    """NotYet if N or F is wrong, or OH and OW are swapped; the sides themselves are checked by the caller."""
    if n != expected[0]:
        raise NotYet(f"N = {n} is not right: a conv layer keeps the number of images; read it from x's shape.")
    if f != expected[1]:
        hint = "that is the number of input channels C, but " if f == x_shape[1] else ""
        raise NotYet(f"F = {f} is not right: {hint}the output has one feature map per filter.")
    if (oh, ow) == tuple(expected[:1:-1]) and oh != ow:
        raise NotYet("OH and OW are swapped: OH comes from the height H (axis 2), OW from the width W (axis 3).")


def _conv_output_shape(x_shape, w_shape, **settings) -> tuple[int, ...]:
    out = conv2d(np.zeros(x_shape), np.zeros(w_shape), **settings)
    return tuple(int(v) for v in out.shape)


def _pattern_hint(results) -> str:
    """A hint if the results follow exactly one common wrong rule; '' otherwise. ``results``: (n, k, s, p) -> answer."""
    wrong_rules = [
        (lambda n, k, s, p: (n - k) // s + 1, "The padding is missing: it widens the input before the kernel slides."),
        (
            lambda n, k, s, p: (n + p - k) // s + 1,
            "Padding p is added on *each* side, so the padded input has n + 2p pixels.",
        ),
        (lambda n, k, s, p: (n + 2 * p - k) // s, "You are one short: count the first position (start 0) as well."),
        (
            lambda n, k, s, p: -(-(n + 2 * p - k) // s) + 1,
            "You rounded up: a last step that does not fit whole is not taken, so round down.",
        ),
        (lambda n, k, s, p: n + 2 * p - k + 1, "The stride is missing: the kernel jumps s pixels at a time."),
    ]
    hints = [hint for rule, hint in wrong_rules if all(answer == rule(*case) for case, answer in results.items())]
    return " " + hints[0] if len(hints) == 1 else ""


@exercise(
    "4.2",
    hints=(
        "A conv layer keeps the number of images N and makes one output map per filter, so N and F can be "
        "read off the shapes of x and w.",
        "OH comes from the height (32) and OW from the width (24): apply the output size formula to each side "
        "separately, with k = 7, s = 3 and p = 2.",
        "Work out the formula once for the height and once for the width, rounding down, then write the four "
        "numbers as a tuple in the order (N, F, OH, OW).",
    ),
)
def check_4_2(shape):
    """Exercise 4.2: the shape (N, F, OH, OW) of conv2d's output for x (8, 3, 32, 24), w (16, 3, 7, 7), s=3, p=2."""
    n, f, oh, ow = _batch_shape(shape, "`shape`")
    expected = _conv_output_shape(X_SHAPE, W_SHAPE, stride=STRIDE, padding=PADDING)
    _check_batch_and_filters(n, f, oh, ow, X_SHAPE, expected)
    if (oh, ow) != expected[2:]:
        # both sides together name the slip: one side alone can come out right by chance
        sides = {(X_SHAPE[2], W_SHAPE[2], STRIDE, PADDING): oh, (X_SHAPE[3], W_SHAPE[3], STRIDE, PADDING): ow}
        hint = _pattern_hint(sides)
        if hint:
            raise NotYet(f"(OH, OW) = ({oh}, {ow}) is not right.{hint}")
    for name, got, want, side in (("OH", oh, expected[2], X_SHAPE[2]), ("OW", ow, expected[3], X_SHAPE[3])):
        if got != want:
            case = {(side, W_SHAPE[2], STRIDE, PADDING): got}
            axis = "height H" if name == "OH" else "width W"
            hint = _pattern_hint(case) or f" Apply the output size formula to the {axis} = {side}, with k, s and p."
            raise NotYet(f"{name} = {got} is not right.{hint}")


@exercise(
    "4.3",
    hints=(
        "A filter has one weight per input channel and kernel position, plus one bias. Layer 2's input is "
        "layer 1's output: how many channels does that have?",
        "Layer 2 has 32 filters, each of 16 x 3 x 3 weights and one bias; the image's height and width do "
        "not enter, because the same filter slides everywhere.",
        "The dense layer gives each of its 100 units one weight for every number of the flattened "
        "64 x 64 x 3 image, plus one bias per unit.",
    ),
)
def check_4_3(conv_params, dense_params=None):
    """Exercise 4.3: the parameters of conv layer 2 (32 filters 3 x 3 on 16 maps) and of a dense layer of 100 units."""
    conv = whole_number(conv_params, "`conv_params`")
    weights2, biases2 = F2 * F1 * KERNEL * KERNEL, F2
    if conv != weights2 + biases2:
        if conv == weights2:
            hint = "the biases are missing: each filter has one."
        elif conv == F2 * IMAGE_C * KERNEL * KERNEL + F2:
            hint = "layer 2 does not see the 3 colour channels: its input is layer 1's output, whose depth is F1."
        elif conv == F2 * KERNEL * KERNEL + F2:
            hint = "each filter has one k x k slice per input channel (the depth of its input)."
        elif conv > 100_000:
            hint = "that is far too many: a filter's size does not depend on the image's height or width."
        else:
            hint = "count per filter: (input channels) x k x k weights, plus a bias; then multiply by F2."
        raise NotYet(f"`conv_params` = {conv} is not right: {hint}")
    dense = whole_number(dense_params, "`dense_params`")
    inputs = IMAGE_H * IMAGE_W * IMAGE_C
    if dense != inputs * UNITS + UNITS:
        if dense == inputs * UNITS:
            hint = "the biases are missing: each unit has one."
        elif dense == IMAGE_H * IMAGE_W * UNITS + UNITS:
            hint = "an RGB image has 3 numbers per pixel, and every one of them is an input."
        elif dense in (inputs, inputs + UNITS):
            hint = "that counts the inputs; every unit has its own weight for every input."
        else:
            hint = "count (number of inputs) x (number of units) weights, plus one bias per unit."
        raise NotYet(f"`dense_params` = {dense} is not right: {hint}")


# Slips with the dilated output size o = (n + 2p - d(k - 1) - 1) // s + 1, and what to say. Exercise 4.4's
# sizes make each of them give a different (OH, OW) (tests/test_exercises_ex04.py checks it), except two that no
# stride-2 sizes can tell apart: rounding up, and dropping the - 1 of the span (ceil(m / 2) == (m + 1) // 2).
SLIPS_4_4 = (
    (
        lambda n, k, s, p, d: (n + 2 * p - k) // s + 1,
        "the dilation is missing: a filter of k taps with dilation d spans d(k - 1) + 1 pixels, and that span "
        "takes the place of k in the formula",
    ),
    (
        lambda n, k, s, p, d: (n + 2 * p - d * k) // s + 1,
        "a filter of k taps with dilation d spans d(k - 1) + 1 pixels, not d·k: its taps sit at offsets "
        "0, d, ..., d(k - 1)",
    ),
    (
        lambda n, k, s, p, d: (n - d * (k - 1) - 1) // s + 1,
        "the padding is missing: it widens the input to n + 2p before the filter slides",
    ),
    (
        lambda n, k, s, p, d: (n + p - d * (k - 1) - 1) // s + 1,
        "padding p goes on *each* side, so the padded input has n + 2p pixels",
    ),
    (
        lambda n, k, s, p, d: -(-(n + 2 * p - d * (k - 1) - 1) // s) + 1,
        "you rounded up: a last step that does not fit whole is not taken, so round down",
    ),
    (
        lambda n, k, s, p, d: n + 2 * p - d * (k - 1),
        "the stride is missing: the filter jumps s pixels at a time",
    ),
    (
        lambda n, k, s, p, d: (n + 2 * p - d * (k - 1) - 1) // s,
        "you are one short: count the first position (start 0) as well",
    ),
    (
        lambda n, k, s, p, d: (n + 2 * p - d * (k - 1)) // s + 1,
        "the - 1 after d(k - 1) is missing: the formula subtracts the filter's whole span, d(k - 1) + 1 pixels",
    ),
)


def _slip_4_4(rule) -> tuple[int, int]:
    k, (h, w) = W_SHAPE_4_4[2], X_SHAPE_4_4[2:]
    return tuple(rule(n, k, STRIDE_4_4, PADDING_4_4, DILATION_4_4) for n in (h, w))


@exercise(
    "4.4",
    hints=(
        "N and F come from x and w as in Exercise 4.2. For OH and OW, the filter with gaps takes the place of "
        "an ordinary filter as wide as its span.",
        "A filter of k taps with dilation d spans d(k - 1) + 1 pixels. Put that in place of k in the output "
        "size formula, with the padding on both sides and the stride.",
        "Apply the dilated formula, (n + 2p - d(k - 1) - 1) // s + 1, once to the height H and once to the "
        "width W, rounding down each time.",
    ),
)
def check_4_4(dilated_shape):
    """Exercise 4.4: conv2d's output shape for x (2, 8, 20, 15), w (6, 8, 5, 5), stride 2, padding 3, dilation 2."""
    n, f, oh, ow = _batch_shape(dilated_shape, "`dilated_shape`")
    expected = _conv_output_shape(
        X_SHAPE_4_4, W_SHAPE_4_4, stride=STRIDE_4_4, padding=PADDING_4_4, dilation=DILATION_4_4
    )
    _check_batch_and_filters(n, f, oh, ow, X_SHAPE_4_4, expected)
    if (oh, ow) == expected[2:]:
        return
    slips = [message for rule, message in SLIPS_4_4 if (oh, ow) == _slip_4_4(rule)]
    if len(slips) == 1:
        raise NotYet(f"(OH, OW) = ({oh}, {ow}) is not right: {slips[0]}.")
    if slips:  # two slips give these numbers: name both rather than guess
        raise NotYet(f"(OH, OW) = ({oh}, {ow}) is not right. Either {'; or '.join(slips)}.")
    name, side = ("OH", X_SHAPE_4_4[2]) if oh != expected[2] else ("OW", X_SHAPE_4_4[3])
    axis = "height H" if name == "OH" else "width W"
    raise NotYet(
        f"{name} = {oh if name == 'OH' else ow} is not right. Apply the output size formula with dilation to the "
        f"{axis} = {side}, with k = {W_SHAPE_4_4[2]}, s = {STRIDE_4_4}, p = {PADDING_4_4} and d = {DILATION_4_4}."
    )


def _c3_counts() -> tuple[int, int, int]:
    """(weights, biases, output side) of LeNet-5's C3, from the connection table: one 5 x 5 slice per map read."""
    weights = sum(len(maps) * C3_KERNEL * C3_KERNEL for maps in LENET_C3_INPUTS)
    return weights, len(LENET_C3_INPUTS), C3_INPUT_SIDE - C3_KERNEL + 1


@exercise(
    "4.5",
    hints=(
        "Count filter by filter: a C3 filter has one 5 x 5 slice for each S2 map it reads (its row of "
        "LENET_C3_INPUTS), plus one bias. The filters do not all read the same number of maps.",
        "Add up the slices over the 16 filters, multiply by the 25 weights of a slice, and add the 16 biases. "
        "For the work, find C3's output side first: 5 x 5 filters on a 14 x 14 map, no padding, stride 1.",
        "Each weight is multiplied once at every output position, so the MACs are the number of weights "
        "(biases left out: they are added, not multiplied) times OH x OW.",
    ),
)
def check_4_5(c3_params, c3_macs=None):
    """Exercise 4.5: the parameters and the multiply-accumulates of LeNet-5's C3 with its real connection table."""
    weights, biases, side = _c3_counts()
    filters = len(LENET_C3_INPUTS)
    full_weights = filters * C3_MAPS_IN * C3_KERNEL * C3_KERNEL  # every filter reading all 6 maps
    params = whole_number(c3_params, "`c3_params`")
    if params != weights + biases:
        if params == full_weights + biases:
            hint = (
                "that is as if every filter read all 6 of S2's maps, as the notebook's table assumed; in LeNet-5 "
                "each filter reads only the maps in its row of LENET_C3_INPUTS"
            )
        elif params == weights:
            hint = "the biases are missing: each filter has one"
        elif params == weights + sum(len(maps) for maps in LENET_C3_INPUTS):
            hint = "each filter has one bias, not one per slice"
        elif params == filters * C3_KERNEL * C3_KERNEL + biases:
            hint = "a filter has one 5 x 5 slice for every map it reads, not a single slice"
        elif params > 50_000:
            hint = "that is far too many: a filter's size does not depend on the size of the map it slides over"
        else:
            hint = "count per filter: (maps it reads) x 5 x 5 weights plus one bias, then add over the 16 filters"
        raise NotYet(f"`c3_params` = {params} is not right: {hint}.")
    macs = whole_number(c3_macs, "`c3_macs`")
    positions = side * side
    if macs != weights * positions:
        if macs == full_weights * positions:
            hint = "that counts every filter as reading all 6 maps; use the connection table, as for the parameters"
        elif macs == (weights + biases) * positions:
            hint = (
                "that counts the biases too (LeCun et al. call this count the layer's 'connections'), but a bias "
                "is added once per output, with no multiplication"
            )
        elif macs == weights * C3_INPUT_SIDE * C3_INPUT_SIDE:
            hint = (
                "a filter works only at the positions where it fits: count the positions of the output, not the "
                "pixels of S2's maps"
            )
        elif macs in (weights, weights + biases):
            hint = "that is the work at one position; the filters slide over every position of the output"
        else:
            hint = "each weight is used once at every output position: weights times OH x OW"
        raise NotYet(f"`c3_macs` = {macs} is not right: {hint}.")
