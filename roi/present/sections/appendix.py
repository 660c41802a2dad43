"""The report's back matter: every assumption evaluated, the references behind them and the
methods."""

from __future__ import annotations

from roi.inputs.references import REFERENCES
from roi.model import Evaluation
from roi.present.html import Html, block, esc, html_table
from roi.present.read import horizon_months, input_point
from roi.present.words import (
    given_text,
    pct,
    quantity_text,
    range_text,
    readable_path,
    short_source_text,
)


def assumptions_appendix(evaluation: Evaluation) -> Html:
    """Every number used: name in words, value with unit, range, as given, source, note.

    Values and sources are those evaluated (``Evaluation.inputs``): an override shows."""
    s = evaluation.scenario
    cur = s.currency
    rows = []
    numbers = {key: k for k, key in enumerate(references_used(evaluation), start=1)}
    for path, item in evaluation.inputs.items():
        q = item.quantity
        rows.append(
            [
                f"{esc(readable_path(path, s))}<br>"
                f'<span class="roi-muted"><code>{esc(path)}</code></span>',
                esc(quantity_text(item.point, q.unit, cur)),
                esc(range_text(q, cur)),
                esc(given_text(q.given)),
                esc(short_source_text(item.source, numbers)),
                esc(q.note or ""),
            ]
        )
    return block(
        "<h2>Appendix: every assumption</h2>",
        '<p class="roi-muted">Values in the model\'s units (the median of a range); "as given" '
        "shows the number as the scenario file wrote it when its unit was converted; [n] is the "
        "number of the source in the References.</p>",
        html_table(
            ["Assumption", "Value", "Range", "As given", "Source", "Note"],
            rows,
            [False, True, False, True, False, False],
            widths=[24, 9, 12, 8, 30, 17],
            cls="roi-appendix",
        ),
    )


def references_used(evaluation: Evaluation) -> list[str]:
    """Keys of the public references the evaluated numbers cite, in registry order (the TEI
    method always)."""
    keys = {"forrester-tei"}
    for item in evaluation.inputs.values():
        source = item.source
        if source and source.startswith("ref:") and source[4:] in REFERENCES:
            keys.add(source[4:])
    return [k for k in REFERENCES if k in keys]


def references_list(evaluation: Evaluation) -> Html:
    """The references behind the numbers, with dates, links and confidence."""
    items = []
    for key in references_used(evaluation):
        r = REFERENCES[key]
        url = f" {esc(r.url)}" if r.url else ""
        items.append(
            f"<li><strong>{esc(r.citation)}</strong> ({esc(r.date or 'undated')}).{url} "
            f'<span class="roi-muted">Confidence {esc(r.confidence)}; cited as '
            f"<code>ref:{esc(key)}</code>.</span></li>"
        )
    return block(
        "<h2>References</h2>",
        f'<ol class="roi-refs">{"".join(items)}</ol>',
        '<p class="roi-muted">Confidence: H read in a primary source; M a good secondary source '
        "or several agreeing; L a single secondary source or unverified.</p>",
    )


def methods_note(evaluation: Evaluation) -> Html:
    """How the numbers are made: TEI conventions, discounting, risk, what is left out."""
    horizon = horizon_months(evaluation)

    def value(path: str) -> float:
        return input_point(evaluation, path)

    margin = value("business.margin")
    margin_text = (
        "Revenue-type benefits count in full (margin 100 %): the scenario speaks in revenue."
        if margin == 1
        else f"Revenue-type benefits become cash through a {pct(margin)} margin."
    )
    discounting = (
        "the Initial column is not discounted, each year's total is discounted at the end of "
        "the year."
        if evaluation.scenario.finance.discounting == "tei"
        else "each month is discounted at the equivalent monthly rate."
    )
    items = [
        f"Forrester Total Economic Impact (TEI) form: an Initial period for one-off costs, then "
        f"{horizon} months of operations, summed into years.",
        f"Discounting at {pct(value('finance.discount_rate'))} a year: " + discounting,
        f"Risk adjustment: benefits reduced by {pct(value('finance.benefit_risk'))}, costs "
        f"raised by {pct(value('finance.cost_risk'))}, before NPV, ROI and payback.",
        "ROI = (PV benefits − PV costs) / PV costs. Payback = first month from which cumulative "
        "net cash (risk-adjusted, undiscounted) stays at or above zero.",
        margin_text,
        "Benefits ramp up with adoption over the rollout; volumes grow with traffic; engineering "
        "time is priced at the loaded hourly rate.",
        "Ranges come from a Monte Carlo simulation of every ranged assumption at once "
        "(P10 / P50 / P90); the tornado moves one assumption at a time from its low to its high.",
        "Not modelled: SLA penalties and regulatory fines, reputational damage, taxes and "
        "depreciation, inflation and future price changes, negotiated discounts (unless the "
        "scenario gives them), query and retrieval fees, and the opportunity cost of engineers.",
    ]
    return block(
        "<h2>Methods</h2>", "<ul>" + "".join(f"<li>{esc(i)}</li>" for i in items) + "</ul>"
    )
