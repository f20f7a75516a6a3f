"""The datasets and photos shipped in the repository's ``data/`` folder, loaded offline and checksummed.

Nothing here touches the network, ever: every file ships with the repository
(``data/README.md`` says where each came from, its licence and how to rebuild
it). Every load checks the file's SHA-256 against the value recorded in
:data:`SHA256` (once per process and file: a second load skips the hashing)
and reads it with ``np.load(..., allow_pickle=False)``, so no pickle is ever
unpickled.

Where the files are found: ``cnnlib`` is installed editable from the
repository, so the folder is ``data/`` beside the ``cnnlib/`` package
(:data:`DATA_DIR`). Installed as a wheel (``pip install .``), the package has
no ``data/`` beside it: set the environment variable ``CNNLIB_DATA_DIR`` to the
repository's ``data/`` folder. Every loader also takes ``data_dir=`` to read
another folder holding the same files (the tests use it on damaged copies).

A missing, truncated or altered file raises :class:`DataFileError`, which names
the file, the expected and the actual SHA-256, and the command that restores it.

Examples
--------
>>> mnist = load_mnist()
>>> mnist.train_images.shape, mnist.train_labels.shape, mnist.test_images.shape
((60000, 28, 28), (60000,), (10000, 28, 28))
>>> load_photo("camera").shape, load_photo("astronaut").shape
((512, 512), (512, 512, 3))
"""

from __future__ import annotations

import hashlib
import io
import os
from pathlib import Path
from typing import NamedTuple

import numpy as np

from ._validation import as_int, as_real, describe

DATA_DIR = Path(__file__).resolve().parent.parent / "data"

SHA256 = {
    "mnist.npz": "c8ca71ad62d22263ab46d0b5a815db8a64618c94fa6e7bc9f48a2c68964b1f12",
    "photos.npz": "13aa1a0518abaa71bedec4fce0231fdd3f1fc175c91543469dfa10ee50dc7261",
    "faces.npz": "c1f0c0d5a6d1cf75fff49a3d6d986653b38770e55b7596b31393f67c29534f5d",
    "digit_cnn.npz": "511bffe05191135b006f0d81c3e97d0f96f5655f3f7a649c6bdeb7859b144b56",
}
"""SHA-256 of each shipped file; ``data/README.md`` lists the same values (a test compares them)."""

PHOTOS = {
    "astronaut": "Eileen Collins, NASA astronaut; NASA, public domain (via scikit-image 0.26.0)",
    "camera": "Man with a camera; Lav Varshney, CC0 (via scikit-image 0.26.0)",
    "chelsea": "Chelsea the cat; Stefan van der Walt, CC0 (via scikit-image 0.26.0)",
    "coffee": "A cup of coffee; Rachel Michetti for Pikolo Espresso Bar, CC0 (via scikit-image 0.26.0)",
    "coins": "Greek coins from Pompeii; Brooklyn Museum, no known copyright restrictions (via scikit-image 0.26.0)",
}
"""Name -> one-line credit of each photo :func:`load_photo` knows, for a figure caption."""

FACE_CLASSES = ("non-face", "face")
"""What the labels of :func:`load_faces` mean: ``FACE_CLASSES[label]``."""

# Files whose checksum matched, keyed by (path, size, mtime, inode): replacing
# or editing the file changes the key, so it is hashed again.
_verified: set[tuple] = set()


class DataFileError(OSError):
    """A shipped data file is missing, truncated or altered.

    A subclass of ``OSError``: the arguments were fine, the file on disk is
    not. Attributes: ``path`` (the file), ``expected`` (its recorded SHA-256)
    and ``actual`` (the SHA-256 found, or ``None`` when the file is missing).
    """

    def __init__(self, path: Path, expected: str, actual: str | None, size: int | None = None):
        self.path, self.expected, self.actual = path, expected, actual
        restore = (
            f"Nothing is downloaded: the file ships with the repository. Restore it from the repository root with "
            f"`git checkout -- data/{path.name}` (data/README.md says how to rebuild it)."
        )
        if actual is None:
            super().__init__(
                f"data file {path} is missing: expected SHA-256 {expected}, actual: missing (no such file). "
                f"{restore} If cnnlib is not installed from a clone of the repository, install it with "
                f"`pip install -e .` from the clone, set the environment variable CNNLIB_DATA_DIR to the clone's "
                f"data/ folder, or pass `data_dir=` the folder that holds {path.name}."
            )
        else:
            super().__init__(
                f"data file {path} is damaged or altered ({size} bytes): expected SHA-256 {expected}, "
                f"actual SHA-256 {actual}. {restore}"
            )


class MNIST(NamedTuple):
    """The MNIST digits: unpack as ``train_images, train_labels, test_images, test_labels``."""

    train_images: np.ndarray
    train_labels: np.ndarray
    test_images: np.ndarray
    test_labels: np.ndarray


class Faces(NamedTuple):
    """Faces and non-faces: unpack as ``images, labels``."""

    images: np.ndarray
    labels: np.ndarray


class Split(NamedTuple):
    """A training / validation split: unpack as ``train_images, train_labels, val_images, val_labels``."""

    train_images: np.ndarray
    train_labels: np.ndarray
    val_images: np.ndarray
    val_labels: np.ndarray


def load_mnist(*, data_dir=None) -> MNIST:
    """Load the full MNIST handwritten digits (LeCun, Cortes and Burges).

    Train on (a part of) the training set; keep the test set for the final
    accuracy only (take a validation set out of the training set with
    :func:`train_val_split`).

    Parameters
    ----------
    data_dir : str or path, optional
        Folder holding ``mnist.npz``; default :data:`DATA_DIR`.

    Returns
    -------
    mnist : MNIST, a named tuple of
        ``train_images`` ndarray, shape (60000, 28, 28), uint8, 0 (black) to 255 (white);
        ``train_labels`` ndarray, shape (60000,), int64, the digit 0-9;
        ``test_images`` ndarray, shape (10000, 28, 28), uint8; ``test_labels`` ndarray, shape (10000,), int64.

    Raises
    ------
    DataFileError
        If ``mnist.npz`` is missing or its SHA-256 is not the recorded one.

    Examples
    --------
    >>> x_train, y_train, x_test, y_test = load_mnist()
    >>> x_train.shape, x_train.dtype, y_test.shape, y_test.dtype
    ((60000, 28, 28), dtype('uint8'), (10000,), dtype('int64'))
    """
    arrays = _load_npz("mnist.npz", data_dir)
    return MNIST(
        arrays["train_images"],
        arrays["train_labels"].astype(np.int64),
        arrays["test_images"],
        arrays["test_labels"].astype(np.int64),
    )


def load_photo(name, *, data_dir=None) -> np.ndarray:
    """Load one of the shipped photographs, by name (see :data:`PHOTOS` for credits).

    Parameters
    ----------
    name : {"astronaut", "camera", "chelsea", "coffee", "coins"}
        ``camera`` (512, 512) and ``coins`` (303, 384) are grayscale;
        ``astronaut`` (512, 512, 3), ``chelsea`` (300, 451, 3) and ``coffee``
        (400, 600, 3) are RGB.
    data_dir : str or path, optional
        Folder holding ``photos.npz``; default :data:`DATA_DIR`.

    Returns
    -------
    image : ndarray, shape (H, W) for grayscale or (H, W, 3) for RGB, uint8, 0 to 255
        Row 0 is the top of the picture; the last axis of an RGB photo is (red, green, blue).

    Raises
    ------
    ValueError
        If ``name`` is not one of the photos (the message lists them).
    DataFileError
        If ``photos.npz`` is missing or its SHA-256 is not the recorded one.

    Examples
    --------
    >>> load_photo("coffee").shape
    (400, 600, 3)
    """
    if not isinstance(name, str):
        raise TypeError(f"`name` must be the name of a photo, one of {tuple(PHOTOS)}, got {describe(name)}")
    if name not in PHOTOS:
        raise ValueError(f"`name` must be one of the shipped photos {tuple(PHOTOS)}, got {name!r}")
    return _load_npz("photos.npz", data_dir, names=(name,))[name]


def load_faces(*, data_dir=None) -> Faces:
    """Load 100 faces and 100 non-faces, 25x25 grayscale, from Labeled Faces in the Wild.

    The subset bundled with scikit-image: faces cropped from LFW photographs
    and non-faces cropped from their backgrounds (a few show an edge of a
    face), all resized to 25x25.

    Parameters
    ----------
    data_dir : str or path, optional
        Folder holding ``faces.npz``; default :data:`DATA_DIR`.

    Returns
    -------
    faces : Faces, a named tuple of
        ``images`` ndarray, shape (200, 25, 25), uint8, 0 to 255;
        ``labels`` ndarray, shape (200,), int64: 1 for a face (the first 100),
        0 for a non-face (the last 100); ``FACE_CLASSES[label]`` names it.

    Raises
    ------
    DataFileError
        If ``faces.npz`` is missing or its SHA-256 is not the recorded one.

    Examples
    --------
    >>> images, labels = load_faces()
    >>> images.shape, labels.shape, FACE_CLASSES[labels[0]]
    ((200, 25, 25), (200,), 'face')
    """
    arrays = _load_npz("faces.npz", data_dir)
    return Faces(arrays["images"], arrays["labels"].astype(np.int64))


def verify_all(*, data_dir=None) -> list[Path]:
    """Check every shipped file's SHA-256 and return their paths (for an environment check).

    Raises :class:`DataFileError` at the first missing or altered file.

    Examples
    --------
    >>> [path.name for path in verify_all()]
    ['mnist.npz', 'photos.npz', 'faces.npz', 'digit_cnn.npz']
    """
    folder = _resolve_dir(data_dir)
    for filename in SHA256:
        _verified_bytes(folder / filename)
    return [folder / filename for filename in SHA256]


def train_val_split(images, labels, *, val_fraction=0.1, seed=0) -> Split:
    """Shuffle a labelled set with a seeded generator and hold out a validation part.

    Parameters
    ----------
    images : ndarray, shape (N, ...)
    labels : ndarray, shape (N,)
    val_fraction : float, 0 < val_fraction < 1, default 0.1
        The validation part has ``round(val_fraction * N)`` examples; both parts must get at least one.
    seed : int >= 0, default 0
        Seed of ``np.random.default_rng``: the same seed gives the same split.

    Returns
    -------
    split : Split, a named tuple of
        ``train_images`` shape (N - V, ...), ``train_labels`` shape (N - V,),
        ``val_images`` shape (V, ...), ``val_labels`` shape (V,), with
        V = round(val_fraction * N); dtypes unchanged. Both parts are in
        shuffled order, so ``train_images[:n]`` is a random sample of n.

    Examples
    --------
    >>> x, y, _, _ = load_mnist()
    >>> x_tr, y_tr, x_val, y_val = train_val_split(x, y, val_fraction=0.1, seed=0)
    >>> x_tr.shape, x_val.shape, y_val.shape
    ((54000, 28, 28), (6000, 28, 28), (6000,))
    """
    images, labels = np.asarray(images), np.asarray(labels)
    if images.ndim < 1:
        raise ValueError(f"`images` must be an array of shape (N, ...), got {describe(images)}")
    if labels.ndim != 1 or labels.shape[0] != images.shape[0]:
        raise ValueError(
            f"`labels` must have shape (N,) with N={images.shape[0]} (one per image), got {describe(labels)}"
        )
    val_fraction = as_real(val_fraction, "val_fraction", low=0, high=1, open_interval=True)
    seed = as_int(seed, "seed", minimum=0)
    n = images.shape[0]
    n_val = round(val_fraction * n)
    if not 0 < n_val < n:
        raise ValueError(
            f"`val_fraction` of {val_fraction!r} puts {n_val} of the {n} examples in the validation set; "
            f"both parts need at least one example"
        )
    order = np.random.default_rng(seed).permutation(n)
    train, val = order[n_val:], order[:n_val]
    return Split(images[train], labels[train], images[val], labels[val])


def load_digit_cnn(*, data_dir=None):
    """The digit network trained in notebook 08, ready to ``predict``.

    ``cnnlib.training.digit_cnn_wide()`` (conv 16 5x5, ReLU, max pool 2, conv 32 5x5, ReLU,
    max pool 2, flatten, dense 10; float32) with the weights that notebook 08's recipe
    learned (``data/build/digit_cnn.py`` retrains it): 99.16% of the 10,000 MNIST test digits
    right.

    Parameters
    ----------
    data_dir : str or path, optional
        Folder holding ``digit_cnn.npz``; default :data:`DATA_DIR`.

    Returns
    -------
    network : cnnlib.network.Sequential
        Maps ``(N, 1, 28, 28)`` images with pixels scaled to [0, 1] (``cnnlib.scale_pixels``)
        to ``(N, 10)`` scores; ``network.predict(images)`` gives the digits.

    Raises
    ------
    DataFileError
        If ``digit_cnn.npz`` is missing or its SHA-256 is not the recorded one.

    Examples
    --------
    >>> net = load_digit_cnn()
    >>> x = load_mnist().test_images[:5]
    >>> net.predict(x[:, None] / 255.0), load_mnist().test_labels[:5]
    (array([7, 2, 1, 0, 4]), array([7, 2, 1, 0, 4]))
    """
    from .training import digit_cnn_wide  # here, not at the top: training imports this module's neighbours

    arrays = _load_npz("digit_cnn.npz", data_dir)
    network = digit_cnn_wide()
    for name, layer, key in network.named_parameters():
        if arrays[name].shape != layer.params[key].shape:  # a file from another network would load nonsense
            raise ValueError(f"digit_cnn.npz holds {name} of shape {arrays[name].shape}, the network needs "
                             f"{layer.params[key].shape}")  # fmt: skip
        layer.params[key][...] = arrays[name]
    return network


def _resolve_dir(data_dir) -> Path:
    """``data_dir`` as a Path; for None, ``$CNNLIB_DATA_DIR`` if set, else :data:`DATA_DIR`."""
    if data_dir is None:
        return Path(os.environ["CNNLIB_DATA_DIR"]) if os.environ.get("CNNLIB_DATA_DIR") else DATA_DIR
    if not isinstance(data_dir, (str, os.PathLike)):
        raise TypeError(f"`data_dir` must be a folder (str or path) or None, got {describe(data_dir)}")
    return Path(data_dir)


def _verified_bytes(path: Path) -> bytes:
    """The bytes of ``path`` after checking them against :data:`SHA256` (skipped once verified)."""
    expected = SHA256[path.name]
    try:
        status = path.stat()
        raw = path.read_bytes()
    except FileNotFoundError:
        raise DataFileError(path, expected, None) from None
    key = (str(path.resolve()), status.st_size, status.st_mtime_ns, status.st_ino)
    if key not in _verified:
        actual = hashlib.sha256(raw).hexdigest()
        if actual != expected:
            raise DataFileError(path, expected, actual, size=len(raw))
        _verified.add(key)
    return raw


def _load_npz(filename: str, data_dir, names=None) -> dict[str, np.ndarray]:
    """The arrays ``names`` (default: all) of a verified ``.npz``, read without pickle."""
    raw = _verified_bytes(_resolve_dir(data_dir) / filename)
    with np.load(io.BytesIO(raw), allow_pickle=False) as archive:
        return {name: archive[name] for name in (archive.files if names is None else names)}
