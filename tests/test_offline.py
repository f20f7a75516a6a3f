"""Every notebook runs with the network cut, and a second fresh run gives the stored text outputs.

Each notebook of the series is executed once, from a fresh kernel, on a temporary copy:

- in a network namespace of its own (``unshare --net``: only a loopback interface exists)
  where the machine allows it (root, as in CI), and in every case
- with a socket guard loaded into the kernel at start-up (a ``sitecustomize`` module on the
  kernel's PYTHONPATH) that refuses, and records, any connection or name lookup that is not
  loopback.

The run must finish with no error, nothing on stderr and no blocked attempt. nbval (run by
`make test`) already compares the stored outputs with one fresh run; this second fresh run
is compared with the stored outputs by nbval's own rules (the same sanitize file, the same
skipped keys, NBVAL_IGNORE_OUTPUT cells left out), so two runs give identical text.

The data files' own check: a damaged file is refused with a message naming the file, the
expected SHA-256 and a `git checkout` command, and that command, run as written in a clone,
restores the file (tests/test_data.py checks the rest of the message, offline).

Run by pytest; also the runner that executes the notebooks (``python tests/test_offline.py
OUT_DIR NOTEBOOK...``), started by the fixture inside the namespace.
"""

import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import pytest
from nbval.plugin import (
    coalesce_streams,
    find_comment_markers,
    find_metadata_tags,
    get_sanitize_patterns,
    transform_streams_for_comparison,
)

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"
SANITIZE_FILE = ROOT / "tests" / "nbval_sanitize.cfg"
RUN_TIMEOUT_S = 1800  # every notebook together; the design asks for under 5 minutes on 2 cores
CELL_TIMEOUT_S = 300

# The guard: imported by every Python process started with its folder on PYTHONPATH (the kernel).
GUARD = r'''
"""Offline guard for tests/test_offline.py: refuse and record every non-loopback connection or lookup."""
import ipaddress
import os
import socket

LOG = os.environ.get("CNNLIB_BLOCKED_LOG")
LOOPBACK_NAMES = {"localhost", "localhost.localdomain", "ip6-localhost", "ip6-loopback"}


def allowed(host):
    """True for loopback hosts (127.0.0.0/8, ::1, localhost) only."""
    if isinstance(host, bytes):
        host = host.decode()
    if host is None or host in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(str(host).split("%")[0]).is_loopback
    except ValueError:
        return False


def refuse(what):
    if LOG:
        with open(LOG, "a") as log:
            log.write(what + "\n")
    raise OSError(101, f"network blocked by the offline test: {what}")


def install():
    real_connect, real_connect_ex = socket.socket.connect, socket.socket.connect_ex
    real_sendto, real_getaddrinfo = socket.socket.sendto, socket.getaddrinfo

    def inet(sock, address):
        return sock.family in (socket.AF_INET, socket.AF_INET6) and not allowed(address[0])

    def connect(self, address):
        if inet(self, address):
            refuse(f"connect {address!r}")
        return real_connect(self, address)

    def connect_ex(self, address):
        if inet(self, address):
            refuse(f"connect_ex {address!r}")
        return real_connect_ex(self, address)

    def sendto(self, data, *args):
        if inet(self, args[-1]):
            refuse(f"sendto {args[-1]!r}")
        return real_sendto(self, data, *args)

    def getaddrinfo(host, *args, **kwargs):
        if not allowed(host):
            refuse(f"getaddrinfo {host!r}")
        return real_getaddrinfo(host, *args, **kwargs)

    socket.socket.connect, socket.socket.connect_ex, socket.socket.sendto = connect, connect_ex, sendto
    socket.getaddrinfo = getaddrinfo


if LOG:
    install()
'''


def series():
    """The series' notebooks, in order."""
    return sorted(NOTEBOOKS.glob("[0-9][0-9]_*.ipynb"))


def in_namespace(command):
    """``command`` run in a network namespace of its own, loopback up, or None where that is not allowed."""
    unshare = shutil.which("unshare")
    if unshare is None or subprocess.run([unshare, "--net", "true"], capture_output=True).returncode != 0:
        return None  # not root (and no user namespaces): the socket guard alone cuts the network
    # a namespace starts with its loopback interface down: bring it up, as on any machine offline
    return [unshare, "--net", "--", "sh", "-c", 'ip link set lo up 2>/dev/null; exec "$@"', "sh", *command]


# --- the runner: executes notebooks, one fresh kernel each (run as a script) ---------------------


def run_notebooks(out_dir, notebooks):
    """Execute each notebook on a copy in ``out_dir`` with nbclient; record time and blocked attempts."""
    from jupyter_client.manager import KernelManager
    from nbclient import NotebookClient

    out_dir = Path(out_dir)
    # the interfaces of this process's network namespace (/sys/class/net would show the host's)
    (out_dir / "interfaces.json").write_text(json.dumps(sorted(name for _, name in socket.if_nameindex())))
    for source in map(Path, notebooks):
        copy = out_dir / source.name
        log = out_dir / f"{source.stem}.blocked"
        log.write_text("")
        os.environ["CNNLIB_BLOCKED_LOG"] = str(log)
        notebook = nbformat.read(source, as_version=4)
        # ipc transport: the kernel talks to this process over Unix sockets (an absolute path: the
        # kernel runs in out_dir), so the run does not depend on a loopback interface in the namespace
        manager = KernelManager(kernel_name="python3", transport="ipc", ip=str(out_dir.resolve() / "kernel-ipc"))
        client = NotebookClient(
            notebook,
            km=manager,
            timeout=CELL_TIMEOUT_S,
            allow_errors=True,
            resources={"metadata": {"path": str(out_dir)}},
        )
        start = time.monotonic()
        try:
            client.execute()
            failure = None
        except Exception as error:  # noqa: BLE001 - recorded, and reported by the test
            failure = f"{type(error).__name__}: {error}"
        finally:
            seconds = time.monotonic() - start
            if manager.has_kernel:
                manager.shutdown_kernel(now=True)  # a kernel manager handed to nbclient is not shut down by it
        nbformat.write(notebook, copy)
        (out_dir / f"{source.stem}.json").write_text(json.dumps({"seconds": seconds, "failure": failure}))


# --- the tests -----------------------------------------------------------------------------------

pytestmark = pytest.mark.slow

# What nbval leaves out of its comparison (nbval.plugin.IPyNbFile: skip_compare, without --nbdime).
NBVAL_SKIP_COMPARE = {
    "metadata",
    "traceback",
    "prompt_number",
    "output_type",
    "name",
    "execution_count",
    "application/vnd.jupyter.widget-view+json",
    "image/png",
    "image/jpeg",
}


@pytest.fixture(scope="module")
def offline_run(tmp_path_factory):
    """Every notebook executed once, offline; yields the folder with the executed copies and logs."""
    out_dir = tmp_path_factory.mktemp("offline")
    guard_dir = out_dir / "guard"
    guard_dir.mkdir()
    (guard_dir / "sitecustomize.py").write_text(GUARD)
    env = dict(
        os.environ,
        PYTHONPATH=os.pathsep.join(filter(None, [str(guard_dir), os.environ.get("PYTHONPATH")])),
        JUPYTER_RUNTIME_DIR=str(out_dir / "runtime"),
        JUPYTER_CONFIG_DIR=str(out_dir / "config"),
        JUPYTER_DATA_DIR=str(out_dir / "data"),
    )  # the environment's own python3 kernel, no user one
    env.pop("CNNLIB_BLOCKED_LOG", None)
    runner = [sys.executable, __file__, str(out_dir), *map(str, series())]
    command = in_namespace(runner)
    result = subprocess.run(
        command or runner, env=env, cwd=out_dir, capture_output=True, text=True, timeout=RUN_TIMEOUT_S
    )
    assert result.returncode == 0, f"the offline runner failed:\n{result.stdout}\n{result.stderr}"
    return {"dir": out_dir, "namespace": command is not None}


def test_the_run_was_cut_off_from_the_network(offline_run):
    interfaces = json.loads((offline_run["dir"] / "interfaces.json").read_text())
    if not offline_run["namespace"]:
        pytest.skip("no network namespace here (`unshare --net` needs root): the socket guard alone cut the network")
    assert interfaces == ["lo"], f"the namespace should hold only the loopback interface, found {interfaces}"


@pytest.mark.parametrize("source", series(), ids=lambda path: path.stem)
def test_notebook_runs_offline_without_error(offline_run, source):
    out_dir = offline_run["dir"]
    summary = json.loads((out_dir / f"{source.stem}.json").read_text())
    blocked = (out_dir / f"{source.stem}.blocked").read_text().splitlines()
    assert not blocked, f"{source.name} tried to reach the network: {blocked}"
    assert summary["failure"] is None, f"{source.name} did not run offline: {summary['failure']}"
    notebook = nbformat.read(out_dir / source.name, as_version=4)
    problems = []
    for index, cell in enumerate(notebook.cells):
        for output in cell.get("outputs", []):
            if output.output_type == "error":
                problems.append(f"cell {index}: {output.ename}: {output.evalue}")
            elif output.output_type == "stream" and output.name == "stderr":
                problems.append(f"cell {index} wrote to stderr: {output.text[:300]}")
    assert not problems, f"{source.name}, run offline: " + "; ".join(problems)


def comparable(outputs, patterns):
    """Outputs as nbval compares them: {key or MIME type: [sanitized values]}, skipped keys left out."""
    flat = {}
    for output in transform_streams_for_comparison(coalesce_streams(outputs)):
        for key, value in output.items():
            if key in NBVAL_SKIP_COMPARE:
                continue
            items = value.items() if key == "data" else [(key, value)]
            for sub_key, sub_value in items:
                if sub_key in NBVAL_SKIP_COMPARE:
                    continue
                if isinstance(sub_value, str):
                    for regex, replace in patterns:
                        sub_value = re.sub(regex, replace, sub_value)
                flat.setdefault(sub_key, []).append(sub_value)
    return flat


def compared_by_nbval(cell):
    """False for a cell whose output nbval does not compare (NBVAL_IGNORE_OUTPUT / NBVAL_SKIP, comment or tag)."""
    options = dict(find_metadata_tags(cell.metadata) or {})
    options.update(find_comment_markers(cell.source))
    return options.get("check", True) and not options.get("skip", False)


@pytest.mark.parametrize("source", series(), ids=lambda path: path.stem)
def test_a_second_fresh_run_gives_the_stored_text_outputs(offline_run, source):
    patterns = get_sanitize_patterns(SANITIZE_FILE.read_text(encoding="utf-8"))
    assert patterns, f"no regex/replace pairs read from {SANITIZE_FILE}"
    stored = nbformat.read(source, as_version=4)
    fresh = nbformat.read(offline_run["dir"] / source.name, as_version=4)
    assert [c.source for c in fresh.cells] == [c.source for c in stored.cells]
    differences = []
    for index, (old, new) in enumerate(zip(stored.cells, fresh.cells, strict=True)):
        if old.cell_type != "code" or not compared_by_nbval(old):
            continue
        expected, got = comparable(old.outputs, patterns), comparable(new.outputs, patterns)
        if expected != got:
            differences.append(
                f"cell {index} ({old.source.splitlines()[0][:60]!r}):\n"
                f"  stored: {json.dumps(expected)[:600]}\n  fresh:  {json.dumps(got)[:600]}"
            )
    assert not differences, f"{source.name}: a fresh run differs from the stored outputs:\n" + "\n".join(differences)


def test_series_runs_within_the_time_budget(offline_run):
    seconds = {
        path.stem: json.loads((offline_run["dir"] / f"{path.stem}.json").read_text())["seconds"] for path in series()
    }
    print("offline execution times (s):", {name: round(value, 1) for name, value in seconds.items()})
    # DESIGN.md: the whole series under 5 minutes on 2 cores; a busy test machine gets twice that
    assert sum(seconds.values()) < 600, f"the series took {sum(seconds.values()):.0f} s offline: {seconds}"


# --- the guard itself, and the data files' restore command ----------------------------------------


def test_guard_allows_loopback_only():
    namespace = {}
    exec(compile(GUARD, "sitecustomize.py", "exec"), namespace)  # noqa: S102 - our own guard; no LOG: not installed
    allowed = namespace["allowed"]
    assert all(allowed(host) for host in ["127.0.0.1", "127.8.9.1", "::1", "localhost", b"127.0.0.1", None])
    assert not any(allowed(host) for host in ["192.0.2.1", "10.0.0.1", "2001:db8::1", "pypi.org", "0.0.0.0", ""])


@pytest.mark.skipif(in_namespace(["true"]) is None, reason="needs `unshare --net` (root): so nothing can leave")
def test_guard_blocks_and_records_in_a_new_process(tmp_path):
    # inside a network namespace, so that even a broken guard could not send anything out
    (tmp_path / "sitecustomize.py").write_text(GUARD)
    log = tmp_path / "blocked.log"
    probe = (
        "import socket, urllib.request\n"
        "for attempt in (lambda: socket.socket().connect(('192.0.2.1', 9)),\n"
        "                lambda: urllib.request.urlopen('http://pypi.org/', timeout=1)):\n"
        "    try:\n        attempt()\n    except OSError as error:\n        print('refused:', error)\n"
        "server = socket.socket(); server.bind(('127.0.0.1', 0)); server.listen()\n"
        "socket.create_connection(server.getsockname(), timeout=1).close(); print('loopback allowed')\n"
    )
    env = dict(os.environ, PYTHONPATH=str(tmp_path), CNNLIB_BLOCKED_LOG=str(log))
    result = subprocess.run(
        in_namespace([sys.executable, "-c", probe]), env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.count("network blocked by the offline test") == 2, result.stdout
    assert "loopback allowed" in result.stdout
    assert log.read_text().splitlines() == ["connect ('192.0.2.1', 9)", "getaddrinfo 'pypi.org'"]


def test_restore_command_in_the_data_error_restores_the_file(tmp_path):
    """The command the error message gives, run as written in a clone, brings the damaged file back."""
    from cnnlib import data

    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "--quiet", "--no-hardlinks", str(ROOT), str(clone)], check=True, timeout=300)
    damaged = clone / "data" / "faces.npz"
    damaged.write_bytes(damaged.read_bytes()[:1000])
    with pytest.raises(data.DataFileError) as caught:
        data.load_faces(data_dir=clone / "data")
    message = str(caught.value)
    assert "faces.npz" in message and data.SHA256["faces.npz"] in message
    command = re.search(r"`(git checkout [^`]+)`", message).group(1)
    subprocess.run(command.split(), cwd=clone, check=True, timeout=60)
    assert data.load_faces(data_dir=clone / "data").images.shape == (200, 25, 25)


if __name__ == "__main__":
    run_notebooks(sys.argv[1], sys.argv[2:])
    raise SystemExit(0)
