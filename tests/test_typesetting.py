"""Typesetting: every built PDF passes the check of digin/typeset.py, each rule of the
check catches its fault, and the PDF writer mends what CSS cannot prevent."""
from __future__ import annotations

import pytest

from digin import markup, typeset
from digin.pdfpages import page_texts as pdfpages_texts
from digin.project import ROOT, Project
from digin.typeset import Line, Page
from digin.writers import paging, printmarks

from conftest import LANGS, manifest
from pdftext import normalize, page_texts, pypdf_page_texts


def pdfs(out, kind=None):
    return [out / e["path"] for e in manifest(out) if e["format"] == "pdf" and kind in (None, e["kind"])]


@pytest.mark.long
def test_every_pdf_passes_the_typesetting_check(built):
    found = []
    for path in pdfs(built):
        found += typeset.check_pdf(path, max_pages=2 if path.parent.name == "handouts" else None)
    assert len(pdfs(built)) == 27
    assert [str(fault) for fault in found] == []


@pytest.mark.parametrize("lang", LANGS)
def test_the_check_reads_each_page_as_pypdf_does(built, lang):
    """The check's own reader (digin/pdfpages.py), which tests/pdftext.py uses too, against
    pypdf's text extraction: the same letters on every page of the toolkit."""
    path = built / lang / f"digin-d2.2-toolkit-{lang}.pdf"
    pages, _links = typeset.read_pdf(path)
    assert [normalize("".join(line.text for line in page.lines)) for page in pages] == \
        [normalize(text) for text in page_texts(path)]
    # and the whole pages, running headers and list markers too
    assert [normalize(text) for text in pdfpages_texts(path.read_bytes())] == \
        [normalize(text) for text in pypdf_page_texts(path)]


def test_the_italian_toolkit_has_no_straight_apostrophe(built):
    pages, _links = typeset.read_pdf(built / "it" / "digin-d2.2-toolkit-it.pdf")
    text = "".join(line.text for page in pages for line in page.lines)
    assert "'" not in text and '"' not in text
    # l’inclusione: 273 were typed straight; 4 were in a translated organisation name that
    # citations now give in the original language (APA)
    assert text.count("\u2019") >= 269


# --- Each rule catches its fault (synthetic pages) -------------------------------------

def line(text, block, kind="P", top=0.0):
    return Line(text, block, kind, top, top + 14.0)


def page(number, *lines):
    return Page(number, list(lines))


def rules(pages, addresses=()):
    return [f.rule for f in typeset.faults(pages, set(addresses))]


FULL = [line("x" * 60, 100 + i, top=50.0 + 15 * i) for i in range(45)]   # a full page: 50..725


def test_hyphen_at_a_page_turn():
    pages = [page(1, *FULL[:-1], line("the World Health Or-", 1, top=710)), page(2, line("ganization says", 1))]
    assert typeset.HYPHEN_AT_TURN in rules(pages)
    pages[0].lines[-1] = line("the World Health", 1, top=710)
    assert typeset.HYPHEN_AT_TURN not in rules(pages)


def test_more_than_two_hyphenated_lines():
    ladder = [line(f"text ending in a hy-{i}"[:-2] + "-", 1, top=50 + 15 * i) for i in range(3)]
    assert typeset.HYPHEN_RUN in rules([page(1, *ladder, line("end.", 1, top=95))])
    assert typeset.HYPHEN_RUN not in rules([page(1, *ladder[:2], line("end.", 1, top=95))])


def test_a_paragraph_ending_on_a_fragment():
    ending = [line("written in Eng-", 1, top=50), line("lish.", 1, top=65), line("Next one.", 2, top=85)]
    assert typeset.FRAGMENT_END in rules([page(1, *ending)])
    ending[1] = line("lish and Dutch.", 1, top=65)
    assert typeset.FRAGMENT_END not in rules([page(1, *ending)])


def test_a_heading_at_the_foot_of_a_page():
    pages = [page(1, *FULL[:-2], line("Do’s", 7, "H4", top=700), line("Identify the stakeholders", 8, top=715)),
             page(2, line("The identification of and contact with", 9), line("relevant stakeholders", 9, top=15))]
    assert typeset.HEADING_AT_FOOT in rules(pages)
    pages[0].lines.insert(-1, line("Lead", 10, top=710))          # two lines of its text: fine
    assert typeset.HEADING_AT_FOOT not in rules(pages)


def test_a_hyphenated_name_and_an_address():
    pages = [page(1, line("the Municipality of Rotter-", 1, top=50), line("dam and", 1, top=65))]
    assert rules(pages) == [typeset.NAME]
    mail = [page(1, line("write to ypic-", 1, top=50), line("cione@comune.genova.it today", 1, top=65))]
    assert typeset.ADDRESS in rules(mail, ["mailto:ypiccione@comune.genova.it"])
    split = [page(1, line("see https://www.who.int/news-", 1, top=50), line("room/questions", 1, top=65))]
    assert typeset.ADDRESS in rules(split, ["https://www.who.int/news-room/questions"])
    good = [page(1, line("see https://www.who.int", 1, top=50), line("/news-room/questions", 1, top=65))]
    assert typeset.ADDRESS not in rules(good, ["https://www.who.int/news-room/questions"])


def test_a_near_empty_page_and_a_last_page_of_furniture():
    middle = [page(1, *FULL), page(2, line("two lines", 1, top=50), line("of text", 1, top=65)), page(3, *FULL)]
    assert rules(middle) == [typeset.NEAR_EMPTY]
    middle[1].lines.insert(0, line("Chapter", 2, "H1", top=30))      # a chapter opens it: by design
    assert rules(middle) == []
    closing = [page(1, *FULL), page(2, line("About this deliverable", 3, "H2", top=50), line("Funded", 4, top=70))]
    assert rules(closing) == [typeset.FURNITURE_ONLY]


def test_straight_quotes():
    assert rules([page(1, line("the \"core group\" of today's", 1))]) == [typeset.STRAIGHT] * 3
    assert rules([page(1, line("the “core group” of today’s", 1))]) == []


# --- What the PDF writer does to the HTML and the layout --------------------------------

def test_addresses_break_only_before_punctuation():
    assert printmarks.address_parts("https://www.who.int/news-room/q-and-a") == \
        ["https://", "www", ".who", ".int", "/news-room", "/q-and-a"]
    assert printmarks.address_parts("ypiccione@comune.genova.it") == ["ypiccione", "@comune", ".genova", ".it"]


def test_a_standalone_edition_prints_the_address_of_a_link():
    html = ('<html lang="en"><head><title>t</title></head><body class="standalone"><p>'
            '<a href="https://example.org/materials">Download here</a> or '
            '<a href="../digin-d2.2-toolkit-en.pdf#term-ally">ally</a></p></body></html>')
    out = printmarks.prepare(html)
    assert 'Download here<span class="printed-address"> (<span class="address"><span>https://</span>' in out
    assert out.count("printed-address") == 1                    # not for the toolkit's own file
    assert 'href="https://example.org/materials"' in out


def test_quotes_apostrophes_and_dashes_per_language():
    assert markup.typographic_texts(["L'Unione \"e\" - noi"], "it") == ["L’Unione «e» – noi"]
    assert markup.typographic_texts(["de \"kerngroep\" van collega's"], "nl") == ["de ‘kerngroep’ van collega’s"]
    assert markup.typographic_texts(["Don't \"stop\" — ok"], "en") == ["Don’t “stop” – ok"]
    assert markup.typographic_texts(["it's"], "xx") == ["it's"]     # a language without conventions


FILLER = "<p>Filler line number {0}.</p>"
HEADED = ('<html lang="en"><head><title>t</title></head><body>{0}<h2>A heading</h2><p>A lead of one line.</p>'
          "<p>Its text, long enough to need two lines on the page when set in this measure and "
          "size, with more words to go onto the next line.</p>{1}</body></html>")


def test_the_writer_mends_a_heading_left_at_the_foot_of_a_page(tmp_path):
    """Among documents with more and more lines before a heading, WeasyPrint alone leaves
    it at a page foot for some; the writer's second look never does."""
    from weasyprint import HTML

    from digin.writers import pdf

    project = Project(ROOT)
    fonts, sheets, images = pdf._resources(project.root)
    raw_faults, mended_faults = 0, []
    for count in range(27, 32):
        html = HEADED.format("".join(FILLER.format(i) for i in range(count)), FILLER.format("end") * 40)
        raw = HTML(string=html).render(stylesheets=sheets, font_config=fonts, cache=images)
        raw_pages, _origins = paging.read_layout([p._page_box for p in raw.pages])
        raw_faults += sum(f.rule == typeset.HEADING_AT_FOOT for f in typeset.faults(raw_pages))
        path = tmp_path / f"{count}.pdf"
        path.write_bytes(pdf.write(project, html).data)
        mended_faults += [str(f) for f in typeset.check_pdf(path) if f.message.startswith(typeset.HEADING_AT_FOOT)]
    assert raw_faults > 0
    assert mended_faults == []
