"""Scripts and fonts as data (styles/fonts.yaml): Greek, Cyrillic and Turkish editions
build with the project's own fonts only; an Arabic edition is right to left in every
format; a language in a script no declared font has is refused with a message that says
what to add."""
from __future__ import annotations

import re
import subprocess
import zipfile
from pathlib import Path

import docx
import pikepdf
import polib
import pytest
from lxml import etree

from conftest import EVERY_CORE, ace_report, ace_violations, assert_refused, epubcheck_reports, once_per_run, run_cli
from digin import fonts, typeset
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
    # A title, a heading, a paragraph with numbers, a list item with a link, a sentence
    # with an e-mail address (the Rotterdam practice's contact).
    "ar": {"deliverable.title": "مجموعة أدوات لمواد بناء القدرات في مجال التنوع والإنصاف والشمول",
           "toolkit.introduction.title": "مقدمة",
           "toolkit.introduction.body.in-recent-years": "في السنوات الأخيرة اكتسب الحوار حول **التنوع والإنصاف "
                                                       "والشمول** زخماً في الاتحاد الأوروبي، وفي عام 2024 بدأت 3 "
                                                       "بلديات أوروبية العمل معاً.",
           "toolkit.how_to_use.parts.the-glossary.lead": "[مسرد المصطلحات](#glossary)",
           "toolkit.how_to_use.parts.the-glossary.text": "يقدّم تعريفات واضحة وميسّرة للمفاهيم الأساسية المستخدمة "
                                                        "في مجموعة الأدوات.",
           "practice.rotterdam-inclusiveness-panel.contact.contact":
               "للتواصل: [inclusiviteitspanel@rotterdam.nl](mailto:inclusiviteitspanel@rotterdam.nl)"},
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


@pytest.fixture(scope="session")
def scripts_build(tmp_path_factory) -> Path:
    """The toolkit in Greek, Ukrainian, Turkish and Arabic, in every format."""
    def make(folder: Path) -> None:
        root = Project(ROOT).copy_to(folder / "project").root
        for lang in ("el", "uk", "tr", "ar"):
            add_language(root, lang)
        targets = [arg for lang in ("el", "uk", "tr", "ar") for fmt in FORMATS
                   for arg in ("--target", f"{lang}/digin-d2.2-toolkit-{lang}.{fmt}")]
        result = run_cli(root, "build", *targets, "--out", str(root / "out"), *EVERY_CORE)
        assert result.returncode == 0, result.stderr

    return once_per_run(tmp_path_factory, "scripts", make) / "project" / "out"


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


W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _lines(pdf: Path, page: int) -> list[tuple[float, float, str]]:
    """(left, right, words) of each line of a PDF page, as poppler lays them out (it gives
    the letters of a right-to-left word in visual order: turned back here)."""
    layout = subprocess.run(["pdftotext", "-bbox-layout", "-f", str(page), "-l", str(page), str(pdf), "-"],
                            capture_output=True, text=True, check=True).stdout
    root = etree.fromstring(layout.encode("utf-8"), etree.XMLParser(recover=True))
    def logical(word: str) -> str:
        return word[::-1] if re.search("[\u0600-\u06ff]", word) else word
    return [(float(line.get("xMin")), float(line.get("xMax")),
             " ".join(logical(word.text or "") for word in line.iter("{*}word")))
            for line in root.iter("{*}line")]


def test_the_arabic_pdf_is_right_to_left_in_its_own_fonts(scripts_build):
    pdf = scripts_build / "ar" / "digin-d2.2-toolkit-ar.pdf"
    assert str(pikepdf.open(pdf).Root.Lang) == "ar"
    listing = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
    faces = {line.split()[0].split("+")[1] for line in listing.splitlines()[2:]}
    assert {"DiGiN-Noto-Sans-Arabic", "DiGiN-Noto-Sans-Arabic-Bold"} <= faces, listing
    assert all(re.fullmatch(r"DiGiN-(Lato|Noto-Sans-Arabic)(-Bold|-Italic|-Bold-Italic)?", face) for face in faces)
    page = next(number for number in range(3, 8)                   # the introduction's first page
                if "السنوات" in " ".join(text for _l, _r, text in _lines(pdf, number)))
    lines = _lines(pdf, page)
    paragraph = [(left, right) for left, right, text in lines if "السنوات" in text or "بلديات" in text]
    heading = next((left, right) for left, right, text in lines if text == "مقدمة" and left > 100)   # not the running head
    right_edge = max(right for _left, right in paragraph)
    assert right_edge > 520                                  # the text's right edge (A4, 22 mm margin)
    assert paragraph and all(abs(right - right_edge) < 1.5 for _left, right in paragraph + [heading])
    assert paragraph[-1][0] > 100 and heading[0] > 400       # ragged on the left: set from the right
    pages, _links = typeset.read_pdf(pdf)                    # the typesetting check reads it in reading order
    assert any(line.text == "مقدمة" and line.is_heading for line in pages[page - 1].lines)


@pytest.mark.long
def test_the_arabic_epub_is_right_to_left_and_checks_clean(scripts_build, tmp_path):
    book = scripts_build / "ar" / "digin-d2.2-toolkit-ar.epub"
    with zipfile.ZipFile(book) as archive:
        package = etree.fromstring(archive.read("EPUB/content.opf"))
        chapter = etree.fromstring(archive.read("EPUB/introduction.xhtml"))
        practices = archive.read("EPUB/practices.xhtml").decode("utf-8")
        names = archive.namelist()
        css = archive.read("EPUB/epub.css").decode("utf-8")
    assert package.get("dir") == "rtl"
    assert package.find("{*}spine").get("page-progression-direction") == "rtl"
    assert chapter.get("dir") == "rtl" and chapter.get("lang") == "ar"
    assert {"EPUB/fonts/NotoSansArabic-Regular.ttf", "EPUB/fonts/NotoSansArabic-Bold.ttf"} <= set(names)
    assert '"DiGiN Lato", "DiGiN Noto Sans Arabic"' in css
    # The e-mail address reads left to right inside the Arabic sentence.
    assert 'للتواصل: <a href="mailto:inclusiviteitspanel@rotterdam.nl" dir="ltr">' in practices
    [report] = epubcheck_reports(book)
    assert {key: report["checker"][key] for key in ("nFatal", "nError", "nWarning")} == \
        {"nFatal": 0, "nError": 0, "nWarning": 0}, report["messages"]
    accessibility = ace_report(book, tmp_path / "ace")
    assert accessibility["earl:result"]["earl:outcome"] == "pass" and not ace_violations(accessibility)


def test_the_arabic_docx_is_right_to_left_with_its_font(scripts_build):
    path = scripts_build / "ar" / "digin-d2.2-toolkit-ar.docx"
    with zipfile.ZipFile(path) as archive:
        styles = etree.fromstring(archive.read("word/styles.xml"))
        body = etree.fromstring(archive.read("word/document.xml"))
        table = etree.fromstring(archive.read("word/fontTable.xml"))
    defaults = styles.find(f"{W}docDefaults")
    assert defaults.find(f"{W}pPrDefault/{W}pPr/{W}bidi") is not None            # paragraphs start at the right
    assert defaults.find(f"{W}rPrDefault/{W}rPr/{W}lang").get(f"{W}bidi") == "ar"
    assert {fonts.get(f"{W}cs") for fonts in styles.iter(f"{W}rFonts")} == {"Noto Sans Arabic"}
    embedded = [font for font in table.iter(f"{W}font") if font.get(f"{W}name") == "Noto Sans Arabic"]
    assert embedded and embedded[0].find(f"{W}embedRegular") is not None
    runs = [run for run in body.iter(f"{W}r") if "مقدمة" in "".join(run.itertext())]
    assert runs and all(run.find(f"{W}rPr/{W}rtl") is not None for run in runs)
    assert body.find(f".//{W}tblPr/{W}bidiVisual") is not None                      # the table's first column at the right
    text = " ".join(p.text for p in docx.Document(str(path)).paragraphs)
    assert TRANSLATIONS["ar"]["deliverable.title"] in text


def test_the_download_page_is_right_to_left_in_arabic(scripts_build):
    arabic = (scripts_build / "index.ar.html").read_text(encoding="utf-8")
    assert '<html lang="ar" dir="rtl">' in arabic
    english = (scripts_build / "index.html").read_text(encoding="utf-8")
    assert '<section class="language" lang="ar" dir="rtl"' in english


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
    assert [s.code for s in scripts] == ["Latn", "Grek", "Cyrl", "Arab"]
    assert {s.font for s in scripts} == {"Lato", "Noto Sans Arabic"}
    assert fonts.language_script("ar", scripts) == "Arab"
    assert fonts.language_script("el", scripts) == "Grek"
    assert fonts.language_script("hi", scripts) == "Deva"        # from CLDR: not in fonts.yaml
    assert fonts.language_script("sr_Latn", scripts) == "Latn"
    have = fonts.covered(project, scripts, Problems())
    assert {ord(c) for c in "ΑαЯяİığş€"} <= have and ord("प") not in have and ord("⟦") not in have


def test_a_broken_fonts_file_is_located(project_copy):
    path = project_copy / "styles" / "fonts.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("fonts/Lato-Bold.ttf", "fonts/Lato-Black.ttf", 1)
                    .replace("script: Grek", "script: Grxx"), encoding="utf-8")
    assert_refused(project_copy, ["styles/fonts.yaml:21: scripts[0].files: fonts/Lato-Black.ttf is not a file in styles/",
                                  "'Grxx' is not an ISO 15924 script code"], "--format", "pdf")
