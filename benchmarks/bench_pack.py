"""Speed of ``roi pack`` against running the separate commands one after another.

One shipped scenario with its exports (default ``data_samples/northwind-from-exports.yaml``) is
made into a pack twice, in one run:

1. ``separate``: ``roi report SCENARIO --out DIR``, ``roi deck``, ``roi workbook`` and
   ``roi charts``, one command after the other, as a shell script would (each command loads the
   scenario, reads its exports and evaluates it again; report and deck each run their Monte
   Carlo);
2. ``roi pack SCENARIO EXPORTS... --out DIR``: one command (one analysis shared by the deck,
   the workbook, the charts and summary.json, while the report notebook runs in its kernel).

Both use the same ``samples`` and ``seed``. Before anything is reported the two must agree: the
pack's ``summary.json`` equal to the separate report's, the same chart files, a deck with the
same slides and a workbook with the same sheets. Goals: the pack in under 15 s on this 2-core
machine, and not slower than the separate commands. CPU seconds (the command and every process
it waited for) are reported too: they do not depend on how busy the machine is.

Run ``python benchmarks/bench_pack.py`` (human summary) or ``--json`` (one JSON object);
``--check`` exits 1 when a goal is missed or the outputs differ. See ``benchmarks/README.md``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SCENARIO = ROOT / "data_samples" / "northwind-from-exports.yaml"
GOAL_SECONDS = 15.0


CPU_SECONDS: dict[str, float] = {}
"""CPU seconds (user + system, the command and every process it waited for) by command name."""


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _roi(*args: str | Path) -> float:
    """Seconds ``python -m roi.cli ARGS`` takes (this checkout's roi); exits on a failure. Its
    CPU seconds go to :data:`CPU_SECONDS` under the command's name."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    command = [sys.executable, "-m", "roi.cli", *map(str, args)]
    cpu = _cpu()
    started = time.perf_counter()
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - started
    CPU_SECONDS[str(args[0])] = _cpu() - cpu
    if done.returncode != 0:
        tail = (done.stderr or done.stdout).strip().splitlines()[-5:]
        raise SystemExit(f"failed ({done.returncode}): {' '.join(command)}\n" + "\n".join(tail))
    return seconds


def exports_of(scenario: Path) -> list[Path]:
    """The export files the scenario names (its ``*_from:`` fields), resolved."""
    sys.path.insert(0, str(ROOT))
    from roi.inputs.scenario import load_scenario
    from roi.report.pack import named_exports

    return list(named_exports(load_scenario(scenario)))


def separate(scenario: Path, out: Path, samples: int, seed: int) -> dict[str, float]:
    """Seconds of each separate command, run one after the other."""
    n, s = str(samples), str(seed)
    return {
        "report": _roi("report", scenario, "--out", out / "reports", "--samples", n, "--seed", s),
        "deck": _roi("deck", scenario, "--out", out / "deck.pptx", "--samples", n, "--seed", s),
        "workbook": _roi("workbook", scenario, "--out", out / "workbook.xlsx"),
        "charts": _roi("charts", scenario, "--out", out / "charts"),
    }


def pack(scenario: Path, exports: list[Path], out: Path, samples: int, seed: int) -> float:
    """Seconds of ``roi pack``."""
    return _roi(
        "pack", scenario, *exports, "--out", out, "--samples", str(samples), "--seed", str(seed)
    )


def _sheets(path: Path) -> list[str]:
    import re

    with zipfile.ZipFile(path) as z:
        return re.findall(r'<sheet name="([^"]*)"', z.read("xl/workbook.xml").decode("utf-8"))


def _slides(path: Path) -> int:
    with zipfile.ZipFile(path) as z:
        return sum(1 for n in z.namelist() if n.startswith("ppt/slides/slide"))


def differences(sep: Path, packed: Path) -> list[str]:
    """What differs between the separate outputs and the pack (empty: they agree)."""
    out = []
    (report,) = [p for p in (sep / "reports").iterdir() if p.is_dir() and p.name[0] != "."]
    a = json.loads((report / "summary.json").read_text(encoding="utf-8"))
    b = json.loads((packed / "summary.json").read_text(encoding="utf-8"))
    if a != b:
        out.append("summary.json")
    if sorted(p.name for p in (sep / "charts").iterdir()) != sorted(
        p.name for p in (packed / "charts").iterdir()
    ):
        out.append("charts")
    if _slides(sep / "deck.pptx") != _slides(packed / "deck.pptx"):
        out.append("deck slides")
    if _sheets(sep / "workbook.xlsx") != _sheets(packed / "workbook.xlsx"):
        out.append("workbook sheets")
    if not (packed / "report.html").is_file():
        out.append("report.html")
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scenario", type=Path, default=SCENARIO, help="a shipped scenario")
    parser.add_argument("--samples", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--rounds", type=int, default=1, help="repeat, keep the fastest of each")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--check", action="store_true", help="exit 1 when a goal is missed")
    args = parser.parse_args(argv)
    scenario = args.scenario.resolve()
    exports = exports_of(scenario)
    load_before = os.getloadavg()[0]
    best_separate: dict[str, float] | None = None
    best_pack = float("inf")
    separate_cpu = pack_cpu = float("nan")
    different: list[str] = []
    with tempfile.TemporaryDirectory(prefix="roi-bench-pack-") as tmp:
        base = Path(tmp)
        _roi("workbook", scenario, "--out", base / "warm-up.xlsx")  # byte-compiled files, caches
        for r in range(args.rounds):
            sep, packed = base / f"separate-{r}", base / f"pack-{r}"
            order = ("pack", "separate") if r % 2 else ("separate", "pack")
            for which in order:
                if which == "separate":
                    times = separate(scenario, sep, args.samples, args.seed)
                    if best_separate is None or sum(times.values()) < sum(best_separate.values()):
                        best_separate = times
                        separate_cpu = sum(CPU_SECONDS[k] for k in times)
                else:
                    seconds = pack(scenario, exports, packed, args.samples, args.seed)
                    if seconds < best_pack:
                        best_pack, pack_cpu = seconds, CPU_SECONDS["pack"]
            different += [d for d in differences(sep, packed) if d not in different]
    assert best_separate is not None
    total = sum(best_separate.values())
    doc: dict[str, Any] = {
        "benchmark": "pack",
        "scenario": scenario.relative_to(ROOT).as_posix(),
        "exports": [p.relative_to(ROOT).as_posix() for p in exports],
        "samples": args.samples,
        "seed": args.seed,
        "rounds": args.rounds,
        "cpu_count": os.cpu_count(),
        "load_average_before_after": [round(load_before, 2), round(os.getloadavg()[0], 2)],
        "python": platform.python_version(),
        "separate_seconds": round(total, 2),
        "separate_seconds_by_command": {k: round(v, 2) for k, v in best_separate.items()},
        "pack_seconds": round(best_pack, 2),
        "ratio": round(total / best_pack, 2),
        "separate_cpu_seconds": round(separate_cpu, 2),
        "pack_cpu_seconds": round(pack_cpu, 2),
        "cpu_ratio": round(separate_cpu / pack_cpu, 2),
        "goal_seconds": GOAL_SECONDS,
        "outputs_agree": not different,
        "different": different,
    }
    doc["goal_met"] = bool(best_pack < GOAL_SECONDS and best_pack <= total and not different)
    if args.json:
        print(json.dumps(doc))
    else:
        by = ", ".join(f"{k} {v:.1f} s" for k, v in best_separate.items())
        print(f"separate commands: {total:.1f} s ({by})")
        print(f"roi pack:          {best_pack:.1f} s")
        print(f"ratio:             {total / best_pack:.2f}x (separate / pack)")
        print(f"CPU seconds:       separate {separate_cpu:.1f}, pack {pack_cpu:.1f}")
        print(
            f"goal: pack < {GOAL_SECONDS:g} s and not slower than separate: "
            f"{'met' if doc['goal_met'] else 'MISSED'}"
            + (f"; outputs differ: {', '.join(different)}" if different else "")
            + f" (load average {doc['load_average_before_after']})"
        )
    return 1 if args.check and not doc["goal_met"] else 0


if __name__ == "__main__":
    raise SystemExit(main())
