"""``cnnlib.conv2d`` against ``torch.nn.functional.conv2d`` on CPU.

The target is at float64, the same dtype on both sides. Torch at float32 (its
usual dtype, with its fastest kernels) is shown for context only.
"""

from __future__ import annotations

import itertools
from functools import partial

import numpy as np

import cnnlib

from .timing import Settings, Verdict, best_times, check_agree, judge, ms, print_table

LIMIT = 1.5  # DESIGN.md's target
BATCH = 64
# (C, F, H = W, K = KH = KW): a representative grid of small-CNN layers.
GRID = list(itertools.product((1, 4, 16), (8, 16), (14, 28), (3, 5)))
QUICK_GRID = [(1, 8, 28, 3), (16, 16, 14, 3)]


def run(settings: Settings) -> list[Verdict]:
    """Time cnnlib and torch (float64 and float32) on the grid; return the float64 verdict."""
    try:
        import torch
        import torch.nn.functional as functional
    except ImportError:
        print(
            "\n2. conv2d vs PyTorch: SKIPPED, torch is not installed. Install it with "
            "`.venv/bin/pip install torch==2.13.0` (exactly this version: an unpinned torch pulls "
            "several GB of CUDA packages)."
        )
        return [Verdict("conv2d / torch float64", None, LIMIT, "torch is not installed")]

    rng = np.random.default_rng(0)
    rows, ratios = [], {}
    with torch.no_grad():
        for c, f, size, k in QUICK_GRID if settings.quick else GRID:
            x = rng.standard_normal((BATCH, c, size, size))
            w = rng.standard_normal((f, c, k, k))
            x64, w64 = torch.from_numpy(x), torch.from_numpy(w)
            x32, w32 = x64.float(), w64.float()
            shape = f"C={c:<2} F={f:<2} {size}x{size} {k}x{k}"
            ours_out = cnnlib.conv2d(x, w)
            check_agree(shape + " float64", ours_out, functional.conv2d(x64, w64).numpy())
            check_agree(shape + " float32", ours_out, functional.conv2d(x32, w32).numpy(), rtol=1e-4, atol=1e-3)

            ours, t64, t32 = best_times(
                [
                    partial(cnnlib.conv2d, x, w),
                    partial(functional.conv2d, x64, w64),
                    partial(functional.conv2d, x32, w32),
                ],
                settings,
            )
            ratios[shape] = ours / t64
            rows.append(
                [shape, ms(ours), ms(t64), f"{ours / t64:.2f}", judge(ours / t64, LIMIT), ms(t32), f"{ours / t32:.2f}"]
            )
    print_table(
        f"2. conv2d vs torch.nn.functional.conv2d, CPU, N={BATCH}, {torch.get_num_threads()} torch threads "
        f"(target: float64 ratio <= {LIMIT:g}; float32 for context)",
        ["layer", "cnnlib ms", "torch64 ms", "ratio", "target", "torch32 ms", "ratio32"],
        rows,
    )
    worst = max(ratios, key=ratios.get)
    return [Verdict("conv2d / torch float64", ratios[worst], LIMIT, worst)]
