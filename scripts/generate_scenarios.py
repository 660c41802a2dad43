"""Generate N scenario variants of the shipped scenarios, for batches at scale.

Writes ``OUT/base/`` (a copy of every shipped scenario in ``data_samples/scenarios/``, so that
``extends:`` stays inside the variants' folder tree) and ``OUT/variant-00001.yaml`` ... : variant
``k`` extends shipped scenario ``k mod 4`` (in name order) and scales, by factors drawn from one
seeded generator,

- revenue: ``business.revenue_per_hour`` and ``latency.revenue_through_path_per_year`` by the
  same factor, log-uniform in [1/3, 3];
- traffic: ``instrumentation.requests_per_month`` by a factor log-uniform in [1/4, 4];
- incidents: every severity's ``incidents_per_month`` by a factor log-uniform in [1/2, 2].

A range (``low``/``high``, ``mode``, ``mean``/``sd``) is scaled with its value. Each overridden
field keeps its unit and says where it came from (``generated: 1.84 x <base>'s, seed S``), and
each variant has its own ``name`` (``Variant 00042: <base name>``). Every file is loaded with
``roi.inputs.scenario.load_scenario`` before the script ends; an invalid one stops it (exit 1).
The same ``--n`` and ``--seed`` give the same files.

Usage::

    python scripts/generate_scenarios.py --n 1000 --out /tmp/scenarios [--seed 0]
    roi report /tmp/scenarios/variant-*.yaml --out /tmp/reports
"""

from __future__ import annotations

import argparse
import math
import shutil
import sys
from pathlib import Path
from typing import Any

import numpy as np
import yaml

ROOT = Path(__file__).resolve().parent.parent
SHIPPED = ROOT / "data_samples" / "scenarios"
REVENUE_FIELDS = (("business", "revenue_per_hour"), ("latency", "revenue_through_path_per_year"))
TRAFFIC_FIELDS = (("instrumentation", "requests_per_month"),)
FACTOR_RANGES = {"revenue": 3.0, "traffic": 4.0, "incidents": 2.0}
"""Each factor is log-uniform in [1/r, r]."""
_SCALED_KEYS = ("value", "low", "high", "mode", "mean", "sd")


def _rounded(x: float) -> float:
    """Four significant digits, as a person would write the figure."""
    return float(f"{x:.4g}")


def scaled(field: dict[str, Any], factor: float, base: str, seed: int) -> dict[str, Any]:
    """``field`` (``{value, unit, source, ...}``) with its numbers times ``factor``.

    >>> scaled({"value": 10, "low": 5, "unit": "count", "source": "x"}, 2.0, "b.yaml", 0)
    {'value': 20.0, 'low': 10.0, 'unit': 'count', 'source': "generated: 2 x b.yaml's, seed 0"}
    """
    out = {
        k: (_rounded(v * factor) if k in _SCALED_KEYS and isinstance(v, int | float) else v)
        for k, v in field.items()
        if k not in ("source", "note")
    }
    out["source"] = f"generated: {factor:.3g} x {base}'s, seed {seed}"
    return out


def variant(
    k: int, base: Path, resolved: dict[str, Any], rng: np.random.Generator, seed: int
) -> dict[str, Any]:
    """The overrides of variant ``k`` of ``base`` (whose merged mapping is ``resolved``)."""
    factors = {
        name: float(math.exp(rng.uniform(-math.log(r), math.log(r))))
        for name, r in FACTOR_RANGES.items()
    }
    doc: dict[str, Any] = {
        "extends": f"base/{base.name}",
        "name": f"Variant {k:05d}: {resolved['name']}",
    }

    def put(section: str, key: str, factor: float) -> None:
        field = (resolved.get(section) or {}).get(key)
        if isinstance(field, dict) and "value" in field:
            doc.setdefault(section, {})[key] = scaled(field, factor, base.name, seed)

    for section, key in REVENUE_FIELDS:
        put(section, key, factors["revenue"])
    for section, key in TRAFFIC_FIELDS:
        put(section, key, factors["traffic"])
    severities = (resolved.get("incidents") or {}).get("severities") or {}
    for name, severity in severities.items():
        field = severity.get("incidents_per_month")
        if isinstance(field, dict) and "value" in field:
            doc.setdefault("incidents", {}).setdefault("severities", {})[name] = {
                "incidents_per_month": scaled(field, factors["incidents"], base.name, seed)
            }
    return doc


def generate(n: int, out: Path, seed: int = 0) -> list[Path]:
    """Write ``n`` variants into ``out`` (see the module docstring); returns their paths."""
    from roi.inputs.scenario import resolve

    bases = sorted(SHIPPED.glob("*.yaml"))
    (out / "base").mkdir(parents=True, exist_ok=True)
    for path in bases:
        shutil.copy(path, out / "base" / path.name)
    resolved = {path: resolve(out / "base" / path.name) for path in bases}
    rng = np.random.default_rng(seed)
    files = []
    for k in range(1, n + 1):
        base = bases[(k - 1) % len(bases)]
        path = out / f"variant-{k:05d}.yaml"
        text = yaml.safe_dump(variant(k, base, resolved[base], rng, seed), sort_keys=False)
        path.write_text(text, encoding="utf-8")
        files.append(path)
    return files


def check(files: list[Path]) -> list[str]:
    """One line per file that does not load as a valid scenario."""
    from roi.inputs.errors import ScenarioError
    from roi.inputs.scenario import load_scenario

    problems = []
    for path in files:
        try:
            load_scenario(path)
        except ScenarioError as exc:
            problems.append(f"{path}: {'; '.join(exc.problems)}")
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1000, help="number of variants (default 1000)")
    parser.add_argument("--out", required=True, type=Path, help="folder to write into")
    parser.add_argument("--seed", type=int, default=0, help="seed of the factors (default 0)")
    args = parser.parse_args(argv)
    if not 1 <= args.n <= 1_000_000:
        parser.error("--n: allowed: 1 to 1,000,000")
    files = generate(args.n, args.out, args.seed)
    problems = check(files)
    for line in problems:
        print(f"generate_scenarios: invalid: {line}", file=sys.stderr)
    print(f"wrote {len(files)} scenarios to {args.out} ({len(problems)} invalid)")
    return 1 if problems else 0


if __name__ == "__main__":
    raise SystemExit(main())
