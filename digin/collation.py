"""Alphabetical order as each language's readers expect it: ICU's collation, which is
CLDR's root order with each language's own tailoring (Swedish å ä ö after z, Danish
æ ø å at the end, Spanish ñ after n, Lithuanian y with i). The ICU data comes with the
library (pyicu-wheels), not from the machine, so every machine sorts alike."""
from __future__ import annotations

import functools
from typing import Callable

import icu

from .project import posix_name


@functools.lru_cache(maxsize=None)
def sort_key(lang: str) -> Callable[[str], bytes]:
    """The sort key of `lang`'s collation; a language without a tailoring of its own
    (en, nl, it) takes the root order: letters first, then accents, then case."""
    return icu.Collator.createInstance(icu.Locale(posix_name(lang))).getSortKey
