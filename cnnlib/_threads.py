"""The threads cnnlib shares its work with: helper threads beside the caller's, and BLAS's.

numpy lets go of the GIL inside a matrix product, a copy or an element-wise operation, so a
few Python threads, each with its share of a batch, use as many cores. For the small products
of a CNN layer this is faster than BLAS's own threads, which are made for large products: on 2
cores, a 64-image convolution of 14 x 14 maps with 8 filters took 4x longer with two BLAS
threads than with one (they synchronise at every call). So the callers here keep BLAS on one
thread while their own threads share the work.
"""

from __future__ import annotations

import _thread
import contextlib
import contextvars
import itertools
import os
import threading

_helpers = (None, [])  # (the process id, its helper threads)
_helpers_lock = threading.Lock()
sharing = False  # whether the layers share their work with a helper thread (see sharing_a_second_thread)
# Below this many array elements, handing half of an element-wise job to the helper costs more than
# it saves (each handoff wakes a thread): on 2 cores, forward + backward max pooling of (64, 16, 24, 24)
# took 2.1 ms in halves against 2.6 ms whole, of (64, 32, 8, 8) 1.2 ms against 0.7 ms. A later run on
# a busier machine found halves and whole even for both: the gain is small and the machine noisy.
_HALVES_MIN_NUMBERS = 1 << 18
_blas = None  # (get, set) of each loaded BLAS library's thread count (_thread_count_functions), found once
_blas_lock = threading.Lock()
_blas_held = False  # whether a thread is inside blas_on_one_thread, holding BLAS at one thread


def _after_fork_in_child():
    """A forked child has only the thread that forked: a lock another thread held would stay held."""
    global _helpers, _helpers_lock, _blas_lock, _blas_held
    _helpers, _helpers_lock = (None, []), threading.Lock()
    _blas_lock, _blas_held = threading.Lock(), False


if hasattr(os, "register_at_fork"):  # POSIX
    os.register_at_fork(after_in_child=_after_fork_in_child)


def cores() -> int:
    """How many cores this process may use (its CPU affinity where the system tells it)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # macOS and Windows have no sched_getaffinity
        return os.cpu_count() or 1


class _Call:
    """One call handed to a helper: what to run, and how it ended (``outcome`` = (result, error))."""

    __slots__ = ("function", "args", "context", "outcome", "ended", "done")

    def __init__(self, function, args):
        self.function, self.args = function, args
        # the caller's context variables, numpy's error settings among them (np.errstate, numpy 2): a part
        # run on a helper warns, raises or keeps quiet about a division by zero as the caller's own part does
        self.context = contextvars.copy_context()
        self.outcome, self.ended = None, False
        self.done = _thread.allocate_lock()  # held until the call has ended: the caller waits on it
        self.done.acquire()


class _Helper:
    """One helper thread, handed one call at a time through plain locks.

    A handoff through plain locks takes half the time of one through a ``ThreadPoolExecutor``,
    whose futures wait on condition variables (measured on 2 cores: 13 against 25 us when idle,
    21-29 against 43-54 us when busy); a training step hands work over a dozen times. ``free``
    is taken by :func:`start` and given back by the helper itself once the call has ended, so a
    caller that stops waiting never loses the helper.
    """

    def __init__(self):
        self.free = _thread.allocate_lock()
        self._go = _thread.allocate_lock()
        self._go.acquire()
        self._call = None
        threading.Thread(target=self._serve, name="cnnlib-helper", daemon=True).start()

    def _serve(self):
        while True:
            self._go.acquire()
            call, self._call = self._call, None
            try:
                call.outcome = (call.context.run(call.function, *call.args), None)
            except BaseException as error:  # handed to the caller, who raises it
                call.outcome = (None, error)
            call.function = call.args = call.context = None  # nothing of the call kept alive by this thread
            call.ended = True
            self.free.release()  # before the caller wakes: its next call finds this helper free
            call.done.release()
            call = None

    def start(self, call: _Call) -> None:
        """Run ``call`` on this helper; ``free`` must have been taken."""
        self._call = call
        self._go.release()


class Pending:
    """A call started on a helper thread (or already run here, when every helper was busy)."""

    def __init__(self, call: _Call):
        self._call = call

    def wait(self) -> BaseException | None:
        """Wait until the call has ended; the error it raised, or None.

        An interrupt while waiting (Ctrl-C) does not stop the wait, for the call may be writing
        into the caller's arrays: it is raised once the call has ended.
        """
        call, interrupt = self._call, None
        while not call.ended:  # the helper marks it ended before it lets go of done: never waits twice
            try:
                call.done.acquire()
            except BaseException as error:
                interrupt = error
        if interrupt is not None:
            raise interrupt
        return call.outcome[1]

    def result(self):
        """Wait until the call has ended; what it returned, or raise what it raised."""
        error = self.wait()
        if error is not None:
            raise error
        return self._call.outcome[0]


def _helper_threads() -> list:
    """``cores() - 1`` helper threads (at least one), made anew in a forked child (its parent's did not come along)."""
    global _helpers
    pid, helpers = _helpers
    if pid != os.getpid():
        with _helpers_lock:
            pid, helpers = _helpers
            if pid != os.getpid():
                helpers = [_Helper() for _ in range(max(1, cores() - 1))]
                _helpers = (os.getpid(), helpers)
    return helpers


def start(function, *args) -> Pending:
    """Start ``function(*args)`` on a free helper thread; collect it with the returned ``Pending``.

    If every helper is busy (another thread of the program is sharing its work, or this is a helper
    itself), the call runs here and now: slower, never stuck. Wait for the ``Pending`` before using
    what the call writes.
    """
    call = _Call(function, args)
    for helper in _helper_threads():
        if helper.free.acquire(blocking=False):
            helper.start(call)
            return Pending(call)
    try:
        call.outcome = (function(*args), None)
    except BaseException as error:
        call.outcome = (None, error)
    call.function = call.args = call.context = None
    call.ended = True
    return Pending(call)


class blas_on_one_thread:  # noqa: N801 (used like a function: ``with blas_on_one_thread():``)
    """Within this block, BLAS computes each product on the calling thread alone.

    BLAS's thread count is one setting for the whole process. So the first thread in sets it and
    puts it back as it leaves; a thread that comes in meanwhile leaves it alone (its products may
    then use BLAS's threads once the first has left: slower, never wrong), and no setting outlives
    the block. The libraries' own setters are called directly (see :func:`_thread_count_functions`):
    ``threadpoolctl.limit`` cost about 13 us per block (measured), a tenth of the smallest
    convolution of bench_conv2d; this block costs about 1.7 us.
    """

    __slots__ = ("_before",)

    def __enter__(self):
        global _blas, _blas_held
        with _blas_lock:
            if _blas_held:
                self._before = None  # another thread holds BLAS at one thread: leave it to that one
                return self
            _blas_held = True
        self._before = []
        try:
            if _blas is None:
                from threadpoolctl import ThreadpoolController  # after numpy, so that it sees numpy's BLAS

                controllers = ThreadpoolController().select(user_api="blas").lib_controllers
                _blas = [_thread_count_functions(library) for library in controllers]
            for get, set_to in _blas:
                self._before.append(get())
                set_to(1)
        except BaseException:
            self._put_back()
            raise
        return self

    def __exit__(self, *exc_info):
        if self._before is not None:
            self._put_back()

    def _put_back(self):
        global _blas_held
        try:
            for (_, set_to), count in zip(_blas or (), self._before, strict=False):  # shorter if a setter raised
                set_to(count)
        finally:
            with _blas_lock:
                _blas_held = False


def _thread_count_functions(library) -> tuple:
    """``(get, set)`` of one BLAS library's thread count, given its threadpoolctl controller.

    For OpenBLAS on its own threads, its C functions themselves, found the way threadpoolctl finds
    them (the symbols of builds such as numpy's carry a prefix and a suffix): about 0.4 us for a get
    and two sets, against 1.6 us through the controller, which looks the symbol up at every call.
    Else the controller's own methods.
    """
    dynlib = getattr(library, "dynlib", None)
    if dynlib is not None and library.internal_api == "openblas" and library.threading_layer != "openmp":
        for prefix, suffix in itertools.product(("", "scipy_"), ("", "64_", "_64")):
            get = getattr(dynlib, f"{prefix}openblas_get_num_threads{suffix}", None)
            set_to = getattr(dynlib, f"{prefix}openblas_set_num_threads{suffix}", None)
            if get is not None and set_to is not None:
                return get, set_to
    return (lambda: library.num_threads), library.set_num_threads


def in_parts(work, n: int, parts: int) -> None:
    """Run ``work(start, stop)`` on ``parts`` slices of ``range(n)``: the last one here, the others on helpers.

    Each part is at least one item. A part whose helper is busy runs here too (see :func:`start`).
    The caller waits until every part has ended, even when its own part raised; then it raises its
    own error if it had one, else that of the first failing helper part.
    """
    if n <= 0:
        return
    parts = max(1, min(parts, n))
    bounds = [n * k // parts for k in range(parts + 1)]
    pending = []
    try:
        for k in range(parts - 1):
            pending.append(start(work, bounds[k], bounds[k + 1]))
        work(bounds[-2], bounds[-1])
    finally:
        errors = _wait_for_all(pending)  # no helper may still write into the caller's arrays
    for error in errors:
        if error is not None:
            raise error


def _wait_for_all(pending) -> list:
    """Wait for every part (``Pending``); their errors. An interrupt during the waits is raised after the last."""
    errors, interrupt = [], None
    for part in pending:
        try:
            errors.append(part.wait())
        except BaseException as error:  # the part has ended all the same (see Pending.wait)
            interrupt = interrupt or error
    if interrupt is not None:
        raise interrupt
    return errors


def in_halves_when_sharing(work, n: int, numbers: int) -> None:
    """``work(start, stop)`` over ``range(n)``: in two halves on two threads inside
    :func:`sharing_a_second_thread` (as ``fit`` trains), if the work touches at least
    ``_HALVES_MIN_NUMBERS`` array elements (``numbers``); else all at once on the caller's thread."""
    if sharing and numbers >= _HALVES_MIN_NUMBERS:
        in_parts(work, n, 2)
    else:
        work(0, n)


@contextlib.contextmanager
def sharing_a_second_thread():
    """Within this block, the layers share their work with a helper thread.

    Conv2D hands it half of its matrix products, MaxPool2D and the patch copies of
    :mod:`cnnlib.columns` half of the batch's images.

    For training with BLAS on one thread (``fit`` runs inside both): two halves on two threads
    then use both cores without BLAS's own threads, which spin while they wait. Outside, BLAS's
    threads already use the cores and a second thread of ours would only compete with them (a
    forward pass of 2,000 digits took a third longer with it). The results are the same to
    rounding: the work is split, not changed.
    """
    global sharing
    before, sharing = sharing, True
    try:
        yield
    finally:
        sharing = before
