"""Write a compressed ``.npz`` whose bytes depend only on the arrays (build-time helper).

``np.savez_compressed`` stamps every member with the current time, so two
builds of the same arrays give different files and different SHA-256s. This
writer fixes everything that is not data (member order, timestamps, file
modes, the "made on" system) so that rebuilding a file reproduces its
checksum, and stores no pickles. ``np.load(path, allow_pickle=False)`` reads the
result like any other ``.npz``.
"""

from __future__ import annotations

import hashlib
import io
import os
import zipfile
from pathlib import Path

import numpy as np

_EPOCH = (1980, 1, 1, 0, 0, 0)  # the earliest date a zip file can hold


def write_npz(path: Path, arrays: dict[str, np.ndarray]) -> str:
    """Write ``arrays`` (name -> array) to ``path`` as a deflated ``.npz``; return its SHA-256.

    Arrays are written in the order given, each as ``<name>.npy`` (format
    version 1.0, C order). Object arrays are refused, so the file never needs
    ``allow_pickle=True``. The file is written beside ``path`` and renamed
    into place, so an interrupted build never leaves half a file.
    """
    path = Path(path)
    partial = path.with_name(path.name + ".partial")
    with zipfile.ZipFile(partial, "w") as archive:
        for name, array in arrays.items():
            array = np.ascontiguousarray(array)
            if array.dtype.hasobject:
                raise TypeError(f"array {name!r} has dtype {array.dtype}: object arrays would need pickle")
            buffer = io.BytesIO()
            np.lib.format.write_array(buffer, array, version=(1, 0), allow_pickle=False)
            info = zipfile.ZipInfo(f"{name}.npy", date_time=_EPOCH)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 3  # unix, whatever machine builds it
            info.external_attr = 0o644 << 16
            archive.writestr(info, buffer.getvalue(), compresslevel=9)
    os.replace(partial, path)
    return sha256_of(path)


def sha256_of(path: Path) -> str:
    """SHA-256 of a file, as 64 lowercase hex digits."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()
