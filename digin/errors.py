"""Problems found in the project's input, reported all together with their location."""
from __future__ import annotations

from dataclasses import dataclass

import click


@dataclass(frozen=True)
class Problem:
    file: str
    line: int | None
    field: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return f"{where}: {self.field}: {self.message}" if self.field else f"{where}: {self.message}"


class ContentError(click.ClickException):
    """Expected, user-facing failure: bad content, translations, templates or assets."""

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(problems, key=lambda p: (p.file, p.line or 0, p.field))
        count = len(self.problems)
        summary = f"{count} problem{'s' if count != 1 else ''} found; nothing was written."
        super().__init__("\n".join(map(str, self.problems)) + "\n" + summary)


class Problems:
    """Collects problems so that one run reports all of them, then stops once."""

    def __init__(self) -> None:
        self.items: list[Problem] = []

    def add(self, file: str, line: int | None, field: str, message: str) -> None:
        self.items.append(Problem(file, line, field, message))

    def raise_if_any(self) -> None:
        if self.items:
            raise ContentError(self.items)
