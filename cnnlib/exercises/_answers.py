"""Reading the learner's answer: one toolkit, so that the same mistake gets the same message in every notebook.

- :func:`as_number`: one real number, as a float;
- :func:`whole_number`: a whole number (a count, an index, a size), as an int;
- :func:`as_shape`: a tuple of whole numbers (a shape), as ints;
- :func:`as_answer_array`: an array of real numbers, as float64, of a given shape;
- :func:`mismatches`: where an array differs from the expected one, within the
  precision of the learner's floats (float32 answers are compared at float32's);
- :func:`shown_apart`: two numbers printed with enough digits to look different.
"""

from __future__ import annotations

import math
import numbers

import numpy as np

from ._feedback import NotYet, safe_repr

REPLACE_NONE = "is None: replace None with your answer (or check that your function returns it)"
"""What the toolkit says after ``what`` when the answer is None, unless the checker says something more precise."""


def _is_real(value) -> bool:
    """True for a real number that is not a bool: True is not an answer of 1."""
    return isinstance(value, numbers.Real) and not isinstance(value, (bool, np.bool_))


def _one_number_inside(value):
    """The array of a list or tuple that holds exactly one real number (``[0.19]``, ``[[3]]``); else ``value``."""
    try:
        array = np.asarray(value)
    except Exception:  # noqa: BLE001 - ragged or odd: not one number, as_number explains
        return value
    return array if array.size == 1 and array.dtype.kind in "iuf" else value


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
        Also take an array, a list or a tuple holding exactly one number, of any
        shape (``np.array([0.19])``, ``[0.19]``), as that number.
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
    if squeeze and isinstance(value, (list, tuple)):
        value = _one_number_inside(value)
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


def as_shape(value, what: str, rounding_hint: str = " Sizes are whole numbers: round down (e.g. with //).") -> tuple:
    """The learner's shape ``value`` as a tuple of ints, or a :class:`NotYet` naming ``what``.

    Parameters
    ----------
    value : object
        A tuple or list of whole numbers (ints, numpy integers, or floats that
        are whole, such as ``14.0`` from ``28 / 2``), or a 1-D numpy array of them.
    what : str
        How the message names the answer, e.g. ``"the shape after pooling"``.
    rounding_hint : str
        A sentence added when an entry is a number but not a whole one.

    Returns
    -------
    tuple of int

    Raises
    ------
    NotYet
        For None, a number, text, anything but a flat sequence, and entries
        that are not whole numbers.

    Examples
    --------
    >>> as_shape((6, 14.0, np.int64(14)), "`shape`")
    (6, 14, 14)
    >>> as_shape([6, 14.5], "`shape`", " Round down.")
    Traceback (most recent call last):
        ...
    cnnlib.exercises._feedback.NotYet: `shape` should hold whole numbers, got [6, 14.5]. Round down.
    """
    if value is None:
        raise NotYet(f"{what} {REPLACE_NONE}")
    if isinstance(value, np.ndarray) and value.ndim == 1:
        value = value.tolist()
    if not isinstance(value, (tuple, list)):
        raise NotYet(f"{what} should be a tuple of whole numbers, got {safe_repr(value)}")
    shape = []
    for entry in value:
        if isinstance(entry, np.ndarray) and entry.ndim == 0:
            entry = entry.item()
        whole = _is_real(entry) and entry == entry and entry not in (float("inf"), float("-inf"))
        if not whole:
            raise NotYet(f"{what} should be a tuple of whole numbers, got {safe_repr(value)}")
        if int(entry) != entry:
            raise NotYet(f"{what} should hold whole numbers, got {safe_repr(value)}.{rounding_hint}")
        shape.append(int(entry))
    return tuple(shape)


FLOAT32_ULPS = 16
"""How many float32 steps a float32 answer may be off and still count as right (its arithmetic rounds)."""


def _answer_eps(like) -> float:
    """The machine epsilon of the floats ``like`` holds: float32's for float32 (or float16) numbers, else 0."""
    try:
        dtype = np.asarray(like).dtype
    except Exception:  # noqa: BLE001 - not an array: no float precision to allow for
        return 0.0
    if dtype.kind == "f" and dtype.itemsize < 8:
        return float(np.finfo(np.float32).eps)
    return 0.0


def tolerances(expected, *, rtol: float, atol: float, like=None) -> tuple[float, float]:
    """The checker's ``(rtol, atol)``, widened to the precision of the learner's answer ``like``.

    A float32 answer is right when it is within :data:`FLOAT32_ULPS` float32
    steps of the largest expected value (float64 answers keep the checker's
    tolerances; float16 answers get no more than float32's).

    Examples
    --------
    >>> tolerances([255.0], rtol=0, atol=1e-6)
    (0, 1e-06)
    >>> rtol, atol = tolerances([255.0], rtol=0, atol=1e-6, like=np.float32(1))
    >>> bool(4e-4 < atol < 5e-4)
    True
    """
    eps = _answer_eps(like)
    if eps == 0.0:
        return rtol, atol
    with np.errstate(all="ignore"):
        scale = float(np.nanmax(np.abs(np.asarray(expected, dtype=np.float64)), initial=1.0))
    if not math.isfinite(scale):
        scale = 1.0
    return max(rtol, FLOAT32_ULPS * eps), max(atol, FLOAT32_ULPS * eps * scale)


def mismatches(got, expected, *, rtol: float = 1e-05, atol: float = 1e-08, like=None) -> list[tuple[int, ...]]:
    """Where ``got`` and ``expected`` differ by more than ``np.isclose`` allows, first to last (C order).

    Parameters
    ----------
    got, expected : array_like
        Two arrays of one shape (or shapes that broadcast).
    rtol, atol : float
        As in ``np.isclose``: entries agree when ``|got - expected| <= atol + rtol * |expected|``.
        NaN never agrees.
    like : object, optional
        The learner's answer as it came: if it holds float32 numbers, the
        tolerances widen to float32's precision (:func:`tolerances`).

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
    >>> third = np.float32(1) / np.float32(3)
    >>> mismatches([third], [1 / 3], rtol=0, atol=1e-9), mismatches([third], [1 / 3], rtol=0, atol=1e-9, like=third)
    ([(0,)], [])
    """
    rtol, atol = tolerances(expected, rtol=rtol, atol=atol, like=like)
    wrong = np.argwhere(~np.isclose(got, expected, rtol=rtol, atol=atol))
    return [tuple(int(i) for i in index) for index in wrong]


def close(got: float, expected: float, *, rtol: float = 0.0, atol: float, like=None) -> bool:
    """Whether one number is right: ``|got - expected| <= atol + rtol * |expected|``, at the answer's precision.

    Examples
    --------
    >>> close(0.1 + 0.2, 0.3, atol=1e-12)
    True
    >>> close(float(np.float32(0.1)), 0.1, atol=1e-12), close(np.float32(0.1), 0.1, atol=1e-12, like=np.float32(0.1))
    (False, True)
    """
    return not mismatches(got, expected, rtol=rtol, atol=atol, like=like)


def shown_apart(got: float, expected: float, digits: int = 3) -> tuple[str, str]:
    """``got`` and ``expected`` as text, with the fewest significant digits (at least ``digits``) that tell them apart.

    So a message never says "comes out as 5, but should be 5".

    Examples
    --------
    >>> shown_apart(4.999995, 5.0)
    ('4.999995', '5')
    >>> shown_apart(0.75, 0.5)
    ('0.75', '0.5')
    """
    got, expected = float(got), float(expected)
    for precision in range(digits, 18):
        left, right = f"{got:.{precision}g}", f"{expected:.{precision}g}"
        if left != right or got == expected:
            return left, right
    return repr(got), repr(expected)
