"""Cost lines of one option by group: driver × unit price, one-off or recurring, with totals."""

from __future__ import annotations

from roi.analysis.decision import best_option
from roi.model import Evaluation, LineItem
from roi.present.formatting import money
from roi.present.html import Html, block, esc, html_table
from roi.present.read import horizon_months, option_figures, scalar
from roi.present.words import driver_text, unit_value_text


def costs_explained(evaluation: Evaluation, option_key: str | None = None) -> Html:
    """Cost lines of one option by group: driver × unit value, one-off or recurring."""
    key = option_key or best_option(evaluation)
    option = evaluation.options[key]
    f = option_figures(evaluation, key)
    cur = evaluation.scenario.currency
    rows, classes = [], []
    groups: dict[str, list[LineItem]] = {}
    for line in option.lines:
        if line.category == "cost":
            groups.setdefault(line.group, []).append(line)
    for group, lines in groups.items():
        rows.append([f"<strong>{esc(group)}</strong>", "", "", "", "", ""])
        classes.append("")
        for line in lines:
            rate = scalar(line.run_rate)
            rows.append(
                [
                    "&nbsp;&nbsp;" + esc(line.label),
                    esc(f"{driver_text(line)} × {unit_value_text(line, cur)}"),
                    esc(money(rate, cur)) if line.one_off else "",
                    "" if line.one_off else esc(money(rate, cur)),
                    "" if line.one_off else esc(money(scalar(f[f"per_year.{line.key}"]), cur)),
                    esc(money(scalar(line.total), cur)),
                ]
            )
            classes.append("")
    rows.append(
        [
            "Total",
            "",
            esc(money(scalar(f["cost_one_off"]), cur)),
            esc(money(scalar(f["cost_per_month"]), cur)),
            esc(money(scalar(f["cost_per_year"]), cur)),
            esc(money(scalar(f["cost_total"]), cur)),
        ]
    )
    classes.append("roi-total")
    table = html_table(
        [
            "Cost",
            "Driver × unit price",
            "One-off",
            "Monthly",
            "A year",
            f"{horizon_months(evaluation)}-month total",
        ],
        rows,
        [False, False, True, True, True, True],
        classes,
    )
    return block(
        f"<h3>Costs of {esc(option.label)}</h3>",
        table,
        '<p class="roi-muted">Monthly and yearly figures at today\'s volumes after rollout; the '
        "horizon total includes growth and the rollout ramp; all before the TEI cost-risk "
        "adjustment.</p>",
    )
