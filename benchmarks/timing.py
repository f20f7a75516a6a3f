"""Shared helpers: time a call, check two answers agree, print a table, judge a target.

Every benchmark compares cnnlib with a reference measured in the same run on the
same inputs, and reports the ratio of the two times. Absolute times are printed
for context only: they depend on the machine, the ratios much less.
"""

from __future__ import annotations

import os
import time
import timeit
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Settings:
    """How hard to time: ``repeat`` repeats, each lasting at least ``min_time`` seconds."""

    repeat: int
    min_time: float
    quick: bool


FULL = Settings(repeat=5, min_time=0.04, quick=False)
QUICK = Settings(repeat=2, min_time=0.005, quick=True)


class WrongAnswerError(RuntimeError):
    """cnnlib and the reference disagree: there is nothing meaningful to time."""


def best_times(funcs, settings: Settings) -> list[float]:
    """Seconds per call of each ``func()``: the minimum over ``settings.repeat`` repeats.

    Each function is warmed up by one call, then its number of calls per repeat
    is doubled until one repeat lasts at least ``settings.min_time``, so that
    microsecond calls are not drowned in timer resolution. The repeats of the
    functions are interleaved (A B A B ...) so that a burst of load from other
    processes hits both sides of a ratio alike; the minimum is the least
    disturbed repeat. Each timed repeat follows a quarter as many untimed calls
    of the same function: the side that runs right after the other would
    otherwise be timed while its threads wake up and the other's still spin
    (on a 2-core VM, conv2d's first calls after PyTorch's took up to twice as long).
    """
    timers, numbers = [], []
    for func in funcs:
        func()
        timer = timeit.Timer(func)
        number = 1
        while timer.timeit(number) < settings.min_time:
            number *= 2
        timers.append(timer)
        numbers.append(number)
    best = [float("inf")] * len(timers)
    for _ in range(settings.repeat):
        for i, (timer, number) in enumerate(zip(timers, numbers, strict=True)):
            timer.timeit(max(1, number // 4))  # untimed: this side warm again after the other ran
            best[i] = min(best[i], timer.timeit(number) / number)
    return best


def check_agree(label: str, got, expected, *, rtol: float = 1e-7, atol: float = 1e-9) -> None:
    """Raise ``WrongAnswerError`` unless ``got`` matches ``expected`` in shape and values."""
    got = np.asarray(got)
    expected = np.asarray(expected)
    if got.shape != expected.shape:
        raise WrongAnswerError(f"{label}: cnnlib gave shape {got.shape}, the reference {expected.shape}")
    if not np.allclose(got, expected, rtol=rtol, atol=atol):
        worst = float(np.max(np.abs(got - expected)))
        raise WrongAnswerError(f"{label}: cnnlib and the reference differ by up to {worst:.3g}")


def ms(seconds: float) -> str:
    """Format a time in milliseconds with three significant figures."""
    return f"{seconds * 1e3:.3g}"


def print_table(title: str, headers: list[str], rows: list[list[str]]) -> None:
    """Print a title and a right-aligned table (first column left-aligned)."""
    widths = [max(len(str(cell)) for cell in column) for column in zip(headers, *rows, strict=True)]

    def line(cells) -> str:
        first, *rest = (str(cell) for cell in cells)
        return "  ".join([first.ljust(widths[0])] + [c.rjust(w) for c, w in zip(rest, widths[1:], strict=True)])

    print(f"\n{title}")
    print(line(headers))
    print("  ".join("-" * w for w in widths))
    for row in rows:
        print(line(row))


@dataclass(frozen=True)
class Verdict:
    """The worst ratio seen for one target and where; ``worst_ratio=None`` if it was skipped."""

    target: str
    worst_ratio: float | None
    limit: float
    worst_shape: str

    @property
    def met(self) -> bool:
        """True when even the worst shape is within the limit (False if skipped)."""
        return self.worst_ratio is not None and self.worst_ratio <= self.limit

    @property
    def missed(self) -> bool:
        """True when some shape was measured beyond the limit."""
        return self.worst_ratio is not None and self.worst_ratio > self.limit

    def summary(self) -> str:
        """One line: target, worst ratio and shape, met / MISSED / SKIPPED."""
        if self.worst_ratio is None:
            return f"{self.target} (target <= {self.limit:g}): SKIPPED, {self.worst_shape}"
        status = "met" if self.met else "MISSED"
        where = " ".join(self.worst_shape.split())
        return f"{self.target}: worst ratio {self.worst_ratio:.2f} at {where} (target <= {self.limit:g}) {status}"


def judge(ratio: float, limit: float) -> str:
    """Table cell for one ratio against its limit."""
    return "ok" if ratio <= limit else "MISSED"


class OtherLoad:
    """How busy other processes kept the CPUs during a run (Linux ``/proc/stat``; else unknown).

    On a small machine, a test suite running alongside slows the multi-threaded
    side of a ratio (PyTorch waits for a free core at every parallel region) far
    more than the single-threaded side, so the report says when it happened.
    """

    def __init__(self) -> None:
        self._start = self._snapshot()

    @staticmethod
    def _snapshot():
        """(busy CPU seconds of the whole machine, CPU seconds of this process, wall time) or None."""
        try:
            with open("/proc/stat") as stat:
                fields = [int(value) for value in stat.readline().split()[1:]]
        except (OSError, ValueError):
            return None
        idle = fields[3] + fields[4]  # idle + iowait
        own = os.times()
        return (sum(fields) - idle) / os.sysconf("SC_CLK_TCK"), own.user + own.system, time.perf_counter()

    def fraction(self) -> float | None:
        """Share of all CPUs (0 to 1) used by other processes since construction, or None if unknown."""
        end = self._snapshot()
        if self._start is None or end is None:
            return None
        busy, own, wall = (b - a for a, b in zip(self._start, end, strict=True))
        return max(0.0, (busy - own) / (wall * (os.cpu_count() or 1)))


@dataclass(frozen=True)
class TimeVerdict(Verdict):
    """A target on an absolute time (``worst_ratio`` = measured / limit, so met at <= 1).

    E.g. a redraw within 100 ms, or grading a class within 600 s; times of 10 s and more are
    reported in seconds, shorter ones in milliseconds.
    """

    seconds: float | None = None
    limit_seconds: float = 0.1

    def summary(self) -> str:
        """One line: target, measured time, limit, met / MISSED / SKIPPED."""
        if self.seconds is None:
            return f"{self.target} (target <= {_duration(self.limit_seconds)}): SKIPPED, {self.worst_shape}"
        status = "met" if self.met else "MISSED"
        return (
            f"{self.target}: {_duration(self.seconds)} for {self.worst_shape} "
            f"(target <= {_duration(self.limit_seconds)}) {status}"
        )


def _duration(seconds: float) -> str:
    """``seconds`` as "93 ms" below 10 s, as "197 s" from 10 s on."""
    return f"{seconds:.0f} s" if seconds >= 10 else f"{ms(seconds)} ms"
