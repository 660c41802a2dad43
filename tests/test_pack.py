"""roi pack: one scenario and the exports it names -> report, deck, workbook, charts, summary.json,
from one evaluation and one Monte Carlo, into a folder written atomically; bad inputs are one
line and exit 2 and write nothing."""

from __future__ import annotations

import io
import json
import re
import time
import zipfile
from pathlib import Path
from xml.etree import ElementTree

import pytest
from conftest import ROOT, RunCli, one_error_line
from PIL import Image
from pptx import Presentation

from roi.analysis.montecarlo import simulate
from roi.inputs.errors import UserError
from roi.inputs.scenario import load_scenario
from roi.model import evaluate
from roi.report import pack
from roi.report.batch import BatchResult, Result

NORTHWIND = ROOT / "data_samples" / "northwind-from-exports.yaml"
EXPORTS = ROOT / "data_samples" / "exports"
NAMED = [EXPORTS / n for n in ("pagerduty-2026-q1.csv", "otlp.jsonl", "prometheus-vector.json")]
SEED = ROOT / "data_samples" / "scenarios" / "seed-article.yaml"
SAMPLES = 2000


# --- bad inputs: one line, exit 2, nothing written ---------------------------------------------


@pytest.mark.parametrize(
    ("inputs", "expected"),
    [
        ([NORTHWIND, EXPORTS / "missing.csv"], "missing.csv: file not found"),
        ([NORTHWIND, EXPORTS / "otlp.json"], "otlp.json: neither the scenario"),
        ([SEED, EXPORTS / "otlp.jsonl"], "it names: none (it has no incidents_from:"),
        ([EXPORTS / "otlp.jsonl", NORTHWIND], "the first input must be the scenario"),
        ([ROOT / "data_samples" / "no-such.yaml"], "no-such.yaml"),
    ],
)
def test_bad_inputs(inputs: list[Path], expected: str, run_cli: RunCli, tmp_path: Path) -> None:
    code, stdout, stderr = run_cli("pack", *inputs, "--out", tmp_path / "pack")
    assert code == 2
    assert expected in one_error_line(stderr)
    assert stdout == ""
    assert list(tmp_path.iterdir()) == []


def test_an_input_not_named_lists_what_is_named(run_cli: RunCli, tmp_path: Path) -> None:
    _, _, stderr = run_cli("pack", NORTHWIND, EXPORTS / "otlp.json", "--out", tmp_path / "p")
    line = one_error_line(stderr)
    for path in NAMED:
        assert path.name in line
    for field in ("(incidents_from)", "(traces_from)", "(latency_from)"):
        assert field in line


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (("--samples", "0"), "--samples: 0 is out of range"),
        (("--seed", "-1"), "--seed: -1 is out of range"),
        (("--brand-color", "blue"), "--brand-color: 'blue' is not a colour; allowed: #RRGGBB"),
        (("--logo", str(NORTHWIND)), "--logo: "),
        (("--logo", "nope.png"), "nope.png: file not found"),
    ],
)
def test_bad_options(args: tuple[str, ...], expected: str, run_cli: RunCli, tmp_path: Path) -> None:
    code, _, stderr = run_cli("pack", NORTHWIND, "--out", tmp_path / "pack", *args)
    assert code == 2
    assert expected in one_error_line(stderr)
    assert list(tmp_path.iterdir()) == []


def test_out_an_existing_file_or_a_foreign_folder(run_cli: RunCli, tmp_path: Path) -> None:
    file = tmp_path / "case.pptx"
    file.write_bytes(b"mine")
    code, _, stderr = run_cli("pack", NORTHWIND, "--out", file)
    assert code == 2
    assert "exists and is not a folder" in one_error_line(stderr)
    assert file.read_bytes() == b"mine"
    home = tmp_path / "home"
    home.mkdir()
    (home / "thesis.tex").write_text("years of work")
    code, _, stderr = run_cli("pack", NORTHWIND, "--out", home)
    assert code == 2
    assert "'thesis.tex', which is not part of a pack" in one_error_line(stderr)
    assert [p.name for p in home.iterdir()] == ["thesis.tex"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["case.pptx", "home"]


def test_named_exports_and_the_scenario_twice_are_accepted() -> None:
    scenario = load_scenario(NORTHWIND)
    assert set(pack.named_exports(scenario)) == {p.resolve() for p in NAMED}
    pack.check_inputs([str(NORTHWIND), *map(str, NAMED), str(NORTHWIND)], scenario)


def failing_report(scenarios, folder, *args, **kwargs):
    """A stand-in for the report batch that fails as a broken notebook does."""
    folder.mkdir(parents=True)
    message = f"scenario {scenarios[0]} failed in cell 3: ValueError: boom"
    kwargs["progress"].failed(message)
    return BatchResult([Result(scenarios[0], "x", False, message, 0.1)], folder, False)


def fails_leaving_nothing(tmp_path: Path, match: str) -> None:
    """``make_pack`` into ``tmp_path/pack`` fails with ``match`` and leaves nothing there."""
    err = io.StringIO()
    with pytest.raises(pack.PackFailed, match=match):
        pack.make_pack(
            [str(NORTHWIND)],
            load_scenario(NORTHWIND),
            tmp_path / "pack",
            samples=200,
            progress=pack.Progress(5, err, err),
        )
    assert list(tmp_path.iterdir()) == []


def test_a_failed_report_leaves_the_earlier_pack(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The report batch (faked here: it fails as a broken notebook does) fails: the staging
    folder goes, the earlier pack stays as it was, the error is one line."""
    out = tmp_path / "pack"
    out.mkdir()
    (out / "summary.json").write_text("earlier")

    monkeypatch.setattr(pack, "render_reports", failing_report)
    err = io.StringIO()
    progress = pack.Progress(5, err, err)
    with pytest.raises(pack.PackFailed, match=r"the report failed: .* boom"):
        pack.make_pack(
            [str(NORTHWIND)], load_scenario(NORTHWIND), out, samples=200, progress=progress
        )
    assert [p.name for p in out.iterdir()] == ["summary.json"]
    assert (out / "summary.json").read_text() == "earlier"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["pack"]  # no staging folder left


def test_a_failed_writer_fails_the_pack(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A writer failing (here the deck) fails the whole pack: nothing at --out."""

    def report(scenarios, folder, *args, **kwargs):
        folder.mkdir(parents=True)
        return BatchResult([Result(scenarios[0], "x", True, None, 0.1)], folder, False)

    def broken(*args, **kwargs):
        raise OSError("disk full")

    import roi.report.deckfile

    monkeypatch.setattr(pack, "render_reports", report)
    monkeypatch.setattr(roi.report.deckfile, "write_deck", broken)
    fails_leaving_nothing(tmp_path, "OSError: disk full")


def test_a_writer_failing_early_stops_the_report(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The writers fail while the report is still rendering (faked: a report that would take
    a minute): the pack fails at once with the writer's error, not when the report is done."""
    import threading

    waited: dict[str, float] = {}
    rendering = threading.Event()

    def slow_report(scenarios, folder, *args, **kwargs):
        folder.mkdir(parents=True)
        started = time.perf_counter()
        rendering.set()
        try:
            threading.Event().wait(60)  # as the batch waits on its worker
        finally:
            waited["seconds"] = time.perf_counter() - started
        return BatchResult([Result(scenarios[0], "x", True, None, 60)], folder, False)

    def broken(*args, **kwargs):
        rendering.wait(10)
        raise OSError("disk full")

    monkeypatch.setattr(pack, "render_reports", slow_report)
    monkeypatch.setattr(pack, "_write_parts", broken)
    fails_leaving_nothing(tmp_path, "OSError: disk full")
    assert waited["seconds"] < 10


def test_a_failed_report_is_said_once(
    run_cli: RunCli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(pack, "render_reports", failing_report)
    code, _, stderr = run_cli("pack", NORTHWIND, "--out", tmp_path / "p", "--samples", "200")
    assert code == 1
    errors = [line for line in stderr.splitlines() if line.startswith("roi: error:")]
    assert len(errors) == 1, stderr
    assert "the report failed" in errors[0]
    assert "boom" in errors[0]


def test_out_is_checked_as_the_folder_it_names(tmp_path: Path) -> None:
    """``proj/link/..`` names ``proj`` (the path as written, as the pack will replace it), not
    the parent of the link's target: the check looks at ``proj`` and refuses it."""
    earlier = tmp_path / "earlier-pack"
    (earlier / "charts").mkdir(parents=True)
    project = tmp_path / "proj"
    (project / "src").mkdir(parents=True)
    (project / "src" / "precious.py").write_text("work")
    (project / "link").symlink_to(earlier / "charts")
    with pytest.raises(UserError, match=r"holds 'link', which is not part of a pack"):
        pack.make_pack(
            [str(NORTHWIND)], load_scenario(NORTHWIND), project / "link" / "..", samples=200
        )
    assert (project / "src" / "precious.py").read_text() == "work"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["earlier-pack", "proj"]


# --- the whole pack, end to end (the report needs a kernel) ------------------------------------


@pytest.fixture(scope="module")
def packed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, int, str, str]:
    from conftest import run_cli

    out = tmp_path_factory.mktemp("pack") / "northwind"
    out.mkdir()
    (out / "summary.json").write_text("an earlier pack")  # replaced once the new one is complete
    code, stdout, stderr = run_cli(
        "pack", NORTHWIND, *NAMED, "--out", out, "--samples", SAMPLES, "--seed", 3
    )
    return out, code, stdout, stderr


@pytest.mark.kernel
def test_every_file_is_written(packed: tuple[Path, int, str, str]) -> None:
    out, code, stdout, stderr = packed
    assert code == 0, stderr
    assert sorted(p.name for p in out.iterdir()) == sorted(
        ["report.html", "deck.pptx", "workbook.xlsx", "charts", "summary.json"]
    )
    assert not [p for p in out.parent.iterdir() if p.name.startswith(".")]  # no staging left
    assert stdout.startswith(f"wrote {out}: ")
    # One progress line per part, on stderr.
    for part in ("report.html", "deck.pptx", "workbook.xlsx", "charts/", "summary.json"):
        assert re.search(rf"^roi: pack: {re.escape(part)}.*\(\d+\.\d s\)$", stderr, re.M), part
    html = (out / "report.html").read_text(encoding="utf-8")
    assert "Northwind Outfitters, from its exports" in html
    assert "pagerduty-2026-q1.csv" in html  # the report names its exports
    pngs = sorted((out / "charts").glob("*.png"))
    assert len(pngs) == len(list((out / "charts").glob("*.svg"))) >= 10
    for png in pngs:
        with Image.open(png) as image:
            assert image.size == (2666, 1500), png.name


@pytest.mark.kernel
def test_summary_equals_the_evaluation_and_the_monte_carlo(
    packed: tuple[Path, int, str, str],
) -> None:
    out = packed[0]
    doc = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    scenario = load_scenario(NORTHWIND)
    ev = evaluate(scenario)
    sim = simulate(scenario, samples=SAMPLES, seed=3)
    assert doc["samples"] == SAMPLES
    assert doc["seed"] == 3
    assert doc["scenario"]["name"] == scenario.name
    assert [o["key"] for o in doc["options"]] == list(ev.options)
    for o in doc["options"]:
        kpis = ev.options[o["key"]].kpis
        assert o["kpis"]["npv"] == pytest.approx(float(kpis["npv"]), abs=1e-6)
        assert o["kpis"]["pv_costs"] == pytest.approx(float(kpis["pv_costs"]), abs=1e-6)
        if o["kind"] != "baseline":
            summ = sim.options[o["key"]].summary()
            assert o["npv_p10"] == pytest.approx(summ["npv"]["p10"], rel=1e-9)
            assert o["npv_p90"] == pytest.approx(summ["npv"]["p90"], rel=1e-9)


@pytest.mark.kernel
def test_deck_chart_data_equal_the_evaluation(packed: tuple[Path, int, str, str]) -> None:
    out = packed[0]
    prs = Presentation(str(out / "deck.pptx"))
    ev = evaluate(load_scenario(NORTHWIND))
    slides = list(prs.slides)
    assert len(slides) == 9
    options = [o for o in ev.options.values() if o.kind != "baseline"]
    (chart,) = [s.chart for s in slides[1].shapes if s.has_chart]
    values = list(chart.plots[0].series[0].values)
    assert values == pytest.approx([float(o.kpis["npv"]) for o in options], abs=1e-6)
    (downtime,) = [s.chart for s in slides[3].shapes if s.has_chart]
    today = downtime.plots[0].series[0]
    assert sum(today.values) == pytest.approx(float(ev.figures["downtime_hours_per_year_before"]))
    # The headline's range is the pack's one Monte Carlo (samples and seed as asked).
    notes = slides[2].notes_slide.notes_text_frame.text
    assert f"NPV of {SAMPLES:,} samples" in notes


def _summary_sheet(path: Path) -> dict[str, dict[str, float]]:
    """The TEI summary sheet's stored values: option key -> {PV benefits, ..., NPV, ROI}."""
    ns = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}
    with zipfile.ZipFile(path) as z:
        strings = [
            "".join(t.text or "" for t in si.iter(f"{{{ns['m']}}}t"))
            for si in ElementTree.fromstring(z.read("xl/sharedStrings.xml")).findall("m:si", ns)
        ]
        sheet = ElementTree.fromstring(z.read("xl/worksheets/sheet1.xml"))
    rows = []
    for row in sheet.iter(f"{{{ns['m']}}}row"):
        cells = []
        for c in row.findall("m:c", ns):
            v = c.find("m:v", ns)
            text = v.text if v is not None else None
            cells.append(strings[int(text)] if c.get("t") == "s" and text else text)
        rows.append(cells)
    start = next(i for i, r in enumerate(rows) if r and r[0] == "Option key")
    header = rows[start]
    out = {}
    for r in rows[start + 1 :]:
        if len(r) < len(header):  # the option rows end where the notes and tables begin
            break
        out[r[0]] = {h: float(v) for h, v in zip(header[2:6], r[2:6], strict=True)}
    return out


@pytest.mark.kernel
def test_workbook_values_equal_breakdown_json(
    packed: tuple[Path, int, str, str], run_cli: RunCli
) -> None:
    out = packed[0]
    code, stdout, _ = run_cli("breakdown", NORTHWIND, "--format", "json")
    assert code == 0
    doc = json.loads(stdout)
    sheet = _summary_sheet(out / "workbook.xlsx")
    real = [o for o in doc["options"] if o["kind"] != "baseline"]
    assert sorted(sheet) == sorted(o["key"] for o in real)
    for o in real:
        row = sheet[o["key"]]
        assert row["NPV"] == pytest.approx(o["kpis"]["npv"], abs=0.005)
        assert row["PV benefits"] == pytest.approx(o["kpis"]["pv_benefits"], abs=0.005)
        assert row["PV costs"] == pytest.approx(o["kpis"]["pv_costs"], abs=0.005)
        assert row["ROI"] == pytest.approx(o["kpis"]["roi"], abs=1e-9)


@pytest.mark.kernel
@pytest.mark.slow
def test_sigterm_leaves_nothing(tmp_path: Path) -> None:
    """Stopped half-way (the deck written, the report still rendering): exit 128 + 15, no pack
    folder, no staging folder, no traceback."""
    import os
    import signal
    import subprocess
    import sys
    import time

    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen(
        [sys.executable, "-m", "roi.cli", "pack", str(NORTHWIND), "--out", str(tmp_path / "p")],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    assert proc.stderr is not None
    seen = ""
    deadline = time.monotonic() + 120
    while "deck.pptx" not in seen and time.monotonic() < deadline:
        line = proc.stderr.readline()
        if not line:
            break
        seen += line
    assert "roi: pack: deck.pptx" in seen, seen
    proc.send_signal(signal.SIGTERM)
    _, rest = proc.communicate(timeout=60)
    assert proc.returncode == 128 + signal.SIGTERM, seen + rest
    assert "roi: interrupted (SIGTERM)" in rest
    assert "Traceback" not in rest
    assert list(tmp_path.iterdir()) == []
