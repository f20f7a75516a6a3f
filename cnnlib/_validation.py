"""Argument checks shared by every public function of cnnlib.

Every check raises ``TypeError`` (wrong kind of thing) or ``ValueError`` (right
kind, wrong value) with one message form: the argument's name in backticks,
what was expected, and what came in. Learners read these messages, so they say
what to fix rather than where numpy gave up.
"""

from __future__ import annotations

import numbers

import numpy as np


def describe(value) -> str:
    """Say briefly what ``value`` is, for the "got ..." part of a message."""
    if isinstance(value, np.ndarray):
        return f"an array with ndim={value.ndim} and shape {value.shape}"
    if isinstance(value, (bool, np.bool_)):
        return f"the bool {value!r}"
    if isinstance(value, str):
        return f"the string {value!r}"
    if isinstance(value, numbers.Number):
        return f"{type(value).__name__} {value!r}"
    text = repr(value)
    if len(text) > 60:
        text = text[:57] + "..."
    return f"{type(value).__name__} {text}"


def as_float_array(value, name: str, *, ndim=None, layout: str = "", min_ndim=None, dtype=np.float64) -> np.ndarray:
    """Return ``value`` as a float ndarray (float64 unless ``dtype`` says), or raise a message naming ``name``.

    ``ndim`` is the required number of dimensions (an int or a tuple of allowed
    ints); ``min_ndim`` a lower bound; ``layout`` names the axes for the message,
    e.g. ``"(N, C, H, W)"``. Integer and bool inputs are promoted to float64
    before any arithmetic, so uint8 pixels never wrap around.
    """
    if value is None:
        raise TypeError(f"`{name}` must be a numeric array {layout}".rstrip() + ", got None")
    if isinstance(value, (str, bytes)):
        raise TypeError(f"`{name}` must be a numeric array, got {describe(value)}")
    try:
        array = np.asarray(value)
    except (ValueError, TypeError) as error:  # ragged nested lists
        raise TypeError(
            f"`{name}` must be a numeric array with a regular shape, got {describe(value)} ({error})"
        ) from None
    if array.dtype.kind not in "biuf":
        raise TypeError(
            f"`{name}` must hold real numbers (int, uint, float or bool), got an array of dtype {array.dtype}"
        )
    allowed = (ndim,) if isinstance(ndim, int) else ndim
    if allowed is not None and array.ndim not in allowed:
        wanted = " or ".join(f"{n}-D" for n in allowed)
        raise ValueError(f"`{name}` must be {wanted} {layout}".rstrip() + f", got {describe(array)}")
    if min_ndim is not None and array.ndim < min_ndim:
        raise ValueError(
            f"`{name}` must have at least {min_ndim} dimensions {layout}".rstrip() + f", got {describe(array)}"
        )
    if array.size == 0:
        raise ValueError(f"`{name}` must not be empty, got {describe(array)}")
    return array.astype(dtype, copy=False)


def as_int(value, name: str, *, minimum: int) -> int:
    """Return ``value`` as a Python int >= ``minimum``; bools and floats are refused."""
    if type(value) is int and value >= minimum:  # the common case, without the slower checks below
        return value
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Integral):
        raise TypeError(f"`{name}` must be an integer >= {minimum}, got {describe(value)}")
    if value < minimum:
        raise ValueError(f"`{name}` must be an integer >= {minimum}, got {int(value)}")
    return int(value)


def as_real(value, name: str, *, finite: bool = True, low=None, high=None, open_interval: bool = False) -> float:
    """Return ``value`` as a Python float, or raise a message naming ``name``.

    Any real number is accepted (int, float, numpy scalars, a 0-d array); bools,
    strings and arrays of more than one number are refused with a ``TypeError``.
    ``finite`` refuses NaN and infinities; ``low`` / ``high`` bound the value
    (inclusive, or strictly inside with ``open_interval=True``), with a ``ValueError``.

    Examples
    --------
    >>> as_real(np.float32(0.5), "lr")
    0.5
    >>> as_real(2, "scale", low=0, high=1)
    Traceback (most recent call last):
    ...
    ValueError: `scale` must be a number between 0 and 1, got 2
    """
    if isinstance(value, np.ndarray) and value.ndim == 0:
        value = value.item()
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Real):
        raise TypeError(f"`{name}` must be a real number, got {describe(value)}")
    number = float(value)
    if finite and not np.isfinite(number):
        raise ValueError(f"`{name}` must be a finite number, got {value!r}")
    if low is not None or high is not None:
        below = low is not None and (number <= low if open_interval else number < low)
        above = high is not None and (number >= high if open_interval else number > high)
        if below or above:
            if low is not None and high is not None:
                wanted = f"strictly between {low:g} and {high:g}" if open_interval else f"between {low:g} and {high:g}"
            elif low is not None:
                wanted = f"> {low:g}" if open_interval else f">= {low:g}"
            else:
                wanted = f"< {high:g}" if open_interval else f"<= {high:g}"
            raise ValueError(f"`{name}` must be a number {wanted}, got {value!r}")
    return number


def as_choice(value, name: str, choices) -> str:
    """Return ``value`` if it is one of the strings ``choices``, else a ``ValueError`` listing them."""
    if not isinstance(value, str) or value not in choices:
        raise ValueError(f"`{name}` must be one of {tuple(choices)}, got {describe(value)}")
    return value


def as_int_pair(value, name: str, *, minimum: int) -> tuple[int, int]:
    """Return an int or a pair of ints as a pair ``(along H, along W)``, each >= ``minimum``."""
    if type(value) is int and value >= minimum:  # the common case (a stride of 1), kept cheap for small images
        return (value, value)
    if isinstance(value, (tuple, list, np.ndarray)):
        items = list(np.asarray(value, dtype=object).ravel()) if isinstance(value, np.ndarray) else list(value)
        if len(items) != 2:
            raise ValueError(
                f"`{name}` must be an integer or a pair of integers (along H, along W), got {describe(value)}"
            )
        try:
            return (as_int(items[0], name, minimum=minimum), as_int(items[1], name, minimum=minimum))
        except TypeError:
            raise TypeError(
                f"`{name}` must be an integer or a pair of integers >= {minimum}, got {describe(value)}"
            ) from None
        except ValueError:
            raise ValueError(f"`{name}` must be a pair of integers >= {minimum}, got {tuple(items)!r}") from None
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Integral):
        raise TypeError(f"`{name}` must be an integer or a pair of integers >= {minimum}, got {describe(value)}")
    number = as_int(value, name, minimum=minimum)
    return (number, number)


def check_window_fits(window: tuple[int, int], space: tuple[int, int], name: str, what: str, where: str) -> None:
    """Raise if a window of ``window`` (KH, KW) does not fit in ``space`` (H, W)."""
    if window[0] > space[0] or window[1] > space[1]:
        subject = f"`{name}` {what}".strip()
        raise ValueError(
            f"{subject} {tuple(window)} is larger than the {where} {tuple(space)}: "
            f"it must fit at least once (use a smaller {name} or more padding)"
        )
