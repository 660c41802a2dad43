"""Self-run or managed: the article's decision checklist with the crossovers, and why a
scenario has no such comparison."""

from __future__ import annotations

import math

from roi.analysis.decision import decision_aid
from roi.model import Evaluation
from roi.present.formatting import number
from roi.present.html import Html, block, esc, html_table, note
from roi.present.read import horizon_months


def decision_checklist(evaluation: Evaluation) -> Html:
    """The article's criteria, the scenario's answers and which side each favours."""
    aid = decision_aid(evaluation)
    rows = []
    for c in aid.criteria:
        answer = {True: "Yes", False: "No", None: "Unknown"}[c.answer]
        rows.append([esc(c.question), esc(answer), esc(c.favours or "neither")])
    table = html_table(["Question", "Answer", "Favours"], rows)
    crossings = []
    for x in aid.crossovers:
        vendor = evaluation.options[x.vendor].label
        when = (
            f"from month {x.month:.0f}"
            if math.isfinite(x.month) and x.month > 0
            else "from the start"
            if x.month == 0
            else f"not within {horizon_months(evaluation)} months"
        )
        traffic = (
            f"its monthly run rate is lower from {x.traffic_multiple:.2g}× today's traffic "
            f"({number(x.requests_per_month)} requests a month)"
            if math.isfinite(x.traffic_multiple)
            else "its run rate stays higher at every traffic level searched (up to 1000×)"
        )
        crossings.append(
            f"<li>Against {esc(vendor)}: self-run is cheaper in cumulative cost {esc(when)}; "
            f"{esc(traffic)}.</li>"
        )
    cross = f"<ul>{''.join(crossings)}</ul>" if crossings else ""
    return block(
        "<h2>Decision checklist: self-run or managed</h2>",
        f"<p>{esc(aid.recommendation)}</p>",
        table,
        cross,
    )


def stacks_note(evaluation: Evaluation) -> Html:
    """Why there is no self-run against managed comparison in this scenario."""
    s = evaluation.scenario
    if "self-run" not in evaluation.options:
        return note("Only managed vendors are evaluated (the self-run stack is switched off).")
    if s.decision.no_saas_policy:
        return note(
            "Only the self-run stack is evaluated: a no-SaaS / data-sovereignty policy rules out "
            "managed vendors, so there is no crossover to show."
        )
    return note("No managed vendor is listed, so only the self-run stack is evaluated.")
