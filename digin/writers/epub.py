"""EPUB 3 writer (ebooklib): the edition's HTML split at its top-level sections.

The print-only table of contents (page numbers) is replaced by the EPUB navigation
document; internal links are rewritten to the file that holds their target. The
stylesheet is reflowable (styles/epub.css) and the fonts are the project's own.
"""
from __future__ import annotations

import copy
import io
import re
import textwrap

from ebooklib import epub
from lxml import html as lxml_html
from markupsafe import escape

from ..assets import styles_file
from ..markup import ALLOWED_SCHEMES
from ..project import Project
from . import Output, reproducible_zip
from .document import Document, parse_document

MEDIA_TYPE = "application/epub+zip"
LIBRARIES = ("ebooklib", "lxml", "fonttools")   # their versions are part of the fingerprints
ORDER = 2                 # its place among the formats (CLI, download page)
COST = 1                  # relative render time, for scheduling (the longest first)
STYLESHEET = "epub.css"
ASSETS = ("epub.css", "fonts/*", "*.svg")   # what the writer reads from styles/
FONTS = ("Lato-Regular.ttf", "Lato-Italic.ttf", "Lato-Bold.ttf", "Lato-BoldItalic.ttf")


def write(project: Project, html: str) -> Output:
    doc = parse_document(html)
    book = epub.EpubBook()
    _metadata(book, doc)
    css = epub.EpubItem(uid="style", file_name="epub.css", media_type="text/css",
                        content=(project.styles / STYLESHEET).read_bytes())
    book.add_item(css)
    characters = doc.root.text_content()
    for font in FONTS:
        book.add_item(epub.EpubItem(uid=font.split(".")[0].lower(), file_name=f"fonts/{font}", media_type="font/ttf",
                                    content=_subset(project.styles / "fonts" / font, characters)))
    chapters = _chapters(doc)
    targets = {element_id: name for name, element in chapters for element_id in element.xpath(".//@id")}
    items = []
    for name, element in chapters:
        _rewrite_links(element, name, targets, doc.missing_link_note)
        _adapt_images(element)
        item = epub.EpubHtml(uid=name.removesuffix(".xhtml"), file_name=name, lang=doc.lang,
                             title=_title(element, doc), content=lxml_html.tostring(element, encoding="unicode"))
        item.add_item(css)
        book.add_item(item)
        items.append((item, element))
    _add_images(book, project, doc)
    emblem = (project.styles / "eu-emblem.svg").read_text(encoding="utf-8")
    book.set_cover("images/cover.svg", _cover_svg(doc, emblem).encode("utf-8"), create_page=False)
    book.spine = [items[0][0], "nav"] + [item for item, _ in items[1:]]
    book.toc = _toc(items)
    toc_title = doc.root.findtext(".//nav[@class='toc']/h1")
    nav = epub.EpubNav(title=toc_title)
    nav.add_item(css)
    book.add_item(nav)
    book.add_item(epub.EpubNcx())
    cover, first_chapter = items[0][0], next(item for item, el in items if "chapter" in el.get("class", ""))
    book.guide = [{"type": "cover", "item": cover, "title": cover.title},
                  {"type": "toc", "href": "nav.xhtml", "title": toc_title},
                  {"type": "bodymatter", "item": first_chapter, "title": first_chapter.title}]
    buffer = io.BytesIO()
    epub.write_epub(buffer, book, {"mtime": doc.created, "raise_exceptions": True, "epub3_landmark": True,
                                   "landmark_title": doc.landmarks_title, "play_order": {"enabled": False}})
    return Output(reproducible_zip(buffer.getvalue(), first="mimetype", stored="mimetype"))


def _subset(font_path, characters: str) -> bytes:
    """The font cut down to the characters the edition uses (and basic Latin, for the
    reader's own additions); its licence and names stay."""
    from fontTools import subset

    options = subset.Options()
    options.name_IDs = ["*"]          # keep copyright and licence records (OFL)
    options.notdef_outline = True
    font = subset.load_font(str(font_path), options)
    subsetter = subset.Subsetter(options)
    subsetter.populate(text=characters + "".join(map(chr, range(0x20, 0x7F))) + "…–—‘’“”•·")
    subsetter.subset(font)
    buffer = io.BytesIO()
    subset.save_font(font, buffer, options)
    return buffer.getvalue()


def _metadata(book: epub.EpubBook, doc: Document) -> None:
    book.set_identifier(doc.identifier)
    book.set_title(doc.title)
    book.set_language(doc.lang)
    for number, author in enumerate(doc.authors, start=1):
        book.add_author(author, uid=f"creator{number}")   # distinct ids: EPUBCheck
    book.add_metadata("DC", "publisher", doc.publisher)
    book.add_metadata("DC", "description", doc.description)
    book.add_metadata("DC", "date", doc.created.strftime("%Y-%m-%dT%H:%M:%SZ"))
    book.add_metadata("DC", "subject", doc.keywords)
    # Accessibility (EPUB Accessibility 1.1): textual content that is complete without
    # the one image, structured navigation, alt text. No conformance claim is made:
    # the publication has not been audited against WCAG.
    schema = [("accessMode", "textual"), ("accessMode", "visual"), ("accessModeSufficient", "textual"),
              ("accessibilityFeature", "structuralNavigation"), ("accessibilityFeature", "tableOfContents"),
              ("accessibilityFeature", "alternativeText"), ("accessibilityFeature", "readingOrder"),
              ("accessibilityFeature", "displayTransformability"), ("accessibilityHazard", "none"),
              ("accessibilitySummary", doc.accessibility_summary)]
    for name, value in schema:
        book.add_metadata(None, "meta", value, {"property": f"schema:{name}"})


def _chapters(doc: Document) -> list[tuple[str, object]]:
    """One file per top-level part: the cover, the front matter, each chapter."""
    chapters = []
    for element in doc.body:
        if element.tag == "nav":   # the printed table of contents: the EPUB has its nav document
            continue
        name = element.get("id") or element.get("class", "part").split()[0]
        chapters.append((f"{name}.xhtml", copy.deepcopy(element)))
    return chapters


def _rewrite_links(element, name: str, targets: dict[str, str], missing_note: str) -> None:
    """Internal links go to the file that holds their target. Relative links to other
    files of out/ cannot work from inside an EPUB: they are marked like a lost link
    (with --base-url they are absolute and stay links)."""
    for link in element.xpath(".//a[@href]"):
        href = link.get("href")
        if href.startswith("#"):
            target = href[1:]
            link.set("href", href if targets.get(target) == name else f"{targets[target]}{href}")
        elif not href.startswith(ALLOWED_SCHEMES):
            link.tag = "span"
            link.attrib.clear()
            link.set("class", "missing-link")
            note = lxml_html.Element("span", {"class": "missing-link-note"})
            note.text = missing_note
            if len(link):                   # the space goes after the link's last element
                link[-1].tail = (link[-1].tail or "") + " "
            else:
                link.text = (link.text or "") + " "
            link.append(note)


def _adapt_images(element) -> None:
    for image in element.xpath(".//img"):
        image.set("src", f"images/{image.get('src')}")


def _add_images(book: epub.EpubBook, project: Project, doc: Document) -> None:
    for source in sorted(set(doc.body.xpath(".//img/@src"))):
        path = styles_file(project, source)
        if path is None:
            raise ValueError(f"EPUB writer: <img src={source!r}> is not a file in styles/")
        book.add_item(epub.EpubImage(uid=source.replace(".", "-"), file_name=f"images/{source}",
                                     media_type="image/svg+xml", content=path.read_bytes()))


def _title(element, doc: Document) -> str:
    heading = element.find(".//h1")
    if heading is None:
        heading = element.find(".//h2")
    return heading.text_content().strip() if heading is not None else doc.title


def _toc(items) -> list:
    """The navigation: each chapter, with its second-level headings under it."""
    toc = []
    for item, element in items:
        if "chapter" not in element.get("class", ""):
            continue
        children = []
        for n, h2 in enumerate(element.xpath("./section/h2")):
            target = h2.getparent().get("id") or h2.get("id")
            if target:
                children.append(epub.Link(f"{item.file_name}#{target}", h2.text_content().strip(), f"{item.id}-{n}"))
        link = epub.Link(item.file_name, item.title, item.id)
        toc.append((epub.Section(item.title, item.file_name), children) if children else link)
    return toc


def _cover_svg(doc: Document, emblem_svg: str) -> str:
    """The cover image for bookshelves: acronym, title and the EU emblem, from the cover."""
    cover = doc.body.find("header")
    acronym = cover.findtext(".//p[@class='cover-acronym']")
    funded = cover.findtext(".//div[@class='cover-funding']/p")
    lines = textwrap.wrap(cover.find(".//h1").text_content().strip(), width=24)
    title = "".join(f'<text x="80" y="{560 + 74 * i}" class="t">{escape(line)}</text>' for i, line in enumerate(lines))
    emblem = re.sub(r"<svg[^>]*>", '<svg x="80" y="1290" width="216" height="144" viewBox="0 0 810 540">',
                    emblem_svg, count=1)
    return ('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1200 1600" width="1200" height="1600">'
            '<style>.a{font:bold 150px sans-serif;fill:#003399}.t{font:bold 62px sans-serif;fill:#1a1a1a}'
            '.f{font:bold 44px sans-serif;fill:#003399}</style>'
            '<rect width="1200" height="1600" fill="#ffffff"/><rect width="1200" height="40" fill="#003399"/>'
            f'<text x="80" y="380" class="a">{escape(acronym)}</text>{title}'
            f'{emblem}<text x="330" y="1380" class="f">{escape(funded)}</text></svg>')
