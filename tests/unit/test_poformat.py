"""digin/poformat.py: PO files as GNU gettext writes them (`msgcat --width=79`, gettext 0.21).

The expected text below is msgcat's output for the same input; tests/test_po_workflow.py
compares with msgcat itself on the real files.
"""
from __future__ import annotations

import polib

from digin import linebreak
from digin.i18n import parse_catalog
from digin.poformat import format_catalog, wrap

SOURCE = r"""# A header comment.
#
msgid ""
msgstr ""
"Language: nl\n"
"Content-Type: text/plain; charset=UTF-8\n"

#. A note for translators.
#: content/practices/rotterdam-inclusiveness-panel.yaml:65
msgctxt "practice.rotterdam-inclusiveness-panel.contact.contact-inclusiviteitspanel"
msgid "Contact [inclusiviteitspanel@rotterdam.nl](mailto:inclusiviteitspanel@rotterdam.nl) for more information about the panel."
msgstr "Neem contact op met [inclusiviteitspanel@rotterdam.nl](mailto:inclusiviteitspanel@rotterdam.nl) voor meer informatie over het panel."

#: templates/macros.html.j2:86 templates/practice.html.j2:39 templates/handout.html.j2:30 templates/toolkit.html.j2:47
#, fuzzy, python-format
#| msgid "[Here](%(url)s) you can find the PDF version of this practice and of all the other practices."
msgid "[Here](%(url)s) you can find the PDF version of this practice, with its phases."
msgstr "[Hier](%(url)s) vindt u de PDF-versie van deze praktijk en van alle andere praktijken."

msgid "Quotes \"here\", a tab\tand a backslash \\ — an em dash… ‘curly’ “quotes” (in parentheses) and/or more words to wrap"
msgstr ""

#~ msgctxt "gone"
#~ msgid "A removed string that is long enough to be wrapped by the writer like any other string"
#~ msgstr "Een verwijderde tekst"
"""

MSGCAT = r"""# A header comment.
#
msgid ""
msgstr ""
"Language: nl\n"
"Content-Type: text/plain; charset=UTF-8\n"

#. A note for translators.
#: content/practices/rotterdam-inclusiveness-panel.yaml:65
msgctxt ""
"practice.rotterdam-inclusiveness-panel.contact.contact-inclusiviteitspanel"
msgid ""
"Contact [inclusiviteitspanel@rotterdam.nl](mailto:"
"inclusiviteitspanel@rotterdam.nl) for more information about the panel."
msgstr ""
"Neem contact op met [inclusiviteitspanel@rotterdam.nl](mailto:"
"inclusiviteitspanel@rotterdam.nl) voor meer informatie over het panel."

#: templates/macros.html.j2:86 templates/practice.html.j2:39
#: templates/handout.html.j2:30 templates/toolkit.html.j2:47
#, fuzzy, python-format
#| msgid ""
#| "[Here](%(url)s) you can find the PDF version of this practice and of all "
#| "the other practices."
msgid ""
"[Here](%(url)s) you can find the PDF version of this practice, with its "
"phases."
msgstr ""
"[Hier](%(url)s) vindt u de PDF-versie van deze praktijk en van alle andere "
"praktijken."

msgid ""
"Quotes \"here\", a tab\tand a backslash \\ — an em dash… ‘curly’ "
"“quotes” (in parentheses) and/or more words to wrap"
msgstr ""

#~ msgctxt "gone"
#~ msgid ""
#~ "A removed string that is long enough to be wrapped by the writer like any "
#~ "other string"
#~ msgstr "Een verwijderde tekst"
"""


def test_a_catalog_is_written_exactly_as_msgcat_writes_it():
    assert format_catalog(parse_catalog(SOURCE)) == MSGCAT


def test_writing_msgcats_output_again_changes_nothing():
    assert format_catalog(parse_catalog(MSGCAT)) == MSGCAT


def test_the_previous_english_of_an_obsolete_entry_is_kept():
    text = MSGCAT.replace('#~ msgctxt "gone"', '#, fuzzy\n#~| msgid "Gone before"\n#~ msgctxt "gone"')
    assert format_catalog(parse_catalog(text)) == text


def test_short_strings_stay_on_one_line_and_a_newline_starts_a_new_one():
    assert wrap("msgid", "Table of contents") == ['msgid "Table of contents"']
    assert wrap("msgstr", "One\nTwo\n") == ['msgstr ""', '"One\\n"', '"Two\\n"']
    assert wrap("msgid", "") == ['msgid ""']


def test_no_line_is_longer_than_79_columns_where_a_break_is_possible():
    text = " ".join(["inclusion"] * 40)
    lines = wrap("msgid", text, "#~ ")
    assert all(len(line) <= 79 for line in lines) and "".join(l.split('"')[1] for l in lines) == text


def test_a_translators_own_flags_are_kept_after_gettexts():
    entry = polib.POEntry(msgid="Status", msgstr="Status", flags=["ignore-same", "python-format", "fuzzy"])
    catalog = polib.POFile()
    catalog.append(entry)
    assert "#, fuzzy, python-format, ignore-same\n" in format_catalog(catalog)


def test_an_empty_translation_is_never_fuzzy_and_an_empty_obsolete_entry_is_dropped():
    catalog = polib.POFile()
    catalog.append(polib.POEntry(msgid="New", flags=["fuzzy"], previous_msgid="Old"))
    catalog.append(polib.POEntry(msgid="Gone", obsolete=True))
    assert format_catalog(catalog) == '#| msgid "Old"\nmsgid "New"\nmsgstr ""\n'


def test_line_breaks_follow_libunistring_not_plain_uax14():
    def breaks(text):
        return [i for i, kind in enumerate(linebreak.possible_breaks(text)) if kind == linebreak.POSSIBLE]
    assert breaks("mailto:someone") == [7]          # after ":" before a letter: libunistring's tailoring
    assert breaks("a “quoted” (word)") == [2]       # never between a closing quote and "("
    assert breaks("capacity-building and/or") == [9, 18, 22]
    assert linebreak.width("界") == 2 and linebreak.width("\u0301") == 0
