"""Every notebook with a widget, run in JupyterLab in a real browser, as a learner would.

One JupyterLab server (from the environment running the tests: the project's .venv under
`make test`) serves a temporary copy of the notebooks, so running cells never touches the
stored ones. Debian's Chromium, driven headless by Playwright, opens each notebook whose
stored outputs hold a widget, clears its outputs, runs all cells and checks that

- every widget the stored notebook shows renders as a widget (ipywidgets' DOM), in the same
  cell, and never as its text fallback (`VBox(children=(IntSlider(...`);
- no cell shows an error or anything on stderr (a warning, a traceback, a failed callback);
- pressing the right-arrow key on one slider per notebook (the first) changes the figure
  or the text that slider drives, not only the slider's own readout.

And the error path, on a small notebook generated in the temporary folder (never in
notebooks/): a FigureExplorer whose drawing raises for one slider value shows that error in
red (as stderr) when the slider is moved there, and its figure again when moved back. That
notebook also checks that the kernel imports cnnlib from this checkout, not from another one.

And the drawing pad of notebook 09 (`widgets.draw_digit_explorer`, an ipycanvas Canvas), on a
small generated notebook: a "1" and then, after Clear, a "0" drawn with the mouse are read as 1 and 0;
a click on a unit of a map (on the widget's clickable picture, also an ipycanvas Canvas) selects
that unit, and it stays selected while drawing; a test digit picked from the menu is loaded onto
the pad and read.

A screenshot of each notebook, its moved widget in view, goes to test-artifacts/browser/
(two for the error path: the error shown, and the figure back; four for the pad: the 1, the unit
clicked, the 0 and a test digit loaded from the menu).
Never downloads a browser: without /usr/bin/chromium or the playwright package the tests skip
and say how to install them (they fail instead where CNNLIB_REQUIRE_BROWSER is set, as in CI).
"""

import contextlib
import json
import os
import shutil
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path

import nbformat
import pytest
from servers import free_port, stop, wait_until_answering

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"
ARTIFACTS = ROOT / "test-artifacts" / "browser"
CHROMIUM = Path("/usr/bin/chromium")
# Headless as root (CI) and on a machine whose only network is loopback: no sandbox, no GPU,
# and none of Chromium's own background connections (updates, sync, first-run pages).
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
STDERR = "application/vnd.jupyter.stderr"
TOKEN = "cnnlib-browser-test"
RUN_TIMEOUT_S = 300  # notebook 08 may take 120 s alone on a busy 2-core machine
# JupyterLab settings for the test server only (a temporary JUPYTER_CONFIG_DIR): no news
# prompt covering the page, and every cell kept in the page so that all can be inspected.
LAB_SETTINGS = {
    "@jupyterlab/apputils-extension/notification.jupyterlab-settings": {
        "fetchNews": "false",
        "checkForUpdates": False,
    },
    "@jupyterlab/notebook-extension/tracker.jupyterlab-settings": {"windowingMode": "none"},
}

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def widget_notebooks(folder=NOTEBOOKS):
    """The series' notebooks whose stored outputs show at least one widget, in order."""
    found = []
    for path in sorted(folder.glob("[0-9][0-9]_*.ipynb")):
        if any(stored_widgets(nbformat.read(path, as_version=4))):
            found.append(path)
    return found


def stored_widgets(notebook):
    """For each cell: the text fallbacks of the widget views stored in its outputs (empty for none)."""
    per_cell = []
    for cell in notebook.cells:
        fallbacks = []
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            if WIDGET_VIEW in data:
                fallbacks.append(data.get("text/plain", ""))
        per_cell.append(fallbacks)
    return per_cell


ERROR_NOTEBOOK = "explorer_error_path.ipynb"
ERROR_TEXT = "ValueError: slope 2 is broken on purpose"
# A FigureExplorer whose draw() raises for one value of its slider, as a bug in a widget would.
ERROR_CELLS = [
    """\
import ipywidgets
from matplotlib.figure import Figure

import cnnlib
from cnnlib.widgets import FigureExplorer

print("cnnlib imported from", cnnlib.__file__)""",
    """\
class Breaks(FigureExplorer):
    def __init__(self):
        super().__init__({"slope": ipywidgets.IntSlider(value=1, min=0, max=3, description="slope")})

    def draw(self):
        if self.slope.value == 2:
            raise ValueError("slope 2 is broken on purpose")
        figure = Figure(figsize=(4, 2.5), layout="constrained")
        figure.add_subplot().plot([0, 1], [0, self.slope.value])
        return figure, f"<code>slope {self.slope.value}</code>"


Breaks()""",
]


DRAW_NOTEBOOK = "draw_a_digit.ipynb"
DRAW_CELLS = [
    """\
from cnnlib import widgets

pad = widgets.draw_digit_explorer(index=-1)
pad""",
]


def write_draw_notebook(path):
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(source) for source in DRAW_CELLS])
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(notebook, path)


def write_error_notebook(path):
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(source) for source in ERROR_CELLS])
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(notebook, path)


# --- the JupyterLab server and the browser ------------------------------------------------


def api(base, path, method="GET"):
    request = urllib.request.Request(f"{base}{path}", method=method, headers={"Authorization": f"token {TOKEN}"})
    with urllib.request.urlopen(request, timeout=10) as response:
        body = response.read()
    return json.loads(body) if body else None


def missing(reason):
    """Skip, saying how to install what is missing; fail instead where it is required (.ci/run sets that)."""
    if os.environ.get("CNNLIB_REQUIRE_BROWSER"):
        pytest.fail(f"CNNLIB_REQUIRE_BROWSER is set but {reason}")
    pytest.skip(reason)


@pytest.fixture(scope="module")
def chromium():
    """Debian's Chromium launched headless by Playwright, or skip saying how to install what is missing."""
    if not CHROMIUM.exists():
        missing(
            f"{CHROMIUM} not found: install Debian's chromium (as root: apt-get install -y chromium); "
            "never a browser downloaded by `playwright install`"
        )
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        missing(
            "the playwright package is missing: `make test` installs it with the test extra "
            "(.venv/bin/pip install -e '.[lab,test]')"
        )
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="module")
def lab(tmp_path_factory, chromium):
    """A JupyterLab server on 127.0.0.1 serving a temporary copy of the notebooks; yields its base URL."""
    home = tmp_path_factory.mktemp("browser-lab")
    served = home / "notebooks"
    served.mkdir()
    for path in widget_notebooks():
        shutil.copyfile(path, served / path.name)
    write_error_notebook(served / ERROR_NOTEBOOK)
    write_draw_notebook(served / DRAW_NOTEBOOK)
    config = home / "config"
    for name, values in LAB_SETTINGS.items():
        settings_file = config / "lab" / "user-settings" / name
        settings_file.parent.mkdir(parents=True, exist_ok=True)
        settings_file.write_text(json.dumps(values))
    # JUPYTER_DATA_DIR only replaces the per-user folder: the lab extensions (the widget
    # manager among them) and the kernel come from the environment's share/jupyter. The rest of
    # the environment, PYTHONPATH included, reaches the kernel: it imports the cnnlib under test.
    env = dict(
        os.environ,
        JUPYTER_CONFIG_DIR=str(config),
        JUPYTER_RUNTIME_DIR=str(home / "runtime"),
        JUPYTER_DATA_DIR=str(home / "data"),
    )
    port = free_port()
    command = [
        sys.executable,
        "-m",
        "jupyter",
        "lab",
        "--no-browser",
        "--ip=127.0.0.1",
        f"--port={port}",
        f"--ServerApp.token={TOKEN}",
        f"--ServerApp.root_dir={served}",
        "--LabApp.news_url=None",
        "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
    ]
    if os.geteuid() == 0:
        command.append("--allow-root")
    log_path = home / "lab.log"
    with open(log_path, "w") as log:
        process = subprocess.Popen(
            command, cwd=served, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
    base = f"http://127.0.0.1:{port}"
    wait_until_answering(lambda: api(base, "/api/status"), process, log_path, timeout=120)
    yield base
    stop(process)


# --- what the page shows -------------------------------------------------------------------

# One entry per cell of the open notebook (every cell is in the page: windowingMode none), each
# listing the top-level outputs of the cell: MIME type, whether a widget was rendered there, the
# text of anything shown as stderr (errors and warnings are rendered with that MIME type) and
# the output's whole text.
CELLS_JS = """() => Array.from(document.querySelectorAll('.jp-Notebook .jp-Cell')).map(cell =>
  Array.from(cell.querySelectorAll('.jp-Cell-outputArea > .jp-OutputArea-child > .jp-OutputArea-output')).map(out => ({
    mime: out.getAttribute('data-mime-type'),
    widget: out.querySelector(':scope > .jupyter-widgets') !== null,
    stderr: Array.from(out.querySelectorAll('[data-mime-type="application/vnd.jupyter.stderr"]'))
                 .concat(out.matches('[data-mime-type="application/vnd.jupyter.stderr"]') ? [out] : [])
                 .map(e => e.innerText),
    text: out.innerText,
  })))"""

RUN_FINISHED_JS = """() => {
  const prompts = Array.from(document.querySelectorAll('.jp-Notebook .jp-CodeCell .jp-InputPrompt'));
  const status = document.querySelector('.jp-Notebook-ExecutionIndicator')?.getAttribute('data-status');
  return prompts.length > 0 && prompts.every(p => /^\\[\\d+\\]:$/.test(p.textContent.trim())) && status === 'idle';
}"""

# What a widget output shows besides its sliders and play buttons: the figures (img src) and
# the text of everything else. Moving a slider must change this, not only the slider's readout.
DRIVEN_JS = """(out) => {
  const copy = out.cloneNode(true);
  copy.querySelectorAll('.widget-slider, .widget-play, .widget-readout').forEach(e => e.remove());
  return JSON.stringify({images: Array.from(copy.querySelectorAll('img')).map(i => i.src), text: copy.textContent});
}"""


KERNEL_READY_JS = """() => {
  const name = document.querySelector('.jp-NotebookPanel-toolbar [data-jp-item-name="kernelName"]')?.textContent ?? '';
  const status = document.querySelector('.jp-Notebook-ExecutionIndicator')?.getAttribute('data-status');
  return name.includes('Python') && status === 'idle';
}"""


def run_all_cells(page, notebook_name):
    """Clear the stored outputs, then run every cell from the Run menu; wait until all have run."""
    page.wait_for_function(KERNEL_READY_JS, timeout=120_000, polling=250)
    page.get_by_role("menuitem", name="Edit", exact=True).click()
    page.get_by_role("menuitem", name="Clear Outputs of All Cells", exact=True).click()
    prompts = page.locator(".jp-Notebook .jp-CodeCell .jp-InputPrompt")
    assert all(p.strip() == "[ ]:" for p in prompts.all_text_contents()), f"{notebook_name}: outputs not cleared"
    page.get_by_role("menuitem", name="Run", exact=True).click()
    page.get_by_role("menuitem", name="Run All Cells", exact=True).click()
    page.wait_for_function(RUN_FINISHED_JS, timeout=RUN_TIMEOUT_S * 1000, polling=500)


@contextlib.contextmanager
def opened_notebook(lab, chromium, name):
    """A page showing the served notebook ``name`` in JupyterLab; yields (page, JavaScript errors seen).

    On the way out: a screenshot (test-artifacts/browser/<stem>.png), the kernel shut down.
    """
    stem = Path(name).stem
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    context = chromium.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    page_errors = []
    page.on("pageerror", lambda error: page_errors.append(str(error)))
    try:
        # a workspace of its own, reset: only this notebook opens, with the file browser closed
        page.goto(f"{lab}/lab/workspaces/{stem}/tree/{name}?token={TOKEN}&reset")
        page.wait_for_selector(".jp-Notebook .jp-CodeCell", timeout=60_000)
        page.keyboard.press("Control+b")  # hide the file browser: more of the notebook in the screenshot
        yield page, page_errors
    finally:
        try:
            page.screenshot(path=str(ARTIFACTS / f"{stem}.png"))
        except Exception as error:  # noqa: BLE001 - keep the test's own failure in view
            print(f"no screenshot of {name}: {error}")
        for session in api(lab, "/api/sessions"):
            api(lab, f"/api/sessions/{session['id']}", method="DELETE")  # shuts its kernel down
        context.close()


@pytest.mark.parametrize("notebook_path", widget_notebooks(), ids=lambda path: path.stem)
def test_widgets_render_and_respond_in_jupyterlab(notebook_path, lab, chromium):
    expected = stored_widgets(nbformat.read(notebook_path, as_version=4))
    name = notebook_path.name
    with opened_notebook(lab, chromium, name) as (page, page_errors):
        run_all_cells(page, name)
        cells = page.evaluate(CELLS_JS)
        assert len(cells) == len(expected), f"{name}: the page shows {len(cells)} cells, the file has {len(expected)}"

        errors = [(i, text) for i, outputs in enumerate(cells) for out in outputs for text in out["stderr"]]
        assert not errors, f"{name}: cells show errors or stderr output: {errors}"
        for i, (outputs, fallbacks) in enumerate(zip(cells, expected, strict=True)):
            rendered = sum(out["widget"] for out in outputs)
            assert rendered == len(fallbacks), (
                f"{name}, cell {i}: {len(fallbacks)} widget(s) stored, {rendered} rendered as widgets; "
                f"outputs shown: {[(out['mime'], out['text'][:80]) for out in outputs]}"
            )
            for fallback in fallbacks:
                shown_as_text = [out["text"] for out in outputs if fallback[:40] and fallback[:40] in out["text"]]
                assert not shown_as_text, f"{name}, cell {i}: a widget shows as its text fallback: {shown_as_text}"
        failed = [
            out["text"]
            for outputs in cells
            for out in outputs
            if out["widget"] and ("Error displaying widget" in out["text"] or "Error rendering" in out["text"])
        ]
        assert not failed, f"{name}: ipywidgets could not display a widget: {failed}"

        move_one_slider(page, name)
        errors = [text for outputs in page.evaluate(CELLS_JS) for out in outputs for text in out["stderr"]]
        assert not errors, f"{name}: moving the slider showed an error: {errors}"
        assert not page_errors, f"{name}: JavaScript errors in the page: {page_errors}"


def test_a_widget_error_shows_in_red_and_the_figure_comes_back(lab, chromium):
    from playwright.sync_api import expect

    with opened_notebook(lab, chromium, ERROR_NOTEBOOK) as (page, page_errors):
        run_all_cells(page, ERROR_NOTEBOOK)
        cells = page.evaluate(CELLS_JS)
        printed = cells[0][0]["text"].strip()
        where = Path(printed.removeprefix("cnnlib imported from").strip())
        assert where.is_relative_to(ROOT), f"the kernel imports cnnlib from {where}, not from {ROOT}: {printed}"
        assert not [text for outputs in cells for out in outputs for text in out["stderr"]], cells

        outputs = page.locator(".jp-Cell-outputArea > .jp-OutputArea-child > .jp-OutputArea-output")
        widget = outputs.filter(has=page.locator(".widget-slider .noUi-handle")).first
        handle, readout = widget.locator(".noUi-handle"), widget.locator(".widget-readout")
        picture, error = widget.locator("img"), widget.locator(f'[data-mime-type="{STDERR}"]')
        expect(picture).to_have_count(1, timeout=30_000)
        first_figure = picture.get_attribute("src")
        handle.scroll_into_view_if_needed()
        handle.focus()
        handle.press("ArrowRight")  # slope 2: draw() raises
        expect(readout).to_have_text("2", timeout=10_000)
        expect(error).to_be_visible(timeout=30_000)
        expect(error).to_contain_text(ERROR_TEXT)
        expect(picture).to_have_count(0)
        page.screenshot(path=str(ARTIFACTS / f"{Path(ERROR_NOTEBOOK).stem}-error.png"))

        handle.press("ArrowLeft")  # back to slope 1: the same figure again, and no error
        expect(readout).to_have_text("1", timeout=10_000)
        expect(picture).to_have_count(1, timeout=30_000)
        expect(picture).to_be_visible()
        expect(error).to_have_count(0)
        assert picture.get_attribute("src") == first_figure, "slope 1 is drawn again, byte for byte"
        assert not page_errors, f"{ERROR_NOTEBOOK}: JavaScript errors in the page: {page_errors}"


def draw_with_the_mouse(page, canvas, points):
    """Press the mouse at the first of ``points`` (pad pixels), drag through the others, release."""
    box = canvas.bounding_box()
    scale = box["width"] / 280  # the pad is 280 x 280 canvas pixels
    (x, y), *rest = points
    page.mouse.move(box["x"] + x * scale, box["y"] + y * scale)
    page.mouse.down()
    for x, y in rest:
        page.mouse.move(box["x"] + x * scale, box["y"] + y * scale, steps=2)
    page.mouse.up()


def test_a_digit_drawn_with_the_mouse_is_read(lab, chromium):
    import math

    from playwright.sync_api import expect

    from cnnlib import widgets

    with opened_notebook(lab, chromium, DRAW_NOTEBOOK) as (page, page_errors):
        run_all_cells(page, DRAW_NOTEBOOK)
        widget = page.locator(".jp-Cell-outputArea .jupyter-widgets").first
        canvas = widget.locator("canvas.cnnlib-pad")
        board = widget.locator("canvas.cnnlib-board")
        expect(canvas).to_be_visible(timeout=30_000)
        expect(widget).to_contain_text("The pad is blank", timeout=30_000)
        canvas.scroll_into_view_if_needed()

        draw_with_the_mouse(page, canvas, [(140, 40 + 10 * i) for i in range(21)])  # a "1"
        expect(widget).to_contain_text("the network reads 1", timeout=30_000)
        expect(board).to_be_visible()
        page.screenshot(path=str(ARTIFACTS / "draw_a_digit-1.png"))

        # a click on a unit of relu2: where it lies on the board, as the same widget in this process draws it
        here = widgets.draw_digit_explorer(index=-1)
        here.add_stroke([(140, 40 + 10 * i) for i in range(21)])
        here.select_unit("relu2", 5, 3, 4)
        x, y = here.unit_on_board()
        box = board.bounding_box()
        board_before = board.evaluate("(canvas) => canvas.toDataURL()")
        page.mouse.click(
            box["x"] + x * box["width"] / here.board.width, box["y"] + y * box["height"] / here.board.height
        )
        expect(widget).to_contain_text("relu2, channel 5, row 3, column 4:", timeout=30_000)
        expect(widget).to_contain_text("conv2 filter 5 (16 × 5 × 5 weights")
        page.wait_for_function(
            "([canvas, was]) => canvas.toDataURL() !== was", arg=[board.element_handle(), board_before]
        )
        page.screenshot(path=str(ARTIFACTS / "draw_a_digit-unit.png"))

        board_of_one = board.evaluate("(canvas) => canvas.toDataURL()")
        widget.get_by_role("button", name="Clear").click()
        expect(widget).to_contain_text("The pad is blank", timeout=30_000)
        expect(board).to_be_hidden()  # no figure for a blank pad
        ring = [(140 + 55 * math.cos(a / 30 * math.pi), 140 + 90 * math.sin(a / 30 * math.pi)) for a in range(61)]
        draw_with_the_mouse(page, canvas, ring)  # a "0"
        expect(widget).to_contain_text("the network reads 0", timeout=30_000)
        expect(widget).to_contain_text("relu2, channel 5, row 3, column 4:")  # the unit stays selected
        # the maps (and everything else on the board) are the 0's now, not the 1's
        page.wait_for_function(
            "([canvas, was]) => canvas.toDataURL() !== was", arg=[board.element_handle(), board_of_one]
        )
        page.screenshot(path=str(ARTIFACTS / "draw_a_digit-0.png"))

        widget.get_by_role("combobox").select_option(label="test digit 2 (label 1)")  # onto the pad
        expect(widget).to_contain_text("on the pad: test digit 2", timeout=30_000)
        expect(widget).to_contain_text("the network reads 1")
        page.screenshot(path=str(ARTIFACTS / "draw_a_digit-test-digit.png"))
        errors = [text for outputs in page.evaluate(CELLS_JS) for out in outputs for text in out["stderr"]]
        assert not errors, f"{DRAW_NOTEBOOK}: the pad showed an error: {errors}"
        assert not page_errors, f"{DRAW_NOTEBOOK}: JavaScript errors in the page: {page_errors}"


def move_one_slider(page, name):
    """Press the right-arrow key on the first slider of the notebook; what it drives must change."""
    from playwright.sync_api import expect

    outputs = page.locator(".jp-Cell-outputArea > .jp-OutputArea-child > .jp-OutputArea-output")
    with_slider = outputs.filter(has=page.locator(".widget-slider .noUi-handle"))
    assert with_slider.count() > 0, f"{name}: no slider rendered"
    widget = with_slider.first
    slider = widget.locator(".widget-slider").filter(has=page.locator(".noUi-handle")).first
    handle, readout = slider.locator(".noUi-handle"), slider.locator(".widget-readout")
    handle.scroll_into_view_if_needed()
    before_value = readout.inner_text()
    before = widget.evaluate(DRIVEN_JS)
    handle.focus()
    handle.press("ArrowRight")
    expect(readout).not_to_have_text(before_value, timeout=10_000)  # the slider did move
    # a widget that draws a figure must redraw it: a changed caption alone is not enough
    redraws = bool(json.loads(before)["images"])
    changed = f"""([out, before]) => {{
      const now = JSON.parse(({DRIVEN_JS})(out)), was = JSON.parse(before);
      return was.images.length ? JSON.stringify(now.images) !== JSON.stringify(was.images) : now.text !== was.text;
    }}"""
    try:
        page.wait_for_function(changed, arg=[widget.element_handle(), before], timeout=30_000, polling=250)
    except Exception as error:  # playwright's TimeoutError: say what did not change
        raise AssertionError(
            f"{name}: the slider moved from {before_value} to {readout.inner_text()}, "
            f"but the {'figure' if redraws else 'text'} it drives did not change within 30 s"
        ) from error
    widget.evaluate("(out) => out.scrollIntoView({block: 'start'})")
