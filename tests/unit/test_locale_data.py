"""Locale data from CLDR (through Babel), not patterns in code: the long date of each
language, as the fixture project's front matter shows its due date (2025-01-31)."""
from __future__ import annotations

import pytest

from digin.collation import sort_key
from digin.plan import edition_html

HEADER = 'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n"Language: {lang}\\n"\n'


@pytest.mark.parametrize("lang, due", [
    ("en", "31 January 2025"),           # English as used in Europe (styles/typography.yaml), not "January 31, 2025"
    ("nl", "31 januari 2025"),
    ("de", "31. Januar 2025"),           # CLDR's long form, with the ordinal dot
    ("uk", "31 січня 2025\u202fр."),     # with the year's abbreviation, after a narrow no-break space
    ("sv", "31 januari 2025"),
    ("hu", "2025. január 31."),          # year first
])
def test_dates_are_cldr_long_dates(fixture_copy, lang, due):
    po = fixture_copy.locales / f"{lang}.po"
    if lang != "en" and not po.exists():
        po.write_text(HEADER.format(lang=lang), encoding="utf-8")   # a new language, nothing translated yet
    assert f"<td>{due}</td>" in edition_html(fixture_copy, lang)


@pytest.mark.parametrize("lang, ordered", [
    ("en", ["Abbot", "Ångström", "Zebra"]),        # root order: Å is an A with an accent
    ("sv", ["Abbot", "Zebra", "Ångström"]),        # Swedish: å after z
    ("da", ["Abbot", "Zebra", "Ångström"]),        # Danish: å (= aa) last
])
def test_the_glossary_is_in_the_languages_alphabetical_order(fixture_copy, lang, ordered):
    glossary = fixture_copy.content / "glossary.yaml"
    text = glossary.read_text(encoding="utf-8")
    for old, new in (("term: Sample term", "term: Zebra"), ("term: Other term", "term: Ångström")):
        text = text.replace(old, new)
    glossary.write_text(text + "  - id: abbot\n    term: Abbot\n    definition:\n      - A title.\n",
                         encoding="utf-8")
    po = fixture_copy.locales / f"{lang}.po"
    if lang != "en":
        po.write_text(HEADER.format(lang=lang), encoding="utf-8")
    html = edition_html(fixture_copy, lang)
    assert sorted(ordered, key=html.index) == ordered


@pytest.mark.parametrize("lang, words", [
    ("es", ["nube", "nz", "ñu", "oso"]),          # ñ is a letter after n
    ("lt", ["ilgas", "yra", "jūra"]),              # y sorts with i
])
def test_collation_is_icus_for_the_language(lang, words):
    assert sorted(words, key=sort_key(lang)) == words
