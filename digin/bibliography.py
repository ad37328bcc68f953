"""Citations and the reference list, made by a CSL processor (citeproc-py) with the APA
7th edition style and the CSL locale of the edition's language (styles/csl/, vendored).

Content cites by key (model.Citation, markup.Cite); the text of a citation and of its
entry both come from the reference data here, so they match in every language.
citeproc-py does not disambiguate, so the year suffixes (2016a, 2016b) are given here:
works whose citations would read the same get a, b ... in the order of their titles, as
APA asks. It does not sort by a language's collation either: the list is sorted here,
in the edition language's order (digin/collation.py).
"""
from __future__ import annotations

import dataclasses
import functools
import html
import io
import json
import re
from dataclasses import dataclass
from typing import Callable

from citeproc import Citation as CslCitation
from citeproc import CitationItem, CitationStylesBibliography, CitationStylesStyle, formatter
from citeproc.frontend import CitationStylesXML
from citeproc.model import CitationStylesElement
from citeproc.source import Locator
from citeproc.source.json import CiteProcJSON
from lxml import etree
from markupsafe import Markup

from .assets import read_styles_file
from .cache import Memo, remembered
from .collation import sort_key
from .errors import ContentError, Problem
from .model import Citation, Reference, References
from .project import Project, base_language, text_direction

STYLE = "csl/apa.csl"
# The CSL locale file of each edition language (a language without one uses en-US,
# which is also where a locale's missing terms come from).
LOCALES = {"en": "en-US", "nl": "nl-NL", "it": "it-IT"}
FALLBACK_LOCALE = "en-US"
LIBRARIES = ("citeproc-py", "pyicu-wheels", "lxml")   # what formats the list: part of its cache key
CSL_TYPES = {"article": "article-journal", "book": "book", "chapter": "chapter", "report": "report",
             "web": "webpage", "legal": "report",   # laws and treaties by their issuing body, as the seed cites them
             "other": "document"}
_URL = re.compile(r"https?://[^\s<>\"]+?(?=[.,;]?(?:\s|<|$))")
# Punctuation the style adds after a title or name that ends in its own: "it?." -> "it?"
# (CSL processors suppress it; citeproc-py does not).
_DOUBLE_PUNCTUATION = re.compile(r"([.?!])((?:</em>)?)\.(?=\s|$)")


@dataclass(frozen=True)
class CslFiles:
    """The style and locale files of one language, as read from styles/csl/."""

    style: bytes
    locale: bytes
    fallback: bytes


def csl_files(project: Project, lang: str) -> CslFiles:
    """The CSL files for `lang`, read confined to styles/ (FileRefused if one is missing)."""
    tag = LOCALES.get(base_language(lang), FALLBACK_LOCALE)
    return CslFiles(read_styles_file(project, STYLE), read_styles_file(project, f"csl/locales-{tag}.xml"),
                    read_styles_file(project, f"csl/locales-{FALLBACK_LOCALE}.xml"))


def _creator(ref: Reference) -> str:
    return " ".join(ref.authors) if ref.authors else ref.organisation or ""


def _order(ref: Reference, key: Callable[[str], bytes]) -> tuple:
    """APA's order of the list: authors, then date (no date first), then title, in the
    language's alphabetical order (`key`)."""
    year = str(ref.year)
    return key(_creator(ref)), (1, year) if year.isdigit() else (0, ""), key(ref.title)


def _person(name: str, inverted: bool) -> dict:
    """"Surname, I." (authors) or "I. Surname" (editors, as the seed writes them)."""
    if inverted and "," in name:
        family, given = (part.strip() for part in name.split(",", 1))
    else:
        given, _, family = name.rpartition(" ")
    return {"family": family, "given": given}


def csl_item(ref: Reference, suffix: str = "") -> dict:
    """One reference as CSL-JSON, its text escaped for HTML (citeproc's html formatter
    escapes only the style's own words, and content is untrusted)."""
    ref = dataclasses.replace(ref, **{f.name: html.escape(value, quote=False) for f in dataclasses.fields(ref)
                                     if isinstance(value := getattr(ref, f.name), str) and f.name != "id"},
                              authors=tuple(html.escape(a, quote=False) for a in ref.authors),
                              editors=tuple(html.escape(e, quote=False) for e in ref.editors))
    item = {"id": ref.id, "type": CSL_TYPES[ref.type], "title": ref.title}
    item["author"] = ([_person(a, True) for a in ref.authors] if ref.authors
                      else [{"literal": ref.organisation}] if ref.organisation else [])
    if str(ref.year).isdigit():
        item["issued"] = {"date-parts": [[int(ref.year)]]}
    optional = {"container-title": ref.container, "volume": ref.volume, "issue": ref.issue, "page": ref.pages,
                "publisher": ref.publisher, "publisher-place": ref.place, "DOI": ref.doi, "URL": ref.url or None,
                "note": ref.note, "year-suffix": suffix or None}
    item.update({key: value for key, value in optional.items() if value})
    if ref.editors:
        item["editor"] = [_person(e, False) for e in ref.editors]
    if ref.edition and (number := re.match(r"\d+", ref.edition)):
        item["edition"] = number[0]
    if ref.accessed:
        item["accessed"] = {"date-parts": [[ref.accessed.year, ref.accessed.month, ref.accessed.day]]}
    return item


_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
_uncached_xpath_search = CitationStylesElement.xpath_search


def _xpath_search(element, expression):
    """citeproc-py 0.11 evaluates the same few XPath expressions (macro lookups, inherited
    options) some 18,000 times per bibliography: half of its time. The style and locale
    trees are not changed once parsed, so each answer is kept, on the tree's root (lxml
    elements take no weak references; the cache lives and dies with its tree)."""
    root = element.getroottree().getroot()
    cache = root.__dict__.setdefault("xpath_cache", {})
    key = (element, expression)
    if key not in cache:
        cache[key] = _uncached_xpath_search(element, expression)
    return cache[key]


CitationStylesElement.xpath_search = _xpath_search


def _xml(data: bytes, name: str):
    try:
        return CitationStylesXML(io.BytesIO(data), validate=False).root
    except etree.XMLSyntaxError as error:
        problem = Problem(f"styles/{name}", error.lineno, "", f"not a valid CSL file: {error.msg}")
        raise ContentError([problem]) from None


class _Style(CitationStylesStyle):
    """The APA style with the vendored locales only: citeproc's own constructor would read
    its package's locale files, outside styles/."""

    def __init__(self, files: CslFiles):
        self.root = _xml(files.style, STYLE)
        locales = [_xml(data, "csl/locales-*.xml") for data in dict.fromkeys((files.locale, files.fallback))]
        tag = locales[0].get(_LANG, "")
        # As citeproc orders them: the style's own locales for the language (or for none) first.
        in_style = [locale for locale in self.root.xpath_search("./cs:locale")
                    if locale.get(_LANG) in (None, tag, tag.split("-")[0])]
        self.root.locales = in_style + locales
        for locale in self.root.locales:
            locale.style = self.root


def _processor(ordered: list[Reference], style: _Style, suffixes: dict[str, str]) -> CitationStylesBibliography:
    """A CSL processor that knows every work, registered in the list's order (citeproc
    lists them in the order they are registered)."""
    source = CiteProcJSON([csl_item(ref, suffixes.get(ref.id, "")) for ref in ordered])
    processor = CitationStylesBibliography(style, source, formatter.html)
    for ref in ordered:
        processor.register(CslCitation([CitationItem(ref.id)]))
    return processor


def _text(rendered) -> str:
    return "".join(map(str, rendered)) if isinstance(rendered, list) else str(rendered)


def _html(rendered) -> str:
    """citeproc's HTML as the writers read it: <em>, not <i>."""
    return re.sub(r"<(/?)i>", r"<\1em>", _text(rendered))


def _linked(entry: str, lang: str) -> Markup:
    """Addresses (URLs, DOIs as https://doi.org/...) as links; in a right-to-left
    language, set apart as left-to-right text."""
    ltr = ' dir="ltr"' if text_direction(lang) == "rtl" else ""
    return Markup(_URL.sub(lambda m: f'<a href="{m[0]}"{ltr}>{m[0]}</a>', entry))


class Bibliography:
    """Every reference formatted in one language: `entries` in APA's order, `cite()`
    and `narrative()` for in-text citations. A key it does not know cites nothing
    (`check` reports it)."""

    def __init__(self, references: tuple[Reference, ...], files: CslFiles, lang: str):
        self.references = {ref.id: ref for ref in references}
        key = sort_key(lang)
        ordered = sorted(references, key=lambda ref: _order(ref, key))
        style = _Style(files)
        # The list and the year suffixes take the CSL processor 0.15 s per language: kept
        # between runs (digin/cache.py), they are made again only when an input changes.
        self.suffixes, entries = remembered("references", (references, files, lang), LIBRARIES,
                                            lambda: self._formatted(ordered, style, key, lang))
        self.entries = [(ref_id, Markup(entry)) for ref_id, entry in entries]
        self.ordered, self.style = ordered, style
        # Each in-text citation takes it 1-2 ms, and a toolkit has some 25: kept likewise.
        self.cited = Memo("citations", (references, files, lang), LIBRARIES)
        style.root.formatter = formatter.html      # as a processor sets it: terms are read through it
        self.and_term = str(style.root.get_single_term("and"))

    @functools.cached_property
    def processor(self) -> CitationStylesBibliography:
        """The CSL processor of the in-text citations, made when one is not in the cache."""
        return _processor(self.ordered, self.style, self.suffixes)

    @classmethod
    def _formatted(cls, ordered: list[Reference], style: "_Style", key: Callable[[str], bytes],
                   lang: str) -> tuple[dict[str, str], list[tuple[str, str]]]:
        """(the year suffixes, [(id, entry as HTML)] in the list's order)."""
        suffixes = cls._suffixes(ordered, style, key)
        processor = _processor(ordered, style, suffixes)
        entries = [(item.key, str(_linked(_DOUBLE_PUNCTUATION.sub(r"\1\2", _html(entry).strip()), lang)))
                   for item, entry in zip(processor.items, processor.bibliography())]
        return suffixes, entries

    @staticmethod
    def _suffixes(references: list[Reference], style: "_Style", key: Callable[[str], bytes]) -> dict[str, str]:
        plain = CitationStylesBibliography(style, CiteProcJSON([csl_item(r) for r in references]),
                                           formatter.plain)
        by_text: dict[str, list[Reference]] = {}
        for ref in references:
            citation = CslCitation([CitationItem(ref.id)])
            plain.register(citation)
            by_text.setdefault(_text(plain.cite(citation, lambda item: None)), []).append(ref)
        return {ref.id: "abcdefghijklmnopqrstuvwxyz"[i]
                for same in by_text.values() if len(same) > 1
                for i, ref in enumerate(sorted(same, key=lambda r: key(r.title)))}

    def listed(self, missing_note: str) -> list[tuple[str, Markup]]:
        """The entries, a work whose address is lost (url "") marked as markup's [text]()
        marks a lost link."""
        note = Markup(' <span class="missing-link-note">{}</span>').format(missing_note)
        return [(key, entry + note if self.references[key].url == "" else entry) for key, entry in self.entries]

    def cite(self, citations: tuple[Citation, ...]) -> Markup | None:
        """One parenthetical citation of several works: "(Arao & Clemens, 2013; Edwards,
        2006)"; None if it names no known work."""
        cited = [c for c in citations if c.ref in self.references]
        items = [CitationItem(c.ref, **({"locator": Locator("page", html.escape(c.page))} if c.page else {}))
                 for c in cited]
        if not items:
            return None
        question = json.dumps([[item.key, c.page] for item, c in zip(items, cited)])
        return Markup(self.cited.get(question, lambda: self._cite(items)))

    def _cite(self, items: list[CitationItem]) -> str:
        citation = CslCitation(items)
        self.processor.register(citation)
        return _html(self.processor.cite(citation, lambda item: None))

    def narrative(self, citation: Citation) -> Markup | None:
        """A citation in the sentence: "Mahajan et al. (2024)", "Arao and Clemens (2013)"
        (APA spells out "and" outside parentheses)."""
        cited = self.cite((Citation(citation.ref),))
        if cited is None:
            return None
        names, _, date = str(cited)[1:-1].rpartition(", ")
        if len(self.references[citation.ref].authors) == 2:
            names = names.replace(" &amp; ", f" {html.escape(self.and_term)} ")
        return Markup(f"{names} ({date})")

    def author(self, ref_id: str) -> str:
        """The author of a work as its citation names it, as plain text."""
        return Markup(self.cite((Citation(ref_id),))).striptags()[1:-1].rpartition(", ")[0]


@functools.lru_cache(maxsize=8)
def bibliography(references: References, files: CslFiles, lang: str) -> Bibliography:
    """The bibliography of the toolkit's references in one language (made once per process)."""
    return Bibliography(references.references, files, lang)
