# Two commands for people: `make lab` and `make test` (and `make instructor` for who teaches).
# Everything else is plumbing.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
# Extra arguments for JupyterLab, e.g. `make lab LAB_ARGS="--no-browser --port=8899"`.
LAB_ARGS ?=
# JupyterLab refuses to start as root (CI machines, containers) unless told it may.
ROOT_FLAG := $(if $(filter 0,$(shell id -u)),--allow-root)

.PHONY: lab instructor test bench student venv clean-venv

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
	$(PY) -m pytest

bench: $(VENV)/.test-installed
	$(PY) -m benchmarks

clean-venv:
	rm -rf $(VENV)
