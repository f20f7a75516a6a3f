"""JupyterHub for one class of "CNNs from the pixels up" on one server (how to run it: course/README.md).

The instructors and the students are hub users, each a Unix account of the server
(JupyterHub's defaults: PAM logs them in, LocalProcessSpawner runs each one's
server as that account, in its home). nbgrader's exchange is one shared folder.
Every server runs JupyterLab from the series' environment (`make hub-env`):
students get the learner's JupyterLab (no instructor tools, course/jupyter/learner/),
instructors every nbgrader tool, with their course folder as nbgrader's course root.

Settings, from the environment of the `jupyterhub` command (default in brackets):

    CNNLIB_HUB_INSTRUCTORS  comma-separated user names of the instructors [instructor]
    CNNLIB_HUB_STUDENTS     a file of student user names, one a line, `#` comments
                            [students.txt beside this file]
    CNNLIB_HUB_EXCHANGE     nbgrader's exchange, shared by all [/srv/nbgrader/exchange]
    CNNLIB_HUB_SHARED       where the hub writes the Jupyter settings its users' servers read
                            [/srv/nbgrader/jupyter]
    CNNLIB_SERIES_ENV       the Python environment with the series, JupyterLab and nbgrader
                            [the one this hub runs from]
    CNNLIB_HUB_COURSE_ROOT  each instructor's course folder, `~` being their home [~/cnns/course]
    CNNLIB_DATA_DIR         the series' data files, for every server [share/cnnlib/data of the series'
                            environment, where `make hub-env` puts them]
"""

import os
import pwd
import shutil
import sys
from pathlib import Path

c = get_config()  # noqa: F821 - injected by JupyterHub's config loader

HERE = Path(__file__).resolve().parent
COURSE_ID = "cnns-from-the-pixels-up"  # as in nbgrader_config.py beside this file


def setting(name, default):
    """A setting from the environment, or its default."""
    return os.environ.get(name) or str(default)


INSTRUCTORS = [name.strip() for name in setting("CNNLIB_HUB_INSTRUCTORS", "instructor").split(",") if name.strip()]
ROSTER = Path(setting("CNNLIB_HUB_STUDENTS", HERE / "students.txt"))
STUDENTS = [
    line.split("#", 1)[0].strip()
    for line in (ROSTER.read_text(encoding="utf-8").splitlines() if ROSTER.exists() else [])
    if line.split("#", 1)[0].strip()
]
EXCHANGE = Path(setting("CNNLIB_HUB_EXCHANGE", "/srv/nbgrader/exchange"))
SHARED = Path(setting("CNNLIB_HUB_SHARED", "/srv/nbgrader/jupyter"))
SERIES_ENV = Path(setting("CNNLIB_SERIES_ENV", sys.prefix))
COURSE_ROOT = setting("CNNLIB_HUB_COURSE_ROOT", "~/cnns/course")
DATA_DIR = setting("CNNLIB_DATA_DIR", SERIES_ENV / "share" / "cnnlib" / "data")

# Who may log in. nbgrader's groups name the course's instructors and students.
c.Authenticator.allowed_users = set(INSTRUCTORS) | set(STUDENTS)
c.JupyterHub.load_groups = {
    f"formgrade-{COURSE_ID}": {"users": INSTRUCTORS},
    f"nbgrader-{COURSE_ID}": {"users": STUDENTS},
}

# The exchange: world-writable (nbgrader requires it), and the course's folder in it made for the
# first instructor, so that no student can take its name first. Inside it nbgrader keeps
# outbound/ (released assignments, readable by all), inbound/ (submissions: students may write
# but not list it) and feedback/ (students may open their own file, whose name only they know).
NBGRADER_CONFIG = f'''"""nbgrader settings of every user of the class hub; written by {Path(__file__).name}."""
import os

c = get_config()  # noqa: F821
c.CourseDirectory.course_id = {COURSE_ID!r}
c.Exchange.root = {str(EXCHANGE)!r}

# An instructor's server is told where their course folder is; the course's own settings
# (student versions, grading time-outs) come from its nbgrader_config.py.
course_root = os.environ.get("CNNLIB_COURSE_ROOT")
if course_root:
    c.CourseDirectory.root = course_root
    if os.path.isfile(os.path.join(course_root, "nbgrader_config.py")):
        load_subconfig(os.path.join(course_root, "nbgrader_config.py"))  # noqa: F821
'''


def unix_account(name):
    """The Unix account of hub user ``name``: ``name`` itself, or The Littlest JupyterHub's ``jupyter-<name>``."""
    for account in (name, f"jupyter-{name}"):
        try:
            return pwd.getpwnam(account)
        except KeyError:
            continue
    raise KeyError(f"no Unix account for hub user {name!r}")


def prepare_shared_folders():
    """The exchange, and the Jupyter settings of every user (all/) and of the students (learner/)."""
    EXCHANGE.mkdir(parents=True, exist_ok=True)
    EXCHANGE.chmod(0o777)  # exactly: nbgrader resets any other mode, and an instructor may not
    course = EXCHANGE / COURSE_ID
    if not course.exists() and INSTRUCTORS and os.geteuid() == 0:
        try:
            owner = unix_account(INSTRUCTORS[0])
        except KeyError:
            print(f"jupyterhub_config: no account {INSTRUCTORS[0]!r} yet; {course} is made at release", file=sys.stderr)
        else:
            course.mkdir(mode=0o755)
            os.chown(course, owner.pw_uid, owner.pw_gid)
    for part in ("all", "learner"):
        shutil.rmtree(SHARED / part, ignore_errors=True)
    (SHARED / "all").mkdir(parents=True)
    (SHARED / "all" / "nbgrader_config.py").write_text(NBGRADER_CONFIG, encoding="utf-8")
    shutil.copytree(HERE / "jupyter" / "learner", SHARED / "learner")
    for folder, _, files in os.walk(SHARED):  # the repository may be private; these must not be
        os.chmod(folder, 0o755)
        for name in files:
            os.chmod(os.path.join(folder, name), 0o644)


prepare_shared_folders()


def is_instructor(spawner):
    return spawner.user.name in INSTRUCTORS


def jupyter_config_path(spawner):
    """Students read the learner's settings first (no instructor tools); everybody reads all/."""
    folders = [SHARED / "all"] if is_instructor(spawner) else [SHARED / "learner", SHARED / "all"]
    return os.pathsep.join(str(folder) for folder in folders)


def course_root(spawner):
    """An instructor's course folder (``~`` is their home); empty for students."""
    if not is_instructor(spawner):
        return ""
    home = unix_account(spawner.user.name).pw_dir
    return str(Path(home) / COURSE_ROOT[2:]) if COURSE_ROOT.startswith("~/") else COURSE_ROOT


# Every user's server: JupyterLab from the series' environment, as that user, in their home.
c.Spawner.cmd = [str(SERIES_ENV / "bin" / "jupyterhub-singleuser")]
c.Spawner.default_url = "/lab"
c.Spawner.environment = {
    "PATH": os.pathsep.join([str(SERIES_ENV / "bin"), "/usr/local/bin", "/usr/bin", "/bin"]),
    "JUPYTER_CONFIG_PATH": jupyter_config_path,
    "CNNLIB_COURSE_ROOT": course_root,
    "CNNLIB_DATA_DIR": DATA_DIR,  # the series is installed as a wheel, which carries no data
}
c.Spawner.start_timeout = 120  # a first start builds matplotlib's font cache in the new home
c.Spawner.http_timeout = 120
