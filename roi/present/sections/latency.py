"""The latency deep dive: before and after, overhead, conversion lift, and every published
elasticity side by side."""

from __future__ import annotations

from collections.abc import Sequence

from roi.analysis.sweeps import ElasticityRow
from roi.inputs.presets import ELASTICITY
from roi.model import Evaluation
from roi.present.formatting import money, ms_text, number
from roi.present.html import Html, block, esc, html_table, note
from roi.present.read import figures, input_point
from roi.present.words import pct, signed_pct, source_text

LIFT = "latency.conversion_lift_per_100ms"


def elasticity_text(evaluation: Evaluation) -> str:
    """The elasticity evaluated, its source, and how far the published ones spread."""
    lat = evaluation.scenario.latency
    if lat is None:
        return ""
    lift = evaluation.inputs[LIFT]
    published = [e.conversion_lift_per_100ms for e in ELASTICITY.values()]
    lo, hi = min(published), max(published)
    spread = (
        f"Published elasticities span {hi / lo:.0f}x ({pct(lo)} to {pct(hi)} per 100 ms); "
        "choose the one measured closest to your own journey."
    )
    if lift.overridden:
        return (
            f"Elasticity evaluated: {pct(lift.point)} per 100 ms (in place of the scenario's). "
            + spread
        )
    if lat.conversion_lift_per_100ms is None:
        e = ELASTICITY[lat.elasticity_preset]
        return (
            f"Elasticity preset '{e.key}': {pct(lift.point)} more conversions "
            f"per 100 ms ({e.what}). Source: {source_text(lift.source)}. {spread}"
        )
    return (
        f"Elasticity given in the scenario: {pct(lift.point)} per 100 ms. "
        f"Source: {source_text(lift.source)}. {spread}"
    )


def latency_table(evaluation: Evaluation) -> Html:
    """Latency before and after, instrumentation overhead, net improvement, lift and revenue."""
    s = evaluation.scenario
    lat = s.latency
    if lat is None:
        return note("This scenario has no latency section: no revenue is priced on latency.")
    cur = s.currency
    f = figures(evaluation)

    def value(path: str) -> float:
        return input_point(evaluation, path)

    per_span = evaluation.inputs["instrumentation.overhead_ms_per_span"]
    rows = [
        [
            f"{lat.percentile} {lat.journey} latency today",
            ms_text(value("latency.latency_ms_before")),
        ],
        [
            f"{lat.percentile} {lat.journey} latency with tracing-led fixes"
            + (" (measured with tracing on)" if lat.after_includes_overhead else " (target)"),
            ms_text(value("latency.latency_ms_after")),
        ],
        [
            "Instrumentation overhead: spans per request × ms per span",
            f"{number(value('instrumentation.spans_per_request'))} × {number(per_span.point)} ms "
            f"= {number(float(f['instrumentation_overhead_ms']))} ms",
        ],
        ["Net improvement", f"{number(float(f['net_latency_improvement_ms']))} ms"],
        [
            f"Conversion lift (cap {pct(value('latency.max_conversion_lift'))})",
            signed_pct(float(f["conversion_lift"])),
        ],
        ["Credited to tracing", pct(value("latency.latency_attribution_fraction"))],
        ["Conversion revenue a year", money(float(f["conversion_value_per_year"]), cur)],
        [
            "Each 100 ms is worth, per quarter",
            money(float(f["revenue_per_100ms_per_quarter"]), cur),
        ],
    ]
    if "conversion_rate_after" in f and "latency.conversion_rate" in evaluation.inputs:
        rows.insert(
            5,
            [
                "Conversion rate",
                f"{pct(value('latency.conversion_rate'))} → "
                f"{pct(float(f['conversion_rate_after']))}",
            ],
        )
    return block(
        html_table(["", "Value"], [[esc(a), esc(b)] for a, b in rows], [False, True]),
        f'<p class="roi-muted">{esc(elasticity_text(evaluation))} Per-span overhead source: '
        f"{esc(source_text(per_span.source))}.</p>",
    )


def elasticity_table(rows: Sequence[ElasticityRow], currency: str) -> Html:
    """Every elasticity preset with the conversion value it gives, the scenario's marked."""
    if not rows:
        return note("This scenario has no latency section: elasticities do not apply.")
    out, classes = [], []
    for r in rows:
        out.append(
            [
                esc(r.key) + (" <strong>(used)</strong>" if r.used else ""),
                esc(pct(r.conversion_lift_per_100ms)),
                esc(money(r.value_per_year, currency)),
                esc(r.what),
                esc(source_text(r.source)),
            ]
        )
        classes.append("roi-best" if r.used else "")
    used = [r.key for r in rows if r.used]
    lo = min(r.conversion_lift_per_100ms for r in rows)
    hi = max(r.conversion_lift_per_100ms for r in rows)
    msg = (
        f"The scenario uses '{used[0]}'."
        if used
        else "The scenario gives its own elasticity rather than a preset."
    )
    return block(
        html_table(
            ["Preset", "Lift per 100 ms", "Value a year", "What was measured", "Source"],
            out,
            [False, True, True, False, False],
            classes,
        ),
        f'<p class="roi-muted">{esc(msg)} The presets span {hi / lo:.0f}x; values a year at full '
        "adoption, before risk adjustment.</p>",
    )


def latency_figures_text(evaluation: Evaluation) -> str:
    """The latency figures in the seed article's words: the conversion lift, what the spans
    cost in latency, and what each 100 ms is worth a quarter (figures as evaluated).

    ``'Conversion +4.7 %; 200 spans per request add 40 ms (in the after figure, measured with
    tracing on); each 100 ms is worth ≈ $4,070 a quarter.'``
    """
    lat = evaluation.scenario.latency
    if lat is None:
        return ""
    f = figures(evaluation)
    spans = input_point(evaluation, "instrumentation.spans_per_request")
    overhead = float(f["instrumentation_overhead_ms"])
    where = (
        "in the after figure, measured with tracing on"
        if lat.after_includes_overhead
        else "taken off the improvement"
    )
    return (
        f"Conversion {signed_pct(float(f['conversion_lift']))}; {number(spans)} spans per request "
        f"add {ms_text(overhead)} ({where}); each 100 ms is worth ≈ "
        f"{money(float(f['revenue_per_100ms_per_quarter']), evaluation.scenario.currency)} "
        "a quarter."
    )
