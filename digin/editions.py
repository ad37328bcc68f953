"""Which artifacts exist: editions are data, crossed with languages and formats."""
from __future__ import annotations

import posixpath
import re
import string
from dataclasses import dataclass

from . import markup
from .errors import Problems
from .i18n import content_strings
from .model import EditionKind, EditionKinds, Toolkit

PATH_FIELDS = ("lang", "id", "format", "acronym", "number")   # what a path template may use
# One file or folder name of a path in out/: safe on every system and in a URL.
_PATH_PART = re.compile(r"[A-Za-z0-9_][A-Za-z0-9._-]{0,127}")


@dataclass(frozen=True)
class Edition:
    """One artifact family: the toolkit, one practice, or one module's handout."""

    kind: str          # toolkit | practice | handout | any kind editions.yaml declares
    id: str
    template: str
    formats: tuple[str, ...]
    path_pattern: str
    each: str | None = None    # the toolkit's collection the item comes from
    cost: int = 1
    holds_every_id: bool = False

    @classmethod
    def of(cls, kind: EditionKind, item_id: str) -> "Edition":
        return cls(kind.kind, item_id, kind.template, kind.formats, kind.path, kind.each, kind.cost,
                   kind.holds_every_id)

    def filename(self, toolkit: Toolkit, lang: str, fmt: str) -> str:
        from .writers import extension   # here: the writers import modules that import this one

        d = toolkit.deliverable
        return self.path_pattern.format(lang=lang, id=self.id, format=extension(fmt), acronym=d.acronym.lower(),
                                        number=d.number)

    def item(self, toolkit: Toolkit):
        """The practice or module this edition presents (from a localized toolkit)."""
        if self.each is None:
            return None
        return next(item for item in getattr(toolkit, self.each) if item.id == self.id)

    def title(self, toolkit: Toolkit) -> str:
        item = self.item(toolkit)
        return markup.to_text(item.title if item is not None else toolkit.deliverable.title)


def template_problems(kinds: EditionKinds) -> list[tuple[int, str, str]]:
    """(edition index, field, message) for each path template that is not a plain relative
    path in out/ made of the documented fields, each one distinct for every target, and
    each format that no writer declares."""
    from .writers import FORMATS   # here: the writers import modules that import this one

    found = []
    for index, kind in enumerate(kinds.editions):
        found += [(index, "path", message) for message in _template_problems(kind.path, kind.each, kind.formats)]
        found += [(index, "formats", f"{fmt!r} is not a format: {', '.join(FORMATS)} (a writer module of "
                                     "digin/writers/)") for fmt in kind.formats if fmt not in FORMATS]
    return found


def _template_problems(template: str, each: str | None, formats: tuple[str, ...]) -> list[str]:
    if template.startswith("/") or ".." in template or "\\" in template:
        return [f"{template!r}: a path in out/ is relative, without '..' or '\\'"]
    try:
        fields = [(name, spec, conversion) for _text, name, spec, conversion in string.Formatter().parse(template)
                  if name is not None]
    except ValueError as error:   # a lone brace
        return [f"{template!r}: {error} (write a brace as {{{{ or }}}})"]
    found = []
    for name, spec, conversion in fields:
        if name not in PATH_FIELDS:
            found.append(f"{{{name}}} is not a field of a path: use {', '.join('{%s}' % f for f in PATH_FIELDS)}, "
                         "without attribute or index access")
        elif spec or conversion:
            found.append(f"{{{name}}}: a field of a path takes no format specification or conversion")
    if found:
        return found
    needed = ["lang"] + ["id"] * bool(each) + ["format"] * (len(set(formats)) > 1)
    found += [f"{template!r} needs {{{name}}}: without it two files would get the same path"
              for name in needed if name not in {field[0] for field in fields}]
    return found


def path_problems(toolkit: Toolkit, languages: list[str]) -> list[tuple[int, str, str]]:
    """(edition index, message) for the first target of an edition whose path (for these
    languages) is not a safe relative path in out/, or is another target's path too."""
    owners: dict[str, str] = {}
    found = []
    for index, kind in enumerate(toolkit.editions.editions):
        ids = [item.id for item in getattr(toolkit, kind.each)] if kind.each else [kind.kind]
        targets = [(Edition.of(kind, item_id), lang, fmt) for item_id in ids for lang in languages
                   for fmt in kind.formats]
        for edition, lang, fmt in targets:
            path = edition.filename(toolkit, lang, fmt)
            owner = f"{edition.kind} {edition.id!r} ({lang}, {fmt})"
            problem = _unsafe(path, fmt) or (f"also the path of {owners[path]}" if path in owners else None)
            if problem:
                found.append((index, "path", f"{path!r} of {owner}: {problem}"))
                break
            owners[path] = owner
    return found


def _unsafe(path: str, fmt: str) -> str | None:
    """What makes a target's path unsafe in out/, if anything."""
    for part in path.split("/"):
        if not _PATH_PART.fullmatch(part):
            return (f"{part!r} is not a safe file or folder name (letters, digits, '.', '_', '-', "
                    "not first '.' or '-', at most 128)")
    from .writers import extension

    if not path.endswith(f".{extension(fmt)}"):
        return f"the file name must end in .{extension(fmt)}"
    return None


def editions(toolkit: Toolkit) -> list[Edition]:
    """Every edition content/editions.yaml declares, one per practice or module where asked."""
    found = []
    for kind in toolkit.editions.editions:
        ids = [item.id for item in getattr(toolkit, kind.each)] if kind.each else [kind.kind]
        found += [Edition.of(kind, item_id) for item_id in ids]
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


def refuse_bad_links(toolkit: Toolkit, problems: Problems, where: str = "") -> None:
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
