"""cnnlib.plotting.receptive_field: the field of one unit outlined on the input, worked by hand."""

import numpy as np
import pytest
from figure_helpers import ramp

from cnnlib import plotting


def outline(ax, gid):
    (patch,) = [p for p in ax.patches if p.get_gid() == gid]
    return patch.get_x(), patch.get_y(), patch.get_width(), patch.get_height()


@pytest.mark.parametrize(
    ("unit", "size", "step", "square"),
    [
        ((2, 1), 10, 4, (8, 17, 4, 13)),  # after the digit network's pool2: rows 2*4 .. 2*4 + 9
        ((0, 0), 3, 1, (0, 2, 0, 2)),  # after one 3 x 3 convolution
        ((5, 7), 8, 2, (10, 17, 14, 21)),  # after conv2: rows 5*2 .. 5*2 + 7, columns 7*2 .. 7*2 + 7
        ((12, 12), 4, 2, (24, 27, 24, 27)),  # after pool1: the last unit of a 13 x 13 map
    ],
)
def test_field_square_worked_by_hand(unit, size, step, square):
    assert plotting.field_square(unit, size, step, (28, 28)) == square


def test_field_square_is_clipped_to_the_image_and_refuses_units_outside_it():
    assert plotting.field_square((3, 0), 4, 2, (7, 7)) == (6, 6, 0, 3)  # rows 6..9, only row 6 exists
    with pytest.raises(ValueError, match="outside"):
        plotting.field_square((4, 0), 4, 2, (7, 7))


def test_receptive_field_figure_outlines_the_field_and_the_unit():
    image = ramp(28, 28) / 255
    fmap = np.arange(25.0).reshape(5, 5)
    fig = plotting.receptive_field_figure(image, fmap, (2, 1), 10, 4, "pool2")
    ax_in, ax_map = fig.axes[:2]
    # pixels are centred on whole numbers: rows 8..17 span 7.5 .. 17.5
    assert outline(ax_in, "receptive-field") == (3.5, 7.5, 10, 10)
    assert outline(ax_map, "unit") == (0.5, 1.5, 1, 1)
    assert ax_in.images[0].get_cmap().name == "gray"
    assert ax_map.images[0].get_cmap().name == "viridis"  # a non-negative map
    assert "rows 8-17, columns 4-13" in ax_in.get_title()
    assert ax_map.get_title().startswith("pool2, map 0 (5 × 5)")
    assert fig.axes[2].get_ylabel() == "pool2 value"  # the colour bar says what it measures


def test_receptive_field_figure_draws_a_signed_map_centred_on_zero():
    fmap = np.array([[-2.0, 1.0], [0.5, 0.0]])
    ax_map = plotting.receptive_field_figure(np.zeros((4, 4)), fmap, (1, 1), 3, 1, "conv1").axes[1]
    assert ax_map.images[0].get_clim() == (-2.0, 2.0)
    assert len(ax_map.figure.axes) == 3  # the two panels and the colour bar


def test_receptive_field_figure_bad_unit():
    with pytest.raises(ValueError, match="must be a cell of the 5 x 5 map"):
        plotting.receptive_field_figure(np.zeros((28, 28)), np.zeros((5, 5)), (5, 0), 10, 4)
