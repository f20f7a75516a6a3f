"""The stored notebooks are executed, error-free, and checked strictly by nbval.

nbval (run by `make test` on notebooks/) re-executes every notebook and compares each stored
text output with the fresh one. It cannot see everything: a cell stored without running is
not compared at all, and an error stored as the expected output would be "reproduced". So
here, on the files as stored:

- valid nbformat 4, the kernel `python3` (the one `make lab` and nbval use), Python;
- every code cell executed, top to bottom, in one fresh kernel: execution counts 1, 2, 3, ...;
- no error output, nothing on stderr (no warning shown to the learner);
- every widget's state stored with it, so the widget reads on GitHub / nbviewer too;
- nbval kept strict: `--nbval` (never `--nbval-lax`) with the one sanitize file, no cell
  skipped, every sanitize rule well formed; and nbval does fail on stale outputs and on an
  error, shown on a small notebook.
"""

import re
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from nbval.plugin import find_comment_markers, find_metadata_tags, get_sanitize_patterns

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"
SANITIZE_FILE = ROOT / "tests" / "nbval_sanitize.cfg"
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
WIDGET_STATE = "application/vnd.jupyter.widget-state+json"
SERIES = sorted(NOTEBOOKS.glob("[0-9][0-9]_*.ipynb"))


def code_cells(notebook):
    return [cell for cell in notebook.cells if cell.cell_type == "code"]


@pytest.fixture(params=SERIES, ids=lambda path: path.stem)
def notebook(request):
    return request.param.name, nbformat.read(request.param, as_version=4)


def test_the_series_is_there():
    assert [path.name[:2] for path in SERIES] == [f"{n:02d}" for n in range(len(SERIES))], "numbered 00, 01, ..."
    assert len(SERIES) >= 8


def test_format_kernel_and_language(notebook):
    name, nb = notebook
    nbformat.validate(nb)
    assert nb.nbformat == 4
    assert nb.metadata.get("kernelspec", {}).get("name") == "python3", f"{name}: kernelspec must be python3"
    assert nb.metadata.get("kernelspec", {}).get("language") == "python"
    assert nb.metadata.get("language_info", {}).get("name") == "python"


def test_every_code_cell_ran_top_to_bottom_in_one_fresh_kernel(notebook):
    name, nb = notebook
    cells = code_cells(nb)
    counts = [cell.execution_count for cell in cells]
    unrun = [i for i, cell in enumerate(nb.cells) if cell.cell_type == "code" and cell.execution_count is None]
    assert not unrun, f"{name}: cells {unrun} are stored without having run (nbval would not compare them)"
    assert counts == list(range(1, len(cells) + 1)), (
        f"{name}: execution counts {counts}: re-execute the whole notebook from a fresh kernel "
        f"(jupyter nbconvert --to notebook --execute --inplace notebooks/{name})"
    )
    assert all(cell.source.strip() for cell in cells), f"{name}: remove empty code cells"
    for cell in cells:
        for output in cell.outputs:
            if output.output_type == "execute_result":
                assert output.execution_count == cell.execution_count, f"{name}: an output from another run"


def test_no_error_and_nothing_on_stderr(notebook):
    name, nb = notebook
    problems = []
    for index, cell in enumerate(nb.cells):
        for output in cell.get("outputs", []):
            if output.output_type == "error":
                problems.append(f"cell {index}: {output.ename}: {output.evalue}")
            elif output.output_type == "stream" and output.name == "stderr":
                problems.append(f"cell {index} shows stderr: {output.text[:200]!r}")
    assert not problems, f"{name}: " + "; ".join(problems)


def test_every_widget_is_stored_with_its_state(notebook):
    name, nb = notebook
    state = nb.metadata.get("widgets", {}).get(WIDGET_STATE, {}).get("state", {})
    views = [
        output.data[WIDGET_VIEW]["model_id"]
        for cell in code_cells(nb)
        for output in cell.outputs
        if WIDGET_VIEW in output.get("data", {})
    ]
    missing = [model_id for model_id in views if model_id not in state]
    assert not missing, f"{name}: widget views without stored state (execute with nbconvert/nbclient): {missing}"
    for output in (o for cell in code_cells(nb) for o in cell.outputs if WIDGET_VIEW in o.get("data", {})):
        assert output.data.get("text/plain"), f"{name}: a widget output without its text fallback"


def test_no_cell_is_skipped_by_nbval(notebook):
    name, nb = notebook
    for index, cell in enumerate(code_cells(nb)):
        options = dict(find_metadata_tags(cell.metadata) or {})
        options.update(find_comment_markers(cell.source))
        assert not options.get("skip"), f"{name}, code cell {index}: NBVAL_SKIP; use # NBVAL_IGNORE_OUTPUT at most"


def test_nbval_is_strict_and_uses_the_one_sanitize_file():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["pytest"]["ini_options"]
    options = config["addopts"].split()
    assert "--nbval" in options and "--nbval-sanitize-with=tests/nbval_sanitize.cfg" in options
    assert "notebooks" in config["testpaths"]
    for name in ["pyproject.toml", "Makefile", ".ci/run", "tests/conftest.py"]:
        assert "nbval-lax" not in (ROOT / name).read_text(), f"{name} switches nbval's comparison off"


def test_every_sanitize_rule_is_well_formed():
    text = SANITIZE_FILE.read_text(encoding="utf-8")
    patterns = get_sanitize_patterns(text)
    regex_lines = [line for line in text.splitlines() if line.startswith("regex:")]
    assert len(patterns) == len(regex_lines) > 0, "each `regex:` line must be followed at once by a `replace:` line"
    for regex, replace in patterns:
        re.sub(regex, replace, "a sample 0x7f3a2c1b9d30 text")  # compiles, and its replacement is valid


def sanitized(text: str) -> str:
    for regex, replace in get_sanitize_patterns(SANITIZE_FILE.read_text(encoding="utf-8")):
        text = re.sub(regex, replace, text)
    return text


def test_rounding_level_numbers_compare_equal_and_larger_errors_still_show():
    # what differs between CPUs (OpenBLAS's kernels) compares equal ...
    assert sanitized("relative error: 2.7e-11") == sanitized("relative error: 3.3e-11")
    assert sanitized("largest difference: 1.8e-15") == sanitized("largest difference: 0.0e+00")
    assert sanitized("dx: 7.5e-12  dw: 2.2e-12") == sanitized("dx: 6.1e-12  dw: 0.0e+00")
    assert sanitized("largest relative error 2.7e-11") == sanitized("largest relative error 3.3e-11")
    # ... but an error of 1e-8 or more, a tolerance written by hand, and other numbers are still compared
    assert sanitized("relative error: 2.7e-11") != sanitized("relative error: 2.7e-08")
    assert sanitized("relative error: 3.1e-05") != sanitized("relative error: 3.2e-05")
    assert sanitized("agree to within 1e-12") != sanitized("agree to within 1e-11")
    assert sanitized("step 1000: loss 8.52e-09") != sanitized("step 1000: loss 6.84e-10"), "a result, not an error"
    assert sanitized("loss 1.23e+00") != sanitized("loss 0.0e+00")
    assert sanitized("w = 1.0e+00") != sanitized("w = 0.0e+00")


# --- nbval itself fails on what it must catch ------------------------------------------------


def tiny_notebook(path, source, stored_text, execution_count=1):
    cell = nbformat.v4.new_code_cell(source, execution_count=execution_count)
    if stored_text is not None:
        cell.outputs = [nbformat.v4.new_output("stream", name="stdout", text=stored_text)]
    notebook = nbformat.v4.new_notebook(cells=[cell])
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(notebook, path)


@pytest.mark.slow
def test_nbval_fails_on_stale_output_and_on_an_error_and_passes_a_fresh_one(tmp_path):
    tiny_notebook(tmp_path / "fresh.ipynb", 'print(1 + 1, "in 0.52 s")', "2 in 0.13 s\n")  # a sanitized duration
    tiny_notebook(tmp_path / "stale.ipynb", "print(1 + 1)", "3\n")
    tiny_notebook(tmp_path / "error.ipynb", "1 / 0", None)
    # pytest with the project's own configuration (addopts: --nbval and the sanitize file)
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-c",
            str(ROOT / "pyproject.toml"),
            "--rootdir",
            str(ROOT),
            "-p",
            "no:cacheprovider",
            "-rA",
            str(tmp_path),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    outcome = {
        name: status
        for status, name in re.findall(r"^(PASSED|FAILED) \S*?(\w+)\.ipynb::Cell 0", result.stdout, re.MULTILINE)
    }
    assert outcome == {"fresh": "PASSED", "stale": "FAILED", "error": "FAILED"}, result.stdout
    assert "Cell outputs differ" in result.stdout and "ZeroDivisionError" in result.stdout


def test_the_stored_series_stays_small():
    # a reader downloads them and a clone carries them: at most 2 MB a notebook, 12 MB for the series
    sizes = {path.name: path.stat().st_size for path in NOTEBOOKS.glob("[0-9][0-9]_*.ipynb")}
    assert len(sizes) == 10
    assert {name: size for name, size in sizes.items() if size > 2_000_000} == {}
    assert sum(sizes.values()) <= 12_000_000, f"{sum(sizes.values()):,} bytes stored"
