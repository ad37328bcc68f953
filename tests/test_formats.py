"""One content, three formats: the same paragraphs in the PDF, the EPUB and the DOCX."""
from __future__ import annotations

import zipfile

import docx
import pytest
from lxml import etree

from conftest import LANGS
from pdftext import normalize, page_texts

XHTML = "{http://www.w3.org/1999/xhtml}"
BLOCKS = {f"{XHTML}{tag}" for tag in ("p", "li", "h1", "h2", "h3", "h4", "th", "td", "caption")}


def epub_paragraphs(path) -> list[str]:
    """Text blocks of the EPUB's chapters (its navigation document is format furniture)."""
    found = []
    with zipfile.ZipFile(path) as book:
        for name in book.namelist():
            if name.endswith(".xhtml") and not name.endswith("nav.xhtml"):
                for element in etree.fromstring(book.read(name)).iter():
                    if element.tag in BLOCKS and not any(c.tag in BLOCKS for c in element):
                        found.append("".join(element.itertext()))
    return found


def docx_paragraphs(path) -> list[str]:
    document = docx.Document(str(path))
    found = [p.text for p in document.paragraphs]
    found += [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return found


def without_furniture(text: str, marker: str) -> str:
    """Normalized text without the pipeline's own lost-link markers."""
    return normalize(text.replace(marker, ""))


@pytest.mark.parametrize("lang", LANGS)
def test_pdf_epub_and_docx_carry_the_same_paragraphs(built, lang):
    stem = built / lang / f"digin-d2.2-toolkit-{lang}"
    with zipfile.ZipFile(f"{stem}.epub") as book:
        notes = etree.fromstring(book.read("EPUB/practices.xhtml")).iterfind(f".//{XHTML}span[@class='missing-link-note']")
        marker = next(notes).text
    epub = [without_furniture(p, marker) for p in epub_paragraphs(f"{stem}.epub")]
    word = [without_furniture(p, marker) for p in docx_paragraphs(f"{stem}.docx")]
    pdf = without_furniture(" ".join(page_texts(f"{stem}.pdf")), marker)
    epub, word = [p for p in epub if len(p) >= 20], [p for p in word if len(p) >= 20]
    assert len(epub) > 300
    word_text, epub_text = " ".join(word), " ".join(epub)
    missing_in_docx = [p for p in epub if p not in word_text]
    missing_in_pdf = [p for p in epub if p not in pdf]
    missing_in_epub = [p for p in word if p not in epub_text]
    assert missing_in_docx == [] and missing_in_pdf == [] and missing_in_epub == []
