"""cnnlib.toy_regression: the loss and the descent path of the one-weight toy, against closed forms."""

import numpy as np
import pytest

from cnnlib.toy_regression import toy_descent_path, toy_loss

X, Y = np.array([1.0, 2.0, 3.0, 4.0]), np.array([2.1, 3.9, 6.2, 7.8])  # the notebook's toy
BEST = 59.7 / 30.0  # sum(x y) / sum(x^2)
CURVATURE = 15.0  # L'' = 2 mean(x^2)


def test_toy_loss_by_hand_and_over_an_array_of_weights():
    # w = 2: residuals 2-2.1, 4-3.9, 6-6.2, 8-7.8 = -0.1, 0.1, -0.2, 0.2 -> mean of squares 0.025
    assert toy_loss(X, Y, 2.0) == pytest.approx(0.025)
    assert toy_loss(X, Y, 0.0) == pytest.approx(np.mean(Y**2))
    assert toy_loss(X, Y, np.zeros((3, 2))).shape == (3, 2)


@pytest.mark.parametrize("lr", [0.001, 0.03, 1 / 15, 0.12, 0.14])
def test_descent_path_follows_the_closed_form(lr):
    # each step multiplies the distance to the best w by (1 - L'' lr)
    path = toy_descent_path(X, Y, 0.0, lr, 12)
    expected = BEST + (0.0 - BEST) * (1 - CURVATURE * lr) ** np.arange(13)
    np.testing.assert_allclose(path, expected, rtol=1e-9, atol=1e-12)


def test_descent_path_by_hand_and_its_edges():
    np.testing.assert_allclose(toy_descent_path([1.0, 2.0], [2.0, 4.0], 0.0, 0.1, 2), [0.0, 1.0, 1.5])
    np.testing.assert_array_equal(toy_descent_path(X, Y, 0.5, 0.05, 0), [0.5])
    blown = toy_descent_path(X, Y, 0.0, 1.0, 30)  # factor -14 per step
    assert np.isfinite(blown[:6]).all() and np.isnan(blown[-1])
    assert np.nanmax(np.abs(blown)) > 1e6


@pytest.mark.parametrize(
    ("call", "error", "says"),
    [
        (lambda: toy_descent_path(X, Y[:3], 0.0, 0.1, 5), ValueError, "one length"),
        (lambda: toy_descent_path(X, Y, 0.0, float("nan"), 5), ValueError, "`lr` must be a finite number"),
        (lambda: toy_descent_path(X, Y, "0", 0.1, 5), TypeError, "`w0`"),
        (lambda: toy_descent_path(X, Y, 0.0, 0.1, -1), ValueError, "steps"),
        (lambda: toy_descent_path(np.zeros(4), Y, 0.0, 0.1, 5), ValueError, "all zeros"),
        (lambda: toy_loss(None, Y, 1.0), TypeError, "`x`"),
    ],
)
def test_toy_bad_input_is_named(call, error, says):
    with pytest.raises(error, match=says):
        call()
