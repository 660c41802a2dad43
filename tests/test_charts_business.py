"""roi.present.charts.business: every chart is a Figure built without pyplot, titled with its
finding,
with labelled axes (money axes name the currency) and only Okabe-Ito colours."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest
from conftest import SCENARIOS_DIR, SEED, SHIPPED_SCENARIOS
from matplotlib.colors import to_hex
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

from roi.analysis import sweeps
from roi.analysis.decision import crossovers, focus_option
from roi.inputs.scenario import load_scenario
from roi.model import Evaluation, evaluate
from roi.present.charts import OKABE_ITO, business
from roi.present.read import benefit_rows

MIDSIZE = SCENARIOS_DIR / "ecommerce-midsize.yaml"
FINTECH = SCENARIOS_DIR / "fintech-regulated.yaml"
PALETTE = {c.lower() for c in OKABE_ITO.values()}


def _ev(path: Path) -> Evaluation:
    return evaluate(load_scenario(path))


def _charts(path: Path) -> dict[str, tuple[Callable[[], Figure], bool]]:
    """Every chart that applies to the scenario, and whether it has a money axis."""
    s = load_scenario(path)
    ev = evaluate(s)
    focus = focus_option(ev)
    out: dict[str, tuple[Callable[[], Figure], bool]] = {
        "benefits": (lambda: business.benefits_by_category(ev, focus), True),
        "costs": (lambda: business.cost_structure(ev), True),
        "cumulative_cost": (lambda: business.cumulative_cost(ev), True),
        "run_rate": (lambda: business.run_rate_vs_traffic(sweeps.traffic_sweep(s)), True),
        "net_cash": (lambda: business.cumulative_net_cash(ev), True),
        "incident_hours": (lambda: business.incident_hours(ev), False),
        "start_lean": (lambda: business.start_lean(sweeps.spans_sweep(s), focus), True),
        "mttr": (lambda: business.mttr_breakeven(sweeps.mttr_sweep(s), focus), True),
    }
    if s.latency is not None:
        out["waterfall"] = (lambda: business.latency_waterfall(ev), False)
        out["elasticity"] = (
            lambda: business.elasticity_presets(sweeps.elasticity_comparison(s), s.currency),
            True,
        )
    if any(o.kind == "managed" for o in ev.options.values()):
        out["bill"] = (lambda: business.vendor_bill_components(ev), True)
        out["lock_in"] = (lambda: business.lock_in(ev), True)
        out["bill_growth"] = (lambda: business.bill_growth(ev), False)
    return out


CASES = [(path, name) for path in SHIPPED_SCENARIOS for name in _charts(path)]


def _colours(fig: Figure) -> set[str]:
    """Colours of every data artist: lines, bars, markers, annotation text."""
    found: set[str] = set()
    for ax in fig.axes:
        for line in ax.get_lines():
            found.add(to_hex(line.get_color()))
            if line.get_marker() not in (None, "None", ""):
                found.add(to_hex(line.get_markerfacecolor()))
        for patch in ax.patches:
            if isinstance(patch, Rectangle) and patch.get_visible():
                found.add(to_hex(patch.get_facecolor()))
        for coll in ax.collections:
            for c in np.atleast_2d(coll.get_facecolor()):
                found.add(to_hex(c))
        for text in ax.texts:
            found.add(to_hex(text.get_color()))
    return found


@pytest.mark.parametrize(("path", "name"), CASES, ids=[f"{p.stem}-{n}" for p, n in CASES])
def test_chart_is_a_labelled_figure_in_the_palette(path: Path, name: str) -> None:
    build, money = _charts(path)[name]
    fig = build()
    assert isinstance(fig, Figure)
    assert fig.canvas.manager is None  # not registered with pyplot
    title = fig.get_suptitle()
    assert title
    assert len(title) <= 80
    currency = load_scenario(path).currency
    axes = [ax for ax in fig.axes if ax.axison]
    assert axes
    for ax in axes:
        assert ax.get_xlabel() or ax.get_ylabel() or ax.get_yticklabels()
    labels = " ".join(ax.get_xlabel() + " " + ax.get_ylabel() for ax in axes)
    if money:
        assert f"({currency})" in labels
    else:
        assert "(" in labels  # a unit: h/year, ms, index month
    assert _colours(fig) <= PALETTE, _colours(fig) - PALETTE


def test_money_ticks_use_the_currency_symbol() -> None:
    fig = business.cost_structure(_ev(FINTECH))
    fig.canvas.draw()
    ticks = [t.get_text() for t in fig.axes[0].get_xticklabels()]
    assert any(t.startswith("€") for t in ticks)
    assert not any("$" in t for t in ticks)


def test_titles_state_the_findings() -> None:
    mid = _ev(MIDSIZE)
    x = {c.vendor: c for c in crossovers(mid)}
    # The first month from which self-run's cumulative cost stays below Datadog's, by hand.
    gap = np.cumsum(mid.options["datadog"].costs - mid.options["self-run"].costs)
    month = int(np.argmax(gap >= 0))
    assert (gap[month:] >= 0).all()
    assert 0 < month < 36
    assert x["datadog"].month == month
    assert business.cumulative_cost(mid).get_suptitle() == (
        f"Self-run becomes cheaper than Datadog APM in month {month}"
    )
    seed = _ev(SEED)
    assert business.cumulative_cost(seed).get_suptitle() == (
        "Self-run stays dearer than Datadog APM over 36 months"
    )
    # Seed: Sev-1 MTTR 4.3 h -> 47 min, 2 a month: 103.2 -> 18.8 hours a year.
    assert business.incident_hours(seed).get_suptitle() == (
        "Tracing cuts incident hours from 103 to 19 a year"
    )
    assert business.latency_waterfall(seed).get_suptitle() == (
        "Checkout P95: 3,200 → 890 ms; instrumentation adds 40 ms"
    )
    assert business.lock_in(seed).get_suptitle() == (
        "Leaving a vendor costs 30× more with a proprietary SDK"
    )
    fintech = _ev(FINTECH)
    assert (
        "does not pay back within 36 months" in business.cumulative_net_cash(fintech).get_suptitle()
    )


def test_benefits_chart_ranks_bars_and_shares_add_up() -> None:
    ev = _ev(MIDSIZE)
    fig = business.benefits_by_category(ev, "honeycomb")
    ax = fig.axes[0]
    widths = [p.get_width() for p in ax.patches]
    assert widths == sorted(widths)  # largest at the top
    rows = benefit_rows(ev, "honeycomb")
    assert sum(widths) == pytest.approx(sum(pv for _, pv in rows if pv > 0))
    groups: dict[str, float] = {}
    for line, pv in rows:
        groups[line.group] = groups.get(line.group, 0.0) + pv
    latency = round(100 * groups["Latency and conversion"] / sum(groups.values()))
    assert f"{latency} % from latency, {100 - latency} % from incidents" in fig.get_suptitle()


def test_waterfall_steps_add_up() -> None:
    fig = business.latency_waterfall(_ev(MIDSIZE))
    bars = fig.axes[0].patches
    before, fixes, overhead, after = (b.get_height() for b in bars)
    # Target 1,400 ms (overhead not in it) plus 35 spans x 0.02 ms.
    assert before == 1900
    assert overhead == pytest.approx(0.7)
    assert after == pytest.approx(1400.7)
    assert before - fixes + overhead == pytest.approx(after)


def test_not_applicable_charts_say_so() -> None:
    fintech = _ev(FINTECH)
    for fig in (
        business.vendor_bill_components(fintech),
        business.lock_in(fintech),
        business.bill_growth(fintech),
        business.latency_waterfall(fintech),
        business.elasticity_presets([], "EUR"),
    ):
        assert fig.get_suptitle().startswith("No ")
        assert not fig.axes[0].axison


def test_charts_module_does_not_use_pyplot() -> None:
    code = (
        "import sys\n"
        "from roi.inputs.scenario import load_scenario\n"
        "from roi.model import evaluate\n"
        "from roi.present.charts import business\n"
        f"business.cumulative_net_cash(evaluate(load_scenario({str(SEED)!r})))\n"
        "print('matplotlib.pyplot' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_import_roi_does_not_import_matplotlib() -> None:
    code = "import sys, roi; print('matplotlib' in sys.modules, 'ipywidgets' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False False"


def test_bill_growth_names_the_reason_a_bill_outgrows_traffic() -> None:
    from conftest import SCENARIOS_DIR, scenario_from

    path = SCENARIOS_DIR / "ecommerce-midsize.yaml"
    ev = evaluate(load_scenario(path))
    title, reason = business.bill_growth_title(ev)
    ratio = float(ev.options["grafana-cloud"].figures["bill_growth_vs_traffic"])
    assert title == f"Grafana Cloud Traces and Honeycomb bills grow {ratio:.2f}× as fast as traffic"
    assert reason.startswith("Because spans per request grow 1 %/month: GB ingested and M events")
    assert "Datadog APM, AWS X-Ray grow with traffic alone" in reason
    fig = business.bill_growth(ev)
    assert fig.get_suptitle() == title
    assert "spans per request" in fig.axes[0].get_title(loc="left")
    flat_depth = scenario_from(path, {"timeline.span_depth_growth_per_month": {"value": 0}})
    title, _ = business.bill_growth_title(evaluate(flat_depth))
    assert title == "Every vendor's bill grows with traffic alone"
