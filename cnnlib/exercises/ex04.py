"""Checkers for notebook 04 (stride, padding and depth): the shape of a layer's output (4.2, 4.4).

The expected shapes come from an actual :func:`cnnlib.conv2d` output; the messages name
the slip (no padding, padding on one side, one short, rounding up, no stride, no dilation,
OH and OW swapped) when the learner's numbers match it. The receptive fields (4.1) are in
:mod:`cnnlib.exercises.ex04_fields`, the parameter and MAC counts (4.3, 4.5) in
:mod:`cnnlib.exercises.ex04_counts`.
"""

from __future__ import annotations

import numpy as np

from ..conv import conv2d
from ._answers import as_shape
from ._feedback import NotYet, exercise, safe_repr
from .ex04_counts import LENET_C3_INPUTS, check_4_3, check_4_5
from .ex04_fields import check_4_1

__all__ = ["LENET_C3_INPUTS", "check_4_1", "check_4_2", "check_4_3", "check_4_4", "check_4_5"]

# Exercise 4.2: a batch of 8 RGB images 32 high and 25 wide, 16 filters of 5 x 5, stride 3, padding 3. Chosen so
# that no common slip gives the right (OH, OW): no padding, padding on one side, one short, rounding up or to the
# nearest, no stride, n // s, p added to the count, OH and OW swapped (tests/test_exercises_ex04.py checks it).
# With 7 x 7, stride 3 and padding 2, n // s and (n - k + 1) // s + p came out right for every n; with stride 2
# and padding 1, one-sided padding did. Some slips share an answer here (one-sided padding and one short;
# rounding up and p added to the count): the checker then names none of them rather than guess.
X_SHAPE, W_SHAPE, STRIDE, PADDING = (8, 3, 32, 25), (16, 3, 5, 5), 3, 3

# Exercise 4.4: dilation and stride together. Chosen so that every common slip (no dilation, a span of d*k or
# d*k - 1, no padding, padding on one side, rounding up or to the nearest, no stride, one short, p added to the
# count, OH and OW swapped) gives a wrong shape, and so does leaving out both the dilation and the padding (with
# padding 4 they cancelled: 2p = (d - 1)(k - 1)); two pairs of slips share an answer (see SLIPS_4_4). Stride 3 and
# dilation 3: with stride 2, p added to the count always came out right, and with dilation 2 the spans
# d(k - 1) + 1 and d*k - 1 are the same. F = 6 is neither OH nor OW, so filters last cannot pass for a swap.
X_SHAPE_4_4, W_SHAPE_4_4, STRIDE_4_4, PADDING_4_4, DILATION_4_4 = (2, 8, 21, 16), (6, 8, 5, 5), 3, 3, 3


def _batch_shape(shape, what: str, expected) -> tuple[int, int, int, int]:
    """The learner's (N, F, OH, OW) as ints, or a NotYet naming ``what``; ``expected`` is the right shape."""
    if shape is None:
        raise NotYet(f"{what} is None: replace None with your tuple (N, F, OH, OW)")
    if isinstance(shape, np.ndarray) and shape.ndim == 1:
        shape = shape.tolist()
    if not isinstance(shape, (tuple, list)):
        raise NotYet(f"{what} should be a tuple of 4 whole numbers (N, F, OH, OW), got {safe_repr(shape)}")
    if len(shape) != 4:
        # (F, OH, OW) right: N left out; any other three numbers get no guess
        forgot_n = len(shape) == 3 and all(_equals(got, want) for got, want in zip(shape, expected[1:], strict=True))
        hint = " Did you forget N, the number of images in the batch?" if forgot_n else ""
        raise NotYet(f"{what} should hold 4 numbers (N, F, OH, OW), it holds {len(shape)}.{hint}")
    # (8, 16, 15.0, 11.0) from / is right: 15.0 is the whole number 15; only a fraction is wrong
    return as_shape(shape, what)


def _equals(value, number: int) -> bool:
    """Whether a learner's entry is the whole number ``number`` (an int, a whole float, a 0-d array); False for text."""
    try:
        return float(value) == number
    except (TypeError, ValueError):
        return False


def _check_batch_and_filters(n, f, oh, ow, x_shape, expected) -> None:
    """NotYet if the filters come last, N or F is wrong, or OH and OW are swapped; the caller checks the sides."""
    if (n, f, oh, ow) == (expected[0], *expected[2:], expected[1]):
        raise NotYet(
            f"the shape {(n, f, oh, ow)} has the filters last, (N, OH, OW, F): conv2d keeps the batch's NCHW "
            "order, so the output is (N, F, OH, OW)."
        )
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
        (
            lambda n, k, s, p: n // s,
            "n // s counts steps across the bare input: the kernel's size and the padding change the count too.",
        ),
        (
            lambda n, k, s, p: (n - k + 1) // s + p,
            "The padding widens the input, to n + 2p, before the kernel slides; it is not added to the count.",
        ),
    ]
    hints = [hint for rule, hint in wrong_rules if all(answer == rule(*case) for case, answer in results.items())]
    return " " + hints[0] if len(hints) == 1 else ""


@exercise(
    "4.2",
    hints=(
        "A conv layer keeps the number of images N and makes one output map per filter, so N and F can be "
        "read off the shapes of x and w.",
        "OH comes from the height (32) and OW from the width (25): apply the output size formula to each side "
        "separately, with k = 5, s = 3 and p = 3.",
        "Work out the formula once for the height and once for the width, rounding down, then write the four "
        "numbers as a tuple in the order (N, F, OH, OW).",
    ),
)
def check_4_2(shape):
    """Exercise 4.2: the shape (N, F, OH, OW) of conv2d's output for x (8, 3, 32, 25), w (16, 3, 5, 5), s=3, p=3."""
    expected = _conv_output_shape(X_SHAPE, W_SHAPE, stride=STRIDE, padding=PADDING)
    n, f, oh, ow = _batch_shape(shape, "`shape`", expected)
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


# Slips with the dilated output size o = (n + 2p - d(k - 1) - 1) // s + 1, and what to say. Exercise 4.4's
# sizes make each of them give a different (OH, OW) (tests/test_exercises_ex04.py checks it), except two pairs
# that these sizes cannot tell apart (rounding up and dropping the - 1 of the span; padding on one side and one
# short): the checker names both of a pair.
SLIPS_4_4 = (
    (
        lambda n, k, s, p, d: (n + 2 * p - k) // s + 1,
        "the dilation is missing: a filter of k taps with dilation d spans d(k - 1) + 1 pixels, and that span "
        "takes the place of k in the formula",
    ),
    (
        lambda n, k, s, p, d: (n + 2 * p - d * k) // s + 1,
        "a filter of k taps with dilation d spans d(k - 1) + 1 pixels: its taps sit at offsets 0, d, ..., "
        "d(k - 1), and the span runs from the first to the last",
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
    (
        lambda n, k, s, p, d: (n - d * (k - 1) - 1) // s + 1 + p,
        "the padding widens the input, to n + 2p, before the filter slides; it is not added to the count",
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
    """Exercise 4.4: conv2d's output shape for x (2, 8, 21, 16), w (6, 8, 5, 5), stride 3, padding 3, dilation 3."""
    expected = _conv_output_shape(
        X_SHAPE_4_4, W_SHAPE_4_4, stride=STRIDE_4_4, padding=PADDING_4_4, dilation=DILATION_4_4
    )
    n, f, oh, ow = _batch_shape(dilated_shape, "`dilated_shape`", expected)
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
