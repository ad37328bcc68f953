"""EPUB 3 writer (ebooklib): the edition's HTML split at its top-level sections.

The print-only table of contents (page numbers) is replaced by the EPUB navigation
document, which lists every part after the cover (the front matter too); internal
links are rewritten to the file that holds their target. The stylesheet is reflowable
(styles/epub.css), the fonts are the project's own, and the cover image is a PNG drawn
from the edition's cover (digin/writers/cover.py).
"""
from __future__ import annotations

import copy
import io
import re
from pathlib import Path

from ebooklib import epub
from lxml import html as lxml_html

from ..assets import read_styles_file, styles_file
from ..markup import ALLOWED_SCHEMES
from .. import fonts
from ..project import Project
from . import Output, cover, reproducible_zip, tokens
from .document import Document, parse_document

MEDIA_TYPE = "application/epub+zip"
LIBRARIES = ("ebooklib", "lxml", "uharfbuzz", "pillow")   # their versions are part of the fingerprints
ORDER = 2                 # its place among the formats (CLI, download page)
COST = 1                  # relative render time, for scheduling (the longest first)
STYLESHEET = "epub.css"
# What the writer reads from styles/: the stylesheet, the fonts, the images, and for the
# cover image the emblem's PNG and the design tokens (colours).
ASSETS = ("epub.css", "fonts.yaml", "fonts/*", "*.svg", "eu-emblem.png", tokens.FILE)
HELPERS = ("cover", "tokens")          # this package's modules the writer runs
COVER_IMAGE = "images/cover.png"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
_VAR = re.compile(r"var\(\s*--(?P<name>[a-z0-9-]+)\s*\)")


def write(project: Project, html: str) -> Output:
    doc = parse_document(html)
    book = epub.EpubBook()
    _metadata(book, doc)
    design = tokens.read(project.styles)
    characters = doc.root.text_content()
    used = fonts.needed(project, fonts.faces(project), characters)   # the Arabic font only in a book that has Arabic
    css = epub.EpubItem(uid="style", file_name="epub.css", media_type="text/css",
                        content=_stylesheet(project, design, used).encode("utf-8"))
    book.add_item(css)
    for face in used:
        name = Path(face.file).name
        book.add_item(epub.EpubItem(uid=Path(name).stem.lower(), file_name=f"fonts/{name}", media_type="font/ttf",
                                    content=fonts.subset(read_styles_file(project, face.file), characters)))
    direction = doc.direction if doc.direction == "rtl" else None   # ltr: every reading system's default
    if direction:
        book.set_direction(direction)   # the spine's page-progression-direction
    chapters = _chapters(doc)
    targets = {element_id: name for name, element in chapters for element_id in element.xpath(".//@id")}
    items = []
    for name, element in chapters:
        _rewrite_links(element, name, targets, doc.missing_link_note)
        _adapt_images(element)
        subheadings = _subheadings(element)     # before serializing: it may give headings ids
        item = epub.EpubHtml(uid=name.removesuffix(".xhtml"), file_name=name, lang=doc.lang, direction=direction,
                             title=_title(element, doc), content=lxml_html.tostring(element, encoding="unicode"))
        item.add_item(css)
        book.add_item(item)
        items.append((item, element, subheadings))
    _add_images(book, project, doc)
    book.set_cover(COVER_IMAGE, _cover_image(project, doc, design, used), create_page=False)
    book.spine = [items[0][0], "nav"] + [item for item, _, _ in items[1:]]
    book.toc = _toc(items)
    toc_title = " ".join(doc.root.xpath("string(.//nav[@class='toc']/h1)").split())   # also a draft's <span lang="en">
    nav = epub.EpubNav(title=toc_title, direction=direction)
    nav.add_item(css)
    book.add_item(nav)
    book.add_item(epub.EpubNcx())
    cover_page = items[0][0]
    first_chapter = next(item for item, element, _ in items if "chapter" in element.get("class", ""))
    book.guide = [{"type": "cover", "item": cover_page, "title": cover_page.title},
                  {"type": "toc", "href": "nav.xhtml", "title": toc_title},
                  {"type": "bodymatter", "item": first_chapter, "title": first_chapter.title}]
    buffer = io.BytesIO()
    writer = _PackageWriter(buffer, book, {"mtime": doc.created, "raise_exceptions": True, "epub3_landmark": True,
                                           "landmark_title": doc.landmarks_title, "play_order": {"enabled": False}})
    writer.package_attributes = {XML_LANG: doc.lang, "dir": doc.direction}
    writer.process()
    writer.write()
    return Output(reproducible_zip(buffer.getvalue(), first="mimetype", stored="mimetype"))


def _stylesheet(project: Project, design: tokens.Tokens, used: list[fonts.Face]) -> str:
    """epub.css with each var(--name) replaced by its design token (reading systems that
    know no custom properties are many, and the colours stay those of print.css), then the
    book's fonts (styles/fonts.yaml) and the body's font stack."""
    own = _VAR.sub(lambda match: design.raw(match["name"]), read_styles_file(project, STYLESHEET).decode("utf-8"))
    rules = fonts.font_face_rules(used, weights={400: "normal", 700: "bold"})
    return f"{own}\n{rules}body {{ font-family: {fonts.font_stack(used)}, sans-serif; }}\n"


class _PackageWriter(epub.EpubWriter):
    """ebooklib's writer, whose package element also says the publication's language and
    direction (ebooklib writes neither; reading systems and Ace by DAISY look there)."""

    package_attributes: dict[str, str] = {}

    def _write_opf_file(self, root):
        for name, value in self.package_attributes.items():
            root.set(name, value)
        super()._write_opf_file(root)


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
    """The navigation: every part after the cover (front matter and chapters), each with
    its second-level headings under it."""
    toc = []
    for item, element, subheadings in items:
        if element.tag == "header":         # the cover: a landmark, not a part to read
            continue
        children = [epub.Link(f"{item.file_name}#{target}", title, f"{item.id}-{n}")
                    for n, (target, title) in enumerate(subheadings)]
        link = epub.Link(item.file_name, item.title, item.id)
        toc.append((epub.Section(item.title, item.file_name), children) if children else link)
    return toc


def _subheadings(element) -> list[tuple[str, str]]:
    """(id, text) of a part's second-level headings: a chapter's section headings, or the
    front matter's headings after its first (which titles the part itself). A heading
    without an id (the front matter's) gets one from the part's."""
    if "chapter" in element.get("class", ""):
        headings = element.xpath("./section/h2")
    else:
        headings = element.xpath("./h2")[1:]
    found = []
    taken = set(element.xpath(".//@id"))
    for number, h2 in enumerate(headings, start=1):
        target = h2.getparent().get("id") if h2.getparent() is not element else None
        target = target or h2.get("id")
        if not target:
            target = f"{element.get('id') or 'part'}-{number}"
            while target in taken:
                target += "-"
            h2.set("id", target)
            taken.add(target)
        found.append((target, h2.text_content().strip()))
    return found


def _cover_image(project: Project, doc: Document, design: tokens.Tokens, used: list[fonts.Face]) -> bytes:
    weights = {"Regular": 400, "Bold": 700}

    def font(text: str, face: str) -> Path:
        return project.styles / fonts.face_for(project, used, text, weights[face]).file
    return cover.draw(doc.body.find("header"), design, font, project.styles / "eu-emblem.png", doc.direction)
