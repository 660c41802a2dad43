"""The article's five pre-flight boxes, unchecked ones shown as gaps to fix first."""

from __future__ import annotations

from roi.analysis.decision import readiness
from roi.inputs.schema import Scenario
from roi.present.html import Html, block, esc


def readiness_checklist(scenario: Scenario) -> Html:
    """The article's five pre-flight boxes; unchecked boxes shown as gaps to fix first."""
    boxes = readiness(scenario)
    gaps = [b for b in boxes if not b.checked]
    items = []
    for b in boxes:
        mark = (
            '<span class="roi-yes">☑ yes</span>'
            if b.checked
            else '<span class="roi-no">☐ no</span>'
        )
        items.append(f"<li>{mark} {esc(b.text)}</li>")
    services = scenario.readiness.critical_services
    svc = (
        f'<p class="roi-muted">Critical services named: {esc(", ".join(services))}.</p>'
        if services
        else '<p class="roi-muted">No critical services named yet.</p>'
    )
    if gaps:
        box = (
            '<div class="roi-gaps"><strong class="roi-alert">Fix these gaps first</strong>'
            f"<p>{len(gaps)} of {len(boxes)} pre-flight boxes are unchecked. The article's rule: "
            "if you can't check all five boxes, stop and fix them before asking for budget.</p><ul>"
            + "".join(f"<li>{esc(b.text)}</li>" for b in gaps)
            + "</ul></div>"
        )
    else:
        box = '<div class="roi-ok"><strong>All five pre-flight boxes are checked.</strong></div>'
    return block("<h2>Readiness</h2>", box, f'<ul class="roi-checks">{"".join(items)}</ul>', svc)
