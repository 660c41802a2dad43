"""roi.present.charts.uncertainty: NPV distribution, cumulative-cash fan and tornado figures."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest
from conftest import SCENARIOS_DIR, SEED
from matplotlib.figure import Figure

from roi.analysis.montecarlo import Simulation, simulate
from roi.analysis.sensitivity import tornado
from roi.inputs.scenario import load_scenario
from roi.present.charts.uncertainty import (
    cumulative_cash_fan,
    npv_distribution,
    short_label,
    tornado_chart,
)

ECOMMERCE = SCENARIOS_DIR / "ecommerce-midsize.yaml"
FINTECH = SCENARIOS_DIR / "fintech-regulated.yaml"


@pytest.fixture(scope="module")
def sim() -> Simulation:
    return simulate(load_scenario(ECOMMERCE), samples=4000, seed=0)


@pytest.fixture(scope="module")
def fintech_sim() -> Simulation:
    return simulate(load_scenario(FINTECH), samples=4000, seed=0)


def _texts(fig: Figure) -> str:
    parts = [t.get_text() for t in fig.texts]
    if fig._suptitle is not None:
        parts.append(fig._suptitle.get_text())
    for ax in fig.axes:
        parts += [ax.get_title(), ax.get_title("left"), ax.get_xlabel(), ax.get_ylabel()]
        parts += [t.get_text() for t in ax.texts]
        parts += [t.get_text() for t in ax.get_xticklabels()]
        legend = ax.get_legend()
        if legend is not None:
            parts += [t.get_text() for t in legend.get_texts()]
    for legend in fig.legends:
        parts += [t.get_text() for t in legend.get_texts()]
    return "\n".join(parts)


def test_no_pyplot_state(sim: Simulation) -> None:
    import matplotlib.pyplot as plt

    before = plt.get_fignums()
    npv_distribution(sim, "self-run", "USD")
    cumulative_cash_fan(sim, "USD")
    tornado_chart(tornado(load_scenario(ECOMMERCE)), "USD")
    assert plt.get_fignums() == before


def test_npv_distribution_marks_the_percentiles(sim: Simulation, tmp_path: Path) -> None:
    fig = npv_distribution(sim, "datadog", "USD")
    assert isinstance(fig, Figure)
    ax = fig.axes[0]
    s = sim.options["datadog"].summary()["npv"]
    vertical = sorted(
        float(line.get_xdata()[0]) for line in ax.lines if len(set(line.get_xdata())) == 1
    )
    for p in ("p10", "p50", "p90"):
        assert any(v == pytest.approx(s[p]) for v in vertical), p
    text = _texts(fig)
    assert "(USD, risk-adjusted)" in text
    assert re.search(r"P10 -?\$", text)
    assert re.search(r"P90 -?\$", text)
    # Bars: percent of samples inside the 0.5th-99.5th percentile window (99 %).
    heights = [patch.get_height() for patch in ax.patches]
    assert sum(heights) == pytest.approx(99.0, abs=0.2)
    fig.savefig(tmp_path / "npv.png")
    assert (tmp_path / "npv.png").stat().st_size > 10_000


def test_npv_distribution_shows_the_loss_side(fintech_sim: Simulation) -> None:
    fig = npv_distribution(fintech_sim, "self-run", "EUR")
    text = _texts(fig)
    prob = fintech_sim.options["self-run"].prob_npv_negative
    assert 0 < prob < 1
    assert f"{prob * 100:.1f} %" in text
    assert "break-even" in text
    assert "€" in text


def test_fan_has_one_panel_per_option_with_the_percentile_band(sim: Simulation) -> None:
    fig = cumulative_cash_fan(sim, "USD", options=["self-run", "honeycomb"])
    panels = [ax for ax in fig.axes if ax.get_visible()]
    assert [ax.get_title("left") for ax in panels] == ["Self-run", "Honeycomb"]
    p50 = sim.options["honeycomb"].cumulative_net_percentiles[1]
    medians = [
        line
        for line in panels[1].lines
        if len(line.get_ydata()) == p50.size and np.allclose(line.get_ydata(), p50)
    ]
    assert medians
    assert "Cumulative net cash (USD, risk-adjusted)" in _texts(fig)


def test_fan_all_options_and_errors(sim: Simulation) -> None:
    fig = cumulative_cash_fan(sim, "USD")
    assert len([ax for ax in fig.axes if ax.get_visible()]) == len(sim.options) + 1  # + legend
    with pytest.raises(KeyError, match="nope"):
        cumulative_cash_fan(sim, "USD", options=["nope"])


def test_tornado_chart_orders_bars_and_names_the_driver() -> None:
    t = tornado(load_scenario(ECOMMERCE), option="self-run")
    fig = tornado_chart(t, "USD", max_rows=12)
    ax = fig.axes[0]
    labels = dict(
        zip(ax.get_yticks(), (tick.get_text() for tick in ax.get_yticklabels()), strict=True)
    )
    moving = [r for r in t.rows if r.swing > 0]
    assert len(moving) > 12
    assert len(labels) == 12  # the twelve largest swings
    assert labels[max(labels)].startswith(moving[0].label)  # largest swing at the top
    assert labels[min(labels)].startswith(moving[11].label)
    assert f"{moving[0].label.split(' (')[0]} moves NPV most" in _texts(fig)
    assert f"{len(moving) - 12} smaller swings not shown" in _texts(fig)


def test_tornado_chart_payback_never() -> None:
    t = tornado(load_scenario(FINTECH), metric="payback_months")
    fig = tornado_chart(t, "EUR")
    text = _texts(fig)
    assert "never" in text
    assert "Payback (months)" in text


def test_tornado_chart_roi_and_seed(tmp_path: Path) -> None:
    t = tornado(load_scenario(SEED), metric="roi")
    fig = tornado_chart(t, "USD")
    assert fig.axes[0].get_xlabel() == "ROI (%)"
    fig.savefig(tmp_path / "t.png")


def test_short_label() -> None:
    assert short_label("Datadog APM (annual)") == "Datadog APM"
    assert short_label("AWS X-Ray") == "AWS X-Ray"
