"""What the report notebooks call: one :func:`setup` (load, evaluate, simulate if asked, sweeps,
tornado, the breakeven table), and the files a notebook writes into its ``output_dir`` (charts
under ``charts/`` and ``summary.json``).

A notebook's cells then only present: ``ctx = setup(...)``, sections of
:mod:`roi.present.sections` and charts of :mod:`roi.present.charts`, ``ctx.chart(fig, name)``
and ``ctx.write_summary()`` at the end.

Examples
--------
>>> ctx = setup("data_samples/scenarios/seed-article.yaml")
>>> ctx.focus, ctx.simulation is None, ctx.sweeps.mttr is None, ctx.breakeven is None
('datadog', True, True, True)
"""

from __future__ import annotations

import base64
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypedDict, Unpack

from roi.analysis.decision import focus_option
from roi.analysis.sweeps import Sweeps, run_sweeps
from roi.inputs.scenario import load_scenario
from roi.inputs.schema import Scenario
from roi.model import Evaluation, evaluate
from roi.present.html import esc
from roi.report.files import write_bytes_atomic
from roi.report.summary import build_summary, write_summary

CHARTS_DIR = "charts"
"""Folder of ``output_dir`` the charts are saved in."""
INLINE_DPI = 150
"""[dots/inch] Resolution of a chart shown inline and not saved."""
_CHART_NAME = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")
NOTEBOOKS_DIR = Path(__file__).resolve().parents[2] / "notebooks"
"""The repository's ``notebooks/`` folder (exists in a source checkout)."""


def scenario_file(scenario_path: str) -> Path:
    """The scenario file a notebook parameter names.

    An absolute path is used as is; a relative one is resolved against the repository's
    ``notebooks/`` folder (where the notebooks live, as when run standalone in JupyterLab), then
    against the working directory.
    """
    p = Path(scenario_path).expanduser()
    if p.is_absolute():
        return p
    for base in (NOTEBOOKS_DIR, Path.cwd()):
        candidate = (base / p).resolve()
        if candidate.exists():
            return candidate
    return (NOTEBOOKS_DIR / p).resolve()


REPORT_DPI = 150
"""[dot/inch] Report charts: an 8-inch chart is 1,200 px wide, sharp on screen and in print,
and keeps a report folder within 2 MB (slide-size charts come from ``roi charts``)."""


def save_chart(fig: Any, charts_dir: str | Path, name: str) -> tuple[Path, Path]:
    """Write ``fig`` as ``<charts_dir>/<name>.png`` (:data:`REPORT_DPI`) and ``.svg``, each
    atomically.

    ``name`` is a slug (lower-case letters, digits, ``-`` and ``_``), so files stay inside
    ``charts_dir``.
    """
    from roi.present.charts import render

    if not _CHART_NAME.match(name):
        raise ValueError(
            f"chart name {name!r}: use lower-case letters, digits, '-' and '_' (at most 64)"
        )
    folder = Path(charts_dir)
    png, svg = folder / f"{name}.png", folder / f"{name}.svg"
    write_bytes_atomic(png, render(fig, "png", dpi=REPORT_DPI))
    write_bytes_atomic(svg, render(fig, "svg"))
    return png, svg


def save_charts(figures: Mapping[str, Any], charts_dir: str | Path) -> list[Path]:
    """Save several figures by name; returns every file written."""
    out: list[Path] = []
    for name, fig in figures.items():
        out.extend(save_chart(fig, charts_dir, name))
    return out


@dataclass(frozen=True)
class Chart:
    """A rendered chart for display: an inline PNG (no external file) with its title as alt."""

    png: bytes
    alt: str

    def _repr_html_(self) -> str:
        data = base64.b64encode(self.png).decode("ascii")
        return (
            f'<div class="roi"><figure><img alt="{esc(self.alt)}" '
            f'src="data:image/png;base64,{data}"></figure></div>'
        )


def chart(fig: Any, name: str, output_dir: str = "") -> Chart:
    """Display ``fig`` inline; with an ``output_dir`` also save it under ``charts/``."""
    from roi.present.charts import render, title_of

    if output_dir:
        png, _ = save_chart(fig, Path(output_dir) / CHARTS_DIR, name)
        data = png.read_bytes()
    else:
        data = render(fig, "png", INLINE_DPI)
    return Chart(data, title_of(fig))


@dataclass(frozen=True)
class Context:
    """Everything a report notebook presents, computed once by :func:`setup`."""

    scenario_file: Path
    scenario: Scenario
    evaluation: Evaluation
    simulation: Any
    """The Monte Carlo (:class:`roi.analysis.montecarlo.Simulation`), None unless asked for."""
    sweeps: Sweeps
    tornado: Any
    """The NPV tornado of the focus option (:class:`roi.analysis.sensitivity.Tornado`), None
    unless asked for."""
    breakeven: Any
    """What would flip the decision (:class:`roi.analysis.breakeven.Breakeven`) of the focus
    option, its EVPI from :attr:`simulation`; None unless asked for."""
    focus: str
    """The option the report is about (:func:`roi.analysis.decision.focus_option`)."""
    output_dir: str
    samples: int | None
    seed: int | None

    @property
    def currency(self) -> str:
        return self.scenario.currency

    def chart(self, fig: Any, name: str) -> Chart:
        """Display ``fig``; saved under ``output_dir/charts/`` when there is an output_dir."""
        return chart(fig, name, self.output_dir)

    def summary(self) -> dict[str, Any]:
        """The ``summary.json`` document of this report."""
        return build_summary(
            self.evaluation, self.simulation, str(self.scenario_file), self.samples, self.seed
        )

    def write_summary(self) -> Path | None:
        """Write ``summary.json`` into ``output_dir`` (nothing without one)."""
        return write_summary(self.output_dir, self.summary())


class Analyses(TypedDict, total=False):
    """What to compute besides the evaluation (the keywords of :func:`analyse`)."""

    samples: int | None
    seed: int | None
    sweeps: Sequence[str]
    tornado: bool
    breakeven: bool


def setup(scenario_path: str, output_dir: str = "", **analyses: Unpack[Analyses]) -> Context:
    """Load and evaluate a report notebook's scenario, and compute what the notebook shows.

    Parameters
    ----------
    scenario_path : str
        The ``scenario_path`` parameter (see :func:`scenario_file`).
    output_dir : str
        Where charts and ``summary.json`` go; empty writes nothing.
    **analyses
        ``samples``, ``seed``, ``sweeps``, ``tornado``, ``breakeven``: what to compute besides
        the evaluation; see :func:`analyse`.
    """
    path = scenario_file(scenario_path)
    return analyse(load_scenario(path), path, output_dir, **analyses)


def analyse(
    scenario: Scenario,
    path: Path,
    output_dir: str = "",
    *,
    samples: int | None = None,
    seed: int | None = None,
    sweeps: Sequence[str] = (),
    tornado: bool = False,
    breakeven: bool = False,
) -> Context:
    """Evaluate a loaded scenario once and compute the analyses asked for, as one
    :class:`Context` (what :func:`setup` gives a notebook, and what ``roi pack`` hands to every
    writer).

    Parameters
    ----------
    scenario : Scenario
        Loaded and validated.
    path : Path
        Its file (named in the summary).
    output_dir : str
        Where charts and ``summary.json`` go; empty writes nothing.
    samples, seed : int, optional
        Run a Monte Carlo of ``samples`` draws with ``seed``; without ``samples`` there is no
        simulation (point estimates only) and the summary has no ranges.
    sweeps : sequence of str
        Sweeps to compute, of :data:`roi.analysis.sweeps.SWEEPS`.
    tornado : bool
        Compute the NPV tornado of the focus option.
    breakeven : bool
        Compute what would flip the decision (flip values of every ranged input), with the EVPI
        from the same Monte Carlo (run with ``keep_draws=True``); without ``samples``, the flip
        values alone (no EVPI; rows ordered by the nearest flip).

    The tornado and the breakeven are of the focus option; with no option but doing nothing
    there is none of either.
    """
    evaluation = evaluate(scenario)
    focus = focus_option(evaluation)
    simulation = None
    if samples is not None:
        from roi.analysis.montecarlo import simulate

        simulation = simulate(scenario, samples=samples, seed=seed, keep_draws=breakeven)
    real = focus != "do-nothing"
    ranking = None
    if tornado and real:
        from roi.analysis.sensitivity import tornado as npv_tornado

        ranking = npv_tornado(scenario, "npv", focus)
    flips = None
    if breakeven and real:
        from roi.analysis.breakeven import breakeven as flip_table

        flips = flip_table(scenario, focus, samples=0, simulation=simulation)
    return Context(
        scenario_file=path,
        scenario=scenario,
        evaluation=evaluation,
        simulation=simulation,
        sweeps=run_sweeps(scenario, sweeps),
        tornado=ranking,
        breakeven=flips,
        focus=focus,
        output_dir=output_dir,
        samples=samples,
        seed=seed if samples is not None else None,
    )
