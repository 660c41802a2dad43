"""Executing one report notebook with papermill in a worker process, on a warm kernel.

Each worker process keeps one spare kernel ready: while a notebook runs on one kernel, the next
one starts. By default kernels are forked from a per-worker zygote that has already imported
ipykernel and the notebook's heavy modules (:mod:`roi.report.zygote`), so a report pays neither
interpreter start-up nor imports; with ``ROI_REPORT_KERNELS=spawn`` (or when the zygote cannot
serve) each kernel is a new ``ipykernel_launcher`` process that imports the notebook's modules
while the previous notebook runs. Either way a kernel runs exactly one notebook and is then
killed: every report executes in a process of its own, as ``papermill`` alone would run it, so a
scenario rendered in a batch gives the same results as rendered alone. Papermill executes the
notebook (on the given kernel, through its ``km`` argument) and writes the same cells and outputs
as ``papermill`` on the command line.

The worker then exports the HTML (:mod:`roi.report.export`) and, when asked, prints the PDF
(:mod:`roi.report.pdf`), all inside the job's temporary folder; the parent process renames that
folder into place only when everything succeeded.

Imports the zygote cannot do (modules that look for a running IPython, such as pyplot) are done
by the IPython extension :mod:`roi.report.preload` before the first cell. Neither binds a name in
the notebook's namespace; they change nothing a cell can observe except that an import is
already done (an import-time warning would go to the kernel's log, not the cell).
"""

from __future__ import annotations

import ast
import contextlib
import functools
import json
import logging
import multiprocessing.util
import os
import select
import shutil
import signal
import subprocess
import tempfile
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from roi.report.preload import ENV as PRELOAD_ENV
from roi.report.summary import (
    SUMMARY_FILE,
    SummaryError,
    SummaryMissing,
    read_summary,
    with_scenario_file,
)

KERNEL_NAME = "python3"
"""The kernel spec papermill runs: the virtual environment's own ``python3``."""
CONTRACT_PARAMETERS = ("scenario_path", "samples", "seed", "interactive", "output_dir")
"""Names every report notebook's ``parameters`` cell defines (the notebooks' contract)."""
REPORT_NOTEBOOK = "report.ipynb"
REPORT_HTML = "report.html"
REPORT_PDF = "report.pdf"
STARTED = ".started"
"""File a worker writes into a job's folder when it begins the job (its process id): after a
worker died, the parent tells the job it was rendering from those still waiting."""


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
    """The imports of the notebook's code cells at top level, in order, as preload entries.

    ``import a.b`` gives ``a.b``; ``from a.b import c, d`` gives ``a.b:c`` and ``a.b:d`` (see
    :func:`roi.report.preload.import_entry`). Only plain statements at the left margin count;
    imports inside functions or conditions, cells that are not plain Python (magics) and
    relative imports are left out, because the notebook may not run them.
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
                found.update((f"{node.module}:{alias.name}", None) for alias in node.names)
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


KERNEL_ARGUMENTS = (
    "--IPKernelApp.extensions=['roi.report.preload']",
    "--HistoryManager.enabled=False",
)
"""Every report kernel: pre-imports by the preload extension, no history database."""
KERNELS_ENV = "ROI_REPORT_KERNELS"
"""``fork`` (default): kernels forked from a zygote; ``spawn``: each kernel a new process."""


def _kernel_output() -> int | None:
    """Where kernel processes' own stdout/stderr go: nowhere, unless ROI_DEBUG is set."""
    return None if os.environ.get("ROI_DEBUG") else subprocess.DEVNULL


class ForkedKernel:
    """Just enough of jupyter_client's ``KernelManager`` for nbclient and papermill to run a
    notebook on a kernel forked by the zygote (:mod:`roi.report.zygote`)."""

    kernel_name = KERNEL_NAME
    has_kernel = True

    def __init__(self, pid: int, connection_file: Path, info: dict[str, Any]) -> None:
        self.pid = pid
        self.connection_file = connection_file
        self.info = info
        self.clients: list[Any] = []

    def is_alive(self) -> bool:
        """Whether the kernel process still runs (the zygote reaps it when it ends)."""
        try:
            os.kill(self.pid, 0)
        except ProcessLookupError:
            return False
        except PermissionError:
            return True
        return True

    def interrupt_kernel(self) -> None:
        """Send SIGINT, as jupyter_client does for an ipykernel."""
        with contextlib.suppress(ProcessLookupError):
            os.kill(self.pid, signal.SIGINT)

    def shutdown_kernel(self, now: bool = False, restart: bool = False) -> None:
        """Kill the kernel: it has run its one notebook."""
        with contextlib.suppress(ProcessLookupError):
            os.kill(self.pid, signal.SIGKILL)

    def cleanup_resources(self, restart: bool = False) -> None:
        """Remove the connection file and the kernel's IPC sockets."""
        for path in self.connection_file.parent.glob(f"{self.connection_file.stem}*"):
            path.unlink(missing_ok=True)

    def client(self, **kwargs: Any) -> Any:
        """An asynchronous client connected to this kernel."""
        from jupyter_client.asynchronous import AsyncKernelClient

        kc = AsyncKernelClient(**kwargs)
        kc.load_connection_info(self.info)  # type: ignore[arg-type]
        self.clients.append(kc)
        return kc


def _spawn_manager_class() -> type:
    from jupyter_client.manager import KernelManager

    class OneShotKernelManager(KernelManager):
        """A kernel manager that remembers its clients so their channels can be closed."""

        def client(self, **kwargs: Any) -> Any:
            kc = super().client(**kwargs)
            self.__dict__.setdefault("clients", []).append(kc)
            return kc

    return OneShotKernelManager


class _ZygoteGone(Exception):
    """The zygote could not start or stopped answering."""


@dataclass
class KernelPool:
    """Kernels for one worker process: one spare starting in the background, each used once.

    In ``fork`` mode the kernels are forked from a zygote that has imported ipykernel and the
    notebook's modules (:mod:`roi.report.zygote`); in ``spawn`` mode, or when the zygote cannot
    serve, each kernel is a new ``python -m ipykernel_launcher`` started by jupyter_client. Both
    import the notebook's modules before the first cell (:mod:`roi.report.preload`).

    Parameters
    ----------
    cwd : Path
        The kernels' working directory (the notebook's folder, as when it runs standalone).
    preload : list of str
        Modules to import before the first cell (see :func:`notebook_imports`).
    mode : str
        ``fork`` or ``spawn``; default ``$ROI_REPORT_KERNELS`` or ``fork``.
    start_timeout : float
        Longest the zygote may take to import its modules [s].
    """

    cwd: Path
    preload: list[str]
    mode: str = field(default_factory=lambda: os.environ.get(KERNELS_ENV, "fork"))
    start_timeout: float = 60.0
    _dir: Path = field(default_factory=lambda: Path(tempfile.mkdtemp(prefix="roi-kernels-")))
    _count: int = 0
    _spare: Any = None
    _zygote: Any = None
    _zygote_pid: int = 0
    _buffer: bytes = b""
    _pending: list[tuple[Path, dict[str, Any]]] = field(default_factory=list)

    def __post_init__(self) -> None:
        if self.mode not in ("fork", "spawn"):
            raise ValueError(f"{KERNELS_ENV}: {self.mode!r} is not allowed; allowed: fork, spawn")
        if self.mode == "fork":
            from roi.report.zygote import command

            self._zygote = subprocess.Popen(
                command(self.preload),
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=_kernel_output(),
                cwd=self.cwd,
            )

    # -- fork mode

    def _read_answer(self, timeout: float) -> dict[str, Any]:
        fd = self._zygote.stdout.fileno()
        deadline = time.monotonic() + timeout
        while b"\n" not in self._buffer:
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([fd], [], [], left)[0]:
                raise _ZygoteGone(f"no answer within {timeout:g} s")
            chunk = os.read(fd, 65536)
            if not chunk:
                raise _ZygoteGone("the zygote exited")
            self._buffer += chunk
        line, self._buffer = self._buffer.split(b"\n", 1)
        answer = json.loads(line)
        if "error" in answer:
            raise _ZygoteGone(str(answer["error"]))
        return dict(answer)

    def _request_fork(self) -> None:
        from jupyter_client.connect import write_connection_file

        self._count += 1
        name = f"k{self._count}"
        path, info = write_connection_file(
            str(self._dir / f"{name}.json"),
            ip=str(self._dir / name),
            transport="ipc",
            key=uuid.uuid4().hex.encode("ascii"),
            kernel_name=KERNEL_NAME,
        )
        if not self._zygote_pid:
            self._zygote_pid = int(self._read_answer(self.start_timeout)["ready"])
        env = {
            **os.environ,
            "JPY_PARENT_PID": str(self._zygote_pid),
            PRELOAD_ENV: ",".join(self.preload),
        }
        argv = ["-f", path, *KERNEL_ARGUMENTS]
        argv.append(f"--IPKernelApp.parent_handle={self._zygote_pid}")
        request = {"argv": argv, "env": env, "cwd": str(self.cwd)}
        self._zygote.stdin.write(json.dumps(request).encode("utf-8") + b"\n")
        self._zygote.stdin.flush()
        self._pending.append((Path(path), dict(info)))

    def _take_forked(self) -> ForkedKernel:
        if not self._pending:
            self._request_fork()
        path, info = self._pending.pop(0)
        pid = int(self._read_answer(self.start_timeout)["pid"])
        return ForkedKernel(pid, path, info)

    def _stop_zygote(self) -> None:
        if self._zygote is None:
            return
        with contextlib.suppress(OSError):
            self._zygote.stdin.close()
        try:
            self._zygote.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self._zygote.kill()
            self._zygote.wait()
        self._zygote.stdout.close()
        self._zygote = None
        self._pending.clear()

    def _fall_back(self) -> None:
        """The zygote cannot serve: start kernels the ordinary way from now on."""
        self._stop_zygote()
        self.mode = "spawn"

    # -- spawn mode

    def _spawn(self) -> Any:
        self._count += 1
        km = _spawn_manager_class()(
            kernel_name=KERNEL_NAME,
            client_class="jupyter_client.asynchronous.AsyncKernelClient",
            transport="ipc",
            ip=str(self._dir / f"k{self._count}"),
        )
        km.start_kernel(
            cwd=str(self.cwd),
            env={**os.environ, PRELOAD_ENV: ",".join(self.preload)},
            extra_arguments=list(KERNEL_ARGUMENTS),
            stdout=_kernel_output(),
            stderr=_kernel_output(),
        )
        return km

    # -- both

    def prestart(self) -> None:
        """Start the spare kernel now unless one is already on its way."""
        if self.mode == "fork" and not self._pending:
            try:
                self._request_fork()
            except (_ZygoteGone, OSError):
                self._fall_back()
        if self.mode == "spawn" and self._spare is None:
            self._spare = self._spawn()

    def take(self) -> Any:
        """A started kernel for one notebook: the spare if there is one, else a new one."""
        if self.mode == "fork":
            try:
                return self._take_forked()
            except (_ZygoteGone, OSError):
                self._fall_back()
        km, self._spare = self._spare, None
        if km is not None and not km.is_alive():
            dispose(km)
            km = None
        return km if km is not None else self._spawn()

    def kill(self) -> None:
        """Kill the spare kernel and ask the zygote to kill its kernels and end, without waiting
        for anything (from a signal handler, when this worker must end now)."""
        _kill_kernel(self._spare)
        if self._zygote is not None:
            with contextlib.suppress(OSError):
                self._zygote.send_signal(signal.SIGTERM)  # it kills its kernels, then ends
        shutil.rmtree(self._dir, ignore_errors=True)

    def close(self) -> None:
        """Stop the spare kernel and the zygote; remove the connection files."""
        if self._spare is not None:
            dispose(self._spare)
            self._spare = None
        self._stop_zygote()
        shutil.rmtree(self._dir, ignore_errors=True)


def _kill_kernel(km: Any) -> None:
    """SIGKILL to a kernel's process, forked or spawned; nothing else (no client, no waiting)."""
    pid = getattr(km, "pid", None) or getattr(getattr(km, "provisioner", None), "pid", None)
    if isinstance(pid, int) and pid > 0:
        with contextlib.suppress(OSError):
            os.kill(pid, signal.SIGKILL)


def dispose(km: Any) -> None:
    """Close a kernel's client channels and kill it (it has run its one notebook)."""
    for kc in getattr(km, "clients", []):
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
    """The executed notebook when there is one (papermill writes it with the error)."""


def _one_line(text: str, limit: int = 300) -> str:
    line = " ".join(str(text).split())
    return line if len(line) <= limit else line[: limit - 1] + "…"


_POOL: KernelPool | None = None


def kernel_pool(notebook: Path) -> KernelPool:
    """This process's kernel pool for ``notebook`` (made on first use, replaced when the
    notebook's folder or imports change)."""
    global _POOL
    cwd = notebook.parent
    preload = notebook_imports(notebook)
    if _POOL is None or _POOL.cwd != cwd or _POOL.preload != preload:
        if _POOL is not None:
            _POOL.close()
        _POOL = KernelPool(cwd, preload)
        multiprocessing.util.Finalize(_POOL, _POOL.close, exitpriority=10)
    return _POOL


_RUNNING: list[Any] = []
"""The kernel of the job this worker is running, if any."""


def _stop(signum: int, frame: Any) -> None:
    """SIGTERM (or SIGHUP) from roi report, interrupted: unwind, so the running kernel is killed
    before this worker ends and nothing writes into the job's folder any more.

    When roi report itself is gone (killed; Linux then sends the signal, see
    :func:`_end_with_parent`) nobody is left to shut this worker down: kill the running kernel,
    the spare and the zygote, and end now."""
    parent = multiprocessing.parent_process()
    if parent is not None and os.getppid() != parent.pid:
        for km in list(_RUNNING):
            _kill_kernel(km)
        if _POOL is not None:
            _POOL.kill()
        os._exit(128 + signum)
    raise SystemExit(128 + signum)


def _end_with_parent() -> None:
    """Ask Linux to send this worker SIGTERM when roi report dies, even by SIGKILL (a worker
    never outlives its batch); elsewhere nothing changes."""
    import ctypes
    import sys

    if not sys.platform.startswith("linux"):
        return
    parent = multiprocessing.parent_process()
    with contextlib.suppress(OSError, AttributeError):
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, ctypes.c_ulong(signal.SIGTERM), 0, 0, 0)  # PR_SET_PDEATHSIG
    if parent is not None and os.getppid() != parent.pid:  # it died before prctl
        raise SystemExit(128 + signal.SIGTERM)


def init_worker(notebook: str, prestart: bool = True) -> None:
    """Worker start-up: boot the first kernel, then import papermill and compile the template
    while it starts. Papermill's and nbclient's log lines are silenced: the outcome says it all,
    in one line."""
    for name in ("papermill", "traitlets", "nbclient"):
        logging.getLogger(name).setLevel(logging.CRITICAL)
    # A session of its own: Ctrl-C on the terminal reaches roi report only, which stops the
    # workers (and so their kernels) itself, without half-finished cells printing tracebacks.
    # The worker started with SIGINT blocked (roi.report.batch.sigint_blocked): ignored, a
    # Ctrl-C that reached it meanwhile is dropped, then the signal is unblocked for its children.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    with contextlib.suppress(OSError):
        os.setsid()
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})
    signal.signal(signal.SIGTERM, _stop)
    signal.signal(signal.SIGHUP, _stop)
    _end_with_parent()
    if not os.environ.get("ROI_DEBUG"):
        # Everything a worker has to say travels in its outcome; what reaches its stderr is
        # noise for a reader (a traceback of the half-finished cell when interrupted).
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, 2)
        os.close(null)
    pool = kernel_pool(Path(notebook))
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


def _check_summary(folder: Path) -> str | None:
    """What is wrong with the summary the notebook wrote into ``folder``; None when fine."""
    try:
        read_summary(folder)
    except SummaryMissing:
        return f"the notebook wrote no {SUMMARY_FILE} into output_dir"
    except SummaryError as exc:
        return str(exc)
    return None


def keep_small(folder: Path, notebook: Any) -> None:
    """What a rendered folder keeps, small (goal: at most 2 MB a scenario): the executed
    notebook without its images (:func:`roi.report.export.without_images`; the charts are in
    ``charts/`` and the HTML), the charts' PNGs as palette PNGs
    (:func:`roi.report.export.compact_png`, the same bytes the HTML embeds) and their SVGs
    compacted (:func:`roi.report.export.compact_svg`); each file rewritten atomically. A failed
    render keeps papermill's notebook whole, for debugging."""
    import nbformat

    from roi.report.export import compact_png, compact_svg, without_images
    from roi.report.files import write_bytes_atomic, write_text_atomic

    write_text_atomic(folder / REPORT_NOTEBOOK, nbformat.writes(without_images(notebook)))
    charts = folder / "charts"
    if not charts.is_dir() or charts.is_symlink():
        return
    for chart in sorted(charts.iterdir()):
        if not chart.is_file() or chart.is_symlink():
            continue
        if chart.suffix == ".png":
            data = chart.read_bytes()
            small = compact_png(data)
            if small is not data:
                write_bytes_atomic(chart, small)
        elif chart.suffix == ".svg":
            text = chart.read_text(encoding="utf-8")
            write_text_atomic(chart, compact_svg(text))


def render(job: Job) -> Outcome:
    """Execute, export and print one report into ``job.workdir``; never raises for a failing
    notebook, kernel or browser (the outcome says what failed, in one line)."""
    started = time.perf_counter()
    with contextlib.suppress(OSError):
        (job.workdir / STARTED).write_text(str(os.getpid()), encoding="ascii")
    try:
        return _render(job, started)
    except Exception as exc:  # a bug or an environment problem: one job fails, not the batch
        return Outcome(
            job.slug,
            False,
            _one_line(f"scenario {job.scenario_file} failed: {type(exc).__name__}: {exc}"),
            time.perf_counter() - started,
        )


KERNEL_START_ATTEMPTS = 2
"""Kernels tried for one report when a kernel dies before its first reply (no cell has run):
kernels starting side by side can race for the same free ports (papermill #239)."""


def _render(job: Job, started: float) -> Outcome:
    import papermill
    from nbclient.exceptions import CellTimeoutError, DeadKernelError
    from papermill.exceptions import PapermillExecutionError

    from roi.report.export import compact_images, external_resources, report_html
    from roi.report.pdf import PdfError, chromium_path, print_pdf

    def failed(what: str, notebook: Path | None = None) -> Outcome:
        message = _one_line(f"scenario {job.scenario_file} {what}")
        return Outcome(job.slug, False, message, time.perf_counter() - started, False, notebook)

    pool = kernel_pool(job.notebook)
    parameters_index = _parameters_index(job.notebook, job.notebook.stat().st_mtime)
    current = {"index": 0}

    def on_cell_execute(cell: Any, cell_index: int) -> None:
        current["index"] = cell_index

    def cell() -> int:
        return source_cell_number(current["index"], parameters_index)

    output = job.workdir / REPORT_NOTEBOOK
    for attempt in range(1, KERNEL_START_ATTEMPTS + 1):
        km = pool.take()
        _RUNNING[:] = [km]
        if job.prestart and attempt == 1:
            pool.prestart()
        try:
            nb = papermill.execute_notebook(
                str(job.notebook),
                str(output),
                parameters=job.parameters(),
                kernel_name=KERNEL_NAME,
                language="python",
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
            return failed(
                f"timed out in cell {cell()} (limit {job.execution_timeout:g} s per cell)"
            )
        except DeadKernelError:
            return failed(f"failed in cell {cell()}: the kernel died")
        except RuntimeError as exc:
            if "Kernel died before replying" in str(exc):
                if attempt < KERNEL_START_ATTEMPTS:
                    continue  # no cell ran: a fresh kernel (the finally disposes this one)
                return failed(f"failed: the kernel died while starting ({attempt} attempts)")
            if "didn't respond" in str(exc):
                return failed(f"failed: the kernel did not start within {job.start_timeout:g} s")
            raise
        finally:
            dispose(km)
            _RUNNING.clear()
        break

    problem = _check_summary(job.workdir)
    if problem:
        return failed(f"failed: {problem}", output)
    with_scenario_file(job.workdir, job.scenario_file)
    for executed in nb.cells:  # papermill gives its cell a random id: the same every render
        if "injected-parameters" in executed.get("metadata", {}).get("tags", []):
            executed["id"] = "injected-parameters"
    html = report_html(compact_images(nb), job.scenario_name, _footer(job))
    external = external_resources(html)
    if external:
        return failed(f"failed: report.html would load external resources: {external[0]}", output)
    html_path = job.workdir / REPORT_HTML
    html_path.write_text(html, encoding="utf-8")
    keep_small(job.workdir, nb)
    pdf_missing = False
    if job.pdf:
        browser = chromium_path()
        if browser is None:
            pdf_missing = True
        else:
            try:
                print_pdf(html_path, job.workdir / REPORT_PDF, job.execution_timeout, browser)
            except PdfError as exc:
                return failed(f"failed to print the PDF: {exc}", output)
    return Outcome(job.slug, True, None, time.perf_counter() - started, pdf_missing)
