"""The flat table of numbers the model reads: every assumption of a scenario by dotted path, with
presets resolved (elasticity, per-span overhead, vendor price lists) so each number still carries
its source.

The model reads numbers only from this table, so a Monte Carlo or a tornado replaces entries by
arrays of samples without touching the scenario.
"""

from __future__ import annotations

from roi.inputs.presets import DRIVER_UNITS, ELASTICITY, SPAN_OVERHEAD, VENDORS
from roi.inputs.schema import Quantity, Scenario, assumptions


def vendor_prefix(vendor: str, driver: str) -> str:
    """Path prefix of one vendor price component's numbers."""
    return f"managed.prices.{vendor}.{driver}"


def parameters(scenario: Scenario) -> dict[str, Quantity]:
    """Every number of ``scenario`` by dotted path, presets resolved.

    Examples
    --------
    >>> from roi.inputs.scenario import load_scenario
    >>> p = parameters(load_scenario("data_samples/scenarios/seed-article.yaml"))
    >>> p["incidents.severities.sev1.mttr_hours_before"].value
    4.3
    >>> p["managed.prices.datadog.hosts.price_per_unit"].value
    31.0
    """
    table = dict(assumptions(scenario))
    cur = scenario.currency
    latency = scenario.latency
    if latency is not None and latency.conversion_lift_per_100ms is None:
        e = ELASTICITY[latency.elasticity_preset]
        # A preset whose study gives a span is a range: median the headline figure, 90 % interval
        # its low and high (see roi.inputs.presets).
        spread = {"low": e.low, "high": e.high, "dist": "lognormal"} if e.low < e.high else {}
        table["latency.conversion_lift_per_100ms"] = Quantity(
            value=e.conversion_lift_per_100ms,
            unit="fraction",
            source=e.source,
            note=f"preset {e.key}: {e.what}"
            + ("; used at the median of the study's range" if spread else ""),
            **spread,
        )
    ins = scenario.instrumentation
    if ins.overhead_ms_per_span is None:
        o = SPAN_OVERHEAD[ins.overhead_preset]
        table["instrumentation.overhead_ms_per_span"] = Quantity(
            value=o.overhead_ms_per_span,
            unit="ms",
            source=o.source,
            note=f"preset {o.key}: {o.what}",
        )
    for key in scenario.managed.vendors:
        vendor = VENDORS[key]
        overrides = scenario.managed.prices.get(key, {})
        for c in vendor.components:
            prefix = vendor_prefix(key, c.driver)
            unit = DRIVER_UNITS[c.driver]
            note = f"{vendor.label} list price on {vendor.price_date}; check current pricing"
            table[f"{prefix}.price_per_unit"] = Quantity(
                value=c.price_per_unit, unit=f"{cur}/{unit}/month", source=vendor.source, note=note
            )
            if c.free_units:
                table[f"{prefix}.free_units"] = Quantity(
                    value=c.free_units, unit=f"{unit}/month", source=vendor.source, note=note
                )
            if c.included_per_host:
                table[f"{prefix}.included_per_host"] = Quantity(
                    value=c.included_per_host,
                    unit=f"{unit}/host/month",
                    source=vendor.source,
                    note=note,
                )
            override = overrides.get(c.driver)
            if override is not None:
                for name in ("price_per_unit", "free_units", "included_per_host"):
                    q = getattr(override, name)
                    if q is not None:
                        table[f"{prefix}.{name}"] = q
    return table


def ranged_parameters(scenario: Scenario) -> dict[str, Quantity]:
    """The entries of :func:`parameters` given as ranges (``Quantity.dist`` set), by path.

    Their ``value`` is the median, the point estimate; :mod:`roi.analysis.sampling` draws them.

    >>> from roi.inputs.scenario import load_scenario
    >>> r = ranged_parameters(load_scenario("data_samples/scenarios/fintech-regulated.yaml"))
    >>> all(q.dist is not None for q in r.values())
    True
    """
    return {path: q for path, q in parameters(scenario).items() if q.dist is not None}
