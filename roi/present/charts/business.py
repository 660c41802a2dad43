"""Charts of the deterministic business case, for people who would rather look than read.

Each function takes computed results (an :class:`roi.model.Evaluation` or a sweep from
:mod:`roi.analysis.sweeps`) and returns a ``matplotlib.figure.Figure`` built without pyplot's
global state, in the package style, with a title that states the finding, units and currency on
the axes, Okabe-Ito colours and direct labels rather than legends where the chart allows.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.ticker import (
    FuncFormatter,
    LogLocator,
    MaxNLocator,
    NullFormatter,
    PercentFormatter,
)

from roi.analysis.decision import crossovers, focus_option
from roi.analysis.sweeps import (
    ElasticityRow,
    MttrSweep,
    SpansSweep,
    TrafficSweep,
    traffic_crossover,
)
from roi.model import Evaluation, OptionResult
from roi.present.charts import (
    BENEFIT,
    COST,
    NEUTRAL,
    OKABE_ITO,
    accent,
    figure,
    money_formatter,
    option_colour,
    styled,
)
from roi.present.formatting import compact_money, horizon_text, number
from roi.present.read import (
    FASTER_THAN_TRAFFIC,
    benefit_rows,
    bill_growth_reasons,
    figures,
    non_baseline,
    option_figures,
)

TEXT = OKABE_ITO["black"]
_COMPONENT_COLOURS = {
    "hosts": OKABE_ITO["blue"],
    "ingested_gb": OKABE_ITO["orange"],
    "indexed_spans_million": OKABE_ITO["pink"],
    "custom_metrics": OKABE_ITO["sky"],
    "traces_million": OKABE_ITO["vermillion"],
    "events_million": OKABE_ITO["green"],
    "platform": OKABE_ITO["grey"],
    "users": OKABE_ITO["yellow"],
}
_GROUP_COLOURS = {
    "One-off": OKABE_ITO["orange"],
    "Rollout": OKABE_ITO["sky"],
    "Self-run stack": OKABE_ITO["blue"],
    "Vendor bill": OKABE_ITO["pink"],
    "Lock-in": OKABE_ITO["vermillion"],
}


_GROUP_WORDS = {
    "Faster incident resolution": "from incidents",
    "Latency and conversion": "from latency",
}


def _name(label: str, others: Sequence[str] = ()) -> str:
    """An option's label without its parenthesis ('Datadog APM (annual)' -> 'Datadog APM'),
    unless that makes it the same as another option's; at most 30 characters."""
    short = label.split(" (", 1)[0].strip() or label
    if any(o != label and o.split(" (", 1)[0].strip() == short for o in others):
        short = label
    return _short(short, 30)


def _f(x: Any) -> float:
    return float(np.asarray(x, dtype=float))


def _money_axis(ax: Axes, which: str, label: str, currency: str) -> None:
    """Money ticks ($1.2M) and an axis label that names the currency."""
    axis = ax.xaxis if which == "x" else ax.yaxis
    axis.set_major_formatter(money_formatter(currency))
    (ax.set_xlabel if which == "x" else ax.set_ylabel)(f"{label} ({currency})")


def _months_axis(ax: Axes, horizon: int) -> None:
    ax.set_xlim(0, horizon)
    step = 6 if horizon > 18 else 3 if horizon > 6 else 1
    ax.set_xticks(np.arange(0, horizon + 1, step))
    ax.set_xlabel("Month (0 = Initial)")


def _end_labels(
    ax: Axes, x: float, ys: Sequence[float], labels: Sequence[str], colours: Sequence[str]
) -> None:
    """Labels at the right end of lines, nudged apart so they do not overlap."""
    if not ys:
        return
    lo, hi = ax.get_ylim()
    span = (hi - lo) or 1.0
    gap = 0.065 * span
    order = np.argsort(ys)
    placed: list[float] = []
    for i in order:
        y = float(ys[i])
        if placed and y < placed[-1] + gap:
            y = placed[-1] + gap
        placed.append(y)
    # Shift down if the top label left the axes.
    overflow = placed[-1] - (hi - 0.02 * span) if placed else 0.0
    if overflow > 0:
        placed = [p - overflow for p in placed]
    for rank, i in enumerate(order):
        ax.annotate(
            labels[i],
            xy=(x, ys[i]),
            xytext=(x, placed[rank]),
            textcoords="data",
            xycoords="data",
            ha="left",
            va="center",
            color=_readable(colours[i]),
            fontsize=9.5,
            fontweight="bold",
            annotation_clip=False,
        )


def _readable(colour: str) -> str:
    """The colour for text: Okabe-Ito yellow is unreadable on white, so its labels are black."""
    return TEXT if colour == OKABE_ITO["yellow"] else colour


def _title(ax: Axes, text: str) -> None:
    """The chart's finding as a bold title at the figure's top left (not over the axes only, so
    long tick labels do not push it off the figure)."""
    fig = ax.get_figure()
    assert fig is not None
    fig.suptitle(_short(text, 80), x=0.01, ha="left", fontsize=12.5, fontweight="bold")


def _empty(ax: Axes, message: str) -> None:
    """A chart that does not apply: the message, no axes."""
    _title(ax, message)
    ax.set_axis_off()


def _legend_above(ax: Axes, n: int) -> None:
    """A one-row legend between the title and the axes (stacked bars cannot be labelled
    directly)."""
    ax.legend(
        loc="lower left",
        bbox_to_anchor=(0.0, 1.0),
        ncols=min(n, 2),
        fontsize=9,
        handlelength=1.2,
        columnspacing=1.2,
        borderaxespad=0.3,
    )


def _short(text: str, width: int = 34) -> str:
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


def _share(fraction: float) -> str:
    return "<1 %" if 0 < fraction < 0.005 else f"{fraction:.0%}".replace("%", " %")


def _benefit_label(label: str) -> str:
    """'Faster incident resolution (sev1): revenue kept' -> 'sev1 incidents: revenue kept'."""
    prefix = "Faster incident resolution ("
    if label.startswith(prefix) and "): " in label:
        sev, rest = label[len(prefix) :].split("): ", 1)
        return f"{sev} incidents: {rest}"
    return label


# --------------------------------------------------------------------------------------------
# Business case
# --------------------------------------------------------------------------------------------


@styled
def benefits_by_category(evaluation: Evaluation, option_key: str | None = None) -> Figure:
    """Ranked horizontal bars of each benefit's risk-adjusted present value."""
    key = option_key or focus_option(evaluation)
    cur = evaluation.scenario.currency
    rows = [(line, pv) for line, pv in benefit_rows(evaluation, key) if pv > 0]
    fig = figure(8, max(2.6, 1.2 + 0.42 * max(len(rows), 1)))
    ax = fig.add_subplot()
    if not rows:
        _empty(ax, "No benefit has value under these assumptions")
        return fig
    labels = [_benefit_label(line.label) for line, _ in rows][::-1]
    values = [pv for _, pv in rows][::-1]
    bars = ax.barh(labels, values, color=BENEFIT, height=0.62)
    total = sum(values)
    for bar, v in zip(bars, values, strict=True):
        ax.annotate(
            f"{compact_money(v, cur)}  ({_share(v / total)})",
            xy=(bar.get_width(), bar.get_y() + bar.get_height() / 2),
            xytext=(4, 0),
            textcoords="offset points",
            va="center",
            fontsize=9.5,
            color=TEXT,
        )
    groups: dict[str, float] = {}
    for line, pv in rows:
        groups[line.group] = groups.get(line.group, 0.0) + pv
    ranked = sorted(groups.items(), key=lambda g: -g[1])
    shares = ", ".join(
        f"{_share(v / total)} {_GROUP_WORDS.get(g, g.lower())}" for g, v in ranked[:3]
    )
    title = f"{compact_money(total, cur)} of benefits over {_years_text(evaluation)}: {shares}"
    _title(ax, _short(title, 90))
    ax.set_xlim(0, max(values) * 1.3)
    ax.grid(axis="y", visible=False)
    ax.grid(axis="x", visible=True)
    _money_axis(ax, "x", f"Present value over {_years_text(evaluation)}, risk-adjusted", cur)
    return fig


def _years_text(evaluation: Evaluation) -> str:
    return horizon_text(int(evaluation.months[-1]))


def _cost_segments(evaluation: Evaluation, option: OptionResult) -> dict[str, float]:
    """Risk-adjusted PV of one option's costs: one-off, then recurring by group."""
    out: dict[str, float] = {}
    pv = option_figures(evaluation, option.key)
    for line in option.lines:
        if line.category != "cost":
            continue
        group = "One-off" if line.one_off else line.group
        out[group] = out.get(group, 0.0) + _f(pv[f"pv.{line.key}"])
    return out


@styled
def cost_structure(evaluation: Evaluation) -> Figure:
    """Each option's present value of costs, one-off against recurring by group."""
    cur = evaluation.scenario.currency
    options = non_baseline(evaluation)
    fig = figure(8, max(2.8, 1.6 + 0.55 * len(options)))
    ax = fig.add_subplot()
    segments = {o.key: _cost_segments(evaluation, o) for o in options}
    groups = [g for g in _GROUP_COLOURS if any(g in s for s in segments.values())]
    groups += sorted({g for s in segments.values() for g in s} - set(groups))
    names = [o.label for o in options][::-1]
    left = np.zeros(len(options))
    for g in groups:
        widths = np.array([segments[o.key].get(g, 0.0) for o in options][::-1])
        ax.barh(
            names,
            widths,
            left=left,
            color=_GROUP_COLOURS.get(g, NEUTRAL),
            height=0.6,
            label=g if g == "One-off" else f"{g} (recurring)",
        )
        left += widths
    for y, total in enumerate(left):
        ax.annotate(
            compact_money(total, cur),
            xy=(total, y),
            xytext=(4, 0),
            textcoords="offset points",
            va="center",
            fontsize=9.5,
            fontweight="bold",
            color=TEXT,
        )
    cheapest = min(options, key=lambda o: _f(o.kpis["pv_costs"]))
    _title(
        ax,
        _short(
            f"{_name(cheapest.label, names)} costs "
            + ("least: " if len(options) > 1 else "")
            + f"{compact_money(_f(cheapest.kpis['pv_costs']), cur)} over {_years_text(evaluation)}",
            80,
        ),
    )
    ax.set_xlim(0, max(left.max(), 1.0) * 1.18)
    if len(options) == 1:
        ax.set_ylim(-0.9, 0.9)  # one bar: keep it a bar, not a block
    ax.grid(axis="y", visible=False)
    ax.grid(axis="x", visible=True)
    _legend_above(ax, len(groups))
    _money_axis(ax, "x", "Present value of costs, risk-adjusted", cur)
    return fig


@styled
def cumulative_cost(evaluation: Evaluation) -> Figure:
    """Cumulative risk-adjusted cost per option over the horizon, self-run crossover marked."""
    cur = evaluation.scenario.currency
    t = evaluation.months
    horizon = int(t[-1])
    options = non_baseline(evaluation)
    keys = list(evaluation.options)
    labels = [o.label for o in options]
    fig = figure()
    ax = fig.add_subplot()
    ends = []
    for o in options:
        cum = np.cumsum(np.asarray(o.costs, dtype=float))
        ax.plot(t, cum, color=option_colour(o.key, keys), lw=2.6 if o.key == "self-run" else 2.0)
        ends.append(float(cum[-1]))
    ax.set_ylim(0, max(ends) * 1.08 if ends else 1)
    _months_axis(ax, horizon)
    xs = crossovers(evaluation)
    title = f"Cumulative cost over {horizon} months"
    if len(options) > 1:
        cheapest_option = min(options, key=lambda o: float(np.sum(o.costs)))
        title = (
            f"{_name(cheapest_option.label, labels)} costs least over {horizon} months: "
            f"{compact_money(float(np.sum(cheapest_option.costs)), cur)}"
        )
    if len(options) == 1:
        title = (
            f"{_name(options[0].label)} costs {compact_money(ends[0], cur)} over {horizon} months"
        )
    if xs:
        self_cum = np.cumsum(np.asarray(evaluation.options["self-run"].costs, dtype=float))
        found = [x for x in xs if math.isfinite(x.month)]
        if found:
            first = min(found, key=lambda x: x.month)
            vendor = _name(evaluation.options[first.vendor].label, labels)
            m = int(first.month)
            if m == 0:
                title = f"Self-run is cheaper than {vendor} from the start"
            else:
                title = f"Self-run becomes cheaper than {vendor} in month {m}"
                ax.axvline(m, color=NEUTRAL, lw=1, ls="--")
                ax.plot([m], [self_cum[m]], "o", color=TEXT, ms=6, zorder=5)
                ax.annotate(
                    f"month {m}",
                    xy=(m, self_cum[m]),
                    xytext=(6, -14),
                    textcoords="offset points",
                    fontsize=9.5,
                    color=TEXT,
                )
        else:
            cheapest = min(
                (evaluation.options[x.vendor] for x in xs),
                key=lambda o: _f(np.sum(o.costs)),
            )
            title = (
                f"Self-run stays dearer than {_name(cheapest.label, labels)} over {horizon} months"
            )
    _title(ax, _short(title, 80))
    _end_labels(
        ax,
        horizon,
        ends,
        [_name(o.label, labels) for o in options],
        [option_colour(o.key, keys) for o in options],
    )
    _money_axis(ax, "y", "Cumulative cost, risk-adjusted", cur)
    return fig


@styled
def run_rate_vs_traffic(sweep: TrafficSweep) -> Figure:
    """Monthly run rate of each option as traffic grows (log-log), crossover marked."""
    cur = sweep.currency
    keys = ["do-nothing", *sweep.run_rate]
    fig = figure()
    ax = fig.add_subplot()
    x = sweep.multiples
    ends = []
    for key, y in sweep.run_rate.items():
        ax.plot(x, y, color=option_colour(key, keys), lw=2.6 if key == "self-run" else 2.0)
        ends.append(float(y[-1]))
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _p: f"{v:g}×"))
    ax.set_xlabel("Traffic, multiple of today's (requests and APM hosts)")
    ax.set_xlim(x[0], x[-1])
    ax.axvline(1.0, color=NEUTRAL, lw=1, ls=":")
    ax.annotate(
        "today",
        xy=(1.0, 1.0),
        xycoords=("data", "axes fraction"),
        xytext=(3, -12),
        textcoords="offset points",
        fontsize=9,
        color=TEXT,
    )
    vendors = [k for k in sweep.run_rate if k != "self-run"]
    title = "Monthly run rate as traffic grows"
    if len(sweep.run_rate) > 1:
        today_rate = {k: float(np.interp(0.0, np.log(x), y)) for k, y in sweep.run_rate.items()}
        best = min(today_rate, key=lambda k: today_rate[k])
        title = (
            f"{_name(sweep.labels[best], list(sweep.labels.values()))} is cheapest at today's "
            f"traffic: {compact_money(today_rate[best], cur)}/month"
        )
    if len(sweep.run_rate) == 1:
        key, y = next(iter(sweep.run_rate.items()))
        now = float(np.interp(0.0, np.log(x), y))
        ten = float(np.interp(np.log(10.0), np.log(x), y))
        title = (
            f"{_name(sweep.labels[key])} runs at {compact_money(now, cur)}/month today, "
            f"{compact_money(ten, cur)} at 10× traffic"
        )
    if "self-run" in sweep.run_rate and vendors:
        today = int(np.argmin(np.abs(np.log(x))))
        cheapest = min(vendors, key=lambda k: sweep.run_rate[k][today])
        m = traffic_crossover(sweep, cheapest)
        name = _name(sweep.labels[cheapest], list(sweep.labels.values()))
        if math.isnan(m):
            title = f"Self-run stays dearer than {name} at every traffic level shown"
        elif m <= x[0]:
            title = f"Self-run is cheaper than {name} at every traffic level shown"
        else:
            at = math.exp(
                float(np.interp(np.log(m), np.log(x), np.log(sweep.run_rate["self-run"])))
            )
            ax.plot([m], [at], "o", color=TEXT, ms=6, zorder=5)
            ax.annotate(
                f"{m:.2g}× today",
                xy=(m, at),
                xytext=(6, 8),
                textcoords="offset points",
                fontsize=9.5,
                color=TEXT,
            )
            title = (
                f"Self-run is cheaper than {name} from {m:.2g}× today's traffic"
                if m > 1
                else f"Self-run undercuts {name} above {m:.2g}× today's traffic"
            )
    _title(ax, _short(title, 80))
    lo, hi = ax.get_ylim()
    ax.set_ylim(lo, hi * 1.5)
    ax.yaxis.set_major_formatter(money_formatter(cur))
    ax.yaxis.set_major_locator(LogLocator(subs=(1.0, 2.0, 5.0)))
    ax.yaxis.set_minor_formatter(NullFormatter())
    ax.set_ylabel(f"Monthly run rate, log scale ({cur})")
    _log_end_labels(
        ax,
        float(x[-1]),
        ends,
        [_name(sweep.labels[k], list(sweep.labels.values())) for k in sweep.run_rate],
        [option_colour(k, keys) for k in sweep.run_rate],
    )
    return fig


def _log_end_labels(
    ax: Axes, x: float, ys: Sequence[float], labels: Sequence[str], colours: Sequence[str]
) -> None:
    """End labels on a log y axis: spacing in log units."""
    if not ys:
        return
    logs = [math.log10(max(y, 1e-12)) for y in ys]
    lo, hi = (math.log10(v) for v in ax.get_ylim())
    gap = 0.06 * (hi - lo)
    order = np.argsort(logs)
    placed: list[float] = []
    for i in order:
        y = logs[i]
        if placed and y < placed[-1] + gap:
            y = placed[-1] + gap
        placed.append(y)
    for rank, i in enumerate(order):
        ax.annotate(
            labels[i],
            xy=(x, ys[i]),
            xytext=(x * 1.08, 10 ** placed[rank]),
            textcoords="data",
            ha="left",
            va="center",
            color=_readable(colours[i]),
            fontsize=9.5,
            fontweight="bold",
            annotation_clip=False,
        )


@styled
def cumulative_net_cash(evaluation: Evaluation) -> Figure:
    """Cumulative risk-adjusted net cash per option, payback month marked."""
    cur = evaluation.scenario.currency
    t = evaluation.months
    horizon = int(t[-1])
    options = non_baseline(evaluation)
    keys = list(evaluation.options)
    labels = [o.label for o in options]
    fig = figure()
    ax = fig.add_subplot()
    ends = []
    lows = [0.0]
    dots = 0
    for o in options:
        cum = np.cumsum(np.asarray(o.net, dtype=float))
        ax.plot(t, cum, color=option_colour(o.key, keys), lw=2.2)
        ends.append(float(cum[-1]))
        lows.append(float(cum.min()))
        p = _f(o.kpis["payback_months"])
        if math.isfinite(p) and p > 0:
            ax.plot([p], [cum[int(p)]], "o", color=option_colour(o.key, keys), ms=6, zorder=5)
            dots += 1
    ax.axhline(0, color=TEXT, lw=0.9)
    _months_axis(ax, horizon)
    top = max([*ends, 1.0])
    ax.set_ylim(min(lows) - 0.05 * (top - min(lows)), top * 1.08)
    best = evaluation.options[focus_option(evaluation)] if options else None
    if best is None:
        title = "No option to compare"
    else:
        p = _f(best.kpis["payback_months"])
        end = float(np.cumsum(np.asarray(best.net, dtype=float))[-1])
        if math.isfinite(p):
            when = "at once" if p == 0 else f"in month {int(p)}"
            title = (
                f"{_name(best.label, labels)} pays back {when}, "
                f"{compact_money(end, cur)} ahead by month {horizon}"
            )
        else:
            title = f"{_name(best.label, labels)} does not pay back within {horizon} months"
    _title(ax, _short(title, 84))
    _end_labels(
        ax,
        horizon,
        ends,
        [_name(o.label, labels) for o in options],
        [option_colour(o.key, keys) for o in options],
    )
    _money_axis(ax, "y", "Cumulative net cash, risk-adjusted", cur)
    if dots:
        ax.annotate(
            "dots: payback month",
            xy=(0.01, 0.97),
            xycoords="axes fraction",
            va="top",
            fontsize=8.5,
            color=TEXT,
        )
    return fig


@styled
def incident_hours(evaluation: Evaluation) -> Figure:
    """Incident hours a year per severity, today against with tracing."""
    f = evaluation.figures
    sevs = list(evaluation.scenario.incidents.severities)
    before = [_f(f[f"downtime_hours_per_year_before.{s}"]) for s in sevs]
    after = [_f(f[f"downtime_hours_per_year_after.{s}"]) for s in sevs]
    fig = figure(8, 4.2)
    ax = fig.add_subplot()
    x = np.arange(len(sevs))
    w = 0.34
    b1 = ax.bar(x - w / 2, before, w, color=COST, label="today")
    b2 = ax.bar(x + w / 2, after, w, color=accent(), label="with tracing")
    for bars in (b1, b2):
        for bar in bars:
            ax.annotate(
                number(bar.get_height()),
                xy=(bar.get_x() + bar.get_width() / 2, bar.get_height()),
                xytext=(0, 3),
                textcoords="offset points",
                ha="center",
                fontsize=9.5,
                color=TEXT,
            )
    ax.set_xticks(x, sevs)
    ax.set_xlim(-1.1, 1.1) if len(sevs) == 1 else ax.set_xlim(-0.6, len(sevs) - 0.4)
    ax.set_xlabel("Severity")
    ax.set_ylabel("Incident hours a year (h/year)")
    ax.set_ylim(0, max([*before, 1.0]) * 1.18)
    tb, ta = _f(f["downtime_hours_per_year_before"]), _f(f["downtime_hours_per_year_after"])
    _title(
        ax,
        f"Tracing cuts incident hours from {tb:,.0f} to {ta:,.0f} a year"
        if tb > 0
        else "No incident hours in this scenario",
    )
    _legend_above(ax, 2)
    return fig


@styled
def latency_waterfall(evaluation: Evaluation) -> Figure:
    """Latency before → tracing-led fixes → instrumentation overhead → after [ms]."""
    lat = evaluation.scenario.latency
    fig = figure(8, 4.2)
    ax = fig.add_subplot()
    if lat is None:
        _empty(ax, "No latency section in this scenario")
        return fig
    f = figures(evaluation)
    overhead = _f(f["instrumentation_overhead_ms"])
    before = evaluation.inputs["latency.latency_ms_before"].point
    after = _f(f["latency_ms_with_tracing"])
    fixes = _f(f["latency_fixes_ms"])
    names = ["Today", "Tracing-led fixes", "Instrumentation overhead", "With tracing"]
    bottoms = [0.0, before - fixes, before - fixes, 0.0]
    heights = [before, fixes, overhead, after]
    colours = [NEUTRAL, BENEFIT, COST, accent()]
    bars = ax.bar(names, heights, bottom=bottoms, color=colours, width=0.6)
    texts = [
        f"{number(before)} ms",
        f"−{number(fixes)} ms",
        f"+{number(overhead)} ms",
        f"{number(after)} ms",
    ]
    for bar, text in zip(bars, texts, strict=True):
        ax.annotate(
            text,
            xy=(bar.get_x() + bar.get_width() / 2, bar.get_y() + bar.get_height()),
            xytext=(0, 3),
            textcoords="offset points",
            ha="center",
            fontsize=9.5,
            color=TEXT,
        )
    # Connectors between the steps.
    levels = [before, before - fixes, after]
    for k, level in enumerate(levels):
        ax.plot([k + 0.3, k + 0.7], [level, level], color=NEUTRAL, lw=0.8)
    ax.set_ylim(0, before * 1.12)
    ax.set_ylabel(f"{lat.percentile} {lat.journey} latency (ms)")
    _title(
        ax,
        _short(
            f"{lat.journey.capitalize()} {lat.percentile}: {number(before)} → {number(after)} ms; "
            f"instrumentation adds {number(overhead)} ms",
            84,
        ),
    )
    ax.grid(axis="x", visible=False)
    return fig


@styled
def start_lean(sweep: SpansSweep, option_key: str | None = None) -> Figure:
    """The "start lean" curve: net latency value (top) and stack cost (bottom) a year against
    spans per request."""
    cur = sweep.currency
    x = sweep.spans
    keys = ["do-nothing", *sweep.stack_cost_per_year]
    key = option_key if option_key in sweep.stack_cost_per_year else None
    if key is None:
        key = (
            "self-run"
            if "self-run" in sweep.stack_cost_per_year
            else next(iter(sweep.stack_cost_per_year))
        )
    has_value = bool(np.any(sweep.latency_value_per_year != 0))
    fig = figure(8, 5.6 if has_value else 4.2)
    if has_value:
        top, bottom = fig.subplots(2, 1, sharex=True, height_ratios=[1, 1.25])
        top.plot(x, sweep.latency_value_per_year, color=BENEFIT, lw=2.6)
        lo, hi = (
            float(sweep.latency_value_per_year.min()),
            float(sweep.latency_value_per_year.max()),
        )
        pad = max(0.08 * (hi - lo), 0.02 * abs(hi), 1.0)
        top.set_ylim(lo - pad, hi + pad)
        _money_axis(top, "y", "Latency value a year", cur)
        top.yaxis.label.set_fontsize(9.5)
        top.axvline(sweep.current, color=NEUTRAL, ls="--", lw=1)
        top.annotate(
            "net conversion value (overhead subtracted)",
            xy=(0.99, 0.06),
            xycoords="axes fraction",
            ha="right",
            va="bottom",
            fontsize=9.5,
            fontweight="bold",
            color=BENEFIT,
        )
        axes = [top, bottom]
    else:
        bottom = fig.add_subplot()
        axes = [bottom]
    labels, ends, colours = [], [], []
    for k, y in sweep.stack_cost_per_year.items():
        bottom.plot(x, y, color=option_colour(k, keys), lw=2.6 if k == key else 1.6)
        labels.append(_name(sweep.labels[k], list(sweep.labels.values())))
        ends.append(float(y[-1]))
        colours.append(option_colour(k, keys))
    highs = [float(np.max(y)) for y in sweep.stack_cost_per_year.values()]
    bottom.set_ylim(0, max(highs) * 1.12 or 1.0)
    bottom.axvline(sweep.current, color=NEUTRAL, ls="--", lw=1)
    axes[0].annotate(
        f"today: {number(sweep.current)} spans",
        xy=(sweep.current, 1.0),
        xycoords=("data", "axes fraction"),
        xytext=(4, -12),
        textcoords="offset points",
        fontsize=9,
        color=TEXT,
    )
    bottom.set_xlim(0, x[-1])
    bottom.set_xlabel("Spans per request")
    _money_axis(bottom, "y", "Stack cost a year", cur)
    bottom.yaxis.label.set_fontsize(9.5)
    _end_labels(bottom, float(x[-1]), ends, labels, colours)
    i_now = int(np.argmin(np.abs(x - sweep.current)))
    cost_now = float(sweep.stack_cost_per_year[key][i_now] - sweep.stack_cost_per_year[key][0])
    lost = float(sweep.latency_value_per_year[0] - sweep.latency_value_per_year[i_now])
    n = number(sweep.current)
    if has_value:
        title = (
            f"{n} spans per request cost {compact_money(lost, cur)} a year in conversions "
            f"and {compact_money(cost_now, cur)} in stack"
        )
    else:
        title = f"{n} spans per request add {compact_money(cost_now, cur)} a year to the stack"
    _title(bottom, _short(title, 86))
    return fig


@styled
def vendor_bill_components(evaluation: Evaluation) -> Figure:
    """Each vendor's monthly bill by component, at today's volume and at the horizon."""
    cur = evaluation.scenario.currency
    vendors = [o for o in evaluation.options.values() if o.kind == "managed"]
    horizon = int(evaluation.months[-1])
    fig = figure(8, max(2.8, 1.6 + 0.75 * len(vendors)))
    ax = fig.add_subplot()
    if not vendors:
        _empty(ax, "No managed vendor in this scenario")
        return fig
    names: list[str] = []
    stacks: list[dict[str, float]] = []
    for o in vendors:
        today: dict[str, float] = {}
        end: dict[str, float] = {}
        for li in o.lines:
            if li.key.startswith("cost.vendor."):
                driver = li.key.rsplit(".", 1)[1]
                today[driver] = _f(li.run_rate)
                end[driver] = float(np.asarray(li.series)[..., -1])
        short = _name(o.label, [v.label for v in vendors])
        names += [f"{short}, month {horizon}", f"{short}, today"]
        stacks += [end, today]
    drivers = [d for d in _COMPONENT_COLOURS if any(s.get(d, 0) > 0 for s in stacks)]
    y = np.arange(len(names))[::-1]
    left = np.zeros(len(names))
    for d in drivers:
        w = np.array([s.get(d, 0.0) for s in stacks])
        ax.barh(y, w, left=left, color=_COMPONENT_COLOURS[d], height=0.62, label=_driver_name(d))
        left += w
    for yy, total in zip(y, left, strict=True):
        ax.annotate(
            compact_money(total, cur),
            xy=(total, yy),
            xytext=(4, 0),
            textcoords="offset points",
            va="center",
            fontsize=9.5,
            color=TEXT,
        )
    ax.set_yticks(y, names)
    ax.set_xlim(0, max(left.max(), 1.0) * 1.2)
    ax.grid(axis="y", visible=False)
    ax.grid(axis="x", visible=True)
    _legend_above(ax, len(drivers))
    biggest = int(np.argmax(left[0::2]))
    end_stack = stacks[2 * biggest]
    main = max(end_stack, key=lambda d: end_stack[d]) if end_stack else ""
    share = end_stack.get(main, 0.0) / left[2 * biggest] if left[2 * biggest] else 0.0
    title = (
        f"{_name(vendors[biggest].label, [v.label for v in vendors])} reaches "
        f"{compact_money(left[2 * biggest], cur)} a month, "
        f"{_share(share)} {_driver_name(main)}"
    )
    _title(ax, _short(title, 84))
    _money_axis(ax, "x", "Monthly bill at list prices", cur)
    return fig


def _driver_name(driver: str) -> str:
    from roi.inputs.presets import DRIVER_UNITS

    return DRIVER_UNITS.get(driver, driver)


@styled
def lock_in(evaluation: Evaluation) -> Figure:
    """The cost of leaving a vendor later: proprietary SDK against OpenTelemetry."""
    cur = evaluation.scenario.currency
    f = evaluation.figures
    fig = figure(8, 2.8)
    ax = fig.add_subplot()
    if "exit_cost_proprietary_sdk" not in f:
        _empty(ax, "No managed vendor, so no lock-in to price")
        return fig
    prop, otel = _f(f["exit_cost_proprietary_sdk"]), _f(f["exit_cost_otel"])
    bars = ax.barh(
        ["OpenTelemetry SDKs", "Proprietary SDK"], [otel, prop], color=[BENEFIT, COST], height=0.55
    )
    for bar in bars:
        ax.annotate(
            compact_money(bar.get_width(), cur),
            xy=(bar.get_width(), bar.get_y() + bar.get_height() / 2),
            xytext=(4, 0),
            textcoords="offset points",
            va="center",
            fontsize=10,
            fontweight="bold",
            color=TEXT,
        )
    ax.set_xlim(0, max(prop, otel, 1.0) * 1.2)
    ax.grid(axis="y", visible=False)
    ax.grid(axis="x", visible=True)
    ratio = prop / otel if otel else math.inf
    _title(
        ax,
        _short(
            f"Leaving a vendor costs {ratio:.0f}× more with a proprietary SDK"
            if math.isfinite(ratio)
            else "Leaving a vendor with OpenTelemetry is configuration only",
            84,
        ),
    )
    _money_axis(ax, "x", "One-off cost of moving to another backend", cur)
    return fig


def _vendor_bill(option: OptionResult) -> np.ndarray:
    bill = [
        np.asarray(li.series, dtype=float)
        for li in option.lines
        if li.key.startswith("cost.vendor.")
    ]
    return np.sum(bill, axis=0) if bill else np.zeros(0)


def bill_growth_title(evaluation: Evaluation) -> tuple[str, str]:
    """The bill-growth chart's finding and its reason: which bills outgrow traffic, by how much,
    the component that grew and why (:func:`roi.present.read.bill_growth_reasons`); or that the
    bills grow with traffic alone."""
    found = bill_growth_reasons(evaluation)
    labels = [b.label for b in found]
    flat = evaluation.inputs["timeline.traffic_growth_per_month"].point == 0
    faster = [b for b in found if b.ratio > FASTER_THAN_TRAFFIC and b.component]
    others = [_name(b.label, labels) for b in found if b not in faster]
    if not faster:
        if flat:
            return "Traffic is flat, and so are the bills", ""
        return (
            "Every vendor's bill grows with traffic alone",
            "No component grows faster than traffic: no span depth, services growth or "
            "allowance running out moves a bill.",
        )
    names = [_name(b.label, labels) for b in faster]
    who = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
    top = max(b.ratio for b in faster)
    low = min(b.ratio for b in faster)
    times = f"{top:.2f}×" if top - low < 0.02 else f"{low:.2f}–{top:.2f}×"
    title = f"{who} bill{'s' if len(names) > 1 else ''} grow {times} as fast as traffic"
    if len(names) == 1:
        title = f"{who}'s bill grows {times} as fast as traffic"
    reasons = sorted({b.reason for b in faster})
    components = sorted({b.component or "" for b in faster})
    reason = f"Because {' and '.join(reasons)}: {' and '.join(components)} grow with it"
    if others:
        reason += f"; {', '.join(others)} grow with traffic alone"
    return title, reason + "."


@styled
def bill_growth(evaluation: Evaluation) -> Figure:
    """Each vendor's bill against traffic, both as an index of the first month at full adoption
    (``vendor_bill_start_month``), titled with which bills outgrow traffic and why
    (:func:`bill_growth_title`)."""
    vendors = [o for o in evaluation.options.values() if o.kind == "managed"]
    keys = list(evaluation.options)
    t = evaluation.months
    horizon = int(t[-1])
    fig = figure()
    ax = fig.add_subplot()
    if not vendors:
        _empty(ax, "No managed vendor in this scenario")
        return fig
    # From full adoption (the end of the rollout, when every service is instrumented): before
    # it, a bill ramps with adoption, not traffic.
    first = max(
        _f(o.figures.get("vendor_bill_start_month", o.figures["onboarding_months"]))
        for o in vendors
    )
    start = int(min(horizon, math.ceil(first)))
    start = max(start, 1)
    growth = np.asarray(figures(evaluation)["traffic_index"], dtype=float)
    traffic = growth / growth[start]
    ax.plot(t[start:], traffic[start:], color=TEXT, lw=2.0, ls="--")
    ends, labels, colours = [float(traffic[-1])], ["traffic"], [TEXT]
    for o in vendors:
        bill = _vendor_bill(o)
        if bill.size == 0 or bill[start] <= 0:
            continue
        index = bill / bill[start]
        ax.plot(t[start:], index[start:], color=option_colour(o.key, keys), lw=2.2)
        ends.append(float(index[-1]))
        labels.append(_name(o.label, [v.label for v in vendors]))
        colours.append(option_colour(o.key, keys))
    _months_axis(ax, horizon)
    ax.set_ylim(min([*ends, 1.0]) * 0.9, max(ends) * 1.1)
    ax.set_ylabel(f"Index (month {start} = 1)")
    title, reason = bill_growth_title(evaluation)
    _title(ax, _short(title, 84))
    if reason:
        ax.set_title(
            "\n".join(_short(part, 100) for part in reason.split("; ")),
            loc="left",
            fontsize=9.5,
            fontweight="normal",
            color=TEXT,
        )
    _end_labels(ax, horizon, ends, labels, colours)
    return fig


@styled
def mttr_breakeven(sweep: MttrSweep, option_key: str | None = None) -> Figure:
    """NPV against the MTTR reduction, break-even marked; incidents alone when latency exists."""
    cur = sweep.currency
    keys = ["do-nothing", *sweep.labels]
    fig = figure()
    ax = fig.add_subplot()
    x = sweep.reductions
    separate = any(not np.array_equal(sweep.npv[k], sweep.npv_incidents_only[k]) for k in sweep.npv)
    curves = sweep.npv_incidents_only
    ends = []
    for k, y in curves.items():
        ax.plot(x, y, color=option_colour(k, keys), lw=2.2)
        ends.append(float(y[-1]))
        be = (sweep.breakeven_incidents_only if separate else sweep.breakeven)[k]
        if math.isfinite(be) and be > 0:
            ax.plot([be], [0], "o", color=option_colour(k, keys), ms=6, zorder=5)
    lo_cur, hi_cur = min(sweep.current.values()), max(sweep.current.values())
    ax.axvspan(lo_cur - 0.005, hi_cur + 0.005, color=NEUTRAL, alpha=0.25, lw=0)
    ax.annotate(
        "assumed",
        xy=((lo_cur + hi_cur) / 2, 1.0),
        xycoords=("data", "axes fraction"),
        xytext=(0, -12),
        textcoords="offset points",
        ha="center",
        fontsize=9,
        color=TEXT,
    )
    ax.axhline(0, color=TEXT, lw=0.9)
    ax.set_xlim(0, x[-1])
    ax.xaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
    ax.set_xlabel("MTTR reduction, every severity")
    key = option_key if option_key in curves else next(iter(curves))
    be = (sweep.breakeven_incidents_only if separate else sweep.breakeven)[key]
    name = _name(sweep.labels[key], list(sweep.labels.values()))
    subject = "Incidents alone pay for" if separate else "Break-even for"
    if math.isnan(be):
        title = f"{name}: incidents alone do not pay for it, even at {_share(x[-1])} faster"
    elif be == 0:
        title = f"{name} pays for itself with no MTTR reduction at all"
    else:
        title = f"{subject} {name} once MTTR falls by {_share(be)}"
    _title(ax, _short(title, 86))
    _end_labels(
        ax,
        float(x[-1]),
        ends,
        [_name(sweep.labels[k], list(sweep.labels.values())) for k in curves],
        [option_colour(k, keys) for k in curves],
    )
    label = "NPV, incidents only" if separate else "NPV"
    _money_axis(ax, "y", f"{label}, risk-adjusted", cur)
    return fig


@styled
def elasticity_presets(rows: Sequence[ElasticityRow], currency: str) -> Figure:
    """Conversion value a year under every published elasticity, the scenario's highlighted."""
    fig = figure(8, 3.6)
    ax = fig.add_subplot()
    if not rows:
        _empty(ax, "No latency section in this scenario")
        return fig
    ordered = sorted(rows, key=lambda r: r.value_per_year)
    names = [f"{r.key} ({r.conversion_lift_per_100ms * 100:.2g} %/100 ms)" for r in ordered]
    colours = [OKABE_ITO["orange"] if r.used else OKABE_ITO["sky"] for r in ordered]
    bars = ax.barh(names, [r.value_per_year for r in ordered], color=colours, height=0.6)
    for bar, r in zip(bars, ordered, strict=True):
        ax.annotate(
            compact_money(r.value_per_year, currency) + ("  ← this scenario" if r.used else ""),
            xy=(bar.get_width(), bar.get_y() + bar.get_height() / 2),
            xytext=(4, 0),
            textcoords="offset points",
            va="center",
            fontsize=9.5,
            fontweight="bold" if r.used else "normal",
            color=TEXT,
        )
    values = [r.value_per_year for r in ordered]
    ax.set_xlim(0, max(values) * 1.35 if max(values) > 0 else 1)
    ax.grid(axis="y", visible=False)
    ax.grid(axis="x", visible=True)
    lo, hi = values[0], values[-1]
    capped = sum(1 for v in values if math.isclose(v, hi, rel_tol=1e-9))
    spread = " (top ones capped)" if capped > 1 else f" ({hi / lo:.0f}×)" if lo > 0 else ""
    _title(
        ax,
        _short(
            f"Published elasticities: {compact_money(lo, currency)} to "
            f"{compact_money(hi, currency)} a year{spread}",
            86,
        ),
    )
    _money_axis(ax, "x", "Conversion value a year, before risk adjustment", currency)
    ax.xaxis.set_major_locator(MaxNLocator(6))
    return fig
