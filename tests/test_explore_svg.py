"""roi.present.explore_svg: the explorer's chart names the option it draws and ends where that
option's cumulative net cash ends."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import numpy as np
import pytest
from conftest import SEED

from roi.inputs.scenario import load_scenario
from roi.model import evaluate
from roi.present.explore_svg import chart_title, cumulative_net_svg, cumulative_points


@pytest.fixture(scope="module")
def evaluation():  # type: ignore[no-untyped-def]
    return evaluate(load_scenario(SEED))


def test_cumulative_points_are_running_sums() -> None:
    assert cumulative_points(np.array([1.0, -2.0, 4.0])).tolist() == [1.0, -1.0, 3.0]


@pytest.mark.parametrize("key", ["self-run", "datadog"])
def test_svg_is_well_formed_and_about_the_option(evaluation, key: str) -> None:  # type: ignore[no-untyped-def]
    svg = cumulative_net_svg(evaluation, key)
    root = ET.fromstring(svg)
    assert root.get("data-option") == key
    end = float(np.sum(evaluation.options[key].net))
    assert float(root.get("data-end")) == pytest.approx(end, rel=1e-5)
    label = evaluation.options[key].label
    assert label in chart_title(evaluation, key)
    bold = [
        p for p in root.iter("{http://www.w3.org/2000/svg}polyline") if p.get("data-key") == key
    ]
    assert len(bold) == 1
    assert bold[0].get("stroke-width") == "2.6"
    # one point a month, months 0..horizon
    assert len(bold[0].get("points").split()) == len(evaluation.months)
    assert "$" in svg
    assert not re.search(r"<script", svg)
