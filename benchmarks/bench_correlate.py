"""``cnnlib.correlate2d`` against ``scipy.signal.correlate2d(mode='valid')`` on one image."""

from __future__ import annotations

from functools import partial

import numpy as np
from scipy import signal

import cnnlib

from .timing import Settings, Verdict, best_times, check_agree, judge, ms, print_table

LIMIT = 1.5
IMAGE_SIZES = (28, 64, 128, 256, 512)
KERNEL_SIZES = (3, 5, 7)
QUICK_IMAGE_SIZES = (28, 128)
QUICK_KERNEL_SIZES = (3,)


def run(settings: Settings) -> list[Verdict]:
    """Time both on every (image, kernel) shape, print the table, return the verdict."""
    rng = np.random.default_rng(0)
    image_sizes = QUICK_IMAGE_SIZES if settings.quick else IMAGE_SIZES
    kernel_sizes = QUICK_KERNEL_SIZES if settings.quick else KERNEL_SIZES
    rows, ratios = [], {}
    for size in image_sizes:
        for k in kernel_sizes:
            image = rng.standard_normal((size, size))
            kernel = rng.standard_normal((k, k))
            shape = f"{size}x{size} * {k}x{k}"
            check_agree(shape, cnnlib.correlate2d(image, kernel), signal.correlate2d(image, kernel, mode="valid"))
            ours, theirs = best_times(
                [partial(cnnlib.correlate2d, image, kernel), partial(signal.correlate2d, image, kernel, mode="valid")],
                settings,
            )
            ratios[shape] = ours / theirs
            rows.append([shape, ms(ours), ms(theirs), f"{ours / theirs:.2f}", judge(ours / theirs, LIMIT)])
    print_table(
        f"1. correlate2d vs scipy.signal.correlate2d(mode='valid'), float64 (target: ratio <= {LIMIT})",
        ["image * kernel", "cnnlib ms", "scipy ms", "ratio", "target"],
        rows,
    )
    worst = max(ratios, key=ratios.get)
    return [Verdict("correlate2d / scipy", ratios[worst], LIMIT, worst)]
