"""Checkers of notebook 07 about softmax: 7.1 a stable softmax, 7.5 what a shift and a scale of the logits do.

Expected values come from ``scipy.special.softmax``, for 7.5 on logits the
checker knows and the learner does not (only their probabilities are given).
The checkers of the dense layer are in :mod:`cnnlib.exercises.ex07`, which
re-exports these two.
"""

from __future__ import annotations

import numpy as np
from scipy.special import softmax as reference_softmax

from ._answers import as_answer_array, as_number, close, mismatches, shown_apart
from ._feedback import NotYet, call_learner, exercise, safe_repr
from ._shortcuts import Shortcuts

__all__ = ["check_7_1", "check_7_5"]

_HINT_2D = "for a 2-D input take the max and the sum along the last axis with keepdims=True"


def _sums(sums) -> str:
    """Each row's sum with the digits that show how far it is from 1 (never "adds up to 1. instead of 1")."""
    shown = [shown_apart(total, 1.0)[0] for total in np.ravel(sums)]
    return shown[0] if np.ndim(sums) == 0 else "[" + ", ".join(shown) + "]"


def numbers(values) -> str:
    """A few numbers as a short list, three significant digits each: ``[0.18, 0.22, 0.599]``."""
    return "[" + ", ".join(f"{float(v):.3g}" for v in np.ravel(values)) + "]"


def _rounded(values) -> str:
    """Numbers to 3 decimals, written as Python writes a list, ``[0.0, 1000.0]``: a learner can paste them into
    ``np.array(...)`` (numpy's own printing pads them for alignment, ``[ 0., 1000.]``). + 0.0 drops a -0.0."""
    return repr((np.round(np.asarray(values, dtype=np.float64), 3) + 0.0).tolist())


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


def _explain_7_1(error, z) -> str | None:
    """What an error of the learner's softmax on logits ``z`` most likely means."""
    if isinstance(error, np.exceptions.AxisError):
        return "the last axis is axis=-1: it works for a vector of K logits and for a batch (N, K) alike"
    if z.ndim == 2:
        return _HINT_2D
    if np.abs(z).max() >= 1000:
        return f"exp of logits as large as {np.abs(z).max():g} is out of range: subtract the largest logit"
    return None


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
        "scipy.special.logsumexp",
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
        result = call_learner(my_softmax, given, name="my_softmax", explain=lambda error, z=z: _explain_7_1(error, z))
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
            precision = ""
            if np.asarray(result).dtype == np.float16:
                precision = (
                    ": float16 keeps only about 3 digits, so leave z's dtype as it is (float64; float32 is fine too)"
                )
            raise NotYet(f"{call} returned {_rounded(p)}, which adds up to {_sums(sums)} instead of 1{precision}")
        hint = f" ({_HINT_2D})" if z.ndim == 2 else ""
        index = np.unravel_index(int(np.argmax(np.abs(p - expected))), z.shape)
        mine, right = shown_apart(p[index], expected[index])
        where = f"[{', '.join(str(int(i)) for i in index)}]"
        raise NotYet(
            f"{call} returned {_rounded(p)}, expected {_rounded(expected)}: the largest difference is at index "
            f"{where}, {mine} instead of {right}{hint}"
        )


# Exercise 7.5: the probabilities softmax gives some logits z, which the learner is not shown. Any z with these
# probabilities is ln(P_7_5) plus one constant; the checker uses ln(P_7_5) itself.
P_7_5 = np.array([0.1, 0.2, 0.7])
SHIFT_7_5, SCALE_7_5 = 3.0, 2.0
TOLERANCE_7_5 = 5e-4  # the text allows three decimals
ROUGH_7_5 = 1e-2  # within this, an answer is right but rounded too soon
_ROUGH_ADVICE = "compute it with numpy from the given probabilities rather than round by hand"


def _probabilities(value, name: str, call: str) -> np.ndarray:
    """The learner's predicted probabilities for ``call`` (3 numbers that add up to 1), or a NotYet naming ``name``."""
    p = as_answer_array(
        value,
        f"`{name}`",
        shape=P_7_5.shape,
        hint="; give one probability per class, three numbers",
        if_none=f"is None: replace None with your prediction of {call}, three numbers (and pass all three answers: "
        "check_7_5(p_plus, p_double, gap))",
    )
    total = float(p.sum())
    if (p < 0).any() or not close(total, 1.0, atol=2 * TOLERANCE_7_5, like=value):
        shown, _ = shown_apart(total, 1.0)
        raise NotYet(
            f"`{name}` = {numbers(p)} adds up to {shown}{' and has a negative entry' if (p < 0).any() else ''}: "
            f"{call} is a softmax, so it gives positive probabilities that add up to 1"
        )
    return p


@exercise(
    "7.5",
    hints=(
        "You do not need z itself. Write softmax(z)_k as e^(z_k) divided by the sum of all e^(z_j), then see what "
        "adding 3 to every z_j, or doubling every z_j, does to each term e^(z_j).",
        "Adding 3 multiplies every term e^(z_j) by the same e^3, above and below the fraction. Doubling turns "
        "every e^(z_j) into e^(2 z_j) = (e^(z_j))², and e^(z_j) is proportional to p_j.",
        "So softmax(2z) has each p_k squared, divided by the sum of the squares. For the gap: p_k / p_j = "
        "e^(z_k - z_j), so the difference of two logits is the natural log of a ratio of probabilities.",
    ),
)
def check_7_5(p_plus, p_double=None, gap=None):
    """Exercise 7.5: softmax(z + 3), softmax(2 z) and z[2] - z[0], given only softmax(z) = ``P_7_5``."""
    z = np.log(P_7_5)
    plus = _probabilities(p_plus, "p_plus", "softmax(z + 3)")
    if mismatches(plus, reference_softmax(z + SHIFT_7_5), rtol=0, atol=TOLERANCE_7_5, like=p_plus):
        if not mismatches(plus, reference_softmax(P_7_5 + SHIFT_7_5), rtol=0, atol=TOLERANCE_7_5):
            raise NotYet(
                "`p_plus` is softmax(p + 3), the softmax of the probabilities. The 3 is added to the logits z, "
                "and softmax only sees the differences between logits."
            )
        if not mismatches(plus, reference_softmax(z + SHIFT_7_5), rtol=0, atol=ROUGH_7_5):
            raise NotYet(f"`p_plus` = {numbers(plus)} is close, but not to three decimals: {_ROUGH_ADVICE}")
        raise NotYet(
            f"`p_plus` = {numbers(plus)} is not softmax(z + 3). Adding the same number to every logit leaves "
            "every difference between them as it was: what does softmax do then?"
        )
    double = _probabilities(p_double, "p_double", "softmax(2 * z)")
    expected = reference_softmax(SCALE_7_5 * z)
    if mismatches(double, expected, rtol=0, atol=TOLERANCE_7_5, like=p_double):
        slips = (
            (
                P_7_5,
                "softmax(2 * z) is not softmax(z): doubling is not shifting, it doubles every gap between "
                "logits, so the largest probability grows",
            ),
            (
                reference_softmax(SCALE_7_5 * P_7_5),
                "that is softmax(2 * p), the softmax of the probabilities; double the logits z, not p",
            ),
            (
                reference_softmax(z / SCALE_7_5),
                "that is softmax(z / 2), flatter than softmax(z); doubling the logits makes it sharper",
            ),
        )
        for variant, why in slips:
            if not mismatches(double, variant, rtol=0, atol=TOLERANCE_7_5):
                raise NotYet(f"`p_double` = {numbers(double)}: {why}.")
        if not mismatches(double, expected, rtol=0, atol=ROUGH_7_5):
            raise NotYet(f"`p_double` = {numbers(double)} is close, but not to three decimals: {_ROUGH_ADVICE}")
        raise NotYet(
            f"`p_double` = {numbers(double)} is not softmax(2 * z). Each term e^(z_k) becomes e^(2 z_k): what "
            "does that do to a term that is proportional to p_k?"
        )
    given = gap
    gap = as_number(
        gap,
        "`gap`",
        squeeze=True,
        if_none="is None: replace None with your z[2] - z[0], one number (pass all three "
        "answers: check_7_5(p_plus, p_double, gap))",
    )
    right = float(z[2] - z[0])
    if close(gap, right, atol=TOLERANCE_7_5, like=given):
        return
    ratio = float(P_7_5[2] / P_7_5[0])
    slips = (
        (-right, "has the wrong sign: class 2 is the most likely, so its logit is the larger, z[2] - z[0] > 0"),
        (
            float(P_7_5[2] - P_7_5[0]),
            "is p[2] - p[0], a difference of probabilities; the logits behind them differ by something else",
        ),
        (ratio, "is p[2] / p[0], which is e^(z[2] - z[0]): take the logarithm"),
        (float(np.log10(ratio)), "uses the base-10 logarithm; softmax uses e^z, so the natural logarithm"),
        (float(np.log2(ratio)), "uses the base-2 logarithm; softmax uses e^z, so the natural logarithm"),
    )
    for value, why in slips:
        if close(gap, value, atol=TOLERANCE_7_5, like=given):
            raise NotYet(f"`gap` = {gap:g} {why}.")
    if close(gap, right, atol=ROUGH_7_5, like=given):
        raise NotYet(f"`gap` = {gap:g} is close, but not to three decimals: {_ROUGH_ADVICE}")
    raise NotYet(
        f"`gap` = {gap:g} is not z[2] - z[0]. The ratio of two probabilities p[2] / p[0] is e^(z[2]) / e^(z[0]): "
        "solve that for the difference of the logits."
    )
