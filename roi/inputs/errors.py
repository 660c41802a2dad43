"""Errors meant for people: one line naming the file, field or row, what was wrong and what is
allowed. The command line prints them without a traceback and exits with code 2."""

from __future__ import annotations


class UserError(Exception):
    """A problem with the user's input or usage; its message is shown as it is."""


class ScenarioError(UserError):
    """A scenario file that cannot be read or is not valid; one message line per problem."""

    def __init__(self, path: str, problems: list[str]) -> None:
        self.path = path
        self.problems = problems
        super().__init__("\n".join(f"{path}: {p}" for p in problems))
