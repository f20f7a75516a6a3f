"""cnnlib.kernels: the classic kernels, whether a kernel is signed, and how alike filters are."""

import numpy as np
import pytest
import scipy.signal
from hypothesis import given
from hypothesis import strategies as st

from cnnlib.kernels import KERNELS, edge_kernels, is_signed_kernel, kernel_similarity

SOBEL_X = np.array([[-1.0, 0.0, 1.0], [-2.0, 0.0, 2.0], [-1.0, 0.0, 1.0]])


# ---------------------------------------------------------------- KERNELS and is_signed_kernel


def test_kernels_are_the_classic_eight_as_read_only_3x3_arrays():
    assert list(KERNELS) == [
        "identity",
        "box blur",
        "Gaussian blur",
        "sharpen",
        "Sobel x",
        "Sobel y",
        "Laplacian",
        "edge",
    ]
    for name, kernel in KERNELS.items():
        assert kernel.shape == (3, 3), name
        with pytest.raises(ValueError):
            kernel[0, 0] = 5.0


def test_kernel_values_worked_by_hand():
    k = KERNELS
    assert k["identity"][1, 1] == 1 and k["identity"].sum() == 1
    np.testing.assert_allclose(k["box blur"], np.full((3, 3), 1 / 9))
    np.testing.assert_allclose(k["Gaussian blur"] * 16, [[1, 2, 1], [2, 4, 2], [1, 2, 1]])
    np.testing.assert_array_equal(k["Sobel y"], k["Sobel x"].T)
    np.testing.assert_array_equal(k["sharpen"], k["identity"] - k["Laplacian"])
    np.testing.assert_array_equal(k["edge"], 9 * k["identity"] - np.ones((3, 3)))


def test_sobel_x_is_positive_where_brightness_rises_to_the_right():
    step = np.tile([0.0, 0, 0, 1, 1, 1], (5, 1))
    assert (scipy.signal.correlate2d(step, KERNELS["Sobel x"], mode="valid") >= 0).all()
    assert scipy.signal.correlate2d(step.T, KERNELS["Sobel y"], mode="valid").max() == 4


@pytest.mark.parametrize(
    ("name", "signed"),
    [
        ("identity", False),
        ("box blur", False),
        ("Gaussian blur", False),
        ("sharpen", False),
        ("Sobel x", True),
        ("Sobel y", True),
        ("Laplacian", True),
        ("edge", True),
    ],
)
def test_is_signed_kernel_for_every_preset(name, signed):
    assert is_signed_kernel(KERNELS[name]) is signed


def test_is_signed_kernel_tolerates_rounding_and_refuses_non_kernels():
    assert is_signed_kernel([[0.1, 0.2, -0.3]])  # 0.1 + 0.2 - 0.3 is not exactly 0 in floats
    assert is_signed_kernel(np.zeros((3, 3)))
    assert not is_signed_kernel([[0.0, 0.01]])
    with pytest.raises(ValueError, match="`kernel` must be 2-D"):
        is_signed_kernel(np.ones(3))


# ---------------------------------------------------------------- kernel_similarity


def test_kernel_similarity_by_hand():
    counting = np.arange(1.0, 10.0).reshape(3, 3)
    # counting - 5 = [[-4, -3, -2], [-1, 0, 1], [2, 3, 4]]; with its transpose: dot 36, squared length 60 -> 0.6
    similarity = kernel_similarity(
        np.stack([SOBEL_X + 5, -2 * SOBEL_X, SOBEL_X.T, counting]), {"Sobel x": SOBEL_X, "counting T": counting.T}
    )
    np.testing.assert_allclose(
        similarity[:, 0], [1.0, -1.0, 0.0, np.corrcoef(counting.ravel(), SOBEL_X.ravel())[0, 1]], atol=1e-12
    )
    assert similarity[3, 1] == pytest.approx(0.6)


def test_kernel_similarity_agrees_with_the_correlation_coefficient():
    rng = np.random.default_rng(1)
    filters, kernels = rng.normal(0.3, 1, (6, 1, 3, 3)), rng.normal(-1, 2, (4, 3, 3))
    expected = [[np.corrcoef(f.ravel(), k.ravel())[0, 1] for k in kernels] for f in filters]
    np.testing.assert_allclose(kernel_similarity(filters, kernels), expected, atol=1e-12)
    as_dict = kernel_similarity(filters, {str(n): k for n, k in enumerate(kernels)})
    np.testing.assert_array_equal(as_dict, kernel_similarity(filters[:, 0], kernels))


@given(st.floats(-100, 100), st.floats(0.01, 100))
def test_kernel_similarity_ignores_brightness_offset_and_scale(offset, scale):
    pattern = np.random.default_rng(2).normal(size=(1, 3, 3))
    assert kernel_similarity(pattern * scale + offset, pattern)[0, 0] == pytest.approx(1.0, abs=1e-9)
    assert kernel_similarity(-pattern * scale + offset, pattern)[0, 0] == pytest.approx(-1.0, abs=1e-9)


@pytest.mark.parametrize(
    ("filters", "kernels", "error", "says"),
    [
        (np.ones((2, 3, 3)), [SOBEL_X], ValueError, "`filters` must not hold a constant one"),
        (np.stack([SOBEL_X]), [np.full((3, 3), 2.0)], ValueError, "`kernels` must not hold a constant one"),
        (np.stack([SOBEL_X]), np.ones((1, 5, 5)) * np.arange(5), ValueError, "one size"),
        (np.zeros((2, 3, 3, 3)), [SOBEL_X], ValueError, "one input channel"),
        (SOBEL_X, [SOBEL_X], ValueError, "`filters` must be 3-D or 4-D"),
        ("filters", [SOBEL_X], TypeError, "`filters`"),
    ],
)
def test_kernel_similarity_names_bad_input(filters, kernels, error, says):
    with pytest.raises(error, match=says):
        kernel_similarity(filters, kernels)


def test_is_signed_kernel_with_a_looser_share():
    nearly = KERNELS["Sobel x"] + 0.01 / 9  # sums to 0.01 against an absolute sum of about 8.01
    assert not is_signed_kernel(nearly) and is_signed_kernel(nearly, share=0.05)
    assert not is_signed_kernel(KERNELS["sharpen"], share=0.05)  # sums to 1 against 9


# ---------------------------------------------------------------- edge_kernels


def test_edge_kernels_match_the_5x5_sobel_and_point_where_their_names_say():
    kernels = edge_kernels()
    assert list(kernels) == ["Sobel x", "diagonal ↘", "Sobel y", "diagonal ↙", "Laplacian"]
    sobel_5 = np.outer([1.0, 4, 6, 4, 1], [-1.0, -2, 0, 2, 1])  # the 5 x 5 Sobel x, by hand
    assert kernel_similarity(kernels["Sobel x"][None], [sobel_5])[0, 0] > 0.99
    assert kernel_similarity(kernels["Sobel y"][None], [sobel_5.T])[0, 0] > 0.99
    np.testing.assert_allclose(kernels["Sobel y"], kernels["Sobel x"].T, atol=1e-12)
    np.testing.assert_allclose(kernels["diagonal ↘"], kernels["diagonal ↘"].T, atol=1e-12)  # symmetric about the ↘ line
    np.testing.assert_allclose(kernels["diagonal ↙"], np.fliplr(kernels["diagonal ↘"]), atol=1e-12)  # the mirror image
    assert kernels["diagonal ↘"][4, 4] > 0 > kernels["diagonal ↘"][0, 0]  # lighter towards the bottom right
    assert kernels["Laplacian"][2, 2] < 0 and kernels["Laplacian"][0, 2] > kernels["Laplacian"][2, 2]
    for name, kernel in kernels.items():
        assert kernel.shape == (5, 5) and abs(kernel.sum()) < 1e-12 and np.abs(kernel).max() == 1, name


def test_edge_kernels_of_side_3_are_notebook_03s_sobel():
    # x * g on a 3 x 3 grid: columns -1, 0, 1 weighted 1 in the centre row and exp(-1 / (2 sigma**2)) above and
    # below; Sobel's 1 : 2 : 1 is that with exp(-1 / (2 sigma**2)) = 1/2, sigma = 1 / sqrt(2 ln 2) = 0.849
    kernels = edge_kernels(3, sigma=1 / np.sqrt(2 * np.log(2)))
    np.testing.assert_allclose(kernels["Sobel x"], KERNELS["Sobel x"] / 2, atol=1e-12)


@pytest.mark.parametrize(("size", "sigma", "says"), [(4, 1.0, "odd int"), (1, 1.0, "odd int"), (5, 0.0, "sigma")])
def test_edge_kernels_refuse_bad_sizes(size, sigma, says):
    with pytest.raises(ValueError, match=says):
        edge_kernels(size, sigma)
