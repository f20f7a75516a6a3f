"""An answer cell cannot switch a checker off: `cnnlib.exercises` refuses it, and check cells re-import it.

Tried on notebook 03 before this existed: `exercises.check_3_1 = lambda *a: None` in an answer cell
scored 3 of 3 with no work done. Here every such one-liner is run the way a notebook runs it (answer
cell, then the stored check cell, in one namespace) and the check must still say "not yet".
"""

import importlib
import json
from pathlib import Path

import pytest

from cnnlib import exercises
from cnnlib.exercises import NotYet

NOTEBOOK = Path(__file__).resolve().parent.parent / "notebooks" / "03_convolution_2d.ipynb"


def check_cell(grade_id):
    """The source of one check cell of notebook 03, as stored (and as nbgrader restores it)."""
    for cell in json.loads(NOTEBOOK.read_text(encoding="utf-8"))["cells"]:
        if cell.get("metadata", {}).get("nbgrader", {}).get("grade_id") == grade_id:
            return "".join(cell["source"])
    raise LookupError(grade_id)


ATTACKS = {
    "replace a checker": "exercises.check_3_1 = lambda *a: None",
    "replace every checker": "for name in dir(exercises):\n    if name.startswith('check_'):\n"
    "        setattr(exercises, name, lambda *a: None)",
    "write into the module dict": "exercises.__dict__['check_3_1'] = lambda *a: None",
    "rebind the name": "import types\nexercises = types.SimpleNamespace(check_3_1=lambda *a: None)",
    "delete the checker": "del exercises.check_3_1",
    "swap the module class": "import types\nexercises.__class__ = types.ModuleType\n"
    "exercises.check_3_1 = lambda *a: None",
}


@pytest.mark.parametrize("attack", ATTACKS.values(), ids=ATTACKS.keys())
def test_an_answer_cell_cannot_switch_the_check_off(attack):
    namespace = {"exercises": exercises, "answer": None}  # as after the notebook's import cell
    try:
        exec(attack, namespace)  # the cheating answer cell: refused, or without effect
    except AttributeError as refused:
        assert "read-only" in str(refused)
    with pytest.raises(NotYet, match=r"Exercise 3\.1: not yet"):
        exec(check_cell("check_3_1"), namespace)


def test_the_refusal_says_what_to_do_instead():
    with pytest.raises(AttributeError, match="cannot be replaced. Write your answer in the answer cell"):
        exercises.check_3_1 = lambda *a: None


def test_checkers_stay_the_decorated_functions_and_the_rest_of_the_module_is_ordinary():
    assert exercises.check_3_1 is exercises.CHECKERS["check_3_1"]
    assert exercises.check_3_1.exercise_id == "3.1"
    with pytest.raises(TypeError):
        exercises.CHECKERS["check_3_1"] = None
    exercises.some_note = 1  # other attributes behave as in any module
    del exercises.some_note
    assert importlib.reload(exercises) is exercises  # reloading runs the lock again without refusing itself


def test_every_check_cell_imports_exercises_itself():
    for path in sorted(NOTEBOOK.parent.glob("[0-9][0-9]_*.ipynb")):
        for cell in json.loads(path.read_text(encoding="utf-8"))["cells"]:
            if cell.get("metadata", {}).get("nbgrader", {}).get("grade"):
                lines = "".join(cell["source"]).splitlines()
                assert "from cnnlib import exercises" in lines, f"{path.name}: {lines}"
