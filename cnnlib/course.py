"""Course tooling: student versions made by nbgrader, and the learner's own working copy.

``notebooks/`` is the source: it holds the solutions, so the whole series
executes. From it, nbgrader generates student versions (one assignment per
notebook) in ``course/release/``. ``make lab`` copies those into the learner's
folder ``my_work/``, once: a file already there is never overwritten, so the
learner's edits survive every ``make lab``, pull and regeneration; notebooks
that are new upstream are added beside them.

Command line: ``python -m cnnlib.course student [--force]``,
``python -m cnnlib.course learner-copy`` and ``python -m cnnlib.course report
<assignment>`` (what the class struggled with, from nbgrader's gradebook; see
``cnnlib.course_report``).
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import sys
from pathlib import Path

from nbconvert.preprocessors import Preprocessor
from traitlets import Bool

REPO = Path(__file__).resolve().parent.parent
NOTEBOOKS = REPO / "notebooks"
COURSE = REPO / "course"
LEARNER_COPY = REPO / "my_work"


class ClearExerciseOutputs(Preprocessor):
    """nbgrader step: clear the outputs of the exercises: every code cell from the first answer cell on.

    Used in place of nbgrader's ``ClearOutput`` (see ``course/nbgrader_config.py``),
    so that the explanatory figures before the exercises stay in the student version.
    The cells between an answer and its check (a demo that runs the answer) are
    cleared too: their stored outputs were made by the solution and would give it away.
    """

    enabled = Bool(True, help="nbconvert skips preprocessors that are not enabled").tag(config=True)

    def preprocess(self, nb, resources):
        answers = [i for i, cell in enumerate(nb.cells) if _is_exercise_cell(cell)]
        for cell in nb.cells[answers[0] :] if answers else []:
            if cell.cell_type == "code":
                cell.outputs = []
                cell.execution_count = None
        return nb, resources


class ValueAnswerStubs(Preprocessor):
    """nbgrader step after ``ClearSolutions``: an answer cell for a value keeps ``name = None``, without a raise.

    A value exercise's answer cell starts with ``two_colours = None  # replace None with ...`` above its
    solution. ``ClearSolutions`` puts its stub, ``raise NotImplementedError()``, below that line, so a
    learner who replaced None as the comment says would still see the cell fail. The stub's raise is
    dropped from such cells (function exercises keep theirs, indented in the function's body): the
    check then says "replace None" until the learner does.
    """

    enabled = Bool(True, help="nbconvert skips preprocessors that are not enabled").tag(config=True)

    def preprocess(self, nb, resources):
        for cell in nb.cells:
            nbgrader = cell.get("metadata", {}).get("nbgrader", {})
            if cell.get("cell_type") == "code" and nbgrader.get("solution") and _VALUE_LINE.search(cell.source):
                cell.source = _STUB_RAISE.sub("", cell.source)
        return nb, resources


_VALUE_LINE = re.compile(r"^[A-Za-z_]\w* = None\b", re.MULTILINE)  # `answer = None  # replace None with ...`
_STUB_RAISE = re.compile(r"^raise NotImplementedError\(\)\n?", re.MULTILINE)  # the stub's, at the cell's top level


def _is_exercise_cell(cell) -> bool:
    nbgrader = cell.get("metadata", {}).get("nbgrader", {})
    return cell.get("cell_type") == "code" and bool(nbgrader.get("solution") or nbgrader.get("grade"))


EXERCISE_CELL_TIMEOUT = 20
"""Seconds an answer or check cell may run when graded; every one of the series runs in under 0.1 s."""
OTHER_CELL_TIMEOUT = 180
"""Seconds any other cell may run when graded; notebook 08's training cell takes about 50 s on 2 cores."""


def cell_timeout(cell) -> int:
    """nbgrader's time-out for one cell when it grades (``c.Execute.timeout_func``), in seconds.

    An infinite loop in an answer is interrupted after ``EXERCISE_CELL_TIMEOUT`` and
    costs only its own cell; the slow, instructor-written cells get ``OTHER_CELL_TIMEOUT``.

    Examples
    --------
    >>> cell_timeout({"metadata": {"nbgrader": {"grade": True, "grade_id": "check_3_1"}}})
    20
    >>> cell_timeout({"metadata": {}})
    180
    """
    nbgrader = cell.get("metadata", {}).get("nbgrader", {})
    return EXERCISE_CELL_TIMEOUT if nbgrader.get("solution") or nbgrader.get("grade") else OTHER_CELL_TIMEOUT


def source_notebooks(notebooks_dir: Path = NOTEBOOKS) -> list[Path]:
    """The series' notebooks, ``NN_topic.ipynb``, in order."""
    return sorted(Path(notebooks_dir).glob("[0-9][0-9]_*.ipynb"))


def generate_student_versions(
    notebooks_dir: Path = NOTEBOOKS, course_dir: Path = COURSE, *, force: bool = False
) -> list[Path]:
    """Generate (with nbgrader) the student version of every notebook that changed.

    Parameters
    ----------
    notebooks_dir : Path
        The source notebooks, with solutions.
    course_dir : Path
        The nbgrader course folder holding ``nbgrader_config.py``.
    force : bool
        Regenerate every notebook, even those whose student version is newer.

    Returns
    -------
    released : list of Path
        ``course_dir/release/<name>/<name>.ipynb`` for every notebook.

    Raises
    ------
    RuntimeError
        If nbgrader refuses a notebook; the message carries nbgrader's log.
    """
    course_dir = Path(course_dir).resolve()
    config_file = course_dir / "nbgrader_config.py"
    released, api = [], None
    for notebook in source_notebooks(notebooks_dir):
        name = notebook.stem
        target = course_dir / "release" / name / notebook.name
        released.append(target)
        newest_input = max(notebook.stat().st_mtime, config_file.stat().st_mtime)
        if not force and target.exists() and target.stat().st_mtime >= newest_input:
            continue
        source = course_dir / "source" / name / notebook.name
        source.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(notebook, source)
        api = api or _nbgrader_api(course_dir)
        result = api.generate_assignment(name, force=True, create=True)
        if not result["success"]:
            raise RuntimeError(
                f"nbgrader could not generate the student version of {notebook.name}:\n"
                f"{result.get('error', '')}\n{result.get('log', '')}"
            )
    return released


def update_learner_copy(released: list[Path], learner_dir: Path = LEARNER_COPY) -> list[Path]:
    """Copy into ``learner_dir`` every student version that is not there yet.

    A notebook already in ``learner_dir`` is never touched: it holds the
    learner's work. Returns the notebooks that were added.
    """
    learner_dir = Path(learner_dir)
    learner_dir.mkdir(parents=True, exist_ok=True)
    added = []
    for student_version in released:
        mine = learner_dir / student_version.name
        if not mine.exists():
            shutil.copyfile(student_version, mine)
            added.append(mine)
    return added


def _nbgrader_api(course_dir: Path):
    """An nbgrader API object configured by ``course_dir/nbgrader_config.py``."""
    from nbgrader.apps import NbGraderAPI
    from traitlets.config.loader import PyFileConfigLoader

    # nbgrader runs the `alembic` command of its environment: make it findable
    # even when the virtual environment is not activated (as under `make`).
    scripts = str(Path(sys.executable).parent)
    if scripts not in os.environ.get("PATH", "").split(os.pathsep):
        os.environ["PATH"] = scripts + os.pathsep + os.environ.get("PATH", "")

    config = PyFileConfigLoader("nbgrader_config.py", path=str(course_dir)).load_config()
    config.CourseDirectory.root = str(course_dir)
    return NbGraderAPI(config=config)


REPORT_HELP = """\
Per exercise of an assignment: how many students passed, and the commonest
"not yet" messages the others got (what the class struggled with). Reads
nbgrader's gradebook and the autograded notebooks of COURSE_DIR, so run it
after `nbgrader autograde ASSIGNMENT`. Prints the report and writes the same
as a bar chart (a bar per exercise), by default COURSE_DIR/reports/ASSIGNMENT.png.
COURSE_DIR is the current folder if it is a course folder (it holds
nbgrader_config.py, as when you run nbgrader), else the repository's course/.
"""


def default_course_dir() -> Path:
    """The current folder if it is an nbgrader course folder, else the repository's ``course/``."""
    return Path.cwd() if (Path.cwd() / "nbgrader_config.py").is_file() else COURSE


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m cnnlib.course", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True, metavar="command")
    student = commands.add_parser(
        "student",
        help="generate the student versions in course/release/",
        description="Generate (with nbgrader) the student version of every notebook.",
    )
    student.add_argument("--force", action="store_true", help="regenerate every student version")
    copy = commands.add_parser(
        "learner-copy",
        help="also copy new student versions into my_work/ (make lab)",
        description="Generate the student versions, then copy new ones into my_work/.",
    )
    copy.add_argument("--force", action="store_true", help="regenerate every student version")
    report = commands.add_parser(
        "report",
        help="what the class struggled with, per exercise (after autograde)",
        description=REPORT_HELP,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    report.add_argument("assignment", help="the assignment, e.g. 03_convolution_2d")
    report.add_argument(
        "--course-dir",
        type=Path,
        default=None,
        help=f"the nbgrader course folder (default: the current folder if it is one, else {COURSE})",
    )
    report.add_argument(
        "--figure", type=Path, help="where to write the PNG (default: COURSE_DIR/reports/ASSIGNMENT.png)"
    )
    report.add_argument("--top", type=int, default=3, help="messages shown per exercise (default: %(default)s)")
    return parser


def report(assignment: str, course_dir: Path = COURSE, figure: Path | None = None, top: int = 3) -> tuple[str, Path]:
    """Print-ready class report of ``assignment`` and the PNG written beside it; see ``cnnlib.course_report``."""
    from .course_report import class_report, format_report, report_figure

    results = class_report(course_dir, assignment, top=top)
    figure = Path(figure) if figure else Path(course_dir) / "reports" / f"{assignment}.png"
    figure.parent.mkdir(parents=True, exist_ok=True)
    report_figure(assignment, results).savefig(figure)
    return format_report(assignment, results), figure


def main(argv=None) -> int:
    """``student``, ``learner-copy`` or ``report``: see ``python -m cnnlib.course --help``."""
    args = _parser().parse_args(argv)
    if args.command == "report":
        try:
            text, figure = report(args.assignment, args.course_dir or default_course_dir(), args.figure, args.top)
        except LookupError as missing:
            print(f"No report: {missing}", file=sys.stderr)
            return 1
        print(text)
        print(f"\nfigure: {figure}")
        return 0
    released = generate_student_versions(force=args.force)
    print(f"{len(released)} student versions in {COURSE / 'release'}")
    if args.command == "learner-copy":
        added = update_learner_copy(released)
        for notebook in added:
            print(f"added {notebook.relative_to(REPO)} to your working copy")
        print(f"your working copy: {LEARNER_COPY} (never overwritten)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
