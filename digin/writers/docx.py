"""DOCX writer: walk the edition's semantic HTML and map each element to a Word style.

The HTML is a closed set of elements (the tags below, and for p, div, span, header,
footer and nav the classes below, because there the class is the meaning). Anything else raises
ValueError naming the element, so a template change cannot silently drop content here.

Formatting lives in Word styles (Title, Heading 1-4, Body Text, List Bullet/Number,
Quote, Strong, Emphasis, Hyperlink ...), set up once in `_set_up_styles`, so an editor
restyles the document in Word instead of fighting direct formatting. The output is
reproducible: every date comes from the document, and the zip is rewritten with fixed
entry dates and order.
"""
from __future__ import annotations

import hashlib
import io
import re
from dataclasses import dataclass, replace
from pathlib import Path

import docx
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

from ..assets import styles_file
from ..markup import ALLOWED_SCHEMES, ARTIFACT_LINK
from ..project import Project
from . import Output, reproducible_zip
from .document import Document, parse_document

MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
LIBRARIES = ("python-docx", "lxml")   # their versions are part of the fingerprints
ORDER = 3                 # its place among the formats (CLI, download page)
COST = 1                  # relative render time, for scheduling (the longest first)
STYLESHEET = None
ASSETS = ("*.png",)     # what the writer reads from styles/: the PNG twins of the SVG images

BODY = "Body Text"
HEADINGS = {"h1": "Heading 1", "h2": "Heading 2", "h3": "Heading 3", "h4": "Heading 4"}
BLOCKS = {"header", "footer", "section", "div", "nav", "p", "ul", "ol", "table", *HEADINGS}
# The Word style of each paragraph class; None: the style of where the paragraph stands.
P_STYLES = {None: None, "kicker": "Subtitle", "cover-acronym": "Subtitle", "cover-project": "Subtitle",
            "cover-number": "Subtitle", "note": "Note", "funding": None, "citation": None, "lesson-title": None,
            "practice-place": None, "practice-pdf": None, "materials": None, "access": None}
# The paragraph style inside each kind of div; None: unchanged.
DIV_STYLES = {"term": None, "cover-funding": None, "footer-funding": None, "disclaimer": "Quote"}
# Character styles of inline elements (a span without a class must carry lang).
SPAN_STYLES = {"missing-link": "Missing Link", "missing-link-note": "Missing Link Note",
               "resource-language": "Resource Language"}
INLINE_STYLES = {"strong": "Strong", "em": "Emphasis", "a": "Hyperlink"}
LIST_STYLES = {"ul": ("List Bullet", "List Bullet 2", "List Bullet 3"),
               "ol": ("List Number", "List Number 2", "List Number 3")}
CONTINUE_STYLES = ("List Continue", "List Continue 2", "List Continue 3")
TOC_FIELD = ' TOC \\o "1-3" \\h \\z \\u '
EMBLEM_WIDTH = Mm(27)                       # as .eu-emblem in print.css
_STYLES_WITH_EFFECTS = "http://schemas.microsoft.com/office/2007/relationships/stylesWithEffects"
_SPACES = re.compile(r"[ \t\n\r\f]+")       # HTML white space; not \s, which would eat no-break spaces


def write(project: Project, html: str) -> Output:
    """The edition as a .docx: same HTML in, same bytes out."""
    meta = parse_document(html)
    writer = _Writer(project, meta)
    writer.flow(meta.body, _Context())
    writer.check_anchors()
    _set_language(writer.document, meta.lang)
    _set_header_and_footer(writer.document, meta.short_title, writer.has_cover)
    _set_update_fields(writer.document)
    _set_properties(writer.document, meta)
    _drop_template_leftovers(writer.document)
    buffer = io.BytesIO()
    writer.document.save(buffer)
    stamp = max(meta.created.timetuple()[:6], (1980, 1, 1, 0, 0, 0))   # zip dates start in 1980
    return Output(reproducible_zip(buffer.getvalue(), first="[Content_Types].xml", date_time=stamp))


@dataclass(frozen=True)
class _Context:
    """Where the walker is: the style for paragraphs here, the language, open character styles."""
    style: str = BODY
    lang: str | None = None
    chars: tuple[str, ...] = ()             # character styles, outermost first

    def entering(self, el) -> _Context:
        return replace(self, lang=el.get("lang")) if el.get("lang") else self

    def with_char(self, style: str) -> _Context:
        return replace(self, chars=self.chars + (style,))


def _unknown(el) -> ValueError:
    cls = f' class="{el.get("class")}"' if el.get("class") else ""
    return ValueError(f"DOCX writer: <{el.tag}{cls}> is not handled (add it to digin/writers/docx.py)")


def _children(el):
    """Element children, skipping comments; text between them must be white space."""
    for text in [el.text] + [child.tail for child in el]:
        if text and text.strip():
            raise ValueError(f"DOCX writer: text {text.strip()[:40]!r} directly in <{el.tag}>")
    return [child for child in el if isinstance(child.tag, str)]


class _Writer:
    def __init__(self, project: Project, meta: Document):
        self.project = project
        self.meta = meta
        self.document = docx.Document()
        _set_up_styles(self.document)
        _set_fonts(self.document)
        _set_up_page(self.document)
        self.style_ids: dict[str, str] = {}
        self.lists: list[str] = []          # styles of the open lists, outermost first
        self.item = None                    # (style, numId) for the first paragraph of a list item
        self.pending_ids: list[str] = []    # element ids to bookmark at the next paragraph
        self.page_break = False             # the next paragraph starts a page
        self.has_cover = False              # a cover page: no header and footer on page 1
        self.bookmarks: dict[str, str] = {}  # bookmark name -> HTML id
        self.anchors: set[str] = set()      # HTML ids that internal links point to
        self.p = None                       # the open paragraph (w:p), if any
        self.last_t = None                  # its last text element
        self.after_space = True             # its text so far ends in white space (or is empty)

    # --- blocks -------------------------------------------------------------------------

    def flow(self, el, ctx: _Context) -> None:
        """A container's children: blocks in order; loose inline content becomes paragraphs."""
        self.loose_text(el.text, ctx)
        for child in el:
            if isinstance(child.tag, str):
                if child.tag in BLOCKS:
                    self.end_paragraph()
                    self.block(child, ctx)
                else:
                    if self.p is None:
                        self.begin_paragraph(ctx.style)
                    self.inline(child, self.p, ctx)
            self.loose_text(child.tail, ctx)
        self.end_paragraph()

    def loose_text(self, text: str | None, ctx: _Context) -> None:
        if text and (text.strip() or self.p is not None):
            if self.p is None:
                self.begin_paragraph(ctx.style)
            self.text(text, self.p, ctx)

    def block(self, el, ctx: _Context) -> None:
        ctx = ctx.entering(el)
        tag, cls = el.tag, el.get("class")
        if el.get("id"):
            self.pending_ids.append(el.get("id"))
        if tag in HEADINGS:                 # the h1 of a cover or standalone header is the title
            title = tag == "h1" and el.getparent().tag == "header"
            self.paragraph(el, "Title" if title else HEADINGS[tag], ctx)
        elif tag == "p" and cls in P_STYLES:
            self.paragraph(el, P_STYLES[cls] or ctx.style, ctx)
        elif tag in LIST_STYLES:
            self.list(el, ctx)
        elif tag == "table":
            self.table(el, ctx)
        elif tag == "nav" and cls == "toc":
            self.toc(el, ctx)
        elif tag == "header" and cls == "cover":
            self.flow(el, ctx)
            self.page_break = True          # the cover is a page of its own, as in print
            self.has_cover = True
        elif (tag, cls) in (("header", "standalone-header"), ("footer", "standalone-footer")):
            self.flow(el, ctx)
        elif tag == "div" and cls in DIV_STYLES:
            self.flow(el, replace(ctx, style=DIV_STYLES[cls] or ctx.style))
        elif tag == "section":              # its classes are layout hooks for CSS only
            self.flow(el, ctx)
        else:
            raise _unknown(el)

    def paragraph(self, el, style: str, ctx: _Context) -> None:
        """A paragraph of inline content only (p, h1-h4)."""
        self.begin_paragraph(style)
        self.content(el, self.p, ctx)
        self.end_paragraph()

    def begin_paragraph(self, style: str) -> None:
        """Open a paragraph. In a list it is the item's numbered one or a continuation."""
        num_id = None
        if self.item:
            (style, num_id), self.item = self.item, None
        elif self.lists:
            style = CONTINUE_STYLES[len(self.lists) - 1]
        paragraph = self.document.add_paragraph()
        paragraph._p.style = self.style_id(style)   # by id: python-docx's lookup by name is slow
        if num_id is not None:
            num_pr = paragraph._p.get_or_add_pPr().get_or_add_numPr()
            num_pr.get_or_add_ilvl().val = 0
            num_pr.get_or_add_numId().val = num_id
        if self.page_break:
            paragraph.paragraph_format.page_break_before = True
            self.page_break = False
        for html_id in self.pending_ids:
            self.bookmark(paragraph._p, html_id)
        self.pending_ids = []
        self.start_runs(paragraph._p)

    def start_runs(self, p) -> None:
        self.p, self.last_t, self.after_space = p, None, True

    def end_paragraph(self) -> None:
        if self.last_t is not None:         # HTML drops white space at the end of a block
            self.last_t.text = self.last_t.text.rstrip(" ")
        self.p = self.last_t = None

    def list(self, el, ctx: _Context) -> None:
        level = len(self.lists)
        if level == len(CONTINUE_STYLES):
            raise ValueError(f"DOCX writer: <{el.tag}> nested deeper than {level} lists")
        if el.get("class") == "references":     # a bibliography: no bullets, hanging indent
            style, num_id = "Bibliography", None
        else:
            style = LIST_STYLES[el.tag][level]
            num_id = self.restarted_numbering(style) if el.tag == "ol" else None
        self.lists.append(style)
        for li in _children(el):
            if li.tag != "li":
                raise _unknown(li)
            if li.get("id"):
                self.pending_ids.append(li.get("id"))
            self.item = (style, num_id)
            self.flow(li, ctx.entering(li))
            self.item = None
        self.lists.pop()

    def restarted_numbering(self, style: str) -> int:
        """A new w:num for the list style's numbering that starts again at 1.

        Word continues a numbered style's count across the whole document; each <ol>
        gets its own w:num with a startOverride, so it counts from 1 as in HTML.
        """
        numbering = self.document.part.numbering_part.element
        style_num_id = self.document.styles[style].element.pPr.numPr.numId.val
        abstract_id = numbering.num_having_numId(style_num_id).abstractNumId.val
        num = numbering.add_num(abstract_id)
        num.add_lvlOverride(ilvl=0).add_startOverride(1)
        return num.numId

    def table(self, el, ctx: _Context) -> None:
        caption, rows = None, []
        for child in _children(el):
            if child.tag == "caption":
                caption = child
            elif child.tag == "tbody":
                rows += _children(child)
            elif child.tag == "tr":
                rows.append(child)
            else:
                raise _unknown(child)
        cells = [_children(tr) for tr in rows]
        for tr, row_cells in zip(rows, cells):
            if tr.tag != "tr":
                raise _unknown(tr)
            for cell in row_cells:
                if cell.tag not in ("th", "td"):
                    raise _unknown(cell)
        table = self.document.add_table(rows=0, cols=max(map(len, cells), default=1))
        table.style = "Light Grid Accent 1"  # first row and first column (the th) emphasised
        if caption is not None:             # the caption becomes the header row, spanning the table
            row = table.add_row()
            self.cell(row.cells[0].merge(row.cells[-1]), caption, ctx)
        for row_cells in cells:
            row = table.add_row()
            for target, cell in zip(row.cells, row_cells):
                self.cell(target, cell, ctx)
        # The header row repeats on every page the table runs over.
        table.rows[0]._tr.get_or_add_trPr().append(OxmlElement("w:tblHeader"))

    def cell(self, target, el, ctx: _Context) -> None:
        self.start_runs(target.paragraphs[0]._p)
        self.content(el, self.p, ctx.entering(el))
        self.end_paragraph()

    def toc(self, nav, ctx: _Context) -> None:
        """The PDF's table of contents becomes a Word TOC field, pre-filled with its entries.

        Word recomputes the field (with page numbers) on open because of updateFields;
        until then, and in readers that never update fields, the entries link to their
        headings.
        """
        entries = []
        for child in _children(nav):
            if child.tag == "h1":
                self.paragraph(child, "TOC Heading", ctx)
            elif child.tag == "ol":
                entries = _children(child)
            else:
                raise _unknown(child)
        if not entries:
            self.begin_paragraph("toc 1")
            self.p.extend(_field_start(TOC_FIELD))
        for index, li in enumerate(entries):
            level = (li.get("class") or "").removeprefix("toc-level-")
            if li.tag != "li" or level not in ("1", "2", "3"):
                raise _unknown(li)
            self.begin_paragraph(f"toc {level}")
            if index == 0:
                self.p.extend(_field_start(TOC_FIELD))
            self.content(li, self.p, ctx)
            if index < len(entries) - 1:
                self.end_paragraph()
        self.p.append(_field_char("end"))
        self.end_paragraph()

    # --- inline content -----------------------------------------------------------------

    def content(self, el, target, ctx: _Context) -> None:
        """The text and inline children of an element, as runs appended to target."""
        self.text(el.text, target, ctx)
        for child in el:
            if isinstance(child.tag, str):
                self.inline(child, target, ctx)
            self.text(child.tail, target, ctx)

    def inline(self, el, target, ctx: _Context) -> None:
        ctx = ctx.entering(el)
        tag, cls = el.tag, el.get("class")
        if tag == "img":
            self.picture(el, target)
            return
        if tag == "a":
            target = self.hyperlink(el.get("href") or "", target)
        if tag in INLINE_STYLES:
            ctx = ctx.with_char(INLINE_STYLES[tag])   # strong.term-name is a Strong too
        elif tag == "span" and cls in SPAN_STYLES:
            ctx = ctx.with_char(SPAN_STYLES[cls])
        elif not (tag == "span" and cls is None and el.get("lang")):
            raise _unknown(el)
        self.content(el, target, ctx)

    def text(self, text: str | None, target, ctx: _Context) -> None:
        """Text as a run, its white space collapsed as a browser would."""
        text = _SPACES.sub(" ", text or "")
        if self.after_space:
            text = text.lstrip(" ")
        if not text:
            return
        run = OxmlElement("w:r")
        properties = self.run_properties(ctx)
        if len(properties):
            run.append(properties)
        t = OxmlElement("w:t")
        t.text = text
        t.set(qn("xml:space"), "preserve")
        run.append(t)
        target.append(run)
        self.last_t, self.after_space = t, text.endswith(" ")

    def run_properties(self, ctx: _Context):
        """w:rPr: the innermost character style; Word allows one per run, so bold or italic
        from an outer strong/em become direct toggles. w:lang where the text's language
        is not the document's."""
        properties = OxmlElement("w:rPr")
        if ctx.chars:
            style = OxmlElement("w:rStyle")
            style.set(qn("w:val"), self.style_id(ctx.chars[-1]))
            properties.append(style)
            outer = set(ctx.chars[:-1]) - {ctx.chars[-1]}
            for name, toggle in (("Strong", "w:b"), ("Emphasis", "w:i")):
                if name in outer:
                    properties.append(OxmlElement(toggle))
        if ctx.lang and ctx.lang != self.meta.lang:
            lang = OxmlElement("w:lang")
            lang.set(qn("w:val"), ctx.lang)
            properties.append(lang)
        return properties

    def style_id(self, name: str) -> str:
        if name not in self.style_ids:
            self.style_ids[name] = self.document.styles[name].style_id
        return self.style_ids[name]

    def hyperlink(self, href: str, target):
        """A w:hyperlink: internal (#id) to a bookmark; external by relationship, where a
        relative target (another file of out/) stays relative to the document's folder."""
        if target is not self.p:
            raise ValueError(f"DOCX writer: link {href!r} inside another link")
        link = OxmlElement("w:hyperlink")
        if href.startswith("#") and len(href) > 1:
            link.set(qn("w:anchor"), _bookmark_name(href[1:]))
            self.anchors.add(href[1:])
        elif href.startswith(ALLOWED_SCHEMES) or ARTIFACT_LINK.fullmatch(href):
            link.set(qn("r:id"), self.document.part.relate_to(href, RT.HYPERLINK, is_external=True))
        else:
            raise ValueError(f"DOCX writer: <a href={href!r}>: only http(s), mailto, #id and relative file links")
        link.set(qn("w:history"), "1")
        target.append(link)
        return link

    def picture(self, img, target) -> None:
        """An inline picture with its alt text (docPr descr), from styles/ only.

        DOCX cannot hold SVG: an .svg source is taken as its PNG twin in styles/.
        """
        src, alt = img.get("src") or "", img.get("alt")
        if not alt:
            raise ValueError(f"DOCX writer: <img src={src!r}> without alt text")
        png = re.sub(r"\.svg$", ".png", src)
        path = styles_file(self.project, png)
        if path is None:
            raise ValueError(f"DOCX writer: <img src={src!r}>: {Path(png).name} is not a file in styles/")
        inline = self.document.part.new_pic_inline(str(path), width=EMBLEM_WIDTH)
        inline.docPr.set("descr", alt)
        run = OxmlElement("w:r")
        run.add_drawing(inline)
        target.append(run)
        self.after_space = False

    # --- bookmarks ----------------------------------------------------------------------

    def bookmark(self, p, html_id: str) -> None:
        """A bookmark at the start of a paragraph, the target of links to #html_id."""
        name = _bookmark_name(html_id)
        if name in self.bookmarks:          # a repeated id, or two ids that read the same in Word
            raise ValueError(f"DOCX writer: id {html_id!r} gives bookmark {name!r}, "
                             f"which id {self.bookmarks[name]!r} already has")
        self.bookmarks[name] = html_id
        number = str(len(self.bookmarks))
        start = OxmlElement("w:bookmarkStart")
        start.set(qn("w:id"), number)
        start.set(qn("w:name"), name)
        end = OxmlElement("w:bookmarkEnd")
        end.set(qn("w:id"), number)
        p.extend([start, end])

    def check_anchors(self) -> None:
        """Every internal link has its bookmark (a lost target would be a dead link in Word)."""
        missing = sorted(self.anchors - set(self.bookmarks.values()))
        if missing:
            raise ValueError("DOCX writer: links to ids no element has: " + ", ".join(missing))


def _bookmark_name(html_id: str) -> str:
    """Word's bookmark names: a letter first, letters, digits and _ only, at most 40 characters."""
    name = re.sub(r"\W", "_", html_id, flags=re.ASCII)
    if not name[:1].isalpha():
        name = "id_" + name
    if len(name) > 40:
        name = name[:31] + "_" + hashlib.sha1(html_id.encode()).hexdigest()[:8]
    return name


def _field_char(kind: str):
    run, char = OxmlElement("w:r"), OxmlElement("w:fldChar")
    char.set(qn("w:fldCharType"), kind)
    run.append(char)
    return run


def _field_start(instruction: str) -> list:
    """The runs that open a field: begin, the instruction, separate (the result follows)."""
    run, instr = OxmlElement("w:r"), OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = instruction
    run.append(instr)
    return [_field_char("begin"), run, _field_char("separate")]


def _page_field(paragraph) -> None:
    result = OxmlElement("w:r")
    result.append(OxmlElement("w:t"))
    result[-1].text = "1"
    paragraph._p.extend(_field_start(" PAGE ") + [result, _field_char("end")])


# --- styles, page, properties ---------------------------------------------------------

def _add_style(styles, name: str, kind, base: str, builtin: bool = False):
    style = styles.add_style(name, kind, builtin=builtin)
    style.base_style = styles[base]
    return style


def _set_up_styles(document) -> None:
    """The styles python-docx's template lacks, and the few where print.css differs."""
    styles = document.styles
    muted, accent, blue = RGBColor(0x4D, 0x4D, 0x4D), RGBColor(0x7A, 0x3E, 0x00), RGBColor(0x00, 0x33, 0x99)
    styles["Heading 1"].paragraph_format.page_break_before = True    # chapters start a page
    styles["Footer"].paragraph_format.alignment = WD_ALIGN_PARAGRAPH.RIGHT

    hyperlink = _add_style(styles, "Hyperlink", WD_STYLE_TYPE.CHARACTER, "Default Paragraph Font", builtin=True)
    hyperlink.font.color.rgb, hyperlink.font.underline = blue, True
    missing = _add_style(styles, "Missing Link", WD_STYLE_TYPE.CHARACTER, "Default Paragraph Font")
    missing.font.color.rgb = accent
    note = _add_style(styles, "Missing Link Note", WD_STYLE_TYPE.CHARACTER, "Missing Link")
    note.font.italic, note.font.size = True, Pt(9)
    language = _add_style(styles, "Resource Language", WD_STYLE_TYPE.CHARACTER, "Default Paragraph Font")
    language.font.bold, language.font.color.rgb = False, muted

    small = _add_style(styles, "Note", WD_STYLE_TYPE.PARAGRAPH, BODY)
    small.font.size, small.font.color.rgb = Pt(9.5), muted
    bibliography = _add_style(styles, "Bibliography", WD_STYLE_TYPE.PARAGRAPH, BODY, builtin=True)
    bibliography.paragraph_format.left_indent = Mm(6)
    bibliography.paragraph_format.first_line_indent = -Mm(6)
    for level in (1, 2, 3):
        toc = _add_style(styles, f"toc {level}", WD_STYLE_TYPE.PARAGRAPH, "Normal", builtin=True)
        toc.style_id = f"TOC{level}"        # Word's own id for its built-in TOC styles
        toc.paragraph_format.left_indent = Mm(6 * (level - 1))
        toc.paragraph_format.space_after = Pt(3)
        toc.font.bold = level == 1


FONT = "Lato"   # the project's font (styles/fonts); Word falls back where it is not installed
_THEME_FONTS = ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme")


def _set_fonts(document) -> None:
    """The project's font instead of the template's theme fonts (Calibri, Cambria), in the
    style defaults and in every style that names a theme font."""
    for fonts in document.styles.element.iter(qn("w:rFonts")):
        for attribute in _THEME_FONTS:
            fonts.attrib.pop(qn(attribute), None)
        for attribute in ("w:ascii", "w:hAnsi", "w:cs"):
            fonts.set(qn(attribute), FONT)


def _set_up_page(document) -> None:
    """A4 with print.css's margins; before any content, as tables take their width from it."""
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin = section.bottom_margin = Mm(25)
    section.left_margin = section.right_margin = Mm(22)


def _set_language(document, lang: str) -> None:
    """Every run without its own w:lang is in the edition's language (the style defaults)."""
    defaults = document.styles.element.find(qn("w:docDefaults"))
    defaults.find(qn("w:rPrDefault")).find(qn("w:rPr")).find(qn("w:lang")).set(qn("w:val"), lang)


def _set_header_and_footer(document, short_title: str, has_cover: bool) -> None:
    section = document.sections[0]
    if has_cover:                           # the cover has neither, as in print
        section.different_first_page_header_footer = True
        section.first_page_header.is_linked_to_previous = False
        section.first_page_footer.is_linked_to_previous = False
    section.header.paragraphs[0].text = short_title
    section.header.paragraphs[0].style = "Header"
    section.footer.paragraphs[0].style = "Footer"
    _page_field(section.footer.paragraphs[0])


def _set_update_fields(document) -> None:
    """Word fills the TOC field (and page numbers) when the document is opened."""
    update = OxmlElement("w:updateFields")
    update.set(qn("w:val"), "true")
    # Its place in the schema's sequence of settings: before these.
    document.settings.element.insert_element_before(
        update, "w:hdrShapeDefaults", "w:footnotePr", "w:endnotePr", "w:compat", "w:docVars", "w:rsids",
        "m:mathPr", "w:attachedSchema", "w:themeFontLang")


def _set_properties(document, meta: Document) -> None:
    """Core properties from the document's <head>; every date is its creation date, never now."""
    properties = document.core_properties
    properties.title = meta.title
    properties.author = "; ".join(meta.authors)
    properties.subject = meta.description
    properties.keywords = meta.keywords
    properties.language = meta.lang
    properties.identifier = meta.identifier
    properties.comments = ""                # the template says "generated by python-docx"
    properties.created = properties.modified = properties.last_printed = meta.created
    properties.revision = 1
    properties.last_modified_by = meta.generator


def _drop_template_leftovers(document) -> None:
    """A thumbnail of an empty page (misleads file browsers) and Word 2010's copy of the
    styles without ours. A part nothing relates to is not written."""
    for rels in (document.part.package.rels, document.part.rels):
        for rid in [rid for rid, rel in rels.items() if rel.reltype in (RT.THUMBNAIL, _STYLES_WITH_EFFECTS)]:
            del rels[rid]
