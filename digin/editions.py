"""Which artifacts exist: editions are data, crossed with languages and formats."""
from __future__ import annotations

from dataclasses import dataclass

from .model import Toolkit


@dataclass(frozen=True)
class Edition:
    kind: str          # toolkit | practice | handout
    id: str
    template: str

    def filename(self, toolkit: Toolkit, lang: str, fmt: str) -> str:
        d = toolkit.deliverable
        stem = f"{d.acronym.lower()}-d{d.number}-{self.id}-{lang}"
        return f"{lang}/{stem}.{fmt}"


def editions(toolkit: Toolkit) -> list[Edition]:
    return [Edition("toolkit", "toolkit", "toolkit.html.j2")]


@dataclass(frozen=True)
class TocEntry:
    level: int
    id: str
    title: str


def toolkit_outline(toolkit: Toolkit) -> list[TocEntry]:
    """The table of contents of the full edition: chapters and their main items."""
    prose = toolkit.prose
    entries = [TocEntry(1, "introduction", prose.introduction.title),
               TocEntry(1, "framework", prose.framework.title),
               TocEntry(1, "how-to-use", prose.how_to_use.title),
               TocEntry(1, "glossary", prose.glossary.title),
               TocEntry(1, "practices", prose.practices.title)]
    entries += [TocEntry(2, f"practice-{p.id}", p.title) for p in toolkit.practices]
    entries.append(TocEntry(1, "modules", prose.modules.title))
    entries += [TocEntry(2, f"module-{m.id}", f"{m.number}. {m.title}") for m in toolkit.modules]
    entries.append(TocEntry(1, "resources", prose.resources.title))
    entries += [TocEntry(2, f"resources-{g.id}", g.title) for g in toolkit.resources.groups]
    entries.append(TocEntry(1, "references", prose.references.title))
    return entries
