"""The toolkit's content model: frozen dataclasses whose field types are the schema.

`Text` fields are translatable; `str` fields are data. See docs/content-model.md.
"""
from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Literal, Union

from .text import Text


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


@dataclass(frozen=True)
class Section:
    id: str
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


@dataclass(frozen=True)
class Tip:
    title: Text
    text: Text


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
    order: tuple[str, ...]
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
class Term:
    id: str
    term: Text
    definition: Blocks
    citations: tuple[Text, ...] = ()
    note: Text | None = None


@dataclass(frozen=True)
class Glossary:
    terms: tuple[Term, ...]


@dataclass(frozen=True)
class Phase:
    title: Text
    body: Blocks


@dataclass(frozen=True)
class Lesson:
    title: Text
    text: Blocks


@dataclass(frozen=True)
class LinkItem:
    text: Text


@dataclass(frozen=True)
class Practice:
    id: str
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
    id: str
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
    id: str
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
    id: str
    title: Text
    items: tuple[Resource, ...]


@dataclass(frozen=True)
class Resources:
    groups: tuple[ResourceGroup, ...]


@dataclass(frozen=True)
class Reference:
    id: str
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
    url: str | None = None
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
class EditionKind:
    """One kind of artifact (content/editions.yaml)."""

    kind: str
    template: str
    formats: tuple[Literal["pdf", "epub", "docx"], ...]
    path: str
    each: Literal["practices", "modules"] | None = None


@dataclass(frozen=True)
class EditionKinds:
    editions: tuple[EditionKind, ...]
