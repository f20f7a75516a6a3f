"""cnnlib._threads: work split among helper threads, and BLAS kept on one thread."""

import _thread
import ctypes
import os
import signal
import threading
import time
import warnings
import weakref

import numpy as np
import pytest
from threadpoolctl import threadpool_info, threadpool_limits

import cnnlib
import cnnlib.conv
import cnnlib.layers
from cnnlib import _threads


@pytest.mark.parametrize(("n", "parts"), [(10, 2), (10, 3), (2, 5), (1, 1), (7, 7), (0, 2)])
def test_in_parts_runs_every_item_once_and_the_last_part_on_the_caller(n, parts):
    calls = {}  # (start, stop) -> the thread that ran it
    lock = threading.Lock()

    def work(start, stop):
        with lock:
            calls[(start, stop)] = threading.get_ident()

    _threads.in_parts(work, n, parts)
    assert sorted(item for start, stop in calls for item in range(start, stop)) == list(range(n))
    assert all(stop > start for start, stop in calls)  # no empty part, and nothing at all for no items
    assert len(calls) == min(parts, n)
    if n:
        assert calls[max(calls)] == threading.get_ident()


def test_in_parts_raises_what_a_helper_raised_after_every_part_ended():
    ended = []

    def work(start, stop):
        if start == 0:
            raise ValueError("part 0 failed")
        ended.append(start)

    with pytest.raises(ValueError, match="part 0 failed"):
        _threads.in_parts(work, 9, 3)
    assert sorted(ended) == [3, 6]


def test_in_parts_waits_for_the_helpers_even_when_the_caller_s_part_raises():
    # the helpers write into the caller's arrays: none may still be running when the error reaches the caller
    release, finished = threading.Event(), []

    def work(start, stop):
        if start == 0:  # a helper's part, held until the caller's part has failed
            release.wait(timeout=10)
            time.sleep(0.05)
            finished.append(start)
            return
        release.set()
        raise RuntimeError("the caller's part failed")

    with pytest.raises(RuntimeError, match="the caller's part failed"):
        _threads.in_parts(work, 4, 2)
    assert finished == [0]


def test_start_hands_back_what_the_call_returned_or_raised():
    assert _threads.start(lambda a, b: (a + b, threading.get_ident()), 2, 3).result()[0] == 5
    failed = _threads.start(lambda: 1 / 0)
    with pytest.raises(ZeroDivisionError):
        failed.result()
    assert isinstance(_threads.start(lambda: 1 / 0).wait(), ZeroDivisionError)  # wait() returns it, not raises


def run_with_deadline(function, seconds=20):
    """Run ``function`` on a thread of its own; fail (not hang) if it has not ended in time."""
    outcome = []
    thread = threading.Thread(target=lambda: outcome.append(function()), daemon=True)
    thread.start()
    thread.join(timeout=seconds)
    if thread.is_alive():
        pytest.fail(f"still waiting after {seconds} s: a thread waited for a busy helper")
    return outcome[0]


def test_in_parts_from_inside_a_helper_runs_the_parts_there_instead_of_waiting_for_itself():
    # every helper busy (here: the one running this very work) -> the part runs on the calling thread
    def outer(start, stop):
        inner = []
        _threads.in_parts(lambda a, b: inner.extend(range(a, b)), 10, _threads.cores() + 1)
        assert sorted(inner) == list(range(10))
        return start, stop

    def whole():
        _threads.in_parts(outer, 2 * len(_threads._helper_threads()) + 2, len(_threads._helper_threads()) + 1)
        return True

    assert run_with_deadline(whole)


def test_threads_sharing_at_once_each_get_every_item_done():
    results = []

    def one_caller(offset):
        seen = np.zeros(1000, dtype=int)
        for _ in range(50):
            _threads.in_parts(lambda a, b: np.add.at(seen, np.arange(a, b), 1), 1000, 2)
        return offset, bool(np.all(seen == 50))

    def many():
        threads = [threading.Thread(target=lambda k=k: results.append(one_caller(k))) for k in range(3)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        return sorted(results)

    assert run_with_deadline(many, 60) == [(0, True), (1, True), (2, True)]


def test_a_helper_keeps_nothing_of_a_call_alive_once_it_has_ended():
    # the helper thread waits for its next call: the last one's arrays must not stay referenced by it
    big = np.ones(1000)
    alive = weakref.ref(big)
    pending = _threads.start(np.sum, big)
    assert pending.result() == 1000
    del big
    assert alive() is None


def interrupt_main_by_signal():
    signal.pthread_kill(threading.main_thread().ident, signal.SIGINT)


@pytest.mark.parametrize(
    "interrupt",
    [_thread.interrupt_main, interrupt_main_by_signal],  # as the next bytecode; and as a signal during the wait
    ids=["interrupt_main", "sigint"],
)
def test_ctrl_c_while_waiting_for_a_helper_is_raised_once_its_part_has_ended_and_the_helper_stays_usable(interrupt):
    if threading.current_thread() is not threading.main_thread():
        pytest.skip("an interrupt reaches the main thread only, and these tests do not run on it here")
    if signal.getsignal(signal.SIGINT) is not signal.default_int_handler:
        pytest.skip("Ctrl-C is handled by someone else here: there is no KeyboardInterrupt to see")
    ended = []

    def work(start, stop):
        if start == 0:  # the helper's part: still running when the interrupt comes
            time.sleep(0.5)
            ended.append(start)

    timer = threading.Timer(0.1, interrupt)
    timer.start()
    with pytest.raises(KeyboardInterrupt):
        _threads.in_parts(work, 2, 2)
    timer.join()
    assert ended == [0], "the caller stopped waiting while the helper could still write into its arrays"
    callers = {}
    _threads.in_parts(lambda start, stop: callers.update({start: threading.current_thread()}), 2, 2)
    assert callers[0] is not threading.current_thread(), "the helper was lost: its part ran on the caller"


def test_the_two_halves_of_a_product_with_a_small_output_run_at_the_same_time():
    # np.matmul keeps the GIL when its output has under 500 numbers (16 x 25 here): with it, the helper
    # could start its half only once the caller's half had ended. Each half takes ~10 ms; a helper
    # starts within a fraction of a millisecond once the GIL is free. The two halves are the same size,
    # so the helper's own half tells how long the caller's lasted.
    rng = np.random.default_rng(0)
    a = rng.standard_normal((16, 500_000), dtype=np.float32)
    b = rng.standard_normal((500_000, 25), dtype=np.float32)
    caller, times = threading.current_thread(), {}

    class TimedNumpy:  # numpy for cnnlib.layers, its products timed
        def __getattr__(self, name):
            function = getattr(np, name)
            if name not in ("dot", "matmul"):
                return function

            def timed(*args, **kwargs):
                whose = "caller's" if threading.current_thread() is caller else "helper's"
                times[f"{whose} half began"] = time.perf_counter()
                out = function(*args, **kwargs)
                times[f"{whose} half ended"] = time.perf_counter()
                return out

            return timed

    with pytest.MonkeyPatch.context() as patch, _threads.sharing_a_second_thread(), threadpool_limits(1, "blas"):
        patch.setattr(cnnlib.layers, "np", TimedNumpy())
        product = cnnlib.layers._matmul_summed_in_two(a, b)
    np.testing.assert_allclose(product, a.astype(np.float64) @ b, rtol=1e-3, atol=1e-2)
    late = times["helper's half began"] - times["caller's half began"]
    half = times["helper's half ended"] - times["helper's half began"]
    assert late < 0.5 * half, f"the helper began {late * 1e3:.1f} ms late, for a half of {half * 1e3:.1f} ms"


def blas_threads():
    return [info["num_threads"] for info in threadpool_info() if info["user_api"] == "blas"]


def test_a_part_on_a_helper_keeps_the_callers_numpy_error_settings():
    # a helper thread has numpy's default settings (warn) unless it runs the part in the caller's context:
    # the caller's np.errstate must decide for every part, or a conv2d would warn or raise by thread
    def divide_on_the_helper(start, stop):
        if start == 0:  # in_parts hands the first part to a helper, the last runs on the caller
            np.array([1.0]) / np.array([0.0])

    with np.errstate(divide="raise"), pytest.raises(FloatingPointError):
        _threads.in_parts(divide_on_the_helper, 2, 2)
    with np.errstate(divide="ignore"), warnings.catch_warnings():
        warnings.simplefilter("error")
        _threads.in_parts(divide_on_the_helper, 2, 2)
    with pytest.warns(RuntimeWarning, match="divide by zero"):
        _threads.in_parts(divide_on_the_helper, 2, 2)


def test_blas_is_on_one_thread_inside_the_block_only():
    np.ones((2, 2)) @ np.ones((2, 2))  # numpy's BLAS is loaded
    with threadpool_limits(limits=2, user_api="blas"):  # so that one thread is a change, on any machine
        before = blas_threads()
        assert before and all(count == 2 for count in before)
        with _threads.blas_on_one_thread():
            assert blas_threads() == [1] * len(before)
        assert blas_threads() == before


def test_blas_thread_counts_are_read_and_set_through_the_library_or_its_controller():
    class Controller:  # a threadpoolctl controller of a library other than OpenBLAS on its own threads
        internal_api, threading_layer, num_threads = "mkl", "intel", 3

        def set_num_threads(self, count):
            self.num_threads = count

    other = Controller()
    get, set_to = _threads._thread_count_functions(other)
    set_to(1)
    assert (get(), other.num_threads) == (1, 1)
    np.ones((2, 2)) @ np.ones((2, 2))  # numpy's BLAS is loaded
    with threadpool_limits(limits=2, user_api="blas"), pytest.MonkeyPatch.context() as patch:
        patch.setattr(_threads, "_blas", None)  # found again: every BLAS loaded by now (scipy's, torch's)
        with _threads.blas_on_one_thread():  # finds the libraries' functions, once
            pass
        assert [get() for get, _ in _threads._blas] == blas_threads() == [2] * len(_threads._blas)
        direct = [
            lib["internal_api"] == "openblas" and lib["threading_layer"] != "openmp"
            for lib in threadpool_info()
            if lib["user_api"] == "blas"
        ]
        # OpenBLAS on its own threads: its C functions themselves, not the controller's slower methods
        assert [isinstance(get, ctypes._CFuncPtr) for get, _ in _threads._blas] == direct
        for _, set_to in _threads._blas:
            set_to(1)
        assert blas_threads() == [1] * len(_threads._blas)  # what threadpoolctl reads: the same setting


def test_blas_on_one_thread_puts_back_what_it_set_and_lets_go_when_a_setter_raises():
    counts = [4, 6]

    def setter(index, fail_on=None):
        def set_to(count):
            if count == fail_on:
                raise RuntimeError("this library refuses")
            counts[index] = count

        return set_to

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(_threads, "_blas", [(lambda: counts[0], setter(0)), (lambda: counts[1], setter(1, fail_on=1))])
        with pytest.raises(RuntimeError, match="refuses"):
            with _threads.blas_on_one_thread():
                pass
        assert counts == [4, 6]  # the first library's 1 put back to 4; the second never changed
        patch.setattr(_threads, "_blas", [(lambda: counts[0], setter(0)), (lambda: counts[1], setter(1))])
        with _threads.blas_on_one_thread():  # not stuck: the failed block let go
            assert counts == [1, 1]
            with _threads.blas_on_one_thread():  # a block inside another leaves the setting to the outer
                pass
            assert counts == [1, 1]
        assert counts == [4, 6]


def test_blas_goes_back_when_threads_come_and_go_in_any_order():
    # threadpoolctl lets one thread at a time set BLAS's count: a thread coming in while another is
    # inside must not record that one's setting as the one to go back to (BLAS stuck on one thread).
    # No threadpool_limits around it: that would make this thread the only one allowed to set it.
    np.ones((2, 2)) @ np.ones((2, 2))
    before = blas_threads()
    if all(count == 1 for count in before):
        pytest.skip("BLAS runs on one thread here already: there is no change to see")
    inside, leave = threading.Barrier(2), threading.Event()

    def other():
        with _threads.blas_on_one_thread():
            inside.wait(timeout=10)
            leave.wait(timeout=10)

    thread = threading.Thread(target=other)
    thread.start()
    with _threads.blas_on_one_thread():
        inside.wait(timeout=10)
        assert blas_threads() == [1] * len(before)
    leave.set()
    thread.join(timeout=10)
    assert blas_threads() == before

    def convolve():
        for _ in range(10):
            cnnlib.conv2d(np.ones((8, 4, 28, 28)), np.ones((8, 4, 3, 3)))

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(cnnlib.conv, "_SPLIT_MIN_PRODUCTS", 0)  # each call shares its images: BLAS on one thread
        threads = [threading.Thread(target=convolve) for _ in range(2)]
        for thread in threads:
            thread.start()
        convolve()
        for thread in threads:
            thread.join(timeout=60)
    assert blas_threads() == before


def fork_and_share_work():
    """Fork; in the child, share work with helpers (its own: the parent's threads do not come along).

    Returns the child's pid and the read end of a pipe on which it writes b"ok" if the work was done.
    """
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:
        try:
            os.close(read)
            done = []
            with _threads.blas_on_one_thread():
                _threads.in_parts(lambda start, stop: done.append(stop - start), 4, 2)
            os.write(write, b"ok" if sorted(done) == [2, 2] else b"wrong")
        finally:
            os._exit(0)
    os.close(write)
    return pid, read


@pytest.mark.skipif(not hasattr(os, "fork"), reason="fork exists only on POSIX systems")
def test_a_forked_child_shares_work_even_if_another_thread_held_the_locks_at_the_fork():
    # a thread of the parent inside the helpers' or BLAS's lock at the moment of the fork: in the
    # child that thread is gone, and a lock it held would never be let go
    held, release = threading.Event(), threading.Event()

    def hold_the_locks():
        with _threads._helpers_lock, _threads._blas_lock:
            held.set()
            release.wait(timeout=30)

    holder = threading.Thread(target=hold_the_locks)
    holder.start()
    assert held.wait(timeout=10)
    try:
        pid, read = fork_and_share_work()
    finally:
        release.set()
        holder.join(timeout=10)
    assert_child_said_ok(pid, read)


@pytest.mark.skipif(not hasattr(os, "fork"), reason="fork exists only on POSIX systems")
def test_a_forked_child_gets_helpers_of_its_own():
    _threads.in_parts(lambda start, stop: None, 4, 2)  # the parent's helpers exist
    pid, read = fork_and_share_work()
    assert_child_said_ok(pid, read)


def assert_child_said_ok(pid, read):
    deadline = time.monotonic() + 30
    while os.waitpid(pid, os.WNOHANG) == (0, 0):  # a child stuck waiting for a dead thread fails, not hangs
        if time.monotonic() > deadline:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
            os.close(read)
            pytest.fail("the forked child never finished its work: it waited for its parent's threads")
        time.sleep(0.05)
    with os.fdopen(read, "rb") as answer:
        assert answer.read() == b"ok"


@pytest.mark.parametrize("sharing", [False, True])
def test_in_halves_when_sharing_splits_only_inside_the_block(sharing):
    callers = {}

    def work(start, stop):
        callers[(start, stop)] = threading.get_ident()

    if sharing:
        with _threads.sharing_a_second_thread():
            _threads.in_halves_when_sharing(work, 7, _threads._HALVES_MIN_NUMBERS)
        assert sorted(callers) == [(0, 3), (3, 7)]
        assert callers[(3, 7)] == threading.get_ident() != callers[(0, 3)]
    else:
        _threads.in_halves_when_sharing(work, 7, _threads._HALVES_MIN_NUMBERS)
        assert callers == {(0, 7): threading.get_ident()}
    assert not _threads.sharing


def test_in_halves_when_sharing_keeps_a_small_job_whole():
    # handing half of a small job to the helper costs more than it saves: below the threshold, one call
    callers = {}
    with _threads.sharing_a_second_thread():
        _threads.in_halves_when_sharing(lambda start, stop: callers.update({(start, stop): 1}), 7, 1000)
    assert _threads._HALVES_MIN_NUMBERS > 1000 and list(callers) == [(0, 7)]
