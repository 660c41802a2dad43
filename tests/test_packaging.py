"""Packaging: environment.yml agrees with pyproject.toml, ``import roi`` stays light, the console
script works, and every module has its test file."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import yaml
from conftest import ROOT

PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())
ENVIRONMENT = yaml.safe_load((ROOT / "environment.yml").read_text())

HEAVY = ("matplotlib", "papermill", "ipywidgets", "pydantic", "nbconvert", "pandas")


def _python_floor(spec: str) -> tuple[int, ...]:
    match = re.search(r">=\s*(\d+(?:\.\d+)*)", spec)
    assert match, spec
    return tuple(int(p) for p in match.group(1).split("."))


def test_environment_python_floor_matches_requires_python() -> None:
    pythons = [
        d for d in ENVIRONMENT["dependencies"] if isinstance(d, str) and d.startswith("python")
    ]
    assert len(pythons) == 1
    assert _python_floor(pythons[0]) == _python_floor(PYPROJECT["project"]["requires-python"])
    mypy_version = tuple(int(p) for p in PYPROJECT["tool"]["mypy"]["python_version"].split("."))
    assert mypy_version == _python_floor(PYPROJECT["project"]["requires-python"])[:2]


def test_environment_installs_the_project_with_the_dev_extra() -> None:
    deps = ENVIRONMENT["dependencies"]
    assert "pip" in deps
    pip = next(d["pip"] for d in deps if isinstance(d, dict) and "pip" in d)
    assert any(re.fullmatch(r'-e\s+"?\.\[dev\]"?', line.strip()) for line in pip), pip
    assert "dev" in PYPROJECT["project"]["optional-dependencies"]
    assert ENVIRONMENT["name"] == PYPROJECT["project"]["name"]


def test_dev_extra_holds_the_test_tools() -> None:
    dev = " ".join(PYPROJECT["project"]["optional-dependencies"]["dev"])
    for tool in ("pytest", "hypothesis", "numpy-financial", "ruff", "mypy", "jsonschema"):
        assert tool in dev, tool


def test_import_roi_stays_light() -> None:
    code = (
        "import json, sys; import roi; "
        f"print(json.dumps([m for m in {list(HEAVY)!r} if m in sys.modules]))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True
    )
    assert json.loads(result.stdout) == []


def test_roi_help_works_in_a_subprocess() -> None:
    exe = Path(sys.executable).with_name("roi")
    result = subprocess.run([str(exe), "--help"], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("usage: roi")
    module = subprocess.run(
        [sys.executable, "-m", "roi.cli", "--version"], capture_output=True, text=True, check=False
    )
    assert module.stdout.strip() == "roi 0.1.0"


def test_roi_help_does_not_import_heavy_packages() -> None:
    code = (
        "import json, sys, contextlib, io\n"
        "from roi.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        "    try:\n"
        "        main(['--help'])\n"
        "    except SystemExit:\n"
        "        pass\n"
        f"print(json.dumps([m for m in {list(HEAVY)!r} if m in sys.modules]))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True
    )
    assert json.loads(result.stdout) == []


def _modules() -> dict[str, Path]:
    """Every module of the package (``__init__`` and private ones aside), by dotted name."""
    package = ROOT / "roi"
    return {
        ".".join(p.relative_to(ROOT).with_suffix("").parts): p
        for p in package.rglob("*.py")
        if not p.name.startswith("_")
    }


def _has_test(module: str) -> bool:
    """``roi/layer/x.py`` is tested by ``tests/test_x.py``, ``tests/test_x_*.py`` or, for a
    subpackage's module, ``tests/test_<subpackage>_x.py``."""
    tests = ROOT / "tests"
    parts = module.split(".")
    stem, parent = parts[-1], parts[-2]
    names = [f"test_{stem}.py", f"test_{parent}_{stem}.py"]
    return any((tests / n).is_file() for n in names) or any(tests.glob(f"test_{stem}_*.py"))


def test_every_module_has_a_test_file() -> None:
    missing = sorted(m for m in _modules() if not _has_test(m))
    assert missing == []


def test_the_module_walk_sees_every_layer() -> None:
    layers = {m.split(".")[1] for m in _modules()}
    assert {"inputs", "model", "analysis", "present", "report", "cli"} <= layers
