"""The explorer's chart: cumulative risk-adjusted net cash as a small inline SVG.

A matplotlib PNG takes 0.65-0.9 s to rebuild per change; this SVG is a few kilobytes of text made
in about a millisecond, so the explorer sends it in the same HTML widget as its tiles and both
change in the same frame. The option shown is drawn bold and named in the title; the others stay
faint for comparison. Text is escaped and the caller wraps it in a MathJax-safe container.
"""

from __future__ import annotations

import math

import numpy as np

from roi.model import Evaluation
from roi.present.formatting import compact_money
from roi.present.html import esc
from roi.present.read import non_baseline

WIDTH, HEIGHT = 680, 280
"""[px] Size of the chart."""
_MARGIN = {"left": 72, "right": 16, "top": 34, "bottom": 34}
_BOLD = "#1f5fa8"
_FAINT = "#b9c2cc"


def cumulative_points(net: np.ndarray) -> np.ndarray:
    """Cumulative net cash by month [currency] of one option's monthly net cash [currency].

    >>> cumulative_points(np.array([-3.0, 1.0, 2.0, 4.0])).tolist()
    [-3.0, -2.0, 0.0, 4.0]
    """
    return np.cumsum(np.asarray(net, dtype=float))


def _ticks(low: float, high: float, n: int = 4) -> list[float]:
    """Round tick values spanning ``low`` to ``high``."""
    span = high - low
    if span <= 0:
        return [low]
    raw = span / n
    mag = 10 ** math.floor(math.log10(raw))
    step = next(m * mag for m in (1, 2, 2.5, 5, 10) if m * mag >= raw)
    first = math.ceil(low / step) * step
    return [first + i * step for i in range(int((high - first) / step) + 1)]


def chart_title(evaluation: Evaluation, key: str) -> str:
    """The chart's title: the option shown, when it pays back and where it ends."""
    option = evaluation.options[key]
    horizon = int(evaluation.months[-1])
    end = float(cumulative_points(option.net)[-1])
    payback = float(np.asarray(option.kpis["payback_months"]))
    cur = evaluation.scenario.currency
    if math.isfinite(payback):
        when = "at once" if payback == 0 else f"in month {int(payback)}"
        return (
            f"{option.label} pays back {when}, {compact_money(end, cur)} ahead by month {horizon}"
        )
    return f"{option.label} does not pay back within {horizon} months"


def cumulative_net_svg(evaluation: Evaluation, key: str) -> str:
    """An SVG of cumulative net cash [currency] by month for every option, ``key`` in bold.

    The ``<svg>`` carries ``data-option`` (the key shown) and ``data-end`` (its cumulative net
    cash at the horizon [currency]) so a browser test can check it agrees with the tiles.
    """
    t = np.asarray(evaluation.months, dtype=float)
    series = {o.key: cumulative_points(o.net) for o in non_baseline(evaluation)}
    values = np.concatenate([*series.values(), [0.0]])
    low, high = float(values.min()), float(values.max())
    if high == low:
        high = low + 1.0
    pad = 0.06 * (high - low)
    low, high = low - pad, high + pad
    x0, x1 = _MARGIN["left"], WIDTH - _MARGIN["right"]
    y0, y1 = HEIGHT - _MARGIN["bottom"], _MARGIN["top"]
    t_max = float(t[-1]) if t[-1] > 0 else 1.0

    def x(v: float) -> float:
        return x0 + (x1 - x0) * v / t_max

    def y(v: float) -> float:
        return y0 + (y1 - y0) * (v - low) / (high - low)

    cur = evaluation.scenario.currency
    parts = []
    for v in _ticks(low, high):
        parts.append(
            f'<line x1="{x0}" x2="{x1}" y1="{y(v):.1f}" y2="{y(v):.1f}" stroke="#eee"/>'
            f'<text x="{x0 - 6}" y="{y(v) + 4:.1f}" text-anchor="end" font-size="11">'
            f"{esc(compact_money(v, cur))}</text>"
        )
    for m in range(0, int(t_max) + 1, 6 if t_max > 12 else 1):
        parts.append(
            f'<text x="{x(m):.1f}" y="{y0 + 16}" text-anchor="middle" font-size="11">{m}</text>'
        )
    parts.append(
        f'<text x="{(x0 + x1) / 2}" y="{HEIGHT - 2}" text-anchor="middle" font-size="11">'
        "month</text>"
    )
    parts.append(
        f'<line x1="{x0}" x2="{x1}" y1="{y(0):.1f}" y2="{y(0):.1f}" stroke="#444" '
        'stroke-width="1"/>'
    )
    for k in [k for k in series if k != key] + ([key] if key in series else []):
        pts = " ".join(f"{x(a):.1f},{y(b):.1f}" for a, b in zip(t, series[k], strict=True))
        bold = k == key
        parts.append(
            f'<polyline fill="none" points="{pts}" stroke="{_BOLD if bold else _FAINT}" '
            f'stroke-width="{2.6 if bold else 1.4}" data-key="{esc(k)}"/>'
        )
    option = evaluation.options[key]
    payback = float(np.asarray(option.kpis["payback_months"]))
    if key in series and math.isfinite(payback) and payback > 0:
        m = min(int(payback), len(t) - 1)
        parts.append(
            f'<circle cx="{x(t[m]):.1f}" cy="{y(series[key][m]):.1f}" r="4" fill="{_BOLD}"/>'
        )
    end = float(series[key][-1]) if key in series else 0.0
    title = esc(chart_title(evaluation, key))
    return (
        f'<svg class="roi-explore-chart" xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" '
        f'height="{HEIGHT}" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        f'data-option="{esc(key)}" data-end="{end:.6g}" font-family="sans-serif">'
        f"<title>{title}</title>"
        f'<text x="{x0}" y="18" font-size="13" font-weight="bold">{title}</text>'
        + "".join(parts)
        + "</svg>"
    )
