"""The report notebooks: one ``parameters`` cell of plain literals with exactly the contract's
names, outputs stripped in git, and (marked ``kernel``) every notebook executed by papermill on
every shipped scenario: no errors or warnings, only presentation outputs, summary.json per the
contract and every chart as PNG and SVG."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
import xml.etree.ElementTree as ET
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import nbformat
import pytest
from conftest import REPORT_NOTEBOOKS, ROOT, SCENARIOS_DIR, SEED, SHIPPED_SCENARIOS

from roi.analysis.decision import decision_aid
from roi.inputs.scenario import load_scenario
from roi.model import evaluate
from roi.present.read import compares_stacks
from roi.report.summary import validate_summary

NOTEBOOKS_DIR = ROOT / "notebooks"
NOTEBOOKS = REPORT_NOTEBOOKS
NAMES = ["01-business-case", "02-incidents", "03-latency", "04-stack-costs"]
CONTRACT = {
    "scenario_path": (str, "../data_samples/scenarios/seed-article.yaml"),
    "samples": (int, 10000),
    "seed": (int, 0),
    "interactive": (bool, False),
    "output_dir": (str, ""),
}
DEFAULTS = {("02-incidents", "scenario_path"): "../data_samples/northwind-from-exports.yaml"}
"""Defaults that differ from CONTRACT: notebook 02 opens on the scenario read from exports."""
FAST_SAMPLES = 500
TIMEOUT = 300


def _read(path: Path) -> Any:
    return nbformat.read(path, as_version=4)


def _parameters_cells(nb: Any) -> list[Any]:
    return [c for c in nb.cells if "parameters" in c.get("metadata", {}).get("tags", [])]


# --- static checks ----------------------------------------------------------------------------


def test_the_four_report_notebooks_exist() -> None:
    assert [p.stem for p in NOTEBOOKS] == NAMES


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_one_parameters_cell_of_plain_literals(path: Path) -> None:
    nb = _read(path)
    cells = _parameters_cells(nb)
    assert len(cells) == 1
    cell = cells[0]
    assert cell.cell_type == "code"
    tree = ast.parse(cell.source)
    names = []
    for stmt in tree.body:
        # `name: builtin = literal` and nothing else (papermill reads these; #806, #807)
        assert isinstance(stmt, ast.AnnAssign), ast.dump(stmt)
        assert isinstance(stmt.target, ast.Name)
        assert isinstance(stmt.annotation, ast.Name)
        assert isinstance(stmt.value, ast.Constant)
        kind, default = CONTRACT[stmt.target.id]
        default = DEFAULTS.get((path.stem, stmt.target.id), default)
        assert stmt.annotation.id == kind.__name__
        assert type(stmt.value.value) is kind
        assert stmt.value.value == default
        names.append(stmt.target.id)
    assert names == list(CONTRACT)
    lines = cell.source.splitlines()
    assert len(lines) == len(CONTRACT)  # one line each
    assert all("  # " in line for line in lines)  # each with a help comment


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_outputs_are_stripped(path: Path) -> None:
    nb = _read(path)
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert cell.outputs == []
            assert cell.execution_count is None
        assert set(cell.metadata) <= {"tags"}
    assert set(nb.metadata) <= {"kernelspec", "language_info", "title"}
    assert nb.metadata["kernelspec"]["name"] == "python3"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebooks_present_rather_than_compute(path: Path) -> None:
    """No function definitions or loops: the package computes, the notebook calls it."""
    nb = _read(path)
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        for node in ast.walk(ast.parse(cell.source)):
            assert not isinstance(node, ast.FunctionDef | ast.For | ast.While | ast.ClassDef)
        assert "pyplot" not in cell.source
    # No markdown cells: the report hides inputs, so all narrative is output of the sections.
    assert all(c.cell_type == "code" for c in nb.cells)


# --- executed notebooks -----------------------------------------------------------------------


@dataclass(frozen=True)
class Run:
    notebook: str
    scenario: Path | None
    out: Path
    returncode: int
    stderr: str


def _execute(notebook: str, scenario: Path | None, out: Path, extra: tuple[str, ...] = ()) -> Run:
    out.mkdir(parents=True, exist_ok=True)
    args = [
        sys.executable,
        "-m",
        "papermill",
        str(NOTEBOOKS_DIR / f"{notebook}.ipynb"),
        str(out / "executed.ipynb"),
        "-k",
        "python3",
        "--execution-timeout",
        str(TIMEOUT),
        "-p",
        "samples",
        str(FAST_SAMPLES),
        "-p",
        "output_dir",
        str(out),
        *extra,
    ]
    if scenario is not None:
        args += ["-p", "scenario_path", str(scenario)]
    # A separate process per notebook, started in a scratch folder: nothing depends on our cwd.
    for _attempt in range(2):
        done = subprocess.run(
            args, cwd=out, capture_output=True, text=True, timeout=TIMEOUT + 60, check=False
        )
        # Two plain papermill kernels starting at once can race for the same free ports
        # (jupyter_client picks them before binding; papermill #239): the kernel then dies
        # before its first reply, before any cell ran. Only that start-up death is retried.
        if KERNEL_START_RACE not in done.stderr:
            break
    return Run(notebook, scenario, out, done.returncode, done.stderr)


KERNEL_START_RACE = "Kernel died before replying to kernel_info"


CASES = [(nb, path) for nb in NAMES for path in SHIPPED_SCENARIOS]


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> dict[tuple[str, str], Run]:
    """Every notebook on every shipped scenario, two at a time (2 cores)."""
    base = tmp_path_factory.mktemp("notebooks")
    jobs = {(nb, p.stem): (nb, p, base / f"{nb}--{p.stem}") for nb, p in CASES}
    jobs[("01-business-case", "defaults")] = ("01-business-case", None, base / "defaults")
    with ThreadPoolExecutor(max_workers=2) as pool:
        futures = {key: pool.submit(_execute, *job) for key, job in jobs.items()}
        results = {key: f.result() for key, f in futures.items()}
    results[("01-business-case", "interactive")] = _execute(
        "01-business-case", SEED, base / "interactive", ("-p", "interactive", "True")
    )
    return results


def _outputs(run: Run) -> list[Any]:
    nb = _read(run.out / "executed.ipynb")
    return [o for c in nb.cells if c.cell_type == "code" for o in c.outputs]


def _html(run: Run) -> str:
    return "\n".join(
        o["data"]["text/html"] for o in _outputs(run) if "text/html" in o.get("data", {})
    )


def _check_clean(run: Run) -> None:
    assert run.returncode == 0, run.stderr[-2000:]
    for o in _outputs(run):
        assert o.output_type != "error", f"{o.get('ename')}: {o.get('evalue')}"
        # A warning or a print would show in the report.
        assert o.output_type != "stream", o.get("text", "")[:500]
        data = o.get("data", {})
        if o.output_type in ("display_data", "execute_result"):
            # Every visible element is HTML from the sections (or a widget when interactive).
            assert "text/html" in data or "application/vnd.jupyter.widget-view+json" in data, (
                data.get("text/plain", "")[:200]
            )
    assert "<script" not in _html(run)


def _charts(run: Run) -> set[str]:
    folder = run.out / "charts"
    pngs = {p.stem for p in folder.glob("*.png")}
    svgs = {p.stem for p in folder.glob("*.svg")}
    assert pngs == svgs
    for name in pngs:
        assert (folder / f"{name}.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
        ET.parse(folder / f"{name}.svg")  # well-formed SVG
    assert not list(folder.glob(".*"))  # no temporary files left
    return pngs


@pytest.mark.kernel
@pytest.mark.slow
@pytest.mark.parametrize(("notebook", "path"), CASES, ids=[f"{nb}-{p.stem}" for nb, p in CASES])
def test_notebook_runs_on_shipped_scenario(
    runs: dict[tuple[str, str], Run], notebook: str, path: Path
) -> None:
    run = runs[(notebook, path.stem)]
    _check_clean(run)
    doc = json.loads((run.out / "summary.json").read_text(encoding="utf-8"))
    validate_summary(doc)
    # The scenario file without the machine's folders (roi.report.summary.shown_path).
    shown = Path(doc["scenario"]["file"])
    assert not shown.is_absolute()
    assert shown.name == path.name
    if notebook == "01-business-case":
        assert (doc["samples"], doc["seed"]) == (FAST_SAMPLES, 0)
    else:  # the deep dives show point estimates: no Monte Carlo, no ranges
        assert (doc["samples"], doc["seed"]) == (None, None)
        assert all(o["npv_p10"] is None and o["prob_npv_negative"] is None for o in doc["options"])
    scenario = load_scenario(path)
    ev = evaluate(scenario)
    assert doc["best_option"] == decision_aid(ev).best_option
    charts = _charts(run)
    html = _html(run)
    stacks = compares_stacks(ev)
    vendors = any(o.kind == "managed" for o in ev.options.values())
    if notebook == "01-business-case":
        assert {
            "benefits",
            "cost-structure",
            "cumulative-net-cash",
            "npv-distribution",
            "cash-fan",
            "tornado",
        } <= charts
        assert ({"cumulative-cost", "run-rate-vs-traffic", "lock-in"} <= charts) == stacks
        for section in ("North-star KPI and the ask", "Readiness", "Cash-flow analysis"):
            assert section in html
        assert "Appendix: every assumption" in html
        assert "References" in html
        assert "Methods" in html
        if not stacks:
            assert "no-SaaS" in html
    elif notebook == "02-incidents":
        assert {"incident-hours", "mttr-breakeven"} <= charts
        assert "No incident export given" in html
        assert "DORA" in html
    elif notebook == "03-latency":
        assert "start-lean" in charts
        has_latency = scenario.latency is not None
        assert ({"latency-waterfall", "elasticity-presets"} <= charts) == has_latency
        if not has_latency:
            assert "no latency section" in html
    else:
        assert {"run-rate-vs-traffic", "cumulative-cost"} <= charts
        assert ({"vendor-bill-components", "lock-in"} <= charts) == vendors
        if vendors:
            assert "check current pricing" in html
        else:
            assert "no-SaaS" in html


@pytest.mark.kernel
@pytest.mark.slow
def test_business_case_runs_standalone_with_its_defaults(
    runs: dict[tuple[str, str], Run],
) -> None:
    """The default relative scenario path resolves against the notebooks folder, wherever the
    kernel starts."""
    run = runs[("01-business-case", "defaults")]
    _check_clean(run)
    doc = json.loads((run.out / "summary.json").read_text(encoding="utf-8"))
    # Resolved to the seed (its figures), shown without the machine's folders.
    shown = Path(doc["scenario"]["file"])
    assert not shown.is_absolute()
    assert shown.name == SEED.name
    assert doc["scenario"]["name"] == load_scenario(SEED).name


@pytest.mark.kernel
@pytest.mark.slow
def test_business_case_shows_the_explorer_when_interactive(
    runs: dict[tuple[str, str], Run],
) -> None:
    run = runs[("01-business-case", "interactive")]
    _check_clean(run)
    widgets = [
        o for o in _outputs(run) if "application/vnd.jupyter.widget-view+json" in o.get("data", {})
    ]
    assert len(widgets) == 1
    assert "Explore the assumptions" in _html(run)


@pytest.mark.kernel
@pytest.mark.slow
def test_same_summary_from_every_notebook(runs: dict[tuple[str, str], Run]) -> None:
    """All four notebooks of one scenario report the same headline figures; only the business
    case adds the Monte Carlo's ranges."""
    point = ("key", "label", "kind", "kpis")
    for path in SHIPPED_SCENARIOS:
        docs = [
            json.loads((runs[(nb, path.stem)].out / "summary.json").read_text(encoding="utf-8"))
            for nb in NAMES
        ]
        assert all(d == docs[1] for d in docs[2:])
        for key in ("scenario", "best_option", "recommendation", "readiness_gaps"):
            assert docs[0][key] == docs[1][key]
        assert [{k: o[k] for k in point} for o in docs[0]["options"]] == [
            {k: o[k] for k in point} for o in docs[1]["options"]
        ]


def test_deep_dives_run_no_monte_carlo() -> None:
    """A Monte Carlo only the business case shows: the deep dives do not ask setup for one."""
    for name in NAMES[1:]:
        source = "\n".join(c.source for c in _read(NOTEBOOKS_DIR / f"{name}.ipynb").cells)
        assert "setup(" in source
        assert "samples=" not in source
        assert "simulate" not in source
    business = "\n".join(c.source for c in _read(NOTEBOOKS_DIR / f"{NAMES[0]}.ipynb").cells)
    assert "samples=samples" in business


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_one_setup_call_per_notebook(path: Path) -> None:
    """The notebooks share one setup call instead of copies of the same cell."""
    source = "\n".join(c.source for c in _read(path).cells)
    assert source.count("setup(") == 1
    for computing in ("load_scenario", "evaluate(", "tornado(", "_sweep("):
        assert computing not in source, computing


def test_fixture_scenarios_are_the_shipped_ones() -> None:
    assert {p.parent for p in SHIPPED_SCENARIOS} == {SCENARIOS_DIR}
    assert len(SHIPPED_SCENARIOS) >= 4
