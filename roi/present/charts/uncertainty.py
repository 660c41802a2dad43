"""Charts of uncertainty: how sure the business case is and which assumption moves it.

* :func:`npv_distribution` — histogram of an option's NPV over the Monte Carlo samples, with
  P10 / P50 / P90, the point estimate and the loss side marked;
* :func:`cumulative_cash_fan` — cumulative net cash by month per option: the median line inside
  its P10–P90 band;
* :func:`tornado_chart` — each ranged input's swing of a KPI, largest first.

Every function takes computed results (:class:`roi.analysis.montecarlo.Simulation`,
:class:`roi.analysis.sensitivity.Tornado`) and returns a ``matplotlib.figure.Figure`` built without
pyplot, in the package style, titled with the finding, with units and currency on the axes.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.ticker import FuncFormatter, MaxNLocator
from matplotlib.transforms import blended_transform_factory

from roi.analysis.montecarlo import Simulation
from roi.analysis.sensitivity import Tornado
from roi.present.charts import (
    COST,
    NEUTRAL,
    OKABE_ITO,
    figure,
    money_formatter,
    option_colour,
    styled,
)
from roi.present.formatting import compact_money, months_text, percent
from roi.present.text import format_input

TEXT = "#333333"
MUTED = "#666666"
LOW_INPUT = OKABE_ITO["sky"]
HIGH_INPUT = OKABE_ITO["orange"]


def _subtitle(ax: Axes, text: str) -> None:
    """A one-line grey subtitle under the figure's title, aligned with the figure's left edge."""
    title = ax.set_title(text, fontsize=9.5, fontweight="normal", color=MUTED, loc="left", pad=6)
    fig = ax.get_figure()
    assert fig is not None
    title.set_transform(blended_transform_factory(fig.transFigure, title.get_transform()))
    title.set_x(0.01)


def short_label(label: str) -> str:
    """An option's label without its parenthesis: 'Datadog APM (annual)' -> 'Datadog APM'.

    >>> short_label("Self-run (OTel Collector + Tempo)")
    'Self-run'
    """
    return label.split(" (")[0]


def _headline(fig: Figure, text: str) -> None:
    fig.suptitle(text, x=0.01, ha="left", fontsize=12.5, fontweight="bold", color=TEXT)


# --- NPV distribution ---------------------------------------------------------------------------


@styled
def npv_distribution(sim: Simulation, option: str, currency: str) -> Figure:
    """Histogram of one option's NPV across the Monte Carlo samples.

    Parameters
    ----------
    sim : Simulation
        From :func:`roi.analysis.montecarlo.simulate`.
    option : str
        Option key (``self-run`` or a vendor key).
    currency : str
        ISO 4217 code, for the axis.

    Returns
    -------
    matplotlib.figure.Figure
        Bars in percent of samples between the 0.5th and 99.5th percentiles; P10, P50 and P90 as
        vertical lines, the point estimate as a marker, losses (NPV < 0) in vermillion with
        their probability.
    """
    o = sim.options[option]
    npv = o.kpis["npv"]
    stats = o.summary()["npv"]
    p10, p50, p90 = stats["p10"], stats["p50"], stats["p90"]
    colour = option_colour(option, ["do-nothing", *sim.options])
    lo, hi = np.percentile(npv, [0.5, 99.5])
    if hi <= lo:
        lo, hi = lo - max(1.0, abs(lo) * 0.05), hi + max(1.0, abs(hi) * 0.05)
    edges = np.linspace(lo, hi, 51)
    # The 0.5 % most extreme samples on each side stay off the axis (they would stretch it).
    counts, edges = np.histogram(npv, bins=edges)
    share = counts / npv.size * 100.0
    centres = (edges[:-1] + edges[1:]) / 2

    fig = figure(8.0, 4.6)
    ax = fig.add_subplot()
    ax.bar(
        centres,
        share,
        width=np.diff(edges),
        color=[COST if c < 0 else colour for c in centres],
        alpha=0.85,
        linewidth=0,
    )
    top = float(share.max()) * 1.32 if share.max() > 0 else 1.0
    ax.set_ylim(0, top)
    # Percentile lines, labelled at staggered heights so close lines stay legible.
    for k, (name, x, style) in enumerate(
        (("P10", p10, "--"), ("P50", p50, "-"), ("P90", p90, "--"))
    ):
        ax.axvline(x, color=TEXT, linestyle=style, linewidth=1.4 if name == "P50" else 1.1)
        ax.annotate(
            f"{name} {compact_money(x, currency)}",
            xy=(x, top * (0.95 - 0.08 * k)),
            xytext=(4, 0),
            textcoords="offset points",
            ha="left",
            va="center",
            fontsize=9.5,
            fontweight="bold" if name == "P50" else "normal",
            color=TEXT,
        )
    point = o.point["npv"]
    if lo <= point <= hi:
        ax.plot([point], [0], marker="^", markersize=10, color=TEXT, clip_on=False, zorder=5)
        ax.annotate(
            f"point estimate {compact_money(point, currency)}",
            xy=(point, 0),
            xytext=(0, 14),
            textcoords="offset points",
            ha="center",
            fontsize=9,
            color=TEXT,
            bbox={"facecolor": "white", "edgecolor": "none", "alpha": 0.8, "pad": 1.5},
        )
    if lo < 0 < hi:
        ax.axvline(0, color=COST, linewidth=1.0)
        ax.annotate(
            "break-even",
            xy=(0, top * 0.99),
            xytext=(-4, 0),
            textcoords="offset points",
            ha="right",
            va="top",
            fontsize=9,
            color=COST,
        )
    prob_loss = o.prob_npv_negative
    ax.xaxis.set_major_formatter(money_formatter(currency))
    ax.set_xlabel(
        f"Net present value over {int(sim.months[-1])} months ({currency}, risk-adjusted)"
    )
    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _p: f"{v:.0f} %"))
    ax.set_ylabel("Share of samples")
    _headline(
        fig,
        f"{short_label(o.label)}: 8 in 10 outcomes between {compact_money(p10, currency)} and "
        f"{compact_money(p90, currency)}",
    )
    _subtitle(
        ax,
        f"NPV of {sim.samples:,} Monte Carlo samples over {len(sim.inputs)} ranged inputs "
        f"(seed {sim.seed}); chance of a loss (NPV < 0, vermillion) {prob_loss * 100:.1f} %",
    )
    return fig


# --- cumulative cash fan ------------------------------------------------------------------------


@styled
def cumulative_cash_fan(
    sim: Simulation, currency: str, options: Sequence[str] | None = None
) -> Figure:
    """Cumulative risk-adjusted net cash by month, one panel per option: the median (P50) line
    inside the band that holds 8 in 10 samples (P10 to P90), other options' medians in grey.

    Parameters
    ----------
    sim : Simulation
        From :func:`roi.analysis.montecarlo.simulate`.
    currency : str
        ISO 4217 code, for the axis.
    options : sequence of str, optional
        Option keys to draw (default all).

    Returns
    -------
    matplotlib.figure.Figure
        Panels share the money axis. Where the band's lower edge crosses zero for good, even
        the pessimistic case has paid back (dotted line). Percentiles come from the first
        ``sim.fan_samples`` samples.
    """
    keys = list(options) if options is not None else list(sim.options)
    unknown = [k for k in keys if k not in sim.options]
    if unknown:
        raise KeyError(f"not an option of this simulation: {', '.join(unknown)}")
    if not keys:
        raise ValueError("no option to draw")
    all_keys = ["do-nothing", *sim.options]
    months = sim.months
    horizon = int(months[-1])
    ncols = min(len(keys), 3)
    nrows = -(-len(keys) // ncols)
    fig = figure(8.6 if ncols > 1 else 7.0, 1.5 + 2.8 * nrows)
    axes = fig.subplots(nrows, ncols, sharex=True, sharey=True, squeeze=False)
    paybacks = {}
    step = 12 if horizon > 24 else 6 if horizon > 12 else 3 if horizon > 6 else 1
    for n, k in enumerate(keys):
        ax = axes[n // ncols][n % ncols]
        o = sim.options[k]
        p10, p50, p90 = o.cumulative_net_percentiles
        c = option_colour(k, all_keys)
        for other in keys:
            if other != k:
                median = sim.options[other].cumulative_net_percentiles[1]
                ax.plot(months, median, color="#cccccc", linewidth=1.0, zorder=1)
        ax.fill_between(months, p10, p90, color=c, alpha=0.22, linewidth=0, zorder=2)
        ax.plot(months, p50, color=c, linewidth=2.4, zorder=3)
        ax.axhline(0, color=NEUTRAL, linewidth=0.9, zorder=1)
        ax.set_title(short_label(o.label), color=c, fontsize=11, loc="left", pad=4)
        ax.annotate(
            f"month {horizon}: {compact_money(float(p50[-1]), currency)}\n"
            f"8 in 10: {compact_money(float(p10[-1]), currency)} to "
            f"{compact_money(float(p90[-1]), currency)}",
            xy=(0.04, 0.96),
            xycoords="axes fraction",
            ha="left",
            va="top",
            fontsize=8.5,
            color=TEXT,
        )
        safe = p10 >= 0
        if safe[-1]:
            # The first month from which even P10 stays at or above zero.
            month = 0 if safe.all() else int(safe.size - np.argmin(safe[::-1]))
            paybacks[k] = month
            ax.axvline(month, color=c, linewidth=1.0, linestyle=":", zorder=1)
        ax.set_xticks(np.arange(0, horizon + 1, step))
        ax.set_xlim(0, horizon)
        ax.yaxis.set_major_formatter(money_formatter(currency))
    spare = [axes[n // ncols][n % ncols] for n in range(len(keys), nrows * ncols)]
    for ax in spare:
        ax.set_visible(False)
    for n in range(len(keys)):
        ax = axes[n // ncols][n % ncols]
        if n + ncols >= len(keys):  # nothing drawn below this panel
            ax.tick_params(labelbottom=True)
            ax.set_xlabel("Month (0 = Initial)")
    fig.supylabel(f"Cumulative net cash ({currency}, risk-adjusted)", fontsize=10.5, color=TEXT)
    if paybacks and len(paybacks) == len(keys):
        every = " for every option" if len(keys) > 1 else ""
        finding = (
            f"Even the pessimistic case (P10) has paid back by month {max(paybacks.values())}"
            f"{every}"
        )
    elif paybacks:
        finding = (
            f"In the pessimistic case (P10) {len(paybacks)} of {len(keys)} options pay back "
            f"within {horizon} months"
        )
    else:
        finding = f"In the pessimistic case (P10) no option pays back within {horizon} months"
    _headline(fig, finding)
    handles = [
        Line2D([], [], color=TEXT, linewidth=2.4, label="median (P50)"),
        Patch(color=TEXT, alpha=0.22, label="8 in 10 samples (P10 to P90)"),
        Line2D([], [], color=TEXT, linewidth=1.0, linestyle=":", label="P10 has paid back"),
        Line2D([], [], color="#cccccc", linewidth=1.0, label="other options' medians"),
    ]
    if spare:
        spare[0].set_visible(True)
        spare[0].axis("off")
        spare[0].legend(handles=handles, loc="center", fontsize=9)
    else:
        fig.legend(handles=handles, loc="outside lower center", ncols=4, fontsize=8.5)
    return fig


# --- tornado ------------------------------------------------------------------------------------


def _metric_text(metric: str, currency: str) -> Callable[[float], str]:
    if metric == "npv":
        return lambda v: compact_money(v, currency)
    if metric == "roi":
        return lambda v: percent(v)
    return lambda v: months_text(v) if math.isfinite(v) else "never"


@styled
def tornado_chart(tornado: Tornado, currency: str, max_rows: int = 12) -> Figure:
    """Tornado: each ranged input at its low and high, the KPI's swing, largest on top.

    Parameters
    ----------
    tornado : Tornado
        From :func:`roi.analysis.sensitivity.tornado`.
    currency : str
        ISO 4217 code, for the axis.
    max_rows : int
        Inputs shown; inputs with no effect on this option are left out and counted in the
        subtitle.

    Returns
    -------
    matplotlib.figure.Figure
        Bars start at the point estimate; sky blue is the input at its low (P5), orange at its
        high (P95). A payback that is never reached is drawn to the edge and labelled "never".
    """
    text = _metric_text(tornado.metric, currency)
    name = {"npv": "NPV", "roi": "ROI", "payback_months": "Payback"}[tornado.metric]
    moving = [r for r in tornado.rows if r.swing != 0]
    still = len(tornado.rows) - len(moving)
    rows = moving[:max_rows]
    base = tornado.base
    height = 1.6 + 0.52 * max(len(rows), 1)
    fig = figure(8.6, height)
    ax = fig.add_subplot()
    finite = [v for r in rows for v in (r.metric_low, r.metric_high) if math.isfinite(v)]
    finite += [base] if math.isfinite(base) else []
    lo_lim = min(finite) if finite else 0.0
    hi_lim = max(finite) if finite else 1.0
    span = (hi_lim - lo_lim) or max(abs(hi_lim), 1.0)
    edge = hi_lim + 0.12 * span  # where "never" bars end
    anchor = base if math.isfinite(base) else edge

    def end(v: float) -> float:
        return v if math.isfinite(v) else edge

    y = np.arange(len(rows))[::-1]
    for yi, r in zip(y, rows, strict=True):
        for v, c in ((r.metric_low, LOW_INPUT), (r.metric_high, HIGH_INPUT)):
            x1 = end(v)
            ax.barh(
                yi,
                x1 - anchor,
                left=anchor,
                height=0.62,
                color=c,
                hatch="//" if not math.isfinite(v) else None,
                edgecolor="white" if not math.isfinite(v) else "none",
            )
        for v in (r.metric_low, r.metric_high):
            if end(v) == anchor:
                continue
            right = end(v) > anchor
            ax.annotate(
                text(v),
                xy=(end(v), yi),
                xytext=(4 if right else -4, 0),
                textcoords="offset points",
                ha="left" if right else "right",
                va="center",
                fontsize=8.5,
                color=TEXT,
            )
    ax.set_yticks(
        y,
        [
            f"{r.label}\n{format_input(r.low, r.unit)} to {format_input(r.high, r.unit)}"
            for r in rows
        ],
        fontsize=9,
    )
    ax.tick_params(axis="y", length=0)
    ax.axvline(anchor, color=TEXT, linewidth=1.2)
    ax.set_ylim(-0.7, len(rows) - 0.3 + 0.55)
    ax.annotate(
        f"point estimate {text(base)}",
        xy=(anchor, len(rows) - 0.3 + 0.45),
        ha="center",
        va="top",
        fontsize=9,
        color=TEXT,
        fontweight="bold",
    )
    never = not math.isfinite(base) or any(
        not math.isfinite(v) for r in rows for v in (r.metric_low, r.metric_high)
    )
    pad = 0.22 * span
    ax.set_xlim(lo_lim - pad, edge + 0.06 * span if never else hi_lim + pad)
    ax.grid(axis="x", color="#e6e6e6")
    ax.grid(axis="y", visible=False)
    ax.spines["left"].set_visible(False)
    if tornado.metric == "npv":
        ax.xaxis.set_major_formatter(money_formatter(currency))
        ax.set_xlabel(f"NPV ({currency}, risk-adjusted)")
    elif tornado.metric == "roi":
        ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _p: f"{v * 100:,.0f} %"))
        ax.set_xlabel("ROI (%)")
    else:
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        ax.set_xlabel("Payback (months)")
        if never:
            # The bars of a payback never reached end at ``edge``: say so on the axis.
            ticks = [t for t in ax.get_xticks() if lo_lim - pad <= t < edge - 0.05 * span]
            ax.set_xticks([*ticks, edge], [f"{t:.0f}" for t in ticks] + ["never"])
    fig.legend(
        handles=[
            Patch(color=LOW_INPUT, label="input at its low (P5)"),
            Patch(color=HIGH_INPUT, label="input at its high (P95)"),
        ],
        loc="outside lower center",
        ncols=2,
    )
    if rows:
        top = rows[0]
        _headline(
            fig,
            f"{top.label.split(' (')[0]} moves {name} most: "
            f"{text(min(top.metric_low, top.metric_high))} to "
            f"{text(max(top.metric_low, top.metric_high))}",
        )
    else:
        _headline(fig, f"No ranged input moves {tornado.option_label}'s {name}")
    hidden = len(moving) - len(rows)
    extra = f"; {hidden} smaller swings not shown" if hidden else ""
    extra += f"; {still} without effect not shown" if still else ""
    _subtitle(
        ax,
        f"{short_label(tornado.option_label)}: each input alone at its P5 and P95, others at "
        f"their medians{extra}",
    )
    return fig
