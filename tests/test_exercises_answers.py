"""cnnlib/exercises/_answers.py: the toolkit every checker reads answers with.

Every expected value and message below is written out by hand.
"""

from decimal import Decimal
from fractions import Fraction

import numpy as np
import pytest
from helpers_exercises import BrokenRepr

from cnnlib.exercises import NotYet
from cnnlib.exercises._answers import (
    as_answer_array,
    as_number,
    as_shape,
    close,
    mismatches,
    shown_apart,
    tolerances,
    whole_number,
)

IS_NONE = "is None: replace None with your answer (or check that your function returns it)"


def message_of(function, *args, **kwargs) -> str:
    """The message of the NotYet that ``function(*args, **kwargs)`` raises."""
    with pytest.raises(NotYet) as info:
        function(*args, **kwargs)
    return str(info.value)


# ---------------------------------------------------------------- as_number


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (3, 3.0),
        (-2.5, -2.5),
        (np.int64(7), 7.0),
        (np.uint8(200), 200.0),
        (np.float32(0.5), 0.5),
        (np.float64(0.1875), 0.1875),
        (np.array(300), 300.0),
        (np.array(0.25, dtype=np.float32), 0.25),
        (Fraction(3, 16), 0.1875),
    ],
)
def test_as_number_takes_every_kind_of_real_number_as_a_float(value, expected):
    got = as_number(value, "`x`")
    assert got == expected
    assert type(got) is float


@pytest.mark.parametrize("value", [np.array([0.19]), np.array([[0.19]]), np.array([0.19], dtype=np.float32)])
def test_as_number_with_squeeze_takes_an_array_of_one_number_as_that_number(value):
    assert as_number(value, "`x`", squeeze=True) == pytest.approx(0.19)


def test_as_number_lets_nan_and_infinity_through_when_the_checker_explains_them_itself():
    assert np.isnan(as_number(float("nan"), "`x`", finite=False))
    assert as_number(np.float64("-inf"), "`x`", finite=False) == float("-inf")


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (None, f"`x` {IS_NONE}"),
        (np.array(None), f"`x` {IS_NONE}"),
        (True, "`x` should be one number, got True of type bool"),
        ("3", "`x` should be one number, got '3' of type str"),
        ([1, 2], "`x` should be one number, got [1, 2] of type list"),
        ((0.5,), "`x` should be one number, got (0.5,) of type tuple"),
        (np.array([1.0, 2.0]), "`x` should be one number, got array([1., 2.]) of type ndarray"),
        (np.array([0.19]), "`x` should be one number, got array([0.19]) of type ndarray"),  # unless squeeze=True
        (1 + 2j, "`x` should be one number, got (1+2j) of type complex"),
        (Decimal("0.5"), "`x` should be one number, got Decimal('0.5') of type Decimal"),
        (BrokenRepr(), "`x` should be one number, got <BrokenRepr object> of type BrokenRepr"),
        (float("nan"), "`x` should be a finite number, got nan"),
        (np.float64("-inf"), "`x` should be a finite number, got -inf"),
        (np.array(float("inf")), "`x` should be a finite number, got inf"),
    ],
)
def test_as_number_refuses_what_is_not_one_finite_number_and_shows_it(value, message):
    assert message_of(as_number, value, "`x`") == message


def test_as_number_refuses_a_bool_of_numpy_too():
    assert message_of(as_number, np.True_, "`x`").startswith("`x` should be one number, got ")


def test_as_number_refuses_a_number_too_large_for_a_float():
    assert message_of(as_number, 10**400, "`x`").startswith("`x` should be a number of ordinary size, got 1000")


def test_as_number_says_what_the_checker_asks_when_the_answer_is_none():
    message = message_of(as_number, None, "`learning_rate`", if_none="is None: replace None with your learning rate")
    assert message == "`learning_rate` is None: replace None with your learning rate"


# ---------------------------------------------------------------- whole_number


@pytest.mark.parametrize(
    "value",
    [26, np.int64(26), np.uint16(26), 26.0, np.float32(26.0), np.array(26), np.array(26.0), Fraction(52, 2)],
)
def test_whole_number_takes_every_kind_of_whole_number_as_an_int(value):
    got = whole_number(value, "`n`")
    assert got == 26
    assert type(got) is int


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (None, f"`n` {IS_NONE}"),
        (True, "`n` should be a whole number, got True of type bool"),
        ("26", "`n` should be a whole number, got '26' of type str"),
        ([26], "`n` should be a whole number, got [26] of type list"),
        (np.array([26]), "`n` should be a whole number, got array([26]) of type ndarray"),
        (BrokenRepr(), "`n` should be a whole number, got <BrokenRepr object> of type BrokenRepr"),
        (float("nan"), "`n` should be a whole number, got nan"),
        (float("inf"), "`n` should be a whole number, got inf"),
        (2.5, "`n` should be a whole number, got 2.5."),
        (np.array(2.5), "`n` should be a whole number, got 2.5."),
    ],
)
def test_whole_number_refuses_what_is_not_a_whole_number_and_shows_it(value, message):
    assert message_of(whole_number, value, "`n`") == message


def test_whole_number_adds_the_rounding_hint_only_to_a_number_with_a_fraction():
    assert message_of(whole_number, 3.5, "`side`", " Round down.") == (
        "`side` should be a whole number, got 3.5. Round down."
    )
    assert message_of(whole_number, "3", "`side`", " Round down.") == (
        "`side` should be a whole number, got '3' of type str"
    )


# ---------------------------------------------------------------- as_answer_array


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ([[1, 2], [3, 4]], [[1.0, 2.0], [3.0, 4.0]]),
        (((1, 2), (3, 4)), [[1.0, 2.0], [3.0, 4.0]]),
        (np.array([[1, 2], [3, 4]], dtype=np.int64), [[1.0, 2.0], [3.0, 4.0]]),
        (np.array([250, 5], dtype=np.uint8), [250.0, 5.0]),
        (np.array([0.5, -0.25], dtype=np.float32), [0.5, -0.25]),
        ([True, False], [1.0, 0.0]),
        ([1, 2.5, np.float32(0.5)], [1.0, 2.5, 0.5]),
        ([Fraction(1, 4), Fraction(3, 4)], [0.25, 0.75]),
        (7, 7.0),
    ],
)
def test_as_answer_array_takes_lists_tuples_and_arrays_of_real_numbers_as_float64(value, expected):
    got = as_answer_array(value, "`a`")
    assert got.dtype == np.float64
    assert got.tolist() == expected


def test_as_answer_array_checks_shape_and_number_of_dimensions_when_asked():
    assert as_answer_array([[3, 4], [5, 3]], "`pooled`", shape=(2, 2)).shape == (2, 2)
    assert as_answer_array((1, -1), "`rise`", ndim=1).tolist() == [1.0, -1.0]


def test_as_answer_array_hands_back_a_new_array_so_the_learners_stays_as_it_was():
    learners = np.array([1.0, 2.0])
    got = as_answer_array(learners, "`a`")
    got[0] = 99.0
    assert learners.tolist() == [1.0, 2.0]


def test_as_answer_array_lets_nan_and_infinity_through_when_the_checker_explains_them_itself():
    got = as_answer_array([np.nan, np.inf, 1.0], "`a`", finite=False)
    assert np.isnan(got[0]) and got[1] == np.inf and got[2] == 1.0


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (None, f"`a` {IS_NONE}"),
        ("1 2 3", "`a` should be an array of numbers, got the text '1 2 3'"),
        (b"12", "`a` should be an array of numbers, got the text b'12'"),
        (max, "`a` should be an array of numbers, got the function <built-in function max>"),
        ([[1, 2], [3]], "`a` should be an array of numbers, got [[1, 2], [3]]"),
        (["1", "2"], "`a` should be an array of numbers, got ['1', '2']"),
        ([1, None], "`a` should be an array of numbers, got [1, None]"),
        ([1 + 2j], "`a` should be an array of numbers, got [(1+2j)]"),
        ([Decimal("0.5")], "`a` should be an array of numbers, got [Decimal('0.5')]"),
        ({"a": 1}, "`a` should be an array of numbers, got {'a': 1}"),
        (BrokenRepr(), "`a` should be an array of numbers, got <BrokenRepr object>"),
        ([1.0, np.nan], "`a` contains NaN or infinity: [1.0, nan]"),
        (np.array([-np.inf, 2.0]), "`a` contains NaN or infinity: array([-inf, 2.])"),
    ],
)
def test_as_answer_array_refuses_what_is_not_an_array_of_finite_numbers_and_shows_it(value, message):
    assert message_of(as_answer_array, value, "`a`") == message


def test_as_answer_array_refuses_numbers_too_large_for_a_float():
    assert message_of(as_answer_array, [10**400], "`a`").startswith("`a` should be an array of numbers, got [1000")


def test_as_answer_array_says_a_flat_list_when_it_wants_one_dimension():
    assert message_of(as_answer_array, "abc", "`box3`", ndim=1) == (
        "`box3` should be a list or 1-D array of numbers, got the text 'abc'"
    )
    assert message_of(as_answer_array, [[1, 2]], "`box3`", ndim=1) == (
        "`box3` should be 1-D (a flat list of numbers), got an array of shape (1, 2)"
    )
    assert message_of(as_answer_array, 0.5, "`box3`", ndim=1) == (
        "`box3` should be 1-D (a flat list of numbers), got an array of shape ()"
    )
    assert message_of(as_answer_array, [1, 2], "`image`", ndim=2) == "`image` should be 2-D, got an array of shape (2,)"


def test_as_answer_array_names_the_expected_and_the_wrong_shape_and_adds_the_hint():
    assert message_of(as_answer_array, np.zeros((3, 3)), "`out`", shape=(4, 4)) == (
        "`out`: expected an array of shape (4, 4), got shape (3, 3)"
    )
    assert message_of(as_answer_array, [1, 2, 3], "`out`", shape=(4, 4), hint=". Count the positions.") == (
        "`out`: expected an array of shape (4, 4), got shape (3,). Count the positions."
    )


def test_as_answer_array_hint_may_depend_on_the_wrong_shape():
    hints = {(4,): ": arrange them as 2 rows of 2"}.get
    assert message_of(as_answer_array, [3, 4, 5, 3], "`pooled`", shape=(2, 2), hint=hints) == (
        "`pooled`: expected an array of shape (2, 2), got shape (4,): arrange them as 2 rows of 2"
    )
    assert message_of(as_answer_array, [3, 4, 5], "`pooled`", shape=(2, 2), hint=hints) == (
        "`pooled`: expected an array of shape (2, 2), got shape (3,)"
    )


def test_as_answer_array_reports_the_wrong_shape_before_a_nan():
    message = message_of(as_answer_array, [np.nan, 1.0, 2.0], "`out`", shape=(2,))
    assert message == "`out`: expected an array of shape (2,), got shape (3,)"


def test_as_answer_array_says_what_the_checker_asks_when_the_answer_is_none():
    message = message_of(as_answer_array, None, "to_gray(rgb)", if_none="returned None: did you forget `return`?")
    assert message == "to_gray(rgb) returned None: did you forget `return`?"


# ---------------------------------------------------------------- mismatches


def test_mismatches_lists_where_two_arrays_differ_in_c_order():
    assert mismatches([[1.0, 2.0], [3.0, 4.0]], [[1.0, 2.5], [3.0, 4.0 + 1e-12]]) == [(0, 1)]
    assert mismatches(np.zeros((2, 2)), [[0.0, 1.0], [1.0, 0.0]]) == [(0, 1), (1, 0)]
    assert mismatches([5.0, 6.0, 7.0], [5.0, 0.0, 0.0]) == [(1,), (2,)]


def test_mismatches_is_empty_when_the_arrays_agree():
    assert mismatches([1.0, 2.0], [1.0, 2.0]) == []
    assert mismatches(np.ones((2, 3)), np.ones((2, 3)) + 1e-12) == []


def test_mismatches_uses_the_tolerances_it_is_given():
    assert mismatches([1.0, 2.0], [1.1, 2.0], atol=0.2) == []
    assert mismatches([1.0, 2.0], [1.1, 2.0], rtol=0, atol=0.01) == [(0,)]


def test_mismatches_never_counts_nan_as_agreeing_and_gives_plain_ints():
    wrong = mismatches([np.nan, 1.0], [np.nan, 1.0])
    assert wrong == [(0,)]
    assert type(wrong[0][0]) is int


def test_mismatches_allows_a_float32_answer_float32_precision_and_no_more():
    third = np.float32(1) / np.float32(3)  # 0.3333333432674408 in float64: 1e-8 off
    assert mismatches([third], [1 / 3], rtol=0, atol=1e-9) == [(0,)]  # float64 tolerance refuses it
    assert mismatches([third], [1 / 3], rtol=0, atol=1e-9, like=np.array([third])) == []
    # at 255 (a gray level), float32 steps are 255 * 2**-23 = 3e-5 apart; 0.0255 off is a wrong weight, not rounding
    gray = np.float32(255 * 0.299) + np.float32(255 * 0.587) + np.float32(255 * 0.114)
    assert mismatches([gray], [255.0], rtol=0, atol=1e-6, like=np.float32(0)) == []
    assert mismatches([255.0 - 0.0255], [255.0], rtol=0, atol=1e-6, like=np.float32(0)) == [(0,)]


@pytest.mark.parametrize(
    "like", [None, 1.0, np.float64(1), np.array([1.0]), [1.0, 2.0], np.array([1, 2]), "text", BrokenRepr()]
)
def test_tolerances_stay_the_checkers_own_for_anything_but_float32(like):
    assert tolerances([255.0], rtol=1e-9, atol=1e-9, like=like) == (1e-9, 1e-9)


def test_tolerances_of_a_float32_answer_scale_with_the_largest_expected_value():
    eps = 2.0**-23  # float32's machine epsilon
    rtol, atol = tolerances([3.0, -255.0], rtol=0, atol=1e-9, like=np.zeros(2, dtype=np.float32))
    assert rtol == pytest.approx(16 * eps) and atol == pytest.approx(16 * eps * 255)
    assert tolerances([0.0], rtol=0, atol=0, like=[np.float32(1)])[1] == pytest.approx(16 * eps)  # at least 1
    assert tolerances([0.1], rtol=0, atol=0, like=np.float16(1)) == tolerances(
        [0.1], rtol=0, atol=0, like=np.float32(1)
    )


def test_close_compares_one_number_at_the_answers_precision():
    assert close(0.1 + 0.2, 0.3, atol=1e-12)
    assert not close(5.000001, 5.0, atol=1e-9)
    assert close(float(np.float32(5) * (np.float32(1) / np.float32(3)) * 3), 5.0, atol=1e-9, like=np.float32(1))


@pytest.mark.parametrize(
    ("got", "expected", "shown"),
    [
        (4.999995, 5.0, ("4.999995", "5")),
        (0.0100001, 0.01, ("0.0100001", "0.01")),
        (0.66524, 0.66519, ("0.66524", "0.66519")),
        (0.75, 0.5, ("0.75", "0.5")),
        (2.0, 2.0, ("2", "2")),
        (1 + 2**-52, 1.0, ("1.0000000000000002", "1")),
    ],
)
def test_shown_apart_uses_just_enough_digits_to_tell_two_numbers_apart(got, expected, shown):
    assert shown_apart(got, expected) == shown


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ((6, 14, 14), (6, 14, 14)),
        ([6, 14.0, 14.0], (6, 14, 14)),  # side / 2 gives whole floats: the same shape
        (np.array([6, 14, 14]), (6, 14, 14)),
        (np.array([6.0, 14.0]), (6, 14)),
        ((np.int64(6), np.float32(14), np.array(14)), (6, 14, 14)),
        ((), ()),
    ],
)
def test_as_shape_takes_whole_numbers_of_every_kind_as_ints(value, expected):
    got = as_shape(value, "`shape`")
    assert got == expected and all(type(v) is int for v in got)


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (None, f"`shape` {IS_NONE}"),
        (14, "`shape` should be a tuple of whole numbers, got 14"),
        ("6x14", "`shape` should be a tuple of whole numbers, got '6x14'"),
        ((6, "14"), "`shape` should be a tuple of whole numbers, got (6, '14')"),
        ((6, True), "`shape` should be a tuple of whole numbers, got (6, True)"),
        ((6, float("nan")), "`shape` should be a tuple of whole numbers, got (6, nan)"),
        ((6, (14, 14)), "`shape` should be a tuple of whole numbers, got (6, (14, 14))"),
        (np.zeros((2, 2)), "`shape` should be a tuple of whole numbers, got array([[0., 0.], [0., 0.]])"),
        (
            (6, 14.5),
            "`shape` should hold whole numbers, got (6, 14.5). Sizes are whole numbers: round down (e.g. with //).",
        ),
    ],
)
def test_as_shape_refuses_what_is_not_a_tuple_of_whole_numbers_and_shows_it(value, message):
    assert message_of(as_shape, value, "`shape`") == message


@pytest.mark.parametrize("value", [[0.19], (0.19,), [[0.19]], [np.float32(0.19)]])
def test_as_number_with_squeeze_takes_a_list_of_one_number_as_that_number(value):
    assert as_number(value, "`x`", squeeze=True) == pytest.approx(0.19)


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ([0.1, 0.2], "`x` should be one number, got [0.1, 0.2] of type list"),
        ([True], "`x` should be one number, got [True] of type list"),
        (["0.19"], "`x` should be one number, got ['0.19'] of type list"),
        ([[1, 2], [3]], "`x` should be one number, got [[1, 2], [3]] of type list"),
        ([], "`x` should be one number, got [] of type list"),
    ],
)
def test_as_number_with_squeeze_still_refuses_lists_that_are_not_one_number(value, message):
    assert message_of(as_number, value, "`x`", squeeze=True) == message
