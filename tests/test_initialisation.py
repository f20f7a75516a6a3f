"""cnnlib.initialisation: the activations of a deep ReLU stack shrink, keep or grow their size as theory says."""

import numpy as np
import pytest

from cnnlib import plotting
from cnnlib.initialisation import activation_spread


@pytest.mark.parametrize("gain", [1.0, 2.0, 4.0])
def test_each_layer_multiplies_the_mean_square_by_half_the_gain(gain):
    # E[relu(z)^2] = Var(z) / 2 for a symmetric z, and Var(z) = gain * the inputs' mean square
    # on average over the weights: one layer's ratio varies by about 5% (its inputs, all >= 0 after a ReLU,
    # share one direction, so the 1000 samples are far from independent), so average over layers and seeds
    ratios = np.concatenate(
        [(lambda rms: rms[1:] ** 2 / rms[:-1] ** 2)(activation_spread(gain, 12, 512, 1000, seed)) for seed in range(4)]
    )
    np.testing.assert_allclose(ratios.mean(), gain / 2, rtol=0.03)
    first = activation_spread(gain, 1, 512, 1000)  # zero-mean normal inputs: close to exact
    np.testing.assert_allclose(first[1] ** 2 / first[0] ** 2, gain / 2, rtol=0.02)


def test_lecun_scale_fades_he_scale_keeps_the_size():
    fading, steady = activation_spread(1.0), activation_spread(2.0)  # 20 layers
    assert fading[-1] < 2e-3 * fading[0]  # 2^-10 ~ 1e-3
    assert 0.7 < steady[-1] / steady[0] < 1.4


def test_activation_spread_is_seeded():
    np.testing.assert_array_equal(activation_spread(2.0, seed=3), activation_spread(2.0, seed=3))
    assert not np.array_equal(activation_spread(2.0, seed=3), activation_spread(2.0, seed=4))


@pytest.mark.parametrize(
    ("kwargs", "error", "says"),
    [
        ({"gain": 0}, ValueError, "`gain`"),
        ({"gain": 1, "depth": 0}, ValueError, "`depth`"),
        ({"gain": "2"}, TypeError, "`gain`"),
    ],
)
def test_activation_spread_names_bad_input(kwargs, error, says):
    with pytest.raises(error, match=says):
        activation_spread(**kwargs)


def test_activation_spread_figure_draws_one_line_per_scale_on_a_log_axis():
    spreads = {"fading": 0.5 ** np.arange(5), "steady": np.ones(5)}
    ax = plotting.activation_spread_figure(spreads).axes[0]
    lines = ax.get_lines()
    assert [line.get_label() for line in lines[:2]] == ["fading", "steady"]
    np.testing.assert_array_equal(lines[0].get_ydata(), spreads["fading"])
    assert ax.get_yscale() == "log" and "4 dense + ReLU layers" in ax.get_title()
    with pytest.raises(TypeError, match="`spreads`"):
        plotting.activation_spread_figure([1, 2])
