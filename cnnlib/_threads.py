"""The threads cnnlib shares its work with: helper threads beside the caller's, and BLAS's.

numpy lets go of the GIL inside a matrix product, a copy or an element-wise operation, so a
few Python threads, each with its share of a batch, use as many cores. For the small products
of a CNN layer this is faster than BLAS's own threads, which are made for large products: on 2
cores, a 64-image convolution of 14 x 14 maps with 8 filters took 4x longer with two BLAS
threads than with one (they synchronise at every call). So the callers here keep BLAS on one
thread while their own threads share the work.
"""

from __future__ import annotations

import contextlib
import os
import threading
from concurrent.futures import ThreadPoolExecutor

_pool = (None, None)  # (the process id, its pool of helper threads)
sharing = False  # whether the layers share their work with a helper thread (see sharing_a_second_thread)
# Below this many array elements, handing half of an element-wise job to the helper costs more than
# it saves (each handoff wakes a thread): on 2 cores, forward + backward max pooling of (64, 16, 24, 24)
# took 2.1 ms in halves against 2.6 ms whole, of (64, 32, 8, 8) 1.2 ms against 0.7 ms. A later run on
# a busier machine found halves and whole even for both: the gain is small and the machine noisy.
_HALVES_MIN_NUMBERS = 1 << 18
_blas = None  # threadpoolctl's controller of the loaded BLAS, found once
_blas_lock = threading.Lock()
_blas_held = False  # whether a thread is inside blas_on_one_thread, holding BLAS at one thread


def cores() -> int:
    """How many cores this process may use (its CPU affinity where the system tells it)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # macOS and Windows have no sched_getaffinity
        return os.cpu_count() or 1


def helpers() -> ThreadPoolExecutor:
    """A pool of ``cores() - 1`` threads (at least one) beside the caller's, made anew in a forked child."""
    global _pool
    pid, pool = _pool
    if pid != os.getpid():  # a forked child has the pool but not its threads
        pool = ThreadPoolExecutor(max_workers=max(1, cores() - 1), thread_name_prefix="cnnlib")
        _pool = (os.getpid(), pool)
    return pool


@contextlib.contextmanager
def blas_on_one_thread():
    """Within this block, BLAS computes each product on the calling thread alone.

    BLAS's thread count is one setting for the whole process, and threadpoolctl lets one Python
    thread at a time change it. So the first thread in sets it and puts it back as it leaves; a
    thread that comes in meanwhile leaves it alone (its products may then use BLAS's threads
    once the first has left: slower, never wrong), and no setting outlives the block.
    """
    global _blas, _blas_held
    with _blas_lock:
        first, _blas_held = not _blas_held, True
        if first and _blas is None:
            from threadpoolctl import ThreadpoolController  # after numpy, so that it sees numpy's BLAS

            _blas = ThreadpoolController().select(user_api="blas")
    if not first:
        yield
        return
    try:
        with _blas.limit(limits=1):
            yield
    finally:
        with _blas_lock:
            _blas_held = False


def in_parts(work, n: int, parts: int) -> None:
    """Run ``work(start, stop)`` on ``parts`` slices of ``range(n)``: the last one here, the others on helpers.

    Each part is at least one item. The caller waits until every part has ended, even when its own
    part raised; then it raises its own error if it had one, else that of the first failing helper
    part. Never call it from a helper thread (it could wait for itself).
    """
    if n <= 0:
        return
    parts = max(1, min(parts, n))
    bounds = [n * k // parts for k in range(parts + 1)]
    pending = [helpers().submit(work, bounds[k], bounds[k + 1]) for k in range(parts - 1)]
    try:
        work(bounds[-2], bounds[-1])
    finally:
        for future in pending:
            future.exception()  # waits: no helper may still write into the caller's arrays
    for future in pending:
        future.result()  # raises what a helper raised


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
