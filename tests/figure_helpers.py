"""Helpers shared by the figure tests: a test image that says where each pixel is, and a layout check."""

import numpy as np


def ramp(height=10, width=10):
    """A (height, width) image whose pixel (r, c) holds r * width + c (so each value says where it is)."""
    return np.arange(height * width).reshape(height, width) % 256


def assert_inside(fig):
    """Every text of every axes lies inside the figure once laid out."""
    fig.draw_without_rendering()
    frame = fig.bbox
    for ax in fig.axes:
        for text in ax.texts:
            box = text.get_window_extent()
            assert frame.x0 - 1 <= box.x0 and box.x1 <= frame.x1 + 1, f"{text.get_text()!r} is cut off"
            assert frame.y0 - 1 <= box.y0 and box.y1 <= frame.y1 + 1, f"{text.get_text()!r} is cut off"
