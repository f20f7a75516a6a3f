"""cnnlib/exercises/_feedback.py: how a checker reports, and how it calls the learner's function.

A wrong answer is one red "Exercise N.M: not yet. ..." line in Jupyter (``_render_traceback_``); an error
in the learner's own function keeps the learner's traceback; a forbidden shortcut is named. Every expected
value and message below is written out by hand.
"""

import re
import warnings

import numpy as np
import pytest
from helpers_exercises import BrokenRepr, assert_correct

from cnnlib.exercises import NotYet
from cnnlib.exercises._feedback import call_learner, exercise, red, safe_repr
from cnnlib.exercises._shortcuts import Shortcuts

RED, RESET = "\x1b[0;31m", "\x1b[0m"


def message_of(function, *args, **kwargs) -> str:
    """The message of the NotYet that ``function(*args, **kwargs)`` raises."""
    with pytest.raises(NotYet) as info:
        function(*args, **kwargs)
    return str(info.value)


def not_yet_of(function, *args, **kwargs) -> NotYet:
    with pytest.raises(NotYet) as info:
        function(*args, **kwargs)
    return info.value


# ---------------------------------------------------------------- call_learner, safe_repr


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


def test_call_learner_keeps_the_learners_error_for_its_traceback():
    def side(n, k):
        return n / k

    wrong = not_yet_of(call_learner, side, 1, 0)
    assert isinstance(wrong.learner_error, ZeroDivisionError)
    assert not_yet_of(call_learner, lambda: None, 1).learner_error.__class__ is TypeError  # wrong arity: theirs too
    assert not_yet_of(call_learner, 3, 1).learner_error is None  # not a function: nothing of theirs ran


def test_safe_repr_shortens_joins_lines_and_survives_a_broken_repr():
    assert safe_repr("x" * 100, limit=10) == "'xxxxxx..."
    assert safe_repr(np.array([[1, 2], [3, 4]])) == "array([[1, 2], [3, 4]])"
    assert safe_repr(BrokenRepr()) == "<BrokenRepr object>"


# ---------------------------------------------------------------- NotYet and how Jupyter shows it


def test_not_yet_is_an_assertion_error_so_nbgrader_scores_the_cell_zero():
    assert issubclass(NotYet, AssertionError)


def test_a_wrong_answer_renders_as_one_red_line():
    assert red("x") == f"{RED}x{RESET}"
    assert NotYet("Exercise 3.1: not yet. look again")._render_traceback_() == [
        f"{RED}Exercise 3.1: not yet. look again{RESET}"
    ]


def learners_buggy_side(n, k):
    sides = [n - k + 1]
    return sides[k]  # the learner's bug: IndexError


@exercise("9.7", hints=("Count.", "Count again."))
def check_side(side):
    if call_learner(side, 28, 3, name="side") != 26:
        raise NotYet("side(28, 3) is not 26")


def test_an_error_in_the_learners_function_renders_their_traceback_under_the_message():
    wrong = not_yet_of(check_side, learners_buggy_side)
    lines = wrong._render_traceback_()
    message = "Exercise 9.7: not yet. side raised IndexError: list index out of range (when called with 28, 3)"
    assert lines[0] == f"{RED}{message}{RESET}"
    shown = "\n".join(lines[1:])
    assert "learners_buggy_side" in shown and "return sides[k]" in shown  # their code, their line
    assert shown.rstrip().endswith("IndexError: list index out of range")
    assert "cnnlib/exercises" not in shown and "call_learner" not in shown  # none of the checker's machinery


def test_the_checkers_own_wrapping_keeps_the_learners_error():
    assert isinstance(not_yet_of(check_side, learners_buggy_side).learner_error, IndexError)
    assert not_yet_of(check_side, lambda n, k: 25).learner_error is None
    assert len(not_yet_of(check_side, lambda n, k: 25)._render_traceback_()) == 1


# ---------------------------------------------------------------- exercise


@exercise("9.9", hints=("Look again.", "Look much harder."))
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
    assert check_nine.hints == ("Look again.", "Look much harder.")
    assert check_nine.forbids is None


def test_exercise_names_the_exercise_in_every_not_yet():
    assert message_of(check_nine, "wrong") == "Exercise 9.9: not yet. look again"
    assert message_of(check_nine, "broken") == (
        "Exercise 9.9: not yet. Checking your answer failed with ValueError: 'oops'"
    )


def test_exercise_keeps_numpy_floating_point_warnings_out_of_the_feedback():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert_correct(check_nine, "overflow")


@pytest.mark.parametrize("hints", [(), ("Only one.",), "A string is not a list of hints", ("One.", ""), ("One.", 2)])
def test_exercise_wants_at_least_two_hints(hints):
    with pytest.raises(ValueError, match=re.escape("`hints` of exercise 9.6 must be at least two non-empty strings")):
        exercise("9.6", hints=hints)


# ---------------------------------------------------------------- forbidden shortcuts


NO_CONVOLVE = Shortcuts("numpy.convolve", "numpy.correlate", instead="add up the products yourself")


@exercise("9.8", hints=("Loop.", "Loop twice."), forbids=NO_CONVOLVE)
def check_full(convolve_full):
    f, g = np.array([1.0, 2.0]), np.array([1.0, 1.0])
    got = call_learner(convolve_full, f, g, name="convolve_full")
    if not np.allclose(got, np.convolve(f, g)):  # the checker itself may use np.convolve
        raise NotYet("wrong")


def by_loops(f, g):
    out = np.zeros(len(f) + len(g) - 1)
    for k, a in enumerate(f):
        for j, b in enumerate(g):
            out[k + j] += a * b
    return out


def test_a_forbidden_shortcut_is_named_and_the_loop_passes():
    assert_correct(check_full, by_loops)
    assert message_of(check_full, lambda f, g: np.convolve(f, g)) == (
        "Exercise 9.8: not yet. convolve_full uses np.convolve, which this exercise forbids: add up the products "
        "yourself"
    )
    assert "uses np.correlate" in message_of(check_full, lambda f, g: np.correlate(f, g[::-1], "full"))
    assert "uses np.convolve" in message_of(check_full, np.convolve)  # handing in the library function itself


def test_a_forbidden_shortcut_counts_even_when_the_learners_code_catches_its_error():
    def sly(f, g):
        try:
            return np.convolve(f, g)
        except Exception:  # noqa: BLE001
            return by_loops(f, g)

    wrong = not_yet_of(check_full, sly)
    assert "uses np.convolve" in str(wrong)
    assert wrong.learner_error is None, "a refused shortcut is not the learner's bug: no traceback"


def test_forbidden_functions_work_again_after_the_check_even_when_it_fails():
    original = np.convolve
    message_of(check_full, lambda f, g: np.convolve(f, g))
    message_of(check_full, lambda f, g: 1 / 0)
    assert np.convolve is original and np.convolve([1, 2], [1, 1]).tolist() == [1, 3, 2]


def test_call_learner_forbids_nothing_outside_a_check_that_declares_it():
    assert call_learner(lambda f, g: np.convolve(f, g), [1, 2], [1, 1]).tolist() == [1, 3, 2]
    assert_correct(check_nine, "right")
    assert np.convolve([1], [2]).tolist() == [2]


def test_a_crash_names_the_arrays_it_was_called_with_by_their_shapes():
    def crashes(image, kernel):
        raise ValueError("setting an array element with a sequence")

    with pytest.raises(NotYet, match=r"\(when called with an array of shape \(5, 6\), an array of shape \(2, 3\)\)"):
        call_learner(crashes, np.zeros((5, 6)), np.zeros((2, 3)))
    with pytest.raises(NotYet, match=r"\(when called with array\(\[1, 2\]\), 3\)"):  # small ones are shown whole
        call_learner(crashes, np.array([1, 2]), 3)
