"""Faults of ``roi report`` from outside: stop signals at random points, two runs into the same
folder at once, a kernel or a worker killed, a cell that never ends.

Every test runs ``roi report`` as a process of its own on the test fixture notebook
(tests/data/report-fixture.ipynb, a few hundred Monte Carlo samples: the cheapest setup that still
runs a real kernel per scenario, writes summary.json, a chart, the notebook and the HTML, and goes
through validation, workers, commit and index like the shipped notebook). After each fault the
folder must hold complete reports only (``DIR/<slug>`` a whole render or absent; no ``.tmp-`` or
``.old-`` left), ``index.html`` must list exactly the reports on disk, and no process of the run
may be left: those carrying the test's marker in their environment (kernels, zygotes, workers,
even when orphaned) and the test's own children are listed before and after (psutil, or /proc).
"""

from __future__ import annotations

import json
import os
import random
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import MARKER, SEED, SHIPPED_SCENARIOS, no_process_left, processes

pytestmark = [
    pytest.mark.kernel,
    pytest.mark.skipif(not sys.platform.startswith("linux"), reason="needs Linux processes"),
]

FIXTURE = Path(__file__).resolve().parent / "data" / "report-fixture.ipynb"
ROI = Path(sys.executable).parent / "roi"
SAMPLES = "200"
RUNS = 20
"""Stop signals sent in :func:`test_stop_signals_at_random_points`."""
COMPLETE = {"report.ipynb", "report.html", "summary.json", "charts"}
"""What a rendered scenario folder holds (the fixture writes one chart)."""


# --- the folder --------------------------------------------------------------------------------


def variants(folder: Path, n: int) -> list[Path]:
    """``n`` scenarios, variants of the shipped ones (each extends one, with its own name)."""
    folder.mkdir(parents=True, exist_ok=True)
    files = []
    for k in range(n):
        base = SHIPPED_SCENARIOS[k % len(SHIPPED_SCENARIOS)]
        path = folder / f"variant-{k + 1}.yaml"
        path.write_text(f'extends: {base}\nname: "Variant {k + 1} of {base.stem}"\n')
        files.append(path)
    return files


def index_links(out: Path) -> set[str]:
    html = (out / "index.html").read_text(encoding="utf-8")
    links = set(re.findall(r'href="([^"/]+)/report\.html"', html))
    count = re.search(r"(\d+) scenarios? rendered", html)
    assert count is not None, html[:2000]
    assert int(count.group(1)) == len(links), html[:2000]
    return links


def rendered_seed(folder: Path) -> int:
    """The seed of the one render ``folder`` holds (its summary and its notebook agree)."""
    summary = json.loads((folder / "summary.json").read_text(encoding="utf-8"))
    notebook = json.loads((folder / "report.ipynb").read_text(encoding="utf-8"))
    params = notebook["metadata"]["papermill"]["parameters"]
    assert summary["seed"] == params["seed"], folder  # not a mix of two renders
    assert (folder / "report.html").read_text(encoding="utf-8").rstrip().endswith("</html>")
    return int(summary["seed"])


def check_folder(out: Path, slugs: set[str], seeds: set[int]) -> dict[str, int]:
    """Complete reports only, no temporary left, the index lists what is on disk; returns the
    seed of each report."""
    names = {p.name for p in out.iterdir()}
    assert not [n for n in names if ".tmp-" in n or ".old-" in n], sorted(names)
    folders = {p.name for p in out.iterdir() if p.is_dir() and not p.name.startswith(".")}
    assert folders <= slugs, folders - slugs
    found = {}
    for slug in folders:
        assert {p.name for p in (out / slug).iterdir()} == COMPLETE, slug
        found[slug] = rendered_seed(out / slug)
        assert found[slug] in seeds, (slug, found[slug])
    assert index_links(out) == folders
    return found


def command(files: list[Path], out: Path, *extra: str) -> list[str]:
    args = [str(ROI), "report", *map(str, files), "--out", str(out), "--notebook", str(FIXTURE)]
    return [*args, "--samples", SAMPLES, *extra]


def start(args: list[str], marker: str) -> subprocess.Popen[str]:
    """``roi report`` in a session of its own (as from a terminal), marked."""
    return subprocess.Popen(
        args,
        start_new_session=True,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, MARKER: marker},
    )


def finish(process: subprocess.Popen[str], timeout: float = 120) -> tuple[str, str]:
    try:
        return process.communicate(timeout=timeout)
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


# --- stop signals --------------------------------------------------------------------------------


@pytest.mark.slow
def test_stop_signals_at_random_points(tmp_path: Path, marker: str) -> None:
    """SIGINT (to the process group, as Ctrl-C) and SIGTERM, alternately, after a seeded random
    delay spread over a whole run of 8 scenarios, 20 times into the same folder, which starts
    with 4 of them rendered: each run replaces reports of the ones before and adds new ones.
    Then a run to the end replaces them all."""
    files = variants(tmp_path / "scenarios", 8)
    slugs = {f.stem for f in files}
    out = tmp_path / "reports"
    before = processes(marker)

    started = time.monotonic()
    _, stderr = finish(start(command(files[:4], out, "--seed", "0"), marker))
    whole_run = 2 * (time.monotonic() - started)  # about, for all 8
    present = set(check_folder(out, slugs, {0}))
    assert present == {f.stem for f in files[:4]}, stderr
    no_process_left(marker, before)

    rng = random.Random(int(os.environ.get("ROI_FAULT_SEED", "20261203")))
    seeds = {0}
    outcomes = []
    for run in range(1, RUNS + 1):
        signum = signal.SIGINT if run % 2 else signal.SIGTERM
        delay = rng.uniform(0.0, 1.1 * whole_run)
        seeds.add(run)
        # the 4 not rendered yet first, so that they appear mid-run
        process = start(command(files[::-1], out, "--seed", str(run)), marker)
        time.sleep(delay)
        if process.poll() is None:
            if signum == signal.SIGINT:
                os.killpg(process.pid, signum)
            else:
                os.kill(process.pid, signum)
        _, stderr = finish(process, 60)
        outcomes.append(process.returncode)
        # 0: it ended first; 128 + n: stopped; -n: stopped while Python was still starting.
        assert process.returncode in (0, 128 + signum, -signum), (run, delay, stderr)
        if process.returncode == 128 + signum:
            name = "" if signum == signal.SIGINT else f" ({signal.Signals(signum).name})"
            assert stderr == f"roi: interrupted{name}\n", (run, delay, stderr)
        no_process_left(marker, before)
        found = set(check_folder(out, slugs, seeds))
        assert found >= present  # a report is replaced, never removed
        present = found
        assert not (out / ".failed").exists() or not list((out / ".failed").iterdir())
    assert any(code > 128 for code in outcomes), outcomes  # the signals did land mid-run

    _, stderr = finish(start(command(files, out, "--seed", "99"), marker))
    assert set(check_folder(out, slugs, {99}).values()) == {99}, stderr
    assert len(index_links(out)) == 8
    no_process_left(marker, before)


def test_ctrl_c_while_the_workers_start(tmp_path: Path, marker: str) -> None:
    """Ctrl-C (SIGINT to the whole process group) the moment a worker process exists, before it
    has set anything up: the run stops with one line, and the worker prints no traceback."""
    psutil = pytest.importorskip("psutil")
    files = variants(tmp_path / "scenarios", 2)
    out = tmp_path / "reports"
    before = processes(marker)
    process = start(command(files, out, "--seed", "0"), marker)
    try:
        deadline = time.monotonic() + 60
        spawned = False
        while not spawned and time.monotonic() < deadline:
            children = psutil.Process(process.pid).children()
            spawned = any("spawn_main" in " ".join(c.cmdline()) for c in children)
        assert spawned, "no worker started"
        os.killpg(process.pid, signal.SIGINT)
    finally:
        _, stderr = finish(process)
    assert process.returncode == 128 + signal.SIGINT
    assert stderr == "roi: interrupted\n"
    check_folder(out, {f.stem for f in files}, {0})
    no_process_left(marker, before)


def test_a_stopped_run_leaves_the_index_of_what_it_published(tmp_path: Path, marker: str) -> None:
    """SIGTERM right after the first report is published: the index lists it."""
    files = variants(tmp_path / "scenarios", 3)
    out = tmp_path / "reports"
    before = processes(marker)
    process = start(command(files, out, "--seed", "0", "--workers", "1"), marker)
    try:
        deadline = time.monotonic() + 60
        while not (out / "variant-1").is_dir() and time.monotonic() < deadline:
            time.sleep(0.05)
        os.kill(process.pid, signal.SIGTERM)
    finally:
        _, stderr = finish(process)
    assert process.returncode == 128 + signal.SIGTERM, stderr
    assert "variant-1" in check_folder(out, {f.stem for f in files}, {0})
    no_process_left(marker, before)


# --- two runs at once ----------------------------------------------------------------------------


def test_two_runs_into_one_folder_at_once(tmp_path: Path, marker: str) -> None:
    """Two batches sharing two of their scenarios, started together into one folder: both
    succeed, every report is one whole render of one of them, the index lists all six."""
    files = variants(tmp_path / "scenarios", 6)
    out = tmp_path / "reports"
    before = processes(marker)
    first = start(command(files[:4], out, "--seed", "1", "--workers", "1"), marker)
    second = start(command(files[2:], out, "--seed", "2", "--workers", "1"), marker)
    _, err_first = finish(first)
    _, err_second = finish(second)
    assert first.returncode == 0, err_first
    assert second.returncode == 0, err_second
    found = check_folder(out, {f.stem for f in files}, {1, 2})
    assert set(found) == {f.stem for f in files}
    assert found["variant-1"] == found["variant-2"] == 1
    assert found["variant-5"] == found["variant-6"] == 2
    no_process_left(marker, before)


def test_a_report_is_published_under_the_folder_lock_only(tmp_path: Path, marker: str) -> None:
    """While another process holds ``DIR/.lock``, a run renders but does not publish (nor
    rebuild the index); it does once the lock is released."""
    import fcntl

    files = variants(tmp_path / "scenarios", 1)
    out = tmp_path / "reports"
    out.mkdir()
    with open(out / ".lock", "a+b") as lock:
        fcntl.flock(lock.fileno(), fcntl.LOCK_EX)
        process = start(command(files, out, "--seed", "0"), marker)
        deadline = time.monotonic() + 60
        while not list(out.glob(".variant-1.tmp-*/report.html")) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert list(out.glob(".variant-1.tmp-*/report.html")), "the report was never rendered"
        time.sleep(1.0)
        assert process.poll() is None
        assert not (out / "variant-1").exists()
        assert not (out / "index.html").exists()
        fcntl.flock(lock.fileno(), fcntl.LOCK_UN)
        _, stderr = finish(process)
    assert process.returncode == 0, stderr
    assert set(check_folder(out, {"variant-1"}, {0})) == {"variant-1"}


# --- a kernel killed, a worker killed, a cell timeout ---------------------------------------------


def _wait_for(out: Path, pattern: str, seconds: float = 60) -> Path:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        found = list(out.glob(pattern)) if out.is_dir() else []
        if found and found[0].read_text(encoding="ascii").strip():
            return found[0]
        time.sleep(0.1)
    raise AssertionError(f"{pattern} never appeared")


def _variant(folder: Path, name: str, description: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(f'extends: {SEED}\ndescription: "{description}"\n', encoding="utf-8")
    return path


def test_killed_kernel_killed_worker_and_timeout_fail_alone_and_the_index_says_why(
    tmp_path: Path, marker: str
) -> None:
    """One worker, four scenarios in turn: the first's kernel is killed mid-cell, the second's
    worker process is killed mid-cell, the third hangs past --timeout, the fourth renders."""
    folder = tmp_path / "scenarios"
    kernel = _variant(folder, "kill-kernel.yaml", "FIXTURE-HANG")
    worker = _variant(folder, "kill-worker.yaml", "FIXTURE-HANG")
    hang = _variant(folder, "hang.yaml", "FIXTURE-HANG")
    out = tmp_path / "reports"
    before = processes(marker)
    args = command(
        [kernel, worker, hang, SEED], out, "--workers", "1", "--timeout", "6", "--seed", "0"
    )
    process = start(args, marker)
    try:
        pid = _wait_for(out, ".kill-kernel.tmp-*/kernel.pid")
        os.kill(int(pid.read_text(encoding="ascii")), signal.SIGKILL)
        _wait_for(out, ".kill-worker.tmp-*/kernel.pid")  # in the hanging cell
        started = _wait_for(out, ".kill-worker.tmp-*/.started")
        os.kill(int(started.read_text(encoding="ascii")), signal.SIGKILL)
    finally:
        stdout, stderr = finish(process)
    assert process.returncode == 1, stderr
    expected = [
        f"roi: error: scenario {kernel} failed in cell 4: the kernel died",
        f"roi: error: scenario {worker} failed: a worker process died",
        f"roi: error: scenario {hang} timed out in cell 4 (limit 6 s per cell)",
    ]
    assert stderr.strip().splitlines() == expected
    assert "wrote 1 of 4 reports" in stdout
    assert set(check_folder(out, {"seed-article"}, {0})) == {"seed-article"}
    index = (out / "index.html").read_text(encoding="utf-8")
    assert "1 scenario rendered, 3 failed" in index
    for name, why in [
        ("kill-kernel.yaml", "failed in cell 4: the kernel died"),
        ("kill-worker.yaml", "failed: a worker process died"),
        ("hang.yaml", "timed out in cell 4 (limit 6 s per cell)"),
    ]:
        assert re.search(rf"<li>scenario \S*{re.escape(name)} {re.escape(why)}<", index), name
    records = sorted(p.name for p in (out / ".failed").glob("*.json"))
    assert records == ["hang.json", "kill-kernel.json", "kill-worker.json"]
    no_process_left(marker, before)
