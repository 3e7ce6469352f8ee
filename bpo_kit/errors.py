"""Errors that describe a user's mistake, as opposed to a bug in the kit.

The command line prints these as plain lines and exits 1; it never shows a traceback for them.
"""

from __future__ import annotations


class BpoKitError(Exception):
    """A problem with the user's input that the user can fix.

    ``problems`` holds one line per problem so that every mistake is reported at once.
    """

    def __init__(self, problems: str | list[str], hint: str | None = None):
        self.problems = [problems] if isinstance(problems, str) else list(problems)
        self.hint = hint
        super().__init__(self.render())

    def render(self) -> str:
        text = "\n".join(self.problems)
        if self.hint:
            text += f"\n{self.hint}"
        return text


class ConfigError(BpoKitError):
    """client.yaml is missing, unreadable or invalid."""


class InputFileError(BpoKitError):
    """An input file (inventory, vendors, KPIs, rates) cannot be used at all."""
