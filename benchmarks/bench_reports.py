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

Run ``python benchmarks/bench_reports.py`` (human summary) or ``--json`` (one JSON object);
``--check`` exits 1 when the goal is missed or the outputs differ. See ``benchmarks/README.md``.
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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=8, help="number of scenarios (default 8)")
    parser.add_argument("--notebook", default="01-business-case", help="name in notebooks/ or path")
    parser.add_argument("--samples", type=int, default=10_000, help="Monte Carlo samples")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--workers", type=int, help="roi report --workers (default: its own)")
    parser.add_argument(
        "--rounds", type=int, default=1, help="repeat both runs, alternating; keep the fastest"
    )
    parser.add_argument(
        "--kernels", choices=("fork", "spawn"), help="roi report's kernels (default: fork)"
    )
    parser.add_argument("--keep", metavar="DIR", help="keep both runs' outputs in DIR (new)")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--check", action="store_true", help="exit 1 when the goal is missed")
    args = parser.parse_args(argv)

    notebook = Path(args.notebook)
    if os.sep not in args.notebook:
        notebook = NOTEBOOKS / (args.notebook.removesuffix(".ipynb") + ".ipynb")
    notebook = notebook.resolve()
    with tempfile.TemporaryDirectory(prefix="roi-bench-reports-") as tmp:
        root = Path(args.keep) if args.keep else Path(tmp)
        (root / "scenarios").mkdir(parents=True)
        files = scenario_files(root / "scenarios", args.n)
        # Warm-up: byte-compiled modules, font cache and disk cache for both runs alike.
        roi_report(files[:1], root / "warm", notebook, args.samples, args.seed, 1, args.kernels)
        load_before = os.getloadavg()[0]
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
        load_after = os.getloadavg()[0]
    n = len(files)
    result = {
        "benchmark": "reports",
        "notebook": notebook.name,
        "scenarios": n,
        "samples": args.samples,
        "seed": args.seed,
        "cpu_count": os.cpu_count(),
        "kernels": args.kernels or "fork",
        "rounds": args.rounds,
        "load_average_before_after": [round(load_before, 2), round(load_after, 2)],
        "python": platform.python_version(),
        "baseline_seconds": round(base_seconds, 2),
        "roi_report_seconds": round(ours_seconds, 2),
        "baseline_seconds_per_scenario": round(base_seconds / n, 3),
        "roi_report_seconds_per_scenario": round(ours_seconds / n, 3),
        "ratio": round(base_seconds / ours_seconds, 2),
        "goal_ratio": GOAL_RATIO,
        "summaries_equal": not different["summary"],
        "outputs_equal": not different["outputs"],
        "different": different,
    }
    met = result["ratio"] >= GOAL_RATIO and not different["summary"] and not different["outputs"]
    result["goal_met"] = met
    if args.json:
        print(json.dumps(result))
    else:
        print(
            f"{n} scenarios of {notebook.name} ({args.samples} samples) on {os.cpu_count()} CPUs\n"
            f"  papermill + nbconvert loop: {base_seconds / n:.2f} s per scenario\n"
            f"  roi report:                 {ours_seconds / n:.2f} s per scenario\n"
            f"  ratio {result['ratio']:.2f}x (goal >= {GOAL_RATIO:g}x); summaries "
            f"{'equal' if result['summaries_equal'] else 'DIFFER'}, notebook outputs "
            f"{'equal' if result['outputs_equal'] else 'DIFFER'}"
        )
    return 1 if args.check and not met else 0


if __name__ == "__main__":
    raise SystemExit(main())
