"""The stack-costs deep dive: the self-run stack from traffic to bills, each vendor's bill
component by component, and the lock-in of a proprietary SDK."""

from __future__ import annotations

import math

import numpy as np

from roi.inputs.presets import DRIVER_UNITS, VENDORS
from roi.inputs.references import REFERENCES
from roi.model import Evaluation, Input, OptionResult
from roi.present.formatting import money, number
from roi.present.html import Html, block, esc, html_table, note
from roi.present.read import figures, horizon_months, input_point, scalar
from roi.present.sections.costs import costs_explained
from roi.present.words import driver_text, pct, source_text, unit_value_text

VENDOR_LINE = "cost.vendor."
"""Key prefix of a vendor bill's component lines (``cost.vendor.<driver>``)."""


def self_run_drivers(evaluation: Evaluation) -> Html:
    """The self-run stack's cost drivers: volume, storage, compute replicas, people."""
    if "self-run" not in evaluation.options:
        return note("This scenario does not evaluate a self-run stack.")
    f = figures(evaluation)

    def value(path: str) -> float:
        return input_point(evaluation, path)

    rows = [
        ["Requests a month", number(value("instrumentation.requests_per_month"))],
        ["Spans per request", number(value("instrumentation.spans_per_request"))],
        ["Sampling rate", pct(value("instrumentation.sampling_rate"))],
        ["Spans kept a month", number(scalar(f["spans_per_month"]))],
        ["Bytes per span", f"{number(value('instrumentation.bytes_per_span'))} B"],
        ["Span data a month", f"{number(scalar(f['ingest_gb_per_month']))} GB"],
        ["Retention", f"{number(value('self_run.retention_days'))} days"],
    ]
    table = html_table(
        ["Volume driver", "Today"], [[esc(a), esc(b)] for a, b in rows], [False, True]
    )
    return block(
        "<h3>Self-run: from traffic to bills</h3>", table, costs_explained(evaluation, "self-run")
    )


def price_input(evaluation: Evaluation, vendor: str, driver: str) -> Input:
    """The price per unit the evaluation used for one component of a vendor's bill."""
    return evaluation.inputs[f"managed.prices.{vendor}.{driver}.price_per_unit"]


def _is_list_price(item: Input, vendor: str) -> bool:
    """True when a price is the preset's dated list price (not a scenario's quote or an
    override)."""
    return not item.overridden and item.source == VENDORS[vendor].source


def _short_name(source: str) -> str:
    key = source.removeprefix("ref:")
    return REFERENCES[key].short if source.startswith("ref:") and key in REFERENCES else source


def prices_caption(evaluation: Evaluation, option: OptionResult) -> str:
    """Where a vendor's prices come from, as escaped HTML: the dated list, the scenario's
    quotes, or both."""
    cur = evaluation.scenario.currency
    v = VENDORS[option.key]
    quoted, listed = [], 0
    for line in option.lines:
        if not line.key.startswith(VENDOR_LINE):
            continue
        driver = line.key.rsplit(".", 1)[1]
        item = price_input(evaluation, option.key, driver)
        if _is_list_price(item, option.key):
            listed += 1
        else:
            quoted.append(
                f"{DRIVER_UNITS[driver]} at {unit_value_text(line, cur)} "
                f"({source_text(item.source)})"
            )
    parts = []
    if quoted:
        parts.append(esc(f"Prices from the scenario: {'; '.join(quoted)}."))
    if listed:
        # Beside a quote, the list is named, not cited in full: its citation restates the list
        # prices the quote replaces.
        others = "Other prices are list prices" if quoted else "List prices"
        cited = _short_name(v.source) if quoted else source_text(v.source)
        parts.append(
            esc(f"{others} on {v.price_date} ({cited}); ")
            + "<strong>check current pricing</strong>."
        )
    return " ".join(parts)


def vendor_components(evaluation: Evaluation) -> Html:
    """Each vendor's bill component by component, with where its prices come from."""
    vendors = [o for o in evaluation.options.values() if o.kind == "managed"]
    if not vendors:
        return note(
            "This scenario evaluates no managed vendor"
            + (
                " (a no-SaaS policy rules them out)."
                if evaluation.scenario.decision.no_saas_policy
                else "."
            )
        )
    cur = evaluation.scenario.currency
    parts = []
    for o in vendors:
        v = VENDORS[o.key]
        rows = []
        for li in o.lines:
            if not li.key.startswith(VENDOR_LINE):
                continue
            last = scalar(np.asarray(li.series)[..., -1])
            rows.append(
                [
                    esc(DRIVER_UNITS[li.key.rsplit(".", 1)[1]]),
                    esc(driver_text(li)),
                    esc(unit_value_text(li, cur)),
                    esc(money(scalar(li.run_rate), cur)),
                    esc(money(last, cur)),
                ]
            )
        bill_growth = scalar(o.figures.get("bill_growth_vs_traffic", math.nan))
        note_text = f" {v.note[:1].upper()}{v.note[1:]}." if v.note else ""
        parts.append(
            f"<h3>{esc(o.label)}</h3>"
            + html_table(
                [
                    "Component",
                    "Billable today",
                    "× Price",
                    "= Monthly today",
                    f"Month {horizon_months(evaluation)}",
                ],
                rows,
                [False, True, True, True, True],
            )
            + f'<p class="roi-muted">{prices_caption(evaluation, o)}{esc(note_text)} The '
            f"bill grows {esc(f'{bill_growth:.2f}')}× as fast as traffic after onboarding.</p>"
        )
    return block(*parts)


def lock_in_text(evaluation: Evaluation) -> Html:
    """Exit cost with a proprietary SDK against OpenTelemetry: the option value of OTel."""
    f = evaluation.figures
    if "exit_cost_proprietary_sdk" not in f:
        return note("No managed vendor is evaluated, so there is no vendor to be locked into.")
    s = evaluation.scenario
    cur = s.currency
    sdk = "OpenTelemetry" if s.instrumentation.sdk == "otel" else "a proprietary SDK"
    prop = scalar(f["exit_cost_proprietary_sdk"])
    otel = scalar(f["exit_cost_otel"])
    migration = s.lock_in.migration_month
    flows = (
        f"A migration is scheduled in month {migration}, so its exit cost is in the cash flows."
        if migration
        else "No migration is scheduled, so the exit cost is an option value, not a cash flow."
    )
    return block(
        f"<p>The scenario instruments with {esc(sdk)}. Leaving a vendor later would cost "
        f"<strong>{esc(money(prop, cur))}</strong> with a proprietary SDK (rewriting every "
        f"service) against <strong>{esc(money(otel, cur))}</strong> with OpenTelemetry "
        "(configuration and dashboards). "
        f"{esc(flows)}</p>"
    )
