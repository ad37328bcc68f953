"""The edition's HTML as print needs it, before WeasyPrint lays it out (PDF only; the other
writers read the HTML as the templates made it):
- an e-mail address, URL or DOI shown as text breaks only before `/`, `.` or `@` (and
  after `//`), never with a hyphen: its parts become unbreakable spans with a <wbr>
  between them (the PDF's text and link target stay the address itself);
- in a standalone edition (a practice, a handout), a link whose address a reader of
  paper needs has the address printed after its text;
(The language's quotes, apostrophe and dash are set for every format: digin/markup.py.)
"""
from __future__ import annotations

import re

from lxml import html as lxml_html

from ..markup import ADDRESS, EMAIL, TEXT_BLOCKS, text_pieces

SCHEME = re.compile(r"^[a-z][a-z0-9+.-]*://", re.I)
# An address in running text (not a link's text): a URL, an e-mail address or a bare
# domain name (lower case, a top-level domain of letters), without the punctuation after it.
TEXT_ADDRESS = re.compile(r"(?<![\w@/.-])(?:https?://\S+|www\.\S+|" + EMAIL.pattern +
                          r"|(?:[a-z0-9-]{2,}\.)+[a-z]{2,6}(?:/\S*)?)(?<![.,;:!?)])(?![\w-])")
# Links to the other files of the publication: the colophon prints the toolkit's address once.
OWN_FILE = re.compile(r"(?:^|/)[\w.-]+\.(?:pdf|epub|docx|html)(?:#[\w-]+)?$")


def prepare(html: str) -> str:
    root = lxml_html.document_fromstring(html)
    body = root.find("body")
    for link in body.iter("a"):
        if _is_address(link):
            _breakable(link)
    _text_addresses(body)
    if "standalone" in (body.get("class") or "").split():
        for link in list(body.iter("a")):
            if _needs_printed_address(link):
                _print_address(link)
    return "<!DOCTYPE html>\n" + lxml_html.tostring(root, encoding="unicode")


def address_parts(address: str) -> list[str]:
    """The parts between which an address may break: before `/`, `.` and `@`, after `//`."""
    scheme = SCHEME.match(address)
    head, rest = (scheme.group(0), address[scheme.end():]) if scheme else ("", address)
    parts = [part for part in re.split(r"(?=[/.@])", rest) if part]
    return ([head] if head else []) + parts


def _is_address(link) -> bool:
    text = link.text_content().strip()
    href = link.get("href") or ""
    return len(link) == 0 and bool(text) and (text in (href, href.removeprefix("mailto:"))
                                              or bool(ADDRESS.fullmatch(text)))


def _breakable(element, address: str | None = None) -> None:
    """The element's text (or `address`) as unbreakable parts with break points between."""
    address = address if address is not None else element.text_content().strip()
    element.text = None
    for child in list(element):
        element.remove(child)
    classes = (element.get("class") or "").split()
    element.set("class", " ".join(classes + ["address"]))
    for index, part in enumerate(address_parts(address)):
        if index:
            element.append(lxml_html.Element("wbr"))
        span = lxml_html.Element("span")
        span.text = part
        element.append(span)


def _text_addresses(body) -> None:
    """Addresses written in running text become breakable spans too."""
    for node, attr in [piece for element in body.iter(*TEXT_BLOCKS) for piece in text_pieces(element, top=True)]:
        text = getattr(node, attr)
        if not TEXT_ADDRESS.search(text) or (node.tag == "a" and attr == "text"):
            continue
        pieces = TEXT_ADDRESS.split(text)
        found = TEXT_ADDRESS.findall(text)
        setattr(node, attr, pieces[0])
        spans = []
        for address, after in zip(found, pieces[1:]):
            span = lxml_html.Element("span")
            _breakable(span, address)
            span.tail = after
            spans.append(span)
        parent, position = (node, 0) if attr == "text" else (node.getparent(), node.getparent().index(node) + 1)
        for offset, span in enumerate(spans):
            parent.insert(position + offset, span)


def _needs_printed_address(link) -> bool:
    href = link.get("href") or ""
    return (href.startswith(("http://", "https://")) and "address" not in (link.get("class") or "").split()
            and not OWN_FILE.search(href.split("?")[0]))


def _print_address(link) -> None:
    """`text (address)`, the address inside the link so that it stays clickable."""
    printed = lxml_html.Element("span", {"class": "printed-address"})
    printed.text = " ("
    address = lxml_html.Element("span")
    _breakable(address, link.get("href"))
    address.tail = ")"
    printed.append(address)
    link.append(printed)
