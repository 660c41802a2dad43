"""Rendering many scenarios at once: validate, execute in worker processes, commit atomically,
report progress, rebuild the index.

Every scenario is validated with :func:`roi.inputs.scenario.load_scenario` first; an invalid one is
reported like a failing render (one line, and in the index) and does not stop the others. Valid
scenarios are rendered by :func:`roi.report.execute.render` in a pool of worker processes
(``spawn``: papermill changes the process-wide working directory and is not thread-safe), each into
a fresh temporary folder ``DIR/.<slug>.tmp-*``. Only when the notebook, the HTML and the PDF
(if asked) all succeeded does the parent process rename that folder to ``DIR/<slug>``, replacing
the previous report; a failed render leaves the previous good report untouched and records the
failure in ``DIR/.failed/<slug>.json`` (with papermill's error notebook beside it).

With ``cluster`` (``roi report --cluster``) the same jobs run on a dask.distributed cluster
instead (:mod:`roi.report.cluster`, an executor with the contract of :func:`_run`); validation,
commit, failure records and the index are this module's either way.

Two runs into the same folder: a lock, not per-run staging. Every change of what ``DIR`` shows
(renaming a report into place, recording or clearing a failure, rebuilding the index) happens
under an exclusive ``flock`` on ``DIR/.lock`` (:class:`PublishLock`), held for that change only,
so two runs render side by side and publish one at a time, and each rebuilds the index from a
folder nobody is changing; the last index written lists both runs' reports. Per-run staging with
an atomic publish would have to swap the whole folder (a link flip), losing the other run's
reports or refusing links as ``DIR`` does; reports already land one by one atomically, so only
the index needed serialising. The kernel drops the lock of a process that dies, even by SIGKILL.
``flock`` is local to a machine (over NFS it is emulated with byte-range locks on Linux): runs
into one ``--out`` from two machines are not supported.

Stopping: Ctrl-C, SIGTERM and SIGHUP all stop the batch the same way: the workers are terminated
(their kernels and zygotes go with them), the temporary folders are removed, the index is rebuilt
from what is on disk and ``roi report`` exits with 128 + the signal's number. A signal that
arrives while a report is being published, a failure recorded, the index rebuilt or temporary
folders removed takes effect when that step is done (:func:`signals_deferred`), so no stop ever
leaves half of one: every ``DIR/<slug>`` is a complete report, old or new. A run killed
outright (SIGKILL) cannot clean up; its temporary folders carry its process id
(``.<slug>.tmp-<pid>-*``) and the next run into the same folder removes those whose process is
gone, never those of a run still going. A worker that dies fails only the scenario it was
rendering; the others are rendered by fresh workers.

Nothing is written through a symbolic link out of ``DIR``: a ``<slug>`` or ``.failed`` that is a
link is not followed (the index reads only real folders and files, see :mod:`roi.report.index`).
"""

from __future__ import annotations

import contextlib
import io
import itertools
import json
import os
import re
import shutil
import signal
import sys
import tempfile
import threading
import time
from collections.abc import Generator, Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, TextIO

from roi.inputs.errors import ScenarioError, UserError
from roi.report.cluster import ClusterUnavailable
from roi.report.execute import CONTRACT_PARAMETERS, STARTED, Job, Outcome, parameter_names
from roi.report.files import umask, write_text_atomic
from roi.report.index import FAILED_DIR, INDEX, Failure, write_index
from roi.report.slug import FALLBACK, slugify, unique_slugs

DEFAULT_NOTEBOOK = "01-business-case"
DEFAULT_TIMEOUT = 600.0
"""Longest one cell may run, and chromium may take to print [s]."""
START_TIMEOUT = 60.0
"""Longest a kernel may take to start [s]."""
MAX_WORKERS = 64
STOP_SIGNALS = tuple(
    getattr(signal, name) for name in ("SIGTERM", "SIGHUP") if hasattr(signal, name)
)
"""Signals that stop ``roi report`` the way Ctrl-C (SIGINT) does."""
STOP_GRACE = 10.0
IN_FLIGHT_PER_WORKER = 2
"""Jobs submitted to the pool at a time per worker: one rendering, one queued behind it."""
"""Longest a terminated worker may take to stop its kernel before it is killed [s]."""


def notebooks_dir() -> Path:
    """The repository's ``notebooks/`` folder (next to the ``roi`` package)."""
    import roi

    return Path(roi.__file__).resolve().parents[1] / "notebooks"


def resolve_notebook(name: str) -> Path:
    """The report notebook called ``name``: a name in :func:`notebooks_dir` (``.ipynb`` optional)
    or, when ``name`` contains a path separator, that file.

    Raises
    ------
    UserError
        No such notebook, or its ``parameters`` cell does not define the contract's names.
    """
    if os.sep in name or "/" in name:
        path = Path(name).expanduser()
        where = str(path)
    else:
        folder = notebooks_dir()
        if not folder.is_dir():
            raise UserError(
                f"--notebook: {name}: there is no notebooks folder at {folder} (roi report runs "
                "from a source checkout; pass --notebook path/to/notebook.ipynb)"
            )
        path = folder / (name if name.endswith(".ipynb") else f"{name}.ipynb")
        where = f"{name} in {folder}"
        if not path.is_file():
            available = sorted(p.stem for p in folder.glob("*.ipynb"))
            raise UserError(
                f"--notebook: {where}: not found; allowed: "
                + (", ".join(available) if available else "none (the folder has no notebooks)")
            )
    if not path.is_file():
        raise UserError(f"--notebook: {where}: file not found")
    try:
        names = parameter_names(path)
    except (OSError, ValueError, SyntaxError) as exc:
        raise UserError(f"--notebook: {path}: cannot read it as a notebook: {exc}") from None
    missing = [n for n in CONTRACT_PARAMETERS if n not in names]
    if missing:
        raise UserError(
            f"--notebook: {path}: its cell tagged parameters lacks {', '.join(missing)}; a "
            f"report notebook defines {', '.join(CONTRACT_PARAMETERS)}"
        )
    return path.resolve()


def default_workers(scenarios: int) -> int:
    """Two worker processes at most, no more than CPUs or scenarios, at least one."""
    return max(1, min(2, os.cpu_count() or 1, scenarios))


# --- progress ----------------------------------------------------------------------------------


def _has_size(stream: TextIO) -> bool:
    """Whether a terminal reports its size (a pseudo-terminal of 0 x 0 cannot show a bar)."""
    try:
        size = os.get_terminal_size(stream.fileno())
    except (OSError, ValueError, AttributeError, io.UnsupportedOperation):
        return True  # not a real file: trust isatty()
    return size.columns > 0 and size.lines > 0


class Progress:
    """A bar on a terminal (tqdm), one line per scenario otherwise.

    Successes go to ``out`` (stdout), failures and warnings to ``err`` (stderr); on a terminal
    the bar is drawn on ``err`` and the lines are printed above it.
    """

    def __init__(
        self,
        total: int,
        out: TextIO | None = None,
        err: TextIO | None = None,
        unit: str = "report",
    ) -> None:
        self.out = out or sys.stdout
        self.err = err or sys.stderr
        self._bar: Any = None
        self._lock = threading.Lock()  # lines from several threads (roi pack) stay whole
        if total and self.err.isatty() and _has_size(self.err):
            from tqdm import tqdm

            self._bar = tqdm(total=total, unit=unit, file=self.err, dynamic_ncols=True)

    def _write(self, line: str, stream: TextIO) -> None:
        with self._lock:
            if self._bar is not None:
                self._bar.write(line, file=stream)
            else:
                stream.write(line + "\n")
                stream.flush()

    def ok(self, line: str) -> None:
        """One scenario rendered."""
        self._write(line, self.out)
        self.step()

    def failed(self, line: str) -> None:
        """One scenario failed."""
        self._write(f"roi: error: {line}", self.err)
        self.step()

    def warn(self, line: str) -> None:
        """Something to know that is not a failure."""
        self._write(f"roi: warning: {line}", self.err)

    def step(self) -> None:
        with self._lock:
            if self._bar is not None:
                self._bar.update(1)

    def close(self) -> None:
        if self._bar is not None:
            self._bar.close()


# --- file system -------------------------------------------------------------------------------


def make_workdir(out: Path, slug: str) -> Path:
    """A fresh temporary folder ``out/.<slug>.tmp-<pid>-*`` with the usual permissions (see
    :func:`remove_stale_workdirs` for what happens to it when its process is killed)."""
    path = Path(tempfile.mkdtemp(prefix=f".{slug}.tmp-{os.getpid()}-", dir=out))
    path.chmod(0o777 & ~umask())
    return path


_OWNED = re.compile(r"^\..+\.(?:tmp|old)-(\d+)-[^/]+$")
"""A temporary folder of a run: ``.<slug>.tmp-<pid>-*`` (or ``.old-`` while replacing)."""


def _alive(pid: int) -> bool:
    """Whether process ``pid`` exists (another user's counts as alive)."""
    if pid <= 0:
        return True  # not a process id we could have written: leave its folder alone
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    except OverflowError:
        return False
    return True


def remove_stale_workdirs(out: Path, slug: str | None = None) -> list[Path]:
    """Remove the temporary folders in ``out`` left by runs that were killed (their process is
    gone), only those of ``slug`` when given; returns them. Folders of live runs, links and
    anything else are left alone."""
    removed = []
    for path in out.iterdir():
        match = _OWNED.match(path.name)
        if not match or path.is_symlink() or not path.is_dir():
            continue
        if slug is not None and not path.name.startswith((f".{slug}.tmp-", f".{slug}.old-")):
            continue
        if not _alive(int(match.group(1))):
            shutil.rmtree(path, ignore_errors=True)
            removed.append(path)
    return removed


def remove_workdirs(out: Path, workdirs: Sequence[Path]) -> None:
    """Remove a run's temporary folders: ``workdirs`` and the attempts made beside them
    (``<name>-*``, see :func:`roi.report.cluster.render_attempt`), in one pass over ``out``."""
    names = {w.name for w in workdirs}
    if not names:
        return
    for path in out.iterdir():
        if (path.name in names or path.name.rsplit("-", 1)[0] in names) and not path.is_symlink():
            shutil.rmtree(path, ignore_errors=True)


def _failed_folder(out: Path) -> Path:
    """``out/.failed``, a real folder: a link or a file in its place is removed (its target is
    not touched), so records are never written out of ``out``."""
    folder = out / FAILED_DIR
    if folder.is_symlink() or (folder.exists() and not folder.is_dir()):
        folder.unlink()
    folder.mkdir(exist_ok=True)
    return folder


def make_readable(folder: Path) -> None:
    """Give everything in ``folder`` the usual permissions (``0o666``/``0o777`` less the umask):
    temporary files are created private, reports are meant to be read by others."""
    mask = umask()
    for path in folder.rglob("*"):
        if not path.is_symlink():
            path.chmod((0o777 if path.is_dir() else 0o666) & ~mask)


def replace_dir(new: Path, target: Path) -> None:
    """Put folder ``new`` at ``target``, replacing what was there; never a mix of the two."""
    old = None
    if target.exists() or target.is_symlink():
        if not target.is_dir() or target.is_symlink():
            raise OSError(f"{target} exists and is not a folder")
        old = Path(tempfile.mkdtemp(prefix=f".{target.name}.old-{os.getpid()}-", dir=target.parent))
        os.replace(target, old / target.name)
    try:
        os.replace(new, target)
    except BaseException:
        if old is not None:
            os.replace(old / target.name, target)
            shutil.rmtree(old, ignore_errors=True)
        raise
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def _write_json_atomic(path: Path, doc: dict[str, Any]) -> None:
    write_text_atomic(path, json.dumps(doc, indent=2, ensure_ascii=False) + "\n")


def _record_failure(out: Path, failure: Failure, notebook: Path | None) -> Failure:
    folder = _failed_folder(out)
    kept = None
    if notebook is not None and notebook.is_file():
        kept = folder / f"{failure.slug}.ipynb"
        os.replace(notebook, kept)
    else:
        (folder / f"{failure.slug}.ipynb").unlink(missing_ok=True)
    if kept is not None:
        failure = Failure(
            failure.slug,
            failure.scenario_file,
            failure.message,
            failure.failed_at,
            kept.relative_to(out).as_posix(),
        )
    _write_json_atomic(folder / f"{failure.slug}.json", failure.to_json())
    return failure


def _clear_failure(out: Path, slug: str) -> None:
    folder = out / FAILED_DIR
    if folder.is_symlink() or not folder.is_dir():
        return
    for suffix in (".json", ".ipynb"):
        (folder / f"{slug}{suffix}").unlink(missing_ok=True)


# --- signals -----------------------------------------------------------------------------------


class Interrupted(KeyboardInterrupt):
    """``roi report`` was asked to stop by a signal (SIGINT, SIGTERM, SIGHUP)."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


@dataclass
class _Stop:
    """The stop signal received while :func:`stop_signals_interrupt` is in force."""

    signum: int = 0
    raised: bool = False
    deferring: int = 0
    """How many :func:`signals_deferred` blocks are open."""

    def handler(self, signum: int, frame: object) -> None:
        if self.signum:  # a second signal during the clean-up: ignored
            return
        self.signum = signum
        if not self.deferring:
            self.raised = True
            raise Interrupted(signum)


_STOP: _Stop | None = None


@contextlib.contextmanager
def stop_signals_interrupt() -> Iterator[None]:
    """SIGINT, SIGTERM and SIGHUP raise :class:`Interrupted` (a KeyboardInterrupt) while the
    block runs, so they all unwind like Ctrl-C; a second one during the clean-up is ignored, and
    one that arrives inside :func:`signals_deferred` is raised when that block ends. Outside the
    main thread (where Python cannot set handlers) nothing changes."""
    global _STOP
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    stop, outer = _Stop(), _STOP
    previous = {sig: signal.signal(sig, stop.handler) for sig in (signal.SIGINT, *STOP_SIGNALS)}
    _STOP = stop
    try:
        yield
    finally:
        _STOP = outer
        for sig, handler in previous.items():
            signal.signal(sig, handler)


@contextlib.contextmanager
def signals_deferred() -> Iterator[None]:
    """A block a stop signal does not cut short (publishing a report, rebuilding the index,
    removing temporary folders): a signal received meanwhile is raised as :class:`Interrupted`
    when the block ends. Without :func:`stop_signals_interrupt` in force, nothing changes."""
    stop = _STOP
    if stop is None:
        yield
        return
    stop.deferring += 1
    try:
        yield
    finally:
        stop.deferring -= 1
    if stop.signum and not stop.raised and not stop.deferring:
        stop.raised = True
        raise Interrupted(stop.signum)


@contextlib.contextmanager
def sigint_blocked() -> Iterator[None]:
    """SIGINT blocked while the block runs, in this thread and in the processes it starts (a
    signal mask survives ``exec``): a Ctrl-C to the process group while a worker starts waits
    until the worker has set up its own handling (:func:`roi.report.execute.init_worker`)
    instead of cutting its start-up short with a traceback; here it is deferred
    (:func:`signals_deferred`) and stops the batch as soon as the block ends. Outside the main
    thread nothing changes."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    from multiprocessing import resource_tracker

    # Started on the first spawn otherwise, it would unblock SIGINT right after starting itself.
    resource_tracker.ensure_running()
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        # Another thread (the pool's manager) may still take the signal: the handler then runs
        # here all the same, and must not cut a spawn short between fork and handing over.
        with signals_deferred():
            yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


# --- publishing: one run at a time ---------------------------------------------------------------


LOCK_FILE = ".lock"
"""File of ``DIR`` locked (``flock``) while a run publishes a report or rebuilds the index."""


class PublishLock:
    """An exclusive ``flock`` on ``DIR/.lock``, taken around every change of what ``DIR``
    shows (a report renamed into place, a failure recorded or cleared, the index rebuilt) and
    released right after: two runs into the same folder render side by side and publish one at
    a time, and the index is always rebuilt from a folder nobody is changing. The kernel
    releases the lock of a process that dies, even by SIGKILL, so there is no stale lock.

    Raises
    ------
    UserError
        ``DIR/.lock`` cannot be opened (a symbolic link, not writable).
    """

    def __init__(self, out: Path) -> None:
        path = out / LOCK_FILE
        flags = os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
        try:
            self._fd: int | None = os.open(path, flags, 0o666 & ~umask())
        except OSError as exc:
            reason = "it is a symbolic link" if path.is_symlink() else exc.strerror or str(exc)
            raise UserError(f"--out: cannot use {path} as the folder's lock: {reason}") from None
        self._depth = 0

    def __enter__(self) -> PublishLock:
        import fcntl

        if self._depth == 0 and self._fd is not None:
            fcntl.flock(self._fd, fcntl.LOCK_EX)
        self._depth += 1
        return self

    def __exit__(self, *exc: object) -> None:
        import fcntl

        self._depth -= 1
        if self._depth == 0 and self._fd is not None:
            fcntl.flock(self._fd, fcntl.LOCK_UN)

    def close(self) -> None:
        """Close the lock file (releasing the lock if held)."""
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None


# --- the batch ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Result:
    """What one scenario of a batch came to."""

    scenario_file: str
    slug: str
    ok: bool
    message: str | None
    seconds: float


@dataclass(frozen=True)
class BatchResult:
    """The whole batch: one result per scenario, in the order given, and the index written."""

    results: list[Result]
    index: Path
    pdf_missing: bool

    @property
    def failed(self) -> list[Result]:
        """The scenarios that did not render."""
        return [r for r in self.results if not r.ok]


def _dedupe(scenarios: Sequence[str]) -> list[str]:
    seen: set[Path] = set()
    out = []
    for s in scenarios:
        key = Path(s).resolve()
        if key not in seen:
            seen.add(key)
            out.append(s)
    return out


def _slug_text(path: str, name: str | None) -> str:
    stem = Path(path).stem
    if slugify(stem) == FALLBACK and name and slugify(name) != FALLBACK:
        return name
    return stem


def _first_missing(path: Path) -> Path | None:
    """The outermost folder ``path.mkdir(parents=True)`` would create; None if ``path`` exists."""
    missing = None
    while not path.exists() and path != path.parent:
        missing, path = path, path.parent
    return missing


def render_reports(
    scenarios: Sequence[str],
    out: Path,
    notebook: Path,
    *,
    workers: int | None = None,
    pdf: bool = False,
    timeout: float = DEFAULT_TIMEOUT,
    start_timeout: float = START_TIMEOUT,
    samples: int | None = None,
    seed: int | None = None,
    progress: Progress | None = None,
    cluster: str | None = None,
) -> BatchResult:
    """Render the report of every scenario into ``out/<slug>/`` and rebuild ``out/index.html``.

    Parameters
    ----------
    scenarios : sequence of str
        Scenario files; the same file given twice is rendered once.
    out : Path
        The reports folder; created when missing.
    notebook : Path
        The report notebook (see :func:`resolve_notebook`).
    workers : int, optional
        Worker processes; default :func:`default_workers`.
    pdf : bool
        Also print ``report.pdf`` with chromium (skipped, with one warning, when it is missing).
    timeout : float
        Longest one cell may run, and the PDF may take [s].
    start_timeout : float
        Longest a kernel may take to start [s].
    samples, seed : int, optional
        Monte Carlo samples and seed passed to the notebook; default: the notebook's own.
    progress : Progress, optional
        Where progress goes; default a :class:`Progress` on stdout/stderr.
    cluster : str, optional
        Render on a dask.distributed cluster instead of local worker processes: a scheduler's
        address, or ``local:N`` for a local cluster of N worker processes
        (:mod:`roi.report.cluster`); ``workers`` is then ignored. A cluster that cannot take the
        batch (:class:`~roi.report.cluster.ClusterUnavailable`: unreachable, no worker, workers
        that do not see ``out``) stops it before anything is rendered; an ``out`` made by this
        call is then removed (an existing one keeps the failure records of the scenarios that
        were refused and its rebuilt index: the cluster is reached only once they are known).

    Returns
    -------
    BatchResult
        One result per scenario; ``failed`` lists those that did not render.
    """
    shown = Path(out)  # as given, for messages
    out = shown.resolve()  # the notebook runs in its own folder: it gets absolute paths only
    if out.exists() and not out.is_dir():
        raise UserError(f"--out: {out} exists and is not a folder")
    made = _first_missing(out)
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UserError(f"--out: cannot create {out}: {exc.strerror or exc}") from None
    remove_stale_workdirs(out)
    files = _dedupe(scenarios)
    progress = progress or Progress(len(files))
    lock = PublishLock(out)
    try:
        with stop_signals_interrupt():
            try:
                results, slugs, pdf_missing = _batch(
                    files,
                    out,
                    shown,
                    notebook,
                    workers,
                    pdf,
                    timeout,
                    start_timeout,
                    samples,
                    seed,
                    progress,
                    lock,
                    cluster,
                )
            finally:  # stopped or not, the index lists what is on disk and no temporary is left
                with signals_deferred(), lock:
                    write_index(out)
    except ClusterUnavailable:
        lock.close()
        if made is not None:  # nothing was rendered: leave no folder the user did not have
            shutil.rmtree(made, ignore_errors=True)
        raise
    finally:
        lock.close()
    ordered = [results[s] for s in slugs if s in results]
    return BatchResult(ordered, shown / INDEX, pdf_missing)


def _batch(
    files: list[str],
    out: Path,
    shown: Path,
    notebook: Path,
    workers: int | None,
    pdf: bool,
    timeout: float,
    start_timeout: float,
    samples: int | None,
    seed: int | None,
    progress: Progress,
    lock: PublishLock,
    cluster: str | None,
) -> tuple[dict[str, Result], list[str], bool]:
    """Validate, render and commit every scenario; the temporary folders are gone on return,
    however it returns."""
    from roi.inputs.scenario import load_scenario

    # (file, scenario name, problem): only the name is kept, so the parent's memory does not
    # grow with the number of scenarios (the notebook loads the scenario again).
    loaded: list[tuple[str, str | None, str | None]] = []
    for file in files:
        try:
            scenario_name = load_scenario(file).name
        except ScenarioError as exc:
            problems = "; ".join(exc.problems)
            if Path(exc.path).resolve() != Path(file).resolve():  # a parent of extends: at fault
                problems = f"{exc.path}: {problems}"
            loaded.append((file, None, f"scenario {file} is not valid: {problems}"))
        except Exception as exc:  # a scenario the loader did not expect: it fails alone
            loaded.append((file, None, f"scenario {file} cannot be read: {type(exc).__name__}"))
        else:
            loaded.append((file, scenario_name, None))
    slugs = unique_slugs(_slug_text(file, name) for file, name, _ in loaded)

    results: dict[str, Result] = {}
    jobs: list[Job] = []
    pdf_missing = False
    running = None
    try:
        for (file, name, problem), slug in zip(loaded, slugs, strict=True):
            if problem is not None or name is None:
                message = problem or f"scenario {file} cannot be read"
                message = message if len(message) <= 300 else message[:299] + "…"
                with lock, signals_deferred():
                    _record_failure(out, Failure(slug, file, message, time.time()), None)
                results[slug] = Result(file, slug, False, message, 0.0)
                progress.failed(message)
                continue
            with signals_deferred():  # no folder made without its job to remove it
                jobs.append(
                    Job(
                        scenario_file=file,
                        scenario_path=Path(file).resolve(),
                        scenario_name=name,
                        slug=slug,
                        notebook=notebook,
                        workdir=make_workdir(out, slug),
                        samples=samples,
                        seed=seed,
                        execution_timeout=timeout,
                        start_timeout=start_timeout,
                        pdf=pdf,
                    )
                )
        if cluster is None:
            n_workers = min(workers or default_workers(len(jobs)), max(1, len(jobs)))
            jobs = [replace(j, prestart=i + n_workers < len(jobs)) for i, j in enumerate(jobs)]
            running = _run(jobs, n_workers, notebook)
        else:
            from roi.report.cluster import cluster_run

            running = cluster_run(jobs, cluster, out, sigint_blocked)
        for job, outcome in running:
            with lock, signals_deferred():
                results[job.slug] = _commit(out, shown, job, outcome, progress)
            if outcome.pdf_missing and not pdf_missing:
                pdf_missing = True
                from roi.report.pdf import INSTALL_HINT

                progress.warn(
                    f"--pdf: chromium not found, wrote HTML only; install it: {INSTALL_HINT}"
                )
    finally:
        with signals_deferred():
            if running is not None:
                running.close()  # the workers have stopped before their folders are removed
            remove_workdirs(out, [job.workdir for job in jobs])
            progress.close()
    return results, slugs, pdf_missing


def _died(job: Job) -> Outcome:
    return Outcome(job.slug, False, f"scenario {job.scenario_file} failed: a worker process died")


def _started(job: Job) -> bool:
    """Whether a worker began rendering ``job`` (see :data:`roi.report.execute.STARTED`)."""
    return (job.workdir / STARTED).exists()


def _fresh(job: Job) -> None:
    """Empty ``job``'s folder for another attempt."""
    shutil.rmtree(job.workdir, ignore_errors=True)
    job.workdir.mkdir(mode=0o777 & ~umask())


def _run(
    jobs: list[Job], workers: int, notebook: Path
) -> Generator[tuple[Job, Outcome], None, None]:
    """Yield ``(job, outcome)`` as jobs finish.

    A worker that dies (killed, out of memory) breaks its whole pool: the job it was rendering
    fails, and the jobs that had not started run again in a fresh pool. When several jobs were
    running, each runs again alone, so only one that kills its worker again fails.
    """
    queue = list(jobs)
    suspects: list[Job] = []
    while queue or suspects:
        if suspects:
            job = suspects.pop(0)
            _fresh(job)
            with contextlib.closing(_pool_run([job], 1, notebook)) as alone:
                for done, outcome in alone:
                    yield done, outcome or _died(done)
            continue
        broken: list[Job] = []
        progressed = False
        with contextlib.closing(_pool_run(queue, workers, notebook)) as pool:
            for done, outcome in pool:
                if outcome is None:
                    broken.append(done)
                else:
                    progressed = True
                    yield done, outcome
        started = [j for j in broken if _started(j)]
        queue = [j for j in broken if not _started(j)]
        if len(started) == 1:
            yield started[0], _died(started[0])
        else:
            suspects += started
        if queue and not (progressed or started):  # workers die before any job starts
            for job in queue:
                yield job, _died(job)
            queue = []


def _pool_run(
    jobs: list[Job], workers: int, notebook: Path
) -> Generator[tuple[Job, Outcome | None], None, None]:
    """Yield ``(job, outcome)`` as jobs finish in one pool; ``None`` when the pool broke."""
    if not jobs:
        return
    import multiprocessing
    from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
    from concurrent.futures.process import BrokenProcessPool

    from roi.report.execute import init_worker, render

    executor = ProcessPoolExecutor(
        max_workers=workers,
        mp_context=multiprocessing.get_context("spawn"),
        initializer=init_worker,
        initargs=(str(notebook),),
    )
    finished = False
    waiting = iter(jobs)
    running: dict[Future[Outcome], Job] = {}
    # A few jobs per worker in flight, not all of them: the parent's bookkeeping (futures, their
    # outcomes) stays the same size however many scenarios the batch has.
    in_flight = IN_FLIGHT_PER_WORKER * workers

    def submit_more() -> None:
        with sigint_blocked():  # the workers start in submit
            for job in itertools.islice(waiting, in_flight - len(running)):
                running[executor.submit(render, job)] = job

    try:
        submit_more()
        broken = False
        while running:
            done, _ = wait(running, return_when=FIRST_COMPLETED)
            for future in done:
                job = running.pop(future)
                try:
                    outcome: Outcome | None = future.result()
                except BrokenProcessPool:
                    outcome, broken = None, True
                yield job, outcome
            if not broken:
                submit_more()
        for job in waiting:  # never submitted: the pool broke first
            yield job, None
        finished = True
    finally:
        if not finished:  # interrupted (a signal): stop the workers now; their kernels go too
            _stop_workers(list(getattr(executor, "_processes", {}).values()))
        executor.shutdown(wait=True, cancel_futures=True)


def _stop_workers(processes: list[Any]) -> None:
    """Terminate worker processes (each then kills its kernel); kill those still running after
    :data:`STOP_GRACE` seconds."""
    for process in processes:
        with contextlib.suppress(OSError, ValueError):
            process.terminate()
    deadline = time.monotonic() + STOP_GRACE
    for process in processes:
        with contextlib.suppress(OSError, ValueError, AssertionError):
            process.join(max(0.0, deadline - time.monotonic()))
            if process.is_alive():
                process.kill()
                process.join(1.0)


def _commit(out: Path, shown: Path, job: Job, outcome: Outcome, progress: Progress) -> Result:
    target = out / job.slug
    (job.workdir / STARTED).unlink(missing_ok=True)
    if outcome.ok:
        try:
            make_readable(job.workdir)
            replace_dir(job.workdir, target)
        except OSError as exc:
            problem = f"scenario {job.scenario_file} failed: cannot write {target}: {exc}"
            outcome = Outcome(job.slug, False, problem)
    if outcome.ok:
        _clear_failure(out, job.slug)
        report = shown / job.slug / "report.html"
        progress.ok(f"ok: {job.scenario_file} -> {report} ({outcome.seconds:.1f} s)")
        return Result(job.scenario_file, job.slug, True, None, outcome.seconds)
    message = outcome.message or f"scenario {job.scenario_file} failed"
    _record_failure(
        out, Failure(job.slug, job.scenario_file, message, time.time()), outcome.failed_notebook
    )
    shutil.rmtree(job.workdir, ignore_errors=True)
    progress.failed(message)
    return Result(job.scenario_file, job.slug, False, message, outcome.seconds)
