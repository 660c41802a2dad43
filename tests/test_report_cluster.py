"""roi.report.cluster: ``roi report --cluster`` on a dask.distributed LocalCluster (2 worker
processes on 127.0.0.1): the same files as a local run, a lost worker's scenario rendered again,
a stop that closes the cluster, and the checks made before anything is submitted."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import time
from pathlib import Path

import pytest
from conftest import SCENARIOS_DIR, SEED, RunCli, no_process_left, processes
from test_faults import FIXTURE, ROI, check_folder, finish, start

from roi.inputs.errors import UserError
from roi.report import cluster
from roi.report.cluster import SCHEMES, check_address, check_reachable

FINTECH = SCENARIOS_DIR / "fintech-regulated.yaml"
distributed = pytest.importorskip("distributed")


# --- before anything runs --------------------------------------------------------------------


@pytest.mark.parametrize(
    "value",
    [
        *("local:1", "local:64", "tcp://127.0.0.1:8786", "host:1", "ws://sched.example:65535"),
        *("wss://10.0.0.5:443", "[::1]:8786", "tcp://[fe80::1]:8786"),
    ],
)
def test_addresses_allowed(value: str) -> None:
    assert check_address(value) == value


@pytest.mark.parametrize("scheme", SCHEMES)
def test_every_allowed_scheme_is_one_distributed_has(scheme: str) -> None:
    from distributed.comm.registry import get_backend

    get_backend(scheme)  # raises ValueError for a scheme distributed does not know


@pytest.mark.parametrize(
    ("value", "says"),
    [
        ("local:0", "local:N with N from 1 to 64"),
        ("local:65", "local:N with N from 1 to 64"),
        ("local:two", "allowed: local:N, or a dask scheduler's address"),
        ("tcp://host", "allowed: local:N, or a dask scheduler's address"),
        ("", "allowed: local:N, or a dask scheduler's address"),
        ("foo://127.0.0.1:8786", "scheme foo:// is not allowed; allowed: local:N"),
        ("ucx://127.0.0.1:8786", "scheme ucx:// is not allowed; allowed: local:N"),
        ("inproc://127.0.0.1:8786", "scheme inproc:// is not allowed; allowed: local:N"),
        ("TCP://127.0.0.1:8786", "scheme TCP:// is not allowed; allowed: local:N"),
        ("tcp://127.0.0.1:99999", "port 99999 is out of range; allowed: local:N"),
        ("host:0", "port 0 is out of range; allowed: local:N"),
        ("host:" + "9" * 5000, "… is out of range; allowed: local:N"),
        ("tcp://a b:1", "allowed: local:N, or a dask scheduler's address"),
        ("tcp://host\x1b[31m:1", "is not allowed; allowed: local:N"),
        ("tls://127.0.0.1:8786", "tls:// needs dask's TLS configuration"),
    ],
)
def test_bad_addresses_are_usage_errors(
    value: str, says: str, run_cli: RunCli, tmp_path: Path
) -> None:
    code, stdout, stderr = run_cli("report", SEED, "--out", tmp_path / "unused", "--cluster", value)
    assert code == 2
    assert stdout == ""
    assert len(stderr.splitlines()) == 1
    assert stderr.startswith("roi: error: --cluster: ")
    assert says in stderr
    assert list(tmp_path.iterdir()) == []  # refused before anything is written


class _Cluster:
    """A client whose first worker runs the probe here and whose second sees another disk."""

    def run(self, function: object, *args: str) -> dict[str, bool]:
        assert callable(function)
        return {"tcp://127.0.0.1:1": function(*args), "tcp://127.0.0.1:2": False}


def test_a_worker_that_cannot_see_the_output_folder_stops_the_run(tmp_path: Path) -> None:
    with pytest.raises(UserError, match=r"worker tcp://127\.0\.0\.1:2 cannot read and write"):
        check_reachable(_Cluster(), tmp_path)
    assert list(tmp_path.iterdir()) == []  # the probe folder is gone


def test_the_probe_is_read_back(tmp_path: Path) -> None:
    class Same:
        def run(self, function: object, *args: str) -> dict[str, bool]:
            assert callable(function)
            return {"tcp://127.0.0.1:1": function(*args)}

    check_reachable(Same(), tmp_path)  # the worker read the token: no error


@pytest.mark.slow
@pytest.mark.parametrize("existing", [False, True], ids=["new-out", "existing-out"])
def test_no_scheduler_is_a_usage_error(
    run_cli: RunCli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, existing: bool
) -> None:
    import socket

    monkeypatch.setattr(cluster, "CONNECT_TIMEOUT", 2.0)
    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    out = tmp_path / "new" / "r"  # its parent is made too
    if existing:
        out.mkdir(parents=True)
        (out / "mine.txt").write_text("kept\n")
    code, _, stderr = run_cli(
        "report", SEED, "--out", out, "--notebook", FIXTURE,
        "--cluster", f"tcp://127.0.0.1:{port}",
    )  # fmt: skip
    assert code == 2, stderr
    assert stderr.startswith(
        f"roi: error: --cluster: cannot reach the scheduler at tcp://127.0.0.1:{port}"
    )
    assert len(stderr.splitlines()) == 1
    if existing:  # the user's folder stays, with what it held
        assert (out / "mine.txt").read_text() == "kept\n"
        assert not [p for p in out.iterdir() if ".tmp-" in p.name]
    else:  # nothing was rendered: no folder is left that the user did not have
        assert list(tmp_path.iterdir()) == []


# --- on a LocalCluster --------------------------------------------------------------------------

_STAMP = re.compile(r"\d{4}-\d\d-\d\d[T ]\d\d:\d\d(?::\d\d(?:\.\d+)?)?(?:Z|\+00:00| UTC)?")
_DAY = re.compile(r"generated \d{4}-\d\d-\d\d by")
_TEMPORARY = re.compile(r"\.tmp-\d+-[a-z0-9_-]+")


def normalised(path: Path) -> bytes:
    """The file with its timestamps (and the temporary folder it was rendered in) masked."""
    data = path.read_bytes()
    if path.suffix == ".ipynb":
        doc = json.loads(data)
        doc["metadata"]["papermill"] = {
            k: v
            for k, v in doc["metadata"]["papermill"].items()
            if k not in ("start_time", "end_time", "duration")
        }
        for cell in doc["cells"]:
            cell["metadata"].pop("execution", None)
            cell["metadata"].pop("papermill", None)
        text = json.dumps(doc, sort_keys=True)
        return _TEMPORARY.sub(".tmp-X", text).encode()
    if path.suffix == ".html":
        text = data.decode("utf-8")
        return _DAY.sub("generated DAY by", _STAMP.sub("TIME", text)).encode()
    return data


def files_of(out: Path) -> dict[str, Path]:
    return {
        p.relative_to(out).as_posix(): p
        for p in sorted(out.rglob("*"))
        if p.is_file() and p.name != ".lock"
    }


@pytest.mark.kernel
@pytest.mark.slow
def test_cluster_run_gives_the_same_files_as_a_local_run(tmp_path: Path, marker: str) -> None:
    """The shipped notebook on three scenarios, locally with 2 workers and on a LocalCluster
    of 2: every file the same bytes but for timestamps and temporary folder names."""
    scenarios = [SEED, FINTECH, SCENARIOS_DIR / "ecommerce-lean-instrumentation.yaml"]
    runs = {}
    out = tmp_path / "reports"  # both into the same folder (its path is in the notebook)
    for name, extra in [("local", ["--workers", "2"]), ("cluster", ["--cluster", "local:2"])]:
        args = [str(ROI), "report", *map(str, scenarios), "--out", str(out)]
        process = start([*args, "--samples", "500", "--seed", "3", *extra], marker)
        _, stderr = finish(process, 300)
        assert process.returncode == 0, stderr
        out.rename(tmp_path / name)
        runs[name] = files_of(tmp_path / name)
    local, cluster = runs["local"], runs["cluster"]
    assert sorted(local) == sorted(cluster)
    assert len([n for n in local if n.endswith(".svg")]) >= 3
    different = [n for n in local if normalised(local[n]) != normalised(cluster[n])]
    assert different == []
    # not vacuous: the raw notebooks differ (timestamps), the charts do not at all
    assert local["seed-article/report.ipynb"].read_bytes() != (
        cluster["seed-article/report.ipynb"].read_bytes()
    )
    for name in local:
        if name.endswith((".png", ".svg", "summary.json")):
            assert local[name].read_bytes() == cluster[name].read_bytes(), name


def _wait_for(pattern: str, out: Path, seconds: float = 120) -> Path:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        for path in out.glob(pattern) if out.is_dir() else []:
            if path.read_text(encoding="ascii").strip():
                return path
        time.sleep(0.1)
    raise AssertionError(f"{pattern} never appeared")


def start_on_local_cluster(
    tmp_path: Path, fixture: str, out: Path, marker: str
) -> subprocess.Popen[str]:
    """``roi report`` on a ``local:2`` cluster, started: a scenario called ``fixture`` whose
    description makes the fixture notebook behave so (``FIXTURE-SLOW``, ``FIXTURE-HANG``), then
    the seed article and the fintech scenario."""
    scenario = tmp_path / "s" / f"{fixture}.yaml"
    scenario.parent.mkdir()
    text = f'extends: {SEED}\ndescription: "FIXTURE-{fixture.upper()}"\n'
    scenario.write_text(text, encoding="utf-8")
    args = [str(ROI), "report", str(scenario), str(SEED), str(FINTECH), "--out", str(out)]
    args += ["--notebook", str(FIXTURE), "--samples", "200", "--seed", "0"]
    return start([*args, "--cluster", "local:2"], marker)


@pytest.mark.kernel
@pytest.mark.slow
def test_a_lost_worker_renders_its_scenario_again(tmp_path: Path, marker: str) -> None:
    """A dask worker process killed while it renders: the scheduler gives the scenario to
    another worker, and the batch succeeds whole."""
    out = tmp_path / "reports"
    before = processes(marker)
    process = start_on_local_cluster(tmp_path, "slow", out, marker)
    try:
        started = _wait_for(".slow.tmp-*/.started", out)
        killed = int(started.read_text(encoding="ascii"))
        os.kill(killed, signal.SIGKILL)
    finally:
        stdout, stderr = finish(process, 180)
    assert process.returncode == 0, stderr
    assert "wrote 3 of 3 reports" in stdout
    assert set(check_folder(out, {"slow", "seed-article", "fintech-regulated"}, {0})) == {
        "slow",
        "seed-article",
        "fintech-regulated",
    }
    no_process_left(marker, before)


@pytest.mark.kernel
@pytest.mark.slow
@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM], ids=["sigint", "sigterm"])
def test_a_stop_cancels_the_work_and_closes_the_local_cluster(
    tmp_path: Path, marker: str, signum: int
) -> None:
    out = tmp_path / "reports"
    before = processes(marker)
    process = start_on_local_cluster(tmp_path, "hang", out, marker)
    try:
        deadline = time.monotonic() + 120
        while not (out / "seed-article").is_dir() and time.monotonic() < deadline:
            time.sleep(0.1)
        assert process.poll() is None
        if signum == signal.SIGINT:
            os.killpg(process.pid, signum)
        else:
            os.kill(process.pid, signum)
    finally:
        _, stderr = finish(process, 120)
    assert process.returncode == 128 + signum, stderr
    assert stderr.endswith(
        "roi: interrupted\n" if signum == signal.SIGINT else "roi: interrupted (SIGTERM)\n"
    )
    assert "seed-article" in check_folder(out, {"hang", "seed-article", "fintech-regulated"}, {0})
    no_process_left(marker, before)
