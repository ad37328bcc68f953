"""Where a line may break, and how wide a character is, exactly as GNU libunistring 1.0
finds them: the library under gettext 0.21's msgcat and msgmerge (Debian 12).

Unicode's line-breaking algorithm (UAX #14, Unicode 14.0) in libunistring's pair-table
form, with its own tailoring: a break is allowed after "." or ":" before a letter (in a
URL, say), which UAX #14 forbids. A newer libunistring wraps a few strings otherwise;
what matters here is that every tool of one machine writes the same file. The classes
and the pair table (digin/linebreak_data.py) were measured against libunistring itself.
"""
from __future__ import annotations

import bisect
import functools
import unicodedata

from . import linebreak_data

PROHIBITED, POSSIBLE, MANDATORY = 1, 2, 3   # libunistring's UC_BREAK_* values
_MANDATORY = ("BK", "LF", "CR")


def _runs() -> tuple[list[int], list[int], list[str]]:
    firsts, lasts, names = [], [], []
    for run in "".join(linebreak_data.CLASSES).split(";"):
        codes, name = run.split(" ")
        first, _, last = codes.partition("-")
        firsts.append(int(first, 16))
        lasts.append(int(last or first, 16))
        names.append(name)
    return firsts, lasts, names


_FIRSTS, _LASTS, _NAMES = _runs()
_PAIRS = {before: dict(zip(linebreak_data.ORDER, row)) for before, row in linebreak_data.PAIRS.items()}
_PICTOGRAPHS = [code for pair in linebreak_data.UNASSIGNED_PICTOGRAPHS for code in pair]


# A catalog holds some 250,000 characters but only a few hundred distinct ones: the
# per-character answers are kept.
@functools.lru_cache(maxsize=4096)
def line_class(char: str) -> str:
    code = ord(char)
    index = bisect.bisect_right(_FIRSTS, code) - 1
    return _NAMES[index] if index >= 0 and code <= _LASTS[index] else "AL"


@functools.lru_cache(maxsize=4096)
def _unassigned_pictograph(char: str) -> bool:
    index = bisect.bisect_right(_PICTOGRAPHS, ord(char)) - 1
    return index >= 0 and (index % 2 == 0 or ord(char) == _PICTOGRAPHS[index])


def possible_breaks(text: str) -> list[int]:
    """For each character, whether a line may break before it (libunistring's
    u8_possible_linebreaks, for UTF-8 text)."""
    result = []
    previous = last = "BK"          # the class of the last character, and of the last non-space
    after_space = False
    regional = 0                    # regional indicators (flags) in a row
    pictograph = False              # the last non-space was an unassigned pictograph
    for char in text:
        name = line_class(char)
        if name in _MANDATORY:
            result.append(MANDATORY)
            previous, last, after_space = name, "BK", False
        elif name == "SP":
            result.append(PROHIBITED)
            after_space = True
        elif name == "ZW":
            result.append(PROHIBITED)
            last, after_space = "ZW", False
        elif name in ("CM", "ZWJ"):
            # A combining mark belongs to the character before it, unless it starts a line
            # or follows a space (then it counts as a letter).
            if last == "BK" or last == "ZW" or after_space:
                result.append(POSSIBLE if last != "BK" else PROHIBITED)
                last, after_space = "AL", False
            else:
                result.append(PROHIBITED)
        else:
            result.append(_pair(previous, last, name, after_space, regional, pictograph))
            last, after_space = name, False
        if name not in _MANDATORY:
            previous = "HL_BA" if previous == "HL" and name in ("HY", "BA") else name
        regional = regional + 1 if name == "RI" else 0
        if name not in ("SP", "CM", "ZWJ"):
            pictograph = _unassigned_pictograph(char)
    return result


def _pair(previous: str, last: str, name: str, after_space: bool, regional: int, pictograph: bool) -> int:
    if last == "BK":
        return PROHIBITED
    if last == "ZW":
        return POSSIBLE
    if previous == "ZWJ" or previous == "HL_BA" or (name == "EM" and pictograph and not after_space):
        return PROHIBITED
    if last == "RI" and name == "RI":
        return POSSIBLE if after_space or regional % 2 == 0 else PROHIBITED
    rule = _PAIRS[last][name]
    return POSSIBLE if rule == "D" or (rule == "I" and after_space) else PROHIBITED


@functools.lru_cache(maxsize=4096)
def width(char: str) -> int:
    """Columns the character takes (libunistring's uc_width; a control character: 0)."""
    code, category = ord(char), unicodedata.category(char)
    if code in (0x0CBF, 0x0CC6, 0x11A07, 0x11A08, 0x11C3F):
        return 1   # spacing in libunistring, though Unicode calls them non-spacing marks
    if category in ("Cc", "Mn", "Me", "Cf") or 0x1160 <= code <= 0x11FF or 0xD7B0 <= code <= 0xD7FF:
        return 0
    if category == "Cn":
        return 2 if 0x2E80 <= code <= 0xA4CF or 0x20000 <= code <= 0x3FFFD else 1
    return 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1
