"""Monte Carlo speed of ``roi simulate``'s engine against the numpy floor of the same work and
against squigglepy, the tool a user would otherwise reach for.

One model: the seed article's scenario (self-run and Datadog, one severity, latency, Initial +
36 months) with EVERY numeric input ranged (about 55 inputs: ±25 % lognormal 90 % intervals for
positive quantities, ±20 % normal ones for fractions, uniform for inputs that are 0 or 1 today).

(a) engine     ``roi.analysis.montecarlo.simulate`` + ``summary()`` of every option: draws, chunked
               ``roi.model.evaluate``, P10/P50/P90 and means. Its percentiles must equal the
               frozen ones (``tests/data/frozen/bench_montecarlo.json``; ``--freeze`` rewrites it
               when the model changes on purpose) before anything is timed.
(b) floor      the same draws (the engine's own streams), then the least numpy can do for the
               same output: one broadcast multiply-add per line item and one present value
               (``bench_evaluate.numpy_floor``). It restates none of the model's formulas; the
               ratio says what the model's structure costs over raw arithmetic.
(c) squigglepy the idiomatic squigglepy model: a Python function drawing each input with ``~``
               from squigglepy's distributions and evaluating that one sample with
               ``roi.model.evaluate``, sampled with ``sq.sample(model, n=...)``. Its P50 NPV must
               match the engine's within Monte Carlo error.

Goals: (a) within 10x of (b) (provisional: set from the first quiet full run); (a) at least 30x
faster than (c); 100 000 samples in under 1 s with peak traced memory under 500 MB.

Run ``python benchmarks/bench_montecarlo.py`` (summary) or ``--json`` (one JSON object);
``--check`` exits 1 when a goal is missed. See ``benchmarks/README.md``.
"""

from __future__ import annotations

import argparse
import copy
import gc
import json
import math
import os
import platform
import statistics
import sys
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
from bench_evaluate import numpy_floor, numpy_floor_inputs

from roi.analysis.montecarlo import simulate
from roi.analysis.sampling import draw, input_streams, ranged_inputs
from roi.inputs.parameters import parameters
from roi.inputs.scenario import resolve, validate
from roi.inputs.schema import Scenario

ROOT = Path(__file__).resolve().parent.parent
SEED_SCENARIO = ROOT / "data_samples" / "scenarios" / "seed-article.yaml"

SAMPLES = 100_000
PEER_SAMPLES = 2_000
SEED = 7
KPIS = ("npv", "roi", "payback_months", "pv_benefits", "pv_costs")

GOAL_RATIO_TO_REFERENCE = 10.0
GOAL_SPEEDUP_OVER_PEER = 30.0
GOAL_SECONDS_100K = 1.0
GOAL_PEAK_MB = 500.0

INTEGER_FIELDS = ("timeline.horizon_months", "self_run.min_replicas_per_component")
FROZEN = ROOT / "tests" / "data" / "frozen" / "bench_montecarlo.json"
"""The engine's KPI percentiles on the benchmark model when frozen (``--freeze``)."""
FROZEN_SAMPLES = 5_000


# --------------------------------------------------------------------------------------------
# The model: the seed scenario with every input ranged
# --------------------------------------------------------------------------------------------


def ranged_spec(value: float, unit: str) -> dict[str, Any]:
    """The range written for one input (canonical unit, so no ``unit`` key)."""
    if unit.startswith("fraction"):
        if value <= 0.0:
            return {"dist": "uniform", "low": 0.0, "high": 0.02}
        if value >= 1.0:
            return {"dist": "uniform", "low": 0.9, "high": 1.0}
        return {"dist": "normal", "low": 0.8 * value, "high": min(1.2 * value, 1.0)}
    if value <= 0.0:
        return {"dist": "uniform", "low": 0.0, "high": 1.0}
    return {"dist": "lognormal", "low": value / 1.25, "high": value * 1.25}


def benchmark_scenario() -> Scenario:
    """The seed article's scenario with every numeric input (presets included) ranged."""
    base = validate(resolve(SEED_SCENARIO), str(SEED_SCENARIO))
    data = copy.deepcopy(resolve(SEED_SCENARIO))
    for path, q in parameters(base).items():
        if path in INTEGER_FIELDS:
            continue
        node = data
        *parents, last = path.split(".")
        for part in parents:
            node = node.setdefault(part, {})
        node[last] = ranged_spec(q.value, q.unit or "")
    return validate(data, "seed-article, every input ranged")


# --------------------------------------------------------------------------------------------
# (a) the engine
# --------------------------------------------------------------------------------------------


def engine(scenario: Scenario, n: int, seed: int) -> dict[str, Any]:
    sim = simulate(scenario, samples=n, seed=seed)
    return {
        "kpis": {k: o.kpis for k, o in sim.options.items()},
        "summary": {k: o.summary() for k, o in sim.options.items()},
    }


# --------------------------------------------------------------------------------------------
# (b) the numpy floor: the same draws, the least arithmetic numpy can do for the same output
# --------------------------------------------------------------------------------------------


def floor_inputs(scenario: Scenario, n: int, seed: int) -> list[np.ndarray]:
    """The engine's own draws of every ranged input (same streams), arranged as one (2, n)
    block per line item of the evaluation: drivers and unit values for :func:`numpy_floor`."""
    inputs = ranged_inputs(scenario)
    draws = draw(inputs, input_streams(inputs, seed), n)
    columns = list(draws.values())
    blocks = []
    for j in range(len(numpy_floor_inputs(scenario, 1))):
        blocks.append(
            np.stack([columns[(2 * j) % len(columns)], columns[(2 * j + 1) % len(columns)]])
        )
    return blocks


def reference(scenario: Scenario, n: int, seed: int) -> np.ndarray:
    """The floor for ``n`` samples: draws, then one multiply-add per line item and a present
    value per option (bench_evaluate.numpy_floor). Restates none of the model's formulas."""
    months = int(scenario.timeline.horizon_months.value) + 1
    return numpy_floor(floor_inputs(scenario, n, seed), months)


def summarize(x: np.ndarray) -> dict[str, float]:
    never_is_inf = np.where(np.isnan(x), np.inf, x)
    p10, p50, p90 = np.percentile(never_is_inf, [10, 50, 90])
    return {"p10": float(p10), "p50": float(p50), "p90": float(p90), "mean": float(np.mean(x))}


# --------------------------------------------------------------------------------------------
# Correctness: the engine against its frozen percentiles
# --------------------------------------------------------------------------------------------


def frozen_case(scenario: Scenario, seed: int) -> dict[str, Any]:
    result = engine(scenario, FROZEN_SAMPLES, seed)
    return {
        key: {kpi: summarize(x) for kpi, x in kpis.items()} for key, kpis in result["kpis"].items()
    }


def freeze(seed: int) -> Path:
    """Write :data:`FROZEN` (only when the model changes on purpose)."""
    FROZEN.parent.mkdir(parents=True, exist_ok=True)
    doc = {
        "seed": seed,
        "samples": FROZEN_SAMPLES,
        "cases": frozen_case(benchmark_scenario(), seed),
    }
    FROZEN.write_text(json.dumps(doc, indent=1, sort_keys=True) + "\n")
    return FROZEN


def agreement(scenario: Scenario, seed: int) -> dict[str, Any]:
    """The engine's percentiles of every KPI of every option against the frozen ones."""
    want = json.loads(FROZEN.read_text())
    if want["seed"] != seed:
        return {"checked": 0, "note": f"frozen at seed {want['seed']}, run at {seed}"}
    got = frozen_case(scenario, seed)
    checked = worst = 0.0
    for key, kpis in want["cases"].items():
        for kpi, stats in kpis.items():
            for stat, value in stats.items():
                x = got[key][kpi][stat]
                if math.isinf(value) or math.isnan(value):
                    assert x == value or (math.isnan(x) and math.isnan(value)), (key, kpi, stat)
                    continue
                rel = abs(x - value) / max(abs(value), 1.0)
                assert rel < 1e-9, f"{key} {kpi} {stat}: {x} differs from the frozen {value}"
                worst = max(worst, rel)
                checked += 1
    return {"checked": int(checked), "max_relative_difference": worst}


# --------------------------------------------------------------------------------------------
# (c) squigglepy, the idiomatic way: a model function sampled n times
# --------------------------------------------------------------------------------------------


def squigglepy_model(scenario: Scenario, option: str) -> Callable[[], float]:
    """A squigglepy model function: draw every ranged input with ``~`` from squigglepy's own
    distributions (the same 90 % intervals), evaluate that one sample with ``roi.model.evaluate``
    and return its NPV -- what a user of squigglepy would write around roi's model."""
    import squigglepy as sq

    from roi.model import evaluate

    dists = {}
    for i in ranged_inputs(scenario):
        d = i.distribution
        if d.kind == "uniform":
            dists[i.path] = sq.uniform(d.low, d.high)
        elif d.kind == "lognormal":
            dists[i.path] = sq.lognorm(d.low, d.high)
        else:
            dists[i.path] = sq.norm(d.low, d.high)
        dists[i.path] = (dists[i.path], i.support)

    def model() -> float:
        values = {}
        for path, (dist, (lo, hi)) in dists.items():
            values[path] = min(max(float(~dist), lo), hi)
        return float(evaluate(scenario, values).options[option].kpis["npv"])

    return model


def peer(scenario: Scenario, option: str, n: int, seed: int) -> np.ndarray:
    import squigglepy as sq

    sq.set_seed(seed)
    return np.asarray(sq.sample(squigglepy_model(scenario, option), n=n, verbose=False))


# --------------------------------------------------------------------------------------------
# Measurement
# --------------------------------------------------------------------------------------------


def measure(fn: Callable[[], Any]) -> tuple[float, float, Any]:
    """Wall time [s], CPU time of this process [s], and the result of one run."""
    gc.collect()
    w0, c0 = time.perf_counter(), time.process_time()
    result = fn()
    return time.perf_counter() - w0, time.process_time() - c0, result


def alternate(fns: dict[str, Callable[[], Any]], repeats: int) -> dict[str, dict[str, Any]]:
    """Run the functions in turn ``repeats`` times (a, b, a, b, ...) so that a change of load on
    a shared machine hits all alike; median wall and CPU time of each, and its last result."""
    runs: dict[str, list[tuple[float, float, Any]]] = {k: [] for k in fns}
    for _ in range(repeats):
        for name, fn in fns.items():
            if runs[name]:
                runs[name][-1] = (*runs[name][-1][:2], None)  # free the previous result
            runs[name].append(measure(fn))
    return {
        name: {
            "wall": statistics.median(r[0] for r in rs),
            "cpu": statistics.median(r[1] for r in rs),
            "result": rs[-1][2],
        }
        for name, rs in runs.items()
    }


def peak_mb(fn: Callable[[], Any]) -> float:
    """Peak memory traced by tracemalloc (numpy buffers included) while ``fn`` runs [MB]."""
    gc.collect()
    tracemalloc.start()
    try:
        fn()
        return tracemalloc.get_traced_memory()[1] / 1e6
    finally:
        tracemalloc.stop()


def run(samples: int, peer_samples: int, repeats: int, seed: int) -> dict[str, Any]:
    scenario = benchmark_scenario()
    ranged = sum(1 for q in parameters(scenario).values() if q.dist is not None)
    horizon = int(scenario.timeline.horizon_months.value)

    # Correctness first: the engine's percentiles against the frozen ones.
    check = agreement(scenario, seed)

    engine(scenario, 1_000, seed)  # warm-up: imports, caches
    reference(scenario, 1_000, seed)
    load_before = os.getloadavg()[0]
    timings = alternate(
        {
            "engine": lambda: engine(scenario, samples, seed),
            "reference": lambda: reference(scenario, samples, seed),
        },
        repeats,
    )
    a = timings["engine"]["result"]
    mem_engine = peak_mb(lambda: engine(scenario, samples, seed))
    mem_ref = peak_mb(lambda: reference(scenario, samples, seed))

    option = "datadog"
    peer(scenario, option, 20, seed)  # warm-up
    wall_peer, cpu_peer, c = measure(lambda: peer(scenario, option, peer_samples, seed))
    load_after = os.getloadavg()[0]
    peer_p50 = float(np.median(c))
    engine_p50 = a["summary"][option]["npv"]["p50"]
    engine_sd = float(np.std(a["kpis"][option]["npv"]))
    # P50 of the peer's samples: standard error ~ 1.25 sd / sqrt(n).
    p50_tolerance = 4 * 1.25 * engine_sd / math.sqrt(peer_samples)

    # Goals are judged on CPU time (this process only), which other jobs on a shared machine
    # disturb far less than wall time; both are reported.
    t_engine, t_ref, t_peer = timings["engine"]["cpu"], timings["reference"]["cpu"], cpu_peer
    rate_engine = samples / t_engine
    rate_ref = samples / t_ref
    rate_peer = peer_samples / t_peer
    ratio_ref = t_engine / t_ref
    speedup_peer = rate_engine / rate_peer
    goals = {
        "engine_time_over_reference": {
            "goal": f"<= {GOAL_RATIO_TO_REFERENCE}",
            "value": ratio_ref,
            "met": ratio_ref <= GOAL_RATIO_TO_REFERENCE,
        },
        "engine_speedup_over_squigglepy": {
            "goal": f">= {GOAL_SPEEDUP_OVER_PEER}",
            "value": speedup_peer,
            "met": speedup_peer >= GOAL_SPEEDUP_OVER_PEER,
        },
        "engine_seconds_100k": {
            "goal": f"< {GOAL_SECONDS_100K} (at {samples:,} samples)",
            "value": t_engine * 100_000 / samples,
            "met": t_engine * 100_000 / samples < GOAL_SECONDS_100K,
        },
        "engine_peak_mb": {
            "goal": f"< {GOAL_PEAK_MB}",
            "value": mem_engine,
            "met": mem_engine < GOAL_PEAK_MB,
        },
    }
    return {
        "benchmark": "montecarlo",
        "machine": {
            "python": platform.python_version(),
            "numpy": np.__version__,
            "platform": platform.platform(),
            "cpus": os.cpu_count(),
            "load_average_1min": [load_before, load_after],
        },
        "model": {
            "scenario": "seed-article, every input ranged",
            "ranged_inputs": ranged,
            "months": horizon + 1,
            "options": sorted(a["kpis"]),
        },
        "seed": seed,
        "repeats": repeats,
        "engine": {
            "samples": samples,
            "seconds": t_engine,
            "wall_seconds": timings["engine"]["wall"],
            "samples_per_s": rate_engine,
            "peak_mb": mem_engine,
        },
        "reference": {
            "samples": samples,
            "seconds": t_ref,
            "wall_seconds": timings["reference"]["wall"],
            "samples_per_s": rate_ref,
            "peak_mb": mem_ref,
        },
        "squigglepy": {
            "samples": peer_samples,
            "option": option,
            "seconds": t_peer,
            "wall_seconds": wall_peer,
            "samples_per_s": rate_peer,
            "p50_npv": peer_p50,
            "engine_p50_npv": engine_p50,
            "p50_agrees": abs(peer_p50 - engine_p50) <= p50_tolerance,
        },
        "agreement": {"frozen": check},
        "ratios": {
            "engine_time_over_reference": ratio_ref,
            "engine_speedup_over_squigglepy": speedup_peer,
        },
        "goals": goals,
        "all_goals_met": all(g["met"] for g in goals.values()),
    }


def _row(name: str, d: dict[str, Any]) -> str:
    return (
        f"  {name:<15} {d['samples']:>9,} samples  {d['seconds']:.3f} s ({d['wall_seconds']:.3f})"
        f"  {d['samples_per_s']:>10,.0f} samples/s"
    )


def summary(doc: dict[str, Any]) -> str:
    e, r, p = doc["engine"], doc["reference"], doc["squigglepy"]
    m = doc["model"]
    lines = [
        f"Monte Carlo benchmark: {m['scenario']} ({m['ranged_inputs']} ranged inputs, "
        f"{m['months']} months, options {', '.join(m['options'])})",
        f"  median of {doc['repeats']} alternating runs; CPU s (wall s); load average "
        f"{doc['machine']['load_average_1min'][0]:.1f} on {doc['machine']['cpus']} CPUs",
        _row("(a) roi engine", e) + f"  peak {e['peak_mb']:.0f} MB",
        _row("(b) numpy floor", r) + f"  peak {r['peak_mb']:.0f} MB",
        _row("(c) squigglepy", p) + f"  ({p['option']} only; (a) computes every option)",
        f"  (a) against its frozen percentiles: {doc['agreement']['frozen']['checked']} values "
        f"agree; P50 NPV (c) {p['p50_npv']:,.0f} vs (a) {p['engine_p50_npv']:,.0f}: "
        f"{'agrees' if p['p50_agrees'] else 'DISAGREES'}",
    ]
    for name, g in doc["goals"].items():
        lines.append(
            f"  {'ok  ' if g['met'] else 'MISS'} {name}: {g['value']:.3g} (goal {g['goal']})"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--check", action="store_true", help="exit 1 when a goal is missed")
    parser.add_argument("--samples", type=int, default=SAMPLES)
    parser.add_argument("--peer-samples", type=int, default=PEER_SAMPLES)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--freeze", action="store_true", help=f"rewrite {FROZEN.name} and stop")
    args = parser.parse_args(argv)
    if args.freeze:
        print(f"wrote {freeze(args.seed)}")
        return 0
    doc = run(args.samples, args.peer_samples, args.repeats, args.seed)
    print(json.dumps(doc, indent=2) if args.json else summary(doc))
    return 1 if args.check and not doc["all_goals_met"] else 0


if __name__ == "__main__":
    sys.exit(main())
