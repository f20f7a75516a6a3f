"""Shared by the tests that start JupyterLab (tests/test_browser.py, tests/test_fresh_clone.py)."""

import os
import signal
import socket
import subprocess
import time
import urllib.error

import pytest


def free_port():
    """A TCP port on 127.0.0.1 that nothing listens on now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until_answering(probe, process, log_path, timeout):
    """Call ``probe()`` until it stops raising a connection error; fail with the log if the
    server exits or ``timeout`` seconds pass. Returns the seconds it took."""
    start = time.monotonic()
    while True:
        try:
            probe()
            return time.monotonic() - start
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            if process.poll() is not None or time.monotonic() - start > timeout:
                stop(process)
                pytest.fail(f"JupyterLab did not answer within {timeout} s:\n{log_path.read_text()}")
            time.sleep(0.5)


def stop(process):
    """Stop a server started with ``start_new_session=True`` (its whole process group), if still running.

    SIGTERM first: JupyterLab shuts its kernels down on it.
    """
    try:
        os.killpg(process.pid, signal.SIGTERM)
    except ProcessLookupError:
        return
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
