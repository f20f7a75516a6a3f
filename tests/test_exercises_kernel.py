"""What a learner sees in Jupyter: checks run in a real IPython kernel, as a notebook runs them.

A wrong answer is one red line, ``Exercise 0.1: not yet. ...``, with no traceback through cnnlib; a bug in the
learner's own function shows the message and then the learner's traceback, starting in the learner's cell; a
hint is printed text. The outputs are read the way Jupyter and nbgrader store them.
"""

import re

import nbclient
import nbformat
import pytest

ANSI = re.compile(r"\x1b\[[0-9;]*m")
RED = "\x1b[0;31m"

CELLS = {
    "right": "def feature_map_side(n, k):\n    return n - k + 1\n\nexercises.check_0_1(feature_map_side)",
    "wrong": "def feature_map_side(n, k):\n    return n - k\n\nexercises.check_0_1(feature_map_side)",
    "bug": (
        "def feature_map_side(n, k):\n    sides = [n - k + 1]\n    return sides[k]\n\n"
        "exercises.check_0_1(feature_map_side)"
    ),
    "forbidden": (
        "def convolve_same(f, g):\n    return np.convolve(f, g, mode='same')\n\nexercises.check_2_2(convolve_same)"
    ),
    "hint": 'exercises.hint("0.1")\nexercises.hint("0.1")',
    "unknown": 'exercises.hint("0.9")',
}


@pytest.fixture(scope="module")
def outputs():
    """{name: outputs of that cell} after running CELLS in one fresh kernel, each after the imports."""
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [nbformat.v4.new_code_cell("import numpy as np\nfrom cnnlib import exercises")]
    notebook.cells += [nbformat.v4.new_code_cell(source) for source in CELLS.values()]
    nbclient.NotebookClient(notebook, kernel_name="python3", allow_errors=True, timeout=120).execute()
    return {name: cell.outputs for name, cell in zip(CELLS, notebook.cells[1:], strict=True)}


def stdout_of(outputs):
    """The text a cell printed, whole: the kernel may send one print in several stream messages (a flush between
    two writes), which Jupyter shows as one text and nbclient stores as several outputs."""
    assert all(o.output_type == "stream" and o.name == "stdout" for o in outputs), outputs
    return "".join(o.text for o in outputs)


def error_of(outputs):
    (error,) = [output for output in outputs if output.output_type == "error"]
    return error


def test_a_right_answer_prints_correct(outputs):
    assert stdout_of(outputs["right"]) == "Exercise 0.1: correct.\n"


def test_a_wrong_answer_is_one_red_line_without_a_traceback(outputs):
    error = error_of(outputs["wrong"])
    message = "Exercise 0.1: not yet. feature_map_side(28, 3) returned 25, expected 26."
    assert error.ename == "NotYet" and error.evalue.startswith(message)  # what nbgrader and the class report read
    assert len(error.traceback) == 1 and error.traceback[0].startswith(RED + message)


def test_a_bug_in_the_learners_function_shows_the_message_then_their_traceback(outputs):
    error = error_of(outputs["bug"])
    first, *rest = error.traceback
    assert first.startswith(RED + "Exercise 0.1: not yet. feature_map_side raised IndexError: list index out of range")
    shown = ANSI.sub("", "\n".join(rest))
    assert re.search(r"Cell In\[\d+\], line 3, in feature_map_side", shown), shown  # the learner's cell and line
    assert "return sides[k]" in shown and shown.rstrip().endswith("IndexError: list index out of range")
    assert "cnnlib" not in shown, "the traceback starts in the learner's code, not in the checker"


def test_a_forbidden_shortcut_is_one_line_that_names_it(outputs):
    (line,) = error_of(outputs["forbidden"]).traceback
    assert "Exercise 2.2: not yet. convolve_same uses np.convolve, which this exercise forbids" in line


def test_hints_print_one_after_the_other(outputs):
    text = stdout_of(outputs["hint"])
    first, second = text.find("Exercise 0.1, hint 1 of 3:"), text.find("Exercise 0.1, hint 2 of 3:")
    assert 0 <= first < second, text


def test_an_unknown_exercise_is_one_red_line_listing_the_exercises(outputs):
    (line,) = error_of(outputs["unknown"]).traceback
    assert line.startswith(RED + "`exercise_id` must be one of the series' exercises (0.1, 0.2, 0.3, 1.1,")
