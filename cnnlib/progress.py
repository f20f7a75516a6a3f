"""A progress bar that a stored notebook keeps in its finished state.

``tqdm.auto`` shows a widget in JupyterLab; a notebook executed by nbconvert or
nbval stores only the widget's first text ("0%| 0/844"), which is what a reader
on GitHub then sees. Here the bar is tqdm's own text line, shown through an
IPython display handle and updated in place (at most every ``interval``
seconds, and once more at the end), so the stored output is the finished bar.
Outside a Jupyter kernel it is tqdm's ordinary bar.
"""

from __future__ import annotations

import time

from tqdm import tqdm

__all__ = ["progress_bar"]


class _Silent:
    """The bar when progress is off: every call does nothing."""

    def update(self, n=1):
        pass

    def set_postfix(self, **values):
        pass

    def close(self):
        pass


class _TextLine:
    """tqdm's text bar in a display that is updated in place: a Jupyter kernel's bar."""

    def __init__(self, total, desc, unit, interval, display):
        from IPython.display import Pretty

        self._pretty, self.total, self.desc, self.unit, self.interval = Pretty, total, desc, unit, interval
        self.n, self.postfix, self.start = 0, "", time.perf_counter()
        self._shown_at = self.start
        self._handle = display(self._line(), display_id=True)

    def _line(self):
        return self._pretty(
            tqdm.format_meter(
                self.n,
                self.total,
                time.perf_counter() - self.start,
                prefix=self.desc,
                postfix=self.postfix or None,
                unit=self.unit,
                ncols=100,
            )
        )

    def update(self, n=1):
        self.n += n
        now = time.perf_counter()
        if now - self._shown_at >= self.interval or self.n >= self.total:
            self._handle.update(self._line())
            self._shown_at = now

    def set_postfix(self, **values):
        self.postfix = ", ".join(f"{key}={value}" for key, value in values.items())

    def close(self):
        self._handle.update(self._line())


def _kernel_display():
    """IPython's ``display`` inside a Jupyter kernel (JupyterLab, nbconvert, nbval), else None."""
    try:
        from IPython import get_ipython
        from IPython.display import display
    except ImportError:
        return None
    shell = get_ipython()
    return display if shell is not None and hasattr(shell, "kernel") else None


def progress_bar(total, desc, *, enabled=True, unit="batch", interval=0.5):
    """A bar with ``update(n=1)``, ``set_postfix(**values)`` and ``close()``.

    Parameters
    ----------
    total : int
        Steps to the end.
    desc : str
        Written before the bar, e.g. ``"epoch 1/3"``.
    enabled : bool
        False gives a bar that shows nothing.
    unit : str
        What a step is, for the rate.
    interval : float
        Least number of seconds between two redraws in a notebook.
    """
    if not enabled:
        return _Silent()
    display = _kernel_display()
    if display is None:
        return tqdm(total=total, desc=desc, unit=unit, leave=True)
    return _TextLine(total, desc, unit, interval, display)
