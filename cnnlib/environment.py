"""Check that Python and the packages the notebooks import are recent enough.

Notebook 00 prints :func:`version_report`, whose lines say "OK" on every
machine that meets the minimum versions (so its output can be compared
between runs), and shows the exact :func:`versions` in a cell whose output is
allowed to differ.
"""

from __future__ import annotations

import importlib
import platform
import re

# Keep in step with `requires-python` and `dependencies` in pyproject.toml
# (tests/test_environment.py fails when they drift apart).
MINIMUM_VERSIONS = {
    "python": "3.10",
    "numpy": "1.26",
    "scipy": "1.11",
    "matplotlib": "3.8",
    "ipywidgets": "8.1",
    "ipycanvas": "0.14.3",  # the drawing pad of notebook 09
}


def versions() -> dict[str, str]:
    """Versions of Python and of the packages the notebooks import.

    Returns
    -------
    found : dict of str to str
        One entry per name in ``MINIMUM_VERSIONS``, in the same order, e.g.
        ``{"python": "3.11.7", "numpy": "2.4.6", ...}``.

    Examples
    --------
    >>> list(versions())
    ['python', 'numpy', 'scipy', 'matplotlib', 'ipywidgets', 'ipycanvas']
    """
    found = {"python": platform.python_version()}
    for name in list(MINIMUM_VERSIONS)[1:]:
        found[name] = importlib.import_module(name).__version__
    return found


def _release(version: str, name: str) -> tuple[int, ...]:
    """The leading numbers of a version string: ``"1.26.0rc1"`` -> ``(1, 26, 0)``."""
    if not isinstance(version, str):
        raise TypeError(f"`{name}` must be a version string such as '1.26.4', got {type(version).__name__}")
    match = re.match(r"\d+(\.\d+)*", version.strip())
    if match is None:
        raise ValueError(f"`{name}` must start with a number such as '1.26.4', got {version!r}")
    return tuple(int(part) for part in match.group().split("."))


def meets_minimum(version, minimum) -> bool:
    """Whether ``version`` is at least ``minimum``, comparing release numbers only.

    Examples
    --------
    >>> meets_minimum("1.26.0rc1", "1.26"), meets_minimum("1.9", "1.26")
    (True, False)
    """
    have, need = _release(version, "version"), _release(minimum, "minimum")
    width = max(len(have), len(need))
    return have + (0,) * (width - len(have)) >= need + (0,) * (width - len(need))


def version_report(found=None) -> str:
    """One line per package: the minimum version and "OK", or what to do.

    Parameters
    ----------
    found : dict of str to str, optional
        Versions to check, as returned by :func:`versions` (the default).

    Returns
    -------
    report : str
        Lines like ``"numpy       >= 1.26   OK"``. A line shows the version it
        found only when that version is too old, so the report is the same on
        every machine that is set up correctly.

    Examples
    --------
    >>> print(version_report({"python": "3.12.1", "numpy": "1.21.0", "scipy": "1.13",
    ...                       "matplotlib": "3.9.0", "ipywidgets": "8.1.5", "ipycanvas": "0.14.3"}))
    python      >= 3.10   OK
    numpy       >= 1.26   TOO OLD: found 1.21.0, run: python -m pip install -U numpy
    scipy       >= 1.11   OK
    matplotlib  >= 3.8    OK
    ipywidgets  >= 8.1    OK
    ipycanvas   >= 0.14.3 OK
    """
    found = versions() if found is None else found
    lines = []
    for name, minimum in MINIMUM_VERSIONS.items():
        fix = "install a newer Python" if name == "python" else f"run: python -m pip install -U {name}"
        if name not in found:
            status = f"MISSING: {fix}"
        elif meets_minimum(found[name], minimum):
            status = "OK"
        else:
            status = f"TOO OLD: found {found[name]}, {fix}"
        lines.append(f"{name:<11} >= {minimum:<6} {status}")
    return "\n".join(lines)
