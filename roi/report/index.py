"""``DIR/index.html``: every rendered scenario side by side, and what failed.

The index is rebuilt from what is on disk, not from one run: a row for every folder of ``DIR``
holding a ``summary.json`` (so rendering one scenario later keeps the others), and a failure entry
for every record in ``DIR/.failed/`` (written when a scenario's latest render failed, removed when
it next succeeds). A scenario whose latest render failed keeps its previous good report, marked as
such. Every text from a scenario or a summary is escaped; the page has inline styles only and
loads nothing. Folders and files that are symbolic links are skipped: a link planted in ``DIR``
cannot put another folder's text on the page.
"""

from __future__ import annotations

import json
import math
import time
from collections.abc import Iterator
from dataclasses import dataclass
from html import escape
from pathlib import Path
from typing import Any

from roi import __version__
from roi.present.formatting import compact_money, months_text, percent
from roi.report.files import write_text_atomic
from roi.report.summary import SUMMARY_FILE, SummaryError, read_summary, shown_path

FAILED_DIR = ".failed"
"""Folder of ``DIR`` with one ``<slug>.json`` record (and ``<slug>.ipynb`` when papermill wrote
one) per scenario whose latest render failed."""
INDEX = "index.html"


@dataclass(frozen=True)
class Failure:
    """Why a scenario's latest render failed, as recorded in ``DIR/.failed/<slug>.json``."""

    slug: str
    scenario_file: str
    message: str
    """One line: ``scenario X failed in cell N: ename: evalue`` or what else went wrong."""
    failed_at: float
    """When [s since the epoch]."""
    notebook: str | None = None
    """The failed notebook, relative to ``DIR``, when papermill wrote one."""

    def to_json(self) -> dict[str, Any]:
        """The record as written to disk."""
        return {
            "schema_version": 1,
            "slug": self.slug,
            "scenario_file": self.scenario_file,
            "message": self.message,
            "failed_at": self.failed_at,
            "notebook": self.notebook,
        }


@dataclass(frozen=True)
class _Row:
    slug: str
    summary: dict[str, Any] | None
    problem: str | None
    rendered_at: float
    has_pdf: bool


@dataclass(frozen=True)
class _Entry:
    """One rendered scenario as the page lists it: its row already written, its summary gone,
    so rebuilding the index of thousands of reports holds one summary at a time."""

    sort_key: tuple[str, str]
    slug: str
    html: str


def _read_json(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


def read_failures(out: Path) -> dict[str, Failure]:
    """The failure records of ``out`` by slug; unreadable records are skipped."""
    failures: dict[str, Failure] = {}
    folder = out / FAILED_DIR
    if not _real_dir(folder):
        return failures
    for path in sorted(folder.glob("*.json")):
        if not _real_file(path):
            continue
        try:
            doc = _read_json(path)
            failure = Failure(
                slug=str(doc["slug"]),
                scenario_file=str(doc["scenario_file"]),
                message=str(doc["message"]),
                failed_at=float(doc["failed_at"]),
                notebook=None if doc.get("notebook") is None else str(doc["notebook"]),
            )
        except (OSError, ValueError, KeyError, TypeError):
            continue
        failures[failure.slug] = failure
    return failures


def _real_dir(path: Path) -> bool:
    """A folder that is not a symbolic link: the index never reads through a link out of DIR."""
    return path.is_dir() and not path.is_symlink()


def _real_file(path: Path) -> bool:
    """A file that is not a symbolic link."""
    return path.is_file() and not path.is_symlink()


def _entries(out: Path, failures: dict[str, Failure]) -> list[_Entry]:
    """Every folder of ``out`` holding a ``summary.json``, in the page's order (scenario name,
    then slug), each read, written as its row and let go."""
    entries = []
    for folder in sorted(p for p in out.iterdir() if _real_dir(p) and not p.name.startswith(".")):
        path = folder / SUMMARY_FILE
        if not _real_file(path):
            continue
        summary: dict[str, Any] | None = None
        problem = None
        try:
            summary = read_summary(folder)
        except SummaryError as exc:
            problem = str(exc)
        row = _Row(
            folder.name, summary, problem, path.stat().st_mtime, _real_file(folder / "report.pdf")
        )
        name = str(_get(summary, "scenario", "name") or row.slug)
        entries.append(
            _Entry((name.casefold(), row.slug), row.slug, _row_html(row, failures.get(row.slug)))
        )
    entries.sort(key=lambda e: e.sort_key)
    return entries


def _get(doc: Any, *keys: str | int) -> Any:
    for key in keys:
        if isinstance(doc, dict) and isinstance(key, str):
            doc = doc.get(key)
        elif isinstance(doc, list) and isinstance(key, int) and -len(doc) <= key < len(doc):
            doc = doc[key]
        else:
            return None
    return doc


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value) if math.isfinite(value) else None


def _when(timestamp: float) -> str:
    return time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime(timestamp))


def _best_option(summary: dict[str, Any]) -> dict[str, Any] | None:
    best = summary.get("best_option")
    options = summary.get("options")
    if not isinstance(options, list):
        return None
    for option in options:
        if isinstance(option, dict) and option.get("key") == best:
            return option
    return None


def _spread(low_text: str, high_text: str, low: float | None, high: float | None) -> str:
    if low is None and high is None:
        return ""
    return (
        f"<div class='small nowrap'>P10 {escape(low_text)}</div>"
        f"<div class='small nowrap'>P90 {escape(high_text)}</div>"
    )


def _row_html(row: _Row, failure: Failure | None) -> str:
    e = escape
    links = [f'<a href="{e(row.slug)}/report.html">HTML</a>']
    if row.has_pdf:
        links.append(f'<a href="{e(row.slug)}/report.pdf">PDF</a>')
    stale = (
        '<div class="warn">Latest render failed; this is the previous report.</div>'
        if failure
        else ""
    )
    when = f'<div class="small">rendered {e(_when(row.rendered_at))}</div>'
    if row.summary is None:
        return (
            f"<tr><td class='text'><b>{e(row.slug)}</b>{stale}</td>"
            f"<td class='text' colspan='6'>{e(row.problem or 'no summary')}</td>"
            f"<td class='text'>{' · '.join(links)}{when}</td></tr>"
        )
    s = row.summary
    currency = str(_get(s, "scenario", "currency") or "")
    name = str(_get(s, "scenario", "name") or row.slug)
    file = str(shown_path(str(_get(s, "scenario", "file") or "")) or "")
    option = _best_option(s) or {}
    npv = _number(_get(option, "kpis", "npv"))
    p10, p90 = _number(option.get("npv_p10")), _number(option.get("npv_p90"))
    spread = _spread(compact_money(p10, currency), compact_money(p90, currency), p10, p90)
    roi_p10, roi_p90 = _number(option.get("roi_p10")), _number(option.get("roi_p90"))
    roi_spread = _spread(percent(roi_p10), percent(roi_p90), roi_p10, roi_p90)
    gaps = s.get("readiness_gaps")
    gaps = [str(g) for g in gaps] if isinstance(gaps, list) else []
    gaps_html = (
        "<span class='ok'>none</span>"
        if not gaps
        else f"<b>{len(gaps)}</b><ul>" + "".join(f"<li>{e(g)}</li>" for g in gaps) + "</ul>"
    )
    label = option.get("label") or s.get("best_option") or "n/a"
    return (
        "<tr>"
        f"<td class='text'><b>{e(name)}</b><div class='small'>{e(file)}</div>{stale}</td>"
        f"<td class='text'>{e(str(label))}</td>"
        f"<td class='{'neg' if npv is not None and npv < 0 else ''}'>"
        f"{e(compact_money(npv, currency))}{spread}</td>"
        f"<td>{e(percent(_number(_get(option, 'kpis', 'roi'))))}{roi_spread}</td>"
        f"<td>{e(months_text(_number(_get(option, 'kpis', 'payback_months'))))}</td>"
        f"<td>{e(percent(_number(option.get('prob_npv_negative'))))}</td>"
        f"<td class='text gaps'>{gaps_html}</td>"
        f"<td class='text'>{' · '.join(links)}{when}</td>"
        "</tr>"
    )


def _failure_html(failure: Failure, has_report: bool) -> str:
    e = escape
    message = failure.message
    shown = shown_path(failure.scenario_file)
    if shown and shown != failure.scenario_file:  # an absolute path given on the command line
        message = message.replace(failure.scenario_file, shown)
    extra = []
    if failure.notebook:
        extra.append(f'<a href="{e(failure.notebook)}">failed notebook</a>')
    if has_report:
        extra.append(f'<a href="{e(failure.slug)}/report.html">previous report</a>')
    tail = f" ({' · '.join(extra)})" if extra else ""
    return f"<li>{e(message)}<div class='small'>{e(_when(failure.failed_at))}{tail}</div></li>"


_CSS = """
* { box-sizing: border-box; -webkit-print-color-adjust: exact; print-color-adjust: exact; }
body { margin: 0; color: #1a1a1a; font-family: system-ui, -apple-system, "Segoe UI", Roboto,
  "Helvetica Neue", Arial, "DejaVu Sans", sans-serif; line-height: 1.45; }
main { max-width: 1200px; margin: 0 auto; padding: 24px 28px 40px; }
h1 { font-size: 1.8rem; margin: 0.3em 0; }
h2 { font-size: 1.3rem; margin-top: 1.6em; border-bottom: 1px solid #d0d0d0; }
table { border-collapse: collapse; width: 100%; font-variant-numeric: tabular-nums; }
th, td { padding: 0.45em 0.6em; border-bottom: 1px solid #d0d0d0; vertical-align: top;
  text-align: right; }
th { background: #f4f6f8; font-weight: 600; }
.text { text-align: left; }
.small { font-size: 0.82rem; color: #555; }
.warn { font-size: 0.82rem; color: #b34700; }
.ok { color: #00795a; }
.neg { color: #b34700; }
.nowrap { white-space: nowrap; }
.gaps ul { margin: 0.2em 0 0; padding-left: 1.1em; font-size: 0.82rem; }
.failed li { margin: 0.4em 0; }
a { color: #0072b2; }
@page { margin: 12mm; size: landscape; }
@media print { main { max-width: none; padding: 0; } tr { break-inside: avoid; } }
"""


def index_pieces(out: Path) -> Iterator[str]:
    """The index page of the reports folder ``out``, piece by piece (see :func:`index_html`),
    so that the index of thousands of reports is written without holding the page twice."""
    failures = read_failures(out)
    rows = _entries(out, failures)
    rendered = {r.slug for r in rows}
    yield (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1.0">\n'
        f"<title>Business cases: {len(rows)} scenarios</title>\n"
        f"<style>{_CSS}</style>\n</head>\n<body>\n<main>\n"
    )
    yield "<h1>Business cases for distributed tracing</h1>\n"
    yield (
        f"<p class='small'>{len(rows)} scenario{'' if len(rows) == 1 else 's'} rendered"
        + (f", {len(failures)} failed" if failures else "")
        + f"; index updated {escape(_when(time.time()))} by roi {escape(__version__)}. "
        "NPV, ROI and payback are those of each scenario's best option (highest NPV that policy "
        "allows); P10–P90 and the probability of loss come from its Monte Carlo.</p>\n"
    )
    if rows:
        yield (
            "<table><thead><tr>\n"
            "<th class='text'>Scenario</th><th class='text'>Best option</th><th>NPV</th>"
            "<th>ROI</th><th>Payback</th><th>Probability of loss</th>"
            "<th class='text'>Readiness gaps</th><th class='text'>Report</th>\n"
            "</tr></thead><tbody>\n"
        )
        for row in rows:
            yield row.html + "\n"
        yield "</tbody></table>\n"
    else:
        yield "<p>No report rendered yet.</p>\n"
    if failures:
        yield "<h2>Failed</h2>\n<ul class='failed'>\n"
        for failure in sorted(failures.values(), key=lambda f: f.scenario_file):
            yield _failure_html(failure, failure.slug in rendered) + "\n"
        yield "</ul>\n"
    yield "</main>\n</body>\n</html>\n"


def index_html(out: Path) -> str:
    """The index page of the reports folder ``out``.

    Parameters
    ----------
    out : Path
        The reports folder (``roi report --out``).

    Returns
    -------
    str
        A self-contained HTML page: one row per rendered scenario (best option, NPV with P10–P90,
        ROI, payback, probability of loss, readiness gaps, links), then the failures.
    """
    return "".join(index_pieces(out))


def write_index(out: Path) -> Path:
    """Write ``out/index.html`` atomically; returns its path."""
    path = out / INDEX
    write_text_atomic(path, index_pieces(out))
    return path
