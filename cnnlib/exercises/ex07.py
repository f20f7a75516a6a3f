"""Checkers for notebook 07 (the dense layer): a stable softmax, the flatten order, the dense parameter count.

Expected values come from independent references: ``scipy.special.softmax``
for 7.1, ``numpy.ravel_multi_index`` (C order) for 7.2, and the formula
``D * K + K`` with ``D = C * H * W`` for 7.3.
"""

from __future__ import annotations

import numpy as np
from scipy.special import softmax as reference_softmax

from ._feedback import NotYet, as_answer_array, call_learner, exercise, safe_repr, whole_number

__all__ = ["check_7_1", "check_7_2", "check_7_3"]

# Exercise 7.3: pooled maps of this shape feed a dense layer with this many classes.
POOLED_SHAPE, N_CLASSES = (16, 12, 12), 10

_HINT_2D = "for a 2-D input take the max and the sum along the last axis with keepdims=True"


def _rounded(values) -> str:
    text = np.array2string(
        np.asarray(values, dtype=np.float64), precision=3, suppress_small=True, separator=", ", max_line_width=10_000
    )
    return " ".join(text.split())


@exercise("7.1")
def check_7_1(my_softmax):
    """Exercise 7.1: ``my_softmax(z)`` is softmax along the last axis, stable for large logits."""
    if not callable(my_softmax):
        raise NotYet(f"expected a function my_softmax(z), got {safe_repr(my_softmax)}")
    cases = [
        (np.array([1.0, 2.0, 3.0]), None),
        (np.array([0.5, -1.0, 2.0, 0.0, 1.5, -0.5, 3.0, -2.0, 1.0, 0.25]), None),
        (
            np.array([1000.0, 1001.0, 1002.0]),
            "your softmax returned nan for logits around 1000: subtract the largest logit first",
        ),
        (
            np.array([-1000.0, -1001.0, -1002.0]),
            "your softmax returned nan for logits around -1000 (every exp(z) rounds to 0, and 0/0 is nan): "
            "subtract the largest logit first",
        ),
        (np.array([[1.0, 2.0, 3.0], [3.0, 1.0, 0.0]]), None),
        (
            np.array([[0.0, 1.0, 2.0], [1000.0, 1001.0, 1002.0]]),
            "your softmax returned nan for a 2-D input whose rows are of very different sizes: subtract each "
            "row's own largest logit (the max along the last axis with keepdims=True), not one max for all rows",
        ),
    ]
    for z, nan_message in cases:
        call = f"my_softmax(np.array({_rounded(z)}))"
        given = z.copy()
        try:
            result = call_learner(my_softmax, given, name="my_softmax")
        except NotYet as error:
            if z.ndim == 2:
                raise NotYet(f"{error} ({_HINT_2D})") from None
            if np.abs(z).max() >= 1000:
                raise NotYet(
                    f"{error} (exp of logits around {z[0]:g} is out of range: subtract the largest logit first)"
                ) from None
            raise
        p = as_answer_array(
            result,
            call,
            shape=z.shape,
            hint="; return one probability per logit",
            finite=False,
            if_none="returned None: does your function `return` the probabilities?",
        )
        if not np.array_equal(given, z):
            raise NotYet(
                f"{call} changed its input z in place: compute a new array (e.g. shifted = z - ...) "
                "instead of writing into z"
            )
        expected = reference_softmax(z, axis=-1)
        if np.isnan(p).any():
            if nan_message is not None:
                raise NotYet(nan_message)
            raise NotYet(f"{call} returned nan: {_rounded(p)}")
        if np.isinf(p).any():
            raise NotYet(f"{call} returned infinity: {_rounded(p)}; subtract the largest logit before exp")
        if (p < 0).any():
            raise NotYet(f"{call} returned negative values {_rounded(p)}: probabilities are never negative")
        sums = p.sum(axis=-1)
        if not np.allclose(sums, 1.0, rtol=0, atol=1e-6):
            if z.ndim == 2 and np.isclose(p.sum(), 1.0, rtol=0, atol=1e-6):
                raise NotYet(
                    f"{call}: each row should add up to 1 (one row per sample), but yours add up to "
                    f"{_rounded(sums)}: you divided by the sum of the whole array; {_HINT_2D}"
                )
            raise NotYet(f"{call} returned {_rounded(p)}, which adds up to {_rounded(sums)} instead of 1")
        if not np.allclose(p, expected, rtol=1e-6, atol=1e-9):
            hint = f" ({_HINT_2D})" if z.ndim == 2 else ""
            raise NotYet(f"{call} returned {_rounded(p)}, expected {_rounded(expected)}{hint}")


@exercise("7.2")
def check_7_2(flat_index):
    """Exercise 7.2: ``flat_index(c, h, w, height, width)``: where (c, h, w) lands in the flattened sample."""
    if not callable(flat_index):
        raise NotYet(f"expected a function flat_index(c, h, w, height, width), got {safe_repr(flat_index)}")
    # (c, h, w, height, width); the number of channels C only has to be larger than c.
    cases = [
        (0, 0, 0, 2, 3),
        (0, 0, 2, 2, 3),
        (0, 1, 0, 2, 3),
        (1, 0, 0, 2, 3),
        (1, 1, 2, 2, 3),
        (2, 3, 1, 4, 5),
        (0, 2, 1, 3, 7),
        (3, 0, 4, 6, 7),
        (7, 12, 12, 13, 13),
        (5, 1, 3, 2, 9),
    ]
    for c, h, w, height, width in cases:
        call = f"flat_index({c}, {h}, {w}, {height}, {width})"
        got = whole_number(call_learner(flat_index, c, h, w, height, width, name="flat_index"), call)
        expected = int(np.ravel_multi_index((c, h, w), (c + 1, height, width)))
        if got == expected:
            continue
        if got == expected + 1:
            hint = "Indices start at 0: the very first number, (0, 0, 0), lands at index 0."
        elif c > 0 and got in (c + h * width + w, c * height + h * width + w, c * width + h * width + w):
            hint = "Each channel before c contributes a whole map of height * width numbers."
        elif got in (c * height * width + w * height + h, c * height * width + h * height + w):
            hint = "Within one map flatten reads row by row, and one row holds `width` numbers."
        else:
            hint = "Count the numbers that come before (c, h, w): whole maps first, then whole rows, then columns."
        raise NotYet(f"{call} returned {got}, expected {expected}. {hint}")


@exercise("7.3")
def check_7_3(dense_params):
    """Exercise 7.3: the parameters of a dense layer from pooled maps (16, 12, 12) to 10 classes."""
    got = whole_number(dense_params, "`dense_params`")
    channels, height, width = POOLED_SHAPE
    inputs = channels * height * width
    expected = inputs * N_CLASSES + N_CLASSES
    if got == expected:
        return
    hints = {
        inputs * N_CLASSES: "You counted the weights; the biases are learned too (one per output unit).",
        inputs: "That is how many numbers go in (D). Each of the output units has its own D weights.",
        inputs + N_CLASSES: "Each output unit has its own row of D weights, not one weight per input in total.",
        height * width * N_CLASSES + N_CLASSES: "D counts every number of the pooled maps: maps x height x width.",
        channels * height * width * N_CLASSES + channels: "There is one bias per output unit, not one per map.",
    }
    hint = hints.get(got)
    if hint is None:
        size = "too large" if got > expected else "too small"
        hint = f"It is {size}. Work out D from the pooled shape, then count weights and biases."
    raise NotYet(f"`dense_params` = {got} is not the count. {hint}")
