"""Checkers for notebook 00 (start here): practice exercises on the pipeline's sizes.

The expected values come from the rules the notebook states: a k-wide filter
takes n - k + 1 positions along n pixels; 2 x 2 pooling halves each side.
"""

from __future__ import annotations

from ..shapes import output_size
from ._answers import as_shape, whole_number
from ._feedback import NotYet, call_learner, exercise, safe_repr

__all__ = ["check_0_1", "check_0_2", "check_0_3"]

# Exercises 0.2 and 0.3: a 32 x 32 grayscale image, 6 filters of 5 x 5, ReLU, 2 x 2 max pooling.
IMAGE_SIDE, N_FILTERS, KERNEL_SIDE, POOL = 32, 6, 5, 2
STAGES = ("the image", "convolution", "ReLU", "pooling")


def _expected_shapes():
    side = output_size(IMAGE_SIDE, KERNEL_SIDE)
    pooled = output_size(side, POOL, stride=POOL)
    return [(IMAGE_SIDE, IMAGE_SIDE), (N_FILTERS, side, side), (N_FILTERS, side, side), (N_FILTERS, pooled, pooled)]


@exercise(
    "0.1",
    hints=(
        "Try a small case by hand first: a filter 3 pixels wide on a row of 5 pixels. Where can its left edge "
        "be, so that the whole filter stays inside the row?",
        "The left edge starts on pixel 0 and moves one pixel at a time. It must stop when the filter's right "
        "edge reaches the last pixel, pixel n - 1: so the last left edge is k pixels before the end.",
        "The left edge takes the positions 0, 1, 2, ... up to n - k. Count them: both ends are included.",
    ),
)
def check_0_1(feature_map_side):
    """Exercise 0.1: ``feature_map_side(n, k)`` is the number of positions of a k-wide filter on n pixels."""
    for n, k in [(28, 3), (32, 5), (5, 5), (7, 1), (10, 4), (100, 7)]:
        got = whole_number(call_learner(feature_map_side, n, k, name="feature_map_side"), f"feature_map_side({n}, {k})")
        expected = output_size(n, k)
        if got != expected:
            raise NotYet(
                f"feature_map_side({n}, {k}) returned {got}, expected {expected}. "
                "Count where the filter's left edge can be: its first position, its last, and all between."
            )


@exercise(
    "0.2",
    hints=(
        "Go stage by stage: each stage receives the shape the previous one made. The image itself is "
        "32 x 32, written (height, width).",
        "Each of the 6 filters makes one feature map, and each map's side is the number of positions of a "
        "5-wide filter on 32 pixels (your feature_map_side). ReLU changes values, never the shape.",
        "2 x 2 pooling keeps one number per 2 x 2 window, so it halves the height and the width and keeps "
        "the 6 maps. Write each stage as a tuple: (32, 32) first, then (maps, height, width) three times.",
    ),
)
def check_0_2(shapes):
    """Exercise 0.2: the shapes after each stage for a 32 x 32 image, 6 filters of 5 x 5, 2 x 2 pooling."""
    if shapes is None:
        raise NotYet("`shapes` is None: replace None with your list of 4 shapes")
    if not isinstance(shapes, (list, tuple)):
        raise NotYet(f"`shapes` should be a list of 4 tuples, got {safe_repr(shapes)}")
    if len(shapes) != len(STAGES):
        raise NotYet(
            f"`shapes` should hold {len(STAGES)} shapes, one each for {', '.join(STAGES)}; it holds {len(shapes)}"
        )
    for stage, entry, expected in zip(STAGES, shapes, _expected_shapes(), strict=True):
        what = "the shape of the image itself" if stage == STAGES[0] else f"the shape after {stage}"
        # 14.0 (from side / 2) is the whole number 14: only a fraction is wrong
        got = as_shape(entry, what, " A side is a whole number of pixels: round down (//).")
        if len(got) != len(expected):
            layout = "(height, width)" if len(expected) == 2 else "(maps, height, width)"
            raise NotYet(f"{what} should be {layout}, got {safe_repr(tuple(got))}")
        if tuple(got) != expected:
            raise NotYet(
                f"{what} is not {safe_repr(tuple(got))}. Use the rule from Exercise 0.1 for "
                "convolution; ReLU keeps the shape; 2 x 2 pooling halves each side."
            )


@exercise(
    "0.3",
    hints=(
        "Flattening keeps every number of the pooled maps and only lines them up in one row; it adds and "
        "drops nothing.",
        "The pooled shape is the last entry of your `shapes`: (maps, height, width). How many numbers does "
        "an array of that shape hold?",
        "Multiply the three numbers of the pooled shape: maps x height x width.",
    ),
)
def check_0_3(pooled_count):
    """Exercise 0.3: how many numbers the pooled maps hand to the dense layer."""
    got = whole_number(pooled_count, "`pooled_count`")
    maps, height, width = _expected_shapes()[-1]
    expected = maps * height * width
    if got != expected:
        hint = "too large" if got > expected else "too small"
        raise NotYet(
            f"`pooled_count` = {safe_repr(got, 20)} is {hint}. "
            "Multiply the three numbers of the pooled shape: maps x height x width."
        )
