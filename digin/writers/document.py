"""The one rendered HTML of an edition, as every writer reads it.

The templates put the document's metadata in <head> (so it is translated like any UI
string); writers take it from here instead of re-deciding it.
"""
from __future__ import annotations

import datetime
from dataclasses import dataclass

from lxml import html as lxml_html

from ..project import text_direction


@dataclass(frozen=True)
class Document:
    root: object                    # lxml.html element of <html>
    lang: str
    title: str
    short_title: str
    authors: tuple[str, ...]
    description: str
    keywords: str
    publisher: str
    identifier: str                 # stable per edition and language
    created: datetime.datetime      # the build date source (SOURCE_DATE_EPOCH or content)
    accessibility_summary: str
    missing_link_note: str          # the mark of a link whose target cannot be reached
    landmarks_title: str
    generator: str

    @property
    def body(self):
        return self.root.find("body")

    @property
    def direction(self) -> str:
        """"ltr" or "rtl": the template's <html dir>, else the script direction of the language."""
        declared = self.root.get("dir")
        return declared if declared in ("ltr", "rtl") else text_direction(self.lang)


def _meta(root, name: str, default: str = "") -> str:
    found = root.xpath("/html/head/meta[@name=$name]/@content", name=name)
    return found[0] if found and found[0] else default


def parse_document(html: str) -> Document:
    root = lxml_html.document_fromstring(html)
    created = datetime.datetime.fromisoformat(_meta(root, "dcterms.created"))
    return Document(
        root=root,
        lang=root.get("lang"),
        title=root.findtext("head/title"),
        short_title=_meta(root, "short-title"),
        authors=tuple(root.xpath("/html/head/meta[@name='author']/@content")),
        description=_meta(root, "description"),
        keywords=_meta(root, "keywords"),
        publisher=_meta(root, "dcterms.publisher"),
        identifier=_meta(root, "dcterms.identifier"),
        created=created,
        accessibility_summary=_meta(root, "accessibility-summary"),
        missing_link_note=_meta(root, "missing-link-note"),
        landmarks_title=_meta(root, "landmarks-title"),
        generator=_meta(root, "generator", default="toolkit pipeline"),
    )
