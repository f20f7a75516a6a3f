"""Solutions, for a learner who is stuck: ``show_solution("3.2")`` prints that one exercise's solution.

The solutions live in the source notebooks (between ``### BEGIN SOLUTION`` and
``### END SOLUTION``), never in the package, so a student version or a wheel
handed out alone has none to show.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from ._feedback import safe_repr

NOTEBOOKS = Path(__file__).resolve().parent.parent.parent / "notebooks"


def solution_text(exercise_id: str, notebooks_dir: Path = NOTEBOOKS) -> str:
    """The code between ``### BEGIN SOLUTION`` and ``### END SOLUTION`` of one exercise.

    Parameters
    ----------
    exercise_id : str
        As in the text, e.g. ``"3.2"``; its solution cell has nbgrader ``grade_id`` ``"ex_3_2"``.
    notebooks_dir : Path
        Where the source notebooks (with solutions) are; the repository's ``notebooks/``.

    Raises
    ------
    ValueError
        If ``exercise_id`` is malformed, or no such exercise exists.
    FileNotFoundError
        If the source notebooks are not there (e.g. a student version handed out alone).
    """
    match = re.fullmatch(r"(\d+)\.(\d+)", str(exercise_id).strip())
    if match is None:
        raise ValueError(f"`exercise_id` must look like '3.2' (notebook.exercise), got {safe_repr(exercise_id)}")
    number, part = int(match.group(1)), int(match.group(2))
    candidates = sorted(Path(notebooks_dir).glob(f"{number:02d}_*.ipynb"))
    if not candidates:
        raise FileNotFoundError(
            f"the source of notebook {number:02d} (with the solutions) is not in {notebooks_dir}; "
            "solutions come with the full repository"
        )
    grade_id = f"ex_{number}_{part}"
    cells = json.loads(candidates[0].read_text(encoding="utf-8"))["cells"]
    for cell in cells:
        if cell.get("metadata", {}).get("nbgrader", {}).get("grade_id") == grade_id:
            source = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
            found = re.search(r"### BEGIN SOLUTION\n(.*?)\s*### END SOLUTION", source, re.S)
            if found:
                return found.group(1).rstrip()
    raise ValueError(f"`exercise_id` {exercise_id!r}: notebook {candidates[0].name} has no exercise {exercise_id}")


def show_solution(exercise_id: str) -> None:
    """Print the solution of one exercise (and only that one), for a learner who is stuck.

    Examples
    --------
    >>> show_solution("0.1")  # doctest: +ELLIPSIS
    Solution of exercise 0.1:
    ...
    """
    try:
        text = solution_text(exercise_id)
    except (ValueError, FileNotFoundError) as error:
        print(f"No solution to show: {error}")
        return
    print(f"Solution of exercise {exercise_id}:\n\n{text}")
