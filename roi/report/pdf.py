"""PDF reports: Debian's chromium printing the self-contained HTML, headless and offline.

No LaTeX and no browser download: ``chromium --headless --print-to-pdf`` with every background
service off (no network, no sync, no component updates), a throw-away profile and no header or
footer; page size and breaks come from the report's print CSS.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
INSTALL_HINT = "apt-get install chromium"
ENV_CHROMIUM = "ROI_CHROMIUM"
"""Environment variable naming the browser executable to use instead of searching ``PATH``."""


class PdfError(Exception):
    """Printing failed: the browser exited with an error, timed out or wrote no PDF."""


def chromium_path() -> str | None:
    """The chromium executable: ``$ROI_CHROMIUM`` if set, else the first of
    :data:`CHROMIUM_NAMES` on ``PATH``; None when there is none."""
    override = os.environ.get(ENV_CHROMIUM)
    if override is not None:
        return shutil.which(override)
    for name in CHROMIUM_NAMES:
        found = shutil.which(name)
        if found:
            return found
    return None


def chromium_command(browser: str, html: Path, pdf: Path, profile: Path) -> list[str]:
    """The command line that prints ``html`` to ``pdf`` (absolute paths)."""
    return [
        browser,
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-extensions",
        "--disable-default-apps",
        "--no-first-run",
        "--no-default-browser-check",
        "--mute-audio",
        f"--user-data-dir={profile}",
        "--no-pdf-header-footer",
        f"--print-to-pdf={pdf}",
        html.resolve().as_uri(),
    ]


def print_pdf(html: Path, pdf: Path, timeout: float, browser: str | None = None) -> None:
    """Print ``html`` to ``pdf`` with headless chromium.

    Parameters
    ----------
    html : Path
        A self-contained HTML file.
    pdf : Path
        Where to write the PDF; written through a temporary file in the same folder and renamed.
    timeout : float
        Longest the browser may take [s].
    browser : str, optional
        The executable; default :func:`chromium_path`.

    Raises
    ------
    PdfError
        No browser, a non-zero exit, a timeout, or no PDF written; one line saying which.
    """
    browser = browser or chromium_path()
    if browser is None:
        raise PdfError(f"chromium not found; install it ({INSTALL_HINT})")
    with tempfile.TemporaryDirectory(prefix="roi-chromium-") as profile:
        tmp = pdf.with_name(f".{pdf.name}.tmp")
        command = chromium_command(browser, html, tmp.resolve(), Path(profile))
        try:
            done = subprocess.run(
                command,
                stdin=subprocess.DEVNULL,
                capture_output=True,
                timeout=timeout,
                check=False,
                env={**os.environ, "HOME": profile},
            )
        except subprocess.TimeoutExpired:
            tmp.unlink(missing_ok=True)
            raise PdfError(f"chromium did not finish printing within {timeout:g} s") from None
        except OSError as exc:
            raise PdfError(f"cannot run {browser}: {exc.strerror or exc}") from None
        ok = done.returncode == 0 and tmp.is_file() and tmp.read_bytes()[:5] == b"%PDF-"
        if not ok:
            tmp.unlink(missing_ok=True)
            lines = done.stderr.decode("utf-8", "replace").strip().splitlines()
            last = lines[-1] if lines else "no message"
            raise PdfError(f"chromium exited with code {done.returncode} and no PDF: {last}")
        os.replace(tmp, pdf)
