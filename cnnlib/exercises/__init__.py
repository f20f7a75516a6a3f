"""Checkers for the exercises of every notebook, one per exercise: ``check_<notebook>_<exercise>``.

Exercise 3.2 in a notebook's text, its nbgrader cells ``ex_3_2`` (solution) and
``check_3_2`` (test), and its checker ``check_3_2`` share one id. A checker
prints ``Exercise 3.2: correct.`` or raises :class:`NotYet` (an
``AssertionError``) whose message says what is wrong and what was expected.

``show_solution("3.2")`` prints the solution of that one exercise.
"""

from ._feedback import NotYet as NotYet
from ._feedback import show_solution as show_solution
from ._feedback import solution_text as solution_text
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

CHECKERS = {name: value for name, value in globals().items() if name.startswith("check_")}
"""Every checker by name, e.g. ``CHECKERS["check_3_2"]``."""
