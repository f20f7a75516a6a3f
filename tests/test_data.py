"""cnnlib.data against the shipped files and independent references.

References used, none of them produced by the code under test: SHA-256
computed here with hashlib and the table in data/README.md; the MNIST label
counts and first labels as published for the real MNIST; the photo shapes
scikit-image documents.
Every test in this file runs with the network cut.
"""

import ast
import hashlib
import inspect
import re
import shutil
import socket
import zipfile
from pathlib import Path

import numpy as np
import pytest

from cnnlib import data, images

DATA = Path(__file__).resolve().parent.parent / "data"
FILES = ("mnist.npz", "photos.npz", "faces.npz", "digit_cnn.npz")

# Images per digit 0..9 in the real MNIST (from the issue that asked for the data).
MNIST_TRAIN_COUNTS = [5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949]
MNIST_TEST_COUNTS = [980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009]
# The first labels of each MNIST set, as every MNIST tutorial shows them.
MNIST_TRAIN_FIRST = [5, 0, 4, 1, 9, 2, 1, 3, 1, 4]
MNIST_TEST_FIRST = [7, 2, 1, 0, 4, 1, 4, 9, 5, 9]
# Shapes documented by skimage.data for each photo.
PHOTO_SHAPES = {
    "astronaut": (512, 512, 3),
    "camera": (512, 512),
    "chelsea": (300, 451, 3),
    "coffee": (400, 600, 3),
    "coins": (303, 384),
}
LOADERS = {
    "mnist.npz": data.load_mnist,
    "photos.npz": lambda **kwargs: data.load_photo("camera", **kwargs),
    "faces.npz": data.load_faces,
    "digit_cnn.npz": data.load_digit_cnn,
}


def sha256_file(path):
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def readme_table():
    """{file: (bytes, sha256)} from the checksum table of data/README.md."""
    text = (DATA / "README.md").read_text(encoding="utf-8")
    rows = re.findall(r"^\|\s*`([\w.]+\.npz)`\s*\|\s*(\d+)\s*\|\s*`([0-9a-f]{64})`\s*\|\s*$", text, re.MULTILINE)
    return {name: (int(size), digest) for name, size, digest in rows}


@pytest.fixture(autouse=True)
def no_network(monkeypatch):
    """Cut the network for every test here: any attempt to connect or resolve a name raises."""

    def refuse(*args, **kwargs):
        raise AssertionError(f"cnnlib.data tried to use the network: {args!r}")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)


@pytest.fixture
def cold_cache(monkeypatch):
    """An empty checksum cache, so that the next loads hash every file again."""
    monkeypatch.setattr(data, "_verified", set())


@pytest.fixture
def data_copy(tmp_path):
    """A temporary folder holding copies of the shipped files."""
    for name in FILES:
        shutil.copyfile(DATA / name, tmp_path / name)
    return tmp_path


# --- the files: checksums, README, code ------------------------------------------


def test_checksums_of_files_readme_and_code_agree():
    table = readme_table()
    assert sorted(table) == sorted(FILES), "data/README.md must list every shipped file in its checksum table"
    assert sorted(p.name for p in DATA.glob("*.npz")) == sorted(FILES), "every .npz in data/ must be recorded"
    for name in FILES:
        actual = sha256_file(DATA / name)
        assert table[name] == ((DATA / name).stat().st_size, actual), f"README row of {name} is out of date"
        assert data.SHA256[name] == actual, f"cnnlib.data.SHA256[{name!r}] is out of date"


def test_default_folder_is_the_repositorys_data():
    assert data.DATA_DIR == DATA
    assert data.verify_all() == [DATA / name for name in ("mnist.npz", "photos.npz", "faces.npz", "digit_cnn.npz")]


def test_files_hold_plain_arrays_only():
    for name in FILES:
        with zipfile.ZipFile(DATA / name) as archive:
            assert all(member.endswith(".npy") for member in archive.namelist())
        with np.load(DATA / name, allow_pickle=False) as npz:  # raises on any object array
            for key in npz.files:  # pixels as bytes; the trained network's weights as float32
                wanted = np.float32 if name == "digit_cnn.npz" else np.uint8
                assert not npz[key].dtype.hasobject and npz[key].dtype == wanted


def test_everything_together_stays_small():
    assert sum((DATA / name).stat().st_size for name in FILES) < 16 * 2**20


# --- MNIST ------------------------------------------------------------------------


def test_mnist_shapes_dtypes_and_ranges():
    x_train, y_train, x_test, y_test = data.load_mnist()
    assert x_train.shape == (60000, 28, 28) and x_test.shape == (10000, 28, 28)
    assert y_train.shape == (60000,) and y_test.shape == (10000,)
    assert x_train.dtype == x_test.dtype == np.uint8
    assert y_train.dtype == y_test.dtype == np.int64
    for x in (x_train, x_test):
        assert x.min() == 0 and x.max() == 255
    for y in (y_train, y_test):
        assert y.min() == 0 and y.max() == 9


def test_mnist_is_the_real_mnist():
    mnist = data.load_mnist()
    assert np.bincount(mnist.train_labels, minlength=10).tolist() == MNIST_TRAIN_COUNTS
    assert np.bincount(mnist.test_labels, minlength=10).tolist() == MNIST_TEST_COUNTS
    assert mnist.train_labels[:10].tolist() == MNIST_TRAIN_FIRST
    assert mnist.test_labels[:10].tolist() == MNIST_TEST_FIRST
    # digits are white ink on a black background: the border rows are (almost) all zero
    assert mnist.train_images[:, 0, :].mean() < 1 and mnist.train_images[:, 10:18, 10:18].mean() > 50


# --- photos and faces ---------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(PHOTO_SHAPES))
def test_photo_shapes_dtypes_and_ranges(name):
    photo = data.load_photo(name)
    assert photo.shape == PHOTO_SHAPES[name] and photo.dtype == np.uint8
    assert photo.max() > 200 and photo.min() < 50  # a real photo spans dark to bright


def test_photo_names_and_credits():
    assert sorted(data.PHOTOS) == sorted(PHOTO_SHAPES)
    with np.load(DATA / "photos.npz", allow_pickle=False) as npz:
        assert sorted(npz.files) == sorted(PHOTO_SHAPES)
    assert all("scikit-image" in credit for credit in data.PHOTOS.values())


def test_faces_shapes_labels_and_ranges():
    faces, labels = data.load_faces()
    assert faces.shape == (200, 25, 25) and faces.dtype == np.uint8
    assert labels.shape == (200,) and labels.dtype == np.int64
    assert labels.tolist() == [1] * 100 + [0] * 100
    assert faces.min() == 0 and faces.max() == 255
    assert data.FACE_CLASSES[1] == "face" and data.FACE_CLASSES[0] == "non-face"


# --- damaged files: a clear error, never a download -------------------------------


def damage(path, how):
    if how == "missing":
        path.unlink()
    elif how == "truncated":
        path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
    elif how == "one byte changed":
        raw = bytearray(path.read_bytes())
        raw[len(raw) // 2] ^= 0xFF
        path.write_bytes(bytes(raw))
    elif how == "valid npz, other pixels":
        with np.load(path, allow_pickle=False) as npz:
            arrays = {key: npz[key].copy() for key in npz.files}
        first = next(iter(arrays))
        arrays[first].flat[0] += 1  # one pixel (or weight) differs
        with open(path, "wb") as handle:
            np.savez_compressed(handle, **arrays)


@pytest.mark.parametrize("how", ["missing", "truncated", "one byte changed", "valid npz, other pixels"])
@pytest.mark.parametrize("filename", FILES)
def test_damaged_file_raises_a_clear_error(data_copy, filename, how):
    expected = readme_table()[filename][1]
    path = data_copy / filename
    damage(path, how)
    actual = "missing" if how == "missing" else sha256_file(path)
    with pytest.raises(data.DataFileError) as caught:
        LOADERS[filename](data_dir=data_copy)
    message = str(caught.value)
    assert isinstance(caught.value, OSError)
    assert str(path) in message
    assert f"expected SHA-256 {expected}" in message
    assert actual in message and actual != expected
    assert f"git checkout -- data/{filename}" in message
    assert caught.value.path == path and caught.value.expected == expected
    assert caught.value.actual == (None if how == "missing" else actual)


def test_intact_copies_load_and_verify_all_names_the_bad_one(data_copy):
    np.testing.assert_array_equal(data.load_faces(data_dir=str(data_copy)).images, data.load_faces().images)
    (data_copy / "photos.npz").unlink()
    with pytest.raises(data.DataFileError, match="photos.npz"):
        data.verify_all(data_dir=data_copy)


def test_checksum_is_computed_once_per_file(data_copy, monkeypatch):
    calls = []
    real_sha256 = hashlib.sha256
    monkeypatch.setattr(data.hashlib, "sha256", lambda raw: calls.append(len(raw)) or real_sha256(raw))
    data.load_faces(data_dir=data_copy)
    data.load_faces(data_dir=data_copy)
    assert len(calls) == 1, "the second load must not hash the file again"
    damage(data_copy / "faces.npz", "truncated")  # a changed file is hashed again, and refused
    with pytest.raises(data.DataFileError):
        data.load_faces(data_dir=data_copy)
    assert len(calls) == 2


# --- offline and pickle-free ---------------------------------------------------------


def test_the_network_guard_works():
    with pytest.raises(AssertionError, match="network"):
        socket.create_connection(("pypi.org", 443), timeout=1)
    with socket.socket() as sock, pytest.raises(AssertionError, match="network"):
        sock.connect(("127.0.0.1", 9))


def test_loading_works_with_the_network_cut(cold_cache):
    data.load_mnist()
    data.load_faces()
    for name in data.PHOTOS:
        data.load_photo(name)
    data.verify_all()


def test_loaders_never_allow_pickle(monkeypatch):
    calls = []
    real_load = np.load

    def spy(*args, **kwargs):
        calls.append(kwargs)
        return real_load(*args, **kwargs)

    monkeypatch.setattr(np, "load", spy)
    data.load_mnist()
    data.load_photo("coins")
    data.load_faces()
    assert len(calls) == 3
    assert all(kwargs.get("allow_pickle") is False for kwargs in calls)


def test_source_imports_neither_pickle_nor_network_modules():
    imported = set()
    for node in ast.walk(ast.parse(inspect.getsource(data))):
        if isinstance(node, ast.Import):
            imported |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            imported.add(node.module.split(".")[0])
    assert not imported & {"pickle", "dill", "joblib", "urllib", "http", "requests", "socket", "ftplib"}
    assert "allow_pickle=True" not in inspect.getsource(data)


# --- train / validation split ------------------------------------------------------


def test_split_by_hand():
    x = np.arange(10) * 10  # image i is the number 10*i, so pairs can be checked
    y = np.arange(10)
    x_tr, y_tr, x_val, y_val = data.train_val_split(x, y, val_fraction=0.2, seed=3)
    assert x_tr.shape == (8,) and x_val.shape == (2,)  # round(0.2 * 10) = 2
    np.testing.assert_array_equal(x_tr, 10 * y_tr)
    np.testing.assert_array_equal(x_val, 10 * y_val)
    assert sorted(np.concatenate([y_tr, y_val]).tolist()) == list(range(10))  # a partition


def test_split_is_seeded():
    x = np.arange(100, dtype=np.uint8).reshape(100, 1)
    y = np.arange(100)
    first, again = data.train_val_split(x, y, seed=7), data.train_val_split(x, y, seed=7)
    other = data.train_val_split(x, y, seed=8)
    for a, b in zip(first, again, strict=True):
        np.testing.assert_array_equal(a, b)
    assert first.val_labels.tolist() != other.val_labels.tolist()
    assert first.train_images.dtype == np.uint8 and first.train_labels.dtype == y.dtype


def test_split_of_mnist():
    mnist = data.load_mnist()
    split = data.train_val_split(mnist.train_images, mnist.train_labels, val_fraction=0.1, seed=0)
    assert split.train_images.shape == (54000, 28, 28) and split.val_labels.shape == (6000,)
    assert split.train_images.dtype == np.uint8


# --- bad arguments -------------------------------------------------------------------

X10 = np.zeros((10, 2))
Y10 = np.arange(10)

# (id, call, exception, argument named in the message, a fragment of "what came in")
BAD_INPUTS = [
    ("unknown photo", lambda: data.load_photo("lena"), ValueError, "name", "'lena'"),
    ("photo not a string", lambda: data.load_photo(3), TypeError, "name", "int 3"),
    ("data_dir not a path", lambda: data.load_mnist(data_dir=42), TypeError, "data_dir", "int 42"),
    ("fraction too large", lambda: data.train_val_split(X10, Y10, val_fraction=1.5), ValueError, "val_fraction", "1.5"),
    ("fraction zero", lambda: data.train_val_split(X10, Y10, val_fraction=0), ValueError, "val_fraction", "got 0"),
    ("fraction string", lambda: data.train_val_split(X10, Y10, val_fraction="0.1"), TypeError, "val_fraction", "'0.1'"),
    ("fraction bool", lambda: data.train_val_split(X10, Y10, val_fraction=True), TypeError, "val_fraction", "True"),
    ("empty part", lambda: data.train_val_split(X10, Y10, val_fraction=0.01), ValueError, "val_fraction", "0 of the"),
    ("seed float", lambda: data.train_val_split(X10, Y10, seed=1.5), TypeError, "seed", "1.5"),
    ("seed negative", lambda: data.train_val_split(X10, Y10, seed=-1), ValueError, "seed", "-1"),
    ("seed string", lambda: data.train_val_split(X10, Y10, seed="0"), TypeError, "seed", "'0'"),
    ("labels too short", lambda: data.train_val_split(X10, Y10[:9]), ValueError, "labels", "shape (9,)"),
    ("labels 2-D", lambda: data.train_val_split(X10, X10), ValueError, "labels", "ndim=2"),
    ("images scalar", lambda: data.train_val_split(np.float64(1.0), Y10), ValueError, "images", "ndim=0"),
    ("scale floats", lambda: images.scale_pixels(np.ones(3) / 2), TypeError, "images", "float64"),
    ("scale above 255", lambda: images.scale_pixels(np.array([0, 300])), ValueError, "images", "300"),
    ("scale negative", lambda: images.scale_pixels(np.array([-1, 3])), ValueError, "images", "-1"),
    ("scale None", lambda: images.scale_pixels(None), TypeError, "images", "None"),
    ("gray on gray", lambda: images.rgb_to_gray(np.zeros((512, 512))), ValueError, "image", "(512, 512)"),
    ("gray on RGBA", lambda: images.rgb_to_gray(np.zeros((4, 4, 4))), ValueError, "image", "(4, 4, 4)"),
    ("gray channels first", lambda: images.rgb_to_gray(np.zeros((3, 5, 5))), ValueError, "image", "moveaxis"),
    ("gray on strings", lambda: images.rgb_to_gray(np.array(["r", "g", "b"])), TypeError, "image", "<U1"),
]


@pytest.mark.parametrize("case", BAD_INPUTS, ids=[case[0] for case in BAD_INPUTS])
def test_bad_input_message_names_argument_and_value(case):
    _, call, error, name, fragment = case
    with pytest.raises(error) as caught:
        call()
    message = str(caught.value)
    assert f"`{name}`" in message and fragment in message, message


def test_unknown_photo_lists_the_available_ones():
    with pytest.raises(ValueError) as caught:
        data.load_photo("Camera")
    assert all(repr(name) in str(caught.value) for name in PHOTO_SHAPES)


def test_the_data_folder_can_be_named_by_an_environment_variable(tmp_path, monkeypatch):
    # a wheel install has no data/ beside the package: CNNLIB_DATA_DIR says where the files are
    shutil.copy(DATA / "faces.npz", tmp_path / "faces.npz")
    monkeypatch.setenv("CNNLIB_DATA_DIR", str(tmp_path))
    assert data.load_faces().images.shape == data.load_faces(data_dir=DATA).images.shape
    monkeypatch.setenv("CNNLIB_DATA_DIR", str(tmp_path / "nowhere"))
    with pytest.raises(data.DataFileError, match="CNNLIB_DATA_DIR"):
        data.load_faces()


# --- the shipped trained network -----------------------------------------------------------


def test_the_shipped_network_reads_at_least_99_percent_of_the_test_digits():
    mnist = data.load_mnist()
    net = data.load_digit_cnn()
    assert net.parameter_count() == 18_378
    predictions = net.predict(mnist.test_images[:, None] / np.float32(255))
    assert np.mean(predictions == mnist.test_labels) >= 0.99


def test_a_network_file_of_other_shapes_is_refused(tmp_path, monkeypatch):
    path = tmp_path / "digit_cnn.npz"
    np.savez(path, **{"0.w": np.zeros((8, 1, 3, 3), np.float32)})  # digit_cnn's first layer, not the wide one's
    monkeypatch.setitem(data.SHA256, "digit_cnn.npz", hashlib.sha256(path.read_bytes()).hexdigest())
    with pytest.raises(ValueError, match=r"holds 0.w of shape \(8, 1, 3, 3\), the network needs \(16, 1, 5, 5\)"):
        data.load_digit_cnn(data_dir=tmp_path)
