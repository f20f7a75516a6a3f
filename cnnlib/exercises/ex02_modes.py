"""Checker for Exercise 2.2 of notebook 02: the 'same' output of a convolution, for odd and even kernels.

The expected values come from ``np.convolve(f, g, mode="same")``; the messages
compare the learner's output with every window of ``np.convolve(f, g)`` (the
full output) and of the full cross-correlation, so that a window that starts
one value too early or too late, or an unflipped kernel, is named.
"""

from __future__ import annotations

import numpy as np

from ._answers import as_answer_array, mismatches
from ._feedback import NotYet, call_learner, exercise, safe_repr
from ._shortcuts import CONVOLUTIONS, Shortcuts

__all__ = ["check_2_2"]

# Exercise 2.2: (f, g) pairs for 'same' mode: K odd and even (2 and 4 leave out an odd number of full values),
# K = 1, K = M, kernels longer than the signal (M even and odd) and min(M, K) = 5 (a start rule that holds
# only for short kernels shows); fractions, so an int output array shows.
CASES_2_2 = [
    ([2.0, 0.0, 1.0, 3.0, -1.0], [1.0, 2.0, 3.0]),
    ([0.5, -1.5, 2.0, 3.0, -1.0, 4.0], [1.0, -2.0]),
    ([1.0, -2.0, 3.0, 0.5, 4.0, -1.0, 2.0], [3.0, -1.0, 2.0, 0.5]),
    ([4.0, -1.0, 2.5], [3.0]),
    ([1.5, -2.0, 3.0], [2.0, -1.0, 0.5]),
    ([1.0, 2.5], [3.0, -4.0, 5.0, -6.5]),
    ([2.0, -1.0, 0.5], [1.0, 3.0, -2.0, 4.0, -1.0, 2.0]),
    ([1.5], [-2.0, 1.0]),
    ([2.0, -1.0, 0.5, 3.0, -2.5, 1.0, 4.0], [1.5, -1.0, 2.0, 0.5, -3.0]),
]


def _show(values) -> str:
    return "[" + ", ".join(f"{v:g}" for v in values) + "]"


def _same_start(m: int, k: int) -> int:
    """Where np.convolve's 'same' output starts in the full one: of the min(M, K) - 1 values left out, an odd
    one out goes at the end."""
    return (min(m, k) - 1) // 2


def _window_of(got: np.ndarray, full: np.ndarray, like) -> int | None:
    """The start s with ``got == full[s:s + len(got)]``, or None."""
    for s in range(full.size - got.size + 1):
        if not mismatches(got, full[s : s + got.size], rtol=1e-9, atol=1e-9, like=like):
            return s
    return None


def _same_length_hint(n: int, m: int, k: int) -> str:
    """What a 'same' output of ``n`` values, instead of max(M, K), most likely is."""
    if n == m + k - 1:
        return " That is the whole 'full' output; 'same' keeps only its middle."
    if n == max(m, k) - min(m, k) + 1:
        return " That is the 'valid' output, where the kernel lies entirely on the signal."
    if n == m < k:
        return " That is as long as f, but here the kernel is the longer one: 'same' is as long as the longer input."
    if n < max(m, k):
        return " If you sliced the full output, check that the slice does not run past its end."
    return ""


@exercise(
    "2.2",
    hints=(
        "'same' is a slice of 'full' (the section on the modes): nothing new is computed. Get the M + K - 1 full "
        "values with your own loop first, then decide which max(M, K) of them to keep.",
        "Of the M + K - 1 full values, min(M, K) - 1 are left out, some at the start and the rest at the end. "
        "When that number is odd it cannot split evenly: outside your function, print np.convolve(f, g) and "
        "np.convolve(f, g, mode='same') for kernels of 2 and of 4 weights and see which end loses one more.",
        "Leave out (min(M, K) - 1) // 2 values at the start and the rest at the end, so that max(M, K) are "
        "kept. Mind that min and max, not K: a kernel can be longer than the signal. Every convolution of "
        "numpy, scipy and cnnlib, 1-D and 2-D, is switched off while the check runs.",
    ),
    forbids=Shortcuts(
        *CONVOLUTIONS,
        instead="compute the full output with your own loop, then keep the right part of it",
    ),
)
def check_2_2(convolve_same):
    """Exercise 2.2: ``convolve_same(f, g)`` returns ``np.convolve(f, g, mode='same')``, for odd and even K."""
    if not callable(convolve_same):
        raise NotYet(f"expected a function convolve_same(f, g), got {safe_repr(convolve_same)}")
    for f, g in CASES_2_2:
        f_in, g_in = np.array(f), np.array(g)
        result = call_learner(convolve_same, f_in, g_in, name="convolve_same")
        call = f"convolve_same({_show(f)}, {_show(g)})"
        if not (np.array_equal(f_in, f) and np.array_equal(g_in, g)):
            raise NotYet(f"{call} changed its input f or g; leave them as they are and fill a new output array")
        got = as_answer_array(result, call, ndim=1, if_none="returned None: does your function end with `return`?")
        m, k = len(f), len(g)
        full, expected = np.convolve(f, g), np.convolve(f, g, mode="same")
        start, length = _same_start(m, k), max(m, k)  # expected is full[start : start + length]
        if got.size != length:
            raise NotYet(
                f"{call}: expected {length} values (max(M, K) with M = {m}, K = {k}), got {got.size}."
                f"{_same_length_hint(got.size, m, k)}"
            )
        wrong = mismatches(got, expected, rtol=1e-9, atol=1e-9, like=result)
        if not wrong:
            continue
        place = _window_of(got, full, result)
        if place is not None:
            dropped = min(m, k) - 1
            way = "late" if place > start else "early"
            longer = f" The kernel is the longer one here: it is M - 1 = {dropped} that are left out." if k > m else ""
            steps = "one value" if abs(place - start) == 1 else f"{abs(place - start)} values"
            raise NotYet(
                f"{call} returned the full values {place} to {place + length - 1}: the window starts {steps} too "
                f"{way}. Here 'same' leaves out {dropped} of the {full.size} full values; np.convolve leaves out "
                f"{start} at the start and {dropped - start} at the end.{longer} Which rule gives those two numbers "
                "for every M and K? (exercises.hint('2.2') if you are stuck)"
            )
        if _window_of(got, np.convolve(f, g[::-1]), result) is not None:
            raise NotYet(
                f"{call}: these are values of the cross-correlation, g slid over f without being flipped. "
                "Convolution pairs f[k] with g[n - k]."
            )
        if np.asarray(result).dtype.kind in "iub" and not np.allclose(expected, np.round(expected)):
            raise NotYet(
                f"{call} returned whole numbers, {_show(got)}, where {_show(expected)} was expected: your output "
                "array holds integers, so each sum loses its fraction. Make it a float array, e.g. np.zeros(M + K - 1)."
            )
        n = wrong[0][0]
        raise NotYet(
            f"{call} returned {_show(got)}; value {n} should be {expected[n]:g}, not {got[n]:g}. Each value of "
            "'same' is one of the full values, sum over k of f[k]·g[n - k]: check which ones you keep."
        )
