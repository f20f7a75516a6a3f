"""Exercises of notebook 02: right answers accepted, wrong ones explained without the answer."""

import re
from fractions import Fraction

import numpy as np
import pytest
import scipy.signal
from helpers_exercises import BrokenRepr, assert_correct, assert_not_yet, checker_for, raises_not_implemented

from cnnlib import exercises


# Right answers, written from the notebook's definitions (not from the checkers)
def convolve_copies(f, g):
    """Each f[k] adds f[k] * g at position k: the full convolution."""
    out = np.zeros(len(f) + len(g) - 1)
    for k in range(len(f)):
        for j in range(len(g)):
            out[k + j] += f[k] * g[j]
    return out


def same_by_slicing(f, g):
    """The full output, less (min(M, K) - 1) // 2 values at the start and the rest at the end.

    By hand, for f = [2, 0, 1, 3, -1] and g = [1, 10]: full = [2, 20, 1, 13, 29, -10], numpy's 'same' is its
    first five values (one value left out, at the end); with g = [1, 10, 100, 1000] the full output has 8 values,
    3 are left out, one at the start and two at the end.
    """
    start = (min(len(f), len(g)) - 1) // 2
    return convolve_copies(f, g)[start : start + max(len(f), len(g))]


def same_gather(f, g):
    """Plain lists in and out: value n of 'same' is value n + start of the full output, gathered directly."""
    m, k_len = len(f), len(g)
    start = (min(m, k_len) - 1) // 2
    return [sum(f[k] * g[n + start - k] for k in range(m) if 0 <= n + start - k < k_len) for n in range(max(m, k_len))]


def same_by_padding(f, g):
    """Zeros around f, then the flipped kernel at every position: no full output at all."""
    m, k_len = len(f), len(g)
    start = (min(m, k_len) - 1) // 2
    padded = np.concatenate([np.zeros(k_len - 1), np.asarray(f, dtype=float), np.zeros(k_len - 1)])
    flipped = np.asarray(g, dtype=float)[::-1]
    return np.array([padded[start + n : start + n + k_len] @ flipped for n in range(max(m, k_len))])


RIGHT = {
    # (f * g)[3] for f = [2, -1, 3, 1], g = [1, 2, -1]: f[1] g[2] + f[2] g[1] + f[3] g[0] = 1 + 6 + 1
    "2.1": [8, 8.0, np.int64(8), np.float64(8.0), np.array(8)],
    "2.2": [same_by_slicing, same_gather, same_by_padding, lambda f, g: same_by_slicing(f, g).astype(np.float32)],
    "2.3": [[1 / 3, 1 / 3, 1 / 3], np.ones(3) / 3, (1 / 3,) * 3, [Fraction(1, 3)] * 3],
    "2.4": [[1, -1], np.array([1.0, -1.0]), (1, -1)],
}


@pytest.mark.parametrize(("exercise_id", "answer"), [(e, a) for e, answers in RIGHT.items() for a in answers])
def test_right_answers_are_accepted(exercise_id, answer):
    assert_correct(checker_for(exercise_id), answer)


def indexes_past_the_end(f, g):
    return [f[k] * g[k] for k in range(max(len(f), len(g)))]


def mutates_f(f, g):
    result = same_by_slicing(f, g)
    f[0] = 99
    return result


def full_values(f, g, start, length, flip=True):
    """``length`` values of the full convolution (or, with ``flip=False``, cross-correlation) from ``start``."""
    full = convolve_copies(f, g if flip else np.asarray(g)[::-1])
    return full[start : start + length]


def drops_more_at_the_start(f, g):
    """Leaves out K // 2 values at the start: right for odd K, one too late for even K."""
    return full_values(f, g, min(len(f), len(g)) // 2, max(len(f), len(g)))


def rounds_half_up(f, g):
    """Python's round(1.5) is 2: right for K = 2 (round(0.5) = 0), one too late for K = 4."""
    return full_values(f, g, round((min(len(f), len(g)) - 1) / 2), max(len(f), len(g)))


def counts_k_not_min(f, g):
    """Leaves out (K - 1) // 2 at the start even when the kernel is longer than the signal."""
    return full_values(f, g, (len(g) - 1) // 2, max(len(f), len(g)))


def as_long_as_f(f, g):
    """As long as f, whatever the kernel (scipy.signal.convolve's 'same')."""
    return full_values(f, g, (len(g) - 1) // 2, len(f))


def no_flip(f, g):
    """The 'same' slice of the cross-correlation: g slid over f without being flipped."""
    return full_values(f, g, (min(len(f), len(g)) - 1) // 2, max(len(f), len(g)), flip=False)


def valid_only(f, g):
    return full_values(f, g, min(len(f), len(g)) - 1, max(len(f), len(g)) - min(len(f), len(g)) + 1)


def integer_output(f, g):
    out = np.zeros(max(len(f), len(g)), dtype=int)  # the right values, but an int array drops every fraction
    out[:] = same_by_slicing(f, g)
    return out


def loses_the_last_term(f, g):
    out = same_by_slicing(f, g)
    out[-1] = 0
    return out


@pytest.mark.parametrize(
    ("checker", "answer", "says"),
    [
        (exercises.check_2_1, None, "replace None"),
        (exercises.check_2_1, [1, [2, 3]], "should be one number"),  # ragged: numpy refuses it
        (exercises.check_2_1, 4, "without flipping it"),  # f[1] g[0] + f[2] g[1] + f[3] g[2]
        (exercises.check_2_1, -1, "neighbouring shift"),  # (f * g)[2] and (f * g)[4]
        (exercises.check_2_1, 7, "List the k for which both f[k] and g[3 - k] exist"),
        (exercises.check_2_1, np.convolve([2, -1, 3, 1], [1, 2, -1]), "not the whole output"),
        (exercises.check_2_1, "8", "should be one number"),
        (exercises.check_2_1, True, "should be one number"),
        (exercises.check_2_1, float("nan"), "finite number"),
        (exercises.check_2_1, 10**400, "ordinary size"),
        (exercises.check_2_1, BrokenRepr(), "should be one number"),
        (exercises.check_2_2, None, "expected a function"),
        (exercises.check_2_2, [4, 2, 7, 5, -1], "expected a function"),
        (exercises.check_2_2, raises_not_implemented, "replace `raise NotImplementedError()`"),
        (exercises.check_2_2, indexes_past_the_end, "raised IndexError"),
        (exercises.check_2_2, lambda f: f, "raised TypeError"),
        (exercises.check_2_2, lambda f, g: None, "returned None"),
        (exercises.check_2_2, lambda f, g: "2 4 7", "should be a list or 1-D array of numbers, got the text '2 4 7'"),
        (exercises.check_2_2, lambda f, g: [[1, 2], [3]], "list or 1-D array of numbers"),
        (exercises.check_2_2, lambda f, g: np.zeros((5, 1)), "should be 1-D"),
        (exercises.check_2_2, lambda f, g: np.full(max(len(f), len(g)), np.nan), "NaN or infinity"),
        (exercises.check_2_2, convolve_copies, "expected 5 values (max(M, K) with M = 5, K = 3), got 7. That is the"),
        (exercises.check_2_2, valid_only, "got 3. That is the 'valid' output"),
        (exercises.check_2_2, lambda f, g: same_by_slicing(f, g)[:-1], "expected 5 values"),
        (exercises.check_2_2, as_long_as_f, "got 2. That is as long as f, but here the kernel is the longer one"),
        (exercises.check_2_2, no_flip, "cross-correlation, g slid over f without being flipped"),
        (exercises.check_2_2, loses_the_last_term, "value 4 should be 7, not 0"),
        (exercises.check_2_2, mutates_f, "changed its input"),
        (exercises.check_2_2, integer_output, "your output array holds integers"),
        (exercises.check_2_3, None, "replace None"),
        (exercises.check_2_3, [1, 1, 1], "comes out as 15"),
        (exercises.check_2_3, [0.33, 0.33, 0.33], "exact fraction"),
        (exercises.check_2_3, [0.3333, 0.3333, 0.3334], "adds up to 1, but its weights are rounded thirds"),
        (exercises.check_2_3, [0.25, 0.5, 0.25], "do not count equally"),
        (exercises.check_2_3, [1 / 2, 1 / 2], "needs 3 weights"),
        (exercises.check_2_3, np.ones(5) / 5, "needs 3 weights"),
        (exercises.check_2_3, [[1 / 3, 1 / 3, 1 / 3]], "should be 1-D"),
        (exercises.check_2_3, ["a", "b", "c"], "list or 1-D array of numbers"),
        (exercises.check_2_3, [np.nan, 0.5, 0.5], "NaN or infinity"),
        (exercises.check_2_3, 1 / 3, "should be 1-D"),
        (exercises.check_2_4, None, "replace None"),
        (exercises.check_2_4, [-1, 1], "the sign is reversed"),
        (exercises.check_2_4, [2, -2], "2 times the change"),
        (
            exercises.check_2_4,
            [-2, 2],
            "the sign is reversed. Remember that np.convolve flips the kernel before "
            "sliding it. It is also 2 times the change in size",
        ),
        (exercises.check_2_4, [-0.5, 0.5], "It is also 0.5 times the change in size"),
        (exercises.check_2_4, [1, 1], "add up to 0"),
        (exercises.check_2_4, [1, 0, -1], "exactly two numbers"),
        (exercises.check_2_4, [0, 0], "the change from each sample to the next"),
        (exercises.check_2_4, {"a": 1}, "list or 1-D array of numbers"),
        (exercises.check_2_4, [True, False], "add up to 0"),  # True and False count as 1 and 0
    ],
)
def test_wrong_answers_get_a_message_that_says_what_to_look_at(checker, answer, says):
    assert_not_yet(checker, answer, says)


@pytest.mark.parametrize(
    ("answer", "says"),
    [
        # K = 2 leaves out 1 of 7 full values: numpy drops it at the end
        (
            drops_more_at_the_start,
            (
                "[1, -2]) returned the full values 1 to 6: the window starts one value too late",
                "np.convolve leaves out 0 at the start and 1 at the end",
            ),
        ),
        # K = 4 leaves out 3 of 10: one at the start, two at the end
        (
            rounds_half_up,
            (
                "[3, -1, 2, 0.5]) returned the full values 2 to 8: the window starts one value too late",
                "leaves out 1 at the start and 2 at the end",
            ),
        ),
        (
            lambda f, g: full_values(f, g, 0, max(len(f), len(g))),
            ("[1, 2, 3]) returned the full values 0 to 4: the window starts one value too early",),
        ),
        # f of length 2, g of length 4: 1 of 5 full values is left out, M - 1, not K - 1
        (counts_k_not_min, ("[3, -4, 5, -6.5]) returned the full values 1 to 4", "it is M - 1 = 1 that are left out")),
    ],
)
def test_2_2_names_a_window_that_starts_too_early_or_too_late_and_says_which_end_numpy_keeps(answer, says):
    assert_not_yet(exercises.check_2_2, answer, *says)


def test_2_2_is_tried_on_odd_and_even_kernels_and_kernels_longer_than_the_signal():
    seen = []

    def spy(f, g):
        seen.append((len(f), len(g)))
        return same_by_slicing(f, g)

    assert_correct(exercises.check_2_2, spy)
    kernels = {k for m, k in seen if k <= m}
    assert {1, 2, 3, 4} <= kernels and any(k == m for m, k in seen)
    assert {m % 2 for m, k in seen if k > m} == {0, 1}, "longer kernels over signals of odd and even length"
    assert seen[0] == (5, 3), "the first case is the notebook's f and a kernel of 3, where the basic slips show"


def test_messages_hint_without_giving_the_answer_away():
    for wrong in [4, -1, 7, 0]:
        message = assert_not_yet(exercises.check_2_1, wrong)
        assert not re.search(r"(?<![\d\[])8(?![\d\]])", message), message
    for wrong in [[1, 1, 1], [0.33] * 3, [0.25, 0.5, 0.25], [1, 2]]:
        message = assert_not_yet(exercises.check_2_3, wrong)
        assert "0.333" not in message and "1/3" not in message
    for wrong in [[-1, 1], [2, -2], [1, 1], [0, 0]]:
        assert "[1, -1]" not in assert_not_yet(exercises.check_2_4, wrong)


# The text of 2.2 switches np.convolve, np.correlate and the convolutions of scipy and cnnlib off during the check.
def with_np_convolve(f, g):
    return np.convolve(f, g, mode="same")


def with_np_correlate(f, g):
    return np.correlate(f, np.asarray(g)[::-1], mode="same")


def with_polymul(f, g):
    return same_by_slicing_of(np.polymul(f, g), f, g)  # a polynomial product is a convolution


def with_polynomial_class(f, g):
    from numpy.polynomial import Polynomial

    return same_by_slicing_of((Polynomial(f) * Polynomial(g)).coef, f, g)


def fourier_product(transform, inverse, f, g):
    """The full convolution by the convolution theorem: transform both, zero-padded to M + K - 1, multiply, invert."""
    n = len(f) + len(g) - 1
    return np.real(inverse(transform(np.asarray(f, float), n) * transform(np.asarray(g, float), n), n))


def with_numpy_fft(f, g):
    return same_by_slicing_of(fourier_product(np.fft.fft, np.fft.ifft, f, g), f, g)


def with_numpy_rfft(f, g):
    return same_by_slicing_of(fourier_product(np.fft.rfft, np.fft.irfft, f, g), f, g)


def with_scipy_fft(f, g):
    import scipy.fft

    return same_by_slicing_of(fourier_product(scipy.fft.rfft, scipy.fft.irfft, f, g), f, g)


def with_inverse_fft(f, g):  # n * ifft(x) is the conjugate of fft(conjugate(x)): an inverse does a forward's work
    n = len(f) + len(g) - 1

    def fft_by_ifft(x):
        return np.conj(n * np.fft.ifft(np.conj(np.asarray(x, complex)), n))

    return same_by_slicing_of(np.real(np.fft.ifft(fft_by_ifft(f) * fft_by_ifft(g))), f, g)


def with_scipy_fftpack(f, g):
    import scipy.fftpack

    return same_by_slicing_of(fourier_product(scipy.fftpack.fft, scipy.fftpack.ifft, f, g), f, g)


def same_by_slicing_of(full, f, g):
    start = (min(len(f), len(g)) - 1) // 2
    return np.asarray(full)[start : start + max(len(f), len(g))]


def with_scipy(f, g):
    import scipy.signal

    return same_by_slicing_of(scipy.signal.convolve(f, g), f, g)


def with_ndimage(f, g):
    from scipy.ndimage import convolve1d

    return convolve1d(f, g, mode="constant")


def with_cnnlib(f, g):
    import cnnlib

    return cnnlib.convolve1d(f, g, mode="same")


def with_scipy_2d(f, g):  # a 1-D convolution is a 2-D one on an image of one row
    full = scipy.signal.convolve2d(np.asarray(f)[None], np.asarray(g)[None])[0]
    start = (min(len(f), len(g)) - 1) // 2
    return full[start : start + max(len(f), len(g))]


def with_cnnlib_2d(f, g):
    import cnnlib

    full = cnnlib.convolve2d(np.asarray(f)[None], np.asarray(g)[None], padding=(0, len(g) - 1))[0]
    start = (min(len(f), len(g)) - 1) // 2
    return full[start : start + max(len(f), len(g))]


def with_upfirdn(f, g):  # upsample by 1, filter, downsample by 1: the full convolution
    full = scipy.signal.upfirdn(g, f)
    start = (min(len(f), len(g)) - 1) // 2
    return full[start : start + max(len(f), len(g))]


def with_convolution_matrix(f, g):
    import scipy.linalg

    full = scipy.linalg.convolution_matrix(np.asarray(g), len(f)) @ np.asarray(f)
    start = (min(len(f), len(g)) - 1) // 2
    return full[start : start + max(len(f), len(g))]


def falls_back_quietly(f, g):
    try:
        return np.convolve(f, g, mode="same")
    except Exception:  # noqa: BLE001 - a learner's code that hides the refusal still uses the shortcut
        return same_by_slicing(f, g)


def with_lfilter(f, g):  # an FIR filter is a convolution: the full output is the filter's response to f and zeros
    full = scipy.signal.lfilter(g, [1.0, 0.0], np.concatenate([f, np.zeros(len(g) - 1)]))
    return same_by_slicing_of(full, f, g)


@pytest.mark.parametrize(
    ("answer", "used"),
    [
        (with_np_convolve, "np.convolve"),
        (np.convolve, "np.convolve"),
        (with_np_correlate, "np.correlate"),
        (with_polymul, "np.polymul"),
        (with_polynomial_class, "np.polynomial.polynomial.polymul"),
        (with_numpy_fft, "np.fft.fft"),
        (with_numpy_rfft, "np.fft.rfft"),
        (with_scipy_fft, "an FFT of scipy.fft or scipy.fftpack"),
        (with_scipy_fftpack, "an FFT of scipy.fft or scipy.fftpack"),
        (with_inverse_fft, "np.fft.ifft"),
        (with_scipy, "scipy.signal.convolve"),
        (with_ndimage, "scipy.ndimage.convolve1d"),
        (with_cnnlib, "cnnlib.convolve1d"),
        (with_scipy_2d, "scipy.signal.convolve2d"),
        (with_cnnlib_2d, "cnnlib.convolve2d"),
        (with_upfirdn, "scipy.signal.upfirdn"),
        (with_convolution_matrix, "scipy.linalg.convolution_matrix"),
        (with_lfilter, "scipy.signal.lfilter"),
        (falls_back_quietly, "np.convolve"),
    ],
)
def test_2_2_says_which_forbidden_shortcut_was_used(answer, used):
    # each written shortcut computes the right output (checked unblocked first), so only the refusal can fail it
    f, g = [2.0, -1.5, 3.0, 0.5], [1.0, 10.0, -2.0]
    if answer is not np.convolve:  # given as the answer itself, it returns the full output
        assert np.allclose(answer(f, g), np.convolve(f, g, mode="same"))
    assert_not_yet(exercises.check_2_2, answer, f"convolve_same uses {used}, which this exercise forbids")


def test_2_2_puts_np_convolve_back_after_the_check():
    original = np.convolve
    assert_not_yet(exercises.check_2_2, with_np_convolve, "forbids")
    assert np.convolve is original
    assert np.convolve([1, 2], [1, 1]).tolist() == [1, 3, 2]


@pytest.mark.parametrize(
    "box3",
    [
        np.ones(3, dtype=np.float32) / 3,  # float32 thirds: right within float32's precision
        [np.float32(1 / 3)] * 3,
        np.array([1, 1, 1]) / 3,
    ],
)
def test_2_3_accepts_thirds_in_any_float_type(box3):
    assert_correct(exercises.check_2_3, box3)


@pytest.mark.parametrize(
    ("box3", "level", "total"), [([0.333333] * 3, "4.999995", "0.999999"), ([0.34] * 3, "5.1", "1.02")]
)
def test_2_3_never_says_a_wrong_level_looks_like_the_right_one(box3, level, total):
    message = assert_not_yet(exercises.check_2_3, box3, f"comes out as {level}, but", f"add up to {total})")
    assert "comes out as 5," not in message


def test_2_2_accepts_a_float32_output_and_a_list():
    assert_correct(exercises.check_2_2, lambda f, g: same_by_slicing(f, g).astype(np.float32))
    assert_correct(exercises.check_2_2, lambda f, g: same_by_slicing(f, g).tolist())


def test_2_2_the_right_answer_is_numpys_same_by_hand():
    # Worked by hand: f = [2, 0, 1, 3, -1], g = [1, 10] gives full = [2, 20, 1, 13, 29, -10]; numpy keeps the first 5.
    f = [2, 0, 1, 3, -1]
    assert convolve_copies(f, [1, 10]).tolist() == [2, 20, 1, 13, 29, -10]
    assert np.convolve(f, [1, 10], mode="same").tolist() == [2, 20, 1, 13, 29]
    rng = np.random.default_rng(22)
    for m, k in [(5, 2), (7, 4), (3, 3), (2, 5), (3, 6), (1, 2), (6, 1)]:
        f, g = rng.normal(size=m), rng.normal(size=k)
        np.testing.assert_allclose(same_by_slicing(f, g), np.convolve(f, g, mode="same"), atol=1e-12)


def test_2_1_and_2_4_accept_every_form_of_the_right_numbers():
    for answer in ([8], np.array([8.0]), np.float32(8), (8,)):
        assert_correct(exercises.check_2_1, answer)
    for rise in (np.array([1, -1], dtype=np.int8), np.array([1, -1], dtype=np.float32), [1.0, -1.0]):
        assert_correct(exercises.check_2_4, rise)


# Exercise 2.5: a delay by two samples -------------------------------------------------------------
# By the definition, np.convolve(x, [0, 0, 1])[n] = x[n - 2]·1: every sample moves two places on, zeros first.
@pytest.mark.parametrize(
    "delay2",
    [
        [0, 0, 1],
        (0, 0, 1.0),
        np.array([0, 0, 1], dtype=np.float32),
        np.array([0, 0, 1], dtype=np.int8),
        [0, 0, 1, 0, 0],  # trailing zeros change nothing
    ],
)
def test_2_5_accepts_a_delay_by_two_in_any_form(delay2):
    assert_correct(exercises.check_2_5, delay2)


def test_2_5_the_right_kernel_delays_every_signal_tried_by_the_definition():
    # An independent statement of what the check wants, on signals of its own.
    for x in ([3.0, -1.0, 4.0, 1.0], [7.0], np.arange(10.0)):
        delayed = [0.0, 0.0, *x][: len(x)]
        assert np.convolve(x, [0, 0, 1])[: len(x)].tolist() == delayed


@pytest.mark.parametrize(
    ("delay2", "says"),
    [
        (None, "replace None"),
        ([], "is empty"),
        ([0, 0, 0], "all zeros"),
        ([1, 0, 0], "leaves the signal where it is. A single 1 at position 0 comes out as the kernel itself"),
        ([1], "leaves the signal where it is"),
        ([2], "leaves the signal where it is, and multiplies it by 2."),
        ([0, 1], "delays the signal by 1 sample, not by 2"),
        ([0, 0, 0, 1], "delays the signal by 3 samples, not by 2"),
        ([0, 0, 2], "multiplied by 2"),
        ([0, 0, -1], "multiplied by -1"),
        ([0, 0, 1, 0, 0.5], "like an echo"),  # a weight far out is caught too
        ([0, 0, 1] + [0] * 20 + [1e-3], "like an echo"),
        ([1 / 3] * 3, "each sample comes out 3 times"),
        ([[0, 0, 1]], "should be 1-D"),
        ("001", "got the text"),
        ([0, 0, np.inf], "NaN or infinity"),
    ],
)
def test_2_5_wrong_kernels_get_a_message_that_names_the_mistake(delay2, says):
    assert_not_yet(exercises.check_2_5, delay2, says)


def test_2_5_messages_do_not_give_the_kernel_away():
    for wrong in ([1, 0, 0], [0, 1], [0, 0, 2]):
        assert "[0, 0, 1]" not in assert_not_yet(exercises.check_2_5, wrong)


# Exercise 2.6: the matrix of a 1-D CNN layer -------------------------------------------------------
def layer_matrix_loops(w, n):
    """Row i holds w as it is, starting in column i: output i is sum over j of x[i + j]·w[j]."""
    K = len(w)
    out = np.zeros((n - K + 1, n))
    for i in range(n - K + 1):
        for j in range(K):
            out[i, i + j] = w[j]
    return out


def layer_matrix_from_the_notebooks_full_matrix(w, n):
    """The notebook's convolution_matrix of the reversed kernel, keeping the 'valid' rows K - 1 .. n - 1."""
    K = len(w)
    g = np.asarray(w)[::-1]
    full = np.zeros((n + K - 1, n))
    for row in range(n + K - 1):
        for k in range(n):
            if 0 <= row - k < K:
                full[row, k] = g[row - k]
    return full[K - 1 : n]


def layer_matrix_lists(w, n):
    K = len(w)
    return [[float(w[k - i]) if 0 <= k - i < K else 0.0 for k in range(n)] for i in range(n - K + 1)]


@pytest.mark.parametrize(
    "answer",
    [
        layer_matrix_loops,
        layer_matrix_from_the_notebooks_full_matrix,
        layer_matrix_lists,
        lambda w, n: layer_matrix_loops(w, n).astype(np.float32),
    ],
)
def test_2_6_accepts_every_way_of_building_the_matrix(answer):
    assert_correct(exercises.check_2_6, answer)


def test_2_6_the_right_matrix_times_x_is_np_correlate_valid():
    # The property the exercise states, checked here against numpy on random signals.
    rng = np.random.default_rng(26)
    for K, n in [(1, 4), (2, 7), (3, 3), (4, 9)]:
        w, x = rng.normal(size=K), rng.normal(size=n)
        np.testing.assert_allclose(layer_matrix_loops(w, n) @ x, np.correlate(x, w, mode="valid"), atol=1e-12)


def convolution_rows(w, n):
    return layer_matrix_loops(np.asarray(w)[::-1], n)  # each row holds the kernel back to front


def band_one_to_the_right(w, n):
    out = np.zeros((n - len(w) + 1, n))
    for i in range(out.shape[0]):
        for j in range(len(w)):
            if i + j + 1 < n:
                out[i, i + j + 1] = w[j]
    return out


def kernel_in_the_first_row_only(w, n):
    out = np.zeros((n - len(w) + 1, n))
    out[0, : len(w)] = w
    return out


def changes_w(w, n):
    out = layer_matrix_loops(w, n)
    w *= 2
    return out


def with_toeplitz(w, n):
    import scipy.linalg

    first_column = np.zeros(n - len(w) + 1)
    first_column[0] = w[0]
    first_row = np.zeros(n)
    first_row[: len(w)] = w
    return scipy.linalg.toeplitz(first_column, first_row)


def with_identity_columns(w, n):
    return np.column_stack([np.correlate(np.eye(n)[k], w, mode="valid") for k in range(n)])


def with_correlate2d_of_the_identity(w, n):  # each column of the matrix is the layer applied to a unit impulse
    return scipy.signal.correlate2d(np.eye(n), np.asarray(w)[None], mode="valid").T


def with_scipy_convolution_matrix(w, n):
    from scipy.linalg import convolution_matrix

    return convolution_matrix(np.asarray(w)[::-1], n, mode="valid")


@pytest.mark.parametrize(
    ("answer", "says"),
    [
        (None, "expected a function"),
        (np.eye(3), "expected a function"),
        (raises_not_implemented, "replace `raise NotImplementedError()`"),
        (lambda w, n: None, "returned None"),
        (lambda w: w, "raised TypeError"),
        (convolution_rows, "each row holds the kernel back to front, so your matrix computes the convolution"),
        (lambda w, n: layer_matrix_loops(w, n).T, "got shape (5, 3). It is transposed"),
        (lambda w, n: layer_matrix_loops(w, n + len(w) - 1)[:, :n], "got shape (5, 5). That is as many outputs"),
        (lambda w, n: layer_matrix_loops(w, n)[:-1], "got shape (2, 5). One row short"),
        (lambda w, n: np.vstack([layer_matrix_loops(w, n), np.zeros(n)]), "got shape (4, 5). One row too many"),
        (band_one_to_the_right, "entry [0, 0] is 0, expected 1"),
        (kernel_in_the_first_row_only, "entry [1, 1] is 0, expected 1. Output 1 uses the samples x[1] to x[3]"),
        (changes_w, "changed the kernel it was given"),
        (lambda w, n: np.full((n - len(w) + 1, n), np.nan), "NaN or infinity"),
        (lambda w, n: "matrix", "got the text"),
        (with_toeplitz, "layer_matrix uses scipy.linalg.toeplitz, which this exercise forbids"),
        (with_identity_columns, "layer_matrix uses np.correlate, which this exercise forbids"),
        (with_correlate2d_of_the_identity, "layer_matrix uses scipy.signal.correlate2d, which this exercise"),
        (with_scipy_convolution_matrix, "layer_matrix uses scipy.linalg.convolution_matrix, which this exercise"),
    ],
)
def test_2_6_wrong_matrices_get_a_message_that_names_the_mistake(answer, says):
    assert_not_yet(exercises.check_2_6, answer, says)


def full_convolution_matrix(w, n):
    """The notebook's own convolution_matrix: every 'full' output, the kernel flipped."""
    K = len(w)
    out = np.zeros((n + K - 1, n))
    for row in range(n + K - 1):
        for k in range(n):
            if 0 <= row - k < K:
                out[row, k] = w[row - k]
    return out


def test_2_6_names_the_full_size_matrix_the_notebook_built():
    assert_not_yet(exercises.check_2_6, full_convolution_matrix, "got shape (7, 5). That is the size of the 'full'")


def test_2_6_tries_a_one_weight_kernel_and_a_kernel_as_long_as_the_signal():
    seen = []

    def spy(w, n):
        seen.append((len(w), n))
        return layer_matrix_loops(w, n)

    assert_correct(exercises.check_2_6, spy)
    assert any(K == 1 for K, _ in seen) and any(K == n for K, n in seen) and any(n >= 8 for _, n in seen)


def test_2_2_a_start_rule_right_only_for_short_kernels_is_caught():
    def convolve_same(f, g):  # (min - 1) // 2 up to min(M, K) = 4, then one value too early
        shortest = min(len(f), len(g))
        start = (shortest - 1) // 2 if shortest <= 4 else shortest // 2 - 1
        return convolve_copies(f, g)[start : start + max(len(f), len(g))]

    assert_not_yet(exercises.check_2_2, convolve_same, "starts")


def test_2_3_float16_thirds_are_told_about_float16_not_about_rounding_by_hand():
    message = assert_not_yet(exercises.check_2_3, np.full(3, 1 / 3, dtype=np.float16))
    assert "float16" in message and "exact fraction" not in message


def test_2_6_an_integer_matrix_is_told_that_it_holds_integers():
    def integer_matrix(w, n):
        return layer_matrix_loops(w, n).astype(int)

    assert_not_yet(exercises.check_2_6, integer_matrix, "Your matrix holds integers")


def test_2_2_leaves_the_rule_of_the_ends_to_the_learner():
    def one_late(f, g):
        start = min(len(f), len(g)) // 2
        return convolve_copies(f, g)[start : start + max(len(f), len(g))]

    message = assert_not_yet(exercises.check_2_2, one_late, "too late")
    assert "odd" not in message and "one more than the start" not in message
