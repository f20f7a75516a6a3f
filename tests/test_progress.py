"""cnnlib.progress: a stored notebook keeps the finished bar, not its first state."""

import nbformat
from nbclient import NotebookClient
from tqdm import tqdm

from cnnlib import progress


def test_outside_a_kernel_it_is_tqdm_and_off_it_is_silent():
    bar = progress.progress_bar(3, "epoch 1/1")
    assert isinstance(bar, tqdm)
    bar.close()
    silent = progress.progress_bar(3, "epoch 1/1", enabled=False)
    silent.update()
    silent.set_postfix(loss="0.1")
    silent.close()


class FakeHandle:
    def __init__(self, shown):
        self.shown = shown

    def update(self, obj):
        self.shown.append(obj.data)


def test_in_a_kernel_the_line_is_redrawn_in_place_and_ends_finished(monkeypatch):
    shown = []

    def display(obj, display_id):
        assert display_id is True
        shown.append(obj.data)
        return FakeHandle(shown)

    monkeypatch.setattr(progress, "_kernel_display", lambda: display)
    bar = progress.progress_bar(4, "epoch 2/3", interval=3600)  # redrawn only at the end
    for _ in range(4):
        bar.set_postfix(loss="0.250")
        bar.update()
    bar.close()
    assert shown[0].startswith("epoch 2/3:   0%") and "0/4" in shown[0]
    assert len(shown) == 3  # the first line, the update that reached the total, the close
    assert shown[-1].startswith("epoch 2/3: 100%") and "4/4" in shown[-1] and "loss=0.250" in shown[-1]


def test_an_executed_notebook_stores_the_finished_bar():
    notebook = nbformat.v4.new_notebook(
        cells=[
            nbformat.v4.new_code_cell(
                "from cnnlib.progress import progress_bar\n"
                "bar = progress_bar(50, 'epoch 1/1', interval=0.0)\n"
                "for _ in range(50):\n    bar.update()\n"
                "bar.close()"
            )
        ]
    )
    NotebookClient(notebook, timeout=120, kernel_name="python3").execute()
    texts = [output["data"]["text/plain"] for output in notebook.cells[0].outputs]
    assert len(texts) == 1 and texts[0].startswith("epoch 1/1: 100%") and "50/50" in texts[0], texts
