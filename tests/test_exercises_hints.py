"""cnnlib/exercises/_hints.py: hints that go deeper with every call, declared next to each checker.

Every exercise of the series has at least two hints, and no hint gives a solution away: none holds a line of
the solution in the source notebook, nor the number a value exercise asks for.
"""

import json
import re
from pathlib import Path

import pytest

from cnnlib import exercises
from cnnlib.exercises._hints import HintBook, UnknownExercise, exercise_key

NOTEBOOKS = Path(__file__).resolve().parent.parent / "notebooks"
SERIES = {checker.exercise_id: checker.hints for checker in exercises.CHECKERS.values()}
RED, RESET = "\x1b[0;31m", "\x1b[0m"


def book():
    return HintBook({"3.2": ("Flip it.", "Turn the kernel by 180 degrees, then slide it."), "0.1": ("a", "b", "c")})


def test_each_call_prints_the_next_deeper_hint_then_says_there_are_no_more(capsys):
    hints = book()
    hints.hint("3.2")
    assert capsys.readouterr().out == (
        'Exercise 3.2, hint 1 of 2:\n  Flip it.\nFor a deeper hint, run exercises.hint("3.2") again.\n'
    )
    hints.hint("3.2")
    assert capsys.readouterr().out == (
        "Exercise 3.2, hint 2 of 2 (the last):\n  Turn the kernel by 180 degrees, then slide it.\n"
        'Still stuck? exercises.show_solution("3.2") prints a solution.\n'
    )
    hints.hint("3.2")
    assert capsys.readouterr().out == (
        'Exercise 3.2: no more hints, you have seen all 2. exercises.hint("3.2", 1) shows the first again; '
        'exercises.show_solution("3.2") prints a solution.\n'
    )


def test_each_exercise_counts_its_own_hints_and_a_number_shows_one_again(capsys):
    hints = book()
    hints.hint("3.2")
    hints.hint("0.1")
    assert "Exercise 0.1, hint 1 of 3:\n  a\n" in capsys.readouterr().out
    hints.hint("3.2", 1)  # again, and the next call still goes deeper
    hints.hint("3.2")
    shown = capsys.readouterr().out
    assert shown.startswith("Exercise 3.2, hint 1 of 2:") and "Exercise 3.2, hint 2 of 2 (the last):" in shown


def test_long_hints_are_wrapped_to_the_width_of_a_notebook(capsys):
    HintBook({"1.1": (" ".join(["word"] * 60), "b")}).hint("1.1")
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) > 3 and all(len(line) <= 100 for line in lines)


@pytest.mark.parametrize(
    ("given", "key"), [("3.2", "3.2"), (" 3.2 ", "3.2"), ("03.2", "3.2"), (3.2, "3.2"), ("3", None)]
)
def test_an_exercise_id_may_be_written_several_ways(given, key):
    assert exercise_key(given) == key


@pytest.mark.parametrize("bad", ["3.9", "three", None, 3, "Exercise 3.2"])
def test_an_unknown_exercise_is_a_clear_error_that_lists_the_exercises(bad):
    with pytest.raises(UnknownExercise) as info:
        book().hint(bad)
    message = str(info.value)
    assert message.startswith('`exercise_id` must be one of the series\' exercises (0.1, 3.2), written like "3.2"')
    assert info.value._render_traceback_() == [f"{RED}{message}{RESET}"]  # one red line in Jupyter
    assert isinstance(info.value, ValueError)


@pytest.mark.parametrize("number", [0, 3, -1, 1.0, True, "1"])
def test_a_hint_number_the_exercise_does_not_have_is_a_clear_error(number):
    with pytest.raises(UnknownExercise, match=r"`number` must be a hint of Exercise 3\.2, 1 to 2; got "):
        book().hint("3.2", number)


def test_the_series_lists_every_exercise_in_order():
    ids = HintBook(SERIES).exercise_ids
    assert ids[:3] == ["0.1", "0.2", "0.3"] and ids[-1] == "9.5" and len(ids) == len(exercises.CHECKERS)
    with pytest.raises(UnknownExercise, match=re.escape("(0.1, 0.2, 0.3, 1.1, ")):
        exercises.hint("10.1")


def test_exercises_hint_prints_the_series_hints(capsys):
    exercises.hint("0.1", 1)
    assert capsys.readouterr().out.startswith(f"Exercise 0.1, hint 1 of {len(SERIES['0.1'])}:\n  Try a small case")


@pytest.mark.parametrize("exercise_id", sorted(SERIES))
def test_every_exercise_has_at_least_two_different_hints(exercise_id):
    hints = SERIES[exercise_id]
    assert len(hints) >= 2 and len(set(hints)) == len(hints)
    assert all(len(h) >= 40 and h.rstrip().endswith((".", "?")) for h in hints), hints


def solution_lines(exercise_id):
    """What one exercise's solution holds and the notebook does not show elsewhere: each line of its code, with
    and without its comment, and each right-hand side."""
    number, part = exercise_id.split(".")
    (path,) = NOTEBOOKS.glob(f"{int(number):02d}_*.ipynb")
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    sources = ["".join(cell["source"]) for cell in cells]
    taught = "\n".join(re.sub(r"### BEGIN SOLUTION\n.*?### END SOLUTION", "", source, flags=re.S) for source in sources)
    for cell, source in zip(cells, sources, strict=True):
        if cell.get("metadata", {}).get("nbgrader", {}).get("grade_id") == f"ex_{number}_{part}":
            region = re.search(r"### BEGIN SOLUTION\n(.*?)### END SOLUTION", source, re.S).group(1)
            for line in region.splitlines():
                code = line.split("#")[0].strip()
                for piece in (line.strip(), code, code.split("=", 1)[-1].strip()):
                    if len(piece) > 8 and piece not in taught:
                        yield piece
            return
    raise LookupError(exercise_id)


# The numbers the value exercises ask for, worked out by hand: a hint nearly gives the method, never the answer.
ANSWERS = {
    "0.2": ["(6, 14, 14)", "(6, 28, 28)", "28 x 28", "14 x 14"],
    "0.3": ["1176", "1,176"],
    "1.4": ["720000000", "720,000,000", "720 000 000"],
    "1.5": ["(451, 3)", "(64, 64, 3)", "(150, 226)", "(135300, 3)", "135300", "135,300", "226"],
    "2.1": ["= 8", "is 8"],
    "2.3": ["0.333", "[1/3"],
    "2.4": ["[1, -1]", "(1, -1)"],
    "2.5": ["[0, 0, 1]", "(0, 0, 1)"],
    "3.1": ["300"],
    "4.1": ["(12, 2)", "(16, 4)", "(8, 23)", "8 to 23", "16 rows"],
    "4.2": ["(8, 16, 10, 8)", "(10, 8)"],
    "4.3": ["4640", "4,640", "1228900", "1,228,900"],
    "4.4": ["(2, 6, 9, 7)", "(9, 7)", "OH = 9", "OW = 7"],
    "4.5": ["1516", "1,516", "150000", "150,000", "1500", "1,500", "10 x 10"],
    "5.2": ["[[2, -1], [1, 3]]", "[[2, -1]", "[1, 3]]", "[[2., -1.]"],
    "5.3": ["0.1875", "3/16", "3 / 16"],
    "6.1": ["[[True, True, False]", "[[1, 1, 0]", "[False, False, True]"],
    "7.4": ["980", "9810", "9,810", "13926", "13,926", "(20, 7, 7)"],
    "7.5": ["0.0185", "0.0741", "0.907", "1.946", "1.9459"],
    "8.3": ["0.143", "0.1432", "1.4e-11", '"a"', "is a", "a is wrong"],
    "8.5": ["1/18750", "1 / 18750", "18750", "18,750", "5.33e-05", "5.333e-05", "0.0000533", "2500"],
    "9.4": ["288", "(8, 6, 6)", "(4, 30, 30)"],
}


@pytest.mark.parametrize("exercise_id", sorted(ANSWERS))
def test_no_hint_gives_the_number_a_value_exercise_asks_for(exercise_id):
    text = "\n".join(SERIES[exercise_id])
    for answer in ANSWERS[exercise_id]:
        assert answer not in text, f"a hint of {exercise_id} gives away {answer}"
