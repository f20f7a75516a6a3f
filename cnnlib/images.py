"""Pixels as numbers: scale 0-255 pixels to [0, 1] floats, turn RGB into grayscale, make a drawing a digit.

A uint8 image holds whole numbers from 0 (black) to 255 (white). Networks
train better on small floats, so :func:`scale_pixels` divides by 255. A colour
image has a third axis of 3 values per pixel (red, green, blue);
:func:`rgb_to_gray` mixes them into one brightness per pixel. A drawing pad's
pen strokes become an image with :func:`draw_strokes`, and any drawing of a
digit becomes a 28 x 28 image made as MNIST's were with :func:`to_mnist_digit`.
"""

from __future__ import annotations

import numpy as np

from ._validation import as_float_array, describe

BT601_WEIGHTS = (0.299, 0.587, 0.114)
"""Luma weights of red, green and blue in ITU-R BT.601; they add up to 1."""


def scale_pixels(images) -> np.ndarray:
    """Scale integer pixels 0-255 to floats in [0, 1]: ``images / 255``.

    Parameters
    ----------
    images : ndarray of any shape, integer dtype (e.g. uint8), values 0 to 255

    Returns
    -------
    scaled : ndarray, same shape, float64, values in [0, 1]
        0 stays 0.0 (black), 255 becomes 1.0 (white).

    Raises
    ------
    TypeError
        If ``images`` does not hold integers (a float array may already be scaled).
    ValueError
        If a value is below 0 or above 255.

    Examples
    --------
    >>> scale_pixels(np.array([0, 51, 255], dtype=np.uint8))
    array([0. , 0.2, 1. ])
    >>> scale_pixels(np.zeros((100, 28, 28), dtype=np.uint8)).shape
    (100, 28, 28)
    """
    if images is None or isinstance(images, (str, bytes)):
        raise TypeError(f"`images` must be an array of integer pixels 0-255 (e.g. uint8), got {describe(images)}")
    try:
        images = np.asarray(images)
    except (ValueError, TypeError) as error:  # ragged nested lists
        raise TypeError(f"`images` must be an array with a regular shape, got {describe(images)} ({error})") from None
    if images.dtype.kind not in "ui":
        hint = " (a float array may already be scaled: use it as it is)" if images.dtype.kind == "f" else ""
        raise TypeError(
            f"`images` must hold integer pixels 0-255 (e.g. uint8), got an array of dtype {images.dtype}{hint}"
        )
    if images.size and (images.min() < 0 or images.max() > 255):
        raise ValueError(f"`images` must hold pixels from 0 to 255, got values from {images.min()} to {images.max()}")
    return images.astype(np.float64) / 255.0


def rgb_to_gray(image) -> np.ndarray:
    """Turn RGB pixels into gray levels with the ITU-R BT.601 luma weights.

    ``gray = 0.299 * red + 0.587 * green + 0.114 * blue``: green counts most
    because our eyes are most sensitive to it, blue least.

    Parameters
    ----------
    image : ndarray, shape (..., 3), e.g. (H, W, 3) or (N, H, W, 3)
        Channels last, in the order (red, green, blue), as :func:`cnnlib.data.load_photo` returns them.

    Returns
    -------
    gray : ndarray, shape (...), e.g. (H, W), float64
        In the units of the input: 0-255 pixels give 0-255 gray levels (the
        weights add up to 1, so white stays 255). Not rounded; for whole
        numbers use ``np.rint(gray).astype(np.uint8)``.

    Notes
    -----
    The weights apply to the stored (gamma-encoded) values, as in JPEG and
    Pillow's ``Image.convert("L")``. ``skimage.color.rgb2gray`` uses the
    BT.709 weights (0.2125, 0.7154, 0.0721) instead, so its grays differ a little.

    Examples
    --------
    >>> rgb_to_gray(np.array([255, 255, 255]))  # white
    array(255.)
    >>> rgb_to_gray(np.zeros((512, 512, 3), dtype=np.uint8)).shape
    (512, 512)
    """
    image = as_float_array(image, "image", min_ndim=1, layout="(..., 3)")
    if image.shape[-1] != 3:
        hint = " (channels first? use np.moveaxis(image, 0, -1))" if image.shape[0] == 3 else ""
        raise ValueError(
            f"`image` must have 3 colour values (red, green, blue) on its last axis, shape (..., 3), "
            f"got {describe(image)}{hint}"
        )
    # Weights in thousandths, divided at the end, so that white (255, 255, 255) gives exactly 255.0.
    return np.asarray(image @ (1000 * np.array(BT601_WEIGHTS)).round() / 1000)


MNIST_SIDE = 28
"""Side of an MNIST digit image, in pixels."""
MNIST_BOX = 20
"""Side of the box MNIST scaled each digit's bounding box to fit (keeping its aspect ratio)."""


def to_mnist_digit(drawing) -> np.ndarray:
    """Turn any drawing of a digit into a 28 x 28 image made the way MNIST's digits were made.

    MNIST took each written digit, scaled its bounding box to fit a 20 x 20 box (keeping its
    aspect ratio, averaging the area each new pixel covers, which anti-aliases the strokes) and
    placed it in a 28 x 28 field so that its centre of mass lies at the centre. A network trained
    on MNIST expects exactly that; a digit drawn small, large or off centre on a canvas does not
    look like it until it is made the same way.

    Parameters
    ----------
    drawing : ndarray, shape (H, W)
        Ink bright on a dark background, any size, the digit anywhere; values 0-255 (pixels) or
        0-1 (a drawing pad). Any 2-D numeric array of values >= 0.

    Returns
    -------
    digit : ndarray, shape (28, 28), float64, values in [0, 1]
        The digit's bounding box scaled so its longer side is 20 pixels, with its centre of mass
        moved to pixel (14, 14) (rounded to a whole pixel, as MNIST did), brightest ink 1.0.

    Raises
    ------
    ValueError
        If the drawing is blank (no ink), or holds negative, NaN or infinite values.

    Examples
    --------
    >>> canvas = np.zeros((200, 300))
    >>> canvas[20:120, 40:60] = 255           # a thick vertical bar, far from the centre
    >>> digit = to_mnist_digit(canvas)
    >>> digit.shape, float(digit.max())
    ((28, 28), 1.0)
    >>> np.argwhere(digit > 0.5).min(axis=0).tolist(), np.argwhere(digit > 0.5).max(axis=0).tolist()
    ([4, 12], [23, 15])
    """
    drawing = as_float_array(drawing, "drawing", ndim=2, layout="(H, W)")
    if not np.isfinite(drawing).all():
        bad = np.count_nonzero(~np.isfinite(drawing))
        raise ValueError(f"`drawing` must hold finite values >= 0 (ink bright), got {bad} NaN or infinite values")
    if drawing.min() < 0:
        raise ValueError(
            f"`drawing` must hold finite values >= 0 (ink bright), got values from "
            f"{drawing.min():g} to {drawing.max():g}"
        )
    if drawing.max() == 0:
        raise ValueError("`drawing` is blank (no ink anywhere): draw a digit first")
    rows, cols = np.flatnonzero(drawing.any(axis=1)), np.flatnonzero(drawing.any(axis=0))
    ink = drawing[rows[0] : rows[-1] + 1, cols[0] : cols[-1] + 1]
    scale = MNIST_BOX / max(ink.shape)
    height, width = (max(1, round(side * scale)) for side in ink.shape)
    boxed = _area_resample(height, ink.shape[0]) @ ink @ _area_resample(width, ink.shape[1]).T
    boxed /= boxed.max()
    # centre of mass to (14, 14): MNIST's digits average 13.99 and 14.00 over the test set
    mass = boxed.sum()
    com_row = (boxed.sum(axis=1) @ np.arange(height)) / mass
    com_col = (boxed.sum(axis=0) @ np.arange(width)) / mass
    top = int(np.clip(round(MNIST_SIDE / 2 - com_row), 0, MNIST_SIDE - height))
    left = int(np.clip(round(MNIST_SIDE / 2 - com_col), 0, MNIST_SIDE - width))
    digit = np.zeros((MNIST_SIDE, MNIST_SIDE))
    digit[top : top + height, left : left + width] = boxed
    return digit


def _area_resample(out_size: int, in_size: int) -> np.ndarray:
    """Matrix (out_size, in_size) whose row i averages the input over the span output pixel i covers.

    Output pixel i covers ``[i, i + 1) * in_size / out_size`` of the input; each input pixel
    counts by how much of it lies in that span. Used on both axes, this is area averaging (a box
    filter), so shrinking never drops a thin stroke the way picking every n-th pixel would.
    """
    edges = np.arange(out_size + 1) * (in_size / out_size)
    starts, ends = edges[:-1, None], edges[1:, None]
    pixels = np.arange(in_size)[None, :]
    overlap = np.clip(np.minimum(ends, pixels + 1) - np.maximum(starts, pixels), 0, None)
    return overlap / (in_size / out_size)


def draw_strokes(strokes, shape, width=20.0) -> np.ndarray:
    """Rasterise pen strokes into a gray image: ink 1.0 on 0.0, lines of the given width.

    What a drawing pad shows, in plain numpy: each stroke is a list of points the pen passed
    through, joined by straight segments with round ends; a pixel is inked where its centre lies
    within ``width / 2`` of a segment, with a one-pixel soft edge (anti-aliasing).

    Parameters
    ----------
    strokes : sequence of sequences of (x, y)
        Each stroke the points of one pen-down ... pen-up, in canvas pixels: x to the right
        (column), y down (row), as a mouse reports them. A stroke of one point is a dot.
    shape : (int, int)
        (H, W) of the canvas.
    width : float, default 20.0
        Line width in pixels, > 0.

    Returns
    -------
    image : ndarray, shape (H, W), float64, values in [0, 1]

    Examples
    --------
    >>> image = draw_strokes([[(10, 5), (10, 25)]], (30, 20), width=4)   # a vertical line at x = 10
    >>> image.shape, float(image[15, 10]), float(image[15, 3])
    ((30, 20), 1.0, 0.0)
    >>> np.flatnonzero(image[15] == 1).tolist()
    [9, 10, 11]
    """
    height, breadth = (int(side) for side in shape)
    if height < 1 or breadth < 1:
        raise ValueError(f"`shape` must be (H, W) with H, W >= 1, got {tuple(shape)}")
    if not width > 0:
        raise ValueError(f"`width` must be > 0, got {width!r}")
    image = np.zeros((height, breadth))
    radius = width / 2
    for stroke in strokes:
        points = np.asarray(stroke, dtype=np.float64).reshape(-1, 2)
        if len(points) == 0:
            continue
        if len(points) == 1:
            points = np.vstack([points, points])
        for (x0, y0), (x1, y1) in zip(points[:-1], points[1:], strict=True):
            _ink_segment(image, x0, y0, x1, y1, radius)
    return image


def _ink_segment(image, x0, y0, x1, y1, radius) -> None:
    """Ink, in place (keeping the darker of old and new), the pixels within ``radius`` of segment (x0, y0)-(x1, y1)."""
    top = max(0, int(np.floor(min(y0, y1) - radius - 1)))
    bottom = min(image.shape[0], int(np.ceil(max(y0, y1) + radius + 2)))
    left = max(0, int(np.floor(min(x0, x1) - radius - 1)))
    right = min(image.shape[1], int(np.ceil(max(x0, x1) + radius + 2)))
    if top >= bottom or left >= right:
        return
    rows, cols = np.mgrid[top:bottom, left:right].astype(np.float64)
    dx, dy = x1 - x0, y1 - y0
    length2 = dx * dx + dy * dy
    t = 0.0 if length2 == 0 else np.clip(((cols - x0) * dx + (rows - y0) * dy) / length2, 0, 1)
    distance = np.hypot(cols - (x0 + t * dx), rows - (y0 + t * dy))
    ink = np.clip(radius + 0.5 - distance, 0, 1)
    np.maximum(image[top:bottom, left:right], ink, out=image[top:bottom, left:right])
