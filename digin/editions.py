"""Which artifacts exist: editions are data, crossed with languages and formats."""
from __future__ import annotations

import datetime
import os
import posixpath
from dataclasses import dataclass

from . import markup
from .errors import Problems
from .i18n import content_strings
from .model import Toolkit

@dataclass(frozen=True)
class Edition:
    """One artifact family: the toolkit, one practice, or one module's handout."""

    kind: str          # toolkit | practice | handout
    id: str
    template: str
    formats: tuple[str, ...]
    path_pattern: str
    each: str | None = None    # the toolkit's collection the item comes from

    def filename(self, toolkit: Toolkit, lang: str, fmt: str) -> str:
        d = toolkit.deliverable
        return self.path_pattern.format(lang=lang, id=self.id, format=fmt, acronym=d.acronym.lower(),
                                        number=d.number)

    def item(self, toolkit: Toolkit):
        """The practice or module this edition presents (from a localized toolkit)."""
        if self.each is None:
            return None
        return next(item for item in getattr(toolkit, self.each) if item.id == self.id)

    def title(self, toolkit: Toolkit) -> str:
        item = self.item(toolkit)
        return markup.to_text(item.title if item is not None else toolkit.deliverable.title)

def build_date(toolkit: Toolkit) -> datetime.datetime:
    """The date stamped into every output: SOURCE_DATE_EPOCH if set, else the content's own."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch:
        return datetime.datetime.fromtimestamp(int(epoch), datetime.timezone.utc)
    return datetime.datetime.combine(toolkit.deliverable.submission_date, datetime.time(), datetime.timezone.utc)


def editions(toolkit: Toolkit) -> list[Edition]:
    """Every edition content/editions.yaml declares, one per practice or module where asked."""
    found = []
    for kind in toolkit.editions.editions:
        ids = [item.id for item in getattr(toolkit, kind.each)] if kind.each else [kind.kind]
        found += [Edition(kind.kind, item_id, kind.template, kind.formats, kind.path, kind.each) for item_id in ids]
    return found


def link(from_path: str, to_path: str, base_url: str | None) -> str:
    """A link between two files of out/: relative (works when out/ is copied as a
    folder), or absolute under `base_url` (where out/ is published)."""
    if base_url:
        return f"{base_url.rstrip('/')}/{to_path}"
    return posixpath.relpath(to_path, posixpath.dirname(from_path) or ".")


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


def anchors(toolkit: Toolkit) -> set[str]:
    """Every id an internal link `[text](#id)` may point to (the templates set them)."""
    found = {entry.id for entry in toolkit_outline(toolkit)}   # chapters, practices, modules, resource groups
    found |= {f"section-{s.id}" for chapter in (toolkit.prose.introduction, toolkit.prose.framework)
              for s in chapter.sections}
    found |= {f"term-{t.id}" for t in toolkit.glossary.terms}
    found |= {f"resource-{r.id}" for g in toolkit.resources.groups for r in g.items}
    found |= {f"ref-{r.id}" for r in toolkit.references.references}
    return found


def check_links(toolkit: Toolkit, problems: Problems, where: str = "") -> None:
    """Every link of every string (a translation's too, `where` its PO file): an allowed
    scheme, and internal links to ids the toolkit has."""
    if where:   # the source's schemes were checked when it was loaded
        for text in content_strings(toolkit):
            for message in markup.problems(text):
                problems.add(where, None, text.key, message)
    for text, href in unknown_links(toolkit):
        problems.add(*((where, None) if where else text.where), text.key,
                     f"internal link {href!r} points to no id of the toolkit")


def unknown_links(toolkit: Toolkit):
    """(text, href) of every internal link `#id` to an id the toolkit does not have."""
    known = anchors(toolkit)
    for text in content_strings(toolkit):
        for href in markup.links(text):
            if href.startswith("#") and href[1:] not in known:
                yield text, href
