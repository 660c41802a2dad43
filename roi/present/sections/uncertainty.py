"""How sure the case is: the Monte Carlo's P10/P50/P90 and chances, and the assumptions that move
the NPV most (the tornado)."""

from __future__ import annotations

import math
from typing import Any

from roi.analysis.decision import best_option
from roi.analysis.sampling import ranged_inputs as sampled_ranges
from roi.model import Evaluation
from roi.present.formatting import compact_money
from roi.present.html import Html, block, esc, note
from roi.present.read import SimulationLike, percentiles, samples_of, scalar, sim_option
from roi.present.words import pct, quantity_text, readable_path


def uncertainty_text(
    evaluation: Evaluation, simulation: SimulationLike, option_key: str | None = None
) -> Html:
    """P10/P50/P90 of NPV, the chance of a loss and of payback within 12 months."""
    key = option_key or best_option(evaluation)
    sim = sim_option(simulation, key)
    cur = evaluation.scenario.currency
    if sim is None:
        return note("No simulation of this option.")
    p10, p50, p90 = percentiles(sim, "npv")
    n = samples_of(sim)
    spread = p90 - p10
    parts = [
        f"<p>Across {n:,} simulated scenarios, the NPV of {esc(evaluation.options[key].label)} "
        f"is {esc(compact_money(p10, cur))} at P10, {esc(compact_money(p50, cur))} at P50 and "
        f"{esc(compact_money(p90, cur))} at P90. Chance of a loss (NPV below zero): "
        f"<strong>{esc(pct(scalar(sim.prob_npv_negative)))}</strong>. Chance of paying back within "
        f"12 months: <strong>{esc(pct(scalar(sim.prob_payback_within_12_months)))}</strong>.</p>"
    ]
    ranged = ranged_inputs(evaluation)
    if not ranged:
        parts.append(
            '<div class="roi-note">Every assumption is a single value, so the simulation has no '
            "spread. Give the uncertain ones as ranges (<code>{low, high}</code>, a 90 % "
            "interval) to see how sure the case is.</div>"
        )
    elif spread == 0:
        parts.append(
            '<div class="roi-note">None of the ranged assumptions moves this option\'s NPV, so '
            "its simulation has no spread.</div>"
        )
    else:
        parts.append(
            f'<p class="roi-muted">{len(ranged)} assumptions are ranges: '
            f"{esc('; '.join(readable_path(p, evaluation.scenario) for p in ranged))}.</p>"
        )
    return block(*parts)


def ranged_inputs(evaluation: Evaluation) -> list[str]:
    """Paths of the assumptions given as a range (zero-width ranges left out)."""
    return [i.path for i in sampled_ranges(evaluation.scenario)]


def tornado_text(tornado: Any, currency: str) -> Html:
    """The assumptions that move the NPV most, in words."""
    every = list(getattr(tornado, "rows", []))
    rows = [r for r in every if r.swing and math.isfinite(r.swing)]
    if not every:
        return note(
            "No assumption is given as a range, so there is nothing to rank. Give ranges "
            "({low, high}) for the numbers you are unsure of."
        )
    if not rows:
        return note("None of the ranged assumptions moves the NPV of this option.")
    items = []
    for r in rows[:3]:
        items.append(
            f"<li><strong>{esc(r.label)}</strong>: from "
            f"{esc(quantity_text(r.low, r.unit, currency))} to "
            f"{esc(quantity_text(r.high, r.unit, currency))} moves the NPV by "
            f"{esc(compact_money(abs(r.swing), currency))}.</li>"
        )
    return block("<p>What matters most:</p>", f"<ol>{''.join(items)}</ol>")
