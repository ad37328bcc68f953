"""Translations: the strings of the model and templates, PO catalogs, and localization.

A content string is looked up by (msgctxt = its stable key, msgid = its English text):
when the English changes, the old translation no longer applies until a translator
reviews it. Fuzzy and missing entries fall back to English and are reported.
"""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field

from babel.messages.catalog import Catalog
from babel.messages.pofile import PoFileError, read_po, write_po

from .errors import Problems
from .project import SOURCE_LANGUAGE, Project
from .text import Text


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


def read_catalog(project: Project, lang: str, problems: Problems) -> Catalog | None:
    path = project.po_file(lang)
    shown = project.shown(path)
    try:
        with path.open("rb") as handle:
            return read_po(handle, locale=lang, abort_invalid=True)
    except FileNotFoundError:
        problems.add(shown, None, "", f"no translation file for locale {lang!r}")
    except PoFileError as error:  # Babel counts lines from 0 and appends " on N"
        message = str(error).rsplit(" on ", 1)[0]
        problems.add(shown, error.lineno + 1, "", f"malformed PO file: {message}")
    except UnicodeDecodeError as error:
        problems.add(shown, None, "", f"not valid UTF-8 (byte {error.start})")
    except ValueError as error:  # e.g. an unknown language code in the header
        problems.add(shown, None, "", f"malformed PO file: {error}")
    return None


@dataclass
class Translator:
    """Looks strings up in one locale's catalog and remembers what fell back to English."""

    lang: str
    catalog: Catalog | None = None
    fallbacks: list[str] = field(default_factory=list)

    def lookup(self, msgid: str, context: str | None) -> str | None:
        if self.catalog is None:
            return msgid
        message = self.catalog.get(msgid, context=context)
        if message is None or message.fuzzy or not message.string:
            self.fallbacks.append(context or msgid)
            return None
        return message.string

    def text(self, source: Text) -> Text:
        translated = self.lookup(str(source), source.key)
        if translated is None:
            return source.with_value(str(source), SOURCE_LANGUAGE)
        return source.with_value(translated, self.lang)

    def gettext(self, msgid: str, **values) -> str:
        """Template UI strings; `%(name)s` placeholders are filled after translation."""
        translated = self.lookup(msgid, None) or msgid
        if not values:
            return translated
        try:
            return translated % values
        except (KeyError, ValueError, TypeError):  # a translation broke a placeholder
            self.fallbacks.append(msgid)
            return msgid % values


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
    return Translator(lang, read_catalog(project, lang, problems))


def template_strings(project: Project) -> list[tuple[str, str, int]]:
    """The UI strings of the templates: (msgid, template file, line)."""
    from babel.messages.extract import extract
    from jinja2.ext import babel_extract

    found = []
    for path in sorted(project.templates.glob("*.j2")):
        with path.open("rb") as handle:
            for line, message, _comments, _context in extract(
                    babel_extract, handle, options={"trim_blocks": "true", "lstrip_blocks": "true"}):
                if isinstance(message, str):
                    found.append((message, project.shown(path), line))
    return found


PO_LINE_WIDTH = 79


def write_catalog(catalog: Catalog, path) -> None:
    """Write a PO/POT file in the project's one fixed layout, keeping `#|` previous ids."""
    import io

    buffer = io.BytesIO()
    write_po(buffer, catalog, width=PO_LINE_WIDTH, include_previous=True)
    path.write_bytes(buffer.getvalue())
