"""What the exercise tests (tests/test_exercises_*.py) share: run a checker and read its verdict.

A table of wrong answers reads as data, one row per answer:
``(exercises.check_3_2, one_too_few, "expected an array of shape (4, 4), got shape (3, 3)")``,
checked by ``assert_not_yet(checker, answer, says)``.
"""

import contextlib
import io

import pytest

from cnnlib import exercises
from cnnlib.exercises import NotYet

CRASHED = "Checking your answer failed"  # what the decorator says when a checker itself breaks


class BrokenRepr:
    """An answer whose repr and == raise: a checker must still explain what is wrong, not crash."""

    def __repr__(self):
        raise RuntimeError("no repr")

    def __eq__(self, other):
        raise RuntimeError("no eq")


def raises_not_implemented(*args):
    """A learner's function before the learner has written it."""
    raise NotImplementedError()


def checker_for(exercise_id: str):
    """The checker of exercise ``exercise_id``: ``checker_for("3.2")`` is ``exercises.check_3_2``."""
    return exercises.CHECKERS["check_" + exercise_id.replace(".", "_")]


def assert_correct(check, *answer) -> None:
    """``check(*answer)`` accepts the answer: it prints ``Exercise N.M: correct.`` and nothing else."""
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        check(*answer)
    assert printed.getvalue() == f"Exercise {check.exercise_id}: correct.\n"


def assert_not_yet(check, answer, *fragments, more=()) -> str:
    """``check(answer, *more)`` refuses the answer with a message that contains every one of ``fragments``.

    The message must be one the checker meant to give, not its report of a crash
    of its own. Returns the message, for further checks (e.g. that it does not
    give the answer away).
    """
    printed = io.StringIO()
    with pytest.raises(NotYet) as info, contextlib.redirect_stdout(printed):
        check(answer, *more)
    message = str(info.value)
    assert message.startswith(f"Exercise {check.exercise_id}: not yet. "), message
    assert CRASHED not in message, message
    assert printed.getvalue() == "", "a refused answer prints nothing"
    for fragment in fragments:
        assert fragment in message, f"{fragment!r} is not in: {message}"
    return message
