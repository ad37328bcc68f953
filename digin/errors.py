"""Problems: the one type for everything the pipeline finds wrong — in the content, a
translation, a template, an asset, the output folder — with its location, severity, a
code (for JSON output and waivers) and a hint on what to do."""
from __future__ import annotations

from dataclasses import dataclass

import click

ERROR, WARNING = "error", "warning"


@dataclass(frozen=True)
class Problem:
    file: str
    line: int | None
    field: str
    message: str
    severity: str = ERROR
    code: str = ""
    hint: str = ""

    def location(self) -> str:
        return f"{self.file}:{self.line}" if self.line else self.file

    def __str__(self) -> str:
        where = self.location()
        return f"{where}: {self.field}: {self.message}" if self.field else f"{where}: {self.message}"


class ContentError(click.ClickException):
    """Expected, user-facing failure: bad content, translations, templates or assets, or an
    output folder that cannot take the files. Shown without a traceback."""

    def __init__(self, problems: list[Problem], summary: str = "nothing was written."):
        self.problems = sorted(problems, key=lambda p: (p.file, p.line or 0, p.field))
        count = len(self.problems)
        heading = f"{count} problem{'s' if count != 1 else ''} found; {summary}"
        super().__init__("\n".join(map(str, self.problems)) + "\n" + heading)


class Problems:
    """Collects problems so that one run reports all of them, then stops once."""

    def __init__(self) -> None:
        self.items: list[Problem] = []

    def add(self, file: str, line: int | None, field: str, message: str, **details) -> None:
        self.items.append(Problem(file, line, field, message, **details))

    def raise_if_any(self) -> None:
        errors = [p for p in self.items if p.severity == ERROR]
        if errors:
            raise ContentError(errors)
