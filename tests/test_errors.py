"""roi.inputs.errors: errors meant for people."""

from __future__ import annotations

from roi.inputs.errors import ScenarioError, UserError


def test_scenario_error_prefixes_every_problem_with_the_file() -> None:
    exc = ScenarioError("a.yaml", ["x: bad", "y: worse"])
    assert isinstance(exc, UserError)
    assert str(exc) == "a.yaml: x: bad\na.yaml: y: worse"
    assert exc.path == "a.yaml"
    assert exc.problems == ["x: bad", "y: worse"]


def test_user_error_message_is_shown_as_is() -> None:
    assert str(UserError("f.csv: row 2: nope")) == "f.csv: row 2: nope"
