"""Exercises of notebook 04: right answers accepted, wrong ones explained without the answer."""

import numpy as np
import pytest
from helpers_exercises import BrokenRepr, assert_correct, assert_not_yet

import cnnlib
from cnnlib import exercises
from cnnlib.exercises import ex04, ex04_counts, ex04_fields

# 4.1 by hand, with r_l = r_{l-1} + d (k - 1) j_{l-1} and j_l = j_{l-1} s from r_0 = j_0 = 1:
#   conv 3x3:            r = 1 + 2*1 = 3,       j = 1
#   max pool 2, stride 2: r = 3 + 1*1 = 4,       j = 2
#   conv 3x3, dilation 2: r = 4 + 2*2*2 = 12,    j = 2
#   conv 3x3, stride 2:   r = 12 + 2*2 = 16,     j = 4
# A unit in row 2 of the last map starts 2 * 4 = 8 rows down and sees 16 rows: 8 to 23.
FIELDS = [(3, 1), (4, 2), (12, 2), (16, 4)]
ROWS = (8, 23)
# 4.2: x (8, 3, 32, 25), w (16, 3, 5, 5), stride 3, padding 3:
# OH = (32 + 6 - 5) // 3 + 1 = 33 // 3 + 1 = 12, OW = (25 + 6 - 5) // 3 + 1 = 26 // 3 + 1 = 9.
SHAPE = (8, 16, 12, 9)
# 4.3: layer 2 has 32 filters of 16 x 3 x 3 plus 32 biases; a dense layer of 100 units on 64 * 64 * 3 inputs.
CONV, DENSE = 32 * 16 * 3 * 3 + 32, 64 * 64 * 3 * 100 + 100
# 4.4: x (2, 8, 21, 16), w (6, 8, 5, 5), stride 3, padding 3, dilation 3: the filter spans 3 * 4 + 1 = 13 pixels,
# OH = (21 + 6 - 13) // 3 + 1 = 14 // 3 + 1 = 5, OW = (16 + 6 - 13) // 3 + 1 = 9 // 3 + 1 = 4.
DILATED = (2, 6, 5, 4)
# 4.5: LeNet-5's C3 (LeCun et al., 1998, section II.B): "C3 has 1,516 trainable parameters and 151,600
# connections". The table's 6 x 3 + 9 x 4 + 1 x 6 = 60 slices of 5 x 5 are 1,500 weights, plus 16 biases. Each of
# its 10 x 10 outputs uses all 1,516, so the paper's connections count one bias addition per output and map:
# 151,600 - 16 * 100 = 150,000 multiply-accumulates.
C3_PARAMS, C3_MACS = 1516, 151_600 - 16 * 100


@pytest.mark.parametrize(
    "answer",
    [
        SHAPE,
        list(SHAPE),
        tuple(np.int64(v) for v in SHAPE),
        np.array(SHAPE),
        (8, 16, 12.0, 9.0),  # 33 / 3 style arithmetic gives whole floats: the same shape
        (8, 16, np.float64(12), np.array(9)),
    ],
)
def test_4_2_right_answers_are_accepted(answer):
    assert_correct(exercises.check_4_2, answer)


@pytest.mark.parametrize(("conv", "dense"), [(CONV, DENSE), (np.int64(CONV), float(DENSE)), (np.array(CONV), DENSE)])
def test_4_3_right_answers_are_accepted(conv, dense):
    assert_correct(exercises.check_4_3, conv, dense)


@pytest.mark.parametrize(
    ("answer", "says"),
    [
        (None, "replace None"),
        ("(8, 16, 12, 9)", "tuple of 4 whole numbers"),
        (10, "tuple of 4 whole numbers"),
        ((16, 12, 9), "forget N"),
        ((16, 12, 10), "it holds 3."),  # three numbers, not (F, OH, OW): no guess about N
        ((8, 16, 12, 9, 1), "holds 5"),
        ((8, 16, 12, 26 / 3 + 1), "round down"),
        ((8, 16, 12.5, 9.5), "whole numbers"),
        ((8, 16, "12", 9), "whole numbers"),
        ((8, 16, None, 9), "whole numbers"),
        ((True, 16, 12, 9), "whole numbers"),
        ((1, 16, 12, 9), "keeps the number of images"),
        ((8, 3, 12, 9), "number of input channels C"),
        ((8, 7, 12, 9), "one feature map per filter"),
        ((8, 16, 9, 12), "swapped"),
        ((8, 12, 9, 16), "has the filters last, (N, OH, OW, F)"),
        ((8, 16, 34, 27), "stride is missing"),
        ((8, 16, 10, 7), "padding is missing"),
        ((8, 16, 10, 8), "n // s counts steps across the bare input"),
        # two slips each give these: rounding up or p added to the count; one-sided padding or one short
        ((8, 16, 12, 10), "OW = 10 is not right. Apply the output size formula to the width W = 25"),
        ((8, 16, 11, 8), "OH = 11 is not right. Apply the output size formula to the height H = 32"),
        ((8, 16, 12, 11), "width W = 25"),
        ((8, 16, 30, 20), "OH = 30"),
        (np.zeros((2, 2)), "whole numbers"),
        ({"N": 8}, "tuple of 4"),
    ],
)
def test_4_2_wrong_answers_are_explained(answer, says):
    assert_not_yet(exercises.check_4_2, answer, says)


@pytest.mark.parametrize(
    ("conv", "dense", "says"),
    [
        (None, DENSE, "`conv_params` is None"),
        (CONV, None, "`dense_params` is None"),
        ("4640", DENSE, "whole number"),
        (float("nan"), DENSE, "whole number"),
        (CONV + 0.5, DENSE, "whole number"),
        (32 * 16 * 9, DENSE, "biases are missing: each filter"),
        (32 * 3 * 9 + 32, DENSE, "layer 1's output"),
        (32 * 9 + 32, DENSE, "one k x k slice per input channel"),
        (64 * 64 * 16 * 32, DENSE, "does not depend on the image's height or width"),
        (16 * 3 * 9 + 16, DENSE, "that is layer 1's count"),
        (16 * 3 * 9 + 16 + CONV, DENSE, "adds layer 1's parameters"),
        (32 * 16 * 9 + 32 * 16, DENSE, "not one bias per slice"),
        (1234, DENSE, "count per filter"),
        (CONV, 64 * 64 * 3 * 100, "biases are missing: each unit"),
        (CONV, 64 * 64 * 100 + 100, "3 numbers per pixel"),
        (CONV, 64 * 64 * 3, "counts the inputs"),
        (CONV, 5, "(number of inputs) x (number of units)"),
        (BrokenRepr(), DENSE, "whole number"),
    ],
)
def test_4_3_wrong_answers_are_explained(conv, dense, says):
    assert_not_yet(exercises.check_4_3, conv, says, more=(dense,))


def test_4_3_with_a_single_argument_says_what_is_missing():
    assert_not_yet(exercises.check_4_3, CONV, "`dense_params` is None")


def test_messages_hint_without_giving_the_answer_away():
    assert "12" not in assert_not_yet(exercises.check_4_2, (8, 16, 16, 11))
    assert str(CONV) not in assert_not_yet(exercises.check_4_3, 1234, more=(DENSE,))
    assert str(DENSE) not in assert_not_yet(exercises.check_4_3, CONV, more=(5,))


@pytest.mark.parametrize(("conv", "dense"), [(float(CONV), float(DENSE)), (np.float32(CONV), np.array(DENSE))])
def test_4_3_accepts_whole_floats_and_0d_arrays(conv, dense):
    assert_correct(exercises.check_4_3, conv, dense)


@pytest.mark.parametrize(
    ("fields", "rows"),
    [
        (FIELDS, ROWS),
        ([list(pair) for pair in FIELDS], list(ROWS)),
        (np.array(FIELDS), np.array(ROWS)),
        (np.array(FIELDS, dtype=float), (8.0, 23.0)),
        (tuple(tuple(np.int64(v) for v in pair) for pair in FIELDS), (np.int64(8), np.array(23))),
        (cnnlib.receptive_field([3, 2, 3, 3], [1, 2, 1, 2], [1, 1, 2, 1]), ROWS),  # namedtuples are pairs too
    ],
)
def test_4_1_right_answers_are_accepted(fields, rows):
    assert_correct(exercises.check_4_1, fields, rows)


def test_4_1_agrees_with_cnnlib_receptive_field_and_with_the_gradient_of_a_real_stack():
    torch = pytest.importorskip("torch")
    layers = [(k, s, d) for _, k, s, d in ex04_fields.STACK_4_1]
    assert [tuple(f) for f in cnnlib.receptive_field(*zip(*layers, strict=True))] == FIELDS
    # The same stack in PyTorch (average pooling: the same windows, and every pixel gets a gradient), one unit.
    stack = torch.nn.Sequential(
        torch.nn.Conv2d(1, 1, 3),
        torch.nn.AvgPool2d(2),
        torch.nn.Conv2d(1, 1, 3, dilation=2),
        torch.nn.Conv2d(1, 1, 3, stride=2),
    ).double()
    for layer in stack:
        if isinstance(layer, torch.nn.Conv2d):
            torch.nn.init.constant_(layer.weight, 1.0)
    image = torch.ones(1, 1, 40, 40, dtype=torch.float64, requires_grad=True)
    stack(image)[0, 0, ex04_fields.UNIT_ROW_4_1, 0].backward()
    rows = torch.nonzero(image.grad[0, 0].abs().sum(dim=1)).flatten()
    assert (int(rows.min()), int(rows.max())) == ROWS
    assert len(rows) == FIELDS[-1][0]


def no_dilation():
    return [(3, 1), (4, 2), (8, 2), (12, 4)]


@pytest.mark.parametrize(
    ("fields", "rows", "says"),
    [
        (None, ROWS, "`fields` is None"),
        ([3, 4, 12, 16], ROWS, "expected an array of shape (4, 2), got shape (4,)"),
        ([[3, 4, 12, 16], [1, 2, 2, 4]], ROWS, "not a list of sizes and a list of steps"),
        ([(1, 1), *FIELDS], ROWS, "leave out the input's own (1, 1)"),
        ([(b, a) for a, b in FIELDS], ROWS, "the wrong way round: write (size, step)"),
        (no_dilation(), ROWS, "the dilation of layer 3 is missing"),
        ([(3, 1), (4, 2), (14, 2), (18, 4)], ROWS, "not d·k"),  # span d * k = 6 instead of 5
        ([(3, 1), (5, 2), (13, 2), (21, 4)], ROWS, "a layer's own stride does not widen its own field"),
        ([(3, 1), (4, 1), (8, 1), (10, 1)], ROWS, "the step never grows"),
        ([(3, 1), (4, 2), (8, 2), (10, 4)], ROWS, "not by d(k - 1) alone"),
        ([(4, 1), (6, 2), (18, 2), (24, 4)], ROWS, "adds k - 1 steps to the field, not k"),
        ([(3, 1), (4, 2), (12, 2), (16, 2)], ROWS, "wrong at layer 4 (conv 3 x 3, stride 2): its step is not"),
        ([(3, 1), (4, 2), (11, 2), (15, 4)], ROWS, "wrong at layer 3 (conv 3 x 3, dilation 2): its size is not"),
        ([(3, 1), (4, 2), (12, 2), (16.5, 4)], ROWS, "should hold whole numbers"),
        ([(3, 1), (4, 2), (12, 2), (np.nan, 4)], ROWS, "NaN"),
        ("3, 4, 12, 16", ROWS, "array of numbers"),
        (FIELDS, None, "`rows_seen` is None"),
        (FIELDS, 8, "should be a pair of whole numbers"),
        (FIELDS, (8, 23, 1), "should be a pair of whole numbers"),
        (FIELDS, (23, 8), "the wrong way round: give (first row, last row)"),
        (FIELDS, (8, 24), "ends one row too late"),
        (FIELDS, (32, 47), "one step apart, not one field apart"),  # 2 fields of 16 down
        (FIELDS, (2, 17), "starts at input row 2"),
        (FIELDS, (8, 20), "as many rows as the last layer's field size"),
        (FIELDS, (4, 19), "starts at row 4, 2 steps of 2 rows. The units of the last map are 4 input rows apart"),
        (FIELDS, (5, 20), "starting 2 steps further down"),
        (FIELDS, (8.5, 23), "whole number"),
        (FIELDS, ("8", 23), "whole number"),
        (BrokenRepr(), ROWS, "array of numbers"),
    ],
)
def test_4_1_wrong_answers_are_explained(fields, rows, says):
    assert_not_yet(exercises.check_4_1, fields, says, more=(rows,))


@pytest.mark.parametrize(
    "answer",
    [DILATED, list(DILATED), np.array(DILATED), (2, 6, 5.0, 4.0), (np.int64(2), 6, np.array(5), np.float32(4))],
)
def test_4_4_right_answers_are_accepted(answer):
    assert_correct(exercises.check_4_4, answer)


def test_4_4_agrees_with_pytorch():
    torch = pytest.importorskip("torch")
    out = torch.nn.functional.conv2d(
        torch.zeros(ex04.X_SHAPE_4_4),
        torch.zeros(ex04.W_SHAPE_4_4),
        stride=ex04.STRIDE_4_4,
        padding=ex04.PADDING_4_4,
        dilation=ex04.DILATION_4_4,
    )
    assert tuple(out.shape) == DILATED


def test_4_4_every_slip_gives_its_own_shape():
    # Otherwise the checker could name the wrong slip: each must give a distinct (OH, OW), none the right one,
    # except two pairs these sizes do not tell apart (rounding up and a missing - 1; padding on one side and one
    # short): the checker names both of a pair (below).
    shapes = [ex04._slip_4_4(rule) for rule, _ in ex04.SLIPS_4_4]
    assert len(set(shapes)) == len(shapes) - 2
    assert shapes.count((6, 4)) == 2 and shapes.count((4, 3)) == 2
    assert DILATED[2:] not in shapes and DILATED[2:][::-1] not in shapes


# Wrong ways to get one output side, written out here independently of the checker: (n, k, s, p, d) -> side.
WRONG_SIDES = {
    "no padding": lambda n, k, s, p, d: (n - d * (k - 1) - 1) // s + 1,
    "padding on one side": lambda n, k, s, p, d: (n + p - d * (k - 1) - 1) // s + 1,
    "one short": lambda n, k, s, p, d: (n + 2 * p - d * (k - 1) - 1) // s,
    "rounded up": lambda n, k, s, p, d: -(-(n + 2 * p - d * (k - 1) - 1) // s) + 1,
    "rounded to the nearest": lambda n, k, s, p, d: round((n + 2 * p - d * (k - 1) - 1) / s) + 1,
    "ceil without the + 1": lambda n, k, s, p, d: -(-(n + 2 * p - d * (k - 1) - 1) // s),
    "no stride": lambda n, k, s, p, d: n + 2 * p - d * (k - 1),
    "n // s": lambda n, k, s, p, d: n // s,
    "ceil(n / s)": lambda n, k, s, p, d: -(-n // s),
    "p added to the count": lambda n, k, s, p, d: (n - d * (k - 1) - 1) // s + 1 + p,
    "(n + 2p - k + 1) // s": lambda n, k, s, p, d: (n + 2 * p - d * (k - 1)) // s,
}
WRONG_SPANS = {  # dilation only
    "no dilation": lambda n, k, s, p, d: (n + 2 * p - k) // s + 1,
    "span d * k": lambda n, k, s, p, d: (n + 2 * p - d * k) // s + 1,
    "span d * k - 1": lambda n, k, s, p, d: (n + 2 * p - d * k + 1) // s + 1,
    "span d(k - 1)": lambda n, k, s, p, d: (n + 2 * p - d * (k - 1)) // s + 1,
    # both new settings ignored: with 2p = (d - 1)(k - 1) the two mistakes would cancel
    "no dilation and no padding": lambda n, k, s, p, d: (n - k) // s + 1,
}


@pytest.mark.parametrize(
    ("x_shape", "w_shape", "stride", "padding", "dilation", "slips"),
    [
        (ex04.X_SHAPE, ex04.W_SHAPE, ex04.STRIDE, ex04.PADDING, 1, WRONG_SIDES),
        (
            ex04.X_SHAPE_4_4,
            ex04.W_SHAPE_4_4,
            ex04.STRIDE_4_4,
            ex04.PADDING_4_4,
            ex04.DILATION_4_4,
            {**WRONG_SIDES, **WRONG_SPANS},
        ),
    ],
    ids=["4.2", "4.4"],
)
def test_no_common_slip_gives_the_right_shape(x_shape, w_shape, stride, padding, dilation, slips):
    # a slip that gives the right (OH, OW) would be graded correct: the sizes must rule every one of them out
    right = tuple(
        cnnlib.output_size(n, w_shape[2], stride=stride, padding=padding, dilation=dilation) for n in x_shape[2:]
    )
    for name, rule in slips.items():
        assert tuple(rule(n, w_shape[2], stride, padding, dilation) for n in x_shape[2:]) != right, name


@pytest.mark.parametrize(
    ("answer", "says"),
    [
        (None, "`dilated_shape` is None"),
        ((6, 5, 4), "forget N"),
        ((2, 8, 5, 4), "number of input channels C"),
        ((1, 6, 5, 4), "keeps the number of images"),
        ((2, 6, 4, 5), "swapped"),
        ((2, 5, 4, 6), "has the filters last, (N, OH, OW, F)"),
        ((2, 6, 8, 6), "the dilation is missing"),  # k = 5 in the formula
        ((2, 6, 5, 3), "the span runs from the first to the last"),  # span 15 (d * k) or 14 (d * k - 1)
        ((2, 6, 3, 2), "the padding is missing"),
        ((2, 6, 4, 3), "Either padding p goes on *each* side"),  # or one short: (21 + 3 - 13) // 3 + 1 = 14 // 3
        ((2, 6, 6, 4), "Either you rounded up"),  # 14 / 3 = 4.7 -> 5 steps
        ((2, 6, 15, 10), "the stride is missing"),
        ((2, 6, 6, 5), "it is not added to the count"),
        ((2, 6, 7, 5), "OH = 7 is not right. Apply the output size formula with dilation to the height H = 21"),
        ((2, 6, 5, 7), "OW = 7 is not right. Apply the output size formula with dilation to the width W = 16"),
        ((2, 6, 5.5, 4), "round down"),
        ("(2, 6, 5, 4)", "tuple of 4 whole numbers"),
    ],
)
def test_4_4_wrong_answers_are_explained(answer, says):
    assert_not_yet(exercises.check_4_4, answer, says)


def test_4_4_names_both_slips_that_give_the_same_shape():
    # (21 + 6 - 12) // 3 + 1 = 6 without the - 1, and rounding 14 / 3 up also gives 5 + 1 = 6
    assert_not_yet(exercises.check_4_4, (2, 6, 6, 4), "Either you rounded up", "; or the - 1 after d(k - 1)")


def test_4_5_counts_agree_with_a_brute_force_count_over_the_connection_table():
    table = ex04_counts.LENET_C3_INPUTS
    connected = np.zeros((16, 6), dtype=bool)  # filter f reads S2 map c
    for f, maps in enumerate(table):
        connected[f, list(maps)] = True
    assert connected.sum(axis=1).tolist() == [3] * 6 + [4] * 9 + [6]  # the paper's 6, 9 and 1 filters
    assert all(len(set(maps)) == len(maps) for maps in table)
    weights = np.repeat(connected[:, :, None, None], 5, axis=2).repeat(5, axis=3)  # (16, 6, 5, 5) mask
    multiplications = 0
    for _ in range(14 - 5 + 1):  # every output position of a 5 x 5 window on 14 x 14, stride 1
        for _ in range(14 - 5 + 1):
            multiplications += int(weights.sum())
    assert int(weights.sum()) + 16 == C3_PARAMS
    assert multiplications == C3_MACS


@pytest.mark.parametrize(
    ("params", "macs"),
    [(C3_PARAMS, C3_MACS), (float(C3_PARAMS), np.int64(C3_MACS)), (np.array(C3_PARAMS), np.float32(C3_MACS))],
)
def test_4_5_right_answers_are_accepted(params, macs):
    assert_correct(exercises.check_4_5, params, macs)


@pytest.mark.parametrize(
    ("params", "macs", "says"),
    [
        (None, C3_MACS, "`c3_params` is None"),
        (C3_PARAMS, None, "`c3_macs` is None"),
        (16 * 6 * 25 + 16, C3_MACS, "as if every filter read all 6 of S2's maps"),
        (1500, C3_MACS, "the biases are missing"),
        (1500 + 60, C3_MACS, "one bias, not one per slice"),
        (16 * 25 + 16, C3_MACS, "one 5 x 5 slice for every map it reads"),
        (151_600, C3_MACS, "does not depend on the size of the map"),
        (1234, C3_MACS, "count per filter"),
        (C3_PARAMS + 0.5, C3_MACS, "whole number"),
        (C3_PARAMS, 16 * 6 * 25 * 100, "every filter as reading all 6 maps"),
        (C3_PARAMS, 151_600, "counts the biases too"),
        (C3_PARAMS, 1500 * 14 * 14, "count the positions of the output"),
        (C3_PARAMS, 1500, "the work at one position"),
        (C3_PARAMS, 1500 * 28 * 28, "weights times OH x OW"),
        (C3_PARAMS, "150000", "whole number"),
    ],
)
def test_4_5_wrong_answers_are_explained(params, macs, says):
    assert_not_yet(exercises.check_4_5, params, says, more=(macs,))


def test_4_5_with_a_single_argument_says_what_is_missing():
    assert_not_yet(exercises.check_4_5, C3_PARAMS, "`c3_macs` is None")


def test_new_messages_do_not_give_the_answer_away():
    for fields in (no_dilation(), [(3, 1), (4, 2), (12, 2), (16, 2)]):
        message = assert_not_yet(exercises.check_4_1, fields, more=(ROWS,))
        assert "(12, 2)" not in message and "(16, 4)" not in message and "16" not in message
    assert "23" not in assert_not_yet(exercises.check_4_1, FIELDS, more=((8, 20),))
    for shape in ((2, 6, 11, 9), (2, 6, 9, 8)):
        message = assert_not_yet(exercises.check_4_4, shape)
        assert "(9, 7)" not in message and "OW = 7" not in message
    for params in (2416, 1234):
        assert str(C3_PARAMS) not in assert_not_yet(exercises.check_4_5, params, more=(C3_MACS,))
    assert "150000" not in assert_not_yet(exercises.check_4_5, C3_PARAMS, more=(240_000,))


def test_the_connection_table_cannot_be_changed():
    table = ex04_counts.LENET_C3_INPUTS
    assert isinstance(table, tuple) and all(isinstance(maps, tuple) for maps in table)
