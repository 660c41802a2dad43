"""Rendering a batch's reports on a dask.distributed cluster instead of local worker processes.

:func:`cluster_run` has the contract of :func:`roi.report.batch._run`: it takes the batch's jobs
and yields ``(job, outcome)`` as each finishes, so validation, the atomic commit, failure records,
the index and stopping stay in :mod:`roi.report.batch`, written once. Each job is one dask task,
:func:`render_attempt`, which renders the report (:func:`roi.report.execute.render`, kernels and
all) on a worker; progress is the cluster's (``as_completed`` on the futures).

- ``--cluster local:N`` starts a ``LocalCluster`` of N worker processes (one thread each) on
  127.0.0.1, without a dashboard, and closes it at the end, stopped or not.
- ``--cluster ADDRESS`` connects to a running scheduler, ``[SCHEME://]HOST:PORT``
  (``tcp://host:8786``; a scheme dask.distributed has without other packages: ``tcp``, ``tls``
  with dask's TLS configuration, ``ws`` or ``wss``; no scheme is ``tcp``). Its workers must
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

from roi.inputs.errors import UserError, escaped, excerpt
from roi.report.execute import Job, Outcome
from roi.report.files import umask

LOCAL = re.compile(r"^local:(\d+)$")
"""``local:N``: a local cluster of N worker processes."""
MAX_LOCAL_WORKERS = 64
SCHEMES = ("tcp", "tls", "ws", "wss")
"""The schemes of a scheduler's address: those dask.distributed has without other packages
(``inproc`` reaches only a scheduler inside ``roi report`` itself, ``ucx`` needs UCX-Py)."""
_ADDRESS = re.compile(
    r"(?:(?P<scheme>[A-Za-z][A-Za-z0-9+.-]*)://)?(?P<host>\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9._-]+)"
    r":(?P<port>\d+)"
)
"""``[SCHEME://]HOST:PORT``, HOST a host name (ASCII), an IPv4 address or an IPv6 address in
brackets."""
_ALLOWED = (
    "allowed: local:N, or a dask scheduler's address [SCHEME://]HOST:PORT such as "
    f"tcp://host:8786 (SCHEME: {', '.join(SCHEMES)}; PORT: 1 to 65535)"
)
CONNECT_TIMEOUT = 10.0
"""Longest ``roi report`` waits for a scheduler or a local cluster [s]."""
_PROBE = "probe"


class ClusterUnavailable(UserError):
    """The cluster cannot take the batch (dask.distributed missing, no TLS configuration, the
    scheduler unreachable, no worker, a worker that does not see ``--out``): raised before
    anything is submitted, so :func:`roi.report.batch.render_reports` can leave no new
    ``--out`` behind."""


def check_address(cluster: str) -> str:
    """``cluster`` if it is ``local:N`` (N from 1 to :data:`MAX_LOCAL_WORKERS`) or a scheduler's
    address ``[SCHEME://]HOST:PORT`` (SCHEME one of :data:`SCHEMES`, PORT from 1 to 65535; for
    ``tls://``, dask's TLS configuration is there): nothing is reached, so ``roi report``
    checks it before anything is written.

    >>> check_address("local:2"), check_address("tcp://10.0.0.5:8786"), check_address("[::1]:1")
    ('local:2', 'tcp://10.0.0.5:8786', '[::1]:1')

    Raises
    ------
    UserError
        Anything else (:class:`ClusterUnavailable` for ``tls://`` without TLS configuration).
    """
    match = LOCAL.match(cluster)
    if match:
        if not 1 <= int(match.group(1)) <= MAX_LOCAL_WORKERS:
            raise UserError(
                f"--cluster: {cluster}: allowed: local:N with N from 1 to {MAX_LOCAL_WORKERS}"
            )
        return cluster
    address = _ADDRESS.fullmatch(cluster)
    if address is None:
        raise UserError(f"--cluster: {excerpt(cluster)} is not allowed; {_ALLOWED}")
    scheme, port = address.group("scheme"), address.group("port")
    if scheme is not None and scheme not in SCHEMES:
        raise UserError(
            f"--cluster: {excerpt(cluster)}: scheme {escaped(scheme)}:// is not allowed; {_ALLOWED}"
        )
    if len(port) > 5 or not 1 <= int(port) <= 65535:
        raise UserError(
            f"--cluster: {excerpt(cluster)}: port {escaped(port)} is out of range; {_ALLOWED}"
        )
    if scheme == "tls":
        _check_tls(cluster)
    return cluster


def _check_tls(cluster: str) -> None:
    """A ``tls://`` address needs dask's TLS configuration (a CA file, the client's certificate
    and key) or a security loader; without either, distributed fails with a TypeError."""
    try:
        import dask.config
        from distributed.security import Security
    except ImportError:  # client_for says how to install it
        return

    if dask.config.get("distributed.client.security-loader", None):
        return
    try:
        context = Security().get_connection_args("client")["ssl_context"]
    except (OSError, ValueError) as exc:  # ssl.SSLError is an OSError
        raise ClusterUnavailable(
            f"--cluster: {cluster}: dask's TLS configuration cannot be used: {exc}"
        ) from None
    if context is None:
        raise ClusterUnavailable(
            f"--cluster: {cluster}: tls:// needs dask's TLS configuration; set "
            "distributed.comm.tls.ca-file, distributed.comm.tls.client.cert and "
            "distributed.comm.tls.client.key (e.g. DASK_DISTRIBUTED__COMM__TLS__CA_FILE=ca.pem), "
            "or use tcp://"
        )


@contextlib.contextmanager
def client_for(
    cluster: str, spawning: Callable[[], contextlib.AbstractContextManager[None]] | None = None
) -> Iterator[Any]:
    """A dask ``Client`` for ``cluster`` (see :func:`check_address`); a local cluster is started
    (inside ``spawning()``, e.g. :func:`roi.report.batch.sigint_blocked`) and closed with it."""
    try:
        from distributed import Client, LocalCluster
    except ImportError:
        raise ClusterUnavailable(
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
                raise ClusterUnavailable(problem) from None
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
    ClusterUnavailable
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
        raise ClusterUnavailable("--cluster: the cluster has no worker")
    blind = sorted(worker for worker, ok in answers.items() if not ok)
    if blind:
        raise ClusterUnavailable(
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
