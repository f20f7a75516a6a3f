"""What a class struggled with: per exercise, how many passed and the commonest "not yet" messages.

Reads an nbgrader course after ``nbgrader autograde``: the scores from the
gradebook (``gradebook.db``), the messages from the autograded notebooks (each
failed check cell holds the checker's ``NotYet`` error, "Exercise 3.1: not yet.
<what is wrong>"). Command line: ``python -m cnnlib.course report <assignment>``.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from matplotlib.figure import Figure

CHECK_ID = re.compile(r"check_(\d+)_(\d+)")
NOT_YET = re.compile(r"Exercise \d+\.\d+: not yet\. ?")
TIMED_OUT = "did not finish before the time-out (an infinite loop?)"


@dataclass(frozen=True)
class ExerciseResult:
    """How the class did on one exercise (one check cell)."""

    exercise: str
    """As in the text, e.g. ``"3.1"``."""
    points: float
    """What the check cell is worth."""
    passed: int
    """Students who scored full points."""
    students: int
    """Students whose submission was graded."""
    not_yet: list[tuple[str, int]] = field(default_factory=list)
    """The commonest "not yet" messages and how many students got each, commonest first."""


def failure_message(outputs) -> str | None:
    """What a graded check cell's outputs say went wrong, without the "Exercise 3.1: not yet." prefix.

    ``None`` when the cell shows no error (it passed). A time-out wins over the
    ``KeyboardInterrupt`` that stopped the loop; a checker's ``NotYet`` comes
    next; any other error is shown as ``Name: message``.

    Examples
    --------
    >>> failure_message([{"output_type": "error", "ename": "NotYet",
    ...                   "evalue": "Exercise 3.1: not yet. `answer` is None"}])
    '`answer` is None'
    >>> failure_message([{"output_type": "stream", "name": "stdout", "text": "Exercise 3.1: correct."}]) is None
    True
    """
    errors = [output for output in outputs if output.get("output_type") == "error"]
    if not errors:
        return None
    if any(error.get("ename") == "CellTimeoutError" for error in errors):
        return TIMED_OUT
    for error in errors:
        if NOT_YET.match(error.get("evalue", "")):
            return NOT_YET.sub("", error["evalue"], count=1).strip()
    error = errors[0]
    message = f"{error.get('ename', 'Error')}: {error.get('evalue', '')}".strip().rstrip(":")
    return message if len(message) <= 200 else message[:197] + "..."


def _exercise_id(grade_id: str) -> str:
    major, minor = CHECK_ID.fullmatch(grade_id).groups()
    return f"{major}.{minor}"


def _order(grade_id: str):
    return tuple(int(part) for part in CHECK_ID.fullmatch(grade_id).groups())


def class_report(course_dir, assignment: str, *, top: int = 3) -> list[ExerciseResult]:
    """Per exercise of ``assignment``: passes, graded students and the ``top`` commonest messages.

    Parameters
    ----------
    course_dir : path
        The nbgrader course folder (with ``nbgrader_config.py``, ``gradebook.db``, ``autograded/``).
    assignment : str
        The assignment, e.g. ``"03_convolution_2d"``.
    top : int
        How many messages to keep per exercise.

    Returns
    -------
    results : list of ExerciseResult
        One per check cell, in exercise order.

    Raises
    ------
    LookupError
        If the gradebook has no such assignment or no graded submission of it.
    """
    from nbgrader.api import Gradebook, MissingEntry

    from .course import _nbgrader_api

    coursedir = _nbgrader_api(Path(course_dir)).coursedir
    points, scores = {}, {}
    with Gradebook(coursedir.db_url, coursedir.course_id) as gradebook:
        try:
            found = gradebook.find_assignment(assignment)
        except MissingEntry:
            known = ", ".join(sorted(a.name for a in gradebook.assignments)) or "none"
            raise LookupError(f"the gradebook has no assignment {assignment!r} (it has: {known})") from None
        for submission in found.submissions:
            for notebook in submission.notebooks:
                for grade in notebook.grades:
                    if CHECK_ID.fullmatch(grade.name):
                        points[grade.name] = grade.max_score
                        scores[(submission.student_id, notebook.name, grade.name)] = grade.score or 0.0
    if not scores:
        raise LookupError(f"no graded submission of {assignment!r}: run `nbgrader autograde {assignment}` first")

    students = sorted({student for student, _, _ in scores})
    messages = {grade_id: Counter() for grade_id in points}
    for student, notebook, grade_id in scores:
        path = Path(coursedir.format_path(coursedir.autograded_directory, student, assignment)) / f"{notebook}.ipynb"
        if scores[(student, notebook, grade_id)] >= points[grade_id] or not path.exists():
            continue
        for cell in json.loads(path.read_text(encoding="utf-8"))["cells"]:
            if cell.get("metadata", {}).get("nbgrader", {}).get("grade_id") == grade_id:
                message = failure_message(cell.get("outputs", []))
                messages[grade_id][message or "no error shown, but scored below full points"] += 1
    return [
        ExerciseResult(
            exercise=_exercise_id(grade_id),
            points=points[grade_id],
            passed=sum(1 for (_, _, g), score in scores.items() if g == grade_id and score >= points[grade_id]),
            students=len(students),
            not_yet=messages[grade_id].most_common(top),
        )
        for grade_id in sorted(points, key=_order)
    ]


def format_report(assignment: str, results: list[ExerciseResult]) -> str:
    """The report as text: one block per exercise, passes first, then what the others were told."""
    students = max((result.students for result in results), default=0)
    lines = [f"Class report for {assignment}: {students} graded submission{'s' if students != 1 else ''}", ""]
    for result in results:
        share = result.passed / result.students if result.students else 0.0
        lines.append(
            f"Exercise {result.exercise} ({result.points:g} point{'s' if result.points != 1 else ''}): "
            f"{result.passed} of {result.students} passed ({share:.0%})"
        )
        for message, count in result.not_yet:
            lines.append(f"    {count} x {message}")
    return "\n".join(lines)


def report_figure(assignment: str, results: list[ExerciseResult]) -> Figure:
    """A bar per exercise (students who passed, of those graded), and under it the commonest "not yet" of each."""
    students = max((result.students for result in results), default=0)
    notes = [
        f"{result.exercise}: {count} x {_shorten(message, 95)}"
        for result in results
        for message, count in result.not_yet[:1]
    ] or ["every graded student passed every exercise"]
    fig = Figure(figsize=(max(7.0, 1.2 * len(results) + 2), 4.0 + 0.22 * len(notes)), dpi=100, layout="constrained")
    ax, text_ax = fig.subplots(2, 1, height_ratios=[3.6, 0.5 + 0.22 * len(notes)])
    labels = [result.exercise for result in results]
    ax.bar(labels, [students] * len(results), color="0.88", label="graded", zorder=1)
    ax.bar(labels, [result.passed for result in results], color="tab:green", label="passed", zorder=2)
    for position, result in enumerate(results):
        ax.annotate(
            f"{result.passed}/{result.students}",
            (position, result.passed),
            xytext=(0, 3),
            textcoords="offset points",
            ha="center",
            va="bottom",
        )
    ax.set_xlabel("exercise")
    ax.set_ylabel("students")
    ax.set_ylim(0, max(students, 1) * 1.15)
    ax.yaxis.get_major_locator().set_params(integer=True)
    ax.set_title(f"{assignment}: students who passed each exercise")
    ax.legend(loc="upper right", fontsize="small", ncols=2)
    text_ax.set_axis_off()
    text_ax.text(
        0,
        1,
        'Commonest "not yet" per exercise:\n' + "\n".join(notes),
        va="top",
        ha="left",
        fontsize="small",
        transform=text_ax.transAxes,
    )
    return fig


def _shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 3] + "..."
