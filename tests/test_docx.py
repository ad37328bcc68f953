"""The DOCX writer on the real editions (en, nl, it): Word structure, links, metadata,
reproducibility, and LibreOffice's rendering of the result."""
from __future__ import annotations

import datetime
import io
import os
import re
import shutil
import subprocess
import zipfile

import docx
import pytest
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml.ns import qn
from pypdf import PdfReader

from conftest import LANGS
from digin.builder import edition_html
from digin.load import load_toolkit
from digin.writers import docx as docx_writer
from digin.writers.document import parse_document

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


@pytest.fixture(scope="module")
def editions(project) -> dict[str, tuple[str, bytes]]:
    """lang -> (the edition's HTML, its .docx)."""
    found = {}
    for lang in LANGS:
        html = edition_html(project, lang)
        found[lang] = html, docx_writer.write(project, html).data
    return found


def opened(data: bytes):
    return docx.Document(io.BytesIO(data))


def text(el) -> str:
    return " ".join(el.text_content().split())


def tiny_html(body: str, lang: str = "nl") -> str:
    """A minimal edition: the head fields parse_document needs, and the given body."""
    return (f'<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8"><title>Tiny</title>'
            '<meta name="author" content="A. Author"><meta name="short-title" content="T"> '
            '<meta name="dcterms.created" content="2026-03-23T00:00:00+00:00"></head>'
            f"<body>{body}</body></html>")


@pytest.mark.parametrize("lang", LANGS)
def test_headings_have_word_styles_in_document_order(editions, lang):
    html, data = editions[lang]
    root = parse_document(html).root
    expected = [(f"Heading {h.tag[1]}", text(h)) for h in root.xpath(
        "//body//*[self::h1 or self::h2 or self::h3 or self::h4][not(ancestor::header) and not(ancestor::nav)]")]
    found = [(p.style.name, " ".join(p.text.split())) for p in opened(data).paragraphs
             if p.style.name.startswith("Heading")]
    assert found == expected
    assert {style for style, _ in found} == {"Heading 1", "Heading 2", "Heading 3", "Heading 4"}
    chapters = [title for style, title in found if style == "Heading 1"]
    assert chapters == [text(h) for h in root.xpath("//section[contains(@class, 'chapter')]/h1")]


@pytest.mark.parametrize("lang", LANGS)
def test_no_text_is_lost_or_repeated(editions, lang):
    html, data = editions[lang]
    blocks = [block.text if hasattr(block, "text") else "".join(block._tbl.xpath(".//w:t/text()"))
              for block in opened(data).iter_inner_content()]           # paragraphs and tables, in order
    assert "".join("".join(blocks).split()) == "".join(parse_document(html).body.text_content().split())


@pytest.mark.parametrize("lang", LANGS)
def test_cover_title_and_callout_styles(editions, lang):
    html, data = editions[lang]
    root = parse_document(html).root
    paragraphs = opened(data).paragraphs
    assert [p.text for p in paragraphs if p.style.name == "Title"] == [text(root.xpath("//h1[@class='cover-title']")[0])]
    quotes = " ".join(p.text for p in paragraphs if p.style.name == "Quote")
    assert " ".join(quotes.split()) == text(root.xpath("//div[@class='disclaimer']")[0])
    assert any(p.style.name == "Body Text" for p in paragraphs)


@pytest.mark.parametrize("lang", LANGS)
def test_lists_use_list_styles_and_every_ordered_list_restarts(editions, lang):
    html, data = editions[lang]
    document = opened(data)
    styles = [p.style.name for p in document.paragraphs]
    assert "List Bullet" in styles and "List Number" in styles and "Bibliography" in styles

    numbering = document.part.numbering_part.element
    style_num = document.styles["List Number"].element.pPr.numPr.numId.val
    abstract = numbering.num_having_numId(style_num).abstractNumId.val
    num_ids = []
    for p in document.paragraphs:
        if p.style.name == "List Number":
            num_id = p._p.pPr.numPr.numId.val
            if num_id not in num_ids:
                num_ids.append(num_id)
    ordered_lists = parse_document(html).root.xpath("//ol[not(ancestor::nav)]")
    assert len(num_ids) == len(ordered_lists) > 1          # one numbering instance per <ol>
    for num_id in num_ids:
        num = numbering.num_having_numId(num_id)
        assert num.abstractNumId.val == abstract
        assert num.xpath("w:lvlOverride[@w:ilvl='0']/w:startOverride/@w:val") == ["1"]


@pytest.mark.parametrize("lang", LANGS)
def test_metadata_table_has_a_style_and_a_repeating_header_row(editions, lang):
    html, data = editions[lang]
    root = parse_document(html).root
    (table,) = opened(data).tables
    assert table.style.name == "Light Grid Accent 1"
    header, *rows = table.rows
    assert header._tr.xpath("w:trPr/w:tblHeader") and not any(row._tr.xpath("w:trPr/w:tblHeader") for row in rows)
    assert [c.text for c in header.cells] == [text(root.xpath("//table/caption")[0])] * 2   # one cell, spanning
    assert [[c.text for c in row.cells] for row in rows] == \
        [[text(cell) for cell in tr] for tr in root.xpath("//table//tr")]


def test_strong_em_and_links_are_character_styles(project):
    html = tiny_html('<p><strong>a</strong> <em>b</em> <strong><a href="https://example.org/">c</a></strong></p>')
    runs = opened(docx_writer.write(project, html).data).paragraphs[0]._p.xpath(".//w:r")
    found = [(r.xpath("string(w:t)"), r.xpath("string(w:rPr/w:rStyle/@w:val)"), bool(r.xpath("w:rPr/w:b")))
             for r in runs]
    # One character style per run is all Word allows: a strong link is a Hyperlink, bold.
    assert found == [("a", "Strong", False), (" ", "", False), ("b", "Emphasis", False), (" ", "", False),
                     ("c", "Hyperlink", True)]


def test_an_ordered_list_after_another_starts_at_one(project):
    html = tiny_html("<ol><li>a</li><li>b</li></ol><p>between</p><ol><li>c</li></ol>")
    document = opened(docx_writer.write(project, html).data)
    items = [p for p in document.paragraphs if p.style.name == "List Number"]
    assert [p.text for p in items] == ["a", "b", "c"]
    first, second = (p._p.pPr.numPr.numId.val for p in (items[0], items[2]))
    assert first != second and items[1]._p.pPr.numPr.numId.val == first
    numbering = document.part.numbering_part.element
    for num_id in (first, second):
        assert numbering.num_having_numId(num_id).xpath(".//w:startOverride/@w:val") == ["1"]


@pytest.mark.parametrize("lang", LANGS)
def test_table_of_contents_is_a_field_word_updates_on_open(editions, lang):
    html, data = editions[lang]
    document = opened(data)
    body = document.element.body
    assert body.xpath("string(.//w:instrText[contains(., 'TOC')])").strip() == 'TOC \\o "1-3" \\h \\z \\u'
    kinds = [c.get(qn("w:fldCharType")) for c in body.iter(f"{W}fldChar")]
    assert kinds == ["begin", "separate", "end"]
    assert document.settings.element.xpath("w:updateFields/@w:val") == ["true"]
    toc_heading = [p.text for p in document.paragraphs if p.style.name == "TOC Heading"]
    assert toc_heading == [text(parse_document(html).root.xpath("//nav[@class='toc']/h1")[0])]
    entries = [p.text for p in document.paragraphs if p.style.name.startswith("toc ")]
    assert entries == [text(a) for a in parse_document(html).root.xpath("//nav[@class='toc']//a")]


@pytest.mark.parametrize("lang", LANGS)
def test_document_language_in_style_defaults_and_other_languages_on_runs(editions, lang):
    html, data = editions[lang]
    document = opened(data)
    assert document.styles.element.xpath("w:docDefaults/w:rPrDefault/w:rPr/w:lang/@w:val") == [lang]
    assert document.core_properties.language == lang
    references = [p for p in document.paragraphs if p.style.name == "Bibliography"]
    assert references
    run_langs = {r.get(qn("w:val")) for p in references for r in p._p.iter(f"{W}lang")}
    assert run_langs == (set() if lang == "en" else {"en"})   # <ul class="references" lang="en">


def test_span_with_lang_sets_the_language_of_its_runs(project):
    html = tiny_html('<p>Dit is <span lang="en">in English, <em>really</em></span> en Nederlands.</p>')
    p = opened(docx_writer.write(project, html).data).paragraphs[0]
    assert p.text == "Dit is in English, really en Nederlands."
    langs = [(r.text, r._r.xpath("string(w:rPr/w:lang/@w:val)")) for r in p.runs]
    assert langs == [("Dit is ", ""), ("in English, ", "en"), ("really", "en"), (" en Nederlands.", "")]
    assert p.runs[2].style.name == "Emphasis"


@pytest.mark.parametrize("lang", LANGS)
def test_core_properties_come_from_the_document(editions, lang):
    html, data = editions[lang]
    meta = parse_document(html)
    properties = opened(data).core_properties
    created = meta.created.astimezone(datetime.timezone.utc).replace(tzinfo=None)
    assert properties.title == meta.title
    assert properties.author == "; ".join(meta.authors) and len(meta.authors) > 1
    assert properties.subject == meta.description
    assert properties.keywords == meta.keywords
    assert properties.identifier == meta.identifier
    dates = (properties.created, properties.modified, properties.last_printed)
    assert [date.replace(tzinfo=None) for date in dates] == [created] * 3   # python-docx mixes naive and UTC
    assert properties.revision == 1
    assert properties.last_modified_by == meta.root.xpath("string(//meta[@name='generator']/@content)") != ""
    assert properties.comments == ""


@pytest.mark.parametrize("lang", LANGS)
def test_header_and_footer_show_short_title_and_page_number(editions, lang):
    html, data = editions[lang]
    document = opened(data)
    for section in document.sections:
        assert [p.text for p in section.header.paragraphs] == [parse_document(html).short_title]
        footer = section.footer._element
        assert footer.xpath("string(.//w:instrText)").strip() == "PAGE"
        assert [c.get(qn("w:fldCharType")) for c in footer.iter(f"{W}fldChar")] == ["begin", "separate", "end"]
        # The cover has neither, as in print.
        assert section.different_first_page_header_footer
        assert "".join(p.text for p in section.first_page_header.paragraphs) == ""


@pytest.mark.parametrize("lang", LANGS)
def test_links_work_external_by_relationship_internal_by_bookmark(editions, lang):
    html, data = editions[lang]
    document = opened(data)
    body = document.element.body
    links = list(body.iter(f"{W}hyperlink"))
    hrefs = parse_document(html).root.xpath("//body//a/@href")
    assert len(links) == len(hrefs)

    external = [link.get(qn("r:id")) for link in links if link.get(qn("r:id"))]
    rels = document.part.rels
    targets = [rels[rid].target_ref for rid in external]
    assert all(rels[rid].is_external and rels[rid].reltype == RT.HYPERLINK for rid in external)
    assert targets == [href for href in hrefs if not href.startswith("#")]
    assert any(t.startswith("https://") for t in targets) and any(t.startswith("mailto:") for t in targets)

    bookmarks = set(body.xpath(".//w:bookmarkStart/@w:name"))
    anchors = [link.get(qn("w:anchor")) for link in links if link.get(qn("w:anchor"))]
    assert len(anchors) == len([href for href in hrefs if href.startswith("#")]) > 20
    assert set(anchors) <= bookmarks
    assert all(len(name) <= 40 and re.fullmatch(r"[A-Za-z]\w*", name) for name in bookmarks)
    for link in links:
        assert all(r.xpath("string(w:rPr/w:rStyle/@w:val)") == "Hyperlink" for r in link.iter(f"{W}r"))


def test_a_lost_link_shows_its_text_and_note_without_a_hyperlink(project):
    html = tiny_html('<p>See <span class="missing-link">the guide <span class="missing-link-note">'
                     '(link not available)</span></span>.</p>')
    p = opened(docx_writer.write(project, html).data).paragraphs[0]
    assert p.text == "See the guide (link not available)."
    assert not list(p._p.iter(f"{W}hyperlink"))
    assert [r.style.name for r in p.runs[1:3]] == ["Missing Link", "Missing Link Note"]


@pytest.mark.parametrize("lang", LANGS)
def test_eu_emblem_is_a_png_picture_with_its_alt_text(editions, lang):
    html, data = editions[lang]
    document = opened(data)
    alts = parse_document(html).root.xpath("//img/@alt")
    assert document.element.body.xpath(".//wp:docPr/@descr") == alts and alts[0]
    images = [part for part in document.part.package.parts if part.partname.startswith("/word/media/")]
    assert [part.content_type for part in images] == ["image/png"]


def test_images_are_read_from_styles_only(project):
    html = tiny_html('<div class="cover-funding"><img src="../build.py" alt="x"></div>')
    with pytest.raises(ValueError, match="not a file in styles/"):
        docx_writer.write(project, html)


@pytest.mark.parametrize("lang", LANGS)
def test_same_input_gives_the_same_bytes(project, editions, lang):
    html, data = editions[lang]
    assert docx_writer.write(project, html).data == data
    entries = zipfile.ZipFile(io.BytesIO(data)).infolist()
    assert entries[0].filename == "[Content_Types].xml"
    assert [e.filename for e in entries[1:]] == sorted(e.filename for e in entries[1:])
    stamps = {e.date_time for e in entries}
    assert len(stamps) == 1 and stamps.pop()[:3] == parse_document(html).created.timetuple()[:3]
    assert {e.compress_type for e in entries} == {zipfile.ZIP_DEFLATED}


@pytest.mark.parametrize("body, culprit", [
    ("<blockquote><p>quoted</p></blockquote>", "<blockquote>"),
    ('<p class="lead">text</p>', '<p class="lead">'),
    ("<p>a <code>b</code></p>", "<code>"),
    ("<p>a <span>b</span></p>", "<span>"),
])
def test_an_element_outside_the_closed_set_is_refused(project, body, culprit):
    with pytest.raises(ValueError, match=re.escape(culprit)):
        docx_writer.write(project, tiny_html(body))


def test_handouts_have_a_title_and_no_cover(project):
    """The module handouts (also published as .docx) stay inside the closed set."""
    for module in load_toolkit(project).modules:
        html = edition_html(project, "nl", module.id)
        document = opened(docx_writer.write(project, html).data)
        assert [p.text for p in document.paragraphs if p.style.name == "Title"] == \
            [text(parse_document(html).root.xpath("//header/h1")[0])]
        assert not document.sections[0].different_first_page_header_footer


def test_libreoffice_opens_and_renders_every_edition(editions, tmp_path):
    """LibreOffice (as in CI) converts each .docx to a PDF that has the chapters' text."""
    soffice = shutil.which("soffice")
    assert soffice, "LibreOffice is needed for this test: apt-get install libreoffice-writer-nogui"
    files = []
    for lang, (_, data) in editions.items():
        files.append(tmp_path / f"toolkit-{lang}.docx")
        files[-1].write_bytes(data)
    # A private profile and HOME, so that parallel runs do not share (and lock) one.
    env = dict(os.environ, HOME=str(tmp_path))
    subprocess.run([soffice, f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}", "--headless",
                    "--convert-to", "pdf", "--outdir", str(tmp_path / "pdf"), *map(str, files)],
                   check=True, capture_output=True, env=env, timeout=600)
    for lang, (html, _) in editions.items():
        pdf = tmp_path / "pdf" / f"toolkit-{lang}.pdf"
        assert pdf.is_file(), f"LibreOffice made no PDF of {lang}"
        reader = PdfReader(pdf)
        content = " ".join(" ".join((page.extract_text() or "").split()) for page in reader.pages)
        chapters = [text(h) for h in parse_document(html).root.xpath("//section[contains(@class, 'chapter')]/h1")]
        assert len(reader.pages) > 20
        for title in chapters:
            assert title in content


def test_docx_asks_for_the_project_font(editions):
    from digin.writers.docx import FONT

    _, data = editions["en"]
    styles = zipfile.ZipFile(io.BytesIO(data)).read("word/styles.xml").decode()
    assert FONT == "Lato" and 'w:ascii="Lato"' in styles
    assert "Calibri" not in styles and "Cambria" not in styles and "Theme=" not in styles
