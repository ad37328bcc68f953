"""digin/i18n.py: localizing the model; what is fuzzy, empty or missing falls back to English, marked."""
from __future__ import annotations

import polib
import pytest

from conftest import edit
from digin.errors import Problems
from digin.i18n import Translator, content_strings, localize, read_catalog, translator_for, untranslated
from digin.load import load_toolkit

FALLBACK_KEYS = ("module.sample-module.title",              # fuzzy
                 "practice.sample-practice.municipality",   # empty
                 "practice.sample-practice.country")        # missing


@pytest.fixture(scope="module")
def toolkit(fixture_project):
    return load_toolkit(fixture_project)


@pytest.fixture(scope="module")
def dutch(fixture_project, toolkit):
    """(the Dutch translator, the toolkit localized with it)."""
    problems = Problems()
    translator = translator_for(fixture_project, "nl", problems)
    assert not problems.items
    return translator, localize(toolkit, translator)


def test_translated_strings_are_used_and_marked_dutch(dutch, toolkit):
    _, nl = dutch
    assert (nl.deliverable.title, nl.deliverable.title.lang) == ("Testtoolkit", "nl")
    assert nl.practices[0].title == "Voorbeeldpraktijk" and nl.glossary.terms[0].term == "Voorbeeldterm"
    assert nl.deliverable.title.key == toolkit.deliverable.title.key      # key and source travel along
    assert nl.deliverable.title.source == toolkit.deliverable.title.source


@pytest.mark.parametrize("text", [lambda t: t.modules[0].title, lambda t: t.practices[0].municipality,
                                  lambda t: t.practices[0].country])
def test_fuzzy_empty_and_missing_fall_back_to_english_marked(dutch, toolkit, text):
    _, nl = dutch
    assert text(nl) == text(toolkit) and text(nl).lang == "en"


def test_fallbacks_are_remembered(dutch):
    translator, _ = dutch
    assert set(FALLBACK_KEYS) <= set(translator.fallbacks)
    assert "deliverable.title" not in translator.fallbacks


def test_localize_keeps_data_and_shape(dutch, toolkit):
    _, nl = dutch
    assert nl.modules[0].number == toolkit.modules[0].number and nl.deliverable.authors == toolkit.deliverable.authors
    assert [t.key for t in content_strings(nl)] == [t.key for t in content_strings(toolkit)]


def test_the_source_language_is_returned_as_it_is(fixture_project, toolkit):
    english = translator_for(fixture_project, "en", Problems())
    en = localize(toolkit, english)
    assert en == toolkit and en.deliverable.title.lang == "en" and english.fallbacks == []


def test_untranslated_lists_fuzzy_empty_and_missing(fixture_project, toolkit, dutch):
    translator, _ = dutch
    missing = untranslated(fixture_project, toolkit, translator)
    assert set(FALLBACK_KEYS) <= set(missing)
    assert "deliverable.title" not in missing and "(link not available)" not in missing
    assert "Duration:" in missing          # a UI string of the templates


def test_ui_strings_translate_and_fall_back():
    entries = {(None, "Pages:"): polib.POEntry(msgid="Pages:", msgstr="Pagina's:"),
               (None, "From %(x)s"): polib.POEntry(msgid="From %(x)s", msgstr="Van %(y)s")}
    translator = Translator("nl", entries)
    pages = translator.gettext("Pages:")
    assert (pages, pages.lang) == ("Pagina's:", "nl")
    broken = translator.gettext("From %(x)s", x="A")      # the translation broke the placeholder
    assert (broken, broken.lang) == ("From A", "en")
    size = translator.gettext("Size:")
    assert (size, size.lang) == ("Size:", "en")
    assert translator.fallbacks == ["From %(x)s", "Size:"]


def test_a_malformed_po_file_is_located(fixture_copy):
    edit(fixture_copy.po_file("nl"), 'msgid "Introduction"', 'msgidd "Introduction"')
    problems = Problems()
    assert read_catalog(fixture_copy, "nl", problems) is None
    assert [str(p) for p in problems.items] == ["locales/nl.po:22: malformed PO file: Syntax error"]


def test_a_duplicate_po_entry_is_located(fixture_copy):
    path = fixture_copy.po_file("nl")
    path.write_text(path.read_text(encoding="utf-8") + '\nmsgctxt "deliverable.title"\nmsgid "Fixture toolkit"\n'
                    'msgstr "Nog een"\n', encoding="utf-8")
    problems = Problems()
    read_catalog(fixture_copy, "nl", problems)
    assert [(p.file, p.field) for p in problems.items] == [("locales/nl.po", "deliverable.title")]
    assert problems.items[0].message.startswith("duplicate entry") and problems.items[0].line


def test_a_missing_locale_is_a_problem(fixture_project):
    problems = Problems()
    translator = translator_for(fixture_project, "it", problems)
    assert translator.entries == {} and "no translation file for locale 'it'" in str(problems.items[0])
