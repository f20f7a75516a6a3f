"""Checkers for notebook 08 (learning): ReLU's backward, a max-pooling gradient, a learning rate that works.

Expected values come from independent references: central differences of
``sum(max(x, 0) * grad_out)`` for 8.1, the rule "each window's gradient goes
to its largest input" applied by a plain loop for 8.2, and gradient descent
on the toy problem run by the checker itself for 8.3.
"""

from __future__ import annotations

import numpy as np

from ._answers import as_answer_array, as_number, mismatches, shown_apart
from ._feedback import NotYet, call_learner, exercise, safe_repr

__all__ = ["check_8_1", "check_8_2", "check_8_3"]

# Exercise 8.2: the input of a 2 x 2 max pooling (stride 2) and the gradient arriving at its output.
POOL_INPUT = np.array([[1.0, 3.0, 2.0, 0.0], [4.0, 2.0, 1.0, 5.0], [0.0, 6.0, 3.0, 1.0], [2.0, 1.0, 7.0, 2.0]])
POOL_GRAD_OUT = np.array([[1.0, -2.0], [3.0, 0.5]])
_WINDOWS = {(0, 0): "top-left", (0, 1): "top-right", (1, 0): "bottom-left", (1, 1): "bottom-right"}

# Exercise 8.3: fit w in y = w x by gradient descent from w = 0; within TOLERANCE of the best w in STEPS steps.
TOY_X = np.array([1.0, 2.0, 3.0, 4.0])
TOY_Y = np.array([2.1, 3.9, 6.2, 7.8])
TOY_START, STEPS, TOLERANCE = 0.0, 10, 0.01


# ---------------------------------------------------------------- 8.1 ReLU backward


def _relu_cases():
    """(x, grad_out) pairs of several shapes; x stays away from 0, where ReLU has no slope."""
    rng = np.random.default_rng(8)
    cases = [(np.array([-2.0, -0.5, 0.5, 3.0]), np.array([1.0, -2.0, 3.0, -4.0]))]
    for shape in [(3, 4), (2, 3, 2, 2)]:
        x = rng.uniform(0.2, 2.0, shape) * rng.choice([-1.0, 1.0], shape)
        cases.append((x, rng.standard_normal(shape)))
    return cases


def _numerical_relu_gradient(x, grad_out, eps=1e-6):
    """Central differences of L(x) = sum(max(x, 0) * grad_out), one element at a time."""

    def loss(values):
        return float((np.maximum(values, 0) * grad_out).sum())

    grad = np.zeros_like(x)
    for index in np.ndindex(x.shape):
        up, down = x.copy(), x.copy()
        up[index] += eps
        down[index] -= eps
        grad[index] = (loss(up) - loss(down)) / (2 * eps)
    return grad


@exercise(
    "8.1",
    hints=(
        "ReLU's output is x where x > 0 and 0 elsewhere, so its slope is 1 where x > 0 and 0 where x < 0.",
        "The chain rule, element by element: dL/dx = dL/d(output) times d(output)/dx. Where x was negative "
        "the gradient is blocked; where it was positive it passes unchanged.",
        "Keep grad_out where x > 0 and put 0 everywhere else, in a new array (a condition with np.where, or "
        "a multiplication by a mask of where x > 0).",
    ),
)
def check_8_1(relu_backward):
    """Exercise 8.1: ``relu_backward(x, grad_out)`` is dL/dx for ReLU, given dL/d(output)."""
    if not callable(relu_backward):
        raise NotYet(f"expected a function relu_backward(x, grad_out), got {safe_repr(relu_backward)}")
    for x, grad_out in _relu_cases():
        given_x, given_g = x.copy(), grad_out.copy()
        call = f"relu_backward(x, grad_out) for x of shape {x.shape}"
        returned = call_learner(relu_backward, given_x, given_g, name="relu_backward")
        result = as_answer_array(returned, call, shape=x.shape)
        if not (np.array_equal(given_x, x) and np.array_equal(given_g, grad_out)):
            raise NotYet(f"{call} changed its inputs in place: compute a new array and return it")
        expected = _numerical_relu_gradient(x, grad_out)
        wrong = mismatches(result, expected, atol=1e-5, like=returned)
        if not wrong:
            continue
        positive = x > 0
        if np.allclose(result, positive):
            raise NotYet(
                f"{call} returned the slope of ReLU (1 or 0) alone: multiply it by the gradient "
                "that arrives, grad_out (the chain rule)"
            )
        if np.allclose(result, grad_out):
            raise NotYet(f"{call} lets the gradient through everywhere: block it where the input x was negative")
        if np.allclose(result, np.maximum(grad_out, 0)):
            raise NotYet(
                f"{call} applied ReLU to grad_out: whether the gradient passes depends on the "
                "forward input x, not on the sign of grad_out"
            )
        if np.allclose(result, np.maximum(x, 0)):
            raise NotYet(f"{call} returned max(x, 0), the forward pass: backward returns a gradient")
        if np.allclose(result, grad_out * ~positive):
            raise NotYet(f"{call} passes the gradient where x < 0 and blocks it where x > 0: the other way round")
        where = wrong[0]
        side = "positive" if x[where] > 0 else "negative"
        raise NotYet(
            f"{call} is wrong at index {where}, where x is {side} ({x[where]:.3g}) and grad_out is "
            f"{grad_out[where]:.3g}: you returned {result[where]:.3g}"
        )


# ---------------------------------------------------------------- 8.2 max-pooling gradient by hand


def _max_pool_gradient(x, grad_out, size=2):
    """Each window's upstream gradient, placed at the window's largest input (the reference)."""
    grad = np.zeros_like(x)
    for i, j in np.ndindex(grad_out.shape):
        window = x[size * i : size * i + size, size * j : size * j + size]
        a, b = np.unravel_index(np.argmax(window), window.shape)
        grad[size * i + a, size * j + b] += grad_out[i, j]
    return grad


@exercise(
    "8.2",
    hints=(
        "In the forward pass each 2 x 2 window sends only its largest input on to the output, so only that "
        "input influences the loss.",
        "So each number of g goes back to one place only: the position of its window's maximum in x. The "
        "other three inputs of the window get 0.",
        "Find the largest input in each of the four windows of x, and write that window's g value at its "
        "position in a 4 x 4 array of zeros, unchanged (not shared, not multiplied).",
    ),
)
def check_8_2(pool_grad):
    """Exercise 8.2: the gradient of 2 x 2 max pooling w.r.t. ``POOL_INPUT`` for ``POOL_GRAD_OUT``."""
    hint = ". The gradient with respect to the input has the shape of the input (4 x 4), not of the pooled output"
    got = as_answer_array(pool_grad, "`pool_grad`", shape=POOL_INPUT.shape, hint={POOL_GRAD_OUT.shape: hint}.get)
    expected = _max_pool_gradient(POOL_INPUT, POOL_GRAD_OUT)
    if np.allclose(got, expected):
        return
    if np.allclose(got, np.kron(POOL_GRAD_OUT, np.ones((2, 2))) / 4):
        raise NotYet(
            "you shared each window's gradient equally among its 4 inputs: that is average pooling. "
            "Max pooling sends it to one input only"
        )
    if np.allclose(got, np.kron(POOL_GRAD_OUT, np.ones((2, 2)))):
        raise NotYet(
            "you copied each window's gradient to all 4 of its inputs: max pooling sends it to one input "
            "only, the others get 0"
        )
    for (i, j), name in _WINDOWS.items():
        block = got[2 * i : 2 * i + 2, 2 * j : 2 * j + 2]
        right = expected[2 * i : 2 * i + 2, 2 * j : 2 * j + 2]
        if np.allclose(block, right):
            continue
        nonzero = int(np.count_nonzero(~np.isclose(block, 0)))
        if nonzero != 1:
            raise NotYet(
                f"the {name} 2 x 2 window of your answer has {nonzero} non-zero entries; exactly one input "
                "of each window receives its gradient"
            )
        if np.isclose(block, 0)[right != 0].any():
            raise NotYet(
                f"in the {name} window the gradient went to the wrong input: it goes to the input that "
                "won the max in the forward pass"
            )
        raise NotYet(
            f"in the {name} window the right input gets the gradient, but not the right value: it is "
            "that window's upstream gradient, unchanged"
        )
    raise NotYet("your answer differs from the max-pooling gradient")  # pragma: no cover - windows tile the input


# ---------------------------------------------------------------- 8.3 a learning rate that converges


def _descend(lr, steps=STEPS):
    """The toy's gradient descent, run here: w <- w - lr * mean(2 (w x - y) x), from TOY_START."""
    w, path = TOY_START, [TOY_START]
    with np.errstate(all="ignore"):
        for _ in range(steps):
            w = w - lr * float(np.mean(2 * (w * TOY_X - TOY_Y) * TOY_X))
            path.append(w)
    return np.array(path)


@exercise(
    "8.3",
    hints=(
        "Each step multiplies the distance between w and the best w by the factor (1 - 15η) from the toy "
        "section. Gradient descent converges when that factor lies between -1 and 1.",
        "After 10 steps the distance is |1 - 15η| to the power 10 times the starting distance (about 2), and "
        "it must end below 0.01. The smaller |1 - 15η|, the faster.",
        "Pick η so that |1 - 15η| is well below 1 (0 is best: one step lands on the best w), or find a rate "
        "on the slider that settles within 10 steps.",
    ),
)
def check_8_3(learning_rate):
    """Exercise 8.3: a learning rate that brings w within TOLERANCE of the best w in STEPS steps."""
    lr = as_number(
        learning_rate, "`learning_rate`", squeeze=True, if_none="is None: replace None with your learning rate"
    )
    if lr <= 0:
        raise NotYet(f"`learning_rate` = {lr:g} does not go downhill: a learning rate is a positive step size")
    best = float((TOY_X * TOY_Y).sum() / (TOY_X * TOY_X).sum())
    path = _descend(lr)
    distance = abs(path[-1] - best)
    if distance <= TOLERANCE:
        return
    start = abs(TOY_START - best)
    if not np.isfinite(distance) or distance > start:
        raise NotYet(
            f"with learning rate {lr:g} gradient descent diverges: each step overshoots the best w by more "
            f"than the last, and after {STEPS} steps w is further away than where it started. "
            "Try a smaller learning rate"
        )
    away, within = shown_apart(distance, TOLERANCE, digits=2)  # never "0.01 away (must be within 0.01)"
    jumps = np.sign(np.diff(path))
    if (jumps[1:] != jumps[:-1]).any():
        raise NotYet(
            f"with learning rate {lr:g} w jumps back and forth across the best w and is still "
            f"{away} away after {STEPS} steps (it must be within {within}): too slow to "
            "settle. Try a somewhat smaller learning rate"
        )
    raise NotYet(
        f"with learning rate {lr:g} the steps are too slow: after {STEPS} steps w is {path[-1]:.3g}, still "
        f"{away} away from the best w (it must be within {within}). Try a larger learning rate"
    )
