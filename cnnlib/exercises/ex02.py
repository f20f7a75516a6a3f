"""Checkers for notebook 02 (convolution in 1-D); the 'same' output (2.2) is in :mod:`cnnlib.exercises.ex02_modes`.

Expected values come from ``np.convolve`` and ``np.correlate`` (independent
references) and from the definitions the notebook states: an average of three
neighbours weighs each by the same amount and keeps a constant signal as it is;
the change between neighbouring samples is ``np.diff``; a delay by two samples
is the signal with two zeros in front; a matrix that computes a linear map has
the map of the k-th unit vector as its column k.
"""

from __future__ import annotations

import numpy as np

from ._answers import as_answer_array, as_number, close, mismatches, shown_apart
from ._feedback import NotYet, call_learner, exercise, safe_repr
from ._shortcuts import CONVOLUTIONS, Shortcuts
from .ex02_modes import _show, check_2_2

__all__ = ["check_2_1", "check_2_2", "check_2_3", "check_2_4", "check_2_5", "check_2_6"]

# Exercise 2.1: (f * g)[3] by hand.
F_2_1, G_2_1, N_2_1 = [2, -1, 3, 1], [1, 2, -1], 3

# Exercises 2.3 and 2.4: the signals a kernel is tried on.
CONSTANT = np.full(8, 5.0)
BUMPY = np.array([1.0, 4.0, 10.0, 2.0, 9.0, 3.0])
STEPS = np.array([0.0, 0.0, 1.0, 1.0, 3.0, 3.0, 2.0, 2.0])

# Exercise 2.5: the delay asked for, and the signals the kernel is tried on (one shorter than the delay).
DELAY_2_5 = 2
SIGNALS_2_5 = (
    np.array([3.0, -1.0, 4.0, 1.0, -5.0, 9.0, 2.0]),
    np.array([1.0, 2.0]),
    np.array([0.5, 0.0, 0.0, 2.0, -1.5]),
)

# Exercise 2.6: (w, n) pairs: asymmetric kernels (so a flip shows), K = 1, K = n, and a long row.
CASES_2_6 = [
    ([1.0, 2.0, 3.0], 5),
    ([2.0, -1.0], 6),
    ([4.0], 3),
    ([1.0, -2.0, 0.5, 3.0], 4),
    ([0.5, -1.0, 2.0], 9),
    ([-1.0, 0.0, 1.0], 3),
]


def _more_than_one(answer) -> bool:
    """Whether a list, tuple or array holds more than one number (a ragged list always does)."""
    try:
        return np.size(answer) > 1
    except ValueError:  # numpy refuses ragged nesting such as [1, [2, 3]]
        return True


@exercise(
    "2.1",
    hints=(
        "In (f * g)[n] every product is f[k]·g[n - k]: the two indices of each product add up to n, here 3.",
        "Go through k = 0, 1, 2, 3 and keep only the k for which g[3 - k] exists (g has the indices 0, 1 "
        "and 2). One k drops out.",
        "For each k that is left, multiply f[k] by g[3 - k], keeping the signs, and add the three products.",
    ),
)
def check_2_1(answer):
    """Exercise 2.1: the value of ``(f * g)[3]`` for f = [2, -1, 3, 1] and g = [1, 2, -1]."""
    if isinstance(answer, (list, tuple, np.ndarray)) and _more_than_one(answer):
        raise NotYet(f"`answer` should be one number, (f * g)[{N_2_1}], not the whole output {safe_repr(answer)}")
    got = as_number(answer, "`answer`", squeeze=True)  # 8, 8.0, np.int64(8), np.array(8) and [8] are all one number
    full = np.convolve(F_2_1, G_2_1)
    if close(got, full[N_2_1], atol=1e-9, like=answer):
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


@exercise(
    "2.3",
    hints=(
        "The average of three numbers is their sum divided by 3. A convolution multiplies each sample by a "
        "weight and adds the products: which weights turn that into an average?",
        "The three neighbours count equally, so the three weights are equal; and a constant signal comes out "
        "unchanged only if the weights add up to 1.",
        "Each weight is one third. Write it as a fraction that Python works out (1 divided by 3) rather than "
        "a rounded decimal such as 0.33.",
    ),
)
def check_2_3(box3):
    """Exercise 2.3: ``box3`` is a kernel whose convolution averages each sample with its two neighbours."""
    kernel = as_answer_array(box3, "`box3`", ndim=1, if_none="is None: replace None with your three weights")
    if kernel.size != 3:
        raise NotYet(f"An average of 3 neighbours needs 3 weights, one per neighbour; `box3` has {kernel.size}")
    level = np.convolve(CONSTANT, kernel, "valid")[0]
    if not close(level, 5.0, atol=1e-9, like=box3):  # float32 thirds are right too
        hint = ""
        if np.asarray(box3).dtype == np.float16:
            hint = " float16 keeps only about 3 digits of 1/3: leave the weights as ordinary floats (float64)."
        elif np.allclose(kernel, kernel.mean(), rtol=0, atol=1e-12) and abs(kernel.sum() - 1) < 0.05:
            hint = " Close: write the weight as an exact fraction rather than a rounded decimal."
        shown_level, _ = shown_apart(level, 5.0)
        shown_sum, _ = shown_apart(kernel.sum(), 1.0)
        raise NotYet(
            f"A constant signal of 5s comes out as {shown_level}, but the average of 5, 5 and 5 is 5: "
            f"the weights must add up to 1 (yours add up to {shown_sum}).{hint}"
        )
    got = np.convolve(BUMPY, kernel, "valid")
    expected = np.convolve(BUMPY, np.ones(3), "valid") / 3  # each window's sum, divided by 3
    wrong = mismatches(got, expected, rtol=0, atol=1e-9, like=box3)
    if wrong:
        n = wrong[0][0]
        if np.allclose(kernel, 1 / 3, rtol=0, atol=1e-3):
            raise NotYet(
                f"`box3` = {_show(kernel)} adds up to 1, but its weights are rounded thirds, so the three "
                "neighbours do not count exactly equally: write the exact fraction, 1 / 3, for each"
            )
        window = ", ".join(f"{v:g}" for v in BUMPY[n : n + 3])
        shown_got, shown_expected = shown_apart(got[n], expected[n], digits=4)
        raise NotYet(
            f"On x = {_show(BUMPY)} output {n} is {shown_got}, but the average of {window} is {shown_expected}: "
            "your weights add up to 1, yet the three neighbours do not count equally."
        )


@exercise(
    "2.4",
    hints=(
        "The change x[n + 1] - x[n] weighs one neighbour by +1 and the other by -1. The question is which "
        "number of `rise` meets which sample.",
        "Write out one output of np.convolve(x, rise, mode='valid') from the definition, sum over k of "
        "x[k]·rise[m - k]: which sample does rise[0] multiply, the earlier or the later one?",
        "Because convolution flips the kernel, rise[0] multiplies the later sample, x[n + 1], and rise[1] the "
        "earlier one, x[n]. Give the later sample the weight +1.",
    ),
)
def check_2_4(rise):
    """Exercise 2.4: ``rise`` has two numbers; ``np.convolve(x, rise, 'valid')[n]`` is the change x[n + 1] - x[n]."""
    kernel = as_answer_array(rise, "`rise`", ndim=1, if_none="is None: replace None with your two numbers")
    if kernel.size != 2:
        raise NotYet(f"`rise` should hold exactly two numbers (one per neighbouring sample), it has {kernel.size}")
    flat = np.convolve(CONSTANT, kernel, "valid")[0]
    if not close(flat, 0.0, atol=1e-9, like=rise):
        raise NotYet(
            f"A flat signal of 5s gives {flat:.4g}, expected 0: nothing changes there. "
            "A change detector must ignore a constant level, so its two numbers add up to 0."
        )
    got = np.convolve(STEPS, kernel, "valid")
    change = np.diff(STEPS)
    if not mismatches(got, change, rtol=0, atol=1e-9, like=rise):
        return
    shown = f"On x = {_show(STEPS)} your kernel gives {_show(got)}"
    scale = got[1] / change[1]  # STEPS rises by 1 there
    if abs(scale) > 1e-9 and np.allclose(got, scale * change, rtol=0, atol=1e-9):  # the change, scaled
        size = "" if np.isclose(abs(scale), 1) else f" It is also {abs(scale):.4g} times the change in size."
        if scale < 0:
            raise NotYet(
                f"{shown}: negative where x goes up, positive where it goes down, so the sign is reversed. "
                f"Remember that np.convolve flips the kernel before sliding it.{size}"
            )
        raise NotYet(
            f"{shown}: the right signs, but {scale:.4g} times the change; where x rises by 1 it should give 1."
        )
    raise NotYet(f"{shown}; it should give the change from each sample to the next, {len(change)} values in all.")


def _impulse_response(kernel: np.ndarray, length: int) -> np.ndarray:
    """What the exercise's recipe, ``np.convolve(x, kernel)[:len(x)]``, makes of a 1 followed by zeros."""
    impulse = np.zeros(length)
    impulse[0] = 1.0
    return np.convolve(impulse, kernel)[:length]


@exercise(
    "2.5",
    hints=(
        "Convolving with a kernel leaves one scaled copy of the kernel for every sample, starting at that "
        "sample's position. So what does a 1 followed by zeros turn into?",
        "The output for an impulse (a single 1 at position 0) is the kernel itself. A delay by two turns that "
        "impulse into a 1 at position 2, with zeros before it.",
        "So the kernel is the impulse response you want: zeros where nothing should come out yet, and a "
        "single weight of 1 where the delayed sample must appear. Count the positions from 0.",
    ),
)
def check_2_5(delay2):
    """Exercise 2.5: ``np.convolve(x, delay2)[:len(x)]`` is x delayed by two samples, zeros first."""
    kernel = as_answer_array(delay2, "`delay2`", ndim=1, if_none="is None: replace None with your kernel")
    if kernel.size == 0:
        raise NotYet("`delay2` is empty: a kernel needs at least one weight")
    if not kernel.any():
        raise NotYet("`delay2` is all zeros, so every output is 0: the samples must come through, two steps later")
    length = kernel.size + DELAY_2_5 + 1  # long enough for every weight of the kernel to show
    response = _impulse_response(kernel, length)
    wanted = np.zeros(length)
    wanted[DELAY_2_5] = 1.0
    if mismatches(response, wanted, rtol=0, atol=1e-9, like=delay2):
        places = np.flatnonzero(np.abs(response) > 1e-9)
        shown = f"A single 1 followed by zeros comes out as {_show(response)}"
        if places.size > 1:
            raise NotYet(
                f"{shown}: each sample comes out {places.size} times, at different delays, like an echo. A delay "
                "moves each sample to one place only, so the kernel has a single non-zero weight."
            )
        (place,) = places
        scale = response[place]
        if place != DELAY_2_5:
            moved = (
                "leaves the signal where it is"
                if place == 0
                else f"delays the signal by {place} sample{'s' if place > 1 else ''}, not by {DELAY_2_5}"
            )
            scaled = "" if abs(scale - 1) < 1e-9 else f", and multiplies it by {scale:g}"
            # the impulse section: a single 1 at position 0 comes out as the kernel itself, not flipped
            where = (
                " A single 1 at position 0 comes out as the kernel itself: where must its 1 be?" if place == 0 else ""
            )
            raise NotYet(f"{shown}: your kernel {moved}{scaled}.{where}")
        raise NotYet(
            f"{shown}: the right delay, but every sample comes out multiplied by {scale:g}. A delay moves the "
            "samples without changing them."
        )
    for x in SIGNALS_2_5:
        got = np.convolve(x, kernel)[: x.size]
        expected = np.concatenate([np.zeros(DELAY_2_5), x])[: x.size]
        if mismatches(got, expected, rtol=0, atol=1e-9, like=delay2):
            raise NotYet(f"x = {_show(x)} comes out as {_show(got)}, not delayed by {DELAY_2_5}")


@exercise(
    "2.6",
    hints=(
        "Row i of the matrix holds the weights output i gives to the n samples of x. In 'valid' mode with "
        "np.correlate, output i is sum over j of x[i + j]·w[j]: which samples does it use, with which weights?",
        "Cross-correlation does not flip: row i is the kernel w as it is, starting in column i, with zeros "
        "everywhere else. There is one row for each 'valid' position: n - K + 1 of them.",
        "Start from a zero matrix of shape (n - K + 1, n) and, for each row i and each kernel index j, write "
        "w[j] into column i + j. Every convolution of numpy, scipy and cnnlib, scipy.linalg.toeplitz and "
        "convolution_matrix are switched off while the check runs.",
    ),
    forbids=Shortcuts(
        *CONVOLUTIONS,
        "scipy.linalg.toeplitz",
        instead="write each weight into its place in the matrix yourself",
    ),
)
def check_2_6(layer_matrix):
    """Exercise 2.6: ``layer_matrix(w, n) @ x == np.correlate(x, w, mode='valid')`` for every x of length n."""
    if not callable(layer_matrix):
        raise NotYet(f"expected a function layer_matrix(w, n), got {safe_repr(layer_matrix)}")
    for w, n in CASES_2_6:
        w_in = np.array(w)
        call = f"layer_matrix({_show(w)}, {n})"
        result = call_learner(layer_matrix, w_in, n, name="layer_matrix")
        if not np.array_equal(w_in, w):
            raise NotYet(f"{call} changed the kernel it was given; leave `w` as it is and fill a new matrix")
        # Column k is what the layer makes of the k-th unit vector: the matrix of any linear map, column by column.
        expected = np.column_stack([np.correlate(np.eye(n)[k], w, mode="valid") for k in range(n)])
        rows, K = n - len(w) + 1, len(w)
        shape_hints = {
            (n, rows): ". It is transposed: one row per output, one column per sample of x.",
            (n + K - 1, n): ". That is the size of the 'full' output; a layer without padding keeps the "
            "'valid' outputs only.",
            (n, n): ". That is as many outputs as samples, as 'same' mode gives; a layer without padding keeps "
            "the 'valid' outputs only.",
            (rows - 1, n): ". One row short: count the positions where the whole kernel fits.",
            (rows + 1, n): ". One row too many: count the positions where the whole kernel fits.",
        }
        got = as_answer_array(
            result,
            call,
            shape=expected.shape,
            hint=lambda shape, known=shape_hints: known.get(
                shape, ". It needs one row per output and one column per sample of x."
            ),
            if_none="returned None: does your function end with `return` and the matrix?",
        )
        wrong = mismatches(got, expected, rtol=1e-12, atol=1e-12, like=result)
        if not wrong:
            continue
        flipped = np.column_stack([np.convolve(np.eye(n)[k], w, mode="valid") for k in range(n)])
        if not mismatches(got, flipped, rtol=1e-12, atol=1e-12, like=result):
            raise NotYet(
                f"{call}: each row holds the kernel back to front, so your matrix computes the convolution. A CNN "
                "layer, like np.correlate, lays the kernel on the samples as it is."
            )
        i, k = wrong[0]
        if np.asarray(result).dtype.kind in "iub" and not np.allclose(expected, np.round(expected)):
            raise NotYet(
                f"{call}: entry [{i}, {k}] is {got[i, k]:g}, expected {expected[i, k]:g}. Your matrix holds "
                "integers, so each weight written into it loses its fraction. Make it a float array, e.g. "
                "np.zeros((n - len(w) + 1, n))."
            )
        raise NotYet(
            f"{call}: entry [{i}, {k}] is {got[i, k]:g}, expected {expected[i, k]:g}. Output {i} uses the samples "
            f"x[{i}] to x[{i + K - 1}], one kernel weight each."
        )
