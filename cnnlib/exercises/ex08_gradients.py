"""Checkers for notebook 08's gradient check: central differences and the relative error (8.2), then used on a
layer the notebook did not derive, tanh, to find which of two backward passes is wrong (8.3).

Expected values come from the definitions, worked by the checker, and from tanh's exact derivative 1 / cosh(x)^2.
"""

from __future__ import annotations

import numpy as np

from ._answers import as_answer_array, as_number, close, mismatches, shown_apart
from ._feedback import NotYet, call_learner, exercise, safe_repr
from ._shortcuts import Shortcuts

__all__ = ["check_8_2", "check_8_3"]

H_8_2 = 1e-5  # numerical_gradient's default step
# The smallest relative error a central-difference check of a right tanh backward pass gives here: 1.4e-11 at
# h = 1e-5, more for any other step (7e-11 at 1e-6, 1.4e-9 at 1e-4). Below it, the learner compared with a formula.
_SMALLEST_CHECK_ERROR = 1e-13
TANH_SEED = 83  # Exercise 8.3: the seed of the tanh layer's input and upstream gradient, as in the notebook


def _relative_error(a, n) -> float:
    """max |a - n| / max(|a| + |n|): the measure of Exercise 8.2."""
    a, n = np.asarray(a, dtype=np.float64), np.asarray(n, dtype=np.float64)
    return float(np.abs(a - n).max() / (np.abs(a) + np.abs(n)).max())


def _central_differences(f, x, h):
    """The checker's own central differences of the scalar f(x), x nudged in a copy."""
    grad = np.zeros_like(x)
    for index in np.ndindex(x.shape):
        up, down = x.copy(), x.copy()
        up[index] += h
        down[index] -= h
        grad[index] = (f(up) - f(down)) / (2 * h)
    return grad


# ---------------------------------------------------------------- 8.2 numerical gradient and relative error


def _wavy(x):
    """A test function with every derivative non-zero, so that one-sided or mis-scaled differences show."""
    return float(np.sum(np.exp(0.8 * x) + np.sin(2 * x) * x))


def _gradient_points():
    rng = np.random.default_rng(82)
    return [rng.uniform(-1.5, 1.5, shape) for shape in ((5,), (3, 4), (2, 2, 3))]


def _check_numerical_gradient(numerical_gradient):
    for x in _gradient_points():
        for h in (None, 1e-2):  # the default, then a step large enough that a result for another h shows
            x_in = x.copy()
            args = (_wavy, x_in) if h is None else (_wavy, x_in, h)
            call = f"numerical_gradient(f, x{'' if h is None else ', h=1e-2'}) for x of shape {x.shape}"
            returned = call_learner(numerical_gradient, *args, name="numerical_gradient")
            if mismatches(x_in, x, rtol=1e-12, atol=0):
                index = mismatches(x_in, x, rtol=1e-12, atol=0)[0]
                raise NotYet(
                    f"{call} did not restore x: afterwards x{list(index)} is off by "
                    f"{x_in[index] - x[index]:.2g}. Put each entry back after nudging it (keep its old value)"
                )
            got = as_answer_array(returned, call, shape=x.shape, if_none="returned None: did you forget `return`?")
            step = H_8_2 if h is None else h
            expected = _central_differences(_wavy, x, step)
            if not mismatches(got, expected, rtol=1e-6, atol=1e-8, like=returned):
                continue
            forward = np.array([(_wavy(x + step * e) - _wavy(x)) / step for e in np.eye(x.size).reshape(-1, *x.shape)])
            if not mismatches(got, forward.reshape(x.shape), rtol=1e-6, atol=1e-8):
                raise NotYet(f"{call} takes a one-sided difference (f(x + h) - f(x)) / h: use f(x + h) and f(x - h)")
            if not mismatches(got, 2 * expected, rtol=1e-6, atol=1e-8):
                raise NotYet(f"{call} is twice the gradient: the two points are 2h apart, divide by 2h")
            if h is not None and not mismatches(got, _central_differences(_wavy, x, H_8_2), rtol=1e-6, atol=1e-8):
                raise NotYet(f"{call} gives the gradient for a tiny step, not for h = 1e-2: use the step h it is given")
            if np.asarray(returned).dtype in (np.float32, np.float16):
                raise NotYet(
                    f"{call} returned {np.asarray(returned).dtype}: in it, f(x + h) and f(x - h) differ only in their "
                    "last few digits, and dividing by a small h blows up their rounding. Keep x's float64"
                )
            index = mismatches(got, expected, rtol=1e-6, atol=1e-8)[0]
            raise NotYet(
                f"{call}: entry {list(index)} is {got[index]:.6g}, but (f(x + h e) - f(x - h e)) / 2h, with e "
                "nudging that entry alone, is not. Nudge every entry in turn, one at a time"
            )


# (a, n) pairs: the first separates the rule from a ratio taken entry by entry, the second from max|a| + max|n|,
# the third (negative, 2-D) from a difference without absolute values and from means.
_ERROR_CASES = (
    (np.array([2.0, 1e-3]), np.array([2.0, 2e-3])),
    (np.array([3.0, 0.0]), np.array([0.0, 3.0])),
    (np.array([[-2.0, -1.0], [0.5, -4.0]]), np.array([[-2.5, -1.0], [0.5, -3.0]])),
    (np.array([1.0, -2.0]), np.array([-0.5, 2.5])),  # opposite signs: |a + n| is not |a| + |n|
)


# Wrong rules a learner writes, each named by what it does; an answer is said to follow one only if it agrees with
# it on every case (on one case, two of them can give the same number).
_ERROR_SLIPS = {
    "took the ratio entry by entry and then the largest": lambda a, n: np.max(np.abs(a - n) / (np.abs(a) + np.abs(n))),
    "divided by max|a| + max|n|, not by the largest |a| + |n|": lambda a, n: (
        np.abs(a - n).max() / (np.abs(a).max() + np.abs(n).max())
    ),
    "left out the absolute values: max(a - n) is not the largest difference": lambda a, n: (
        np.max(a - n) / np.max(np.abs(a) + np.abs(n))
    ),
    "took the difference of the largest sizes, |max|a| - max|n||: the numerator is the largest difference "
    "max|a - n|, entry against entry": lambda a, n: (
        abs(np.abs(a).max() - np.abs(n).max()) / np.max(np.abs(a) + np.abs(n))
    ),
    "divided by max|a + n|, where a and n of opposite signs cancel: add their sizes, |a| + |n|": lambda a, n: (
        np.abs(a - n).max() / np.abs(a + n).max()
    ),
    "took means (or sums), not the largest values": lambda a, n: np.abs(a - n).mean() / (np.abs(a) + np.abs(n)).mean(),
    "returned the absolute error max|a - n|: divide it by max(|a| + |n|)": lambda a, n: np.abs(a - n).max(),
}


def _check_relative_error(relative_error):
    answers = []  # (a, n, call, the number returned, what was returned), every case run before any is judged
    for a, n in _ERROR_CASES:
        a_in, n_in = a.copy(), n.copy()
        call = f"relative_error(a, n) for a = {a.tolist()}, n = {n.tolist()}"
        returned = call_learner(relative_error, a_in, n_in, name="relative_error")
        if not (np.array_equal(a_in, a) and np.array_equal(n_in, n)):
            raise NotYet(f"{call} changed its inputs in place: compute the error without changing a or n")
        got = as_number(returned, call, squeeze=True, if_none="returned None: did you forget `return`?")
        answers.append((a, n, call, got, returned))
    for a, n, call, got, returned in answers:
        expected = _relative_error(a, n)
        if close(got, expected, rtol=1e-9, atol=1e-15, like=returned):
            continue
        for mistake, slip in _ERROR_SLIPS.items():
            with np.errstate(divide="ignore", invalid="ignore"):
                if all(close(other, float(slip(a2, n2)), rtol=1e-9, atol=1e-15) for a2, n2, _, other, _ in answers):
                    raise NotYet(f"{call} is {got:.4g}: you {mistake}")
        shown, right = shown_apart(got, expected)
        raise NotYet(f"{call} is {shown}, but max|a - n| / max(|a| + |n|) is {right}")


@exercise(
    "8.2",
    hints=(
        "numerical_gradient is the notebook's gradient-check loop with two changes: f takes the array as its "
        "argument, f(x), and the step is called h. Visit every entry of x, whatever x's shape.",
        "For each index (np.ndindex(x.shape) gives them all): keep the old value, set x[index] to old + h, "
        "evaluate f(x), set it to old - h, evaluate again, put the old value back, divide the difference by 2h.",
        "relative_error is one line: the largest |a - n| over all entries, divided by the largest |a| + |n| "
        "over all entries (two separate maxima, each over the whole array).",
    ),
    forbids=Shortcuts(
        "cnnlib.gradcheck.numerical_gradient",
        "cnnlib.gradcheck.relative_error",
        instead="cnnlib has both, but here you write them: a loop over the entries and one line of numpy",
    ),
)
def check_8_2(numerical_gradient, relative_error=None):
    """Exercise 8.2: ``numerical_gradient(f, x, h=1e-5)`` (central differences) and ``relative_error(a, n)``."""
    if relative_error is None:
        raise NotYet("pass both functions: check_8_2(numerical_gradient, relative_error)")
    _check_numerical_gradient(numerical_gradient)
    _check_relative_error(relative_error)


# ---------------------------------------------------------------- 8.3 a gradient check, used


def tanh_case():
    """(x, G) of Exercise 8.3: the tanh layer's input and the upstream gradient, as the notebook makes them."""
    rng = np.random.default_rng(TANH_SEED)
    return rng.standard_normal((3, 4)), rng.standard_normal((3, 4))


def _candidates(x, g):
    """The two backward passes of the notebook: (a) 1 - tanh(x^2) by a slip, (b) 1 / cosh(x)^2, which is right."""
    return {"a": g * (1 - np.tanh(x**2)), "b": g / np.cosh(x) ** 2}


def _wrong_one(value):
    """'a' or 'b' from 'a', ' B ', or the function tanh_backward_a itself; None otherwise."""
    name = getattr(value, "__name__", value) if callable(value) else value
    if isinstance(name, str) and name.strip().lower().removeprefix("tanh_backward_") in ("a", "b"):
        return name.strip().lower()[-1]
    return None


@exercise(
    "8.3",
    hints=(
        "Write the loss as a function of the array: L(x) = sum(tanh(x) * g_tanh). Its gradient with respect to x "
        "is what both backward passes should return for grad_out = g_tanh, and numerical_gradient computes it.",
        "numerical_gradient(L, x_tanh) is the reference. relative_error of tanh_backward_a(x_tanh, g_tanh) "
        "against it is the first number, the same with b the second. A right backward pass gives about 1e-10.",
        "Keep g_tanh inside the loss (with ones instead, the backward passes are checked against the wrong "
        "gradient). The wrong one is the one with the large error, whatever its formula looks like.",
    ),
)
def check_8_3(relative_errors, wrong_one=None):
    """Exercise 8.3: the relative errors of ``tanh_backward_a`` and ``_b``, and which of the two is wrong."""
    pair = relative_errors if isinstance(relative_errors, (tuple, list, np.ndarray)) else None
    if isinstance(pair, np.ndarray) and pair.ndim == 0:
        pair = None
    if pair is None or len(pair) != 2:
        raise NotYet(
            f"`relative_errors` should be two numbers, (error of a, error of b); got {safe_repr(relative_errors)}"
        )
    errors = [as_number(value, f"`relative_errors[{i}]`", squeeze=True) for i, value in enumerate(pair)]
    if any(e < 0 for e in errors):
        raise NotYet(f"`relative_errors` = {errors}: a relative error is never negative (it divides absolute values)")
    x, g = tanh_case()
    exact = g / np.cosh(x) ** 2
    expected = {key: _relative_error(value, exact) for key, value in _candidates(x, g).items()}
    without_g = {  # the loss sum(tanh(x)) without g_tanh, the backward passes given g_tanh or ones
        key: [_relative_error(value, exact / g), _relative_error(value / g, exact / g)]
        for key, value in _candidates(x, g).items()
    }
    if errors[0] < 1e-6 and close(errors[1], expected["a"], rtol=1e-4, atol=0):
        raise NotYet("`relative_errors` are in the wrong order: the first is the error of a, the second of b")
    for i, key in enumerate("ab"):
        right = expected[key] < 1e-6
        if right and errors[i] < _SMALLEST_CHECK_ERROR:
            raise NotYet(
                f"the error of {key}, {errors[i]:.3g}, is smaller than any gradient check gives: central differences "
                "leave an error of about 1e-11 or more (rounding, and the step h). Compare the backward pass with "
                "numerical_gradient of the loss, not with a formula or with itself"
            )
        if (errors[i] < 1e-6) if right else close(errors[i], expected[key], rtol=1e-4, atol=0):
            continue
        if any(close(errors[i], value, rtol=1e-4, atol=0) for value in without_g[key]):
            raise NotYet(
                f"the error of {key}, {errors[i]:.4g}, is what a loss without g_tanh, L = sum(tanh(x)), gives: the "
                "backward passes get grad_out = g_tanh, so the loss must be sum(tanh(x) * g_tanh)"
            )
        if not right and close(errors[i], expected[key], rtol=5e-3, atol=0):
            raise NotYet(
                f"the error of {key}, {errors[i]:.4g}, is close to what a gradient check of it gives, but not to 4 "
                "digits: pass the numbers your code computed, not rounded ones"
            )
        if right:
            raise NotYet(
                f"the error of {key}, {errors[i]:.3g}, is larger than a gradient check of this backward pass "
                "gives: recheck your loss, sum(tanh(x) * g_tanh), your reference and relative_error"
            )
        raise NotYet(
            f"the error of {key}, {errors[i]:.4g}, is not what a gradient check of it gives (to 4 digits): check "
            "that you compare its output for (x_tanh, g_tanh) with numerical_gradient of sum(tanh(x) * g_tanh), "
            "and that relative_error passes Exercise 8.2"
        )
    named = _wrong_one(wrong_one)
    if named is None:
        raise NotYet(
            f'`wrong_one` should be "a" or "b", the backward pass with the large error; got {safe_repr(wrong_one)}'
        )
    if named != max(expected, key=expected.get):
        raise NotYet(f'your errors are right, but they say the other one is wrong, not "{named}"')
