"""``roi deck``: compute what the deck reads (evaluation, Monte Carlo, NPV tornado, breakeven)
and write the ``.pptx`` atomically; and render a deck to PNG pages with LibreOffice headless and
pdftoppm, for a person to look at.

Examples
--------
>>> DEFAULT_SAMPLES
10000
"""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
import tempfile
from pathlib import Path

from roi.analysis.limits import DEFAULT_SAMPLES
from roi.inputs.schema import Scenario
from roi.present.deck import DeckInputs, deck_bytes
from roi.report.branding import Brand
from roi.report.files import write_bytes_atomic
from roi.report.notebook import Context, analyse


def deck_inputs(
    scenario: Scenario,
    samples: int = DEFAULT_SAMPLES,
    seed: int = 0,
    date: dt.date | None = None,
    brand: Brand | None = None,
) -> DeckInputs:
    """Everything the deck reads, computed once by :func:`roi.report.notebook.analyse` as for
    the report and ``roi pack`` (the breakeven's EVPI from the same Monte Carlo, so the flips
    are ranked alike); ``samples=0`` runs no Monte Carlo (no ranges, no EVPI)."""
    ctx = analyse(
        scenario, Path(), samples=samples or None, seed=seed, tornado=True, breakeven=True
    )
    return deck_inputs_of(ctx, date, brand)


def deck_inputs_of(
    ctx: Context, date: dt.date | None = None, brand: Brand | None = None
) -> DeckInputs:
    """The deck's inputs from an analysis already made (:func:`roi.report.notebook.analyse`,
    as ``roi pack`` runs it once for every writer): nothing is computed again."""
    brand = brand or Brand()
    return DeckInputs(
        ctx.evaluation,
        ctx.focus,
        ctx.simulation,
        ctx.tornado,
        ctx.breakeven,
        date,
        brand.colours,
        brand.logo_bytes(),
    )


def write_deck(path: str | Path, inputs: DeckInputs) -> Path:
    """Write the deck of ``inputs`` to ``path`` atomically; returns the path."""
    out = Path(path)
    write_bytes_atomic(out, deck_bytes(inputs))
    return out


class RenderError(RuntimeError):
    """LibreOffice or pdftoppm is missing or failed."""


def render_pages(deck: str | Path, out_dir: str | Path, dpi: int = 60) -> list[Path]:
    """Render ``deck`` to ``out_dir/<stem>-<n>.png`` pages (LibreOffice -> PDF -> pdftoppm).

    Parameters
    ----------
    deck : path
        A ``.pptx`` file.
    out_dir : path
        Folder for the PDF and the PNG pages, created if missing.
    dpi : int
        Resolution of the pages [dots/inch]; 60 gives 800 x 450 px for a 16:9 slide.
    """
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    pdftoppm = shutil.which("pdftoppm")
    if not soffice or not pdftoppm:
        raise RenderError(
            "needs LibreOffice and pdftoppm: apt-get install libreoffice-impress poppler-utils"
        )
    folder = Path(out_dir)
    folder.mkdir(parents=True, exist_ok=True)
    src = Path(deck).resolve()
    with tempfile.TemporaryDirectory(prefix="roi-lo-") as profile:
        done = subprocess.run(
            [
                soffice,
                f"-env:UserInstallation=file://{profile}",
                "--headless",
                "--convert-to",
                "pdf",
                "--outdir",
                str(folder),
                str(src),
            ],
            capture_output=True,
            text=True,
            timeout=300,
        )
    pdf = folder / f"{src.stem}.pdf"
    if done.returncode or not pdf.exists():
        raise RenderError(f"LibreOffice could not convert {src.name}: {done.stderr.strip()[:300]}")
    subprocess.run(
        [pdftoppm, "-r", str(dpi), "-png", str(pdf), str(folder / src.stem)],
        check=True,
        capture_output=True,
        timeout=300,
    )
    return sorted(folder.glob(f"{src.stem}-*.png"))
