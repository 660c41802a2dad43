"""The brand of slides and charts: the --brand-color and --logo flags over the scenario's
presentation: section, each a one-line error when bad; a low-contrast colour is a warning."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import RunCli
from pptx import Presentation
from test_brand import MIDSIZE, png, scenario_file

from roi.inputs.errors import UserError
from roi.inputs.scenario import load_scenario
from roi.report.branding import Brand, brand_of


def test_flags_override_the_scenario(tmp_path: Path) -> None:
    png(tmp_path / "logo.png")
    s = load_scenario(scenario_file(tmp_path, "{brand_colors: ['#112233'], logo: logo.png}"))
    assert brand_of(s) == Brand(("#112233",), tmp_path.resolve() / "logo.png")
    other = png(tmp_path / "other.png")
    assert brand_of(s, ["445566"], str(other)) == Brand(("#445566",), other)
    with pytest.raises(UserError, match=r"^--brand-color: "):
        brand_of(s, ["#12345"])
    with pytest.raises(UserError, match=r"^--logo: .*not a PNG or JPEG"):
        brand_of(s, [], str(tmp_path / "case.yaml"))
    assert Brand(("#FFD700", "#000000")).warnings() == [
        "brand colour #FFD700: low contrast on white (below 3:1); lines and labels in it may be "
        "hard to see"
    ]


def test_cli_deck_flags(tmp_path: Path, run_cli: RunCli) -> None:
    logo = png(tmp_path / "logo.png")
    out = tmp_path / "d.pptx"
    code, _, stderr = run_cli(
        "deck", MIDSIZE, "--out", out, "--samples", "0", "--brand-color", "#FFD700", "--logo", logo
    )
    assert code == 0, stderr
    assert "roi: warning: brand colour #FFD700: low contrast" in stderr
    prs = Presentation(str(out))
    assert [s for s in prs.slides[0].shapes if s.name == "Logo"]
    code, _, stderr = run_cli("deck", MIDSIZE, "--out", tmp_path / "e.pptx", "--logo", MIDSIZE)
    assert code == 2
    assert stderr.startswith("roi: error: --logo: ")
    assert not (tmp_path / "e.pptx").exists()
