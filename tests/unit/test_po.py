"""digin/po.py: merging the current strings into a locale loses nothing a translator wrote."""
from __future__ import annotations

import polib

from digin import po
from digin.errors import Problems


def catalog(*entries: polib.POEntry) -> polib.POFile:
    result = polib.POFile(wrapwidth=79)
    result.metadata = {"Language": "nl", "Content-Type": "text/plain; charset=UTF-8"}
    for entry in entries:
        result.append(entry)
    return result


def by_key(merged: polib.POFile) -> dict:
    return {(e.msgctxt, e.obsolete): e for e in merged}


def test_unchanged_string_keeps_its_translation():
    merged = po.merge(catalog(polib.POEntry(msgctxt="a", msgid="One")),
                      catalog(polib.POEntry(msgctxt="a", msgid="One", msgstr="Een", tcomment="checked")))
    [entry] = merged
    assert (entry.msgstr, entry.fuzzy, entry.tcomment, entry.obsolete) == ("Een", False, "checked", 0)


def test_new_string_is_empty_and_not_fuzzy():
    merged = po.merge(catalog(polib.POEntry(msgctxt="a", msgid="One"), polib.POEntry(msgctxt="b", msgid="Two")),
                      catalog(polib.POEntry(msgctxt="a", msgid="One", msgstr="Een")))
    new = by_key(merged)[("b", 0)]
    assert new.msgstr == "" and not new.fuzzy and new.previous_msgid is None


def test_changed_string_is_fuzzy_with_the_previous_english():
    pot = catalog(polib.POEntry(msgctxt="a", msgid="One, changed", occurrences=[("content/x.yaml", "3")]))
    merged = po.merge(pot, catalog(polib.POEntry(msgctxt="a", msgid="One", msgstr="Een")))
    [entry] = merged
    assert entry.msgid == "One, changed" and entry.msgstr == "Een"
    assert entry.fuzzy and entry.previous_msgid == "One"
    assert entry.occurrences == [("content/x.yaml", "3")]   # where the string is now
    text = str(merged)
    assert '#, fuzzy' in text and '#| msgid "One"' in text


def test_a_second_change_keeps_the_english_the_translation_was_made_for():
    old = polib.POEntry(msgctxt="a", msgid="One, changed", msgstr="Een", flags=["fuzzy"], previous_msgid="One")
    [entry] = po.merge(catalog(polib.POEntry(msgctxt="a", msgid="One, changed again")), catalog(old))
    assert entry.fuzzy and entry.previous_msgid == "One"


def test_a_fuzzy_entry_stays_fuzzy_while_its_english_is_unchanged():
    old = polib.POEntry(msgctxt="a", msgid="One", msgstr="Een", flags=["fuzzy"], previous_msgid="Zero")
    [entry] = po.merge(catalog(polib.POEntry(msgctxt="a", msgid="One")), catalog(old))
    assert entry.fuzzy and entry.previous_msgid == "Zero"


def test_moved_string_keeps_its_translation_under_the_new_key():
    merged = po.merge(catalog(polib.POEntry(msgctxt="body.2", msgid="Moved")),
                      catalog(polib.POEntry(msgctxt="body.1", msgid="Moved", msgstr="Verplaatst")))
    assert [(e.msgctxt, e.msgstr, e.fuzzy, e.obsolete) for e in merged] == [("body.2", "Verplaatst", False, 0)]


def test_removed_string_becomes_obsolete_with_its_translation():
    merged = po.merge(catalog(polib.POEntry(msgctxt="a", msgid="One")),
                      catalog(polib.POEntry(msgctxt="a", msgid="One", msgstr="Een"),
                              polib.POEntry(msgctxt="gone", msgid="Gone", msgstr="Weg",
                                            occurrences=[("content/x.yaml", "9")])))
    gone = by_key(merged)[("gone", 1)]
    assert gone.msgstr == "Weg" and gone.occurrences == []
    assert '#~ msgctxt "gone"' in str(merged) and '#~ msgstr "Weg"' in str(merged)


def test_empty_old_entries_are_dropped_not_kept_obsolete():
    merged = po.merge(catalog(polib.POEntry(msgctxt="a", msgid="One")),
                      catalog(polib.POEntry(msgctxt="gone", msgid="Gone", msgstr="")))
    assert [e.msgctxt for e in merged] == ["a"]


def test_an_old_translation_serves_a_second_string_only_as_a_suggestion():
    # As msgmerge does: the same English under a new key is offered fuzzy, with the key it came from.
    pot = catalog(polib.POEntry(msgctxt="a", msgid="Same"), polib.POEntry(msgctxt="b", msgid="Same"))
    merged = po.merge(pot, catalog(polib.POEntry(msgctxt="a", msgid="Same", msgstr="Zelfde")))
    assert [(e.msgctxt, e.msgstr, e.fuzzy) for e in merged] == [("a", "Zelfde", False), ("b", "Zelfde", True)]
    assert (merged[1].previous_msgctxt, merged[1].previous_msgid) == ("a", "Same")


def test_a_changed_interface_string_is_fuzzy_with_the_previous_english():
    merged = po.merge(catalog(polib.POEntry(msgid="Practical details of the module")),
                      catalog(polib.POEntry(msgid="Practical details", msgstr="Praktische gegevens")))
    [entry] = merged
    assert (entry.msgstr, entry.fuzzy, entry.previous_msgid) == ("Praktische gegevens", True, "Practical details")
    assert entry.previous_msgctxt is None


def test_a_translators_own_flags_survive_and_format_flags_follow_the_template():
    old = polib.POEntry(msgid="Status", msgstr="Status", flags=["ignore-same", "python-format"])
    [entry] = po.merge(catalog(polib.POEntry(msgid="Status")), catalog(old))
    assert entry.flags == ["ignore-same"] and not entry.fuzzy


def test_an_obsolete_copy_of_a_translated_string_is_dropped_not_duplicated():
    # gettext's tools refuse a file with an obsolete copy of a current entry
    merged = po.merge(catalog(polib.POEntry(msgctxt="a", msgid="One")),
                      catalog(polib.POEntry(msgctxt="a", msgid="One", msgstr="Een"),
                              polib.POEntry(msgctxt="a", msgid="One", msgstr="Oud", obsolete=True)))
    assert [(e.msgctxt, e.msgstr, e.obsolete) for e in merged] == [("a", "Een", 0)]


def test_a_removed_string_that_returns_takes_its_obsolete_translation_back():
    merged = po.merge(catalog(polib.POEntry(msgctxt="a", msgid="Back")),
                      catalog(polib.POEntry(msgctxt="a", msgid="Back", msgstr="Terug", obsolete=True)))
    assert [(e.msgstr, e.fuzzy, e.obsolete) for e in merged] == [("Terug", False, 0)]


def test_header_and_metadata_come_from_the_locale_comments_from_the_template():
    locale = catalog(polib.POEntry(msgctxt="a", msgid="One", msgstr="Een", comment="old note"))
    locale.header = "A header."
    merged = po.merge(catalog(polib.POEntry(msgctxt="a", msgid="One", comment="new note")), locale)
    assert merged.header == "A header." and merged.metadata["Language"] == "nl"
    assert merged[0].comment == "new note"


def test_the_fixture_pot_and_merge(fixture_project):
    pot = po.build_pot(fixture_project)
    content = [e for e in pot if e.msgctxt]
    ui = [e for e in pot if not e.msgctxt]
    assert pot.index(content[-1]) < pot.index(ui[0])          # content first, then the templates' UI
    assert content[0].msgctxt == "deliverable.title" and content[0].occurrences == [("content/deliverable.yaml", "8")]
    term = next(e for e in content if e.msgctxt == "glossary.terms.other-term.term")
    assert term.comment == "A glossary term."                 # content/translator-notes.yaml
    assert not [e for e in content if ".citations" in e.msgctxt]      # citations are data, not text
    cited = next(e for e in content if e.msgctxt.startswith("glossary.terms.other-term.definition"))
    assert "[@example-agency-2021, p. 3]" in cited.msgid            # the marker, kept for the translator
    assert any("python-format" in e.flags for e in ui)
    merged = po.merge(pot, polib.pofile(str(fixture_project.po_file("nl"))))
    entries = by_key(merged)
    assert entries[("deliverable.title", 0)].msgstr == "Testtoolkit"
    assert entries[("module.sample-module.title", 0)].fuzzy
    assert entries[("toolkit.removed.title", 1)].msgstr                # kept as obsolete
    # the paragraph keeps its translation under its stable key (also from a key of the old,
    # positional kind, body.1: the same English under another key)
    intro = entries[("toolkit.introduction.body.an-introduction-with", 0)]
    assert intro.msgstr.startswith("Een inleiding") and not intro.fuzzy
    assert len([e for e in merged if not e.obsolete]) == len(pot)


def test_the_fixture_stats(fixture_copy):
    # a key of the old, positional kind, if the fixture's file still has it: as `i18n update` migrates it
    path = fixture_copy.po_file("nl")
    path.write_text(path.read_text(encoding="utf-8").replace(
        'msgctxt "toolkit.introduction.body.1"', 'msgctxt "toolkit.introduction.body.an-introduction-with"'),
        encoding="utf-8")
    nl = po.stats(fixture_copy, Problems())["nl"]
    assert (nl["total"]["translated"], nl["total"]["fuzzy"]) == (6, 1)  # 5 content strings + 1 UI string
    assert nl["parts"]["module"]["fuzzy"] == 1 and nl["parts"]["deliverable"]["translated"] == 1
    assert nl["parts"]["practice"]["translated"] == 1                  # the empty municipality does not count
    assert 0 < nl["total"]["percent"] < 100
