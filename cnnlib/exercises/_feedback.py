"""How a checker talks to the learner: "correct" on success, one clear "not yet" otherwise.

A checker never crashes. Whatever the learner hands in (None, a list, NaN, the
wrong shape, a function that raises), the only exception that leaves a checker
is :class:`NotYet`, a subclass of ``AssertionError`` whose message says what is
wrong and what was expected. nbgrader sees the error and scores that test cell
0, and the other cells still run.

Every checker reads the learner's answer through one toolkit, so that the same
mistake gets the same message in every notebook:

- :func:`as_number`: one real number, as a float;
- :func:`whole_number`: a whole number (a count, an index, a size), as an int;
- :func:`as_answer_array`: an array of real numbers, as float64, of a given shape;
- :func:`mismatches`: where an array differs from the expected one;
- :func:`call_learner`: call the learner's function, turning its errors into feedback.
"""

from __future__ import annotations

import functools
import json
import math
import numbers
import re
from pathlib import Path

import numpy as np

NOTEBOOKS = Path(__file__).resolve().parent.parent.parent / "notebooks"

REPLACE_NONE = "is None: replace None with your answer (or check that your function returns it)"
"""What the toolkit says after ``what`` when the answer is None, unless the checker says something more precise."""


class NotYet(AssertionError):
    """A wrong answer to an exercise; the message says what to look at."""


def safe_repr(value, limit: int = 80) -> str:
    """``repr(value)``, shortened, and never raising (a learner's object may break repr)."""
    try:
        text = repr(value)
    except Exception:  # noqa: BLE001 - any failure just means "we cannot show it"
        text = f"<{type(value).__name__} object>"
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _is_real(value) -> bool:
    """True for a real number that is not a bool: True is not an answer of 1."""
    return isinstance(value, numbers.Real) and not isinstance(value, (bool, np.bool_))


def as_number(value, what: str, *, finite: bool = True, squeeze: bool = False, if_none: str = REPLACE_NONE) -> float:
    """The learner's ``value`` as one real number, or a :class:`NotYet` naming ``what`` and showing what came in.

    Parameters
    ----------
    value : object
        The answer: an int, a float, a numpy scalar of any real dtype (float32
        too), a ``Fraction``, or a 0-d array holding one of these.
    what : str
        How the message names the answer, e.g. ``"`answer`"`` or ``"cosine_similarity(a, b)"``.
    finite : bool
        Refuse NaN and infinities. A checker that explains a NaN itself passes False.
    squeeze : bool
        Also take an array holding exactly one number, of any shape (``np.array([0.19])``,
        shape (1,)), as that number.
    if_none : str
        The rest of the message after ``what`` when ``value`` is None.

    Returns
    -------
    float
        ``value`` as a Python float.

    Raises
    ------
    NotYet
        For None, a bool, a string, a list or an array of several numbers, a number
        too large for a float, and (with ``finite``) NaN or an infinity.

    Examples
    --------
    >>> as_number(np.float32(0.5), "`learning_rate`")
    0.5
    >>> as_number(np.array(300), "`answer`")
    300.0
    >>> as_number("300", "`answer`")
    Traceback (most recent call last):
        ...
    cnnlib.exercises._feedback.NotYet: `answer` should be one number, got '300' of type str
    """
    if isinstance(value, np.ndarray) and (value.ndim == 0 or (squeeze and value.size == 1)):
        value = value.item()
    if value is None:
        raise NotYet(f"{what} {if_none}")
    if not _is_real(value):
        raise NotYet(f"{what} should be one number, got {safe_repr(value)} of type {type(value).__name__}")
    try:
        number = float(value)
    except (OverflowError, ValueError, TypeError):
        raise NotYet(f"{what} should be a number of ordinary size, got {safe_repr(value)}") from None
    if finite and not math.isfinite(number):
        raise NotYet(f"{what} should be a finite number, got {number}")
    return number


def whole_number(value, what: str, rounding_hint: str = "") -> int:
    """The learner's ``value`` as an int if it is a whole number, else a :class:`NotYet` naming ``what``.

    Parameters
    ----------
    value : object
        The answer: an int, a numpy integer, a float that is whole (``26.0``), or
        a 0-d array holding one of these.
    what : str
        How the message names the answer, e.g. ``"`pooled_count`"``.
    rounding_hint : str
        A sentence added when ``value`` is a number but not a whole one, e.g.
        ``" Round down (e.g. with //)."``.

    Returns
    -------
    int
        ``value`` as a Python int.

    Raises
    ------
    NotYet
        For None, a bool, a string, a list, an array of shape other than (), NaN,
        an infinity, or a number with a fractional part.

    Examples
    --------
    >>> whole_number(np.float64(26.0), "`side`")
    26
    >>> whole_number(2.5, "`side`", " Round down.")
    Traceback (most recent call last):
        ...
    cnnlib.exercises._feedback.NotYet: `side` should be a whole number, got 2.5. Round down.
    """
    if isinstance(value, np.ndarray) and value.ndim == 0:
        value = value.item()
    if value is None:
        raise NotYet(f"{what} {REPLACE_NONE}")
    if not _is_real(value):
        raise NotYet(f"{what} should be a whole number, got {safe_repr(value)} of type {type(value).__name__}")
    if value != value or value in (float("inf"), float("-inf")):
        raise NotYet(f"{what} should be a whole number, got {safe_repr(value)}")
    if int(value) != value:
        raise NotYet(f"{what} should be a whole number, got {safe_repr(value)}.{rounding_hint}")
    return int(value)


def as_answer_array(
    value, what: str, *, shape=None, ndim: int | None = None, hint="", finite: bool = True, if_none: str = REPLACE_NONE
) -> np.ndarray:
    """The learner's ``value`` as a float64 array, or a :class:`NotYet` naming ``what`` and saying what is wrong.

    Parameters
    ----------
    value : object
        The answer: a list or tuple of numbers (nested for more dimensions), or a
        numpy array of any real dtype (float32, int, uint8, and bool as 0 and 1).
    what : str
        How the message names the answer, e.g. ``"`pooled`"`` or ``"my_relu(x)"``.
    shape : tuple of int, optional
        The shape the answer must have, e.g. ``(4, 4)``.
    ndim : int, optional
        The number of dimensions the answer must have, when any length will do
        (``ndim=1``: a flat list of numbers).
    hint : str or callable
        A sentence added to the wrong-shape message, with its own leading
        punctuation (``". Count the positions ..."``); or a function that gets
        the wrong shape and returns such a sentence or None, e.g. the ``.get`` of
        a dict from likely wrong shapes to hints.
    finite : bool
        Refuse NaN and infinities. A checker that explains a NaN itself passes False.
    if_none : str
        The rest of the message after ``what`` when ``value`` is None, e.g.
        ``"returned None: did you forget `return`?"``.

    Returns
    -------
    numpy.ndarray
        ``value`` as a new float64 array (the learner's array is never changed), of ``shape`` if given.

    Raises
    ------
    NotYet
        For None, text, a function, ragged nested lists, values that are not
        real numbers (None or strings inside, complex numbers), the wrong number
        of dimensions, the wrong shape, and (with ``finite``) NaN or infinities.

    Examples
    --------
    >>> as_answer_array([[3, 4], [5, 3]], "`pooled`", shape=(2, 2))
    array([[3., 4.],
           [5., 3.]])
    >>> as_answer_array(np.zeros((3, 3)), "`out`", shape=(4, 4))
    Traceback (most recent call last):
        ...
    cnnlib.exercises._feedback.NotYet: `out`: expected an array of shape (4, 4), got shape (3, 3)
    """
    wanted = "a list or 1-D array of numbers" if ndim == 1 else "an array of numbers"
    if value is None:
        raise NotYet(f"{what} {if_none}")
    if isinstance(value, (str, bytes)):
        raise NotYet(f"{what} should be {wanted}, got the text {safe_repr(value)}")
    if callable(value):
        raise NotYet(f"{what} should be {wanted}, got the function {safe_repr(value)}")
    try:
        array = np.asarray(value)
        if array.dtype.kind == "O" and all(isinstance(v, numbers.Real) for v in array.flat):
            array = array.astype(np.float64)  # numbers numpy keeps as objects, e.g. Fraction; a huge int fails
        numeric = array.dtype.kind in "biuf"
    except Exception:  # noqa: BLE001 - ragged lists, ints too large for a float, objects that break numpy
        numeric = False
    if not numeric:
        raise NotYet(f"{what} should be {wanted}, got {safe_repr(value)}")
    if ndim is not None and array.ndim != ndim:
        wanted_ndim = "1-D (a flat list of numbers)" if ndim == 1 else f"{ndim}-D"
        raise NotYet(f"{what} should be {wanted_ndim}, got an array of shape {array.shape}")
    if shape is not None and array.shape != tuple(shape):
        extra = hint(array.shape) if callable(hint) else hint
        raise NotYet(f"{what}: expected an array of shape {tuple(shape)}, got shape {array.shape}{extra or ''}")
    with np.errstate(all="ignore"):  # a longdouble beyond float64's range becomes inf, refused next
        array = array.astype(np.float64)
    if finite and not np.isfinite(array).all():
        raise NotYet(f"{what} contains NaN or infinity: {safe_repr(value)}")
    return array


def mismatches(got, expected, *, rtol: float = 1e-05, atol: float = 1e-08) -> list[tuple[int, ...]]:
    """Where ``got`` and ``expected`` differ by more than ``np.isclose`` allows, first to last (C order).

    Parameters
    ----------
    got, expected : array_like
        Two arrays of one shape (or shapes that broadcast).
    rtol, atol : float
        As in ``np.isclose``: entries agree when ``|got - expected| <= atol + rtol * |expected|``.
        NaN never agrees.

    Returns
    -------
    list of tuple of int
        The index of every entry that differs; empty when they agree everywhere
        (the same test as ``np.allclose``).

    Examples
    --------
    >>> mismatches([[1.0, 2.0], [3.0, 4.0]], [[1.0, 2.5], [3.0, 4.0 + 1e-12]])
    [(0, 1)]
    >>> mismatches([1.0, 2.0], [1.0, 2.0])
    []
    """
    wrong = np.argwhere(~np.isclose(got, expected, rtol=rtol, atol=atol))
    return [tuple(int(i) for i in index) for index in wrong]


def call_learner(function, *args, name: str = "your function"):
    """Call the learner's ``function``; turn anything it raises into :class:`NotYet`."""
    if not callable(function):
        raise NotYet(f"expected a function, got {safe_repr(function)}")
    try:
        return function(*args)
    except NotImplementedError:
        raise NotYet(
            f"{name} still raises NotImplementedError: replace `raise NotImplementedError()` with your code"
        ) from None
    except Exception as error:  # noqa: BLE001 - any error in the learner's code is feedback
        shown = ", ".join(safe_repr(arg, 30) for arg in args)
        raise NotYet(f"{name} raised {type(error).__name__}: {error} (when called with {shown})") from None


def exercise(exercise_id: str):
    """Decorate a checker for exercise ``exercise_id`` (e.g. ``"3.2"``).

    The checker raises :class:`NotYet` with a message for a wrong answer and
    returns normally for a right one. The decorated function prints
    ``Exercise 3.2: correct.`` on success, and turns every other error
    (including a bug in the checker itself) into a ``NotYet`` too. numpy's
    floating-point warnings are off while it checks: a wrong answer that
    overflows (a naive softmax, a huge kernel) gets its message, not a warning
    as well.
    """

    def decorate(check):
        @functools.wraps(check)
        def checked(*args, **kwargs):
            try:
                with np.errstate(all="ignore"):
                    check(*args, **kwargs)
            except NotYet as wrong:
                raise NotYet(f"Exercise {exercise_id}: not yet. {wrong}") from None
            except Exception as error:  # noqa: BLE001 - a checker must never crash
                raise NotYet(
                    f"Exercise {exercise_id}: not yet. Checking your answer failed with "
                    f"{type(error).__name__}: {safe_repr(str(error), 200)}"
                ) from None
            print(f"Exercise {exercise_id}: correct.")

        checked.exercise_id = exercise_id
        return checked

    return decorate


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
