"""The volumes every bill uses: traffic and revenue growth, adoption ramps, spans, the self-run
stack's stored GB and replicas, and the monthly volume of each managed billing driver.

:data:`BILLING_VOLUMES` is the registry of billing drivers: one entry per driver, its volume
function and the intermediates it reads. A new driver is that entry plus its unit in
:data:`roi.inputs.presets.DRIVER_UNITS`.

:class:`Volumes` computes each intermediate on first use and is the one place that forgets them:
a billing volume after its last expected read (:meth:`Volumes.expect`), the arrays of a stage once
its lines are summed (:meth:`Volumes.done`), everything at the end (:meth:`Volumes.release_all`).
A line computed later, when first read, recomputes what it needs (same inputs, same arithmetic,
same numbers).

Examples
--------
>>> import numpy as np
>>> from roi.inputs.scenario import load_scenario
>>> from roi.model.numbers import Numbers, point_table
>>> from roi.model.timeline import months
>>> n = Numbers(point_table(load_scenario("data_samples/scenarios/seed-article.yaml")), {})
>>> v = Volumes(n, months(36))
>>> float(n["managed.apm_hosts"][0]), float(Today(n).volume("hosts")[0])
(40.0, 40.0)
>>> hosts = v.volume("hosts")  # month 0 is the Initial column, then the 3-month rollout
>>> hosts.shape, [round(h, 2) for h in hosts[:5].tolist()]
((37,), [0.0, 13.33, 26.67, 40.0, 40.0])
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from functools import cached_property
from typing import ClassVar, NamedTuple, Protocol

import numpy as np

from roi.model import effort, selfrun
from roi.model.numbers import Numbers
from roi.model.timeline import Array, adoption, growth, operating, ramp_weights

TEMPO_COMPONENTS = ("distributor", "ingester", "querier")
"""Self-run components sized from ingest (Grafana Tempo sizing guide)."""


class Basis(Protocol):
    """What a billing volume is computed from: monthly (:class:`Volumes`) or today's run rate at
    full adoption (:class:`Today`)."""

    @property
    def n(self) -> Numbers: ...
    @property
    def op(self) -> Array: ...
    @property
    def traffic(self) -> Array: ...
    @property
    def adoption(self) -> Array: ...
    @property
    def services_growth(self) -> Array: ...
    @property
    def span_depth(self) -> Array: ...
    @property
    def managed_spans(self) -> Array: ...


class BillingVolume(NamedTuple):
    """One billing driver: its volume per month [driver units], and the intermediates of a
    :class:`Basis` it reads (``n`` and ``op`` need not be named), so that they are held while a
    volume still to come needs them."""

    needs: tuple[str, ...]
    volume: Callable[[Basis], Array]


BILLING_VOLUMES: dict[str, BillingVolume] = {
    "platform": BillingVolume((), lambda b: b.op),
    "hosts": BillingVolume(
        ("traffic", "adoption"),
        lambda b: b.n["managed.apm_hosts"] * b.traffic * b.adoption,
    ),
    "ingested_gb": BillingVolume(
        ("managed_spans", "traffic", "adoption", "span_depth"),
        lambda b: selfrun.ingest_gb_per_month(
            b.managed_spans, b.n["instrumentation.bytes_per_span"]
        ),
    ),
    "indexed_spans_million": BillingVolume(
        ("managed_spans", "traffic", "adoption", "span_depth"),
        lambda b: b.managed_spans * b.n["managed.indexed_span_fraction"] / 1e6,
    ),
    "traces_million": BillingVolume(
        ("traffic", "adoption"),
        lambda b: (
            b.n["instrumentation.requests_per_month"]
            * b.traffic
            * b.adoption
            * b.n["instrumentation.sampling_rate"]
            / 1e6
        ),
    ),
    "events_million": BillingVolume(
        ("managed_spans", "traffic", "adoption", "span_depth"), lambda b: b.managed_spans / 1e6
    ),
    "custom_metrics": BillingVolume(
        ("services_growth", "adoption"),
        lambda b: (
            b.n["rollout.services_to_instrument"]
            * b.services_growth
            * b.n["managed.custom_metrics_per_service"]
            * b.adoption
        ),
    ),
    "users": BillingVolume((), lambda b: b.n["managed.users"] * b.op),
}
"""Managed billing drivers by name (the keys of :data:`roi.inputs.presets.DRIVER_UNITS`)."""


def managed_spans(n: Numbers, traffic: Array, adoption: Array, span_depth: Array) -> Array:
    """Spans sent to a managed vendor per month [spans/month]: requests x traffic growth x
    adoption x spans per request x its growth (``span_depth``) x sampling."""
    return selfrun.spans_per_month(
        n["instrumentation.requests_per_month"] * traffic * adoption,
        n["instrumentation.spans_per_request"] * span_depth,
        n["instrumentation.sampling_rate"],
    )


def self_run_infrastructure(n: Numbers, volume_factor: Array) -> tuple[Array, Array]:
    """Stored GB and Tempo replicas of the self-run stack at ``volume_factor`` x today."""
    p = "self_run."
    spans = selfrun.spans_per_month(
        n["instrumentation.requests_per_month"] * volume_factor,
        n["instrumentation.spans_per_request"],
        n["instrumentation.sampling_rate"],
    )
    ingest = selfrun.ingest_gb_per_month(spans, n["instrumentation.bytes_per_span"])
    del spans
    stored = selfrun.stored_gb(ingest, n[p + "retention_days"], n[p + "compression_ratio"])
    mbps = selfrun.ingest_mb_per_s(ingest)
    del ingest
    count = sum(
        (
            selfrun.replicas(mbps, n[f"{p}{c}_mb_per_s"], n[p + "min_replicas_per_component"])
            for c in TEMPO_COMPONENTS
        ),
        start=np.zeros(1),
    )
    return stored, count


class Today:
    """Today's volumes at full adoption: the run rate a line item's driver states."""

    def __init__(self, n: Numbers) -> None:
        one = np.ones(1)
        self.n = n
        self.op = self.traffic = self.adoption = self.services_growth = self.span_depth = one
        self.managed_spans = managed_spans(n, one, one, one)

    def volume(self, driver: str) -> Array:
        """Today's volume of a billing driver [driver units/month]."""
        return BILLING_VOLUMES[driver].volume(self)


class Volumes:
    """Monthly arrays several lines use, each computed on first use, and what to forget when.

    Shapes ``S + (months,)`` (or broadcastable to it).
    """

    _STAGES: ClassVar[dict[str, tuple[str, ...]]] = {
        "self-run": ("self_run_infrastructure",),
        "managed benefits": ("revenue_growth", "ramp"),
    }
    """The intermediates only the lines of a stage read."""

    def __init__(self, n: Numbers, t: Array) -> None:
        self.n = n
        self.t = t
        self.op = operating(t)
        self.initial = 1.0 - self.op
        self._volumes: dict[str, Array] = {}
        self._reads: Counter[str] = Counter()

    # --- memory: what is held, and when it is forgotten ---------------------------------------

    def expect(self, reads: Iterable[str]) -> None:
        """Declare the billing volumes the lines to come read, one name per read: each volume is
        held until its last read, each intermediate until no volume still to come needs it."""
        self._reads = Counter(reads)

    def volume(self, driver: str) -> Array:
        """Monthly volume of a managed billing driver, ramped by adoption [driver units]."""
        v = self._volumes.get(driver)
        if v is None:
            v = BILLING_VOLUMES[driver].volume(self)
        if driver not in self._reads:  # a line recomputed when read: hold nothing new
            return v
        self._reads[driver] -= 1
        if self._reads[driver] > 0:
            self._volumes[driver] = v
        else:
            del self._reads[driver]
            self._volumes.pop(driver, None)
            needed = {
                name
                for d in self._reads
                if d not in self._volumes
                for name in BILLING_VOLUMES[d].needs
            }
            read_by_volumes = {name for b in BILLING_VOLUMES.values() for name in b.needs}
            self.release(*(read_by_volumes - needed))
        return v

    def done(self, stage: str) -> None:
        """Forget the intermediates only ``stage`` (``self-run``, ``managed benefits``) reads."""
        self.release(*self._STAGES[stage])

    def release(self, *names: str) -> None:
        """Forget the named intermediates."""
        for name in names:
            self.__dict__.pop(name, None)

    def release_all(self) -> None:
        """Forget every intermediate and volume."""
        self.release(*_CACHED)
        self._volumes = {}
        self._reads = Counter()

    # --- the intermediates ----------------------------------------------------------------------

    @cached_property
    def traffic(self) -> Array:
        return growth(self.t, self.n["timeline.traffic_growth_per_month"])

    @cached_property
    def revenue_growth(self) -> Array:
        return growth(self.t, self.n["timeline.revenue_growth_per_month"])

    @cached_property
    def services_growth(self) -> Array:
        return growth(self.t, self.n["timeline.services_growth_per_month"])

    @cached_property
    def span_depth(self) -> Array:
        """Growth of spans per request (requests cross more services as the system grows)."""
        return growth(self.t, self.n["timeline.span_depth_growth_per_month"])

    @cached_property
    def adoption(self) -> Array:
        """Share of services instrumented in each month: one ramp over
        ``timeline.rollout_months`` for every option (instrumenting takes the same people and
        weeks whichever backend receives the spans)."""
        return adoption(self.t, self.n["timeline.rollout_months"])

    @cached_property
    def ramp(self) -> Array:
        """Share of the instrumentation work done in each month (the rollout's labour)."""
        return ramp_weights(self.t, self.n["timeline.rollout_months"], self.adoption)

    @cached_property
    def onboarding_months(self) -> Array:
        return effort.onboarding_months(
            self.n["rollout.services_to_instrument"], self.n["managed.onboarding_services_per_week"]
        )

    @cached_property
    def self_run_infrastructure(self) -> tuple[Array, Array]:
        """Stored GB and Tempo replicas in each month."""
        return self_run_infrastructure(self.n, self.traffic * self.adoption * self.span_depth)

    @cached_property
    def managed_spans(self) -> Array:
        return managed_spans(self.n, self.traffic, self.adoption, self.span_depth)


_CACHED = tuple(k for k, v in vars(Volumes).items() if isinstance(v, cached_property))
