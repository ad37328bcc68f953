"""The inline markup of content strings: **bold**, *italic*, [text](target). Nothing else.

Raw HTML is never interpreted (it comes out as text). Link targets are limited to
http(s), mailto, internal `#id` references and the empty target `()` of a lost link,
which is rendered visibly marked instead of as a dead link.

Text in a language of styles/typography.yaml gets that language's quotes, apostrophe and
dash (markdown-it's smartquotes): authors and translators type plain ' " and " - ".
Link targets are never touched.

A citation names its works by key (Pandoc's syntax): `[@who-nd; @eige-2016a, p. 4]` in
parentheses, `@mahajan-2024` in the sentence ("Mahajan et al. (2024)"). Its text is made
by the caller (`cite`, the edition's bibliography), never by the string: a translation
keeps the markers as they are. `\\@` is a plain at sign.
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from types import SimpleNamespace
from typing import Callable

import yaml
from markdown_it import MarkdownIt
from markdown_it.rules_core.smartquotes import process_inlines
from markdown_it.token import Token
from markupsafe import Markup, escape

from .model import Citation
from .project import ROOT, base_language, text_direction

# An e-mail address in running text (check compares them; the typesetting check keeps them whole).
EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
# A URL or an e-mail address, as a link's whole text shows one.
ADDRESS = re.compile(rf"(?:https?://|www\.)\S+|{EMAIL.pattern}", re.I)

ALLOWED_SCHEMES = ("https://", "http://", "mailto:")
_EMAIL = re.compile(r"^[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}$")
_TAGS = {"strong": "strong", "em": "em"}
# Links the templates make between the artifacts of out/ (relative, or absolute with
# --base-url), optionally to an id inside the target. Content itself cannot use them.
ARTIFACT_LINK = re.compile(r"^(?:\.\./)*[\w.-]+(?:/[\w.-]+)*\.(?:pdf|epub|docx|html)(?:#[\w-]+)?$")


TYPOGRAPHY_FILE = ROOT / "styles" / "typography.yaml"
_SPACED_DASH = re.compile(r"(?<=\S) +(?:-{1,3}|\u2013|\u2014) +(?=\S)|(?<=\w)\u2014(?=\w)")


_KEY = r"[a-z0-9]+(?:-[a-z0-9]+)*"    # a reference's id (schema.ID_PATTERN)
# A parenthetical citation, or a narrative one: @ not after a letter (an e-mail address),
# a slash or colon (an address: https://example.org/@name), a bracket (an unfinished
# citation) or a backslash.
_CITE = re.compile(rf"\[@[^\[\]]*\]|(?<![\w@.:/\\\[])@{_KEY}(?![\w@])")
_CITE_ITEM = re.compile(rf"\s*@(?P<key>{_KEY})(?:,\s*pp?\.\s*(?P<page>\w+(?:\s*[-–]\s*\w+)?))?\s*")
CITE_HELP = "write [@id], [@id, p. 4] or [@id; @id] with the ids of content/references.yaml"


@dataclass(frozen=True)
class Cite:
    """A citation by key, as written in a string (`source`)."""

    source: str
    citations: tuple[Citation, ...]
    narrative: bool = False


def _parse_cite(source: str) -> Cite | None:
    """The citation `source` (a match of _CITE) means, or None if it is malformed."""
    if not source.startswith("["):
        return Cite(source, (Citation(source[1:]),), narrative=True)
    items = [_CITE_ITEM.fullmatch(item) for item in source[1:-1].split(";")]
    if not all(items):
        return None
    return Cite(source, tuple(Citation(m["key"], re.sub(r"\s+", "", m["page"]) if m["page"] else None)
                              for m in items))


def _with_cites(content: str) -> list[str | Cite]:
    """A text's pieces: plain text and citations (a malformed one stays text)."""
    pieces: list[str | Cite] = []
    last = 0
    for match in _CITE.finditer(content):
        if (cite := _parse_cite(match[0])) is not None:
            pieces += [content[last:match.start()], cite]
            last = match.end()
    pieces.append(content[last:])
    return [piece for piece in pieces if piece != ""]


def cites(text: str) -> list[Cite]:
    """Every citation by key in a string, in order."""
    return [piece for token in _inline_tokens(text) if token.type == "text"
            for piece in _with_cites(token.content) if isinstance(piece, Cite)]


def cite_problems(text: str) -> list[str]:
    """What is wrong with the citations by key of a string (not whether the ids exist)."""
    found = []
    for token in _inline_tokens(text):
        if token.type != "text":
            continue
        for match in _CITE.finditer(token.content):
            if _parse_cite(match[0]) is None:
                found.append(f"malformed citation {match[0][:60]!r}: {CITE_HELP}")
        if "[@" in _CITE.sub("", token.content):
            found.append(f"unfinished citation (no closing bracket, or markup inside it): {CITE_HELP}")
    return found


@functools.lru_cache(maxsize=1)
def typography() -> dict[str, dict[str, str]]:
    """Per language: `quotes` (4 characters: open, close, inner open, inner close), `dash`,
    and optionally `dates` (see dates_locale)."""
    return yaml.safe_load(TYPOGRAPHY_FILE.read_text(encoding="utf-8")) or {}


def dates_locale(lang: str) -> str:
    """The CLDR locale whose long date a language's editions use: its own, unless its
    typography names another (English: en_150, "31 March 2026", not the US order)."""
    return (_style(lang) or {}).get("dates", lang)


def _style(lang: str | None) -> dict[str, str] | None:
    """A language's typography; a regional variant (nl-BE, nl_BE) takes its language's."""
    if not lang:
        return None
    return typography().get(lang) or typography().get(base_language(lang))


@functools.lru_cache(maxsize=8)
def _parser(quotes: str | None = None) -> MarkdownIt:
    rules = ["emphasis", "link", "escape"] + (["smartquotes"] if quotes else [])
    # Escapes (\@, \*) stay tokens of their own (no text_join): their text is never a citation.
    return MarkdownIt("zero", {"html": False, "typographer": bool(quotes), "quotes": quotes or "“”‘’"}).enable(
        rules).disable("text_join")


@functools.lru_cache(maxsize=8192)
def _inline_tokens(text: str, lang: str | None = None) -> tuple:
    """The tokens of one string, parsed once: a build renders the same string many times
    (every edition and format that shows it, and its checks). Read-only for the callers.
    With `lang`, text tokens carry that language's quotes and dashes."""
    style = _style(lang)
    tokens = _parser(style["quotes"] if style else None).parseInline(str(text))
    children = tuple(tokens[0].children) if tokens else ()
    if style:
        for token in children:
            if token.type == "text":
                token.content = _dashes(token.content, style["dash"])
    return children


def _dashes(text: str, dash: str) -> str:
    """A dash between clauses, typed " - ", " -- ", " — " or "—", as the language sets it."""
    return _SPACED_DASH.sub(dash, text)


def typographic_texts(texts: list[str], lang: str | None) -> list[str]:
    """The pieces of one paragraph's text (split by its inline elements) with the
    language's quotes, apostrophe and dash: quotes pair across the pieces."""
    style = _style(lang)
    if not style or not any(re.search(r"['\"]| -{1,3} |\u2014", t) for t in texts):
        return texts
    tokens = [Token("text", "", 0, content=text) for text in texts]
    process_inlines(tokens, SimpleNamespace(md=SimpleNamespace(options=SimpleNamespace(quotes=style["quotes"]))))
    return [_dashes(token.content, style["dash"]) for token in tokens]


def link_problem(href: str) -> str | None:
    """Why a link target is not acceptable, or None."""
    if href == "" or (href.startswith("#") and len(href) > 1):
        return None
    if href.startswith("mailto:"):
        address = href[len("mailto:"):]
        return None if _EMAIL.match(address) else f"malformed e-mail address in link: {address!r}"
    if href.startswith(ALLOWED_SCHEMES[:2]):
        return None
    if href == "#":
        return "link target '#' is a placeholder: leave the target empty, [text](), if it is unknown"
    return f"link target {href!r} not allowed (use https://, http://, mailto: or #id)"


def links(text: str) -> list[str]:
    """Every link target in a string, in order."""
    return [t.attrGet("href") or "" for t in _inline_tokens(text) if t.type == "link_open"]


_ANY_TARGET = re.compile(r"\]\(\s*<?([A-Za-z][A-Za-z0-9+.-]*):")


def problems(text: str) -> list[str]:
    found = [p for p in map(link_problem, links(text)) if p]
    # The parser drops links with unsafe schemes (javascript:, data:, ...) to plain text;
    # refuse them anyway so that the author learns about them.
    for scheme in _ANY_TARGET.findall(text):
        if scheme.lower() not in ("http", "https", "mailto"):
            found.append(f"link scheme {scheme + ':'!r} not allowed (use https://, http://, mailto: or #id)")
    return found + cite_problems(text)


def to_html(text: str, missing_link_label: str, cite: Callable[[Cite], Markup | None] | None = None) -> Markup:
    """Render one string to safe inline HTML, typographic in its language (a Text's).
    `cite` gives a citation's HTML (None: a key it does not know); without it, or for
    such a key, the citation is shown as written."""
    out: list[str] = []
    missing = False
    lang = getattr(text, "lang", None)
    isolate = bool(lang) and text_direction(lang) == "rtl"
    tokens = _inline_tokens(text, lang)
    for index, token in enumerate(tokens):
        kind = token.type
        if kind == "text":
            for piece in _with_cites(token.content):
                shown = cite(piece) if cite and isinstance(piece, Cite) else None
                out.append(shown if shown is not None else escape(getattr(piece, "source", piece)))
        elif kind == "text_special":   # an escaped character
            out.append(escape(token.content))
        elif kind in ("softbreak", "hardbreak"):
            out.append(" ")
        elif kind.endswith("_open") and kind[:-5] in _TAGS:
            out.append(f"<{_TAGS[kind[:-5]]}>")
        elif kind.endswith("_close") and kind[:-6] in _TAGS:
            out.append(f"</{_TAGS[kind[:-6]]}>")
        elif kind == "link_open":
            href = token.attrGet("href") or ""
            missing = href == "" or (link_problem(href) is not None and not ARTIFACT_LINK.match(href))
            # In right-to-left text, a link that shows an address reads left to right, set apart.
            ltr = ' dir="ltr"' if isolate and _shows_address(tokens, index) else ""
            out.append('<span class="missing-link">' if missing else f'<a href="{escape(href)}"{ltr}>')
        elif kind == "link_close":
            out.append(f' <span class="missing-link-note">{escape(missing_link_label)}</span></span>'
                       if missing else "</a>")
        else:  # the parser only produces the tokens above; anything else is a bug
            raise ValueError(f"unexpected markup token {kind!r}")
    return Markup("".join(out))


def _shows_address(tokens, start: int) -> bool:
    """Whether the link opened at tokens[start] shows a URL or an e-mail address as its text."""
    shown = []
    for token in tokens[start + 1:]:
        if token.type == "link_close":
            break
        shown.append(token.content)
    return bool(ADDRESS.fullmatch("".join(shown).strip()))


def to_text(text: str) -> str:
    """The string without markup, e.g. for metadata and sorting."""
    return "".join(t.content for t in _inline_tokens(text) if t.type in ("text", "text_special"))


# The elements whose text is one run of prose (quotes pair inside one of them).
TEXT_BLOCKS = {"p", "li", "h1", "h2", "h3", "h4", "h5", "h6", "td", "th", "caption", "dt", "dd"}


def typographic_html(html: str) -> str:
    """An edition's HTML with every text in its language's quotes, apostrophe and dash —
    the interface strings and references too, not only the content's markup — so every
    format gets them and translators type plain text."""
    from lxml import html as lxml_html

    root = lxml_html.document_fromstring(html)
    changed = False
    for element in root.find("body").iter(*TEXT_BLOCKS):
        pieces = list(text_pieces(element, top=True))
        if not pieces:
            continue
        lang = element.xpath("string(ancestor-or-self::*[@lang][1]/@lang)") or None
        before = [getattr(node, attr) for node, attr in pieces]
        after = typographic_texts(before, lang)
        if after != before:
            changed = True
            for (node, attr), text in zip(pieces, after):
                setattr(node, attr, text)
    return "<!DOCTYPE html>\n" + lxml_html.tostring(root, encoding="unicode") if changed else html


def text_pieces(element, top=False):
    """(node, "text" | "tail") of the block's own text, in order: not inside addresses
    (left as written) or nested blocks (done on their own)."""
    skip = not top and (element.tag in TEXT_BLOCKS or "address" in (element.get("class") or "").split())
    if not skip and element.text:
        yield element, "text"
    if not skip:
        for child in element:
            if isinstance(child.tag, str):
                yield from text_pieces(child)
    if not top and element.tail:
        yield element, "tail"
