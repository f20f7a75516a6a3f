"""Checkers for notebook 01 (images as matrices): gray levels, uint8 pixels, flattening, shapes, dense sizes.

The expected values come from independent references: the BT.601 weighted sum
worked out in whole thousandths; brightening worked out pixel by pixel with
Python integers; the index of a pixel read off ``np.arange(H * W).reshape(H, W)``;
the shapes numpy gives when the expressions of Exercise 1.5 are applied to an
array of the cat photo's shape; and the coffee photo's documented shape (400, 600, 3).
"""

from __future__ import annotations

import numpy as np

from ._answers import as_answer_array, as_shape, whole_number
from ._feedback import NotYet, call_learner, exercise, safe_repr

__all__ = ["check_1_1", "check_1_2", "check_1_3", "check_1_4", "check_1_5"]

WEIGHTS = np.array([0.299, 0.587, 0.114])  # BT.601 luma weights of red, green, blue

# Exercise 1.1: how far apart (in one channel at least) two colours must be to count as clearly different.
MIN_APART_1_1 = 60

# Exercise 1.4: the coffee photo, load_photo("coffee").shape == (400, 600, 3), and 1,000 hidden units.
COFFEE_SHAPE, HIDDEN_UNITS = (400, 600, 3), 1000

FORGOT_RETURN = "returned None: did you forget `return`?"  # what 1.2 says when the function returns None


def _gray_levels(colours: np.ndarray) -> np.ndarray:
    """The gray level of each (R, G, B) row, from the weights in thousandths: exact, so ties round as rint does."""
    return (colours @ (1000 * WEIGHTS).round()) / 1000


def _two_colours(two_colours) -> np.ndarray:
    """The learner's two colours as a (2, 3) float array of whole numbers 0-255, or a NotYet naming the rule."""
    colours = as_answer_array(
        two_colours,
        "`two_colours`",
        if_none="is None: replace None with two colours, [[R, G, B], [R, G, B]]",
    )
    if colours.size != 6 or colours.ndim == 0 or colours.shape[-1] != 3:
        raise NotYet(
            f"`two_colours` should hold two colours of three numbers each, [[R, G, B], [R, G, B]] "
            f"(shape (2, 3)), got shape {colours.shape}"
        )
    colours = colours.reshape(2, 3)  # a tiny image of two pixels, shape (1, 2, 3), holds the same two colours
    fraction = next((v for v in colours.ravel() if v != int(v)), None)
    if fraction is not None:
        raise NotYet(f"{fraction:g} is not a pixel value: uint8 pixels are whole numbers from 0 to 255")
    outside = next((v for v in colours.ravel() if not 0 <= v <= 255), None)
    if outside is not None:
        raise NotYet(f"{outside:g} is not a pixel value: uint8 pixels run from 0 to 255")
    return colours


@exercise(
    "1.1",
    hints=(
        "The gray level weighs the three channels differently: raising green by 1 adds 0.587 to the gray, "
        "raising red by 1 adds 0.299, blue only 0.114. So a change in one channel can be paid back by a "
        "larger change in another.",
        "Start from any colour and change one channel by 60 or more. Which change in a second channel brings "
        "the gray back? Divide the first change's effect on the gray by the second channel's weight.",
        "Or take two colours that each use one channel only (the other two 0): choose the first, work out its "
        "gray, and divide that gray by the weight of the other channel to get the second colour's value; "
        "round to a whole number. Check with np.rint(images.rgb_to_gray(np.array(two_colours))).",
    ),
)
def check_1_1(two_colours):
    """Exercise 1.1: two colours (2, 3), some channel 60 or more apart, whose gray levels round to one integer."""
    colours = _two_colours(two_colours)
    first, second = colours
    apart = float(np.abs(first - second).max())
    if apart == 0:
        raise NotYet("the two colours are the same colour: make them clearly different")
    if apart < MIN_APART_1_1:
        raise NotYet(
            f"no channel of the two colours differs by more than {apart:g}: make them clearly different, with "
            f"at least one channel {MIN_APART_1_1} or more apart"
        )
    grays = _gray_levels(colours)
    rounded = np.rint(grays)
    if rounded[0] == rounded[1]:
        return
    shown = (
        f"their gray levels are {grays[0]:.3f} and {grays[1]:.3f}, which round to {rounded[0]:.0f} and {rounded[1]:.0f}"
    )
    means = np.rint(colours.mean(axis=1))
    if means[0] == means[1]:
        raise NotYet(
            f"{shown}. Your two colours have the same plain mean (R + G + B) / 3, but the gray level weighs "
            "the channels: 0.299 R + 0.587 G + 0.114 B."
        )
    raise NotYet(
        f"{shown}: not the same gray. Change one channel of the second colour until its gray moves by "
        f"{abs(grays[0] - grays[1]):.2f}, remembering that each channel moves the gray by its own weight."
    )


def _brightened(image: np.ndarray, amount: int) -> list[int]:
    """Each pixel plus ``amount``, held between 0 and 255, worked out with Python integers."""
    return [min(255, max(0, int(value) + amount)) for value in image.ravel()]


def _brightened_through(image: np.ndarray, amount: int, dtype) -> list[int]:
    """Brightening done through ``dtype`` (wrapping as numpy's fixed-size integers do), then clipped to 0-255."""
    bits = 8 * np.dtype(dtype).itemsize
    low = -(2 ** (bits - 1)) if np.dtype(dtype).kind == "i" else 0

    def wrap(value: int) -> int:
        return (value - low) % 2**bits + low

    return [min(255, max(0, wrap(wrap(int(value)) + amount))) for value in image.ravel()]


@exercise(
    "1.2",
    hints=(
        "The given function does two right things, converting before adding and clipping, and one wrong one. "
        "Try it on one bright pixel, brighten_given(np.array([200], dtype=np.uint8), 0): adding 0 should "
        "change nothing. What comes back?",
        "Like uint8, the signed type int8 has only 8 bits, so 256 values; but they run from -128 to 127. "
        "Converting a pixel of 200 to int8 wraps it around before anything is added.",
        "Widen to a type with more bits, which holds every pixel and every sum, negative or above 255 (int16, "
        "int64 or float): add, clip to 0-255, then convert back to uint8.",
    ),
)
def check_1_2(brighten):
    """Exercise 1.2: ``brighten(image, amount)`` adds ``amount`` to a uint8 image, clipped to 0-255, still uint8."""
    ramp = np.array([[0, 100, 200], [250, 255, 30]], dtype=np.uint8)
    random = np.random.default_rng(12).integers(0, 256, size=(4, 5), dtype=np.uint8)
    for image, amount in [(ramp, 10), (ramp, 60), (ramp, -120), (ramp, 0), (random, 37), (random, -37)]:
        given = image.copy()
        call = f"brighten(image, {amount})"
        unsigned = (
            None
            if amount >= 0
            else (
                f"an unsigned type such as uint16 holds no negative numbers, and {amount} is one: add in a signed "
                "type, such as int16 or int, then clip"
            )
        )
        result = call_learner(
            brighten,
            given,
            amount,
            name="brighten",
            explain=lambda error, why=unsigned: why if isinstance(error, OverflowError) else None,
        )
        got = as_answer_array(result, call, shape=image.shape, if_none=FORGOT_RETURN)
        if not np.array_equal(given, image):
            raise NotYet(f"{call} changed the image it was given: return a new image and leave the input as it is")
        expected = _brightened(image, amount)
        values = [int(v) for v in got.ravel()]
        if values != expected and got.max() <= 1.0 and np.allclose(got.ravel() * 255, expected, atol=1.0):
            raise NotYet(
                f"{call} returned pixels scaled to 0-1 ({got.ravel()[0]:.3g} for the pixel {int(image.ravel()[0])}); "
                "brighten keeps the image's own scale, 0-255, and its dtype, uint8"
            )
        if values != expected:
            wrapped = [(int(v) + amount) % 256 for v in image.ravel()]
            bad = next(i for i, (v, e) in enumerate(zip(values, expected, strict=True)) if v != e)
            pixel, shown = int(image.ravel()[bad]), values[bad]
            if values == wrapped:
                raise NotYet(
                    f"{call} wrapped around: pixel {pixel} became {shown}. uint8 arithmetic wraps past 255 and "
                    "below 0; convert to a wider integer type before adding, then clip."
                )
            if values == _brightened_through(image, amount, np.int8):
                raise NotYet(
                    f"{call} turned pixel {pixel} into {shown}, expected {expected[bad]}: int8 holds only -128 to "
                    "127, so the conversion already changed every pixel above 127. Convert to a type that holds "
                    "all of 0-255 and the sums."
                )
            raise NotYet(
                f"{call} turned pixel {pixel} into {safe_repr(shown)}, expected {expected[bad]}. Add, then keep "
                "every value between 0 and 255."
            )
        if not isinstance(result, np.ndarray):
            raise NotYet(
                f"{call} returned the right values as a {type(result).__name__}; expected a numpy array of dtype "
                "uint8, an image like the one it was given (e.g. np.clip(...).astype(np.uint8))"
            )
        dtype = result.dtype  # `got` is float64 whatever came back
        if dtype != np.uint8:
            raise NotYet(
                f"{call} returned the right values with dtype {dtype}; expected dtype uint8, so that the result "
                "is still an image of 0-255 pixels (convert back at the end)"
            )


@exercise(
    "1.3",
    hints=(
        "reshape(-1) reads the image row by row: all of row 0, then all of row 1, and so on. Check on the "
        "3 x 4 grid: at which index does pixel (1, 0) land?",
        "Before pixel (r, c) in the vector come r whole rows of `width` pixels each, and then the c pixels "
        "to its left in its own row.",
        "Add the pixels of those r full rows to the c pixels before it in its row. Indices start at 0, so "
        "pixel (0, 0) lands at index 0.",
    ),
)
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


@exercise(
    "1.4",
    hints=(
        "A dense layer has one weight for every pair (input number, hidden unit): each unit looks at every "
        "input with its own weight.",
        "The inputs are all the numbers of the photo, and a colour photo has 3 per pixel. `coffee.shape` "
        "gives (height, width, channels).",
        "Count the inputs (height x width x channels) and multiply by the 1,000 hidden units; leave the biases out.",
    ),
)
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


# Exercise 1.5: the cat photo's shape, load_photo("chelsea").shape == (300, 451, 3), and the four expressions.
CAT_SHAPE = (300, 451, 3)
EXPRESSIONS_1_5 = ("cat[250]", "cat[100:164, 200:264]", "cat[::2, ::2, 0]", "cat.reshape(-1, 3)")


def _shapes_1_5() -> list[tuple[int, ...]]:
    """What numpy gives for each expression of Exercise 1.5 on an array of the cat's shape."""
    cat = np.zeros(CAT_SHAPE, dtype=np.uint8)
    return [cat[250].shape, cat[100:164, 200:264].shape, cat[::2, ::2, 0].shape, cat.reshape(-1, 3).shape]


def _why_1_5(number: int, got: tuple[int, ...]) -> str:
    """What a likely wrong shape for expression ``number`` of Exercise 1.5 says about the reasoning behind it."""
    height, width, channels = CAT_SHAPE
    pixels = height * width
    likely = [
        {
            (1, width, channels): "an integer index removes its axis; only a slice (250:251) keeps it",
            (height, channels): "the first index picks a row, not a column: rows come first",
            (channels,): "cat[250] fixes the row only; the columns and the channels stay",
            (width,): "nothing picks a channel, so all three stay",
        },
        {
            (65, 65, channels): "a slice stops before its end: 100:164 holds rows 100 to 163",
            (64, 64): "the crop does not index the channels, so all three stay",
            (164, 264, channels): "100:164 starts at row 100: it holds 164 - 100 rows",
        },
        {
            (height // 2, width // 2): f"{width} is odd: ::2 takes columns 0, 2, 4, ... up to {width - 1}",
            (height // 2, width // 2 + 1, channels): "the final 0 is an integer index, which removes the channel axis",
            (height // 2, width // 2 + 1, 1): "the final 0 is an integer index, which removes the channel axis",
            (height, width): "::2 takes every second row and every second column",
        },
        {
            (pixels * channels,): "reshape(-1, 3) asks for two axes; -1 is worked out so that rows of 3 use "
            "up all the numbers",
            (channels, pixels): "the 3 is the second axis: each row holds one pixel's three numbers",
            (pixels,): "the second axis, of length 3, is kept: each row holds one pixel's three numbers",
        },
    ][number]
    return likely.get(got, "count the length of each axis that is left, one axis at a time")


@exercise(
    "1.5",
    hints=(
        "Index one axis at a time, in the order (rows, columns, channels). An integer index removes its axis; "
        "a slice keeps it, with as many entries as it selects; an axis that is not mentioned stays whole.",
        "A slice start:stop holds stop - start entries (stop itself is left out). A step, ::2, takes entries "
        "0, 2, 4, ...: count them carefully when the length is odd.",
        "reshape(-1, 3) keeps the same numbers in a new shape of two axes; the -1 becomes whatever length makes "
        "the total right. Divide the number of entries, height x width x 3, by 3.",
    ),
)
def check_1_5(shapes):
    """Exercise 1.5: the shapes of four expressions on the cat photo, (300, 451, 3), predicted before running."""
    if shapes is None:
        raise NotYet("`shapes` is None: replace None with your list of four shapes")
    if not isinstance(shapes, (list, tuple)):
        raise NotYet(f"`shapes` should be a list of four tuples, one per expression, got {safe_repr(shapes)}")
    if len(shapes) != len(EXPRESSIONS_1_5):
        raise NotYet(
            f"`shapes` should hold {len(EXPRESSIONS_1_5)} shapes, one for each of {', '.join(EXPRESSIONS_1_5)}; "
            f"it holds {len(shapes)}"
        )
    for number, (expression, entry, expected) in enumerate(zip(EXPRESSIONS_1_5, shapes, _shapes_1_5(), strict=True)):
        what = f"the shape of {expression}"
        if isinstance(entry, (int, np.integer)) and not isinstance(entry, bool):
            entry = (entry,)  # a 1-D shape written without its tuple comma
        got = as_shape(entry, what, " The length of an axis is a whole number.")
        if got != expected:
            raise NotYet(f"{what} is not {safe_repr(got)}: {_why_1_5(number, got)}.")
