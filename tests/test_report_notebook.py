"""roi.report.notebook: the one setup call of the report notebooks, charts saved atomically as PNG
and SVG under ``charts/``, the scenario path resolved as the notebooks expect."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from conftest import SCENARIOS_DIR, SEED

from roi.analysis.decision import focus_option
from roi.inputs.scenario import load_scenario
from roi.model import evaluate
from roi.report import notebook


def test_setup_without_samples_runs_no_monte_carlo() -> None:
    ctx = notebook.setup(str(SEED), sweeps=["mttr"])
    assert ctx.simulation is None
    assert ctx.tornado is None
    assert ctx.sweeps.mttr is not None
    assert ctx.sweeps.traffic is None
    assert ctx.focus == focus_option(ctx.evaluation)
    assert ctx.scenario_file == SEED
    doc = ctx.summary()
    assert (doc["samples"], doc["seed"]) == (None, None)
    assert all(o["npv_p10"] is None for o in doc["options"])
    assert ctx.write_summary() is None  # no output_dir, nothing written


def test_setup_with_samples_simulates_and_writes_the_summary(tmp_path: Path) -> None:
    path = SCENARIOS_DIR / "fintech-regulated.yaml"
    ctx = notebook.setup(str(path), str(tmp_path), samples=60, seed=2, tornado=True)
    assert ctx.simulation is not None
    assert ctx.tornado.rows
    written = ctx.write_summary()
    assert written == tmp_path / "summary.json"
    doc = json.loads(written.read_text(encoding="utf-8"))
    assert (doc["samples"], doc["seed"]) == (60, 2)
    # no absolute machine path in summary.json (roi.report.summary.shown_path)
    assert not Path(doc["scenario"]["file"]).is_absolute()
    assert doc["scenario"]["file"].endswith("fintech-regulated.yaml")
    assert ctx.currency == "EUR"


def test_context_chart_saves_under_its_output_dir(tmp_path: Path) -> None:
    from roi.present.charts.business import incident_hours

    ctx = notebook.setup(str(SEED), str(tmp_path))
    shown = ctx.chart(incident_hours(ctx.evaluation), "incident-hours")
    assert shown.png == (tmp_path / "charts" / "incident-hours.png").read_bytes()


def test_chart_alt_text_is_escaped() -> None:
    from roi.present.charts import figure

    fig = figure()
    fig.suptitle('Title with "quotes" & <tags>')
    html = notebook.chart(fig, "alt")._repr_html_()
    assert 'alt="Title with &quot;quotes&quot; &amp; &lt;tags&gt;"' in html
    assert html.count("<img") == 1
    assert 'src="data:image/png;base64,' in html


def test_save_chart_writes_png_and_svg(tmp_path: Path) -> None:
    from roi.present.charts.business import incident_hours

    fig = incident_hours(evaluate(load_scenario(SEED)))
    png, svg = notebook.save_chart(fig, tmp_path / "charts", "incident-hours")
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert svg.read_text(encoding="utf-8").lstrip().startswith("<?xml")
    assert sorted(p.name for p in (tmp_path / "charts").iterdir()) == [
        "incident-hours.png",
        "incident-hours.svg",
    ]
    # 150 dpi: an 8 x 4.2 in figure is 1200 px wide.
    width = int.from_bytes(png.read_bytes()[16:20], "big")
    assert width == 8 * notebook.REPORT_DPI == 1200


def test_chart_saves_into_output_dir_and_displays_the_same_png(tmp_path: Path) -> None:
    from roi.present.charts.business import lock_in

    shown = notebook.chart(lock_in(evaluate(load_scenario(SEED))), "lock-in", str(tmp_path))
    assert (tmp_path / "charts" / "lock-in.svg").exists()
    assert shown.png == (tmp_path / "charts" / "lock-in.png").read_bytes()
    assert shown.alt.startswith("Leaving a vendor costs")


@pytest.mark.parametrize("name", ["../evil", "a/b", "", "Upper", ".hidden", "x" * 65])
def test_chart_names_cannot_leave_the_charts_dir(tmp_path: Path, name: str) -> None:
    from roi.present.charts import figure

    with pytest.raises(ValueError, match="chart name"):
        notebook.save_chart(figure(), tmp_path / "charts", name)
    assert not (tmp_path / "charts").exists()
    assert list(tmp_path.iterdir()) == []


def test_failed_chart_write_leaves_no_temporary(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from roi.present.charts import figure

    def broken_replace(src: str, dst: str) -> None:
        raise OSError("no space")

    monkeypatch.setattr(os, "replace", broken_replace)
    with pytest.raises(OSError, match="no space"):
        notebook.save_chart(figure(), tmp_path, "x")
    assert list(tmp_path.iterdir()) == []


def test_relative_scenario_path_resolves_against_the_notebooks_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    resolved = notebook.scenario_file("../data_samples/scenarios/seed-article.yaml")
    assert resolved == SEED.resolve()
    assert notebook.scenario_file(str(SEED)) == SEED
    # Not next to the notebooks: the working directory is tried next.
    (tmp_path / "mine.yaml").write_text("x: 1\n", encoding="utf-8")
    assert notebook.scenario_file("mine.yaml") == (tmp_path / "mine.yaml").resolve()


def test_setup_runs_the_breakeven_once_from_its_own_monte_carlo() -> None:
    path = SCENARIOS_DIR / "fintech-regulated.yaml"
    ctx = notebook.setup(str(path), samples=300, seed=4, breakeven=True)
    assert ctx.simulation.draws is not None  # kept for EVPI
    b = ctx.breakeven
    assert (b.samples, b.seed) == (300, 4)
    assert b.option == ctx.focus
    assert b.evpi_total is not None
    assert notebook.setup(str(path), samples=300, seed=4).breakeven is None
    alone = notebook.setup(str(path), breakeven=True).breakeven  # no Monte Carlo: no EVPI
    assert alone is not None
    assert alone.evpi_total is None
    assert {r.path: r.npv_zero_at for r in alone.rows} == {r.path: r.npv_zero_at for r in b.rows}
