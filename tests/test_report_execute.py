"""roi.report.execute and roi.report.zygote: warm kernels, each used for one notebook only.

Kernels are forked from a zygote that imported the notebook's modules (``fork``, the default) or
started one by one (``spawn``). Either way every notebook runs in a process of its own: nothing a
notebook does is seen by the next one, and both ways give the same notebooks.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path
from typing import Any

import nbformat
import pytest
from conftest import SCENARIOS_DIR, SEED, RunCli
from nbformat.v4 import new_code_cell, new_notebook

from roi.report import zygote
from roi.report.execute import KernelPool, dispose

FIXTURE = Path(__file__).resolve().parent / "data" / "report-fixture.ipynb"
SCENARIOS = [
    SEED,
    SCENARIOS_DIR / "fintech-regulated.yaml",
    SCENARIOS_DIR / "ecommerce-midsize.yaml",
]
SABOTAGED = "import matplotlib.pyplot; from roi.report.zygote import main; main()"

PROBE_PARAMETERS = """\
scenario_path: str = "x.yaml"  # scenario
samples: int = 10  # samples
seed: int = 0  # seed
interactive: bool = False  # widgets
output_dir: str = ""  # where summary.json goes"""

PROBE = """\
import json
import os
import sys
from pathlib import Path

import numpy as np

import roi.present.formatting

leaked = getattr(roi.present.formatting, "_probe_mark", None)
roi.present.formatting._probe_mark = scenario_path
doc = {
    "schema_version": 1,
    "scenario": {"name": Path(scenario_path).stem, "currency": "USD"},
    "leaked": leaked,
    "pid": os.getpid(),
    "ppid": os.getppid(),
    "random": float(np.random.random()),
    "cwd": os.getcwd(),
    "argv0": Path(sys.argv[0]).name,
    "user_names": sorted(n for n in globals() if not n.startswith("_")),
    "preloaded": "matplotlib.pyplot" in sys.modules,
}
Path(output_dir, "summary.json").write_text(json.dumps(doc))"""


@pytest.fixture
def probe(tmp_path: Path) -> Path:
    """A notebook that reports what it can see of other notebooks and of its process."""
    folder = tmp_path / "notebooks"
    folder.mkdir()
    path = folder / "probe.ipynb"
    cells = [
        new_code_cell(PROBE_PARAMETERS, metadata={"tags": ["parameters"]}),
        new_code_cell("import matplotlib.pyplot as plt  # pre-imported after IPython starts"),
        new_code_cell(PROBE),
    ]
    nbformat.write(new_notebook(cells=cells), path)
    return path


@pytest.mark.kernel
@pytest.mark.parametrize("kernels", ["fork", "spawn"])
def test_every_notebook_has_a_process_of_its_own(
    kernels: str, probe: Path, tmp_path: Path, run_cli: RunCli, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ROI_REPORT_KERNELS", kernels)
    out = tmp_path / "reports"
    code, _, stderr = run_cli(
        "report", *SCENARIOS, "--out", out, "--workers", "1", "--notebook", probe
    )
    assert code == 0, stderr
    docs = [
        json.loads((out / p.stem / "summary.json").read_text(encoding="utf-8")) for p in SCENARIOS
    ]
    assert [d["leaked"] for d in docs] == [None, None, None]  # module state not shared
    assert len({d["pid"] for d in docs}) == 3
    assert len({d["random"] for d in docs}) == 3  # numpy's global generator freshly seeded
    for d in docs:
        assert d["cwd"] == str(probe.parent)
        assert d["argv0"] == "ipykernel_launcher.py"
        assert d["preloaded"] is True
        # Nothing bound by the pre-imports: only the parameters and the notebook's own names.
        assert d["user_names"] == sorted(
            [
                "In", "Out", "exit", "get_ipython", "open", "quit",
                "scenario_path", "samples", "seed", "interactive", "output_dir",
                "plt", "json", "os", "sys", "Path", "np", "roi", "leaked",
            ]
        )  # fmt: skip


@pytest.mark.kernel
def test_fork_and_spawn_give_the_same_notebook(
    tmp_path: Path, run_cli: RunCli, monkeypatch: pytest.MonkeyPatch
) -> None:
    notebooks = {}
    for kernels in ("fork", "spawn"):
        monkeypatch.setenv("ROI_REPORT_KERNELS", kernels)
        out = tmp_path / kernels
        code, _, stderr = run_cli(
            "report", SEED, "--out", out, "--notebook", FIXTURE, "--samples", "200"
        )
        assert code == 0, stderr
        doc = json.loads((out / "seed-article" / "report.ipynb").read_text(encoding="utf-8"))
        notebooks[kernels] = [
            (c["source"], c.get("outputs"))
            for c in doc["cells"]
            if "injected-parameters" not in c["metadata"].get("tags", [])
        ]
    text = {k: json.dumps(v) for k, v in notebooks.items()}
    # Warnings name the kernel's cell file /tmp/ipykernel_<pid>/...; mask the pid.
    import re

    masked = {k: re.sub(r"ipykernel_\d+", "ipykernel_PID", v) for k, v in text.items()}
    assert masked["fork"] == masked["spawn"]


@pytest.mark.kernel
def test_pool_falls_back_when_the_zygote_cannot_serve(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A zygote that finds pyplot imported before IPython refuses to fork kernels.
    monkeypatch.setattr(zygote, "command", lambda modules: [sys.executable, "-c", SABOTAGED])
    pool = KernelPool(tmp_path, ["json"], mode="fork")
    try:
        km = pool.take()
        assert pool.mode == "spawn"
        assert km.is_alive()
        dispose(km)
    finally:
        pool.close()


def _processes_with(marker: str) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        try:
            if marker.encode() in (entry / "environ").read_bytes():
                found.append(int(entry.name))
        except OSError:
            continue
    return found


@pytest.mark.kernel
@pytest.mark.skipif(not Path("/proc/self/environ").exists(), reason="needs /proc")
def test_no_kernel_or_zygote_outlives_the_batch(
    tmp_path: Path, run_cli: RunCli, monkeypatch: pytest.MonkeyPatch
) -> None:
    marker = f"roi-test-{uuid.uuid4().hex}"
    monkeypatch.setenv("ROI_TEST_MARKER", marker)
    code, _, stderr = run_cli(
        "report", SEED, SCENARIOS[1], "--out", tmp_path, "--notebook", FIXTURE, "--samples", "200"
    )
    assert code == 0, stderr
    deadline = time.monotonic() + 10
    while _processes_with(marker) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert _processes_with(marker) == []


def _start_batch(tmp_path: Path, marker: str, kernels: str = "fork") -> tuple[Any, Path]:
    """``roi report`` in a session of its own on a hanging scenario and the three shipped ones;
    returns once one worker hangs in a cell and the other has rendered one report."""
    hang = tmp_path / "hang.yaml"
    hang.write_text(f'extends: {SEED}\ndescription: "FIXTURE-HANG"\n', encoding="utf-8")
    out = tmp_path / "reports"
    roi = Path(sys.executable).parent / "roi"
    command = [str(roi), "report", str(hang), *map(str, SCENARIOS), "--out", str(out)]
    command += ["--notebook", str(FIXTURE), "--samples", "200"]
    process = subprocess.Popen(
        command,
        start_new_session=True,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "ROI_TEST_MARKER": marker, "ROI_REPORT_KERNELS": kernels},
    )
    deadline = time.monotonic() + 60
    while not (out / "seed-article").exists() and time.monotonic() < deadline:
        time.sleep(0.1)  # one worker hangs in a cell, the other has rendered one report
    assert process.poll() is None
    return process, out


def _no_process_left(marker: str, seconds: float = 15) -> None:
    deadline = time.monotonic() + seconds
    while _processes_with(marker) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert _processes_with(marker) == []


@pytest.mark.kernel
@pytest.mark.skipif(not Path("/proc/self/environ").exists(), reason="needs /proc")
@pytest.mark.parametrize(
    ("kernels", "signum", "group"),
    [
        ("fork", signal.SIGINT, True),  # Ctrl-C: the terminal signals the foreground group
        ("spawn", signal.SIGINT, True),
        ("fork", signal.SIGTERM, False),  # kill, systemd, a CI runner's timeout
        ("spawn", signal.SIGTERM, False),
        ("fork", signal.SIGHUP, False),  # the terminal closed
    ],
    ids=["sigint-fork", "sigint-spawn", "sigterm-fork", "sigterm-spawn", "sighup-fork"],
)
def test_a_stop_signal_stops_everything_cleanly(
    kernels: str, signum: int, group: bool, tmp_path: Path
) -> None:
    """SIGINT, SIGTERM or SIGHUP while notebooks run: exit 128 + signal, one line, no temporary
    folder, no worker, kernel or zygote left."""
    marker = f"roi-test-{uuid.uuid4().hex}"
    process, out = _start_batch(tmp_path, marker, kernels)
    try:
        if group:
            os.killpg(process.pid, signum)
        else:
            os.kill(process.pid, signum)
        _, stderr = process.communicate(timeout=60)
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
    assert process.returncode == 128 + signum
    name = "" if signum == signal.SIGINT else f" ({signal.Signals(signum).name})"
    assert stderr == f"roi: interrupted{name}\n"
    assert [p.name for p in out.iterdir() if ".tmp" in p.name] == []
    _no_process_left(marker)


@pytest.mark.kernel
@pytest.mark.skipif(not Path("/proc/self/environ").exists(), reason="needs /proc")
def test_after_kill_9_nothing_runs_on_and_the_next_run_cleans_up(
    tmp_path: Path, run_cli: RunCli
) -> None:
    """roi report killed outright: its workers, kernels and zygotes end with it; its temporary
    folders stay until the next run into the same folder, which leaves a live run's alone."""
    marker = f"roi-test-{uuid.uuid4().hex}"
    process, out = _start_batch(tmp_path, marker)
    try:
        os.kill(process.pid, signal.SIGKILL)
        process.communicate(timeout=30)
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
    _no_process_left(marker, 30)
    stale = [p for p in out.iterdir() if ".tmp-" in p.name]
    assert stale, "a killed run leaves its temporary folders"
    live = out / f".other.tmp-{os.getpid()}-running"  # as a run still going would have it
    live.mkdir()
    code, _, stderr = run_cli(
        "report", SEED, "--out", out, "--notebook", FIXTURE, "--samples", "200"
    )
    assert code == 0, stderr
    assert [p for p in out.iterdir() if ".tmp-" in p.name] == [live]


KERNEL_START_PROBE = """
import json, sys
from pathlib import Path
import papermill
from roi.report import execute

real, calls = papermill.execute_notebook, []
deaths = int(sys.argv[4])

def flaky(*args, **kwargs):
    calls.append(1)
    if len(calls) <= deaths:  # as a kernel that lost the race for its ports dies
        raise RuntimeError("Kernel died before replying to kernel_info")
    return real(*args, **kwargs)

papermill.execute_notebook = flaky
job = execute.Job(
    scenario_file=sys.argv[2], scenario_path=Path(sys.argv[2]), scenario_name="probe",
    slug="probe", notebook=Path(sys.argv[1]), workdir=Path(sys.argv[3]), samples=200, seed=0,
    execution_timeout=120.0, start_timeout=60.0, pdf=False, prestart=False,
)
outcome = execute.render(job)
execute.kernel_pool(job.notebook).close()
print(json.dumps({"ok": outcome.ok, "message": outcome.message, "calls": len(calls)}))
"""


@pytest.mark.kernel
@pytest.mark.parametrize(("deaths", "ok"), [(1, True), (2, False)])
def test_a_kernel_that_dies_while_starting_is_replaced_once(
    tmp_path: Path, deaths: int, ok: bool
) -> None:
    """Kernels started side by side can race for the same free ports, and the loser dies before
    its first reply: the report gets a second kernel; a second death fails it in one line."""
    import json

    from roi.report.execute import KERNEL_START_ATTEMPTS

    workdir = tmp_path / "work"
    workdir.mkdir()
    fixture = Path(__file__).resolve().parent / "data" / "report-fixture.ipynb"
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            KERNEL_START_PROBE,
            str(fixture),
            str(SEED),
            str(workdir),
            str(deaths),
        ],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result["ok"] is ok, result
    assert result["calls"] == (deaths + 1 if ok else KERNEL_START_ATTEMPTS)
    if not ok:
        assert result["message"].endswith(f"the kernel died while starting ({deaths} attempts)")
