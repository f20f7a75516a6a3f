"""The numerical gradient every backward pass is checked against (central differences)."""

import numpy as np


def numerical_gradient(f, x, eps=1e-6):
    """Central differences of the scalar f() with respect to every element of x (changed in place)."""
    grad = np.zeros_like(x)
    for index in np.ndindex(x.shape):
        keep = x[index]
        x[index] = keep + eps
        up = f()
        x[index] = keep - eps
        down = f()
        x[index] = keep
        grad[index] = (up - down) / (2 * eps)
    return grad
