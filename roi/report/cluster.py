"""Rendering a batch's reports on a dask.distributed cluster instead of local worker processes.

:func:`cluster_run` has the contract of :func:`roi.report.batch._run`: it takes the batch's jobs
and yields ``(job, outcome)`` as each finishes, so validation, the atomic commit, failure records,
the index and stopping stay in :mod:`roi.report.batch`, written once. Each job is one dask task,
:func:`render_attempt`, which renders the report (:func:`roi.report.execute.render`, kernels and
all) on a worker; progress is the cluster's (``as_completed`` on the futures).

- ``--cluster local:N`` starts a ``LocalCluster`` of N worker processes (one thread each) on
  127.0.0.1, without a dashboard, and closes it at the end, stopped or not.
- ``--cluster ADDRESS`` connects to a running scheduler (``tcp://host:8786``). Its workers must
  see the same files at the same paths as ``roi report``: the scenarios, the notebook, the
  installed ``roi`` and, above all, ``--out``, into which every attempt writes its own temporary
  folder (a shared file system; ``roi report`` checks before submitting anything that every
  worker reads a token it wrote into ``--out``, and stops with a one-line error otherwise).

A worker renders one report at a time (a lock in :func:`render_attempt`: a worker process has one
kernel pool); start workers with ``--nthreads 1`` and as many processes as reports should run at
once. Each attempt renders into a fresh folder ``DIR/.<slug>.tmp-<pid of roi report>-*`` named
after the job's, so a retried task never writes over the folder of an attempt whose kernel may
still be ending, and every such folder is removed by ``roi report`` at the end
(:func:`roi.report.batch.remove_workdirs`).

A worker that dies mid-report (killed, out of memory) loses its task; the scheduler runs it again
on another worker (up to ``distributed.scheduler.allowed-failures`` times, 3 by default), then
the scenario fails with "a worker process died", like a dead local worker. Ctrl-C, SIGTERM and
SIGHUP cancel every future and close a local cluster (its worker processes, their zygotes and
kernels end); on a remote cluster a report already running finishes into a folder nobody
commits, which the next run into ``--out`` removes as stale.
"""

from __future__ import annotations

import contextlib
import logging
import os
import re
import shutil
import tempfile
import threading
from collections.abc import Callable, Generator, Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

from roi.inputs.errors import UserError
from roi.report.execute import Job, Outcome
from roi.report.files import umask

LOCAL = re.compile(r"^local:(\d+)$")
"""``local:N``: a local cluster of N worker processes."""
MAX_LOCAL_WORKERS = 64
CONNECT_TIMEOUT = 10.0
"""Longest ``roi report`` waits for a scheduler or a local cluster [s]."""
_PROBE = "probe"


def check_address(cluster: str) -> str:
    """``cluster`` if it is ``local:N`` (N from 1 to :data:`MAX_LOCAL_WORKERS`) or looks like a
    scheduler address (``[protocol://]host:port``).

    >>> check_address("local:2"), check_address("tcp://10.0.0.5:8786")
    ('local:2', 'tcp://10.0.0.5:8786')

    Raises
    ------
    UserError
        Anything else.
    """
    match = LOCAL.match(cluster)
    if match:
        if not 1 <= int(match.group(1)) <= MAX_LOCAL_WORKERS:
            raise UserError(
                f"--cluster: {cluster}: allowed: local:N with N from 1 to {MAX_LOCAL_WORKERS}"
            )
        return cluster
    if not re.fullmatch(r"(?:[a-z][a-z0-9+]*://)?[^\s/:]+:\d{1,5}", cluster):
        raise UserError(
            f"--cluster: {cluster!r} is not allowed; allowed: local:N, or a dask scheduler's "
            "address such as tcp://host:8786"
        )
    return cluster


@contextlib.contextmanager
def client_for(
    cluster: str, spawning: Callable[[], contextlib.AbstractContextManager[None]] | None = None
) -> Iterator[Any]:
    """A dask ``Client`` for ``cluster`` (see :func:`check_address`); a local cluster is started
    (inside ``spawning()``, e.g. :func:`roi.report.batch.sigint_blocked`) and closed with it."""
    try:
        from distributed import Client, LocalCluster
    except ImportError:
        raise UserError(
            "--cluster: dask.distributed is not installed; install it: pip install "
            "'dask[distributed]' (or the report extra of roi)"
        ) from None
    check_address(cluster)
    match = LOCAL.match(cluster)
    local = None
    client = None
    try:
        if match:
            with spawning() if spawning else contextlib.nullcontext():
                local = LocalCluster(
                    n_workers=int(match.group(1)),
                    threads_per_worker=1,
                    processes=True,
                    host="127.0.0.1",
                    dashboard_address=None,
                    silence_logs=logging.ERROR,
                )
            client = Client(local, timeout=CONNECT_TIMEOUT)
        else:
            try:
                client = Client(cluster, timeout=CONNECT_TIMEOUT)
            except (OSError, TimeoutError) as exc:
                problem = f"--cluster: cannot reach the scheduler at {cluster}: {exc}"
                raise UserError(problem) from None
        yield client
    finally:
        if client is not None:
            with contextlib.suppress(Exception):  # closing what is already going
                client.close()
        if local is not None:
            with contextlib.suppress(Exception):
                local.close()


def sees(folder: str, token: str) -> bool:
    """On a worker: whether ``folder`` holds the token ``roi report`` wrote and is writable."""
    path = Path(folder)
    try:
        return (path / _PROBE).read_text(encoding="ascii") == token and os.access(path, os.W_OK)
    except OSError:
        return False


def check_reachable(client: Any, out: Path) -> None:
    """Every worker of ``client`` sees ``out`` (reads a token written there, can write).

    Raises
    ------
    UserError
        A worker does not, or the cluster has no worker.
    """
    probe = Path(tempfile.mkdtemp(prefix=f".cluster.tmp-{os.getpid()}-", dir=out))
    try:
        token = os.urandom(16).hex()
        (probe / _PROBE).write_text(token, encoding="ascii")
        answers = client.run(sees, str(probe), token)
    finally:
        shutil.rmtree(probe, ignore_errors=True)
    if not answers:
        raise UserError("--cluster: the cluster has no worker")
    blind = sorted(worker for worker, ok in answers.items() if not ok)
    if blind:
        raise UserError(
            f"--cluster: worker {blind[0]} cannot read and write {out}"
            + (f" (nor {len(blind) - 1} other)" if len(blind) > 1 else "")
            + "; the workers need --out on a file system they share with roi report"
        )


_ONE_AT_A_TIME = threading.Lock()
"""A worker process renders one report at a time (it has one kernel pool)."""


def _quiet() -> None:
    for name in ("papermill", "traitlets", "nbclient"):
        logging.getLogger(name).setLevel(logging.CRITICAL)


def prepare_worker(notebook: str) -> None:
    """On a worker, before the first report (what :func:`roi.report.execute.init_worker` does
    for a local worker, less its signal and session set-up, which belong to dask): start the
    kernel pool and its first kernel, import papermill and compile the HTML template."""
    from roi.report.execute import kernel_pool
    from roi.report.export import warm_up

    with _ONE_AT_A_TIME:
        _quiet()
        kernel_pool(Path(notebook)).prestart()
        import papermill  # noqa: F401 - imported now, while the kernel boots

        warm_up()


def render_attempt(job: Job) -> tuple[Outcome, str]:
    """On a worker: render ``job`` into a fresh folder beside ``job.workdir``; returns the
    outcome and that folder."""
    from roi.report.execute import render

    with _ONE_AT_A_TIME:
        _quiet()
        folder = Path(tempfile.mkdtemp(prefix=f"{job.workdir.name}-", dir=job.workdir.parent))
        folder.chmod(0o777 & ~umask())
        return render(replace(job, workdir=folder, prestart=True)), str(folder)


def _died(job: Job, why: str) -> Outcome:
    return Outcome(job.slug, False, f"scenario {job.scenario_file} failed: {why}")


def cluster_run(
    jobs: list[Job],
    cluster: str,
    out: Path,
    spawning: Callable[[], contextlib.AbstractContextManager[None]] | None = None,
) -> Generator[tuple[Job, Outcome], None, None]:
    """Yield ``(job, outcome)`` as the cluster finishes jobs; ``job.workdir`` is then the folder
    the report was rendered into (see :func:`render_attempt`). A local cluster's processes are
    started inside ``spawning()`` (the batch holds Ctrl-C off there, as for its own workers)."""
    if not jobs:
        return
    from distributed import as_completed
    from distributed.scheduler import KilledWorker

    with client_for(cluster, spawning) as client:
        check_reachable(client, out)
        client.run(prepare_worker, str(jobs[0].notebook))
        futures = {
            client.submit(render_attempt, job, key=f"roi-report{job.workdir.name}", pure=False): job
            for job in jobs
        }
        finished = False
        try:
            for future in as_completed(futures):
                job = futures.pop(future)
                try:
                    outcome, folder = future.result()
                except KilledWorker:
                    yield job, _died(job, "a worker process died")
                except Exception as exc:  # the task could not run at all (no folder, pickling)
                    yield job, _died(job, f"{type(exc).__name__}: {exc}")
                else:
                    yield replace(job, workdir=Path(folder)), outcome
                future.release()
            finished = True
        finally:
            if not finished:  # stopped: nothing more is rendered
                with contextlib.suppress(Exception):
                    client.cancel(list(futures), force=True)
