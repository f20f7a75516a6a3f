"""cnnlib/exercises/_feedback.py: the answer toolkit every checker reads answers with, and how checkers report.

Every expected value and message below is written out by hand.
"""

import warnings
from decimal import Decimal
from fractions import Fraction

import numpy as np
import pytest
from helpers_exercises import BrokenRepr, assert_correct

from cnnlib import exercises
from cnnlib.exercises import NotYet
from cnnlib.exercises._feedback import (
    as_answer_array,
    as_number,
    call_learner,
    exercise,
    mismatches,
    safe_repr,
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


# ---------------------------------------------------------------- call_learner, safe_repr, exercise, NotYet


def test_call_learner_returns_what_the_function_returns():
    assert call_learner(lambda a, b: a - b, 5, 3) == 2


def test_call_learner_turns_what_goes_wrong_into_feedback():
    def unfinished(n):
        raise NotImplementedError()

    assert message_of(call_learner, 3, 1) == "expected a function, got 3"
    assert message_of(call_learner, unfinished, 1, name="side") == (
        "side still raises NotImplementedError: replace `raise NotImplementedError()` with your code"
    )
    assert message_of(call_learner, lambda n, k: n / k, 1, 0, name="side") == (
        "side raised ZeroDivisionError: division by zero (when called with 1, 0)"
    )


def test_safe_repr_shortens_joins_lines_and_survives_a_broken_repr():
    assert safe_repr("x" * 100, limit=10) == "'xxxxxx..."
    assert safe_repr(np.array([[1, 2], [3, 4]])) == "array([[1, 2], [3, 4]])"
    assert safe_repr(BrokenRepr()) == "<BrokenRepr object>"


def test_not_yet_is_an_assertion_error_so_nbgrader_scores_the_cell_zero():
    assert issubclass(NotYet, AssertionError)


@exercise("9.9")
def check_nine(answer):
    if answer == "wrong":
        raise NotYet("look again")
    if answer == "broken":
        raise ValueError("oops")
    if answer == "overflow":
        _ = np.float64(1e308) * 10  # overflows: numpy would warn


def test_exercise_prints_correct_for_a_right_answer():
    assert_correct(check_nine, "right")
    assert check_nine.exercise_id == "9.9"
    assert check_nine.__name__ == "check_nine"


def test_exercise_names_the_exercise_in_every_not_yet():
    assert message_of(check_nine, "wrong") == "Exercise 9.9: not yet. look again"
    assert message_of(check_nine, "broken") == (
        "Exercise 9.9: not yet. Checking your answer failed with ValueError: 'oops'"
    )


def test_exercise_keeps_numpy_floating_point_warnings_out_of_the_feedback():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert_correct(check_nine, "overflow")


# ---------------------------------------------------------------- solutions


def test_show_solution_reveals_that_exercise_only(capsys):
    exercises.show_solution("0.1")
    shown = capsys.readouterr().out
    assert "return n - k + 1" in shown
    assert "### BEGIN SOLUTION" not in shown
    assert "pooled_count" not in shown and "shapes" not in shown  # the other exercises stay hidden


@pytest.mark.parametrize("bad", ["9.9", "one", None, 3.14])
def test_show_solution_explains_a_bad_id_instead_of_crashing(bad, capsys):
    exercises.show_solution(bad)
    assert capsys.readouterr().out.startswith("No solution to show:")


def test_solution_text_is_missing_without_the_source_notebooks(tmp_path):
    with pytest.raises(FileNotFoundError, match="full repository"):
        exercises.solution_text("0.1", notebooks_dir=tmp_path)
