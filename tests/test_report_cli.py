"""roi report: usage errors are one line and exit 2, before any kernel starts."""

from __future__ import annotations

import json
from pathlib import Path

import nbformat
import pytest
from conftest import REPORT_NOTEBOOKS, SEED, RunCli, one_error_line
from nbformat.v4 import new_code_cell, new_notebook

from roi.report.batch import default_workers, notebooks_dir, resolve_notebook
from roi.report.execute import notebook_imports, parameter_names, source_cell_number

FIXTURE = Path(__file__).resolve().parent / "data" / "report-fixture.ipynb"


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (("--workers", "0"), "--workers: 0 is out of range; allowed: a whole number from 1 to 64"),
        (("--workers", "two"), "argument --workers: invalid int value: 'two'"),
        (("--timeout", "0"), "--timeout: 0 is not allowed; allowed: seconds above 0"),
        (("--timeout", "nan"), "--timeout: nan is not allowed; allowed: seconds above 0"),
        (("--samples", "0"), "--samples: 0 is out of range; allowed: a whole number from 1"),
        (("--seed", "-1"), "--seed: -1 is out of range; allowed: 0 to 4294967295"),
    ],
)
def test_bad_options(args: tuple[str, ...], expected: str, run_cli: RunCli, tmp_path: Path) -> None:
    code, stdout, stderr = run_cli("report", SEED, "--out", tmp_path / "r", *args)
    assert code == 2
    assert expected in one_error_line(stderr)
    assert stdout == ""
    assert not (tmp_path / "r").exists()  # nothing written


def test_unknown_notebook_lists_what_is_there(run_cli: RunCli, tmp_path: Path) -> None:
    code, _, stderr = run_cli("report", SEED, "--out", tmp_path, "--notebook", "no-such-notebook")
    assert code == 2
    line = one_error_line(stderr)
    assert "--notebook: no-such-notebook in " in line
    assert "not found; allowed: " in line


def test_notebook_path_must_exist(run_cli: RunCli, tmp_path: Path) -> None:
    code, _, stderr = run_cli(
        "report", SEED, "--out", tmp_path, "--notebook", str(tmp_path / "x.ipynb")
    )
    assert code == 2
    assert one_error_line(stderr).endswith("x.ipynb: file not found")


def test_notebook_must_follow_the_parameters_contract(run_cli: RunCli, tmp_path: Path) -> None:
    path = tmp_path / "partial.ipynb"
    cell = new_code_cell(
        'scenario_path: str = "x.yaml"  # scenario\nsamples: int = 10  # samples',
        metadata={"tags": ["parameters"]},
    )
    nbformat.write(new_notebook(cells=[cell]), path)
    code, _, stderr = run_cli("report", SEED, "--out", tmp_path / "r", "--notebook", str(path))
    assert code == 2
    assert one_error_line(stderr).endswith(
        "partial.ipynb: its cell tagged parameters lacks seed, interactive, output_dir; a report "
        "notebook defines scenario_path, samples, seed, interactive, output_dir"
    )


def test_not_a_notebook(run_cli: RunCli, tmp_path: Path) -> None:
    path = tmp_path / "nb.ipynb"
    path.write_text("[1, 2]", encoding="utf-8")
    code, _, stderr = run_cli("report", SEED, "--notebook", str(path))
    assert code == 2
    assert "cannot read it as a notebook" in one_error_line(stderr)


def test_out_must_be_a_folder(run_cli: RunCli, tmp_path: Path) -> None:
    file = tmp_path / "file"
    file.write_text("x", encoding="utf-8")
    code, _, stderr = run_cli("report", SEED, "--out", file, "--notebook", str(FIXTURE))
    assert code == 2
    assert one_error_line(stderr).endswith("exists and is not a folder")


def test_all_invalid_scenarios_start_no_kernel(run_cli: RunCli, tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: x\n", encoding="utf-8")
    out = tmp_path / "r"
    code, stdout, stderr = run_cli("report", bad, "--out", out, "--notebook", str(FIXTURE))
    assert code == 1
    assert stderr.startswith(f"roi: error: scenario {bad} is not valid: description: required")
    assert len(stderr.strip().splitlines()) == 1
    assert "wrote 0 of 1 reports" in stdout
    record = json.loads((out / ".failed" / "bad.json").read_text(encoding="utf-8"))
    assert record["scenario_file"] == str(bad)
    assert "bad.yaml is not valid" in (out / "index.html").read_text(encoding="utf-8")


def test_resolve_notebook_in_the_notebooks_folder() -> None:
    assert notebooks_dir() == Path(__file__).resolve().parents[1] / "notebooks"
    for path in REPORT_NOTEBOOKS:
        assert resolve_notebook(path.stem) == path
        assert resolve_notebook(path.name) == path


def test_default_workers() -> None:
    assert default_workers(0) == 1
    assert default_workers(1) == 1
    assert default_workers(10) <= 2


def test_fixture_parameters_and_imports() -> None:
    assert parameter_names(FIXTURE) == [
        "scenario_path",
        "samples",
        "seed",
        "interactive",
        "output_dir",
    ]
    imports = notebook_imports(FIXTURE)
    assert imports[:3] == ["html", "io", "os"]
    assert "roi.report.summary:write_summary" in imports
    assert "matplotlib.pyplot" in imports
    assert "roi.model:evaluate" in imports
    assert "IPython.display:HTML" in imports


def test_notebook_imports_only_top_level(tmp_path: Path) -> None:
    path = tmp_path / "nb.ipynb"
    cells = [
        new_code_cell("import a.b, c\nfrom d.e import f\nfrom . import g"),
        new_code_cell("if x:\n    import h\ndef k():\n    import m"),
        new_code_cell("%matplotlib inline\nimport n"),
    ]
    nbformat.write(new_notebook(cells=cells), path)
    assert notebook_imports(path) == ["a.b", "c", "d.e:f"]


def test_source_cell_number_skips_the_injected_cell() -> None:
    # Source cells: 0 markdown, 1 parameters, 2 code; papermill inserts the injected cell at 2.
    assert [source_cell_number(i, 1) for i in range(4)] == [1, 2, 2, 3]
    assert source_cell_number(3, None) == 3  # no parameters cell: injected at the top


def test_out_cannot_be_created(run_cli: RunCli, tmp_path: Path) -> None:
    file = tmp_path / "file"
    file.write_text("x", encoding="utf-8")
    code, _, stderr = run_cli("report", SEED, "--out", file / "sub", "--notebook", str(FIXTURE))
    assert code == 2
    assert one_error_line(stderr).startswith(f"roi: error: --out: cannot create {file / 'sub'}: ")
