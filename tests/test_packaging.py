"""The repo's own files agree with each other: environment.yml mirrors pyproject.toml."""

import re
import sys
from pathlib import Path

import yaml

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

ROOT = Path(__file__).resolve().parent.parent


def split_requirement(text):
    """'numpy>=1.26' -> ('numpy', '>=1.26'); environment markers are not allowed here."""
    match = re.fullmatch(r"([A-Za-z0-9_.\-]+)\s*(.*)", text.strip())
    return match.group(1).lower(), match.group(2).replace(" ", "")


def test_environment_yml_lists_the_same_runtime_packages_as_pyproject():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    runtime = project["dependencies"] + project["optional-dependencies"]["lab"]
    expected = dict(split_requirement(r) for r in runtime)

    environment = yaml.safe_load((ROOT / "environment.yml").read_text())
    conda = [d for d in environment["dependencies"] if isinstance(d, str)]
    listed = dict(split_requirement(d) for d in conda if not d.startswith(("python", "pip")))
    assert listed == expected, "environment.yml and pyproject.toml ([project] + lab extra) have drifted apart"

    python = next(d for d in conda if d.startswith("python"))
    assert python.replace(" ", "") == "python" + project["requires-python"].replace(" ", "")
    pip_part = next(d for d in environment["dependencies"] if isinstance(d, dict))["pip"]
    assert pip_part == ["-e ."], "environment.yml installs cnnlib itself with pip"


def test_torch_is_only_ever_pinned():
    # an unpinned torch pulls several GB of CUDA packages
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    requirements = project["dependencies"] + sum(project["optional-dependencies"].values(), [])
    assert [r for r in requirements if r.startswith("torch")] == ["torch==2.13.0"]
    for name in [".ci/run", "Makefile", "README.md"]:
        for line in (ROOT / name).read_text().splitlines():
            if "pip install" in line and "torch" in line:
                assert "torch==2.13.0" in line, f"{name}: {line}"


def test_readme_example_runs_and_its_shapes_are_right():
    block = re.search(r"```python\n(.*?)```", (ROOT / "README.md").read_text(), re.S).group(1)
    namespace = {}
    exec(block, namespace)  # noqa: S102 - our own README
    assert namespace["edges"].shape == (28, 28)
    assert namespace["maps"].shape == (1, 8, 26, 26)
    assert namespace["pooled"].shape == (1, 8, 13, 13)


def test_every_topic_test_file_and_notebook_has_a_notebook_marker():
    # `pytest -m nb06` must not silently miss a new plotting/widget/exercise module or notebook
    from conftest import notebook_number

    topical = [
        *ROOT.glob("tests/test_plotting_*.py"),
        *ROOT.glob("tests/test_widgets_*.py"),
        *ROOT.glob("tests/test_*ex[0-9][0-9].py"),
        *ROOT.glob("notebooks/[0-9][0-9]_*.ipynb"),
        *ROOT.glob("cnnlib/plotting/[!_]*.py"),
        *ROOT.glob("cnnlib/widgets/[!_]*.py"),
        *ROOT.glob("cnnlib/exercises/ex[0-9][0-9].py"),
    ]
    unmarked = [str(p.relative_to(ROOT)) for p in topical if notebook_number(p) is None]
    shared = {
        "cnnlib/plotting/style.py",
        "tests/test_plotting_style.py",
        "cnnlib/widgets/explorer.py",
        "tests/test_widgets_explorer.py",
    }  # the shared bases serve every notebook
    assert sorted(set(unmarked) - shared) == [], "add these to NOTEBOOK_OF_MODULE in tests/conftest.py"
    assert notebook_number(ROOT / "tests" / "test_plotting_pooling.py") == 6
    assert notebook_number(ROOT / "notebooks" / "09_features.ipynb") == 9
    assert notebook_number(ROOT / "tests" / "test_ex03.py") == 3


def test_the_docs_link_only_to_files_inside_the_repository():
    # a clone has nothing beside it: every relative link of every Markdown page must resolve here
    pages = [p for p in ROOT.rglob("*.md") if not {".venv", "my_work", "course", "test-artifacts"} & set(p.parts)]
    assert {"README.md", "CONTRIBUTING.md", "notebooks/AUTHORING.md"} <= {str(p.relative_to(ROOT)) for p in pages}
    broken = []
    for page in pages:
        for target in re.findall(r"\]\(([^)#\s]+)", page.read_text(encoding="utf-8")):
            if re.match(r"[a-z]+:", target):  # http:, https:, mailto:
                continue
            resolved = (page.parent / target).resolve()
            if not resolved.is_relative_to(ROOT) or not resolved.exists():
                broken.append(f"{page.relative_to(ROOT)} -> {target}")
    assert broken == []
