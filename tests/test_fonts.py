"""Scripts and fonts as data (styles/fonts.yaml): Greek, Cyrillic and Turkish editions
build with the project's own fonts only; a language in a script no declared font has
is refused with a message that says what to add."""
from __future__ import annotations

import re
import subprocess
import zipfile
from pathlib import Path

import docx
import polib
import pytest

from conftest import assert_refused, run_cli
from digin import fonts
from digin.errors import Problems
from digin.project import ROOT, Project
from pdftext import normalize, page_texts

# A few real translations per language: the title, a heading and a paragraph.
TRANSLATIONS = {
    "el": {"deliverable.title": "Εργαλειοθήκη υλικού ανάπτυξης ικανοτήτων για την ποικιλομορφία",
           "toolkit.introduction.title": "Εισαγωγή",
           "toolkit.introduction.body.in-recent-years": "Τα τελευταία χρόνια οι δήμοι της Ευρώπης "
                                                       "εργάζονται για πιο δίκαιες υπηρεσίες."},
    "uk": {"deliverable.title": "Інструментарій матеріалів для розвитку спроможності щодо різноманіття",
           "toolkit.introduction.title": "Вступ",
           "toolkit.introduction.body.in-recent-years": "Останніми роками міста Європи працюють над "
                                                       "справедливішими послугами для всіх мешканців."},
    "tr": {"deliverable.title": "Çeşitlilik için kapasite geliştirme materyalleri araç seti",
           "toolkit.introduction.title": "Giriş",
           "toolkit.introduction.body.in-recent-years": "Son yıllarda Avrupa'nın belediyeleri herkes için "
                                                       "daha adil hizmetler üzerinde çalışıyor; İğüşöç."},
    "hi": {"toolkit.introduction.title": "परिचय",
           "toolkit.introduction.body.in-recent-years": "हाल के वर्षों में यूरोप की नगरपालिकाएँ काम कर रही हैं।"},
}
FORMATS = ("pdf", "epub", "docx")


def add_language(root: Path, lang: str) -> None:
    """`i18n init LANG` as staff run it, then a translator's few strings."""
    result = run_cli(root, "i18n", "init", lang)
    assert result.returncode == 0, result.stderr
    path = root / "locales" / f"{lang}.po"
    catalog = polib.pofile(str(path), wrapwidth=79)
    wanted = TRANSLATIONS.get(lang, {})
    for entry in catalog:
        if entry.msgctxt in wanted:
            entry.msgstr = wanted[entry.msgctxt]
    assert sum(bool(e.msgstr) for e in catalog) == len(wanted)
    catalog.save()


@pytest.fixture(scope="module")
def scripts_build(tmp_path_factory) -> Path:
    """The toolkit in Greek, Ukrainian and Turkish, in every format."""
    root = Project(ROOT).copy_to(tmp_path_factory.mktemp("fonts") / "project").root
    for lang in ("el", "uk", "tr"):
        add_language(root, lang)
    targets = [arg for lang in ("el", "uk", "tr") for fmt in FORMATS
               for arg in ("--target", f"{lang}/digin-d2.2-toolkit-{lang}.{fmt}")]
    result = run_cli(root, "build", *targets, "--out", str(root / "out"))
    assert result.returncode == 0, result.stderr
    return root / "out"


@pytest.mark.parametrize("lang", ["el", "uk", "tr"])
def test_other_scripts_build_in_every_format(scripts_build, lang):
    strings = TRANSLATIONS[lang]
    base = scripts_build / lang / f"digin-d2.2-toolkit-{lang}"
    pdf_path, epub_path, docx_path = (base.parent / f"{base.name}.{fmt}" for fmt in FORMATS)
    pdf = normalize(" ".join(page_texts(pdf_path)))
    with zipfile.ZipFile(epub_path) as book:
        epub = " ".join(book.read(n).decode("utf-8") for n in book.namelist() if n.endswith(".xhtml"))
    document = docx.Document(str(docx_path))
    word = " ".join(p.text for p in document.paragraphs)
    for text in strings.values():
        assert normalize(text) in pdf
        assert text in epub
        assert text in word


@pytest.mark.parametrize("lang", ["el", "uk", "tr"])
def test_only_the_declared_fonts_are_embedded(scripts_build, lang):
    listing = subprocess.run(["pdffonts", str(scripts_build / lang / f"digin-d2.2-toolkit-{lang}.pdf")],
                             capture_output=True, text=True, check=True).stdout
    faces = [line.split()[0] for line in listing.splitlines()[2:]]
    assert faces and all(re.fullmatch(r"[A-Z]{6}\+DiGiN-Lato(-Bold|-Italic|-Bold-Italic)?", face) for face in faces), \
        listing


def test_a_script_without_a_font_is_refused(project_copy):
    add_language(project_copy, "hi")
    line = next(e.linenum for e in polib.pofile(str(project_copy / "locales" / "hi.po"))
                if e.msgctxt == "toolkit.introduction.title")
    assert_refused(project_copy, [
        f"locales/hi.po:{line}: toolkit.introduction.title: language hi, Devanagari script: 'प' (U+092A "
        "DEVANAGARI LETTER PA) in 'परिचय' is in no font of styles/fonts.yaml",
        "add a font for the Devanagari script to styles/fonts.yaml, with its OFL licence, and a test",
        "1 problem found; nothing was written."], "--locale", "en", "--format", "pdf")


def test_an_untranslated_language_in_another_script_is_refused_for_its_dates(project_copy):
    """Georgian with no string translated still prints Georgian month names and its name."""
    add_language(project_copy, "ka")
    assert_refused(project_copy, ["language ka, Georgian script", "language name (CLDR)",
                                  "add a font for the Georgian script"], "--format", "pdf")


def test_fonts_file_and_languages():
    project = Project(ROOT)
    scripts = fonts.declared_scripts(project, Problems())
    assert [s.code for s in scripts] == ["Latn", "Grek", "Cyrl"]
    assert {s.font for s in scripts} == {"Lato"}
    assert fonts.language_script("el", scripts) == "Grek"
    assert fonts.language_script("hi", scripts) == "Deva"        # from CLDR: not in fonts.yaml
    assert fonts.language_script("sr_Latn", scripts) == "Latn"
    have = fonts.covered(project, scripts, Problems())
    assert {ord(c) for c in "ΑαЯяİığş€"} <= have and ord("प") not in have and ord("⟦") not in have


def test_a_broken_fonts_file_is_located(project_copy):
    path = project_copy / "styles" / "fonts.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("fonts/Lato-Bold.ttf", "fonts/Lato-Black.ttf", 1)
                    .replace("script: Grek", "script: Grxx"), encoding="utf-8")
    assert_refused(project_copy, ["styles/fonts.yaml:20: scripts[0].files: fonts/Lato-Black.ttf is not a file in styles/",
                                  "'Grxx' is not an ISO 15924 script code"], "--format", "pdf")
