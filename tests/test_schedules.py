"""cnnlib.schedules: the one-cycle learning rate, step by step as PyTorch's OneCycleLR, and its use in fit."""

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from cnnlib.layers import Dense, Flatten
from cnnlib.training import SGD, OneCycle, Sequential, fit


def torch_one_cycle_rates(torch, max_lr, total_steps, **options):
    """The learning rate PyTorch's OneCycleLR gives each of ``total_steps`` optimizer steps."""
    parameter = torch.nn.Parameter(torch.zeros(1))
    optimizer = torch.optim.SGD([parameter], lr=max_lr)
    scheduler = torch.optim.lr_scheduler.OneCycleLR(
        optimizer, max_lr, total_steps=total_steps, anneal_strategy="cos", cycle_momentum=False, **options
    )
    rates = []
    for _ in range(total_steps):
        rates.append(optimizer.param_groups[0]["lr"])
        optimizer.step()
        scheduler.step()
    return rates


def test_one_cycle_by_hand():
    schedule = OneCycle(1.0, total_steps=11, pct_start=0.5, div_factor=4, final_div_factor=10)
    # rises from 1/4 to 1 over steps 0 to 4.5 (= 0.5 * 11 - 1), falls to 1/40 at step 10
    assert schedule(0) == pytest.approx(0.25)
    assert schedule(10) == pytest.approx(0.025)
    halfway_up = 1.0 + (0.25 - 1.0) / 2 * (math.cos(math.pi * 2 / 4.5) + 1)
    assert schedule(2) == pytest.approx(halfway_up)
    assert max(schedule(step) for step in range(11)) < 1.0  # the peak, step 4.5, falls between two steps


@given(
    st.floats(1e-4, 1.0),
    st.integers(20, 400),  # at least 2 steps of warm-up (PyTorch divides by zero with 1)
    st.floats(0.1, 0.9),
    st.floats(1.5, 100.0),
    st.floats(1.5, 1e5),
)
def test_one_cycle_gives_the_rates_of_torch_one_cycle_lr(torch, max_lr, total_steps, pct_start, div, final_div):
    options = {"pct_start": pct_start, "div_factor": div, "final_div_factor": final_div}
    schedule = OneCycle(max_lr, total_steps, **options)
    expected = torch_one_cycle_rates(torch, max_lr, total_steps, **options)
    np.testing.assert_allclose([schedule(step) for step in range(total_steps)], expected, rtol=1e-12)


def test_fit_sets_the_learning_rate_of_every_step():
    rng = np.random.default_rng(0)
    net = Sequential(Flatten(), Dense(4, 2, rng=rng))
    images, labels = rng.standard_normal((10, 1, 2, 2)), rng.integers(0, 2, 10)
    steps = []

    class Recording(SGD):
        def step(self):
            steps.append(self.lr)
            super().step()

    schedule = OneCycle(0.1, total_steps=2 * 4)  # 2 epochs of 4 batches (3 + 3 + 3 + 1 images)
    fit(net, images, labels, optimizer=Recording(net), epochs=2, batch_size=3, schedule=schedule, progress=False)
    assert steps == [schedule(step) for step in range(8)]


BAD = [
    (lambda: OneCycle(0, 10), ValueError, "`max_lr`"),
    (lambda: OneCycle(0.1, 1), ValueError, "`total_steps`"),
    (lambda: OneCycle(0.1, 10.0), TypeError, "`total_steps`"),
    (lambda: OneCycle(0.1, 10, pct_start=1.5), ValueError, "`pct_start`"),
    (lambda: OneCycle(0.1, 10, pct_start=0.05), ValueError, "at least one step"),
    (lambda: OneCycle(0.1, 10, div_factor=0), ValueError, "`div_factor`"),
    (lambda: OneCycle(0.1, 10)(10), ValueError, "below total_steps=10"),
    (lambda: OneCycle(0.1, 10)(-1), ValueError, "`step`"),
]


@pytest.mark.parametrize(("call", "error", "says"), BAD)
def test_bad_one_cycle_arguments_are_named(call, error, says):
    with pytest.raises(error, match=says):
        call()


def test_fit_refuses_a_schedule_too_short_for_the_run():
    rng = np.random.default_rng(0)
    net = Sequential(Flatten(), Dense(4, 2, rng=rng))
    images, labels = rng.standard_normal((10, 1, 2, 2)), rng.integers(0, 2, 10)
    with pytest.raises(ValueError, match="total_steps=5, but the run makes 8 steps"):
        fit(net, images, labels, optimizer=SGD(net), epochs=2, batch_size=3, schedule=OneCycle(0.1, 5), progress=False)
    with pytest.raises(TypeError, match="`schedule` must be a callable"):
        fit(net, images, labels, optimizer=SGD(net), schedule=0.1, progress=False)
