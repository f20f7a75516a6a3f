"""Checkers for notebook 07 (the dense layer): a stable softmax, the flatten order, the dense parameter count.

Expected values come from independent references: ``scipy.special.softmax``
for 7.1, ``numpy.ravel_multi_index`` (C order) for 7.2, and the formula
``D * K + K`` with ``D = C * H * W`` for 7.3.
"""

from __future__ import annotations

import numpy as np
from scipy.special import softmax as reference_softmax

from ._answers import as_answer_array, mismatches, shown_apart, whole_number
from ._feedback import NotYet, call_learner, exercise, safe_repr
from ._shortcuts import Shortcuts

__all__ = ["check_7_1", "check_7_2", "check_7_3"]

# Exercise 7.3: pooled maps of this shape feed a dense layer with this many classes.
POOLED_SHAPE, N_CLASSES = (16, 12, 12), 10

_HINT_2D = "for a 2-D input take the max and the sum along the last axis with keepdims=True"


def _sums(sums) -> str:
    """Each row's sum with the digits that show how far it is from 1 (never "adds up to 1. instead of 1")."""
    shown = [shown_apart(total, 1.0)[0] for total in np.ravel(sums)]
    return shown[0] if np.ndim(sums) == 0 else "[" + ", ".join(shown) + "]"


def _rounded(values) -> str:
    text = np.array2string(
        np.asarray(values, dtype=np.float64), precision=3, suppress_small=True, separator=", ", max_line_width=10_000
    )
    return " ".join(text.split())


# Exercise 7.1: logits so far apart (more than 709, where exp overflows) that only subtracting each row's
# largest logit keeps every exponent in range. Which of these a softmax gets right tells the common wrong
# shifts apart: the smallest logit fails all five; the first logit passes where it is the largest ([1000, 0],
# [800, 0, -800]), the last logit where it is ([0, 1000], [-800, 0, 800], [0, 0, 1000]); the mean where the
# largest minus the mean stays below 709 ([0, 1000], [1000, 0], [0, 0, 1000]: 667); the median fails
# [0, 0, 1000], where it is 0.
SPREAD_PROBES = (
    np.array([0.0, 1000.0]),
    np.array([1000.0, 0.0]),
    np.array([-800.0, 0.0, 800.0]),
    np.array([800.0, 0.0, -800.0]),
    np.array([0.0, 0.0, 1000.0]),
)
WRONG_SHIFTS = {
    (False, False, False, False, False): "the smallest logit",
    (False, True, False, True, False): "the first logit",
    (True, False, True, False, True): "the last logit",
    (True, True, False, False, True): "the mean of the logits",
    (True, True, False, False, False): "the median of the logits",
}
_CASES_7_1 = (
    # (logits, what the message calls them)
    (np.array([1.0, 2.0, 3.0]), None),
    (np.array([0.5, -1.0, 2.0, 0.0, 1.5, -0.5, 3.0, -2.0, 1.0, 0.25]), None),
    (np.array([1000.0, 1001.0, 1002.0]), "logits around 1000"),
    (np.array([-1000.0, -1001.0, -1002.0]), "logits around -1000"),
    (np.array([[1.0, 2.0, 3.0], [3.0, 1.0, 0.0]]), None),
    (np.array([[0.0, 1.0, 2.0], [1000.0, 1001.0, 1002.0]]), "a 2-D input whose rows are of very different sizes"),
    *((probe, "logits that lie far apart") for probe in SPREAD_PROBES),
    (np.array([[0.0, 1000.0, 500.0], [-800.0, 0.0, 800.0]]), "a 2-D input whose rows hold logits far apart"),
)


def _softmax_is_right(my_softmax, z) -> bool:
    """Whether ``my_softmax(z)`` is the softmax of ``z`` (False if it raises, returns junk or nan)."""
    try:
        result = call_learner(my_softmax, z.copy(), name="my_softmax")
        p = as_answer_array(result, "p", shape=z.shape, finite=False)
    except NotYet:
        return False
    return not mismatches(p, reference_softmax(z, axis=-1), rtol=1e-6, atol=1e-9, like=result)


def _spread_message(my_softmax, call: str, what: str) -> str:
    """Why a softmax fails on logits far apart: the wrong shift it makes, found by probing it."""
    passes = tuple(_softmax_is_right(my_softmax, probe) for probe in SPREAD_PROBES)
    shift = WRONG_SHIFTS.get(passes)
    start = f"{call} is wrong for {what}"
    if shift is None:
        return (
            f"{start}: exp overflows above about 709, so whatever you subtract, the largest exponent must stay "
            "below that. Subtract each row's largest logit: then every exponent is at most 0."
        )
    return (
        f"{start}. It looks as if you subtract {shift}: that keeps logits around 1000 in range only while they "
        f"are close together. When they are far apart, the largest logit minus {shift} is still above 709 and "
        "exp overflows. Subtract each row's largest logit: then every exponent is at most 0."
    )


@exercise(
    "7.1",
    hints=(
        "exp overflows above about 709, so exp(1000) is inf, and inf / inf is nan. Softmax does not change "
        "when the same number is subtracted from every logit of a row: which number keeps exp in range?",
        "Subtract each row's largest logit: every exponent is then at most 0, so exp cannot overflow, and the "
        "largest term is exactly 1, so the sum is at least 1. Other shifts (the smallest logit, the mean, the "
        "first) still overflow when the logits are far apart, such as [0, 1000].",
        "For an (N, K) array take the max and the sum along the last axis with keepdims=True, so that each "
        "row is shifted and divided by its own numbers. Compute on a new array rather than changing z in "
        "place. cnnlib.softmax and scipy's softmax are switched off while the check runs.",
    ),
    forbids=Shortcuts(
        "cnnlib.softmax",
        "scipy.special.softmax",
        "scipy.special.log_softmax",
        instead="write the softmax with numpy: shift, exp, divide by the sum",
    ),
)
def check_7_1(my_softmax):
    """Exercise 7.1: ``my_softmax(z)`` is softmax along the last axis, stable for large logits."""
    if not callable(my_softmax):
        raise NotYet(f"expected a function my_softmax(z), got {safe_repr(my_softmax)}")
    for z, what in _CASES_7_1:
        call = f"my_softmax(np.array({_rounded(z)}))"
        spread = float(np.ptp(z, axis=-1).max()) > 709  # logits so far apart that a wrong shift overflows
        given = z.copy()
        try:
            result = call_learner(my_softmax, given, name="my_softmax")
        except NotYet as error:
            if error.learner_error is None:  # not an error in their code (a forbidden shortcut, say): as it is
                raise
            if z.ndim == 2:
                extra = _HINT_2D
            elif np.abs(z).max() >= 1000:
                extra = f"exp of logits as large as {np.abs(z).max():g} is out of range: subtract the largest logit"
            else:
                raise
            raise NotYet(f"{error} ({extra})", learner_error=error.learner_error) from None
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
        if not mismatches(p, expected, rtol=1e-6, atol=1e-9, like=result):
            continue
        if spread and (z.ndim == 1 or _softmax_is_right(my_softmax, np.array([1000.0, 1001.0, 1002.0]))):
            raise NotYet(_spread_message(my_softmax, call, what))
        if np.isnan(p).any():
            if what is None:
                raise NotYet(f"{call} returned nan: {_rounded(p)}")
            if z.ndim == 2:
                raise NotYet(
                    f"your softmax returned nan for {what}: subtract each row's own largest logit (the max along "
                    "the last axis with keepdims=True), not one max for all rows"
                )
            zeros = " (every exp(z) rounds to 0, and 0/0 is nan)" if z.max() < 0 else ""
            raise NotYet(f"your softmax returned nan for {what}{zeros}: subtract the largest logit first")
        if np.isinf(p).any():
            raise NotYet(f"{call} returned infinity: {_rounded(p)}; subtract the largest logit before exp")
        if (p < 0).any():
            raise NotYet(f"{call} returned negative values {_rounded(p)}: probabilities are never negative")
        sums = p.sum(axis=-1)
        if not np.allclose(sums, 1.0, rtol=0, atol=1e-6):
            if z.ndim == 2 and np.allclose(p.sum(axis=0), 1.0, rtol=0, atol=1e-6):
                raise NotYet(
                    f"{call}: each row should add up to 1 (one row per sample), but your columns do: you worked "
                    f"along axis 0; {_HINT_2D}"
                )
            if z.ndim == 2 and np.isclose(p.sum(), 1.0, rtol=0, atol=1e-6):
                raise NotYet(
                    f"{call}: each row should add up to 1 (one row per sample), but yours add up to "
                    f"{_sums(sums)}: you divided by the sum of the whole array; {_HINT_2D}"
                )
            raise NotYet(f"{call} returned {_rounded(p)}, which adds up to {_sums(sums)} instead of 1")
        hint = f" ({_HINT_2D})" if z.ndim == 2 else ""
        index = np.unravel_index(int(np.argmax(np.abs(p - expected))), z.shape)
        mine, right = shown_apart(p[index], expected[index])
        where = f"[{', '.join(str(int(i)) for i in index)}]"
        raise NotYet(
            f"{call} returned {_rounded(p)}, expected {_rounded(expected)}: the largest difference is at index "
            f"{where}, {mine} instead of {right}{hint}"
        )


@exercise(
    "7.2",
    hints=(
        "flatten reads a sample channel by channel, and inside each channel row by row, as image.reshape(-1) "
        "did in notebook 01.",
        "Before the number at (c, h, w) come c whole channels of height x width numbers each, then h whole "
        "rows of `width` numbers in its own channel, then w numbers in its own row.",
        "Add those three counts. The number of channels C never enters, because the channels after c come "
        "later in the vector.",
    ),
)
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


@exercise(
    "7.3",
    hints=(
        "A dense layer has one weight for every pair (input number, output unit), and one bias per output unit.",
        "The inputs are all the numbers of the pooled maps: D = 16 x 12 x 12. There are 10 output units, one "
        "per class.",
        "Count D x 10 weights, then add the 10 biases.",
    ),
)
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
