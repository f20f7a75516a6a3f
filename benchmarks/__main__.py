"""Command line: ``python -m benchmarks [--quick]``."""

from __future__ import annotations

import argparse
import os
import platform
import time

import numpy as np
import scipy

from . import bench_autograde, bench_conv2d, bench_correlate, bench_draw, bench_naive, bench_training
from .timing import FULL, QUICK, OtherLoad


def main(argv=None) -> int:
    """Run every benchmark, then print one summary line per target. Returns 0."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="few shapes and repeats: a smoke run of a few seconds")
    args = parser.parse_args(argv)
    settings = QUICK if args.quick else FULL

    start = time.perf_counter()
    other_load = OtherLoad()
    print(
        f"cnnlib benchmarks ({'quick' if args.quick else 'full'}): python {platform.python_version()}, "
        f"numpy {np.__version__}, scipy {scipy.__version__}; times are the best of {settings.repeat} repeats. "
        "Ratios = cnnlib time / reference time (lower is better)."
    )
    verdicts = []
    for bench in (bench_correlate, bench_conv2d, bench_naive, bench_training):
        verdicts += bench.run(settings)
    # measured before the autograde run, whose grader and kernels are processes of their own
    share = other_load.fraction()
    verdicts += bench_autograde.run(settings)
    verdicts += bench_draw.run(settings)

    print("\nSummary (worst ratio per target):")
    for verdict in verdicts:
        print("  " + verdict.summary())
    missed = [verdict.target for verdict in verdicts if verdict.missed]
    if missed:
        print("  MISSED: " + ", ".join(missed))
    else:
        print("  all targets met" if all(verdict.met for verdict in verdicts) else "  no measured target missed")
    print(f"  total {time.perf_counter() - start:.1f} s on {os.cpu_count()} CPUs")
    if share is not None and share > 0.1:
        print(
            f"  WARNING: other processes used {share:.0%} of the CPUs during this run; ratios against "
            "multi-threaded PyTorch are unreliable. Rerun on an idle machine."
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
