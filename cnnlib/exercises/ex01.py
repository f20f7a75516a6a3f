"""Checkers for notebook 01 (images as matrices): gray levels, uint8 pixels, flattening, dense sizes.

The expected values come from independent references: the BT.601 weighted sum
computed here in float64; brightening worked out pixel by pixel with Python
integers; the index of a pixel read off ``np.arange(H * W).reshape(H, W)``; and
the coffee photo's documented shape (400, 600, 3).
"""

from __future__ import annotations

import numpy as np

from ._feedback import NotYet, as_answer_array, call_learner, exercise, safe_repr, whole_number

__all__ = ["check_1_1", "check_1_2", "check_1_3", "check_1_4"]

WEIGHTS = np.array([0.299, 0.587, 0.114])  # BT.601 luma weights of red, green, blue

# Exercise 1.4: the coffee photo, load_photo("coffee").shape == (400, 600, 3), and 1,000 hidden units.
COFFEE_SHAPE, HIDDEN_UNITS = (400, 600, 3), 1000

FORGOT_RETURN = "returned None: did you forget `return`?"  # what 1.1 and 1.2 say when the function returns None


def _gray_cases():
    """(name, rgb) inputs for Exercise 1.1: white, pure colours, a random uint8 photo, floats."""
    rng = np.random.default_rng(11)
    colours = np.array([[[255, 0, 0], [0, 255, 0], [0, 0, 255], [0, 0, 0]]], dtype=np.uint8)
    return [
        ("a white pixel (255, 255, 255)", np.full((1, 1, 3), 255, dtype=np.uint8)),
        ("pure red, green, blue and black", colours),
        ("a random uint8 image", rng.integers(0, 256, size=(4, 5, 3), dtype=np.uint8)),
        ("a float image", rng.uniform(0, 255, size=(2, 3, 3))),
    ]


@exercise("1.1")
def check_1_1(to_gray):
    """Exercise 1.1: ``to_gray(rgb)`` is the weighted sum 0.299 R + 0.587 G + 0.114 B, shape (H, W, 3) -> (H, W)."""
    for name, rgb in _gray_cases():
        given = rgb.copy()
        expected = rgb[..., 0] * 0.299 + rgb[..., 1] * 0.587 + rgb[..., 2] * 0.114
        hints = {
            rgb.shape: ". The three colour values of each pixel must be added up, so the last axis disappears.",
            expected.shape[::-1]: ". Rows and columns are swapped.",
        }
        result = call_learner(to_gray, given, name="to_gray")
        got = as_answer_array(
            result,
            f"to_gray(rgb) for {name} of shape {rgb.shape}",
            shape=expected.shape,
            hint=hints.get,
            if_none=FORGOT_RETURN,
        )
        if not np.array_equal(given, rgb):
            raise NotYet("to_gray changed the array it was given: compute a new array and leave `rgb` as it is")
        if np.allclose(got, expected, rtol=1e-6, atol=1e-6):  # relative: float32 arithmetic is right too
            continue
        if np.allclose(got, rgb.astype(np.float64).mean(axis=-1), rtol=0, atol=1e-6):
            raise NotYet(
                f"for {name} you return the plain mean of the three channels. Weigh them: green counts most, "
                "blue least."
            )
        if np.allclose(got, rgb[..., ::-1] @ WEIGHTS, rtol=0, atol=1e-6):
            raise NotYet(
                f"for {name} the weights are on the wrong channels: the last axis holds (red, green, blue), in that "
                "order."
            )
        off = float(np.abs(got - expected).max())
        if off <= 2:
            raise NotYet(
                f"for {name} your gray levels are close but off by up to {off:.3f}: did you round, or use other "
                "weights than 0.299, 0.587 and 0.114?"
            )
        if rgb.dtype == np.uint8 and rgb.size == 3:
            raise NotYet(f"{name} should stay 255, got {float(got.ravel()[0]):g}")
        raise NotYet(
            f"for {name} your gray levels are wrong by up to {off:.1f}. Multiply each channel by its weight "
            "and add the three products; with uint8 pixels, convert to float first so that nothing wraps around."
        )


def _brightened(image: np.ndarray, amount: int) -> list[int]:
    """Each pixel plus ``amount``, held between 0 and 255, worked out with Python integers."""
    return [min(255, max(0, int(value) + amount)) for value in image.ravel()]


@exercise("1.2")
def check_1_2(brighten):
    """Exercise 1.2: ``brighten(image, amount)`` adds ``amount`` to a uint8 image, clipped to 0-255, still uint8."""
    ramp = np.array([[0, 100, 200], [250, 255, 30]], dtype=np.uint8)
    random = np.random.default_rng(12).integers(0, 256, size=(4, 5), dtype=np.uint8)
    for image, amount in [(ramp, 10), (ramp, 60), (ramp, -120), (ramp, 0), (random, 37), (random, -37)]:
        given = image.copy()
        call = f"brighten(image, {amount})"
        result = call_learner(brighten, given, amount, name="brighten")
        got = as_answer_array(result, call, shape=image.shape, if_none=FORGOT_RETURN)
        if not np.array_equal(given, image):
            raise NotYet(f"{call} changed the image it was given: return a new image and leave the input as it is")
        expected = _brightened(image, amount)
        values = [int(v) for v in got.ravel()]
        if values != expected:
            wrapped = [(int(v) + amount) % 256 for v in image.ravel()]
            bad = next(i for i, (v, e) in enumerate(zip(values, expected, strict=True)) if v != e)
            pixel, shown = int(image.ravel()[bad]), values[bad]
            if values == wrapped:
                raise NotYet(
                    f"{call} wrapped around: pixel {pixel} became {shown}. uint8 arithmetic wraps past 255 and "
                    "below 0; convert to a wider integer type before adding, then clip."
                )
            raise NotYet(
                f"{call} turned pixel {pixel} into {safe_repr(shown)}, expected {expected[bad]}. Add, then keep "
                "every value between 0 and 255."
            )
        dtype = np.asarray(result).dtype  # `got` is float64 whatever came back
        if dtype != np.uint8:
            raise NotYet(
                f"{call} returned the right values with dtype {dtype}; expected dtype uint8, so that the result "
                "is still an image of 0-255 pixels (convert back at the end)"
            )


@exercise("1.3")
def check_1_3(flat_index):
    """Exercise 1.3: ``flat_index(r, c, width)`` is where pixel (r, c) lands in ``image.reshape(-1)``."""
    cases = [
        (0, 0, 28),
        (0, 5, 28),
        (1, 0, 28),
        (3, 7, 28),
        (27, 27, 28),
        (2, 3, 4),
        (1, 2, 4),
        (10, 0, 451),
        (299, 450, 451),
        (4, 1, 5),
    ]
    for r, c, width in cases:
        call = f"flat_index({r}, {c}, {width})"
        got = whole_number(call_learner(flat_index, r, c, width, name="flat_index"), call)
        expected = int(np.arange((r + 1) * width).reshape(r + 1, width)[r, c])
        if got == expected:
            continue
        if got == c * width + r:
            hint = "your index runs down the columns; reshape(-1) reads along the rows, one whole row after another."
        elif got == expected + 1:
            hint = "one too many: indices start at 0, so pixel (0, 0) is at index 0."
        elif r == 0:
            hint = "pixel (0, c) is in the first row, which comes first in the vector."
        else:
            hint = f"before row {r} come {r} whole rows of {width} pixels each."
        raise NotYet(f"{call} returned {got}, expected {expected}: {hint}")


@exercise("1.4")
def check_1_4(coffee_weights):
    """Exercise 1.4: weights of a 1,000-unit dense layer fed the whole coffee photo, (400, 600, 3)."""
    got = whole_number(coffee_weights, "`coffee_weights`")
    height, width, channels = COFFEE_SHAPE
    inputs = height * width * channels
    expected = inputs * HIDDEN_UNITS
    if got == expected:
        return
    explained = {
        height * width * HIDDEN_UNITS: "you counted one number per pixel, but the coffee photo is in colour",
        inputs: "that is the number of inputs; every input has its own weight to each hidden unit",
        height * width: "that is the number of pixels; count the numbers the layer sees, then its weights",
        expected + HIDDEN_UNITS: "that includes the biases (one per hidden unit): count only the weights",
        (height + width + channels) * HIDDEN_UNITS: "the sides of an image multiply, they do not add up",
    }
    hint = explained.get(got, "too large" if got > expected else "too small")
    raise NotYet(
        f"`coffee_weights` = {got:,} is not it: {hint}. Look at `coffee.shape` and the number of hidden units."
    )
