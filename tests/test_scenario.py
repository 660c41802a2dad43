"""roi.inputs.scenario: reading, ``extends:`` merging and validating scenario files, and the
one-line
errors people see for every kind of bad input (through ``roi validate``)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from conftest import SCENARIOS_DIR, SEED, SHIPPED_SCENARIOS, RunCli, one_error_line

from roi.inputs.errors import ScenarioError
from roi.inputs.references import REFERENCES
from roi.inputs.scenario import ALLOW_EXTENDS_ENV, load_scenario, merge, read_yaml
from roi.inputs.schema import assumptions


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def extend_seed(tmp_path: Path, override: str, name: str = "bad.yaml") -> Path:
    return write(tmp_path, name, f"extends: {SEED}\n{override}")


def seed_without(tmp_path: Path, field: str) -> Path:
    lines = [ln for ln in SEED.read_text().splitlines() if not ln.strip().startswith(field + ":")]
    return write(tmp_path, "missing.yaml", "\n".join(lines) + "\n")


def assert_one_line_error(result: tuple[int, str, str], path: Path, *fragments: str) -> str:
    """Exit 2, no traceback, exactly one line on stderr naming the file and the fragments."""
    code, _out, err = result
    assert code == 2, err
    return one_error_line(err, path.name, *fragments)


# --- every kind of bad input: one line, file and field named, what is allowed, exit 2 ---------

BAD_OVERRIDES = {
    "unknown key with a suggestion": (
        "business:\n  revenue_per_hr: 5\n",
        ["business.revenue_per_hr", "unknown field", "did you mean 'revenue_per_hour'?"],
    ),
    "unknown top-level key": (
        "busines:\n  revenue_per_hour: 5\n",
        ["busines", "did you mean 'business'?"],
    ),
    "unknown key inside an assumption": (
        "business:\n  revenue_per_hour: {value: 5, unit: USD/h, sourc: x}\n",
        ["business.revenue_per_hour.sourc", "did you mean 'source'?"],
    ),
    "wrong type for a number": (
        "business:\n  revenue_per_hour: lots\n",
        ["business.revenue_per_hour", "expected a number", "'lots'"],
    ),
    "wrong type for a flag": (
        "self_run:\n  enabled: maybe\n",
        ["self_run.enabled", "boolean"],
    ),
    "not a finite number": (
        "business:\n  revenue_per_hour: .nan\n",
        ["business.revenue_per_hour", "finite number"],
    ),
    "fraction above 1": (
        "business:\n  margin: 1.5\n",
        ["business.margin", "1.5", "a fraction in [0, 1]"],
    ),
    "fraction below 0 in percent": (
        "rollout:\n  contingency_fraction: {value: -10, unit: '%', source: x}\n",
        ["rollout.contingency_fraction", "-0.1", "a fraction in [0, 1]"],
    ),
    "negative count": (
        "incidents:\n  severities:\n    sev1:\n      incidents_per_month: -2\n",
        ["incidents.severities.sev1.incidents_per_month", "-2", "zero or more"],
    ),
    "negative price": (
        "self_run:\n  storage_price_per_gb_month: -0.02\n",
        ["self_run.storage_price_per_gb_month", "-0.02 USD/GB-month", "zero or more"],
    ),
    "negative vendor price override": (
        "managed:\n  prices:\n    datadog:\n      hosts: {price_per_unit: -5}\n",
        ["managed.prices.datadog.hosts.price_per_unit", "zero or more"],
    ),
    "MTTR after longer than before": (
        "incidents:\n  severities:\n    sev1:\n      mttr_hours_after: {value: 5, unit: h}\n",
        ["incidents.severities.sev1", "mttr_hours_after (5 h)", "mttr_hours_before (4.3 h)"],
    ),
    "both MTTR after and reduction": (
        "incidents:\n  severities:\n    sev1:\n      mttr_reduction_fraction: 0.3\n",
        ["incidents.severities.sev1", "exactly one of mttr_hours_after and mttr_reduction"],
    ),
    "rollout longer than the horizon": (
        "timeline:\n  rollout_months: 40\n",
        ["timeline.rollout_months (40)", "timeline.horizon_months (36)", "inside the horizon"],
    ),
    "rollout in years longer than the horizon": (
        "timeline:\n  rollout_months: {value: 4, unit: years}\n",
        ["timeline.rollout_months (48)", "(36)"],
    ),
    "horizon not a whole number": (
        "timeline:\n  horizon_months: 36.5\n",
        ["timeline.horizon_months", "whole number"],
    ),
    "wrong unit": (
        "incidents:\n  severities:\n    sev1:\n      mttr_hours_before: {value: 4.3, unit: kg}\n",
        [
            "incidents.severities.sev1.mttr_hours_before",
            "unit 'kg' is not allowed",
            "allowed: h, hour, hours, min, minute, minutes, s, d, day, days",
        ],
    ),
    "money in another currency": (
        "business:\n  revenue_per_hour: {value: 5, unit: EUR/h}\n",
        ["business.revenue_per_hour", "'EUR/h'", "allowed: USD/h"],
    ),
    "lower-case currency": (
        "currency: usd\n",
        ["currency", "ISO 4217", "'usd'"],
    ),
    "currency that is not a code": (
        "currency: DOLLARS\n",
        ["currency", "three capital letters", "'DOLLARS'"],
    ),
    "currency no one issues (a typo of USD)": (
        "currency: USX\n",
        ["currency: 'USX' is not an ISO 4217 currency code", "allowed: one such as USD"],
    ),
    "unknown vendor": (
        "managed:\n  vendors: [datadoge]\n",
        ["managed.vendors[0]", "'datadog'", "'honeycomb'"],
    ),
    "price override for a vendor not listed": (
        "managed:\n  prices:\n    honeycomb:\n      platform: {price_per_unit: 100}\n",
        ["managed", "prices.honeycomb", "not in managed.vendors"],
    ),
    "price override for a driver the vendor does not bill": (
        "managed:\n  prices:\n    datadog:\n      events_million: {price_per_unit: 1}\n",
        [
            "prices.datadog.events_million",
            "does not bill on events_million",
            "allowed: hosts, ingested_gb, indexed_spans_million, custom_metrics",
        ],
    ),
    "migration after the horizon": (
        "lock_in:\n  migration_month: 48\n",
        ["lock_in.migration_month (48)", "after the horizon"],
    ),
    "no option left": (
        "self_run:\n  enabled: false\nmanaged:\n  vendors: []\n",
        ["no option to evaluate", "enable self_run or list managed.vendors"],
    ),
}


@pytest.mark.parametrize("case", list(BAD_OVERRIDES))
def test_bad_scenario_value_is_one_line_exit_2(tmp_path: Path, run_cli: RunCli, case: str) -> None:
    override, fragments = BAD_OVERRIDES[case]
    path = extend_seed(tmp_path, override)
    assert_one_line_error(run_cli("validate", path), path, *fragments)
    with pytest.raises(ScenarioError):
        load_scenario(path)


def test_missing_required_field(tmp_path: Path, run_cli: RunCli) -> None:
    path = seed_without(tmp_path, "north_star_kpi")
    assert_one_line_error(
        run_cli("validate", path),
        path,
        "kpis.north_star_kpi: required field is missing",
        "(The one KPI everyone agreed on)",
    )


def test_missing_required_assumption(tmp_path: Path, run_cli: RunCli) -> None:
    path = seed_without(tmp_path, "revenue_per_hour")
    assert_one_line_error(
        run_cli("validate", path), path, "business.revenue_per_hour: required field is missing"
    )


def test_yaml_syntax_error_names_the_line(tmp_path: Path, run_cli: RunCli) -> None:
    path = write(tmp_path, "syntax.yaml", "name: x\nbusiness:\n  revenue_per_hour: [1, 2\n")
    assert_one_line_error(run_cli("validate", path), path, "YAML syntax error", "line 4")


def test_yaml_syntax_error_bad_indent(tmp_path: Path, run_cli: RunCli) -> None:
    path = write(tmp_path, "indent.yaml", "name: x\nbusiness:\n  margin: 1\n loaded: 2\n")
    assert_one_line_error(run_cli("validate", path), path, "YAML syntax error", "line 4")


def test_duplicate_key_names_key_and_line(tmp_path: Path, run_cli: RunCli) -> None:
    path = write(tmp_path, "dup.yaml", "name: x\ndescription: y\nname: z\n")
    assert_one_line_error(run_cli("validate", path), path, "duplicate key 'name'", "line 3")


def test_extends_cycle(tmp_path: Path, run_cli: RunCli) -> None:
    a = write(tmp_path, "a.yaml", "extends: b.yaml\nname: a\n")
    write(tmp_path, "b.yaml", "extends: a.yaml\nname: b\n")
    assert_one_line_error(run_cli("validate", a), a, "extends: cycle", "a.yaml -> b.yaml -> a.yaml")


def test_extends_itself(tmp_path: Path, run_cli: RunCli) -> None:
    a = write(tmp_path, "self.yaml", "extends: self.yaml\n")
    assert_one_line_error(run_cli("validate", a), a, "extends: cycle")


def test_extends_file_missing(tmp_path: Path, run_cli: RunCli) -> None:
    a = write(tmp_path, "orphan.yaml", "extends: nowhere.yaml\nname: a\n")
    assert_one_line_error(run_cli("validate", a), a, "extends: file not found", "nowhere.yaml")


def test_extends_not_a_path(tmp_path: Path, run_cli: RunCli) -> None:
    a = write(tmp_path, "num.yaml", "extends: 5\n")
    assert_one_line_error(run_cli("validate", a), a, "extends: must be a path")


def test_file_not_found(tmp_path: Path, run_cli: RunCli) -> None:
    path = tmp_path / "absent.yaml"
    assert_one_line_error(run_cli("validate", path), path, "file not found")


@pytest.mark.parametrize(
    ("text", "got"),
    [("- a\n- b\n", "got list"), ("", "got an empty file"), ("just text\n", "got str")],
)
def test_non_mapping_top_level(tmp_path: Path, run_cli: RunCli, text: str, got: str) -> None:
    path = write(tmp_path, "list.yaml", text)
    assert_one_line_error(run_cli("validate", path), path, "expected a mapping", got)


def test_not_utf8(tmp_path: Path, run_cli: RunCli) -> None:
    path = tmp_path / "latin1.yaml"
    path.write_bytes("name: caf\xe9\n".encode("latin-1"))
    assert_one_line_error(run_cli("validate", path), path, "cannot read")


def test_validate_good_and_bad(tmp_path: Path, run_cli: RunCli) -> None:
    bad = extend_seed(tmp_path, "business:\n  margin: 1.5\n")
    code, out, err = run_cli("validate", SEED, bad)
    assert code == 2
    assert out.splitlines() == [
        f"ok: {SEED}: Seed article: tracing at a mid-size microservices company"
    ]
    assert err.strip().splitlines() == [
        f"roi: error: {bad}: business.margin: 1.5 fraction is out of range: must be a "
        "fraction in [0, 1]"
    ]


def test_validate_all_good_exits_0(run_cli: RunCli) -> None:
    code, out, err = run_cli("validate", *SHIPPED_SCENARIOS)
    assert code == 0, err
    assert err == ""
    assert len(out.splitlines()) == len(SHIPPED_SCENARIOS)


def test_validate_warns_about_unsourced_numbers(tmp_path: Path, run_cli: RunCli) -> None:
    path = extend_seed(tmp_path, "business:\n  revenue_per_hour: 20000\n", "bare.yaml")
    code, out, err = run_cli("validate", path)
    assert code == 0
    assert out.startswith("ok:")
    assert err.strip() == (
        f"warning: {path}: business.revenue_per_hour: no source: say where this number comes from"
    )


def test_several_problems_one_line_each(tmp_path: Path, run_cli: RunCli) -> None:
    path = extend_seed(tmp_path, "business:\n  margin: 2\n  revenue_per_hr: 1\n")
    code, _out, err = run_cli("validate", path)
    assert code == 2
    lines = err.strip().splitlines()
    assert len(lines) == 2
    assert all(line.startswith(f"roi: error: {path}: business.") for line in lines)


# --- reading and merging ------------------------------------------------------------------


def test_merge_semantics() -> None:
    base = {
        "a": {"x": 1, "y": {"value": 2, "unit": "h", "source": "s"}},
        "l": [1, 2],
        "opt": {"k": 1},
    }
    over = {"a": {"y": {"value": 3}}, "l": [3], "opt": None, "new": 1}
    # mappings merge key by key; an assumption and a list are replaced whole; null replaces
    assert merge(base, over) == {
        "a": {"x": 1, "y": {"value": 3}},
        "l": [3],
        "opt": None,
        "new": 1,
    }
    assert base["a"]["y"] == {"value": 2, "unit": "h", "source": "s"}  # not mutated


def test_extends_overrides_a_few_fields(tmp_path: Path) -> None:
    path = extend_seed(
        tmp_path,
        "name: variant\nincidents:\n  severities:\n    sev1:\n"
        "      incidents_per_month: {value: 3, unit: count/month, source: ours}\n",
    )
    s = load_scenario(path)
    assert s.name == "variant"
    sev1 = s.incidents.severities["sev1"]
    assert sev1.incidents_per_month.value == 3
    assert sev1.mttr_hours_before.value == 4.3  # inherited
    assert sev1.mttr_hours_after is not None
    assert sev1.mttr_hours_after.value == pytest.approx(47 / 60)


def test_extends_relative_to_the_file_and_null_removes_a_section(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    write(tmp_path / "sub", "parent.yaml", SEED.read_text())
    child = write(tmp_path, "child.yaml", "extends: sub/parent.yaml\nlatency: null\n")
    s = load_scenario(child)
    assert s.latency is None


def test_extends_up_the_tree_only_into_an_allowed_folder(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    write(tmp_path, "parent.yaml", SEED.read_text())
    child = write(tmp_path / "sub", "child.yaml", "extends: ../parent.yaml\nlatency: null\n")
    with pytest.raises(ScenarioError, match="refused: outside the scenario's folder"):
        load_scenario(child, allow_extends=[])
    assert load_scenario(child, allow_extends=[tmp_path]).latency is None


def test_a_shipped_scenario_extends_its_sibling() -> None:
    lean = SCENARIOS_DIR / "ecommerce-lean-instrumentation.yaml"
    assert "extends:" in lean.read_text()
    assert load_scenario(lean, allow_extends=[]).name


def test_read_yaml_returns_mapping(tmp_path: Path) -> None:
    assert read_yaml(write(tmp_path, "m.yaml", "a: 1\nb: {c: 2}\n")) == {"a": 1, "b": {"c": 2}}


def test_yaml_is_loaded_safely(tmp_path: Path) -> None:
    path = write(tmp_path, "unsafe.yaml", "name: !!python/object/apply:os.system ['true']\n")
    with pytest.raises(ScenarioError, match="YAML syntax error"):
        read_yaml(path)


# --- the shipped scenarios ------------------------------------------------------------------


@pytest.mark.parametrize("path", SHIPPED_SCENARIOS, ids=lambda p: p.name)
def test_shipped_scenario_validates_with_sources(path: Path) -> None:
    s = load_scenario(path)
    for field, q in assumptions(s):
        assert q.source, f"{path.name}: {field} has no source"
        assert q.source.strip(), f"{path.name}: {field} has an empty source"
        if q.source.startswith("ref:"):
            assert q.source[4:] in REFERENCES, f"{path.name}: {field}: unknown {q.source}"


@pytest.mark.parametrize("path", SHIPPED_SCENARIOS, ids=lambda p: p.name)
def test_every_ref_written_in_a_shipped_file_is_known(path: Path) -> None:
    import re

    for key in re.findall(r"ref:([A-Za-z0-9_-]+)", path.read_text()):
        assert key in REFERENCES, f"{path.name}: ref:{key} is not in roi.inputs.references"


# --- a scenario from someone else: nothing disclosed, nothing expanded, bounded work ---------

SECRET = "s3cr3t-line-of-a-private-file"


@pytest.fixture
def private_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, Path]:
    """A case folder and, outside it, files the scenario must not read."""
    monkeypatch.delenv(ALLOW_EXTENDS_ENV, raising=False)
    case = tmp_path / "case"
    case.mkdir()
    outside = tmp_path / "private"
    outside.mkdir()
    secret_yaml = write(outside, "secret.yaml", f"{SECRET}: 1\nother_{SECRET}: 2\n")
    secret_text = write(outside, "passwd", f"root:x:0:0:{SECRET}:/root:/bin/bash\n")
    write(case, "notes.txt", f"{SECRET}: 1\n")
    write(case, "config.yaml", f"{SECRET}: 1\npassword: {SECRET}\n")  # YAML, not a scenario
    (case / "link.yaml").symlink_to(secret_yaml)
    return {"case": case, "secret_yaml": secret_yaml, "secret_text": secret_text}


@pytest.mark.parametrize(
    ("target", "reason"),
    [
        ("{secret_text}", "not a YAML scenario file"),
        ("{secret_yaml}", "outside the scenario's folder"),
        ("../private/secret.yaml", "outside the scenario's folder"),
        ("../../../../../../../../etc/passwd", "not a YAML scenario file"),
        ("./../case/../private/secret.yaml", "outside the scenario's folder"),
        ("link.yaml", "outside the scenario's folder"),
        ("notes.txt", "not a YAML scenario file"),
        ("config.yaml", "not a scenario file"),
        ("/etc/passwd", "not a YAML scenario file"),
    ],
)
def test_extends_never_discloses_another_file(
    private_files: dict[str, Path], run_cli: RunCli, target: str, reason: str
) -> None:
    target = target.format(**{k: str(v) for k, v in private_files.items()})
    child = write(private_files["case"], "child.yaml", f"extends: {target}\nname: x\n")
    line = assert_one_line_error(run_cli("validate", child), child, "extends:", reason)
    assert SECRET not in line
    assert "password" not in line


def test_a_refused_parent_is_named_by_path_before_it_is_opened(
    private_files: dict[str, Path], run_cli: RunCli
) -> None:
    # Outside the tree, a missing file and an existing one get the same answer.
    child = write(private_files["case"], "child.yaml", "extends: /no/such/dir/x.yaml\n")
    missing = assert_one_line_error(run_cli("validate", child), child, "refused")
    child.write_text(f"extends: {private_files['secret_yaml']}\n", encoding="utf-8")
    existing = assert_one_line_error(run_cli("validate", child), child, "refused")
    assert missing.split(": refused: ")[1] == existing.split(": refused: ")[1]


def test_allow_extends_flag_opens_one_folder(
    private_files: dict[str, Path], run_cli: RunCli
) -> None:
    child = write(private_files["case"], "child.yaml", f"extends: {SEED}\nname: variant\n")
    assert_one_line_error(run_cli("validate", child), child, "refused: outside")
    code, out, err = run_cli("validate", "--allow-extends", SCENARIOS_DIR, child)
    assert (code, err) == (0, ""), err
    assert "variant" in out
    code, _, err = run_cli("validate", "--allow-extends", private_files["case"] / "nope", child)
    assert code == 2
    assert "--allow-extends" in err


def test_a_fifo_is_not_read(private_files: dict[str, Path], run_cli: RunCli) -> None:
    fifo = private_files["case"] / "pipe.yaml"
    os.mkfifo(fifo)
    child = write(private_files["case"], "child.yaml", "extends: pipe.yaml\n")
    assert_one_line_error(run_cli("validate", child), child, "not a regular file")


BOMB = """\
a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]
b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]
c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]
d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]
e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]
f: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e]
g: &g [*f, *f, *f, *f, *f, *f, *f, *f, *f]
h: &h [*g, *g, *g, *g, *g, *g, *g, *g, *g]
i: &i [*h, *h, *h, *h, *h, *h, *h, *h, *h]
name: *i
"""

PROBE_LOAD = """\
import resource, sys, time
from roi.inputs.scenario import load_scenario
from roi.inputs.errors import ScenarioError
resource.setrlimit(resource.RLIMIT_AS, (2**30, 2**30))  # a runaway fails, not the machine
start = time.perf_counter()
try:
    load_scenario(sys.argv[1])
except ScenarioError as exc:
    print(str(exc))
print(time.perf_counter() - start)
try:  # this process's own peak (ru_maxrss would include the parent's, kept across exec)
    status = open("/proc/self/status").read()
    print(next(line.split()[1] for line in status.splitlines() if line.startswith("VmHWM")))
except OSError:
    print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)  # [KiB]
"""


def _bounded_load(path: Path) -> tuple[str, float, float]:
    """Load ``path`` in a fresh process limited to 1 GB: (error line, seconds, peak MB)."""
    import subprocess
    import sys

    command = [sys.executable, "-c", PROBE_LOAD, str(path)]
    result = subprocess.run(command, capture_output=True, text=True, timeout=60, check=True)
    *lines, seconds, peak = result.stdout.strip().splitlines()
    return "\n".join(lines), float(seconds), int(peak) / 1024


@pytest.mark.parametrize(
    ("name", "text", "fragments"),
    [
        ("bomb.yaml", BOMB, ["line 2", "aliases (*name) are not allowed"]),
        ("bomb-in-a-field.yaml", f"extends: {SEED}\ndescription: &x hi\nname: *x\n", ["line 3"]),
        ("deep.yaml", "a: " + "[" * 10_000 + "]" * 10_000 + "\n", ["line 1", "nested deeper"]),
        ("deep-block.yaml", "".join(" " * i + f"k{i}:\n" for i in range(1000)), ["nested"]),
        (
            "big-int.yaml",
            "name: " + "9" * 200_000 + "\n",
            ["line 1: a number of thousands of digits; allowed"],
        ),
        ("huge.yaml", "name: x\n" + "# padding\n" * 200_000, ["larger than"]),
    ],
)
def test_hostile_yaml_is_refused_quickly_in_one_line(
    tmp_path: Path, name: str, text: str, fragments: list[str]
) -> None:
    path = write(tmp_path, name, text)
    message, seconds, peak_mb = _bounded_load(path)
    assert len(message.splitlines()) == 1, message
    assert message.startswith(str(path)), message
    for fragment in fragments:
        assert fragment in message, message
    assert seconds < 1.0
    assert peak_mb < 200


def test_unknown_keys_are_quoted_short_and_escaped(tmp_path: Path, run_cli: RunCli) -> None:
    key = "k\\x1b[2J" + "x" * 500
    path = extend_seed(tmp_path, f'business:\n  "{key}": 1\n')
    line = assert_one_line_error(run_cli("validate", path), path, "unknown field")
    assert "\x1b" not in line
    assert "x" * 60 not in line


def test_values_are_quoted_as_short_excerpts(tmp_path: Path, run_cli: RunCli) -> None:
    path = extend_seed(tmp_path, f"business:\n  margin: {'z' * 5000}\n")
    line = assert_one_line_error(run_cli("validate", path), path, "business.margin")
    assert "z" * 41 not in line
    path = extend_seed(tmp_path, f"business:\n  margin: {{value: 0.3, unit: {'u' * 5000}}}\n")
    line = assert_one_line_error(run_cli("validate", path), path, "business.margin")
    assert "u" * 41 not in line


def test_control_characters_are_stripped_from_scenario_text(
    tmp_path: Path, run_cli: RunCli
) -> None:
    path = extend_seed(
        tmp_path,
        'name: "Acme\\e[2J\\e]0;pwned\\a\\u202eCorp"\ndescription: "line one\\r\\nline two\\x07"\n',
    )
    s = load_scenario(path)
    assert s.name == "AcmeCorp"
    assert s.description == "line one\nline two"
    code, out, err = run_cli("validate", path)
    assert code == 0, err
    assert out == f"ok: {path}: AcmeCorp\n"


def test_a_path_with_control_characters_is_shown_escaped(tmp_path: Path, run_cli: RunCli) -> None:
    path = tmp_path / "evil\x1b[2J.yaml"
    code, _, err = run_cli("validate", path)
    assert code == 2
    assert "\x1b" not in err
    assert "\\x1b[2J" in err
