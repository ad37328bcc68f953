"""What guides translators, as data in locales/: notes on the interface strings
(notes.yaml, shown as `#.` comments in the PO files) and the strings meant to stay as
they are (keep.yaml: names, English-only titles), which `check` honours."""
from __future__ import annotations

import fnmatch
from dataclasses import dataclass
from pathlib import Path

from .errors import Problems
from .limits import project_limits
from .model import InterfaceNotes, Keep
from .project import Project
from .schema import convert_file
from .yamlsource import read_yaml

NOTES_FILE = "notes.yaml"
KEEP_FILE = "keep.yaml"


def _read(project: Project, name: str, cls, problems: Problems):
    path: Path = project.locales / name
    if not path.exists():
        return cls()
    shown = project.shown(path)
    limits = project_limits(project)
    data = read_yaml(path, shown, problems, limits, project.locales)
    result = convert_file(cls, data, shown, name.removesuffix(".yaml"), problems, limits) if data is not None else None
    return result if result is not None else cls()


def interface_notes(project: Project, problems: Problems) -> dict[str, str]:
    """msgid -> the note on that interface string."""
    return {note.msgid: note.note for note in _read(project, NOTES_FILE, InterfaceNotes, problems).notes}


@dataclass(frozen=True)
class Kept:
    """How a string's translation relates to its English, by locales/keep.yaml."""

    english: bool = False     # must stay as in the English
    name: bool = False        # may stay as in the English
    why: str = ""


def keep_rules(project: Project, problems: Problems) -> Keep:
    return _read(project, KEEP_FILE, Keep, problems)


def kept(rules: Keep, key: str | None) -> Kept:
    """The rule for one string key (interface strings have none: they are translated)."""
    if key is None:
        return Kept()
    for rule in rules.english:
        if fnmatch.fnmatchcase(key, rule.keys):
            return Kept(english=True, why=rule.why)
    for rule in rules.names:
        if fnmatch.fnmatchcase(key, rule.keys):
            return Kept(name=True, why=rule.why)
    return Kept()
