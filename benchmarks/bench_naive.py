"""``cnnlib.correlate2d_naive`` against ``cnnlib.correlate2d``: the speedup notebook 04 shows."""

from __future__ import annotations

from functools import partial

import numpy as np

import cnnlib

from .timing import Settings, best_times, check_agree, ms, print_table

SHAPES = ((28, 3), (64, 3))


def run(settings: Settings) -> list:
    """Time the pixel loop and the vectorised version; print speedup = naive / fast. No target."""
    rng = np.random.default_rng(0)
    rows = []
    for size, k in SHAPES[:1] if settings.quick else SHAPES:
        image = rng.standard_normal((size, size))
        kernel = rng.standard_normal((k, k))
        shape = f"{size}x{size} * {k}x{k}"
        check_agree(shape, cnnlib.correlate2d(image, kernel), cnnlib.correlate2d_naive(image, kernel))
        naive, fast = best_times(
            [partial(cnnlib.correlate2d_naive, image, kernel), partial(cnnlib.correlate2d, image, kernel)], settings
        )
        rows.append([shape, ms(naive), ms(fast), f"{naive / fast:.0f}x"])
    print_table(
        "3. correlate2d_naive vs correlate2d (speedup of vectorising, no target)",
        ["image * kernel", "naive ms", "fast ms", "speedup"],
        rows,
    )
    return []
