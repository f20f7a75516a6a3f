"""Shared test configuration: hypothesis profiles and the optional PyTorch reference.

Pick a hypothesis profile with the HYPOTHESIS_PROFILE environment variable:
``dev`` (default, quick), ``ci`` (more examples, used by .ci/run) or ``explore``
(random seeds, for hunting new counterexamples locally). ``dev`` and ``ci`` are
derandomized, so a test run is repeatable.
"""

import os

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
