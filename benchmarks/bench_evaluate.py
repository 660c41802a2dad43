"""Speed of ``roi.model.evaluate`` and of ``import roi``, against goals.

Three measurements, in one run:

1. ``point_eval_ms``: one point evaluation (``evaluate(scenario)``, scenario loaded once), median
   over many repetitions. Goal: < 2 ms.
2. ``mc_100k``: one evaluation over 100 000 samples of every numeric input, against the numpy
   floor (``numpy_floor``): one broadcast multiply-add per line item ``evaluate`` computes and
   one present value, on arrays of the same size. The floor restates none of the model's
   formulas; it measures what the model costs beyond the least numpy work.
   Goal: evaluate / floor <= 10.
   Peak memory of each is reported for information.
3. ``import_roi_ms``: what ``import roi`` adds to ``import numpy, pandas``, in fresh
   subprocesses. Goal: <= 50 ms. ``from roi.model import evaluate`` and ``roi --help`` are timed
   for information.

Before anything is timed, ``evaluate`` must reproduce the frozen KPIs of the shipped scenarios
(``tests/data/frozen/bench_evaluate.json``: every option's KPIs at the point estimate and a digest
over 2 000 draws; ``--freeze`` rewrites it, only when the model changes on purpose).

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
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
from pydantic import BaseModel
from pydantic.fields import FieldInfo

from roi.inputs.parameters import parameters
from roi.inputs.scenario import load_scenario
from roi.inputs.schema import Scenario, Spec
from roi.model import evaluate

ROOT = Path(__file__).resolve().parent.parent
SCENARIOS = ROOT / "data_samples" / "scenarios"
POINT_SCENARIOS = ("seed-article", "ecommerce-midsize")
MC_SCENARIOS = ("seed-article", "ecommerce-midsize")

POINT_GOAL_MS = 2.0
MC_GOAL_RATIO = 10.0
IMPORT_GOAL_MS = 50.0

SAMPLES = 100_000
SEED = 20240611
SPREAD = 0.20
"""Samples are uniform in [1 - SPREAD, 1 + SPREAD] x the point value, clipped to the bounds."""

KPIS = ("npv", "roi", "payback_months", "pv_benefits", "pv_costs")

FROZEN = ROOT / "tests" / "data" / "frozen" / "bench_evaluate.json"
"""KPIs of the shipped scenarios as the model gave them when frozen (``--freeze``)."""
FROZEN_SAMPLES = 2_000


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
# Correctness: frozen KPIs. Speed peer: the numpy floor (independent of the model)
# --------------------------------------------------------------------------------------------


def _kpi_digest(kpis: np.ndarray) -> list[float]:
    """Mean, P10, P50, P90 (NaN ignored) and the first five samples of one KPI."""
    k = np.ravel(np.asarray(kpis, dtype=float))
    with np.errstate(all="ignore"):
        stats = [np.nanmean(k), *np.nanpercentile(k, [10, 50, 90])] if np.isfinite(k).any() else []
    return [float(x) for x in (*stats, *k[:5])]


def frozen_case(scenario: Scenario) -> dict[str, Any]:
    """What the fixture holds for one scenario: every option's KPIs at the point estimate, and a
    digest of them over :data:`FROZEN_SAMPLES` draws of every input."""
    point = evaluate(scenario)
    sampled = evaluate(scenario, sample_values(scenario, FROZEN_SAMPLES))
    return {
        "point": {k: {m: float(o.kpis[m]) for m in KPIS} for k, o in point.options.items()},
        "sampled": {
            k: {m: _kpi_digest(o.kpis[m]) for m in KPIS} for k, o in sampled.options.items()
        },
    }


def freeze() -> Path:
    """Write :data:`FROZEN` from the current ``evaluate`` (only when the model changes on
    purpose; say so in the commit)."""
    cases = {name: frozen_case(load_scenario(SCENARIOS / f"{name}.yaml")) for name in MC_SCENARIOS}
    FROZEN.parent.mkdir(parents=True, exist_ok=True)
    FROZEN.write_text(json.dumps(cases, indent=1, sort_keys=True) + "\n")
    return FROZEN


def assert_frozen(name: str, scenario: Scenario) -> int:
    """Raise AssertionError unless ``evaluate`` reproduces the frozen fixture of ``name``
    (rtol 1e-9, NaN equal to NaN); returns the number of values compared."""
    want = json.loads(FROZEN.read_text())[name]
    got = frozen_case(scenario)
    compared = 0
    for part in ("point", "sampled"):
        assert sorted(got[part]) == sorted(want[part]), (part, sorted(got[part]))
        for option, kpis in want[part].items():
            for kpi, expected in kpis.items():
                a = np.atleast_1d(np.asarray(got[part][option][kpi], dtype=float))
                b = np.atleast_1d(np.asarray(expected, dtype=float))
                if a.shape != b.shape or not np.allclose(a, b, rtol=1e-9, atol=0, equal_nan=True):
                    raise AssertionError(
                        f"{name}: {part} {option} {kpi}: evaluate gives {a.tolist()}, the frozen "
                        f"fixture {b.tolist()} ({FROZEN.relative_to(ROOT)})"
                    )
                compared += b.size
    return compared


def numpy_floor_inputs(scenario: Scenario, samples: int, seed: int = SEED) -> list[np.ndarray]:
    """Random drivers and unit values for :func:`numpy_floor`, one (2, samples) block per line
    item ``evaluate`` computes: the lines of the self-run option, the benefit and rollout lines
    all vendors share once, then each vendor's own lines (line structure of the point estimate;
    no formula of the model)."""
    ev = evaluate(scenario)
    rng = np.random.default_rng(seed)
    shared: set[str] = set()
    count = 0
    for option in ev.options.values():
        if option.kind == "managed":
            own = [li for li in option.lines if li.group in ("Vendor bill", "Lock-in")]
            shared |= {li.key for li in option.lines} - {li.key for li in own}
            count += len(own)
        else:
            count += len(option.lines)
    count += len(shared)
    return [rng.uniform(0.5, 1.5, (2, samples)) for _ in range(count)]


def numpy_floor(blocks: list[np.ndarray], months: int) -> np.ndarray:
    """The least numpy can do for the same output: per line item one broadcast multiply-add
    ``total += (driver x unit value) x profile`` on (samples x months), then one matrix product
    for the present value. An independent peer: it restates none of the model's formulas."""
    samples = blocks[0].shape[1]
    profile = np.linspace(0.0, 1.0, months)
    discount = 1.1 ** -(np.arange(months) / 12.0)
    total = np.zeros((samples, months))
    tmp = np.empty_like(total)
    for block in blocks:
        np.multiply((block[0] * block[1])[:, None], profile, out=tmp)
        total += tmp
    return total @ discount


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
        assert_frozen(name, scenario)
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
    """``evaluate`` over ``samples`` draws of every input, against the numpy floor."""
    out: dict[str, Any] = {
        "samples": samples,
        "repeats": repeats,
        "goal": MC_GOAL_RATIO,
        "by_scenario": {},
    }
    for name in MC_SCENARIOS:
        scenario = load_scenario(SCENARIOS / f"{name}.yaml")
        # Correctness first: evaluate reproduces the frozen KPIs of every option.
        compared = assert_frozen(name, scenario)
        values = sample_values(scenario, samples)
        blocks = numpy_floor_inputs(scenario, samples)
        months = int(scenario.timeline.horizon_months.value) + 1
        gc.collect()
        # Interleave the two so that both see the same machine state. The goal is judged on
        # CPU time (user + system, page faults included): the machine may be shared, and wall
        # time then measures the scheduler as much as the code. Wall time is reported too.
        eval_runs: list[tuple[float, float]] = []
        floor_runs: list[tuple[float, float]] = []
        for _ in range(repeats):
            eval_runs.append(_timed(lambda s=scenario, x=values: evaluate(s, x)))
            floor_runs.append(_timed(lambda b=blocks, m=months: numpy_floor(b, m)))
        eval_cpu = [c for c, _ in eval_runs]
        floor_cpu = [c for c, _ in floor_runs]
        evaluate_s = statistics.median(eval_cpu)
        floor_s = statistics.median(floor_cpu)
        ratio = evaluate_s / floor_s
        evaluate_wall_s = statistics.median(w for _, w in eval_runs)
        floor_wall_s = statistics.median(w for _, w in floor_runs)
        out["by_scenario"][name] = {
            "options": len(scenario.managed.vendors) + 1 + int(scenario.self_run.enabled),
            "inputs_sampled": len(values),
            "frozen_values_compared": compared,
            "agree": True,
            "evaluate_s": evaluate_s,
            "floor_s": floor_s,
            "ratio": ratio,
            "met": ratio <= MC_GOAL_RATIO,
            "best_ratio": min(eval_cpu) / min(floor_cpu),
            "evaluate_cpu_s_runs": eval_cpu,
            "floor_cpu_s_runs": floor_cpu,
            "evaluate_wall_s": evaluate_wall_s,
            "floor_wall_s": floor_wall_s,
            "wall_ratio": evaluate_wall_s / floor_wall_s,
            "evaluate_peak_mb": _peak_mb(lambda s=scenario, x=values: evaluate(s, x)),
            "floor_peak_mb": _peak_mb(lambda b=blocks, m=months: numpy_floor(b, m)),
            "floor_line_items": len(blocks),
        }
        del values, blocks
        gc.collect()
    worst = max(out["by_scenario"], key=lambda k: out["by_scenario"][k]["ratio"])
    w = out["by_scenario"][worst]
    out.update(
        scenario=worst,
        evaluate_s=w["evaluate_s"],
        floor_s=w["floor_s"],
        ratio=w["ratio"],
        evaluate_peak_mb=w["evaluate_peak_mb"],
        floor_peak_mb=w["floor_peak_mb"],
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
        f"{mc['repeats']} (goal evaluate / numpy floor <= {MC_GOAL_RATIO:g})",
    ]
    for name, r in mc["by_scenario"].items():
        lines.append(
            f"   {name:<20} evaluate {r['evaluate_s']:6.3f} s  floor {r['floor_s']:6.3f} s"
            f"  ratio {r['ratio']:.2f}  {flag(r['met'])}"
        )
        lines.append(
            f"   {'':<20} fastest runs: ratio {r['best_ratio']:.2f}; wall time: evaluate "
            f"{r['evaluate_wall_s']:.3f} s, floor {r['floor_wall_s']:.3f} s, ratio "
            f"{r['wall_ratio']:.2f}"
        )
        lines.append(
            f"   {'':<20} {r['options']} options, {r['inputs_sampled']} inputs sampled, "
            f"{r['floor_line_items']} floor line items, {r['frozen_values_compared']:,} frozen "
            f"values agree; peak memory evaluate {r['evaluate_peak_mb']:.0f} MB, floor "
            f"{r['floor_peak_mb']:.0f} MB"
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
    parser.add_argument("--freeze", action="store_true", help=f"rewrite {FROZEN.name} and stop")
    args = parser.parse_args(argv)
    if args.freeze:
        print(f"wrote {freeze()}")
        return 0

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
