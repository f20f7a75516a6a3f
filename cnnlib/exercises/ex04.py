"""Checkers for notebook 04 (stride, padding and depth): output sizes, layer shapes, parameter counts.

The expected values come from :func:`cnnlib.output_size`, from the shape of an
actual :func:`cnnlib.conv2d` output, and from counting weights and biases
(F filters of C x k x k weights plus F biases; a dense layer has one weight per
input and unit plus one bias per unit).
"""

from __future__ import annotations

import numpy as np

from ..conv import conv2d
from ..shapes import output_size
from ._answers import as_shape, whole_number
from ._feedback import NotYet, call_learner, exercise, safe_repr

__all__ = ["check_4_1", "check_4_2", "check_4_3"]

# Exercise 4.1: (n, k, s, p) cases; those marked # floor have (n + 2p - k) not divisible by s.
SIZE_CASES = [
    (28, 3, 1, 0),
    (28, 5, 1, 2),
    (7, 3, 2, 1),
    (5, 5, 1, 0),
    (1, 1, 1, 0),
    (10, 4, 3, 0),
    (8, 3, 2, 0),  # floor
    (32, 5, 2, 1),  # floor
    (227, 11, 4, 0),
    (224, 7, 2, 3),  # floor: AlexNet's and ResNet's first layers
    (6, 3, 3, 1),
    (9, 2, 4, 2),  # floor
    (13, 4, 5, 0),  # floor
    (6, 1, 1, 3),
]

# Exercise 4.2: a batch of 8 RGB images 32 high and 24 wide, 16 filters of 5 x 5, stride 2, padding 1.
X_SHAPE, W_SHAPE, STRIDE, PADDING = (8, 3, 32, 24), (16, 3, 5, 5), 2, 1

# Exercise 4.3: a 64 x 64 RGB image; layer 1 has 16 filters of 3 x 3 ('same');
# layer 2 has 32 filters of 3 x 3 on layer 1's output; a dense layer has 100 units on the raw image.
IMAGE_H, IMAGE_W, IMAGE_C, F1, F2, KERNEL, UNITS = 64, 64, 3, 16, 32, 3, 100


def _pattern_hint(results) -> str:
    """A hint if the results follow exactly one common wrong rule; '' otherwise. ``results``: case -> answer."""
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
    "4.1",
    hints=(
        "Padding puts p zeros on each side, so the filter slides along n + 2p pixels, not n.",
        "With stride 1 a filter of side k takes (length - k + 1) positions. With stride s it starts at 0 and "
        "jumps s pixels at a time, as long as the whole filter still fits.",
        "Count how many whole jumps of s fit into (n + 2p - k), rounding down with //, then add 1 for the "
        "starting position.",
    ),
)
def check_4_1(output_side):
    """Exercise 4.1: ``output_side(n, k, s, p)`` is the output side of a k-kernel with stride s and padding p."""
    results, first_wrong = {}, None
    for case in SIZE_CASES:
        n, k, s, p = case
        got = call_learner(output_side, n, k, s, p, name="output_side")
        got = whole_number(
            got,
            f"output_side({n}, {k}, {s}, {p})",
            " A number of positions is whole: when the last step does not fit, round down (e.g. with //).",
        )
        results[case] = got
        if first_wrong is None and got != output_size(n, k, stride=s, padding=p):
            first_wrong = case
    if first_wrong is not None:
        n, k, s, p = first_wrong
        raise NotYet(
            f"output_side({n}, {k}, {s}, {p}) returned {results[first_wrong]}, expected "
            f"{output_size(n, k, stride=s, padding=p)}.{_pattern_hint(results)}"
        )


def _expected_shape():
    out = conv2d(np.zeros(X_SHAPE), np.zeros(W_SHAPE), stride=STRIDE, padding=PADDING)
    return tuple(int(v) for v in out.shape)


@exercise(
    "4.2",
    hints=(
        "A conv layer keeps the number of images N and makes one output map per filter, so N and F can be "
        "read off the shapes of x and w.",
        "OH comes from the height (32) and OW from the width (24): apply the output size formula to each side "
        "separately, with k = 5, s = 2 and p = 1.",
        "Use your output_side once for the height and once for the width, then write the four numbers as a "
        "tuple in the order (N, F, OH, OW).",
    ),
)
def check_4_2(shape):
    """Exercise 4.2: the shape (N, F, OH, OW) of conv2d's output for x (8, 3, 32, 24), w (16, 3, 5, 5), s=2, p=1."""
    if shape is None:
        raise NotYet("`shape` is None: replace None with your tuple (N, F, OH, OW)")
    if isinstance(shape, np.ndarray) and shape.ndim == 1:
        shape = shape.tolist()
    if not isinstance(shape, (tuple, list)):
        raise NotYet(f"`shape` should be a tuple of 4 whole numbers (N, F, OH, OW), got {safe_repr(shape)}")
    if len(shape) != 4:
        hint = " Did you forget N, the number of images in the batch?" if len(shape) == 3 else ""
        raise NotYet(f"`shape` should hold 4 numbers (N, F, OH, OW), it holds {len(shape)}.{hint}")
    # (8, 16, 15.0, 11.0) from / is right: 15.0 is the whole number 15; only a fraction is wrong
    n, f, oh, ow = as_shape(shape, "`shape`")
    expected = _expected_shape()
    if n != expected[0]:
        raise NotYet(f"N = {n} is not right: a conv layer keeps the number of images; read it from x's shape.")
    if f != expected[1]:
        hint = "that is the number of input channels C, but " if f == X_SHAPE[1] else ""
        raise NotYet(f"F = {f} is not right: {hint}the output has one feature map per filter.")
    if (oh, ow) == expected[:1:-1] and oh != ow:
        raise NotYet("OH and OW are swapped: OH comes from the height H (axis 2), OW from the width W (axis 3).")
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
