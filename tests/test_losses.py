"""cnnlib.losses: softmax cross-entropy by its definition, against central differences and torch, stable."""

import numpy as np
import pytest
from gradient_check import numerical_gradient
from hypothesis import given
from hypothesis import strategies as st

import cnnlib
from cnnlib.losses import SoftmaxCrossEntropy


@given(st.integers(1, 4), st.integers(2, 6), st.integers(0, 2**16))
def test_softmax_cross_entropy_gradient(n, k, seed):
    rng = np.random.default_rng(seed)
    logits, labels = rng.standard_normal((n, k)) * 3, rng.integers(0, k, n)
    loss = SoftmaxCrossEntropy()
    value = loss.forward(logits, labels)
    p = cnnlib.softmax(logits)
    assert value == pytest.approx(-np.log(p[np.arange(n), labels]).mean())  # the definition
    numeric = numerical_gradient(lambda: SoftmaxCrossEntropy().forward(logits, labels), logits)
    np.testing.assert_allclose(loss.backward(), numeric, rtol=1e-5, atol=1e-7)


def test_softmax_cross_entropy_matches_torch_and_is_stable(torch):
    logits = np.array([[1000.0, 0.0, -1000.0], [3.0, 1.0, 0.2]])
    labels = np.array([1, 0])
    expected = torch.nn.functional.cross_entropy(torch.tensor(logits), torch.tensor(labels)).item()
    assert SoftmaxCrossEntropy().forward(logits, labels) == pytest.approx(expected)
