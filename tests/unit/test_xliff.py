"""digin/xliff.py: XLIFF 1.2 for CAT tools keeps what the PO file holds, and comes back
into it byte for byte."""
from __future__ import annotations

import pytest
from lxml import etree

from conftest import edit
from digin import po, xliff
from digin.errors import ContentError, Problems
from digin.i18n import read_catalog

X = {"x": xliff.NS}


@pytest.fixture
def dutch(fixture_copy):
    """The fixture project with its Dutch file current (as after `i18n update`)."""
    po.update(fixture_copy, Problems())
    return fixture_copy


def export(project, tmp_path):
    target = tmp_path / "nl.xlf"
    xliff.export(project, "nl", target, Problems())
    return target, etree.parse(str(target)).getroot()


def unit(root, key):
    return root.find(f".//x:trans-unit[@resname='{key}']", X)


def test_export_then_import_gives_back_the_same_file_byte_for_byte(dutch, tmp_path):
    before = dutch.po_file("nl").read_bytes()
    target, _ = export(dutch, tmp_path)
    result = xliff.import_(dutch, target, Problems())
    assert dutch.po_file("nl").read_bytes() == before
    assert (result.changed, result.stale, result.kept) == (0, [], [])


def test_a_unit_keeps_key_english_translation_state_previous_english_and_notes(dutch, tmp_path):
    _, root = export(dutch, tmp_path)
    assert root.get("version") == "1.2" and root.find("x:file", X).get("target-language") == "nl"
    done = unit(root, "deliverable.title")
    assert done.get("approved") == "yes"
    assert done.find("x:source", X).text == "Fixture toolkit"
    assert (done.find("x:target", X).text, done.find("x:target", X).get("state")) == ("Testtoolkit", "translated")
    fuzzy = unit(root, "module.sample-module.title")
    assert fuzzy.get("approved") is None and fuzzy.find("x:target", X).get("state") == "needs-review-translation"
    previous = fuzzy.find("x:alt-trans", X)
    assert previous.get("alttranstype") == "previous-version"
    assert previous.find("x:source", X).text == "Old sample module"
    term = unit(root, "glossary.terms.other-term.term")
    assert term.find("x:note[@from='developer']", X).text == "A glossary term."
    assert term.find("x:target", X) is None                         # untranslated: no target
    places = [c.text for c in term.findall(".//x:context", X)]
    assert places == ["content/glossary.yaml", "9"]
    interface = root.find(".//x:trans-unit/x:source[.='(link not available)']/..", X)
    assert interface.get("resname") is None and interface.get("id").startswith("ui-")


def test_a_cat_tools_reader_sees_the_same_units(dutch, tmp_path):
    from translate.storage.xliff import xlifffile

    target, _ = export(dutch, tmp_path)
    store = xlifffile.parsefile(str(target))
    units = {u.getid().split("\x04")[-1]: u for u in store.units}   # translate-toolkit prefixes the file
    assert len(units) == len([e for e in read_catalog(dutch, "nl", Problems()) if not e.obsolete])
    assert units["deliverable.title"].target == "Testtoolkit" and not units["deliverable.title"].isfuzzy()
    assert units["module.sample-module.title"].isfuzzy()
    term = units["glossary.terms.other-term.term"]
    assert "A glossary term." in term.getnotes() and term.getlocations() == ["content/glossary.yaml:9"]
    [previous] = units["module.sample-module.title"].getalttrans()
    assert previous.source == "Old sample module"


def test_a_reviewed_translation_comes_back_translated_and_a_changed_english_comes_back_fuzzy(dutch, tmp_path):
    target, root = export(dutch, tmp_path)
    fuzzy = unit(root, "module.sample-module.title")
    fuzzy.find("x:target", X).text = "Voorbeeldmodule"
    fuzzy.find("x:target", X).set("state", "final")
    term = unit(root, "glossary.terms.other-term.term")
    etree.SubElement(term, f"{{{xliff.NS}}}target").text = "Andere term"
    term.insert(1, term[-1])                                          # the target right after the source
    title = unit(root, "deliverable.title")
    title.find("x:source", X).text = "Fixture toolkit, first edition"   # the English changed since
    title.find("x:target", X).text = "Testtoolkit, eerste uitgave"
    target.write_bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8"))
    result = xliff.import_(dutch, target, Problems())
    assert result.stale == ["deliverable.title"] and result.changed == 2
    entries = {e.msgctxt: e for e in read_catalog(dutch, "nl", Problems()) if not e.obsolete}
    module = entries["module.sample-module.title"]
    assert (module.msgstr, module.fuzzy, module.previous_msgid) == ("Voorbeeldmodule", False, None)
    assert entries["glossary.terms.other-term.term"].msgstr == "Andere term"
    title = entries["deliverable.title"]
    assert (title.msgstr, title.fuzzy, title.previous_msgid) == ("Testtoolkit, eerste uitgave", True,
                                                                 "Fixture toolkit, first edition")


def test_a_broken_file_is_refused_with_its_line_and_nothing_is_written(dutch, tmp_path):
    before = dutch.po_file("nl").read_bytes()
    target, _ = export(dutch, tmp_path)
    edit(target, "</body>", "</bod>")
    with pytest.raises(ContentError) as caught:
        xliff.import_(dutch, target, Problems())
    [problem] = caught.value.problems
    assert problem.file == str(target) and problem.line and "not well-formed XML" in problem.message
    assert dutch.po_file("nl").read_bytes() == before


def test_a_file_for_a_language_the_project_lacks_is_refused(dutch, tmp_path):
    target, _ = export(dutch, tmp_path)
    edit(target, 'target-language="nl"', 'target-language="fr"')
    with pytest.raises(ContentError) as caught:
        xliff.import_(dutch, target, Problems())
    assert "'fr' is not a language of this project" in str(caught.value)
