"""roi.analysis.limits: one default sample count and one seed range, used by every command and
writer (the refusals themselves, one line per command, are cases of tests/corpus/)."""

from __future__ import annotations

import argparse
import inspect
import json

import pytest
from conftest import ROOT

from roi.analysis.limits import DEFAULT_SAMPLES, MAX_SEED
from roi.analysis.montecarlo import simulate
from roi.cli import _check_monte_carlo, build_parser
from roi.inputs.errors import UserError
from roi.report.charts_export import pitch_context
from roi.report.deckfile import deck_inputs
from roi.report.pack import make_pack

SAMPLED = ("simulate", "breakeven", "deck", "pack")
"""The commands whose --samples defaults to a Monte Carlo of DEFAULT_SAMPLES."""


def _defaults(command: str) -> argparse.Namespace:
    parser = build_parser()
    argv = {"pack": ["pack", "s.yaml", "--out", "d"]}.get(command, [command, "s.yaml"])
    return parser.parse_args(argv)


@pytest.mark.parametrize("command", SAMPLED)
def test_every_command_draws_the_default_samples(command: str) -> None:
    assert _defaults(command).samples == DEFAULT_SAMPLES


def test_every_writer_draws_the_default_samples() -> None:
    for function in (simulate, deck_inputs, make_pack, pitch_context):
        assert inspect.signature(function).parameters["samples"].default == DEFAULT_SAMPLES


def test_the_report_notebook_draws_the_default_samples() -> None:
    # A notebook's parameters are plain literals (papermill): the shared default is checked here.
    notebook = json.loads((ROOT / "notebooks" / "01-business-case.ipynb").read_text())
    (cell,) = [c for c in notebook["cells"] if "parameters" in c["metadata"].get("tags", [])]
    assert f"samples: int = {DEFAULT_SAMPLES} " in "".join(cell["source"])


@pytest.mark.parametrize("seed", [0, MAX_SEED, None])
def test_seeds_from_0_to_max_seed_pass(seed: int | None) -> None:
    _check_monte_carlo(argparse.Namespace(samples=1, seed=seed))


@pytest.mark.parametrize("seed", [-1, MAX_SEED + 1])
@pytest.mark.parametrize("sobol", [False, True])
def test_other_seeds_are_one_line_saying_the_range(seed: int, sobol: bool) -> None:
    with pytest.raises(UserError) as info:
        _check_monte_carlo(argparse.Namespace(samples=1024, seed=seed), sobol=sobol)
    assert str(info.value) == f"--seed: {seed} is out of range; allowed: 0 to 4294967295"


def test_samples_are_checked_against_the_commands_bounds() -> None:
    _check_monte_carlo(argparse.Namespace(samples=0, seed=0), 0, 10)
    _check_monte_carlo(argparse.Namespace(samples=None, seed=None), 1, 10)
    with pytest.raises(UserError, match=r"^--samples: 11 is out of range; allowed: a whole num"):
        _check_monte_carlo(argparse.Namespace(samples=11, seed=0), 0, 10, zero=" (none)")
    with pytest.raises(UserError, match="Sobol needs a power of 2"):
        _check_monte_carlo(argparse.Namespace(samples=1000, seed=0), sobol=True)
