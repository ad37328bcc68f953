"""The translators' workflow on a copy of the project: extract, update, init, stats, fallback."""
from __future__ import annotations

import json
import subprocess

import polib
import pytest
from pypdf import PdfReader

from conftest import edit, run_cli, snapshot
from digin.plan import edition_html
from digin.project import Project

OLD = "Take responsibility for the documents you use in your practice."   # not in content


def entry(root, lang, key):
    po = polib.pofile(str(root / f"locales/{lang}.po"))
    return next(e for e in po if e.msgctxt == key)


def test_changed_english_becomes_fuzzy_with_previous_text(project_copy):
    path = project_copy / "content/deliverable.yaml"
    key = "deliverable.title"
    before = entry(project_copy, "nl", key)
    edit(path, "title: Toolkit of DEI capacity-building materials", "title: Toolkit of DEI capacity-building resources")
    for command in ("extract", "update"):
        result = run_cli(project_copy, "i18n", command)
        assert result.returncode == 0, result.stderr
    after = entry(project_copy, "nl", key)
    assert after.fuzzy
    assert after.msgid == "Toolkit of DEI capacity-building resources"
    assert after.msgstr == before.msgstr == "Toolkit van DEI-materialen voor capaciteitsopbouw"
    assert after.previous_msgid == "Toolkit of DEI capacity-building materials"
    text = (project_copy / "locales/nl.po").read_text()
    assert '#| msgid "Toolkit of DEI capacity-building materials"' in text
    pot = polib.pofile(str(project_copy / "locales/messages.pot"))
    assert any(e.msgctxt == key and e.msgid.endswith("resources") for e in pot)


def test_new_and_removed_strings(project_copy):
    removed = entry(project_copy, "nl", "module.allyship.format")
    path = project_copy / "content/modules/allyship.yaml"
    lines = path.read_text().splitlines()
    path.write_text("\n".join(line for line in lines if not line.startswith("format:")) + "\n")
    edit(project_copy / "content/toolkit.yaml", "  body:\n", f"  body:\n    - {OLD}\n")
    assert run_cli(project_copy, "i18n", "update").returncode == 0
    po = polib.pofile(str(project_copy / "locales/nl.po"))
    obsolete = [e for e in po if e.obsolete and e.msgctxt == "module.allyship.format"]
    assert obsolete and obsolete[0].msgstr == removed.msgstr
    assert "#~ msgctxt \"module.allyship.format\"" in (project_copy / "locales/nl.po").read_text()
    new = [e for e in po if e.msgid == OLD]
    assert new and new[0].msgstr == "" and not new[0].obsolete
    # the paragraph now second keeps its key (no position in it), its translation and state
    moved = next(e for e in po if e.msgctxt == "toolkit.introduction.body.in-recent-years")
    assert moved.msgstr.startswith("De afgelopen jaren") and not moved.fuzzy
    assert list(e.msgctxt for e in po if e.msgctxt and e.msgctxt.startswith("toolkit.introduction.body."))[:2] == [
        "toolkit.introduction.body.take-responsibility-for", "toolkit.introduction.body.in-recent-years"]


def test_update_resolves_an_obsolete_copy_of_a_current_string(project_copy):
    # A #~ copy next to the current entry (gettext's tools refuse such a file): the current
    # translation stays, the copy goes, and the file is valid again.
    path = project_copy / "locales/nl.po"
    current = entry(project_copy, "nl", "deliverable.title")
    with path.open("a", encoding="utf-8") as po:
        po.write(f'\n#~ msgctxt "deliverable.title"\n#~ msgid "{current.msgid}"\n#~ msgstr "Oude titel"\n')
    result = run_cli(project_copy, "i18n", "update")
    assert result.returncode == 0, result.stderr
    assert entry(project_copy, "nl", "deliverable.title").msgstr == current.msgstr
    assert "Oude titel" not in path.read_text(encoding="utf-8")
    assert subprocess.run(["msgfmt", "--check", "-o", "/dev/null", str(path)]).returncode == 0


@pytest.mark.long
def test_draft_falls_back_to_english_and_release_refuses(project_copy):
    edit(project_copy / "content/deliverable.yaml", "title: Toolkit of DEI capacity-building materials",
         "title: Toolkit of DEI capacity-building resources")
    assert run_cli(project_copy, "i18n", "update").returncode == 0
    draft = run_cli(project_copy, "build", "--target", "nl/digin-d2.2-toolkit-nl.pdf")
    assert draft.returncode == 0, draft.stderr
    assert "deliverable.title" in draft.stderr and "shown in English" in draft.stderr
    pdf = project_copy / "out/nl/digin-d2.2-toolkit-nl.pdf"
    cover = " ".join(PdfReader(pdf).pages[0].extract_text().split())
    assert "Toolkit of DEI capacity-building resources" in cover

    before = snapshot(project_copy / "out")
    release = run_cli(project_copy, "build", "--locale", "nl", "--release")
    assert release.returncode == 1
    assert "locales/nl.po: --release: 1 strings untranslated or fuzzy: deliverable.title" in release.stderr
    assert "Traceback" not in release.stderr
    assert snapshot(project_copy / "out") == before


def test_fallback_text_is_marked_english_in_the_html(project_copy):
    edit(project_copy / "content/deliverable.yaml", "title: Toolkit of DEI capacity-building materials",
         "title: Toolkit of DEI capacity-building resources")
    edit(project_copy / "locales/nl.po", 'msgid "Table of contents"\nmsgstr "Inhoudsopgave"',
         'msgid "Table of contents"\nmsgstr ""')
    html = edition_html(Project(project_copy), "nl")
    assert '<span lang="en">Toolkit of DEI capacity-building resources</span>' in html
    assert '<span lang="en">Table of contents</span>' in html
    assert '<html lang="nl">' in html


def test_init_writes_a_complete_header(project_copy):
    result = run_cli(project_copy, "i18n", "init", "fr")
    assert result.returncode == 0, result.stderr
    po = polib.pofile(str(project_copy / "locales/fr.po"))
    assert po.metadata["Language"] == "fr"
    assert po.metadata["Plural-Forms"].startswith("nplurals=2; plural=")
    assert po.metadata["Content-Type"] == "text/plain; charset=UTF-8"
    assert po.metadata["Project-Id-Version"].startswith("DiGiN D2.2")
    assert len(po) > 400 and all(e.msgstr == "" for e in po)
    again = run_cli(project_copy, "i18n", "init", "fr")
    assert again.returncode == 1 and "exists already" in again.stderr
    bad = run_cli(project_copy, "i18n", "init", "xx")
    assert bad.returncode == 1 and "'xx' is not a language code Babel knows" in bad.stderr
    assert "did you mean xh" in bad.stderr and "Traceback" not in bad.stderr
    assert not (project_copy / "locales/xx.po").exists()


def test_init_takes_either_spelling_of_a_regional_language(project_copy):
    result = run_cli(project_copy, "i18n", "init", "pt-BR")
    assert result.returncode == 0, result.stderr
    po = polib.pofile(str(project_copy / "locales/pt_BR.po"))    # gettext's spelling
    assert po.metadata["Language"] == "pt_BR" and po.metadata["Plural-Forms"].startswith("nplurals=2;")
    again = run_cli(project_copy, "i18n", "init", "pt_BR")
    assert again.returncode == 1 and "exists already" in again.stderr


def test_stats_report_every_locale_complete(project):
    result = run_cli(project.root, "i18n", "stats", "--format", "json")
    assert result.returncode == 0, result.stderr
    stats = json.loads(result.stdout)
    for lang in [lang for lang in project.languages() if lang != "en"]:
        assert stats[lang]["total"]["percent"] == 100.0
        assert stats[lang]["total"]["untranslated"] == 0 and stats[lang]["total"]["fuzzy"] == 0
        assert {"glossary", "practice", "module", "ui"} <= set(stats[lang]["parts"])
