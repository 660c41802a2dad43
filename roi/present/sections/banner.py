"""The banner at the top of a report whose scenario is not finished: template placeholders and
numbers without a source (:func:`roi.inputs.provenance.scenario_warnings`), one line each."""

from __future__ import annotations

from roi.inputs.provenance import scenario_warnings
from roi.inputs.schema import Scenario
from roi.model import Evaluation
from roi.present.html import Html, block, esc
from roi.present.words import readable_path


def warnings_banner(evaluation: Evaluation) -> Html:
    """A visible banner listing what the scenario still lacks; empty when nothing does."""
    s = evaluation.scenario
    found = scenario_warnings(s)
    if not found:
        return Html("")
    items = "".join(
        f"<li><strong>{esc(_name(w.path, s))}</strong> (<code>{esc(w.path)}</code>): "
        f"{esc(w.message)}</li>"
        for w in found
    )
    n = len(found)
    return block(
        '<div class="roi-banner" role="alert">'
        f"<p><strong>Not ready for a decision: {n} "
        f"{'field is' if n == 1 else 'fields are'} unfinished.</strong> The scenario still holds "
        "template placeholders or numbers without a source; fill them in (see "
        "<code>roi validate</code>) before anyone relies on this report.</p>"
        f"<ul>{items}</ul></div>"
    )


def _name(path: str, scenario: Scenario) -> str:
    """A field in words: a scenario-level text field by its name, an assumption by its path."""
    if "." not in path:
        return f"Scenario {path}"
    return readable_path(path, scenario)
