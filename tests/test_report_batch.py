"""roi report end to end on the test fixture notebook (tests/data/report-fixture.ipynb): batches
with broken scenarios, timeouts and dead kernels, atomic reruns, batch versus alone.

The fixture follows the notebooks' parameters contract and writes summary.json and a chart with
plain code; a scenario whose description contains FIXTURE-RAISE, FIXTURE-HANG or FIXTURE-DIE
makes its fourth cell raise, sleep or kill the kernel.
"""

from __future__ import annotations

import io
import json
import os
import re
import stat
from pathlib import Path

import pytest
from conftest import SCENARIOS_DIR, RunCli

from roi.report.batch import Progress
from roi.report.export import external_resources

pytestmark = pytest.mark.kernel

FIXTURE = Path(__file__).resolve().parent / "data" / "report-fixture.ipynb"
SEED = SCENARIOS_DIR / "seed-article.yaml"
FINTECH = SCENARIOS_DIR / "fintech-regulated.yaml"
FAST = ("--notebook", str(FIXTURE), "--samples", "200")
_PID = re.compile(r"ipykernel_\d+")
UMASK = os.umask(0)
os.umask(UMASK)


def variant(folder: Path, name: str, description: str, base: Path = SEED) -> Path:
    """A scenario extending ``base`` with another description (the fixture's fault switches)."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(f"extends: {base}\ndescription: {json.dumps(description)}\n", encoding="utf-8")
    return path


def outputs(notebook: Path) -> list[object]:
    """What a reader sees of each cell (the kernel's pid in warning paths masked)."""
    doc = json.loads(_PID.sub("ipykernel_PID", notebook.read_text(encoding="utf-8")))
    return [
        (c["cell_type"], c["source"], c.get("outputs"))
        for c in doc["cells"]
        if "injected-parameters" not in c["metadata"].get("tags", [])
    ]


def leftovers(out: Path) -> list[str]:
    """Temporary folders or files the pipeline should have removed."""
    return sorted(p.name for p in out.iterdir() if ".tmp" in p.name or ".old-" in p.name)


@pytest.fixture(scope="module")
def batch(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, int, str, str]:
    """One batch of five: two good scenarios, invalid YAML, a failing cell, and the seed last."""
    from conftest import run_cli

    root = tmp_path_factory.mktemp("batch")
    bad = root / "bad"
    bad.mkdir()
    broken = bad / "broken.yaml"
    broken.write_text("name: [unclosed\n", encoding="utf-8")
    raising = variant(bad, "raise.yaml", "FIXTURE-RAISE in the notebook")
    out = root / "reports"
    code, stdout, stderr = run_cli(
        "report", FINTECH, broken, raising, SCENARIOS_DIR / "ecommerce-midsize.yaml", SEED,
        "--out", out, "--workers", "2", *FAST,
        "--allow-extends", SCENARIOS_DIR,  # raise.yaml extends the seed; set before autouse
    )  # fmt: skip
    return out, code, stdout, stderr


def test_batch_exit_code_and_progress_lines(batch: tuple[Path, int, str, str]) -> None:
    _out, code, stdout, stderr = batch
    assert code == 1
    ok_lines = [line for line in stdout.splitlines() if line.startswith("ok: ")]
    assert len(ok_lines) == 3
    assert "wrote 3 of 5 reports" in stdout
    assert "2 failed" in stdout
    errors = stderr.strip().splitlines()
    assert len(errors) == 2, stderr
    assert any(
        re.fullmatch(
            r"roi: error: scenario .*raise\.yaml failed in cell 4: ValueError: fixture asked to "
            r"fail for Seed article: tracing at a mid-size microservices company",
            line,
        )
        for line in errors
    ), errors
    assert any(
        re.fullmatch(r"roi: error: scenario .*broken\.yaml is not valid: line 2.*YAML syntax.*", e)
        for e in errors
    ), errors


def test_batch_layout(batch: tuple[Path, int, str, str]) -> None:
    out, *_ = batch
    folders = sorted(p.name for p in out.iterdir() if p.is_dir() and not p.name.startswith("."))
    assert folders == ["ecommerce-midsize", "fintech-regulated", "seed-article"]
    for slug in folders:
        folder = out / slug
        for name in ("report.ipynb", "report.html", "summary.json"):
            assert (folder / name).stat().st_size > 0, (slug, name)
        assert (folder / "charts" / "npv.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
        assert b"<svg" in (folder / "charts" / "npv.svg").read_bytes()
        assert not (folder / "report.pdf").exists()
        # Readable by others, though temporary files start private (0o600).
        for path in (folder / "summary.json", folder / "charts", folder / "report.html"):
            expected = (0o777 if path.is_dir() else 0o666) & ~UMASK
            assert stat.S_IMODE(path.stat().st_mode) == expected, path
    assert leftovers(out) == []
    assert (out / ".failed" / "raise.ipynb").is_file()  # papermill's error notebook, kept
    assert not (out / "raise").exists()
    assert not (out / "broken").exists()


def test_batch_parameters_reach_the_notebook(batch: tuple[Path, int, str, str]) -> None:
    out, *_ = batch
    doc = json.loads((out / "seed-article" / "summary.json").read_text(encoding="utf-8"))
    assert doc["samples"] == 200
    assert doc["seed"] == 0
    # the scenario as given (absolute here), shown relative to the working directory
    here = Path.cwd().resolve()
    shown = (
        SEED.resolve().relative_to(here).as_posix()
        if SEED.resolve().is_relative_to(here)
        else SEED.name
    )
    assert doc["scenario"]["file"] == shown
    nb = json.loads((out / "seed-article" / "report.ipynb").read_text(encoding="utf-8"))
    params = nb["metadata"]["papermill"]["parameters"]
    assert params["scenario_path"] == str(SEED.resolve())
    assert Path(params["output_dir"]).is_absolute()
    assert params["interactive"] is False


def test_batch_html_has_no_code_and_loads_nothing(batch: tuple[Path, int, str, str]) -> None:
    out, *_ = batch
    html = (out / "seed-article" / "report.html").read_text(encoding="utf-8")
    fixture_code = "".join(
        "".join(c["source"])
        for c in json.loads(FIXTURE.read_text(encoding="utf-8"))["cells"]
        if c["cell_type"] == "code"
    )
    for snippet in ("load_scenario(scenario_path)", "scenario_path: str", "def number(x)"):
        assert snippet in fixture_code  # the check below would be vacuous otherwise
        assert snippet not in html
    assert "jp-CodeMirrorEditor" not in html
    assert "<script" not in html.lower()
    assert external_resources(html) == []
    assert "a warning for engineers" not in html  # stderr is not for the reader
    assert "stdout line for the fixture" in html
    assert "data:image/png;base64," in html
    assert "<title>Seed article: tracing at a mid-size microservices company</title>" in html


def test_batch_index_names_failures(batch: tuple[Path, int, str, str]) -> None:
    out, *_ = batch
    html = (out / "index.html").read_text(encoding="utf-8")
    assert "3 scenarios rendered, 2 failed" in html
    assert "failed in cell 4: ValueError: fixture asked to fail" in html
    assert "broken.yaml is not valid" in html
    assert 'href=".failed/raise.ipynb"' in html
    for slug in ("seed-article", "fintech-regulated", "ecommerce-midsize"):
        assert f'href="{slug}/report.html"' in html
    assert external_resources(html) == []


def test_batch_equals_alone(batch: tuple[Path, int, str, str], run_cli: RunCli) -> None:
    """The seed rendered last in a batch, after other notebooks ran in the same workers, gives
    the same summary and the same notebook outputs as rendered alone with one worker."""
    out, *_ = batch
    alone = out.parent / "alone"
    code, _, stderr = run_cli("report", SEED, "--out", alone, "--workers", "1", *FAST)
    assert code == 0, stderr
    in_batch = json.loads((out / "seed-article" / "summary.json").read_text(encoding="utf-8"))
    by_itself = json.loads((alone / "seed-article" / "summary.json").read_text(encoding="utf-8"))
    assert in_batch == by_itself
    assert outputs(out / "seed-article" / "report.ipynb") == outputs(
        alone / "seed-article" / "report.ipynb"
    )


def test_rerun_is_atomic(tmp_path: Path, run_cli: RunCli) -> None:
    out = tmp_path / "reports"
    code, _, stderr = run_cli("report", SEED, "--out", out, *FAST)
    assert code == 0, stderr
    report = out / "seed-article"
    before = {p.name: p.read_bytes() for p in report.iterdir() if p.is_file()}

    # The same slug, now failing: the previous good report stays exactly as it was.
    failing = variant(tmp_path / "elsewhere", "seed-article.yaml", "FIXTURE-RAISE now")
    code, _, stderr = run_cli("report", failing, "--out", out, *FAST)
    assert code == 1
    assert "failed in cell 4: ValueError" in stderr
    assert {p.name: p.read_bytes() for p in report.iterdir() if p.is_file()} == before
    assert (out / ".failed" / "seed-article.json").is_file()
    index = (out / "index.html").read_text(encoding="utf-8")
    assert "Latest render failed; this is the previous report." in index
    assert leftovers(out) == []

    # A good rerun replaces the folder whole and clears the failure.
    code, _, stderr = run_cli("report", SEED, "--out", out, *FAST)
    assert code == 0, stderr
    assert not (out / ".failed" / "seed-article.json").exists()
    assert not (out / ".failed" / "seed-article.ipynb").exists()
    assert sorted(p.name for p in report.iterdir()) == sorted([*before, "charts"])
    assert leftovers(out) == []
    assert "Latest render failed" not in (out / "index.html").read_text(encoding="utf-8")


def test_rendering_one_keeps_the_others_in_the_index(tmp_path: Path, run_cli: RunCli) -> None:
    out = tmp_path / "reports"
    assert run_cli("report", SEED, "--out", out, *FAST)[0] == 0
    assert run_cli("report", FINTECH, "--out", out, *FAST)[0] == 0
    index = (out / "index.html").read_text(encoding="utf-8")
    assert "2 scenarios rendered" in index
    assert "Seed article" in index
    assert "Baltic Payments" in index


def test_timeout_and_dead_kernel_are_failures(tmp_path: Path, run_cli: RunCli) -> None:
    hang = variant(tmp_path / "s", "hang.yaml", "FIXTURE-HANG")
    die = variant(tmp_path / "s", "die.yaml", "FIXTURE-DIE")
    out = tmp_path / "reports"
    code, stdout, stderr = run_cli("report", hang, die, SEED, "--out", out, "--timeout", "3", *FAST)
    assert code == 1
    assert re.search(r"hang\.yaml timed out in cell 4 \(limit 3 s per cell\)", stderr)
    assert re.search(r"die\.yaml failed in cell 4: the kernel died", stderr)
    assert len(stderr.strip().splitlines()) == 2, stderr  # no log noise, one line each
    assert "wrote 1 of 3 reports" in stdout
    assert (out / "seed-article" / "report.html").is_file()
    assert not (out / "hang").exists()
    assert not (out / "die").exists()
    assert leftovers(out) == []


def test_hostile_scenario_names(tmp_path: Path, run_cli: RunCli) -> None:
    folder = tmp_path / "s"
    folder.mkdir()
    hostile = folder / "<script>alert(1)<script>.yaml"
    hostile.write_text(
        f'extends: {SEED}\nname: "<img src=x onerror=alert(1)> & Co"\n', encoding="utf-8"
    )
    dots = folder / "...yaml"
    dots.write_text(f"extends: {SEED}\nname: 'Dots: Ünïcødé ../../etc'\n", encoding="utf-8")
    out = tmp_path / "reports"
    code, _, stderr = run_cli("report", hostile, dots, "--out", out, *FAST)
    assert code == 0, stderr
    # The stem "..": nothing left after cleaning, so the scenario's name gives the slug.
    assert sorted(p.name for p in out.iterdir() if not p.name.startswith(".")) == [
        "dots-unicde-etc",
        "index.html",
        "script-alert-1-script",
    ]
    html = (out / "script-alert-1-script" / "report.html").read_text(encoding="utf-8")
    assert "<img src=x" not in html
    assert "&lt;img src=x onerror=alert(1)&gt; &amp; Co" in html
    index = (out / "index.html").read_text(encoding="utf-8")
    assert "<img src=x" not in index
    assert "&lt;img src=x onerror=alert(1)&gt;" in index
    assert external_resources(index) == []


def test_pdf_without_chromium_still_writes_html(
    tmp_path: Path, run_cli: RunCli, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ROI_CHROMIUM", str(tmp_path / "no-such-chromium"))
    out = tmp_path / "reports"
    code, _, stderr = run_cli("report", SEED, "--out", out, "--pdf", *FAST)
    assert code == 0
    assert stderr.strip() == (
        "roi: warning: --pdf: chromium not found, wrote HTML only; install it: "
        "apt-get install chromium"
    )
    assert (out / "seed-article" / "report.html").is_file()
    assert not (out / "seed-article" / "report.pdf").exists()


def test_progress_bar_on_a_terminal() -> None:
    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    out, err = io.StringIO(), Terminal()
    progress = Progress(2, out, err)
    progress.ok("ok: a")
    progress.failed("scenario b failed in cell 3: KeyError: 'x'")
    progress.close()
    assert out.getvalue() == "ok: a\n"
    assert "roi: error: scenario b failed in cell 3: KeyError: 'x'" in err.getvalue()
    assert "2/2" in err.getvalue()  # the bar reached the end


def test_progress_lines_without_a_terminal() -> None:
    out, err = io.StringIO(), io.StringIO()
    progress = Progress(2, out, err)
    progress.ok("ok: a")
    progress.failed("scenario b failed")
    progress.close()
    assert out.getvalue() == "ok: a\n"
    assert err.getvalue() == "roi: error: scenario b failed\n"


def test_relative_paths_as_make_report_gives_them(
    tmp_path: Path, run_cli: RunCli, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``roi report data_samples/scenarios/x.yaml --out reports`` from the repository root: the
    kernel runs in the notebook's folder, so every path it gets must be absolute."""
    (tmp_path / "scenarios").mkdir()
    (tmp_path / "scenarios" / "seed.yaml").write_text(SEED.read_text(encoding="utf-8"))
    monkeypatch.chdir(tmp_path)
    before = sorted(p.name for p in FIXTURE.parent.iterdir())
    code, stdout, stderr = run_cli("report", "scenarios/seed.yaml", "--out", "reports", *FAST)
    assert code == 0, stderr
    assert stdout.splitlines() == [
        stdout.splitlines()[0],
        "wrote 1 of 1 reports to reports; index: reports/index.html",
    ]
    assert re.fullmatch(
        r"ok: scenarios/seed\.yaml -> reports/seed/report\.html \(\d+\.\d s\)",
        stdout.splitlines()[0],
    )
    assert (tmp_path / "reports" / "seed" / "summary.json").is_file()
    assert sorted(p.name for p in FIXTURE.parent.iterdir()) == before  # nothing written there


def test_notebook_without_summary_fails(tmp_path: Path, run_cli: RunCli) -> None:
    import nbformat
    from nbformat.v4 import new_code_cell, new_notebook

    notebook = tmp_path / "quiet.ipynb"
    parameters = "\n".join(
        f"{name} = {value!r}  # contract"
        for name, value in [
            ("scenario_path", ""),
            ("samples", 1),
            ("seed", 0),
            ("interactive", False),
            ("output_dir", ""),
        ]
    )
    cells = [new_code_cell(parameters, metadata={"tags": ["parameters"]}), new_code_cell("1 + 1")]
    nbformat.write(new_notebook(cells=cells), notebook)
    out = tmp_path / "reports"
    code, _, stderr = run_cli("report", SEED, "--out", out, "--notebook", notebook)
    assert code == 1
    assert stderr.strip().endswith(
        "seed-article.yaml failed: the notebook wrote no summary.json into output_dir"
    )
    assert (out / ".failed" / "seed-article.ipynb").is_file()
    assert not (out / "seed-article").exists()


# --- security: temporary folders of killed runs, links, bad scenarios, dead workers -----------


def _dead_pid() -> int:
    """The id of a process that has ended."""
    import subprocess
    import sys

    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait(timeout=30)
    return child.pid


def test_stale_workdirs_of_dead_runs_only_are_removed(tmp_path: Path) -> None:
    from roi.report.batch import remove_stale_workdirs

    out = tmp_path / "reports"
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "keep.txt").write_text("x", encoding="utf-8")
    dead = _dead_pid()
    stale = out / f".seed.tmp-{dead}-abc"
    stale.mkdir(parents=True)
    (stale / "report.ipynb").write_text("{}", encoding="utf-8")
    old = out / f".seed.old-{dead}-def"
    old.mkdir()
    live = out / f".other.tmp-{os.getpid()}-ghi"  # this process: a run still going
    live.mkdir()
    legacy = out / ".legacy.tmp-xyz"  # no owner recorded: not ours to judge
    legacy.mkdir()
    link = out / f".link.tmp-{dead}-jkl"
    link.symlink_to(outside)
    report = out / "seed-article"
    report.mkdir()
    assert sorted(remove_stale_workdirs(out)) == sorted([stale, old])
    assert live.is_dir()
    assert legacy.is_dir()
    assert link.is_symlink()
    assert report.is_dir()
    assert (outside / "keep.txt").is_file()


def test_nothing_is_written_through_links_out_of_the_folder(
    tmp_path: Path, run_cli: RunCli
) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    out = tmp_path / "reports"
    out.mkdir()
    (out / ".failed").symlink_to(outside)
    (out / "seed-article").symlink_to(outside)
    broken = tmp_path / "s" / "broken.yaml"
    broken.parent.mkdir()
    broken.write_text("name: [unclosed\n", encoding="utf-8")
    code, _, stderr = run_cli("report", broken, SEED, "--out", out, *FAST)
    assert code == 1
    assert list(outside.iterdir()) == []
    assert (out / ".failed").is_dir()
    assert not (out / ".failed").is_symlink()
    assert (out / ".failed" / "broken.json").is_file()
    assert "seed-article exists and is not a folder" in stderr
    assert leftovers(out) == []


def test_bad_scenarios_fail_alone(tmp_path: Path, run_cli: RunCli) -> None:
    folder = tmp_path / "s"
    folder.mkdir()
    deep = folder / "deep.yaml"
    deep.write_text("name: " + "[" * 10_000 + "]" * 10_000 + "\n", encoding="utf-8")
    bomb = folder / "bomb.yaml"
    bomb.write_text(
        'a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]\n'
        + "".join(
            f"{k}: &{k} [{', '.join([f'*{p}'] * 9)}]\n"
            for p, k in zip("abcdefgh", "bcdefghi", strict=True)
        )
        + "name: *i\n",
        encoding="utf-8",
    )
    passwd = folder / "passwd.yaml"
    passwd.write_text("extends: /etc/passwd\n", encoding="utf-8")
    out = tmp_path / "reports"
    code, stdout, stderr = run_cli("report", deep, bomb, passwd, SEED, "--out", out, *FAST)
    assert code == 1
    lines = stderr.strip().splitlines()
    assert len(lines) == 3, stderr
    assert "deep.yaml is not valid" in lines[0]
    assert "nested deeper" in lines[0]
    assert "bomb.yaml is not valid" in lines[1]
    assert "aliases" in lines[1]
    assert "refused" in lines[2]
    assert "root:" not in stderr
    assert "wrote 1 of 4 reports" in stdout
    assert (out / "seed-article" / "report.html").is_file()
    assert "root:" not in (out / "index.html").read_text(encoding="utf-8")
    assert "root:" not in (out / ".failed" / "passwd.json").read_text(encoding="utf-8")


@pytest.mark.skipif(not Path("/proc/self").exists(), reason="needs /proc")
def test_a_killed_worker_fails_its_scenario_only(tmp_path: Path) -> None:
    import signal
    import subprocess
    import sys
    import time

    from roi.report.execute import STARTED

    hang = variant(tmp_path / "s", "hang.yaml", "FIXTURE-HANG")
    out = tmp_path / "reports"
    roi = Path(sys.executable).parent / "roi"
    command = [str(roi), "report", str(hang), str(SEED), str(FINTECH), "--out", str(out)]
    command += ["--workers", "1", *FAST]
    process = subprocess.Popen(
        command, start_new_session=True, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    try:
        deadline = time.monotonic() + 60
        markers: list[Path] = []
        while not markers and time.monotonic() < deadline:
            time.sleep(0.1)
            markers = list(out.glob(f".hang.tmp-*/{STARTED}")) if out.is_dir() else []
        assert markers, "the hanging scenario never started"
        time.sleep(1.0)  # into the hanging cell
        os.kill(int(markers[0].read_text(encoding="ascii")), signal.SIGKILL)
        stdout, stderr = process.communicate(timeout=120)
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
    assert process.returncode == 1, stderr
    assert stderr.strip().splitlines() == [
        f"roi: error: scenario {hang} failed: a worker process died"
    ]
    assert "wrote 2 of 3 reports" in stdout
    assert (out / "seed-article" / "report.html").is_file()
    assert (out / "fintech-regulated" / "report.html").is_file()
    assert leftovers(out) == []
