"""Checkers for notebook 07 (the dense layer): 7.2 a batch bug, 7.3 pooling as a dense layer, 7.4 sizes and counts.

Expected values come from independent references: ``maps.reshape(N, -1) @ w.T + b``
written out for 7.2, the mean over each map (``maps.mean(axis=(2, 3))``) for 7.3,
and ``cnnlib.output_size`` with the counts ``F*C*KH*KW + F`` and ``D*K + K`` for
7.4. The softmax exercises, 7.1 and 7.5, are in :mod:`cnnlib.exercises.ex07_softmax`.
"""

from __future__ import annotations

import numpy as np

from ..shapes import output_size
from ._answers import as_answer_array, mismatches, shown_apart, whole_number
from ._feedback import NotYet, call_learner, exercise
from ._shortcuts import Shortcuts
from .ex07_softmax import check_7_1, check_7_5, numbers

__all__ = ["check_7_1", "check_7_2", "check_7_3", "check_7_4", "check_7_5"]

# Exercise 7.2: (N, C, H, W, K) of each test batch. No two of N, K and D = C*H*W are equal, so that a
# transposed result or weight matrix shows; the last batch holds one sample, where the given bug is harmless.
CASES_7_2 = ((3, 2, 3, 4, 5), (4, 3, 2, 2, 6), (2, 1, 3, 5, 4), (1, 2, 2, 3, 7))

# Exercise 7.3: the shape (C, H, W) of one sample's pooled maps.
MAPS_7_3 = (3, 4, 5)

# Exercise 7.4: a 32 x 32 colour image; (filters, kernel, padding) of each conv, each followed by ReLU and
# 2 x 2 max pooling (stride 2); then flatten and a dense layer to the classes.
INPUT_7_4 = (3, 32, 32)
CONVS_7_4 = ((16, 5, 2), (20, 3, 0))
POOL_7_4, CLASSES_7_4 = 2, 10


def _batch_7_2(number: int):
    """(maps, w, b) of test batch ``number`` of Exercise 7.2: random, seeded, biases far from 0."""
    n, c, h, w, k = CASES_7_2[number]
    rng = np.random.default_rng(72 + number)
    return rng.normal(size=(n, c, h, w)), rng.normal(size=(k, c * h * w)), rng.uniform(1, 3, size=k)


def _logits(maps, w, b, flat=None):
    """The dense layer on a batch: one row per sample, read as cnnlib.flatten reads it (or as ``flat`` does)."""
    flat = maps.reshape(len(maps), -1) if flat is None else flat
    return flat @ w.T + b


def _right_one_at_a_time(dense_logits, maps, w, b) -> bool:
    """Whether ``dense_logits`` gives the right logits for each sample of ``maps`` handed in alone, (1, C, H, W)."""
    for i in range(len(maps)):
        result = call_learner(dense_logits, maps[i : i + 1].copy(), w.copy(), b.copy(), name="dense_logits")
        try:
            one = as_answer_array(result, "one sample's logits", shape=(1, len(b)))
        except NotYet:
            return False
        if mismatches(one, _logits(maps[i : i + 1], w, b), rtol=1e-9, atol=1e-9, like=result):
            return False
    return True


def _explain_7_2(error) -> str | None:
    if isinstance(error, ValueError) and "matmul" in str(error):
        return (
            "w has shape (K, D), one row of D weights per output: each flattened sample, a row of D numbers, meets w.T"
        )
    return None


@exercise(
    "7.2",
    hints=(
        "Run dense_logits_given on two samples, then change the second sample only: should the logits of the "
        "first one change? Compare with cnnlib.dense(cnnlib.flatten(maps), w, b).",
        "reshape fills the new shape in the order it reads the array: the last axis fastest, the batch axis "
        "slowest. Where do the numbers of sample 0 end up in maps.reshape(-1, N)? In one column, or in rows?",
        "Flatten each sample into a row first, as cnnlib.flatten does (shape (N, D)), and only then transpose, so "
        "that column n holds sample n. The rest of the function is right. cnnlib.flatten and cnnlib.dense are "
        "switched off while the check runs.",
    ),
    forbids=Shortcuts(
        "cnnlib.flatten",
        "cnnlib.dense",
        "cnnlib.layers.Flatten",
        "cnnlib.layers.Dense",
        instead="fix the line of the given function that is wrong, with numpy",
    ),
)
def check_7_2(dense_logits):
    """Exercise 7.2: ``dense_logits(maps, w, b)`` is ``maps.reshape(N, -1) @ w.T + b``, one row per sample."""
    for number in range(len(CASES_7_2)):
        maps, w, b = _batch_7_2(number)
        given = maps.copy(), w.copy(), b.copy()
        n, k = len(maps), len(b)
        call = f"dense_logits(maps of shape {maps.shape}, w of shape {w.shape}, b of shape {b.shape})"
        result = call_learner(dense_logits, *given, name="dense_logits", explain=_explain_7_2)
        if not all(np.array_equal(mine, kept) for mine, kept in zip(given, (maps, w, b), strict=True)):
            raise NotYet(f"{call} changed its input arrays: compute new arrays and leave maps, w and b as they are")
        got = as_answer_array(
            result,
            f"the result of {call}",
            shape=(n, k),
            hint={(k, n): ": one column per sample. Return one row per sample, (N, K)."}.get,
            if_none="is None: does your function end with `return` and the logits?",
        )
        expected = _logits(maps, w, b)
        if not mismatches(got, expected, rtol=1e-9, atol=1e-9, like=result):
            continue
        slips = (
            (_logits(maps, w, 0), "the bias is missing: every row gets b added"),
            (_logits(maps, w, -b), "the bias is subtracted; a dense layer adds it"),
            (
                _logits(maps, w, b, maps.transpose(0, 2, 3, 1).reshape(n, -1)),
                "each sample is read with the channels last, (H, W, C). The weights meet the numbers in the order "
                "flatten reads them: a whole channel first, row by row",
            ),
            (
                _logits(maps, w, b, maps.reshape(n, -1, order="F")),
                "each sample is read with its first axis fastest (order='F', or a .T before reshape). flatten "
                "reads the last axis fastest: a whole channel, row by row, then the next",
            ),
        )
        for variant, why in slips:
            if not mismatches(got, variant, rtol=1e-9, atol=1e-9, like=result):
                raise NotYet(f"{call}: {why}.")
        if np.allclose(got.sum(axis=1), 1.0) and (got > 0).all():
            raise NotYet(f"{call}: each row adds up to 1, so these are probabilities. Return the logits.")
        if n > 1 and _right_one_at_a_time(dense_logits, maps, w, b):
            # the line at fault is the exercise to find: named by the hints, not here
            still_given = not mismatches(got, (w @ maps.reshape(-1, n) + b[:, None]).T, rtol=1e-9, atol=1e-9)
            raise NotYet(
                f"{call}: {'it gives what the given function gives: ' if still_given else ''}right for one sample "
                f"at a time, but not for a batch of {n}: it mixes the samples, so a sample's logits depend on the "
                "others. Find where the numbers of one sample stop being kept together (exercises.hint('7.2'))."
            )
        i, j = mismatches(got, expected, rtol=1e-9, atol=1e-9, like=result)[0]
        mine, right = shown_apart(got[i, j], expected[i, j])
        raise NotYet(f"{call}: logit {j} of sample {i} is {mine}, expected {right}: flatten(maps) @ w.T + b.")


def _gap_weights():
    """The (C, C*H*W) weights of global average pooling: row c holds 1/(H*W) on the block of channel c."""
    c, h, w = MAPS_7_3
    return np.kron(np.eye(c), np.full((1, h * w), 1 / (h * w)))


def _bias_7_3(value):
    """The learner's biases: shape (C,), or one number for all (broadcast, as numpy adds it)."""
    bias = as_answer_array(
        value,
        "`b_gap`",
        if_none="is None: replace None with your biases, one per output (and pass both: check_7_3(w_gap, b_gap))",
    )
    if bias.shape not in ((), (1,), (MAPS_7_3[0],)):
        raise NotYet(f"`b_gap`: expected one bias per output unit, shape ({MAPS_7_3[0]},), got shape {bias.shape}")
    return np.broadcast_to(bias, (MAPS_7_3[0],))


@exercise(
    "7.3",
    hints=(
        "Output unit c must be the mean of channel c: a weighted sum of the flattened numbers in which the numbers "
        "of channel c each count 1/(number of values in a map), and every other number counts 0.",
        "flatten puts a whole channel first: channel c is one block of H·W neighbouring positions in the vector, "
        "starting at c·H·W. Row c of the weights is zero outside that block.",
        "Start from np.zeros((C, C·H·W)) and fill row c's block with the same weight, so that the block adds up "
        "to 1. A mean needs no offset, so the biases are 0.",
    ),
)
def check_7_3(w_gap, b_gap=None):
    """Exercise 7.3: ``flatten(maps) @ w_gap.T + b_gap`` is the mean of each map, for maps of shape ``MAPS_7_3``."""
    c, h, w = MAPS_7_3
    d = c * h * w
    weights = as_answer_array(
        w_gap,
        "`w_gap`",
        shape=(c, d),
        hint={
            (d, c): ". That is (D, K): a dense layer's weights have one row per output unit, (K, D).",
            MAPS_7_3: ". The weights multiply the flattened vector: one row of C·H·W weights per output unit.",
            (c, *MAPS_7_3): ". That is a convolution's filters, (F, C, H, W); a dense layer's weights are one row of "
            "C·H·W numbers per output unit, (K, C·H·W): reshape them",
        }.get,
        if_none="is None: replace None with your weights, an array of shape (C, C·H·W)",
    )
    bias = _bias_7_3(b_gap)
    right = _gap_weights()
    maps = np.random.default_rng(73).normal(size=(4, c, h, w)) + 2.0
    got = maps.reshape(len(maps), -1) @ weights.T + bias
    if not mismatches(weights, right, rtol=0, atol=1e-12, like=w_gap) and np.abs(bias).max() <= 1e-12:
        return
    if not mismatches(weights, right, rtol=0, atol=1e-12, like=w_gap):
        raise NotYet(f"the weights are right, but the biases {numbers(bias)} shift every mean: a mean needs no offset")
    scale = float(weights.sum() / right.sum())
    where = (weights != 0) == (right != 0)
    lasts = np.kron(np.ones((1, h * w)), np.eye(c)) / (h * w)  # row c picks every C-th number, from c
    if not mismatches(weights, lasts, rtol=0, atol=1e-12, like=w_gap):
        message = (
            "row c averages every C-th number from position c, as if flatten put the channels last. flatten reads "
            "a whole channel first, so channel c is one block of H·W neighbouring numbers"
        )
    elif not mismatches(weights, np.full_like(right, 1 / d), rtol=0, atol=1e-12, like=w_gap):
        message = "every output averages all C·H·W numbers, every channel at once; output c should see channel c only"
    elif _same_rows_in_another_order(weights, right, like=w_gap):
        message = "the rows are in another order: output c must be the mean of channel c"
    elif where.all() and not mismatches(weights, scale * right, rtol=0, atol=1e-12, like=w_gap):
        shown, _ = shown_apart(scale, 1.0)
        total = "the sum of each map" if np.isclose(scale, h * w) else f"{shown} times the mean"
        message = f"your layer gives {total}: the weights of a channel should add up to 1"
    elif where.all():
        message = "the numbers of a channel do not all count the same; in a mean each counts equally"
    else:
        message = "row c should be non-zero exactly on the numbers of channel c, one block of the flattened vector"
    mine, wanted = shown_apart(got[0, 0], maps[0, 0].mean())
    raise NotYet(f"{message}. On a test map, output 0 is {mine} where the mean of channel 0 is {wanted}.")


def _same_rows_in_another_order(weights, right, like) -> bool:
    """Whether every row of ``weights`` is a different row of ``right`` (and they are not in the same order)."""
    matches = [[not mismatches(row, other, rtol=0, atol=1e-12, like=like) for other in right] for row in weights]
    found = [row.index(True) for row in matches if row.count(True) == 1]
    return len(found) == len(right) and sorted(found) == list(range(len(right))) and found != sorted(found)


def _stack_7_4(*, paddings=True, pools=(True, True), channels=True):
    """(flat_length, conv parameters per layer) of the network of Exercise 7.4, or of a slip made while sizing it."""
    depth, side, _ = INPUT_7_4
    counts = []
    for (filters, kernel, padding), pooled in zip(CONVS_7_4, pools, strict=True):
        side = output_size(side, kernel, padding=padding if paddings else 0)
        side = output_size(side, POOL_7_4, stride=POOL_7_4) if pooled else side
        counts.append(filters * (depth if channels else 1) * kernel * kernel + filters)
        depth = filters
    return depth * side * side, counts


def _shape_or_number(value, what: str) -> int:
    """A count, or a NotYet that recognises a shape given instead of its number of entries."""
    if isinstance(value, (tuple, list)) and len(value) > 1 and all(isinstance(v, (int, np.integer)) for v in value):
        raise NotYet(f"{what} = {tuple(int(v) for v in value)} is a shape: give how many numbers it holds, one number")
    return whole_number(value, what)


@exercise(
    "7.4",
    hints=(
        "Follow one colour image layer by layer and write down its shape (C, H, W) after each: the output size "
        "formula of notebook 04 for each convolution (mind the padding), and pooling halves each side.",
        "flatten hands the dense layer every number of the last pooled maps: channels × height × width. The last "
        "convolution decides the number of channels. The dense layer has D·K weights and K biases.",
        "A convolution's filter spans every channel of its input: F·C·KH·KW weights and F biases, with C = 3 for "
        "the first one (colour) and C = its own input's channels for the second. ReLU, pooling and flatten learn "
        "nothing.",
    ),
)
def check_7_4(flat_length, dense_params=None, total_params=None):
    """Exercise 7.4: the flattened length, the dense layer's parameters and all parameters of the CONVS_7_4 network."""
    flat, convs = _stack_7_4()
    dense = flat * CLASSES_7_4 + CLASSES_7_4
    got = _shape_or_number(flat_length, "`flat_length`")
    if got != flat:
        depth, side, _ = INPUT_7_4
        slips = {
            _stack_7_4(paddings=False)[0]: (
                "Check the convolutions' output sides: the first has padding 2, and (n + 2p - k) // s + 1 ends "
                "in + 1 (forgetting either gives this number)"
            ),
            _stack_7_4(pools=(False, True))[0]: "The first pooling halves each side too",
            _stack_7_4(pools=(True, False))[0]: "The second pooling halves each side too",
            flat // CONVS_7_4[-1][0]: "That is one map; flatten lines up the numbers of every map (channels)",
            flat
            // CONVS_7_4[-1][0]
            * CONVS_7_4[0][0]: "That is the first convolution's number of maps; flatten gets the maps of the last one",
            flat * depth: "Colour enters the first convolution's filters, and each filter still gives one map",
            depth * side * side: "That is the input image; flatten gets what comes out of the last pooling",
        }
        hint = slips.get(got, "Follow the shape layer by layer: (n + 2p - k) // s + 1 for each convolution and pooling")
        raise NotYet(f"`flat_length` = {got} is not the number of inputs of the dense layer. {hint}.")
    if dense_params is None:
        raise NotYet("`dense_params` is None: replace None with your count (and pass all three answers)")
    got = whole_number(dense_params, "`dense_params`")
    if got != dense:
        slips = {
            flat * CLASSES_7_4: "The biases are learned too, one per output unit",
            flat + CLASSES_7_4: "Each output unit has its own D weights",
            flat * CLASSES_7_4 + CONVS_7_4[-1][0]: "There is one bias per output unit, not one per map",
        }
        hint = slips.get(got, "A dense layer from D inputs to K outputs has D·K weights and K biases")
        raise NotYet(f"`dense_params` = {got} is not the count of the dense layer. {hint}.")
    if total_params is None:
        raise NotYet("`total_params` is None: replace None with your count (and pass all three answers)")
    got = whole_number(total_params, "`total_params`")
    total = sum(convs) + dense
    if got != total:
        first, second = CONVS_7_4[0][0], CONVS_7_4[1][0]
        grey = _stack_7_4(channels=False)[1]
        slips = {
            grey[0] + convs[1] + dense: "The first filters lie on a colour image: each has 3 channels of k × k",
            convs[0] + grey[1] + dense: "Each filter of the second convolution spans all the maps of the first",
            # the second filters spanning the 3 colour channels instead of the first layer's 16 maps
            convs[0] + second * INPUT_7_4[0] * CONVS_7_4[1][1] ** 2 + second + dense: "Each filter of the second "
            "convolution spans the maps of the first, not the colour channels of the image",
            sum(grey) + dense: "Each filter spans every channel of its input, for both convolutions",
            total - first - second: "The convolutions' biases are learned too, one per filter",
            total - first - second - CLASSES_7_4: "The biases are learned too, one per filter and one per class",
            sum(convs): "The dense layer counts too",
            dense: "The convolutions count too",
        }
        hint = slips.get(got, "Add the two convolutions (F·C·KH·KW + F each) and the dense layer")
        raise NotYet(f"`total_params` = {got} is not the number of parameters of the network. {hint}.")
