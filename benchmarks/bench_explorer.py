"""How fast the explorer follows a control: time from setting a control's value to the tiles and
the chart updated, in process (ipywidgets without a kernel, matplotlib's Agg backend), against a
bare ``roi.model.evaluate`` of the same change; and the browser figures the browser test
(``tests/test_explore_app.py``) measured in real chromium, when it has run.

Goals: median <= 100 ms in process, <= 300 ms in the browser, tiles and chart updated in the same
frame (one widget value carries both: ``update`` writes them in one assignment, checked here by
counting the tiles widget's value changes per control change).

Run ``python benchmarks/bench_explorer.py`` (summary) or ``--json``; ``--check`` exits 1 when a
goal is missed. See ``benchmarks/README.md``.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path
from typing import Any

os.environ.setdefault("MPLBACKEND", "Agg")

ROOT = Path(__file__).resolve().parent.parent
SCENARIO = ROOT / "data_samples" / "scenarios" / "ecommerce-midsize.yaml"
BROWSER_TIMINGS = ROOT / "reports" / "test-artifacts" / "explore" / "timings.json"
CONTROL = "incidents.severities.sev1.mttr_reduction_fraction"
GOAL_IN_PROCESS_MS = 100.0
GOAL_BROWSER_MS = 300.0


def run(changes: int) -> dict[str, Any]:
    from roi.inputs.scenario import load_scenario
    from roi.model import evaluate
    from roi.present.explore import explorer

    scenario = load_scenario(SCENARIO)
    box = explorer(scenario)
    control = box.controls[CONTROL]
    start = float(control.value)
    writes: list[int] = []
    count = [0]
    box.tiles.observe(lambda _change: count.__setitem__(0, count[0] + 1), names="value")
    ui_ms, bare_ms = [], []
    for k in range(changes):
        value = start + (1 if k % 2 == 0 else -1) * 0.5 * (k % 5 + 1)
        count[0] = 0
        t0 = time.perf_counter()
        control.value = value
        ui_ms.append((time.perf_counter() - t0) * 1e3)
        writes.append(count[0])
        overrides = box.changed()
        t0 = time.perf_counter()
        evaluate(scenario, overrides)
        bare_ms.append((time.perf_counter() - t0) * 1e3)
    ui, bare = round(statistics.median(ui_ms), 2), round(statistics.median(bare_ms), 2)
    browser = json.loads(BROWSER_TIMINGS.read_text()) if BROWSER_TIMINGS.is_file() else None
    browser_ms = browser.get("keypress_to_update_median_ms") if browser else None
    goals = {
        "in_process_median_ms": {
            "goal": f"<= {GOAL_IN_PROCESS_MS}",
            "value": ui,
            "met": ui <= GOAL_IN_PROCESS_MS,
        },
        "same_frame": {
            "goal": "one tiles write (tiles and chart) per change",
            "value": max(writes),
            "met": set(writes) == {1},
        },
        "browser_median_ms": {
            "goal": f"<= {GOAL_BROWSER_MS} (from the browser test)",
            "value": browser_ms,
            "met": None if browser_ms is None else browser_ms <= GOAL_BROWSER_MS,
        },
    }
    return {
        "benchmark": "explorer",
        "scenario": SCENARIO.name,
        "control": CONTROL,
        "changes": changes,
        "in_process_ms": {"median": ui, "runs": [round(x, 2) for x in ui_ms]},
        "bare_evaluate_ms": {"median": bare},
        "ratio_update_over_evaluate": ui / bare,
        "browser": browser,
        "goals": goals,
        "all_goals_met": all(g["met"] is not False for g in goals.values()),
    }


def summary(doc: dict[str, Any]) -> str:
    lines = [
        f"Explorer: {doc['changes']} changes of {doc['control']} on {doc['scenario']}",
        f"  control change to tiles and chart: median {doc['in_process_ms']['median']:.1f} ms; "
        f"bare evaluate {doc['bare_evaluate_ms']['median']:.1f} ms; ratio "
        f"{doc['ratio_update_over_evaluate']:.2f}",
    ]
    b = doc["browser"]
    lines.append(
        "  browser (tests/test_explore_app.py): "
        + (
            f"key press to update median {b.get('keypress_to_update_median_ms')} ms"
            if b
            else "not measured yet (run pytest -m browser tests/test_explore_app.py)"
        )
    )
    for name, g in doc["goals"].items():
        flag = {True: "ok  ", False: "MISS", None: "n/a "}[g["met"]]
        lines.append(f"  {flag} {name}: {g['value']} (goal {g['goal']})")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--check", action="store_true", help="exit 1 when a goal is missed")
    parser.add_argument("--changes", type=int, default=25)
    args = parser.parse_args(argv)
    doc = run(args.changes)
    print(json.dumps(doc, indent=2) if args.json else summary(doc))
    return 1 if args.check and not doc["all_goals_met"] else 0


if __name__ == "__main__":
    sys.exit(main())
