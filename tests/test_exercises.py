"""cnnlib.exercises as a whole: every exercise has its cells and its checker, and no checker ever crashes.

The right and wrong answers of each notebook's exercises are in tests/test_exercises_exNN.py; the answer
toolkit in tests/test_exercises_answers.py; the decorator and call_learner in tests/test_exercises_feedback.py;
the hints, the forbidden shortcuts and the solutions in tests/test_exercises_{hints,shortcuts,solutions}.py; what
a learner sees in Jupyter in tests/test_exercises_kernel.py.
"""

import json
import re
from pathlib import Path

import numpy as np
from helpers_exercises import CRASHED, BrokenRepr
from hypothesis import given
from hypothesis import strategies as st

from cnnlib import exercises

NOTEBOOKS = Path(__file__).resolve().parent.parent / "notebooks"
CHECKERS = list(exercises.CHECKERS.values())


def exercise_cells():
    """{(notebook, grade_id): cell} for every nbgrader cell of the source notebooks."""
    cells = {}
    for path in sorted(NOTEBOOKS.glob("[0-9][0-9]_*.ipynb")):
        for cell in json.loads(path.read_text())["cells"]:
            grade_id = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")
            if grade_id:
                cells[(path.name, grade_id)] = cell
    return cells


def test_every_exercise_has_an_answer_cell_a_check_cell_and_a_checker():
    cells = exercise_cells()
    answers = {gid[len("ex_") :] for (_, gid) in cells if gid.startswith("ex_")}
    checks = {gid[len("check_") :] for (_, gid) in cells if gid.startswith("check_")}
    checkers = {name[len("check_") :] for name in exercises.CHECKERS}
    assert answers == checks == checkers
    for (notebook, grade_id), cell in cells.items():
        meta = cell["metadata"]["nbgrader"]
        source = "".join(cell["source"])
        if grade_id.startswith("ex_"):
            assert meta["solution"] and not meta["grade"], grade_id
            assert "### BEGIN SOLUTION" in source and "### END SOLUTION" in source, grade_id
        else:
            assert meta["grade"] and meta["locked"] and meta["points"] > 0, grade_id
            assert f"exercises.{grade_id}(" in source, f"{notebook}: {grade_id} calls its own checker"
        number = notebook[:2]
        assert grade_id.split("_")[1] == str(int(number)), f"{grade_id} sits in notebook {notebook}"


def test_every_exercise_is_named_in_the_text():
    for path in sorted(NOTEBOOKS.glob("[0-9][0-9]_*.ipynb")):
        cells = json.loads(path.read_text())["cells"]
        text = "".join("".join(c["source"]) for c in cells if c["cell_type"] == "markdown")
        for name in exercises.CHECKERS:
            major, minor = re.fullmatch(r"check_(\d+)_(\d+)", name).groups()
            if int(major) == int(path.name[:2]):
                assert f"Exercise {major}.{minor}" in text, f"{path.name} never says Exercise {major}.{minor}"


def learner_functions():
    """Functions a learner might hand in: wrong results of every kind, or raising."""
    results = st.one_of(
        st.none(),
        st.integers(),
        st.floats(allow_nan=True, allow_infinity=True),
        st.text(max_size=5),
        st.lists(st.integers(), max_size=3),
        st.just(np.ones((2, 2))),
        st.just(BrokenRepr()),
        st.sampled_from([[[1, 2], [3]], 10**400, 1 + 2j, ["1", "2"], np.array(None)]),
    )
    raising = st.sampled_from([ValueError, TypeError, ZeroDivisionError, IndexError, RuntimeError, KeyError])
    return st.one_of(
        results.map(lambda value: lambda *args: value),
        raising.map(lambda error: lambda *args: (_ for _ in ()).throw(error("boom"))),
        st.just(lambda: 1),  # takes the wrong number of arguments
    )


any_answer = st.deferred(
    lambda: st.one_of(
        st.none(),
        st.booleans(),
        st.integers(),
        st.floats(allow_nan=True, allow_infinity=True),
        st.text(max_size=8),
        st.binary(max_size=4),
        st.just(BrokenRepr()),
        st.just(np.nan),
        st.lists(any_answer, max_size=5),
        st.tuples(any_answer, any_answer),
        st.lists(st.tuples(st.integers(-2, 40), st.integers(-2, 40), st.integers(-2, 40)), max_size=5),
        st.dictionaries(st.text(max_size=2), st.integers(), max_size=2),
        st.builds(np.zeros, st.lists(st.integers(0, 3), max_size=3).map(tuple)),
        st.sampled_from([[[1, 2], [3]], 10**400, 1 + 2j, ["1", "2"], np.array(None)]),  # ragged, huge, odd
        learner_functions(),
    )
)


@given(st.sampled_from(CHECKERS), any_answer)
def test_checkers_never_crash_whatever_they_are_given(checker, answer):
    try:
        checker(answer)
    except AssertionError as wrong:
        assert str(wrong).startswith(f"Exercise {checker.exercise_id}: not yet. ")
        assert len(str(wrong)) > len("Exercise 0.0: not yet. ") + 10
        assert CRASHED not in str(wrong), "the checker itself broke on this answer"
