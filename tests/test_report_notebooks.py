"""roi report with the real report notebooks (notebooks/*.ipynb), fast setting: each executes,
exports HTML without code or external resources, writes summary.json and charts, and the first
scenario's report is the same in a batch as alone."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import REPORT_NOTEBOOKS, SCENARIOS_DIR, SEED, RunCli

from roi.report.export import external_resources

pytestmark = pytest.mark.kernel

NOTEBOOKS = REPORT_NOTEBOOKS
FINTECH = SCENARIOS_DIR / "fintech-regulated.yaml"  # no latency section: an edge for 03


def code_lines(notebook: Path) -> list[str]:
    """Distinctive lines of the notebook's code cells (long enough not to occur in prose)."""
    doc = json.loads(notebook.read_text(encoding="utf-8"))
    lines = []
    for cell in doc["cells"]:
        if cell["cell_type"] == "code":
            lines += [ln.strip() for ln in "".join(cell["source"]).splitlines()]
    return [ln for ln in lines if len(ln) > 30 and "(" in ln and not ln.startswith("#")]


def test_there_are_report_notebooks() -> None:
    assert [p.name for p in NOTEBOOKS][:1] == ["01-business-case.ipynb"]


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_notebook_renders_through_roi_report(
    notebook: Path, tmp_path: Path, run_cli: RunCli
) -> None:
    out = tmp_path / "reports"
    code, stdout, stderr = run_cli(
        "report", SEED, FINTECH, "--out", out, "--notebook", notebook.stem, "--samples", "300"
    )
    assert code == 0, stderr
    assert stderr == ""
    assert "wrote 2 of 2 reports" in stdout
    lines = code_lines(notebook)
    assert lines  # otherwise the no-code check below proves nothing
    for slug in ("seed-article", "fintech-regulated"):
        folder = out / slug
        html = (folder / "report.html").read_text(encoding="utf-8")
        assert external_resources(html) == []
        assert "<script" not in html.lower()
        assert "jp-CodeMirrorEditor" not in html
        assert "Traceback" not in html
        for line in lines:
            assert line not in html, line
        summary = json.loads((folder / "summary.json").read_text(encoding="utf-8"))
        assert summary["schema_version"] == 1
        # Only the business case runs the Monte Carlo; the deep dives show point estimates.
        assert summary["samples"] == (300 if notebook.stem == "01-business-case" else None)
        assert list((folder / "charts").glob("*.png"))
        assert list((folder / "charts").glob("*.svg"))
    index = (out / "index.html").read_text(encoding="utf-8")
    assert "2 scenarios rendered" in index
    assert external_resources(index) == []


def test_business_case_batch_equals_alone(tmp_path: Path, run_cli: RunCli) -> None:
    batch, alone = tmp_path / "batch", tmp_path / "alone"
    others = [SCENARIOS_DIR / "ecommerce-midsize.yaml", FINTECH]
    code, _, stderr = run_cli(
        "report", *others, SEED, "--out", batch, "--workers", "1", "--samples", "500"
    )
    assert code == 0, stderr
    code, _, stderr = run_cli("report", SEED, "--out", alone, "--samples", "500")
    assert code == 0, stderr
    summary = "seed-article/summary.json"
    assert json.loads((batch / summary).read_text(encoding="utf-8")) == json.loads(
        (alone / summary).read_text(encoding="utf-8")
    )
