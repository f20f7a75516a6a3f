"""Library functions an exercise forbids, refused while the learner's function runs.

Exercise 3.2 asks for a convolution written with loops. Its checker declares
``forbids=Shortcuts("scipy.signal.convolve2d", ..., instead="...")``. While the
learner's function runs, a profile hook (:func:`sys.setprofile`) sees every
call the thread makes; a call that enters one of the forbidden functions, or a
method of a forbidden class, is refused with :class:`ForbiddenShortcut` before
the function's body runs, and its name recorded. The checker then says which
one was used, even if the learner's code caught the error.

The hook watches what runs, not names: however the learner's code reached the
function (``from scipy.signal import convolve2d``, an alias, a default argument,
a closure, a list or a dict, a ``functools.partial``, an object's attribute,
or a library function that calls it), the call is the same code and is seen.
Nothing of the learner's or the libraries' is changed, so there is nothing to
put back; the previous profile hook (a profiler's, ``%prun`` included) is
restored at the end. Threads started during the call are watched too; threads
that already existed are not (cnnlib's helpers only run work that a watched
call handed them). Learner code that takes the hook away (``sys.setprofile``)
is refused for it.

Not watched: C functions that are not called from Python code (numpy's ufuncs,
the C cores behind scipy's functions, ``scipy.signal._sigtools``), a copy of a
function's code, and other processes. Reaching for those is tampering with the
check, not a shortcut a learner takes by accident.
"""

from __future__ import annotations

import functools
import importlib
import sys
import threading
import types
from collections.abc import Iterator

_SHORT_NAMES = {"numpy.": "np."}
# scipy.fft's and scipy.fftpack's transforms all run one of these (their public names dispatch through a C
# multimethod that the hook cannot tell apart); a learner knows them as scipy's FFT
_SCIPY_FFT_CORE = "scipy.fft._pocketfft.basic."
_SHOWN = {
    _SCIPY_FFT_CORE + name: "an FFT of scipy.fft or scipy.fftpack"
    for name in ("c2c", "r2c", "c2r", "c2cn", "r2cn", "c2rn", "r2r_fftpack")
}

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
    "scipy.signal.lfilter",
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
    "cnnlib.conv.conv2d_padded",
    "cnnlib.im2col",
    "cnnlib.conv.im2col_unchecked",
    "cnnlib.columns.im2col",
    "cnnlib.columns.im2row",
    "cnnlib.layers.Conv2D",
    # a product of polynomials is a convolution of their coefficients (they call np.convolve: named for themselves)
    "numpy.polymul",
    "numpy.polynomial.polynomial.polymul",
    # and so is a product of Fourier transforms (the convolution theorem); an inverse transform can stand in for a
    # forward one (n * ifft(x) is the conjugate of fft of the conjugate), so both directions are forbidden
    "numpy.fft.fft",
    "numpy.fft.rfft",
    "numpy.fft.fft2",
    "numpy.fft.rfft2",
    "numpy.fft.fftn",
    "numpy.fft.rfftn",
    "numpy.fft.ifft",
    "numpy.fft.irfft",
    "numpy.fft.ifft2",
    "numpy.fft.irfft2",
    "numpy.fft.ifftn",
    "numpy.fft.irfftn",
    "numpy.fft.hfft",
    *_SHOWN,
)
"""Every convolution and cross-correlation of numpy, scipy and cnnlib, 1-D and 2-D, and what computes one
under another name (a polynomial product, the Fourier transforms): the exercises that ask for one written
by hand (2.2, 2.6, 3.2) forbid them all, since a 2-D one also does a 1-D one (on an image of one row), and a
1-D one a 2-D one (row by row)."""


class ForbiddenShortcut(RuntimeError):
    """Raised when a forbidden library function is called while an exercise checks the learner's function."""


def _shown(path: str) -> str:
    """The name a learner writes: ``np.convolve`` for ``numpy.convolve``."""
    if path in _SHOWN:
        return _SHOWN[path]
    for long, short in _SHORT_NAMES.items():
        if path.startswith(long):
            return short + path[len(long) :]
    return path


class Shortcuts:
    """The library functions one exercise forbids, and what to do instead.

    Parameters
    ----------
    *paths : str
        Dotted paths of the forbidden functions or classes, e.g. ``"numpy.convolve"``,
        ``"scipy.signal.convolve2d"``, ``"cnnlib.layers.Conv2D"``. A path that does
        not import (an optional package) is skipped. A class is forbidden through
        the methods it defines itself (``__init__``, ``forward``, ...), not those
        it inherits, which other classes share.
    instead : str
        What the learner should do instead, ending the message
        ``"convolve_valid uses scipy.signal.convolve2d, which this exercise forbids: <instead>"``.

    Examples
    --------
    >>> import numpy as np
    >>> no_convolve = Shortcuts("numpy.convolve", instead="write the loop yourself")
    >>> with no_convolve.blocked() as used:
    ...     try:
    ...         np.convolve([1, 2], [1, 1])
    ...     except ForbiddenShortcut:
    ...         pass
    >>> used
    ['np.convolve']
    >>> np.convolve([1, 2], [1, 1])  # allowed again
    array([1, 3, 2])
    """

    def __init__(self, *paths: str, instead: str):
        if not paths or not all(isinstance(p, str) and "." in p for p in paths):
            raise ValueError(f"`paths` must be dotted names such as 'numpy.convolve', got {paths!r}")
        self.paths = paths
        self.instead = instead

    @property
    def names(self) -> list[str]:
        """The forbidden functions as a learner writes them, e.g. ``['np.convolve', 'np.correlate']``."""
        return [_shown(path) for path in self.paths]

    def _entries(self) -> dict[int, tuple[object, str]]:
        """{id(entry): (entry, shown name)} of what a call of each forbidden function runs first.

        Entries are code objects (of Python functions, and of the methods a forbidden class defines)
        and C functions themselves (met by the hook's ``c_call`` event); by identity, since code
        objects compare equal by their contents. Paths that do not import are left out.
        """
        entries = {}
        for path in self.paths:
            module_name, attribute = path.rsplit(".", 1)
            try:
                value = getattr(importlib.import_module(module_name), attribute)
            except (ImportError, AttributeError):
                continue
            found = list(_entry_points(value))
            if not found:
                raise TypeError(
                    f"`{path}` cannot be forbidden: it is neither a Python function, a class nor a C function"
                )
            for entry in found:
                entries.setdefault(id(entry), (entry, _shown(path)))
        return entries

    def blocked(self) -> _Watching:
        """A context manager that refuses the forbidden functions within it; ``as`` gives the names used, in order.

        The first refused call raises :class:`ForbiddenShortcut` in the code that made it. Python then
        removes the hook, so if that code catches the error and calls again, the call runs; the name
        is on the list all the same, and the checker refuses the answer. The forbidden functions are
        looked up here, before the block: a path that cannot be watched is the checker's mistake,
        raised as ``TypeError`` outside the learner's code.
        """
        message = "{} is switched off while this exercise checks your function: " + self.instead
        return _Watching(self._entries(), message)


class _Watching:
    """The profile hook of :meth:`Shortcuts.blocked`, set on this thread and on threads started within the block."""

    def __init__(self, entries: dict[int, tuple[object, str]], message: str):
        self._entries, self._message = entries, message
        self.used: list[str] = []
        self._watching = False

    def _watch(self, frame, event, arg):
        if event == "call":
            entry = frame.f_code
        elif event == "c_call":
            entry = arg
        else:
            return
        if not self._watching:  # a thread started during the block, still running after it
            sys.setprofile(self._threads_before)
            return
        hit = self._entries.get(id(entry))
        if hit is not None and hit[0] is entry:
            self.used.append(hit[1])
            raise ForbiddenShortcut(self._message.format(hit[1]))

    def __enter__(self) -> list[str]:
        self._before, self._threads_before = sys.getprofile(), threading.getprofile()
        self._watching = True
        threading.setprofile(self._watch)
        sys.setprofile(self._watch)
        return self.used

    def __exit__(self, *exc_info) -> None:
        # Python takes the hook away after a refusal; otherwise only the learner's code can have
        if not self.used and (sys.getprofile() != self._watch or threading.getprofile() != self._watch):
            self.used.append("sys.setprofile")  # switching the watch off is itself refused, by its name
        self._watching = False
        threading.setprofile(self._threads_before)
        before = self._before
        if before is None or callable(before):
            sys.setprofile(before)
        else:  # cProfile's profiler (%prun) on Python 3.10-3.11: getprofile() gives the object, enable() its hook back
            sys.setprofile(None)
            enable = getattr(before, "enable", None)
            if enable is not None:
                enable()


def _entry_points(value) -> Iterator[object]:
    """What a call of ``value`` runs first, as the profile hook meets it: code objects, or a C function.

    numpy's public functions are C dispatchers around a Python implementation (``_implementation``);
    a ``functools.wraps`` wrapper is watched through what it wraps, since decorators share one
    wrapper's code among many functions.
    """
    while isinstance(value, functools.partial):
        value = value.func
    if isinstance(value, type):
        for name, member in vars(value).items():
            if name.startswith("__") and name not in ("__init__", "__new__", "__call__"):
                continue  # __repr__ and the like compute nothing
            yield from _entry_points(getattr(member, "__func__", member))  # staticmethod, classmethod
        return
    value = getattr(value, "_implementation", value)
    while getattr(value, "__wrapped__", None) is not None:
        value = value.__wrapped__
    if isinstance(value, types.FunctionType):
        yield value.__code__
    elif isinstance(value, types.BuiltinFunctionType):
        yield value
