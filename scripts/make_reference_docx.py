"""Make styles/reference.docx, the look of every DOCX edition, from styles/design-tokens.css.

The DOCX writer opens this document as its template (like Pandoc's reference document)
and only adds content, so every style it uses is defined here, from the same design
values as print.css: body font, sizes, colours and spacing, headings, lists, the table,
the table of contents, header and footer, page size and margins. An editor restyles a
DOCX edition in Word through these styles. The font (Lato, styles/fonts) is embedded,
cut to the Latin script's characters, so the document looks the same where Lato is not
installed and can still be edited in any Latin-script language.

Run it after changing the tokens or the fonts (the same files give the same bytes):

    python scripts/make_reference_docx.py            # writes styles/reference.docx
    python scripts/make_reference_docx.py --check    # exit 1 if the file is not up to date
"""
from __future__ import annotations

import datetime
import io
import sys
import zipfile
from pathlib import Path

import docx
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT, WD_TAB_LEADER
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import OxmlElement
from docx.oxml.ns import nsmap, qn
from docx.shared import Pt, RGBColor
from lxml import etree

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from digin.writers import ooxml, reproducible_zip, tokens  # noqa: E402  (after the path)

STYLES = ROOT / "styles"
OUTPUT = "reference.docx"
DATE = datetime.datetime(2024, 5, 1, tzinfo=datetime.timezone.utc)   # the project's start, fixed
# What the embedded fonts keep: Basic Latin, Latin-1, Latin Extended-A and -B, combining
# accents, general punctuation, and a few signs (€, ™, −, bullets).
LATIN = "".join(chr(c) for c in [*range(0x20, 0x7F), *range(0xA0, 0x250), *range(0x300, 0x370),
                                 *range(0x2000, 0x2070), 0x20AC, 0x2122, 0x2212, 0x25E6])
_STYLES_WITH_EFFECTS = "http://schemas.microsoft.com/office/2007/relationships/stylesWithEffects"
_A = "http://schemas.openxmlformats.org/drawingml/2006/main"


def make(styles: Path = STYLES) -> bytes:
    """The reference document's bytes: the same tokens and fonts give the same bytes."""
    t = tokens.read(styles)
    faces = _faces(styles / "fonts", t.family("font-family"))
    document = docx.Document()              # python-docx's template: Word's built-in styles
    ooxml.drop_relationships(document, RT.THUMBNAIL, _STYLES_WITH_EFFECTS)
    page = t.lengths("page-size")
    ooxml.set_page(document.sections[0], Pt(page[0]), Pt(page[1]), *(Pt(v) for v in t.box("page-margin")))
    font_line = _line_metrics(faces["Regular"])
    _set_defaults(document, t, font_line)
    _set_theme(document, t)
    _set_styles(document, t, font_line)
    _set_lists(document, t)
    _set_table_style(document, t)
    _drop_theme_fonts(document)
    _link_character_styles(document)
    ooxml.embed_font(document, t.family("font-family"), {name: _subset(data) for name, data in faces.items()})
    ooxml.set_properties(document, title="DiGiN reference document", author="", subject="", keywords="",
                         language="", identifier="", created=DATE, last_modified_by="")
    buffer = io.BytesIO()
    document.save(buffer)
    return reproducible_zip(buffer.getvalue(), first="[Content_Types].xml", date_time=DATE.timetuple()[:6])


# --- fonts ----------------------------------------------------------------------------

def _faces(folder: Path, family: str) -> dict[str, bytes]:
    """The family's faces in styles/fonts, by their subfamily name (Regular, Bold ...)."""
    from fontTools.ttLib import TTFont

    faces = {}
    for path in sorted(folder.glob("*.ttf")):
        names = TTFont(path, lazy=True)["name"]
        if names.getDebugName(1) == family and names.getDebugName(2) in ooxml.FACES:
            faces[names.getDebugName(2)] = path.read_bytes()
    if "Regular" not in faces:
        raise SystemExit(f"styles/fonts has no regular face of {family!r} (--font-family in the tokens)")
    return faces


def _subset(data: bytes) -> bytes:
    """The face cut to LATIN, its names (the OFL licence) and layout features kept; without
    TrueType hinting, which today's renderers (DirectWrite, FreeType's light mode,
    macOS) mostly ignore and which would add a third to its size."""
    from fontTools import subset

    options = subset.Options()
    options.name_IDs = ["*"]
    options.name_languages = ["*"]
    options.notdef_outline = True
    options.hinting = False
    font = subset.load_font(io.BytesIO(data), options)
    font.recalcTimestamp = False            # its date stays the font's own: reproducible
    subsetter = subset.Subsetter(options)
    subsetter.populate(text=LATIN)
    subsetter.subset(font)
    buffer = io.BytesIO()
    subset.save_font(font, buffer, options)
    return buffer.getvalue()


def _line_metrics(regular: bytes) -> float:
    """The font's own line height as a multiple of its size (Word's "single" spacing)."""
    from fontTools.ttLib import TTFont

    font = TTFont(io.BytesIO(regular))
    hhea = font["hhea"]
    return (hhea.ascent - hhea.descent + hhea.lineGap) / font["head"].unitsPerEm


# --- styles ---------------------------------------------------------------------------

def _rgb(t, name: str) -> RGBColor:
    return RGBColor.from_string(t.color(name))


def _shape(style, *, size=None, bold=None, italic=None, color=None, underline=None, margin=None,
           line=None, keep_with_next=None, page_break=None, left=None, first_line=None):
    """Set a style's look: sizes in points; margin as (top, right, bottom, left) points;
    line as a multiple of the font's own line height. None leaves a value as it is."""
    font = style.font
    for attribute, value in (("size", size and Pt(size)), ("bold", bold), ("italic", italic),
                             ("underline", underline)):
        if value is not None:
            setattr(font, attribute, value)
    if color is not None:
        font.color.rgb = color
    if style.type == WD_STYLE_TYPE.CHARACTER:
        return style
    paragraph = style.paragraph_format
    if margin is not None:
        paragraph.space_before, paragraph.space_after = Pt(margin[0]), Pt(margin[2])
    for attribute, value in (("line_spacing", line), ("keep_with_next", keep_with_next),
                             ("page_break_before", page_break),
                             ("left_indent", None if left is None else Pt(left)),
                             ("first_line_indent", None if first_line is None else Pt(first_line))):
        if value is not None:
            setattr(paragraph, attribute, value)
    return style


def _style(document, name: str, kind, base: str, builtin: bool = False):
    """A style, added (based on `base`) if python-docx's template lacks it."""
    styles = document.styles
    if name in styles:
        return styles[name]
    style = styles.add_style(name, kind, builtin=builtin)
    style.base_style = styles[base]
    style.quick_style = True
    return style


def _set_defaults(document, t, line: float) -> None:
    """The document defaults: every paragraph and run inherits them (Normal adds nothing)."""
    defaults = document.styles.element.find(qn("w:docDefaults"))
    run = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    for child in list(run):
        if child.tag != qn("w:lang"):
            run.remove(child)
    family = t.family("font-family")
    fonts = OxmlElement("w:rFonts")
    for attribute in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attribute), family)
    color = OxmlElement("w:color")
    color.set(qn("w:val"), t.color("color-text"))
    size = str(round(t.length("font-size") * 2))   # half-points
    sizes = [OxmlElement("w:sz"), OxmlElement("w:szCs")]
    for element in sizes:
        element.set(qn("w:val"), size)
    for position, element in enumerate([fonts, color, *sizes]):
        run.insert(position, element)
    paragraph = defaults.find(qn("w:pPrDefault"))
    if paragraph is None:
        paragraph = OxmlElement("w:pPrDefault")
        defaults.append(paragraph)
    paragraph.clear()
    properties = OxmlElement("w:pPr")
    spacing = OxmlElement("w:spacing")
    spacing.set(qn("w:after"), "0")
    spacing.set(qn("w:line"), str(round(240 * t.number("line-height") / line)))
    spacing.set(qn("w:lineRule"), "auto")
    properties.append(spacing)
    paragraph.append(properties)


def _set_theme(document, t) -> None:
    """The theme's fonts and main colours are the house style's too, for anything an
    editor adds from Word's galleries."""
    part = document.part.part_related_by(RT.THEME)
    theme = etree.fromstring(part.blob)
    family = t.family("font-family")
    for latin in theme.iter(f"{{{_A}}}latin"):
        if latin.getparent().tag in (f"{{{_A}}}majorFont", f"{{{_A}}}minorFont"):
            latin.set("typeface", family)
    for slot, token in (("dk2", "color-text"), ("accent1", "color-heading"), ("hlink", "color-link")):
        color = theme.find(f".//{{{_A}}}clrScheme/{{{_A}}}{slot}")
        color.clear()
        etree.SubElement(color, f"{{{_A}}}srgbClr", val=t.color(token))
    part._blob = etree.tostring(theme, xml_declaration=True, encoding="UTF-8", standalone=True)


def _set_styles(document, t, line: float) -> None:
    body = t.length("font-size")
    heading_line = t.number("line-height-heading") / line
    body_line = t.number("line-height") / line
    P, C = WD_STYLE_TYPE.PARAGRAPH, WD_STYLE_TYPE.CHARACTER
    heading, muted, text = _rgb(t, "color-heading"), _rgb(t, "color-muted"), _rgb(t, "color-text")

    _shape(_style(document, "Body Text", P, "Normal"), margin=t.box("margin-paragraph", body))
    for level in (1, 2, 3, 4):
        size = t.length(f"font-size-h{level}")
        _shape(document.styles[f"Heading {level}"], size=size, bold=True, italic=False, color=heading,
               margin=t.box(f"margin-h{level}", size), line=heading_line, keep_with_next=True,
               page_break=level == 1)       # a chapter starts a page, as in print
    title = t.length("font-size-title")
    _shape(document.styles["Title"], size=title, bold=True, color=heading, margin=t.box("margin-title", title),
           line=heading_line)
    _remove(document.styles["Title"].element, "w:pPr/w:pBdr", "w:pPr/w:contextualSpacing", "w:rPr/w:spacing",
            "w:rPr/w:kern")                 # not Word's underlined, letter-spaced title
    subtitle = t.length("font-size-subtitle")
    _shape(document.styles["Subtitle"], size=subtitle, italic=False, color=muted,
           margin=t.box("margin-subtitle", subtitle), line=body_line)
    _remove(document.styles["Subtitle"].element, "w:pPr/w:numPr", "w:rPr/w:spacing", "w:rPr/w:iCs")
    acronym = t.length("font-size-acronym")
    _shape(_style(document, "Cover Acronym", P, "Normal"), size=acronym, bold=True, color=heading,
           margin=t.box("margin-acronym", acronym), line=heading_line)
    _shape(_style(document, "Cover Number", P, "Normal"), size=t.length("font-size-number"), bold=True)
    _shape(_style(document, "Kicker", P, "Normal"), bold=True, color=muted, margin=t.box("margin-kicker", body))
    funding = t.length("font-size-funding")
    _shape(_style(document, "Funding", P, "Normal"), size=funding, bold=True, color=heading,
           margin=t.box("margin-paragraph", funding))
    small = t.length("font-size-small")
    _shape(_style(document, "Masthead", P, "Normal"), size=t.length("font-size-masthead"), bold=True,
           color=heading, line=heading_line)
    _shape(_style(document, "Masthead Project", P, "Normal"), size=small, color=muted,
           margin=t.box("margin-kicker", small))
    _shape(_style(document, "Masthead Funding", P, "Funding"), size=small, margin=t.box("margin-kicker", small))
    _shape(_style(document, "Note", P, "Body Text"), size=t.length("font-size-small"), color=muted)
    # The front matter, as print.css sets it: its headings at h3's size, its text small.
    front_heading = t.length("font-size-h3")
    _shape(_style(document, "Front Heading", P, "Heading 2"), size=front_heading,
           margin=t.box("margin-front-heading", front_heading))
    _shape(_style(document, "Front Text", P, "Body Text"), size=small)
    _shape(_style(document, "Place", P, "Body Text"), bold=True, color=muted)
    _set_quote(_shape(document.styles["Quote"], italic=True, color=text,
                      margin=t.box("margin-paragraph", body)), t)
    indent = t.length("indent")
    _shape(_style(document, "Bibliography", P, "Normal", builtin=True), margin=t.box("margin-reference", body),
           left=indent, first_line=-indent)
    _set_toc_styles(document, t, body, indent)
    _set_running(document, t)

    _shape(_style(document, "Hyperlink", C, "Default Paragraph Font", builtin=True), color=_rgb(t, "color-link"),
           underline=True)
    _shape(_style(document, "Term", C, "Strong"), color=heading)
    missing = _shape(_style(document, "Missing Link", C, "Default Paragraph Font"), color=_rgb(t, "color-accent"))
    _shape(_style(document, "Missing Link Note", C, missing.name), italic=True,
           size=t.length("font-size-missing-link-note", body))
    _shape(_style(document, "Resource Language", C, "Default Paragraph Font"), bold=False, color=muted,
           size=t.length("font-size-resource-language"))


def _xpath(element, path: str) -> list:
    return etree.XPath(path, namespaces=nsmap)(element)


def _remove(element, *paths: str) -> None:
    for path in paths:
        for found in _xpath(element, path):
            found.getparent().remove(found)


def _set_quote(style, t) -> None:
    """The disclaimer: a rule at its left, the text after the padding."""
    rule, padding = t.length("quote-rule"), t.length("quote-padding")
    borders = style.element.get_or_add_pPr().find(qn("w:pBdr"))
    if borders is None:
        borders = OxmlElement("w:pBdr")
        style.element.pPr.insert_element_before(borders, "w:shd", "w:tabs", "w:suppressAutoHyphens", "w:spacing",
                                                "w:ind", "w:jc", "w:outlineLvl", "w:rPr")
    left = OxmlElement("w:left")
    for attribute, value in (("w:val", "single"), ("w:sz", str(round(rule * 8))),   # eighths of a point
                             ("w:space", str(round(padding))), ("w:color", t.color("color-heading"))):
        left.set(qn(attribute), value)
    borders.append(left)
    style.paragraph_format.left_indent = Pt(rule + padding)


def _set_running(document, t) -> None:
    """Header (the title at the left) and footer (the page number at the right)."""
    muted = _rgb(t, "color-muted")
    header = _shape(document.styles["Header"], size=t.length("font-size-running"), color=muted)
    footer = _shape(document.styles["Footer"], size=t.length("font-size-folio"), color=muted)
    for style in (header, footer):          # the template's tab stops are for US Letter
        _remove(style.element, "w:pPr/w:tabs")
    footer.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.RIGHT


def _set_toc_styles(document, t, body: float, indent: float) -> None:
    """Word's TOC styles (toc 1-3): indented per level, the page number at the right."""
    section = document.sections[0]
    for level in (1, 2, 3):
        style = _style(document, f"toc {level}", WD_STYLE_TYPE.PARAGRAPH, "Normal", builtin=True)
        style.style_id = f"TOC{level}"      # Word's own id for its built-in TOC styles
        margin = t.box("margin-toc-chapter" if level == 1 else "margin-toc-entry", body)
        _shape(style, bold=level == 1, margin=margin, left=indent * (level - 1))
        style.paragraph_format.tab_stops.add_tab_stop(ooxml.text_width(section), WD_TAB_ALIGNMENT.RIGHT,
                                                      WD_TAB_LEADER.DOTS)


def _set_lists(document, t) -> None:
    """The numbering of the list styles: the text `--list-indent` in from the list's edge,
    each level one indent further, the bullet or number half way; bullets in the body font."""
    styles, numbering = document.styles, document.part.numbering_part.element
    indent = round(t.length("list-indent") * 20)        # twips
    paragraph = t.box("margin-paragraph", t.length("font-size"))
    for kind, marks in (("List Bullet", ("•", "◦", "▪")), ("List Number", (None, None, None))):
        for level, mark in enumerate(marks, start=1):
            name = kind if level == 1 else f"{kind} {level}"
            style = _shape(styles[name], margin=paragraph)
            num = numbering.num_having_numId(style.element.pPr.numPr.numId.val)
            lvl = _xpath(numbering, f"w:abstractNum[@w:abstractNumId='{num.abstractNumId.val}']/w:lvl[@w:ilvl='0']")[0]
            _remove(lvl, "w:pPr/w:tabs", "w:rPr")
            ind = _xpath(lvl, "w:pPr/w:ind")[0]
            ind.set(qn("w:left"), str(indent * level))
            ind.set(qn("w:hanging"), str(indent // 2))
            if mark:
                _xpath(lvl, "w:lvlText")[0].set(qn("w:val"), mark)
    for level in (1, 2, 3):
        name = "List Continue" if level == 1 else f"List Continue {level}"
        _shape(styles[name], margin=paragraph, left=t.length("list-indent") * level)


def _set_table_style(document, t) -> None:
    """The table of the front matter: thin rules, the row headers (first column) bold on a
    tint, the first row (the caption) bold without rules around it."""
    style = _style(document, "Metadata Table", WD_STYLE_TYPE.TABLE, "Normal Table")
    size = t.length("font-size-small")
    padding_y, padding_x = t.lengths("table-padding")
    rule = {"w:val": "single", "w:sz": str(round(t.length("table-rule") * 8)), "w:space": "0",
            "w:color": t.color("color-rule")}
    xml = f"""<w:style xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">
      <w:pPr><w:spacing w:before="0" w:after="0"/></w:pPr>
      <w:rPr><w:sz w:val="{round(size * 2)}"/><w:szCs w:val="{round(size * 2)}"/></w:rPr>
      <w:tblPr>
        <w:tblBorders>{"".join(_border(side, rule) for side in
                                ("top", "left", "bottom", "right", "insideH", "insideV"))}</w:tblBorders>
        <w:tblCellMar><w:top w:w="{round(padding_y * 20)}" w:type="dxa"/>
          <w:left w:w="{round(padding_x * 20)}" w:type="dxa"/>
          <w:bottom w:w="{round(padding_y * 20)}" w:type="dxa"/>
          <w:right w:w="{round(padding_x * 20)}" w:type="dxa"/></w:tblCellMar>
      </w:tblPr>
      <w:tblStylePr w:type="firstRow"><w:rPr><w:b/><w:bCs/></w:rPr>
        <w:tcPr><w:tcBorders>{"".join(_border(side, {"w:val": "nil"}) for side in ("top", "left", "right"))}
        </w:tcBorders><w:shd w:val="clear" w:color="auto" w:fill="auto"/></w:tcPr></w:tblStylePr>
      <w:tblStylePr w:type="firstCol"><w:rPr><w:b/><w:bCs/></w:rPr>
        <w:tcPr><w:shd w:val="clear" w:color="auto" w:fill="{t.color("color-table-header")}"/></w:tcPr>
      </w:tblStylePr>
      <w:tblStylePr w:type="nwCell">
        <w:tcPr><w:shd w:val="clear" w:color="auto" w:fill="auto"/></w:tcPr></w:tblStylePr>
    </w:style>"""
    for child in list(etree.fromstring(xml)):
        style.element.append(child)


def _border(side: str, attributes: dict[str, str]) -> str:
    return f"<w:{side} " + " ".join(f'{name}="{value}"' for name, value in attributes.items()) + "/>"


def _drop_theme_fonts(document) -> None:
    """No style names a theme font (Word's Calibri and Cambria): every style gets the
    defaults' font, also in programs that resolve themes their own way."""
    for fonts in list(document.styles.element.iter(qn("w:rFonts"))):
        for attribute in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
            fonts.attrib.pop(qn(attribute), None)
        if not len(fonts.attrib):
            fonts.getparent().remove(fonts)


def _link_character_styles(document) -> None:
    """A paragraph style's linked character style ("Heading 1 Char") looks the same."""
    styles = document.styles
    for style in styles:
        link = style.element.find(qn("w:link"))
        if style.type != WD_STYLE_TYPE.PARAGRAPH or link is None:
            continue
        linked = next((s for s in styles if s.style_id == link.get(qn("w:val"))), None)
        if linked is None:
            continue
        for old in linked.element.findall(qn("w:rPr")):
            linked.element.remove(old)
        if style.element.rPr is not None:
            linked.element.append(etree.fromstring(etree.tostring(style.element.rPr)))


def entries(data: bytes) -> list[tuple[str, bytes]]:
    """A zip's files in order: what --check compares (the compressed bytes may differ
    with the machine's zlib, the content may not)."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return [(name, archive.read(name)) for name in archive.namelist()]


def main(argv: list[str]) -> int:
    data, path = make(), STYLES / OUTPUT
    if "--check" in argv:
        if path.is_file() and entries(path.read_bytes()) == entries(data):
            return 0
        print(f"styles/{OUTPUT} is not what styles/design-tokens.css makes: run scripts/make_reference_docx.py",
              file=sys.stderr)
        return 1
    path.write_bytes(data)
    print(f"styles/{OUTPUT}: {len(data)} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
