"""Shared fixtures: where the shipped data lives, and a way to run the command line in-process."""

from __future__ import annotations

import contextlib
import copy
import io
import os
import signal
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from roi.inputs.schema import Scenario

ROOT = Path(__file__).resolve().parent.parent
SCENARIOS_DIR = ROOT / "data_samples" / "scenarios"
SEED = SCENARIOS_DIR / "seed-article.yaml"
SHIPPED_SCENARIOS = sorted(SCENARIOS_DIR.glob("*.yaml"))
NOTEBOOKS_DIR = ROOT / "notebooks"
EXPLORE_NOTEBOOK = "00-explore"
"""The explorer for JupyterLab users (tests/test_explore_app.py): not a report notebook."""
REPORT_NOTEBOOKS = sorted(p for p in NOTEBOOKS_DIR.glob("*.ipynb") if p.stem != EXPLORE_NOTEBOOK)
"""The report notebooks, which follow the papermill parameters contract."""

RunCli = Callable[..., tuple[int, str, str]]


def one_error_line(stderr: str, *fragments: str) -> str:
    """The user-facing error in ``stderr``: exactly one line, ``roi: error: ...``, no
    traceback, holding every one of ``fragments``; returns the line."""
    assert "Traceback" not in stderr, stderr
    lines = stderr.strip().splitlines()
    assert len(lines) == 1, stderr
    assert lines[0].startswith("roi: error: "), lines[0]
    for fragment in fragments:
        assert fragment in lines[0], (fragment, lines[0])
    return lines[0]


def run_cli(*args: str | Path) -> tuple[int, str, str]:
    """Call ``roi.cli.main`` with ``args``; returns (exit code, stdout, stderr)."""
    from roi.cli import main

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = main([str(a) for a in args])
        except SystemExit as exc:  # argparse --help / --version
            code = exc.code if isinstance(exc.code, int) else 0
    return code, out.getvalue(), err.getvalue()


@pytest.fixture(autouse=True, scope="session")
def allow_extending_the_shipped_scenarios() -> Iterator[None]:
    """Tests write scenarios in a temporary folder that ``extends:`` a shipped one by absolute
    path; that folder is outside the shipped one, so it is allowed explicitly, as a user would
    with ``--allow-extends`` (tests of the refusal remove it with ``monkeypatch.delenv``).
    Session-wide, so that module-scoped fixtures see it too."""
    from roi.inputs.scenario import ALLOW_EXTENDS_ENV

    with pytest.MonkeyPatch.context() as mp:
        mp.setenv(ALLOW_EXTENDS_ENV, str(SCENARIOS_DIR))
        yield


@pytest.fixture
def scenarios_dir() -> Path:
    """The shipped scenarios, ``data_samples/scenarios``."""
    return SCENARIOS_DIR


@pytest.fixture
def seed_path() -> Path:
    """The seed article's scenario."""
    return SEED


@pytest.fixture(name="run_cli")
def run_cli_fixture() -> RunCli:
    """``run_cli(*args) -> (exit_code, stdout, stderr)`` running ``roi`` in-process."""
    return run_cli


STATED_RANGES_ONLY = {"finance.default_uncertainty": False}
"""The edit that leaves only the ranges a scenario states uncertain (no default ranges)."""


def edited(path: Path, edits: dict[str, Any]) -> dict[str, Any]:
    """The mapping of a shipped scenario (``extends:`` resolved) with dotted fields replaced."""
    from roi.inputs.scenario import resolve

    data = copy.deepcopy(resolve(path))
    for dotted, value in edits.items():
        node = data
        *parents, last = dotted.split(".")
        for part in parents:
            node = node.setdefault(part, {})
        if value is None:
            node.pop(last, None)
        else:
            node[last] = value
    return data


def scenario_from(path: Path, edits: dict[str, Any]) -> Scenario:
    """A shipped scenario with fields replaced: ``{"finance.discount_rate": {...}}``."""
    from roi.inputs.scenario import validate

    return validate(edited(path, edits), f"{path.name} (edited)")


def scenario_file_from(folder: Path, path: Path, edits: dict[str, Any]) -> Path:
    """``scenario_from`` written as a self-contained YAML file in ``folder`` (no ``extends:``),
    for the command line."""
    import yaml

    out = folder / f"{path.stem}-edited.yaml"
    out.write_text(yaml.safe_dump(edited(path, edits), sort_keys=False, allow_unicode=True))
    return out


def point_only(path: Path) -> Scenario:
    """A shipped scenario with every range replaced by its median (a point) and no default
    ranges: nothing uncertain."""
    from roi.inputs.parameters import ranged_parameters

    s = scenario_from(path, {})
    edits: dict[str, Any] = dict(STATED_RANGES_ONLY)
    for p, q in ranged_parameters(s).items():
        edits[p] = {"value": q.value, "unit": q.unit}
    return scenario_from(path, edits)


# --- processes of roi report run as a command (tests/test_faults.py, tests/test_report_cluster.py)

MARKER = "ROI_TEST_MARKER"
"""Environment variable carrying a test's marker into every process it starts."""


def _environ(pid: int) -> bytes:
    try:
        return Path(f"/proc/{pid}/environ").read_bytes()
    except OSError:
        return b""


def processes(marker: str, descendants: bool = True) -> set[int]:
    """Processes with ``marker`` in their environment, and the test's own descendants."""
    try:
        import psutil
    except ImportError:  # /proc: the marker only (descendants need the parent links)
        return {
            int(p.name)
            for p in Path("/proc").iterdir()
            if p.name.isdigit() and marker.encode() in _environ(int(p.name))
        }
    found = {p.pid for p in psutil.Process().children(recursive=True)} if descendants else set()
    for process in psutil.process_iter():
        try:
            if process.pid != os.getpid() and process.environ().get(MARKER) == marker:
                found.add(process.pid)
        except (psutil.Error, OSError):
            continue
    return found


def no_process_left(marker: str, before: set[int], seconds: float = 20) -> None:
    """Wait (bounded) until no process of the run is left beyond ``before``."""
    deadline = time.monotonic() + seconds
    while (left := processes(marker) - before) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not left, f"processes left: {sorted(left)}"


@pytest.fixture
def marker() -> Iterator[str]:
    """A marker for this test's processes; any left are killed at the end, whatever happened."""
    mark = f"roi-test-{uuid.uuid4().hex}"
    yield mark
    for pid in processes(mark, descendants=False):
        try:
            os.kill(pid, signal.SIGKILL)
        except OSError:
            continue
