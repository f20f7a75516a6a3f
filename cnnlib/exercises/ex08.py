"""Checkers for notebook 08 (learning): backward passes derived, a gradient check built and used, a bound predicted.

The gradient check (8.2, 8.3) lives in :mod:`cnnlib.exercises.ex08_gradients`; this module re-exports its checkers.

Expected values come from independent references: central differences of
``L = sum((x W^T + b) * G)`` for the dense layer (8.1); the definitions of the
central difference and of the relative error, worked by the checker (8.2);
the exact derivative of tanh, ``1 / cosh(x)^2`` (8.3); a plain loop that adds
each window's gradient at its largest input (8.4); and the curvature of the
least-squares loss, ``2 mean(x^2)`` (8.5).
"""

from __future__ import annotations

import numpy as np

from ._answers import as_answer_array, as_number, close, mismatches, shown_apart
from ._feedback import NotYet, call_learner, exercise, safe_repr
from ._shortcuts import Shortcuts
from .ex08_gradients import _central_differences, check_8_2, check_8_3

__all__ = ["check_8_1", "check_8_2", "check_8_3", "check_8_4", "check_8_5"]

# Exercise 8.1: (N, D, K) of each test batch. The first has a square W (K = D), so that W and W.T, dW and its
# transpose, have the same shape and only their values tell them apart; the last is a batch of one.
SHAPES_8_1 = ((4, 3, 3), (3, 5, 2), (1, 4, 3))

# Exercise 8.4: (H, W, size, stride) of each test; the first two overlap, the third tiles, the last leaves a row
# and a column out.
CASES_8_4 = ((7, 7, 3, 2), (4, 5, 2, 1), (6, 4, 2, 2), (8, 8, 3, 2))

# Exercise 8.5: the toy's x, measured 50 times larger.
X_8_5 = np.array([50.0, 100.0, 150.0, 200.0])


# ---------------------------------------------------------------- 8.1 the dense layer's backward pass


def _dense_case(number, n, d, k):
    rng = np.random.default_rng(81 + number)
    return rng.standard_normal((n, d)), rng.standard_normal((k, d)), rng.standard_normal((n, k))


def _dense_reference(x, w, g):
    """(dx, dW, db) by central differences of L = sum((x W^T + b) * g), with b = 0."""

    def loss(x_, w_, b_):
        return float(((x_ @ w_.T + b_) * g).sum())

    b = np.zeros(w.shape[0])
    return (
        _central_differences(lambda v: loss(v, w, b), x, 1e-6),
        _central_differences(lambda v: loss(x, v, b), w, 1e-6),
        _central_differences(lambda v: loss(x, w, v), b, 1e-6),
    )


def _three_arrays(returned, call):
    if returned is None:
        raise NotYet(f"{call} returned None: end your function with `return dx, dW, db`")
    if not isinstance(returned, (tuple, list)) or len(returned) != 3:
        raise NotYet(f"{call} should return three arrays, `return dx, dW, db`; got {safe_repr(returned)}")
    return returned


def _dense_shape_hints(n, d, k):
    """Likely wrong shapes of dx, dW and db, and what each one says."""
    dx = {(n, k): ". That is the shape of the output: the input's gradient has the input's shape (N, D)"}
    dw = {(d, k): ". That is W transposed: dW has W's shape (K, D), and x.T @ g is its transpose"}
    db = {
        (n, k): ". You did not add db up over the batch: b is added to every example, so its gradient sums them",
        (1, k): ". b has the shape (K,): sum without keepdims, or db would change b's shape in the update",
        (): ". You added up everything: sum over the batch axis only, one number per output",
        (n,): ". You summed over the wrong axis: one number per output k, summed over the examples",
    }
    return dx, dw, db


def _dense_values(got, expected, x, w, g, call):
    """Name the mistake when one of dx, dW, db has the right shape but wrong values."""
    dx, dw, db = got
    n = x.shape[0]
    candidates = (
        (dx, expected[0], "dx", {"g @ W.T": g @ w.T, "g @ W / N": g @ w / n}),
        (dw, expected[1], "dW", {"x.T @ g": x.T @ g, "g.T @ x / N": g.T @ x / n}),
        (db, expected[2], "db", {"the mean of g": g.mean(axis=0)}),
    )
    why = {
        "g @ W.T": "dx uses W.T; W is stored (K, D) and x_nd meets W_kd in every output k, so dx_nd = sum_k g_nk W_kd",
        "g @ W / N": "dx is divided by N: the mean of the loss is already inside g, keep the plain sum over k",
        "x.T @ g": "dW is transposed: dW_kd = sum_n g_nk x_nd has W's layout (K, D)",
        "g.T @ x / N": "dW is averaged over the batch: sum it; the 1/N of the mean loss is already inside g",
        "the mean of g": "db is averaged over the batch: sum it; the 1/N of the mean loss is already inside g",
    }
    for value, right, name, wrong_ones in candidates:
        if not mismatches(value, right, atol=1e-6):
            continue
        for label, wrong in wrong_ones.items():
            if wrong.shape == right.shape and not mismatches(value, wrong, atol=1e-6):
                raise NotYet(f"{call}: {why[label]}")
        index = mismatches(value, right, atol=1e-6)[0]
        raise NotYet(
            f"{call}: {name}{list(index)} is {value[index]:.4g}, but nudging that number and measuring the "
            f"loss gives {right[index]:.4g}. Write {name}'s entry as a sum over the entries that it meets"
        )


@exercise(
    "8.1",
    hints=(
        "Start from one entry: z_nk = sum_d W_kd x_nd + b_k. Ask, for each of x_nd, W_kd and b_k, in which "
        "outputs z_nk it appears and with which factor; the chain rule adds g_nk times that factor over those "
        "outputs.",
        "W_kd appears in z_nk for every example n (factor x_nd), b_k for every n (factor 1), x_nd in every "
        "output k (factor W_kd). Each sum then is a matrix product or a sum along one axis.",
        "Let the shapes decide the order of each product: dx has x's shape (N, D) and comes from g (N, K) and "
        "W (K, D); dW has W's shape (K, D) and comes from g and x; db has b's shape (K,). No 1/N anywhere.",
    ),
    forbids=Shortcuts(
        "cnnlib.layers.Dense",
        "cnnlib.gradcheck.numerical_gradient",
        "cnnlib.gradcheck.check_layer",
        instead="derive the three sums and write them with numpy",
    ),
)
def check_8_1(dense_backward):
    """Exercise 8.1: ``dense_backward(x, W, grad_out)`` returns ``(dx, dW, db)`` for ``out = x @ W.T + b``."""
    for number, (n, d, k) in enumerate(SHAPES_8_1):
        x, w, g = _dense_case(number, n, d, k)
        given = (x.copy(), w.copy(), g.copy())
        call = f"dense_backward(x, W, grad_out) with x {x.shape}, W {w.shape}"
        returned = _three_arrays(call_learner(dense_backward, *given, name="dense_backward"), call)
        if not all(np.array_equal(a, b) for a, b in zip(given, (x, w, g), strict=True)):
            raise NotYet(f"{call} changed its inputs in place: compute new arrays and return them")
        hints = _dense_shape_hints(n, d, k)
        shapes = ((n, d), (k, d), (k,))
        got = [
            as_answer_array(value, f"{name} of {call}", shape=shape, hint=lambda s, h=hint: h.get(s))
            for value, name, shape, hint in zip(returned, ("dx", "dW", "db"), shapes, hints, strict=True)
        ]
        expected = _dense_reference(x, w, g)
        if any(mismatches(a, b, atol=1e-6, like=r) for a, b, r in zip(got, expected, returned, strict=True)):
            _dense_values(got, expected, x, w, g, call)


# ---------------------------------------------------------------- 8.4 max pooling with overlapping windows


def _pool_case(number, h, w):
    """A seeded (H, W) input without ties, its largest value at (2, 2), which windows starting at rows and columns
    0 and 2 share: in the first test one input wins four windows."""
    rng = np.random.default_rng(84 + number)
    x = rng.permutation(h * w).reshape(h, w).astype(np.float64) / 4
    x[2, 2] = h * w
    return x


def _max_pool_backward(x, g, size, stride, *, step=None, overwrite=False):
    """The reference: every window adds its upstream gradient at its largest input.

    ``step`` (default ``stride``) places window (i, j) at row i * step: ``step=size`` is the tiled
    placement a learner carries over from non-overlapping pooling. ``overwrite=True`` assigns instead of
    adding. Both give the wrong answers the checker recognises.
    """
    step = stride if step is None else step
    grad = np.zeros_like(x)
    for i, j in np.ndindex(g.shape):
        window = x[i * step : i * step + size, j * step : j * step + size]
        if window.size == 0:  # a tiled window wholly off the map (a partial one counts, as numpy slices it)
            continue
        a, b = np.unravel_index(np.argmax(window), window.shape)
        if overwrite:
            grad[i * step + a, j * step + b] = g[i, j]
        else:
            grad[i * step + a, j * step + b] += g[i, j]
    return grad


@exercise(
    "8.4",
    hints=(
        "Nothing changes inside one window: its gradient still goes to its largest input only. What is new is "
        "that one input can lie in several windows, and win in more than one of them.",
        "If an input wins two windows, it reaches the loss along two paths, and the chain rule adds the two "
        "contributions. So accumulate: add each window's gradient into the result, never overwrite.",
        "Start from zeros of x's shape. For every output position (i, j), the window is x[i*stride : "
        "i*stride + size, j*stride : j*stride + size]; find its largest entry (np.argmax and np.unravel_index), "
        "and add grad_out[i, j] at that position, offset by the window's corner.",
    ),
    forbids=Shortcuts(
        "cnnlib.layers.MaxPool2D",
        "cnnlib.gradcheck.numerical_gradient",
        instead="loop over the windows and add each gradient yourself",
    ),
)
def check_8_4(max_pool_backward):
    """Exercise 8.4: ``max_pool_backward(x, grad_out, size, stride)``, windows that may overlap, on (H, W)."""
    for number, (h, w, size, stride) in enumerate(CASES_8_4):
        x = _pool_case(number, h, w)
        out_shape = ((h - size) // stride + 1, (w - size) // stride + 1)
        g = np.random.default_rng(840 + number).standard_normal(out_shape)
        x_in, g_in = x.copy(), g.copy()
        call = f"max_pool_backward(x, grad_out, size={size}, stride={stride}) for x of shape {x.shape}"
        returned = call_learner(max_pool_backward, x_in, g_in, size, stride, name="max_pool_backward")
        if not (np.array_equal(x_in, x) and np.array_equal(g_in, g)):
            raise NotYet(f"{call} changed its inputs in place: start from an array of zeros and return it")
        shape_hint = {out_shape: ". That is the pooled output's shape: the gradient has the input's shape"}.get
        got = as_answer_array(returned, call, shape=x.shape, hint=shape_hint, if_none="returned None: forgot `return`?")
        expected = _max_pool_backward(x, g, size, stride)
        wrong = mismatches(got, expected, atol=1e-9, like=returned)
        if not wrong:
            continue
        wins = np.rint(_max_pool_backward(x, np.ones(out_shape), size, stride)).astype(int)  # windows won
        r, c = wrong[0]
        where = f"{call}: at x[{r}, {c}]"
        if size != stride and np.allclose(got, _max_pool_backward(x, g, size, stride, step=size), atol=1e-9):
            raise NotYet(
                f"{call}: the window of output (i, j) starts at row i·stride and column j·stride, here "
                f"i·{stride}, not i·size (i·{size}): with a stride smaller than the window, windows overlap"
            )
        if np.allclose(got, _max_pool_backward(x, g, size, stride, overwrite=True), atol=1e-9):
            raise NotYet(
                f"{where}, the largest input of {wins[r, c]} overlapping windows, your gradient is {got[r, c]:.4g}, "
                "the last window's only. It reaches the loss through each of them: add their gradients (+=), do "
                "not overwrite"
            )
        if wins[r, c] == 0:
            raise NotYet(
                f"{where} your gradient is {got[r, c]:.4g}, but x[{r}, {c}] is the largest of no window: 0. Each "
                "window's gradient goes to its largest input, at that input's place in x (the window's corner "
                "plus the place inside the window)"
            )
        if wins[r, c] > 1:
            raise NotYet(
                f"{where}, the largest input of {wins[r, c]} overlapping windows, your gradient is {got[r, c]:.4g}, "
                f"but it should be {expected[r, c]:.4g}: the sum of the upstream gradients of all the windows it "
                "wins, each counted once"
            )
        raise NotYet(
            f"{where}, the largest input of one window, your gradient is {got[r, c]:.4g}: it gets that window's "
            "upstream gradient, unchanged"
        )


# ---------------------------------------------------------------- 8.5 the largest learning rate, predicted


@exercise(
    "8.5",
    hints=(
        "The toy section's factor came from the curvature of L(w): with a = mean(x^2), one step multiplies the "
        "distance to the best w by (1 - 2 a η). Only x enters a; the y values do not.",
        "Work out a for the new x; x 50 times larger makes x^2, and so a, how many times larger?",
        "The distance shrinks while |1 - 2 a η| < 1, that is 0 < η < 2 / (2a). The edge is where 1 - 2 a η "
        "= -1. Compute it with Python rather than rounding.",
    ),
)
def check_8_5(largest_rate):
    """Exercise 8.5: the learning rate at which gradient descent on the scaled toy stops converging."""
    given = largest_rate
    rate = as_number(largest_rate, "`largest_rate`", squeeze=True, if_none="is None: replace None with your rate")
    curvature = 2 * float(np.mean(X_8_5**2))  # L''(w) = 2 mean(x^2)
    edge = 2 / curvature
    if close(rate, edge, rtol=1e-9, atol=0, like=given):
        return
    if rate <= 0:
        raise NotYet(f"`largest_rate` = {rate:g}: a learning rate is a positive step size")
    mistakes = {
        2 / 15: "that is the edge for the notebook's x = 1, 2, 3, 4: with x 50 times larger the loss curves more",
        2 / 15 / 50: "you scaled the edge down by 50, but the curvature mean(x^2) grows with the square of x",
        1 / curvature: "that rate lands on the best w in one step (1 - 2aη = 0); the edge is where the factor is -1",
        4 / curvature: "you left out the 2 of the derivative: dL/dw = 2 mean((w x - y) x), L'' = 2 mean(x^2)",
        2 / (curvature * len(X_8_5)): "you used the sum of x^2 where the loss has the mean",
    }
    for value, why in mistakes.items():
        if close(rate, value, rtol=1e-3, atol=0):
            raise NotYet(f"`largest_rate` = {rate:.4g}: {why}")
    if close(rate, edge, rtol=1e-2, atol=0):
        shown, _ = shown_apart(rate, edge)
        raise NotYet(f"`largest_rate` = {shown} is close but rounded: compute it exactly, from the formula")
    raise NotYet(
        f"`largest_rate` = {rate:.4g} is not where converging turns into diverging for this x: work out "
        "a = mean(x^2) for the new x, then the η at which the factor (1 - 2aη) reaches -1"
    )
