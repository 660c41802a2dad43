"""The report's opening: title with a one-sentence synopsis, the headline tiles and all options
side by side."""

from __future__ import annotations

import math
from typing import Any

from roi.analysis.decision import (
    NEAR_TIE_PROBABILITY,
    allowed_options,
    best_allowed,
    best_option,
    compare,
)
from roi.model import Evaluation
from roi.present.formatting import compact_money, horizon_text, months_text, percent
from roi.present.html import Html, block, esc, html_table, stylesheet
from roi.present.read import (
    SimulationLike,
    horizon_months,
    non_baseline,
    percentiles,
    samples_of,
    scalar,
    sim_option,
)
from roi.present.words import pct


def decision_sentence(evaluation: Evaluation, simulation: SimulationLike | None = None) -> str:
    """The decision in one sentence, by the one rule (:func:`roi.analysis.decision.best_option`):
    the recommended option only if it pays; "None of the options pays for itself" and why
    otherwise; a near-tie (:func:`roi.analysis.decision.compare`) said as such, with the chance
    that one beats the other, never as a decision."""
    cur = evaluation.scenario.currency
    best = best_option(evaluation)
    closest = best_allowed(evaluation)
    horizon = horizon_text(horizon_months(evaluation))
    tie = _near_tie(evaluation, simulation)
    if closest is None:
        return (
            "No tracing option is allowed under this scenario's policy: nothing is recommended "
            "until the gaps below are fixed."
        )
    if best == "do-nothing":
        o = evaluation.options[closest]
        sim = sim_option(simulation, closest)
        loss = (
            f" and loses money in {pct(scalar(sim.prob_npv_negative))} of simulated scenarios"
            if sim is not None
            else ""
        )
        return (
            f"None of the options pays for itself: the closest, {o.label}, has a risk-adjusted "
            f"net present value of {compact_money(scalar(o.kpis['npv']), cur)} over {horizon}"
            f"{loss}, so doing nothing is recommended until the numbers change."
        )
    o = evaluation.options[best]
    k = o.kpis
    payback = scalar(k["payback_months"])
    when = (
        f"pays back in {months_text(payback)}"
        if math.isfinite(payback)
        else "does not pay back within the horizon"
    )
    money_part = (
        f"net present value of {compact_money(scalar(k['npv']), cur)} over {horizon} (ROI "
        f"{percent(scalar(k['roi']))}) and {when}, risk-adjusted"
    )
    if tie is not None:
        return f"{tie} {o.label} leads with a {money_part}."
    sim = sim_option(simulation, best)
    loss = "" if sim is None else f"; chance of a loss {pct(scalar(sim.prob_npv_negative))}"
    return f"Recommended: {o.label}. It returns a {money_part}{loss}."


def _near_tie(evaluation: Evaluation, simulation: SimulationLike | None) -> str | None:
    """The near-tie between the two leading options in words; None when there is none (or no
    simulation to tell)."""
    if simulation is None:
        return None
    c = compare(evaluation, simulation)
    if c is None or not c.near_tie:
        return None
    cur = evaluation.scenario.currency
    a, b = _name(evaluation, c.leader), _name(evaluation, c.runner_up)
    share = abs(c.npv_gap / c.leader_npv) if c.leader_npv else math.inf
    gap = compact_money(c.npv_gap, cur) + (
        f" ({pct(round(share, 3))} of the leader's)" if math.isfinite(share) else ""
    )
    if c.prob_leader_beats < NEAR_TIE_PROBABILITY:
        why = "within their own uncertainty"
    else:
        why = "finer than list prices, volumes and labour estimates are precise"
    return (
        f"Near-tie: {a} beats {b} in {pct(round(c.prob_leader_beats, 3))} of simulated "
        f"scenarios, but their point NPVs differ by only {gap}, {why}. Choose between the two "
        "on the checklist, the lock-in and the quotes, not on this gap."
    )


def _name(evaluation: Evaluation, key: str) -> str:
    return "doing nothing" if key == "do-nothing" else evaluation.options[key].label


def title(
    evaluation: Evaluation, simulation: SimulationLike | None = None, kicker: str = ""
) -> Html:
    """Style sheet, title, the decision in one sentence (:func:`decision_sentence`) and the
    scenario's description."""
    s = evaluation.scenario
    h = kicker or "The business case for distributed tracing"
    return Html(
        stylesheet()
        + block(
            f'<p class="roi-muted">{esc(h)}</p>',
            f"<h1>{esc(s.name)}</h1>",
            f'<p class="roi-synopsis">{esc(decision_sentence(evaluation, simulation))}</p>',
            f'<p class="roi-muted">{esc(s.description)}</p>',
        )
    )


def _tile(label: str, value: str, range_text: str) -> str:
    return (
        f'<div class="roi-tile"><div class="roi-label">{esc(label)}</div>'
        f'<div class="roi-value">{esc(value)}</div>'
        f'<div class="roi-range">{esc(range_text)}</div></div>'
    )


def headline_tiles(
    evaluation: Evaluation, option_key: str | None = None, simulation: SimulationLike | None = None
) -> Html:
    """ROI, NPV, payback and PV of benefits of one option, each with its P10-P90 range."""
    key = option_key or best_option(evaluation)
    option = evaluation.options[key]
    cur = evaluation.scenario.currency
    k = option.kpis
    sim = sim_option(simulation, key)

    def rng(kpi: str, fmt: Any) -> str:
        if sim is None:
            return "point estimate (no simulation)"
        p10, _, p90 = percentiles(sim, kpi)
        low, high = fmt(p10), fmt(p90)
        return f"P10 and P90: {low}" if low == high else f"P10–P90: {low} to {high}"

    horizon = horizon_months(evaluation)

    def payback_fmt(v: float) -> str:
        return months_text(v) if math.isfinite(v) else f"> {horizon} months"

    def cm(v: float) -> str:
        return compact_money(v, cur)

    tiles = [
        _tile("ROI (risk-adjusted)", percent(scalar(k["roi"])), rng("roi", percent)),
        _tile("NPV (point estimate)", cm(scalar(k["npv"])), rng("npv", cm)),
        _tile(
            "Payback",
            payback_fmt(scalar(k["payback_months"])),
            rng("payback_months", payback_fmt),
        ),
        _tile("PV of benefits", cm(scalar(k["pv_benefits"])), rng("pv_benefits", cm)),
    ]
    caption = (
        f"{option.label}, {horizon_text(horizon)}, risk-adjusted; large figures are point "
        "estimates (every input at its median)"
    )
    if sim is not None:
        caption += f", ranges from {samples_of(sim):,} simulated scenarios"
    return block(
        f'<div class="roi-tiles">{"".join(tiles)}</div>',
        f'<p class="roi-muted">{esc(caption)}.</p>',
        point_and_median(evaluation, key, simulation),
    )


def point_and_median(
    evaluation: Evaluation, option_key: str, simulation: SimulationLike | None = None
) -> Html:
    """The NPV twice, each labelled: the point estimate (every input at its median) and the
    simulated median (P50), with P10-P90 and the chance of a loss. They differ when the model
    is not linear in its inputs or a range is skewed; the headline claims neither for the
    other."""
    option = evaluation.options[option_key]
    cur = evaluation.scenario.currency
    point = compact_money(scalar(option.kpis["npv"]), cur)
    sim = sim_option(simulation, option_key)
    if sim is None:
        return block(
            f"<p>NPV of {esc(option.label)}, <strong>point estimate</strong> (every input at "
            f"its median): <strong>{esc(point)}</strong>. No simulation, so no P50 or "
            "chance of a loss.</p>"
        )
    p10, p50, p90 = percentiles(sim, "npv")
    rows = [
        [
            esc(point),
            esc(compact_money(p50, cur)),
            esc(f"{compact_money(p10, cur)} to {compact_money(p90, cur)}"),
            esc(pct(scalar(sim.prob_npv_negative))),
        ]
    ]
    return block(
        f"<h3>NPV of {esc(option.label)}: point estimate and simulated median</h3>",
        html_table(
            [
                "Point estimate: every input at its median",
                "Simulated median, P50",
                "P10 to P90",
                "Chance of a loss",
            ],
            rows,
            [True, True, True, True],
        ),
    )


def options_table(evaluation: Evaluation, simulation: SimulationLike | None = None) -> Html:
    """Every option side by side, "Do nothing" first (NPV 0: today's incident and latency costs
    continue): NPV with its range and chance of a loss, ROI, payback, rollout and backend
    set-up, PV benefits and costs. The recommended option is marked only if it pays; below, the
    decision in one sentence (:func:`decision_sentence`), near-ties included."""
    cur = evaluation.scenario.currency
    best = best_option(evaluation)
    allowed = set(allowed_options(evaluation))
    tie = _near_tie(evaluation, simulation) is not None
    dash = "–"
    nothing = evaluation.options["do-nothing"]
    rows = [
        [
            f"{esc(nothing.label)}<br>"
            '<span class="roi-muted">today\'s incident and latency costs continue</span>',
            esc(compact_money(scalar(nothing.kpis["npv"]), cur)),
            dash,
            dash,
            dash,
            dash,
            dash,
            dash,
            dash,
        ]
    ]
    classes = [""]
    for option in non_baseline(evaluation):
        k = option.kpis
        sim = sim_option(simulation, option.key)
        if sim is not None:
            p10, _, p90 = percentiles(sim, "npv")
            npv_range = f"{compact_money(p10, cur)} to {compact_money(p90, cur)}"
            loss = pct(scalar(sim.prob_npv_negative))
        else:
            npv_range, loss = "n/a", "n/a"
        name = esc(option.label)
        if option.key == best:
            mark = "leads, near-tie" if tie else "recommended"
            name += f" <strong>({mark})</strong>"
        elif option.key not in allowed:
            name += '<br><span class="roi-muted">ruled out by policy</span>'
        f = option.figures
        rows.append(
            [
                name,
                esc(compact_money(scalar(k["npv"]), cur)),
                esc(npv_range),
                esc(loss),
                esc(percent(scalar(k["roi"]))),
                esc(months_text(scalar(k["payback_months"]))),
                esc(
                    f"{months_text(scalar(f['rollout_months']))} / "
                    f"{_weeks(scalar(f['backend_setup_weeks']))}"
                ),
                esc(compact_money(scalar(k["pv_benefits"]), cur)),
                esc(compact_money(scalar(k["pv_costs"]), cur)),
            ]
        )
        classes.append("roi-best" if option.key == best else "")
    table = html_table(
        [
            "Option",
            "NPV (point estimate)",
            "NPV P10 to P90",
            "Chance of loss",
            "ROI",
            "Payback",
            "Rollout / backend set-up",
            "PV benefits",
            "PV costs",
        ],
        rows,
        [False, True, True, True, True, True, True, True, True],
        classes,
        # The option's name needs room; the numbers are short.
        widths=[17, 9, 15, 8, 8, 10, 15, 9, 9],
        cls="roi-options",
    )
    caption = (
        "Risk-adjusted. Every option instruments the same services at the same pace over the "
        "rollout; only the backend's own set-up differs (the self-run stack's installation "
        "against a vendor's onboarding)."
    )
    return block(
        "<h3>All options compared</h3>",
        table,
        f'<p class="roi-muted">{esc(caption)}</p>',
        f"<p><strong>{esc(decision_sentence(evaluation, simulation))}</strong></p>",
    )


def _weeks(weeks: float) -> str:
    """A set-up time in weeks for people: ``1 week``, ``2.3 weeks``.

    >>> _weeks(1.0), _weeks(2.3333), _weeks(3.0)
    ('1 week', '2.3 weeks', '3 weeks')
    """
    if not math.isfinite(weeks):
        return "n/a"
    text = f"{weeks:.1f}".rstrip("0").rstrip(".")
    return f"{text} week" + ("" if text == "1" else "s")
