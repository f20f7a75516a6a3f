"""Exercises of notebook 07: right answers accepted, wrong ones explained without the answer."""

import math
import warnings

import numpy as np
import pytest
import scipy.special
from helpers_exercises import BrokenRepr, assert_correct, assert_not_yet, checker_for, raises_not_implemented

import cnnlib
from cnnlib import exercises


# Right answers, written from the notebook's rules (not from the checkers)
def stable_softmax(z):
    z = np.asarray(z, dtype=float)
    exps = np.exp(z - z.max(axis=-1, keepdims=True))
    return exps / exps.sum(axis=-1, keepdims=True)


def stable_softmax_as_lists(z):
    return stable_softmax(z).tolist()


RIGHT = {"7.1": [stable_softmax, stable_softmax_as_lists]}


@pytest.mark.parametrize(("exercise_id", "answer"), [(key, a) for key, answers in RIGHT.items() for a in answers])
def test_right_answers_are_accepted(exercise_id, answer):
    assert_correct(checker_for(exercise_id), answer)


# Wrong softmaxes a learner might write
def naive(z):
    return np.exp(z) / np.exp(z).sum(axis=-1, keepdims=True)


def one_max_for_all_rows(z):
    exps = np.exp(z - z.max())
    return exps / exps.sum(axis=-1, keepdims=True)


def sum_of_whole_array(z):
    exps = np.exp(z - z.max(axis=-1, keepdims=True))
    return exps / exps.sum()


def max_without_keepdims(z):
    exps = np.exp(z - z.max(axis=-1))
    return exps / exps.sum(axis=-1)


def changes_its_input(z):
    z -= z.max(axis=-1, keepdims=True)
    return np.exp(z) / np.exp(z).sum(axis=-1, keepdims=True)


def with_math_exp(z):
    return [math.exp(v) / sum(math.exp(u) for u in z) for v in z]


def not_implemented(z):
    raise NotImplementedError()


def forgets_to_divide(z):
    return np.exp(z - z.max(axis=-1, keepdims=True))


def returns_logits(z):
    return z - z.max(axis=-1, keepdims=True)


def divides_by_the_max(z):
    exps = np.exp(z - z.max(axis=-1, keepdims=True))
    return exps / exps.max(axis=-1, keepdims=True)


def negative_probabilities(z):
    return stable_softmax(z) * 2 - stable_softmax(z) * 3 + 0 * z


def returns_infinity(z):
    return np.full(np.shape(z), np.inf)


@pytest.mark.parametrize(
    ("checker", "answer", "says"),
    [
        (exercises.check_7_1, naive, "your softmax returned nan for logits around 1000: subtract the largest logit"),
        (exercises.check_7_1, one_max_for_all_rows, "subtract each row's own largest logit"),
        (exercises.check_7_1, sum_of_whole_array, "each row should add up to 1"),
        (exercises.check_7_1, max_without_keepdims, "keepdims=True"),
        (exercises.check_7_1, changes_its_input, "changed its input z in place"),
        (exercises.check_7_1, with_math_exp, "exp of logits as large as 1002 is out of range"),
        (exercises.check_7_1, not_implemented, "replace `raise NotImplementedError()`"),
        (exercises.check_7_1, forgets_to_divide, "adds up to"),
        (exercises.check_7_1, returns_logits, "never negative"),
        (exercises.check_7_1, divides_by_the_max, "adds up to"),
        (exercises.check_7_1, negative_probabilities, "never negative"),
        (exercises.check_7_1, returns_infinity, "infinity"),
        (exercises.check_7_1, lambda z: None, "returned None"),
        (exercises.check_7_1, lambda z: 1.0, "expected an array of shape (3,), got shape (); return one probability"),
        (exercises.check_7_1, lambda z: "abc", "should be an array of numbers, got the text 'abc'"),
        (exercises.check_7_1, lambda z: stable_softmax(z).astype(complex), "should be an array of numbers"),
        (exercises.check_7_1, lambda z: [np.nan] * len(z), "returned nan"),
        (exercises.check_7_1, lambda: 1, "raised TypeError"),
        (exercises.check_7_1, None, "expected a function"),
    ],
)
def test_wrong_answers_get_a_message_that_says_what_to_look_at(checker, answer, says):
    assert_not_yet(checker, answer, says)


@pytest.mark.parametrize("softmax", [naive, one_max_for_all_rows, with_math_exp, returns_infinity])
def test_a_softmax_that_overflows_raises_no_warning_only_the_feedback(softmax):
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # any RuntimeWarning that escaped the checker would fail here
        assert_not_yet(exercises.check_7_1, softmax)


def test_checker_messages_print_arrays_on_one_line_as_a_learner_can_paste_them():
    message = assert_not_yet(exercises.check_7_1, sum_of_whole_array, "np.array([[1.0, 2.0, 3.0], [3.0, 1.0, 0.0]])")
    assert "\n" not in message
    unnormalised = lambda z: np.exp(z - np.max(z, axis=-1, keepdims=True))  # noqa: E731
    message = assert_not_yet(exercises.check_7_1, unnormalised, "my_softmax(np.array([1.0, 2.0, 3.0])) returned [")
    assert "[ " not in message, "no padding inside the brackets (numpy pads for alignment)"


# ---------------------------------------------------------------- 7.1: softmaxes that are almost right
def shifted_by(shift):
    """A softmax that subtracts ``shift(z)`` (one number per row, keepdims) instead of each row's largest logit."""

    def softmax(z):
        exps = np.exp(z - shift(z))
        return exps / exps.sum(axis=-1, keepdims=True)

    return softmax


# Each passes [1, 2, 3] and [1000, 1001, 1002] (any per-row shift does), and returns nan once the logits of one
# row lie more than 709 apart, where exp overflows: [0, 1000] for the smallest and the first logit, [-800, 0, 800]
# for the mean, [1000, 0] for the last, [0, 0, 1000] for the median.
ALMOST_RIGHT = {
    "the smallest logit": shifted_by(lambda z: z.min(axis=-1, keepdims=True)),
    "the mean of the logits": shifted_by(lambda z: z.mean(axis=-1, keepdims=True)),
    "the first logit": shifted_by(lambda z: z[..., :1]),
    "the last logit": shifted_by(lambda z: z[..., -1:]),
    "the median of the logits": shifted_by(lambda z: np.median(z, axis=-1, keepdims=True)),
}


@pytest.mark.parametrize("shift", ALMOST_RIGHT, ids=list(ALMOST_RIGHT))
def test_7_1_names_a_shift_that_overflows_when_the_logits_lie_far_apart(shift):
    softmax = ALMOST_RIGHT[shift]
    assert_correct_on_close_logits = np.allclose(softmax(np.array([1000.0, 1001.0, 1002.0])), stable_softmax([0, 1, 2]))
    assert assert_correct_on_close_logits, "the adversarial answer must pass the easy cases"
    message = assert_not_yet(exercises.check_7_1, softmax, "is wrong for logits that lie far apart")
    assert f"It looks as if you subtract {shift}:" in message and "Subtract each row's largest logit" in message


def test_7_1_tries_logits_more_than_709_apart():
    # exp(709.8) is the largest float; a case must overflow every shift but the largest logit's
    tried = []
    exercises.check_7_1(lambda z: tried.append(np.ptp(z, axis=-1).max()) or stable_softmax(z))
    assert max(tried) >= 1000


def with_logsumexp(z):
    from scipy.special import logsumexp  # the shift that makes it stable, ready-made: "with numpy only"

    return np.exp(z - logsumexp(z, axis=-1, keepdims=True))


@pytest.mark.parametrize(
    "softmax",
    [
        lambda z: stable_softmax(np.asarray(z, dtype=np.float32)),  # float32 probabilities: right within float32
        lambda z: stable_softmax(z).tolist(),
        lambda z: tuple(map(tuple, np.atleast_2d(stable_softmax(z)))) if np.ndim(z) == 2 else tuple(stable_softmax(z)),
    ],
)
def test_7_1_accepts_every_form_of_a_stable_softmax(softmax):
    assert_correct(exercises.check_7_1, softmax)


def column_softmax(z):
    exps = np.exp(z - z.max(axis=0, keepdims=True))
    return exps / exps.sum(axis=0, keepdims=True)


@pytest.mark.parametrize(
    ("softmax", "says"),
    [
        (lambda z: cnnlib.softmax(z), "my_softmax uses cnnlib.softmax, which this exercise forbids"),
        (cnnlib.softmax, "uses cnnlib.softmax"),
        (lambda z: scipy.special.softmax(z, axis=-1), "uses scipy.special.softmax"),
        (lambda z: np.exp(scipy.special.log_softmax(z, axis=-1)), "uses scipy.special.log_softmax"),
        (with_logsumexp, "uses scipy.special.logsumexp"),
        (column_softmax, "your columns do: you worked along axis 0"),
        (lambda z: stable_softmax(z) * np.ones(z.shape).sum(axis=1, keepdims=True) / z.shape[1], "axis=-1: it works"),
        (lambda z: stable_softmax(z * 1.0001), "the largest difference is at index [2], 0.6653 instead of 0.6652"),
        (lambda z: stable_softmax(np.clip(z, -700, 700)) if np.ptp(z) < 700 else stable_softmax(z - 1), "0.333"),
        # float16 of softmax([1, 2, 3]) = [0.0900306, 0.244728, 0.665241], by hand: steps of 2**-14, 2**-13 and
        # 2**-11 give 0.0900269 + 0.244751 + 0.665039 = 0.999817, shown with the digits that tell it from 1
        (lambda z: stable_softmax(z).astype(np.float16), "which adds up to 0.9998 instead of 1: float16 keeps only"),
    ],
)
def test_7_1_explains_the_forbidden_and_the_nearly_right(softmax, says):
    assert_not_yet(exercises.check_7_1, softmax, says)


# ---------------------------------------------------------------- 7.2: the dense layer on a batch
def given_dense_logits(maps, w, b):
    """The classmate's function of the notebook: right for one sample, mixes the samples of a batch."""
    columns = maps.reshape(-1, len(maps))
    return (w @ columns + b[:, None]).T


def fixed_dense_logits(maps, w, b):
    """The fix, written from the notebook's rule: each sample flattened into a row (C order), then transposed."""
    columns = maps.reshape(len(maps), -1).T
    return (w @ columns + b[:, None]).T


def rows_dense_logits(maps, w, b):
    """Another right answer: the notebook's z = x w^T + b on the flattened batch, as nested lists."""
    return (np.asarray(maps).reshape(len(maps), -1) @ np.asarray(w).T + b).tolist()


def loop_dense_logits(maps, w, b):
    """Another right answer: one sample at a time, float32."""
    return np.array([w @ sample.ravel() + b for sample in maps], dtype=np.float32)


@pytest.mark.parametrize("answer", [fixed_dense_logits, rows_dense_logits, loop_dense_logits])
def test_7_2_accepts_every_right_dense_layer(answer):
    assert_correct(exercises.check_7_2, answer)


def test_7_2_the_given_function_is_right_for_one_sample_and_wrong_for_a_batch():
    rng = np.random.default_rng(0)
    maps, w, b = rng.normal(size=(3, 2, 3, 4)), rng.normal(size=(5, 24)), rng.normal(size=5)
    expected = cnnlib.dense(cnnlib.flatten(maps), w, b)  # the reference of the notebook
    assert np.allclose(given_dense_logits(maps[:1], w, b), expected[:1])
    assert not np.allclose(given_dense_logits(maps, w, b), expected)
    assert np.allclose(fixed_dense_logits(maps, w, b), expected)


def changes_its_maps(maps, w, b):
    maps -= 0  # harmless...
    maps[0, 0, 0, 0] = 0.0  # ...but this writes into the learner's input
    return fixed_dense_logits(maps, w, b)


@pytest.mark.parametrize(
    ("answer", "says"),
    [
        (
            given_dense_logits,
            "it gives what the given function gives: right for one sample at a time, but not for a batch of 3: it "
            "mixes the samples",
        ),
        (lambda maps, w, b: (w @ maps.reshape(-1, len(maps)) + b[:, None]).T * 1.0, "it mixes the samples"),
        (  # another way to mix them: every row gets the batch's mean sample
            lambda maps, w, b: (
                np.broadcast_to(maps.reshape(len(maps), -1).mean(0) @ w.T + b, (len(maps), len(b)))
                if len(maps) > 1
                else maps.reshape(1, -1) @ w.T + b
            ),
            "right for one sample at a time, but not for a batch",
        ),
        (lambda maps, w, b: maps.transpose(0, 2, 3, 1).reshape(len(maps), -1) @ w.T + b, "with the channels last"),
        (lambda maps, w, b: maps.reshape(len(maps), -1, order="F") @ w.T + b, "its first axis fastest"),
        (lambda maps, w, b: (w @ maps.T.reshape(-1, len(maps)) + b[:, None]).T, "its first axis fastest"),
        (lambda maps, w, b: maps.reshape(len(maps), -1) @ w.T, "the bias is missing"),
        (lambda maps, w, b: maps.reshape(len(maps), -1) @ w + b, "one row of D weights per output"),
        (lambda maps, w, b: maps.reshape(len(maps), -1) @ w.T - b, "the bias is subtracted"),
        (lambda maps, w, b: w @ maps.reshape(len(maps), -1).T + b[:, None], "got shape (5, 3): one column per sample"),
        (lambda maps, w, b: cnnlib.softmax(maps.reshape(len(maps), -1) @ w.T + b), "these are probabilities"),
        (lambda maps, w, b: maps.reshape(len(maps), -1) @ w + b, "raised ValueError"),  # W not transposed
        (lambda maps, w, b: fixed_dense_logits(maps, w, b) + 1e-6, "logit 0 of sample 0 is"),
        (
            lambda maps, w, b: cnnlib.dense(cnnlib.flatten(maps), w, b),
            "uses cnnlib.flatten, which this exercise forbids",
        ),
        (lambda maps, w, b: cnnlib.dense(maps.reshape(len(maps), -1), w, b), "uses cnnlib.dense"),
        (lambda maps, w, b: cnnlib.layers.Flatten().forward(maps) @ w.T + b, "uses cnnlib.layers.Flatten"),
        (changes_its_maps, "changed its input arrays"),
        (raises_not_implemented, "replace `raise NotImplementedError()`"),
        (lambda maps, w, b: None, "is None: does your function end with `return`"),
        (lambda maps, w: maps, "raised TypeError"),
        ("dense_logits", "expected a function"),
    ],
)
def test_7_2_names_each_slip(answer, says):
    assert_not_yet(exercises.check_7_2, answer, says)


def test_7_2_tries_a_batch_where_no_two_of_n_k_and_d_are_equal_and_a_single_sample():
    sizes = [(n, k, c * h * w) for n, c, h, w, k in exercises.ex07.CASES_7_2]
    assert all(len(set(size)) == 3 for size in sizes)
    assert any(n == 1 for n, _, _ in sizes) and any(n > 1 for n, _, _ in sizes)


# ---------------------------------------------------------------- 7.3: global average pooling as a dense layer
def gap_by_hand(channels=3, height=4, width=5):
    """Row c: 1/(H*W) on positions c*H*W to (c+1)*H*W - 1 of the flattened sample (cnnlib.flatten's order)."""
    w = np.zeros((channels, channels * height * width))
    for c in range(channels):
        w[c, c * height * width : (c + 1) * height * width] = 1 / (height * width)
    return w


def uneven_gap():
    """Right but for two weights of channel 0: its row still adds up to 1 and stays on its block."""
    w = gap_by_hand()
    w[0, 0], w[0, 1] = w[0, 0] + 0.01, w[0, 1] - 0.01
    return w


def test_7_3_the_right_layer_is_the_mean_of_each_map():
    maps = np.random.default_rng(1).normal(size=(2, 3, 4, 5))
    assert np.allclose(cnnlib.dense(cnnlib.flatten(maps), gap_by_hand(), np.zeros(3)), maps.mean(axis=(2, 3)))


@pytest.mark.parametrize(
    "answer",
    [
        (gap_by_hand(), np.zeros(3)),
        (gap_by_hand().astype(np.float32), np.zeros(3, dtype=np.float32)),
        (gap_by_hand().tolist(), [0, 0, 0]),
        (gap_by_hand(), 0),  # one bias for all, added as numpy broadcasts it
        (gap_by_hand(), np.array(0.0)),
        (np.repeat(np.eye(3), 20, axis=1) / 20, [0.0]),
    ],
)
def test_7_3_accepts_the_layer_in_every_form(answer):
    assert_correct(exercises.check_7_3, *answer)


@pytest.mark.parametrize(
    ("w_gap", "b_gap", "says"),
    [
        (gap_by_hand() * 20, np.zeros(3), "your layer gives the sum of each map"),
        (gap_by_hand() * 2, np.zeros(3), "your layer gives 2 times the mean"),
        (gap_by_hand() * 1.001, np.zeros(3), "your layer gives 1.001 times the mean"),
        (np.full((3, 60), 1 / 60), np.zeros(3), "every output averages all C·H·W numbers"),
        (np.tile(np.eye(3), 20) / 20, np.zeros(3), "as if flatten put the channels last"),
        (gap_by_hand()[[1, 0, 2]], np.zeros(3), "the rows are in another order"),
        (gap_by_hand()[[2, 0, 1]], np.zeros(3), "the rows are in another order"),
        (gap_by_hand(), np.ones(3), "the weights are right, but the biases [1, 1, 1] shift every mean"),
        (gap_by_hand(), np.full(3, 1e-9), "the biases [1e-09, 1e-09, 1e-09] shift every mean"),
        (gap_by_hand().T, np.zeros(3), "got shape (60, 3). That is (D, K)"),
        (np.ones((3, 4, 5)) / 20, np.zeros(3), "one row of C·H·W weights per output unit"),
        (gap_by_hand().reshape(3, 3, 4, 5), np.zeros(3), "That is a convolution's filters, (F, C, H, W)"),
        (uneven_gap(), np.zeros(3), "do not all count the same"),
        (np.repeat(np.eye(3), 20, axis=1) * np.tile(np.arange(20) < 10, 3) / 10, np.zeros(3), "non-zero exactly"),
        (gap_by_hand(), np.zeros((3, 1)), "expected one bias per output unit, shape (3,), got shape (3, 1)"),
        (gap_by_hand(), None, "pass both: check_7_3(w_gap, b_gap)"),
        (None, np.zeros(3), "`w_gap` is None"),
        (np.full((3, 60), np.nan), np.zeros(3), "NaN"),
        ("mean", np.zeros(3), "should be an array of numbers"),
    ],
)
def test_7_3_names_what_the_layer_computes_instead(w_gap, b_gap, says):
    assert_not_yet(exercises.check_7_3, w_gap, says, more=(b_gap,))


# ---------------------------------------------------------------- 7.4: sizes and counts of a network not shown
# By hand: 32 -> (32 + 4 - 5) + 1 = 32 -> pool 16 -> (16 - 3) + 1 = 14 -> pool 7; flatten 20 * 7 * 7 = 980;
# dense 980 * 10 + 10 = 9810; conv 16 * 3 * 25 + 16 = 1216 and 20 * 16 * 9 + 20 = 2900; total 13926.
FLAT, DENSE, TOTAL = 980, 9810, 13926


@pytest.mark.parametrize(
    "answer",
    [(FLAT, DENSE, TOTAL), (980.0, 9810.0, 13926.0), (np.int64(FLAT), np.array(DENSE), np.float32(TOTAL))],
)
def test_7_4_accepts_the_three_counts_in_every_form(answer):
    assert_correct(exercises.check_7_4, *answer)


@pytest.mark.parametrize(
    ("answer", "says"),
    [
        ((20 * 6 * 6, DENSE, TOTAL), "the first has padding 2"),  # padding forgotten: 32 -> 28 -> 14 -> 12 -> 6
        ((20 * 6 * 6, DENSE, TOTAL), "ends in + 1"),  # or the + 1: 32 -> 31 -> 15 -> 12 -> 6
        ((20 * 15 * 15, DENSE, TOTAL), "The first pooling halves each side too"),
        ((20 * 14 * 14, DENSE, TOTAL), "The second pooling halves each side too"),
        ((7 * 7, DENSE, TOTAL), "That is one map"),
        ((16 * 7 * 7, DENSE, TOTAL), "That is the first convolution's number of maps"),
        ((3 * FLAT, DENSE, TOTAL), "Colour enters the first convolution's filters"),
        ((3 * 32 * 32, DENSE, TOTAL), "That is the input image"),
        ((20 * 8 * 8, DENSE, TOTAL), "Follow the shape layer by layer"),  # padding 1 in the second convolution
        (((20, 7, 7), DENSE, TOTAL), "`flat_length` = (20, 7, 7) is a shape"),
        ((FLAT, FLAT * 10, TOTAL), "The biases are learned too, one per output unit"),
        ((FLAT, FLAT + 10, TOTAL), "Each output unit has its own D weights"),
        ((FLAT, FLAT * 10 + 20, TOTAL), "one bias per output unit, not one per map"),
        ((FLAT, 10**6, TOTAL), "D·K weights and K biases"),
        ((FLAT, DENSE, 16 * 25 + 16 + 2900 + DENSE), "each has 3 channels of k × k"),
        ((FLAT, DENSE, 1216 + 20 * 9 + 20 + DENSE), "spans all the maps of the first"),
        ((FLAT, DENSE, 1216 + 20 * 3 * 9 + 20 + DENSE), "not the colour channels of the image"),  # 11,586
        ((FLAT, DENSE, 16 * 25 + 16 + 20 * 9 + 20 + DENSE), "Each filter spans every channel of its input"),
        ((FLAT, DENSE, TOTAL - 36), "The convolutions' biases are learned too"),
        ((FLAT, DENSE, TOTAL - 46), "one per filter and one per class"),
        ((FLAT, DENSE, 1216 + 2900), "The dense layer counts too"),
        ((FLAT, DENSE, DENSE), "The convolutions count too"),
        ((FLAT, DENSE, TOTAL + 1), "Add the two convolutions"),
        ((FLAT, DENSE, TOTAL + 0.5), "should be a whole number"),
        ((FLAT, None, None), "`dense_params` is None"),
        ((FLAT, DENSE, None), "`total_params` is None"),
        ((None, None, None), "`flat_length` is None"),
        (("980", DENSE, TOTAL), "should be a whole number"),
        ((True, DENSE, TOTAL), "should be a whole number"),
    ],
)
def test_7_4_names_each_slip(answer, says):
    flat_length, *more = answer
    assert_not_yet(exercises.check_7_4, flat_length, says, more=tuple(more))


def test_7_4_expected_counts_agree_with_a_network_run_on_random_weights():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(1, 3, 32, 32))
    w1, w2 = rng.normal(size=(16, 3, 5, 5)), rng.normal(size=(20, 16, 3, 3))
    h = cnnlib.max_pool2d(cnnlib.relu(cnnlib.conv2d(x, w1, np.zeros(16), padding=2)), size=2)
    h = cnnlib.max_pool2d(cnnlib.relu(cnnlib.conv2d(h, w2, np.zeros(20))), size=2)
    assert cnnlib.flatten(h).shape == (1, FLAT)
    assert w1.size + 16 + w2.size + 20 + FLAT * 10 + 10 == TOTAL


def test_7_4_messages_do_not_give_the_counts_away():
    for answer in [(720, 0, 0), (FLAT, FLAT * 10, 0), (FLAT, DENSE, TOTAL - 36)]:
        message = assert_not_yet(exercises.check_7_4, answer[0], more=answer[1:])
        assert all(str(n) not in message for n in {FLAT, DENSE, TOTAL} - set(answer))


# ---------------------------------------------------------------- 7.5: softmax of shifted and doubled logits
P = np.array([0.1, 0.2, 0.7])
# By hand: softmax(2z)_k = p_k^2 / (0.01 + 0.04 + 0.49) = [0.0185, 0.0741, 0.9074]; z[2] - z[0] = ln(0.7 / 0.1) = ln 7
DOUBLE = P**2 / 0.54
GAP = math.log(7)


@pytest.mark.parametrize(
    "answer",
    [
        (P, DOUBLE, GAP),
        ([0.1, 0.2, 0.7], [0.019, 0.074, 0.907], 1.946),  # three decimals
        (tuple(P), DOUBLE.tolist(), np.array([GAP])),
        (P.astype(np.float32), DOUBLE.astype(np.float32), np.float32(GAP)),
        (scipy.special.softmax(np.log(P) + 3), scipy.special.softmax(2 * np.log(P)), np.array(GAP)),
    ],
)
def test_7_5_accepts_the_predictions_in_every_form(answer):
    assert_correct(exercises.check_7_5, *answer)


@pytest.mark.parametrize(
    ("answer", "says"),
    [
        ((scipy.special.softmax(P + 3), DOUBLE, GAP), "`p_plus` is softmax(p + 3), the softmax of the probabilities"),
        ((P + 3, DOUBLE, GAP), "`p_plus` = [3.1, 3.2, 3.7] adds up to 10"),
        ((P * math.e**3, DOUBLE, GAP), "adds up to 20.1"),
        ((P[::-1], DOUBLE, GAP), "is not softmax(z + 3)"),
        ((P + [0.001, 0, -0.001], DOUBLE, GAP), "is close, but not to three decimals"),  # beyond what 3 decimals allow
        (([0.2, 0.2, 0.6], DOUBLE, GAP), "is not softmax(z + 3)"),
        ((P, P, GAP), "doubling is not shifting"),
        ((P, 2 * P, GAP), "`p_double` = [0.2, 0.4, 1.4] adds up to 2"),
        ((P, P**2, GAP), "adds up to 0.54"),
        ((P, scipy.special.softmax(2 * P), GAP), "that is softmax(2 * p), the softmax of the probabilities"),
        ((P, np.sqrt(P) / np.sqrt(P).sum(), GAP), "that is softmax(z / 2), flatter"),
        ((P, P**3 / (P**3).sum(), GAP), "is not softmax(2 * z)"),
        ((P, [0.02, 0.074, 0.906], GAP), "is close, but not to three decimals"),
        ((P, [0.05, 0.1, 0.85], GAP), "is not softmax(2 * z)"),
        ((P, DOUBLE, 0.6), "is p[2] - p[0], a difference of probabilities"),
        ((P, DOUBLE, 7), "is p[2] / p[0], which is e^(z[2] - z[0]): take the logarithm"),
        ((P, DOUBLE, -GAP), "has the wrong sign"),
        ((P, DOUBLE, math.log10(7)), "base-10 logarithm"),
        ((P, DOUBLE, math.log2(7)), "base-2 logarithm"),
        ((P, DOUBLE, math.log(0.7)), "is not z[2] - z[0]"),
        ((P, DOUBLE, 1.94), "is close, but not to three decimals"),  # rounded too far
        ((P, DOUBLE, 1.8), "is not z[2] - z[0]"),
        ((P, DOUBLE, None), "`gap` is None"),
        ((P, None, None), "`p_double` is None"),
        ((None, None, None), "`p_plus` is None"),
        (([0.1, 0.2], DOUBLE, GAP), "expected an array of shape (3,), got shape (2,)"),
        ((P, DOUBLE, [GAP, GAP]), "should be one number"),
        ((P, DOUBLE, "ln 7"), "should be one number"),
        ((P, [-0.1, 0.2, 0.9], GAP), "has a negative entry"),
    ],
)
def test_7_5_names_each_slip(answer, says):
    first, *more = answer
    assert_not_yet(exercises.check_7_5, first, says, more=tuple(more))


@pytest.mark.parametrize("checker", [exercises.check_7_3, exercises.check_7_4, exercises.check_7_5])
def test_checkers_with_several_answers_never_crash_on_junk_in_any_place(checker):
    junk = [None, "x", BrokenRepr(), float("nan"), [[1, 2], [3]], 10**400, 1 + 2j, np.array(None), True]
    right = {
        "7.3": (gap_by_hand(), np.zeros(3)),
        "7.4": (FLAT, DENSE, TOTAL),
        "7.5": (P, DOUBLE, GAP),
    }[checker.exercise_id]
    for place in range(len(right)):
        for value in junk:
            answer = list(right)
            answer[place] = value
            assert_not_yet(checker, answer[0], more=tuple(answer[1:]))


def test_7_2_leaves_finding_the_wrong_line_to_the_learner():
    message = assert_not_yet(exercises.check_7_2, given_dense_logits, "it gives what the given function gives")
    assert "reshape" not in message and "column n" not in message
