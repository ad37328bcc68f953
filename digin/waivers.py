"""Release waivers (content/waivers.yaml): a known problem that staff accept for a release
while it waits for its owner — who accepted it, why, and until when.

`build --release` refuses every error of `check` except a waived one; it prints the waived
findings and records the waivers in out/manifest.json. An expired waiver waives nothing
(and is itself reported). Dates are compared with today's date: a waiver is a decision in
time, not part of the content's build date.
"""
from __future__ import annotations

import datetime
from dataclasses import asdict, dataclass

from .errors import ERROR, Problem, Problems
from .limits import project_limits
from .project import Project
from .schema import convert_file
from .yamlsource import read_yaml

FILE = "waivers.yaml"


@dataclass(frozen=True)
class Waiver:
    code: str                  # the finding's code, as `check --format json` shows it
    match: str                 # text that the finding's message contains
    accepted_by: str           # who decided
    reason: str                # why the release may go out with it
    expires: datetime.date     # the last day it holds
    file: str | None = None    # only findings of this file (as `check` shows it)

    def covers(self, finding: Problem) -> bool:
        return (finding.code == self.code and self.match in finding.message
                and (self.file is None or self.file == finding.file))


@dataclass(frozen=True)
class Waivers:
    waivers: tuple[Waiver, ...] = ()


def load_waivers(project: Project, problems: Problems) -> tuple[Waiver, ...]:
    """The waivers of content/waivers.yaml (none if the file does not exist)."""
    path = project.content / FILE
    if not path.exists():
        return ()
    shown = project.shown(path)
    limits = project_limits(project)
    data = read_yaml(path, shown, problems, limits, project.content)
    result = convert_file(Waivers, data, shown, "waivers", problems, limits) if data is not None else None
    return result.waivers if result is not None else ()


def apply_waivers(project: Project, findings: list[Problem], today: datetime.date | None = None):
    """(the errors no waiver covers — expired waivers included —, [(waived finding, its waiver)])."""
    problems = Problems()
    waivers = load_waivers(project, problems)
    today = today or datetime.date.today()
    shown = project.shown(project.content / FILE)
    refused, waived = list(problems.items), []
    for finding in (f for f in findings if f.severity == ERROR):
        waiver = next((w for w in waivers if w.covers(finding)), None)
        if waiver is None:
            refused.append(finding)
        elif waiver.expires < today:
            refused.append(finding)
            refused.append(Problem(shown, None, "expires", f"the waiver of {finding.code} ({waiver.match!r}) "
                                   f"expired on {waiver.expires.isoformat()}: renew it or fix the problem",
                                   code="waiver-expired"))
        else:
            waived.append((finding, waiver))
    return refused, waived


def as_record(finding: Problem, waiver: Waiver) -> dict:
    """A waived finding as out/manifest.json records it."""
    return {"finding": {"file": finding.file, "line": finding.line, "code": finding.code,
                        "message": finding.message},
            "waiver": {key: (value.isoformat() if isinstance(value, datetime.date) else value)
                       for key, value in asdict(waiver).items() if value is not None}}
