"""The EPUB editions: EPUBCheck, navigation, metadata, accessibility, links, reproducibility."""
from __future__ import annotations

import io
import json
import re
import zipfile

import pytest
from fontTools.ttLib import TTFont
from lxml import etree
from PIL import Image

from conftest import LANGS, ace_report, ace_violations, epubcheck_reports, once_per_run
from digin.plan import edition_html
from digin.project import ROOT, Project
from digin.writers import epub, tokens

NS = {"opf": "http://www.idpf.org/2007/opf", "dc": "http://purl.org/dc/elements/1.1/",
      "x": "http://www.w3.org/1999/xhtml", "epub": "http://www.idpf.org/2007/ops"}


def epub_path(out, lang):
    return out / lang / f"digin-d2.2-toolkit-{lang}.epub"


def opf(book: zipfile.ZipFile):
    return etree.fromstring(book.read("EPUB/content.opf"))


def documents(book: zipfile.ZipFile):
    return {name: etree.fromstring(book.read(name)) for name in book.namelist() if name.endswith(".xhtml")}


@pytest.fixture(scope="session")
def epubcheck_of_every_language(tmp_path_factory, built) -> dict[str, dict]:
    """EPUBCheck's report on each language's toolkit EPUB, all checked at once, in one JVM."""
    def check(folder):
        for lang, report in zip(LANGS, epubcheck_reports(*(epub_path(built, lang) for lang in LANGS))):
            (folder / f"{lang}.json").write_text(json.dumps(report), encoding="utf-8")

    folder = once_per_run(tmp_path_factory, "epubcheck", check)
    return {lang: json.loads((folder / f"{lang}.json").read_text(encoding="utf-8")) for lang in LANGS}


@pytest.mark.parametrize("lang", LANGS)
def test_epubcheck_reports_nothing(epubcheck_of_every_language, lang):
    report = epubcheck_of_every_language[lang]
    counts = {key: report["checker"][key] for key in ("nFatal", "nError", "nWarning")}
    assert counts == {"nFatal": 0, "nError": 0, "nWarning": 0}, report["messages"]
    assert report["publication"]["language"] == lang


@pytest.mark.parametrize("lang", LANGS)
def test_metadata_and_accessibility(built, lang):
    with zipfile.ZipFile(epub_path(built, lang)) as book:
        package = opf(book)
    meta = package.find("opf:metadata", NS)
    assert meta.findtext("dc:language", namespaces=NS) == lang
    assert meta.findtext("dc:identifier", namespaces=NS) == f"urn:digin:d2.2:toolkit:{lang}:r1.0"
    assert meta.findtext("dc:title", namespaces=NS).startswith("DiGiN D2.2 – ")
    assert [c.text for c in meta.findall("dc:creator", NS)] == ["Panagiota Polykarpou", "Vasia Madesi", "Lut Mergaert"]
    assert meta.findtext("dc:publisher", namespaces=NS) == "Yellow Window"
    props = {}
    for element in meta.findall("opf:meta", NS):
        if element.get("property"):
            props.setdefault(element.get("property"), []).append(element.text)
    assert props["dcterms:modified"] == ["2026-03-23T00:00:00Z"]        # the content's date, not now
    assert set(props["schema:accessMode"]) == {"textual", "visual"}
    assert props["schema:accessModeSufficient"] == ["textual"]
    assert {"structuralNavigation", "tableOfContents", "alternativeText", "readingOrder"} <= set(
        props["schema:accessibilityFeature"])
    assert props["schema:accessibilityHazard"] == ["none"]
    assert len(props["schema:accessibilitySummary"][0]) > 100
    assert "dcterms:conformsTo" not in props        # no WCAG audit: no conformance claim


@pytest.mark.parametrize("lang", LANGS)
def test_navigation_landmarks_cover_and_ncx(built, lang):
    with zipfile.ZipFile(epub_path(built, lang)) as book:
        package = opf(book)
        nav = etree.fromstring(book.read("EPUB/nav.xhtml"))
        assert "EPUB/toc.ncx" in book.namelist()
    items = {i.get("id"): i for i in package.iter("{%s}item" % NS["opf"])}
    assert items["cover-img"].get("properties") == "cover-image"
    toc = nav.find(".//x:nav[@epub:type='toc']", NS)
    entries = [a.get("href") for a in toc.iter("{%s}a" % NS["x"])]
    assert "introduction.xhtml" in entries and "references.xhtml" in entries
    # Every part after the cover is in the navigation, the front matter first.
    top = [a.get("href") for a in toc.findall("x:ol/x:li/x:a", NS)]
    hrefs = {i.get("id"): i.get("href") for i in package.iter("{%s}item" % NS["opf"])}
    spine = [hrefs[ref.get("idref")] for ref in package.iter("{%s}itemref" % NS["opf"])]
    assert top == [href for href in spine if href not in ("cover.xhtml", "nav.xhtml")]
    assert top[0] == "about.xhtml"
    assert sum("#practice-" in e for e in entries) == 4 and sum("#module-" in e for e in entries) == 4
    landmarks = nav.find(".//x:nav[@epub:type='landmarks']", NS)
    kinds = [a.get("{%s}type" % NS["epub"]) for a in landmarks.iter("{%s}a" % NS["x"])]
    assert kinds == ["cover", "toc", "bodymatter"]


@pytest.mark.parametrize("lang", LANGS)
def test_front_matter_headings_are_in_the_nav_and_the_ncx(built, lang):
    """The About page and its Disclaimer, Partners, How to cite: in both navigations."""
    with zipfile.ZipFile(epub_path(built, lang)) as book:
        nav = etree.fromstring(book.read("EPUB/nav.xhtml"))
        ncx = etree.fromstring(book.read("EPUB/toc.ncx"))
        about = etree.fromstring(book.read("EPUB/about.xhtml"))
    headings = [" ".join(h.itertext()).strip() for h in about.iter("{%s}h2" % NS["x"])]
    assert len(headings) >= 4                   # About, Disclaimer, Partners, How to cite
    entry = nav.find(".//x:nav[@epub:type='toc']/x:ol/x:li", NS)
    assert entry.findtext("x:a", namespaces=NS) == headings[0]
    assert [a.text for a in entry.findall("x:ol/x:li/x:a", NS)] == headings[1:]
    ncx_ns = {"n": "http://www.daisy.org/z3986/2005/ncx/"}
    point = ncx.find("n:navMap/n:navPoint", ncx_ns)
    assert point.find("n:content", ncx_ns).get("src") == "about.xhtml"
    assert [p.findtext("n:navLabel/n:text", namespaces=ncx_ns) for p in point.findall("n:navPoint", ncx_ns)] == \
        headings[1:]
    assert all(p.find("n:content", ncx_ns).get("src").startswith("about.xhtml#")
               for p in point.findall("n:navPoint", ncx_ns))


@pytest.mark.parametrize("lang", LANGS)
def test_cover_image_is_a_png_drawn_from_the_cover(built, lang):
    with zipfile.ZipFile(epub_path(built, lang)) as book:
        package = opf(book)
        (item,) = [i for i in package.iter("{%s}item" % NS["opf"]) if "cover-image" in (i.get("properties") or "")]
        image = Image.open(io.BytesIO(book.read(f"EPUB/{item.get('href')}")))
        svg_covers = [n for n in book.namelist() if n.endswith("cover.svg")]
    assert item.get("media-type") == "image/png" and image.format == "PNG" and image.size == (1200, 1600)
    assert not svg_covers
    heading = tokens.read(ROOT / "styles").color("color-heading")
    assert image.convert("RGB").getpixel((600, 10)) == tuple(bytes.fromhex(heading))   # the band at the top
    # Text was drawn: many pixels of the heading colour below the band (acronym, title).
    body = image.convert("RGB").crop((0, 100, 1200, 1200))
    counts = {color: count for count, color in body.getcolors(maxcolors=1 << 24)}
    assert counts[tuple(bytes.fromhex(heading))] > 20000


@pytest.mark.parametrize("lang", LANGS)
def test_package_declares_language_and_direction(built, lang):
    with zipfile.ZipFile(epub_path(built, lang)) as book:
        package = opf(book)
        css = book.read("EPUB/epub.css").decode()
    assert package.get("{http://www.w3.org/XML/1998/namespace}lang") == lang
    assert package.get("dir") == "ltr"
    heading = tokens.read(ROOT / "styles").color("color-heading")
    assert not re.search(r"var\(\s*--", css) and f"#{heading}".lower() in css.lower()   # tokens put in


def test_the_reference_list_hangs_as_in_the_pdf(built):
    """APA's list: each entry's lines after the first indented by the project's indent
    (styles/design-tokens.css --indent, as in the PDF), the first line out at the margin."""
    with zipfile.ZipFile(epub_path(built, "en")) as book:
        css = book.read("EPUB/epub.css").decode()
        references = book.read("EPUB/references.xhtml").decode()
    rule = re.search(r"^\.references li \{([^}]*)\}", css, re.M)[1]
    indent = re.search(r"padding-inline-start: ([\d.]+mm)", rule)[1]
    assert f"text-indent: calc(-1 * {indent})" in rule and 'class="references"' in references


@pytest.mark.parametrize("lang", LANGS)
def test_documents_declare_language_have_no_scripts_and_links_resolve(built, lang):
    with zipfile.ZipFile(epub_path(built, lang)) as book:
        docs = documents(book)
        assert b"<script" not in b"".join(book.read(n) for n in book.namelist() if n.endswith((".xhtml", ".svg")))
        package = opf(book)
    assert not any("scripted" in (i.get("properties") or "") for i in package.iter("{%s}item" % NS["opf"]))
    ids = {name.rsplit("/", 1)[-1]: {e.get("id") for e in doc.iter() if e.get("id")} for name, doc in docs.items()}
    checked = 0
    for name, doc in docs.items():
        assert doc.get("lang") == lang and doc.get("{http://www.w3.org/XML/1998/namespace}lang") == lang
        for link in doc.iter("{%s}a" % NS["x"]):
            href = link.get("href", "")
            if href.startswith(("http", "mailto:")) or not href:
                continue
            file, _, fragment = href.partition("#")
            file = file or name.rsplit("/", 1)[-1]
            assert file in ids, href
            assert not fragment or fragment in ids[file], href
            checked += 1
    assert checked > 40   # nav, glossary and chapter cross-references


def test_epub_is_reproducible_and_embeds_only_project_fonts():
    html = edition_html(Project(ROOT), "nl")
    first, second = epub.write(Project(ROOT), html).data, epub.write(Project(ROOT), html).data
    assert first == second
    with zipfile.ZipFile(io.BytesIO(first)) as book:
        assert book.namelist()[0] == "mimetype" and book.getinfo("mimetype").compress_type == zipfile.ZIP_STORED
        fonts = {n: book.read(n) for n in book.namelist() if n.startswith("EPUB/fonts/")}
        text = "".join(page.xpath("string(//*[local-name()='body'])") for page in documents(book).values())
    assert sorted(fonts) == [f"EPUB/fonts/Lato-{s}.ttf" for s in ("Bold", "BoldItalic", "Italic", "Regular")]
    # Each face is cut down to the book's characters, and keeps its copyright and licence
    # (OFL: name records 0, 13 and 14).
    used = {ord(char) for char in text if char.isprintable() and not char.isspace()}
    for name, data in fonts.items():
        face = TTFont(io.BytesIO(data))
        covered = set(face.getBestCmap())
        assert used <= covered and len(covered) < 300, name
        records = {record.nameID: record.toUnicode() for record in face["name"].names}
        assert "SIL Open Font License" in records[13] and records[14].startswith("http") and records[0], name


def test_ace_by_daisy_reports_no_violation(built, tmp_path):
    """Ace by DAISY, the EPUB accessibility checker (axe rules in a real browser, and the
    package's accessibility metadata), on the English toolkit."""
    report = ace_report(epub_path(built, "en"), tmp_path / "ace")
    assert report["earl:result"]["earl:outcome"] == "pass"
    assert ace_violations(report) == []
