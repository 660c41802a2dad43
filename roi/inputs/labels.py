"""Readable names of parameter paths, with their units.

Each field's own name is its ``label=`` in :mod:`roi.inputs.schema` (see
:func:`roi.inputs.schema.label_at`); this module adds what depends on the path: the severity, the
journey, the vendor and driver of a price component, and the unit.
"""

from __future__ import annotations

from roi.inputs.presets import DRIVER_UNITS, VENDORS
from roi.inputs.schema import Scenario, label_at


def display_unit_of(unit: str) -> str:
    """The unit a person reads: fractions are shown as percentages.

    >>> display_unit_of("fraction"), display_unit_of("fraction/year"), display_unit_of("h")
    ('%', '%/year', 'h')
    """
    return unit.replace("fraction", "%") if unit.startswith("fraction") else unit


def input_label(path: str, unit: str, scenario: Scenario | None = None) -> str:
    """A readable name for a parameter path, with its unit.

    >>> input_label("incidents.severities.sev1.mttr_hours_after", "h")
    'Sev-1 MTTR after (h)'
    >>> input_label("finance.discount_rate", "fraction/year")
    'Discount rate (%/year)'
    """
    parts = path.split(".")
    name = parts[-1]
    text = label_at(path) or name.replace("_", " ")
    if parts[:2] == ["incidents", "severities"] and len(parts) == 4:
        sev = parts[2]
        digits = sev.removeprefix("sev")
        prefix = f"Sev-{digits}" if sev.startswith("sev") and digits.isdigit() else sev
        text = f"{prefix} {text}"
    elif parts[0] == "latency" and name in ("latency_ms_before", "latency_ms_after"):
        journey = scenario.latency.journey if scenario and scenario.latency else "journey"
        pct = scenario.latency.percentile if scenario and scenario.latency else ""
        text = f"{journey.capitalize()} {pct + ' ' if pct else ''}{text}"
    elif name == "revenue_through_path_per_year":
        journey = scenario.latency.journey if scenario and scenario.latency else "the"
        text = f"Revenue through {journey}"
    elif parts[:2] == ["managed", "prices"] and len(parts) == 5:
        vendor = VENDORS[parts[2]].label if parts[2] in VENDORS else parts[2]
        text = f"{vendor}: {DRIVER_UNITS.get(parts[3], parts[3])} {text}"
    return f"{text} ({display_unit_of(unit)})" if unit else text
