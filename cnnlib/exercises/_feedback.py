"""How a checker talks to the learner: "correct" on success, one clear "not yet" otherwise.

A checker never crashes. Whatever the learner hands in (None, a list, NaN, the
wrong shape, a function that raises), the only exception that leaves a checker
is :class:`NotYet`, a subclass of ``AssertionError`` whose message says what is
wrong and what was expected. nbgrader sees the error and scores that test cell
0, and the other cells still run.

In Jupyter a ``NotYet`` shows as one red line, ``Exercise 3.1: not yet. ...``,
not as a traceback through this module: IPython shows what an exception's
``_render_traceback_`` returns. When the learner's own function raised, the
learner's traceback follows that line, starting in the learner's code.

A checker is declared with :func:`exercise`, which also carries its hints (at
least two, from a nudge to nearly the method) and the library functions it
forbids (:class:`~cnnlib.exercises._shortcuts.Shortcuts`). The learner's
functions are called through :func:`call_learner`; answers are read with the
toolkit in :mod:`cnnlib.exercises._answers`.
"""

from __future__ import annotations

import contextvars
import functools
import os
import traceback
from collections.abc import Sequence

import numpy as np

from ._shortcuts import Shortcuts

_RED, _RESET = "\x1b[0;31m", "\x1b[0m"
_HERE = os.path.dirname(os.path.abspath(__file__))

# The shortcuts the exercise being checked forbids; set by `exercise` around the check, read by `call_learner`.
_FORBIDDEN: contextvars.ContextVar[Shortcuts | None] = contextvars.ContextVar("forbidden_shortcuts", default=None)


def red(text: str) -> str:
    """``text`` in red for a terminal or a notebook's error output (ANSI colour codes)."""
    return f"{_RED}{text}{_RESET}"


class NotYet(AssertionError):
    """A wrong answer to an exercise; the message says what to look at.

    Parameters
    ----------
    message : str
        What is wrong and what to look at.
    learner_error : BaseException, optional
        The error the learner's own function raised, whose traceback Jupyter
        shows under the message (from the learner's code on).
    """

    def __init__(self, message: str = "", *, learner_error: BaseException | None = None):
        super().__init__(message)
        self.learner_error = learner_error

    def _render_traceback_(self) -> list[str]:
        """What IPython shows for this error: the message in red, then the learner's traceback if any."""
        lines = [red(str(self))]
        if self.learner_error is not None:
            lines.extend(_learner_traceback(self.learner_error))
        return lines


def _learner_traceback(error: BaseException) -> list[str]:
    """The traceback of ``error`` from the learner's first frame on, formatted as IPython formats any error."""
    tb = error.__traceback__
    while tb is not None and os.path.dirname(os.path.abspath(tb.tb_frame.f_code.co_filename)) == _HERE:
        tb = tb.tb_next  # call_learner's own frame: not the learner's code
    try:
        from IPython import get_ipython

        shell = get_ipython()
    except ImportError:  # pragma: no cover - IPython comes with Jupyter
        shell = None
    if shell is not None:
        return shell.InteractiveTB.structured_traceback(type(error), error, tb, tb_offset=0)
    return "".join(traceback.format_exception(type(error), error, tb)).splitlines()


def safe_repr(value, limit: int = 80) -> str:
    """``repr(value)``, shortened, and never raising (a learner's object may break repr)."""
    try:
        text = repr(value)
    except Exception:  # noqa: BLE001 - any failure just means "we cannot show it"
        text = f"<{type(value).__name__} object>"
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 3] + "..."


def call_learner(function, *args, name: str = "your function", explain=None):
    """Call the learner's ``function``; turn anything it raises into :class:`NotYet`.

    While it runs, the library functions that the exercise being checked
    forbids (``exercise(..., forbids=...)``) are switched off; a call to one
    of them is reported by name, whatever the function did with the error.
    When the function itself fails, the ``NotYet`` keeps its error, so that
    Jupyter shows the learner's own traceback under the message.
    ``explain(error)``, if given, returns what that error of the learner's
    most likely means in this exercise (added in parentheses), or None.
    """
    if not callable(function):
        raise NotYet(f"expected a function, got {safe_repr(function)}")
    forbidden = _FORBIDDEN.get()
    used: list[str] = []
    watching = None if forbidden is None else forbidden.blocked()  # a checker's bad path fails here, not below
    try:
        if watching is None:
            result = function(*args)
        else:  # also refuses the forbidden function handed in itself: `convolve_full = scipy.signal.convolve2d`
            with watching as used:
                result = function(*args)
    except Exception as error:  # noqa: BLE001 - any error in the learner's code is feedback
        if used:
            raise _used_forbidden(name, used, forbidden) from None
        if isinstance(error, NotImplementedError):
            raise NotYet(
                f"{name} still raises NotImplementedError: replace `raise NotImplementedError()` with your code"
            ) from None
        shown = ", ".join(_argument(arg) for arg in args)
        meaning = explain(error) if explain is not None else None
        raise NotYet(
            f"{name} raised {type(error).__name__}: {error} (when called with {shown})"
            + (f" ({meaning})" if meaning else ""),
            learner_error=error,
        ) from None
    if used:  # the function caught the forbidden function's error and went on: still not allowed
        raise _used_forbidden(name, used, forbidden)
    return result


def _argument(value) -> str:
    """An argument as the learner can place it: an array by its shape (its numbers tell which case it was less)."""
    if isinstance(value, np.ndarray) and value.size > 4:
        return f"an array of shape {value.shape}"
    return safe_repr(value, 30)


def _used_forbidden(name: str, used: list[str], forbidden: Shortcuts) -> NotYet:
    return NotYet(f"{name} uses {used[0]}, which this exercise forbids: {forbidden.instead}")


def exercise(exercise_id: str, *, hints: Sequence[str], forbids: Shortcuts | None = None):
    """Declare the checker of exercise ``exercise_id`` (e.g. ``"3.2"``), with its hints and forbidden shortcuts.

    The checker raises :class:`NotYet` with a message for a wrong answer and
    returns normally for a right one. The decorated function prints
    ``Exercise 3.2: correct.`` on success, and turns every other error
    (including a bug in the checker itself) into a ``NotYet`` too. numpy's
    floating-point warnings are off while it checks: a wrong answer that
    overflows (a naive softmax, a huge kernel) gets its message, not a warning
    as well.

    Parameters
    ----------
    exercise_id : str
        ``"<notebook>.<exercise>"``, as in the notebook's text.
    hints : sequence of str
        At least two, each deeper than the one before: the first points at the
        idea, the last nearly gives the method (never the code).
        ``exercises.hint("3.2")`` prints them one per call.
    forbids : Shortcuts, optional
        Library functions the exercise's text forbids; :func:`call_learner`
        switches them off while the learner's function runs.
    """
    if isinstance(hints, str) or len(hints) < 2 or not all(isinstance(h, str) and h.strip() for h in hints):
        raise ValueError(f"`hints` of exercise {exercise_id} must be at least two non-empty strings, got {hints!r}")

    def decorate(check):
        @functools.wraps(check)
        def checked(*args, **kwargs):
            token = _FORBIDDEN.set(forbids)
            try:
                with np.errstate(all="ignore"):
                    check(*args, **kwargs)
            except NotYet as wrong:
                raise NotYet(f"Exercise {exercise_id}: not yet. {wrong}", learner_error=wrong.learner_error) from None
            except Exception as error:  # noqa: BLE001 - a checker must never crash
                raise NotYet(
                    f"Exercise {exercise_id}: not yet. Checking your answer failed with "
                    f"{type(error).__name__}: {safe_repr(str(error), 200)}"
                ) from None
            finally:
                _FORBIDDEN.reset(token)
            print(f"Exercise {exercise_id}: correct.")

        checked.exercise_id = exercise_id
        checked.hints = tuple(hints)
        checked.forbids = forbids
        return checked

    return decorate
