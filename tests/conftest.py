"""Shared fixtures: where the shipped data lives, and a way to run the command line in-process."""

from __future__ import annotations

import contextlib
import copy
import io
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from roi.inputs.schema import Scenario

ROOT = Path(__file__).resolve().parent.parent
SCENARIOS_DIR = ROOT / "data_samples" / "scenarios"
SEED = SCENARIOS_DIR / "seed-article.yaml"
SHIPPED_SCENARIOS = sorted(SCENARIOS_DIR.glob("*.yaml"))

RunCli = Callable[..., tuple[int, str, str]]


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


@pytest.fixture(autouse=True)
def allow_extending_the_shipped_scenarios(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests write scenarios in a temporary folder that ``extends:`` a shipped one by absolute
    path; that folder is outside the shipped one, so it is allowed explicitly, as a user would
    with ``--allow-extends`` (tests of the refusal remove it with ``monkeypatch.delenv``)."""
    from roi.inputs.scenario import ALLOW_EXTENDS_ENV

    monkeypatch.setenv(ALLOW_EXTENDS_ENV, str(SCENARIOS_DIR))


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


def scenario_from(path: Path, edits: dict[str, Any]) -> Scenario:
    """A shipped scenario with fields replaced: ``{"finance.discount_rate": {...}}``."""
    from roi.inputs.scenario import resolve, validate

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
    return validate(data, f"{path.name} (edited)")


def point_only(path: Path) -> Scenario:
    """A shipped scenario with every range replaced by its median (a point)."""
    from roi.inputs.parameters import ranged_parameters

    s = scenario_from(path, {})
    edits: dict[str, Any] = {}
    for p, q in ranged_parameters(s).items():
        edits[p] = {"value": q.value, "unit": q.unit}
    return scenario_from(path, edits)
