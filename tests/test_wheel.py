"""cnnlib works when installed as a wheel, as a learner on their own Python would install it.

Editable installs (`make lab`, `make test`) hide packaging mistakes: the package is read from
the working tree, so a subpackage missing from the wheel goes unnoticed. Here the wheel is
built, installed (not editable) into a fresh virtualenv, and used from a folder outside the
repository: every subpackage imports, and notebook 00 runs top to bottom in a kernel of
that virtualenv.
"""

import json
import os
import shutil
import subprocess
import sys
import textwrap
import venv
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.slow
# The wheel's interpreter must not see this checkout through PYTHONPATH (a developer may have it set).
# A wheel carries the code, not the data: CNNLIB_DATA_DIR points it at the repository's data/ folder.
CLEAN_ENV = {key: value for key, value in os.environ.items() if key != "PYTHONPATH"}
CLEAN_ENV["CNNLIB_DATA_DIR"] = str(ROOT / "data")


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    # Built from a copy of the package's own files: an in-tree build/ folder left by an
    # earlier build would otherwise be reused and could hide a subpackage missing from the config.
    source = tmp_path_factory.mktemp("source")
    shutil.copytree(ROOT / "cnnlib", source / "cnnlib", ignore=shutil.ignore_patterns("__pycache__"))
    for name in ["pyproject.toml", "README.md"]:
        shutil.copy(ROOT / name, source / name)
    out = tmp_path_factory.mktemp("dist")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--wheel-dir", str(out), str(source)],
        check=True,
        capture_output=True,
        text=True,
        timeout=600,
    )
    (found,) = out.glob("cnnlib-*.whl")
    return found


@pytest.fixture(scope="module")
def wheel_python(wheel, tmp_path_factory) -> Path:
    """A fresh virtualenv holding the wheel (not editable); its dependencies are this venv's, read-only."""
    env_dir = tmp_path_factory.mktemp("wheel-venv")
    venv.create(env_dir, with_pip=True)
    python = env_dir / "bin" / "python"
    subprocess.run(
        [str(python), "-m", "pip", "install", "--quiet", "--no-deps", str(wheel)],
        check=True,
        capture_output=True,
        text=True,
        timeout=600,
    )
    # numpy, matplotlib, ipykernel, ... come from the test environment, appended after the
    # new venv's own site-packages; the test environment's editable cnnlib is never activated
    # (a .pth in an appended folder is not run), so `import cnnlib` must find the wheel.
    site = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    deps = [p for p in sys.path if p.endswith("site-packages")]
    Path(site, "test_dependencies.pth").write_text("\n".join(deps) + "\n")
    return python


def test_the_wheel_holds_every_subpackage(wheel):
    names = zipfile.ZipFile(wheel).namelist()
    for package in ["cnnlib", "cnnlib/plotting", "cnnlib/widgets", "cnnlib/exercises"]:
        assert f"{package}/__init__.py" in names, f"{package} is missing from {wheel.name}"
    assert not [n for n in names if n.startswith(("tests/", "notebooks/", "benchmarks/"))]


def test_every_subpackage_imports_from_the_installed_wheel(wheel_python, tmp_path):
    script = textwrap.dedent("""
        import ipywidgets
        import cnnlib, cnnlib.plotting, cnnlib.widgets, cnnlib.exercises
        print(cnnlib.__file__)
        print(cnnlib.plotting.pipeline_figure().__class__.__name__)
        print(isinstance(cnnlib.widgets.environment_check_slider(), ipywidgets.VBox))
    """)
    result = subprocess.run(
        [str(wheel_python), "-c", script],
        cwd=tmp_path,
        env=CLEAN_ENV,
        check=True,
        capture_output=True,
        text=True,
        timeout=300,
    )
    location, figure, widget = result.stdout.split()
    assert Path(location).is_relative_to(wheel_python.parent.parent), f"cnnlib was imported from {location}"
    assert (figure, widget) == ("Figure", "True")


def test_notebook_00_runs_on_the_installed_wheel(wheel_python, tmp_path):
    # A kernel spec of the wheel's virtualenv, found first through JUPYTER_PATH.
    kernel_dir = tmp_path / "jupyter" / "kernels" / "python3"
    kernel_dir.mkdir(parents=True)
    kernel_dir.joinpath("kernel.json").write_text(
        json.dumps(
            {
                "argv": [str(wheel_python), "-m", "ipykernel_launcher", "-f", "{connection_file}"],
                "display_name": "Python 3 (wheel)",
                "language": "python",
            }
        )
    )
    work = tmp_path / "work"
    work.mkdir()
    script = textwrap.dedent(f"""
        import nbformat
        from nbclient import NotebookClient
        nb = nbformat.read({str(ROOT / "notebooks" / "00_start_here.ipynb")!r}, as_version=4)
        nb.cells.insert(0, nbformat.v4.new_code_cell("import cnnlib; print(cnnlib.__file__)"))
        resources = {{"metadata": {{"path": {str(work)!r}}}}}
        NotebookClient(nb, kernel_name="python3", timeout=120, resources=resources).execute()
        print(nb.cells[0].outputs[0]["text"].strip())
        errors = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs if o.output_type == "error"]
        print(len(errors))
    """)
    env = {**CLEAN_ENV, "JUPYTER_PATH": str(tmp_path / "jupyter")}
    result = subprocess.run(
        [str(wheel_python), "-c", script], cwd=work, env=env, check=True, capture_output=True, text=True, timeout=300
    )
    location, errors = result.stdout.split()[-2:]
    assert Path(location).is_relative_to(wheel_python.parent.parent), f"the kernel imported cnnlib from {location}"
    assert errors == "0"
