"""Hypothesis strategies shared by the cnnlib tests: images, kernels, strides, paddings."""

import numpy as np
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

small_floats = st.floats(min_value=-100, max_value=100, allow_nan=False, allow_infinity=False, width=64)


def float_arrays(shape):
    """Arrays of the given shape with moderate finite float64 values."""
    return arrays(np.float64, shape, elements=small_floats)


def strides():
    """An int stride or a pair (sh, sw), from 1 to 3."""
    step = st.integers(1, 3)
    return st.one_of(step, st.tuples(step, step))


def int_paddings():
    """An int padding or a pair (ph, pw), from 0 to 2."""
    pad = st.integers(0, 2)
    return st.one_of(pad, st.tuples(pad, pad))


def as_pair(value):
    """An int or a pair, as a pair."""
    return tuple(value) if isinstance(value, tuple) else (value, value)


@st.composite
def image_kernel_cases(draw, max_size=9):
    """(image, kernel, padding): a kernel that fits the padded image, including 1x1
    images, 1x1 kernels and kernels as large as the image, all non-square too."""
    h, w = draw(st.integers(1, max_size)), draw(st.integers(1, max_size))
    padding = draw(st.one_of(int_paddings(), st.sampled_from(["valid", "same", "full"])))
    if padding in ("same", "full"):
        kh, kw = draw(st.integers(1, max_size)), draw(st.integers(1, max_size))
        if padding == "same":  # 'same' pads k - 1 in total, so any kernel fits
            kh, kw = min(kh, h + kh - 1), min(kw, w + kw - 1)
    else:
        ph, pw = (0, 0) if padding == "valid" else as_pair(padding)
        kh, kw = draw(st.integers(1, h + 2 * ph)), draw(st.integers(1, w + 2 * pw))
    image = draw(float_arrays((h, w)))
    kernel = draw(float_arrays((kh, kw)))
    return image, kernel, padding


@st.composite
def batch_filter_cases(draw):
    """(x, w, b, stride, padding) for an NCHW layer whose filters fit the padded input."""
    n, c, f = draw(st.integers(1, 3)), draw(st.integers(1, 3)), draw(st.integers(1, 4))
    h, w = draw(st.integers(1, 8)), draw(st.integers(1, 8))
    padding = draw(int_paddings())
    ph, pw = as_pair(padding)
    kh, kw = draw(st.integers(1, h + 2 * ph)), draw(st.integers(1, w + 2 * pw))
    x = draw(float_arrays((n, c, h, w)))
    weights = draw(float_arrays((f, c, kh, kw)))
    bias = draw(st.one_of(st.none(), float_arrays((f,))))
    return x, weights, bias, draw(strides()), padding


@st.composite
def pooling_cases(draw):
    """(x, size, stride): a window that fits the last two axes of x, with 0-2 leading axes."""
    lead = draw(st.lists(st.integers(1, 3), min_size=0, max_size=2))
    h, w = draw(st.integers(1, 9)), draw(st.integers(1, 9))
    size = draw(st.one_of(st.integers(1, min(h, w)), st.tuples(st.integers(1, h), st.integers(1, w))))
    stride = draw(st.one_of(st.none(), strides()))
    x = draw(float_arrays((*lead, h, w)))
    return x, size, stride


def dilations():
    """An int dilation or a pair (dh, dw), from 1 to 3."""
    gap = st.integers(1, 3)
    return st.one_of(gap, st.tuples(gap, gap))


@st.composite
def dilated_batch_filter_cases(draw):
    """(x, w, b, stride, padding, dilation) for an NCHW layer whose dilated filters fit the padded input."""
    n, c, f = draw(st.integers(1, 2)), draw(st.integers(1, 3)), draw(st.integers(1, 3))
    h, w = draw(st.integers(1, 10)), draw(st.integers(1, 10))
    padding, dilation = draw(int_paddings()), draw(dilations())
    (ph, pw), (dh, dw) = as_pair(padding), as_pair(dilation)
    # a kernel of k taps spans d(k - 1) + 1 pixels: at most the padded side
    kh = draw(st.integers(1, (h + 2 * ph - 1) // dh + 1))
    kw = draw(st.integers(1, (w + 2 * pw - 1) // dw + 1))
    x = draw(float_arrays((n, c, h, w)))
    weights = draw(float_arrays((f, c, kh, kw)))
    bias = draw(st.one_of(st.none(), float_arrays((f,))))
    return x, weights, bias, draw(strides()), padding, dilation


@st.composite
def padded_pooling_cases(draw):
    """(x, size, stride, padding) of shape (N, C, H, W), with a padding of at most half the window."""
    h, w = draw(st.integers(1, 9)), draw(st.integers(1, 9))
    kh, kw = draw(st.integers(1, 4)), draw(st.integers(1, 4))
    ph, pw = draw(st.integers(0, kh // 2)), draw(st.integers(0, kw // 2))
    kh, kw = min(kh, h + 2 * ph), min(kw, w + 2 * pw)
    ph, pw = min(ph, kh // 2), min(pw, kw // 2)
    stride = draw(st.one_of(st.none(), strides()))
    x = draw(float_arrays((draw(st.integers(1, 2)), draw(st.integers(1, 2)), h, w)))
    return x, (kh, kw), stride, (ph, pw)
