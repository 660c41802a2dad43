"""The finance workbook: recalculated by LibreOffice (an independent engine), it gives the KPIs of
``roi breakdown --format json`` to the cent; editing a live assumption moves NPV as ``roi`` does.

LibreOffice tests are marked ``office``: they skip without ``soffice`` unless
ROI_REQUIRE_OFFICE=1 (CI), where a missing LibreOffice is a failure.
"""

from __future__ import annotations

import csv
import io
import os
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from conftest import scenario_from

from roi.cli import main
from roi.inputs.scenario import load_scenario
from roi.model import evaluate
from roi.present.documents import breakdown
from roi.present.workbook import SUMMARY_SHEET, sheet_name, workbook_bytes

SCENARIOS = sorted(Path("data_samples/scenarios").glob("*.yaml"))


def soffice() -> str:
    """LibreOffice's path; skip without it, fail without it when ROI_REQUIRE_OFFICE=1."""
    tool = shutil.which("soffice") or shutil.which("libreoffice")
    if tool:
        return tool
    message = "soffice not found (apt-get install libreoffice-calc libreoffice-impress)"
    if os.environ.get("ROI_REQUIRE_OFFICE") == "1":
        pytest.fail(f"ROI_REQUIRE_OFFICE=1 but {message}")
    pytest.skip(message)


def without_cached_values(xlsx: bytes) -> bytes:
    """The workbook with every formula's stored result removed: whatever a reader then shows,
    it computed itself."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(xlsx)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename.startswith("xl/worksheets/"):
                text = data.decode("utf-8")
                text = re.sub(r"(<f>[^<]*</f>)<v>[^<]*</v>", r"\1", text)
                data = text.encode("utf-8")
            dst.writestr(info, data)
    return out.getvalue()


def with_cell(xlsx: bytes, defined_name: str, value: float) -> bytes:
    """The workbook with the cell behind ``defined_name`` set to ``value`` (as a person would
    type it), found through the workbook's own defined names."""
    with zipfile.ZipFile(io.BytesIO(xlsx)) as src:
        names = src.read("xl/workbook.xml").decode("utf-8")
    match = re.search(rf'<definedName name="{defined_name}">([^<]*)</definedName>', names)
    assert match, defined_name
    sheet_title, ref = match.group(1).split("!")
    sheet_title = sheet_title.strip("'")
    sheets = re.findall(r'<sheet name="([^"]*)" sheetId="(\d+)"', names)
    index = [n for n, _ in sheets].index(sheet_title) + 1
    cell = ref.replace("$", "")
    target = f"xl/worksheets/sheet{index}.xml"
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(xlsx)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == target:
                text, n = re.subn(
                    rf'(<c r="{cell}"[^>]*>)<v>[^<]*</v>', rf"\g<1><v>{value!r}</v>", data.decode()
                )
                assert n == 1, cell
                data = text.encode("utf-8")
            dst.writestr(info, data)
    return out.getvalue()


def recalculated_summaries(books: dict[str, bytes], folder: Path) -> dict[str, dict[str, dict]]:
    """LibreOffice loads each workbook (no cached values), recalculates and writes its first
    sheet as CSV with raw numbers; the KPI rows by option key, per workbook name."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, data in books.items():
        path = folder / f"{name}.xlsx"
        path.write_bytes(without_cached_values(data))
        paths.append(str(path))
    csv_filter = "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,1"
    subprocess.run(
        [
            soffice(),
            f"-env:UserInstallation=file://{folder / 'profile'}",
            "--headless",
            "--convert-to",
            csv_filter,
            "--outdir",
            str(folder / "csv"),
            *paths,
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    out = {}
    for name in books:
        text = (folder / "csv" / f"{name}-{SUMMARY_SHEET}.csv").read_text(encoding="utf-8")
        rows = list(csv.reader(io.StringIO(text)))
        start = next(i for i, r in enumerate(rows) if r and r[0] == "Option key")
        table = {}
        for r in rows[start + 1 :]:
            if not r or not r[0]:
                break
            table[r[0]] = {
                "pv_benefits": float(r[2]),
                "pv_costs": float(r[3]),
                "npv": float(r[4]),
                "roi": float(r[5].rstrip("%")) / 100 if r[5] != "n/a" else None,
                "payback_months": float(r[6]) if r[6] != "no payback" else None,
            }
        out[name] = table
    return out


def test_sheet_names_are_valid() -> None:
    assert sheet_name("CF ", "a" * 40) == "CF " + "a" * 28
    assert sheet_name("CF ", "x/y") == "CF x_y"


def test_sheets_and_stored_values() -> None:
    ev = evaluate(load_scenario(SCENARIOS[0]))
    data = workbook_bytes(ev, "t")
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        names = re.findall(r'<sheet name="([^"]*)"', z.read("xl/workbook.xml").decode())
        summary = z.read("xl/worksheets/sheet1.xml").decode()
    options = [k for k, o in ev.options.items() if o.kind != "baseline"]
    assert names == [SUMMARY_SHEET, "Assumptions", *(sheet_name("CF ", k) for k in options)]
    # Formulas with their computed values stored (not xlsxwriter's default 0).
    assert "NPV(discount_rate," in summary
    stored = re.findall(r"<f>[^<]*</f><v>([^<]*)</v>", summary)
    assert stored
    assert any(abs(float(v)) > 1000 for v in stored if re.fullmatch(r"-?[\d.eE+-]+", v))


def test_point_estimates_only() -> None:
    scenario = load_scenario(SCENARIOS[0])
    ev = evaluate(scenario, {"finance.discount_rate": [0.1, 0.2]})
    with pytest.raises(ValueError, match="point estimate"):
        workbook_bytes(ev, "t")


@pytest.mark.office
def test_recalculated_kpis_equal_breakdown_json_to_the_cent(tmp_path: Path) -> None:
    books, docs = {}, {}
    cases = {p.stem: load_scenario(p) for p in SCENARIOS}
    # The seed article with each month discounted.
    cases["monthly"] = scenario_from(SCENARIOS[-1], {"finance.discounting": "monthly"})
    for name, scenario in cases.items():
        ev = evaluate(scenario)
        books[name] = workbook_bytes(ev, name)
        docs[name] = breakdown(ev, name)
    # The live assumption: a higher discount rate in the Assumptions sheet.
    base = cases["ecommerce-midsize"]
    books["rate-up"] = with_cell(books["ecommerce-midsize"], "discount_rate", 0.17)
    docs["rate-up"] = breakdown(evaluate(base, {"finance.discount_rate": 0.17}), "rate-up")
    books["risk-up"] = with_cell(books["ecommerce-midsize"], "benefit_risk", 0.4)
    docs["risk-up"] = breakdown(evaluate(base, {"finance.benefit_risk": 0.4}), "risk-up")
    sheets = recalculated_summaries(books, tmp_path)
    for name, doc in docs.items():
        options = [o for o in doc["options"] if o["kind"] != "baseline"]
        assert set(sheets[name]) == {o["key"] for o in options}, name
        for o in options:
            got, want = sheets[name][o["key"]], o["kpis"]
            for k in ("npv", "pv_benefits", "pv_costs"):
                assert got[k] == pytest.approx(want[k], abs=0.005), (name, o["key"], k)
            assert got["roi"] == pytest.approx(want["roi"], abs=1e-9), (name, o["key"])
            assert got["payback_months"] == want["payback_months"], (name, o["key"])
    # The edits moved NPV, the way roi moves it (down for both).
    for name in ("rate-up", "risk-up"):
        for key, row in sheets[name].items():
            assert row["npv"] < sheets["ecommerce-midsize"][key]["npv"] - 1000, (name, key)


def test_cli_writes_the_workbook(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "case.xlsx"
    assert main(["workbook", str(SCENARIOS[-1]), "--out", str(out)]) == 0
    assert zipfile.is_zipfile(out)
    assert str(out) in capsys.readouterr().out


def test_cli_refuses_a_bad_scenario(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("finance: {discount_rate: {value: 2, unit: fraction}}\n")
    out = tmp_path / "case.xlsx"
    assert main(["workbook", str(bad), "--out", str(out)]) == 2
    assert "bad.yaml" in capsys.readouterr().err
    assert not out.exists()
