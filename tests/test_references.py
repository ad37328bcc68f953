"""Citations and the reference list in the built files (issue 12): in every language and
format, each in-text citation names a work of the same document's reference list, with
the year suffixes, the "no date" term and the order APA gives; organisations are named
alike in both; and no PO file holds a citation for translators to touch."""
from __future__ import annotations

import re
import unicodedata
import zipfile

import docx
import polib
import pytest
from lxml import etree, html

from conftest import LANGS
from digin import markup
from digin.check import citations_in
from digin.i18n import content_strings
from digin.load import load_toolkit
from pdftext import page_texts

FORMATS = ("pdf", "epub", "docx")
NO_DATE = {"en": "n.d.", "nl": "z.d.", "it": "s.d."}
YEAR = r"\d{4}[a-z]?|[nsz]\.d\."
PARENTHETICAL = re.compile(rf"\(([^()]*?(?:{YEAR})(?:, pp?\. [\w–-]+)?)\)")
ITEM = re.compile(rf"^(?P<names>[^,].*?),\s*(?P<year>{YEAR})(?:, pp?\. [\w–-]+)?$")
NARRATIVE = re.compile(rf"(?P<names>[A-Z][\w’'-]+(?: et al\.| (?:and|en|e|&) [A-Z][\w’'-]+)?) \((?P<year>{YEAR})\)")
XHTML = {"x": "http://www.w3.org/1999/xhtml"}


def edition(built, lang: str, fmt: str):
    return built / lang / f"digin-d2.2-toolkit-{lang}.{fmt}"


def epub_parts(path) -> tuple[str, list[str]]:
    """(the text of every chapter but the reference list, the list's entries)."""
    body, entries = [], []
    with zipfile.ZipFile(path) as book:
        for name in sorted(n for n in book.namelist() if n.endswith(".xhtml") and not n.endswith("nav.xhtml")):
            root = etree.fromstring(book.read(name))
            items = root.xpath("//x:ul[@class='references']/x:li", namespaces=XHTML)
            if items:
                entries = [" ".join("".join(li.itertext()).split()) for li in items]
            else:
                body.append(" ".join("".join(root.find("x:body", XHTML).itertext()).split()))
    return "\n".join(body), entries


def docx_parts(path) -> tuple[str, list[str]]:
    paragraphs = docx.Document(str(path)).paragraphs
    entries = [p.text for p in paragraphs if p.style.name == "Bibliography"]
    return "\n".join(p.text for p in paragraphs if p.style.name != "Bibliography"), entries


def pdf_parts(path, heading: str) -> tuple[str, str]:
    """(the text before the reference list, the list's text): split at the list's heading,
    the last time the text shows it (the table of contents names it too)."""
    text = "\n".join(page_texts(path))
    split = text.rindex(heading)
    return text[:split], text[split + len(heading):]


@pytest.fixture(scope="module")
def references(project):
    return load_toolkit(project).references.references


@pytest.fixture(scope="module")
def cited_works(project, references) -> set[str]:
    """The ids of the works the content cites by key (and that exist)."""
    toolkit = load_toolkit(project)
    keys = {c.ref for term in toolkit.glossary.terms for c in term.citations}
    keys |= {c.ref for text in content_strings(toolkit) for cite in markup.cites(text) for c in cite.citations}
    return keys & {ref.id for ref in references}


@pytest.fixture(scope="module")
def documents(built):
    """(lang, format) -> (text before the list, the list's text, its entries; None for the PDF)."""
    found = {}
    for lang in LANGS:
        body, entries = epub_parts(edition(built, lang, "epub"))
        found[lang, "epub"] = body, "\n".join(entries), entries
        body, entries = docx_parts(edition(built, lang, "docx"))
        found[lang, "docx"] = body, "\n".join(entries), entries
        with zipfile.ZipFile(edition(built, lang, "epub")) as book:
            heading = html.fromstring(book.read("EPUB/references.xhtml")).findtext(".//h1")
        body, listed = pdf_parts(edition(built, lang, "pdf"), heading)
        found[lang, "pdf"] = body, listed, None
    return found


def citations(text: str) -> list[tuple[str, str]]:
    """(names, year) of every parenthetical and narrative citation of a text (a PDF's text
    may lose the space after a comma or semicolon at the end of a line)."""
    text = " ".join(text.split())
    found = [(m["names"], m["year"]) for group in PARENTHETICAL.findall(text)
             for m in map(ITEM.match, re.split(r";\s*", group)) if m]
    return found + [(m["names"], m["year"]) for m in NARRATIVE.finditer(text)]


def first_name(names: str) -> str:
    return re.split(r"\s*&\s*| and | en | e |\s*et\s*al\.|,", names)[0]


def compact(text: str) -> str:
    """Text without spaces and line-end hyphens: a PDF's text has neither reliably."""
    return re.sub(r"(?<=[a-z])-(?=[a-z])", "", re.sub(r"\s+", "", text))


def listed(names: str, year: str, listing: str) -> bool:
    """Whether the list has an entry by this first author (or organisation) and year."""
    entry = (re.escape(compact(first_name(names))) + r"(?:\.|,[^()]{0,200}?)\("
             + re.escape(year) + r"\)")
    return re.search(entry, compact(listing)) is not None


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("lang", LANGS)
def test_every_citation_matches_an_entry_of_the_same_documents_list(documents, cited_works, lang, fmt):
    body, listing, _ = documents[lang, fmt]
    found = citations(body)
    assert len({(compact(n), y) for n, y in found}) == len(cited_works) > 30, found   # one text per work
    missing = sorted({c for c in found if not listed(*c, listing)})
    assert not missing, f"{lang} {fmt}: cited but not listed: {missing}"
    no_date = NO_DATE[lang]
    years = {year for _, year in found}
    assert {"2020a", "2020b", "2016a", "2016b", no_date} <= years
    assert not {"n.d.", "z.d.", "s.d."} - {no_date} & years          # one language's term only
    assert ("Mahajan et al.", "2024") in found                       # @mahajan-2024, in the sentence
    for suffixed in ("(2020a)", "(2020b)", "(2016a)", "(2016b)", f"({no_date})"):
        assert suffixed in listing
    assert "[@" not in body and "@mahajan" not in body               # no marker left as written


@pytest.mark.parametrize("lang", LANGS)
def test_the_three_formats_cite_the_same_works(documents, lang):
    cited = {fmt: {(compact(n), y) for n, y in citations(documents[lang, fmt][0])} for fmt in FORMATS}
    assert cited["pdf"] == cited["epub"] == cited["docx"]


def apa_order(entry: str) -> tuple:
    """APA's order: the authors letter by letter (accents, case and punctuation aside,
    "nothing precedes something"), then the date with no date first, then the title."""
    head, date, title = re.match(rf"(.*?)\.? \(({YEAR})\)\. (.*)", entry).groups()

    def letters(text):
        plain = unicodedata.normalize("NFKD", text.casefold())
        return "".join(ch for ch in plain if ch.isalnum() or ch == " ")
    return letters(head), (0, "") if date.endswith(".") else (1, date), letters(title)


@pytest.mark.parametrize("lang", LANGS)
def test_the_list_is_in_apa_order_in_every_format(documents, references, lang):
    entries = documents[lang, "epub"][2]
    assert len(entries) == len(references)
    assert entries == sorted(entries, key=apa_order)
    assert documents[lang, "docx"][2] == entries
    heads = [compact(re.match(rf".*?\(({YEAR})\)", entry)[0]) for entry in entries]
    listing, position = compact(documents[lang, "pdf"][1]), -1
    for head in heads:                    # the PDF lists them in the same order
        position = listing.index(head, position + 1)
    world = [e for e in entries if e.startswith("World Health Organization.")]
    assert [apa_order(e)[1] for e in world] == [(0, ""), (1, "2001"), (1, "2025")]   # no date first


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("lang", LANGS)
def test_organisations_are_named_alike_in_citation_and_list(documents, references, lang, fmt):
    """Names stay in their original language (TRANSLATING.md, "Names in citations")."""
    body, listing, _ = documents[lang, fmt]
    cited = {compact(names) for names, _ in citations(body)}
    organisations = {ref.organisation for ref in references if ref.organisation}
    named = [name for name in organisations if compact(name) in cited]
    assert len(named) >= 8, named
    for name in named:       # cited as "Name, year" and listed as "Name. (year)"
        assert f"{compact(name)}.(" in compact(listing), (lang, fmt, name)
    translated = ("Wereldgezondheidsorganisatie", "Organizzazione Mondiale della Sanità", "Europees Instituut",
                  "Istituto europeo", "Nazioni Unite", "Verenigde Naties")      # the seed's translated citations
    assert not [name for name in translated if any(compact(name) in n for n in cited)
                or compact(name) in compact(listing)]


def test_no_po_file_holds_a_citation(project):
    for path in sorted(project.locales.glob("*.po*")):
        for entry in polib.pofile(str(path)):
            if entry.obsolete:
                continue
            assert ".citations" not in (entry.msgctxt or ""), (path.name, entry.msgctxt)
            for text in (entry.msgid, entry.msgstr):
                assert citations_in(text) == [], (path.name, entry.msgctxt, citations_in(text))
