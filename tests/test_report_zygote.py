"""roi.report.zygote: which processes can fork kernels, and the zygote's refusal after pyplot."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from conftest import SCENARIOS_DIR, SEED

from roi.report.zygote import forkable

FIXTURE = Path(__file__).resolve().parent / "data" / "report-fixture.ipynb"
SCENARIOS = [
    SEED,
    SCENARIOS_DIR / "fintech-regulated.yaml",
    SCENARIOS_DIR / "ecommerce-midsize.yaml",
]
SABOTAGED = "import matplotlib.pyplot; from roi.report.zygote import main; main()"

PROBE_PARAMETERS = """\
scenario_path: str = "x.yaml"  # scenario
samples: int = 10  # samples
seed: int = 0  # seed
interactive: bool = False  # widgets
output_dir: str = ""  # where summary.json goes"""

PROBE = """\
import json
import os
import sys
from pathlib import Path

import numpy as np

import roi.present.formatting

leaked = getattr(roi.present.formatting, "_probe_mark", None)
roi.present.formatting._probe_mark = scenario_path
doc = {
    "schema_version": 1,
    "scenario": {"name": Path(scenario_path).stem, "currency": "USD"},
    "leaked": leaked,
    "pid": os.getpid(),
    "ppid": os.getppid(),
    "random": float(np.random.random()),
    "cwd": os.getcwd(),
    "argv0": Path(sys.argv[0]).name,
    "user_names": sorted(n for n in globals() if not n.startswith("_")),
    "preloaded": "matplotlib.pyplot" in sys.modules,
}
Path(output_dir, "summary.json").write_text(json.dumps(doc))"""


def test_forkable() -> None:
    assert forkable("numpy")
    assert forkable("pandas:DataFrame")
    assert forkable("roi.present.charts:business")
    assert forkable("os.path")
    assert not forkable("matplotlib.pyplot")
    assert not forkable("matplotlib:pyplot")
    assert not forkable("ipywidgets")
    assert not forkable("IPython.display:display")  # imported in the kernel, not the zygote
    assert not forkable("readline")
    assert not forkable("some_third_party_package")


def test_zygote_refuses_after_pyplot() -> None:
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            "import matplotlib.pyplot; from roi.report.zygote import main; main()",
        ],
        input="",
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    answer = json.loads(done.stdout.splitlines()[0])
    assert answer == {"error": "RuntimeError: matplotlib.pyplot imported before IPython started"}
