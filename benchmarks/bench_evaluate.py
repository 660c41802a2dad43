"""Speed of ``roi.model.evaluate`` and of ``import roi``, against goals.

Three measurements, in one run:

1. ``point_eval_ms``: one point evaluation (``evaluate(scenario)``, scenario loaded once), median
   over many repetitions. Goal: < 2 ms.
2. ``mc_100k``: one evaluation over 100 000 samples of every numeric input, against a hand-written
   numpy version of the same arithmetic written below (``reference_kpis``). Both must agree on
   NPV, ROI, payback and PV of benefits and costs of every option before anything is timed.
   Goal: evaluate / reference <= 1.5. Peak memory of each is reported for information.
3. ``import_roi_ms``: what ``import roi`` adds to ``import numpy, pandas``, in fresh
   subprocesses. Goal: <= 50 ms. ``from roi.model import evaluate`` and ``roi --help`` are timed
   for information.

Run ``python benchmarks/bench_evaluate.py`` (human summary) or ``--json`` (one JSON object);
``--check`` exits 1 when a goal is missed. See ``benchmarks/README.md``.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import platform
import statistics
import subprocess
import sys
import time
import tracemalloc
import typing
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import numpy as np
from pydantic import BaseModel
from pydantic.fields import FieldInfo

from roi.inputs.parameters import parameters
from roi.inputs.presets import VENDORS
from roi.inputs.scenario import load_scenario
from roi.inputs.schema import Scenario, Spec
from roi.model import evaluate

ROOT = Path(__file__).resolve().parent.parent
SCENARIOS = ROOT / "data_samples" / "scenarios"
POINT_SCENARIOS = ("seed-article", "ecommerce-midsize")
MC_SCENARIOS = ("seed-article", "ecommerce-midsize")

POINT_GOAL_MS = 2.0
MC_GOAL_RATIO = 1.5
IMPORT_GOAL_MS = 50.0

SAMPLES = 100_000
SEED = 20240611
SPREAD = 0.20
"""Samples are uniform in [1 - SPREAD, 1 + SPREAD] x the point value, clipped to the bounds."""

KPIS = ("npv", "roi", "payback_months", "pv_benefits", "pv_costs")

# Calendar conventions, restated here rather than imported so that the reference is independent.
HOURS_PER_WORK_WEEK = 40.0
HOURS_PER_WORK_DAY = 8.0
WEEKS_PER_MONTH = 52.0 / 12.0
DAYS_PER_MONTH = 365.25 / 12.0
SECONDS_PER_MONTH = DAYS_PER_MONTH * 86_400.0
TEMPO_COMPONENTS = ("distributor", "ingester", "querier")


# --------------------------------------------------------------------------------------------
# Inputs: 100 000 draws of every numeric parameter, clipped to the field's bounds
# --------------------------------------------------------------------------------------------


def _spec(field: FieldInfo) -> Spec | None:
    for meta in field.metadata:
        if isinstance(meta, Spec):
            return meta
    for arg in typing.get_args(field.annotation):
        for meta in getattr(arg, "__metadata__", ()):
            if isinstance(meta, Spec):
                return meta
    return None


def bounds_of(scenario: Scenario, path: str) -> str:
    """The schema bounds (``fraction``, ``nonneg``, ...) of a parameter path.

    Preset numbers that the schema does not hold (vendor list prices) are ``nonneg``.
    """
    node: Any = scenario
    parts = path.split(".")
    i = 0
    while i < len(parts):
        name = parts[i]
        if isinstance(node, BaseModel):
            field = type(node).model_fields.get(name)
            if field is None:
                return "nonneg"
            if i == len(parts) - 1:
                spec = _spec(field)
                return spec.bounds if spec is not None else "nonneg"
            node = getattr(node, name)
        elif isinstance(node, dict):
            if name not in node:
                return "nonneg"
            node = node[name]
        else:
            return "nonneg"
        i += 1
    return "nonneg"


def _clip(x: np.ndarray, bounds: str) -> np.ndarray:
    tiny = np.nextafter(0.0, 1.0)
    if bounds == "fraction":
        return np.clip(x, 0.0, 1.0)
    if bounds == "nonneg":
        return np.maximum(x, 0.0)
    if bounds == "positive":
        return np.maximum(x, tiny)
    if bounds == "growth":
        return np.maximum(x, -1.0 + 1e-9)
    return x


def sample_values(scenario: Scenario, n: int, seed: int = SEED) -> dict[str, np.ndarray]:
    """``n`` uniform draws within +-SPREAD of every numeric parameter but the horizon."""
    rng = np.random.default_rng(seed)
    values = {}
    for path, q in parameters(scenario).items():
        if path == "timeline.horizon_months":
            continue
        draws = q.value * rng.uniform(1.0 - SPREAD, 1.0 + SPREAD, n)
        values[path] = _clip(draws, bounds_of(scenario, path))
    return values


# --------------------------------------------------------------------------------------------
# The reference: the same business case, written directly in numpy (samples x months)
# --------------------------------------------------------------------------------------------


def reference_kpis(
    scenario: Scenario, values: Mapping[str, Any]
) -> dict[str, dict[str, np.ndarray]]:
    """KPIs of every option, computed independently of :mod:`roi.model`.

    ``values`` maps every parameter path to a number or a 1-D array of samples. Structure
    (severities, options, vendor components, flags) comes from the scenario; every number comes
    from ``values``. Returns ``{option: {kpi: array of shape (n,)}}``.
    """
    cols = {k: np.asarray(v, dtype=float).reshape(-1, 1) for k, v in values.items()}
    n = max(c.shape[0] for c in cols.values())

    def v(path: str, default: float | None = None) -> np.ndarray:
        if path not in cols and default is not None:
            return np.full((1, 1), default)
        return cols[path]

    horizon = int(scenario.timeline.horizon_months.value)
    t = np.arange(horizon + 1, dtype=float)
    n_months = t.size
    op = (t >= 1).astype(float)
    initial = 1.0 - op

    def adoption(rollout: np.ndarray) -> np.ndarray:
        with np.errstate(divide="ignore", invalid="ignore"):
            a = np.clip(t / rollout, 0.0, 1.0)
        a[:, 0] = 0.0
        return np.broadcast_to(a, (n, n_months)) if a.shape[0] != n else a

    def ramp(rollout: np.ndarray, a: np.ndarray) -> np.ndarray:
        with np.errstate(divide="ignore"):
            return np.clip((t + 1.0) / rollout, 0.0, 1.0) - a

    rate = v("business.loaded_hourly_rate")
    margin = v("business.margin")
    traffic = (1.0 + v("timeline.traffic_growth_per_month")) ** t
    revenue_growth = (1.0 + v("timeline.revenue_growth_per_month")) ** t
    services_growth = (1.0 + v("timeline.services_growth_per_month")) ** t
    contingency = v("rollout.contingency_fraction")

    # Benefits: (run rate at full adoption [currency/month], monthly profile or None for flat).
    benefit_lines: list[tuple[np.ndarray, np.ndarray | None]] = []
    avoided_share = 1.0 - v("incidents.incident_reduction_fraction")
    for sev, s in scenario.incidents.severities.items():
        p = f"incidents.severities.{sev}."
        before = v(p + "mttr_hours_before")
        if s.mttr_hours_after is not None:
            after = v(p + "mttr_hours_after")
        else:
            after = before * (1.0 - v(p + "mttr_reduction_fraction"))
        hours_avoided = v(p + "incidents_per_month") * (before - avoided_share * after)
        lost_per_hour = v("business.revenue_per_hour") * v(p + "revenue_impact_fraction") * margin
        benefit_lines.append((hours_avoided * lost_per_hour, revenue_growth))
        benefit_lines.append((hours_avoided * v(p + "responders") * rate, None))
    spans_per_request = v("instrumentation.spans_per_request")
    lat = scenario.latency
    if lat is not None:
        saved_ms = v("latency.latency_ms_before") - v("latency.latency_ms_after")
        if not lat.after_includes_overhead:
            saved_ms = saved_ms - spans_per_request * v("instrumentation.overhead_ms_per_span")
        lift = np.minimum(
            v("latency.max_conversion_lift"),
            v("latency.conversion_lift_per_100ms") * saved_ms / 100.0,
        )
        monthly_revenue = v("latency.revenue_through_path_per_year") / 12.0 * margin
        credited = lift * v("latency.latency_attribution_fraction")
        benefit_lines.append((credited * monthly_revenue, revenue_growth))

    services = v("rollout.services_to_instrument")
    instrumentation_cost = (
        services * v("rollout.hours_per_service") * (1.0 + contingency) * rate
    )  # one-off, spread over the rollout
    review_cost = (
        v("rollout.review_hours_per_week") * v("rollout.review_attendees") * WEEKS_PER_MONTH * rate
    )  # per operating month
    requests = v("instrumentation.requests_per_month")
    sampling = v("instrumentation.sampling_rate")
    bytes_per_span = v("instrumentation.bytes_per_span")
    discount = v("finance.discount_rate")[:, 0]

    def present_value(monthly: np.ndarray) -> np.ndarray:
        if scenario.finance.discounting == "tei":
            pv = monthly[:, 0].copy()  # Initial: not discounted
            for year in range(1, -(-horizon // 12) + 1):
                total = monthly[:, 1 + 12 * (year - 1) : 1 + 12 * year].sum(axis=1)
                pv += total / (1.0 + discount) ** year
            return pv
        per_month = (1.0 + discount) ** (1.0 / 12.0) - 1.0
        return (monthly / (1.0 + per_month[:, None]) ** t).sum(axis=1)

    def kpis(a: np.ndarray, costs: np.ndarray) -> dict[str, np.ndarray]:
        benefits = np.zeros((n, n_months))
        for run_rate, profile in benefit_lines:
            benefits += (run_rate * profile if profile is not None else run_rate) * a
        benefits *= 1.0 - v("finance.benefit_risk")
        costs *= 1.0 + v("finance.cost_risk")
        pv_benefits = present_value(benefits)
        pv_costs = present_value(costs)
        cumulative = np.cumsum(benefits - costs, axis=1)
        # Months from which cumulative net cash stays >= 0 up to the horizon.
        holds = np.logical_and.accumulate((cumulative >= 0)[:, ::-1], axis=1)[:, ::-1]
        holding_months = holds.sum(axis=1)
        payback = np.where(holding_months > 0, n_months - holding_months, np.nan)
        with np.errstate(divide="ignore", invalid="ignore"):
            roi = np.where(pv_costs > 0, (pv_benefits - pv_costs) / pv_costs, np.nan)
        return {
            "npv": pv_benefits - pv_costs,
            "roi": roi,
            "payback_months": payback,
            "pv_benefits": pv_benefits,
            "pv_costs": pv_costs,
        }

    def shared_costs(a: np.ndarray, rollout: np.ndarray) -> np.ndarray:
        costs = instrumentation_cost * ramp(rollout, a)
        costs += review_cost * op
        return costs

    out: dict[str, dict[str, np.ndarray]] = {
        "do-nothing": {
            "npv": np.zeros(n),
            "roi": np.full(n, np.nan),
            "payback_months": np.full(n, np.nan),
            "pv_benefits": np.zeros(n),
            "pv_costs": np.zeros(n),
        }
    }

    if scenario.self_run.enabled:
        p = "self_run."
        rollout = v("timeline.rollout_months")
        a = adoption(rollout)
        costs = shared_costs(a, rollout)
        setup_hours = v(p + "setup_engineer_weeks") * HOURS_PER_WORK_WEEK * (1.0 + contingency)
        costs += setup_hours * rate * initial
        upkeep_hours = v(p + "maintenance_days_per_week") * HOURS_PER_WORK_DAY * WEEKS_PER_MONTH
        costs += upkeep_hours * rate * op
        costs += v(p + "tracing_incident_hours_per_month") * rate * op
        spans = requests * (traffic * a) * spans_per_request * sampling
        ingest_gb = spans * bytes_per_span / 1e9
        del spans
        stored_gb = (
            ingest_gb * v(p + "retention_days") / DAYS_PER_MONTH / v(p + "compression_ratio")
        )
        costs += stored_gb * v(p + "storage_price_per_gb_month") * op
        del stored_gb
        mb_per_s = ingest_gb * 1e3 / SECONDS_PER_MONTH
        del ingest_gb
        replicas = np.zeros((n, n_months))
        for component in TEMPO_COMPONENTS:
            needed = np.ceil(mb_per_s / v(f"{p}{component}_mb_per_s"))
            replicas += np.maximum(v(p + "min_replicas_per_component"), needed)
        costs += replicas * v(p + "replica_price_per_month") * op
        del replicas, mb_per_s
        out["self-run"] = kpis(a, costs)
        del costs, a

    vendors = scenario.managed.vendors
    if vendors:
        onboarding = services / v("managed.onboarding_services_per_week") / WEEKS_PER_MONTH
        a = adoption(onboarding)
        if scenario.instrumentation.sdk == "proprietary":
            exit_cost = services * v("lock_in.rewrite_weeks_per_service") * HOURS_PER_WORK_WEEK
            exit_cost = exit_cost * rate
        else:
            exit_cost = v("lock_in.config_switch_hours") * rate
        used = a * traffic
        spans = requests * used * spans_per_request * sampling
        hosts = v("managed.apm_hosts", 0.0) * used
        volume: dict[str, Callable[[], np.ndarray]] = {
            "platform": lambda: op,
            "hosts": lambda: hosts,
            "ingested_gb": lambda: spans * bytes_per_span / 1e9,
            "indexed_spans_million": lambda: spans * v("managed.indexed_span_fraction") / 1e6,
            "traces_million": lambda: requests * used * sampling / 1e6,
            "events_million": lambda: spans / 1e6,
            "custom_metrics": lambda: (
                services * services_growth * v("managed.custom_metrics_per_service") * a
            ),
            "users": lambda: v("managed.users") * op,
        }
        month = scenario.lock_in.migration_month
        for key in vendors:
            costs = shared_costs(a, onboarding)
            for component in VENDORS[key].components:
                p = f"managed.prices.{key}.{component.driver}."
                allowance = v(p + "free_units", 0.0) + v(p + "included_per_host", 0.0) * hosts
                billable = np.maximum(volume[component.driver]() - allowance, 0.0)
                costs += billable * v(p + "price_per_unit")
                del billable, allowance
            costs += v("managed.admin_hours_per_month") * rate * op
            if month is not None:
                costs[:, month] += exit_cost[:, 0]
            out[key] = kpis(a, costs)
            del costs
    return out


def assert_agree(
    scenario: Scenario, values: Mapping[str, Any], reference: dict[str, dict[str, np.ndarray]]
) -> int:
    """Raise AssertionError unless evaluate and the reference agree; returns values compared."""
    ev = evaluate(scenario, values)
    assert sorted(ev.options) == sorted(reference), (sorted(ev.options), sorted(reference))
    compared = 0
    for key, option in ev.options.items():
        for kpi in KPIS:
            got = np.ravel(option.kpis[kpi])
            want = np.ravel(reference[key][kpi])
            if kpi == "payback_months":
                ok = np.array_equal(got, want, equal_nan=True)
            else:
                ok = np.allclose(got, want, rtol=1e-9, atol=1e-6, equal_nan=True)
            if not ok:
                bad = ~np.isclose(got, want, rtol=1e-9, atol=1e-6, equal_nan=True)
                i = int(np.argmax(bad))
                raise AssertionError(
                    f"{scenario.name}: option {key}, {kpi}: evaluate and reference disagree in "
                    f"{int(bad.sum())} of {bad.size} samples (e.g. sample {i}: "
                    f"{got[i]!r} vs {want[i]!r})"
                )
            compared += got.size
    return compared


# --------------------------------------------------------------------------------------------
# Timing helpers
# --------------------------------------------------------------------------------------------


def _timed(fn: Callable[[], object]) -> tuple[float, float]:
    """CPU seconds of this process and wall seconds of one call of ``fn``."""
    gc.collect()
    c0, w0 = time.process_time(), time.perf_counter()
    result = fn()
    c1, w1 = time.process_time(), time.perf_counter()
    del result
    return c1 - c0, w1 - w0


def _peak_mb(fn: Callable[[], object]) -> float:
    """Peak memory traced while ``fn`` runs, its result included [MB]."""
    gc.collect()
    tracemalloc.start()
    try:
        result = fn()
        peak = tracemalloc.get_traced_memory()[1]
        del result
    finally:
        tracemalloc.stop()
    return peak / 1e6


def point_eval(repeats: int) -> dict[str, Any]:
    """Median time of ``evaluate(scenario)`` for the point estimate of each scenario."""
    out: dict[str, Any] = {"goal_ms": POINT_GOAL_MS, "repeats": repeats, "by_scenario": {}}
    for name in POINT_SCENARIOS:
        scenario = load_scenario(SCENARIOS / f"{name}.yaml")
        point = {k: q.value for k, q in parameters(scenario).items()}
        assert_agree(scenario, {}, reference_kpis(scenario, point))
        t0 = time.perf_counter()
        evaluate(load_scenario(SCENARIOS / f"{name}.yaml"))
        t_first = time.perf_counter() - t0
        for _ in range(5):
            evaluate(scenario)
        times = []
        for _ in range(repeats):
            t0 = time.perf_counter()
            evaluate(scenario)
            times.append(time.perf_counter() - t0)
        median_ms = statistics.median(times) * 1e3
        out["by_scenario"][name] = {
            "median_ms": median_ms,
            "p90_ms": float(np.percentile(times, 90)) * 1e3,
            "first_call_ms": t_first * 1e3,
            "met": median_ms < POINT_GOAL_MS,
        }
    worst = max(out["by_scenario"], key=lambda k: out["by_scenario"][k]["median_ms"])
    out["scenario"] = worst
    out["median_ms"] = out["by_scenario"][worst]["median_ms"]
    out["met"] = all(r["met"] for r in out["by_scenario"].values())
    return out


def monte_carlo(samples: int, repeats: int) -> dict[str, Any]:
    """``evaluate`` over ``samples`` draws of every input, against the numpy reference."""
    out: dict[str, Any] = {
        "samples": samples,
        "repeats": repeats,
        "goal": MC_GOAL_RATIO,
        "by_scenario": {},
    }
    for name in MC_SCENARIOS:
        scenario = load_scenario(SCENARIOS / f"{name}.yaml")
        values = sample_values(scenario, samples)
        table = {k: q.value for k, q in parameters(scenario).items()}
        full = {**table, **values}
        # Correctness first: the reference and evaluate agree on every KPI of every option.
        compared = assert_agree(scenario, values, reference_kpis(scenario, full))
        gc.collect()
        # Interleave the two so that both see the same machine state. The goal is judged on
        # CPU time (user + system, page faults included): the machine may be shared, and wall
        # time then measures the scheduler as much as the code. Wall time is reported too.
        eval_runs: list[tuple[float, float]] = []
        ref_runs: list[tuple[float, float]] = []
        for _ in range(repeats):
            eval_runs.append(_timed(lambda s=scenario, x=values: evaluate(s, x)))
            ref_runs.append(_timed(lambda s=scenario, x=full: reference_kpis(s, x)))
        eval_cpu = [c for c, _ in eval_runs]
        ref_cpu = [c for c, _ in ref_runs]
        evaluate_s = statistics.median(eval_cpu)
        reference_s = statistics.median(ref_cpu)
        ratio = evaluate_s / reference_s
        evaluate_wall_s = statistics.median(w for _, w in eval_runs)
        reference_wall_s = statistics.median(w for _, w in ref_runs)
        out["by_scenario"][name] = {
            "options": len(scenario.managed.vendors) + 1 + int(scenario.self_run.enabled),
            "inputs_sampled": len(values),
            "kpi_values_compared": compared,
            "agree": True,
            "evaluate_s": evaluate_s,
            "reference_s": reference_s,
            "ratio": ratio,
            "met": ratio <= MC_GOAL_RATIO,
            "best_ratio": min(eval_cpu) / min(ref_cpu),
            "evaluate_cpu_s_runs": eval_cpu,
            "reference_cpu_s_runs": ref_cpu,
            "evaluate_wall_s": evaluate_wall_s,
            "reference_wall_s": reference_wall_s,
            "wall_ratio": evaluate_wall_s / reference_wall_s,
            "evaluate_peak_mb": _peak_mb(lambda s=scenario, x=values: evaluate(s, x)),
            "reference_peak_mb": _peak_mb(lambda s=scenario, x=full: reference_kpis(s, x)),
        }
        del values, full
        gc.collect()
    worst = max(out["by_scenario"], key=lambda k: out["by_scenario"][k]["ratio"])
    w = out["by_scenario"][worst]
    out.update(
        scenario=worst,
        evaluate_s=w["evaluate_s"],
        reference_s=w["reference_s"],
        ratio=w["ratio"],
        evaluate_peak_mb=w["evaluate_peak_mb"],
        reference_peak_mb=w["reference_peak_mb"],
        met=all(r["met"] for r in out["by_scenario"].values()),
    )
    return out


_TIMER = """
import sys, time
t0 = time.perf_counter()
import numpy, pandas
t1 = time.perf_counter()
{stmt}
t2 = time.perf_counter()
print(t1 - t0, t2 - t1)
"""


def _subprocess_times(stmt: str, runs: int) -> tuple[list[float], list[float]]:
    base, extra = [], []
    for _ in range(runs):
        done = subprocess.run(
            [sys.executable, "-c", _TIMER.format(stmt=stmt)],
            capture_output=True,
            text=True,
            check=True,
            cwd=ROOT,
        )
        a, b = done.stdout.split()
        base.append(float(a) * 1e3)
        extra.append(float(b) * 1e3)
    return base, extra


def import_time(runs: int) -> dict[str, Any]:
    """What ``import roi`` adds to ``import numpy, pandas``, in fresh interpreters [ms]."""
    _subprocess_times("import roi", 1)  # warm the file cache
    base, roi_ms = _subprocess_times("import roi", runs)
    both = [a + b for a, b in zip(base, roi_ms, strict=True)]
    _, model_ms = _subprocess_times("from roi.model import evaluate", runs)
    roi_exe = Path(sys.executable).with_name("roi")
    cli = [str(roi_exe)] if roi_exe.exists() else [sys.executable, "-m", "roi.cli"]
    help_ms = []
    for _ in range(runs):
        t0 = time.perf_counter()
        subprocess.run([*cli, "--help"], capture_output=True, check=True, cwd=ROOT)
        help_ms.append((time.perf_counter() - t0) * 1e3)
    added = statistics.median(roi_ms)
    return {
        "runs": runs,
        "numpy_pandas_ms": statistics.median(base),
        "numpy_pandas_roi_ms": statistics.median(both),
        "roi_ms": added,
        "goal_ms": IMPORT_GOAL_MS,
        "met": added <= IMPORT_GOAL_MS,
        "info": {
            "from_roi_model_import_evaluate_ms": statistics.median(model_ms),
            "roi_help_wall_ms": statistics.median(help_ms),
        },
    }


def _environment() -> dict[str, Any]:
    return {
        "python": platform.python_version(),
        "numpy": np.__version__,
        "machine": platform.machine(),
        "cpus": os.cpu_count(),
    }


def _summary(result: dict[str, Any]) -> str:
    def flag(met: bool) -> str:
        return "goal met" if met else "GOAL MISSED"

    env = result["environment"]
    lines = [
        f"roi evaluate benchmark (Python {env['python']}, numpy {env['numpy']}, "
        f"{env['cpus']} CPUs)",
        "",
        f"1. Point evaluation, median of {result['point_eval_ms']['repeats']} "
        f"(goal < {POINT_GOAL_MS:g} ms)",
    ]
    for name, r in result["point_eval_ms"]["by_scenario"].items():
        lines.append(
            f"   {name:<20} {r['median_ms']:7.3f} ms  (p90 {r['p90_ms']:.3f} ms, first call "
            f"{r['first_call_ms']:.1f} ms)  {flag(r['met'])}"
        )
    mc = result["mc_100k"]
    lines += [
        "",
        f"2. Monte Carlo, {mc['samples']:,} samples of every input, median CPU time of "
        f"{mc['repeats']} (goal evaluate/reference <= {MC_GOAL_RATIO:g})",
    ]
    for name, r in mc["by_scenario"].items():
        lines.append(
            f"   {name:<20} evaluate {r['evaluate_s']:6.3f} s  reference {r['reference_s']:6.3f} s"
            f"  ratio {r['ratio']:.2f}  {flag(r['met'])}"
        )
        lines.append(
            f"   {'':<20} fastest runs: ratio {r['best_ratio']:.2f}; wall time: evaluate "
            f"{r['evaluate_wall_s']:.3f} s, reference {r['reference_wall_s']:.3f} s, ratio "
            f"{r['wall_ratio']:.2f}"
        )
        lines.append(
            f"   {'':<20} {r['options']} options, {r['inputs_sampled']} inputs sampled, "
            f"{r['kpi_values_compared']:,} KPI values agree; peak memory evaluate "
            f"{r['evaluate_peak_mb']:.0f} MB, reference {r['reference_peak_mb']:.0f} MB"
        )
    if "import_roi_ms" in result:
        im = result["import_roi_ms"]
        info = im["info"]
        lines += [
            "",
            f"3. Import time, median of {im['runs']} fresh interpreters (goal <= "
            f"{IMPORT_GOAL_MS:g} ms)",
            f"   import numpy, pandas          {im['numpy_pandas_ms']:7.1f} ms",
            f"   import numpy, pandas, roi     {im['numpy_pandas_roi_ms']:7.1f} ms",
            f"   import roi adds               {im['roi_ms']:7.1f} ms  {flag(im['met'])}",
            f"   from roi.model import evaluate {info['from_roi_model_import_evaluate_ms']:6.1f} ms"
            " after numpy, pandas (information)",
            f"   roi --help                    {info['roi_help_wall_ms']:7.1f} ms wall "
            "(information)",
        ]
    lines += ["", "All goals met." if result["met"] else "Some goals missed."]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--samples", type=int, default=SAMPLES, help="Monte Carlo samples")
    parser.add_argument("--repeats", type=int, default=7, help="Monte Carlo repetitions")
    parser.add_argument("--point-repeats", type=int, default=500, help="point repetitions")
    parser.add_argument("--import-runs", type=int, default=9, help="fresh interpreters")
    parser.add_argument("--skip-import", action="store_true", help="skip the import timing")
    parser.add_argument("--check", action="store_true", help="exit 1 when a goal is missed")
    args = parser.parse_args(argv)

    result: dict[str, Any] = {"benchmark": "bench_evaluate", "environment": _environment()}
    result["point_eval_ms"] = point_eval(args.point_repeats)
    result["mc_100k"] = monte_carlo(args.samples, args.repeats)
    if not args.skip_import:
        result["import_roi_ms"] = import_time(args.import_runs)
    parts = [result["point_eval_ms"], result["mc_100k"], result.get("import_roi_ms")]
    result["met"] = all(p["met"] for p in parts if p is not None)
    print(json.dumps(result, indent=2) if args.json else _summary(result))
    return 1 if args.check and not result["met"] else 0


if __name__ == "__main__":
    sys.exit(main())
