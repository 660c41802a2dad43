"""What would flip the decision: the breakeven table of :func:`roi.analysis.breakeven.breakeven`
(flip values one input at a time, as a change from the base and a percentile of the input's own
range, and the EVPI of each input), the sentence of its most decision-relevant row and the
assumption worth measuring before deciding.

Cells use the words of ``roi breakeven`` (:mod:`roi.present.text`), so the report and the
command line say the same thing.
"""

from __future__ import annotations

import math
import re
from typing import Any

from roi.model import Evaluation
from roi.present.formatting import compact_money
from roi.present.html import Html, block, esc, html_table, note
from roi.present.text import flip_text, format_input

NEGLIGIBLE_EVPI = 1e-3
"""[fraction] An EVPI below this share of the option's PV costs (or of its NPV, whichever is
larger) is reported as nothing worth measuring: sampling noise, not information."""
_UNIT_SUFFIX = re.compile(r"\s*\([^()]*\)$")


def option_name(evaluation: Evaluation, key: str | None) -> str:
    """An option's label; ``do-nothing`` as "doing nothing"."""
    if key is None:
        return ""
    if key == "do-nothing":
        return "doing nothing"
    return evaluation.options[key].label


def input_name(label: str) -> str:
    """A breakeven row's label without its unit: ``Sev-1 MTTR before (h)`` -> ``Sev-1 MTTR
    before``.

    >>> input_name("Sev-1 MTTR before (h)"), input_name("Margin")
    ('Sev-1 MTTR before', 'Margin')
    """
    return _UNIT_SUFFIX.sub("", label)


def _relevant(row: Any) -> tuple[float | None, float | None]:
    """The value and percentile of a row that changes the decision."""
    return row.option_changes_at, row.option_change_percentile


def decisive_row(flips: Any) -> Any:
    """The row whose decision flip is likeliest: the flip value nearest the middle of its own
    range (ties: the larger EVPI); None when no input flips the decision."""
    best, best_key = None, (math.inf, 0.0)
    for r in flips.rows:
        value, percentile = _relevant(r)
        if value is None or percentile is None:
            continue
        key = (abs(percentile - 0.5), -(r.evpi or 0.0))
        if key < best_key:
            best, best_key = r, key
    return best


def flip_sentence(evaluation: Evaluation, flips: Any) -> str:
    """The breakeven table's most decision-relevant row in one sentence, e.g. "Self-run pays only
    if Sev-2 MTTR reduction exceeds 41 % (+36 %, P72 of your range)."."""
    row = decisive_row(flips)
    recommended = flips.recommended
    if row is None:
        who = (
            "nothing pays for itself"
            if recommended == "do-nothing"
            else f"{option_name(evaluation, recommended)} stays recommended"
        )
        return (
            f"No single input, moved alone anywhere within its field's bounds, changes the "
            f"decision: {who}."
        )
    value, percentile = _relevant(row)
    assert value is not None
    assert percentile is not None
    direction = "exceeds" if value > row.base else "falls below"
    at = flip_text(value, row.base, row.unit, percentile)
    condition = f"{input_name(row.label)} {direction} {at.removesuffix(')')} of your range)"
    to = row.option_changes_to
    if recommended == "do-nothing":
        head = f"{option_name(evaluation, to)} pays for itself only if {condition}"
    elif to == "do-nothing":
        head = f"{option_name(evaluation, recommended)} stops paying for itself if {condition}"
    else:
        head = (
            f"{option_name(evaluation, to)} overtakes {option_name(evaluation, recommended)} "
            f"only if {condition}"
        )
    if 0.01 <= percentile <= 0.99:
        return f"{head}."
    return (
        f"{head}: no input, moved alone within the range you gave, changes the decision, so "
        "it is robust to each of them."
    )


def worth_measuring(flips: Any, currency: str) -> str:
    """Which assumption is worth measuring before deciding: the largest EVPI, in money."""
    if flips.evpi_total is None:
        return "No Monte Carlo, so no value of information."
    rows = [r for r in flips.rows if r.evpi is not None]
    top = max(rows, key=lambda r: r.evpi, default=None)
    scale = max(abs(flips.base_npv), 1.0)
    if top is None or top.evpi <= NEGLIGIBLE_EVPI * scale:
        return (
            "No assumption is worth measuring before deciding: the same option is best across "
            "the simulated scenarios, so the expected value of perfect information about any "
            "input is negligible."
        )
    return (
        f"Worth measuring before deciding: {input_name(top.label)}. Knowing it exactly would be "
        f"worth {compact_money(top.evpi, currency)} on average (expected value of perfect "
        f"information); knowing every input, {compact_money(flips.evpi_total, currency)}."
    )


def flip_rows(evaluation: Evaluation, flips: Any, limit: int | None = None) -> list[list[str]]:
    """The table's cells (escaped): input, base, NPV = 0 at, recommendation changes at, EVPI."""
    cur = flips.currency
    out = []
    for r in flips.rows[:limit]:
        change = flip_text(r.option_changes_at, r.base, r.unit, r.option_change_percentile)
        to = r.option_changes_to
        out.append(
            [
                esc(input_name(r.label)),
                esc(format_input(r.base, r.unit)),
                esc(flip_text(r.npv_zero_at, r.base, r.unit, r.percentile_in_range)),
                esc(change if to is None else f"{change} → {_short(option_name(evaluation, to))}"),
                esc("n/a" if r.evpi is None else compact_money(r.evpi, cur)),
            ]
        )
    return out


def _short(label: str) -> str:
    """An option's label without its parenthesis: ``Self-run (OTel Collector + Tempo)`` ->
    ``Self-run``."""
    return label.split(" (", 1)[0].strip() or label


def flip_summary(evaluation: Evaluation, flips: Any) -> Html:
    """For the executive summary: the decisive sentence and what is worth measuring."""
    if flips is None or not flips.rows:
        return note("No assumption is given as a range, so nothing is tested for a flip.")
    return block(
        "<h3>What would flip the decision</h3>",
        f"<p>{esc(flip_sentence(evaluation, flips))}</p>",
        f"<p>{esc(worth_measuring(flips, flips.currency))}</p>",
    )


def flip_table(evaluation: Evaluation, flips: Any, limit: int | None = 12) -> Html:
    """The breakeven table: per ranged input, the value at which the option's NPV crosses zero
    and at which the recommended option changes (change from the base, percentile of the
    input's own range), and its EVPI; ``limit`` rows (the most important first)."""
    if flips is None or not flips.rows:
        return note(
            "No assumption is given as a range, so there is no flip to show. Give ranges "
            "({low, high}) for the numbers you are unsure of."
        )
    rows = flip_rows(evaluation, flips, limit)
    shown = len(rows)
    more = len(flips.rows) - shown
    recommended = option_name(evaluation, flips.recommended)
    intro = (
        f"One input at a time, every other at its median: where {flips.option_label}'s NPV "
        f"({compact_money(flips.base_npv, flips.currency)} at the point estimate) crosses zero, "
        f"and where the recommendation ({recommended}) changes; each as a change from the base "
        "and as a percentile of the input's own range (P50 is its median, P5 and P95 the ends "
        "of its 90 % interval). 'never': no value within the field's bounds does it."
    )
    evpi = (
        f"EVPI: the expected value of perfect information, what knowing the input exactly "
        f"before deciding is worth on average, from {flips.samples:,} simulated scenarios."
        if flips.evpi_total is not None
        else ""
    )
    tail = (
        f" The {more} inputs of least value of information are in the appendix." if more > 0 else ""
    )
    return block(
        f"<p>{esc(intro)}</p>",
        html_table(
            ["Input", "Base", "NPV = 0 at", "Recommendation changes at", "EVPI"],
            rows,
            [False, True, True, True, True],
            widths=[22, 14, 25, 29, 10],
            cls="roi-appendix",
        ),
        f'<p class="roi-muted">{esc(evpi + tail)}</p>',
    )
