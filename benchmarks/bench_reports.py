"""Speed of ``roi report`` against a plain loop of the ``papermill`` and ``jupyter nbconvert``
commands, on the same notebook, scenarios and parameters.

N scenario files (the shipped ones, copied and repeated up to N into a temporary folder so every
report has its own folder) are rendered twice:

1. ``baseline``: for each file, ``papermill NOTEBOOK OUT/report.ipynb -p scenario_path ... -p
   output_dir ... -k python3 --cwd notebooks/`` then ``jupyter nbconvert --to html --no-input``,
   one after the other, as a shell loop would;
2. ``roi report FILES --out DIR --notebook NOTEBOOK`` (one command: validation, worker processes,
   warm kernels, HTML export, index).

Both pass the same ``samples`` and ``seed``. Before anything is reported, the two runs must agree:
every ``summary.json`` equal, and every executed notebook with the same cells and outputs
(execution metadata aside). Goal: ``roi report`` at least 3x faster per scenario.

Two more measurements (``--parts``, default all three):

- ``cluster``: scenarios per second of ``roi report`` on ``--cluster-n`` scenarios (50) with two
  local worker processes, against ``roi report --cluster local:2`` (a dask LocalCluster of two
  worker processes on 127.0.0.1, started and closed by the command), wall time of the whole
  command each, alternated over ``--rounds``; the files must be the same bytes apart from
  timestamps. Goal: the cluster within 10 % of the local rate (ratio >= 0.9).
- ``memory``: the peak resident memory of the ``roi report`` parent process alone (its own
  ``getrusage``, not its workers or kernels) over ``--memory-n`` generated scenarios (1 000,
  ``scripts/generate_scenarios.py``) against ``--memory-base`` (100). Goal: flat (at most 10 %
  more, and at most 50 MB). One full render took 3.2 s of wall time on this shared 2-CPU
  machine: 1 100 renders take about an hour, so pass smaller counts for a quick look.

Run ``python benchmarks/bench_reports.py`` (human summary) or ``--json`` (one JSON object);
``--check`` exits 1 when a goal is missed or the outputs differ. See ``benchmarks/README.md``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SCENARIOS = ROOT / "data_samples" / "scenarios"
NOTEBOOKS = ROOT / "notebooks"
BIN = Path(sys.executable).parent
GOAL_RATIO = 3.0
GOAL_CLUSTER_RATIO = 0.9
"""Cluster rate / local rate."""
GOAL_MEMORY_RATIO = 1.10
GOAL_MEMORY_GROWTH_MB = 50.0
_PEAK = (
    "import json, resource, sys\n"
    "from roi.cli import main\n"
    "code = main(sys.argv[2:])\n"
    "with open(sys.argv[1], 'w') as fh:\n"
    "    json.dump({'maxrss_kb': resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}, fh)\n"
    "sys.exit(code)\n"
)
"""``roi`` in a process that reports its own peak resident memory (not its children's)."""


def scenario_files(folder: Path, n: int) -> list[Path]:
    """The shipped scenarios copied into ``folder`` and repeated up to ``n`` files.

    Every original is copied (``extends:`` refers to siblings by name); repeats are named
    ``<stem>-<k>.yaml`` and are identical copies.
    """
    originals = sorted(SCENARIOS.glob("*.yaml"))
    for path in originals:
        shutil.copy(path, folder / path.name)
    files = []
    for k in range(n):
        source = originals[k % len(originals)]
        round_ = k // len(originals)
        if round_ == 0:
            files.append(folder / source.name)
        else:
            copy = folder / f"{source.stem}-{round_ + 1}.yaml"
            shutil.copy(source, copy)
            files.append(copy)
    return files


def _run(command: list[str], env: dict[str, str] | None = None) -> None:
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        tail = (done.stderr or done.stdout).strip().splitlines()[-5:]
        raise SystemExit(
            f"command failed ({done.returncode}): {' '.join(command)}\n" + "\n".join(tail)
        )


def baseline(files: list[Path], out: Path, notebook: Path, samples: int, seed: int) -> float:
    """Seconds for the plain papermill + nbconvert loop over ``files``."""
    started = time.perf_counter()
    for file in files:
        folder = out / file.stem
        folder.mkdir(parents=True)
        _run(
            [
                str(BIN / "papermill"),
                str(notebook),
                str(folder / "report.ipynb"),
                "-k",
                "python3",
                "--cwd",
                str(notebook.parent),
                "--no-progress-bar",
                "-p",
                "scenario_path",
                str(file.resolve()),
                "-p",
                "output_dir",
                str(folder.resolve()),
                "-p",
                "samples",
                str(samples),
                "-p",
                "seed",
                str(seed),
                "-p",
                "interactive",
                "False",
            ]
        )
        _run(
            [
                str(BIN / "jupyter"),
                "nbconvert",
                "--to",
                "html",
                "--no-input",
                str(folder / "report.ipynb"),
            ]
        )
    return time.perf_counter() - started


def roi_report(
    files: list[Path],
    out: Path,
    notebook: Path,
    samples: int,
    seed: int,
    workers: int | None,
    kernels: str | None = None,
) -> float:
    """Seconds for one ``roi report`` command over ``files``."""
    command = [str(BIN / "roi"), "report", *map(str, files), "--out", str(out)]
    command += ["--notebook", str(notebook), "--samples", str(samples), "--seed", str(seed)]
    if workers:
        command += ["--workers", str(workers)]
    env = {**os.environ, "ROI_REPORT_KERNELS": kernels} if kernels else None
    started = time.perf_counter()
    _run(command, env=env)
    return time.perf_counter() - started


_KERNEL_PID = re.compile(r"ipykernel_\d+")


def _cells(path: Path) -> list[dict[str, Any]]:
    """Cells with what a reader sees: type, source and outputs (no execution metadata).

    Warnings name the kernel's temporary cell file (``/tmp/ipykernel_<pid>/...``), which differs
    between any two runs: the process id is masked.
    """
    doc = json.loads(_KERNEL_PID.sub("ipykernel_PID", path.read_text(encoding="utf-8")))
    cells = []
    for cell in doc["cells"]:
        if "injected-parameters" in cell.get("metadata", {}).get("tags", []):
            continue  # holds the output_dir, which differs by design
        outputs = [
            {k: v for k, v in o.items() if k != "execution_count"} for o in cell.get("outputs", [])
        ]
        cells.append({"type": cell["cell_type"], "source": cell["source"], "outputs": outputs})
    return cells


def compare(files: list[Path], base: Path, ours: Path) -> dict[str, list[str]]:
    """Scenarios whose summary.json or notebook outputs differ between the two runs."""
    from roi.report.slug import unique_slugs

    slugs = unique_slugs(f.stem for f in files)
    different: dict[str, list[str]] = {"summary": [], "outputs": []}
    for file, slug in zip(files, slugs, strict=True):
        a, b = base / file.stem, ours / slug
        summary_a = json.loads((a / "summary.json").read_text(encoding="utf-8"))
        summary_b = json.loads((b / "summary.json").read_text(encoding="utf-8"))
        if summary_a != summary_b:
            different["summary"].append(file.name)
        if _cells(a / "report.ipynb") != _cells(b / "report.ipynb"):
            different["outputs"].append(file.name)
    return different


def report_command(
    files: list[Path], out: Path, notebook: Path, samples: int, seed: int, *extra: str
) -> list[str]:
    args = ["report", *map(str, files), "--out", str(out), "--notebook", str(notebook)]
    return [*args, "--samples", str(samples), "--seed", str(seed), *extra]


def timed(args: list[str]) -> float:
    """Seconds for one ``roi`` command."""
    started = time.perf_counter()
    _run([str(BIN / "roi"), *args])
    return time.perf_counter() - started


_STAMP = re.compile(r"\d{4}-\d\d-\d\d[T ]\d\d:\d\d(?::\d\d(?:\.\d+)?)?(?:Z|\+00:00| UTC)?")
_TEMPORARY = re.compile(r"\.tmp-\d+-[a-z0-9_-]+")
_DURATION = re.compile(r'"duration": [0-9.e-]+')


def normalised(path: Path, out: Path) -> bytes:
    """A file of the reports folder ``out`` with timestamps, durations, temporary folder names
    and ``out`` itself (the notebook names its output folder) masked."""
    data = path.read_bytes()
    if path.suffix not in (".ipynb", ".html"):
        return data
    text = data.decode("utf-8").replace(str(out), "OUT")
    text = _STAMP.sub("T", text)
    text = _DURATION.sub('"duration": 0', text)
    text = re.sub(r"generated \d{4}-\d\d-\d\d by", "generated DAY by", text)
    return _TEMPORARY.sub(".tmp-X", text).encode()


def same_files(a: Path, b: Path) -> list[str]:
    """Files that differ (or exist in one folder only) once normalised."""

    def files(root: Path) -> dict[str, Path]:
        return {
            p.relative_to(root).as_posix(): p
            for p in root.rglob("*")
            if p.is_file() and p.name != ".lock"
        }

    fa, fb = files(a), files(b)
    different = sorted(set(fa) ^ set(fb))
    different += [
        n for n in sorted(set(fa) & set(fb)) if normalised(fa[n], a) != normalised(fb[n], b)
    ]
    return different


def cluster_part(
    root: Path, n: int, notebook: Path, samples: int, seed: int, rounds: int
) -> dict[str, Any]:
    """Scenarios/s locally (2 workers) and on ``--cluster local:2``."""
    folder = root / "cluster-scenarios"
    folder.mkdir()
    files = scenario_files(folder, n)
    local_times, cluster_times = [], []
    for k in range(rounds):
        runs = [("local", ["--workers", "2"]), ("cluster", ["--cluster", "local:2"])]
        for which, extra in runs if k % 2 == 0 else runs[::-1]:
            out = root / f"{which}-{k}"
            seconds = timed(report_command(files, out, notebook, samples, seed, *extra))
            (local_times if which == "local" else cluster_times).append(seconds)
    different = same_files(root / "local-0", root / "cluster-0")
    local_rate, cluster_rate = n / min(local_times), n / min(cluster_times)
    ratio = cluster_rate / local_rate
    return {
        "scenarios": n,
        "local_seconds": [round(t, 2) for t in local_times],
        "cluster_seconds": [round(t, 2) for t in cluster_times],
        "local_scenarios_per_s": round(local_rate, 3),
        "cluster_scenarios_per_s": round(cluster_rate, 3),
        "ratio": round(ratio, 3),
        "goal_ratio": GOAL_CLUSTER_RATIO,
        "files_equal": not different,
        "different": different[:10],
        "goal_met": ratio >= GOAL_CLUSTER_RATIO and not different,
    }


def parent_peak_mb(files: list[Path], out: Path, notebook: Path, samples: int, seed: int) -> float:
    """Peak resident memory [MB] of the ``roi report`` parent process over ``files``."""
    peak = out.parent / f"{out.name}.peak.json"
    args = report_command(files, out, notebook, samples, seed)
    _run([sys.executable, "-c", _PEAK, str(peak), *args])
    return json.loads(peak.read_text())["maxrss_kb"] / 1024


def memory_part(
    root: Path, n: int, base_n: int, notebook: Path, samples: int, seed: int
) -> dict[str, Any]:
    """The parent's peak memory over ``n`` generated scenarios against ``base_n``."""
    sys.path.insert(0, str(ROOT / "scripts"))
    from generate_scenarios import check, generate

    scenarios = root / "generated"
    files = generate(n, scenarios, seed=seed)
    problems = check(files)
    if problems:
        raise SystemExit(f"generated scenarios invalid: {problems[0]}")
    started = time.perf_counter()
    small = parent_peak_mb(files[:base_n], root / "memory-small", notebook, samples, seed)
    small_seconds = time.perf_counter() - started
    started = time.perf_counter()
    large = parent_peak_mb(files, root / "memory-large", notebook, samples, seed)
    large_seconds = time.perf_counter() - started
    rendered = len([p for p in (root / "memory-large").iterdir() if (p / "summary.json").is_file()])
    return {
        "scenarios": [base_n, n],
        "rendered": rendered,
        "seconds": [round(small_seconds, 1), round(large_seconds, 1)],
        "parent_peak_mb": [round(small, 1), round(large, 1)],
        "ratio": round(large / small, 3),
        "growth_mb": round(large - small, 1),
        "goal": f"ratio <= {GOAL_MEMORY_RATIO:g} and growth <= {GOAL_MEMORY_GROWTH_MB:g} MB",
        "goal_met": rendered == n
        and large / small <= GOAL_MEMORY_RATIO
        and large - small <= GOAL_MEMORY_GROWTH_MB,
    }


def baseline_part(root: Path, args: argparse.Namespace, notebook: Path) -> dict[str, Any]:
    """``roi report`` against the papermill + nbconvert loop on ``--n`` scenarios."""
    (root / "scenarios").mkdir(parents=True)
    files = scenario_files(root / "scenarios", args.n)
    base_times, ours_times = [], []
    for k in range(args.rounds):
        base_dir, ours_dir = root / f"baseline-{k}", root / f"roi-report-{k}"
        for which in ("baseline", "ours") if k % 2 == 0 else ("ours", "baseline"):
            if which == "baseline":
                seconds = baseline(files, base_dir, notebook, args.samples, args.seed)
                base_times.append(seconds)
            else:
                seconds = roi_report(
                    files, ours_dir, notebook, args.samples, args.seed, args.workers,
                    args.kernels,
                )  # fmt: skip
                ours_times.append(seconds)
    base_seconds, ours_seconds = min(base_times), min(ours_times)
    different = compare(files, root / "baseline-0", root / "roi-report-0")
    n = len(files)
    ratio = base_seconds / ours_seconds
    return {
        "scenarios": n,
        "kernels": args.kernels or "fork",
        "baseline_seconds": round(base_seconds, 2),
        "roi_report_seconds": round(ours_seconds, 2),
        "baseline_seconds_per_scenario": round(base_seconds / n, 3),
        "roi_report_seconds_per_scenario": round(ours_seconds / n, 3),
        "ratio": round(ratio, 2),
        "goal_ratio": GOAL_RATIO,
        "summaries_equal": not different["summary"],
        "outputs_equal": not different["outputs"],
        "different": different,
        "goal_met": ratio >= GOAL_RATIO and not different["summary"] and not different["outputs"],
    }


PARTS = ("baseline", "cluster", "memory")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=8, help="baseline: scenarios (default 8)")
    parser.add_argument("--notebook", default="01-business-case", help="name in notebooks/ or path")
    parser.add_argument("--samples", type=int, default=10_000, help="Monte Carlo samples")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--workers", type=int, help="roi report --workers (default: its own)")
    parser.add_argument(
        "--rounds", type=int, default=1, help="repeat the timed runs, alternating; keep the fastest"
    )
    parser.add_argument(
        "--kernels", choices=("fork", "spawn"), help="roi report's kernels (default: fork)"
    )
    parser.add_argument(
        "--parts", default=",".join(PARTS), help=f"comma-separated, of {', '.join(PARTS)}"
    )
    parser.add_argument("--cluster-n", type=int, default=50, help="cluster: scenarios (50)")
    parser.add_argument("--memory-n", type=int, default=1000, help="memory: scenarios (1000)")
    parser.add_argument("--memory-base", type=int, default=100, help="memory: against (100)")
    parser.add_argument("--keep", metavar="DIR", help="keep every run's outputs in DIR (new)")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--check", action="store_true", help="exit 1 when a goal is missed")
    args = parser.parse_args(argv)
    parts = [p.strip() for p in args.parts.split(",") if p.strip()]
    unknown = [p for p in parts if p not in PARTS]
    if unknown:
        parser.error(f"--parts: {unknown[0]}: allowed: {', '.join(PARTS)}")
    if not 1 <= args.memory_base < args.memory_n:
        parser.error("--memory-base: allowed: 1 to --memory-n - 1")

    notebook = Path(args.notebook)
    if os.sep not in args.notebook:
        notebook = NOTEBOOKS / (args.notebook.removesuffix(".ipynb") + ".ipynb")
    notebook = notebook.resolve()
    result: dict[str, Any] = {
        "benchmark": "reports",
        "notebook": notebook.name,
        "samples": args.samples,
        "seed": args.seed,
        "cpu_count": os.cpu_count(),
        "rounds": args.rounds,
        "python": platform.python_version(),
    }
    with tempfile.TemporaryDirectory(prefix="roi-bench-reports-") as tmp:
        root = Path(args.keep) if args.keep else Path(tmp)
        (root / "warm-scenarios").mkdir(parents=True)
        warm = scenario_files(root / "warm-scenarios", 1)
        # Warm-up: byte-compiled modules, font cache and disk cache for every run alike.
        roi_report(warm, root / "warm", notebook, args.samples, args.seed, 1, args.kernels)
        load_before = os.getloadavg()[0]
        if "baseline" in parts:
            result["baseline"] = baseline_part(root, args, notebook)
        if "cluster" in parts:
            result["cluster"] = cluster_part(
                root, args.cluster_n, notebook, args.samples, args.seed, args.rounds
            )
        if "memory" in parts:
            result["memory"] = memory_part(
                root, args.memory_n, args.memory_base, notebook, args.samples, args.seed
            )
        result["load_average_before_after"] = [round(load_before, 2), round(os.getloadavg()[0], 2)]
    met = all(result[p]["goal_met"] for p in parts)
    result["goal_met"] = met
    if args.json:
        print(json.dumps(result))
    else:
        print(f"{notebook.name} ({args.samples} samples) on {os.cpu_count()} CPUs")
        if "baseline" in result:
            b = result["baseline"]
            print(
                f"  {b['scenarios']} scenarios: papermill + nbconvert loop "
                f"{b['baseline_seconds_per_scenario']:.2f} s per scenario, roi report "
                f"{b['roi_report_seconds_per_scenario']:.2f} s: ratio {b['ratio']:.2f}x (goal >= "
                f"{GOAL_RATIO:g}x); summaries {'equal' if b['summaries_equal'] else 'DIFFER'}, "
                f"notebook outputs {'equal' if b['outputs_equal'] else 'DIFFER'}"
            )
        if "cluster" in result:
            c = result["cluster"]
            print(
                f"  {c['scenarios']} scenarios: local {c['local_scenarios_per_s']:.2f}/s, "
                f"--cluster local:2 {c['cluster_scenarios_per_s']:.2f}/s: ratio {c['ratio']:.2f} "
                f"(goal >= {GOAL_CLUSTER_RATIO:g}); files "
                f"{'equal' if c['files_equal'] else 'DIFFER'} apart from timestamps"
            )
        if "memory" in result:
            m = result["memory"]
            print(
                f"  parent peak memory: {m['parent_peak_mb'][0]:.0f} MB over "
                f"{m['scenarios'][0]} scenarios, {m['parent_peak_mb'][1]:.0f} MB over "
                f"{m['scenarios'][1]} ({m['rendered']} rendered): ratio {m['ratio']:.2f} "
                f"({m['goal']})"
            )
    return 1 if args.check and not met else 0


if __name__ == "__main__":
    raise SystemExit(main())
