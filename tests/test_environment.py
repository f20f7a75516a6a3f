"""cnnlib.environment: the version check of notebook 00."""

import re
from pathlib import Path

import pytest

from cnnlib import environment

ROOT = Path(__file__).resolve().parents[1]
OK_FOUND = {
    "python": "3.12.1",
    "numpy": "2.0.0",
    "scipy": "1.13.0",
    "matplotlib": "3.9.0",
    "ipywidgets": "8.1.5",
    "ipycanvas": "0.14.3",
}


def test_versions_has_one_version_string_per_package():
    found = environment.versions()
    assert list(found) == ["python", "numpy", "scipy", "matplotlib", "ipywidgets", "ipycanvas"]
    for name, version in found.items():
        assert re.match(r"\d+\.\d+", version), f"{name}: {version!r}"


def test_versions_reports_the_imported_modules():
    import numpy
    import scipy

    found = environment.versions()
    assert found["numpy"] == numpy.__version__
    assert found["scipy"] == scipy.__version__


@pytest.mark.parametrize(
    ("version", "minimum", "expected"),
    [
        ("1.26", "1.26", True),
        ("1.26.0rc1", "1.26", True),
        ("2.0.0", "1.26", True),
        ("1.9.3", "1.26", False),  # 9 < 26: compared as numbers, not as text
        ("1.25.99", "1.26", False),
        ("3.10.0", "3.10", True),
        ("3.9", "3.10", False),
    ],
)
def test_meets_minimum_compares_release_numbers(version, minimum, expected):
    assert environment.meets_minimum(version, minimum) is expected


def test_meets_minimum_bad_version():
    with pytest.raises(ValueError, match="`version` must start with a number such as '1.26.4', got 'abc'"):
        environment.meets_minimum("abc", "1.0")
    with pytest.raises(TypeError, match="`minimum` must be a version string"):
        environment.meets_minimum("1.0", 1.0)


def test_version_report_all_ok_hides_the_exact_versions():
    report = environment.version_report(OK_FOUND)
    lines = report.splitlines()
    assert len(lines) == 6
    assert all(line.endswith(" OK") for line in lines)
    assert "numpy       >= 1.26   OK" in lines
    assert "2.0.0" not in report


def test_version_report_says_what_is_too_old_or_missing():
    found = dict(OK_FOUND, numpy="1.21.0", python="3.9.18")
    del found["ipywidgets"]
    lines = environment.version_report(found).splitlines()
    assert lines[0] == "python      >= 3.10   TOO OLD: found 3.9.18, install a newer Python"
    assert lines[1] == "numpy       >= 1.26   TOO OLD: found 1.21.0, run: python -m pip install -U numpy"
    assert lines[4] == "ipywidgets  >= 8.1    MISSING: run: python -m pip install -U ipywidgets"


def test_this_environment_passes_its_own_check():
    assert "TOO OLD" not in environment.version_report()


def test_minimum_versions_match_pyproject():
    tomllib = pytest.importorskip("tomllib", reason="tomllib is in the standard library from Python 3.11")
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    declared = {"python": project["requires-python"].removeprefix(">=")}
    for requirement in project["dependencies"]:
        name, _, minimum = requirement.partition(">=")
        declared[name.strip()] = minimum.strip()
    for name, minimum in environment.MINIMUM_VERSIONS.items():
        in_pyproject = declared.get(name)
        assert in_pyproject == minimum, f"{name}: cnnlib.environment says {minimum}, pyproject.toml {in_pyproject}"
