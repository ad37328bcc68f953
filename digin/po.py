"""The translators' workflow on PO files: extract the POT, update locales, init, stats.

polib reads the files because it keeps what translators rely on and Babel drops: the
previous English of a changed string (`#| msgid`) and obsolete entries. They are written
as GNU gettext writes them (digin/poformat.py), so that a save in Poedit, Weblate or
msgcat changes nothing, and `i18n update` changes only what changed in the English.
"""
from __future__ import annotations

import difflib
import fnmatch
import re
import textwrap
from dataclasses import dataclass
from pathlib import Path

import polib

from .dates import build_date
from .errors import Problems
from .i18n import PO_LINE_WIDTH, content_strings, index, read_catalog, template_strings
from .load import load_toolkit, load_translator_notes
from .model import Toolkit
from .poformat import format_catalog
from .project import Project, language_problem, language_tag, posix_name
from .publish import write_atomic
from .translating import interface_notes, keep_rules, kept

POT_NAME = "messages.pot"
UI_PART = "ui"
SIMILAR = 0.6            # msgmerge's threshold for a fuzzy match of a changed string
SAME_WORDS = 0.5         # and more than half of the words in common,
NEARLY_SAME = 0.8        # unless the two are nearly the same
CONTAINED, PIECE = 0.9, 0.25   # a piece of a split paragraph: 90 % of it in the old one, a quarter of its length
NOTE_WIDTH = 76          # "#. " and the note within the 79 columns of the file
FORMAT_FLAGS = ("python-format", "no-python-format")


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


def _lines(*notes: str) -> str:
    """Notes as the lines of `#.` comments: each note once, wrapped to the page."""
    notes = dict.fromkeys(" ".join(note.split()) for note in notes if note.strip())
    return "\n".join(line for note in notes for line in textwrap.wrap(note, NOTE_WIDTH, break_on_hyphens=False))


def build_pot(project: Project) -> polib.POFile:
    """Every translatable string: content in document order, then the templates' UI strings,
    each with its notes for translators."""
    toolkit = load_toolkit(project)
    notes = load_translator_notes(project)
    problems = Problems()
    rules, ui_notes = keep_rules(project, problems), interface_notes(project, problems)
    problems.raise_if_any()
    pot = polib.POFile(wrapwidth=PO_LINE_WIDTH)
    pot.metadata = _metadata(toolkit)
    for text in content_strings(toolkit):
        file, line = text.where
        note = next((n.note for n in notes if fnmatch.fnmatchcase(text.key, n.keys)), "")
        pot.append(polib.POEntry(msgctxt=text.key, msgid=str(text), occurrences=[(file, str(line))],
                                 comment=_lines(note, kept(rules, text.key).why)))
    ui: dict[str, polib.POEntry] = {}
    template_notes: dict[str, list[str]] = {}
    for msgid, file, line, comments in template_strings(project):
        entry = ui.setdefault(msgid, polib.POEntry(msgid=msgid, occurrences=[]))
        entry.occurrences.append((file, str(line)))
        template_notes.setdefault(msgid, []).append(" ".join(comments))
        if "%(" in msgid:
            entry.flags = ["python-format"]
    for msgid, entry in ui.items():
        entry.comment = _lines(ui_notes.get(msgid, ""), *template_notes[msgid])
        pot.append(entry)
    return pot


def save(po: polib.POFile, path: Path) -> None:
    write_atomic(path, format_catalog(po).encode("utf-8"))


def extract(project: Project) -> Path:
    path = project.locales / POT_NAME
    save(build_pot(project), path)
    return path


# --- merging ------------------------------------------------------------------------

def _key(entry: polib.POEntry) -> tuple[str | None, str]:
    return entry.msgctxt, entry.msgid


def _closeness(a: str | None, b: str | None) -> int:
    """How many leading segments two keys share: a string moved within its list is closer
    than the same sentence elsewhere in the toolkit."""
    same = 0
    for x, y in zip((a or "").split("."), (b or "").split(".")):
        if x != y:
            break
        same += 1
    return same


def similarity(a: str, b: str) -> float:
    """How alike two strings are, 0 to 1, as msgmerge measures it: on characters (a fuzzy
    match needs 0.6). Unlike msgmerge, two strings that are not nearly the same (0.8) must
    also share more than half of their words, in order: short strings with only letters
    in common ("Example City", "Sample term"; "Sample tool", "Sample module") are no
    match, a changed or split sentence is."""
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    if matcher.real_quick_ratio() < SIMILAR or matcher.quick_ratio() < SIMILAR:
        return 0.0
    ratio = matcher.ratio()
    if ratio < NEARLY_SAME:
        words = difflib.SequenceMatcher(None, re.findall(r"\w+", a.casefold()), re.findall(r"\w+", b.casefold()),
                                        autojunk=False)
        if words.ratio() <= SAME_WORDS:
            return 0.0
    return ratio


EXACT, MOVED, CHANGED, SIMILAR_TEXT = 1, 2, 3, 4   # the merge's rules, in their order


@dataclass(frozen=True)
class Match:
    entry: polib.POEntry     # the old entry whose translation a string inherits
    rule: int                # by which rule: from CHANGED on, the translation needs review


def _piece_of(template: polib.POEntry, old: polib.POEntry) -> float:
    """SIMILAR if the string is a piece of an old string of the same list (a paragraph
    split in two): nearly all of it is in the old one, and it is not a mere phrase of it."""
    if template.msgctxt is None or old.msgctxt is None or len(template.msgid) < PIECE * len(old.msgid):
        return 0.0
    if template.msgctxt.rpartition(".")[0] != old.msgctxt.rpartition(".")[0]:
        return 0.0
    matcher = difflib.SequenceMatcher(None, template.msgid, old.msgid, autojunk=False)
    found = sum(block.size for block in matcher.get_matching_blocks())
    return SIMILAR if found >= CONTAINED * len(template.msgid) else 0.0


def _current(entry: polib.POEntry) -> bool:
    """Ranks a current entry before an obsolete one."""
    return not entry.obsolete


class _Matcher:
    """Finds, for each string of the POT, the old entry whose translation it inherits."""

    def __init__(self, pot: polib.POFile, old: list[polib.POEntry]):
        self.pot, self.old = list(pot), old
        self.found: dict[int, Match] = {}             # template position -> old entry
        self.taken: set[int] = set()                   # old entries given to a template (by id)

    def open(self):
        return [(i, t) for i, t in enumerate(self.pot) if i not in self.found]

    def take(self, position: int, candidates, rank, rule: int, reuse: bool = False) -> None:
        free = [e for e in candidates if reuse or id(e) not in self.taken]
        if free:
            best = max(free, key=rank)   # max() keeps the first of equals: the file's order
            self.found[position] = Match(best, rule)
            self.taken.add(id(best))

    def run(self) -> dict[int, Match]:
        by_pair, by_text, by_context = {}, {}, {}
        for entry in self.old:
            by_pair.setdefault(_key(entry), []).append(entry)
            by_text.setdefault(entry.msgid, []).append(entry)
            if entry.msgctxt is not None:
                by_context.setdefault(entry.msgctxt, []).append(entry)
        for i, t in self.open():      # 1. the same string under the same key
            self.take(i, by_pair.get(_key(t), []), _current, EXACT)
        for i, t in self.open():      # 2. the same English under another key: moved
            self.take(i, by_text.get(t.msgid, []), lambda e, t=t: (_current(e), _closeness(e.msgctxt, t.msgctxt)),
                      MOVED)
        for i, t in self.open():      # 3. the same key, changed English
            if t.msgctxt is not None:
                self.take(i, by_context.get(t.msgctxt, []), _current, CHANGED)
        for i, t in self.open():      # 4. similar English: changed and moved, or split
            self.similar(i, t)
        return self.found

    def similar(self, position: int, template: polib.POEntry) -> None:
        """The most similar old string of the same kind (content or interface), or the old
        paragraph of the same list this one was cut from; one not yet given to another
        string first. Like msgmerge, a translation may serve twice here: both halves of a
        split paragraph start from the old one."""
        scored = [(max(similarity(template.msgid, e.msgid), _piece_of(template, e)), e) for e in self.old
                  if (e.msgctxt is None) == (template.msgctxt is None)]
        scored = [(score, e) for score, e in scored if score >= SIMILAR]
        rank = {id(e): (id(e) not in self.taken, score, _closeness(e.msgctxt, template.msgctxt))
                for score, e in scored}
        self.take(position, [e for _, e in scored], lambda e: rank[id(e)], SIMILAR_TEXT, reuse=True)


def _merged_entry(template: polib.POEntry, match: Match | None) -> polib.POEntry:
    entry = polib.POEntry(msgctxt=template.msgctxt, msgid=template.msgid, comment=template.comment,
                          occurrences=list(template.occurrences), flags=list(template.flags))
    if match is None:
        return entry
    previous = match.entry
    entry.msgstr, entry.tcomment = previous.msgstr, previous.tcomment
    # A translator's own flags (Weblate's ignore-same, say) stay; format flags are the POT's.
    entry.flags += [f for f in previous.flags if f not in entry.flags and f != "fuzzy" and f not in FORMAT_FLAGS]
    if match.rule >= CHANGED or previous.fuzzy:
        entry.flags.insert(0, "fuzzy")
        if previous.fuzzy and previous.previous_msgid is not None:
            # the English the translation was made for, not an intermediate version
            entry.previous_msgctxt, entry.previous_msgid = previous.previous_msgctxt, previous.previous_msgid
        else:
            entry.previous_msgid = previous.msgid
            entry.previous_msgctxt = previous.msgctxt if previous.msgctxt != template.msgctxt else None
    return entry


def merge(pot: polib.POFile, po: polib.POFile) -> polib.POFile:
    """The locale's entries for the POT's strings; nothing a translator wrote is lost.

    Matched as msgmerge does at its best, each rule over every string before the next:
    1. same key and English: kept as it is;
    2. same English under another key (moved): kept, still translated;
    3. same key, changed English: fuzzy, with the old translation and the previous
       English (`#| msgid`), so the translator sees what changed;
    4. similar English (60 % alike, msgmerge's threshold, with most words in common; see
       `similarity`), or a piece of a paragraph split in two: fuzzy, the same way, with
       the previous key too (`#| msgctxt`) if it was another;
    otherwise new and empty. Old translations no string took stay as obsolete entries
    (`#~`), except an obsolete copy of a string that is translated now (gettext's tools
    refuse a file with both).
    """
    old = [e for e in po if e.msgstr]
    found = _Matcher(pot, old).run()
    merged = polib.POFile(wrapwidth=PO_LINE_WIDTH)
    merged.header, merged.metadata = po.header, dict(po.metadata)
    merged.metadata_is_fuzzy = po.metadata_is_fuzzy
    if "POT-Creation-Date" in merged.metadata and "POT-Creation-Date" in pot.metadata:
        merged.metadata["POT-Creation-Date"] = pot.metadata["POT-Creation-Date"]
    for position, template in enumerate(pot):
        merged.append(_merged_entry(template, found.get(position)))
    used = {id(match.entry) for match in found.values()}
    current = {_key(e) for e in merged}
    for entry in old:
        if id(entry) not in used and _key(entry) not in current:
            entry.obsolete, entry.occurrences, entry.comment = True, [], ""
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
    """A new locale, `nl-BE` or `nl_BE` alike: every string empty, with a complete header."""
    from babel import Locale
    from babel.messages.plurals import get_plural

    name = posix_name(lang)
    problem = language_problem(lang)
    path = project.po_file(name) if problem is None else project.locales / f"{lang}.po"
    if problem is not None:
        problems.add(project.shown(path), None, "LANG", problem)
        problems.raise_if_any()
    if path.exists():
        problems.add(project.shown(path), None, "LANG", "this locale exists already: use `i18n update`")
        problems.raise_if_any()
    locale = Locale.parse(name)
    pot = build_pot(project)
    po = merge(pot, polib.POFile(wrapwidth=PO_LINE_WIDTH))
    plural = get_plural(locale)
    po.header = f"{locale.english_name} ({language_tag(name)}) translation of the toolkit. See TRANSLATING.md."
    po.metadata = {**pot.metadata, "Language": name, "Language-Team": locale.english_name,
                   "PO-Revision-Date": pot.metadata["POT-Creation-Date"],
                   "Plural-Forms": f"nplurals={plural.num_plurals}; plural={plural.plural_expr};"}
    save(po, path)
    return path


# --- statistics ---------------------------------------------------------------------

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
