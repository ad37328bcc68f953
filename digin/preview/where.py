"""Where is this string? (`build.py i18n where`, and the preview's /where page)

Finds a translatable string — by its key (the PO msgctxt, or a template string's msgid)
or by a piece of its text in any language — in the files of the last build: for each
language, the artifacts of out/ that show it, with the PDF pages it is on, read from the
PDFs' own text (their layout, as built). Text is compared on letters and digits only, so
line breaks, hyphenation, typographic quotes and dashes do not hide a match; a string
that spans a page break is on both pages.
"""
from __future__ import annotations

import bisect
import hashlib
import io
import re
import unicodedata
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from .. import markup
from ..errors import ContentError, Problem, Problems
from ..i18n import content_strings, template_strings, translated, translator_for
from ..load import load_toolkit
from ..project import Project
from ..publish import MANIFEST, plain_path, read_manifest

MAX_KEYS = 20                   # a query that matches more strings lists the first ones
MAX_MEMBER_BYTES = 50_000_000   # read at most this much of one EPUB or DOCX part
_PLACEHOLDER = re.compile(r"%\([^)]*\)[-#0 +]*\d*(?:\.\d*)?[a-zA-Z]|%[-#0 +]*\d*(?:\.\d*)?[a-zA-Z]")


@dataclass
class Found:
    path: str                   # the artifact, relative to out/
    pages: list[int] = field(default_factory=list)   # PDF pages (1-based); [] for EPUB and DOCX


@dataclass
class Match:
    key: str | None             # None: the query as plain text, not a known string
    lang: str
    text: str                   # what the artifacts of `lang` show for it
    found: list[Found]


def normalized(text: str) -> str:
    """Letters and digits only, case-folded: what survives layout and extraction alike."""
    return "".join(ch for ch in unicodedata.normalize("NFKC", text).casefold() if ch.isalnum())


def find(project: Project, out: Path, query: str, langs: list[str] | None = None,
         fresh: dict[str, bytes] | None = None) -> list[Match]:
    """Every artifact (and PDF page) of the last build in `out` that shows `query`.
    `fresh`: newer bytes for some artifacts (the preview's own PDFs), by path."""
    artifacts = _artifacts(out, langs, fresh or {})
    strings, english = _strings(project, sorted({entry["locale"] for entry in artifacts}))
    keys = _keys(strings, english, query)
    matches = []
    for key in keys:
        for lang, texts in sorted(strings[key].items()):
            matches.append(Match(key, lang, texts, _search(artifacts, lang, texts)))
    if not keys:
        for lang in sorted({entry["locale"] for entry in artifacts}):
            matches.append(Match(None, lang, query, _search(artifacts, lang, query)))
    return matches


def _artifacts(out: Path, langs: list[str] | None, fresh: dict[str, bytes]) -> list[dict]:
    """The manifest's PDF, EPUB and DOCX entries (of `langs`), each with a way to read it."""
    entries = [entry for entry in read_manifest(out)
               if isinstance(entry, dict) and plain_path(str(entry.get("path", "")))
               and entry.get("format") in ("pdf", "epub", "docx") and (not langs or entry.get("locale") in langs)]
    if not entries:
        raise ContentError([Problem(str(out / MANIFEST), None, "",
                                    "no artifacts listed: build first (python build.py build)")],
                           summary="nothing to search.")
    for entry in entries:
        entry["read"] = (lambda data=fresh[entry["path"]]: data) if entry["path"] in fresh else \
            (lambda path=out / entry["path"]: _read(path))
    return entries


def _read(path: Path) -> bytes | None:
    try:
        return None if path.is_symlink() or not path.is_file() else path.read_bytes()
    except OSError:
        return None


def _strings(project: Project, langs: list[str]) -> tuple[dict[str, dict[str, str]], dict[str, str]]:
    """(key -> lang -> the plain text that language's artifacts show: a translation, or the
    English a draft falls back to; key -> its English)."""
    toolkit = load_toolkit(project)
    sources = {text.key: str(text) for text in content_strings(toolkit)}
    ui = {msgid: msgid for msgid, *_rest in template_strings(project)}
    problems = Problems()
    catalogs = {lang: translator_for(project, lang, problems).entries for lang in langs}
    problems.raise_if_any()
    found: dict[str, dict[str, str]] = {}
    for key, english in [*sources.items(), *ui.items()]:
        context = key if key in sources else None
        found[key] = {}
        for lang, entries in catalogs.items():
            entry = entries.get((context, english)) if entries is not None else None
            found[key][lang] = markup.to_text(entry.msgstr if translated(entry) else english)
    return found, {key: markup.to_text(english) for key, english in [*sources.items(), *ui.items()]}


def _keys(strings: dict[str, dict[str, str]], english: dict[str, str], query: str) -> list[str]:
    """The key itself, else the keys whose text (English or as shown) contains the query."""
    if query in strings:
        return [query]
    wanted = normalized(query)
    if not wanted:
        return []
    return [key for key, texts in strings.items()
            if any(wanted in normalized(text) for text in (english[key], *texts.values()))][:MAX_KEYS]


def _search(artifacts: list[dict], lang: str, text: str) -> list[Found]:
    """The artifacts of `lang` that show `text`: its longest part between placeholders."""
    needle = max((normalized(part) for part in _PLACEHOLDER.split(text)), key=len, default="")
    if not needle:
        return []
    found = []
    for entry in artifacts:
        if entry["locale"] != lang:
            continue
        data = entry["read"]()
        if data is None:
            continue
        parts = _texts(entry["format"], data)
        pages = _pages(parts, needle)
        if pages:
            found.append(Found(entry["path"], pages if entry["format"] == "pdf" else []))
    return found


def _pages(parts: tuple[str, ...], needle: str) -> list[int]:
    """The (1-based) parts on which `needle` starts, ends or lies."""
    starts, offset = [], 0
    for part in parts:
        starts.append(offset)
        offset += len(part)
    whole = "".join(parts)
    pages: set[int] = set()
    position = whole.find(needle)
    while position >= 0:
        first = _part_at(starts, position)
        last = _part_at(starts, position + len(needle) - 1)
        pages.update(range(first + 1, last + 2))
        position = whole.find(needle, position + 1)
    return sorted(pages)


def _part_at(starts: list[int], position: int) -> int:
    return bisect.bisect_right(starts, position) - 1


_TEXTS: dict[str, tuple[str, ...]] = {}   # sha256 of an artifact -> its normalized text (per process)


def _texts(fmt: str, data: bytes) -> tuple[str, ...]:
    """The normalized text of an artifact: one part per PDF page, one part for the others."""
    digest = hashlib.sha256(data).hexdigest()
    if digest not in _TEXTS:
        if len(_TEXTS) >= 64:
            _TEXTS.pop(next(iter(_TEXTS)))
        if fmt == "pdf":
            from ..pdfpages import page_texts   # needed by this command only

            _TEXTS[digest] = tuple(normalized(text) for text in page_texts(data))
        else:
            _TEXTS[digest] = (normalized(_zip_text(data, ".xhtml" if fmt == "epub" else "word/document.xml")),)
    return _TEXTS[digest]


def _zip_text(data: bytes, suffix: str) -> str:
    """The text of the XML parts of an EPUB or DOCX (its chapters, its body)."""
    from lxml import etree

    texts = []
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for name in sorted(archive.namelist()):
            if name.endswith(suffix):
                with archive.open(name) as member:
                    xml = member.read(MAX_MEMBER_BYTES)
                parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
                texts.append(" ".join(etree.fromstring(xml, parser).itertext()))
    return " ".join(texts)


def report(matches: list[Match]) -> list[str]:
    """The lines `i18n where` prints."""
    lines, key = [], object()
    for match in matches:
        if match.key != key:
            key = match.key
            lines.append(f"{match.key}" if match.key is not None else "(not a translatable string: searched as text)")
        shown = match.text if len(match.text) <= 70 else match.text[:67] + "..."
        lines.append(f"  {match.lang}: {shown!r}")
        for found in match.found:
            pages = f": {'page' if len(found.pages) == 1 else 'pages'} {', '.join(map(str, found.pages))}" \
                if found.pages else ""
            lines.append(f"    {found.path}{pages}")
        if not match.found:
            lines.append("    (in no artifact of the last build)")
    return lines
