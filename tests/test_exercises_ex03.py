"""Exercises of notebook 03: right answers accepted, wrong ones explained without the answer."""

import numpy as np
import pytest
import scipy.signal
from helpers_exercises import BrokenRepr, assert_correct, assert_not_yet, checker_for, raises_not_implemented

from cnnlib import exercises


def correlate_valid(image, kernel):
    """The notebook's cross-correlation loop: every 'valid' position, the kernel as it is."""
    image, kernel = np.asarray(image, dtype=float), np.asarray(kernel, dtype=float)
    kh, kw = kernel.shape
    out = np.zeros((image.shape[0] - kh + 1, image.shape[1] - kw + 1))
    for i in range(out.shape[0]):
        for j in range(out.shape[1]):
            out[i, j] = np.sum(image[i : i + kh, j : j + kw] * kernel)
    return out


def padded(image, top, bottom, left, right):
    return np.pad(np.asarray(image, dtype=float), ((top, bottom), (left, right)))


def convolve_loop(image, kernel):
    """A right answer to Exercise 3.2, from the definition: KH - 1 rows and KW - 1 columns of zeros on every side
    (in a corner only one weight overlaps the image), then the turned kernel at every 'valid' position."""
    kh, kw = np.shape(kernel)
    return correlate_valid(padded(image, kh - 1, kh - 1, kw - 1, kw - 1), np.asarray(kernel)[::-1, ::-1])


def convolve_by_copies(image, kernel):
    """Another right answer, without padding: each pixel adds a copy of the kernel, scaled by it, at its place."""
    (h, w), (kh, kw) = np.shape(image), np.shape(kernel)
    out = np.zeros((h + kh - 1, w + kw - 1))
    for i in range(h):
        for j in range(w):
            out[i : i + kh, j : j + kw] += image[i][j] * np.asarray(kernel)
    return out


def convolve_four_loops(image, kernel):
    """A third: the double sum over the kernel, pixels outside the image skipped, returned as nested lists."""
    h, w, kh, kw = len(image), len(image[0]), len(kernel), len(kernel[0])
    out = [[0.0] * (w + kw - 1) for _ in range(h + kh - 1)]
    for i in range(h + kh - 1):
        for j in range(w + kw - 1):
            for a in range(kh):
                for b in range(kw):
                    if 0 <= i - a < h and 0 <= j - b < w:
                        out[i][j] += image[i - a][j - b] * kernel[a][b]
    return out


SOBEL_X = [[-1, 0, 1], [-2, 0, 2], [-1, 0, 1]]

RIGHT = {
    # Sobel x on [[10, 10, 80], [10, 20, 90], [20, 20, 90]], worked by hand:
    # (-10 + 80) + (-2*10 + 2*90) + (-20 + 90) = 70 + 160 + 70 = 300
    "3.1": [300, 300.0, np.int64(300), np.float32(300.0), np.array(300.0), np.array([300])],
    "3.2": [
        convolve_loop,
        convolve_by_copies,
        convolve_four_loops,
        lambda image, kernel: convolve_loop(image, kernel).astype(np.float32),  # float32 output: same numbers
        lambda image, kernel: convolve_loop(image, kernel).tolist(),
    ],
    "3.3": [
        SOBEL_X,
        -np.array(SOBEL_X, dtype=float),
        np.array([[-1, 0, 1]] * 3),
        np.array([[0, 0, 0], [-1, 1, 0], [0, 0, 0]]),
        np.array([[1, -2, 1]] * 3) * 0.5,  # a vertical line detector also answers on an edge
    ],
}


@pytest.mark.parametrize(("exercise_id", "answer"), [(k, a) for k, answers in RIGHT.items() for a in answers])
def test_right_answers_are_accepted(exercise_id, answer):
    assert_correct(checker_for(exercise_id), answer)


def correlate_loop(image, kernel):
    """The full cross-correlation: zeros padded right, the kernel not turned."""
    return convolve_loop(image, np.asarray(kernel)[::-1, ::-1])


def valid_only(image, kernel):
    """The 'valid' convolution (the old exercise): no zeros added."""
    return correlate_valid(image, np.asarray(kernel)[::-1, ::-1])


def rows_only(image, kernel):
    return correlate_loop(image, np.asarray(kernel)[::-1, :])


def changes_its_input(image, kernel):
    kernel[:] = kernel[::-1, ::-1]
    return correlate_loop(image, kernel)


def off_by_one_at_the_end(image, kernel):
    out = convolve_loop(image, kernel)
    out[-1, -1] += 1
    return out


def into_integers(image, kernel):
    """The loop right, but the output array made of integers, e.g. np.zeros(shape, dtype=int)."""
    return np.trunc(convolve_loop(image, kernel)).astype(int)


def integer_padding(image, kernel):
    """The loop right, into a float output, but the image copied into np.zeros(..., dtype=int) first."""
    kh, kw = np.shape(kernel)
    holder = np.zeros((image.shape[0] + 2 * (kh - 1), image.shape[1] + 2 * (kw - 1)), dtype=int)
    holder[kh - 1 : kh - 1 + image.shape[0], kw - 1 : kw - 1 + image.shape[1]] = image
    return correlate_valid(holder.astype(float), np.asarray(kernel)[::-1, ::-1])


def with_nan(image, kernel):
    return convolve_loop(image, kernel) * np.nan


@pytest.mark.parametrize(
    ("checker", "answer", "says"),
    [
        (exercises.check_3_1, None, "replace None"),
        (exercises.check_3_1, -300, "wrong sign"),
        (exercises.check_3_1, 210, "Write out the nine products"),
        (exercises.check_3_1, 299.99999, "299.99999 is not the multiply-and-sum"),  # not shown as 300
        (exercises.check_3_1, np.array([[10, 0, 80], [-20, 0, 180], [-20, 0, 90]]), "add the nine products"),
        (exercises.check_3_1, [[0, 60, 0]], "`answer` is a collection of shape (1, 3), but one output pixel"),
        (exercises.check_3_1, [[0, 60], [0]], "`answer` is a collection, [[0, 60], [0]], but one output pixel"),
        (exercises.check_3_1, "300", "should be one number"),
        (exercises.check_3_1, True, "should be one number"),
        (exercises.check_3_1, float("nan"), "finite number"),
        (exercises.check_3_1, BrokenRepr(), "should be one number"),
        (exercises.check_3_2, raises_not_implemented, "replace `raise NotImplementedError()`"),
        (exercises.check_3_2, lambda image, kernel: None, "is None: does your function end with `return`"),
        # the first case: a 5 x 6 image and a 3 x 3 kernel, full output 7 x 8
        (exercises.check_3_2, valid_only, "expected an array of shape (7, 8), got shape (3, 4). That is the 'valid'"),
        (exercises.check_3_2, correlate_loop, "that is cross-correlation"),
        (exercises.check_3_2, rows_only, "rows are flipped but its columns are not"),
        (exercises.check_3_2, changes_its_input, "changed its input arrays"),
        (exercises.check_3_2, off_by_one_at_the_end, "out[6, 7] is"),
        (exercises.check_3_2, into_integers, "returned an array of integers"),
        (exercises.check_3_2, integer_padding, "the padded image holds integers"),
        (exercises.check_3_2, with_nan, "NaN"),
        (exercises.check_3_2, lambda image: image, "raised TypeError"),
        (exercises.check_3_2, lambda image, kernel: "an image", "should be an array of numbers"),
        (exercises.check_3_2, np.ones((3, 3)), "expected a function"),
        (exercises.check_3_3, None, "replace None with your 3 x 3 array"),
        (exercises.check_3_3, np.zeros((3, 3)), "all zeros"),
        (exercises.check_3_3, np.ones((5, 5)), "expected an array of shape (3, 3), got shape (5, 5)"),
        (exercises.check_3_3, [[1, 2], [3]], "array of numbers"),
        (exercises.check_3_3, np.full((3, 3), np.nan), "NaN"),
        (exercises.check_3_3, [[0, 0, 0], [0, 1, 0], [0, 0, 0]], "on a flat image"),
        (exercises.check_3_3, [[-1, 0, 1], [-2, 0, 2], [-1, 0, 2]], "on a flat image"),
        (exercises.check_3_3, np.array(SOBEL_X).T, "turn it by 90 degrees"),
        (exercises.check_3_3, [[0, 1, 0], [1, -4, 1], [0, 1, 0]], "responds to edges in every direction"),
        (exercises.check_3_3, [[-2, -1, 0], [-1, 0, 1], [0, 1, 2]], "a horizontal edge (dark above, bright below)"),
        (exercises.check_3_3, [[-1, 0, 2], [-2, 0, 2], [-1, 0, 0]], "horizontal edge"),
        (exercises.check_3_3, "sobel", "should be an array of numbers, got the text 'sobel'"),
        (exercises.check_3_3, np.array(SOBEL_X).astype(str), "should be an array of numbers"),
        (exercises.check_3_3, np.array(SOBEL_X) + 7j, "should be an array of numbers"),
    ],
)
def test_wrong_answers_get_a_message_that_says_what_to_look_at(checker, answer, says):
    assert_not_yet(checker, answer, says)


def test_messages_do_not_give_the_answer_away():
    for wrong in (0, 210, -300):
        assert "300" not in assert_not_yet(exercises.check_3_1, wrong).replace(str(wrong), "")
    message = assert_not_yet(exercises.check_3_3, [[0, 0, 0], [0, 1, 0], [0, 0, 0]])
    assert "-1" not in message and "Sobel" not in message


def test_the_first_test_case_of_3_2_can_tell_each_flip_apart():
    # If the kernel were symmetric under a flip, a missing flip would pass unnoticed.
    kernel = exercises.ex03_full.FIRST_KERNEL_3_2
    variants = [kernel, kernel[::-1, :], kernel[:, ::-1], kernel[::-1, ::-1]]
    for n, a in enumerate(variants):
        for b in variants[n + 1 :]:
            assert not np.array_equal(a, b)


def test_3_2_covers_non_square_images_and_kernels():
    shapes = exercises.ex03_full.SHAPES_3_2
    assert any(h != w for (h, w), _ in shapes)
    assert any(kh != kw for _, (kh, kw) in shapes)
    assert any(kh % 2 == 0 for _, (kh, _kw) in shapes), "an even kernel height: no centre row"
    assert any(kh > h for (h, _w), (kh, _kw) in shapes), "a kernel taller than the image"
    (h, w), _ = shapes[0]
    assert h != w, "the first image is not square, so that a transposed output shows in its shape"


# The text of 3.2 says the convolutions of scipy and cnnlib are switched off while the check runs; numpy's too.
def with_scipy(image, kernel):
    return scipy.signal.convolve2d(image, kernel, mode="full")


def with_scipy_correlate(image, kernel):
    return scipy.signal.correlate2d(image, kernel[::-1, ::-1], mode="full")


def with_ndimage(image, kernel):
    import scipy.ndimage

    kh, kw = kernel.shape
    return scipy.ndimage.convolve(padded(image, kh - 1, kh - 1, kw - 1, kw - 1), kernel, mode="constant")


def with_cnnlib(image, kernel):
    import cnnlib

    return cnnlib.convolve2d(image, kernel, padding="full")


def with_cnnlib_layer(image, kernel):
    import cnnlib

    kh, kw = kernel.shape
    return cnnlib.conv2d(image[None, None], kernel[::-1, ::-1][None, None], padding=(kh - 1, kw - 1))[0, 0]


def with_im2row(image, kernel):  # the patches cnnlib's layers multiply, times the turned kernel
    from cnnlib import columns

    kh, kw = kernel.shape
    padded = np.pad(image, ((kh - 1, kh - 1), (kw - 1, kw - 1)))
    rows = columns.im2row(padded[None, :, :, None], (kh, kw))
    return (rows @ kernel[::-1, ::-1].ravel()).reshape(padded.shape[0] - kh + 1, -1)


def with_np_convolve_row_by_row(image, kernel):  # a 2-D convolution is a sum of 1-D ones along the rows
    kh, kw = kernel.shape
    out = np.zeros((image.shape[0] + kh - 1, image.shape[1] + kw - 1))
    for i in range(image.shape[0]):
        for a in range(kh):
            out[i + a] += np.convolve(image[i], kernel[a])
    return out


def with_a_conv2d_layer(image, kernel):  # the training layer, with the kernel turned and a full border
    import cnnlib.layers

    kh, kw = kernel.shape
    layer = cnnlib.layers.Conv2D(1, 1, (kh, kw), padding=(kh - 1, kw - 1))
    layer.params["w"][0, 0] = kernel[::-1, ::-1]
    return layer.forward(image[None, None])[0, 0]


def falls_back_quietly(image, kernel):
    try:
        return scipy.signal.convolve2d(image, kernel, mode="full")
    except Exception:  # noqa: BLE001 - hiding the refusal does not make the shortcut allowed
        return convolve_loop(image, kernel)


@pytest.mark.parametrize(
    ("answer", "used"),
    [
        (with_scipy, "scipy.signal.convolve2d"),
        (with_scipy_correlate, "scipy.signal.correlate2d"),
        (with_ndimage, "scipy.ndimage.convolve"),
        (with_cnnlib, "cnnlib.convolve2d"),
        (with_cnnlib_layer, "cnnlib.conv2d"),
        (with_im2row, "cnnlib.columns.im2row"),
        (with_np_convolve_row_by_row, "np.convolve"),
        (with_a_conv2d_layer, "cnnlib.layers.Conv2D"),
        (falls_back_quietly, "scipy.signal.convolve2d"),
    ],
)
def test_3_2_says_which_forbidden_shortcut_was_used(answer, used):
    assert_not_yet(exercises.check_3_2, answer, f"convolve_full uses {used}, which this exercise forbids")


def test_3_2_catches_a_shortcut_imported_by_name_into_the_learners_namespace():
    namespace = {"np": np}
    exec(
        "from scipy.signal import convolve2d\ndef convolve_full(i, k):\n    return convolve2d(i, k, 'full')",
        namespace,
    )
    assert_not_yet(exercises.check_3_2, namespace["convolve_full"], "uses scipy.signal.convolve2d")
    assert namespace["convolve2d"] is scipy.signal.convolve2d, "put back after the check"


@pytest.mark.parametrize(
    "source",
    [
        # a default argument, plain or keyword-only, holds the function itself
        "import scipy.signal\ndef convolve_full(i, k, c=scipy.signal.convolve2d):\n    return c(i, k, 'full')",
        "import scipy.signal\ndef convolve_full(i, k, *, c=scipy.signal.convolve2d):\n    return c(i, k, 'full')",
        # a variable of an enclosing function (a closure), one level out or two
        "import scipy.signal\ndef make():\n    c = scipy.signal.convolve2d\n"
        "    def convolve_full(i, k):\n        return c(i, k, 'full')\n    return convolve_full\n"
        "convolve_full = make()",
        "import scipy.signal\ndef outer():\n    c = scipy.signal.convolve2d\n    def inner():\n"
        "        def convolve_full(i, k):\n            return c(i, k, 'full')\n        return convolve_full\n"
        "    return inner()\nconvolve_full = outer()",
        # a helper beside the answer holds it as a default
        "import scipy.signal\ndef helper(i, k, c=scipy.signal.convolve2d):\n    return c(i, k, 'full')\n"
        "def convolve_full(i, k):\n    return helper(i, k)",
        # the answer is the function itself with an argument filled in, or calls such a partial
        "import functools, scipy.signal\nconvolve_full = functools.partial(scipy.signal.convolve2d, mode='full')",
        "import functools, scipy.signal\nconv = functools.partial(scipy.signal.convolve2d, mode='full')\n"
        "def convolve_full(i, k):\n    return conv(i, k)",
        # a container, an object that is called, a method
        "import scipy.signal\nTOOLS = {'conv': scipy.signal.convolve2d}\n"
        "def convolve_full(i, k):\n    return TOOLS['conv'](i, k, 'full')",
        "import scipy.signal\nclass Full:\n    conv = staticmethod(scipy.signal.convolve2d)\n"
        "    def __call__(self, i, k):\n        return self.conv(i, k, 'full')\nconvolve_full = Full()",
        "import scipy.signal\nclass Tools:\n    def __init__(self):\n        self.conv = scipy.signal.convolve2d\n"
        "    def full(self, i, k):\n        return self.conv(i, k, 'full')\nconvolve_full = Tools().full",
        # the function itself handed in
        "import scipy.signal\nconvolve_full = scipy.signal.convolve2d",
    ],
    ids=[
        "default",
        "keyword-only default",
        "closure",
        "closure two levels out",
        "helper's default",
        "partial",
        "partial in a name",
        "dict",
        "callable object",
        "method",
        "itself",
    ],
)
def test_3_2_catches_a_shortcut_however_the_learners_code_holds_it(source):
    namespace = {"np": np}
    exec(source, namespace)
    assert_not_yet(exercises.check_3_2, namespace["convolve_full"], "uses scipy.signal.convolve2d")
    assert scipy.signal.convolve2d(np.ones((2, 2)), np.ones((1, 1))).shape == (2, 2)  # allowed again after the check


def test_3_2_changes_nothing_the_learner_holds():
    # the check watches what runs instead of swapping functions: the learner's code sees the library's own
    namespace = {"np": np}
    exec(
        "import scipy.signal\nseen = []\n"
        "def convolve_full(i, k, c=scipy.signal.convolve2d):\n"
        "    seen.append(c is scipy.signal.convolve2d)\n    return c(i, k, 'full')",
        namespace,
    )
    assert_not_yet(exercises.check_3_2, namespace["convolve_full"], "uses scipy.signal.convolve2d")
    assert namespace["seen"] == [True]
    assert namespace["convolve_full"].__defaults__ == (scipy.signal.convolve2d,)
    assert np.convolve([1, 2], [1, 1]).tolist() == [1, 3, 2]


def test_3_2_allows_the_notebooks_own_loop_on_a_padded_image_with_the_kernel_turned():
    # Reusing the notebook's correlate2d_loop is fine: the exercise is the padding.
    def reuses_the_loop(image, kernel):
        kh, kw = kernel.shape
        return correlate_valid(np.pad(image, ((kh - 1, kh - 1), (kw - 1, kw - 1))), kernel[::-1, ::-1])

    assert_correct(exercises.check_3_2, reuses_the_loop)
    assert_correct(exercises.check_3_2, lambda image, kernel: convolve_loop(image, kernel).astype(np.float32))


def test_3_2_the_right_answers_agree_with_scipy_by_hand_and_on_random_shapes():
    # By hand: a 1 x 2 image [1, 2] and the kernel [[1, 10]]: full = [1, 2 + 10, 20] = [1, 12, 20].
    assert convolve_loop([[1.0, 2.0]], [[1.0, 10.0]]).tolist() == [[1.0, 12.0, 20.0]]
    rng = np.random.default_rng(32)
    for image_shape, kernel_shape in [((4, 5), (2, 3)), ((2, 2), (3, 4)), ((6, 3), (1, 3))]:
        image, kernel = rng.normal(size=image_shape), rng.normal(size=kernel_shape)
        expected = scipy.signal.convolve2d(image, kernel, mode="full")
        for answer in (convolve_loop, convolve_by_copies, convolve_four_loops):
            np.testing.assert_allclose(answer(image, kernel), expected, atol=1e-12)


def test_3_1_accepts_a_float32_and_a_list_of_one_number():
    for answer in (np.float32(300), [300], [[300.0]], np.array([[300]], dtype=np.int16)):
        assert_correct(exercises.check_3_1, answer)


def assumes_a_square_kernel(image, kernel):
    k = len(kernel)  # uses the height for both sides
    return correlate_valid(padded(image, k - 1, k - 1, k - 1, k - 1), np.asarray(kernel)[::-1, ::-1])


def pads_a_whole_kernel(image, kernel):
    kh, kw = np.shape(kernel)
    return correlate_valid(padded(image, kh, kh, kw, kw), np.asarray(kernel)[::-1, ::-1])


def pads_one_side_only(image, kernel):
    kh, kw = np.shape(kernel)
    return correlate_valid(padded(image, kh - 1, 0, kw - 1, 0), np.asarray(kernel)[::-1, ::-1])


def one_more_row_above(image, kernel):
    """KH rows of zeros above, KH - 2 below: the right size, every value one row down."""
    kh, kw = np.shape(kernel)
    return correlate_valid(padded(image, kh, kh - 2, kw - 1, kw - 1), np.asarray(kernel)[::-1, ::-1])


def one_more_column_right(image, kernel):
    kh, kw = np.shape(kernel)
    return correlate_valid(padded(image, kh - 1, kh - 1, kw - 2, kw), np.asarray(kernel)[::-1, ::-1])


@pytest.mark.parametrize(
    ("answer", "says"),
    [
        (lambda image, kernel: convolve_loop(image, np.asarray(kernel).T), "out["),  # transposed kernel
        (lambda image, kernel: correlate_loop(image, np.asarray(kernel)[:, ::-1]), "columns are flipped but its rows"),
        (pads_a_whole_kernel, ("got shape (9, 10). Two rows and two columns too many", "KH - 1 rows")),
        (pads_one_side_only, ("got shape (5, 6). That is the size of the image", "KH - 1 rows of zeros above")),
        (one_more_row_above, "your output is the right one moved one row down"),
        (one_more_column_right, "moved one column to the left"),
        (lambda image, kernel: convolve_loop(image, kernel).T, "got shape (8, 7). Rows and columns are swapped"),
        # the second case: a 5 x 8 image and a 2 x 3 kernel, full output 6 x 10
        (assumes_a_square_kernel, "got shape (6, 8). The number of rows is right; along a row"),
        (lambda image, kernel: convolve_loop(image, kernel).astype(int) + 0.5, "out[0, 0] is"),
        (lambda image, kernel: np.full((7, 8), convolve_loop(image, kernel)[0, 0]), "out[0, 1] is"),
    ],
)
def test_3_2_nearly_right_loops_are_explained(answer, says):
    assert_not_yet(exercises.check_3_2, answer, *([says] if isinstance(says, str) else says))


def test_3_2_names_a_transposed_square_output():
    def transposed_if_square(image, kernel):
        out = convolve_loop(image, kernel)
        return out.T if out.shape[0] == out.shape[1] else out

    # the fourth case: a 4 x 4 image and a 4 x 4 kernel, full output 7 x 7
    assert_not_yet(exercises.check_3_2, transposed_if_square, "image of shape (4, 4)", "your output is transposed")


def test_3_3_accepts_float32_and_nested_lists():
    assert_correct(exercises.check_3_3, np.array(SOBEL_X, dtype=np.float32))
    assert_correct(exercises.check_3_3, [[-1, 0, 1], [-1, 0, 1], [-1, 0, 1]])


# Exercise 3.4: a kernel that moves the image one pixel to the right ----------------------------------
# With correlate2d in 'same' mode the kernel is centred on (i, j), and out[i, j] = sum of kernel[a, b] times
# image[i + a - 1, j + b - 1]. For out[i, j] = image[i, j - 1]: a = 1, b = 0, the weight left of the centre.
SHIFT_RIGHT = [[0, 0, 0], [1, 0, 0], [0, 0, 0]]


def test_the_hand_worked_shift_kernel_moves_a_small_image_right():
    image = np.arange(1.0, 13.0).reshape(3, 4)
    moved = [[0, 1, 2, 3], [0, 5, 6, 7], [0, 9, 10, 11]]  # written out by hand
    assert scipy.signal.correlate2d(image, SHIFT_RIGHT, mode="same").tolist() == moved


@pytest.mark.parametrize(
    "shift_right",
    [
        SHIFT_RIGHT,
        np.array(SHIFT_RIGHT, dtype=np.float32),
        np.array(SHIFT_RIGHT, dtype=np.uint8),
        np.pad(SHIFT_RIGHT, 1),  # a 5 x 5 kernel with the same weight left of its centre
        [[1, 0, 0]],  # a 1 x 3 row does it too
        np.array(SHIFT_RIGHT) + 0.0,
    ],
)
def test_3_4_accepts_every_kernel_that_moves_the_image_right(shift_right):
    assert_correct(exercises.check_3_4, shift_right)


@pytest.mark.parametrize(
    ("shift_right", "says"),
    [
        (None, "replace None"),
        (np.zeros((3, 3)), "all zeros"),
        ([1, 0, 0], "should be 2-D"),
        ("right", "got the text"),
        (np.array([[0, 0], [1, 0]]), "Your kernel has an even side, (2, 2), so it has no middle pixel"),
        # the convolution answer: the 1 right of the centre moves the image left under correlate2d
        ([[0, 0, 0], [0, 0, 1], [0, 0, 0]], "moves one pixel to the left, not one pixel to the right. That kernel"),
        ([[0, 0, 0], [0, 0, 1], [0, 0, 0]], "which flips the kernel"),
        (np.array(SHIFT_RIGHT).T, "moves one pixel down, not one pixel to the right. The kernel's first index"),
        (np.array(SHIFT_RIGHT).T[::-1], "moves one pixel up"),
        ([[1, 0, 0], [0, 0, 0], [0, 0, 0]], "moves one pixel down, one to the right"),
        (np.pad([[1]], ((2, 2), (0, 4))), "2 pixels to the right"),  # 5 x 5, its 1 two left of the centre
        ([[0, 0, 0], [0, 1, 0], [0, 0, 0]], "stays where it is"),
        (np.array(SHIFT_RIGHT) * 2, "multiplies every pixel by 2"),
        (-np.array(SHIFT_RIGHT), "multiplies every pixel by -1"),
        (np.ones((3, 3)) / 9, "comes out as several pixels"),
        ([[0, 0, 0], [0.5, 0.5, 0], [0, 0, 0]], "comes out as several pixels"),  # half a shift
        (np.full((3, 3), np.nan), "NaN"),
    ],
)
def test_3_4_wrong_kernels_get_a_message_that_names_the_mistake(shift_right, says):
    assert_not_yet(exercises.check_3_4, shift_right, says)


def test_3_4_messages_do_not_give_the_kernel_away():
    for wrong in ([[0, 0, 0], [0, 0, 1], [0, 0, 0]], np.array(SHIFT_RIGHT).T):
        message = assert_not_yet(exercises.check_3_4, wrong)
        assert "[1, 0]" not in message and "[[0, 0, 0], [1" not in message


# Exercise 3.5: recover a kernel from an image and its output ----------------------------------------
def patches_of(image, kernel_shape):
    """Every 'valid' patch of ``image``, flattened into a row, in the order of the output's pixels."""
    kh, kw = kernel_shape
    oh, ow = image.shape[0] - kh + 1, image.shape[1] - kw + 1
    return np.array([image[i : i + kh, j : j + kw].ravel() for i in range(oh) for j in range(ow)])


def recover_by_least_squares(image, output):
    kernel_shape = (image.shape[0] - output.shape[0] + 1, image.shape[1] - output.shape[1] + 1)
    weights = np.linalg.lstsq(patches_of(image, kernel_shape), output.ravel(), rcond=None)[0]
    return weights.reshape(kernel_shape)


def recover_by_gradient_descent(image, output, learning_rate=0.3, steps=1500):
    """The notebook's last section, with a learning rate small enough for 0-1 images of random pixels."""
    kernel_shape = (image.shape[0] - output.shape[0] + 1, image.shape[1] - output.shape[1] + 1)
    k = np.random.default_rng(0).normal(size=kernel_shape)
    for _ in range(steps):
        residual = scipy.signal.correlate2d(image, k, mode="valid") - output
        k = k - learning_rate * scipy.signal.correlate2d(image, residual, mode="valid") * 2 / output.size
    return k


def recover_from_the_first_patches(image, output):
    """Exactly as many equations as weights, from the first patches: singular where the image starts flat."""
    kernel_shape = (image.shape[0] - output.shape[0] + 1, image.shape[1] - output.shape[1] + 1)
    count = kernel_shape[0] * kernel_shape[1]
    weights = np.linalg.solve(patches_of(image, kernel_shape)[:count], output.ravel()[:count])
    return weights.reshape(kernel_shape)


def recover_always_3_by_3(image, output):
    rows = patches_of(image, (3, 3))
    return np.linalg.lstsq(rows, output.ravel()[: len(rows)], rcond=None)[0].reshape(3, 3)


@pytest.mark.parametrize(
    "answer",
    [
        recover_by_least_squares,
        recover_by_gradient_descent,
        lambda image, output: recover_by_least_squares(image, output).astype(np.float32),
        lambda image, output: recover_by_least_squares(image, output).tolist(),
    ],
)
def test_3_5_accepts_least_squares_and_gradient_descent(answer):
    assert_correct(exercises.check_3_5, answer)


def test_3_5_the_recovered_kernel_is_the_one_that_made_the_output():
    # Independent of the checker: a random kernel, scipy's output, recovered to rounding error.
    rng = np.random.default_rng(5)
    image, kernel = rng.uniform(size=(11, 13)), rng.normal(size=(3, 3))
    recovered = recover_by_least_squares(image, scipy.signal.correlate2d(image, kernel, mode="valid"))
    np.testing.assert_allclose(recovered, kernel, atol=1e-10)


def recovered_flipped(image, output):
    return recover_by_least_squares(image, output)[::-1, ::-1]


def recovered_transposed(image, output):
    return recover_by_least_squares(image, output).T


def changes_output(image, output):
    kernel = recover_by_least_squares(image, output)
    output[0, 0] = 0
    return kernel


@pytest.mark.parametrize(
    ("answer", "says"),
    [
        (raises_not_implemented, "replace `raise NotImplementedError()`"),
        (lambda image, output: None, "is None: does your function end with `return` and the kernel?"),
        (recovered_flipped, "turned by 180 degrees, the kernel for convolution"),
        (recovered_transposed, "your kernel is transposed"),
        (lambda image, output: recover_by_least_squares(image, output) + 0.01, "close, but a weight is off by 0.01"),
        (lambda image, output: recover_by_gradient_descent(image, output, steps=60), "let gradient descent run longer"),
        (lambda image, output: recover_by_gradient_descent(image, output, 0.5), "take a smaller learning rate"),
        (lambda image, output: np.zeros((3, 3)), "misses the output by up to"),
        (lambda image, output: np.zeros((3, 3)), "or, with gradient descent, run more steps"),
        (
            lambda image, output: np.round(recover_by_least_squares(image, output)).astype(int),
            "Your kernel holds whole numbers: the weights have fractions",
        ),
        (lambda image, output: np.ones(output.shape), "expected an array of shape (3, 3), got shape (10, 13)"),
        (recover_from_the_first_patches, "raised LinAlgError"),
        (recover_always_3_by_3, "expected an array of shape (2, 4), got shape (3, 3). The kernel's size follows"),
        (changes_output, "changed its input arrays"),
        (lambda image, output: np.full((3, 3), np.inf), "NaN or infinity"),
        (np.ones((3, 3)), "expected a function"),
    ],
)
def test_3_5_wrong_recoveries_get_a_message_that_names_the_mistake(answer, says):
    assert_not_yet(exercises.check_3_5, answer, says)


def test_3_5_tries_a_flat_image_and_a_kernel_that_is_not_3_by_3():
    seen = []

    def spy(image, output):
        seen.append((image.shape, output.shape, bool(np.all(image[:3] == image[0, 0]))))
        return recover_by_least_squares(image, output)

    assert_correct(exercises.check_3_5, spy)
    kernel_shapes = {(h - oh + 1, w - ow + 1) for (h, w), (oh, ow), _ in seen}
    assert (3, 3) in kernel_shapes and len(kernel_shapes) > 1
    assert any(flat for *_, flat in seen)


# Exercise 3.6: a 3 x 1 then a 1 x 3 blur, equal to the 3 x 3 box ------------------------------------
# Correlating with a (3, 1) column c and then a (1, 3) row r gives window pixel (a, b) the weight c[a]·r[b];
# the box gives each 1/9, so c = r = 1/3 (or any c·r = 1/9 with equal entries).
THIRD_COLUMN, THIRD_ROW = np.full((3, 1), 1 / 3), np.full((1, 3), 1 / 3)


@pytest.mark.parametrize(
    ("column", "row"),
    [
        (THIRD_COLUMN, THIRD_ROW),
        (THIRD_COLUMN.tolist(), THIRD_ROW.tolist()),
        (THIRD_COLUMN.astype(np.float32), THIRD_ROW.astype(np.float32)),
        (THIRD_COLUMN, THIRD_ROW.astype(np.float32)),
        (np.ones((3, 1)), np.ones((1, 3)) / 9),  # the scales may sit in either kernel
        (np.full((3, 1), 0.5), np.full((1, 3), 2 / 9)),
        (-THIRD_COLUMN, -THIRD_ROW),
    ],
)
def test_3_6_accepts_every_pair_whose_two_rounds_are_the_box(column, row):
    assert_correct(exercises.check_3_6, column, row)


def test_3_6_the_hand_worked_pair_is_the_box_on_a_random_image():
    image = np.random.default_rng(6).normal(size=(6, 8))
    two_rounds = scipy.signal.correlate2d(scipy.signal.correlate2d(image, THIRD_COLUMN, "valid"), THIRD_ROW, "valid")
    box = np.array([[image[i : i + 3, j : j + 3].mean() for j in range(6)] for i in range(4)])
    np.testing.assert_allclose(two_rounds, box, atol=1e-12)


@pytest.mark.parametrize(
    ("column", "row", "says"),
    [
        (None, None, "`blur_column` is None: replace None with your 3 x 1 kernel"),
        (THIRD_COLUMN, None, "`blur_row` is None: replace None with your 1 x 3 kernel, and pass both kernels"),
        (THIRD_ROW, THIRD_COLUMN, "got shape (1, 3). A column has 3 rows and 1 column: did you swap the two?"),
        (THIRD_COLUMN, THIRD_COLUMN, "got shape (3, 1). A row has 1 row and 3 columns."),  # two columns: no swap
        (THIRD_COLUMN.ravel(), THIRD_ROW, "got shape (3,). A column has 3 rows and 1 column. A flat list is 1-D"),
        (THIRD_COLUMN, THIRD_ROW.ravel(), "`blur_row`: expected an array of shape (1, 3), got shape (3,)"),
        (np.full((3, 3), 1 / 9), THIRD_ROW, "got shape (3, 3)"),
        (np.ones((3, 1)), np.ones((1, 3)), "give 9 times the 3 x 3 average"),
        (THIRD_COLUMN, np.ones((1, 3)), "give 3 times the 3 x 3 average"),
        (np.full((3, 1), 1 / 9), np.full((1, 3), 1 / 9), "give 0.111 times"),
        (THIRD_COLUMN, np.full((1, 3), 0.33), "give 0.99 times"),
        (np.full((3, 1), 0.333333), np.full((1, 3), 0.333333), "0.999998"),  # never "gives 1 times"
        (np.array([[1], [2], [1]]) / 4, np.array([[1, 2, 1]]) / 4, "do not count equally"),  # a Gaussian-like blur
        (THIRD_COLUMN, [[0, 1, 0]], "do not count equally"),  # blurs the columns only
        (THIRD_COLUMN, [[0.5, 0.5, 0]], "do not count equally"),
        ("box", THIRD_ROW, "got the text"),
        (THIRD_COLUMN, np.full((1, 3), np.nan), "NaN"),
    ],
)
def test_3_6_wrong_pairs_get_a_message_that_names_the_mistake(column, row, says):
    assert_not_yet(exercises.check_3_6, column, says, more=(row,))
