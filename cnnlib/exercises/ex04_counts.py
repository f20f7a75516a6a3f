"""Checkers for Exercises 4.3 and 4.5 of notebook 04: parameter and multiply-accumulate counts.

The expected values come from counting weights, biases and multiplications: F filters of
C x k x k weights plus F biases, and LeNet-5's C3 with the connection table of LeCun et
al., 1998, Table I. The messages name the counting slips (no biases, the wrong depth,
every filter reading every map, the biases counted as multiplications).
"""

from __future__ import annotations

from ._answers import whole_number
from ._feedback import NotYet, exercise

__all__ = ["LENET_C3_INPUTS", "check_4_3", "check_4_5"]

# Exercise 4.3: a 64 x 64 RGB image; layer 1 has 16 filters of 3 x 3 ('same');
# layer 2 has 32 filters of 3 x 3 on layer 1's output; a dense layer has 100 units on the raw image.
IMAGE_H, IMAGE_W, IMAGE_C, F1, F2, KERNEL, UNITS = 64, 64, 3, 16, 32, 3, 100

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
            hint = (
                "layer 2 does not see the 3 colour channels: its input is layer 1's output, one map per layer-1 filter."
            )
        elif conv == F2 * KERNEL * KERNEL + F2:
            hint = "each filter has one k x k slice per input channel (the depth of its input)."
        elif conv == F1 * IMAGE_C * KERNEL * KERNEL + F1:
            hint = "that is layer 1's count (16 filters on the 3 colour channels); the question is about layer 2."
        elif conv == F1 * IMAGE_C * KERNEL * KERNEL + F1 + weights2 + biases2:
            hint = "that adds layer 1's parameters to layer 2's; the question is about layer 2 alone."
        elif conv == weights2 + F2 * F1:
            hint = "a filter has one bias, added once after all its slices are summed, not one bias per slice."
        elif conv > 100_000:
            hint = "that is far too many: a filter's size does not depend on the image's height or width."
        else:
            hint = (
                "count per filter: (input channels) x k x k weights, plus a bias; then multiply by layer 2's "
                "number of filters."
            )
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
