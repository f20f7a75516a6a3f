"""cnnlib._threads: work split among helper threads, and BLAS kept on one thread."""

import os
import threading

import numpy as np
import pytest
from threadpoolctl import threadpool_info

from cnnlib import _threads


@pytest.mark.parametrize(("n", "parts"), [(10, 2), (10, 3), (2, 5), (1, 1), (7, 7), (0, 2)])
def test_in_parts_runs_every_item_once_and_the_last_part_on_the_caller(n, parts):
    seen, callers = [], {}
    lock = threading.Lock()

    def work(start, stop):
        with lock:
            seen.extend(range(start, stop))
            callers[start] = threading.get_ident()

    _threads.in_parts(work, n, parts)
    assert sorted(seen) == list(range(n))
    assert len(callers) == min(parts, n)  # no empty part: nothing at all for no items
    if n:
        assert callers[max(callers)] == threading.get_ident()


def test_in_parts_raises_what_a_helper_raised_after_every_part_ended():
    ended = []

    def work(start, stop):
        if start == 0:
            raise ValueError("part 0 failed")
        ended.append(start)

    with pytest.raises(ValueError, match="part 0 failed"):
        _threads.in_parts(work, 9, 3)
    assert sorted(ended) == [3, 6]


def blas_threads():
    return [info["num_threads"] for info in threadpool_info() if info["user_api"] == "blas"]


def test_blas_is_on_one_thread_inside_the_block_only():
    np.ones((2, 2)) @ np.ones((2, 2))  # numpy's BLAS is loaded
    before = blas_threads()
    assert before
    with _threads.blas_on_one_thread():
        assert blas_threads() == [1] * len(before)
    assert blas_threads() == before


@pytest.mark.skipif(not hasattr(os, "fork"), reason="fork exists only on POSIX systems")
def test_a_forked_child_gets_helpers_of_its_own():
    _threads.in_parts(lambda start, stop: None, 4, 2)  # the parent's helpers exist
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: its helpers must run work (the parent's threads did not come along)
        try:
            done = []
            _threads.in_parts(lambda start, stop: done.append(stop - start), 4, 2)
            os.write(write, b"ok" if sorted(done) == [2, 2] else b"wrong")
        finally:
            os._exit(0)
    os.waitpid(pid, 0)
    assert os.read(read, 10) == b"ok"


@pytest.mark.parametrize("sharing", [False, True])
def test_in_halves_when_sharing_splits_only_inside_the_block(sharing):
    callers = {}

    def work(start, stop):
        callers[(start, stop)] = threading.get_ident()

    if sharing:
        with _threads.sharing_a_second_thread():
            _threads.in_halves_when_sharing(work, 7)
        assert sorted(callers) == [(0, 3), (3, 7)]
        assert callers[(3, 7)] == threading.get_ident() != callers[(0, 3)]
    else:
        _threads.in_halves_when_sharing(work, 7)
        assert callers == {(0, 7): threading.get_ident()}
    assert not _threads.sharing
