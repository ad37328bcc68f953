"""Translations: the strings of the model and templates, PO catalogs, and localization.

A content string is looked up by (msgctxt = its stable key, msgid = its English text):
when the English changes, the old translation no longer applies until a translator
reviews it. Fuzzy and missing entries fall back to English and are reported.
"""
from __future__ import annotations

import dataclasses
import io
import re
from dataclasses import dataclass, field

import polib

from .assets import FileRefused, read_project_file
from .errors import Problems
from .limits import project_limits
from .model import Limits
from .project import SOURCE_LANGUAGE, Project
from .text import Text

PO_LINE_WIDTH = 79   # one fixed width for every PO/POT file, so diffs stay small
# A %-directive as Python's `%` operator reads it: %(name)s, %5d, %-.3f, %% ...
_DIRECTIVE = re.compile(r"%(?:\((?P<name>[^)]*)\))?[-#0 +]*(?P<width>\d*)(?:\.(?P<precision>\d*))?[hlL]?(?P<type>.?)",
                        re.DOTALL)
_TYPES = "diouxXeEfFgGcrsa"


def content_strings(obj) -> list[Text]:
    """Every non-empty translatable string of a model object, in document order."""
    found: list[Text] = []

    def walk(value):
        if isinstance(value, Text):
            if value:
                found.append(value)
        elif dataclasses.is_dataclass(value):
            for f in dataclasses.fields(value):
                walk(getattr(value, f.name))
        elif isinstance(value, tuple):
            for item in value:
                walk(item)

    walk(obj)
    return found


def read_catalog(project: Project, lang: str, problems: Problems) -> polib.POFile | None:
    path = project.po_file(lang)
    shown = project.shown(path)
    if not path.exists():
        problems.add(shown, None, "", f"no translation file for locale {lang!r}")
        return None
    try:
        text = read_project_file(project, path, project_limits(project).file_bytes.locales).decode("utf-8")
        catalog = parse_catalog(text)
        catalog.fpath = str(path)
    except FileRefused as error:
        problems.items.append(error.problem)
        return None
    except UnicodeDecodeError as error:
        problems.add(shown, None, "", f"not valid UTF-8 (byte {error.start})")
        return None
    except (OSError, ValueError) as error:  # polib: "Syntax error in po file X (line N)"
        match = re.search(r"\(line (\d+)\)", str(error))
        message = re.sub(r" in po file (?:.*? )?\(line \d+\)", "", str(error))
        problems.add(shown, int(match.group(1)) if match else None, "", f"malformed PO file: {message}")
        return None
    seen: set = set()   # polib's own duplicate check is quadratic: this one is not
    for entry in catalog:
        key = (entry.msgctxt, entry.msgid, entry.obsolete)
        if key in seen:
            problems.add(shown, entry.linenum, entry.msgctxt or "", f"duplicate entry for {entry.msgid[:50]!r}")
        seen.add(key)
    return catalog


def parse_catalog(text: str) -> polib.POFile:
    """A PO file's text as polib reads it, with what polib misses: the previous English of
    an obsolete entry (`#~| msgid`, as msgmerge writes it) is read as for a current one."""
    text = re.sub(r"(?m)^#~\| ", "#| ", text)
    # polib takes a string without a line break for a file name: a PO file ends in one.
    return polib.pofile(text if text.endswith("\n") else text + "\n", encoding="utf-8", wrapwidth=PO_LINE_WIDTH)


def placeholders(text: str, formatted: bool) -> list[str]:
    """The %-directives of a string, sorted: with `formatted` (the English has a named
    placeholder, so the `%` operator fills it) every one but %%; else the named ones."""
    found = [m.group() for m in _DIRECTIVE.finditer(text)
             if m.group() != "%%" and (formatted or (m["name"] is not None and m["type"] and m["type"] in _TYPES))]
    return sorted(found)


def placeholder_problem(source: str, translation: str, limits: Limits) -> str | None:
    """What is wrong with a translation's placeholders, if anything: each must be the
    English one, and none wider than the limit (a width is memory and time)."""
    formatted = bool(placeholders(source, False))
    for match in _DIRECTIVE.finditer(translation):
        if not formatted and match["name"] is None:
            continue   # a percent sign in prose
        for digits in (match["width"], match["precision"]):
            # Compared as text first: int() refuses a number of more than 4,300 digits.
            if digits and (len(digits) > 9 or int(digits) > limits.placeholder_width):
                width = f"{int(digits):,}" if len(digits) <= 9 else f"of {len(digits):,} digits"
                return (f"placeholder {match.group()[:30]!r}: width {width} is over the limit of "
                        f"{limits.placeholder_width} (placeholder_width in content/limits.yaml)")
    expected, found = placeholders(source, formatted), placeholders(translation, formatted)
    if expected != found:
        return (f"placeholders differ from the English: {' '.join(expected) or 'none'} in the English, "
                f"{' '.join(found)[:200] or 'none'} in the translation (keep them as they are)")
    return None


def check_catalog(catalog: polib.POFile, shown: str, limits: Limits, problems: Problems) -> None:
    """Every translation in use: placeholders as in the English, length within the limit.
    Checked in every build, since a translation is filled in and rendered."""
    for entry in catalog:
        if entry.obsolete or not translated(entry):
            continue
        field = entry.msgctxt or entry.msgid[:40]
        if len(entry.msgstr) > limits.string_chars:
            problems.add(shown, entry.linenum, field, f"translation of {len(entry.msgstr):,} characters, more than "
                         f"the limit of {limits.string_chars:,} (string_chars in content/limits.yaml)")
        problem = placeholder_problem(entry.msgid, entry.msgstr, limits)
        if problem:
            problems.add(shown, entry.linenum, field, problem)


def index(catalog: polib.POFile) -> dict[tuple[str | None, str], polib.POEntry]:
    """The catalog's entries (not the obsolete ones) by (msgctxt, msgid)."""
    return {(e.msgctxt, e.msgid): e for e in catalog if not e.obsolete}


def translated(entry: polib.POEntry | None) -> bool:
    """Whether an entry holds a translation to use: present, not fuzzy, not empty."""
    return entry is not None and not entry.fuzzy and bool(entry.msgstr)


@dataclass
class Translator:
    """Looks strings up in one locale's catalog and remembers what fell back to English."""

    lang: str
    entries: dict | None = None   # (msgctxt, msgid) -> POEntry; None for the source language
    fallbacks: list[str] = field(default_factory=list)

    def lookup(self, msgid: str, context: str | None) -> str | None:
        if self.entries is None:
            return msgid
        entry = self.entries.get((context, msgid))
        if not translated(entry):
            self.fallbacks.append(context or msgid)
            return None
        return entry.msgstr

    def text(self, source: Text) -> Text:
        translated = self.lookup(str(source), source.key)
        if translated is None:
            return source.with_value(str(source), SOURCE_LANGUAGE)
        return source.with_value(translated, self.lang)

    def gettext(self, msgid: str, **values) -> Text:
        """Template UI strings; `%(name)s` placeholders are filled after translation.

        The result is a Text that knows its language, so that English shown in a draft
        edition is marked as English.
        """
        translated = self.lookup(msgid, None)
        if values and translated is not None and placeholders(translated, True) != placeholders(msgid, True):
            self.fallbacks.append(msgid)   # refused by check_catalog; never formatted
            translated = None
        lang = self.lang if translated is not None else SOURCE_LANGUAGE
        text = translated if translated is not None else msgid
        if values:
            try:
                text = text % values
            except (KeyError, ValueError, TypeError):  # a translation broke a placeholder
                self.fallbacks.append(msgid)
                text, lang = msgid % values, SOURCE_LANGUAGE
        return Text(text, msgid, lang=lang)


def catalog_keys(project: Project, toolkit) -> list[tuple[str | None, str]]:
    """(msgctxt, msgid) of every string a locale must translate: content, then UI."""
    keys = [(t.key, str(t)) for t in content_strings(toolkit)]
    keys += [(None, msgid) for msgid, _file, _line, _notes in template_strings(project)]
    return list(dict.fromkeys(keys))


def untranslated(project: Project, toolkit, translator: Translator) -> list[str]:
    """Keys (or UI msgids) of the strings this locale lacks or has fuzzy."""
    if translator.entries is None:
        return []
    return [context or msgid for context, msgid in catalog_keys(project, toolkit)
            if not translated(translator.entries.get((context, msgid)))]


def localize(obj, translator: Translator):
    """A copy of a model object with every Text replaced by its translation."""
    if isinstance(obj, Text):
        return translator.text(obj)
    if dataclasses.is_dataclass(obj):
        changes = {f.name: localize(getattr(obj, f.name), translator) for f in dataclasses.fields(obj)}
        return dataclasses.replace(obj, **changes)
    if isinstance(obj, tuple):
        return tuple(localize(item, translator) for item in obj)
    return obj


def translator_for(project: Project, lang: str, problems: Problems) -> Translator:
    if lang == SOURCE_LANGUAGE:
        return Translator(lang)
    catalog = read_catalog(project, lang, problems)
    if catalog is None:
        return Translator(lang, {})
    check_catalog(catalog, project.shown(project.po_file(lang)), project_limits(project), problems)
    return Translator(lang, index(catalog))


def template_strings(project: Project) -> list[tuple[str, str, int, list[str]]]:
    """The UI strings of the templates: (msgid, template file, line, translator comments)."""
    from babel.messages.extract import extract
    from jinja2.ext import babel_extract

    found = []
    limit = project_limits(project).file_bytes.templates
    for path in sorted(project.templates.glob("*.j2")):
        source = io.BytesIO(read_project_file(project, path, limit))
        for line, message, comments, _context in extract(
                babel_extract, source, comment_tags=("Translators:",), strip_comment_tags=True,
                options={"trim_blocks": "true", "lstrip_blocks": "true"}):
            if isinstance(message, str):
                found.append((message, project.shown(path), line, comments))
    return found
