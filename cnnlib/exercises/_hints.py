"""Hints that go deeper: ``exercises.hint("3.2")`` prints the first hint, each further call the next one.

Every checker declares its hints next to itself, ``@exercise("3.2", hints=(...))``,
from a nudge towards the idea to nearly the method (never the code). After the
last one, ``hint`` says so and points to ``show_solution``. The hints are part
of the package, so a student version or a wheel installed alone has them.
"""

from __future__ import annotations

import re
import textwrap
from collections.abc import Mapping, Sequence

from ._feedback import red, safe_repr

WIDTH = 100  # characters per printed line, as wide as a notebook's output area


class UnknownExercise(ValueError):
    """An exercise id that no checker has, or a hint number that exercise does not have."""

    def _render_traceback_(self) -> list[str]:
        """In Jupyter: the message as one red line, no traceback (see NotYet)."""
        return [red(str(self))]


def exercise_key(exercise_id) -> str:
    """``"3.2"`` for ``"3.2"``, ``" 3.2 "``, ``"03.2"`` or ``3.2``; None if it does not look like an exercise id."""
    match = re.fullmatch(r"(\d+)\.(\d+)", str(exercise_id).strip())
    return None if match is None else f"{int(match.group(1))}.{int(match.group(2))}"


def _order(key: str) -> tuple[int, int]:
    notebook, number = key.split(".")
    return int(notebook), int(number)


class HintBook:
    """The hints of every exercise, and how many of each the learner has seen in this session.

    Parameters
    ----------
    hints : mapping of str to sequence of str
        Exercise id (``"3.2"``) to its hints, shallowest first.

    Examples
    --------
    >>> book = HintBook({"3.2": ("Look at the flip.", "Turn the kernel by 180 degrees.")})
    >>> book.hint("3.2")
    Exercise 3.2, hint 1 of 2:
      Look at the flip.
    For a deeper hint, run exercises.hint("3.2") again.
    >>> book.hint("3.2")
    Exercise 3.2, hint 2 of 2 (the last):
      Turn the kernel by 180 degrees.
    Still stuck? exercises.show_solution("3.2") prints a solution.
    """

    def __init__(self, hints: Mapping[str, Sequence[str]]):
        self._hints = {key: tuple(texts) for key, texts in hints.items()}
        self._seen: dict[str, int] = {}

    @property
    def exercise_ids(self) -> list[str]:
        """Every exercise with hints, in the order of the series: ``['0.1', '0.2', ..., '9.3']``."""
        return sorted(self._hints, key=_order)

    def _key(self, exercise_id) -> str:
        key = exercise_key(exercise_id)
        if key not in self._hints:
            raise UnknownExercise(
                f"`exercise_id` must be one of the series' exercises ({', '.join(self.exercise_ids)}), "
                f'written like "3.2"; got {safe_repr(exercise_id)}'
            )
        return key

    def hint(self, exercise_id, number: int | None = None) -> None:
        """Print the next hint of one exercise, or hint ``number`` (1 = the first) again.

        Parameters
        ----------
        exercise_id : str
            As in the text, e.g. ``"3.2"``.
        number : int, optional
            Which hint to show; by default the one after the deepest shown so far.

        Raises
        ------
        UnknownExercise
            If no exercise has that id, or it has no hint ``number``; the message
            lists the exercises (or the hints) there are.
        """
        key = self._key(exercise_id)
        texts = self._hints[key]
        call = f'exercises.hint("{key}")'
        if number is None:
            number = self._seen.get(key, 0) + 1
            if number > len(texts):
                print(
                    f"Exercise {key}: no more hints, you have seen all {len(texts)}. "
                    f'exercises.hint("{key}", 1) shows the first again; '
                    f'exercises.show_solution("{key}") prints a solution.'
                )
                return
        elif isinstance(number, bool) or not isinstance(number, int) or not 1 <= number <= len(texts):
            raise UnknownExercise(
                f"`number` must be a hint of Exercise {key}, 1 to {len(texts)}; got {safe_repr(number)}"
            )
        self._seen[key] = max(self._seen.get(key, 0), number)
        last = number == len(texts)
        print(f"Exercise {key}, hint {number} of {len(texts)}{' (the last)' if last else ''}:")
        print(textwrap.fill(texts[number - 1], WIDTH, initial_indent="  ", subsequent_indent="  "))
        if last:
            print(f'Still stuck? exercises.show_solution("{key}") prints a solution.')
        else:
            print(f"For a deeper hint, run {call} again.")
