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


def test_labels_live_on_the_schema_fields() -> None:
    # The label is the field's own (its JSON Schema title), not a table keyed by the last name.
    from roi.inputs.schema import Severity, label_at

    assert Severity.model_fields["mttr_hours_before"].title == "MTTR before"
    assert label_at("incidents.severities.anything.mttr_hours_before") == "MTTR before"
    assert (
        input_label("incidents.severities.sev2.mttr_hours_before", "h") == "Sev-2 MTTR before (h)"
    )
    assert label_at("managed.prices.newrelic.users.included_per_host") == "allowance per host"


def test_a_field_without_a_label_reads_as_words() -> None:
    from roi.inputs.schema import label_at

    assert label_at("self_run.min_replicas_per_component") is None
    assert input_label("self_run.min_replicas_per_component", "count") == (
        "min replicas per component (count)"
    )
    assert input_label("not.a.field_name", "") == "field name"


def test_every_shipped_parameter_has_a_label_from_its_field() -> None:
    from conftest import SHIPPED_SCENARIOS

    from roi.inputs.parameters import parameters
    from roi.inputs.scenario import load_scenario
    from roi.inputs.schema import label_at

    for path in SHIPPED_SCENARIOS:
        scenario = load_scenario(path)
        for name, q in parameters(scenario).items():
            label = label_at(name)
            # The journey's revenue names the journey itself ("Revenue through checkout").
            if label is not None and name != "latency.revenue_through_path_per_year":
                assert label.casefold() in input_label(name, q.unit or "", scenario).casefold()
