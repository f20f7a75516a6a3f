"""cnnlib/exercises/_shortcuts.py: library functions an exercise forbids, refused while the learner's code runs."""

import cProfile
import functools
import importlib
import inspect
import pstats
import sys
import threading

import numpy as np
import pytest
import scipy.signal

import cnnlib.layers
from cnnlib import exercises
from cnnlib.exercises._feedback import NotYet, call_learner, exercise
from cnnlib.exercises._shortcuts import ForbiddenShortcut, Shortcuts

FORBIDDING = [checker for checker in exercises.CHECKERS.values() if checker.forbids is not None]
REFUSED = "is switched off while this exercise checks your function"


def resolve(path):
    module, name = path.rsplit(".", 1)
    return getattr(importlib.import_module(module), name)


def call(function):
    """Call a forbidden function or class as a shortcut would (a class through its own ``forward``), with as many
    arrays as it takes: the hook refuses the call as the function starts, before it reads them."""
    if isinstance(function, type):
        function = functools.partial(function.forward, None)
    required = [
        p
        for p in inspect.signature(function).parameters.values()
        if p.default is p.empty and p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)
    ]
    return function(*[np.ones((3, 3))] * len(required))


def test_the_exercises_whose_text_forbids_a_shortcut_declare_it():
    # 2.2 "np.convolve, np.correlate and the convolutions of scipy and cnnlib are switched off", 2.6 "without
    # np.convolve, np.correlate or scipy's Toeplitz builders", 3.2 "the convolutions of scipy and cnnlib are
    # switched off", 6.3 "without calling" cnnlib.avg_pool2d, 6.4 "without cnnlib's output_size or
    # pooling", 7.1 "numpy only" (cnnlib.softmax and scipy's switched off), 7.2 "with numpy" (cnnlib.flatten and
    # cnnlib.dense switched off), 8.1 "not with `Dense`", 8.2 (cnnlib.gradcheck switched off),
    # 8.4 "`MaxPool2D` is switched off", 9.5 (cnnlib.attribution.occlusion, which the notebook uses, switched off)
    assert sorted(checker.exercise_id for checker in FORBIDDING) == [
        "2.2",
        "2.6",
        "3.2",
        "6.3",
        "6.4",
        "7.1",
        "7.2",
        "8.1",
        "8.2",
        "8.4",
        "9.5",
    ]


@pytest.mark.parametrize("checker", FORBIDDING, ids=lambda checker: checker.exercise_id)
def test_every_forbidden_function_exists_and_is_refused_during_the_call(checker):
    functions = {path: resolve(path) for path in checker.forbids.paths}  # a misspelt path would fail here
    assert len({id(f) for f in functions.values()}) == len(functions), "one path per function"
    for path, name in zip(functions, checker.forbids.names, strict=True):
        with checker.forbids.blocked() as used:  # one block each: Python drops the hook once it has refused
            with pytest.raises(ForbiddenShortcut, match=REFUSED):
                call(functions[path])
        assert used == [name]
    assert all(resolve(path) is function for path, function in functions.items()), "nothing was replaced"


def test_names_are_written_as_a_learner_writes_them():
    assert Shortcuts("numpy.convolve", "scipy.signal.convolve2d", instead="x").names == [
        "np.convolve",
        "scipy.signal.convolve2d",
    ]


@pytest.mark.parametrize("paths", [(), ("convolve",), (3,)])
def test_shortcuts_want_dotted_paths(paths):
    with pytest.raises(ValueError, match="`paths` must be dotted names"):
        Shortcuts(*paths, instead="x")


def test_a_path_that_does_not_import_is_left_out():
    shortcuts = Shortcuts("numpy.convolve", "numpy.no_such_function", "no_such_package.f", instead="x")
    with shortcuts.blocked(), pytest.raises(ForbiddenShortcut):
        np.convolve([1], [1])


def test_a_path_that_is_no_function_is_the_checkers_mistake_and_said_so():
    with pytest.raises(TypeError, match=r"`numpy.pi` cannot be forbidden"):
        Shortcuts("numpy.pi", instead="x").blocked()  # before the block, outside the learner's code

    @exercise("9.9", hints=("One.", "Two."), forbids=Shortcuts("numpy.pi", instead="x"))
    def check(answer):
        call_learner(answer, 1.0)

    with pytest.raises(NotYet, match=r"Checking your answer failed with TypeError: .`numpy.pi` cannot be forbidden"):
        check(lambda x: x)


HOLDERS = {
    "its name": lambda: scipy.signal.convolve2d,
    "where scipy defines it": lambda: scipy.signal._signaltools.convolve2d,
    "a list": lambda: [scipy.signal.convolve2d][0],
    "a dict": lambda: {"c": scipy.signal.convolve2d}["c"],
    "a partial": lambda: functools.partial(scipy.signal.convolve2d, mode="full"),
    "a partial of a partial": lambda: functools.partial(functools.partial(scipy.signal.convolve2d), mode="full"),
    "an attribute": lambda: type("Holder", (), {"c": staticmethod(scipy.signal.convolve2d)}).c,
}


@pytest.mark.parametrize("holder", HOLDERS.values(), ids=HOLDERS.keys())
def test_the_function_is_refused_however_it_is_reached(holder):
    function = holder()
    with Shortcuts("scipy.signal.convolve2d", instead="loop").blocked() as used:
        with pytest.raises(ForbiddenShortcut, match=REFUSED + ": loop"):
            function(np.ones((2, 2)), np.ones((1, 1)))
    assert used == ["scipy.signal.convolve2d"]


def test_a_library_function_that_calls_a_forbidden_one_is_refused_too():
    with Shortcuts("numpy.convolve", instead="x").blocked() as used, pytest.raises(ForbiddenShortcut):
        np.polymul([1.0, 2.0], [1.0, 1.0])  # numpy multiplies polynomials with np.convolve
    assert used == ["np.convolve"]


def test_other_functions_run_and_the_forbidden_ones_run_again_after_the_block():
    with pytest.raises(ZeroDivisionError), Shortcuts("numpy.convolve", instead="x").blocked() as used:
        assert np.correlate([1.0, 2.0], [1.0]).tolist() == [1.0, 2.0]
        1 / 0  # noqa: B018 - the block fails: the hook must still be taken away
    assert used == []
    assert np.convolve([1, 2], [1, 1]).tolist() == [1, 3, 2]


def test_a_class_is_forbidden_through_the_methods_it_defines_not_those_it_shares():
    # MaxPool2D and AvgPool2D share their base's __init__: making one is allowed, computing with it is not
    with Shortcuts("cnnlib.layers.MaxPool2D", instead="x").blocked() as used:
        average = cnnlib.layers.AvgPool2D(2).forward(np.ones((1, 1, 4, 4)))
        layer = cnnlib.layers.MaxPool2D(2)
        with pytest.raises(ForbiddenShortcut):
            layer.forward(np.ones((1, 1, 4, 4)))
    assert average.shape == (1, 1, 2, 2) and used == ["cnnlib.layers.MaxPool2D"]
    with Shortcuts("cnnlib.layers.Conv2D", instead="x").blocked() as used, pytest.raises(ForbiddenShortcut):
        cnnlib.layers.Conv2D(1, 1, 3)  # its own __init__
    assert used == ["cnnlib.layers.Conv2D"]


def test_cprofiles_profiler_runs_again_after_the_block():
    # `%prun` on Python 3.10-3.11: sys.getprofile() gives the profiler object, which is no hook to set back
    profiler = cProfile.Profile()
    profiler.enable()
    try:
        with Shortcuts("numpy.convolve", instead="x").blocked():
            pass
        np.polymul([1.0], [1.0])
    finally:
        profiler.disable()
    profiled = {name for _, _, name in pstats.Stats(profiler).stats}
    assert "polymul" in profiled, "the profiler saw the call after the block"


def test_a_profiler_running_before_the_block_runs_again_after_it():
    def profiler(frame, event, arg):
        return None

    sys.setprofile(profiler)
    try:
        with Shortcuts("numpy.convolve", instead="x").blocked():
            assert sys.getprofile() is not profiler
        assert sys.getprofile() is profiler
    finally:
        sys.setprofile(None)


@pytest.mark.parametrize("switch_off", [sys.setprofile, threading.setprofile])
def test_code_that_takes_the_watch_away_is_refused_for_it(switch_off):
    with Shortcuts("numpy.convolve", instead="x").blocked() as used:
        switch_off(None)
    assert used == ["sys.setprofile"]
    assert sys.getprofile() is None and threading.getprofile() is None


def test_a_thread_started_during_the_block_is_watched_until_the_block_ends():
    results, go_on, done = [], threading.Event(), threading.Event()

    def convolve_twice():
        try:
            np.convolve([1.0], [1.0])
        except ForbiddenShortcut:
            results.append("refused")
        go_on.wait(timeout=30)
        results.append(np.convolve([1.0, 2.0], [1.0]).tolist())  # after the block: allowed
        done.set()

    with Shortcuts("numpy.convolve", instead="x").blocked() as used:
        worker = threading.Thread(target=convolve_twice)
        worker.start()
        while not results and worker.is_alive():
            threading.Event().wait(0.01)
    go_on.set()
    done.wait(timeout=30)
    worker.join(timeout=30)
    assert results == ["refused", [1.0, 2.0]] and used == ["np.convolve"]
    assert threading.getprofile() is None
