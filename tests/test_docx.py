"""The DOCX writer on the real editions (en, nl, it): Word structure, links, metadata,
reproducibility, and LibreOffice's rendering of the result."""
from __future__ import annotations

import datetime
import importlib.util
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
from docx.shared import Pt, RGBColor
from fontTools.ttLib import TTFont
from lxml import etree
from pypdf import PdfReader

from conftest import LANGS
from digin.plan import edition_html
from digin.load import load_toolkit
from digin.project import ROOT
from digin.writers import docx as docx_writer
from digin.writers import ooxml, tokens
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


def heading_style(style) -> str | None:
    """The Word heading a paragraph style is ("Heading 2"), itself or through the style it
    is based on (as the front matter's Front Heading is a Heading 2); None if none."""
    while style is not None and not style.name.startswith("Heading "):
        style = style.base_style
    return style.name if style is not None else None


@pytest.mark.parametrize("lang", LANGS)
def test_headings_have_word_styles_in_document_order(editions, lang):
    html, data = editions[lang]
    root = parse_document(html).root
    expected = [(f"Heading {h.tag[1]}", text(h)) for h in root.xpath(
        "//body//*[self::h1 or self::h2 or self::h3 or self::h4][not(ancestor::header) and not(ancestor::nav)]")]
    paragraphs = opened(data).paragraphs
    found = [(heading_style(p.style), " ".join(p.text.split())) for p in paragraphs
             if heading_style(p.style) and p.style.name != "TOC Heading"]   # the nav's, as the HTML's is left out
    assert found == expected
    assert {style for style, _ in found} == {"Heading 1", "Heading 2", "Heading 3", "Heading 4"}
    chapters = [title for style, title in found if style == "Heading 1"]
    assert chapters == [text(h) for h in root.xpath("//section[contains(@class, 'chapter')]/h1")]
    front = [" ".join(p.text.split()) for p in paragraphs if p.style.name == "Front Heading"]
    assert front == [text(h) for h in root.xpath("//section[@id='about']/h2")]


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
    document = opened(data)
    (table,) = document.tables
    assert table.style.name == "Metadata Table"
    header, *rows = table.rows
    assert header._tr.xpath("w:trPr/w:tblHeader") and not any(row._tr.xpath("w:trPr/w:tblHeader") for row in rows)
    assert [c.text for c in header.cells] == [text(root.xpath("//table/caption")[0])] * 2   # one cell, spanning
    assert [[c.text for c in row.cells] for row in rows] == \
        [[text(cell) for cell in tr] for tr in root.xpath("//table//tr")]
    # The row headers' column is as wide as in print; the two fill the text width.
    section = document.sections[0]
    width = section.page_width - section.left_margin - section.right_margin
    first, second = (column.width for column in table.columns)
    assert first + second == pytest.approx(width, abs=2) and first / width == pytest.approx(0.45, abs=0.001)


def test_metadata_table_style_has_the_print_rules_and_tint(project, editions):
    design = tokens.read(project.styles)
    style = opened(editions["en"][1]).styles["Metadata Table"].element
    borders = style.xpath("w:tblPr/w:tblBorders/*")
    assert {b.get(qn("w:color")) for b in borders} == {design.color("color-rule")} and len(borders) == 6
    assert style.xpath("w:tblStylePr[@w:type='firstCol']/w:tcPr/w:shd/@w:fill") == [design.color("color-table-header")]
    assert style.xpath("w:rPr/w:sz/@w:val") == [str(round(design.length("font-size-small") * 2))]


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
    # Pre-filled: before any update the field's result lists the headings, each a link
    # to its heading's bookmark, in the TOC styles rather than as blue links.
    toc = [p for p in document.paragraphs if p.style.name.startswith("toc ")]
    links = parse_document(html).root.xpath("//nav[@class='toc']//a")
    assert [p.text for p in toc] == [text(a) for a in links] and len(toc) > 10
    assert [p.style.name for p in toc] == [f"toc {a.getparent().get('class')[-1]}" for a in links]
    bookmarks = set(body.xpath(".//w:bookmarkStart/@w:name"))
    for paragraph, a in zip(toc, links):
        (link,) = paragraph._p.xpath("w:hyperlink")
        assert link.get(qn("w:anchor")) == ooxml.bookmark_name(a.get("href")[1:])
        assert link.get(qn("w:anchor")) in bookmarks
        assert not link.xpath(".//w:rStyle")
    # The result stands between the field's separate and end marks.
    first_run, last_run = toc[0]._p.xpath(".//w:r"), toc[-1]._p.xpath("w:r")
    assert first_run[2].xpath("w:fldChar/@w:fldCharType") == ["separate"]
    assert last_run[-1].xpath("w:fldChar/@w:fldCharType") == ["end"]


@pytest.mark.parametrize("lang", LANGS)
def test_document_language_in_style_defaults_and_other_languages_on_runs(editions, lang):
    html, data = editions[lang]
    document = opened(data)
    assert document.styles.element.xpath("w:docDefaults/w:rPrDefault/w:rPr/w:lang/@w:val") == [lang]
    assert document.core_properties.language == lang
    assert [p for p in document.paragraphs if p.style.name == "Bibliography"]
    # A run says its language only where the HTML says another one (see the tiny test below).
    other = {el.get("lang") for el in parse_document(html).body.xpath(".//*[@lang]")} - {lang}
    assert {r.get(qn("w:val")) for r in document.element.body.iter(f"{W}lang")} == other


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
    for link in links:                      # in the text, links look like links
        if not link.getparent().xpath("w:pPr/w:pStyle[starts-with(@w:val, 'TOC')]"):
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
    widths = document.element.body.xpath(".//wp:inline/wp:extent/@cx")
    assert [int(w) for w in widths] == [Pt(tokens.read(ROOT / "styles").length("emblem-width"))]


def test_images_are_read_from_styles_only(project):
    html = tiny_html('<div class="cover-funding"><img class="eu-emblem" src="../build.py" alt="x"></div>')
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
    ('<p>a <strong class="x">b</strong></p>', '<strong class="x">'),
    ("<ul><li>a</li><p>b</p></ul>", "<p>"),
    ('<table class="metadata"><thead></thead></table>', "<thead>"),
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


@pytest.mark.long
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
        pages = poppler_page_texts(pdf)
        content = " ".join(pages)
        root = parse_document(html).root
        chapters = [text(h) for h in root.xpath("//section[contains(@class, 'chapter')]/h1")]
        assert len(pages) > 20
        for title in chapters:
            assert title in content
        # The front matter (set smaller, as in print) fills page 2 and no more: the cover,
        # then every front heading on page 2, then the table of contents on page 3.
        page_2, page_3 = pages[1], pages[2]
        for heading in root.xpath("//section[@id='about']/h2"):
            assert text(heading) in page_2, (lang, text(heading))
        assert text(root.xpath("//nav[@id='toc']/h1")[0]) in page_3


def poppler_page_texts(pdf) -> list[str]:
    """Each page's text as poppler's pdftotext reads it (fast: C++), spaces collapsed."""
    text = subprocess.run(["pdftotext", str(pdf), "-"], check=True, capture_output=True, text=True).stdout
    return [" ".join(page.split()) for page in text.split("\f")[:-1]]   # each page ends with a form feed


def test_libreoffice_shows_the_embedded_font(editions, tmp_path):
    """Where Lato is not installed (as on this machine), LibreOffice takes it from the
    DOCX: proof that the fonts are embedded and de-obfuscated as Word does."""
    if "Lato" in subprocess.run(["fc-list"], capture_output=True, text=True).stdout:
        pytest.skip("Lato is installed here: the rendering cannot tell an embedded font from it")
    (tmp_path / "toolkit.docx").write_bytes(editions["en"][1])
    env = dict(os.environ, HOME=str(tmp_path))
    subprocess.run([shutil.which("soffice"), f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}",
                    "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path), str(tmp_path / "toolkit.docx")],
                   check=True, capture_output=True, env=env, timeout=600)
    fonts = set()
    for page in PdfReader(tmp_path / "toolkit.pdf").pages:
        for font in (page["/Resources"].get("/Font") or {}).values():
            fonts.add(str(font.get_object()["/BaseFont"]).split("+")[-1])
    assert fonts == {"Lato-Regular", "Lato-Bold", "Lato-Italic", "Lato-BoldItalic"}


# --- the look: styles/reference.docx, made from styles/design-tokens.css ----------------

def reference_script():
    spec = importlib.util.spec_from_file_location("make_reference_docx", ROOT / "scripts" / "make_reference_docx.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_reference_document_is_what_the_tokens_make(project):
    """styles/reference.docx is up to date with the tokens and fonts (run
    scripts/make_reference_docx.py after a change): the same files, in the same order,
    with the same content and dates."""
    script = reference_script()
    made = script.make(project.styles)
    assert script.entries(made) == script.entries((project.styles / "reference.docx").read_bytes())
    entries = zipfile.ZipFile(io.BytesIO(made)).infolist()
    assert {e.date_time for e in entries} == {(2024, 5, 1, 0, 0, 0)}
    core = opened(made).core_properties
    assert core.created == core.modified and core.created.year == 2024


@pytest.mark.parametrize("lang", LANGS)
def test_headings_look_like_the_pdfs(editions, lang):
    """Sizes and colour from the design tokens print.css uses; clearly distinct sizes,
    not Word's blue 14/13/11 pt; bold, upright, kept with what follows."""
    design = tokens.read(ROOT / "styles")
    styles = opened(editions[lang][1]).styles
    sizes = []
    for level in (1, 2, 3, 4):
        style = styles[f"Heading {level}"]
        assert style.font.size == Pt(design.length(f"font-size-h{level}"))
        assert style.font.color.rgb == RGBColor.from_string(design.color("color-heading"))
        assert style.font.color.theme_color is None and style.font.bold and style.font.italic is False
        assert style.paragraph_format.keep_with_next
        top, _, bottom, _ = design.box(f"margin-h{level}", design.length(f"font-size-h{level}"))
        spacing = style.paragraph_format
        assert (spacing.space_before.pt, spacing.space_after.pt) == (pytest.approx(top, abs=0.05),
                                                                     pytest.approx(bottom, abs=0.05))
        sizes.append(style.font.size.pt)
    assert sizes == sorted(sizes, reverse=True) and min(a - b for a, b in zip(sizes, sizes[1:])) >= 1.5
    assert styles["Heading 1"].paragraph_format.page_break_before
    assert styles["Title"].font.size == Pt(design.length("font-size-title"))
    assert not styles["Title"].element.xpath("w:pPr/w:pBdr")        # not Word's underlined title


@pytest.mark.parametrize("lang", LANGS)
def test_body_font_size_colour_spacing_and_page_come_from_the_tokens(editions, lang):
    design = tokens.read(ROOT / "styles")
    document = opened(editions[lang][1])
    defaults = document.styles.element.find(qn("w:docDefaults"))
    def values(path: str) -> list[str]:
        return etree.XPath(path, namespaces={"w": W[1:-1]})(defaults)

    assert values("w:rPrDefault/w:rPr/w:rFonts/@w:ascii") == [design.family("font-family")] == ["Lato"]
    assert values("w:rPrDefault/w:rPr/w:sz/@w:val") == [str(round(design.length("font-size") * 2))]
    assert values("w:rPrDefault/w:rPr/w:color/@w:val") == [design.color("color-text")]
    # CSS line-height 1.45 is 1.45 / 1.2 of Word's "single" line for Lato (its own 1.2 em).
    assert values("w:pPrDefault/w:pPr/w:spacing/@w:line") == [str(round(240 * 1.45 / 1.2))]
    body = document.styles["Body Text"].paragraph_format
    assert body.space_after.pt == pytest.approx(design.box("margin-paragraph", design.length("font-size"))[2], abs=0.05)
    section = document.sections[0]                  # twips: within a twentieth of a point
    page = (section.page_width, section.page_height, section.top_margin, section.right_margin,
            section.bottom_margin, section.left_margin)
    assert [length.pt for length in page] == pytest.approx([*design.lengths("page-size"), *design.box("page-margin")],
                                                           abs=0.05)
    styles = zipfile.ZipFile(io.BytesIO(editions[lang][1])).read("word/styles.xml").decode()
    assert re.findall(r"Calibri|Cambria|\w+Theme=", styles) == []      # no theme font anywhere
    assert document.styles["Hyperlink"].font.color.rgb == RGBColor.from_string(design.color("color-link"))


def test_design_tokens_are_read_as_css_and_bad_ones_are_located():
    design = tokens.parse("/* house style */\n:root {\n  --blue: #039; /* a note */\n  --gap: 1.4em 0 0.5em;\n"
                          "  --page: 210mm 297mm;\n  --share: 45%;\n  --font: \"Lato\", sans-serif;\n}\n", "t.css")
    assert design.color("blue") == "003399"
    assert design.box("gap", em=10) == pytest.approx((14, 0, 5, 0))
    assert design.lengths("page") == pytest.approx([595.276, 841.89], abs=0.001)
    assert design.fraction("share") == 0.45 and design.family("font") == "Lato"
    for text, message in [
        (":root {\n  --a: 1pt;\n  --b 2pt;\n}", "t.css:3: '--name: value' expected, not '--b 2pt'"),
        (":root {\n  --a: 1pt;\n  --a: 2pt;\n}", "t.css:3: --a is defined twice"),
        (":root { --a: 1pt; }\nh1 { color: red; }", "t.css: one ':root { --name: value; }' block expected"),
    ]:
        with pytest.raises(ValueError, match=re.escape(message)):
            tokens.parse(text, "t.css")
    with pytest.raises(ValueError, match=re.escape("t.css: --missing is not defined")):
        design.color("missing")
    with pytest.raises(ValueError, match=re.escape("t.css: --gap: '1.4em' is relative, but to no font size here")):
        design.box("gap")
    with pytest.raises(ValueError, match=re.escape("t.css: --font: '\"Lato\",' is not a length")):
        design.length("font")


def test_every_style_the_writer_names_is_in_the_reference(project):
    styles = docx.Document(str(project.styles / "reference.docx")).styles
    names = {rule.style for rule in [*docx_writer.BLOCKS.values(), *docx_writer.INLINES.values()] if rule.style}
    names |= {*docx_writer.MASTHEAD.values(), docx_writer.TITLE, docx_writer.BODY, *docx_writer.CONTINUE_STYLES,
              *(s for group in docx_writer.LIST_STYLES.values() for s in group), "TOC Heading",
              "toc 1", "toc 2", "toc 3", "Header", "Footer"}
    assert sorted(name for name in names if name not in styles) == []


def test_a_missing_reference_document_is_named(project_copy):
    from digin.project import Project

    (project_copy / "styles" / "reference.docx").unlink()
    html = tiny_html("<p>a</p>")
    with pytest.raises(ValueError, match=r"styles/reference.docx is missing \(scripts/make_reference_docx.py"):
        docx_writer.write(Project(project_copy), html)


# --- the font: Lato embedded (ECMA-376 Part 1, 17.8.1 and 17.8.3.3) ---------------------

def deobfuscated(data: bytes, key: str) -> bytes:
    """The spec's algorithm, written out again here: the GUID's 16 bytes (as its hex
    digits read, without braces and dashes) in reverse order, XORed over the first 32."""
    digits = key.strip("{}").replace("-", "")
    reversed_key = [int(digits[i:i + 2], 16) for i in range(30, -2, -2)]
    return bytes(b ^ reversed_key[i % 16] for i, b in enumerate(data[:32])) + data[32:]


def test_lato_is_embedded_in_every_face(editions):
    data = editions["nl"][1]
    document = opened(data)
    table_part = document.part.part_related_by(RT.FONT_TABLE)
    table = etree.fromstring(table_part.blob)
    (lato,) = table.xpath("w:font[@w:name='Lato']", namespaces={"w": W[1:-1]})
    assert lato.xpath("string(w:family/@w:val)", namespaces={"w": W[1:-1]}) == "swiss"   # the substitute's kind
    faces = {}
    for embed in lato:
        if not embed.tag.startswith(f"{W}embed"):
            continue
        part = table_part.related_parts[embed.get(qn("r:id"))]
        assert part.content_type == "application/vnd.openxmlformats-officedocument.obfuscatedFont"
        assert part.partname.startswith("/word/fonts/") and part.partname.endswith(".odttf")
        assert part.blob[:4] != b"\x00\x01\x00\x00"          # obfuscated: no TrueType header
        font = TTFont(io.BytesIO(deobfuscated(part.blob, embed.get(qn("w:fontKey")))))
        assert font["name"].getDebugName(1) == "Lato"
        assert font["OS/2"].fsType & 0x000E in (0, 0x0008)      # installable or editable embedding
        faces[embed.tag.removeprefix(W)] = (font["name"].getDebugName(2), set(font.getBestCmap()))
    assert {tag: face for tag, (face, _) in faces.items()} == {
        "embedRegular": "Regular", "embedBold": "Bold", "embedItalic": "Italic", "embedBoldItalic": "Bold Italic"}
    # Every character of the edition is in the embedded fonts (and editing in any
    # Latin-script language finds its letters: Latin Extended-A is kept).
    used = {ord(c) for c in "".join(p.text for p in document.paragraphs) if not c.isspace()}
    for _, characters in faces.values():
        assert used <= characters and set(range(0x100, 0x180)) <= characters
    assert document.settings.element.xpath("w:embedTrueTypeFonts")
