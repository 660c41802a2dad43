"""Every chart of the report at slide sizes, in the pitch style, written as PNG and SVG.

:func:`pitch_figures` builds the report's charts (the same chart functions the report notebooks
call, on one :func:`roi.report.notebook.setup` context) under the pitch style sheet;
:func:`export_charts` writes each as ``<name>.png`` (exactly 2666 x 1500 px for ``slide``,
1333 x 1500 px for ``half``) and ``<name>.svg``, atomically. Nothing here computes money: the
charts read the evaluation, the Monte Carlo, the tornado and the sweeps.

Examples
--------
>>> sorted(SIZES)
['half', 'slide']
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from roi.analysis.limits import DEFAULT_SAMPLES
from roi.inputs.schema import Scenario
from roi.present.charts import PITCH_STYLE, SLIDE_SIZES, extra_style, slide_bytes
from roi.report.files import write_bytes_atomic
from roi.report.notebook import Context, analyse, setup

SIZES = tuple(SLIDE_SIZES)
"""Chart sizes ``roi charts --size`` knows."""
FORMATS = ("png", "svg")
"""Chart formats ``roi charts --format`` knows."""


CHART_SWEEPS = ("traffic", "spans", "mttr", "elasticity")
"""The sweeps the charts read."""


def pitch_context(
    scenario_path: str | Path,
    samples: int | None = DEFAULT_SAMPLES,
    seed: int = 0,
    scenario: Scenario | None = None,
) -> Context:
    """Everything the charts read: evaluation, Monte Carlo, NPV tornado and every sweep (of
    ``scenario`` when it is already loaded, else of the file)."""
    if scenario is None:
        return setup(
            str(Path(scenario_path).resolve()),
            samples=samples,
            seed=seed,
            sweeps=CHART_SWEEPS,
            tornado=True,
        )
    return analyse(
        scenario, Path(scenario_path), samples=samples, seed=seed, sweeps=CHART_SWEEPS, tornado=True
    )


def pitch_figures(ctx: Context, colours: Sequence[str] = ()) -> dict[str, Any]:
    """The report's charts of ``ctx`` by file name, built in the pitch style, the options in
    ``colours`` (brand colours, ``#RRGGBB``; see :func:`roi.present.charts.brand`) if any.

    A chart that does not apply to the scenario (no managed vendor, no latency section, flat
    traffic) is left out, as the report leaves it out.
    """
    from roi.present import sections
    from roi.present.charts import brand, business, uncertainty

    ev, focus, currency = ctx.evaluation, ctx.focus, ctx.currency
    traffic, mttr, spans = ctx.sweeps.traffic, ctx.sweeps.mttr, ctx.sweeps.spans
    managed = any(o.kind == "managed" for o in ev.options.values())
    builders: dict[str, Callable[[], Any]] = {
        "cumulative-net-cash": lambda: business.cumulative_net_cash(ev),
        "benefits": lambda: business.benefits_by_category(ev, focus),
        "cost-structure": lambda: business.cost_structure(ev),
    }
    if sections.compares_stacks(ev) and traffic is not None:
        builders["cumulative-cost"] = lambda: business.cumulative_cost(ev)
        builders["run-rate-vs-traffic"] = lambda: business.run_rate_vs_traffic(traffic)
        builders["lock-in"] = lambda: business.lock_in(ev)
        if sections.traffic_grows(ev):
            builders["bill-growth"] = lambda: business.bill_growth(ev)
    if ctx.simulation is not None:
        sim = ctx.simulation
        builders["npv-distribution"] = lambda: uncertainty.npv_distribution(sim, focus, currency)
        builders["cash-fan"] = lambda: uncertainty.cumulative_cash_fan(sim, currency)
    if ctx.tornado is not None and ctx.tornado.rows:
        builders["tornado"] = lambda: uncertainty.tornado_chart(ctx.tornado, currency)
    builders["incident-hours"] = lambda: business.incident_hours(ev)
    if mttr is not None:
        builders["mttr-breakeven"] = lambda: business.mttr_breakeven(mttr, focus)
    if ctx.scenario.latency is not None:
        builders["latency-waterfall"] = lambda: business.latency_waterfall(ev)
    if spans is not None:
        builders["start-lean"] = lambda: business.start_lean(spans, focus)
    if ctx.sweeps.elasticity:
        rows = ctx.sweeps.elasticity
        builders["elasticity-presets"] = lambda: business.elasticity_presets(rows, currency)
    if managed:
        builders["vendor-bill-components"] = lambda: business.vendor_bill_components(ev)
    with extra_style(PITCH_STYLE), brand(colours):
        return {name: build() for name, build in builders.items()}


def check_options(formats: Sequence[str], size: str) -> None:
    """Raise ValueError naming the flag when a format or the size is not known."""
    unknown = [f for f in formats if f not in FORMATS]
    if unknown or not formats:
        raise ValueError(
            f"--format: {','.join(unknown) or 'nothing'} is not allowed; allowed: png, svg or "
            "png,svg"
        )
    if size not in SIZES:
        raise ValueError(f"--size: {size!r} is not allowed; allowed: {', '.join(SIZES)}")


def export_charts(
    figures: dict[str, Any],
    out_dir: str | Path,
    formats: Sequence[str] = FORMATS,
    size: str = "slide",
    progress: Callable[[str], None] | None = None,
) -> list[Path]:
    """Write every figure as ``<out_dir>/<name>.<format>`` at the slide size; the files written.

    Parameters
    ----------
    figures : dict of str to Figure
        From :func:`pitch_figures`.
    out_dir : path
        Folder, created if missing.
    formats : sequence of {"png", "svg"}
        Formats to write.
    size : {"slide", "half"}
        2666 x 1500 px or 1333 x 1500 px (at 200 dpi).
    progress : callable, optional
        Called with each file's name after it is written.
    """
    check_options(formats, size)
    folder = Path(out_dir)
    written = []
    for name, fig in figures.items():
        for fmt in formats:
            path = folder / f"{name}.{fmt}"
            write_bytes_atomic(path, slide_bytes(fig, fmt, size))
            written.append(path)
            if progress is not None:
                progress(path.name)
    return written
