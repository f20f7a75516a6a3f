"""Shared test configuration: hypothesis profiles and the optional PyTorch reference.

Pick a hypothesis profile with the HYPOTHESIS_PROFILE environment variable:
``dev`` (default, quick), ``ci`` (more examples, used by .ci/run) or ``explore``
(random seeds, for hunting new counterexamples locally). ``dev`` and ``ci`` are
derandomized, so a test run is repeatable.
"""

import os
import re

import pytest
from hypothesis import HealthCheck, settings

settings.register_profile(
    "dev", max_examples=40, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow]
)
settings.register_profile(
    "ci", max_examples=150, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow]
)
settings.register_profile("explore", max_examples=1000, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "dev"))

TORCH_MISSING = (
    "PyTorch is not installed: `.venv/bin/pip install torch==2.13.0` (never unpinned) to run this comparison"
)


@pytest.fixture(scope="session")
def torch():
    """The torch module, or skip the test with a reason that says how to install it."""
    return pytest.importorskip("torch", reason=TORCH_MISSING)


# Which notebook each module serves, so `pytest -m nb06` runs everything behind notebook 06: its
# figures, widgets, exercises, core functions and the notebook itself. A test file is named after
# the module it tests (tests/test_plotting_pooling.py tests cnnlib/plotting/pooling.py), so one
# table of module names marks them all; the exercises and the notebooks carry their number.
NOTEBOOK_OF_MODULE = {
    "pipeline": 0,
    "environment_check": 0,
    "environment": 0,
    "images": 1,
    "data": 1,
    "flatten": 1,
    "convolution1d": 2,
    "filters1d": 2,
    "toeplitz": 2,
    "convolution2d": 3,
    "conv": 3,
    "kernels": 3,
    "stride_padding": 4,
    "receptive_field": 4,
    "depth": 4,
    "shapes": 4,
    "relu": 5,
    "activations": 5,
    "pooling": 6,
    "pooling_effects": 6,
    "dense_layer": 7,
    "dense": 7,
    "initialisation": 7,
    "learning": 8,
    "layers": 8,
    "threads": 8,
    "layer_base": 8,
    "pool_layers": 8,
    "columns": 8,
    "conv_pool": 8,
    "schedules": 8,
    "losses": 8,
    "training": 8,
    "toy_regression": 8,
    "curves": 8,
    "gradcheck": 8,
    "optimizers": 8,
    "progress": 8,
    "features": 9,
    "faces": 9,
    "network": 9,
    "attribution": 9,
    "draw": 9,
}


def notebook_number(path) -> int | None:
    """The notebook a test file or notebook belongs to, from its name; None for cross-cutting tests."""
    name = path.stem
    if path.suffix == ".ipynb" and name[:2].isdigit():
        return int(name[:2])
    exercise = re.fullmatch(r"(?:test_(?:exercises_)?)?ex(\d\d)", name)
    if exercise:
        return int(exercise.group(1))
    module = re.sub(r"^test_(?:plotting_|widgets_)?", "", name)
    return NOTEBOOK_OF_MODULE.get(module)


def pytest_collection_modifyitems(config, items):
    for item in items:
        number = notebook_number(item.path)
        if number is not None:
            item.add_marker(f"nb{number:02d}")
