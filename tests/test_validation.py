"""Bad input gets a clear error: the argument's name, what was expected, what came in."""

import inspect
import re

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import cnnlib
from cnnlib import _validation

IMG = np.ones((5, 5))
K3 = np.ones((3, 3))
X = np.ones((2, 3, 6, 6))
W = np.ones((4, 3, 3, 3))

# (id, call, exception, argument named in the message, a fragment of "what came in")
BAD_INPUTS = [
    ("image 3-D", lambda: cnnlib.correlate2d(np.ones((3, 5, 5)), K3), ValueError, "image", "ndim=3"),
    ("image 1-D naive", lambda: cnnlib.correlate2d_naive(np.ones(5), K3), ValueError, "image", "ndim=1"),
    ("kernel 3-D", lambda: cnnlib.correlate2d(IMG, np.ones((3, 3, 3))), ValueError, "kernel", "shape (3, 3, 3)"),
    ("x not NCHW", lambda: cnnlib.conv2d(np.ones((3, 6, 6)), W), ValueError, "x", "ndim=3"),
    ("filters not 4-D", lambda: cnnlib.conv2d(X, np.ones((3, 3, 3))), ValueError, "w", "ndim=3"),
    ("kernel larger than image", lambda: cnnlib.correlate2d(IMG, np.ones((6, 2))), ValueError, "kernel", "(6, 2)"),
    ("kernel larger, naive", lambda: cnnlib.correlate2d_naive(IMG, np.ones((2, 7))), ValueError, "kernel", "(2, 7)"),
    ("kernel > padded", lambda: cnnlib.conv2d(X, np.ones((1, 3, 9, 9)), padding=1), ValueError, "w", "(8, 8)"),
    ("empty kernel", lambda: cnnlib.correlate2d(IMG, np.ones((0, 3))), ValueError, "kernel", "shape (0, 3)"),
    ("empty image", lambda: cnnlib.convolve2d(np.ones((4, 0)), K3), ValueError, "image", "shape (4, 0)"),
    ("stride 0", lambda: cnnlib.correlate2d(IMG, K3, stride=0), ValueError, "stride", "got 0"),
    ("stride negative", lambda: cnnlib.conv2d(X, W, stride=(1, -2)), ValueError, "stride", "-2"),
    ("stride float", lambda: cnnlib.correlate2d(IMG, K3, stride=1.5), TypeError, "stride", "1.5"),
    ("stride bool", lambda: cnnlib.correlate2d(IMG, K3, stride=True), TypeError, "stride", "True"),
    ("stride triple", lambda: cnnlib.conv2d(X, W, stride=(1, 1, 1)), ValueError, "stride", "(1, 1, 1)"),
    ("padding negative", lambda: cnnlib.correlate2d(IMG, K3, padding=-1), ValueError, "padding", "-1"),
    ("padding negative pad2d", lambda: cnnlib.pad2d(IMG, (0, -3)), ValueError, "padding", "-3"),
    ("padding mode unknown", lambda: cnnlib.correlate2d(IMG, K3, padding="half"), ValueError, "padding", "'half'"),
    ("padding float", lambda: cnnlib.conv2d(X, W, padding=0.5), TypeError, "padding", "0.5"),
    ("strings", lambda: cnnlib.correlate2d([["a", "b"], ["c", "d"]], K3), TypeError, "image", "<U1"),
    ("objects", lambda: cnnlib.relu(np.array([object(), 1], dtype=object)), TypeError, "x", "object"),
    ("complex", lambda: cnnlib.softmax(np.array([1j, 2])), TypeError, "z", "complex"),
    ("None", lambda: cnnlib.dense(None, np.ones((2, 3))), TypeError, "x", "None"),
    ("ragged list", lambda: cnnlib.flatten([[1, 2], [3]]), TypeError, "x", "list"),
    ("channel mismatch", lambda: cnnlib.conv2d(X, np.ones((4, 2, 3, 3))), ValueError, "w", "C=2"),
    ("bias wrong length", lambda: cnnlib.conv2d(X, W, np.ones(3)), ValueError, "b", "(3,)"),
    ("bias 2-D", lambda: cnnlib.conv2d(X, W, np.ones((4, 1))), ValueError, "b", "ndim=2"),
    ("pool window 0", lambda: cnnlib.max_pool2d(IMG, size=0), ValueError, "size", "got 0"),
    ("pool window too large", lambda: cnnlib.avg_pool2d(IMG, size=(2, 6)), ValueError, "size", "(2, 6)"),
    ("pool stride 0", lambda: cnnlib.sum_pool2d(IMG, size=2, stride=0), ValueError, "stride", "got 0"),
    ("pool input 1-D", lambda: cnnlib.max_pool2d(np.ones(4)), ValueError, "x", "ndim=1"),
    ("dense mismatch", lambda: cnnlib.dense(np.ones((2, 5)), np.ones((3, 4))), ValueError, "w", "(3, 4)"),
    ("dense bias", lambda: cnnlib.dense(np.ones((2, 4)), np.ones((3, 4)), np.ones(4)), ValueError, "b", "(4,)"),
    ("flatten 1-D", lambda: cnnlib.flatten(np.ones(3)), ValueError, "x", "ndim=1"),
    ("softmax axis", lambda: cnnlib.softmax(np.ones((2, 3)), axis=2), ValueError, "axis", "got 2"),
    ("softmax nan", lambda: cnnlib.softmax(np.array([1.0, np.nan])), ValueError, "z", "NaN"),
    ("output_size no output", lambda: cnnlib.output_size(3, 5), ValueError, "k", "= 3"),
    ("output_size n 0", lambda: cnnlib.output_size(0, 1), ValueError, "n", "got 0"),
    ("output_size stride 0", lambda: cnnlib.output_size(5, 3, stride=0), ValueError, "stride", "got 0"),
    ("output_size pad mode", lambda: cnnlib.output_size(5, 3, padding="bogus"), ValueError, "padding", "'bogus'"),
    ("convolve1d 2-D", lambda: cnnlib.convolve1d(np.ones((2, 2)), np.ones(2)), ValueError, "f", "ndim=2"),
    ("convolve1d mode", lambda: cnnlib.convolve1d(np.ones(3), np.ones(2), mode="centre"), ValueError, "mode", "centre"),
]


@pytest.mark.parametrize(
    ("call", "exception", "name", "got"), [case[1:] for case in BAD_INPUTS], ids=[case[0] for case in BAD_INPUTS]
)
def test_bad_input_is_named_with_what_came_in(call, exception, name, got):
    with pytest.raises(exception) as info:
        call()
    message = str(info.value)
    assert f"`{name}`" in message
    assert got in message
    assert "must" in message or "larger than" in message  # says what was expected


# --- random invalid arguments: only ValueError / TypeError naming an argument come out --------

odd_values = st.one_of(
    st.none(),
    st.sampled_from(["same", "valid", "full", "bogus", "", (), (1,), (1, 2, 3), (-1, 1), (2, 0), [[1, 2], [3]], {}]),
    st.integers(-3, 6),
    st.floats(allow_nan=True, allow_infinity=True, width=32),
    st.booleans(),
    st.builds(lambda shape: np.ones(shape), st.lists(st.integers(0, 4), min_size=0, max_size=5).map(tuple)),
    st.builds(lambda shape: np.full(shape, np.nan), st.lists(st.integers(1, 3), min_size=1, max_size=4).map(tuple)),
    st.sampled_from([np.array(["a", "b"]), np.array([1 + 2j]), np.array([None, 1], dtype=object), np.uint8(3)]),
)

PUBLIC = [getattr(cnnlib, name) for name in cnnlib.__all__]


@given(st.sampled_from(PUBLIC), st.data())
def test_random_invalid_arguments_give_only_named_errors(function, data):
    parameters = inspect.signature(function).parameters
    kwargs = {name: data.draw(odd_values, label=name) for name in parameters}
    try:
        function(**kwargs)
    except (ValueError, TypeError) as error:
        named = re.findall(r"`(\w+)`", str(error))
        assert any(name in parameters for name in named), f"{function.__name__}: {error}"


@pytest.mark.parametrize("value", [3, 2.5, np.float32(0.5), np.int64(-4), np.array(1.5)])
def test_as_real_accepts_every_real_number(value):
    assert _validation.as_real(value, "x") == float(np.asarray(value))


@pytest.mark.parametrize(
    ("value", "kwargs", "error", "match"),
    [
        ("1", {}, TypeError, "`x` must be a real number, got the string '1'"),
        (True, {}, TypeError, "`x` must be a real number, got the bool True"),
        (np.ones(2), {}, TypeError, "`x` must be a real number, got an array"),
        (float("nan"), {}, ValueError, "`x` must be a finite number, got nan"),
        (float("inf"), {"low": 0}, ValueError, "`x` must be a finite number"),
        (0.0, {"low": 0, "open_interval": True}, ValueError, "`x` must be a number > 0, got 0.0"),
        (1.0, {"low": 0, "high": 1, "open_interval": True}, ValueError, "strictly between 0 and 1, got 1.0"),
        (-0.5, {"low": 0, "high": 1}, ValueError, "`x` must be a number between 0 and 1, got -0.5"),
        (2, {"high": 1}, ValueError, "`x` must be a number <= 1, got 2"),
    ],
)
def test_as_real_names_the_argument(value, kwargs, error, match):
    with pytest.raises(error, match=re.escape(match)):
        _validation.as_real(value, "x", **kwargs)


def test_as_real_lets_infinity_through_when_asked():
    assert _validation.as_real(float("-inf"), "value", finite=False) == float("-inf")


def test_as_choice():
    assert _validation.as_choice("max", "kind", ("max", "sum")) == "max"
    with pytest.raises(ValueError, match=re.escape("`kind` must be one of ('max', 'sum'), got the string 'median'")):
        _validation.as_choice("median", "kind", ("max", "sum"))
