"""notebooks/explore.ipynb runs from top to bottom on the seeds' graph (so it cannot go stale)."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import pytest
from seeds_graph import ROOT, write_seeds_build

nbformat = pytest.importorskip("nbformat")
nbclient = pytest.importorskip("nbclient")

NOTEBOOK = ROOT / "notebooks" / "explore.ipynb"


@pytest.mark.slow
def test_explore_notebook_runs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    build = write_seeds_build(tmp_path / "out")
    monkeypatch.setenv("KG_GRAPH", str(build))
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    # the kernel is this interpreter (the venv's), whatever kernels are registered elsewhere
    pytest.importorskip("ipykernel")
    spec = tmp_path / "jupyter" / "kernels" / "kg-test"
    spec.mkdir(parents=True)
    (spec / "kernel.json").write_text(json.dumps({
        "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": "kg test", "language": "python"}), encoding="utf-8")
    monkeypatch.setenv("JUPYTER_PATH", str(tmp_path / "jupyter"))
    # a last cell reports the labels of the institution figure that reach past its axes (and so are cut off)
    notebook.cells.append(nbformat.v4.new_code_cell(
        "import json\n"
        "fig.canvas.draw()\n"
        "frame = ax.get_window_extent()\n"
        "cut = [t.get_text() for t in ax.texts if t.get_text() and not (\n"
        "    frame.x0 - 1 <= t.get_window_extent().x0 and t.get_window_extent().x1 <= frame.x1 + 1 and\n"
        "    frame.y0 - 1 <= t.get_window_extent().y0 and t.get_window_extent().y1 <= frame.y1 + 1)]\n"
        "print('CUT-LABELS', json.dumps([len(ax.texts), cut], ensure_ascii=False))"))
    client = nbclient.NotebookClient(notebook, timeout=300, kernel_name="kg-test",
                                     resources={"metadata": {"path": str(NOTEBOOK.parent)}})
    client.execute()
    outputs = [o for cell in notebook.cells if cell.cell_type == "code" for o in cell.get("outputs", [])]
    assert not [o for o in outputs if o.get("output_type") == "error"]
    html = "".join(o.get("data", {}).get("text/html", "") for o in outputs)
    assert "<table>" in html and "郅晓峰" in html and "中共海南省委社会工作部" in html
    assert any("image/png" in o.get("data", {}) for o in outputs)  # the network view
    assert os.environ["KG_GRAPH"] == str(build)
    report = next(o["text"] for o in notebook.cells[-1].outputs if "CUT-LABELS" in o.get("text", ""))
    labels, cut = json.loads(report.split("CUT-LABELS", 1)[1])
    assert labels > 5 and cut == []
