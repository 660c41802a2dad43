"""The hostile and bad input corpus (tests/corpus/): every case through every command it names.

A case states its input, the commands and what the user gets (tests/corpus/cases.yaml; the rules
are in tests/corpus/README.md). Every run is checked for what a user must always get, whatever
the input:

- the exit code of the case: 2 with exactly one stderr line ``roi: error: FILE: problem`` that
  matches the case's pattern, or 0 with outputs that are inert (see ``check_inert``);
- never a traceback, never "unexpected error", never a control character or bidirectional
  override on the terminal, never a secret of a file the input points at;
- nothing written outside ``--out``: the temporary tree is snapshot before and after, and the
  corpus inputs are never modified.

Runs are in-process (``roi.cli.main``) for speed; the cases marked ``bounded`` are also loaded in a
subprocess under a 1 GB address-space limit to measure time and peak memory.
"""

from __future__ import annotations

import csv
import html.parser
import io
import json
import os
import re
import shutil
import subprocess
import sys
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import pytest
import yaml
from conftest import ROOT, run_cli

from roi.report.batch import LOCK_FILE

CORPUS = Path(__file__).resolve().parent / "corpus"
CASES: list[dict[str, Any]] = yaml.safe_load((CORPUS / "cases.yaml").read_text(encoding="utf-8"))

COMMANDS: dict[str, list[str]] = {
    "validate": ["validate", "{case}"],
    "breakdown": ["breakdown", "{case}", "--format", "json"],
    "breakdown-table": ["breakdown", "{case}"],
    "breakdown-csv": ["breakdown", "{case}", "--format", "csv"],
    "diff": ["diff", "{base}", "{case}", "--format", "json"],
    "simulate": ["simulate", "{case}", "--samples", "200", "--format", "json"],
    "sensitivity": ["sensitivity", "{case}", "--format", "json"],
    "breakeven": ["breakeven", "{case}", "--samples", "200", "--format", "json"],
    "charts": ["charts", "{case}", "--out", "{out}/charts", "--format", "svg"],
    "workbook": ["workbook", "{case}", "--out", "{out}/case.xlsx"],
    "deck": ["deck", "{case}", "--samples", "0", "--out", "{out}/case.pptx"],
    "explore": ["explore", "{case}", "--no-browser"],
    "report": ["report", "{case}", "--out", "{out}/reports"],
}
"""Every command that reads a scenario, as a case runs it."""
GROUPS: dict[str, list[str]] = {
    # A refused scenario: every command refuses it the same way (report records it in its index).
    "scenario": [
        *("validate", "breakdown", "diff", "simulate", "sensitivity", "breakeven"),
        *("charts", "workbook", "deck", "explore", "report"),
    ],
    # Legitimate but hostile text: every output that shows it (the report needs a kernel: see
    # test_report_renders_hostile_text_inert; explore serves an app).
    "outputs": [
        *("validate", "breakdown", "breakdown-table", "breakdown-csv", "diff", "simulate"),
        *("sensitivity", "breakeven", "charts", "workbook", "deck"),
    ],
    # A legitimate file whose only question is whether it loads.
    "load": ["validate", "breakdown"],
}
BATCH_EXIT = 1
"""``roi report`` records a refused scenario in its index and exits 1 (README, Reports)."""

CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
"""What a terminal must never receive from input: control characters and direction overrides."""
SAFE_NAME = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9._-]*$")
WINDOWS_DEVICES = re.compile(r"^(con|prn|aux|nul|com\d|lpt\d)(\..*)?$", re.IGNORECASE)
FORMULA_START = ("=", "+", "@")


# --- the cases as pytest parameters ----------------------------------------------------------


def _runs() -> Iterator[Any]:
    for case in CASES:
        if "argv" in case:
            for n, argv in enumerate(case["argv"]):
                yield pytest.param(case, argv, case["exit"], id=f"{case['id']}-{n}")
            continue
        for name in GROUPS[case["run"]]:
            expected = BATCH_EXIT if name == "report" and case["exit"] == 2 else case["exit"]
            yield pytest.param(case, COMMANDS[name], expected, id=f"{case['id']}-{name}")


def test_the_corpus_is_large_and_well_formed() -> None:
    ids = [c["id"] for c in CASES]
    assert len(ids) == len(set(ids)), "case ids are unique"
    assert len(ids) >= 80
    for case in CASES:
        assert ("input" in case) != ("generate" in case) or "argv" in case, case["id"]
        assert ("run" in case) != ("argv" in case), case["id"]
        assert case["exit"] in (0, 1, 2), case["id"]
        assert case["exit"] == 0 or case.get("error"), (
            f"{case['id']}: a refusal says what the user sees"
        )
        if "input" in case:
            assert (CORPUS / case["input"]).exists(), case["id"]
        if "generate" in case:
            assert case["generate"] in GENERATORS, case["id"]
    committed = {p.relative_to(CORPUS).as_posix() for p in (CORPUS / "scenarios").glob("*.yaml")}
    used = {c["input"] for c in CASES if "input" in c}
    helpers = {
        p
        for p in committed
        if p == "scenarios/base.yaml" or "-data" in p or re.search(r"-(b|\d)\.yaml$", p)
    }
    assert committed - used - helpers - {"scenarios/adir.yaml"} == set(), "no orphan inputs"


# --- generated inputs ---------------------------------------------------------------------------

SECRET = "corpus-secret-outside"
BOMB = "a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n" + "".join(
    f"{b}: &{b} [{', '.join([f'*{a}'] * 9)}]\n" for a, b in zip("abcdefgh", "bcdefghi", strict=True)
)


def _scenario_folder(root: Path) -> Path:
    """A folder with base.yaml, for generated scenarios that extend it."""
    folder = root / "generated"
    folder.mkdir(exist_ok=True)
    shutil.copy(CORPUS / "scenarios" / "base.yaml", folder / "base.yaml")
    return folder


def _outside(root: Path) -> Path:
    outside = root / "outside"
    outside.mkdir(exist_ok=True)
    (outside / "secret.yaml").write_text(f"name: {SECRET}\ndescription: {SECRET}\n")
    return outside / "secret.yaml"


def _write(root: Path, name: str, data: str | bytes) -> list[Path]:
    path = _scenario_folder(root) / name
    if isinstance(data, bytes):
        path.write_bytes(data)
    else:
        path.write_text(data, encoding="utf-8")
    return [path]


def _big(root: Path, case: dict[str, Any]) -> list[Path]:
    path = _scenario_folder(root) / "yaml-50mb.yaml"
    chunk = "a" * 1_000_000
    with path.open("w", encoding="utf-8") as fh:
        fh.write("extends: base.yaml\ndescription: ")
        for _ in range(50):
            fh.write(chunk)
        fh.write("\n")
    return [path]


def _symlink_out(root: Path, case: dict[str, Any]) -> list[Path]:
    folder = _scenario_folder(root)
    (folder / "link.yaml").symlink_to(_outside(root))
    return _write(root, "extends-symlink-out.yaml", "extends: link.yaml\n")


def _absolute_outside(root: Path, case: dict[str, Any]) -> list[Path]:
    return _write(root, "extends-absolute-existing.yaml", f"extends: {_outside(root)}\n")


def _hostile_file_names(root: Path, case: dict[str, Any]) -> list[Path]:
    text = "extends: base.yaml\n"
    names = ["CON.yaml", "..yaml", "a b.yaml", "🚀.yaml", "<script>alert(1)<script>.yaml"]
    return [p for name in names for p in _write(root, name, text)]


def _html_file_name(root: Path, case: dict[str, Any]) -> list[Path]:
    text = "extends: base.yaml\ntimeline:\n  horizon_months: 0\n"
    return _write(root, "<img src=x onerror=alert(1)>.yaml", text)


def _export(root: Path, name: str, data: str | bytes) -> list[Path]:
    folder = root / "generated-exports"
    folder.mkdir(exist_ok=True)
    path = folder / name
    if isinstance(data, bytes):
        path.write_bytes(data)
    else:
        path.write_text(data, encoding="utf-8")
    return [path]


def _truncated_image(folder: Path, name: str, kind: str) -> Path:
    """An image of ``kind`` (PNG or JPEG) cut in half: its first bytes are an image's."""
    from PIL import Image

    buffer = io.BytesIO()
    Image.effect_noise((400, 100), 64).convert("RGB").save(buffer, kind)
    data = buffer.getvalue()
    path = folder / name
    path.write_bytes(data[: len(data) // 2])
    return path


def _logo(root: Path, name: str, kind: str) -> list[Path]:
    folder = root / "logos"
    folder.mkdir(exist_ok=True)
    return [_truncated_image(folder, name, kind)]


def _logo_scenario(root: Path, case: dict[str, Any]) -> list[Path]:
    _truncated_image(_scenario_folder(root), "logo.png", "PNG")
    text = "extends: base.yaml\npresentation:\n  logo: logo.png\n"
    return _write(root, "presentation-logo-truncated.yaml", text)


GENERATORS: dict[str, Callable[[Path, dict[str, Any]], list[Path]]] = {
    "truncated-png-logo": lambda r, c: _logo(r, "logo.png", "PNG"),
    "truncated-jpeg-logo": lambda r, c: _logo(r, "logo.jpg", "JPEG"),
    "truncated-logo-scenario": _logo_scenario,
    "utf16-scenario": lambda r, c: _write(
        r, "yaml-utf16.yaml", "extends: base.yaml\nname: UTF-16\n".encode("utf-16")
    ),
    "binary-scenario": lambda r, c: _write(r, "yaml-binary.yaml", bytes(range(256))),
    "big-scenario": _big,
    "deep-flow-scenario": lambda r, c: _write(
        r, "yaml-nesting-10000.yaml", "a: " + "[" * 10_000 + "]" * 10_000 + "\n"
    ),
    "deep-mapping-scenario": lambda r, c: _write(
        r, "yaml-nesting-mapping-10000.yaml", "a: " + "{a: " * 10_000 + "1" + "}" * 10_000 + "\n"
    ),
    "deep-block-scenario": lambda r, c: _write(
        r, "yaml-nesting-block-1000.yaml", "".join(" " * i + f"k{i}:\n" for i in range(1000))
    ),
    "alias-bomb": lambda r, c: _write(r, "yaml-alias-bomb.yaml", BOMB + "name: *i\n"),
    "long-key-scenario": lambda r, c: _write(r, "yaml-long-key.yaml", "k" * 100_000 + ": 1\n"),
    "symlink-out": _symlink_out,
    "absolute-outside": _absolute_outside,
    "hostile-file-names": _hostile_file_names,
    "html-file-name": _html_file_name,
    "deep-json-incidents": lambda r, c: _export(r, "incidents-deep.json", "[" * 100_000),
    "deep-json-traces": lambda r, c: _export(r, "traces-deep.json", "[" * 100_000),
    "deep-json-latency": lambda r, c: _export(
        r, "latency-deep.json", '{"status": "success", "data": ' + '{"a": ' * 100_000
    ),
    "deep-jsonl-traces": lambda r, c: _export(
        r, "traces-deep.jsonl", '{"resourceSpans": []}\n' + '{"a": ' * 100_000 + "\n"
    ),
    "binary-export": lambda r, c: _export(r, "export.bin", bytes(range(256)) * 4),
    "utf16-export": lambda r, c: _export(
        r,
        "export-utf16.csv",
        "id,started_at,resolved_at,severity\nA,2026-01-01T00:00:00Z,2026-01-01T01:00:00Z,sev1\n"
        "line,initial,year_1\n".encode("utf-16"),
    ),
}


# --- fixtures ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def corpus_in(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One copy of the committed inputs for the module; every run checks it is left unchanged."""
    root = tmp_path_factory.mktemp("corpus-in")
    shutil.copytree(CORPUS / "scenarios", root / "scenarios", symlinks=True)
    shutil.copytree(CORPUS / "exports", root / "exports", symlinks=True)
    return root


def snapshot(root: Path) -> dict[str, tuple[Any, ...]]:
    """Every entry under ``root``: kind, size, modification time and link target."""
    out: dict[str, tuple[Any, ...]] = {}
    for dirpath, dirnames, filenames in os.walk(root):
        for name in dirnames + filenames:
            path = Path(dirpath) / name
            st = path.lstat()
            link = os.readlink(path) if path.is_symlink() else None
            out[str(path.relative_to(root))] = (st.st_mode, st.st_size, st.st_mtime_ns, link)
    return out


def _mount_tmpfs(where: Path, options: str) -> bool:
    if os.geteuid() != 0 or not shutil.which("mount"):
        return False
    where.mkdir(parents=True, exist_ok=True)
    result = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(where)],
        capture_output=True,
        check=False,
    )
    return result.returncode == 0


@pytest.fixture
def needs(tmp_path: Path) -> Iterator[Callable[[str, Path], None]]:
    """Prepare what a case ``needs`` in ``out``; mounts are undone at the end."""
    mounted: list[Path] = []

    def prepare(what: str, out: Path) -> None:
        outside = tmp_path / "outside"
        outside.mkdir(exist_ok=True)
        if what == "existing-file":
            (out / "existing.txt").write_text("keep me\n")
        elif what == "symlink-out":
            (outside / "victim.txt").write_text("victim\n")
            (out / "link.xlsx").symlink_to(outside / "victim.txt")
        elif what == "symlink-chart":
            (outside / "victim.svg").write_text("victim\n")
            (out / "benefits.svg").symlink_to(outside / "victim.svg")
        elif what == "read-only":
            ro = out / "ro"
            if _mount_tmpfs(ro, "ro,size=64k"):
                mounted.append(ro)
                return
            ro.mkdir(exist_ok=True)
            ro.chmod(0o555)
            if os.access(ro, os.W_OK):
                pytest.skip(
                    "cannot make a read-only folder here: not root (no mount) and chmod does "
                    "not stop this user"
                )
        elif what == "full-disk":
            if not _mount_tmpfs(out / "full", "size=64k"):
                pytest.skip("a full disk needs a 64 kB tmpfs: mount -t tmpfs works only as root")
            mounted.append(out / "full")
        else:
            raise AssertionError(f"unknown need {what!r}")

    yield prepare
    for where in mounted:
        subprocess.run(["umount", str(where)], check=False, capture_output=True)
    ro = tmp_path / "out" / "ro"
    if ro.exists() and not ro.is_mount():
        ro.chmod(0o755)


# --- one run ------------------------------------------------------------------------------------


def _expand(argv: list[str], values: dict[str, str]) -> list[str]:
    out = []
    for arg in argv:
        for key, value in values.items():
            arg = arg.replace("{" + key + "}", value)
        out.append(arg)
    return out


def _inputs(case: dict[str, Any], corpus_in: Path, tmp_path: Path) -> list[Path]:
    if "generate" in case:
        return GENERATORS[case["generate"]](tmp_path, case)
    if "input" in case:
        return [corpus_in / case["input"]]
    return []


@pytest.mark.parametrize(("case", "argv", "expected"), list(_runs()))
def test_case(
    case: dict[str, Any],
    argv: list[str],
    expected: int,
    corpus_in: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    needs: Callable[[str, Path], None],
) -> None:
    from roi.inputs.scenario import ALLOW_EXTENDS_ENV

    monkeypatch.delenv(ALLOW_EXTENDS_ENV, raising=False)  # the user's default: no folder allowed
    out, work = tmp_path / "out", tmp_path / "work"
    out.mkdir()
    work.mkdir()
    monkeypatch.chdir(work)
    if case.get("needs"):
        needs(case["needs"], out)
    inputs = _inputs(case, corpus_in, tmp_path) or [None]
    before_in, before_tmp = snapshot(corpus_in), snapshot(tmp_path)
    for path in inputs:
        values = {
            "case": str(path),
            "base": str(corpus_in / "scenarios" / "base.yaml"),
            "in": str(corpus_in),
            "out": str(out),
            "repo": str(ROOT),
        }
        args = _expand(argv, values)
        code, stdout, stderr = run_cli(*args)
        check_terminal(case, args, code, stdout, stderr, expected, path)
        if code == 0:
            check_inert(args, stdout, out)
    assert snapshot(corpus_in) == before_in, "the corpus inputs are never modified"
    check_nothing_outside(before_tmp, snapshot(tmp_path), case)
    check_needs(case, out, tmp_path)


def check_terminal(
    case: dict[str, Any],
    args: list[str],
    code: int,
    stdout: str,
    stderr: str,
    expected: int,
    path: Path | None,
) -> None:
    """Exit code, the one error line, and what may never reach a terminal."""
    shown = f"roi {' '.join(args)}\nexit {code}\nstderr: {stderr}"
    assert code == expected, shown
    assert "Traceback" not in stderr, shown
    assert "unexpected error" not in stderr, shown
    assert not CONTROL.search(stdout.replace("\t", "")), shown
    assert not CONTROL.search(stderr.replace("\t", "")), shown
    if case.get("secret"):
        assert case["secret"] not in stdout + stderr, shown
    if expected == 0:
        assert "roi: error" not in stderr, shown
        return
    lines = [line for line in stderr.splitlines() if line.strip()]
    assert len(lines) == 1, shown
    line = lines[0]
    assert line.startswith("roi: error: "), shown
    error = case["error"]
    default_name = path.name if path is not None else ""
    names = case.get("names", default_name)
    if args[:1] == ["report"] and "run" in case:
        # The batch names the scenario given, then the file at fault when it is another one
        # (a parent of extends:).
        other = "" if names == default_name else rf"(?:.*/)?{re.escape(names)}: "
        pattern = (
            rf"^roi: error: scenario .*{re.escape(default_name)} is not valid: {other}.*{error}"
        )
    elif "run" in case:
        pattern = rf"^roi: error: (?:.*/)?{re.escape(names)}: {error}"
    elif names:
        pattern = rf"^roi: error: .*{re.escape(names)}.*?{error}"
    else:
        pattern = rf"^roi: error: .*{error}"
    assert re.search(pattern, line), f"{shown}\nexpected: {pattern}"


def check_nothing_outside(
    before: dict[str, tuple[Any, ...]], after: dict[str, tuple[Any, ...]], case: dict[str, Any]
) -> None:
    """Nothing new or changed under the temporary folder but inside ``out``; no temporary file
    left behind anywhere."""
    changed = {k for k in after if before.get(k) != after[k]} | (before.keys() - after.keys())
    outside = sorted(k for k in changed if not (k == "out" or k.startswith("out" + os.sep)))
    assert outside == [], f"{case['id']}: written outside --out: {outside}"
    leftovers = sorted(k for k in after if Path(k).name.endswith(".tmp"))
    assert leftovers == [], f"{case['id']}: temporary files left: {leftovers}"


def check_needs(case: dict[str, Any], out: Path, tmp_path: Path) -> None:
    """What a prepared fixture must look like after the run."""
    need = case.get("needs")
    if need == "existing-file" and case["exit"] != 0:
        assert (out / "existing.txt").read_text() == "keep me\n"
    if need == "existing-file" and case["exit"] == 0:
        assert zipfile.is_zipfile(out / "existing.txt"), "replaced whole by the workbook"
    if need in ("symlink-out", "symlink-chart"):
        victim = tmp_path / "outside" / ("victim.txt" if need == "symlink-out" else "victim.svg")
        assert victim.read_text() == "victim\n", "nothing written through a link out of --out"
        link = out / ("link.xlsx" if need == "symlink-out" else "benefits.svg")
        assert link.is_file(), "the link itself was replaced by the file"
        assert not link.is_symlink(), "the link itself was replaced by the file"


# --- inert outputs -------------------------------------------------------------------------------


def check_inert(args: list[str], stdout: str, out: Path) -> None:
    """Hostile text that was legitimately accepted is shown as text, never as markup, code, a
    formula or a path: JSON parses and holds no control characters; CSV cells never start a
    formula; file names are plain; SVG, HTML, XLSX and PPTX hold no script, event handler,
    ``javascript:`` link or formula made from input."""
    if "--format" in args and args[args.index("--format") + 1] == "json":
        _check_json_strings(json.loads(stdout))
    if "--format" in args and args[args.index("--format") + 1] == "csv":
        for row in csv.reader(io.StringIO(stdout)):
            for cell in row:
                assert not cell.startswith(FORMULA_START), f"a CSV cell starts a formula: {cell!r}"
    for path in sorted(out.rglob("*")):
        rel = path.relative_to(out)
        for part in rel.parts:
            # The batch's own lock file (roi.report.batch.LOCK_FILE) is the one name it chooses
            # that starts with a dot; every other name must be plain.
            assert SAFE_NAME.match(part) or rel.as_posix() == LOCK_FILE, f"file name {rel}"
            assert not WINDOWS_DEVICES.match(part), f"file name {rel}"
        if path.is_symlink() or not path.is_file():
            continue
        suffix = path.suffix.lower()
        if suffix == ".svg":
            _check_xml(path.read_bytes(), str(rel))
        elif suffix in (".xlsx", ".pptx"):
            _check_office(path)
        elif suffix == ".html":
            check_html(path.read_text(encoding="utf-8"), str(rel))
        elif suffix == ".json":
            _check_json_strings(json.loads(path.read_text(encoding="utf-8")))
        elif suffix == ".yaml":
            yaml.safe_load(path.read_text(encoding="utf-8"))


def _check_json_strings(doc: Any) -> None:
    if isinstance(doc, str):
        assert not CONTROL.search(doc.replace("\n", "").replace("\t", "")), repr(doc[:80])
    elif isinstance(doc, dict):
        for key, value in doc.items():
            _check_json_strings(key)
            _check_json_strings(value)
    elif isinstance(doc, list):
        for value in doc:
            _check_json_strings(value)


_ACTIVE_TAGS = {"script", "iframe", "object", "embed", "foreignobject"}


def _check_xml(data: bytes, where: str) -> None:
    root = ElementTree.fromstring(data)
    for element in root.iter():
        tag = element.tag.rsplit("}", 1)[-1].lower()
        assert tag not in _ACTIVE_TAGS, f"{where}: <{tag}>"
        for name, value in element.attrib.items():
            local = name.rsplit("}", 1)[-1].lower()
            assert not local.startswith("on"), f"{where}: event handler {local}={value!r}"
            assert not value.strip().lower().startswith("javascript:"), f"{where}: {value!r}"


def _check_office(path: Path) -> None:
    """Every XML part of an .xlsx or .pptx: no active element or link, and in a workbook no
    formula that carries text of the input (every formula is the workbook's own)."""
    with zipfile.ZipFile(path) as z:
        for name in z.namelist():
            if not name.endswith((".xml", ".rels")):
                continue
            data = z.read(name)
            _check_xml(data, f"{path.name}:{name}")
            root = ElementTree.fromstring(data)
            for element in root.iter():
                tag = element.tag.rsplit("}", 1)[-1]
                if tag == "f":
                    formula = element.text or ""
                    assert not re.search(r"HYPERLINK|cmd|alert|SUM\(1", formula), formula
                assert tag != "hlinkClick", f"{path.name}:{name}: a clickable link"
                target = element.attrib.get("Target", "")
                assert not target.lower().startswith("javascript:"), target


class _Tags(html.parser.HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag.lower() in _ACTIVE_TAGS:
            self.problems.append(f"<{tag}>")
        for name, value in attrs:
            if name.lower().startswith("on"):
                self.problems.append(f"{name}={value!r}")
            if value and value.strip().lower().startswith("javascript:"):
                self.problems.append(f"{name}={value!r}")


def check_html(text: str, where: str) -> None:
    """An HTML page made from input: no script, frame or embedded object, no event handler and
    no ``javascript:`` link (the reports and the index carry no script of their own)."""
    parser = _Tags()
    parser.feed(text)
    parser.close()
    assert parser.problems == [], f"{where}: {parser.problems[:5]}"


# --- bounded time and memory ---------------------------------------------------------------------

PROBE = """\
import contextlib, io, json, resource, sys, time
resource.setrlimit(resource.RLIMIT_AS, (2**30, 2**30))  # a runaway fails, not the machine
from roi.cli import main
import roi.inputs.scenario, roi.inputs.ingest.incidents, roi.inputs.ingest.traces  # imports
import roi.inputs.ingest.latency, pandas  # are not the input's cost: loaded before the clock
err = io.StringIO()
start = time.perf_counter()
with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(err):
    code = main(sys.argv[1:])
seconds = time.perf_counter() - start
status = open("/proc/self/status").read()
peak_kib = int(next(l.split()[1] for l in status.splitlines() if l.startswith("VmHWM")))
doc = {"code": code, "seconds": seconds, "peak_mb": peak_kib / 1024, "stderr": err.getvalue()}
print(json.dumps(doc))
"""


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="needs /proc (Linux)")
@pytest.mark.parametrize("case", [c for c in CASES if c.get("bounded")], ids=lambda c: c["id"])
def test_bounded_time_and_memory(case: dict[str, Any], corpus_in: Path, tmp_path: Path) -> None:
    """Refused in well under a second and 200 MB of peak memory, measured in a fresh process
    (the peak includes Python and the imports, about 60 MB)."""
    path = _inputs(case, corpus_in, tmp_path)[0]
    argv = case["argv"][0] if "argv" in case else COMMANDS["validate"]
    args = _expand(argv, {"case": str(path), "out": str(tmp_path / "out")})
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.pop("ROI_ALLOW_EXTENDS", None)
    result = subprocess.run(
        [sys.executable, "-c", PROBE, *args],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        cwd=tmp_path,
        env=env,
    )
    assert result.returncode == 0, result.stderr
    probe = json.loads(result.stdout)
    assert probe["code"] == case["exit"], probe["stderr"]
    assert re.search(case["error"], probe["stderr"]), probe["stderr"]
    assert probe["seconds"] < 0.5, probe
    assert probe["peak_mb"] < 200, probe


# --- the report, in a kernel --------------------------------------------------------------------

REPORTED = ["text-html-injection", "text-math", "text-control", "text-name-con", "text-name-dotdot"]


@pytest.mark.kernel
@pytest.mark.slow
def test_report_renders_hostile_text_inert(
    corpus_in: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Five hostile scenarios in one batch (and one named CON.yaml): every report, the index and
    summary.json inert, folder names plain and inside --out, nothing written elsewhere."""
    from roi.inputs.scenario import ALLOW_EXTENDS_ENV

    monkeypatch.delenv(ALLOW_EXTENDS_ENV, raising=False)
    monkeypatch.chdir(tmp_path)
    files = [str(corpus_in / "scenarios" / f"{name}.yaml") for name in REPORTED]
    files += [str(p) for p in _write(tmp_path, "CON.yaml", "extends: base.yaml\n")]
    out = tmp_path / "out"
    before = snapshot(tmp_path)
    code, stdout, stderr = run_cli("report", *files, "--out", out, "--samples", "200")
    assert code == 0, stderr
    assert "Traceback" not in stderr
    assert "unexpected error" not in stderr
    assert not CONTROL.search(stdout + stderr.replace("\t", ""))
    reports = sorted(out.glob("*/report.html"))
    assert len(reports) == len(files)
    check_inert(["report"], stdout, out)
    index = (out / "index.html").read_text(encoding="utf-8")
    assert (
        "&lt;script&gt;alert(&#x27;name&#x27;)" in index or "&lt;script&gt;alert('name')" in index
    )
    for report in reports:
        text = report.read_text(encoding="utf-8")
        assert "<script>alert" not in text, report  # raw; escaped it is &lt;script&gt;
    check_nothing_outside(before, snapshot(tmp_path), {"id": "report"})


# --- the explorer's HTML, without a kernel --------------------------------------------------------

HOSTILE_TEXT = [c for c in CASES if c.get("run") == "outputs"]


def _widgets(box: Any) -> Iterator[Any]:
    yield box
    for child in getattr(box, "children", ()) or ():
        yield from _widgets(child)


@pytest.mark.parametrize("case", HOSTILE_TEXT, ids=lambda c: c["id"])
def test_explorer_shows_hostile_text_inert(
    case: dict[str, Any], corpus_in: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The explorer (``roi explore``, notebook 00) builds its panels as HTML from the scenario's
    text: every HTML widget is inert, no widget description is read as HTML, and the scenario's
    hostile text is there (escaped), not dropped."""
    pytest.importorskip("ipywidgets")
    import ipywidgets as widgets

    from roi.inputs.scenario import ALLOW_EXTENDS_ENV, load_scenario
    from roi.present.explore import explorer

    monkeypatch.delenv(ALLOW_EXTENDS_ENV, raising=False)
    path = corpus_in / case["input"]
    box = explorer(load_scenario(path), path)
    pages = [w.value for w in _widgets(box) if isinstance(w, widgets.HTML)]
    assert pages
    for n, page in enumerate(pages):
        check_html(page, f"{case['id']} widget {n}")
        assert not CONTROL.search(page.replace("\n", "").replace("\t", "")), n
    assert not any(getattr(w, "description_allow_html", False) for w in _widgets(box))
    if case["id"] == "text-html-injection":
        assert any("&lt;script&gt;alert(&#x27;label&#x27;)" in page for page in pages)
