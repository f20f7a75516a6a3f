"""Exercises of notebook 08: right answers accepted, wrong ones explained without the answer."""

import json
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest
from gradient_check import numerical_gradient as reference_gradient
from helpers_exercises import BrokenRepr, assert_correct, assert_not_yet, raises_not_implemented

import cnnlib
from cnnlib import exercises, gradcheck
from cnnlib.layers import Dense, MaxPool2D

NOTEBOOK = Path(__file__).resolve().parent.parent / "notebooks" / "08_learning.ipynb"


# Exercise 8.1: the dense layer's backward pass --------------------------------------------------------------
# z[n, k] = sum_d W[k, d] x[n, d] + b[k]: W[k, d] meets x[n, d] in every example, b[k] is added in every example,
# x[n, d] feeds every output k with the factor W[k, d].
def dense_backward(x, w, g):
    return g @ w, g.T @ x, g.sum(axis=0)


def dense_backward_loops(x, w, g):
    """The same sums written out entry by entry, returned as lists."""
    n, d = np.shape(x)
    k = np.shape(w)[0]
    dx = [[sum(g[i][o] * w[o][j] for o in range(k)) for j in range(d)] for i in range(n)]
    dw = [[sum(g[i][o] * x[i][j] for i in range(n)) for j in range(d)] for o in range(k)]
    db = [sum(g[i][o] for i in range(n)) for o in range(k)]
    return dx, dw, db


def test_the_hand_derived_dense_gradients_agree_with_central_differences_and_cnnlib():
    rng = np.random.default_rng(1)
    x, w, b, g = rng.normal(size=(3, 4)), rng.normal(size=(2, 4)), rng.normal(size=2), rng.normal(size=(3, 2))
    layer = Dense(4, 2)
    layer.params["w"], layer.params["b"] = w, b
    layer.forward(x)
    dx_layer = layer.backward(g)
    dx, dw, db = dense_backward(x, w, g)
    np.testing.assert_allclose(dx, dx_layer)
    np.testing.assert_allclose(dw, layer.grads["w"])
    np.testing.assert_allclose(db, layer.grads["b"])

    def loss():
        return float(((x @ w.T + b) * g).sum())

    for exact, array in ((dx, x), (dw, w), (db, b)):
        np.testing.assert_allclose(exact, reference_gradient(loss, array), atol=1e-7)


@pytest.mark.parametrize(
    "answer",
    [
        dense_backward,
        dense_backward_loops,
        lambda x, w, g: [a.astype(np.float32) for a in dense_backward(x, w, g)],  # a list, float32
        lambda x, w, g: (np.einsum("nk,kd->nd", g, w), np.einsum("nk,nd->kd", g, x), np.einsum("nk->k", g)),
        lambda x, w, g: ((w.T @ g.T).T, (x.T @ g).T, np.ones(len(x)) @ g),
    ],
)
def test_8_1_accepts_every_right_dense_backward(answer):
    assert_correct(exercises.check_8_1, answer)


def in_place(x, w, g):
    g *= 1.0
    x[0, 0] = 0.0
    return dense_backward(x, w, g)


@pytest.mark.parametrize(
    ("answer", "says"),
    [
        (raises_not_implemented, "replace `raise NotImplementedError()`"),
        (lambda x, w, g: None, "returned None: end your function with `return dx, dW, db`"),
        (lambda x, w, g: g @ w, "should return three arrays"),
        (lambda x, w, g: (g @ w, g.T @ x), "should return three arrays, `return dx, dW, db`"),  # db forgotten
        (lambda x, w, g: {"dx": g @ w}, "should return three arrays"),
        (lambda x, w, g: (g @ w, (g.T @ x).T, g.sum(axis=0)), "dW is transposed"),  # x.T @ g, W square first
        (lambda x, w, g: (g @ w.T, g.T @ x, g.sum(axis=0)), "dx uses W.T"),
        (lambda x, w, g: (g @ w, g.T @ x, g), "You did not add db up over the batch"),
        (lambda x, w, g: (g @ w, g.T @ x, g.sum(axis=0, keepdims=True)), "b has the shape (K,)"),
        (lambda x, w, g: (g @ w, g.T @ x, g.sum()), "You added up everything"),
        (lambda x, w, g: (g @ w, g.T @ x, g.sum(axis=1)), "You summed over the wrong axis"),
        (lambda x, w, g: (g @ w, g.T @ x, g.mean(axis=0)), "db is averaged over the batch"),
        (lambda x, w, g: (g @ w, g.T @ x / len(x), g.sum(axis=0)), "dW is averaged over the batch"),
        (lambda x, w, g: (g @ w / len(x), g.T @ x, g.sum(axis=0)), "dx is divided by N"),
        (lambda x, w, g: (g @ w, g.T @ x, np.zeros(len(w))), "db[0] is 0, but nudging that number"),
        (lambda x, w, g: (g, g.T @ x, g.sum(axis=0)), "dx[0, 0] is"),  # square W: g has the shape of x, not its values
        (lambda x, w, g: (x, w, g.sum(axis=0)), "dx[0, 0] is"),  # the forward inputs returned
        (lambda x, w, g: (g @ w, g.T @ x * np.nan, g.sum(axis=0)), "NaN"),
        (lambda x, w, g: (g @ w, "dW", g.sum(axis=0)), "got the text 'dW'"),
        (in_place, "changed its inputs in place"),
        (np.ones(3), "expected a function"),
    ],
)
def test_8_1_wrong_dense_backwards_are_named(answer, says):
    assert_not_yet(exercises.check_8_1, answer, says)


def test_8_1_names_a_transposed_dw_and_an_output_shaped_dx_by_their_shape_when_w_is_not_square():
    def transposed_unless_square(x, w, g):
        dx, dw, db = dense_backward(x, w, g)
        return dx, (dw.T if dw.shape[0] != dw.shape[1] else dw), db

    assert_not_yet(exercises.check_8_1, transposed_unless_square, "got shape (5, 2). That is W transposed")
    assert_not_yet(
        exercises.check_8_1,
        lambda x, w, g: (g @ w if w.shape[0] == w.shape[1] else g, g.T @ x, g.sum(axis=0)),
        "got shape (3, 2). That is the shape of the output",
    )


def with_the_layer(x, w, g):
    layer = Dense(w.shape[1], w.shape[0])
    layer.params["w"] = w
    layer.forward(x)
    dx = layer.backward(g)
    return dx, layer.grads["w"], layer.grads["b"]


def by_numerical_gradients(x, w, g):
    """The derivation skipped: cnnlib's central differences of L = sum(dense(x, w, 0) * g), nudging x and w in place."""

    def loss(_):
        return float(np.sum(cnnlib.dense(x, w, np.zeros(len(w))) * g))

    return gradcheck.numerical_gradient(loss, x), gradcheck.numerical_gradient(loss, w), g.sum(axis=0)


def test_8_1_switches_cnnlibs_numerical_gradient_off():
    assert_not_yet(exercises.check_8_1, by_numerical_gradients, "uses cnnlib.gradcheck.numerical_gradient")


def test_8_1_switches_dense_off_and_says_so():
    assert_not_yet(exercises.check_8_1, with_the_layer, "dense_backward uses cnnlib.layers.Dense, which this")
    assert exercises.check_8_1.forbids is not None
    assert Dense(2, 1).forward(np.ones((1, 2))).shape == (1, 1), "put back after the check"


def test_8_1_tries_a_square_w_first_and_a_batch_of_one():
    shapes = exercises.ex08.SHAPES_8_1
    n, d, k = shapes[0]
    assert d == k and n != d, "W square, and N unlike D, so that mixing up N shows by shape"
    assert any(d != k for _, d, k in shapes) and any(n == 1 for n, _, _ in shapes)


# Exercise 8.2: numerical_gradient and relative_error -----------------------------------------------------------
def numerical_gradient(f, x, h=1e-5):
    grad = np.zeros_like(x)
    for index in np.ndindex(x.shape):
        kept = x[index]
        x[index] = kept + h
        up = f(x)
        x[index] = kept - h
        down = f(x)
        x[index] = kept
        grad[index] = (up - down) / (2 * h)
    return grad


def numerical_gradient_with_copies(f, x, h=1e-5):
    """Right too: nudges copies, never x itself, and walks the flat entries."""
    flat = x.ravel()
    grad = []
    for i in range(flat.size):
        step = np.zeros(flat.size)
        step[i] = h
        grad.append((f((flat + step).reshape(x.shape)) - f((flat - step).reshape(x.shape))) / (2 * h))
    return np.array(grad).reshape(x.shape)


def numerical_gradient_add_and_subtract(f, x, h=1e-5):
    """Right too: x[i] += h, then -= 2h, then += h; restores x up to rounding in the last bit."""
    grad = np.zeros_like(x)
    it = np.nditer(x, flags=["multi_index"])
    for _ in it:
        i = it.multi_index
        x[i] += h
        up = f(x)
        x[i] -= 2 * h
        down = f(x)
        x[i] += h
        grad[i] = (up - down) / (2 * h)
    return grad


def relative_error(a, n):
    return np.abs(a - n).max() / (np.abs(a) + np.abs(n)).max()


@pytest.mark.parametrize(
    ("gradient", "error"),
    [
        (numerical_gradient, relative_error),
        (numerical_gradient_with_copies, relative_error),
        (numerical_gradient_add_and_subtract, relative_error),
        (numerical_gradient, lambda a, n: np.float32(relative_error(a, n))),
        (numerical_gradient, lambda a, n: np.array([relative_error(a, n)])),  # a list or array of one number
        (numerical_gradient, lambda a, n: float(np.max(np.abs(a - n)) / np.max(np.abs(a) + np.abs(n)))),
        (lambda f, x, h=1e-5: numerical_gradient(f, x, h).tolist(), relative_error),
    ],
)
def test_8_2_accepts_every_right_pair(gradient, error):
    assert_correct(exercises.check_8_2, gradient, error)


def test_the_relative_error_cases_are_worked_by_hand():
    # [2, 1e-3] vs [2, 2e-3]: max |a - n| = 1e-3, max(|a| + |n|) = 4, so 2.5e-4; entry by entry the largest is 1/3.
    # [3, 0] vs [0, 3]: 3 / 3 = 1; max|a| + max|n| would give 3 / 6.
    a, n = exercises.ex08_gradients._ERROR_CASES[0]
    assert relative_error(a, n) == pytest.approx(2.5e-4) and np.max(np.abs(a - n) / (np.abs(a) + np.abs(n))) > 0.3
    a, n = exercises.ex08_gradients._ERROR_CASES[1]
    assert relative_error(a, n) == 1.0


def one_sided(f, x, h=1e-5):
    grad = np.zeros_like(x)
    for i in np.ndindex(x.shape):
        kept = x[i]
        base = f(x)
        x[i] = kept + h
        grad[i] = (f(x) - base) / h
        x[i] = kept
    return grad


def not_restored(f, x, h=1e-5):
    grad = np.zeros_like(x)
    for i in np.ndindex(x.shape):
        x[i] += h
        up = f(x)
        x[i] -= 2 * h
        grad[i] = (up - f(x)) / (2 * h)
    return grad


def first_axis_only(f, x, h=1e-5):
    grad = np.zeros_like(x)
    for i in range(len(x)):
        kept = x[i].copy()
        x[i] = kept + h
        up = f(x)
        x[i] = kept - h
        down = f(x)
        x[i] = kept
        grad[i] = (up - down) / (2 * h)
    return grad


def no_argument(f, x, h=1e-5):
    return numerical_gradient(lambda _: f(), x, h)  # the notebook's f() without an argument


R = relative_error


@pytest.mark.parametrize(
    ("gradient", "error", "says"),
    [
        (raises_not_implemented, R, "numerical_gradient still raises NotImplementedError"),
        (numerical_gradient, raises_not_implemented, "relative_error still raises NotImplementedError"),
        (numerical_gradient, None, "pass both functions: check_8_2(numerical_gradient, relative_error)"),
        (one_sided, R, "takes a one-sided difference"),
        (lambda f, x, h=1e-5: 2 * numerical_gradient(f, x, h), R, "is twice the gradient: the two points are 2h"),
        (
            lambda f, x, h=1e-5: numerical_gradient(f, x.astype(np.float32), np.float32(h)),
            R,
            "returned float32: in it, f(x + h) and f(x - h) differ only in their last few digits",
        ),
        (lambda f, x, h=1e-5: numerical_gradient(f, x), R, "gives the gradient for a tiny step, not for h = 1e-2"),
        (lambda f, x, h=1e-5: numerical_gradient(f, x, 1e-6), R, "use the step h it is given"),
        (not_restored, R, "did not restore x: afterwards x[0] is off by -1e-05"),
        (first_axis_only, R, "for x of shape (3, 4): entry [0, 0]"),
        (no_argument, R, "raised TypeError"),
        (lambda f, x, h=1e-5: None, R, "returned None: did you forget `return`?"),
        (lambda f, x, h=1e-5: f(x), R, "expected an array of shape (5,), got shape ()"),
        (numerical_gradient, lambda a, n: np.max(np.abs(a - n) / (np.abs(a) + np.abs(n))), "ratio entry by entry"),
        (numerical_gradient, lambda a, n: np.abs(a - n).max() / (np.abs(a).max() + np.abs(n).max()), "max|a| + max|n|"),
        (numerical_gradient, lambda a, n: np.max(a - n) / np.max(np.abs(a) + np.abs(n)), "left out the absolute"),
        (numerical_gradient, lambda a, n: np.mean(np.abs(a - n)) / np.mean(np.abs(a) + np.abs(n)), "took means"),
        (numerical_gradient, lambda a, n: np.abs(a - n).max(), "returned the absolute error"),
        (
            numerical_gradient,
            lambda a, n: abs(np.abs(a).max() - np.abs(n).max()) / np.max(np.abs(a) + np.abs(n)),
            "difference of the largest sizes, |max|a| - max|n||",
        ),
        (numerical_gradient, lambda a, n: np.abs(a - n).max() / np.abs(a + n).max(), "divided by max|a + n|"),
        (numerical_gradient, lambda a, n: np.abs(a - n).sum() / (np.abs(a) + np.abs(n)).sum(), "means (or sums)"),
        (numerical_gradient, lambda a, n: np.abs(a - n) / (np.abs(a) + np.abs(n)), "should be one number"),
        (numerical_gradient, lambda a, n: np.abs(a - n).max() / np.abs(a).max(), "but max|a - n| / max(|a| + |n|)"),
        (numerical_gradient, lambda a, n: str(R(a, n)), "should be one number"),
        (numerical_gradient, lambda a, n: a.sort(), "changed its inputs in place"),
        ("numerical_gradient", R, "expected a function"),
    ],
)
def test_8_2_wrong_functions_are_named(gradient, error, says):
    assert_not_yet(exercises.check_8_2, gradient, says, more=(error,))


# Exercise 8.3: the gradient check used on two tanh backward passes -----------------------------------------------
def notebook_cell(start):
    """The source of the code cell of notebook 08 that starts with ``start``."""
    cells = json.loads(NOTEBOOK.read_text(encoding="utf-8"))["cells"]
    (found,) = ["".join(c["source"]) for c in cells if "".join(c["source"]).startswith(start)]
    return found


def notebook_tanh():
    """The two backward passes, x_tanh and g_tanh as the notebook defines them."""
    namespace = {"np": np}
    exec(notebook_cell("def tanh_backward_a"), namespace)
    return namespace


def test_8_3_the_checker_uses_the_notebooks_layer_and_numbers():
    namespace = notebook_tanh()
    x, g = exercises.ex08_gradients.tanh_case()
    np.testing.assert_array_equal(namespace["x_tanh"], x)
    np.testing.assert_array_equal(namespace["g_tanh"], g)
    for key, value in exercises.ex08_gradients._candidates(x, g).items():
        np.testing.assert_array_equal(namespace[f"tanh_backward_{key}"](x, g), value)


def errors_as_a_learner_finds_them(loss_g=None, error=relative_error, backward_g=None):
    ns = notebook_tanh()
    x, g = ns["x_tanh"], (ns["g_tanh"] if backward_g is None else np.full((3, 4), backward_g))
    weights = ns["g_tanh"] if loss_g is None else loss_g
    reference = numerical_gradient(lambda v: np.sum(np.tanh(v) * weights), x.copy())
    return tuple(error(ns[f"tanh_backward_{key}"](x, g), reference) for key in "ab")


def b_as_the_reference():
    """The errors of a learner who skips the numerical gradient and takes b's output as the truth."""
    ns = notebook_tanh()
    x, g = ns["x_tanh"], ns["g_tanh"]
    truth = ns["tanh_backward_b"](x, g)
    return tuple(relative_error(ns[f"tanh_backward_{key}"](x, g), truth) for key in "ab")


def test_8_3_the_wrong_backward_is_a_and_its_error_is_large():
    # d tanh(x)/dx = 1 - tanh(x)^2 = 1 / cosh(x)^2: b is right; a computes 1 - tanh(x^2).
    error_a, error_b = errors_as_a_learner_finds_them()
    assert error_a > 0.1 and error_b < 1e-9


@pytest.mark.parametrize(
    ("errors", "wrong_one"),
    [
        (errors_as_a_learner_finds_them(), "a"),
        (list(errors_as_a_learner_finds_them()), "A"),
        (np.array(errors_as_a_learner_finds_them(), dtype=np.float32), " a "),
        (tuple(np.array([e]) for e in errors_as_a_learner_finds_them()), "tanh_backward_a"),
        (errors_as_a_learner_finds_them(), notebook_tanh()["tanh_backward_a"]),  # the function itself
    ],
)
def test_8_3_accepts_the_errors_in_every_form(errors, wrong_one):
    assert_correct(exercises.check_8_3, errors, wrong_one)


@pytest.mark.parametrize(
    ("errors", "wrong_one", "says"),
    [
        (None, None, "`relative_errors` should be two numbers"),
        (0.14, "a", "`relative_errors` should be two numbers"),
        ((0.14, 1e-11, 0.0), "a", "`relative_errors` should be two numbers"),
        ((0.14, None), "a", "`relative_errors[1]` is None"),
        ((-0.14, 1e-11), "a", "a relative error is never negative"),
        (errors_as_a_learner_finds_them()[::-1], "b", "in the wrong order"),
        (errors_as_a_learner_finds_them(loss_g=1.0), "a", "the error of a, 1, is what a loss without g_tanh"),
        (
            errors_as_a_learner_finds_them(error=lambda a, n: np.max(np.abs(a - n) / (np.abs(a) + np.abs(n)))),
            "a",
            "is not what a gradient check of it gives",
        ),
        ((0.14, 1e-11), "a", "is not what a gradient check of it gives"),  # rounded: 4 digits wanted
        ((0.143, 1e-11), "a", "close to what a gradient check of it gives, but not to 4 digits"),
        ((0.1432, 1e-3), "a", "the error of b, 0.001, is larger than a gradient check"),
        (errors_as_a_learner_finds_them(loss_g=1.0, backward_g=1.0), "a", "a loss without g_tanh"),
        (errors_as_a_learner_finds_them(), "b", 'they say the other one is wrong, not "b"'),
        (errors_as_a_learner_finds_them(), None, '`wrong_one` should be "a" or "b"'),
        (errors_as_a_learner_finds_them(), "c", '`wrong_one` should be "a" or "b"'),
        ("0.14, 1e-11", "a", "`relative_errors` should be two numbers"),
        ((float("nan"), 1e-11), "a", "finite number"),
        # no numerical gradient at all: b's output compared with b's own formula, or a's with b's
        ((errors_as_a_learner_finds_them()[0], 0), "a", "the error of b, 0, is smaller than any gradient check"),
        (b_as_the_reference(), "a", "not with a formula or with itself"),
        ((errors_as_a_learner_finds_them()[0], 5e-15), "a", "smaller than any gradient check gives"),
    ],
)
def test_8_3_wrong_errors_and_choices_are_named(errors, wrong_one, says):
    assert_not_yet(exercises.check_8_3, errors, says, more=(wrong_one,))


def test_8_3_messages_never_give_the_error_away():
    for errors in ((0.2, 1e-11), (0.14, 1e-11), errors_as_a_learner_finds_them(loss_g=1.0)):
        message = assert_not_yet(exercises.check_8_3, errors, more=("a",))
        assert "0.1432" not in message and "0.143" not in message


# Exercise 8.4: max pooling backward with overlapping windows ------------------------------------------------------
def max_pool_backward(x, g, size, stride):
    grad = np.zeros_like(x, dtype=float)
    for i, j in np.ndindex(np.shape(g)):
        window = x[i * stride : i * stride + size, j * stride : j * stride + size]
        a, b = np.unravel_index(np.argmax(window), window.shape)
        grad[i * stride + a, j * stride + b] += g[i][j]
    return grad


def max_pool_backward_by_mask(x, g, size, stride):
    """Right too: each window's gradient goes where the window equals its max (no ties in the tests), as lists."""
    grad = np.zeros(x.shape)
    for i, j in np.ndindex(g.shape):
        rows, cols = slice(i * stride, i * stride + size), slice(j * stride, j * stride + size)
        grad[rows, cols] += (x[rows, cols] == x[rows, cols].max()) * g[i, j]
    return grad.tolist()


def test_the_reference_loop_agrees_with_maxpool2d_on_overlapping_windows():
    rng = np.random.default_rng(4)
    x, g = rng.normal(size=(9, 7)), rng.normal(size=(4, 3))
    layer = MaxPool2D(3, stride=2)
    layer.forward(x[None, None])
    np.testing.assert_allclose(max_pool_backward(x, g, 3, 2), layer.backward(g[None, None])[0, 0])


def test_the_first_pooling_case_has_an_input_that_wins_four_windows():
    h, w, size, stride = exercises.ex08.CASES_8_4[0]
    x = exercises.ex08._pool_case(0, h, w)
    out = ((h - size) // stride + 1, (w - size) // stride + 1)
    assert max_pool_backward(x, np.ones(out), size, stride).max() == 4
    assert size > stride and len(np.unique(x)) == x.size, "overlapping windows, no ties"


@pytest.mark.parametrize(
    "answer",
    [
        max_pool_backward,
        max_pool_backward_by_mask,
        lambda x, g, size, stride: max_pool_backward(x, g, size, stride).astype(np.float32),
    ],
)
def test_8_4_accepts_every_right_backward(answer):
    assert_correct(exercises.check_8_4, answer)


def overwrites(x, g, size, stride):
    grad = np.zeros_like(x)
    for i, j in np.ndindex(g.shape):
        window = x[i * stride : i * stride + size, j * stride : j * stride + size]
        a, b = np.unravel_index(np.argmax(window), window.shape)
        grad[i * stride + a, j * stride + b] = g[i, j]  # = where += belongs
    return grad


def without_the_offset(x, g, size, stride):
    grad = np.zeros_like(x)
    for i, j in np.ndindex(g.shape):
        window = x[i * stride : i * stride + size, j * stride : j * stride + size]
        a, b = np.unravel_index(np.argmax(window), window.shape)
        grad[a, b] += g[i, j]  # the position inside the window, not in x
    return grad


def windows_at_multiples_of_the_size(x, g, size, stride):
    return max_pool_backward(x, g, size, size)[: x.shape[0], : x.shape[1]]


def with_maxpool2d(x, g, size, stride):
    layer = MaxPool2D(size, stride=stride)
    layer.forward(x[None, None])
    return layer.backward(g[None, None])[0, 0]


def shares_like_average(x, g, size, stride):
    grad = np.zeros_like(x)
    for i, j in np.ndindex(g.shape):
        grad[i * stride : i * stride + size, j * stride : j * stride + size] += g[i, j] / size**2
    return grad


def changes_grad_out(x, g, size, stride):
    result = max_pool_backward(x, g, size, stride)
    g[:] = 0
    return result


@pytest.mark.parametrize(
    ("answer", "says"),
    [
        (raises_not_implemented, "replace `raise NotImplementedError()`"),
        (lambda x, g, size, stride: None, "returned None: forgot `return`?"),
        (overwrites, "at x[2, 2], the largest input of 4 overlapping windows, your gradient is"),
        (overwrites, "the last window's only. It reaches the loss through each of them: add their gradients (+=)"),
        (without_the_offset, "at x[0, 0] your gradient is"),
        (without_the_offset, "is the largest of no window: 0"),
        (windows_at_multiples_of_the_size, "starts at row i·stride and column j·stride"),
        (lambda x, g, size, stride: -max_pool_backward(x, g, size, stride), "the sum of the upstream gradients"),
        (with_maxpool2d, "max_pool_backward uses cnnlib.layers.MaxPool2D, which this exercise forbids"),
        (
            lambda x, g, size, stride: gradcheck.numerical_gradient(
                lambda v: float(np.sum(cnnlib.max_pool2d(v, size, stride) * g)), x.copy()
            ),
            "uses cnnlib.gradcheck.numerical_gradient",
        ),
        (shares_like_average, "is the largest of no window"),
        (lambda x, g, size, stride: g, "expected an array of shape (7, 7), got shape (3, 3). That is the pooled"),
        (lambda x, g, size, stride: 2 * max_pool_backward(x, g, size, stride), "the largest input of 4"),
        (changes_grad_out, "changed its inputs in place"),
        (lambda x, g, size, stride: max_pool_backward(x, g, size, stride) * np.nan, "NaN"),
        (lambda x, g: x, "raised TypeError"),
        (None, "expected a function"),
    ],
)
def test_8_4_wrong_backwards_are_named(answer, says):
    assert_not_yet(exercises.check_8_4, answer, says)


def test_8_4_names_a_wrong_value_at_an_input_that_wins_one_window():
    def one_off(x, g, size, stride):
        grad = max_pool_backward(x, g, size, stride)
        if size == 2 and stride == 1:
            grad[grad != 0] = np.round(grad[grad != 0]) + 0.5
        return grad

    assert_not_yet(exercises.check_8_4, one_off, "the largest input of one window, your gradient is")


# Exercise 8.5: the largest learning rate for x 50 times larger ----------------------------------------------------
# L(w) = mean((w x - y)^2) has L'' = 2 mean(x^2); for x = 50, 100, 150, 200, mean(x^2) = 2,500 * 7.5 = 18,750.
# One step multiplies the distance to the best w by 1 - 2 * 18,750 * rate, which reaches -1 at rate = 1 / 18,750.
EDGE = 1 / 18750


def descent_converges(rate, steps=4000):
    x, y, w = 50 * np.array([1.0, 2.0, 3.0, 4.0]), np.array([2.1, 3.9, 6.2, 7.8]), 0.0
    best = float(x @ y / (x @ x))
    with np.errstate(all="ignore"):
        for _ in range(steps):
            w = w - rate * np.mean(2 * (w * x - y) * x)
    return abs(w - best) < 1e-6


def test_8_5_the_edge_worked_by_hand_is_where_descent_stops_converging():
    assert descent_converges(0.99 * EDGE) and not descent_converges(1.01 * EDGE)
    np.testing.assert_array_equal(exercises.ex08.X_8_5, 50 * np.array([1.0, 2.0, 3.0, 4.0]))


@pytest.mark.parametrize(
    "answer", [EDGE, 2 / (2 * 18750), Fraction(1, 18750), np.float64(EDGE), np.array(EDGE), [EDGE], np.float32(EDGE)]
)
def test_8_5_accepts_the_edge_in_every_form(answer):
    assert_correct(exercises.check_8_5, answer)


@pytest.mark.parametrize(
    ("answer", "says"),
    [
        (None, "replace None with your rate"),
        ("5.3e-5", "should be one number"),
        (True, "should be one number"),
        (BrokenRepr(), "should be one number"),
        (float("inf"), "finite number"),
        (-EDGE, "a learning rate is a positive step size"),
        (0, "a learning rate is a positive step size"),
        (2 / 15, "that is the edge for the notebook's x = 1, 2, 3, 4"),
        (2 / 15 / 50, "the curvature mean(x^2) grows with the square of x"),
        (EDGE / 2, "lands on the best w in one step"),
        (2 * EDGE, "you left out the 2 of the derivative"),
        (EDGE / 4, "you used the sum of x^2 where the loss has the mean"),
        (5.33e-5, "close but rounded"),
        (5.3333e-5, "close but rounded"),
        (0.05, "is not where converging turns into diverging for this x"),
        (4e-5, "is not where converging turns into diverging"),
        ([EDGE, EDGE], "should be one number"),
    ],
)
def test_8_5_wrong_rates_are_named(answer, says):
    assert_not_yet(exercises.check_8_5, answer, says)


def test_8_5_messages_never_give_the_edge_away():
    for wrong in (0.05, 4e-5, 7e-5, 2 / 15, 5.33e-5):
        message = assert_not_yet(exercises.check_8_5, wrong)
        for secret in ("18750", "18,750", "5.333e-05", "5.33333", "1/18750"):
            assert secret not in message
