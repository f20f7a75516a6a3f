"""cnnlib/exercises/_solutions.py: one exercise's solution, read from its source notebook, for a stuck learner."""

import pytest

from cnnlib import exercises


def test_show_solution_reveals_that_exercise_only(capsys):
    exercises.show_solution("0.1")
    shown = capsys.readouterr().out
    assert "return n - k + 1" in shown
    assert "### BEGIN SOLUTION" not in shown
    assert "pooled_count" not in shown and "shapes" not in shown  # the other exercises stay hidden


@pytest.mark.parametrize("bad", ["9.9", "one", None, 3.14])
def test_show_solution_explains_a_bad_id_instead_of_crashing(bad, capsys):
    exercises.show_solution(bad)
    assert capsys.readouterr().out.startswith("No solution to show:")


def test_solution_text_is_missing_without_the_source_notebooks(tmp_path):
    with pytest.raises(FileNotFoundError, match="full repository"):
        exercises.solution_text("0.1", notebooks_dir=tmp_path)
