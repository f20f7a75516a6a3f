"""`make lab` starts JupyterLab on notebook 00: started headless, fetched over HTTP, stopped.

JupyterLab serves the folder of the notebook it opens, the learner's copy my_work/, so paths are
relative to it.
"""

import json
import os
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
TOKEN = "cnnlib-test-token"


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fetch(url):
    with urllib.request.urlopen(url, timeout=5) as response:
        return response.status, response.read().decode()


@pytest.fixture
def running_lab(tmp_path):
    port = free_port()
    args = f"--no-browser --ip=127.0.0.1 --port={port} --ServerApp.token={TOKEN}"
    env = dict(os.environ, JUPYTER_RUNTIME_DIR=str(tmp_path / "runtime"), JUPYTER_CONFIG_DIR=str(tmp_path / "config"))
    log = open(tmp_path / "lab.log", "w")  # noqa: SIM115 - closed below
    process = subprocess.Popen(
        ["make", "lab", f"LAB_ARGS={args}"], cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
        start_new_session=True,  # so the whole process group (make + jupyter) can be stopped
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120
    while True:
        try:
            fetch(f"{base}/api/status?token={TOKEN}")
            break
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            if process.poll() is not None or time.monotonic() > deadline:
                stop(process)
                pytest.fail(f"JupyterLab did not answer on port {port}:\n{(tmp_path / 'lab.log').read_text()}")
            time.sleep(0.5)
    yield base
    stop(process)
    log.close()


def stop(process):
    """Stop make and the JupyterLab it started (the whole process group), if still running."""
    try:
        os.killpg(process.pid, signal.SIGTERM)
    except ProcessLookupError:
        return
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


def test_make_lab_serves_notebook_00(running_lab):
    status, body = fetch(f"{running_lab}/api/contents/00_start_here.ipynb?token={TOKEN}")
    assert status == 200
    notebook = json.loads(body)
    assert notebook["type"] == "notebook"
    assert notebook["content"]["cells"][0]["source"].startswith("# ")
    status, page = fetch(f"{running_lab}/lab/tree/00_start_here.ipynb?token={TOKEN}")
    assert status == 200 and "JupyterLab" in page
