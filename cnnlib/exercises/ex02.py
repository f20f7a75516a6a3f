"""Checkers for notebook 02 (convolution in 1-D).

Expected values come from ``np.convolve`` (an independent reference) and from
the definitions the notebook states: an average of three neighbours weighs each
by the same amount and keeps a constant signal as it is; the change between
neighbouring samples is ``np.diff``.
"""

from __future__ import annotations

import numpy as np

from ._feedback import NotYet, as_answer_array, as_number, call_learner, exercise, mismatches, safe_repr

__all__ = ["check_2_1", "check_2_2", "check_2_3", "check_2_4"]

# Exercise 2.1: (f * g)[3] by hand.
F_2_1, G_2_1, N_2_1 = [2, -1, 3, 1], [1, 2, -1], 3

# Exercise 2.2: (f, g) pairs: both of length 1, one of length 1, g longer than f, negatives, fractions.
CASES_2_2 = [
    ([2, 0, 1, 3, -1], [1, 2, 3]),
    ([1.5], [-2.0]),
    ([4, -1, 2], [3]),
    ([5], [1, -1, 2]),
    ([1, -2, 3, 0, 4, -1], [-1, 2]),
    ([1, 2], [3, -4, 5, -6]),
    ([0.5, -0.25, 2.0, 1.0], [0.1, 0.2, 0.3, 0.4, 0.5]),
]

# Exercises 2.3 and 2.4: the signals a kernel is tried on.
CONSTANT = np.full(8, 5.0)
BUMPY = np.array([1.0, 4.0, 10.0, 2.0, 9.0, 3.0])
STEPS = np.array([0.0, 0.0, 1.0, 1.0, 3.0, 3.0, 2.0, 2.0])


def _show(values) -> str:
    return "[" + ", ".join(f"{v:g}" for v in values) + "]"


@exercise("2.1")
def check_2_1(answer):
    """Exercise 2.1: the value of ``(f * g)[3]`` for f = [2, -1, 3, 1] and g = [1, 2, -1]."""
    if isinstance(answer, (list, tuple)) or (isinstance(answer, np.ndarray) and answer.ndim > 0):
        raise NotYet(f"`answer` should be one number, (f * g)[{N_2_1}], not the whole output {safe_repr(answer)}")
    got = as_number(answer, "`answer`")
    full = np.convolve(F_2_1, G_2_1)
    if abs(got - full[N_2_1]) < 1e-9:
        return
    window = range(N_2_1 - len(G_2_1) + 1, N_2_1 + 1)
    unflipped = sum(F_2_1[k] * G_2_1[i] for i, k in enumerate(window))
    neighbours = {float(full[N_2_1 - 1]), float(full[N_2_1 + 1])}
    if abs(got - unflipped) < 1e-9:
        raise NotYet(
            f"{got:g} is what you get by laying g over f without flipping it (g[0] under f[1]). "
            f"Convolution pairs f[k] with g[{N_2_1} - k]: as k goes up, the kernel index goes down."
        )
    if any(abs(got - v) < 1e-9 for v in neighbours):
        raise NotYet(
            f"{got:g} is the value at a neighbouring shift. In (f * g)[{N_2_1}] the two indices of every "
            f"product add up to {N_2_1}: f[k]·g[{N_2_1} - k]."
        )
    raise NotYet(
        f"(f * g)[{N_2_1}] is not {got:g}. List the k for which both f[k] and g[{N_2_1} - k] exist, "
        "multiply each pair (mind the signs) and add the products."
    )


@exercise("2.2")
def check_2_2(convolve_full):
    """Exercise 2.2: ``convolve_full(f, g)`` returns the full convolution, as ``np.convolve(f, g)`` does."""
    if not callable(convolve_full):
        raise NotYet(f"expected a function convolve_full(f, g), got {safe_repr(convolve_full)}")
    for f, g in CASES_2_2:
        f_in, g_in = np.array(f, dtype=float), np.array(g, dtype=float)
        result = call_learner(convolve_full, f_in, g_in, name="convolve_full")
        call = f"convolve_full({_show(f)}, {_show(g)})"
        if not (np.array_equal(f_in, f) and np.array_equal(g_in, g)):
            raise NotYet(f"{call} changed its input f or g; leave them as they are and fill a new output array")
        got = as_answer_array(result, call, ndim=1, if_none="returned None: does your function end with `return out`?")
        expected = np.convolve(f, g)
        if got.size != expected.size:
            raise NotYet(
                f"{call}: expected {expected.size} values (M + K - 1), got {got.size}. "
                "Every shift where f and the flipped g overlap, even by one sample, gives one value."
            )
        wrong = mismatches(got, expected, rtol=1e-6, atol=1e-9)  # float32 sums are right too
        if not wrong:
            continue
        n = wrong[0][0]
        hint = ""
        if np.allclose(got, np.correlate(f, g, "full"), rtol=1e-9, atol=1e-9):
            hint = " Your output is the cross-correlation: g slid over f without being flipped."
        raise NotYet(
            f"{call} returned {_show(got)}; the value at n = {n} should be {expected[n]:g}, "
            f"not {got[n]:g}. Check which pairs f[k]·g[n - k] you add up for that n.{hint}"
        )


@exercise("2.3")
def check_2_3(box3):
    """Exercise 2.3: ``box3`` is a kernel whose convolution averages each sample with its two neighbours."""
    kernel = as_answer_array(box3, "`box3`", ndim=1, if_none="is None: replace None with your three weights")
    if kernel.size != 3:
        raise NotYet(f"An average of 3 neighbours needs 3 weights, one per neighbour; `box3` has {kernel.size}")
    level = np.convolve(CONSTANT, kernel, "valid")[0]
    if not np.isclose(level, 5.0, rtol=0, atol=1e-9):
        hint = ""
        if np.allclose(kernel, kernel.mean(), rtol=0, atol=1e-12) and abs(kernel.sum() - 1) < 0.05:
            hint = " Close: write the weight as an exact fraction rather than a rounded decimal."
        raise NotYet(
            f"A constant signal of 5s comes out as {level:.6g}, but the average of 5, 5 and 5 is 5: "
            f"the weights must add up to 1 (yours add up to {kernel.sum():.6g}).{hint}"
        )
    got = np.convolve(BUMPY, kernel, "valid")
    expected = np.convolve(BUMPY, np.ones(3), "valid") / 3  # each window's sum, divided by 3
    wrong = mismatches(got, expected, rtol=0, atol=1e-9)
    if wrong:
        n = wrong[0][0]
        window = ", ".join(f"{v:g}" for v in BUMPY[n : n + 3])
        raise NotYet(
            f"On x = {_show(BUMPY)} output {n} is {got[n]:.4g}, but the average of {window} is {expected[n]:.4g}: "
            "your weights add up to 1, yet the three neighbours do not count equally."
        )


@exercise("2.4")
def check_2_4(rise):
    """Exercise 2.4: ``rise`` has two numbers; ``np.convolve(x, rise, 'valid')[n]`` is the change x[n + 1] - x[n]."""
    kernel = as_answer_array(rise, "`rise`", ndim=1, if_none="is None: replace None with your two numbers")
    if kernel.size != 2:
        raise NotYet(f"`rise` should hold exactly two numbers (one per neighbouring sample), it has {kernel.size}")
    flat = np.convolve(CONSTANT, kernel, "valid")[0]
    if not np.isclose(flat, 0.0, rtol=0, atol=1e-9):
        raise NotYet(
            f"A flat signal of 5s gives {flat:.4g}, expected 0: nothing changes there. "
            "A change detector must ignore a constant level, so its two numbers add up to 0."
        )
    got = np.convolve(STEPS, kernel, "valid")
    change = np.diff(STEPS)
    if np.allclose(got, change, rtol=0, atol=1e-9):
        return
    shown = f"On x = {_show(STEPS)} your kernel gives {_show(got)}"
    if np.allclose(got, -change, rtol=0, atol=1e-9):
        raise NotYet(
            f"{shown}: negative where x goes up, positive where it goes down, so the sign is reversed. "
            "Remember that np.convolve flips the kernel before sliding it."
        )
    scale = got[1] / change[1]
    if scale > 0 and np.allclose(got, scale * change, rtol=0, atol=1e-9):
        raise NotYet(
            f"{shown}: the right signs, but {scale:.4g} times the change; where x rises by 1 it should give 1."
        )
    raise NotYet(f"{shown}; it should give the change from each sample to the next, {len(change)} values in all.")
