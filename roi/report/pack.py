"""``roi pack``: the whole job at once, from one scenario (and the exports it names) to a folder
holding the report, the deck, the workbook, the slide charts and ``summary.json``.

Inputs
------
The first input is the scenario file; the scenario pulls its exports in itself
(``incidents_from:``, ``traces_from:``, ``latency_from:``, resolved inside its folder tree). Any
further input must be one of the files the scenario (or a file it extends) names that way: the
command line then says, and checks, which exports the pack is made from. An input that is
neither the scenario nor a file it names is refused in one line that lists the files it does
name, before anything is computed or written.

One analysis
------------
The evaluation, the Monte Carlo (``samples``, ``seed``), the NPV tornado, the breakeven and the
sweeps are computed once (:func:`roi.report.notebook.analyse`) and handed to every writer: deck,
workbook, charts and ``summary.json``. The report notebook runs in a kernel of its own (through
the report batch, :func:`roi.report.batch.render_reports`, with the same samples and seed) while
those are written, so the two cores work at once; its ``summary.json`` must equal the pack's
(else the pack fails: that would be a bug).

Atomic
------
Everything is written into a staging folder ``.<name>.tmp-<pid>-*`` beside ``DIR``, renamed to
``DIR`` only when every part is complete; a failure or an interrupt removes it and leaves an
existing ``DIR`` as it was. An existing ``DIR`` is replaced only when it is empty or holds
nothing but a pack's own files (:data:`PACK_FILES`): ``roi pack --out ~`` never removes a home.
"""

from __future__ import annotations

import os
import shutil
import signal
import sys
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from roi.analysis.limits import DEFAULT_SAMPLES
from roi.inputs.errors import UserError
from roi.inputs.schema import Scenario
from roi.report.batch import (
    DEFAULT_NOTEBOOK,
    Interrupted,
    Progress,
    make_readable,
    make_workdir,
    remove_stale_workdirs,
    render_reports,
    replace_dir,
    resolve_notebook,
    signals_deferred,
    stop_signals_interrupt,
)
from roi.report.branding import Brand
from roi.report.execute import REPORT_HTML, REPORT_PDF
from roi.report.summary import SUMMARY_FILE, read_summary

DECK_FILE = "deck.pptx"
WORKBOOK_FILE = "workbook.xlsx"
CHARTS_DIR = "charts"
PACK_FILES = (REPORT_HTML, REPORT_PDF, DECK_FILE, WORKBOOK_FILE, CHARTS_DIR, SUMMARY_FILE)
"""Everything a pack folder holds."""
_REPORT_BATCH = ".report"
"""Folder of the staging folder the report batch renders into."""
EXPORT_FIELDS = ("incidents_from", "traces_from", "latency_from")


class PackFailed(Exception):
    """A part of the pack could not be made (not the user's input): one line, exit code 1."""


def named_exports(scenario: Scenario) -> dict[Path, str]:
    """The export files the loaded scenario names, resolved, by the field naming each."""
    out: dict[Path, str] = {}
    for key in EXPORT_FIELDS:
        ref = getattr(scenario, key)
        if ref is None:
            continue
        file = ref if isinstance(ref, str) else ref.file
        out[Path(file).resolve()] = key
    return out


def check_inputs(inputs: Sequence[str], scenario: Scenario) -> None:
    """Every input after the first (the scenario) is a file the scenario names; else one line.

    Raises
    ------
    UserError
        Naming the input, what it is not, and the files the scenario does name.
    """
    first = inputs[0]
    named = named_exports(scenario)
    for given in inputs[1:]:
        path = Path(given)
        if not path.exists():
            raise UserError(f"{given}: file not found")
        resolved = path.resolve()
        if resolved == Path(first).resolve() or resolved in named:
            continue
        cwd = Path.cwd()
        names = [
            f"{p.relative_to(cwd) if p.is_relative_to(cwd) else p} ({key})"
            for p, key in named.items()
        ]
        listed = (
            ", ".join(names) or "none (it has no incidents_from:, traces_from: or latency_from:)"
        )
        raise UserError(
            f"{given}: neither the scenario {first} nor an export it names; it names: {listed}; "
            "give the scenario first, then only files its *_from: fields name"
        )


def check_out(out: Path, shown: Path | None = None) -> None:
    """``out`` may become the pack: missing, an empty folder, or an earlier pack; ``shown`` is
    how the user wrote it (default ``out``), for messages.

    Raises
    ------
    UserError
        ``out`` is a file, a symbolic link, or a folder holding anything but a pack's files.
    """
    shown = out if shown is None else shown
    if out.is_symlink():
        raise UserError(f"--out {shown}: is a symbolic link; give a folder path for the pack")
    if not out.exists():
        return
    if not out.is_dir():
        raise UserError(
            f"--out {shown}: exists and is not a folder; give a folder path for the pack"
        )
    foreign = sorted(p.name for p in out.iterdir() if p.name not in PACK_FILES)
    if foreign:
        raise UserError(
            f"--out {shown}: holds {foreign[0]!r}, which is not part of a pack; roi pack "
            "replaces only an empty folder or an earlier pack: choose another folder"
        )


@dataclass(frozen=True)
class PackResult:
    """What was written, by part."""

    out: Path
    files: list[str]
    pdf_missing: bool
    seconds: float


class _ReportProgress(Progress):
    """The report batch's progress, told to the pack's: one ``report`` line when it is done;
    failures and warnings as they come."""

    def __init__(self, pack: Progress, done: Callable[[], str]) -> None:
        super().__init__(0, pack.out, pack.err)
        self.pack = pack
        self.done = done

    def ok(self, line: str) -> None:
        self.pack.ok(self.done())

    def failed(self, line: str) -> None:
        self.pack.step()  # the pack's own error line says it (once)

    def warn(self, line: str) -> None:
        self.pack.warn(line)


class _Stopped(Exception):
    """The writers' thread was asked to stop (the report failed or the run was interrupted)."""


def _write_parts(
    staging: Path,
    scenario_file: str,
    scenario: Scenario,
    samples: int,
    seed: int,
    brand: Brand,
    progress: Progress,
    stop: threading.Event,
    started: float,
) -> dict[str, Any]:
    """Analyse once, then write the deck, the workbook, the charts and the summary into
    ``staging``; returns the summary written."""
    from roi.present.workbook import workbook_bytes
    from roi.report.charts_export import CHART_SWEEPS, export_charts, pitch_figures
    from roi.report.deckfile import deck_inputs_of, write_deck
    from roi.report.files import write_bytes_atomic
    from roi.report.notebook import analyse
    from roi.report.summary import write_summary

    def check() -> None:
        if stop.is_set():
            raise _Stopped

    def done(what: str) -> None:
        progress.ok(f"roi: pack: {what} ({time.perf_counter() - started:.1f} s)")

    ctx = analyse(
        scenario,
        Path(scenario_file),
        samples=samples,
        seed=seed,
        sweeps=CHART_SWEEPS,
        tornado=True,
        breakeven=True,
    )
    check()
    write_bytes_atomic(staging / WORKBOOK_FILE, workbook_bytes(ctx.evaluation, scenario.name))
    done(WORKBOOK_FILE)
    check()
    write_deck(staging / DECK_FILE, deck_inputs_of(ctx, brand=brand))
    done(DECK_FILE)
    check()
    written = export_charts(
        pitch_figures(ctx, brand.colours),
        staging / CHARTS_DIR,
        progress=lambda _name: check(),
    )
    done(f"{CHARTS_DIR}/, {len(written)} files")
    summary = ctx.summary()
    write_summary(staging, summary)
    done(SUMMARY_FILE)
    return summary


def _first_difference(a: Any, b: Any, where: str = "summary") -> str | None:
    """Where two JSON documents first differ, None when equal."""
    if isinstance(a, dict) and isinstance(b, dict):
        for k in sorted(set(a) | set(b)):
            if k not in a or k not in b:
                return f"{where}.{k}"
            found = _first_difference(a[k], b[k], f"{where}.{k}")
            if found:
                return found
        return None
    if isinstance(a, list) and isinstance(b, list):
        if len(a) != len(b):
            return f"{where} (length)"
        for i, (x, y) in enumerate(zip(a, b, strict=True)):
            found = _first_difference(x, y, f"{where}[{i}]")
            if found:
                return found
        return None
    return None if a == b else where


def _writer_failure(error: BaseException) -> Exception:
    """What the user is told of a writer's failure: a UserError as it is (a file that cannot
    be written, say), anything else as a :class:`PackFailed`."""
    if isinstance(error, UserError):
        return error
    failure = PackFailed(f"{type(error).__name__}: {error}")
    failure.__cause__ = error
    return failure


def make_pack(
    inputs: Sequence[str],
    scenario: Scenario,
    out: Path,
    *,
    pdf: bool = False,
    samples: int = DEFAULT_SAMPLES,
    seed: int = 0,
    brand: Brand | None = None,
    progress: Progress | None = None,
    notebook: str = DEFAULT_NOTEBOOK,
) -> PackResult:
    """Write the pack of ``scenario`` (loaded from ``inputs[0]``) into ``out``, atomically.

    Parameters
    ----------
    inputs : sequence of str
        The scenario file, then the exports it names (checked by :func:`check_inputs`).
    scenario : Scenario
        ``inputs[0]`` loaded.
    out : Path
        The pack folder (checked by :func:`check_out`); replaced only when the pack is complete.
    pdf : bool
        Also print ``report.pdf`` (skipped, with one warning, without chromium).
    samples, seed : int
        The one Monte Carlo behind every range of every part.
    brand : Brand, optional
        Colours and logo of the deck and the charts.
    progress : Progress, optional
        Where one line per finished part goes; default stderr.

    Raises
    ------
    UserError
        Bad input (nothing is written).
    PackFailed
        A part failed (nothing is left behind; an existing ``out`` is untouched).
    """
    started = time.perf_counter()
    check_inputs(inputs, scenario)
    shown = out
    if shown.is_symlink():
        raise UserError(f"--out {shown}: is a symbolic link; give a folder path for the pack")
    # "." and ".." resolved as the path reads (out has a name), and checked as the folder that
    # will be replaced: "link/.." is the folder holding the link, not the link target's parent.
    out = Path(os.path.abspath(out))
    if out.parent == out:
        raise UserError(f"--out {shown}: is the root folder; give a folder path for the pack")
    check_out(out, shown)
    report_notebook = resolve_notebook(notebook)
    brand = brand or Brand()
    progress = progress or Progress(5, sys.stderr, sys.stderr, unit="part")
    parent = out.parent
    try:
        parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UserError(f"--out: cannot create {parent}: {exc.strerror or exc}") from None
    remove_stale_workdirs(parent, out.name)
    staging = make_workdir(parent, out.name)
    stop = threading.Event()
    parts: dict[str, Any] = {}
    # Stop signals become Interrupted in the main thread only (see stop_signals_interrupt).
    in_main = threading.current_thread() is threading.main_thread()
    main_thread = threading.get_ident() if in_main else None

    def writers() -> None:
        try:
            parts["summary"] = _write_parts(
                staging, inputs[0], scenario, samples, seed, brand, progress, stop, started
            )
        except _Stopped:
            pass
        except BaseException as exc:  # handed to the main thread, which reports it
            if stop.is_set():  # stopped meanwhile (interrupted, or the report failed)
                return
            parts["error"] = exc
            if main_thread is not None:
                # Stop the report now rather than when it is done: a SIGINT to the main thread
                # alone (a real one, which wakes it from waiting on the report's worker), so it
                # unwinds as on Ctrl-C (the worker and kernel stopped, their folder removed),
                # then says this.
                signal.pthread_kill(main_thread, signal.SIGINT)

    thread = threading.Thread(target=writers, name="roi-pack-writers", daemon=True)

    def report_done() -> str:
        written = [
            n for n in (REPORT_HTML, REPORT_PDF) if any(staging.glob(f"{_REPORT_BATCH}/*/{n}"))
        ]
        return f"roi: pack: {' and '.join(written)} ({time.perf_counter() - started:.1f} s)"

    with stop_signals_interrupt():  # SIGTERM and SIGHUP stop the pack as Ctrl-C does
        try:
            try:
                thread.start()
                batch = render_reports(
                    [inputs[0]],
                    staging / _REPORT_BATCH,
                    report_notebook,
                    workers=1,
                    pdf=pdf,
                    samples=samples,
                    seed=seed,
                    progress=_ReportProgress(progress, report_done),
                )
                if batch.failed:
                    stop.set()
                thread.join()
                if "error" in parts:
                    raise _writer_failure(parts["error"])
                if batch.failed:
                    raise PackFailed(f"the report failed: {batch.failed[0].message}")
                folder = staging / _REPORT_BATCH / batch.results[0].slug
                difference = _first_difference(read_summary(folder), parts["summary"])
                if difference:
                    raise PackFailed(
                        f"the report's {SUMMARY_FILE} differs from the pack's at {difference} "
                        "(a bug: please report it)"
                    )
                with signals_deferred():  # a stop now waits until the pack is in place, or not
                    for name in (REPORT_HTML, REPORT_PDF):
                        if (folder / name).is_file():
                            os.replace(folder / name, staging / name)
                    shutil.rmtree(staging / _REPORT_BATCH)
                    make_readable(staging)
                    check_out(out, shown)  # nothing put there while the pack was being made
                    try:
                        replace_dir(staging, out)
                    except OSError as exc:
                        raise PackFailed(f"cannot write {shown}: {exc}") from None
            finally:
                with signals_deferred():
                    stop.set()
                    # Each writer checks ``stop`` right before it writes, so once stopped it
                    # writes nothing more; only a part being written (seconds) or the
                    # analysis (after which the next check stops it) can still be running.
                    if thread.is_alive():
                        thread.join(timeout=60)
                    shutil.rmtree(staging, ignore_errors=True)
                    progress.close()
        except Interrupted:
            if "error" in parts:  # the writers' failure stopped the report (their SIGINT)
                raise _writer_failure(parts["error"]) from None
            raise
    files = sorted(p.name for p in out.iterdir())
    return PackResult(shown, files, batch.pdf_missing, time.perf_counter() - started)
