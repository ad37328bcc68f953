"""DOCX writer: walk the edition's semantic HTML and map each element to a Word style.

The HTML is a closed set: BLOCKS and INLINES below map each element (its tag, and for
most tags its class, because there the class is the meaning) to the handler that writes
it and the Word style it gets. Anything else raises ValueError naming the element, so a
template change cannot silently drop content here.

The look is not decided here: the document starts from styles/reference.docx, made by
scripts/make_reference_docx.py from the design tokens print.css uses too; this module
only names styles (Title, Heading 1-4, Body Text, List Bullet ...), so an editor restyles
the document in Word instead of fighting direct formatting. The output is reproducible:
every date comes from the document, and the zip is rewritten with fixed entry dates and
order.
"""
from __future__ import annotations

import io
import re
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import NamedTuple

import docx
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.enum.table import WD_TABLE_DIRECTION
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt

from ..assets import read_styles_file, styles_file
from .. import fonts
from ..markup import ALLOWED_SCHEMES, ARTIFACT_LINK
from ..project import Project
from . import Output, ooxml, reproducible_zip, tokens
from .document import Document, parse_document

MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
LIBRARIES = ("python-docx", "lxml", "uharfbuzz")   # their versions are part of the fingerprints
ORDER = 3                 # its place among the formats (CLI, download page)
COST = 1                  # relative render time, for scheduling (the longest first)
STYLESHEET = None
REFERENCE = "reference.docx"           # the styles, page set-up and embedded font
# What the writer reads from styles/: the reference document, the design tokens (image
# sizes) and the PNG twins of the SVG images.
ASSETS = (REFERENCE, tokens.FILE, "*.png", "fonts.yaml")
HELPERS = ("ooxml", "tokens")          # this package's modules the writer runs


class Rule(NamedTuple):
    handler: str                        # the _Writer method that writes the element
    style: str | None = None            # the Word style it gets (None: the surrounding one)
    restyle: dict | None = None         # styles its content gets instead of the usual ones


# A standalone edition's masthead holds the cover's parts, set smaller.
MASTHEAD = {"Cover Acronym": "Masthead", "Subtitle": "Masthead Project", "Funding": "Masthead Funding"}
# The front matter (about, funding, partners, how to cite) is set smaller, as in print;
# its headings are Heading 2 at h3's size (a style based on Heading 2: still headings).
FRONT = {"Heading 2": "Front Heading", "Body Text": "Front Text"}


ANY = "*"                               # any class, or none: a layout hook for CSS only
# The block elements: (tag, class) -> rule; a class of None is an element without one.
BLOCKS = {
    ("header", "cover"): Rule("cover"),
    ("header", "standalone-header"): Rule("flow", restyle=MASTHEAD),
    ("footer", "standalone-footer"): Rule("flow"),
    ("section", "front"): Rule("flow", "Body Text", restyle=FRONT),
    ("section", ANY): Rule("flow"),
    ("nav", "toc"): Rule("toc"),
    ("div", "term"): Rule("flow"),
    ("div", "disclaimer"): Rule("flow", "Quote"),
    ("div", "cover-funding"): Rule("flow", "Funding"),
    ("div", "footer-funding"): Rule("flow", "Masthead Funding"),   # the emblem, small, closing a handout
    ("h1", ANY): Rule("heading", "Heading 1"),
    ("h2", ANY): Rule("heading", "Heading 2"),
    ("h3", ANY): Rule("heading", "Heading 3"),
    ("h4", ANY): Rule("heading", "Heading 4"),
    ("p", None): Rule("paragraph"),
    ("p", "cover-acronym"): Rule("paragraph", "Cover Acronym"),
    ("p", "cover-project"): Rule("paragraph", "Subtitle"),
    ("p", "cover-number"): Rule("paragraph", "Cover Number"),
    ("p", "kicker"): Rule("paragraph", "Kicker"),
    ("p", "note"): Rule("paragraph", "Note"),
    ("p", "practice-place"): Rule("paragraph", "Place"),
    **{("p", cls): Rule("paragraph") for cls in ("funding", "citation", "lesson-title", "practice-pdf",
                                                 "materials", "access")},
    ("ul", ANY): Rule("list"),
    ("ul", "references"): Rule("list", "Bibliography"),   # no bullets, a hanging indent
    ("ol", ANY): Rule("list"),
    ("table", "metadata"): Rule("table", "Metadata Table"),
}
# The inline elements, the same way; their styles are character styles.
INLINES = {
    ("strong", None): Rule("character", "Strong"),
    ("strong", "term-name"): Rule("character", "Term"),
    ("em", None): Rule("character", "Emphasis"),
    ("a", None): Rule("link", "Hyperlink"),
    ("span", None): Rule("language"),   # only to say the language or direction of a passage
    ("span", "missing-link"): Rule("character", "Missing Link"),
    ("span", "missing-link-note"): Rule("character", "Missing Link Note"),
    ("span", "resource-language"): Rule("character", "Resource Language"),
    ("img", "eu-emblem"): Rule("picture"),
}
BLOCK_TAGS = {tag for tag, _ in BLOCKS}
TITLE = "Title"                         # the h1 of a cover or of a standalone edition's header
BODY = "Body Text"
LIST_STYLES = {"ul": ("List Bullet", "List Bullet 2", "List Bullet 3"),
               "ol": ("List Number", "List Number 2", "List Number 3")}
CONTINUE_STYLES = ("List Continue", "List Continue 2", "List Continue 3")
TOC_FIELD = ' TOC \\o "1-3" \\h \\z \\u '
# An image's width (a design token), by the style of the paragraph it stands in.
IMAGE_WIDTHS = {"Funding": "emblem-width", "Masthead Funding": "emblem-width-small"}
LRM = "\u200e"                          # LEFT-TO-RIGHT MARK
# What follows w:bidi in a w:pPr (its place in the schema's sequence).
_AFTER_BIDI = ("w:adjustRightInd", "w:snapToGrid", "w:spacing", "w:ind", "w:contextualSpacing", "w:mirrorIndents",
               "w:suppressOverlap", "w:jc", "w:textDirection", "w:textAlignment", "w:textboxTightWrap",
               "w:outlineLvl", "w:divId", "w:cnfStyle", "w:rPr", "w:sectPr", "w:pPrChange")
_RIGHT_TO_LEFT = re.compile("[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefc]")   # Hebrew, Arabic, Syriac, Thaana ...
_SPACES = re.compile(r"[ \t\n\r\f]+")       # HTML white space; not \s, which would eat no-break spaces


def write(project: Project, html: str) -> Output:
    """The edition as a .docx: same HTML in, same bytes out."""
    meta = parse_document(html)
    writer = _Writer(project, meta)
    writer.flow(meta.body, _Context())
    writer.check_anchors()
    document = writer.document
    ooxml.set_language(document, meta.lang)
    if writer.rtl:
        _set_right_to_left(project, document, meta)
    ooxml.set_running_header_and_footer(document, meta.short_title, writer.has_cover)
    ooxml.set_setting(document, "w:updateFields", "true")   # Word fills the TOC and page numbers on open
    ooxml.set_properties(document, title=meta.title, author="; ".join(meta.authors), subject=meta.description,
                         keywords=meta.keywords, language=meta.lang, identifier=meta.identifier,
                         created=meta.created, last_modified_by=meta.generator)
    buffer = io.BytesIO()
    document.save(buffer)
    stamp = max(meta.created.timetuple()[:6], (1980, 1, 1, 0, 0, 0))   # zip dates start in 1980
    return Output(reproducible_zip(buffer.getvalue(), first="[Content_Types].xml", date_time=stamp))


def _set_right_to_left(project: Project, document, meta: Document) -> None:
    """Right to left throughout, the script's font (styles/fonts.yaml) in the complex-script
    slot and embedded, cut to the characters the document uses."""
    declared = fonts.faces(project)
    family = fonts.script_font(project, meta.lang)
    ooxml.set_right_to_left(document, meta.lang, family)
    characters = meta.root.text_content()
    faces = {("Bold" if face.weight >= 700 else "Regular"):
             fonts.subset(read_styles_file(project, face.file), characters)
             for face in declared if face.family == fonts.FAMILY_PREFIX + family and not face.italic}
    ooxml.embed_font(document, family, faces)


def _reference(project: Project):
    path = styles_file(project, REFERENCE)
    if path is None:
        raise ValueError(f"DOCX writer: styles/{REFERENCE} is missing (scripts/make_reference_docx.py makes it)")
    return docx.Document(str(path))


@dataclass(frozen=True)
class _Context:
    """Where the walker is: the style for paragraphs here, the language, open character styles."""
    style: str = BODY
    lang: str | None = None
    chars: tuple[str, ...] = ()             # character styles, outermost first
    link_style: str | None = "Hyperlink"    # none in the table of contents, as Word's own
    restyle: dict = field(default_factory=dict)   # style -> the style it is here instead

    def styled(self, style: str) -> str:
        return self.restyle.get(style, style)

    def entering(self, el) -> _Context:
        return replace(self, lang=el.get("lang")) if el.get("lang") else self

    def with_char(self, style: str | None) -> _Context:
        return replace(self, chars=self.chars + (style,)) if style else self


def _rule(table: dict, el) -> Rule:
    rule = table.get((el.tag, el.get("class"))) or table.get((el.tag, ANY))
    if rule is None:
        raise _not_handled(el)
    return rule


def _not_handled(el) -> ValueError:
    cls = f' class="{el.get("class")}"' if el.get("class") else ""
    return ValueError(f"DOCX writer: <{el.tag}{cls}> is not handled (add it to digin/writers/docx.py)")


def _children(el):
    """Element children, skipping comments; text between them must be white space."""
    for text in [el.text] + [child.tail for child in el]:
        if text and text.strip():
            raise ValueError(f"DOCX writer: text {text.strip()[:40]!r} directly in <{el.tag}>")
    return [child for child in el if isinstance(child.tag, str)]


def _expect(el, tags: tuple[str, ...]) -> None:
    """Inside a list, table or the table of contents, only the elements that belong there."""
    if el.tag not in tags:
        raise _not_handled(el)


class _Writer:
    def __init__(self, project: Project, meta: Document):
        self.project = project
        self.meta = meta
        self.rtl = meta.direction == "rtl"
        self.ltr_blocks = 0                 # how deep the walker is in left-to-right blocks of an rtl document
        self.document = _reference(project)
        self.design = tokens.read(project.styles)
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

    def flow(self, el, ctx: _Context, style: str | None = None) -> None:
        """A container's children: blocks in order; loose inline content becomes paragraphs."""
        ctx = replace(ctx, style=ctx.styled(style)) if style else ctx
        self.loose_text(el.text, ctx)
        for child in el:
            if isinstance(child.tag, str):
                if child.tag in BLOCK_TAGS:
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
        rule = _rule(BLOCKS, el)
        if el.get("id"):
            self.pending_ids.append(el.get("id"))
        ctx = ctx.entering(el)
        if rule.restyle:
            ctx = replace(ctx, restyle={**ctx.restyle, **rule.restyle})
        ltr = self.rtl and el.get("dir") == "ltr"     # a left-to-right block in a right-to-left document
        self.ltr_blocks += ltr
        getattr(self, rule.handler)(el, ctx, rule.style)
        self.ltr_blocks -= ltr

    def cover(self, el, ctx: _Context, style: None) -> None:
        self.flow(el, ctx)
        self.page_break = True              # the cover is a page of its own, as in print
        self.has_cover = True

    def heading(self, el, ctx: _Context, style: str) -> None:
        title = el.tag == "h1" and el.getparent().tag == "header"
        self.paragraph(el, ctx, TITLE if title else style)

    def paragraph(self, el, ctx: _Context, style: str | None) -> None:
        """A paragraph of inline content only (p, h1-h4)."""
        self.begin_paragraph(ctx.styled(style) if style else ctx.style)
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
        if self.ltr_blocks:
            bidi = OxmlElement("w:bidi")
            bidi.set(qn("w:val"), "0")
            paragraph._p.get_or_add_pPr().insert_element_before(bidi, *_AFTER_BIDI)
        if self.page_break:                 # a page the writer starts begins at its top margin
            paragraph.paragraph_format.page_break_before = True
            paragraph.paragraph_format.space_before = 0
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
            if not self.last_t.text:
                run = self.last_t.getparent()
                run.getparent().remove(run)
        self.p = self.last_t = None

    def list(self, el, ctx: _Context, style: str | None) -> None:
        level = len(self.lists)
        if level == len(CONTINUE_STYLES):
            raise ValueError(f"DOCX writer: <{el.tag}> nested deeper than {level} lists")
        num_id = None
        if style is None:
            style = LIST_STYLES[el.tag][level]
            num_id = self.restarted_numbering(style) if el.tag == "ol" else None
        self.lists.append(style)
        for li in _children(el):
            _expect(li, ("li",))
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

    def table(self, el, ctx: _Context, style: str) -> None:
        caption, rows = None, []
        for child in _children(el):
            _expect(child, ("caption", "tbody", "tr"))
            if child.tag == "caption":
                caption = child
            else:
                rows += _children(child) if child.tag == "tbody" else [child]
        cells = []
        for tr in rows:
            _expect(tr, ("tr",))
            cells.append(_children(tr))
            for cell in cells[-1]:
                _expect(cell, ("th", "td"))
        table = self.document.add_table(rows=0, cols=max(map(len, cells), default=1))
        self.style_id(style)                # a clear message if the reference lacks it
        table.style = style                 # first row (the caption) and first column (the th) stand out
        if self.rtl:
            table.table_direction = WD_TABLE_DIRECTION.RTL   # the first column at the right
        self.set_column_widths(table)
        if caption is not None:             # the caption becomes the header row, spanning the table
            row = table.add_row()
            self.cell(row.cells[0].merge(row.cells[-1]), caption, ctx)
        for row_cells in cells:
            row = table.add_row()
            for target, cell in zip(row.cells, row_cells):
                self.cell(target, cell, ctx)
        # The header row repeats on every page the table runs over.
        table.rows[0]._tr.get_or_add_trPr().append(OxmlElement("w:tblHeader"))

    def set_column_widths(self, table) -> None:
        """The first column (the row headers) as wide as print.css makes it, the others share the rest."""
        width, columns = ooxml.text_width(self.document.sections[0]), table.columns
        first = int(width * self.design.fraction("table-header-width")) if len(columns) > 1 else width
        for index, column in enumerate(columns):
            column.width = first if index == 0 else (width - first) // (len(columns) - 1)

    def cell(self, target, el, ctx: _Context) -> None:
        self.start_runs(target.paragraphs[0]._p)
        self.content(el, self.p, ctx.entering(el))
        self.end_paragraph()

    def toc(self, nav, ctx: _Context, style: None) -> None:
        """The PDF's table of contents becomes a Word TOC field, pre-filled with its entries.

        The field's result is the list of headings, each a link to its heading's bookmark
        (in the TOC styles, not as blue links: as Word writes its own); the page numbers
        are unknown before layout. It shows as is until the fields are updated: Word
        does on open (updateFields), then with page numbers.
        """
        entries = []
        for child in _children(nav):
            _expect(child, ("h1", "ol"))
            if child.tag == "h1":
                self.paragraph(child, ctx, "TOC Heading")
            else:
                entries = _children(child)
        if not entries:
            self.begin_paragraph("toc 1")
            self.p.extend(ooxml.field_start(TOC_FIELD))
        toc_ctx = replace(ctx, link_style=None)
        for index, li in enumerate(entries):
            level = (li.get("class") or "").removeprefix("toc-level-")
            if li.tag != "li" or level not in ("1", "2", "3"):
                raise _not_handled(li)
            self.begin_paragraph(f"toc {level}")
            if index == 0:
                self.p.extend(ooxml.field_start(TOC_FIELD))
            self.content(li, self.p, toc_ctx)
            if index < len(entries) - 1:
                self.end_paragraph()
        self.p.append(ooxml.field_char("end"))
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
        rule = _rule(INLINES, el)
        # Left-to-right text in a right-to-left paragraph (an address, English), set apart
        # by left-to-right marks: Word has no isolation, the marks keep its numbers and
        # punctuation in place.
        apart = self.rtl and el.get("dir") == "ltr"
        if apart:
            self.text(LRM, target, ctx)
        getattr(self, "inline_" + rule.handler)(el, target, ctx.entering(el), rule.style)
        if apart:
            self.text(LRM, target, ctx)

    def inline_character(self, el, target, ctx: _Context, style: str) -> None:
        self.content(el, target, ctx.with_char(style))

    def inline_language(self, el, target, ctx: _Context, style: None) -> None:
        if not el.get("lang") and not el.get("dir"):
            raise _not_handled(el)          # a bare span means nothing
        self.content(el, target, ctx)       # a run's direction follows its text (w:rtl)

    def inline_link(self, el, target, ctx: _Context, style: str) -> None:
        if target is not self.p:
            raise ValueError(f"DOCX writer: link {el.get('href')!r} inside another link")
        self.content(el, self.hyperlink(el.get("href") or "", target), ctx.with_char(ctx.link_style))

    def inline_picture(self, img, target, ctx: _Context, style: None) -> None:
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
        width = self.design.length(IMAGE_WIDTHS.get(ctx.style, "emblem-width"))
        inline = self.document.part.new_pic_inline(str(path), width=Pt(width))
        inline.docPr.set("descr", alt)
        for side in ("distT", "distB", "distL", "distR"):   # no gap around it (LibreOffice assumes one)
            inline.set(side, "0")
        run = OxmlElement("w:r")
        run.add_drawing(inline)
        target.append(run)
        self.after_space = False

    def text(self, text: str | None, target, ctx: _Context) -> None:
        """Text as a run, its white space collapsed as a browser would."""
        text = _SPACES.sub(" ", text or "")
        if self.after_space:
            text = text.lstrip(" ")
        if not text:
            return
        run = OxmlElement("w:r")
        properties = self.run_properties(ctx, text)
        if len(properties):
            run.append(properties)
        t = OxmlElement("w:t")
        t.text = text
        t.set(qn("xml:space"), "preserve")
        run.append(t)
        target.append(run)
        self.last_t, self.after_space = t, text.endswith(" ")

    def run_properties(self, ctx: _Context, text: str = ""):
        """w:rPr: the innermost character style; Word allows one per run, so bold or italic
        from an outer strong/em become direct toggles. w:rtl on right-to-left text (Word
        then orders and shapes it so). w:lang where the text's language is not the
        document's."""
        properties = OxmlElement("w:rPr")
        if ctx.chars:
            style = OxmlElement("w:rStyle")
            style.set(qn("w:val"), self.style_id(ctx.chars[-1]))
            properties.append(style)
            outer = set(ctx.chars[:-1]) - {ctx.chars[-1]}
            for names, toggle in (({"Strong", "Term"}, "w:b"), ({"Emphasis"}, "w:i")):
                if names & outer:
                    properties.append(OxmlElement(toggle))
        if self.rtl and _RIGHT_TO_LEFT.search(text):
            properties.append(OxmlElement("w:rtl"))
        if ctx.lang and ctx.lang != self.meta.lang:
            lang = OxmlElement("w:lang")
            lang.set(qn("w:val"), ctx.lang)
            properties.append(lang)
        return properties

    def style_id(self, name: str) -> str:
        if name not in self.style_ids:
            try:
                self.style_ids[name] = self.document.styles[name].style_id
            except KeyError:
                raise ValueError(f"DOCX writer: styles/{REFERENCE} has no style {name!r} "
                                 "(scripts/make_reference_docx.py defines the styles)") from None
        return self.style_ids[name]

    def hyperlink(self, href: str, target):
        """A w:hyperlink: internal (#id) to a bookmark; external by relationship, where a
        relative target (another file of out/) stays relative to the document's folder."""
        link = OxmlElement("w:hyperlink")
        if href.startswith("#") and len(href) > 1:
            link.set(qn("w:anchor"), ooxml.bookmark_name(href[1:]))
            self.anchors.add(href[1:])
        elif href.startswith(ALLOWED_SCHEMES) or ARTIFACT_LINK.fullmatch(href):
            link.set(qn("r:id"), self.document.part.relate_to(href, RT.HYPERLINK, is_external=True))
        else:
            raise ValueError(f"DOCX writer: <a href={href!r}>: only http(s), mailto, #id and relative file links")
        link.set(qn("w:history"), "1")
        target.append(link)
        return link

    # --- bookmarks ----------------------------------------------------------------------

    def bookmark(self, p, html_id: str) -> None:
        """A bookmark at the start of a paragraph, the target of links to #html_id."""
        name = ooxml.bookmark_name(html_id)
        if name in self.bookmarks:          # a repeated id, or two ids that read the same in Word
            raise ValueError(f"DOCX writer: id {html_id!r} gives bookmark {name!r}, "
                             f"which id {self.bookmarks[name]!r} already has")
        self.bookmarks[name] = html_id
        p.extend(ooxml.bookmark(len(self.bookmarks), name))

    def check_anchors(self) -> None:
        """Every internal link has its bookmark (a lost target would be a dead link in Word)."""
        missing = sorted(self.anchors - set(self.bookmarks.values()))
        if missing:
            raise ValueError("DOCX writer: links to ids no element has: " + ", ".join(missing))
