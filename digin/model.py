"""The toolkit's content model: frozen dataclasses whose field types are the schema.

`Text` fields are translatable; `str` fields are data. See docs/content-model.md.
"""
from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Literal, Union

from .text import Text


class Id(str):
    """An identifier that becomes a file name, an anchor and an XML id (practice, module,
    term, resource, reference, section ...): the schema accepts only lowercase letters,
    digits and single hyphens, of limited length (see docs/content-model.md)."""


@dataclass(frozen=True)
class Bullets:
    bullets: tuple[Text, ...]


@dataclass(frozen=True)
class Numbered:
    numbered: tuple[Text, ...]


Block = Union[Text, Bullets, Numbered]
Blocks = tuple[Block, ...]


@dataclass(frozen=True)
class Deliverable:
    acronym: str
    project_title: str
    grant_agreement: str
    project_start: datetime.date
    duration_months: int
    number: str
    title: Text
    due_date: datetime.date
    submission_date: datetime.date
    file_name: str
    responsible_organisation: str
    authors: tuple[str, ...]
    revision: str
    status: Literal["final", "draft"]
    dissemination: Literal["public", "sensitive"]
    partners: tuple[str, ...]
    disclaimer: Blocks
    funding: Text
    how_to_cite: str
    # Where out/ is published: links between the files become absolute under it (the
    # build's --base-url overrides it); None: relative links, which work inside out/.
    publication_url: str | None = None
    # Who readers of a practice or handout can write to (markup: a mailto link); None:
    # the responsible organisation and the authors are named instead.
    contact: Text | None = None


@dataclass(frozen=True)
class Section:
    id: Id
    title: Text
    body: Blocks = ()


@dataclass(frozen=True)
class Chapter:
    title: Text
    body: Blocks = ()
    sections: tuple[Section, ...] = ()


@dataclass(frozen=True)
class Part:
    lead: Text
    text: Text | None = None
    id: Id | None = None     # optional: names the item in its strings' keys (else its first words)


@dataclass(frozen=True)
class Tip:
    title: Text
    text: Text
    id: Id | None = None


@dataclass(frozen=True)
class HowToUse:
    title: Text
    body: Blocks
    parts: tuple[Part, ...]
    tips_intro: Text
    tips: tuple[Tip, ...]
    closing: Blocks = ()


@dataclass(frozen=True)
class Listing:
    """A chapter that lists items kept in files of their own, in this order."""

    title: Text
    order: tuple[Id, ...]
    body: Blocks = ()


@dataclass(frozen=True)
class Prose:
    introduction: Chapter
    framework: Chapter
    how_to_use: HowToUse
    glossary: Chapter
    practices: Listing
    modules: Listing
    resources: Chapter
    references: Chapter


@dataclass(frozen=True)
class Citation:
    """A citation by key: the reference's id, and where in the work (a page or a range).
    Its text is made from the reference data in each edition's language (bibliography.py),
    so it is never translated and always matches the reference list."""

    ref: Id
    page: str | None = None


@dataclass(frozen=True)
class Term:
    id: Id
    term: Text
    definition: Blocks
    citations: tuple[Citation, ...] = ()
    note: Text | None = None


@dataclass(frozen=True)
class Glossary:
    terms: tuple[Term, ...]


@dataclass(frozen=True)
class Phase:
    title: Text
    body: Blocks
    id: Id | None = None


@dataclass(frozen=True)
class Lesson:
    title: Text
    text: Blocks
    id: Id | None = None


@dataclass(frozen=True)
class LinkItem:
    text: Text
    id: Id | None = None


@dataclass(frozen=True)
class Practice:
    id: Id
    title: Text
    municipality: Text
    country: Text
    introduction: Blocks
    objective: Blocks
    impact: Blocks
    phases: tuple[Phase, ...]
    dos: tuple[Lesson, ...]
    donts: tuple[Lesson, ...]
    replication: Blocks
    contact: Blocks
    lessons_title: Text | None = None
    closing: Blocks = ()
    links: tuple[LinkItem, ...] = ()


@dataclass(frozen=True)
class Module:
    id: Id
    number: int
    title: Text
    description: Blocks
    objectives_intro: Text
    objectives: tuple[Text, ...]
    participants: tuple[Text, ...]
    materials: Text
    participants_intro: Text | None = None
    participants_closing: Blocks = ()
    duration: Text | None = None
    format: Text | None = None


@dataclass(frozen=True)
class Resource:
    id: Id
    title: Text
    language: str
    description: Blocks
    access: Text
    developer: str | None = None
    change_agent_intro: Text | None = None
    change_agent: Union[Bullets, Numbered, None] = None
    recommendation: Text | None = None


@dataclass(frozen=True)
class ResourceGroup:
    id: Id
    title: Text
    items: tuple[Resource, ...]


@dataclass(frozen=True)
class Resources:
    groups: tuple[ResourceGroup, ...]


@dataclass(frozen=True)
class Reference:
    id: Id
    type: Literal["article", "book", "chapter", "report", "web", "legal", "other"]
    title: str
    year: str
    authors: tuple[str, ...] = ()
    organisation: str | None = None
    container: str | None = None
    editors: tuple[str, ...] = ()
    edition: str | None = None
    volume: str | None = None
    issue: str | None = None
    pages: str | None = None
    publisher: str | None = None
    place: str | None = None
    doi: str | None = None
    url: str | None = None   # "" : the work is online but its address is lost (printed as not available)
    accessed: datetime.date | None = None
    note: str | None = None


@dataclass(frozen=True)
class References:
    references: tuple[Reference, ...]


@dataclass(frozen=True)
class Toolkit:
    """Everything in content/, validated, in the source language."""

    deliverable: Deliverable
    prose: Prose
    glossary: Glossary
    practices: tuple[Practice, ...]
    modules: tuple[Module, ...]
    resources: Resources
    references: References
    editions: "EditionKinds"


@dataclass(frozen=True)
class TranslatorNote:
    keys: str      # a glob over string keys, e.g. "glossary.terms.*.citations.*"
    note: str      # shown to translators as a `#.` comment


@dataclass(frozen=True)
class TranslatorNotes:
    notes: tuple[TranslatorNote, ...]


@dataclass(frozen=True)
class InterfaceNote:
    msgid: str     # an interface string of the templates, as `_()` gives it
    note: str      # where it appears and what it means: a `#.` comment in the PO files


@dataclass(frozen=True)
class InterfaceNotes:
    notes: tuple[InterfaceNote, ...] = ()


@dataclass(frozen=True)
class KeptStrings:
    keys: str      # a glob over string keys (msgctxt)
    why: str = ""  # shown to translators as a `#.` comment


@dataclass(frozen=True)
class Keep:
    """Strings meant to stay as they are (locales/keep.yaml): `english` ones must stay as
    in the English (a translation is flagged), `names` may (identical is no finding)."""

    english: tuple[KeptStrings, ...] = ()
    names: tuple[KeptStrings, ...] = ()


@dataclass(frozen=True)
class EditionKind:
    """One kind of artifact (content/editions.yaml); the file's order is the download
    page's order."""

    kind: Id
    template: str
    formats: tuple[str, ...]         # writer modules of digin/writers/ (checked when loading)
    path: str
    heading: Text                    # the download page's heading over this kind's files
    each: Literal["practices", "modules"] | None = None
    cost: int = 1                    # relative render time of one of its editions (scheduling)
    holds_every_id: bool = False     # the full toolkit: the other editions link to it for ids they lack
    max_pages: int | None = None     # a printed edition's page limit (the typesetting check holds it)


@dataclass(frozen=True)
class EditionKinds:
    editions: tuple[EditionKind, ...]


@dataclass(frozen=True)
class FileBytes:
    """The largest file the pipeline reads, per folder of the project."""

    content: int = 2_000_000     # one YAML file; the largest today is ~17 kB
    locales: int = 5_000_000     # one PO file; a complete locale is ~200 kB
    templates: int = 1_000_000   # one template; the largest is ~5 kB
    styles: int = 5_000_000      # a stylesheet, font or image; the largest font is ~700 kB


@dataclass(frozen=True)
class Limits:
    """Bounds on the input (content/limits.yaml), so that no content or translation can
    make a build run for ever or exhaust memory. These defaults apply where the file, or
    one of its fields, is absent."""

    file_bytes: FileBytes = FileBytes()
    nesting_depth: int = 20        # YAML lists and mappings inside each other; today 7
    list_items: int = 2_000        # entries of one YAML list or mapping; today 40
    string_chars: int = 20_000     # one string of content or translation; today 1,312
    id_chars: int = 64             # one id; today 37
    placeholder_width: int = 20    # width or precision of a %(name)s placeholder; today none
