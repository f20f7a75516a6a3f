"""A class on JupyterHub, for real, on one machine: hand out, collect, grade, feed back, report.

JupyterHub (from `make hub-env`) with its proxy (configurable-http-proxy from npm) runs
course/jupyterhub_config.py as it is, with only who-is-who swapped for a test: JupyterHub's
DummyAuthenticator instead of PAM, and five Unix users that exist only for this test (nss_wrapper
gives the hub and its servers a passwd file of their own; nothing is added to /etc/passwd). Each
user's server is a real LocalProcessSpawner server running as that user's own uid, with its home
in a temporary folder. Everything listens on 127.0.0.1 only and is stopped at the end, also when
the test fails.

The class: the instructor (teacher) types the commands of course/README.md ("The instructor's
term"), read from the README itself, in the environment of their own server (as a terminal of
it has); four students fetch notebook 03 in their own servers (the Assignments tab's requests),
answer in it and submit:

- ada answers all three exercises right;
- bo answers 3.1 right, writes an infinite loop for 3.2, and leaves 3.3 unanswered but edits its
  check cell to print "correct";
- cy answers 3.3 right and tries to switch the checks off in the answer cells of 3.1 and 3.2
  (`exercises.check_3_1 = lambda *a: None`, then rebinding the name `exercises`);
- di answers all three wrong (a wrong number, cross-correlation instead of convolution, a
  horizontal edge kernel).

The instructor collects, autogrades, generates and releases feedback; each student fetches theirs.
Needs root (each server runs as its own user), `make hub-env`, Debian's libnss-wrapper and
configurable-http-proxy; skips, saying which is missing, without them (CI installs them all and
sets CNNLIB_REQUIRE_HUB=1, which turns the skip into a failure).
"""

from __future__ import annotations

import glob
import json
import os
import pwd
import re
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import nbformat
import pytest
from servers import free_port
from test_course import solution_regions, taught_text

from cnnlib.course import EXERCISE_CELL_TIMEOUT

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parent.parent
HUB_ENV = Path(os.environ.get("CNNLIB_HUB_ENV", "/opt/cnnlib-hub"))
PROXY = shutil.which("configurable-http-proxy")
NSS_WRAPPER = next(iter(sorted(glob.glob("/usr/lib/*/libnss_wrapper.so"))), None)

COURSE_ID = "cnns-from-the-pixels-up"
ASSIGNMENT = "03_convolution_2d"
INSTRUCTOR = "teacher"
STUDENTS = ["ada", "bo", "cy", "di"]
FIRST_UID = 61001  # teacher 61001, ada 61002, ...: ids no account of this machine uses (checked below)

# The points of each check cell, as notebook 03 gives them (checked against the notebook below).
POINTS = {f"check_3_{n}": 1 for n in range(1, 7)}

RIGHT = {
    "ex_3_1": "answer = (80 - 10) + 2 * (90 - 10) + (90 - 20)",
    "ex_3_2": "def convolve_full(image, kernel):\n"
    "    image, kernel = np.asarray(image, dtype=float), np.asarray(kernel, dtype=float)[::-1, ::-1]\n"
    "    kh, kw = kernel.shape\n"
    "    image = np.pad(image, ((kh - 1, kh - 1), (kw - 1, kw - 1)))  # zeros wherever the kernel sticks out\n"
    "    out = np.zeros((image.shape[0] - kh + 1, image.shape[1] - kw + 1))\n"
    "    for i in range(out.shape[0]):\n"
    "        for j in range(out.shape[1]):\n"
    "            out[i, j] = np.sum(image[i : i + kh, j : j + kw] * kernel)\n"
    "    return out",
    "ex_3_3": "vertical_edge_kernel = np.array([[-1.0, 0.0, 1.0]] * 3)",
    "ex_3_4": "shift_right = np.zeros((3, 3))\nshift_right[1, 0] = 1.0",
    "ex_3_5": "def recover_kernel(image, output):\n"
    "    kh, kw = np.subtract(image.shape, output.shape) + 1\n"
    "    oh, ow = output.shape\n"
    "    rows = [image[i : i + kh, j : j + kw].ravel() for i in range(oh) for j in range(ow)]\n"
    "    return np.linalg.lstsq(np.array(rows), output.ravel(), rcond=None)[0].reshape(kh, kw)",
    "ex_3_6": "blur_column = np.ones((3, 1)) / 3\nblur_row = np.ones((1, 3)) / 3",
}
LOOP = "def convolve_full(image, kernel):\n    while True:  # an infinite loop by bo\n        pass"
FAKE_CHECK = 'print("Exercise 3.3: correct.")  # bo edited the locked check cell'
CHEAT_1 = "answer = None\nexercises.check_3_1 = lambda *a: None  # a one-line shortcut by cy"
CHEAT_2 = (
    "import types\n\n"
    "exercises = types.SimpleNamespace(**{f'check_3_{n}': (lambda *a: None) for n in range(1, 7)})  # cy tries again\n"
    "def convolve_full(image, kernel):\n    return None"
)
WRONG = {
    "ex_3_1": "answer = 80 + 90 + 90  # di",
    "ex_3_2": "def convolve_full(image, kernel):  # di forgot the flip: cross-correlation\n"
    "    from scipy.signal import correlate2d\n"
    "    return correlate2d(image, kernel, mode='full')",
    "ex_3_3": "vertical_edge_kernel = np.array([[-1.0, -1.0, -1.0], [0.0, 0.0, 0.0], [1.0, 1.0, 1.0]])",
    "ex_3_4": "shift_right = np.array([[0, 0, 0], [0, 0, 1], [0, 0, 0]])  # di flipped it: this moves left",
    "ex_3_5": "def recover_kernel(image, output):  # di divides one output pixel by one input pixel\n"
    "    return np.array([[output[0, 0] / image[0, 0]]])",
    "ex_3_6": "blur_column = np.full((3, 1), 1 / 9)\nblur_row = np.full((1, 3), 1 / 9)  # di: a ninth each, twice",
}
ANSWERS = {  # what each student writes into which cell (grade id -> new source)
    "ada": RIGHT,
    "bo": {"ex_3_1": RIGHT["ex_3_1"], "ex_3_2": LOOP, "check_3_3": FAKE_CHECK, "ex_3_4": RIGHT["ex_3_4"]},
    "cy": {"ex_3_1": CHEAT_1, "ex_3_2": CHEAT_2, "ex_3_3": RIGHT["ex_3_3"]},
    "di": WRONG,
}
EXPECTED = {  # by hand, from the answers above and POINTS; an exercise left as released scores 0
    "ada": {"check_3_1": 1, "check_3_2": 1, "check_3_3": 1, "check_3_4": 1, "check_3_5": 1, "check_3_6": 1},
    # the loop and the edited check cell score 0
    "bo": {"check_3_1": 1, "check_3_2": 0, "check_3_3": 0, "check_3_4": 1, "check_3_5": 0, "check_3_6": 0},
    # switching the checks off scores 0
    "cy": {"check_3_1": 0, "check_3_2": 0, "check_3_3": 1, "check_3_4": 0, "check_3_5": 0, "check_3_6": 0},
    "di": {"check_3_1": 0, "check_3_2": 0, "check_3_3": 0, "check_3_4": 0, "check_3_5": 0, "check_3_6": 0},
}


def missing_requirements():
    missing = []
    if os.geteuid() != 0:
        missing.append("root (each user's server runs as that user's own uid)")
    if not (HUB_ENV / "bin" / "jupyterhub").exists():
        missing.append(f"the hub environment {HUB_ENV} (`make hub-env`, as root)")
    if NSS_WRAPPER is None:
        missing.append("Debian's libnss-wrapper (`apt-get install libnss-wrapper`)")
    if PROXY is None:
        missing.append("configurable-http-proxy (`npm install --global configurable-http-proxy@5.3.0`)")
    return missing


# --- talking to the hub and to the users' servers, over loopback ------------------------------


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


OPENER = urllib.request.build_opener(NoRedirect)


def http(method, url, token, *, params=None, body=None, timeout=60):
    """(status, parsed JSON or text) of one request with ``Authorization: token <token>``."""
    if params:
        url += "?" + urllib.parse.urlencode(params)
    data = None if body is None else json.dumps(body).encode()
    if data is None and method in ("POST", "PUT"):
        data = b""
    request = urllib.request.Request(url, data=data, method=method, headers={"Authorization": f"token {token}"})
    try:
        with OPENER.open(request, timeout=timeout) as response:
            status, raw = response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        status, raw = error.code, error.read().decode(errors="replace")
    try:
        return status, json.loads(raw)
    except ValueError:
        return status, raw


def ok(result, what):
    status, body = result
    assert 200 <= status < 300, f"{what}: HTTP {status}: {str(body)[:2000]}"
    if isinstance(body, dict) and body.get("success") is False:
        raise AssertionError(f"{what} failed: {body.get('error') or body.get('value')}\n{body.get('log', '')}")
    return body


class Hub:
    """The running hub: its URL, the driver's token, every user's token, and the test's folders."""

    def __init__(self, base, driver_token, tmp):
        self.base, self.driver_token, self.tmp = base, driver_token, tmp
        self.tokens = {}

    def as_user(self, name, method, path, **kwargs):
        """A request to ``name``'s own server (``path`` after /user/<name>/), with ``name``'s token."""
        return http(method, f"{self.base}/user/{name}/{path}", self.tokens[name], **kwargs)

    def hub_api(self, method, path, **kwargs):
        return http(method, f"{self.base}/hub/api/{path}", self.driver_token, **kwargs)


# --- the users, and running code as one of them -----------------------------------------------


def server_environment(tmp, name):
    """The environment of ``name``'s running server, read from /proc: what a terminal in it gets."""
    uid = pwd_entry(tmp, name)["uid"]
    for pid in processes_of({uid}):
        try:
            if b"jupyterhub-singleuser" in Path(f"/proc/{pid}/cmdline").read_bytes():
                raw = Path(f"/proc/{pid}/environ").read_bytes().decode()
                return dict(item.split("=", 1) for item in raw.split("\0") if "=" in item)
        except OSError:
            continue
    raise LookupError(f"{name}'s server is not running")


def run_as(tmp, name, argv, *, cwd=None, timeout=300):
    """Run ``argv`` as user ``name``: their uid and group, in their server's environment."""
    entry = pwd_entry(tmp, name)

    def become():
        os.setgid(entry["gid"])
        os.setgroups([entry["gid"]])
        os.setuid(entry["uid"])

    return subprocess.run(
        argv,
        cwd=cwd or entry["home"],
        env=server_environment(tmp, name),
        preexec_fn=become,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def in_terminal(tmp, name, script, what, cwd=None):
    """Run a bash ``script`` as ``name`` would in a terminal of their server; fail with its output if it fails."""
    result = run_as(tmp, name, ["bash", "-euc", script], cwd=cwd)
    assert result.returncode == 0, f"{what} failed:\n{script}\n{result.stdout[-4000:]}\n{result.stderr[-6000:]}"
    return result


def instructor_commands():
    """The two command blocks of course/README.md's "The instructor's term": once, then per notebook."""
    readme = (ROOT / "course" / "README.md").read_text(encoding="utf-8")
    section = readme.split("### The instructor's term", 1)[1].split("\n### ", 1)[0]
    blocks = re.findall(r"```bash\n(.*?)```", section, re.S)
    assert len(blocks) == 2, "course/README.md's instructor section should have two command blocks"
    once, per_notebook = blocks
    assert f"nbgrader release_assignment {ASSIGNMENT}" in per_notebook, "the README's example is notebook 03"
    return once, per_notebook


def pwd_entry(tmp, name):
    for line in (tmp / "passwd").read_text().splitlines():
        fields = line.split(":")
        if fields[0] == name:
            return {"uid": int(fields[2]), "gid": int(fields[3]), "home": Path(fields[5])}
    raise LookupError(name)


def make_users(tmp):
    """passwd / group files for nss_wrapper (the machine's own entries plus ours) and the homes."""
    names = [INSTRUCTOR, *STUDENTS]
    uids = range(FIRST_UID, FIRST_UID + len(names))
    taken = {entry.pw_name for entry in pwd.getpwall()} | {entry.pw_uid for entry in pwd.getpwall()}
    for name, uid in zip(names, uids, strict=True):
        if name in taken or uid in taken:
            pytest.fail(f"this machine already has an account {name!r} or uid {uid}; the test needs both free")
    homes = tmp / "home"
    homes.mkdir(mode=0o755)
    passwd = Path("/etc/passwd").read_text().rstrip("\n").splitlines()
    group = Path("/etc/group").read_text().rstrip("\n").splitlines()
    for name, uid in zip(names, uids, strict=True):
        home = homes / name
        home.mkdir()
        os.chown(home, uid, uid)
        home.chmod(0o700)  # as Debian's adduser makes homes
        passwd.append(f"{name}:x:{uid}:{uid}:{name}:{home}:/bin/bash")
        group.append(f"{name}:x:{uid}:")
    (tmp / "passwd").write_text("\n".join(passwd) + "\n")
    (tmp / "group").write_text("\n".join(group) + "\n")
    return dict(zip(names, uids, strict=True))


def give_instructor_the_repository(tmp):
    """The README's `git clone <this repository> ~/cnns`, done by the test: a copy of this checkout."""
    clone = pwd_entry(tmp, INSTRUCTOR)["home"] / "cnns"
    ignore = shutil.ignore_patterns("__pycache__", ".ipynb_checkpoints")
    shutil.copytree(ROOT / "cnnlib", clone / "cnnlib", ignore=ignore)
    shutil.copytree(ROOT / "notebooks", clone / "notebooks", ignore=ignore)
    (clone / "course").mkdir()
    shutil.copy(ROOT / "course" / "nbgrader_config.py", clone / "course")
    uid = pwd_entry(tmp, INSTRUCTOR)["uid"]
    for folder, _, files in os.walk(pwd_entry(tmp, INSTRUCTOR)["home"]):
        os.chown(folder, uid, uid)
        for name in files:
            os.chown(os.path.join(folder, name), uid, uid)
    return clone / "course"


def processes_of(uids):
    """Process ids of every process running as one of ``uids`` (read from /proc)."""
    found = []
    for status in glob.glob("/proc/[0-9]*/status"):
        try:
            text = Path(status).read_text()
        except OSError:
            continue
        real_uid = int(re.search(r"^Uid:\s+(\d+)", text, re.M).group(1))
        if real_uid in uids:
            found.append(int(status.split("/")[2]))
    return found


# --- the whole class, once -------------------------------------------------------------------


def overlay_config(tmp, ports, driver_token):
    """course/jupyterhub_config.py as it is, then only what a test on one machine must change."""
    return f"""
load_subconfig({str(ROOT / "course" / "jupyterhub_config.py")!r})

# who is who: a password shared by the test's users instead of PAM (the Unix users exist only
# in nss_wrapper's files); a service token for the test to drive the hub
c.JupyterHub.authenticator_class = "dummy"
c.DummyAuthenticator.password = {secrets.token_hex(16)!r}
c.JupyterHub.services = [{{"name": "class-driver", "api_token": {driver_token!r}}}]
c.JupyterHub.load_roles = [{{"name": "class-driver", "services": ["class-driver"],
                            "scopes": ["admin:users", "admin:servers", "tokens", "list:users"]}}]

# loopback only, free ports, state in the test's folder
c.JupyterHub.bind_url = "http://127.0.0.1:{ports[0]}"
c.JupyterHub.hub_bind_url = "http://127.0.0.1:{ports[1]}"
c.ConfigurableHTTPProxy.api_url = "http://127.0.0.1:{ports[2]}"
c.ConfigurableHTTPProxy.command = [{PROXY!r}]
c.ConfigurableHTTPProxy.pid_file = {str(tmp / "proxy.pid")!r}
c.JupyterHub.db_url = "sqlite:///{tmp / "jupyterhub.sqlite"}"
c.JupyterHub.cookie_secret_file = {str(tmp / "cookie_secret")!r}
c.Spawner.ip = "127.0.0.1"

# every user's server sees the test's users, and the series as built from this checkout
c.Spawner.environment = {{**c.Spawner.environment,
    "PYTHONPATH": {str(tmp / "series")!r}, "LD_PRELOAD": {NSS_WRAPPER!r},
    "NSS_WRAPPER_PASSWD": {str(tmp / "passwd")!r}, "NSS_WRAPPER_GROUP": {str(tmp / "group")!r},
}}
"""


def wait_for(what, probe, timeout, process, log):
    start = time.monotonic()
    while True:
        try:
            result = probe()
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            result = None  # not listening yet
        if result:
            return result
        if process.poll() is not None:
            pytest.fail(f"the hub exited while waiting for {what}:\n{log.read_text()[-6000:]}")
        if time.monotonic() - start > timeout:
            pytest.fail(f"{what}: not within {timeout} s:\n{log.read_text()[-6000:]}")
        time.sleep(0.5)


def edit_notebook(hub, student, answers):
    """In ``student``'s server: open the fetched notebook, write ``answers`` into its cells, save it."""
    path = f"api/contents/{ASSIGNMENT}/{ASSIGNMENT}.ipynb"
    model = ok(hub.as_user(student, "GET", path), f"{student} opens the notebook")
    cells = model["content"]["cells"]
    written = set()
    for cell in cells:
        grade_id = cell["metadata"].get("nbgrader", {}).get("grade_id")
        if grade_id in answers:
            cell["source"] = answers[grade_id]
            written.add(grade_id)
    assert written == set(answers), f"{student}: cells not found: {set(answers) - written}"
    ok(
        hub.as_user(student, "PUT", path, body={"type": "notebook", "format": "json", "content": model["content"]}),
        f"{student} saves the notebook",
    )


@pytest.fixture(scope="module")
def class_run():
    """Start the hub, run the whole class through it, stop everything; return what happened."""
    missing = missing_requirements()
    if missing:
        message = "the JupyterHub class test needs " + "; ".join(missing)
        if os.environ.get("CNNLIB_REQUIRE_HUB"):
            pytest.fail(message)
        pytest.skip(message)

    # in /tmp itself (not a private $TMPDIR): the users' homes are inside, they must be able to walk to them
    tmp = Path(tempfile.mkdtemp(prefix="cnnlib-hub-", dir="/tmp"))
    tmp.chmod(0o755)
    uids = set()
    hub_process = None
    log = tmp / "jupyterhub.log"
    try:
        uids = set(make_users(tmp).values())
        # the series as a wheel would install it (the package alone: no notebooks, no solutions)
        shutil.copytree(ROOT / "cnnlib", tmp / "series" / "cnnlib", ignore=shutil.ignore_patterns("__pycache__"))
        roster = tmp / "students.txt"
        roster.write_text("# the class\n" + "\n".join(STUDENTS) + "\n")
        ports = [free_port() for _ in range(3)]
        driver_token = secrets.token_hex(32)
        (tmp / "hub").mkdir()
        (tmp / "jupyterhub_test_config.py").write_text(overlay_config(tmp, ports, driver_token))
        env = {
            "PATH": f"{HUB_ENV}/bin:/usr/local/bin:/usr/bin:/bin",
            "HOME": str(tmp / "hub"),
            "LANG": "C.UTF-8",
            "LD_PRELOAD": NSS_WRAPPER,
            "NSS_WRAPPER_PASSWD": str(tmp / "passwd"),
            "NSS_WRAPPER_GROUP": str(tmp / "group"),
            "CNNLIB_HUB_INSTRUCTORS": INSTRUCTOR,
            "CNNLIB_HUB_STUDENTS": str(roster),
            "CNNLIB_HUB_EXCHANGE": str(tmp / "srv" / "exchange"),
            "CNNLIB_HUB_SHARED": str(tmp / "srv" / "jupyter"),
        }
        with open(log, "w") as log_file:
            hub_process = subprocess.Popen(
                [str(HUB_ENV / "bin" / "jupyterhub"), "-f", str(tmp / "jupyterhub_test_config.py")],
                cwd=tmp / "hub",
                env=env,
                stdout=log_file,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        hub = Hub(f"http://127.0.0.1:{ports[0]}", driver_token, tmp)
        wait_for("the hub's API", lambda: hub.hub_api("GET", "users")[0] == 200, 90, hub_process, log)
        course = give_instructor_the_repository(tmp)

        # every user logs in: a token each, and their server started (all at once, as a class would)
        names = [INSTRUCTOR, *STUDENTS]
        for name in names:
            hub.tokens[name] = ok(
                hub.hub_api("POST", f"users/{name}/tokens", body={"note": "class test"}), f"a token for {name}"
            )["token"]
            assert hub.hub_api("POST", f"users/{name}/server")[0] in (201, 202), f"starting {name}'s server"

        def all_ready():
            users = {u["name"]: u for u in hub.hub_api("GET", "users")[1]}
            return all(users[n]["servers"].get("", {}).get("ready") for n in names)

        wait_for("every user's server", all_ready, 180, hub_process, log)
        record = {"tmp": tmp, "hub": hub, "course": course, "log": log, "seconds": {}}

        # the instructor, in a terminal of their server: the README's commands, as written there
        once, per_notebook = instructor_commands()
        before_students, after_students = per_notebook.split("# ... ", 1)
        once = "\n".join(line for line in once.splitlines() if not line.startswith("git clone"))
        start = time.monotonic()
        in_terminal(tmp, INSTRUCTOR, once, "making the course folder")
        in_terminal(tmp, INSTRUCTOR, before_students, "releasing")

        # each student, in their own server: fetch (Assignments tab), answer, submit
        for student in STUDENTS:
            query = {"course_id": COURSE_ID, "assignment_id": ASSIGNMENT}
            ok(hub.as_user(student, "POST", "assignments/fetch", params=query), f"{student} fetches")
            edit_notebook(hub, student, ANSWERS[student])
            ok(hub.as_user(student, "POST", "assignments/submit", params=query), f"{student} submits")
        record["listed"] = {
            student: ok(hub.as_user(student, "GET", "assignments", params={"course_id": COURSE_ID}), "list")
            for student in STUDENTS
        }

        # the instructor: collect, autograde, feedback, released; the class report
        started = time.monotonic()
        # (the same terminal, still in ~/cnns/course)
        record["grading"] = in_terminal(tmp, INSTRUCTOR, after_students.split("\n", 1)[1], "grading", cwd=course)
        record["seconds"]["grading"] = time.monotonic() - started
        record["formgrader"] = ok(hub.as_user(INSTRUCTOR, "GET", "formgrader/api/assignments"), "formgrader")

        # each student fetches their feedback
        record["feedback"] = {}
        for student in STUDENTS:
            query = {"course_id": COURSE_ID, "assignment_id": ASSIGNMENT}
            ok(hub.as_user(student, "POST", "assignments/fetch_feedback", params=query), f"{student} fetches feedback")
            home = pwd_entry(tmp, student)["home"]
            record["feedback"][student] = sorted((home / ASSIGNMENT / "feedback").glob("*/*.html"))
        record["seconds"]["class"] = time.monotonic() - start
        print(
            f"hub test: the class took {record['seconds']['class']:.0f} s, grading "
            f"{record['seconds']['grading']:.0f} s",
            file=sys.stderr,
        )
        yield record
    finally:
        stop_everything(hub_process, tmp, uids)


def stop_everything(hub_process, tmp, uids):
    """Stop the hub (it stops the proxy and the servers), then anything left of ours; remove the folder."""
    if hub_process is not None and hub_process.poll() is None:
        os.killpg(hub_process.pid, signal.SIGTERM)
        try:
            hub_process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(hub_process.pid, signal.SIGKILL)
            hub_process.wait()
    leftovers = processes_of(uids) if uids else []
    proxy_pid = tmp / "proxy.pid"
    if proxy_pid.exists():
        try:
            pid = int(proxy_pid.read_text().strip())
            if Path(f"/proc/{pid}/cmdline").read_bytes().find(b"configurable-http-proxy") >= 0:
                leftovers.append(pid)
        except (OSError, ValueError):
            pass
    for pid in leftovers:  # only processes this test started: its users' uids exist nowhere else
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    if os.environ.get("CNNLIB_KEEP_HUB_FOLDER"):
        print(f"hub test folder kept: {tmp}", file=sys.stderr)
    else:
        shutil.rmtree(tmp, ignore_errors=True)


# --- what must have happened -----------------------------------------------------------------


def test_the_points_are_those_of_notebook_03():
    notebook = nbformat.read(ROOT / "notebooks" / f"{ASSIGNMENT}.ipynb", as_version=4)
    points = {
        c.metadata["nbgrader"]["grade_id"]: c.metadata["nbgrader"]["points"]
        for c in notebook.cells
        if c.metadata.get("nbgrader", {}).get("grade")
    }
    assert points == POINTS


def graded(class_run):
    """{student: {check cell: score}} from the instructor's gradebook."""
    from nbgrader.api import Gradebook

    scores = {}
    with Gradebook(f"sqlite:///{class_run['course'] / 'gradebook.db'}", course_id=COURSE_ID) as gradebook:
        for student in STUDENTS:
            submission = gradebook.find_submission_notebook(ASSIGNMENT, ASSIGNMENT, student)
            scores[student] = {g.name: g.score for g in submission.grades}
    return scores


def autograded_cell(class_run, student, grade_id):
    path = class_run["course"] / "autograded" / student / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"
    for cell in nbformat.read(path, as_version=4).cells:
        if cell.metadata.get("nbgrader", {}).get("grade_id") == grade_id:
            return cell
    raise LookupError(grade_id)


def test_each_score_is_exactly_what_the_answers_deserve(class_run):
    assert graded(class_run) == EXPECTED
    assert {s: sum(v.values()) for s, v in graded(class_run).items()} == {"ada": 6, "bo": 2, "cy": 1, "di": 0}


def test_the_edited_check_cell_was_restored_before_grading(class_run):
    cell = autograded_cell(class_run, "bo", "check_3_3")
    assert FAKE_CHECK not in cell.source and "exercises.check_3_3(vertical_edge_kernel)" in cell.source
    assert any(o.get("ename") == "NotYet" for o in cell.outputs)


def test_switching_the_checkers_off_did_not_help(class_run):
    refused = autograded_cell(class_run, "cy", "ex_3_1").outputs
    assert any(o.get("ename") == "AttributeError" and "read-only" in o.get("evalue", "") for o in refused)
    for grade_id in ("check_3_1", "check_3_2"):  # the check cells ran the real checkers, which said "not yet"
        outputs = autograded_cell(class_run, "cy", grade_id).outputs
        assert any(o.get("ename") == "NotYet" for o in outputs), outputs


def test_the_infinite_loop_was_stopped_by_the_time_out_and_cost_only_its_cell(class_run):
    stopped = autograded_cell(class_run, "bo", "check_3_2").outputs
    assert any(o.get("ename") == "CellTimeoutError" for o in stopped), stopped
    # the cells after it ran: 3.3's check gave its own verdict
    assert any(o.get("ename") == "NotYet" for o in autograded_cell(class_run, "bo", "check_3_3").outputs)
    # the course's time-out for answer and check cells, not nbgrader's 30 s default
    grading = class_run["grading"]
    assert f"Timeout waiting for execute reply ({EXERCISE_CELL_TIMEOUT}s)" in grading.stdout + grading.stderr
    assert class_run["seconds"]["grading"] >= EXERCISE_CELL_TIMEOUT


def test_each_student_fetched_their_own_feedback_only(class_run):
    feedback = class_run["feedback"]
    for student in STUDENTS:
        assert len(feedback[student]) == 1, (student, feedback[student])
        html = feedback[student][0].read_text(encoding="utf-8")
        total = sum(EXPECTED[student].values())
        assert f"{ASSIGNMENT} (Score: {float(total)} / {float(sum(POINTS.values()))})" in html, student
    # the feedback carries each student's own distinctive answer, and nobody else's
    marks = {"bo": "an infinite loop by bo", "cy": "a one-line shortcut by cy", "di": "di forgot the flip"}
    for student in STUDENTS:
        html = feedback[student][0].read_text(encoding="utf-8")
        for other, mark in marks.items():
            assert (mark in html) == (other == student), (student, other)


def test_the_class_report_says_what_the_class_struggled_with(class_run):
    out = class_run["grading"].stdout  # the README's last command: python -m cnnlib.course report ...
    assert "4 graded submissions" in out
    assert "Exercise 3.1 (1 point): 2 of 4 passed (50%)" in out  # ada, bo
    assert "Exercise 3.2 (1 point): 1 of 4 passed (25%)" in out  # ada
    assert "Exercise 3.3 (1 point): 2 of 4 passed (50%)" in out  # ada, cy
    assert "Exercise 3.4 (1 point): 2 of 4 passed (50%)" in out  # ada, bo
    assert "Exercise 3.5 (1 point): 1 of 4 passed (25%)" in out  # ada
    assert "did not finish before the time-out" in out  # bo's loop
    figure = class_run["course"] / "reports" / f"{ASSIGNMENT}.png"
    assert figure.stat().st_size > 10_000
    artifacts = ROOT / "test-artifacts" / "jupyterhub"
    artifacts.mkdir(parents=True, exist_ok=True)
    shutil.copy(figure, artifacts / figure.name)  # to look at
    (artifacts / f"{ASSIGNMENT}.txt").write_text(out)


ISOLATION_PROBE = """
import json, os, io, contextlib
probes = {}
def attempt(name, action):
    try:
        action()
        probes[name] = "allowed"
    except PermissionError:
        probes[name] = "refused"
    except FileNotFoundError:
        probes[name] = "missing"
attempt("list the inbound submissions", lambda: os.listdir(INBOUND))
attempt("list the released feedback", lambda: os.listdir(FEEDBACK))
attempt("open another student's notebook", lambda: open(OTHER_NOTEBOOK).read())
attempt("list another student's home", lambda: os.listdir(OTHER_HOME))
attempt("list the instructor's home", lambda: os.listdir(INSTRUCTOR_HOME))
attempt("open the source with solutions", lambda: open(SOURCE).read())
attempt("open the gradebook", lambda: open(GRADEBOOK, "rb").read())
attempt("open an autograded submission", lambda: open(AUTOGRADED).read())
attempt("read the released assignment", lambda: open(RELEASED).read())
from cnnlib import exercises
printed = io.StringIO()
with contextlib.redirect_stdout(printed):
    exercises.show_solution("3.2")
probes["show_solution"] = printed.getvalue()
print(json.dumps(probes))
"""


def test_no_student_can_read_another_s_work_or_the_solutions(class_run):
    tmp, course = class_run["tmp"], class_run["course"]
    exchange = tmp / "srv" / "exchange" / COURSE_ID
    for student in STUDENTS:
        other = STUDENTS[(STUDENTS.index(student) + 1) % len(STUDENTS)]
        paths = {
            "INBOUND": exchange / "inbound",
            "FEEDBACK": exchange / "feedback",
            "OTHER_NOTEBOOK": pwd_entry(tmp, other)["home"] / ASSIGNMENT / f"{ASSIGNMENT}.ipynb",
            "OTHER_HOME": pwd_entry(tmp, other)["home"],
            "INSTRUCTOR_HOME": pwd_entry(tmp, INSTRUCTOR)["home"],
            "SOURCE": course / "source" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb",
            "GRADEBOOK": course / "gradebook.db",
            "AUTOGRADED": course / "autograded" / other / ASSIGNMENT / f"{ASSIGNMENT}.ipynb",
            "RELEASED": exchange / "outbound" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb",
        }
        for path in paths.values():
            assert path.exists(), path  # each probe aims at something that is there
        code = "".join(f"{name} = {str(path)!r}\n" for name, path in paths.items()) + ISOLATION_PROBE
        result = run_as(tmp, student, ["python", "-c", code])
        assert result.returncode == 0, result.stderr
        probes = json.loads(result.stdout.strip().splitlines()[-1])
        allowed = {name for name, outcome in probes.items() if outcome == "allowed"}
        assert allowed == {"read the released assignment"}, (student, probes)
        assert probes["show_solution"].startswith("No solution to show"), probes["show_solution"]


def test_the_released_assignment_holds_no_solution(class_run):
    released = class_run["tmp"] / "srv" / "exchange" / COURSE_ID / "outbound" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"
    text = released.read_text(encoding="utf-8")
    assert "### BEGIN SOLUTION" not in text
    source = ROOT / "notebooks" / f"{ASSIGNMENT}.ipynb"
    taught = taught_text(source)
    for grade_id, code in solution_regions(source).items():
        for line in code.splitlines():
            if len(line.strip()) > 8 and line.strip() not in taught:
                assert json.dumps(line.strip())[1:-1] not in text, f"{grade_id} leaks: {line}"
    # made with the course's settings (through the instructor's server): the figures are kept
    assert '"image/png"' in text


def test_a_student_cannot_reach_another_student_s_server(class_run):
    hub = class_run["hub"]
    status, _ = http("GET", f"{hub.base}/user/bo/api/contents", hub.tokens["ada"])
    assert status in (302, 403, 404), status
    status, _ = http("GET", f"{hub.base}/hub/api/users/bo", hub.tokens["ada"])
    assert status in (403, 404), status
    assert http("GET", f"{hub.base}/user/ada/api/contents", hub.tokens["ada"])[0] == 200


def test_a_student_lists_only_their_own_submission(class_run):
    for student, listed in class_run["listed"].items():
        submitted = [a for a in listed["value"] if a["status"] == "submitted"]
        assert [a["student_id"] for a in submitted] == [student], listed


def test_the_instructor_s_formgrader_sees_the_same_course(class_run):
    [assignment] = [a for a in class_run["formgrader"] if a["name"] == ASSIGNMENT]
    assert assignment["releaseable"] and assignment["status"] == "released", assignment
    assert assignment["num_submissions"] == len(STUDENTS)


def test_learners_get_no_instructor_tools_and_the_instructor_gets_them(class_run):
    hub = class_run["hub"]
    assert hub.as_user("ada", "GET", "formgrader")[0] == 404
    assert hub.as_user("ada", "GET", "formgraders")[0] == 404
    assert hub.as_user(INSTRUCTOR, "GET", "formgrader/api/status")[0] == 200


def test_what_is_not_isolated_a_submission_is_hidden_only_by_its_random_name(class_run):
    # course/README.md says so: nbgrader leaves each submission in inbound/ world-readable; a student
    # who cannot list inbound/ would have to guess the name's 72 random bits (12 base64 characters)
    tmp = class_run["tmp"]
    inbound = tmp / "srv" / "exchange" / COURSE_ID / "inbound"
    [submission] = [path for path in inbound.iterdir() if path.name.startswith("bo+")]
    assert re.fullmatch(r"[A-Za-z0-9_-]{12}", submission.name.rsplit("+", 1)[1])
    notebook = submission / f"{ASSIGNMENT}.ipynb"
    result = run_as(tmp, "ada", ["python", "-c", f"open({str(notebook)!r}).read(); print('read')"])
    assert result.stdout.strip() == "read", result.stderr


def test_the_right_answers_ran_without_a_single_error(class_run):
    # every cell of the right submission ran, the data loads included: the hub's servers find the
    # series' data (a wheel carries none) through CNNLIB_DATA_DIR
    path = class_run["course"] / "autograded" / "ada" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"
    errors = [
        (index, output.get("ename"), output.get("evalue", "")[:120])
        for index, cell in enumerate(nbformat.read(path, as_version=4).cells)
        if cell.cell_type == "code"
        for output in cell.outputs
        if output.output_type == "error"
    ]
    assert errors == []
