"""roi.report.explore_app and ``roi explore``: the app notebook is generated outside the repo, the
Voilà template asks no CDN, saving writes a valid scenario beside the original; and, marked
``browser``, the app served on 127.0.0.1 driven by Debian chromium through playwright."""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from conftest import ROOT, SCENARIOS_DIR

from roi.inputs.scenario import load_scenario
from roi.model import evaluate
from roi.report import explore_app
from roi.report.explore_app import app_notebook, offline_template, save_beside, saved_path

MIDSIZE = SCENARIOS_DIR / "ecommerce-midsize.yaml"
CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = ROOT / "reports" / "test-artifacts" / "explore"
"""Screenshots and timings of the browser test (outside git: reports/ is ignored)."""


@pytest.fixture
def copy(tmp_path: Path) -> Path:
    path = tmp_path / "shop" / MIDSIZE.name
    path.parent.mkdir()
    shutil.copy(MIDSIZE, path)
    return path


def test_saved_path_is_beside_the_original_and_new(tmp_path: Path) -> None:
    original = tmp_path / "a.yaml"
    first = saved_path(original)
    assert first.parent == tmp_path
    assert first.name.startswith("a-explored-")
    first.write_text("x", encoding="utf-8")
    assert saved_path(original) != first


def test_save_beside_refuses_what_does_not_load(copy: Path) -> None:
    from roi.inputs.errors import ScenarioError

    with pytest.raises(ScenarioError):
        save_beside(copy, f"extends: {copy.name}\nfinance: {{discount_rate: 7}}\n")
    assert sorted(p.name for p in copy.parent.iterdir()) == [copy.name]  # nothing left behind


def test_the_app_notebook_calls_the_explorer_only(tmp_path: Path) -> None:
    nb = app_notebook(MIDSIZE, tmp_path / "reports")
    (cell,) = nb["cells"]
    assert "explorer_app(" in cell["source"]
    assert str(MIDSIZE) in cell["source"]
    assert nb["metadata"]["kernelspec"]["name"] == "python3"


def test_the_offline_template_has_no_cdn_link(tmp_path: Path) -> None:
    folder = offline_template(tmp_path)
    text = (folder / "index.html.j2").read_text(encoding="utf-8")
    assert "cdn.jsdelivr" not in text
    assert "extends" in text
    assert json.loads((folder / "conf.json").read_text())["base_template"] == "lab"


def test_explore_notebook_for_jupyterlab_is_stripped_and_parameterised() -> None:
    nb = json.loads((ROOT / "notebooks" / "00-explore.ipynb").read_text(encoding="utf-8"))
    code = [c for c in nb["cells"] if c["cell_type"] == "code"]
    assert all(c["outputs"] == [] and c["execution_count"] is None for c in code)
    params = [c for c in code if "parameters" in c["metadata"].get("tags", [])]
    assert len(params) == 1
    assert "explorer_app(scenario)" in "".join(code[-1]["source"])


def test_cli_explore_refuses_a_bad_port_and_a_bad_scenario(tmp_path: Path) -> None:
    from roi.cli import main

    assert main(["explore", str(MIDSIZE), "--port", "70000"]) == 2
    bad = tmp_path / "bad.yaml"
    bad.write_text("currency: usd\n", encoding="utf-8")
    assert main(["explore", str(bad), "--no-browser"]) == 2


# --- in the browser ---------------------------------------------------------------------------

browser = pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian chromium")


def _launch(p: Any) -> Any:
    return p.chromium.launch(
        executable_path=str(CHROMIUM),
        args=[
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
        ],
    )


NPV_TILE = "xpath=//div[contains(@class,'roi-tile')][.//*[contains(text(),'NPV (point estimate)')]]"


def _view(page: Any) -> dict[str, Any]:
    """What the page shows: the option and NPV of the tiles, the option and end of the chart,
    and the NPV tile's text."""
    return page.evaluate(
        """() => {
          const v = document.querySelector('.roi-explore');
          const svg = v.querySelector('svg.roi-explore-chart');
          const tile = [...v.querySelectorAll('.roi-tile')].find(
              t => t.textContent.includes('NPV (point estimate)'));
          return {option: v.dataset.option, npv: v.dataset.npv, chart: svg.dataset.option,
                  end: svg.dataset.end, tile: tile.querySelector('.roi-value').textContent,
                  html: v.outerHTML.length,
                  mathjax: document.querySelectorAll('mjx-container, .MathJax').length};
        }"""
    )


@pytest.mark.browser
@pytest.mark.slow
@browser
def test_roi_explore_in_chromium(copy: Path) -> None:
    pytest.importorskip("voila")
    sync_api = pytest.importorskip("playwright.sync_api")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    timings: dict[str, Any] = {}
    t0 = time.perf_counter()
    with explore_app.running(copy) as app, sync_api.sync_playwright() as p:
        timings["server_start_s"] = round(time.perf_counter() - t0, 2)
        chromium = _launch(p)
        try:
            page = chromium.new_page(viewport={"width": 1400, "height": 1800})
            requests: list[str] = []
            page.on("request", lambda r: requests.append(r.url))
            t1 = time.perf_counter()
            page.goto(app.url)
            page.wait_for_selector(".roi-explore svg.roi-explore-chart", timeout=90_000)
            timings["page_to_tiles_s"] = round(time.perf_counter() - t1, 2)
            page.screenshot(path=str(ARTIFACTS / "before.png"), full_page=True)
            before = _view(page)
            # MathJax-safe: the dollar amounts are text, not typeset maths
            assert "$" in before["tile"]
            assert before["mathjax"] == 0
            assert before["option"] == before["chart"]
            scenario = load_scenario(copy)
            key = before["option"]
            base = float(evaluate(scenario).options[key].kpis["npv"])
            assert float(before["npv"]) == pytest.approx(base, rel=1e-5)

            # Move one control by keyboard: Sev-1 MTTR reduction 45 % -> 46 % -> ... (ArrowUp
            # syncs at once); time each key press to the tiles' and chart's one update.
            path = "incidents-severities-sev1-mttr_reduction_fraction"
            box = page.locator(f".roi-control-{path} input")
            box.click()
            page.evaluate(
                """() => { window.__roi = [];
                   const v = document.querySelector('.roi-explore-view');
                   new MutationObserver(() => window.__roi.push(performance.now()))
                     .observe(v, {childList: true, subtree: true, characterData: true}); }"""
            )
            latencies, batches = [], []
            for _ in range(5):
                page.evaluate("() => { window.__roi = []; }")
                start = page.evaluate("() => performance.now()")
                box.press("ArrowUp")
                page.wait_for_function("() => window.__roi.length > 0", timeout=30_000)
                page.wait_for_timeout(150)
                latencies.append(page.evaluate("() => window.__roi[0]") - start)
                batches.append(page.evaluate("() => window.__roi.length"))
            latencies.sort()
            timings["keypress_to_update_ms"] = [round(x, 1) for x in latencies]
            timings["keypress_to_update_median_ms"] = round(latencies[2], 1)
            assert batches == [1] * 5  # tiles and chart change in one DOM update
            assert latencies[2] < 1000
            after = _view(page)
            assert after["npv"] != before["npv"]
            assert after["end"] != before["end"]
            assert after["option"] == after["chart"] == key  # tiles and chart agree
            shown = box.input_value()
            value = float(shown) / 100
            expected = evaluate(
                scenario, {"incidents.severities.sev1.mttr_reduction_fraction": value}
            ).options[key]
            assert float(after["npv"]) == pytest.approx(float(expected.kpis["npv"]), rel=1e-5)
            assert float(after["end"]) == pytest.approx(float(expected.net.sum()), rel=1e-4)
            page.screenshot(path=str(ARTIFACTS / "after.png"), full_page=True)

            # A value out of bounds is refused visibly
            box.fill("150")
            box.press("Enter")
            page.wait_for_selector(".roi-refused", timeout=30_000)
            assert _view(page)["npv"] == after["npv"]

            # Monte Carlo: tiles then show P10-P90 and the chance of a loss
            t2 = time.perf_counter()
            page.get_by_role("button", name="Run Monte Carlo").click()
            page.wait_for_selector(".roi-loss", timeout=120_000)
            timings["monte_carlo_s"] = round(time.perf_counter() - t2, 2)
            assert "P10–P90" in page.inner_text(".roi-explore")

            # Save: a file beside the original that validates
            page.get_by_role("button", name="Save scenario").click()
            page.wait_for_selector(".roi-saved", timeout=30_000)
            saved = Path(page.inner_text(".roi-saved"))
            assert saved.parent == copy.parent
            done = subprocess.run(
                [sys.executable, "-m", "roi.cli", "validate", str(saved)],
                capture_output=True,
                text=True,
                timeout=60,
                check=False,
            )
            assert done.returncode == 0, done.stderr
            page.screenshot(path=str(ARTIFACTS / "saved.png"), full_page=True)

            # Offline: no request left 127.0.0.1
            outside = [u for u in requests if not re.match(r"^(http|ws)s?://127\.0\.0\.1[:/]", u)]
            outside = [u for u in outside if not u.startswith(("data:", "blob:", "about:"))]
            assert outside == []
        finally:
            chromium.close()
    assert app.process.poll() is not None
    assert not app.folder.exists()
    (ARTIFACTS / "timings.json").write_text(json.dumps(timings, indent=2), encoding="utf-8")
    print(json.dumps(timings))


@pytest.mark.browser
@pytest.mark.slow
@browser
def test_roi_explore_stops_cleanly_on_sigterm(copy: Path) -> None:
    pytest.importorskip("voila")
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]),
    }
    proc = subprocess.Popen(
        [sys.executable, "-m", "roi.cli", "explore", str(copy), "--no-browser"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline()  # printed once Voilà answers
        match = re.search(r"(http://127\.0\.0\.1:\d+/\?token=[0-9a-f]{32})", line)
        assert match, line + proc.stderr.read() if proc.stderr else line
        proc.send_signal(signal.SIGTERM)
        out, err = proc.communicate(timeout=30)
        assert proc.returncode == 0, err
        assert "stopped" in out
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    folders = list(Path(os.environ.get("TMPDIR", "/tmp")).glob("roi-explore-*"))
    assert not [f for f in folders if (f / "explore.ipynb").read_text().find(str(copy)) >= 0]


@pytest.mark.kernel
def test_render_report_button_renders_the_saved_scenario(copy: Path, tmp_path: Path) -> None:
    # The real path behind "Render report": save beside the original, then roi report on it.
    reports = tmp_path / "reports"
    box = explore_app.explorer_app(copy, reports)
    box.controls["finance.cost_risk"].value = 20.0
    href = box.render()
    assert href is not None
    html = Path(href.removeprefix("file://")) if href.startswith("file://") else None
    assert html is not None
    assert html.is_file()
    assert html.parent.parent == reports.resolve()
    text = html.read_text(encoding="utf-8")
    assert "explored" in text  # the saved scenario's name says it was explored
    assert f'href="{href}"' in box.links.value
    assert "Report rendered." in box.status.value
