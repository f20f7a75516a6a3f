"""Learning-rate schedules: the step size as a function of the step number.

A schedule is any callable ``step -> lr``; :func:`cnnlib.training.fit` calls it
before every optimizer step (``step`` counts from 0 across all epochs) and sets
the optimizer's ``lr`` to the result.
"""

from __future__ import annotations

import math

from ._validation import as_int, as_real


class OneCycle:
    """The one-cycle policy: warm up from a small rate to ``max_lr``, then anneal far below it.

    Parameters
    ----------
    max_lr : float > 0
        The peak learning rate.
    total_steps : int >= 2
        Optimizer steps in the whole run (epochs x batches per epoch).
    pct_start : float in (0, 1), default 0.3
        Share of the steps spent rising.
    div_factor : float > 0, default 25
        The first rate is ``max_lr / div_factor``.
    final_div_factor : float > 0, default 1e4
        The last rate is the first divided by this.

    Notes
    -----
    Both phases follow half a cosine, as ``torch.optim.lr_scheduler.OneCycleLR`` with
    ``anneal_strategy="cos"`` and ``three_phase=False`` (its momentum cycling is left out):
    the rise ends at step ``pct_start*total_steps - 1``, the fall at step ``total_steps - 1``,
    and between ``start`` and ``end`` the rate is ``end + (start - end) * (1 + cos(pi * t)) / 2``
    with ``t`` going from 0 to 1. A high rate in the middle of training moves fast across the
    loss surface; the low rates at the end settle into a minimum.

    Examples
    --------
    >>> schedule = OneCycle(4e-3, total_steps=100)
    >>> round(schedule(0), 8), round(schedule(29), 8), schedule(99) < 1e-6
    (0.00016, 0.004, True)
    """

    def __init__(self, max_lr, total_steps, *, pct_start=0.3, div_factor=25.0, final_div_factor=1e4):
        self.max_lr = as_real(max_lr, "max_lr", low=0, open_interval=True)
        self.total_steps = as_int(total_steps, "total_steps", minimum=2)
        self.pct_start = as_real(pct_start, "pct_start", low=0, high=1, open_interval=True)
        self.div_factor = as_real(div_factor, "div_factor", low=0, open_interval=True)
        self.final_div_factor = as_real(final_div_factor, "final_div_factor", low=0, open_interval=True)
        self.initial_lr = self.max_lr / self.div_factor
        self.min_lr = self.initial_lr / self.final_div_factor
        self.peak_step = self.pct_start * self.total_steps - 1  # a float, as in PyTorch
        if not 0 < self.peak_step < self.total_steps - 1:
            raise ValueError(
                f"`pct_start` must leave at least one step to each phase: pct_start * total_steps - 1 = "
                f"{self.peak_step:g} must lie between 0 and total_steps - 1 = {self.total_steps - 1}"
            )

    def __call__(self, step) -> float:
        """The learning rate of optimizer step ``step`` (0 to ``total_steps - 1``)."""
        step = as_int(step, "step", minimum=0)
        if step >= self.total_steps:
            raise ValueError(
                f"`step` must be below total_steps={self.total_steps} (this OneCycle was made for "
                f"{self.total_steps} steps), got {step}"
            )
        if step <= self.peak_step:
            return _cosine(self.initial_lr, self.max_lr, step / self.peak_step)
        return _cosine(self.max_lr, self.min_lr, (step - self.peak_step) / (self.total_steps - 1 - self.peak_step))

    def __repr__(self):
        return (
            f"OneCycle(max_lr={self.max_lr:g}, total_steps={self.total_steps}, pct_start={self.pct_start:g}, "
            f"div_factor={self.div_factor:g}, final_div_factor={self.final_div_factor:g})"
        )


def _cosine(start: float, end: float, fraction: float) -> float:
    """From ``start`` at fraction 0 to ``end`` at fraction 1 along half a cosine."""
    return end + (start - end) / 2.0 * (math.cos(math.pi * fraction) + 1)
