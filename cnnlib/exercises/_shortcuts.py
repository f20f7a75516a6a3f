"""Library functions an exercise forbids, switched off while the learner's function runs.

Exercise 3.2 asks for a convolution written with loops. Its checker declares
``forbids=Shortcuts("scipy.signal.convolve2d", ..., instead="...")``; while the
learner's function runs, every binding of those functions (in numpy, scipy,
cnnlib and the learner's own namespace, so ``from scipy.signal import
convolve2d`` is caught too, and so is one the learner's own functions hold as a
default argument or a variable of an enclosing function) is replaced by a stub that raises
:class:`ForbiddenShortcut` and records its name. The checker then says which
one was used, even if the learner's code caught the error. Everything is put
back when the call ends, also when it fails.
"""

from __future__ import annotations

import contextlib
import functools
import importlib
import sys
import types
from collections.abc import Iterator

# Packages whose modules may hold a forbidden function under some name (numpy keeps np.convolve in
# numpy._core.numeric as well, and np.polymul calls it from there). The checkers' own package is left out.
_SEARCHED = ("numpy", "scipy", "cnnlib")
_NOT_SEARCHED = "cnnlib.exercises"
_SHORT_NAMES = {"numpy.": "np."}

CONVOLUTIONS = (
    "numpy.convolve",
    "numpy.correlate",
    "scipy.signal.convolve",
    "scipy.signal.correlate",
    "scipy.signal.convolve2d",
    "scipy.signal.correlate2d",
    "scipy.signal.fftconvolve",
    "scipy.signal.oaconvolve",
    "scipy.signal.upfirdn",
    "scipy.linalg.convolution_matrix",
    "scipy.ndimage.convolve1d",
    "scipy.ndimage.correlate1d",
    "scipy.ndimage.convolve",
    "scipy.ndimage.correlate",
    "cnnlib.convolve1d",
    "cnnlib.convolve2d",
    "cnnlib.correlate2d",
    "cnnlib.correlate2d_naive",
    "cnnlib.conv2d",
    "cnnlib.im2col",
    "cnnlib.columns.im2col",
    "cnnlib.layers.Conv2D",
)
"""Every convolution and cross-correlation of numpy, scipy and cnnlib, 1-D and 2-D: the exercises that ask
for one written by hand (2.2, 2.6, 3.2) forbid them all, since a 2-D one also does a 1-D one (on an image of
one row), and a 1-D one a 2-D one (row by row)."""


class ForbiddenShortcut(RuntimeError):
    """Raised by a forbidden library function while an exercise checks the learner's function."""


def _shown(path: str) -> str:
    """The name a learner writes: ``np.convolve`` for ``numpy.convolve``."""
    for long, short in _SHORT_NAMES.items():
        if path.startswith(long):
            return short + path[len(long) :]
    return path


class Shortcuts:
    """The library functions one exercise forbids, and what to do instead.

    Parameters
    ----------
    *paths : str
        Dotted paths of the forbidden functions, e.g. ``"numpy.convolve"``,
        ``"scipy.signal.convolve2d"``, ``"cnnlib.convolve2d"``. A path that does
        not import (an optional package) is skipped.
    instead : str
        What the learner should do instead, ending the message
        ``"convolve_valid uses scipy.signal.convolve2d, which this exercise forbids: <instead>"``.

    Examples
    --------
    >>> import numpy as np
    >>> no_convolve = Shortcuts("numpy.convolve", instead="write the loop yourself")
    >>> with no_convolve.blocked(None) as used:
    ...     try:
    ...         np.convolve([1, 2], [1, 1])
    ...     except ForbiddenShortcut:
    ...         pass
    >>> used
    ['np.convolve']
    >>> np.convolve([1, 2], [1, 1])  # back as it was
    array([1, 3, 2])
    """

    def __init__(self, *paths: str, instead: str):
        if not paths or not all(isinstance(p, str) and "." in p for p in paths):
            raise ValueError(f"`paths` must be dotted names such as 'numpy.convolve', got {paths!r}")
        self.paths = paths
        self.instead = instead
        self._places: list[tuple[dict, str, object, str]] | None = None
        self._modules_seen = -1

    @property
    def names(self) -> list[str]:
        """The forbidden functions as a learner writes them, e.g. ``['np.convolve', 'np.correlate']``."""
        return [_shown(path) for path in self.paths]

    def name_of(self, function) -> str | None:
        """How the learner writes ``function`` if it is one of the forbidden functions itself (or one with some
        of its arguments filled in by ``functools.partial``), else None."""
        return _forbidden(function, self._functions())

    def _functions(self) -> dict[int, tuple[str, object]]:
        """{id(function): (shown name, function)} for every path that imports."""
        found = {}
        for path in self.paths:
            module_name, attribute = path.rsplit(".", 1)
            try:
                function = getattr(importlib.import_module(module_name), attribute)
            except (ImportError, AttributeError):
                continue
            found.setdefault(id(function), (_shown(path), function))
        return found

    def _library_places(self, functions) -> list[tuple[dict, str, object, str]]:
        """(namespace, key, function, shown name) of every binding in the searched packages' modules.

        Cached until a module is imported; scanning takes about 15 ms.
        """
        if self._places is None or self._modules_seen != len(sys.modules):
            places = []
            for name, module in list(sys.modules.items()):
                if module is None or name.split(".")[0] not in _SEARCHED or name.startswith(_NOT_SEARCHED):
                    continue
                places.extend(_bindings(vars(module), functions))
            self._places, self._modules_seen = places, len(sys.modules)
        return self._places

    @contextlib.contextmanager
    def blocked(self, learner_function) -> Iterator[list[str]]:
        """Switch the forbidden functions off for the duration of the block; yields the names used, in order.

        ``learner_function``'s module globals are searched too, so a name the learner imported with
        ``from ... import`` (or a ``functools.partial`` of a forbidden function) is switched off as well;
        and so is what the functions defined there hold as a default argument or a closure variable
        (``def f(x, occ=occlusion)``). Everything is put back afterwards, whatever the call did.
        """
        functions = self._functions()
        places = list(self._library_places(functions))
        learner_globals = getattr(learner_function, "__globals__", None)
        if isinstance(learner_globals, dict):
            places.extend(_bindings(learner_globals, functions))
        used: list[str] = []
        switched, held, stubs = [], [], {}  # stubs: {id(stub): (stub, what it stands in for)}

        def stub_for(shown, original):
            stub = _stub(shown, self.instead, used)
            stubs[id(stub)] = (stub, original)
            return stub

        modules_before = set(sys.modules)
        try:
            for namespace, key, function, shown in places:
                if namespace.get(key) is function:
                    namespace[key] = stub_for(shown, function)
                    switched.append((namespace, key, function))
            for owner in _learner_functions(learner_function, learner_globals):
                held.append(_Held(owner))
                held[-1].switch(functions, stub_for)
            yield used
        finally:
            for namespace, key, function in reversed(switched):  # plain dicts: putting back cannot fail
                namespace[key] = function
            for holder in reversed(held):
                holder.put_back()
            # a module first imported during the call copied stubs in (``from scipy.signal import convolve2d``)
            for name in set(sys.modules) - modules_before:
                module_vars = getattr(sys.modules.get(name), "__dict__", None)
                for key, value in list(module_vars.items()) if isinstance(module_vars, dict) else ():
                    stub, original = stubs.get(id(value), (None, None))
                    if stub is not None and stub is value:
                        module_vars[key] = original


def _learner_functions(learner_function, learner_globals) -> list[types.FunctionType]:
    """The learner's function and every function defined beside it (in the same globals: the notebook's), once each."""
    owners = {}
    if isinstance(learner_function, types.FunctionType):
        owners[id(learner_function)] = learner_function
    if isinstance(learner_globals, dict):
        for value in list(learner_globals.values()):
            if isinstance(value, types.FunctionType) and value.__globals__ is learner_globals:
                owners.setdefault(id(value), value)
    return list(owners.values())


class _Held:
    """What one of the learner's functions holds: its default arguments and closure variables.

    ``switch`` replaces the forbidden functions among them by stubs; ``put_back`` restores the
    defaults as they were before (the very tuple and dict, whatever the call assigned meanwhile)
    and the closure variables it switched.
    """

    def __init__(self, function: types.FunctionType):
        self._function = function
        self._defaults, self._kwdefaults = function.__defaults__, function.__kwdefaults__
        self._kwdefaults_items = dict(self._kwdefaults or {})
        self._cells: list[tuple[object, object]] = []

    def switch(self, functions, stub_for) -> None:
        function = self._function
        if self._defaults and any(_forbidden(value, functions) for value in self._defaults):
            function.__defaults__ = tuple(_switched(value, functions, stub_for) for value in self._defaults)
        for key, value in self._kwdefaults_items.items():
            if _forbidden(value, functions):
                self._kwdefaults[key] = stub_for(_forbidden(value, functions), value)
        for cell in function.__closure__ or ():
            try:
                value = cell.cell_contents
            except ValueError:  # a variable not yet assigned
                continue
            if _forbidden(value, functions):
                self._cells.append((cell, value))
                cell.cell_contents = stub_for(_forbidden(value, functions), value)

    def put_back(self) -> None:
        self._function.__defaults__ = self._defaults
        if self._kwdefaults is not None:
            self._kwdefaults.clear()
            self._kwdefaults.update(self._kwdefaults_items)
        self._function.__kwdefaults__ = self._kwdefaults
        for cell, value in self._cells:
            cell.cell_contents = value


def _forbidden(value, functions) -> str | None:
    """The shown name of ``value`` if it is a forbidden function, or a ``functools.partial`` of one, else None."""
    while isinstance(value, functools.partial):
        value = value.func
    hit = functions.get(id(value))
    return hit[0] if hit is not None and hit[1] is value else None


def _switched(value, functions, stub_for):
    shown = _forbidden(value, functions)
    return value if shown is None else stub_for(shown, value)


def _bindings(namespace: dict, functions) -> list[tuple[dict, str, object, str]]:
    """(namespace, key, value, shown name) for every forbidden function (or ``functools.partial`` of one) in it."""
    found = []
    for key, value in list(namespace.items()):
        shown = _forbidden(value, functions)
        if shown is not None:
            found.append((namespace, key, value, shown))
    return found


def _stub(shown: str, instead: str, used: list[str]):
    def forbidden(*args, **kwargs):
        used.append(shown)
        raise ForbiddenShortcut(f"{shown} is switched off while this exercise checks your function: {instead}")

    forbidden.__name__ = forbidden.__qualname__ = shown.rsplit(".", 1)[-1]
    return forbidden
