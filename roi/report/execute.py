"""Executing one report notebook with papermill in a worker process, on a warm kernel.

Each worker process keeps one spare kernel booting in the background: while a notebook runs on
one kernel, the next kernel starts and imports the modules the notebook imports at top level
(numpy, pandas, matplotlib, roi...), so the next report does not wait for kernel start-up and
imports. A kernel runs exactly one notebook and is then killed: every report executes in a fresh
process, exactly as ``papermill`` alone would run it, so a scenario rendered in a batch gives the
same results as rendered alone. Papermill executes the notebook (on the given kernel through its
``km`` argument) and writes the same cells and outputs as ``papermill`` on the command line.

The worker then exports the HTML (:mod:`roi.report.export`) and, when asked, prints the PDF
(:mod:`roi.report.pdf`), all inside the job's temporary folder; the parent process renames that
folder into place only when everything succeeded.

Pre-imports are done by the IPython extension :mod:`roi.report.preload` before the first cell and
bind no name in the notebook's namespace; they change nothing a cell can observe except that an
import is already done (an import-time warning would go to the kernel's log, not the cell).
"""

from __future__ import annotations

import ast
import contextlib
import functools
import json
import logging
import multiprocessing.util
import os
import shutil
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from roi.report.preload import ENV as PRELOAD_ENV

KERNEL_NAME = "python3"
"""The kernel spec papermill runs: the virtual environment's own ``python3``."""
CONTRACT_PARAMETERS = ("scenario_path", "samples", "seed", "interactive", "output_dir")
"""Names every report notebook's ``parameters`` cell defines (the notebooks' contract)."""
REPORT_NOTEBOOK = "report.ipynb"
REPORT_HTML = "report.html"
REPORT_PDF = "report.pdf"
SUMMARY = "summary.json"


# --- reading notebooks -------------------------------------------------------------------------


def _cells(path: Path) -> list[dict[str, Any]]:
    doc = json.loads(path.read_text(encoding="utf-8"))
    cells = doc.get("cells") if isinstance(doc, dict) else None
    if not isinstance(cells, list):
        raise ValueError("not a Jupyter notebook (no cells)")
    return [c for c in cells if isinstance(c, dict)]


def _source(cell: dict[str, Any]) -> str:
    source = cell.get("source", "")
    return "".join(source) if isinstance(source, list) else str(source)


def _tags(cell: dict[str, Any]) -> list[str]:
    tags = cell.get("metadata", {}).get("tags", [])
    return [str(t) for t in tags] if isinstance(tags, list) else []


def parameters_cell_index(path: Path) -> int | None:
    """Index of the notebook's cell tagged ``parameters``; None when there is none."""
    for i, cell in enumerate(_cells(path)):
        if "parameters" in _tags(cell):
            return i
    return None


def parameter_names(path: Path) -> list[str]:
    """Names assigned in the notebook's ``parameters`` cell, in order (empty without one).

    Raises
    ------
    ValueError
        The file is not a notebook or its parameters cell is not valid Python.
    """
    index = parameters_cell_index(path)
    if index is None:
        return []
    tree = ast.parse(_source(_cells(path)[index]))
    names: list[str] = []
    for node in tree.body:
        targets = (
            [node.target]
            if isinstance(node, ast.AnnAssign)
            else node.targets
            if isinstance(node, ast.Assign)
            else []
        )
        names += [t.id for t in targets if isinstance(t, ast.Name)]
    return names


def notebook_imports(path: Path) -> list[str]:
    """Modules the notebook imports at the top level of its code cells, in order.

    Only plain statements at the left margin count (``import a.b``, ``from a.b import c`` gives
    ``a.b``); imports inside functions, conditions or cells that are not plain Python (magics)
    and relative imports are left out, because the notebook may not run them.
    """
    found: dict[str, None] = {}
    for cell in _cells(path):
        if cell.get("cell_type") != "code":
            continue
        try:
            tree = ast.parse(_source(cell))
        except SyntaxError:
            continue
        for node in tree.body:
            if isinstance(node, ast.Import):
                found.update((alias.name, None) for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                found[node.module] = None
    return list(found)


def source_cell_number(executed_index: int, parameters_index: int | None) -> int:
    """The 1-based position, in the notebook file, of cell ``executed_index`` of papermill's
    output (which has the ``injected-parameters`` cell inserted after the parameters cell).

    The injected cell itself counts as the parameters cell.

    >>> [source_cell_number(i, 1) for i in range(5)]
    [1, 2, 2, 3, 4]
    """
    injected = 0 if parameters_index is None else parameters_index + 1
    return max(1, executed_index + (0 if executed_index >= injected else 1))


# --- kernels -----------------------------------------------------------------------------------


def _kernel_manager_class() -> type:
    from jupyter_client.manager import KernelManager

    class OneShotKernelManager(KernelManager):
        """A kernel manager that remembers its clients so their channels can be closed."""

        def client(self, **kwargs: Any) -> Any:
            kc = super().client(**kwargs)
            self.__dict__.setdefault("_roi_clients", []).append(kc)
            return kc

    return OneShotKernelManager


@dataclass
class KernelPool:
    """Kernels for one worker process: at most one spare, booting in the background.

    Parameters
    ----------
    cwd : Path
        The kernels' working directory (the notebook's folder, as when it runs standalone).
    preload : list of str
        Modules every kernel imports at start-up (see :func:`notebook_imports`).
    """

    cwd: Path
    preload: list[str]
    _spare: Any = None
    _ipc_dir: str = field(default_factory=lambda: tempfile.mkdtemp(prefix="roi-kernels-"))
    _count: int = 0

    def _start(self) -> Any:
        self._count += 1
        km = _kernel_manager_class()(
            kernel_name=KERNEL_NAME,
            client_class="jupyter_client.asynchronous.AsyncKernelClient",
            transport="ipc",
            ip=os.path.join(self._ipc_dir, f"k{self._count}"),
        )
        env = {**os.environ, PRELOAD_ENV: ",".join(self.preload)}
        km.start_kernel(
            cwd=str(self.cwd),
            env=env,
            extra_arguments=[
                "--IPKernelApp.extensions=['roi.report.preload']",
                "--HistoryManager.enabled=False",
            ],
        )
        return km

    def prestart(self) -> None:
        """Start the spare kernel now unless one is already there."""
        if self._spare is None:
            self._spare = self._start()

    def take(self) -> Any:
        """A started kernel manager for one notebook: the spare if alive, else a new one."""
        km, self._spare = self._spare, None
        if km is not None and not km.is_alive():
            dispose(km)
            km = None
        return km if km is not None else self._start()

    def close(self) -> None:
        """Stop the spare kernel and remove the connection sockets' folder."""
        if self._spare is not None:
            dispose(self._spare)
            self._spare = None
        shutil.rmtree(self._ipc_dir, ignore_errors=True)


def dispose(km: Any) -> None:
    """Close a kernel's client channels and kill it (it has run its one notebook)."""
    for kc in km.__dict__.get("_roi_clients", []):
        with contextlib.suppress(Exception):  # closing what is already closed
            kc.stop_channels()
    with contextlib.suppress(Exception):  # the kernel is gone either way
        if km.has_kernel:
            km.shutdown_kernel(now=True)
        km.cleanup_resources()


# --- one job -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Job:
    """One scenario to render into ``workdir`` (a fresh temporary folder inside the output)."""

    scenario_file: str
    """As given on the command line (for messages)."""
    scenario_path: Path
    """Absolute and validated."""
    scenario_name: str
    slug: str
    notebook: Path
    workdir: Path
    samples: int | None
    seed: int | None
    execution_timeout: float
    """Longest a cell may run [s]."""
    start_timeout: float
    """Longest a kernel may take to start [s]."""
    pdf: bool
    prestart: bool = True
    """Start the next spare kernel while this job runs (false for the last jobs of a batch)."""

    def parameters(self) -> dict[str, Any]:
        """The notebook parameters: validated values and absolute paths only."""
        params: dict[str, Any] = {
            "scenario_path": str(self.scenario_path),
            "interactive": False,
            "output_dir": str(self.workdir),
        }
        if self.samples is not None:
            params["samples"] = self.samples
        if self.seed is not None:
            params["seed"] = self.seed
        return params


@dataclass(frozen=True)
class Outcome:
    """What happened to one job."""

    slug: str
    ok: bool
    message: str | None = None
    """One line saying what failed; None on success."""
    seconds: float = 0.0
    pdf_missing: bool = False
    """``--pdf`` was asked but no chromium was found (the HTML was still written)."""
    failed_notebook: Path | None = None
    """The notebook papermill wrote with the error, when there is one."""


def _one_line(text: str, limit: int = 300) -> str:
    line = " ".join(str(text).split())
    return line if len(line) <= limit else line[: limit - 1] + "…"


_POOL: KernelPool | None = None


def _pool(notebook: Path) -> KernelPool:
    global _POOL
    cwd = notebook.parent
    preload = notebook_imports(notebook)
    if _POOL is None or _POOL.cwd != cwd or _POOL.preload != preload:
        if _POOL is not None:
            _POOL.close()
        _POOL = KernelPool(cwd, preload)
        multiprocessing.util.Finalize(_POOL, _POOL.close, exitpriority=10)
    return _POOL


def init_worker(notebook: str, prestart: bool = True) -> None:
    """Worker start-up: boot the first kernel, then import papermill and compile the template
    while it starts. Papermill's and nbclient's log lines are silenced: the outcome says it all,
    in one line."""
    for name in ("papermill", "traitlets", "nbclient"):
        logging.getLogger(name).setLevel(logging.CRITICAL)
    pool = _pool(Path(notebook))
    if prestart:
        pool.prestart()
    import papermill  # noqa: F401 - imported now, while the kernel boots

    from roi.report.export import warm_up

    warm_up()


@functools.cache
def _parameters_index(notebook: Path, mtime: float) -> int | None:
    return parameters_cell_index(notebook)


def _footer(job: Job) -> str:
    from roi import __version__

    day = time.strftime("%Y-%m-%d", time.gmtime())
    return (
        f"Scenario file {Path(job.scenario_file).name}; notebook {job.notebook.name}; "
        f"generated {day} by roi {__version__}."
    )


def _check_summary(path: Path) -> str | None:
    if not path.is_file():
        return "the notebook wrote no summary.json into output_dir"
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        return f"summary.json is not valid JSON: {exc}"
    if not isinstance(doc, dict) or doc.get("schema_version") != 1:
        return "summary.json is not a schema_version 1 summary"
    return None


def render(job: Job) -> Outcome:
    """Execute, export and print one report into ``job.workdir``; never raises for a failing
    notebook, kernel or browser (the outcome says what failed, in one line)."""
    started = time.perf_counter()
    try:
        return _render(job, started)
    except Exception as exc:  # a bug or an environment problem: one job fails, not the batch
        return Outcome(
            job.slug,
            False,
            _one_line(f"scenario {job.scenario_file} failed: {type(exc).__name__}: {exc}"),
            time.perf_counter() - started,
        )


def _render(job: Job, started: float) -> Outcome:
    import papermill
    from nbclient.exceptions import CellTimeoutError, DeadKernelError
    from papermill.exceptions import PapermillExecutionError

    from roi.report.export import external_resources, report_html
    from roi.report.pdf import PdfError, chromium_path, print_pdf

    def failed(what: str, notebook: Path | None = None) -> Outcome:
        message = _one_line(f"scenario {job.scenario_file} {what}")
        return Outcome(job.slug, False, message, time.perf_counter() - started, False, notebook)

    pool = _pool(job.notebook)
    km = pool.take()
    if job.prestart:
        pool.prestart()
    parameters_index = _parameters_index(job.notebook, job.notebook.stat().st_mtime)
    current = {"index": 0}

    def on_cell_execute(cell: Any, cell_index: int) -> None:
        current["index"] = cell_index

    def cell() -> int:
        return source_cell_number(current["index"], parameters_index)

    output = job.workdir / REPORT_NOTEBOOK
    try:
        nb = papermill.execute_notebook(
            str(job.notebook),
            str(output),
            parameters=job.parameters(),
            kernel_name=KERNEL_NAME,
            progress_bar=False,
            request_save_on_cell_execute=False,
            start_timeout=job.start_timeout,
            execution_timeout=job.execution_timeout,
            km=km,
            on_cell_execute=on_cell_execute,
        )
    except PapermillExecutionError as exc:
        number = source_cell_number(exc.cell_index, parameters_index)
        return failed(
            f"failed in cell {number}: {exc.ename}: {exc.evalue}",
            output if output.is_file() else None,
        )
    except CellTimeoutError:
        return failed(f"timed out in cell {cell()} (limit {job.execution_timeout:g} s per cell)")
    except DeadKernelError:
        return failed(f"failed in cell {cell()}: the kernel died")
    except RuntimeError as exc:
        if "didn't respond" in str(exc) or "Kernel died before replying" in str(exc):
            return failed(f"failed: the kernel did not start within {job.start_timeout:g} s")
        raise
    finally:
        dispose(km)

    problem = _check_summary(job.workdir / SUMMARY)
    if problem:
        return failed(f"failed: {problem}")
    html = report_html(nb, job.scenario_name, _footer(job))
    external = external_resources(html)
    if external:
        return failed(f"failed: report.html would load external resources: {external[0]}")
    html_path = job.workdir / REPORT_HTML
    html_path.write_text(html, encoding="utf-8")
    pdf_missing = False
    if job.pdf:
        browser = chromium_path()
        if browser is None:
            pdf_missing = True
        else:
            try:
                print_pdf(html_path, job.workdir / REPORT_PDF, job.execution_timeout, browser)
            except PdfError as exc:
                return failed(f"failed to print the PDF: {exc}")
    return Outcome(job.slug, True, None, time.perf_counter() - started, pdf_missing)
