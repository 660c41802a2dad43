"""The report's back matter: every assumption evaluated, how uncertain each is (stated ranges
and the default by source confidence), the references behind them and the methods."""

from __future__ import annotations

from roi.analysis.sampling import RangedInput, ranged_inputs
from roi.inputs.provenance import DEFAULT_SPREAD, FIXED_FIELDS, confidence_of
from roi.inputs.references import REFERENCES
from roi.model import Evaluation
from roi.present.html import Html, block, esc, html_table
from roi.present.read import horizon_months, input_point
from roi.present.words import (
    between,
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
    ranged = {i.path: i for i in ranged_inputs(s)}
    for path, item in evaluation.inputs.items():
        q = item.quantity
        rows.append(
            [
                f"{esc(readable_path(path, s))}<br>"
                f'<span class="roi-muted"><code>{esc(path)}</code></span>',
                esc(quantity_text(item.point, q.unit, cur)),
                esc(_range_cell(ranged.get(path), cur) if path in ranged else range_text(q, cur)),
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


def default_uncertainty_rule() -> str:
    """The default-uncertainty rule in one paragraph, from :data:`DEFAULT_SPREAD` and
    :data:`FIXED_FIELDS`."""
    spreads = "; ".join(
        f"{_CONFIDENCE_WORDS[grade]} ({grade}): ×/÷ {factor:g} or ±{share * 100:.0f} %"
        for grade, (factor, share) in DEFAULT_SPREAD.items()
    )
    fixed = ", ".join(sorted(f.replace("_", " ") for f in FIXED_FIELDS))
    return (
        "An estimate stated as a single number is not certain: unless the scenario switches it "
        "off (finance.default_uncertainty: false), it gets a default 90 % interval centred on "
        "it (the stated number stays the median), as wide as its source is weak. Money, hours "
        "and counts vary lognormally from value ÷ k to value × k, fractions and rates normally "
        f"by ± r of the value (narrowed to stay inside the field's bounds). By source: {spreads}. "
        "Choices "
        f"and contract terms never vary: {fixed}; whole-number fields and zeros neither."
    )


_CONFIDENCE_WORDS = {
    "L": "fictional, assumed or unsourced",
    "M": "your own data",
    "H": "a dated public figure",
}


def _range_cell(i: RangedInput | None, currency: str) -> str:
    """A ranged input's 90 % interval and family, and whether the range is stated or the
    default of its source's confidence."""
    if i is None:
        return ""
    low, high = i.distribution.interval90
    grade = confidence_of(i.source)
    kind = "default" if i.default else "stated"
    return (
        f"{between(quantity_text(low, i.unit, currency), quantity_text(high, i.unit, currency))} "
        f"(90 % interval, {i.distribution.kind}); {kind}, source confidence {grade}"
    )


def uncertainty_appendix(evaluation: Evaluation) -> Html:
    """How many inputs vary, how many with a stated range and how many with the default of
    their source's confidence, and the default rule, stated once (each input's range, stated or
    default, is in :func:`assumptions_appendix`)."""
    s = evaluation.scenario
    ranged = ranged_inputs(s)
    stated = sum(not i.default for i in ranged)
    count = (
        f"{len(ranged)} inputs vary in the simulation: {stated} with a range the scenario "
        f"states, {len(ranged) - stated} with the default range of their source's confidence "
        "(the Range column of the table below says which)."
    )
    if not s.finance.default_uncertainty:
        count += " Default ranges are switched off in this scenario: only stated ranges vary."
    return block(
        "<h2>Appendix: how uncertain each input is</h2>",
        f"<p>{esc(count)}</p>",
        f'<p class="roi-muted">{esc(default_uncertainty_rule())}</p>',
    )


def appendix_heading() -> Html:
    """The visible line between the executive summary (which stands on its own) and the
    appendix: everything after it supports the summary."""
    return block(
        '<h1 class="roi-appendix-heading">Appendix</h1>',
        '<p class="roi-muted">Everything above is the executive summary and stands on its own; '
        "what follows shows how each number comes about.</p>",
    )
