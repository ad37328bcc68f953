"""XLIFF 1.2 for translators who work in a CAT tool (Trados, memoQ, OmegaT, Phrase ...).

`export` writes one language's PO file as XLIFF: per string its key (`resname`), the
English (`source`), the translation (`target`, with `state` and `approved`), the English
the translation was made for when it changed (`alt-trans`, previous version), the notes
for translators and the places the string comes from. `import_` puts the translations
back into the PO file, entry by entry: nothing else of the file changes, so an export
followed by an import gives back the same file, byte for byte.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

import polib
from lxml import etree

from .errors import Problems
from .i18n import read_catalog
from .limits import project_limits
from .po import save
from .project import SOURCE_LANGUAGE, Project, language_problem, language_tag, posix_name
from .publish import write_atomic

NS = "urn:oasis:names:tc:xliff:document:1.2"
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
TRANSLATED, FUZZY = "translated", "needs-review-translation"
DONE_STATES = {"translated", "final", "signed-off"}   # XLIFF 1.2 states of a finished translation
_E = "{%s}" % NS


def unit_id(entry: polib.POEntry) -> str:
    """A unit's id: the string's key, or for an interface string (no key) a digest of its English."""
    return entry.msgctxt or "ui-" + hashlib.sha1(entry.msgid.encode("utf-8")).hexdigest()[:12]


def _sub(parent, tag: str, text: str | None = None, **attributes):
    element = etree.SubElement(parent, _E + tag, {k.replace("_", "-"): v for k, v in attributes.items()})
    element.text = text
    return element


def _unit(body, entry: polib.POEntry) -> None:
    attributes = {"id": unit_id(entry)}
    if entry.msgctxt is not None:
        attributes["resname"] = entry.msgctxt
    done = bool(entry.msgstr) and not entry.fuzzy
    if done:
        attributes["approved"] = "yes"
    unit = _sub(body, "trans-unit", **attributes)
    unit.set(XML_SPACE, "preserve")
    _sub(unit, "source", entry.msgid)
    if entry.msgstr:
        _sub(unit, "target", entry.msgstr, state=TRANSLATED if done else FUZZY)
    if entry.fuzzy and entry.previous_msgid is not None and entry.msgstr:
        previous = _sub(unit, "alt-trans", alttranstype="previous-version")
        _sub(previous, "source", entry.previous_msgid)
        _sub(previous, "target", entry.msgstr)
        if entry.previous_msgctxt is not None:    # the key the translation came from (translate-toolkit's way)
            group = _sub(previous, "context-group", name="po-entry", purpose="information")
            _sub(group, "context", entry.previous_msgctxt, context_type="x-po-msgctxt")
    if entry.comment:
        _sub(unit, "note", entry.comment, **{"from": "developer"})
    if entry.tcomment:
        _sub(unit, "note", entry.tcomment, **{"from": "translator"})
    for file, line in entry.occurrences:
        group = _sub(unit, "context-group", name="po-reference", purpose="location")
        _sub(group, "context", file, context_type="sourcefile")
        if line:
            _sub(group, "context", str(line), context_type="linenumber")


def export(project: Project, lang: str, target: Path, problems: Problems) -> int:
    """Write locales/<lang>.po as XLIFF 1.2 to `target`; returns the number of units."""
    catalog = read_catalog(project, posix_name(lang), problems)
    problems.raise_if_any()
    root = etree.Element(_E + "xliff", nsmap={None: NS}, version="1.2")
    file_element = _sub(root, "file", original=project.shown(project.po_file(lang)), datatype="po",
                        source_language=SOURCE_LANGUAGE, target_language=language_tag(lang))
    body = _sub(file_element, "body")
    entries = [e for e in catalog if not e.obsolete]
    for entry in entries:
        _unit(body, entry)
    data = etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
    write_atomic(target, data)
    return len(entries)


# --- import -------------------------------------------------------------------------

@dataclass
class Unit:
    line: int
    key: str | None
    source: str
    target: str
    done: bool
    note: str | None


@dataclass
class Imported:
    path: Path
    changed: int = 0                              # translations or states that changed
    stale: list[str] = field(default_factory=list)   # units for English changed since: now fuzzy
    kept: list[str] = field(default_factory=list)    # units of strings that are gone: kept obsolete


def _text(element) -> str:
    return "".join(element.itertext()) if element is not None else ""


def read_units(path: Path, shown: str, limit: int, problems: Problems) -> tuple[str | None, list[Unit]]:
    """(the target language, the units) of an XLIFF 1.2 file; problems are located."""
    try:
        with path.open("rb") as stream:
            data = stream.read(limit + 1)
    except OSError as error:
        problems.add(shown, None, "", f"cannot read the file: {error.strerror or error}")
        return None, []
    if len(data) > limit:
        problems.add(shown, None, "", f"larger than {limit:,} bytes (file_bytes.locales in content/limits.yaml)")
        return None, []
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as error:
        problems.add(shown, error.lineno, "", f"not well-formed XML: {error.msg}")
        return None, []
    files = root.findall(_E + "file") if root.tag == _E + "xliff" else []
    if root.tag != _E + "xliff" or root.get("version") != "1.2" or len(files) != 1:
        problems.add(shown, root.sourceline, "", "not an XLIFF 1.2 file of one <file> (as `i18n export` writes)")
        return None, []
    units = []
    for unit in files[0].iter(_E + "trans-unit"):
        target = unit.find(_E + "target")
        state = target.get("state") if target is not None else None
        text = _text(target)
        done = bool(text) and (state in DONE_STATES or (state is None and unit.get("approved") != "no"))
        notes = [n for n in unit.findall(_E + "note") if n.get("from") == "translator"]
        units.append(Unit(unit.sourceline, unit.get("resname"), _text(unit.find(_E + "source")), text, done,
                          "\n".join(_text(n) for n in notes) if notes else None))
    return files[0].get("target-language"), units


def _apply(entry: polib.POEntry, unit: Unit) -> bool:
    """The unit's translation and state on its entry; whether anything changed."""
    before = (entry.msgstr, entry.fuzzy, entry.tcomment, entry.previous_msgid)
    entry.msgstr = unit.target
    if unit.note is not None:
        entry.tcomment = unit.note
    if unit.done or not unit.target:
        if entry.fuzzy:
            entry.flags.remove("fuzzy")
        entry.previous_msgctxt = entry.previous_msgid = None   # reviewed: no longer "changed"
    elif not entry.fuzzy:
        entry.flags.insert(0, "fuzzy")
    return before != (entry.msgstr, entry.fuzzy, entry.tcomment, entry.previous_msgid)


def import_(project: Project, path: Path, problems: Problems) -> Imported:
    """Put the translations of an XLIFF file (from `export`) back into its locale's PO file.

    A unit whose English changed since the export is imported as fuzzy, with that English
    as the previous one (`#|`); a unit of a string that is gone becomes an obsolete entry.
    Nothing is written if the file has a problem."""
    shown = str(path)
    lang, units = read_units(path, shown, project_limits(project).file_bytes.locales, problems)
    problems.raise_if_any()
    if not lang or language_problem(lang) or not project.po_file(lang).exists():
        problems.add(shown, None, "target-language", f"{lang!r} is not a language of this project "
                     f"(locales/*.po: {', '.join(project.languages()[1:])})")
        problems.raise_if_any()
    catalog = read_catalog(project, posix_name(lang), problems)
    problems.raise_if_any()
    current = [e for e in catalog if not e.obsolete]
    by_pair = {(e.msgctxt, e.msgid): e for e in current}
    by_key = {e.msgctxt: e for e in current if e.msgctxt is not None}
    obsolete = {(e.msgctxt, e.msgid): e for e in catalog if e.obsolete}
    result = Imported(project.po_file(lang))
    for unit in units:
        entry = by_pair.get((unit.key, unit.source))
        if entry is not None:
            result.changed += _apply(entry, unit)
        elif unit.target and unit.key in by_key:
            entry = by_key[unit.key]
            entry.msgstr, entry.previous_msgid = unit.target, unit.source
            if not entry.fuzzy:
                entry.flags.insert(0, "fuzzy")
            result.stale.append(unit.key)
        elif unit.target:
            gone = obsolete.get((unit.key, unit.source))
            if gone is None:
                gone = polib.POEntry(msgctxt=unit.key, msgid=unit.source, obsolete=True)
                catalog.append(gone)
            gone.msgstr = unit.target
            result.kept.append(unit.key or unit.source[:40])
    save(catalog, result.path)
    return result
