# Two commands for people: `make lab` and `make test` (and `make instructor` for who teaches).
# Everything else is plumbing.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
# Extra arguments for JupyterLab, e.g. `make lab LAB_ARGS="--no-browser --port=8899"`.
# `make test` runs the tests on this many processes (pytest-xdist): most of the suite's time is
# notebooks, JupyterLab and JupyterHub running one Python process each, so 2 use 2 cores.
# Each test module (and each notebook) stays whole on one process, in its order.
TEST_WORKERS ?= 2
LAB_ARGS ?=
# JupyterLab refuses to start as root (CI machines, containers) unless told it may.
ROOT_FLAG := $(if $(filter 0,$(shell id -u)),--allow-root)

.PHONY: lab instructor test bench student venv hub-env clean-venv

$(PY):
	$(PYTHON) -m venv $(VENV)

venv: $(PY)

# Stamps record that an extra is installed, so a second run starts in seconds;
# they are redone when pyproject.toml changes.
$(VENV)/.lab-installed: pyproject.toml | $(PY)
	$(PY) -m pip install --quiet -e ".[lab]"
	touch $@

$(VENV)/.test-installed: pyproject.toml $(VENV)/.lab-installed
	$(PY) -m pip install --quiet -e ".[lab,test]"
	touch $@

# The learner works in my_work/: student versions copied there once and never
# overwritten; notebooks new upstream are added beside them.
# The learner's JupyterLab has no instructor tools: course/jupyter/learner/ (a Jupyter config
# folder put first on JUPYTER_CONFIG_PATH) disables nbgrader's Create Assignment, Formgrader and
# course list, and keeps its Assignments list and Validate button.
LEARNER_CONFIG = JUPYTER_CONFIG_PATH="$(CURDIR)/course/jupyter/learner$${JUPYTER_CONFIG_PATH:+:$$JUPYTER_CONFIG_PATH}"

lab: $(VENV)/.lab-installed
	$(PY) -m cnnlib.course learner-copy
	$(LEARNER_CONFIG) $(PY) -m jupyter lab my_work/00_start_here.ipynb $(ROOT_FLAG) $(LAB_ARGS)

# The instructor's JupyterLab: every nbgrader tool, in the course folder (formgrader, Create Assignment).
instructor: $(VENV)/.lab-installed
	$(PY) -m cnnlib.course student
	cd course && ../$(PY) -m jupyter lab $(ROOT_FLAG) $(LAB_ARGS)

# Student versions (solutions removed by nbgrader) of every notebook, in course/release/.
student: $(VENV)/.lab-installed
	$(PY) -m cnnlib.course student --force

test: $(VENV)/.test-installed
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(PY) -m pytest --numprocesses=$(TEST_WORKERS) --dist=loadscope

bench: $(VENV)/.test-installed
	$(PY) -m benchmarks

# The environment of a class hub (course/README.md) and of its test (tests/test_jupyterhub.py): the
# series installed as a wheel (no solutions in it), JupyterLab, nbgrader and JupyterHub, built from
# Debian's python3 in a folder every hub user can read, so each user's server runs it as that user.
HUB_ENV ?= /opt/cnnlib-hub
HUB_PYTHON ?= /usr/bin/python3

hub-env: $(HUB_ENV)/.installed

$(HUB_ENV)/.installed: pyproject.toml $(wildcard cnnlib/*.py cnnlib/*/*.py) $(wildcard data/*.npz)
	$(HUB_PYTHON) -m venv $(HUB_ENV)
	$(HUB_ENV)/bin/python -m pip install --quiet ".[lab,hub]"
	# a wheel carries no data: the shipped files go beside it, found through CNNLIB_DATA_DIR
	mkdir -p $(HUB_ENV)/share/cnnlib/data
	cp data/*.npz $(HUB_ENV)/share/cnnlib/data/
	chmod -R a+rX $(HUB_ENV)/share/cnnlib
	touch $@

clean-venv:
	rm -rf $(VENV)
