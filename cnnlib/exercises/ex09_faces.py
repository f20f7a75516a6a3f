"""Checkers for notebook 09 (features at each layer), second part: the face network.

9.4 predicts the face network's shapes on a larger image, 9.5 writes the occlusion map the notebook draws with
``cnnlib.attribution.occlusion`` (switched off while the learner's function runs). Expected values come from the
output size formula ``(n - k) // s + 1`` for the shapes, and from a plain loop for the occlusion map: one covered
copy of the image per pixel, the square cut off at the borders by hand (the tests check that
``cnnlib.attribution.occlusion`` agrees with it).
"""

from __future__ import annotations

import functools

import numpy as np

from ._answers import as_answer_array, mismatches, shown_apart, whole_number
from ._feedback import NotYet, call_learner, exercise, safe_repr
from ._shortcuts import Shortcuts

__all__ = ["check_9_4", "check_9_5"]

# Exercise 9.4: the face network's layers, (name, kind, filters, window); a 3 x 3 convolution has no padding
# and stride 1, a 2 x 2 max pooling has stride 2.
FACE_LAYERS_9_4 = (
    ("conv1", "conv", 4, 3),
    ("relu1", "relu", None, None),
    ("pool1", "pool", None, 2),
    ("conv2", "conv", 8, 3),
    ("relu2", "relu", None, None),
    ("pool2", "pool", None, 2),
    ("flatten", "flatten", None, None),
)
SIDE_9_4 = 32

# Exercise 9.5: (image shape, class, side of the square, seed of the network and image). The images are not
# square, so that rows and columns swapped show; side 1 is a single pixel. The seeds give a P(class) between 0.3
# and 0.6 for the whole image, and drops of up to 0.2 or more when a square is hidden under the image's mean gray,
# so that every usual mistake is off by more than 0.1 somewhere.
CASES_9_5 = (((9, 12), 2, 3, 108), ((11, 8), 0, 5, 96), ((9, 12), 1, 1, 92))
# A drop is a difference of two probabilities, each between 0 and 1: computed in float32 (an image cast to float32,
# say) it is right to about 1e-7, so an entry may be this far off. Every usual mistake is off by more than 0.05.
TOLERANCE_9_5 = 1e-6


def face_network_shapes(side: int) -> list[tuple[int, ...]]:
    """Per-image shapes after each layer of the face network for a ``side`` x ``side`` grayscale image."""
    channels, shapes = 1, []
    for _, kind, filters, window in FACE_LAYERS_9_4:
        if kind == "conv":
            channels, side = filters, (side - window) // 1 + 1
        elif kind == "pool":
            side = (side - window) // window + 1
        if kind == "flatten":
            shapes.append((channels * side * side,))
        else:
            shapes.append((channels, side, side))
    return shapes


def _shape(entry, k: int, name: str) -> tuple[int, ...]:
    if isinstance(entry, np.ndarray) and entry.ndim == 1:
        entry = entry.tolist()
    if not isinstance(entry, (tuple, list)) or not entry:
        example = "(D,), a tuple of one number" if name == "flatten" else "(C, H, W)"
        comma = (
            f". In Python ({safe_repr(entry)}) is just the number {safe_repr(entry)}: a tuple of one number needs a "
            f"comma, ({safe_repr(entry)},)"
            if isinstance(entry, (int, np.integer)) and not isinstance(entry, bool)
            else ""
        )
        raise NotYet(
            f"shape {k} (after {name}) should be a tuple of whole numbers such as {example}, got "
            f"{safe_repr(entry)}{comma}"
        )
    return tuple(whole_number(v, f"an entry of shape {k} (after {name})") for v in entry)


@exercise(
    "9.4",
    hints=(
        "Go layer by layer from the image, (1, 32, 32). A 3 x 3 convolution without padding shrinks each side "
        "by 2 and makes one map per filter.",
        "ReLU keeps the shape. 2 x 2 pooling with stride 2 halves each side and rounds down: an odd side drops "
        "its last row and column.",
        "conv1 has 4 filters and conv2 has 8. After flatten the shape has one number: channels x height x "
        "width of pool2's output.",
    ),
)
def check_9_4(shapes_32):
    """Exercise 9.4: the per-image shapes after each layer of the face network for a 32 x 32 image."""
    if shapes_32 is None:
        raise NotYet("`shapes_32` is None: replace None with your list of shapes")
    names = [name for name, *_ in FACE_LAYERS_9_4]
    if not isinstance(shapes_32, (list, tuple)):
        raise NotYet(f"`shapes_32` should be a list of {len(names)} tuples, got {safe_repr(shapes_32)}")
    if len(shapes_32) != len(names):
        hint = ""
        if len(shapes_32) == len(names) + 1:
            hint = " Leave out the input image and the dense layer: start at conv1, end at flatten."
        raise NotYet(
            f"`shapes_32` should hold {len(names)} shapes, one after each of {', '.join(names)}; "
            f"got {len(shapes_32)}.{hint}"
        )
    got = [_shape(entry, k, name) for k, (entry, name) in enumerate(zip(shapes_32, names, strict=True))]
    expected = face_network_shapes(SIDE_9_4)
    if got == expected:
        return
    if got == face_network_shapes(25):
        raise NotYet("those are the shapes for the 25 × 25 faces; this exercise asks about a 32 × 32 image")
    k = next(k for k in range(len(names)) if got[k] != expected[k])
    name, kind, filters, window = FACE_LAYERS_9_4[k]
    mine, right = got[k], expected[k]
    before = (1, SIDE_9_4, SIDE_9_4) if k == 0 else expected[k - 1]
    start = f"shape {k} (after {name}) is {mine}, which is not right: "
    if len(mine) == len(right) + 1 and mine[0] == 1:
        raise NotYet(start + "leave out the batch axis, give the shape for one image")
    if kind == "flatten":
        if len(mine) == 1:
            raise NotYet(
                start + "flatten keeps every value of pool2's maps: its one entry is the number of "
                "channels × height × width"
            )
        raise NotYet(start + "flatten lines every value up in one vector, so its shape has a single entry")
    if len(mine) != 3:
        raise NotYet(start + "a stack of feature maps has three numbers, (channels, height, width)")
    if mine != right and mine == (right[1], right[2], right[0]):
        raise NotYet(start + "the numbers are right but in the wrong order: cnnlib writes (channels, height, width)")
    if kind == "relu":
        raise NotYet(start + "ReLU works value by value, so it keeps the shape of its input")
    if kind == "conv":
        if mine[0] != filters:
            raise NotYet(start + f"{name} has {filters} filters, and each filter makes one map")
        if mine[1:] == before[1:]:
            raise NotYet(start + "these convolutions use no padding, so a 3 × 3 filter shrinks each side")
        raise NotYet(start + "with no padding and stride 1, a filter of side k fits n - k + 1 times along n pixels")
    if mine[0] != before[0]:
        raise NotYet(start + "pooling works on each map separately, so it keeps the number of channels")
    if mine[1] == -(-before[1] // window):
        raise NotYet(
            start + f"an odd side does not split into whole {window} × {window} windows: the last row and "
            "column are dropped (round down)"
        )
    raise NotYet(start + f"{window} × {window} pooling with stride {window} keeps one value per window")


def _case_9_5(number: int):
    """(network, image) of Exercise 9.5's case ``number``: a small seeded network of three classes, a 0.2-1 image.

    Made afresh for every check: the learner's function gets the network itself and could change it.
    """
    from ..layers import Conv2D, Dense, Flatten, MaxPool2D, ReLU
    from ..network import Sequential

    (height, width), _, _, seed = CASES_9_5[number]
    rng = np.random.default_rng(seed)
    features = 3 * ((height - 2) // 2) * ((width - 2) // 2)
    network = Sequential(Conv2D(1, 3, 3, rng=rng), ReLU(), MaxPool2D(2), Flatten(), Dense(features, 3, rng=rng))
    network.layers[-1].params["w"] *= 2.0  # confident scores, so that covering a square moves them
    return network, rng.uniform(0.2, 1.0, (height, width))


def _covered_scores(
    network, image, label, size, *, corner=False, before=None, after=None, fill="mean", wrap=False, logit=False
):
    """P(label) (or the logit, with ``logit=True``) with a square hidden at each pixel, by a plain loop.

    By default the square is centred on the pixel, rows i - size // 2 to i + size // 2, cut off at the borders,
    and filled with the image's mean (a flat gray patch), as ``cnnlib.attribution.occlusion`` does.
    The keywords give the usual wrong versions: ``corner`` (the pixel is the square's top-left corner),
    ``before`` / ``after`` (pixels covered before and after the centre), ``fill`` (a number: that value instead
    of the mean), ``wrap`` (a negative start used as a Python index, as ``image[i - 1:i + 2]`` does at i = 0).
    """
    before = (0 if corner else size // 2) if before is None else before
    after = (size - 1 if corner else size // 2) if after is None else after
    height, width = image.shape
    value = image.mean() if fill == "mean" else float(fill)
    covered = np.repeat(image[None], height * width, axis=0)
    for k, (i, j) in enumerate(np.ndindex(height, width)):
        top, left = i - before, j - before
        if not wrap:
            top, left = max(top, 0), max(left, 0)
        covered[k, top : i + after + 1, left : j + after + 1] = value
    logits = network.forward(covered[:, None])
    if logit:
        return logits[:, label].reshape(height, width)
    shifted = np.exp(logits - logits.max(axis=1, keepdims=True))
    return (shifted[:, label] / shifted.sum(axis=1)).reshape(height, width)


def _scores(network, image) -> np.ndarray:
    """The logits of the whole image, shape (K,)."""
    return network.forward(image[None, None])[0]


def _probability(network, image, label) -> float:
    logits = _scores(network, image)
    return float(np.exp(logits[label] - np.logaddexp.reduce(logits)))


def _drop_mistakes(network, image, label, size):
    """(map, explanation) of the usual wrong occlusion maps; the first one the answer matches is named."""
    start = _probability(network, image, label)
    half = size // 2
    covered = functools.partial(_covered_scores, network, image, label, size)
    right = start - covered()
    other_classes = [k for k in range(len(_scores(network, image))) if k != label]
    return (
        (
            start - covered(corner=True),
            "your [i, j] hides the square whose top-left corner is (i, j); centre it on (i, j): rows i - size // 2 "
            "to i + size // 2",
        ),
        (covered(), "that is P with the square hidden; the map is the drop, P of the whole image minus that"),
        (-right, "the sign is flipped: the drop is P of the whole image minus P with the square hidden"),
        (
            start - covered(fill=0.0),
            "cover the square with the image's mean (a flat gray patch, as in the notebook), not with 0 (black)",
        ),
        (
            start - covered(wrap=True),
            "near the top and left borders your square is wrong: a negative start such as i - size // 2 < 0 counts "
            "from the end in Python (often an empty slice). Cut the start off at 0, max(i - size // 2, 0)",
        ),
        (
            start - covered(before=half, after=half - 1),
            f"your square has side {size - 1}, one short: the end of a slice is excluded, so go to i + size // 2 + 1",
        ),
        (start - covered(before=half + 1, after=half), f"your square has side {size + 1}: one row and column too many"),
        (start - covered(before=half + 1, after=half + 1), f"your square has side {size + 2}, not {size}"),
        (
            _scores(network, image)[label] - covered(logit=True),
            "those are drops of the score (the logit); the map is of the probability, after softmax",
        ),
        *(
            (
                _probability(network, image, k) - _covered_scores(network, image, k, size),
                f"that is the drop of P(class {k}); the map is of the class `label`, here {label}",
            )
            for k in other_classes
        ),
    )


@exercise(
    "9.5",
    hints=(
        "Make one covered copy of the image per pixel (np.repeat), cover one square in each copy, and run all "
        "the copies through the network in one batch, then softmax. The map has one entry per pixel, (H, W).",
        "The square centred on (i, j) runs from row i - size // 2 to row i + size // 2, both included; near a "
        "border part of it falls outside, and only the rest is covered. Cover it with image.mean().",
        "Clip the start at 0 (a negative index would count from the end) and let the slice end run past the "
        "border, which numpy allows. Take P(label) with softmax, and return P of the whole image minus each "
        "covered P.",
    ),
    forbids=Shortcuts(
        "cnnlib.attribution.occlusion",
        instead="write it yourself, covering one square per copy of the image with a loop",
    ),
)
def check_9_5(occlusion_drop):
    """Exercise 9.5: ``occlusion_drop(network, image, label, size)``, the drop in P(label) per centred square."""
    for number, (shape, label, size, _) in enumerate(CASES_9_5):
        network, image = _case_9_5(number)
        given = image.copy()
        call = f"occlusion_drop(network, image of shape {shape}, label={label}, size={size})"
        result = call_learner(occlusion_drop, network, given, label, size, name="occlusion_drop")
        if not np.array_equal(given, image):
            raise NotYet(f"{call} changed the image it was given; cover a copy of it")
        corner_shape = (shape[0] - size + 1, shape[1] - size + 1)
        got = as_answer_array(
            result,
            f"the result of {call}",
            shape=shape,
            hint={
                corner_shape: ". That is one entry per position where the whole square fits, its top-left corner "
                "inside. Centre the square on each pixel instead, cut off at the borders: one entry per pixel.",
                shape[::-1]: ". Rows and columns are swapped: the map has the image's shape, (H, W).",
            }.get,
            if_none="is None: does your function end with `return` and the map?",
        )
        expected = _probability(network, image, label) - _covered_scores(network, image, label, size)
        wrong = mismatches(got, expected, rtol=0, atol=TOLERANCE_9_5)
        if not wrong:
            continue
        for mistake, explanation in _drop_mistakes(network, image, label, size):
            if not mismatches(got, mistake, rtol=0, atol=TOLERANCE_9_5):
                raise NotYet(f"{call}: {explanation}.")
        i, j = wrong[0]
        shown, right = shown_apart(got[i, j], expected[i, j])
        raise NotYet(
            f"{call}: entry [{i}, {j}] is {shown}, but the drop for the {size} × {size} square centred on "
            f"({i}, {j}), covered with the image's mean, is {right}: P of the whole image minus P of the covered "
            "one (negative where covering raises P)"
        )
