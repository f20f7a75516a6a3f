"""How a checker talks to the learner: "correct" on success, one clear "not yet" otherwise.

A checker never crashes. Whatever the learner hands in (None, a list, NaN, the
wrong shape, a function that raises), the only exception that leaves a checker
is :class:`NotYet`, a subclass of ``AssertionError`` whose message says what is
wrong and what was expected. nbgrader sees the error and scores that test cell
0, and the other cells still run.
"""

from __future__ import annotations

import functools
import json
import numbers
import re
from pathlib import Path

import numpy as np

NOTEBOOKS = Path(__file__).resolve().parent.parent.parent / "notebooks"


class NotYet(AssertionError):
    """A wrong answer to an exercise; the message says what to look at."""


def safe_repr(value, limit: int = 80) -> str:
    """``repr(value)``, shortened, and never raising (a learner's object may break repr)."""
    try:
        text = repr(value)
    except Exception:  # noqa: BLE001 - any failure just means "we cannot show it"
        text = f"<{type(value).__name__} object>"
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 3] + "..."


def whole_number(value, what: str, rounding_hint: str = "") -> int:
    """``value`` as an int if it is a whole number (int, numpy int, or a float like 26.0); else :class:`NotYet`."""
    if value is None:
        raise NotYet(f"{what} is None: replace None with your answer (or check that your function returns it)")
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Real):
        raise NotYet(f"{what} should be a whole number, got {safe_repr(value)} of type {type(value).__name__}")
    if value != value or value in (float("inf"), float("-inf")):
        raise NotYet(f"{what} should be a whole number, got {safe_repr(value)}")
    if int(value) != value:
        raise NotYet(f"{what} should be a whole number, got {safe_repr(value)}.{rounding_hint}")
    return int(value)


def call_learner(function, *args, name: str = "your function"):
    """Call the learner's ``function``; turn anything it raises into :class:`NotYet`."""
    if not callable(function):
        raise NotYet(f"expected a function, got {safe_repr(function)}")
    try:
        return function(*args)
    except NotImplementedError:
        raise NotYet(
            f"{name} still raises NotImplementedError: replace `raise NotImplementedError()` with your code"
        ) from None
    except Exception as error:  # noqa: BLE001 - any error in the learner's code is feedback
        shown = ", ".join(safe_repr(arg, 30) for arg in args)
        raise NotYet(f"{name} raised {type(error).__name__}: {error} (when called with {shown})") from None


def exercise(exercise_id: str):
    """Decorate a checker for exercise ``exercise_id`` (e.g. ``"3.2"``).

    The checker raises :class:`NotYet` with a message for a wrong answer and
    returns normally for a right one. The decorated function prints
    ``Exercise 3.2: correct.`` on success, and turns every other error
    (including a bug in the checker itself) into a ``NotYet`` too.
    """

    def decorate(check):
        @functools.wraps(check)
        def checked(*args, **kwargs):
            try:
                check(*args, **kwargs)
            except NotYet as wrong:
                raise NotYet(f"Exercise {exercise_id}: not yet. {wrong}") from None
            except Exception as error:  # noqa: BLE001 - a checker must never crash
                raise NotYet(
                    f"Exercise {exercise_id}: not yet. Checking your answer failed with "
                    f"{type(error).__name__}: {safe_repr(str(error), 200)}"
                ) from None
            print(f"Exercise {exercise_id}: correct.")

        checked.exercise_id = exercise_id
        return checked

    return decorate


def solution_text(exercise_id: str, notebooks_dir: Path = NOTEBOOKS) -> str:
    """The code between ``### BEGIN SOLUTION`` and ``### END SOLUTION`` of one exercise.

    Parameters
    ----------
    exercise_id : str
        As in the text, e.g. ``"3.2"``; its solution cell has nbgrader ``grade_id`` ``"ex_3_2"``.
    notebooks_dir : Path
        Where the source notebooks (with solutions) are; the repository's ``notebooks/``.

    Raises
    ------
    ValueError
        If ``exercise_id`` is malformed, or no such exercise exists.
    FileNotFoundError
        If the source notebooks are not there (e.g. a student version handed out alone).
    """
    match = re.fullmatch(r"(\d+)\.(\d+)", str(exercise_id).strip())
    if match is None:
        raise ValueError(f"`exercise_id` must look like '3.2' (notebook.exercise), got {safe_repr(exercise_id)}")
    number, part = int(match.group(1)), int(match.group(2))
    candidates = sorted(Path(notebooks_dir).glob(f"{number:02d}_*.ipynb"))
    if not candidates:
        raise FileNotFoundError(
            f"the source of notebook {number:02d} (with the solutions) is not in {notebooks_dir}; "
            "solutions come with the full repository"
        )
    grade_id = f"ex_{number}_{part}"
    cells = json.loads(candidates[0].read_text(encoding="utf-8"))["cells"]
    for cell in cells:
        if cell.get("metadata", {}).get("nbgrader", {}).get("grade_id") == grade_id:
            source = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
            found = re.search(r"### BEGIN SOLUTION\n(.*?)\s*### END SOLUTION", source, re.S)
            if found:
                return found.group(1).rstrip()
    raise ValueError(f"`exercise_id` {exercise_id!r}: notebook {candidates[0].name} has no exercise {exercise_id}")


def show_solution(exercise_id: str) -> None:
    """Print the solution of one exercise (and only that one), for a learner who is stuck.

    Examples
    --------
    >>> show_solution("0.1")  # doctest: +ELLIPSIS
    Solution of exercise 0.1:
    ...
    """
    try:
        text = solution_text(exercise_id)
    except (ValueError, FileNotFoundError) as error:
        print(f"No solution to show: {error}")
        return
    print(f"Solution of exercise {exercise_id}:\n\n{text}")
