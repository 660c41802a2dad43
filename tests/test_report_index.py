"""roi.report.index: every rendered scenario side by side, failures listed, all text escaped."""

from __future__ import annotations

import json
import os
import re
import stat
from pathlib import Path
from typing import Any

from roi.report.export import external_resources
from roi.report.index import FAILED_DIR, Failure, index_html, read_failures, write_index


def summary(name: str, currency: str = "USD", **option: Any) -> dict[str, Any]:
    best = {
        "key": "datadog",
        "label": "Datadog APM",
        "kind": "managed",
        "kpis": {
            "npv": 1_234_567.0,
            "roi": 3.29,
            "payback_months": 14.0,
            "pv_benefits": 2e6,
            "pv_costs": 5e5,
        },
        "npv_p10": -45_500.0,
        "npv_p50": 1.2e6,
        "npv_p90": 2_100_000.0,
        "roi_p10": 0.5,
        "roi_p50": 3.0,
        "roi_p90": 4.25,
        "prob_npv_negative": 0.25,
    }
    best.update(option)
    other = {**best, "key": "self-run", "label": "Self-run", "kpis": {**best["kpis"], "npv": 1.0}}
    return {
        "schema_version": 1,
        "scenario": {
            "name": name,
            "description": "d",
            "currency": currency,
            "file": f"{name}.yaml",
            "north_star_kpi": None,
        },
        "best_option": "datadog",
        "recommendation": "r",
        "options": [other, best],
        "readiness_gaps": ["Can I explain <b>value</b> in 30 seconds?"],
        "samples": 1000,
        "seed": 0,
    }


def write_report(out: Path, slug: str, doc: Any, pdf: bool = False) -> None:
    folder = out / slug
    folder.mkdir(parents=True)
    text = doc if isinstance(doc, str) else json.dumps(doc)
    (folder / "summary.json").write_text(text, encoding="utf-8")
    (folder / "report.html").write_text("<html></html>", encoding="utf-8")
    if pdf:
        (folder / "report.pdf").write_bytes(b"%PDF-1.4")


def test_row_values_hand_formatted(tmp_path: Path) -> None:
    write_report(tmp_path, "acme", summary("Acme"), pdf=True)
    html = index_html(tmp_path)
    # Best option (datadog), not the first option listed.
    assert "Datadog APM" in html
    assert "$1.23M" in html  # NPV 1,234,567 -> 3 significant digits
    assert "P10 -$45.5k" in html
    assert "P90 $2.1M" in html
    assert "329 %" in html  # ROI 3.29
    assert "P10 50 %" in html
    assert "P90 425 %" in html
    assert "14 months" in html
    assert "25 %" in html  # probability of loss
    assert 'href="acme/report.html"' in html
    assert 'href="acme/report.pdf"' in html
    assert "1 scenario rendered" in html


def test_text_from_summaries_is_escaped(tmp_path: Path) -> None:
    write_report(tmp_path, "x", summary("<script>alert(1)</script> & Co"))
    html = index_html(tmp_path)
    assert "<script" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; Co" in html
    assert "Can I explain &lt;b&gt;value&lt;/b&gt; in 30 seconds?" in html
    assert external_resources(html) == []


def test_rows_come_from_folders_with_a_summary_only(tmp_path: Path) -> None:
    write_report(tmp_path, "b-scenario", summary("Beta"))
    write_report(tmp_path, "a-scenario", summary("Alpha", currency="EUR"))
    (tmp_path / "no-summary").mkdir()
    (tmp_path / ".hidden").mkdir()
    (tmp_path / ".hidden" / "summary.json").write_text(json.dumps(summary("Hidden")))
    html = index_html(tmp_path)
    assert "Hidden" not in html
    assert "no-summary" not in html
    assert html.index("Alpha") < html.index("Beta")  # sorted by name
    assert "€1.23M" in html
    assert "2 scenarios rendered" in html


def test_unreadable_summary_is_shown_not_fatal(tmp_path: Path) -> None:
    write_report(tmp_path, "broken", "{not json")
    write_report(tmp_path, "old", {"schema_version": 99})
    write_report(tmp_path, "partial", {"schema_version": 1, "options": "nonsense"})
    html = index_html(tmp_path)
    assert "summary.json unreadable" in html
    assert "summary.json is not schema_version 1" in html
    assert re.search(r"<b>partial</b>", html)  # no name: the slug stands in
    assert "n/a" in html


def test_failures_listed_and_previous_report_marked(tmp_path: Path) -> None:
    write_report(tmp_path, "acme", summary("Acme"))
    failed = tmp_path / FAILED_DIR
    failed.mkdir()
    for slug, message in [
        ("acme", "scenario acme.yaml failed in cell 7: ValueError: <boom>"),
        ("other", "scenario other.yaml is not valid: rollout: field required"),
    ]:
        doc = Failure(slug, f"{slug}.yaml", message, 0.0, None).to_json()
        (failed / f"{slug}.json").write_text(json.dumps(doc))
    (failed / "garbage.json").write_text("[]")
    assert sorted(read_failures(tmp_path)) == ["acme", "other"]
    html = index_html(tmp_path)
    assert "<h2>Failed</h2>" in html
    assert "failed in cell 7: ValueError: &lt;boom&gt;" in html
    assert "is not valid: rollout: field required" in html
    assert "Latest render failed; this is the previous report." in html
    assert "previous report</a>" in html
    assert "2 failed" in html


def test_write_index_is_atomic_and_readable(tmp_path: Path) -> None:
    write_report(tmp_path, "acme", summary("Acme"))
    path = write_index(tmp_path)
    assert path == tmp_path / "index.html"
    mask = os.umask(0)
    os.umask(mask)
    assert stat.S_IMODE(path.stat().st_mode) == 0o666 & ~mask
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []
    assert "Acme" in path.read_text(encoding="utf-8")


def test_empty_folder_says_so(tmp_path: Path) -> None:
    html = index_html(tmp_path)
    assert "No report rendered yet." in html


def test_links_out_of_the_folder_are_not_read(tmp_path: Path) -> None:
    outside = tmp_path / "elsewhere"
    write_report(outside, "private", summary("SECRET-FOLDER"))
    (outside / "failed").mkdir()
    record = Failure("x", "x.yaml", "SECRET-RECORD", 0.0)
    (outside / "failed" / "x.json").write_text(json.dumps(record.to_json()), encoding="utf-8")
    out = tmp_path / "reports"
    write_report(out, "real", summary("Real one"))
    (out / "linked").symlink_to(outside / "private")  # a folder that is a link
    write_report(out, "summary-link", summary("placeholder"))
    (out / "summary-link" / "summary.json").unlink()
    (out / "summary-link" / "summary.json").symlink_to(outside / "private" / "summary.json")
    (out / FAILED_DIR).symlink_to(outside / "failed")
    html = index_html(out)
    assert "Real one" in html
    assert "SECRET" not in html
    assert read_failures(out) == {}


def test_no_absolute_machine_paths(tmp_path: Path, monkeypatch: Any) -> None:
    """A summary of an older roi (absolute scenario path) and a failure of a scenario given by
    its absolute path: the index shows the file relative to the working directory or by its
    name, and every link is relative to the index."""
    work = tmp_path / "work"
    (work / "cases").mkdir(parents=True)
    monkeypatch.chdir(work)
    out = work / "reports"
    inside = summary("Acme")
    inside["scenario"]["file"] = str(work / "cases" / "acme.yaml")
    write_report(out, "acme", inside, pdf=True)
    outside = summary("Other")
    outside["scenario"]["file"] = "/srv/elsewhere/other.yaml"
    write_report(out, "other", outside)
    (out / FAILED_DIR).mkdir()
    failed = "/srv/elsewhere/broken.yaml"
    doc = Failure("broken", failed, f"scenario {failed} failed in cell 3: E: x", 0.0, None)
    (out / FAILED_DIR / "broken.json").write_text(json.dumps(doc.to_json()))
    html = index_html(out)
    assert "<div class='small'>cases/acme.yaml</div>" in html
    assert "<div class='small'>other.yaml</div>" in html
    assert "scenario broken.yaml failed in cell 3" in html
    assert str(tmp_path) not in html
    assert "/srv/" not in html
    for href in re.findall(r'href="([^"]*)"', html):
        assert not href.startswith(("/", "file:")), href
        assert (out / href).resolve().is_relative_to(out.resolve())


def test_rebuilding_holds_one_summary_at_a_time(tmp_path: Path) -> None:
    """The index of many reports keeps each row, not each summary: 200 summaries of 40 kB
    (8 MB in all, about three times that as Python objects) are rebuilt in well under 8 MB."""
    import tracemalloc

    for i in range(200):
        write_report(tmp_path, f"s{i:03d}", {**summary(f"S {i}"), "padding": ["x" * 40] * 1000})
    tracemalloc.start()
    try:
        write_index(tmp_path)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert (tmp_path / "index.html").read_text(encoding="utf-8").count("<tr>") == 201
    assert peak < 4_000_000, f"rebuilding the index peaked at {peak / 1e6:.1f} MB"
