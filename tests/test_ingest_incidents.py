"""roi.inputs.ingest.incidents: incident exports of each tool, hand-checked MTTR, time zones, open
incidents, skipped rows, warnings and one-line errors for bad files."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from conftest import ROOT
from hypothesis import given, settings
from hypothesis import strategies as st

from roi.inputs.ingest._common import IngestError
from roi.inputs.ingest.incidents import (
    incident_fragment,
    incident_summary,
    incidents_table,
    read_incidents,
    severity_class,
)

EXPORTS = ROOT / "data_samples" / "exports"


def write(tmp_path: Path, text: str, name: str = "x.csv", newline: str = "\n") -> Path:
    path = tmp_path / name
    path.write_bytes(text.replace("\n", newline).encode("utf-8"))
    return path


GENERIC = (
    "id,started_at,resolved_at,severity,service\n"
    "A,2026-01-05T10:00:00Z,2026-01-05T11:00:00Z,SEV1,checkout\n"
    "B,2026-01-20T10:00:00+01:00,2026-01-20T12:00:00+01:00,SEV1,cart\n"
    "C,2026-03-02T10:00:00Z,,SEV2,checkout\n"
)


def test_generic_export_hand_checked(tmp_path: Path) -> None:
    summary = incident_summary(read_incidents(write(tmp_path, GENERIC)))
    # Jan..Mar: three calendar months; SEV1 took 1 h and 2 h; C is open.
    assert summary["schema_version"] == 1
    assert summary["source"] == "generic"
    assert (summary["period_start"], summary["period_end"]) == ("2026-01-01", "2026-03-31")
    assert summary["months_covered"] == 3
    sev1 = summary["severities"]["SEV1"]
    assert sev1["count"] == 2
    assert sev1["incidents_per_month"] == pytest.approx(2 / 3, abs=1e-4)
    assert sev1["mttr_hours_mean"] == pytest.approx(1.5)
    assert sev1["mttr_hours_median"] == pytest.approx(1.5)
    assert sev1["mttr_hours_p90"] == pytest.approx(1.9)
    sev2 = summary["severities"]["SEV2"]
    assert sev2["count"] == 1
    assert sev2["mttr_hours_mean"] is None  # open: never zero
    assert summary["open_incidents"] == 1
    assert summary["services"] == {"cart": 1, "checkout": 2}
    assert summary["severity_classes"] == {"SEV1": "sev1", "SEV2": "sev2"}
    assert any("still open" in w for w in summary["warnings"])
    for key in ("skipped_rows", "warnings"):
        assert isinstance(summary[key], list)


def test_fragment_sources_name_file_count_and_period(tmp_path: Path) -> None:
    fragment = incident_fragment(read_incidents(write(tmp_path, GENERIC, "pd-q1.csv")))
    sev = fragment["incidents"]["severities"]
    assert set(sev) == {"sev1", "sev2"}
    assert sev["sev1"]["mttr_hours_before"]["value"] == pytest.approx(1.5)
    assert sev["sev1"]["mttr_hours_before"]["unit"] == "h"
    source = sev["sev1"]["incidents_per_month"]["source"]
    assert "pd-q1.csv" in source
    assert "2 incidents" in source
    assert "1 Jan–31 Mar 2026" in source
    assert "mttr_hours_before" not in sev["sev2"]  # all open: no MTTR to state
    assert "1 Jan–31 Mar 2026" in sev["sev2"]["incidents_per_month"]["source"]


def test_offset_and_z_in_one_file(tmp_path: Path) -> None:
    text = (
        "id,started_at,resolved_at,severity,service\n"
        "A,2026-03-09T23:30:00-05:00,2026-03-10T05:30:00Z,SEV2,x\n"
    )
    summary = incident_summary(read_incidents(write(tmp_path, text)))
    # 23:30 at -05:00 is 04:30 UTC: one hour to 05:30Z.
    assert summary["severities"]["SEV2"]["mttr_hours_mean"] == pytest.approx(1.0)
    assert summary["period_start"] == "2026-03-01"


def test_zone_less_timestamps_need_tz(tmp_path: Path) -> None:
    text = "id,started_at,resolved_at,severity\nA,2026-01-05 10:00:00,2026-01-05 11:30:00,P1\n"
    path = write(tmp_path, text)
    with pytest.raises(IngestError) as err:
        read_incidents(path)
    message = str(err.value)
    assert str(path) in message
    assert "row 2" in message
    assert "started_at" in message
    assert "--tz" in message
    assert "\n" not in message
    summary = incident_summary(read_incidents(path, tz="Europe/Berlin"))
    assert summary["severities"]["P1"]["mttr_hours_mean"] == pytest.approx(1.5)


def test_daylight_saving_ambiguous_local_time_fails_loudly(tmp_path: Path) -> None:
    # 02:30 happened twice in Berlin on 26 Oct 2025.
    text = "id,started_at,resolved_at,severity\nA,2025-10-26 02:30:00,2025-10-26 04:00:00,P1\n"
    with pytest.raises(IngestError, match=r"row 2.*ambiguous or does not exist"):
        read_incidents(write(tmp_path, text), tz="Europe/Berlin")
    # A fixed offset is never ambiguous.
    assert read_incidents(write(tmp_path, text), tz="+01:00").frame["hours"][0] == 1.5


def test_bad_tz_is_one_line() -> None:
    with pytest.raises(IngestError, match="--tz: 'Mars/Olympus' is not a time zone"):
        read_incidents(EXPORTS / "generic-incidents.csv", tz="Mars/Olympus")


def test_jira_repeated_headers_locale_dates_and_custom_severity(tmp_path: Path) -> None:
    text = (
        "Summary,Issue key,Issue id,Status,Priority,Labels,Labels,Created,Resolved,"
        "Custom field (Severity)\n"
        "db down,OPS-1,1,Resolved,Highest,a,b,14/Jul/25 3:42 PM,14/Jul/25 5:12 PM,\n"
        "slow,OPS-2,2,Resolved,Low,a,b,03/Sep/25 9:05 AM,03/Sep/25 9:35 AM,Sev-2\n"
    )
    history = read_incidents(write(tmp_path, text), tz="UTC")
    assert history.source == "jira"
    summary = incident_summary(history)
    assert summary["severities"]["Highest"]["mttr_hours_mean"] == pytest.approx(1.5)
    # The custom severity field wins over Priority where it is filled.
    assert summary["severities"]["Sev-2"]["mttr_hours_mean"] == pytest.approx(0.5)
    assert summary["severity_classes"] == {"Highest": "sev1", "Sev-2": "sev2"}
    assert summary["months_covered"] == 3  # Jul, Aug, Sep


def test_day_month_order_that_nothing_decides_is_an_error(tmp_path: Path) -> None:
    text = "id,started_at,resolved_at,severity\nA,03/04/2025 10:00,03/04/2025 11:00,P1\n"
    with pytest.raises(IngestError, match=r"row 2, column started_at: '03/04/2025 10:00' reads as"):
        read_incidents(write(tmp_path, text), tz="UTC")
    decided = text + "B,13/04/2025 10:00,13/04/2025 12:00,P1\n"
    frame = read_incidents(write(tmp_path, decided), tz="UTC").frame
    assert str(frame["start"][0].date()) == "2025-04-03"  # day first: 13 cannot be a month


def test_goalert_zone_in_header_hms_crlf_and_multiline_fields(tmp_path: Path) -> None:
    text = (
        "Created At (America/Chicago -06:00),Closed At (America/Chicago -06:00),Time to Ack,"
        "Time to Close,Alert ID,Escalated,Noise Reason,Status,Summary,Details,Service Name,"
        "Service URL\n"
        '2026-01-12 00:39:41,2026-01-12 01:09:41,00:04:10,00:30:00,1,false,,closed,s,"two\n'
        'lines",cart,u\n'
        "2026-01-13 10:00:00,,00:01:00,02:15:00,2,false,,closed,s,d,auth,u\n"
        "2026-01-14 10:00:00,2026-01-14 09:00:00,,,3,false,,closed,s,d,auth,u\n"
    )
    history = read_incidents(write(tmp_path, text, newline="\r\n"))
    assert history.source == "goalert"
    summary = incident_summary(history)
    hours = sorted(history.frame["hours"])
    assert hours == pytest.approx([0.5, 2.25])  # Closed At, then Time to Close hh:mm:ss
    # Chicago is UTC-6 in January: 00:39:41 local is 06:39:41 UTC.
    assert str(history.frame["start"][0]) == "2026-01-12 06:39:41+00:00"
    assert summary["skipped_rows"] == [
        {"row": 4, "reason": summary["skipped_rows"][0]["reason"]}
    ]  # records, not physical lines: the quoted newline does not shift row numbers
    assert "resolved before it started" in summary["skipped_rows"][0]["reason"]
    assert summary["severities"] == {"unclassified": summary["severities"]["unclassified"]}


@pytest.mark.parametrize(
    ("header", "source"),
    [
        ("incident_number,description,created_on,resolved_on,urgency,service_name", "pagerduty"),
        ("Incident Number,Title,Priority,Urgency,Created At,Resolved At,Service Name", "pagerduty"),
        ("ID,TinyID,Message,Status,Priority,createdAt,closedAt", "opsgenie"),
        ("ID,Reference,Name,Status,Severity,Reported at,Resolved at", "incident-io"),
        ("id,started_at,resolved_at,severity,service", "generic"),
    ],
)
def test_source_detected_from_header(tmp_path: Path, header: str, source: str) -> None:
    ncol = header.count(",") + 1
    starts = [
        i
        for i, h in enumerate(header.split(","))
        if h.lower().startswith(("created", "reported", "started"))
    ]
    row = [""] * ncol
    row[starts[0]] = "2026-01-01T00:00:00Z"
    path = write(tmp_path, header + "\n" + ",".join(row) + "\n")
    assert read_incidents(path).source == source


def test_unknown_header_names_what_was_seen(tmp_path: Path) -> None:
    path = write(tmp_path, "when,what\n2026-01-01,x\n")
    with pytest.raises(IngestError, match=r"row 1: cannot tell which tool.*header: when, what"):
        read_incidents(path)
    with pytest.raises(IngestError, match=r"no start-time column for a pagerduty export"):
        read_incidents(path, source="pagerduty")


def test_pagerduty_priority_first_then_urgency(tmp_path: Path) -> None:
    text = (
        "Incident Number,Priority,Urgency,Created At,Resolved At\n"
        "1,P1,high,2026-01-01T00:00:00Z,2026-01-01T01:00:00Z\n"
        "2,,low,2026-01-02T00:00:00Z,2026-01-02T02:00:00Z\n"
    )
    summary = incident_summary(read_incidents(write(tmp_path, text)))
    assert set(summary["severities"]) == {"P1", "low"}
    assert summary["severity_classes"] == {"P1": "sev1", "low": "sev2"}


def test_duplicates_and_backwards_rows_are_skipped_with_reasons(tmp_path: Path) -> None:
    text = GENERIC + (
        "A,2026-01-05T10:00:00Z,2026-01-05T11:00:00Z,SEV1,checkout\n"
        "D,2026-02-01T10:00:00Z,2026-02-01T09:00:00Z,SEV2,x\n"
        ",,,,\n"
        "E,,2026-02-01T09:00:00Z,SEV2,x\n"
    )
    summary = incident_summary(read_incidents(write(tmp_path, text)))
    rows = {s["row"]: s["reason"] for s in summary["skipped_rows"]}
    assert sorted(rows) == [5, 6, 7, 8]
    assert rows[5] == "duplicate id 'A' (first at row 2)"
    assert rows[6].startswith("resolved before it started")
    assert rows[7] == "empty row"
    assert rows[8].startswith("no start time")
    assert any("duplicate" in w and "rows 5" in w for w in summary["warnings"])
    assert summary["severities"]["SEV1"]["count"] == 2


def test_incident_io_excludes_declined_merged_canceled(tmp_path: Path) -> None:
    text = (
        "ID,Reference,Name,Status,Severity,Reported at,Resolved at\n"
        "1,INC-1,a,Closed,Critical,2026-02-01T00:00:00Z,2026-02-01T01:00:00Z\n"
        "2,INC-2,b,Declined,Minor,2026-02-02T00:00:00Z,2026-02-02T01:00:00Z\n"
        "3,INC-3,c,Merged,Minor,2026-02-03T00:00:00Z,2026-02-03T01:00:00Z\n"
        "4,INC-4,d,Canceled,Minor,2026-02-04T00:00:00Z,\n"
    )
    summary = incident_summary(read_incidents(write(tmp_path, text)))
    assert [s["row"] for s in summary["skipped_rows"]] == [3, 4, 5]
    assert list(summary["severities"]) == ["Critical"]


def test_implausible_durations_are_warned_and_kept(tmp_path: Path) -> None:
    text = (
        "id,started_at,resolved_at,severity\n"
        "A,2026-01-01T00:00:00Z,2026-01-20T00:00:00Z,P3\n"
        "B,2026-01-02T00:00:00Z,2026-01-02T00:00:00Z,P3\n"
    )
    summary = incident_summary(read_incidents(write(tmp_path, text)))
    assert summary["severities"]["P3"]["count"] == 2
    assert any("longer than 168 h" in w and "rows 2" in w for w in summary["warnings"])
    assert any("resolved the moment" in w for w in summary["warnings"])


def test_bom_and_semicolon_delimiter(tmp_path: Path) -> None:
    text = (
        "\ufeffid;started_at;resolved_at;severity\nA;2026-01-01T00:00:00Z;2026-01-01T03:00:00Z;P2\n"
    )
    summary = incident_summary(read_incidents(write(tmp_path, text)))
    assert summary["severities"]["P2"]["mttr_hours_mean"] == pytest.approx(3.0)


def test_json_export_pagerduty_rest(tmp_path: Path) -> None:
    text = (
        '{"incidents": [{"incident_number": 7, "status": "resolved", "urgency": "high",'
        ' "priority": {"summary": "P1"}, "created_at": "2026-01-01T00:00:00Z",'
        ' "resolved_at": "2026-01-01T00:30:00Z", "service": {"summary": "api"}},'
        ' {"incident_number": 8, "status": "triggered", "urgency": "low", "priority": null,'
        ' "created_at": "2026-01-02T00:00:00Z", "resolved_at": null,'
        ' "service": {"summary": "api"}}]}'
    )
    summary = incident_summary(read_incidents(write(tmp_path, text, "pd.json")))
    assert summary["source"] == "pagerduty"
    assert summary["severities"]["P1"]["mttr_hours_mean"] == pytest.approx(0.5)
    assert summary["open_incidents"] == 1
    assert summary["services"] == {"api": 2}


@pytest.mark.parametrize(
    ("content", "fragment"),
    [
        (b"", "empty"),
        (b"   \n", "white space"),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "binary data"),
        (b"\xff\xfeid,started_at\n", "not UTF-8"),
        (b"id,started_at,resolved_at\nA,2026-01-01T00:00:00Z,soon\n", "row 2, column resolved_at"),
        (b'id,started_at,resolved_at\nA,"2026-01-01T00:00:00Z,x\n', "not a well-formed CSV"),
        (b'{"incidents": [{"id": 1', "truncated or invalid JSON"),
        (b"id,started_at,resolved_at\n", "no incident rows"),
        (b"id,severity\nA,P1\n", "cannot tell which tool"),
    ],
)
def test_bad_files_get_one_line_errors(tmp_path: Path, content: bytes, fragment: str) -> None:
    path = tmp_path / "bad.csv"
    path.write_bytes(content)
    with pytest.raises(IngestError) as err:
        read_incidents(path)
    message = str(err.value)
    assert message.startswith(str(path))
    assert fragment in message
    assert "\n" not in message


def test_directory_and_missing_file(tmp_path: Path) -> None:
    with pytest.raises(IngestError, match="is a directory"):
        read_incidents(tmp_path)
    with pytest.raises(IngestError, match="file not found"):
        read_incidents(tmp_path / "nope.csv")


@pytest.mark.parametrize(
    ("label", "source", "expected"),
    [
        ("SEV1", "generic", "sev1"),
        ("sev-2", "generic", "sev2"),
        ("Sev 3", "generic", "sev3"),
        ("P4", "opsgenie", "sev4"),
        ("high", "pagerduty", "sev1"),
        ("low", "pagerduty", "sev2"),
        ("Highest", "jira", "sev1"),
        ("Medium", "jira", "sev3"),
        ("Critical", "incident-io", "sev1"),
        ("Minor", "incident-io", "sev3"),
        ("Urgent!", "generic", "urgent"),
        ("", "generic", "unclassified"),
    ],
)
def test_severity_classes(label: str, source: str, expected: str) -> None:
    assert severity_class(label, source) == expected


SHIPPED = [
    ("pagerduty-2026-q1.csv", None, "pagerduty"),
    ("pagerduty-title-case.csv", None, "pagerduty"),
    ("pagerduty-rest-v2.json", None, "pagerduty"),
    ("opsgenie-incidents.csv", None, "opsgenie"),
    ("jira-jsm.csv", "UTC", "jira"),
    ("incident-io.csv", None, "incident-io"),
    ("goalert-alert-metrics.csv", None, "goalert"),
    ("generic-incidents.csv", None, "generic"),
]


@pytest.mark.parametrize(("name", "tz", "source"), SHIPPED)
def test_sample_exports_read(name: str, tz: str | None, source: str) -> None:
    history = read_incidents(EXPORTS / name, tz=tz)
    assert history.source == source
    summary = incident_summary(history)
    assert summary["months_covered"] >= 1
    assert sum(s["count"] for s in summary["severities"].values()) == len(history.frame)
    assert incidents_table(summary).startswith(name)


def test_q1_sample_matches_the_issue_story() -> None:
    summary = incident_summary(read_incidents(EXPORTS / "pagerduty-2026-q1.csv"))
    assert sum(s["count"] for s in summary["severities"].values()) == 117
    fragment = incident_fragment(read_incidents(EXPORTS / "pagerduty-2026-q1.csv"))
    source = fragment["incidents"]["severities"]["sev1"]["incidents_per_month"]["source"]
    assert "pagerduty-2026-q1.csv" in source
    assert "1 Jan–31 Mar 2026" in source


_ROW = st.tuples(
    st.integers(0, 80 * 24),  # start hour after 1 Jan 2026
    st.one_of(st.none(), st.integers(0, 72 * 60)),  # minutes to resolve, None: open
    st.sampled_from(["SEV1", "SEV2", "P3"]),
    st.sampled_from(["a", "b", ""]),
)


@settings(max_examples=25, deadline=None)
@given(rows=st.lists(_ROW, min_size=1, max_size=30), seed=st.integers(0, 1000))
def test_shuffling_rows_does_not_change_the_summary(
    tmp_path_factory: pytest.TempPathFactory, rows: list[tuple], seed: int
) -> None:
    import datetime as dt

    base = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    lines = []
    for i, (hour, minutes, sev, svc) in enumerate(rows):
        start = base + dt.timedelta(hours=hour)
        end = "" if minutes is None else (start + dt.timedelta(minutes=minutes)).isoformat()
        lines.append(f"I{i},{start.isoformat()},{end},{sev},{svc}")
    shuffled = lines[:]
    random.Random(seed).shuffle(shuffled)
    folder = tmp_path_factory.mktemp("shuffle")
    header = "id,started_at,resolved_at,severity,service\n"
    a = incident_summary(read_incidents(write(folder, header + "\n".join(lines) + "\n", "a.csv")))
    b = incident_summary(
        read_incidents(write(folder, header + "\n".join(shuffled) + "\n", "b.csv"))
    )
    for key in ("severities", "open_incidents", "services", "months_covered", "period_start"):
        assert a[key] == b[key], key
    assert a["open_incidents"] == sum(1 for r in rows if r[1] is None)


@pytest.mark.parametrize(
    "name",
    sorted(p.name for p in EXPORTS.glob("*.csv") if not p.name.startswith("latency")),
)
def test_arrow_and_pandas_parsers_read_every_sample_alike(
    name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The Arrow reader (well-formed files) and pandas' C parser (the fallback, and the reader
    when pyarrow is missing) give the same incidents, skips and warnings."""
    import sys

    import pyarrow.csv

    read = pyarrow.csv.read_csv
    arrow_tables = []

    def spy(*args: object, **kwargs: object) -> object:
        arrow_tables.append(read(*args, **kwargs))  # type: ignore[arg-type]
        return arrow_tables[-1]

    monkeypatch.setattr(pyarrow.csv, "read_csv", spy)
    fast = incident_summary(read_incidents(EXPORTS / name, tz="UTC"))
    assert arrow_tables, "the sample should be well-formed enough for the Arrow reader"
    monkeypatch.setitem(sys.modules, "pyarrow.csv", None)  # import fails: the C parser reads
    slow = incident_summary(read_incidents(EXPORTS / name, tz="UTC"))
    assert fast == slow


def test_blank_and_short_rows_go_to_the_c_parser_and_are_reported(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        GENERIC + "\n" + "D,2026-03-05T10:00:00Z,2026-03-05T10:30:00Z\n",
    )
    summary = incident_summary(read_incidents(path))
    assert {"row": 5, "reason": "empty row"} in summary["skipped_rows"]
    assert summary["incidents"] == 4
