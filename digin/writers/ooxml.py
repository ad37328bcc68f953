"""WordprocessingML that python-docx has no API for: fields, bookmarks, settings, document
properties, the running header and footer, page set-up and embedded fonts.

Shared by the DOCX writer (digin/writers/docx.py) and the script that makes its
reference document (scripts/make_reference_docx.py). Nothing here decides a look: the
callers pass the values.
"""
from __future__ import annotations

import hashlib
import io
import re
import uuid

from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from lxml import etree

OBFUSCATED_FONT = "application/vnd.openxmlformats-officedocument.obfuscatedFont"
# The children of w:settings in their schema order (ECMA-376 Part 1, CT_Settings), up
# to the last one we set: a setting goes before the first of its successors present.
_SETTINGS_ORDER = (
    "w:writeProtection", "w:view", "w:zoom", "w:removePersonalInformation", "w:removeDateAndTime",
    "w:doNotDisplayPageBoundaries", "w:displayBackgroundShape", "w:printPostScriptOverText",
    "w:printFractionalCharacterWidth", "w:printFormsData", "w:embedTrueTypeFonts", "w:embedSystemFonts",
    "w:saveSubsetFonts", "w:saveFormsData", "w:mirrorMargins", "w:alignBordersAndEdges",
    "w:bordersDoNotSurroundHeader", "w:bordersDoNotSurroundFooter", "w:gutterAtTop", "w:hideSpellingErrors",
    "w:hideGrammaticalErrors", "w:activeWritingStyle", "w:proofState", "w:formsDesign", "w:attachedTemplate",
    "w:linkStyles", "w:stylePaneFormatFilter", "w:stylePaneSortMethod", "w:documentType", "w:mailMerge",
    "w:revisionView", "w:trackRevisions", "w:doNotTrackMoves", "w:doNotTrackFormatting", "w:documentProtection",
    "w:autoFormatOverride", "w:styleLockTheme", "w:styleLockQFSet", "w:defaultTabStop", "w:autoHyphenation",
    "w:consecutiveHyphenLimit", "w:hyphenationZone", "w:doNotHyphenateCaps", "w:showEnvelope",
    "w:summaryLength", "w:clickAndTypeStyle", "w:defaultTableStyle", "w:evenAndOddHeaders",
    "w:bookFoldRevPrinting", "w:bookFoldPrinting", "w:bookFoldPrintingSheets",
    "w:drawingGridHorizontalSpacing", "w:drawingGridVerticalSpacing", "w:displayHorizontalDrawingGridEvery",
    "w:displayVerticalDrawingGridEvery", "w:doNotUseMarginsForDrawingGridOrigin",
    "w:drawingGridHorizontalOrigin", "w:drawingGridVerticalOrigin", "w:doNotShadeFormData",
    "w:noPunctuationKerning", "w:characterSpacingControl", "w:printTwoOnOne", "w:strictFirstAndLastChars",
    "w:noLineBreaksAfter", "w:noLineBreaksBefore", "w:savePreviewPicture", "w:doNotValidateAgainstSchema",
    "w:saveInvalidXml", "w:ignoreMixedContent", "w:alwaysShowPlaceholderText", "w:doNotDemarcateInvalidXml",
    "w:saveXmlDataOnly", "w:useXSLTWhenSaving", "w:saveThroughXslt", "w:showXMLTags",
    "w:alwaysMergeEmptyNamespace", "w:updateFields", "w:hdrShapeDefaults", "w:footnotePr", "w:endnotePr",
    "w:compat", "w:docVars", "w:rsids", "m:mathPr", "w:attachedSchema", "w:themeFontLang",
    "w:clrSchemeMapping", "w:doNotIncludeSubdocsInStats", "w:doNotAutoCompressPictures", "w:forceUpgrade",
    "w:captions", "w:readModeInkLockDown", "w:smartTagType", "sl:schemaLibrary", "w:shapeDefaults",
    "w:doNotEmbedSmartTags", "w:decimalSymbol", "w:listSeparator")
# The embedded face of each subfamily (a font's name ID 2), in the schema's order.
FACES = {"Regular": "w:embedRegular", "Bold": "w:embedBold", "Italic": "w:embedItalic",
         "Bold Italic": "w:embedBoldItalic"}


# --- fields ---------------------------------------------------------------------------

def field_char(kind: str):
    run, char = OxmlElement("w:r"), OxmlElement("w:fldChar")
    char.set(qn("w:fldCharType"), kind)
    run.append(char)
    return run


def field_start(instruction: str) -> list:
    """The runs that open a field: begin, the instruction, separate (the result follows)."""
    run, instr = OxmlElement("w:r"), OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = instruction
    run.append(instr)
    return [field_char("begin"), run, field_char("separate")]


def field(instruction: str, result: str) -> list:
    """A whole field with its last known result (what shows until the field is updated)."""
    run, text = OxmlElement("w:r"), OxmlElement("w:t")
    text.set(qn("xml:space"), "preserve")
    text.text = result
    run.append(text)
    return field_start(instruction) + [run, field_char("end")]


# --- bookmarks ------------------------------------------------------------------------

def bookmark_name(html_id: str) -> str:
    """Word's bookmark names: a letter first, letters, digits and _ only, at most 40 characters."""
    name = re.sub(r"\W", "_", html_id, flags=re.ASCII)
    if not name[:1].isalpha():
        name = "id_" + name
    if len(name) > 40:
        name = name[:31] + "_" + hashlib.sha1(html_id.encode()).hexdigest()[:8]
    return name


def bookmark(number: int, name: str) -> list:
    """An empty bookmark (start and end): a place that links and fields point to."""
    start, end = OxmlElement("w:bookmarkStart"), OxmlElement("w:bookmarkEnd")
    start.set(qn("w:id"), str(number))
    start.set(qn("w:name"), name)
    end.set(qn("w:id"), str(number))
    return [start, end]


# --- settings, language, properties ---------------------------------------------------

def set_setting(document, tag: str, value: str | None = None) -> None:
    """A w:settings child in its schema place; `value` as its w:val."""
    settings = document.settings.element
    for old in settings.findall(qn(tag)):
        settings.remove(old)
    element = OxmlElement(tag)
    if value is not None:
        element.set(qn("w:val"), value)
    settings.insert_element_before(element, *_SETTINGS_ORDER[_SETTINGS_ORDER.index(tag) + 1:])


def set_language(document, lang: str) -> None:
    """Every run without its own w:lang is in `lang` (the style defaults)."""
    language = _run_defaults(document).find(qn("w:lang"))
    if language is None:
        language = OxmlElement("w:lang")
        _run_defaults(document).append(language)
    language.set(qn("w:val"), lang)


def set_right_to_left(document, lang: str, font: str) -> None:
    """A right-to-left document: every paragraph bidi (so it starts at the right), `lang`
    as the language of complex-script text, `font` in the complex-script slot (w:cs) of
    the defaults and of every style that names a font."""
    paragraph_defaults = document.styles.element.find(qn("w:docDefaults")).find(qn("w:pPrDefault"))
    properties = paragraph_defaults.find(qn("w:pPr"))
    if properties is None:
        properties = OxmlElement("w:pPr")
        paragraph_defaults.append(properties)
    properties.insert(0, OxmlElement("w:bidi"))   # first of w:pPr's children in use here
    language = _run_defaults(document).find(qn("w:lang"))
    language.set(qn("w:bidi"), lang)
    for fonts in document.styles.element.iter(qn("w:rFonts")):
        fonts.set(qn("w:cs"), font)
    # A bullet in a right-to-left paragraph is drawn in the complex-script font, which
    # may lack it (Noto Sans Arabic has no •): it keeps the text font's.
    text_font = _run_defaults(document).find(qn("w:rFonts")).get(qn("w:ascii"))
    for level in document.part.numbering_part.element.iter(qn("w:lvl")):
        if level.find(qn("w:numFmt")) is not None and level.find(qn("w:numFmt")).get(qn("w:val")) == "bullet":
            properties = level.find(qn("w:rPr"))
            if properties is None:
                properties = OxmlElement("w:rPr")
                level.append(properties)
            fonts = properties.find(qn("w:rFonts"))
            if fonts is None:
                fonts = OxmlElement("w:rFonts")
                properties.insert(0, fonts)
            fonts.set(qn("w:cs"), fonts.get(qn("w:ascii")) or text_font)


def _run_defaults(document):
    return document.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))


def set_properties(document, *, title: str, author: str, subject: str, keywords: str, language: str,
                   identifier: str, created, last_modified_by: str) -> None:
    """Core properties; every date is `created`, never now, so the same input gives the same bytes."""
    properties = document.core_properties
    properties.title, properties.author, properties.subject = title, author, subject
    properties.keywords, properties.language, properties.identifier = keywords, language, identifier
    properties.comments = ""                # the template says "generated by python-docx"
    properties.created = properties.modified = properties.last_printed = created
    properties.revision = 1
    properties.last_modified_by = last_modified_by


def drop_relationships(document, *reltypes: str) -> None:
    """Parts nothing relates to are not written: so this drops them from the package."""
    for rels in (document.part.package.rels, document.part.rels):
        for rid in [rid for rid, rel in rels.items() if rel.reltype in reltypes]:
            del rels[rid]


# --- page -----------------------------------------------------------------------------

def set_page(section, width, height, top, right, bottom, left) -> None:
    """Page size and margins (python-docx Lengths); before any content, as tables take
    their width from them."""
    section.page_width, section.page_height = width, height
    section.top_margin, section.right_margin, section.bottom_margin, section.left_margin = top, right, bottom, left


def text_width(section):
    return section.page_width - section.left_margin - section.right_margin


def set_running_header_and_footer(document, header_text: str, has_cover: bool) -> None:
    """Header: `header_text`; footer: the page number (where they stand is the Header and
    Footer styles' business). None on a cover page, as in print.

    Not the PDF's running chapter title: Word's STYLEREF field would show the next
    chapter's title on the pages before the first, and an error where there is none."""
    section = document.sections[0]
    if has_cover:
        section.different_first_page_header_footer = True
        section.first_page_header.is_linked_to_previous = False
        section.first_page_footer.is_linked_to_previous = False
    header = section.header.paragraphs[0]
    header.style = "Header"
    header.text = header_text
    footer = section.footer.paragraphs[0]
    footer.style = "Footer"
    footer._p.extend(field(" PAGE ", "1"))


# --- embedded fonts (ECMA-376 Part 1, 17.8.1 and 17.8.3.3) ------------------------------

def font_key(data: bytes) -> str:
    """The obfuscation key of a font: a GUID, here derived from the font itself (reproducible)."""
    return "{" + str(uuid.UUID(bytes=hashlib.sha256(data).digest()[:16])).upper() + "}"


def obfuscate(data: bytes, key: str) -> bytes:
    """An .odttf: the font's first 32 bytes XORed with the key's 16 bytes in reverse order.
    The same operation undoes it."""
    key_bytes = bytes.fromhex(key.strip("{}").replace("-", ""))[::-1]
    head = bytes(byte ^ key_bytes[i % 16] for i, byte in enumerate(data[:32]))
    return head + data[32:]


def embed_font(document, family: str, faces: dict[str, bytes]) -> None:
    """Embed a font family (`faces`: subfamily name -> TrueType bytes) so that Word and
    LibreOffice show it where it is not installed.

    The family's w:font entry in the font table gets the panose and signature of its
    regular face (Word chooses its substitute by them if it cannot use the embedded
    font) and one w:embed* relationship per face to an obfuscated copy; the settings
    ask Word to keep the fonts when it saves the document again.
    """
    table_part = document.part.part_related_by(RT.FONT_TABLE)
    table = etree.fromstring(table_part.blob)
    for old in table.findall(qn("w:font")):
        if old.get(qn("w:name")) == family:
            table.remove(old)
    entry = _font_entry(family, faces["Regular"])
    for subfamily, tag in FACES.items():
        if subfamily not in faces:
            continue
        key = font_key(faces[subfamily])
        number = len(table_part.rels) + 1
        part = Part(PackURI(f"/word/fonts/font{number}.odttf"), OBFUSCATED_FONT,
                    obfuscate(faces[subfamily], key), document.part.package)
        embed = etree.SubElement(entry, qn(tag))
        embed.set(qn("r:id"), table_part.relate_to(part, RT.FONT))
        embed.set(qn("w:fontKey"), key)
    table.append(entry)
    # python-docx keeps the font table as bytes (it has no class for it).
    table_part._blob = etree.tostring(table, xml_declaration=True, encoding="UTF-8", standalone=True)
    set_setting(document, "w:embedTrueTypeFonts")


def _font_entry(family: str, regular: bytes):
    from fontTools.ttLib import TTFont

    os2 = TTFont(io.BytesIO(regular))["OS/2"]
    panose = os2.panose
    entry = etree.Element(qn("w:font"), {qn("w:name"): family})
    digits = (panose.bFamilyType, panose.bSerifStyle, panose.bWeight, panose.bProportion, panose.bContrast,
              panose.bStrokeVariation, panose.bArmStyle, panose.bLetterForm, panose.bMidline, panose.bXHeight)
    etree.SubElement(entry, qn("w:panose1"), {qn("w:val"): "".join(f"{d:02X}" for d in digits)})
    etree.SubElement(entry, qn("w:charset"), {qn("w:val"): "00"})
    etree.SubElement(entry, qn("w:family"), {qn("w:val"): "swiss"})     # a sans serif, for substitutes
    etree.SubElement(entry, qn("w:pitch"), {qn("w:val"): "variable"})
    ranges = {"usb0": os2.ulUnicodeRange1, "usb1": os2.ulUnicodeRange2, "usb2": os2.ulUnicodeRange3,
              "usb3": os2.ulUnicodeRange4, "csb0": os2.ulCodePageRange1, "csb1": os2.ulCodePageRange2}
    etree.SubElement(entry, qn("w:sig"), {qn(f"w:{name}"): f"{value:08X}" for name, value in ranges.items()})
    return entry

