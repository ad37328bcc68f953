"""PO and POT files written exactly as GNU gettext writes them (`msgcat --width=79`).

Poedit, msgmerge, msgcat and Weblate all save in gettext's form, so a file in any other
form (polib's wrapping, for one) changes on every save and flips back on the next
`i18n update`. This module follows gettext's write-po.c: the same order of comments,
the same flags line, and the same wrapping of strings — at Unicode line-break
opportunities (UAX #14, as libunistring finds them), never inside an escape sequence or
a format directive, with `msgid ""` first when the string does not fit on one line.

The one deliberate difference: flags gettext does not know (Weblate's `ignore-same`,
say) are kept after gettext's own, since they are a translator's decision.
"""
from __future__ import annotations

import re

import polib

from . import linebreak

PAGE_WIDTH = 79
_ESCAPES = {"\a": "a", "\b": "b", "\f": "f", "\n": "n", "\r": "r", "\t": "t", "\v": "v", "\\": "\\", '"': '"'}
# gettext's own flags, in the order it writes them: fuzzy, the format flags, no-wrap.
_FORMAT_FLAGS = ("c-format", "objc-format", "python-format", "python-brace-format")


def _python_directives(text: str) -> list[tuple[int, int, bool]]:
    """(first, last, valid) of each Python format directive, as gettext's format-python.c
    finds them: it stops at the first invalid one (say, an unnamed %d after a named one)."""
    found: list[tuple[int, int, bool]] = []
    named = unnamed = 0
    i, n = 0, len(text)
    while i < n:
        if text[i] != "%":
            i += 1
            continue
        first, i, name = i, i + 1, False
        if i < n and text[i] == "(":
            i, depth = i + 1, 0
            while i < n and not (text[i] == ")" and depth == 0):
                depth += (text[i] == "(") - (text[i] == ")")
                i += 1
            if i >= n:
                return found + [(first, n - 1, False)]
            i, name = i + 1, True
        while i < n and text[i] in "-+ #0":
            i += 1
        for numeric in (True, False):        # the width, then the precision after "."
            if not numeric:
                if i < n and text[i] == ".":
                    i += 1
                else:
                    break
            if i < n and text[i] == "*":
                if named:
                    return found + [(first, i, False)]
                i, unnamed = i + 1, unnamed + 1
            else:
                while i < n and text[i] in "0123456789":
                    i += 1
        if i < n and text[i] in "hlL":
            i += 1
        if i >= n:
            return found + [(first, n - 1, False)]
        if text[i] not in "%csrdiuoxXeEfgG" or (name and unnamed) or (not name and text[i] != "%" and named):
            return found + [(first, i, False)]
        named, unnamed = named + name, unnamed + (not name and text[i] != "%")
        found.append((first, i, True))
        i += 1
    return found


def _directive_chars(value: str, formatted: bool) -> set[int]:
    """Indices of the characters inside a valid format directive, after its first one:
    gettext never breaks a line there."""
    if not formatted:
        return set()
    return {i for first, last, valid in _python_directives(value) if valid for i in range(first + 1, last + 1)}


def _escaped(portion: str, start: int, inside: set[int]) -> tuple[str, list[bool]]:
    """The portion as written between quotes, and for each written character whether a
    line break before it is forbidden (inside an escape sequence or a directive)."""
    text, forbidden = [], []
    for offset, char in enumerate(portion):
        before = start + offset in inside
        if char in _ESCAPES:
            text += ["\\", _ESCAPES[char]]
            forbidden += [before, True]
        else:
            text.append(char)
            forbidden.append(before)
    if portion.endswith("\n"):
        forbidden[-2] = True   # never break right before the final \n
    return "".join(text), forbidden


def _line_breaks(text: str, forbidden: list[bool], width: int, start_column: int) -> list[int]:
    """Where gettext breaks `text` (ulc_width_linebreaks): greedy, by atomic pieces."""
    breaks, last, column, piece = [], None, start_column, 0
    for index, (char, kind) in enumerate(zip(text, linebreak.possible_breaks(text))):
        kind = linebreak.PROHIBITED if forbidden[index] else kind
        if kind != linebreak.PROHIBITED and last is not None and column + piece > width:
            breaks.append(last)
            column = 0
        if kind == linebreak.MANDATORY:
            last, column, piece = None, 0, 0
            continue
        if kind == linebreak.POSSIBLE:
            last, column, piece = index, column + piece, 0
        piece += linebreak.width(char)
    if last is not None and column + piece > width:
        breaks.append(last)
    return breaks


def _portions(value: str) -> list[str]:
    """The string cut after each newline, as gettext writes one quoted line per piece."""
    parts = re.findall(r"[^\n]*\n|[^\n]+", value)
    return parts or [""]


def wrap(name: str, value: str, prefix: str = "", formatted: bool = False, width: int = PAGE_WIDTH) -> list[str]:
    """The lines of one keyword and its string, e.g. `msgid "..."`, as gettext writes them."""
    lines: list[str] = []
    inside = _directive_chars(value, formatted)
    after_break = len(prefix) + 1
    line_width = width - 1 - after_break
    first, start = True, 0
    portions = _portions(value)
    for number, portion in enumerate(portions):
        text, forbidden = _escaped(portion, start, inside)
        start += len(portion)
        while True:
            column = len(prefix) + (len(name) + 1 if first else 0) + 1 - after_break
            breaks = _line_breaks(text, forbidden, line_width, column)
            more = number < len(portions) - 1
            if first and text and (more or column > line_width or breaks):
                lines.append(f'{prefix}{name} ""')
                first = False
                continue
            break
        pieces = [text[a:b] for a, b in zip([0, *breaks], [*breaks, len(text)])]
        lead = f"{name} " if first else ""
        lines.append(f'{prefix}{lead}"{pieces[0]}"')
        lines += [f'{prefix}"{piece}"' for piece in pieces[1:]]
        first = False
    return lines


def _references(occurrences, width: int) -> list[str]:
    if not occurrences:
        return []
    lines, line, column = [], "#:", 2
    for file, number in occurrences:
        reference = f"{file}:{number}" if number else file
        if column > 2 and column + len(reference) + 1 > width:
            lines.append(line)
            line, column = "#:", 2
        line += " " + reference
        column += len(reference) + 1
    return lines + [line]


def _flags(entry: polib.POEntry, obsolete: bool) -> list[str]:
    fuzzy = entry.fuzzy and (obsolete or entry.msgstr or entry.msgstr_plural.get(0))   # not on an empty one
    known = [f for f in _FORMAT_FLAGS + tuple("no-" + f for f in _FORMAT_FLAGS) if f in entry.flags]
    known.sort(key=lambda f: _FORMAT_FLAGS.index(f.removeprefix("no-")))
    wrap_flag = ["no-wrap"] if "no-wrap" in entry.flags else []
    others = [f for f in entry.flags if f not in ("fuzzy", "no-wrap", *known)]
    flags = ["fuzzy"] * bool(fuzzy) + known + wrap_flag + others
    return [f"#, {', '.join(flags)}"] if flags else []


def _comment_lines(mark: str, text: str) -> list[str]:
    return [f"{mark} {line}" if line else mark for line in text.split("\n")] if text else []


def format_entry(entry: polib.POEntry, width: int = PAGE_WIDTH) -> list[str]:
    """The lines of one entry (empty for an obsolete entry without a translation)."""
    obsolete = bool(entry.obsolete)
    if obsolete and not (entry.msgstr or any(entry.msgstr_plural.values())):
        return []
    formatted = "python-format" in entry.flags     # the only format whose directives gettext would find here
    lines = _comment_lines("#", entry.tcomment) + _comment_lines("#.", entry.comment)
    lines += _references(entry.occurrences, width) + _flags(entry, obsolete)
    previous = "#~| " if obsolete else "#| "
    prefix = "#~ " if obsolete else ""
    for name in ("msgctxt", "msgid", "msgid_plural"):
        value = getattr(entry, f"previous_{name}")
        if value is not None:
            lines += wrap(name, value, previous, formatted, width)
    if entry.msgctxt is not None:
        lines += wrap("msgctxt", entry.msgctxt, prefix, formatted, width)
    lines += wrap("msgid", entry.msgid, prefix, formatted, width)
    if entry.msgid_plural:
        lines += wrap("msgid_plural", entry.msgid_plural, prefix, formatted, width)
        for index in sorted(entry.msgstr_plural):
            lines += wrap(f"msgstr[{index}]", entry.msgstr_plural[index], prefix, formatted, width)
    else:
        lines += wrap("msgstr", entry.msgstr, prefix, formatted, width)
    return lines


def header_entry(catalog: polib.POFile) -> polib.POEntry | None:
    """The header as the entry gettext keeps it in: msgid "" and the metadata as msgstr."""
    if not catalog.metadata and not catalog.header:
        return None
    metadata = "".join(f"{key}: {value}\n" for key, value in catalog.metadata.items())
    return polib.POEntry(msgid="", msgstr=metadata, tcomment=catalog.header or "",
                         flags=["fuzzy"] if catalog.metadata_is_fuzzy else [])


def format_catalog(catalog: polib.POFile, width: int = PAGE_WIDTH) -> str:
    """The whole file: the header, the current entries in order, then the obsolete ones."""
    entries = [e for e in [header_entry(catalog)] if e is not None]
    entries += [e for e in catalog if not e.obsolete] + [e for e in catalog if e.obsolete]
    blocks = [lines for lines in (format_entry(e, width) for e in entries) if lines]
    return "\n\n".join("\n".join(lines) for lines in blocks) + "\n"
