"""Rebuild ``data/photos.npz`` and ``data/faces.npz`` from the images bundled in scikit-image.

scikit-image is a build-time tool for this script only, never a dependency of
``cnnlib``: install it into a throwaway virtualenv, run the script with that
interpreter, delete the virtualenv. From the repository root::

    python3 -m venv /tmp/skimage-build
    /tmp/skimage-build/bin/pip install scikit-image==0.26.0
    /tmp/skimage-build/bin/python data/build/skimage_data.py
    rm -rf /tmp/skimage-build

Every source file is read from the installed wheel (no download) and checked
against the SHA-256 recorded here, which is also the one scikit-image's own
data registry lists; the script stops if the version or a checksum differs.

Outputs, written deterministically (a rebuild reproduces the recorded SHA-256):

* ``photos.npz``: one uint8 array per photo, named after it, exactly the
  pixels of the PNG in the wheel: (H, W) for grayscale, (H, W, 3) for RGB.
* ``faces.npz``: ``images`` (200, 25, 25) uint8 and ``labels`` (200,) uint8,
  1 for a face (the first 100), 0 for a non-face (the last 100). The wheel
  stores these images as float64 in [0, 1]; they are scaled by 255 and
  rounded to the nearest integer (ties to even), an error of at most 0.5/255.
"""

from __future__ import annotations

import hashlib
import sys
from pathlib import Path

import numpy as np
from _npz import write_npz

SKIMAGE_VERSION = "0.26.0"

# name -> SHA-256 of the file in skimage/data/ (identical to skimage/data/_registry.py for 0.26.0)
PHOTO_SOURCES = {
    "astronaut": "88431cd9653ccd539741b555fb0a46b61558b301d4110412b5bc28b5e3ea6cb5",
    "camera": "b0793d2adda0fa6ae899c03989482bff9a42d3d5690fc7e3648f2795d730c23a",
    "chelsea": "596aa1e7cb875eb79f437e310381d26b338a81c2da23439704a73c4651e8c4bb",
    "coffee": "cc02f8ca188b167c775a7101b5d767d1e71792cf762c33d6fa15a4599b5a8de7",
    "coins": "f8d773fc9cfa6f4d8e5942dc34d0a0788fcaed2a4fefbbed0aef5398d7ef4cba",
}
FACES_SOURCE = ("lfw_subset.npy", "9560ec2f5edfac01973f63a8a99d00053fecd11e21877e18038fbe500f8e872c")

# Shapes documented by scikit-image for each function in skimage.data.
PHOTO_SHAPES = {
    "astronaut": (512, 512, 3),
    "camera": (512, 512),
    "chelsea": (300, 451, 3),
    "coffee": (400, 600, 3),
    "coins": (303, 384),
}

DATA = Path(__file__).resolve().parent.parent


def checked_source(skimage_data_dir: Path, filename: str, expected: str, registry: dict) -> Path:
    """Return the path of a bundled file after checking it against both recorded SHA-256s."""
    path = skimage_data_dir / filename
    actual = hashlib.sha256(path.read_bytes()).hexdigest()
    listed = registry.get(f"data/{filename}")
    if actual != expected or listed != expected:
        raise SystemExit(f"{path}: SHA-256 {actual}, registry lists {listed}, this script expects {expected}")
    return path


def build() -> None:
    """Check the scikit-image version and sources, then write photos.npz and faces.npz."""
    import skimage
    import skimage.data
    from skimage.data._registry import registry

    if skimage.__version__ != SKIMAGE_VERSION:
        raise SystemExit(f"scikit-image {skimage.__version__} is installed; this script pins {SKIMAGE_VERSION}")
    source_dir = Path(skimage.data.__file__).parent

    photos = {}
    for name, expected in PHOTO_SOURCES.items():
        checked_source(source_dir, f"{name}.png", expected, registry)
        image = np.asarray(getattr(skimage.data, name)())
        if image.dtype != np.uint8 or image.shape != PHOTO_SHAPES[name]:
            raise SystemExit(f"{name}: {image.dtype} {image.shape}, expected uint8 {PHOTO_SHAPES[name]}")
        photos[name] = image

    faces_path = checked_source(source_dir, *FACES_SOURCE, registry)
    floats = np.load(faces_path, allow_pickle=False)
    if floats.shape != (200, 25, 25) or floats.min() < 0 or floats.max() > 1:
        raise SystemExit(f"{faces_path}: shape {floats.shape}, range [{floats.min()}, {floats.max()}]")
    faces = {
        "images": np.round(floats * 255).astype(np.uint8),
        "labels": np.repeat(np.array([1, 0], dtype=np.uint8), 100),
    }

    for filename, arrays in (("photos.npz", photos), ("faces.npz", faces)):
        output = DATA / filename
        digest = write_npz(output, arrays)
        print(f"{digest}  {filename}  ({output.stat().st_size} bytes)")


if __name__ == "__main__":
    sys.exit(build())
