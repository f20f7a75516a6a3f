"""cnnlib/exercises/_shortcuts.py: library functions an exercise forbids, switched off while the learner's code runs."""

import importlib
import sys
import types

import numpy as np
import pytest
import scipy.signal

from cnnlib import exercises
from cnnlib.exercises._shortcuts import ForbiddenShortcut, Shortcuts

FORBIDDING = [checker for checker in exercises.CHECKERS.values() if checker.forbids is not None]


def resolve(path):
    module, name = path.rsplit(".", 1)
    return getattr(importlib.import_module(module), name)


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
def test_every_forbidden_function_exists_and_is_switched_off_during_the_call(checker):
    functions = {path: resolve(path) for path in checker.forbids.paths}  # a misspelt path would fail here
    assert len({id(f) for f in functions.values()}) == len(functions), "one path per function: aliases are found"
    with checker.forbids.blocked(None) as used:
        for path in functions:
            with pytest.raises(ForbiddenShortcut, match="is switched off while this exercise checks your function"):
                resolve(path)(np.ones((3, 3)), np.ones((2, 2)))
    assert used == checker.forbids.names
    assert all(resolve(path) is function for path, function in functions.items()), "all put back"


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
    with shortcuts.blocked(None):
        with pytest.raises(ForbiddenShortcut):
            np.convolve([1], [1])


def test_every_binding_is_switched_off_also_the_learners_own_and_all_come_back_after_an_error():
    namespace = {}
    exec("from scipy.signal import convolve2d as c2\ndef learner(a, b):\n    return c2(a, b)", namespace)
    shortcuts = Shortcuts("scipy.signal.convolve2d", instead="loop")
    original = scipy.signal.convolve2d
    with pytest.raises(ZeroDivisionError), shortcuts.blocked(namespace["learner"]) as used:
        with pytest.raises(ForbiddenShortcut):
            namespace["learner"](np.ones((2, 2)), np.ones((1, 1)))
        with pytest.raises(ForbiddenShortcut):
            scipy.signal._signaltools.convolve2d(np.ones((2, 2)), np.ones((1, 1)))  # where scipy defines it
        1 / 0  # noqa: B018 - the block fails: everything must still be put back
    assert used == ["scipy.signal.convolve2d", "scipy.signal.convolve2d"]
    assert namespace["c2"] is original and scipy.signal.convolve2d is original
    assert scipy.signal._signaltools.convolve2d is original


def test_a_module_first_imported_during_the_call_keeps_no_stub():
    # `from scipy.signal import convolve2d` in a module imported for the first time while the check runs
    # copies the stub: it must not outlive the check (it would switch the function off for the whole kernel)
    def learner(a, b):
        late = types.ModuleType("module_imported_during_the_check")
        late.convolve2d = scipy.signal.convolve2d  # what `from scipy.signal import convolve2d` binds now
        sys.modules[late.__name__] = late
        return a

    original = scipy.signal.convolve2d
    try:
        with Shortcuts("scipy.signal.convolve2d", instead="loop").blocked(learner):
            learner(1, 2)
            assert sys.modules["module_imported_during_the_check"].convolve2d is not original  # the stub
        assert sys.modules["module_imported_during_the_check"].convolve2d is original
    finally:
        sys.modules.pop("module_imported_during_the_check", None)


def test_name_of_knows_a_forbidden_function_handed_in_itself():
    shortcuts = Shortcuts("numpy.convolve", instead="x")
    assert shortcuts.name_of(np.convolve) == "np.convolve"
    assert shortcuts.name_of(np.correlate) is None and shortcuts.name_of(None) is None
