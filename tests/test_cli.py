"""roi.cli: the ``roi`` command line (init, schema, diff, breakdown formats, usage errors)."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT, SEED, RunCli, one_error_line

from roi.inputs.schema import Scenario

RATE = 200_000 / 2080


def one_line_usage_error(result: tuple[int, str, str], *fragments: str) -> str:
    code, out, err = result
    assert code == 2
    assert out == ""
    return one_error_line(err, *fragments)


# --- roi init ---------------------------------------------------------------------------------


def test_init_writes_a_template_that_validates(tmp_path: Path, run_cli: RunCli) -> None:
    path = tmp_path / "my-case.yaml"
    code, out, err = run_cli("init", path)
    assert code == 0, err
    assert out.strip() == (
        f"wrote {path}; next: edit the REQUIRED fields, then run: roi validate {path}"
    )
    assert path.read_text().startswith("# roi scenario file")
    assert run_cli("validate", path)[0] == 0
    # and it evaluates
    assert run_cli("breakdown", path)[0] == 0
    assert [p.name for p in tmp_path.iterdir()] == ["my-case.yaml"]  # no temporary file left


def test_init_refuses_to_overwrite(tmp_path: Path, run_cli: RunCli) -> None:
    path = tmp_path / "mine.yaml"
    path.write_text("my own work\n")
    one_line_usage_error(run_cli("init", path), str(path), "already exists", "--force")
    assert path.read_text() == "my own work\n"
    code, _, _ = run_cli("init", path, "--force")
    assert code == 0
    assert path.read_text().startswith("# roi scenario file")


def test_init_to_stdout(run_cli: RunCli) -> None:
    code, out, _ = run_cli("init")
    assert code == 0
    assert "schema_version: 1" in out
    assert run_cli("init", "-")[1] == out


# --- roi schema -------------------------------------------------------------------------------


def test_schema_prints_json_schema(run_cli: RunCli) -> None:
    code, out, _ = run_cli("schema")
    assert code == 0
    doc = json.loads(out)
    assert doc["$schema"].startswith("https://json-schema.org/")
    assert set(doc["properties"]) == set(Scenario.model_fields)
    assert "business" in doc["required"]


# --- roi diff ---------------------------------------------------------------------------------


def modified_seed(tmp_path: Path) -> Path:
    path = tmp_path / "longer-mttr.yaml"
    path.write_text(
        f"extends: {SEED}\n"
        "incidents:\n  severities:\n    sev1:\n"
        "      mttr_hours_before: {value: 5, unit: h, source: our export}\n"
    )
    return path


def test_diff_shows_changed_assumption_and_kpi_deltas(tmp_path: Path, run_cli: RunCli) -> None:
    new = modified_seed(tmp_path)
    code, out, _ = run_cli("diff", SEED, new, "--format", "json")
    assert code == 0
    doc = json.loads(out)
    assert [a["path"] for a in doc["assumptions"]] == [
        "incidents.severities.sev1.mttr_hours_before"
    ]
    row = doc["assumptions"][0]
    assert (row["base"], row["new"]) == (4.3, 5.0)
    assert row["change"] == pytest.approx(0.7)
    # Datadog: 2 incidents x 0.7 h more saved, at 4,500 $/h lost + 4 responders x rate, on the
    # 3-month rollout (1/3, 2/3, then full: 11 full months in year 1), risk-adjusted x 0.85,
    # discounted by year
    monthly = 2 * 0.7 * (15_000 * 0.3 + 4 * RATE)
    expected = monthly * 0.85 * (11 / 1.1 + 12 / 1.1**2 + 12 / 1.1**3)
    npv = next(k for k in doc["kpis"] if k["option"] == "datadog" and k["kpi"] == "npv")
    assert npv["change"] == pytest.approx(expected)
    # costs did not move, so no pv_costs rows
    assert not [k for k in doc["kpis"] if k["kpi"] == "pv_costs"]
    figures = {f["figure"]: f for f in doc["figures"]}
    assert figures["mttr_hours_saved_per_incident.sev1"]["new"] == pytest.approx(5 - 47 / 60)
    # keys stay, labels are added
    assert row["label"] == "Sev-1 MTTR before"
    assert npv["label"] == "NPV"
    assert npv["option_label"] == "Datadog APM (annual)"
    # ROI = NPV / PV costs and the costs did not move: its change in percentage points is
    # 100 x the NPV change / PV costs
    roi = next(k for k in doc["kpis"] if k["option"] == "datadog" and k["kpi"] == "roi")
    pv_costs = next(
        o["kpis"]["pv_costs"]
        for o in json.loads(run_cli("breakdown", SEED, "--format", "json")[1])["options"]
        if o["key"] == "datadog"
    )
    assert roi["change_points"] == pytest.approx(100 * expected / pv_costs)
    assert "change_points" not in npv


def test_diff_table(tmp_path: Path, run_cli: RunCli) -> None:
    code, out, _ = run_cli("diff", SEED, modified_seed(tmp_path))
    assert code == 0
    assert "Sev-1 MTTR before" in out  # a label, not the dotted key
    assert "incidents.severities" not in out
    assert "Datadog APM (annual)" in out
    assert "+16.3%" in out  # 4.3 -> 5 h
    assert "4.3 h" in out
    assert " 5 h" in out
    roi_line = next(line for line in out.splitlines() if "Datadog" in line and "ROI" in line)
    assert roi_line.rstrip().endswith(" pp")  # ROI moves in percentage points
    assert "%" in roi_line.split("ROI", 1)[1]


def test_diff_with_itself_shows_no_differences(run_cli: RunCli) -> None:
    code, out, _ = run_cli("diff", SEED, SEED)
    assert code == 0
    assert out.strip().endswith("no differences")
    doc = json.loads(run_cli("diff", SEED, SEED, "--format", "json")[1])
    assert doc["kpis"] == doc["figures"] == doc["assumptions"] == []


def test_diff_of_a_bad_file_is_a_user_error(tmp_path: Path, run_cli: RunCli) -> None:
    code, _, err = run_cli("diff", SEED, tmp_path / "absent.yaml")
    assert code == 2
    assert "file not found" in err


# --- roi breakdown ----------------------------------------------------------------------------


def test_breakdown_csv_parses_and_monthly_is_driver_times_unit_value(run_cli: RunCli) -> None:
    code, out, _ = run_cli("breakdown", SEED, "--format", "csv")
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    assert rows
    assert {r["option"] for r in rows} == {"self-run", "datadog"}
    for r in rows:
        product = float(r["driver"]) * float(r["unit_value"])
        if r["one_off"] == "True":
            assert r["monthly"] == ""
            assert float(r["one_off_amount"]) == pytest.approx(product)
        else:
            assert float(r["monthly"]) == pytest.approx(product)
            assert float(r["annual"]) == pytest.approx(12 * product)


def test_breakdown_table_is_the_default(run_cli: RunCli) -> None:
    code, out, _ = run_cli("breakdown", SEED)
    assert code == 0
    assert "North-star KPI: Reduce P95 checkout latency below 1 second" in out
    assert "Stack set-up (Collector, backend, storage)" in out


@pytest.mark.parametrize("fmt", ["json", "csv", "table"])
def test_option_keeps_only_that_option_and_the_baseline(run_cli: RunCli, fmt: str) -> None:
    code, out, _ = run_cli("breakdown", SEED, "--option", "datadog", "--format", fmt)
    assert code == 0
    if fmt == "json":
        assert [o["key"] for o in json.loads(out)["options"]] == ["do-nothing", "datadog"]
    elif fmt == "csv":
        assert {r["option"] for r in csv.DictReader(io.StringIO(out))} == {"datadog"}
    else:
        assert "(datadog)" in out
        assert "(self-run)" not in out


def test_bad_option(run_cli: RunCli) -> None:
    one_line_usage_error(
        run_cli("breakdown", SEED, "--option", "datadogg"),
        "--option: 'datadogg' is not an option of",
        "allowed: do-nothing, self-run, datadog",
    )


# --- usage ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "fragments"),
    [
        (["frobnicate"], ["invalid choice: 'frobnicate'", "breakdown", "roi --help"]),
        (["breakdown", str(SEED), "--frob"], ["unrecognized arguments: --frob"]),
        (["breakdown", str(SEED), "--format", "xml"], ["invalid choice: 'xml'", "'json'"]),
        (["breakdown"], ["SCENARIO"]),
        (["validate"], ["SCENARIO"]),
        (["--frob"], ["--frob"]),
    ],
)
def test_usage_errors_are_one_line_exit_2(
    run_cli: RunCli, args: list[str], fragments: list[str]
) -> None:
    one_line_usage_error(run_cli(*args), *fragments)


def test_no_command_prints_help_and_exits_2(run_cli: RunCli) -> None:
    code, out, _ = run_cli()
    assert code == 2
    assert out.startswith("usage: roi")


def test_help_and_version(run_cli: RunCli) -> None:
    code, out, _ = run_cli("--help")
    assert code == 0
    for command in ("breakdown", "cashflows", "validate", "init", "schema", "diff"):
        assert command in out
    code, out, _ = run_cli("--version")
    assert (code, out.strip()) == (0, "roi 0.1.0")
    code, out, _ = run_cli("breakdown", "--help")
    assert code == 0
    assert "--option" in out


def test_unexpected_errors_exit_1_without_traceback(
    run_cli: RunCli, monkeypatch: pytest.MonkeyPatch
) -> None:
    def boom(*_args: object, **_kwargs: object) -> None:
        raise RuntimeError("kaput")

    monkeypatch.setattr("roi.model.evaluate", boom)
    monkeypatch.delenv("ROI_DEBUG", raising=False)
    code, _, err = run_cli("breakdown", SEED)
    assert code == 1
    assert "Traceback" not in err
    assert "unexpected error: RuntimeError: kaput" in err
    assert "ROI_DEBUG=1" in err


def test_console_script_runs_in_a_subprocess() -> None:
    exe = Path(sys.executable).with_name("roi")
    result = subprocess.run(
        [str(exe), "breakdown", str(SEED), "--format", "json"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["schema_version"] == 1
    bad = subprocess.run(
        [str(exe), "validate", "nowhere.yaml"], capture_output=True, text=True, check=False
    )
    assert bad.returncode == 2
    assert "Traceback" not in bad.stderr


def test_init_into_a_directory_is_a_user_error(tmp_path: Path, run_cli: RunCli) -> None:
    one_line_usage_error(run_cli("init", tmp_path, "--force"), str(tmp_path), "is a directory")
    assert list(tmp_path.iterdir()) == []  # no temporary file left behind


def test_allow_extends_lasts_one_command(
    tmp_path: Path, run_cli: RunCli, monkeypatch: pytest.MonkeyPatch
) -> None:
    from roi.inputs.scenario import ALLOW_EXTENDS_ENV

    monkeypatch.delenv(ALLOW_EXTENDS_ENV)
    child = tmp_path / "child.yaml"
    child.write_text(f"extends: {SEED}\nname: child\n", encoding="utf-8")
    assert run_cli("breakdown", child)[0] == 2
    code, _, err = run_cli("breakdown", "--allow-extends", SEED.parent, child, "--format", "json")
    assert code == 0, err
    assert ALLOW_EXTENDS_ENV not in os.environ  # restored: the next command is not widened
    assert run_cli("simulate", child, "--samples", "10")[0] == 2


def test_explore_takes_allow_extends_and_its_server_inherits_it(
    tmp_path: Path, run_cli: RunCli, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``roi explore`` loads the scenario in the parent and again in the Voila server it starts
    (which inherits the environment): ``--allow-extends`` must reach both."""
    import roi.report.explore_app as explore_app
    from roi.inputs.scenario import ALLOW_EXTENDS_ENV, load_scenario

    monkeypatch.delenv(ALLOW_EXTENDS_ENV)
    child = tmp_path / "child.yaml"
    child.write_text(f"extends: {SEED}\nname: child\n", encoding="utf-8")
    served: list[str] = []

    def serve(scenario: str, port: int | None, open_browser: bool) -> int:
        served.append(load_scenario(scenario).name)  # what the server process would do
        return 0

    monkeypatch.setattr(explore_app, "serve", serve)
    code, _, err = run_cli("explore", child, "--no-browser")
    assert code == 2
    assert "--allow-extends" in err
    code, _, err = run_cli("explore", "--allow-extends", SEED.parent, child, "--no-browser")
    assert (code, err) == (0, ""), err
    assert served == ["child"]


@pytest.mark.parametrize(
    ("signum", "line"),
    [
        (2, "roi: interrupted\n"),
        (15, "roi: interrupted (SIGTERM)\n"),
        (1, "roi: interrupted (SIGHUP)\n"),
    ],
)
def test_a_stop_signal_exits_128_plus_its_number(
    signum: int, line: str, run_cli: RunCli, monkeypatch: pytest.MonkeyPatch
) -> None:
    import roi.cli
    from roi.report.batch import Interrupted

    def stopped(args: object) -> int:
        raise KeyboardInterrupt if signum == 2 else Interrupted(signum)

    monkeypatch.setattr(roi.cli, "cmd_validate", stopped)
    assert run_cli("validate", SEED) == (128 + signum, "", line)
