"""Checkers for notebook 09 (features at each layer).

Expected values come from independent references: ``np.corrcoef`` for the
cosine similarity of two mean-removed filters (it is their correlation
coefficient), a plain Python loop for the most active image, and the output
size formula ``(n - k) // s + 1`` for the shapes.
"""

from __future__ import annotations

import numpy as np

from ._answers import as_number, whole_number
from ._feedback import NotYet, call_learner, exercise, safe_repr

__all__ = ["check_9_1", "check_9_2", "check_9_3"]

_SOBEL_X = np.array([[-1.0, 0.0, 1.0], [-2.0, 0.0, 2.0], [-1.0, 0.0, 1.0]])
_LAPLACIAN = np.array([[0.0, 1.0, 0.0], [1.0, -4.0, 1.0], [0.0, 1.0, 0.0]])
_COUNTING = np.arange(1.0, 10.0).reshape(3, 3)
_RNG_9_1 = np.random.default_rng(91)

# Exercise 9.1: pairs of 3 x 3 filters. By hand: Sobel x plus 3 is still Sobel x (cosine 1); Sobel x and
# Sobel y are at right angles (0); -Laplacian / 2 is the Laplacian with light and dark swapped (-1); the
# counting filter minus its mean 5 is [[-4, -3, -2], [-1, 0, 1], [2, 3, 4]], whose dot product with its
# transpose is 36 and whose squared length is 60, so cosine 0.6. Then random filters with non-zero means.
PAIRS_9_1 = (
    (_SOBEL_X + 3.0, _SOBEL_X),
    (_SOBEL_X, 2.0 * _SOBEL_X.T),
    (_LAPLACIAN, -0.5 * _LAPLACIAN),
    (_COUNTING, _COUNTING.T),
    *((_RNG_9_1.normal(0.4, 1.0, (3, 3)), _RNG_9_1.normal(-0.3, 2.0, (3, 3))) for _ in range(3)),
)

# Exercise 9.3: the face network's layers, (name, kind, filters, window); a 3 x 3 convolution has no padding
# and stride 1, a 2 x 2 max pooling has stride 2.
FACE_LAYERS_9_3 = (
    ("conv1", "conv", 4, 3),
    ("relu1", "relu", None, None),
    ("pool1", "pool", None, 2),
    ("conv2", "conv", 8, 3),
    ("relu2", "relu", None, None),
    ("pool2", "pool", None, 2),
    ("flatten", "flatten", None, None),
)
SIDE_9_3 = 32


def face_network_shapes(side: int) -> list[tuple[int, ...]]:
    """Per-image shapes after each layer of the face network for a ``side`` x ``side`` grayscale image."""
    channels, shapes = 1, []
    for _, kind, filters, window in FACE_LAYERS_9_3:
        if kind == "conv":
            channels, side = filters, (side - window) // 1 + 1
        elif kind == "pool":
            side = (side - window) // window + 1
        if kind == "flatten":
            shapes.append((channels * side * side,))
        else:
            shapes.append((channels, side, side))
    return shapes


def _text(filter_3x3) -> str:
    # + 0.0 turns -0.0 into 0.0, so the message shows no "-0."
    return np.array2string(filter_3x3 + 0.0, precision=2, separator=", ").replace("\n", "")


def _cosine(a, b) -> float:
    a, b = a.ravel(), b.ravel()
    return float(a @ b / (np.linalg.norm(a) * np.linalg.norm(b)))


def _mistakes_9_1(a, b):
    """(value, explanation) of the usual wrong ways to compute the similarity of ``a`` and ``b``."""
    centred_a, centred_b = a - a.mean(), b - b.mean()
    joint = np.concatenate([a.ravel(), b.ravel()]).mean()
    return (
        (
            float(a.ravel() @ b.ravel()),
            "that is the plain dot product: remove each filter's mean, then divide by the product of the lengths",
        ),
        (_cosine(a, b), "you did not remove the means: subtract each filter's own mean before comparing"),
        (
            float(centred_a.ravel() @ centred_b.ravel()),
            "that is the dot product of the mean-removed filters; "
            "divide it by the product of their lengths (np.linalg.norm)",
        ),
        (
            abs(float(np.corrcoef(a.ravel(), b.ravel())[0, 1])),
            "keep the sign: -1 means the same pattern with light and dark swapped",
        ),
        (_cosine(a - joint, b - joint), "remove each filter's own mean, not the mean of both together"),
    )


@exercise(
    "9.1",
    hints=(
        "Removing each filter's mean makes the comparison ignore its overall brightness: subtract a's mean "
        "from a and b's mean from b, into new arrays.",
        "The cosine is the dot product of the two mean-removed filters (multiply element by element, then "
        "add everything up) divided by the product of their lengths.",
        "np.linalg.norm gives a filter's length. Return that quotient as one number, and write a = a - ... "
        "rather than a -= ..., which would change the caller's filter.",
    ),
)
def check_9_1(cosine_similarity):
    """Exercise 9.1: ``cosine_similarity(a, b)`` of two 3 x 3 filters after removing each one's mean."""
    answers = []
    for a, b in PAIRS_9_1:
        given_a, given_b = a.copy(), b.copy()
        got = call_learner(cosine_similarity, given_a, given_b, name="cosine_similarity")
        if not (np.array_equal(given_a, a) and np.array_equal(given_b, b)):
            raise NotYet(
                "cosine_similarity changed the filters it was given (`a -= a.mean()` works in place). "
                "Write `a = a - a.mean()` instead: the caller still needs its filters."
            )
        answers.append(as_number(got, "cosine_similarity(a, b)", squeeze=True, finite=False))
    expected = [float(np.corrcoef(a.ravel(), b.ravel())[0, 1]) for a, b in PAIRS_9_1]
    wrong = [
        k for k, (value, right) in enumerate(zip(answers, expected, strict=True)) if not abs(value - right) <= 1e-6
    ]
    if not wrong:
        return
    first = wrong[0]
    a, b = PAIRS_9_1[first]
    value = answers[first]
    # the explanation that fits every pair the answer got wrong
    explained = [
        [text for target, text in _mistakes_9_1(*PAIRS_9_1[k]) if abs(answers[k] - target) <= 1e-6] for k in wrong
    ]
    fitting = [text for text in explained[0] if all(text in texts for texts in explained)]
    if value != value:
        message = "it is NaN: check for a division by zero (the length of a filter after removing its mean)"
    elif fitting:
        message = fitting[0]
    elif abs(value) > 1 + 1e-9:
        message = "a cosine lies between -1 and 1: divide by the product of the two lengths"
    else:
        message = (
            "that is not the cosine of the two mean-removed filters (their dot product divided by "
            "the product of their lengths)"
        )
    raise NotYet(f"for a = {_text(a)}, b = {_text(b)} you returned {value:.4g}; {message}.")


def _maps_9_2():
    """(maps, c) cases for Exercise 9.2: a spike, random maps, then negative maps and a tie, checkable by hand."""
    rng = np.random.default_rng(92)
    # A tie: images 1 and 3 share channel 2's largest value, 5.0; the first of them, 1, is the answer.
    tie = rng.uniform(-1, 1, (5, 3, 4, 4))
    tie[1, 2, 0, 3] = tie[3, 2, 2, 1] = 5.0
    tie[4, 0, 1, 1] = 9.0  # channel 0 holds a larger value elsewhere: the channel matters
    # Negative maps (a convolution's output before ReLU), channel 1: image 2 has the largest value, -0.5, in a
    # map that is otherwise -3; image 3 is -0.8 everywhere (the largest mean); clipping at 0 ties them all at 0.
    negative = -rng.uniform(1.0, 3.0, (4, 2, 3, 3))
    negative[2, 1] = -3.0
    negative[2, 1, 1, 2] = -0.5
    negative[3, 1] = -0.8
    negative[1, 0] = -3.0  # image 1's own channels: channel 1 peaks higher than channel 0
    # One image with a single spike beats images that are large everywhere (max, not mean).
    spike = rng.uniform(0.0, 1.0, (6, 4, 5, 5))
    spike[:, 3] += 2.0
    spike[4, 3] -= 1.5
    spike[4, 3, 2, 2] = 10.0
    randoms = [
        (rng.normal(size=shape), int(rng.integers(shape[1]))) for shape in ((7, 3, 6, 5), (3, 5, 2, 8), (1, 2, 3, 3))
    ]
    # Ordinary maps first, the special ones last, so that each answer gets the message about its own mistake:
    # clipping at 0 shows only on negative maps, taking the last of equal values only on a tie.
    return [(spike, 3), *randoms, (negative, 1), (tie, 2)]


def _most_active_by_loop(maps, c) -> int:
    best, best_index = None, None
    for n in range(maps.shape[0]):
        peak = max(float(v) for v in maps[n, c].ravel())
        if best is None or peak > best:
            best, best_index = peak, n
    return best_index


@exercise(
    "9.2",
    hints=(
        "maps[:, c] is channel c of every image at once, an array of shape (N, H, W).",
        "For each image take the largest value of its channel-c map, the maximum over the H and W axes: that "
        "gives N numbers, one per image.",
        "The answer is the position of the largest of those N numbers; np.argmax gives the first one on a "
        "tie. Compare the values as they are, negative ones included.",
    ),
)
def check_9_2(most_active_image):
    """Exercise 9.2: ``most_active_image(maps, c)``, the image whose channel c has the largest value."""
    cases = _maps_9_2()
    answers = []
    for maps, c in cases:
        given = maps.copy()
        got = call_learner(most_active_image, given, c, name="most_active_image")
        if not np.array_equal(given, maps):
            raise NotYet("most_active_image changed the maps it was given; return an index and leave them as they were")
        if isinstance(got, np.ndarray):
            if got.size != 1:
                raise NotYet(
                    f"most_active_image returned an array of shape {got.shape}; return one image index (an int)"
                )
            got = got.reshape(())  # one index in a 1-element array counts
        answers.append(whole_number(got, "most_active_image(maps, c)"))
    expected = [_most_active_by_loop(maps, c) for maps, c in cases]
    if answers == expected:
        return
    first = next(k for k, (got, right) in enumerate(zip(answers, expected, strict=True)) if got != right)
    maps, c = cases[first]
    index, n = answers[first], maps.shape[0]
    where = f"for maps of shape {maps.shape} and c = {c} you returned {index}"
    # the explanation of a wrong rule that gives the learner's answer on every case
    for rule, explanation in _WRONG_RULES_9_2:
        if all(rule(m, channel) == got for (m, channel), got in zip(cases, answers, strict=True)):
            raise NotYet(f"{where}{explanation.format(c=c)}")
    if not 0 <= index < n:
        raise NotYet(f"{where}, but there are {n} images, numbered 0 to {n - 1}")
    peaks = maps[:, c].reshape(n, -1).max(axis=1)
    if peaks[index] == peaks[expected[first]]:
        raise NotYet(f"{where}: images {expected[first]} and {index} tie for the largest value; return the first")
    raise NotYet(
        f"{where}, whose channel {c} peaks at {peaks[index]:.3g}; another image's channel {c} goes higher. "
        "Take the maximum over positions (H and W) of each image's map, then the image with the largest one."
    )


def _argmax_of(values) -> int:
    return int(np.argmax(values))


def _peaks(maps, c):
    return maps[:, c].reshape(maps.shape[0], -1).max(axis=1)


# Exercise 9.2: the usual wrong rules, (maps, c) -> the index they give (None where they cannot apply), and what
# the message says after "for maps of shape ... you returned 3".
_WRONG_RULES_9_2 = (
    (
        lambda maps, c: _argmax_of(maps[:, c]),
        ", a position in the flattened maps of channel {c}; take the maximum of each image's map first, then "
        "pick the image",
    ),
    (
        lambda maps, c: _argmax_of(maps[:, c].mean(axis=(1, 2))),
        ", the image with the largest *mean* (or sum) of channel {c}; the exercise ranks images by the maximum "
        "over positions",
    ),
    (
        lambda maps, c: _argmax_of(maps.reshape(maps.shape[0], -1).max(axis=1)),
        ", the image with the largest value in any channel; rank the images by channel {c} only, `maps[:, c]`",
    ),
    (
        lambda maps, c: _argmax_of(maps[c].reshape(maps.shape[1], -1).max(axis=1)) if c < maps.shape[0] else None,
        ": `maps[c]` is image c; channel c of every image is `maps[:, c]`",
    ),
    (
        lambda maps, c: _argmax_of(maps[:, :, c].reshape(maps.shape[0], -1).max(axis=1)) if c < maps.shape[2] else None,
        ": `maps[:, :, c]` is row c of every channel (axis 2 is the height); channel c of every image is `maps[:, c]`",
    ),
    (
        lambda maps, c: _argmax_of(np.maximum(_peaks(maps, c), 0)),
        ": where every value of channel {c} is negative (as in a convolution's output before ReLU), the largest "
        "is the one closest to 0; compare the values as they are, without clipping them at 0",
    ),
    (
        lambda maps, c: _argmax_of(np.abs(maps[:, c]).reshape(maps.shape[0], -1).max(axis=1)),
        ": you compared sizes without their sign (abs); the largest value is the most positive one",
    ),
    (
        lambda maps, c: int(np.argmin(_peaks(maps, c))),
        ", the image whose channel {c} peaks *lowest*; the exercise asks for the highest",
    ),
    (
        lambda maps, c: int(np.flatnonzero(_peaks(maps, c) == _peaks(maps, c).max())[-1]),
        ": on a tie for the largest value, return the first of the images (np.argmax does), not the last",
    ),
)


def _shape(entry, k: int, name: str) -> tuple[int, ...]:
    if isinstance(entry, np.ndarray) and entry.ndim == 1:
        entry = entry.tolist()
    if not isinstance(entry, (tuple, list)) or not entry:
        raise NotYet(
            f"shape {k} (after {name}) should be a tuple of whole numbers such as (C, H, W), got {safe_repr(entry)}"
        )
    return tuple(whole_number(v, f"an entry of shape {k} (after {name})") for v in entry)


@exercise(
    "9.3",
    hints=(
        "Go layer by layer from the image, (1, 32, 32). A 3 x 3 convolution without padding shrinks each side "
        "by 2 and makes one map per filter.",
        "ReLU keeps the shape. 2 x 2 pooling with stride 2 halves each side and rounds down: an odd side drops "
        "its last row and column.",
        "conv1 has 4 filters and conv2 has 8. After flatten the shape has one number: channels x height x "
        "width of pool2's output.",
    ),
)
def check_9_3(shapes_32):
    """Exercise 9.3: the per-image shapes after each layer of the face network for a 32 x 32 image."""
    if shapes_32 is None:
        raise NotYet("`shapes_32` is None: replace None with your list of shapes")
    names = [name for name, *_ in FACE_LAYERS_9_3]
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
    expected = face_network_shapes(SIDE_9_3)
    if got == expected:
        return
    if got == face_network_shapes(25):
        raise NotYet("those are the shapes for the 25 × 25 faces; this exercise asks about a 32 × 32 image")
    k = next(k for k in range(len(names)) if got[k] != expected[k])
    name, kind, filters, window = FACE_LAYERS_9_3[k]
    mine, right = got[k], expected[k]
    before = (1, SIDE_9_3, SIDE_9_3) if k == 0 else expected[k - 1]
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
