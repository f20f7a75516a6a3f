"""The receptive field of notebook 04: the square of input pixels that one unit of a layer depends on.

The input is drawn in gray with the field of the chosen unit outlined, next to the
layer's map (one channel) with that unit outlined. The field itself, ``(size, step)``,
is computed by the core (:func:`cnnlib.receptive_field`, :meth:`cnnlib.network.Sequential.receptive_field`).
"""

from __future__ import annotations

from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

from .._validation import as_float_array, as_int
from .style import add_colorbar, gray_style, map_style, pixel_axes

__all__ = ["field_square", "receptive_field_figure"]

FIELD_COLOR = "#ff7f0e"


def field_square(unit, size, step, shape) -> tuple[int, int, int, int]:
    """The rows and columns of the input that unit ``(i, j)`` sees, clipped to the image.

    Parameters
    ----------
    unit : (int, int)
        Row and column of the unit in its layer's map.
    size, step : int
        The receptive field's side and step (the jump between neighbouring units), in input pixels.
    shape : (H, W)
        The input's shape.

    Returns
    -------
    top, bottom, left, right : int
        The field covers rows ``top`` to ``bottom`` and columns ``left`` to ``right``, both ends
        included: ``top = i * step``, ``bottom = top + size - 1`` (without padding, every layer's
        window starts at the top-left corner).

    Examples
    --------
    >>> field_square((2, 1), size=10, step=4, shape=(28, 28))
    (8, 17, 4, 13)
    """
    i, j = (as_int(v, "unit", minimum=0) for v in unit)
    size, step = as_int(size, "size", minimum=1), as_int(step, "step", minimum=1)
    top, left = i * step, j * step
    if top >= shape[0] or left >= shape[1]:
        raise ValueError(f"`unit` {tuple(unit)} lies outside the {shape[0]} x {shape[1]} input with step {step}")
    return top, min(top + size, shape[0]) - 1, left, min(left + size, shape[1]) - 1


def receptive_field_figure(image, feature_map, unit, size, step, layer="layer") -> Figure:
    """The input with the receptive field of one unit outlined, beside the layer's map with the unit.

    Parameters
    ----------
    image : ndarray, shape (H, W)
        The input, values 0 to 1, drawn in gray.
    feature_map : ndarray, shape (OH, OW)
        One channel of the layer's output; signed maps in the diverging map centred on 0,
        non-negative ones in ``viridis``, with a colour bar.
    unit : (int, int)
        Row and column of the unit in ``feature_map``.
    size, step : int
        Its receptive field: side and step in input pixels.
    layer : str, default "layer"
        The layer's name, for the titles.

    Returns
    -------
    fig : Figure
        Two axes: the input with a rectangle (gid ``"receptive-field"``) over the rows and
        columns of :func:`field_square`, and the map with a rectangle (gid ``"unit"``) on the
        unit's cell.

    Examples
    --------
    >>> import numpy as np
    >>> fig = receptive_field_figure(np.zeros((28, 28)), np.zeros((5, 5)), (2, 1), 10, 4, "pool2")
    >>> [p.get_gid() for ax in fig.axes[:2] for p in ax.patches]
    ['receptive-field', 'unit']
    """
    image = as_float_array(image, "image", ndim=2, layout="(H, W)")
    feature_map = as_float_array(feature_map, "feature_map", ndim=2, layout="(OH, OW)")
    i, j = (as_int(v, "unit", minimum=0) for v in unit)
    if i >= feature_map.shape[0] or j >= feature_map.shape[1]:
        raise ValueError(
            f"`unit` must be a cell of the {feature_map.shape[0]} x {feature_map.shape[1]} map, got {(i, j)}"
        )
    top, bottom, left, right = field_square((i, j), size, step, image.shape)
    fig = Figure(figsize=(9, 4.4), dpi=100, layout="constrained")
    ax_in, ax_map = fig.subplots(1, 2)
    ax_in.imshow(image, **gray_style(0, 1))
    ax_in.add_patch(
        Rectangle(
            (left - 0.5, top - 0.5),
            right - left + 1,
            bottom - top + 1,
            fill=False,
            ec=FIELD_COLOR,
            lw=2.5,
            gid="receptive-field",
        )
    )
    pixel_axes(ax_in)
    ax_in.set_title(
        f"Input {image.shape[0]} × {image.shape[1]}: the unit sees\n"
        f"rows {top}-{bottom}, columns {left}-{right} ({bottom - top + 1} × {right - left + 1})"
    )
    shown = ax_map.imshow(feature_map, **map_style(feature_map))
    add_colorbar(shown, ax_map, label=f"{layer} value")
    ax_map.add_patch(Rectangle((j - 0.5, i - 0.5), 1, 1, fill=False, ec=FIELD_COLOR, lw=2.5, gid="unit"))
    pixel_axes(ax_map)
    ax_map.set_title(
        f"{layer}, map 0 ({feature_map.shape[0]} × {feature_map.shape[1]}):\n"
        f"unit ({i}, {j}), field {size} × {size}, step {step}"
    )
    fig.suptitle("Receptive field: the input pixels one unit depends on", fontsize=13, weight="bold")
    return fig
