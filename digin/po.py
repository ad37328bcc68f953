"""The translators' workflow on PO files: extract the POT, update locales, init, stats.

polib reads and writes the files because it keeps what translators rely on and Babel
drops: the previous English of a changed string (`#| msgid`) and obsolete entries.
"""
from __future__ import annotations

import fnmatch
import re
from dataclasses import dataclass
from pathlib import Path

import polib

from .editions import build_date
from .errors import Problems
from .i18n import PO_LINE_WIDTH, content_strings, index, read_catalog, template_strings
from .load import load_toolkit, load_translator_notes
from .model import Toolkit
from .project import Project
from .publish import write_atomic

POT_NAME = "messages.pot"
UI_PART = "ui"


def _creation_date(toolkit: Toolkit) -> str:
    return build_date(toolkit).strftime("%Y-%m-%d %H:%M+0000")


def _metadata(toolkit: Toolkit) -> dict[str, str]:
    d = toolkit.deliverable
    return {
        "Project-Id-Version": f"{d.acronym} D{d.number} toolkit {d.revision}",
        "POT-Creation-Date": _creation_date(toolkit),
        "Language": "",
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
    }


def build_pot(project: Project) -> polib.POFile:
    """Every translatable string: content in document order, then the templates' UI strings."""
    toolkit = load_toolkit(project)
    notes = load_translator_notes(project)
    pot = polib.POFile(wrapwidth=PO_LINE_WIDTH, )
    pot.metadata = _metadata(toolkit)
    for text in content_strings(toolkit):
        file, line = text.where
        note = next((n.note for n in notes if fnmatch.fnmatchcase(text.key, n.keys)), "")
        pot.append(polib.POEntry(msgctxt=text.key, msgid=str(text), occurrences=[(file, str(line))], comment=note))
    ui: dict[str, polib.POEntry] = {}
    for msgid, file, line, comments in template_strings(project):
        entry = ui.setdefault(msgid, polib.POEntry(msgid=msgid, occurrences=[]))
        entry.occurrences.append((file, str(line)))
        entry.comment = "\n".join(dict.fromkeys([*filter(None, entry.comment.split("\n")), *comments]))
        if "%(" in msgid:
            entry.flags = ["python-format"]
    for entry in ui.values():
        pot.append(entry)
    return pot


def save(po: polib.POFile, path: Path) -> None:
    text = str(po)
    write_atomic(path, (text if text.endswith("\n") else text + "\n").encode("utf-8"))


def extract(project: Project) -> Path:
    path = project.locales / POT_NAME
    save(build_pot(project), path)
    return path


def _key(entry: polib.POEntry) -> tuple[str | None, str]:
    return entry.msgctxt, entry.msgid


def merge(pot: polib.POFile, po: polib.POFile) -> polib.POFile:
    """The locale's entries for the POT's strings; nothing a translator wrote is lost.

    Matched in this order, each old entry used once:
    1. same key and English: kept as it is;
    2. same English under another key (a moved paragraph): its translation, kept;
    3. same key, changed English: fuzzy, with the old translation and the previous
       English (`#| msgid`) so the translator sees what changed;
    4. otherwise new and empty.
    Old entries left over keep their translation as obsolete entries (`#~`).
    """
    old = [e for e in po if e.msgstr]
    matches: dict[int, polib.POEntry] = {}
    used: set[int] = set()

    def match(position, candidates):
        for candidate in candidates:
            if id(candidate) not in used:
                matches[position] = candidate
                used.add(id(candidate))
                return

    rules = (lambda t, e: _key(e) == _key(t),
             lambda t, e: e.msgid == t.msgid,
             lambda t, e: t.msgctxt is not None and e.msgctxt == t.msgctxt)
    for rule in rules:
        for position, template in enumerate(pot):
            if position not in matches:
                match(position, sorted((e for e in old if rule(template, e)), key=lambda e: e.obsolete))

    merged = polib.POFile(wrapwidth=PO_LINE_WIDTH, )
    merged.header, merged.metadata = po.header, dict(po.metadata)
    for position, template in enumerate(pot):
        entry = polib.POEntry(msgctxt=template.msgctxt, msgid=template.msgid, comment=template.comment,
                              occurrences=list(template.occurrences), flags=list(template.flags))
        previous = matches.get(position)
        if previous is not None:
            entry.msgstr, entry.tcomment = previous.msgstr, previous.tcomment
            if previous.msgid != template.msgid or previous.fuzzy:
                entry.flags.append("fuzzy")
                entry.previous_msgid = (previous.previous_msgid if previous.fuzzy and previous.previous_msgid
                                        else previous.msgid)
        merged.append(entry)
    for entry in old:
        if id(entry) not in used:
            entry.obsolete, entry.occurrences = True, []
            merged.append(entry)
    return merged


def update(project: Project, problems: Problems) -> list[Path]:
    """Merge the current strings into every locale."""
    pot = build_pot(project)
    save(pot, project.locales / POT_NAME)
    catalogs = {lang: read_catalog(project, lang, problems) for lang in project.languages()[1:]}
    problems.raise_if_any()
    written = []
    for lang, po in catalogs.items():
        save(merge(pot, po), project.po_file(lang))
        written.append(project.po_file(lang))
    return written


def init(project: Project, lang: str, problems: Problems) -> Path:
    """A new locale: every string empty, with a complete header."""
    from babel import Locale, UnknownLocaleError
    from babel.messages.plurals import get_plural

    path = project.po_file(lang)
    try:
        locale = Locale.parse(lang)
    except (ValueError, UnknownLocaleError):
        problems.add(project.shown(path), None, "LANG", f"{lang!r} is not a known language code (e.g. it, fr, de)")
        problems.raise_if_any()
    if path.exists():
        problems.add(project.shown(path), None, "LANG", "this locale exists already: use `i18n update`")
        problems.raise_if_any()
    pot = build_pot(project)
    po = merge(pot, polib.POFile(wrapwidth=PO_LINE_WIDTH))
    plural = get_plural(locale)
    po.header = f"{locale.english_name} translation of the toolkit. See TRANSLATING.md."
    po.metadata = {**pot.metadata, "Language": lang, "Language-Team": locale.english_name,
                   "PO-Revision-Date": pot.metadata["POT-Creation-Date"],
                   "Plural-Forms": f"nplurals={plural.num_plurals}; plural={plural.plural_expr};"}
    save(po, path)
    return path


@dataclass
class Count:
    translated: int = 0
    fuzzy: int = 0
    untranslated: int = 0
    translated_words: int = 0
    fuzzy_words: int = 0
    untranslated_words: int = 0

    def add(self, state: str, words: int) -> None:
        setattr(self, state, getattr(self, state) + 1)
        setattr(self, f"{state}_words", getattr(self, f"{state}_words") + words)

    @property
    def percent(self) -> float:
        total = self.translated + self.fuzzy + self.untranslated
        return round(100 * self.translated / total, 1) if total else 100.0


def part_of(key: str | None) -> str:
    """The part of the toolkit a string belongs to: the first segment of its key."""
    return key.split(".", 1)[0] if key else UI_PART


def stats(project: Project, problems: Problems) -> dict[str, dict]:
    """Per locale and per part: translated, fuzzy and untranslated strings and words."""
    pot = build_pot(project)
    result = {}
    for lang in project.languages()[1:]:
        po = read_catalog(project, lang, problems)
        if po is None:
            continue
        entries = index(po)
        total, parts = Count(), {}
        for template in pot:
            entry = entries.get(_key(template))
            state = ("untranslated" if entry is None or not entry.msgstr
                     else "fuzzy" if entry.fuzzy else "translated")
            words = len(re.findall(r"\w+", template.msgid))
            total.add(state, words)
            parts.setdefault(part_of(template.msgctxt), Count()).add(state, words)
        result[lang] = {"total": {**vars(total), "percent": total.percent},
                        "parts": {name: {**vars(c), "percent": c.percent} for name, c in sorted(parts.items())}}
    problems.raise_if_any()
    return result
