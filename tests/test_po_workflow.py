"""The translators' files against the real tools: gettext's msgcat and msgmerge, a
Poedit-, msgmerge- and Weblate-style save, `check` as a translator runs it, a Flemish
(nl-BE) edition through EPUBCheck, and XLIFF for CAT tools."""
from __future__ import annotations

import collections
import ctypes
import os
import random
import shutil
import subprocess
import zipfile

import pikepdf
import polib
import pytest
from lxml import etree

from conftest import edit, epubcheck_reports, run_cli
from digin import linebreak, po
from digin.plan import edition_html
from digin.check import by_locale, run_checks
from digin.errors import Problems
from digin.i18n import parse_catalog, template_strings
from digin.poformat import format_catalog
from digin.project import Project
from digin.translating import interface_notes
from unit.conftest import assemble
from unit.test_merge_scenarios import SCENARIOS, prepare, verdicts

FILES = ("locales/nl.po", "locales/it.po", "locales/messages.pot")


def msgcat(path) -> str:
    return subprocess.run(["msgcat", "--width=79", str(path)], capture_output=True, text=True, check=True).stdout


@pytest.mark.parametrize("name", FILES)
def test_the_files_are_as_gettext_writes_them(project, name):
    path = project.root / name
    assert msgcat(path) == path.read_text(encoding="utf-8")
    if name.endswith(".po"):
        assert subprocess.run(["msgfmt", "--check", "-o", os.devnull, str(path)]).returncode == 0


def poedit_save(path) -> None:
    """What Poedit does on save: gettext's form, its own header fields."""
    text = msgcat(path).replace('"Plural-Forms:', '"X-Generator: Poedit 3.4.2\\n"\n"Plural-Forms:', 1)
    path.write_text(text, encoding="utf-8")


def msgmerge_save(path) -> None:
    pot = path.parent / "messages.pot"
    subprocess.run(["msgmerge", "--quiet", "--previous", "--width=79", "-U", "--backup=off", str(path), str(pot)],
                   check=True)


def weblate_save(path) -> None:
    """Weblate reads and writes PO files with translate-toolkit."""
    from translate.storage.pypo import pofile

    path.write_bytes(bytes(pofile.parsefile(str(path))))


@pytest.mark.parametrize("save", [poedit_save, msgmerge_save, weblate_save])
def test_a_save_in_a_translators_tool_then_update_changes_nothing(project_copy, save):
    path = project_copy / "locales/nl.po"
    save(path)
    saved = path.read_bytes()
    result = run_cli(project_copy, "i18n", "update")
    assert result.returncode == 0, result.stderr
    assert path.read_bytes() == saved


def test_update_changes_only_the_entry_whose_english_changed(project_copy):
    path = project_copy / "locales/nl.po"
    before = path.read_text(encoding="utf-8").splitlines()
    edit(project_copy / "content/practices/ghent-employee-networks.yaml",
         "Access to municipal spaces for regular meetings", "Access to municipal spaces for their regular meetings")
    assert run_cli(project_copy, "i18n", "update").returncode == 0
    after = path.read_text(encoding="utf-8").splitlines()
    changed = [line for line in after if line not in before]
    assert changed == ["#, fuzzy", '#| msgid "Access to municipal spaces for regular meetings"',
                       'msgid "Access to municipal spaces for their regular meetings"']


def test_the_issues_case_delete_a_bullet_and_edit_the_next(project_copy):
    """Ghent's staff networks, phase 2: bullet 3 deleted, bullet 4 lightly edited."""
    path = project_copy / "content/practices/ghent-employee-networks.yaml"
    edit(path, "          - Access to municipal spaces for regular meetings\n", "")
    edit(path, "retain autonomy in defining", "retain full autonomy in defining")
    old = {e.msgid: e.msgstr for e in polib.pofile(str(project_copy / "locales/nl.po"))}
    assert run_cli(project_copy, "i18n", "update").returncode == 0
    entries = polib.pofile(str(project_copy / "locales/nl.po"))
    edited = next(e for e in entries if "retain full autonomy" in e.msgid)
    previous = edited.previous_msgid
    assert edited.fuzzy and previous == edited.msgid.replace("full ", "") and edited.msgstr == old[previous]
    deleted = [e for e in entries if e.msgid == "Access to municipal spaces for regular meetings"]
    assert [(e.obsolete, e.msgstr) for e in deleted] == [(1, old[deleted[0].msgid])]
    assert not [e for e in entries if e.fuzzy and e is not edited]


def test_our_merge_is_at_least_as_right_as_msgmerge_in_every_scenario(tmp_path):
    assert shutil.which("msgmerge"), "gettext is needed (apt-get install gettext)"
    table = {}
    for number, scenario in enumerate(SCENARIOS):
        project = assemble(tmp_path / f"project-{number}")
        old, pot = prepare(project, scenario)
        ours = collections.Counter(verdicts(scenario, old, po.merge(pot, old)).values())
        (tmp_path / "old.po").write_text(format_catalog(old), encoding="utf-8")
        (tmp_path / "new.pot").write_text(format_catalog(pot), encoding="utf-8")
        merged = subprocess.run(["msgmerge", "--previous", "--quiet", "-o", "-", str(tmp_path / "old.po"),
                                 str(tmp_path / "new.pot")], capture_output=True, text=True, check=True).stdout
        theirs = collections.Counter(verdicts(scenario, old, parse_catalog(merged)).values())
        table[scenario.name] = (ours, theirs)
        assert set(ours) == {"right"}, scenario.name
        assert theirs["right"] <= ours["right"] and theirs["wrong"] >= ours["wrong"], scenario.name
    # where our merge does better: a string moved to another list, a split paragraph, a retitled phase
    better = {name for name, (ours, theirs) in table.items() if theirs["right"] < ours["right"]}
    assert better == {"move to another list", "split a paragraph in two", "edit a phase's title"}, table


def test_check_reports_no_false_alarm_to_a_translator(project):
    for lang, expected in (("it", {"translation-keep-english": 1}),
                           ("nl", {"translation-keep-english": 11, "glossary-same-translation": 1})):
        own, others = by_locale(project, run_checks(project, [lang]), [lang])
        assert collections.Counter(f.code for f in own) == expected, [str(f) for f in own]
        assert all(f.severity == "warning" for f in own)          # a translator's run passes
        assert others and all(f.file != f"locales/{lang}.po" for f in others)


def test_check_honours_ignore_same_and_flags_a_translated_english_title(project_copy):
    path = project_copy / "locales/it.po"
    edit(path, 'msgid "Table of contents"\nmsgstr "Indice"', 'msgid "Table of contents"\nmsgstr "Table of contents"')
    edit(path, 'msgid "Project acronym"\nmsgstr "Acronimo del progetto"',
         '#, ignore-same\nmsgid "Project acronym"\nmsgstr "Project acronym"')
    edit(path, 'msgid "Equity & Inclusion Lens Handbook"\nmsgstr "Equity & Inclusion Lens Handbook"',
         'msgid "Equity & Inclusion Lens Handbook"\nmsgstr "Manuale della lente dell\'equità"')
    project = Project(project_copy)
    own, _ = by_locale(project, run_checks(project, ["it"]), ["it"])
    found = {(f.code, f.message.split(":")[0]) for f in own}
    assert ("translation-identical", "Table of contents") in found
    assert not [f for f in own if "Project acronym" in f.message]
    assert ("translation-keep-english", "resources.groups.tools.items.equity-inclusion-lens-handbook.title") in found
    assert run_cli(project_copy, "i18n", "update").returncode == 0     # the translator's flag survives
    assert '#, ignore-same\nmsgid "Project acronym"' in path.read_text(encoding="utf-8")


def test_every_interface_string_has_a_note_and_no_note_is_left_over(project):
    notes = interface_notes(project, Problems())
    used = {msgid for msgid, *_ in template_strings(project)}
    assert sorted(used - set(notes)) == [] and sorted(set(notes) - used) == []
    pot = polib.pofile(str(project.locales / "messages.pot"))
    assert all(e.comment for e in pot if e.msgctxt is None)
    fmt = next(e for e in polib.pofile(str(project.po_file("nl"))) if e.msgid == "Format:")
    assert "training" in fmt.comment and fmt.msgstr == "Werkvorm:"


@pytest.mark.long
def test_a_flemish_edition_carries_bcp_47_everywhere_and_passes_epubcheck(project_copy):
    shutil.copy(project_copy / "locales/nl.po", project_copy / "locales/nl-BE.po")   # BCP 47's spelling
    project = Project(project_copy)
    assert project.languages() == ["en", "it", "nl", "nl_BE"]
    assert '<html lang="nl-BE">' in edition_html(project, "nl_BE")
    out = project_copy / "out/nl_BE"
    targets = ["digin-d2.2-toolkit-nl_BE.epub", "handouts/allyship-nl_BE.pdf", "handouts/allyship-nl_BE.docx"]
    chosen = [arg for target in targets for arg in ("--target", f"nl_BE/{target}")]
    result = run_cli(project_copy, "build", "--locale", "nl_BE", *chosen)
    assert result.returncode == 0, result.stderr
    pdf = pikepdf.open(out / targets[1])
    assert str(pdf.Root.Lang) == "nl-BE"
    with zipfile.ZipFile(out / targets[2]) as docx:
        styles = docx.read("word/styles.xml").decode("utf-8")
    assert 'w:val="nl-BE"' in styles and 'w:val="nl_BE"' not in styles
    book = out / targets[0]
    with zipfile.ZipFile(book) as archive:
        package = etree.fromstring(archive.read("EPUB/content.opf"))
        chapter = next(n for n in archive.namelist() if n.endswith(".xhtml") and "nav" not in n)
        html = etree.fromstring(archive.read(chapter))
    assert package.findtext(".//{http://purl.org/dc/elements/1.1/}language") == "nl-BE"
    assert html.get("lang") == "nl-BE" and html.get("{http://www.w3.org/XML/1998/namespace}lang") == "nl-BE"
    [report] = epubcheck_reports(book)
    counts = {key: report["checker"][key] for key in ("nFatal", "nError", "nWarning")}
    assert counts == {"nFatal": 0, "nError": 0, "nWarning": 0}, report["messages"]


def test_xliff_export_then_import_gives_back_the_same_file(project_copy, tmp_path):
    path = project_copy / "locales/it.po"
    before = path.read_bytes()
    exported = run_cli(project_copy, "i18n", "export", "--format", "xliff", "it", "--out", str(tmp_path / "it.xlf"))
    assert exported.returncode == 0, exported.stderr
    imported = run_cli(project_copy, "i18n", "import", str(tmp_path / "it.xlf"))
    assert imported.returncode == 0, imported.stderr
    assert path.read_bytes() == before and "0 translations or states changed" in imported.stdout


def random_text(chance: random.Random) -> str:
    pieces = ["inclusion", "DEI-strategieën", "co-creation", "and/or", "(see", "p. 12)", "“quoted”",
              "‘single’", "«guillemets»", "—", "–", "…", "50%", "€ 300", "https://example.org/a/b-c?d=1",
              "[link](#term-x)", "**bold**", "*it*", "e-mail:", "x@y.eu", "%(name)s", "l'equità", "naïve", "\t",
              "\"", "\\", "界", "é", "n\u0303", "\u00a0", "10:30", "2024-2026", "U.S.", "#3", "x" * 70]
    words = [chance.choice(pieces) for _ in range(chance.randint(1, 40))]
    return "".join(word + chance.choice([" ", " ", " ", "", "\n"]) for word in words).strip(" ")


def test_random_strings_wrap_exactly_as_msgcat_wraps_them(tmp_path):
    chance = random.Random(13)
    catalog = polib.POFile()
    catalog.metadata = {"Content-Type": "text/plain; charset=UTF-8"}
    for number in range(400):
        flags = ["python-format"] if number % 3 == 0 else []
        catalog.append(polib.POEntry(msgctxt=f"k{number}", msgid=random_text(chance), msgstr=random_text(chance),
                                     flags=flags))
    path = tmp_path / "random.po"
    path.write_text(format_catalog(catalog), encoding="utf-8")
    assert msgcat(path) == path.read_text(encoding="utf-8")


def test_line_breaks_are_libunistrings(project):
    """Every string of the real files, and each character of the Latin, Greek and Cyrillic
    scripts and of the punctuation blocks, breaks where gettext's library breaks it."""
    library = ctypes.CDLL("libunistring.so.2")
    library.u8_possible_linebreaks.argtypes = [ctypes.c_char_p, ctypes.c_size_t, ctypes.c_char_p, ctypes.c_char_p]

    def theirs(text):
        data = text.encode("utf-8")
        out = ctypes.create_string_buffer(len(data))
        library.u8_possible_linebreaks(data, len(data), b"UTF-8", out)
        starts = [len(text[:i].encode("utf-8")) for i in range(len(text))]
        return [out.raw[s] for s in starts]

    texts = [t for name in FILES for e in polib.pofile(str(project.root / name)) for t in (e.msgid, e.msgstr) if t]
    repertoire = "".join(chr(c) for c in [*range(0x20, 0x250), *range(0x370, 0x530), *range(0x2000, 0x2070)])
    texts += [f"a{c}b {c} ({c}) {c}1 1{c} a {c}{c}" for c in repertoire]
    assert [t for t in texts if linebreak.possible_breaks(t) != theirs(t)] == []
