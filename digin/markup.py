"""The inline markup of content strings: **bold**, *italic*, [text](target). Nothing else.

Raw HTML is never interpreted (it comes out as text). Link targets are limited to
http(s), mailto, internal `#id` references and the empty target `()` of a lost link,
which is rendered visibly marked instead of as a dead link.
"""
from __future__ import annotations

import functools
import re

from markdown_it import MarkdownIt
from markupsafe import Markup, escape

ALLOWED_SCHEMES = ("https://", "http://", "mailto:")
_EMAIL = re.compile(r"^[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}$")
_TAGS = {"strong": "strong", "em": "em"}
# Links the templates make between the artifacts of out/ (relative, or absolute with
# --base-url), optionally to an id inside the target. Content itself cannot use them.
ARTIFACT_LINK = re.compile(r"^(?:\.\./)*[\w.-]+(?:/[\w.-]+)*\.(?:pdf|epub|docx|html)(?:#[\w-]+)?$")


@functools.lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    return MarkdownIt("zero", {"html": False}).enable(["emphasis", "link", "escape"])


@functools.lru_cache(maxsize=8192)
def _inline_tokens(text: str) -> tuple:
    """The tokens of one string, parsed once: a build renders the same string many times
    (every edition and format that shows it, and its checks). Read-only for the callers."""
    tokens = _parser().parseInline(str(text))
    return tuple(tokens[0].children) if tokens else ()


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
    return found


def to_html(text: str, missing_link_label: str) -> Markup:
    """Render one string to safe inline HTML."""
    out: list[str] = []
    missing = False
    for token in _inline_tokens(text):
        kind = token.type
        if kind == "text":
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
            out.append('<span class="missing-link">' if missing else f'<a href="{escape(href)}">')
        elif kind == "link_close":
            out.append(f' <span class="missing-link-note">{escape(missing_link_label)}</span></span>'
                       if missing else "</a>")
        else:  # the parser only produces the tokens above; anything else is a bug
            raise ValueError(f"unexpected markup token {kind!r}")
    return Markup("".join(out))


def to_text(text: str) -> str:
    """The string without markup, e.g. for metadata and sorting."""
    return "".join(t.content for t in _inline_tokens(text) if t.type == "text")
