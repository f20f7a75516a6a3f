"""A fresh machine: the README's `make lab` in a new clone, with no browser opened, then again.

The committed repository is cloned into a temporary folder (work not yet committed is not in
the clone). There, the no-browser `make lab` the README documents creates .venv, installs
the series, makes the learner's copy my_work/ and starts JupyterLab; the test checks that it
answers on its port and serves notebook 00 (the learner's version: no solution in it), then
stops it. A second `make lab` must reuse the environment: no pip step, up in under a minute.
The learner's JupyterLab has no instructor tools (nbgrader's Create Assignment, Formgrader and
course list are disabled; Assignments and Validate stay); `make instructor` has them all.
"""

import json
import os
import re
import shutil
import subprocess
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from servers import free_port, stop, wait_until_answering

ROOT = Path(__file__).resolve().parent.parent
TOKEN = "cnnlib-fresh-clone"
FIRST_RUN_TIMEOUT_S = 900  # a new virtualenv on a busy 2-core machine
SECOND_RUN_LIMIT_S = 60

pytestmark = pytest.mark.slow


def documented_no_browser_args():
    """The LAB_ARGS of the README's example for starting `make lab` without a browser."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    found = re.search(r'`make lab LAB_ARGS="([^"]*)"`', readme)
    assert found, 'README.md must document starting without a browser: `make lab LAB_ARGS="--no-browser ..."`'
    args = found.group(1).split()
    assert "--no-browser" in args, f"the README's example must not open a browser: {found.group(0)}"
    return args


def fetch(url):
    request = urllib.request.Request(url, headers={"Authorization": f"token {TOKEN}"})
    with urllib.request.urlopen(request, timeout=10) as response:
        return response.status, response.read().decode()


@pytest.fixture(scope="module")
def clone(tmp_path_factory):
    """A clone of the committed repository, removed afterwards (its .venv is large)."""
    home = tmp_path_factory.mktemp("fresh-clone")
    path = home / "repo"
    subprocess.run(["git", "clone", "--quiet", str(ROOT), str(path)], check=True, timeout=300)
    assert not (path / ".venv").exists() and not (path / "my_work").exists()
    yield path
    shutil.rmtree(home, ignore_errors=True)


INSTRUCTOR_PLUGINS = {
    "@jupyter/nbgrader:create-assignment",
    "@jupyter/nbgrader:formgrader",
    "@jupyter/nbgrader:course-list",
}
LEARNER_PLUGINS = {"@jupyter/nbgrader:assignment-list", "@jupyter/nbgrader:validate-assignment"}


def page_config(base):
    """The page config JupyterLab hands the browser (disabled plugins and more), read from /lab."""
    page = fetch(f"{base}/lab")[1]
    found = re.search(r'<script id="jupyter-config-data" type="application/json">(.*?)</script>', page, re.S)
    return json.loads(found.group(1))


def status_of(url, method="GET"):
    request = urllib.request.Request(url, method=method, headers={"Authorization": f"token {TOKEN}"})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def make_lab(clone, log_path, timeout, target="lab"):
    """Start `make lab` (no browser, a free port) in ``clone``; wait until JupyterLab answers.

    Returns the process (leader of its own process group), the base URL and the seconds to answer.
    """
    port = free_port()
    # the README's own flags, on a free port, on loopback, with a known token
    args = [arg for arg in documented_no_browser_args() if not arg.startswith("--port")]
    args += [f"--port={port}", "--ip=127.0.0.1", f"--ServerApp.token={TOKEN}"]
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"VIRTUAL_ENV", "PYTHONPATH", "PYTHONHOME", "MAKEFLAGS", "MFLAGS", "MAKELEVEL"}
    }
    jupyter = clone.parent / "jupyter"
    env.update(
        JUPYTER_CONFIG_DIR=str(jupyter / "config"),
        JUPYTER_RUNTIME_DIR=str(jupyter / "runtime"),
        JUPYTER_DATA_DIR=str(jupyter / "data"),
    )
    with open(log_path, "w") as log:
        process = subprocess.Popen(
            ["make", target, f"LAB_ARGS={' '.join(args)}"],
            cwd=clone,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # make and the JupyterLab it starts form one group, stopped together
        )
    base = f"http://127.0.0.1:{port}"
    seconds = wait_until_answering(lambda: fetch(f"{base}/api/status"), process, log_path, timeout)
    return process, base, seconds


def test_make_lab_on_a_fresh_clone_then_again(clone):
    # first run: creates .venv, installs, makes my_work/, serves notebook 00
    first_log = clone.parent / "first-make-lab.log"
    process, base, first_seconds = make_lab(clone, first_log, FIRST_RUN_TIMEOUT_S)
    try:
        status, body = fetch(f"{base}/api/contents/00_start_here.ipynb")
        assert status == 200
        notebook = json.loads(body)
        assert notebook["type"] == "notebook" and notebook["content"]["cells"][0]["source"].startswith("# 00")
        sources = "\n".join(cell["source"] for cell in notebook["content"]["cells"])
        assert "### BEGIN SOLUTION" not in sources, "make lab must serve the learner's copy, without solutions"
        assert json.loads(fetch(f"{base}/api/kernelspecs")[1])["default"] == "python3"
        status, page = fetch(f"{base}/lab/tree/00_start_here.ipynb")
        assert status == 200 and "JupyterLab" in page
        # no instructor tools for the learner, in the page (front end) nor on the server
        disabled = set(page_config(base)["disabledExtensions"])
        assert INSTRUCTOR_PLUGINS <= disabled and not LEARNER_PLUGINS & disabled, disabled
        assert status_of(f"{base}/formgrader") == 404 and status_of(f"{base}/formgraders") == 404
        assert status_of(f"{base}/courses") == 200  # the Assignments list's server side
        assert status_of(f"{base}/assignments/validate", "POST") != 404  # Validate's
    finally:
        stop(process)
    first_output = first_log.read_text()
    assert "pip install" in first_output, f"the first run should have installed the series:\n{first_output}"
    assert (clone / ".venv" / "bin" / "python").exists() and (clone / "my_work" / "00_start_here.ipynb").exists()
    stamp = (clone / ".venv" / ".lab-installed").stat().st_mtime_ns

    # second run: the same environment, no reinstall, up within a minute
    second_log = clone.parent / "second-make-lab.log"
    process, base, second_seconds = make_lab(clone, second_log, SECOND_RUN_LIMIT_S)
    try:
        assert fetch(f"{base}/api/contents/00_start_here.ipynb")[0] == 200
    finally:
        stop(process)
    second_output = second_log.read_text()
    print(
        f"make lab on a fresh clone: first run answered after {first_seconds:.0f} s, second after "
        f"{second_seconds:.1f} s"
    )
    assert "pip install" not in second_output and "-m venv" not in second_output, second_output
    assert (clone / ".venv" / ".lab-installed").stat().st_mtime_ns == stamp, "the second run reinstalled"
    assert second_seconds < SECOND_RUN_LIMIT_S

    # the instructor's command: the same environment, every nbgrader tool, in the course folder
    process, base, _ = make_lab(clone, clone.parent / "make-instructor.log", SECOND_RUN_LIMIT_S, "instructor")
    try:
        assert not (INSTRUCTOR_PLUGINS | LEARNER_PLUGINS) & set(page_config(base)["disabledExtensions"])
        assert status_of(f"{base}/formgrader") == 200
        assert fetch(f"{base}/api/contents/release/00_start_here")[0] == 200  # served from course/
    finally:
        stop(process)
