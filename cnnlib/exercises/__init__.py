"""Checkers for the exercises of every notebook, one per exercise: ``check_<notebook>_<exercise>``.

Exercise 3.2 in a notebook's text, its nbgrader cells ``ex_3_2`` (solution) and
``check_3_2`` (test), and its checker ``check_3_2`` share one id. A checker
prints ``Exercise 3.2: correct.`` or raises :class:`NotYet` (an
``AssertionError``) whose message says what is wrong and what was expected.

``hint("3.2")`` prints a hint for that exercise; each further call prints the
next, deeper one, and after the last it points to ``show_solution("3.2")``,
which prints the solution of that one exercise.

The checkers grade the learner's work, so they are read-only: an answer cell
that tries ``exercises.check_3_1 = lambda *a: None`` (or deletes a checker, or
writes into the module's ``__dict__``) gets an ``AttributeError`` or changes
nothing, and every check cell imports ``exercises`` afresh, so rebinding the
name ``exercises`` in the notebook does not help either. This stops the one-line
shortcut, not a determined cheater: code running in the same interpreter can
still patch the interpreter itself (``sys.modules``, a function's code object,
numpy). nbgrader restores the check cells before grading; reading the answer
cells is the last defence.
"""

import sys
import types

from ._feedback import NotYet as NotYet
from ._hints import HintBook
from ._hints import UnknownExercise as UnknownExercise
from ._solutions import show_solution as show_solution
from ._solutions import solution_text as solution_text
from .ex00 import *  # noqa: F403
from .ex01 import *  # noqa: F403
from .ex02 import *  # noqa: F403
from .ex03 import *  # noqa: F403
from .ex04 import *  # noqa: F403
from .ex05 import *  # noqa: F403
from .ex06 import *  # noqa: F403
from .ex07 import *  # noqa: F403
from .ex08 import *  # noqa: F403
from .ex09 import *  # noqa: F403
from .ex09_faces import *  # noqa: F403

CHECKERS = types.MappingProxyType({name: value for name, value in globals().items() if name.startswith("check_")})
"""Every checker by name, e.g. ``CHECKERS["check_3_2"]`` (read-only)."""

hint = HintBook({checker.exercise_id: checker.hints for checker in CHECKERS.values()}).hint
"""``hint("3.2")``: the next hint of Exercise 3.2, deeper with every call (see :class:`HintBook`)."""


def _read_only(checkers):
    """The module class that serves ``checkers`` and refuses to replace them."""
    protected = frozenset(checkers) | {"CHECKERS", "NotYet", "__class__"}

    def refuse(name):
        return name in protected or name.startswith("check_")

    class ExercisesModule(types.ModuleType):
        """``cnnlib.exercises`` with read-only checkers (see the module docstring)."""

        def __getattribute__(self, name):
            # Served from the mapping captured here, so a write into the module's __dict__ changes nothing.
            if name in checkers:
                return checkers[name]
            return super().__getattribute__(name)

        def __setattr__(self, name, value):
            if refuse(name):
                raise AttributeError(
                    f"cnnlib.exercises.{name} is read-only: the checkers grade your work, so they cannot be "
                    "replaced. Write your answer in the answer cell and run the check cell as it is."
                )
            super().__setattr__(name, value)

        def __delattr__(self, name):
            if refuse(name):
                raise AttributeError(f"cnnlib.exercises.{name} is read-only: the checkers cannot be deleted")
            super().__delattr__(name)

    return ExercisesModule


# ModuleType's own __setattr__, so that importlib.reload (which runs this again) is not refused.
types.ModuleType.__setattr__(sys.modules[__name__], "__class__", _read_only(CHECKERS))
