"""The layers' thread sharing in tests: as ``fit`` runs them, with even the smallest jobs split."""

import contextlib

import pytest

from cnnlib import _threads


@contextlib.contextmanager
def shared_among_threads(shared=True):
    """Inside ``sharing_a_second_thread`` with every job split in halves (if ``shared``), else as is.

    ``fit`` splits only jobs of ``_threads._HALVES_MIN_NUMBERS`` elements or more; tests use small
    arrays, so the threshold goes to 0 here, to run the split code on them.
    """
    if not shared:
        yield
        return
    with pytest.MonkeyPatch.context() as patch, _threads.sharing_a_second_thread():
        patch.setattr(_threads, "_HALVES_MIN_NUMBERS", 0)
        yield
