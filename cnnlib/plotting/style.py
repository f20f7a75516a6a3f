"""The series' figure conventions in one place: colours, colour limits and number formats.

Images are drawn in ``gray``; signed values (filters, responses that can be negative)
in one diverging colormap centred on 0; non-negative maps in ``viridis``.
"""

from __future__ import annotations

import numpy as np

__all__ = ["SIGNED_CMAP", "signed_limit"]

SIGNED_CMAP = "RdBu_r"
"""The diverging colormap of every signed map: white at 0, red positive, blue negative."""


def signed_limit(values) -> float:
    """Symmetric colour limit L for a signed map: the 99th percentile of |values| (never 0)."""
    magnitude = np.abs(np.asarray(values, dtype=np.float64))
    return float(np.percentile(magnitude, 99)) or float(magnitude.max()) or 1.0
