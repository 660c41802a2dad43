"""roi.analysis.cashflows and ``roi cashflows``: checking a published TEI cash-flow table."""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import numpy_financial as npf
import pytest
from conftest import ROOT, RunCli, one_error_line
from numpy.testing import assert_allclose

from roi.analysis.cashflows import cashflow_kpis, monthly_from_yearly, read_cashflows
from roi.inputs.errors import UserError

EXAMPLE = ROOT / "data_samples" / "tei" / "example-tei.csv"


def payback_by_hand(net_yearly: list[float]) -> float:
    """First month from which cumulative cash stays >= 0, each year spread over 12 months."""
    months = [net_yearly[0]] + [v / 12 for v in net_yearly[1:] for _ in range(12)]
    total, last_negative = 0.0, -1
    for m, v in enumerate(months):
        total += v
        if total < 0:
            last_negative = m
    if last_negative == len(months) - 1:
        return math.nan
    return float(last_negative + 1)


def test_example_tei_json_against_an_independent_computation(run_cli: RunCli) -> None:
    code, out, err = run_cli("cashflows", EXAMPLE, "--format", "json")
    assert code == 0, err
    doc = json.loads(out)
    costs = [310_000, 120_000, 115_000, 115_000]
    benefits = [0, 640_000, 890_000, 1_010_000]
    pv_c, pv_b = npf.npv(0.10, costs), npf.npv(0.10, benefits)
    assert doc["schema_version"] == 1
    assert doc["discount_rate"] == 0.10
    assert doc["pv_costs"] == pytest.approx(pv_c)
    assert doc["pv_benefits"] == pytest.approx(pv_b)
    assert doc["npv"] == pytest.approx(pv_b - pv_c)
    assert doc["roi"] == pytest.approx((pv_b - pv_c) / pv_c)
    # net year 1 = 520,000, 43,333 a month: -310,000 recovered during month 8 (7.15 months)
    assert doc["payback_months"] == payback_by_hand([-310_000, 520_000, 775_000, 895_000]) == 8.0
    assert doc["irr"] == pytest.approx(npf.irr([-310_000, 520_000, 775_000, 895_000]))


def test_example_tei_table(run_cli: RunCli) -> None:
    code, out, _ = run_cli("cashflows", EXAMPLE)
    assert code == 0
    assert "Initial" in out
    assert "Payback" in out
    assert "8 months" in out


def test_discount_rate_option(run_cli: RunCli) -> None:
    code, out, _ = run_cli("cashflows", EXAMPLE, "--format", "json", "--discount-rate", "0")
    assert code == 0
    doc = json.loads(out)
    assert doc["pv_costs"] == pytest.approx(660_000)  # undiscounted sum
    assert doc["pv_benefits"] == pytest.approx(2_540_000)


def test_cashflow_kpis_hand_checked() -> None:
    # costs 300k + 3 x 100k, benefits 1.0, 1.2, 1.4 M at 10 %
    k = cashflow_kpis(np.array([0, 1.0e6, 1.2e6, 1.4e6]), np.array([3e5, 1e5, 1e5, 1e5]), 0.10)
    pv_c = 3e5 + 1e5 * (1 / 1.1 + 1 / 1.21 + 1 / 1.331)
    pv_b = 1e6 / 1.1 + 1.2e6 / 1.21 + 1.4e6 / 1.331
    assert k["pv_costs"] == pytest.approx(pv_c)
    assert k["pv_benefits"] == pytest.approx(pv_b)
    assert k["roi"] == pytest.approx((pv_b - pv_c) / pv_c)
    # net 900k in year 1 = 75k a month: 300k back after 4 months
    assert k["payback_months"] == 4.0


def test_never_paying_back_and_no_costs() -> None:
    k = cashflow_kpis(np.array([0.0, 10.0]), np.array([100.0, 10.0]), 0.1)
    assert math.isnan(k["payback_months"])
    k = cashflow_kpis(np.array([0.0, 10.0]), np.array([0.0, 0.0]), 0.1)
    assert math.isnan(k["roi"])
    assert k["payback_months"] == 0.0


def test_monthly_from_yearly() -> None:
    got = monthly_from_yearly(np.array([5.0, 12.0, 24.0]))
    assert got.shape == (25,)
    assert_allclose(got, [5.0] + [1.0] * 12 + [2.0] * 12)


def test_read_cashflows_tolerates_case_spaces_bom_and_thousands(tmp_path: Path) -> None:
    f = tmp_path / "study.csv"
    f.write_text(
        '\ufeffLine, Initial ,Year_1\nBenefits,0,"$1,200"\nCOSTS,300,100\n',
        encoding="utf-8",
    )
    benefits, costs = read_cashflows(f)
    assert_allclose(benefits, [0, 1200])
    assert_allclose(costs, [300, 100])


# --- bad CSV files: one line, file and row/column named, exit 2 -------------------------------

BAD_CSV = {
    "missing initial column": (
        "line,year_1\ncosts,1\nbenefits,0\n",
        ["header must have columns line,initial,year_1,...,year_N", "got line,year_1"],
    ),
    "missing line column": (
        "row,initial,year_1\ncosts,1,2\nbenefits,0,5\n",
        ["header must have columns line,initial"],
    ),
    "no year columns": ("line,initial\ncosts,1\nbenefits,0\n", ["year_1..year_N"]),
    "year gap": (
        "line,initial,year_1,year_3\ncosts,1,2,3\nbenefits,0,5,6\n",
        ["year columns must be year_1..year_N, each once and without gaps"],
    ),
    "unknown column": (
        "line,initial,year_1,notes\ncosts,1,2,x\nbenefits,0,5,y\n",
        ["unknown column 'notes'", "allowed: columns line,initial"],
    ),
    "non-numeric cell": (
        "line,initial,year_1,year_2\ncosts,1,abc,3\nbenefits,0,5,6\n",
        ["row 2, column year_1", "'abc' is not a number"],
    ),
    "empty cell": (
        "line,initial,year_1\ncosts,1,\nbenefits,0,5\n",
        ["row 2, column year_1", "is not a number"],
    ),
    "infinite cell": (
        "line,initial,year_1\ncosts,1,2\nbenefits,0,inf\n",
        ["row 3, column year_1", "finite number"],
    ),
    "negative cost": (
        "line,initial,year_1\ncosts,1,-2\nbenefits,0,5\n",
        ["row 2, column year_1", "costs are positive magnitudes", "-2"],
    ),
    "missing benefits row": (
        "line,initial,year_1\ncosts,1,2\n",
        ["no 'benefits' row", "costs and benefits"],
    ),
    "missing costs row": ("line,initial,year_1\nbenefits,1,2\n", ["no 'costs' row"]),
    "unknown row": (
        "line,initial,year_1\ncosts,1,2\nprofit,0,5\n",
        ["row 3", "line is 'profit'", "allowed: costs, benefits"],
    ),
    "duplicate row": (
        "line,initial,year_1\ncosts,1,2\ncosts,1,2\nbenefits,0,5\n",
        ["row 3", "a second 'costs' row"],
    ),
    "empty file": ("", ["the file is empty"]),
}


@pytest.mark.parametrize("case", list(BAD_CSV))
def test_bad_csv_is_one_line_exit_2(tmp_path: Path, run_cli: RunCli, case: str) -> None:
    text, fragments = BAD_CSV[case]
    f = tmp_path / "study.csv"
    f.write_text(text, encoding="utf-8")
    code, out, err = run_cli("cashflows", f)
    assert code == 2
    assert out == ""
    assert one_error_line(err, *fragments).startswith(f"roi: error: {f}: ")
    with pytest.raises(UserError):
        read_cashflows(f)


def test_csv_not_found(tmp_path: Path, run_cli: RunCli) -> None:
    code, _, err = run_cli("cashflows", tmp_path / "nope.csv")
    assert code == 2
    assert err.strip() == f"roi: error: {tmp_path / 'nope.csv'}: file not found"


def test_csv_not_utf8(tmp_path: Path, run_cli: RunCli) -> None:
    f = tmp_path / "latin.csv"
    f.write_bytes("line,initial,year_1\ncosts,1,2\nbénéfices,0,5\n".encode("latin-1"))
    code, _, err = run_cli("cashflows", f)
    assert code == 2
    assert "not UTF-8 text (byte 0xe9 at offset 31); allowed: a UTF-8 CSV" in err
    assert len(err.strip().splitlines()) == 1


@pytest.mark.parametrize("rate", ["10", "-0.1", "1", "nan", "inf"])
def test_bad_discount_rate(run_cli: RunCli, rate: str) -> None:
    code, out, err = run_cli("cashflows", EXAMPLE, "--discount-rate", rate)
    assert code == 2
    assert out == ""
    assert err.strip().splitlines() == [
        f"roi: error: --discount-rate: {float(rate):g} is out of range; allowed: a fraction "
        "in [0, 1), e.g. 0.10"
    ]


def test_non_numeric_discount_rate_is_a_usage_error(run_cli: RunCli) -> None:
    code, _, err = run_cli("cashflows", EXAMPLE, "--discount-rate", "ten")
    assert code == 2
    lines = err.strip().splitlines()
    assert len(lines) == 1
    assert "--discount-rate" in lines[0]
    assert "'ten'" in lines[0]
