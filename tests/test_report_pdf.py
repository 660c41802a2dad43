"""roi report --pdf: Debian chromium prints the HTML report.

Needs chromium (and pdftoppm to look at the pages). Without them these tests skip, unless
ROI_REQUIRE_BROWSER=1 (CI), where a missing browser is a failure.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import SEED, RunCli

from roi.report.pdf import PdfError, chromium_command, chromium_path, print_pdf

FIXTURE = Path(__file__).resolve().parent / "data" / "report-fixture.ipynb"


def require(tool: str | None, what: str) -> str:
    """The tool's path; skip without it, fail without it when ROI_REQUIRE_BROWSER=1."""
    if tool:
        return tool
    message = f"{what} not found (apt-get install chromium poppler-utils)"
    if os.environ.get("ROI_REQUIRE_BROWSER") == "1":
        pytest.fail(f"ROI_REQUIRE_BROWSER=1 but {message}")
    pytest.skip(message)


@pytest.mark.browser
@pytest.mark.kernel
def test_report_pdf(tmp_path: Path, run_cli: RunCli) -> None:
    require(chromium_path(), "chromium")
    pdftoppm = require(shutil.which("pdftoppm"), "pdftoppm")
    out = tmp_path / "reports"
    code, _, stderr = run_cli(
        "report", SEED, "--out", out, "--pdf", "--notebook", FIXTURE, "--samples", "200"
    )
    assert code == 0, stderr
    pdf = out / "seed-article" / "report.pdf"
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF-")
    assert len(data) > 5_000
    assert 'href="seed-article/report.pdf"' in (out / "index.html").read_text(encoding="utf-8")
    subprocess.run(
        [pdftoppm, "-r", "40", "-png", str(pdf), str(tmp_path / "page")], check=True, timeout=60
    )
    pages = sorted(tmp_path.glob("page*.png"))
    assert pages
    assert all(p.stat().st_size > 1_000 for p in pages)


@pytest.mark.browser
def test_print_pdf_of_plain_html(tmp_path: Path) -> None:
    require(chromium_path(), "chromium")
    html = tmp_path / "a page.html"
    html.write_text("<!DOCTYPE html><html><body><h1>Hello, CFO</h1></body></html>")
    pdf = tmp_path / "out.pdf"
    print_pdf(html, pdf, timeout=60)
    assert pdf.read_bytes().startswith(b"%PDF-")
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []


def test_print_pdf_names_a_missing_browser(tmp_path: Path) -> None:
    html = tmp_path / "a.html"
    html.write_text("<html></html>")
    with pytest.raises(PdfError, match=r"cannot run .*: "):
        print_pdf(html, tmp_path / "a.pdf", timeout=5, browser=str(tmp_path / "nope"))


def test_print_pdf_failure_leaves_nothing(tmp_path: Path) -> None:
    html = tmp_path / "a.html"
    html.write_text("<html></html>")
    fake = tmp_path / "fake-chromium"
    fake.write_text("#!/bin/sh\necho 'broken browser' >&2\nexit 3\n")
    fake.chmod(0o755)
    with pytest.raises(PdfError, match="chromium exited with code 3 and no PDF: broken browser"):
        print_pdf(html, tmp_path / "a.pdf", timeout=5, browser=str(fake))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.html", "fake-chromium"]


def test_print_pdf_timeout(tmp_path: Path) -> None:
    html = tmp_path / "a.html"
    html.write_text("<html></html>")
    fake = tmp_path / "slow-chromium"
    fake.write_text("#!/bin/sh\nexec sleep 30\n")
    fake.chmod(0o755)
    with pytest.raises(PdfError, match=r"did not finish printing within 0\.5 s"):
        print_pdf(html, tmp_path / "a.pdf", timeout=0.5, browser=str(fake))


def test_chromium_command_is_offline_and_headless(tmp_path: Path) -> None:
    command = chromium_command("chromium", tmp_path / "r.html", tmp_path / "r.pdf", tmp_path)
    for flag in (
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--no-pdf-header-footer",
        f"--user-data-dir={tmp_path}",
        f"--print-to-pdf={tmp_path / 'r.pdf'}",
    ):
        assert flag in command
    assert command[-1] == (tmp_path / "r.html").as_uri()
