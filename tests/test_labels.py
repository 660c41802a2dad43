"""roi.inputs.labels: readable names of parameter paths."""

from __future__ import annotations

from conftest import SCENARIOS_DIR, scenario_from

from roi.analysis.sampling import ranged_inputs
from roi.inputs.labels import input_label

ECOMMERCE = SCENARIOS_DIR / "ecommerce-midsize.yaml"
FINTECH = SCENARIOS_DIR / "fintech-regulated.yaml"


def test_ranged_inputs_have_readable_labels() -> None:
    labels = {i.path: i.label for i in ranged_inputs(scenario_from(ECOMMERCE, {}))}
    assert labels["incidents.severities.sev1.mttr_reduction_fraction"] == (
        "Sev-1 MTTR reduction (%)"
    )
    assert labels["finance.discount_rate"] == "Discount rate (%/year)"
    assert labels["instrumentation.bytes_per_span"] == "Span size (B)"
    assert input_label("managed.prices.datadog.hosts.price_per_unit", "USD/APM hosts/month") == (
        "Datadog APM (annual): APM hosts price (USD/APM hosts/month)"
    )
