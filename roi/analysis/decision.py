"""Decision aid: self-run or managed, and are we ready at all.

The article's criteria become a scored checklist next to the cost curves, plus the TCO
crossover: from which month, and from which traffic, self-run is the cheaper stack. The readiness
checklist is the article's five pre-flight boxes: "If you can't check all five boxes, stop."
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal, Protocol

import numpy as np

from roi.inputs.schema import Scenario
from roi.model import Evaluation, OptionResult, evaluate, finance

Side = Literal["self-run", "managed"]
SERVICES_LIMIT = 50
"""Article: choose open source if you have fewer than 50 services."""


@dataclass(frozen=True)
class Criterion:
    """One question of the checklist and which way each answer points."""

    key: str
    question: str
    if_true: Side | None
    if_false: Side | None
    answer: bool | None

    @property
    def favours(self) -> Side | None:
        """The side this answer points to; None when unknown or neutral."""
        if self.answer is None:
            return None
        return self.if_true if self.answer else self.if_false


_QUESTIONS: tuple[tuple[str, str, Side | None, Side | None], ...] = (
    ("sre_capacity", "Strong ops/SRE capacity?", "self-run", "managed"),
    ("no_saas_policy", "A no-vendor-SaaS or data-sovereignty policy?", "self-run", None),
    ("prometheus_grafana_in_place", "Already running Prometheus/Grafana?", "self-run", None),
    ("someone_enjoys_infra_work", "Someone enjoys infrastructure work?", "self-run", None),
    ("fewer_than_50_services", "Fewer than 50 services?", "self-run", None),
    ("growth_mode", "In growth mode, shipping features over optimizing costs?", "managed", None),
    ("results_within_30_days", "Results needed within 30 days?", "managed", None),
    (
        "nobody_wants_to_run_storage",
        "Nobody wants to run storage clusters at 3 AM?",
        "managed",
        None,
    ),
)


def criteria(scenario: Scenario) -> list[Criterion]:
    """The article's criteria with the scenario's answers (services counted, not asked)."""
    answers = scenario.decision.model_dump()
    answers["fewer_than_50_services"] = (
        scenario.rollout.services_to_instrument.value < SERVICES_LIMIT
    )
    return [Criterion(k, q, t, f, answers[k]) for k, q, t, f in _QUESTIONS]


@dataclass(frozen=True)
class Crossover:
    """When self-run becomes cheaper than one managed vendor."""

    vendor: str
    month: float
    """First month from which self-run's cumulative cost stays below the vendor's; 0 if it
    always is, NaN if never within the horizon."""
    traffic_multiple: float
    """Multiple of today's traffic from which self-run's monthly run rate is cheaper; NaN if not
    within the range searched."""
    requests_per_month: float


@dataclass(frozen=True)
class DecisionAid:
    """Checklist scores, the policy constraint, the crossover and a one-line recommendation."""

    criteria: list[Criterion]
    score_self_run: int
    score_managed: int
    managed_allowed: bool
    crossovers: list[Crossover]
    best_option: str
    recommendation: str


def run_rate_cost(option: OptionResult) -> np.ndarray:
    """Recurring monthly cost at full adoption, before risk adjustment [currency/month]."""
    recurring = [
        line.run_rate for line in option.lines if line.category == "cost" and not line.one_off
    ]
    return np.sum(recurring, axis=0) if recurring else np.zeros(())


TRAFFIC_MULTIPLES = np.geomspace(0.01, 1000.0, 121)
"""Traffic multiples searched for the crossover: 1 % to 1000x today's, 20 steps a decade."""


def crossovers(evaluation: Evaluation) -> list[Crossover]:
    """Self-run against each managed vendor, by month and by traffic."""
    scenario = evaluation.scenario
    options = evaluation.options
    if "self-run" not in options:
        return []
    vendors = [k for k, o in options.items() if o.kind == "managed"]
    if not vendors:
        return []
    requests = scenario.instrumentation.requests_per_month.value
    sweep: dict[str, np.ndarray] = {
        "instrumentation.requests_per_month": requests * TRAFFIC_MULTIPLES
    }
    if scenario.managed.apm_hosts is not None:
        sweep["managed.apm_hosts"] = scenario.managed.apm_hosts.value * TRAFFIC_MULTIPLES
    grid = evaluate(scenario, sweep)
    self_run_grid = run_rate_cost(grid.options["self-run"])
    out = []
    for key in vendors:
        month = finance.payback_months(options[key].costs - options["self-run"].costs)
        cheaper = self_run_grid < run_rate_cost(grid.options[key])
        # The smallest multiple from which self-run stays cheaper up to the end of the sweep.
        multiple = float("nan")
        if cheaper[-1]:
            first = len(cheaper) - int(np.argmin(cheaper[::-1])) if not cheaper.all() else 0
            multiple = float(TRAFFIC_MULTIPLES[first])
        out.append(Crossover(key, float(month), multiple, multiple * requests))
    return out


def real_options(evaluation: Evaluation) -> list[str]:
    """Every option but the do-nothing baseline, in evaluation order."""
    return [k for k, o in evaluation.options.items() if o.kind != "baseline"]


def managed_allowed(evaluation: Evaluation) -> bool:
    """Whether policy allows managed (SaaS) vendors."""
    return evaluation.scenario.decision.no_saas_policy is not True


def allowed_options(evaluation: Evaluation) -> list[str]:
    """The options policy allows (a no-SaaS policy rules out managed vendors), baseline aside."""
    allowed = managed_allowed(evaluation)
    return [
        k
        for k, o in evaluation.options.items()
        if o.kind == "self_run" or (o.kind == "managed" and allowed)
    ]


def decide(evaluation: Evaluation) -> np.ndarray:
    """The decision rule, sample by sample: the option with the highest NPV that policy allows,
    or ``do-nothing`` where none has a positive NPV (a losing option is never recommended).

    Returns an array of option keys of the sample shape ``S``.
    """
    keys = allowed_options(evaluation)
    shape = evaluation.shape
    if not keys:
        return np.full(shape, "do-nothing", dtype=object)
    npv = np.stack([np.broadcast_to(evaluation.options[k].kpis["npv"], shape) for k in keys])
    best = np.argmax(npv, axis=0)
    top = np.take_along_axis(npv, best[None], axis=0)[0]
    names = np.array(keys, dtype=object)[best]
    return np.where(top > 0.0, names, "do-nothing")


def best_option(evaluation: Evaluation, index: Any = ()) -> str:
    """The one rule for "the recommended option" (:func:`decide`) at ``index`` of the sample
    shape, or on mean NPVs when ``index`` is None.

    >>> from roi.model import evaluate
    >>> from roi.inputs.scenario import load_scenario
    >>> best_option(evaluate(load_scenario("data_samples/scenarios/seed-article.yaml")))
    'datadog'
    """
    keys = allowed_options(evaluation)
    if not keys:
        return "do-nothing"

    def npv(k: str) -> float:
        v = np.asarray(evaluation.options[k].kpis["npv"])
        return float(np.mean(v)) if index is None else float(v[index])

    best = max(keys, key=npv)
    return best if npv(best) > 0.0 else "do-nothing"


def best_allowed(evaluation: Evaluation, index: Any = None) -> str | None:
    """The allowed option with the highest NPV (at ``index``, or the mean when None), whether
    or not it pays; None when policy allows none."""
    keys = allowed_options(evaluation)
    if not keys:
        return None

    def npv(k: str) -> float:
        v = np.asarray(evaluation.options[k].kpis["npv"])
        return float(np.mean(v)) if index is None else float(v[index])

    return max(keys, key=npv)


def focus_option(evaluation: Evaluation, index: Any = None) -> str:
    """The option a report (or a sensitivity) is about: the recommended one; when nothing is
    recommended, the allowed option that comes closest (to explain why it does not pay), else
    the first one. ``index`` as in :func:`best_option`."""
    key = best_option(evaluation, index)
    if key != "do-nothing":
        return key
    closest = best_allowed(evaluation, index)
    if closest is not None:
        return closest
    options = real_options(evaluation)
    return options[0] if options else key


def decision_aid(evaluation: Evaluation) -> DecisionAid:
    """Score the checklist and name the option with the highest NPV that policy allows."""
    scenario = evaluation.scenario
    items = criteria(scenario)
    score_self = sum(c.favours == "self-run" for c in items)
    score_managed = sum(c.favours == "managed" for c in items)
    allowed = managed_allowed(evaluation)
    best = best_option(evaluation, index=None)
    label = evaluation.options[best].label
    lean = (
        "self-run"
        if score_self > score_managed
        else "managed"
        if score_managed > score_self
        else "neither side"
    )
    closest = best_allowed(evaluation)
    if best == "do-nothing" and closest is not None:
        first = (
            f"None of the options pays for itself: the closest"
            f"{'' if allowed else ' that policy allows'}, {evaluation.options[closest].label}, "
            "has a negative risk-adjusted NPV, so doing nothing is recommended."
        )
    else:
        first = f"Highest NPV{'' if allowed else ' that policy allows'}: {label}."
    parts = [
        first,
        f"The checklist leans {lean} ({score_self} for self-run, {score_managed} for "
        f"managed, {sum(c.answer is None for c in items)} unanswered).",
    ]
    if not allowed:
        parts.append("A no-SaaS policy rules out managed vendors.")
    return DecisionAid(
        items, score_self, score_managed, allowed, crossovers(evaluation), best, " ".join(parts)
    )


NEAR_TIE_PROBABILITY = 0.8
"""Below this chance that the leading option beats the runner-up, the two are a near-tie: the
Monte Carlo cannot tell them apart with four-to-one confidence."""
NEAR_TIE_SHARE = 0.02
"""[fraction] Point NPVs closer than this share of the leader's are a near-tie too, however
sure the samples are: list prices, volumes and labour estimates are not that precise."""


@dataclass(frozen=True)
class Comparison:
    """The leading option against the runner-up, over the Monte Carlo's samples."""

    leader: str
    runner_up: str
    prob_leader_beats: float
    """Share of samples in which the leader's NPV exceeds the runner-up's [fraction]."""
    npv_gap: float
    """Leader's point NPV minus the runner-up's [currency]."""
    leader_npv: float

    @property
    def near_tie(self) -> bool:
        """True when the samples do not separate the two (P < :data:`NEAR_TIE_PROBABILITY`) or
        the gap is under :data:`NEAR_TIE_SHARE` of the leader's NPV."""
        small = self.npv_gap < NEAR_TIE_SHARE * abs(self.leader_npv)
        return self.prob_leader_beats < NEAR_TIE_PROBABILITY or small


class _Simulated(Protocol):
    """What :func:`compare` reads of a :class:`roi.analysis.montecarlo.Simulation`."""

    @property
    def options(self) -> Mapping[str, Any]: ...


def compare(evaluation: Evaluation, simulation: _Simulated) -> Comparison | None:
    """The two allowed options with the highest point NPVs (do-nothing counts, at NPV 0), and
    the chance that the first beats the second; None with fewer than two options.

    >>> from roi.model import evaluate
    >>> from roi.inputs.scenario import load_scenario
    >>> from roi.analysis.montecarlo import simulate
    >>> s = load_scenario("data_samples/scenarios/ecommerce-midsize.yaml")
    >>> c = compare(evaluate(s), simulate(s, 2000))
    >>> c.leader, c.runner_up, c.near_tie
    ('aws-xray', 'grafana-cloud', True)
    """
    keys = allowed_options(evaluation)
    point = {k: float(np.mean(evaluation.options[k].kpis["npv"])) for k in keys}
    point["do-nothing"] = 0.0
    ranked = sorted(point, key=lambda k: -point[k])
    if len(ranked) < 2:
        return None
    a, b = ranked[:2]

    def samples(k: str) -> np.ndarray:
        if k == "do-nothing":
            return np.zeros(1)
        return np.asarray(simulation.options[k].kpis["npv"])

    p = float(np.mean(samples(a) > samples(b)))
    return Comparison(a, b, p, point[a] - point[b], point[a])


@dataclass(frozen=True)
class ReadinessBox:
    """One pre-flight box."""

    key: str
    text: str
    checked: bool


def readiness(scenario: Scenario) -> list[ReadinessBox]:
    """The article's five pre-flight boxes; the services box needs 3 to 5 named services."""
    r = scenario.readiness
    return [
        ReadinessBox(
            "business_value_in_30_seconds",
            "Can I explain the business value in 30 seconds?",
            r.business_value_in_30_seconds,
        ),
        ReadinessBox(
            "dollar_or_kpi_target",
            "Do I have a specific dollar amount or KPI improvement target?",
            r.dollar_or_kpi_target,
        ),
        ReadinessBox(
            "skip_level_manager_understands",
            "Does my manager's manager understand why this matters?",
            r.skip_level_manager_understands,
        ),
        ReadinessBox(
            "dedicated_engineering_time",
            "Do I have dedicated engineering time (not 'when you have a spare moment')?",
            r.dedicated_engineering_time,
        ),
        ReadinessBox(
            "critical_services",
            "Have I identified the 3-5 most critical services to instrument first?",
            3 <= len(r.critical_services) <= 5,
        ),
    ]
