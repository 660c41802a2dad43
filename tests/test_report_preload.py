"""roi.report.preload: the modules a kernel imports before the notebook runs."""

from __future__ import annotations

import sys
from pathlib import Path

from conftest import SCENARIOS_DIR, SEED

from roi.report.preload import import_entry

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


def test_import_entry_follows_from_import_semantics() -> None:
    import_entry("json:dumps")  # an attribute: no submodule import
    import_entry("no_such_module_anywhere:x")  # failures are left to the notebook
    import_entry("email:mime")  # a submodule, as ``from email import mime`` imports it
    assert "email.mime" in sys.modules
