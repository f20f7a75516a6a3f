"""The class report on a simulated class: four submissions of notebook 00, autograded by nbgrader.

What each student handed in fixes how many pass each exercise (counted by hand below); the
messages the report must find are asked of the checkers directly, so the report's reading of
the gradebook and of the autograded notebooks is what is tested.
"""

import shutil
from pathlib import Path

import nbformat
import pytest
from PIL import Image

from cnnlib import course, exercises
from cnnlib.course_report import TIMED_OUT, class_report, failure_message, format_report, report_figure

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOK = "00_start_here"

RIGHT = {
    "ex_0_1": "def feature_map_side(n, k):\n    return n - k + 1",
    "ex_0_2": "shapes = [(32, 32), (6, 28, 28), (6, 28, 28), (6, 14, 14)]",
    "ex_0_3": "pooled_count = 6 * 14 * 14",
}
CLASS = {
    "ada": RIGHT,  # passes all three
    "bo": {},  # hands in the student version untouched: the stubs raise NotImplementedError
    "cy": {**RIGHT, "ex_0_1": "def feature_map_side(n, k):\n    return n - k"},  # off by one in 0.1
    "di": {**RIGHT, "ex_0_3": "pooled_count = None\npooled_count = int('six times fourteen squared')"},  # crashes
}
# By hand: 0.1 passed by ada and di; 0.2 by ada, cy and di; 0.3 by ada and cy.
PASSED = {"0.1": 2, "0.2": 3, "0.3": 2}


def told(checker, answer):
    """What ``checker`` tells a learner about ``answer``, without the "Exercise N.M: not yet." prefix."""
    with pytest.raises(exercises.NotYet) as wrong:
        checker(answer)
    return str(wrong.value).split("not yet. ", 1)[1]


def stub(n, k):
    raise NotImplementedError()


@pytest.fixture(scope="module")
def graded_class(tmp_path_factory):
    """A course folder in which nbgrader has autograded the four submissions of notebook 00."""
    course_dir = tmp_path_factory.mktemp("course")
    shutil.copy(ROOT / "course" / "nbgrader_config.py", course_dir)
    course.generate_student_versions(course.NOTEBOOKS, course_dir)
    released = nbformat.read(course_dir / "release" / NOTEBOOK / f"{NOTEBOOK}.ipynb", as_version=4)
    api = course._nbgrader_api(course_dir)
    for student, answers in CLASS.items():
        notebook = nbformat.from_dict(released)
        for cell in notebook.cells:
            grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
            cell.source = answers.get(grade_id, cell.source)
        target = course_dir / "submitted" / student / NOTEBOOK / f"{NOTEBOOK}.ipynb"
        target.parent.mkdir(parents=True)
        nbformat.write(notebook, target)
        assert api.autograde(NOTEBOOK, student)["success"]
    return course_dir


def test_the_report_counts_passes_per_exercise(graded_class):
    results = class_report(graded_class, NOTEBOOK)
    assert [r.exercise for r in results] == ["0.1", "0.2", "0.3"]
    assert {r.exercise: r.passed for r in results} == PASSED
    assert all(r.students == len(CLASS) and r.points == 1 for r in results)


def test_the_report_lists_what_the_others_were_told_commonest_first(graded_class):
    messages = {r.exercise: r.not_yet for r in class_report(graded_class, NOTEBOOK)}
    assert sorted(messages["0.1"]) == sorted(
        [(told(exercises.check_0_1, stub), 1), (told(exercises.check_0_1, lambda n, k: n - k), 1)]
    )
    assert messages["0.2"] == [(told(exercises.check_0_2, None), 1)]
    # bo's stub and di's crash both leave pooled_count None: one message, counted twice
    assert messages["0.3"] == [(told(exercises.check_0_3, None), 2)]


def test_the_text_report_and_the_figure_say_the_same(graded_class):
    results = class_report(graded_class, NOTEBOOK)
    text = format_report(NOTEBOOK, results)
    assert "4 graded submissions" in text
    assert "Exercise 0.2 (1 point): 3 of 4 passed (75%)" in text
    assert f"    2 x {told(exercises.check_0_3, None)}" in text

    fig = report_figure(NOTEBOOK, results)
    bars_ax = fig.axes[0]
    passed = bars_ax.containers[1]  # drawn after the grey "graded" bars
    assert [bar.get_height() for bar in passed] == [2, 3, 2]
    assert [bar.get_height() for bar in bars_ax.containers[0]] == [4, 4, 4]
    assert NOTEBOOK in bars_ax.get_title()
    assert bars_ax.get_xlabel() == "exercise" and bars_ax.get_ylabel() == "students"
    assert [t.get_text() for t in bars_ax.get_xticklabels()] == ["0.1", "0.2", "0.3"]


def test_the_command_prints_the_report_and_writes_the_figure(graded_class, capsys):
    assert course.main(["report", NOTEBOOK, "--course-dir", str(graded_class)]) == 0
    printed = capsys.readouterr().out
    assert "Exercise 0.1 (1 point): 2 of 4 passed" in printed
    figure = graded_class / "reports" / f"{NOTEBOOK}.png"
    assert f"figure: {figure}" in printed
    with Image.open(figure) as image:
        assert image.format == "PNG" and image.width > 400


def test_the_command_explains_itself_and_says_what_is_missing(graded_class, capsys):
    with pytest.raises(SystemExit):
        course.main(["report", "--help"])
    assert "struggled" in capsys.readouterr().out
    assert course.main(["report", "01_images_as_matrices", "--course-dir", str(graded_class)]) == 1
    assert "nbgrader autograde 01_images_as_matrices" in capsys.readouterr().err
    assert course.main(["report", "no_such_notebook", "--course-dir", str(graded_class)]) == 1
    assert "no assignment 'no_such_notebook'" in capsys.readouterr().err


def test_a_time_out_wins_over_the_interrupt_that_stopped_it():
    outputs = [
        {"output_type": "error", "ename": "KeyboardInterrupt", "evalue": ""},
        {"output_type": "error", "ename": "CellTimeoutError", "evalue": ""},
    ]
    assert failure_message(outputs) == TIMED_OUT
    assert failure_message([{"output_type": "error", "ename": "NameError", "evalue": "name 'x' is not defined"}]) == (
        "NameError: name 'x' is not defined"
    )


def test_the_command_reports_on_the_course_folder_it_runs_in(graded_class, capsys, monkeypatch):
    monkeypatch.chdir(graded_class)  # as after `cd course && nbgrader autograde ...`
    assert course.main(["report", NOTEBOOK, "--figure", str(graded_class / "here.png")]) == 0
    assert "Exercise 0.2 (1 point): 3 of 4 passed" in capsys.readouterr().out
    assert (graded_class / "here.png").exists()
