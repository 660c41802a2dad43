"""The pitch deck (python-pptx): a 16:9 PowerPoint built from the evaluation and the analyses.

The slide size is set to 13.333 x 7.5 in and every shape is placed here (the default template is
4:3 and its placeholders do not move when it is resized): a title box, a body and a figure per
slide, on the blank layout. Bars and lines are native charts (their data editable in PowerPoint,
equal to the evaluation's numbers); distributions and fans are PNG pictures of the report charts.
Every slide's speaker notes explain its figure as driver x value with the source of each input.

Slides: title; the ask and the north-star KPI; headline (NPV, ROI, payback, P10-P90, chance of a
loss); downtime before and after; latency -> revenue (when the scenario has a latency section);
self-run vs managed over the horizon and the crossover (when there are both); what would flip the
decision; readiness gaps; assumptions and sources.

Nothing here computes money: every number is the evaluation's, the Monte Carlo's, the tornado's
or the breakeven's.
"""

from __future__ import annotations

import datetime as dt
import io
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from roi.analysis.breakeven import Breakeven
from roi.analysis.decision import crossovers, readiness
from roi.analysis.montecarlo import Simulation
from roi.analysis.sensitivity import Tornado
from roi.model import Evaluation
from roi.present.formatting import compact_money, money, number, percent
from roi.present.read import figures, input_point, option_figures, scalar
from roi.present.text import flip_text, format_input
from roi.present.words import pct

SLIDE_WIDTH_IN = 13.333
SLIDE_HEIGHT_IN = 7.5
TEXT = (0x33, 0x33, 0x33)
MUTED = (0x66, 0x66, 0x66)
# Okabe-Ito, as the report charts.
SERIES = ["0072B2", "E69F00", "CC79A7", "56B4E9", "D55E00", "000000", "009E73"]
LOGO_BOX = (3.0, 0.9)
"""[in] Largest width and height of the logo on the title slide."""


def _rgb(hexa: str) -> tuple[int, int, int]:
    h = hexa.lstrip("#")
    return int(h[0:2], 16), int(h[2:4], 16), int(h[4:6], 16)


@dataclass(frozen=True)
class DeckInputs:
    """What the deck reads: the evaluation and the analyses of one scenario."""

    evaluation: Evaluation
    focus: str
    """The option the deck is about (:func:`roi.analysis.decision.focus_option`)."""
    simulation: Simulation | None = None
    tornado: Tornado | None = None
    breakeven: Breakeven | None = None
    date: dt.date | None = None
    brand_colours: tuple[str, ...] = ()
    """``#RRGGBB`` colours replacing the accent and the first series colours, in order."""
    logo: bytes | None = None
    """A PNG or JPEG image for the title slide (bottom right)."""


def _f(x: Any) -> float | None:
    v = scalar(x)
    return v if math.isfinite(v) else None


def _source(ev: Evaluation, path: str) -> str:
    item = ev.inputs.get(path)
    if item is None:
        return ""
    src = item.source or "no source stated"
    return f"{path} = {number(item.point)} {item.unit} (source: {src})"


def _months(m: float | None) -> str:
    return "no payback within the horizon" if m is None else f"month {m:.0f}"


class _Deck:
    """A python-pptx presentation with shapes placed on a 16:9 grid."""

    def __init__(self, title: str, series: Sequence[str] = SERIES) -> None:
        from pptx import Presentation
        from pptx.util import Inches

        self.series = list(series)
        self.prs = Presentation()
        self.prs.slide_width = Inches(SLIDE_WIDTH_IN)
        self.prs.slide_height = Inches(SLIDE_HEIGHT_IN)
        self.prs.core_properties.title = title
        self.blank = self.prs.slide_layouts[6]

    def slide(self, title: str, notes: Sequence[str]) -> Any:
        from pptx.util import Inches, Pt

        slide = self.prs.slides.add_slide(self.blank)
        box = slide.shapes.add_textbox(Inches(0.6), Inches(0.35), Inches(12.1), Inches(1.0))
        box.name = "Title"
        frame = box.text_frame
        frame.word_wrap = True
        run = frame.paragraphs[0].add_run()
        run.text = title
        run.font.size = Pt(28 if len(title) > 48 else 30)
        run.font.bold = True
        self._colour(run, TEXT)
        slide.notes_slide.notes_text_frame.text = "\n".join(notes)
        return slide

    @staticmethod
    def _colour(run: Any, rgb: tuple[int, int, int]) -> None:
        from pptx.dml.color import RGBColor

        run.font.color.rgb = RGBColor(*rgb)

    def text(
        self,
        slide: Any,
        lines: Sequence[tuple[str, int, bool, tuple[int, int, int]]],
        left: float,
        top: float,
        width: float,
        height: float,
    ) -> Any:
        """A text box of (text, points, bold, colour) paragraphs."""
        from pptx.util import Inches, Pt

        box = slide.shapes.add_textbox(Inches(left), Inches(top), Inches(width), Inches(height))
        frame = box.text_frame
        frame.word_wrap = True
        for i, (text, size, bold, colour) in enumerate(lines):
            p = frame.paragraphs[0] if i == 0 else frame.add_paragraph()
            p.space_after = Pt(size * 0.45)
            run = p.add_run()
            run.text = text
            run.font.size = Pt(size)
            run.font.bold = bold
            self._colour(run, colour)
        return box

    def picture(self, slide: Any, png: bytes, left: float, top: float, width: float) -> Any:
        from pptx.util import Inches

        return slide.shapes.add_picture(io.BytesIO(png), Inches(left), Inches(top), Inches(width))

    def logo(self, slide: Any, image: bytes, right: float, bottom: float) -> Any:
        """``image`` within LOGO_BOX (its aspect kept), its bottom-right corner at ``right``,
        ``bottom`` [in]."""
        from pptx.util import Inches

        pic = slide.shapes.add_picture(io.BytesIO(image), 0, 0, height=Inches(LOGO_BOX[1]))
        if pic.width > Inches(LOGO_BOX[0]):  # a wide logo: fit the width instead
            pic.height = int(pic.height * Inches(LOGO_BOX[0]) / pic.width)
            pic.width = Inches(LOGO_BOX[0])
        pic.left = Inches(right) - pic.width
        pic.top = Inches(bottom) - pic.height
        pic.name = "Logo"
        return pic

    def chart(
        self,
        slide: Any,
        kind: str,
        categories: Sequence[str],
        series: dict[str, Sequence[float]],
        box: tuple[float, float, float, float],
        number_format: str,
        colours: Sequence[str] | None = None,
    ) -> Any:
        """A native chart (bar, column or line) with editable data."""
        from pptx.chart.data import CategoryChartData
        from pptx.dml.color import RGBColor
        from pptx.enum.chart import XL_CHART_TYPE, XL_LEGEND_POSITION
        from pptx.util import Inches, Pt

        data = CategoryChartData(number_format=number_format)
        data.categories = list(categories)
        for name, values in series.items():
            data.add_series(name, [float(v) for v in values])
        chart_type = {
            "bar": XL_CHART_TYPE.BAR_CLUSTERED,
            "column": XL_CHART_TYPE.COLUMN_CLUSTERED,
            "line": XL_CHART_TYPE.LINE,
            "pie": XL_CHART_TYPE.PIE,
        }[kind]
        left, top, width, height = (Inches(x) for x in box)
        chart = slide.shapes.add_chart(chart_type, left, top, width, height, data).chart
        chart.font.size = Pt(14)
        chart.has_legend = len(series) > 1 or kind == "pie"
        if chart.has_legend:
            chart.legend.position = XL_LEGEND_POSITION.BOTTOM
            chart.legend.include_in_layout = False
        colours = colours or self.series
        if kind == "pie":
            for i, point in enumerate(chart.plots[0].series[0].points):
                point.format.fill.solid()
                point.format.fill.fore_color.rgb = RGBColor.from_string(colours[i % len(colours)])
            return chart
        for i, s in enumerate(chart.plots[0].series):
            colour = RGBColor.from_string(colours[i % len(colours)])
            if kind == "line":
                s.format.line.color.rgb = colour
                s.format.line.width = Pt(3)
                s.smooth = False
            else:
                s.format.fill.solid()
                s.format.fill.fore_color.rgb = colour
        if kind != "line":
            plot = chart.plots[0]
            plot.has_data_labels = True
            plot.data_labels.number_format = number_format
            plot.data_labels.number_format_is_linked = False
            plot.data_labels.font.size = Pt(13)
            plot.gap_width = 60
        chart.value_axis.has_major_gridlines = kind == "line"
        if all(v >= 0 for values in series.values() for v in values):
            chart.value_axis.minimum_scale = 0  # bars from zero: never a truncated axis
        elif kind != "line":  # negative bars: category labels at the edge, not on the zero
            from pptx.enum.chart import XL_LABEL_POSITION, XL_TICK_LABEL_POSITION

            chart.category_axis.tick_label_position = XL_TICK_LABEL_POSITION.LOW
            # values next to the zero line, away from the labels at the edge
            chart.plots[0].data_labels.position = XL_LABEL_POSITION.INSIDE_BASE
        chart.value_axis.tick_labels.number_format = number_format
        chart.value_axis.tick_labels.number_format_is_linked = False
        return chart

    def bytes(self) -> bytes:
        buf = io.BytesIO()
        self.prs.save(buf)
        return buf.getvalue()


def _money_format(currency: str) -> str:
    """A PowerPoint number format for money in thousands: ``#,##0,"k USD"``."""
    return f'#,##0,"k {currency}"'


def _png(fig: Any, size: str = "half") -> bytes:
    from roi.present.charts import slide_bytes

    return slide_bytes(fig, "png", size)


def deck_bytes(inputs: DeckInputs) -> bytes:
    """The deck of ``inputs`` as ``.pptx`` bytes (see the module docstring for the slides);
    its pictures in the brand colours too (:func:`roi.present.charts.brand`)."""
    from roi.present.charts import brand

    with brand(inputs.brand_colours):
        return _deck_bytes(inputs)


def _deck_bytes(inputs: DeckInputs) -> bytes:
    ev, key = inputs.evaluation, inputs.focus
    brand_series = [c.lstrip("#").upper() for c in inputs.brand_colours]
    series = brand_series + SERIES[len(brand_series) :]
    accent = _rgb(series[0])
    s, cur = ev.scenario, ev.scenario.currency
    option = ev.options[key]
    today = inputs.date or dt.date.today()
    deck = _Deck(s.name, series)
    options = [o for o in ev.options.values() if o.kind != "baseline"]
    kpi = {k: _f(v) for k, v in option.kpis.items()}
    fmt = _money_format(cur)

    # 1. Title.
    slide = deck.slide(
        s.name,
        [
            f"Business case for distributed tracing, {today.isoformat()}.",
            f"Every number is computed by roi from the scenario file; currency {cur}.",
        ],
    )
    deck.text(
        slide,
        [
            ("The business case for distributed tracing", 24, False, MUTED),
            (today.strftime("%d %B %Y"), 18, False, MUTED),
            (f"Recommended: {option.label}", 22, True, accent),
        ],
        0.6,
        2.6,
        12.0,
        3.0,
    )
    if inputs.logo is not None:
        deck.logo(slide, inputs.logo, SLIDE_WIDTH_IN - 0.6, SLIDE_HEIGHT_IN - 0.4)

    # 2. The ask and the north-star KPI.
    of = {k: _f(v) for k, v in option_figures(ev, key).items() if k.startswith("ask_")}
    notes = [
        f"North-star KPI: {s.kpis.north_star_kpi}.",
        f"Chart: NPV by option = PV benefits - PV costs, risk-adjusted, over "
        f"{int(ev.months[-1])} months.",
    ]
    for o in options:
        notes.append(
            f"{o.label}: {money(scalar(o.kpis['pv_benefits']), cur)} - "
            f"{money(scalar(o.kpis['pv_costs']), cur)} = {money(scalar(o.kpis['npv']), cur)}"
        )
    notes += [_source(ev, "finance.discount_rate"), _source(ev, "finance.cost_risk")]
    slide = deck.slide(f"The ask: {option.label}", notes)
    lines: list[tuple[str, int, bool, tuple[int, int, int]]] = [
        ("North-star KPI", 16, True, MUTED),
        (s.kpis.north_star_kpi, 20, False, TEXT),
    ]
    if option.kind != "baseline" and of:
        lines += [
            (f"{compact_money(of['ask_one_off'] or 0.0, cur)} one-off", 24, True, accent),
            (
                f"{compact_money(of['ask_run_per_year'] or 0.0, cur)} a year to run",
                24,
                True,
                accent,
            ),
            (
                f"{number(of['ask_engineering_hours_one_off'] or 0.0)} engineer-hours to roll out, "
                f"then {number(of['ask_engineering_hours_per_month'] or 0.0)} h a month",
                18,
                False,
                TEXT,
            ),
            (f"Cost-risk allowance: {(of['ask_cost_risk'] or 0.0):.0%}", 14, False, MUTED),
        ]
    deck.text(slide, lines, 0.6, 1.5, 5.2, 5.6)
    deck.chart(
        slide,
        "bar",
        [o.label.split(" (")[0] for o in options],
        {"NPV": [scalar(o.kpis["npv"]) for o in options]},
        (6.0, 1.55, 6.9, 5.7),
        fmt,
    )

    # 3. Headline.
    npv, roi_, payback = kpi["npv"] or 0.0, kpi["roi"], kpi["payback_months"]
    roi_text = f"ROI {percent(roi_)}"
    title = f"{option.label.split(' (')[0]}: NPV {compact_money(npv, cur)}, {roi_text}, "
    title += f"payback {_months(payback)}"
    notes = [
        f"NPV {money(npv, cur)} = PV benefits {money(kpi['pv_benefits'] or 0.0, cur)} - PV costs "
        f"{money(kpi['pv_costs'] or 0.0, cur)}.",
        f"ROI = (PV benefits - PV costs) / PV costs = {roi_text}.",
        f"Payback: {_months(payback)} (cumulative risk-adjusted net cash stays >= 0).",
        _source(ev, "finance.discount_rate"),
        _source(ev, "finance.benefit_risk"),
        _source(ev, "finance.cost_risk"),
    ]
    body: list[tuple[str, int, bool, tuple[int, int, int]]] = [
        (f"NPV {compact_money(npv, cur)}", 30, True, accent),
        (roi_text, 24, True, TEXT),
        (f"Payback {_months(payback)}", 22, True, TEXT),
    ]
    sim = inputs.simulation
    slide = deck.slide(title, notes)
    if sim is not None and key in sim.options:
        from roi.present.charts.uncertainty import npv_distribution

        so = sim.options[key]
        summ = so.summary()
        loss = so.prob_npv_negative
        body += [
            (
                f"NPV P10-P90: {compact_money(summ['npv']['p10'], cur)} to "
                f"{compact_money(summ['npv']['p90'], cur)}",
                18,
                False,
                TEXT,
            ),
            (
                f"ROI P10-P90: {percent(summ['roi']['p10'])} to {percent(summ['roi']['p90'])}",
                18,
                False,
                TEXT,
            ),
            (f"Chance of a loss (NPV < 0): {pct(loss)}", 20, True, TEXT),
            (f"{sim.samples:,} Monte Carlo samples, seed {sim.seed}", 13, False, MUTED),
        ]
        notes.append(
            f"Picture: NPV of {sim.samples:,} samples; P10 {money(summ['npv']['p10'], cur)}, "
            f"P50 {money(summ['npv']['p50'], cur)}, P90 {money(summ['npv']['p90'], cur)}; "
            f"chance of a loss {pct(loss)}."
        )
        slide.notes_slide.notes_text_frame.text = "\n".join(notes)
        deck.picture(slide, _png(npv_distribution(sim, key, cur)), 6.3, 1.35, 5.4)
    else:
        from roi.present.charts.business import cumulative_net_cash

        body.append(("No Monte Carlo: point estimates only", 14, False, MUTED))
        deck.picture(slide, _png(cumulative_net_cash(ev)), 6.3, 1.35, 5.4)
    deck.text(slide, body, 0.6, 1.5, 5.6, 5.6)

    # 4. Downtime before and after.
    figs = figures(ev)
    sevs = [
        k.removeprefix("downtime_hours_per_year_before.")
        for k in figs
        if k.startswith("downtime_hours_per_year_before.")
    ]
    before = [scalar(figs[f"downtime_hours_per_year_before.{k}"]) for k in sevs]
    after = [scalar(figs[f"downtime_hours_per_year_after.{k}"]) for k in sevs]
    total_b = scalar(figs["downtime_hours_per_year_before"])
    total_a = scalar(figs["downtime_hours_per_year_after"])
    notes = [
        f"Downtime hours a year = incidents a month x 12 x MTTR; today {number(total_b)} h, "
        f"with tracing {number(total_a)} h."
    ]
    for k in sevs:
        base = f"incidents.severities.{k}"
        notes += [
            _source(ev, f"{base}.incidents_per_month"),
            _source(ev, f"{base}.mttr_hours_before"),
            _source(ev, f"{base}.mttr_reduction_fraction"),
        ]
    notes.append(_source(ev, "incidents.incident_reduction_fraction"))
    slide = deck.slide(
        f"Downtime falls from {number(total_b)} to {number(total_a)} hours a year",
        [n for n in notes if n],
    )
    deck.chart(
        slide,
        "column",
        sevs,
        {"Today": before, "With tracing": after},
        (0.6, 1.55, 12.1, 5.7),
        '#,##0" h"',
        ["999999", series[0]],
    )

    # 5. Latency -> revenue.
    if s.latency is not None:
        per_100 = scalar(figs["revenue_per_100ms_per_quarter"])
        ms_before = input_point(ev, "latency.latency_ms_before")
        ms_after = input_point(ev, "latency.latency_ms_after")
        overhead = scalar(figs.get("instrumentation_overhead_ms", 0.0))
        notes = [
            f"Each 100 ms of P95 is worth {money(per_100, cur)} a quarter = revenue through the "
            "path x conversion lift per 100 ms / 4.",
            f"P95 {number(ms_before)} ms -> {number(ms_after)} ms, plus {number(overhead)} ms of "
            "instrumentation overhead.",
            _source(ev, "latency.latency_ms_before"),
            _source(ev, "latency.latency_ms_after"),
            _source(ev, "latency.revenue_through_path_per_year"),
            _source(ev, "latency.conversion_lift_per_100ms"),
            _source(ev, "instrumentation.overhead_ms_per_span"),
        ]
        slide = deck.slide(
            f"Each 100 ms is worth {compact_money(per_100, cur)} a quarter",
            [n for n in notes if n],
        )
        deck.text(
            slide,
            [
                (f"{compact_money(per_100, cur)}", 40, True, accent),
                ("a quarter for each 100 ms of P95 latency", 18, False, TEXT),
                (f"P95 today {number(ms_before)} ms", 20, False, TEXT),
                (f"with tracing {number(ms_after + overhead)} ms", 20, True, TEXT),
                (f"(includes {number(overhead)} ms of instrumentation overhead)", 14, False, MUTED),
            ],
            0.6,
            1.5,
            5.0,
            5.6,
        )
        deck.chart(
            slide,
            "column",
            ["Today", "With tracing"],
            {"P95 latency": [ms_before, ms_after + overhead]},
            (5.8, 1.55, 6.9, 5.7),
            '#,##0" ms"',
            [series[0]],
        )

    # 6. Self-run vs managed.
    cross = crossovers(ev)
    stacks = [o for o in options if o.kind in ("self_run", "managed")]
    if any(o.kind == "self_run" for o in stacks) and any(o.kind == "managed" for o in stacks):
        months = [str(int(m)) for m in np.asarray(ev.months)]
        cumulative = {
            o.label.split(" (")[0]: np.cumsum(np.asarray(o.costs, dtype=float)).tolist()
            for o in stacks
        }
        first = [c for c in cross if math.isfinite(c.month)]
        if first:
            c0 = min(first, key=lambda c: c.month)
            vendor = ev.options[c0.vendor].label.split(" (")[0]
            title = f"Self-run becomes cheaper than {vendor} in month {c0.month:.0f}"
        else:
            title = "Managed stays cheaper than self-run over the horizon"
        notes = ["Cumulative risk-adjusted cost by month, per option."]
        for c in cross:
            label = ev.options[c.vendor].label
            when = f"month {c.month:.0f}" if math.isfinite(c.month) else "not within the horizon"
            at = (
                f"{c.traffic_multiple:.1f}x today's traffic"
                if math.isfinite(c.traffic_multiple)
                else "no traffic multiple in range"
            )
            notes.append(f"Self-run vs {label}: cumulative crossover {when}; run rate at {at}.")
        notes += [
            _source(ev, "self_run.setup_engineer_weeks"),
            _source(ev, "self_run.maintenance_days_per_week"),
            _source(ev, "timeline.traffic_growth_per_month"),
            _source(ev, "business.loaded_hourly_rate"),
        ]
        slide = deck.slide(title, [n for n in notes if n])
        deck.chart(slide, "line", months, cumulative, (0.6, 1.55, 12.1, 5.7), fmt)

    # 7. What would flip the decision.
    tornado = inputs.tornado
    flips = inputs.breakeven
    notes = []
    body = []
    if flips is not None:
        for row in flips.rows[:5]:
            if row.npv_zero_at is None and row.option_changes_at is None:
                continue
            parts = []
            same = (
                row.npv_zero_at is not None
                and row.option_changes_at is not None
                and row.option_changes_to == "do-nothing"
                and math.isclose(row.npv_zero_at, row.option_changes_at, rel_tol=1e-9)
            )
            if row.npv_zero_at is not None:
                zero = flip_text(row.npv_zero_at, row.base, row.unit, row.percentile_in_range)
                parts.append(
                    f"NPV is zero, and doing nothing wins, at {zero}"
                    if same
                    else f"NPV is zero at {zero}"
                )
            if row.option_changes_at is not None and not same:
                to = ev.options[row.option_changes_to].label if row.option_changes_to else "?"
                at = flip_text(
                    row.option_changes_at, row.base, row.unit, row.option_change_percentile
                )
                parts.append(f"{to.split(' (')[0]} wins at {at}")
            base = format_input(row.base, row.unit)
            body.append((f"{row.label}: {base} today", 14, True, TEXT))
            body.append(("; ".join(parts), 12, False, MUTED))
            notes.append(
                f"{row.label}: base {base}; " + "; ".join(parts) + " (flip value, its change "
                "from the base, and where it sits in the input's own range)"
            )
            notes.append(_source(ev, row.path))
    if not body:
        body.append(("No ranged input flips the decision within its range.", 16, False, TEXT))
    slide = deck.slide("What would flip the decision", notes or ["No flip within the ranges."])
    deck.text(slide, body[:10], 0.6, 1.4, 5.4, 5.8)
    if tornado is not None and tornado.rows:
        rows = list(tornado.rows[:8])[::-1]
        deck.chart(
            slide,
            "bar",
            [r.label for r in rows],
            {
                "input at its low (P5)": [r.metric_low for r in rows],
                "input at its high (P95)": [r.metric_high for r in rows],
            },
            (6.1, 1.3, 6.9, 5.9),
            fmt,
            ["56B4E9", "E69F00"],
        )
        slide.notes_slide.notes_text_frame.text += (
            f"\nChart: {tornado.option_label}'s NPV with one input at its P5 or P95, the others "
            f"at their medians (base {money(tornado.base, cur)})."
        )
    else:
        deck.chart(
            slide,
            "bar",
            [o.label.split(" (")[0] for o in options],
            {"NPV": [scalar(o.kpis["npv"]) for o in options]},
            (6.1, 1.3, 6.9, 5.9),
            fmt,
        )

    # 8. Readiness gaps.
    boxes = readiness(s)
    gaps = [b for b in boxes if not b.checked]
    slide = deck.slide(
        f"Readiness: {len(boxes) - len(gaps)} of {len(boxes)} boxes ticked",
        [f"{'[x]' if b.checked else '[ ]'} {b.text}" for b in boxes]
        + ["Source: the scenario's readiness section (the article's pre-flight checklist)."],
    )
    deck.text(
        slide,
        [(("✓ " if b.checked else "✗ ") + b.text, 17, not b.checked, TEXT) for b in boxes],
        0.6,
        1.5,
        7.4,
        5.6,
    )
    deck.chart(
        slide,
        "pie",
        ["ticked", "open"],
        {"Readiness boxes": [len(boxes) - len(gaps), len(gaps)]},
        (8.3, 1.6, 4.4, 4.6),
        "0",
        ["009E73", "D55E00"],
    )

    # 9. Assumptions and sources.
    paths = [r.path for r in tornado.rows[:8]] if tornado is not None else []
    paths += [p for p in ("finance.discount_rate", "finance.benefit_risk") if p not in paths]
    slide = deck.slide(
        "Assumptions that matter most, and their sources",
        [_source(ev, p) for p in paths if p in ev.inputs],
    )
    _table(slide, ev, [p for p in paths if p in ev.inputs][:10])
    if sim is not None:
        from roi.present.charts.uncertainty import cumulative_cash_fan

        deck.picture(slide, _png(cumulative_cash_fan(sim, cur), "half"), 8.4, 1.45, 4.6)
        slide.notes_slide.notes_text_frame.text += (
            "\nPicture: cumulative net cash P10-P50-P90 by option, from the Monte Carlo."
        )
    else:
        from roi.present.charts.business import cost_structure

        deck.picture(slide, _png(cost_structure(ev), "half"), 8.4, 1.45, 4.6)
    return deck.bytes()


def _table(slide: Any, ev: Evaluation, paths: Sequence[str]) -> None:
    from pptx.util import Inches, Pt

    rows = len(paths) + 1
    shape = slide.shapes.add_table(rows, 3, Inches(0.6), Inches(1.5), Inches(7.6), Inches(5.4))
    table = shape.table
    table.columns[0].width = Inches(2.9)
    table.columns[1].width = Inches(1.6)
    table.columns[2].width = Inches(3.1)
    for c, h in enumerate(["Assumption", "Value", "Source"]):
        table.cell(0, c).text = h
    for r, path in enumerate(paths, start=1):
        item = ev.inputs[path]
        table.cell(r, 0).text = path
        table.cell(r, 1).text = f"{number(item.point)} {item.unit}"
        table.cell(r, 2).text = (item.source or "no source stated")[:90]
    for r in range(rows):
        for c in range(3):
            for p in table.cell(r, c).text_frame.paragraphs:
                for run in p.runs:
                    run.font.size = Pt(11 if r else 12)
