"""The report's sections, one module each, every one a function of an evaluation (and a
simulation or a sweep where it shows one) returning :class:`roi.present.html.Html`.

The notebooks use this package as their one surface::

    from roi.present import sections as present
    present.title(ctx.evaluation, ctx.simulation)

Sections only read: the evaluation's inputs, figures, options and line items (and the derived
figures of :mod:`roi.model.figures` through :mod:`roi.present.read`); they never re-read the
scenario file or the presets for a number.
"""

from roi.present.html import Html, heading, note, paragraph, stylesheet
from roi.present.read import compares_stacks, non_baseline, traffic_grows
from roi.present.sections.appendix import (
    appendix_heading,
    assumptions_appendix,
    methods_note,
    references_list,
    references_used,
    uncertainty_appendix,
)
from roi.present.sections.ask import north_star_and_ask
from roi.present.sections.banner import warnings_banner
from roi.present.sections.benefits import benefit_story, benefits_explained
from roi.present.sections.costs import costs_explained
from roi.present.sections.decision import decision_checklist, stacks_note
from roi.present.sections.flip import flip_summary, flip_table
from roi.present.sections.headline import (
    decision_sentence,
    headline_tiles,
    options_table,
    point_and_median,
    title,
)
from roi.present.sections.incidents import (
    dora_context,
    incident_source_note,
    incident_table,
    mttr_breakeven_text,
)
from roi.present.sections.latency import elasticity_table, elasticity_text, latency_table
from roi.present.sections.readiness import readiness_checklist
from roi.present.sections.stacks import lock_in_text, self_run_drivers, vendor_components
from roi.present.sections.tei import (
    benefits_by_year,
    composite_organisation,
    flexibility,
    risks,
    tei_table,
    unquantified_benefits,
)
from roi.present.sections.uncertainty import ranged_inputs, tornado_text, uncertainty_text

__all__ = [
    "Html",
    "appendix_heading",
    "assumptions_appendix",
    "benefit_story",
    "benefits_by_year",
    "benefits_explained",
    "compares_stacks",
    "composite_organisation",
    "costs_explained",
    "decision_checklist",
    "decision_sentence",
    "dora_context",
    "elasticity_table",
    "elasticity_text",
    "flexibility",
    "flip_summary",
    "flip_table",
    "heading",
    "headline_tiles",
    "incident_source_note",
    "incident_table",
    "latency_table",
    "lock_in_text",
    "methods_note",
    "mttr_breakeven_text",
    "non_baseline",
    "north_star_and_ask",
    "note",
    "options_table",
    "paragraph",
    "point_and_median",
    "ranged_inputs",
    "readiness_checklist",
    "references_list",
    "references_used",
    "risks",
    "self_run_drivers",
    "stacks_note",
    "stylesheet",
    "tei_table",
    "title",
    "tornado_text",
    "traffic_grows",
    "uncertainty_appendix",
    "uncertainty_text",
    "unquantified_benefits",
    "vendor_components",
    "warnings_banner",
]
