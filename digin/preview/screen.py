"""The preview's pages for the screen: an edition's HTML with the preview's bar, its
stylesheets and its reload script; the index; the located problems of a bad edit; the
translator's view; the /where results.

Everything is built as an element tree (lxml) and serialized: text from the content, the
translations or a problem message is always a text node or an attribute value, escaped
on the way out, never markup. The pages carry no inline script or style, so the
server's Content-Security-Policy can forbid both.
"""
from __future__ import annotations

import posixpath
from urllib.parse import quote, urlencode, urlsplit

from babel import Locale
from lxml import html as lxml_html

from ..assets import styles_file
from . import Page, Preview
from ..project import SOURCE_LANGUAGE, Project
from .where import Match

STYLESHEETS = ("/styles/design-tokens.css", "/styles/screen.css")
SCRIPT = "/styles/preview.js"
PDF_STATES = {"ready": "ready", "building": "updating…", "failed": "failed", "absent": "not built yet"}
KINDS = {"toolkit": "Full toolkit", "practice": "Practice", "handout": "Handout"}


def element(tag: str, text: str | None = None, children=(), **attributes) -> lxml_html.HtmlElement:
    """An element whose text and attributes are data (escaped when serialized)."""
    node = lxml_html.Element(tag, {name.rstrip("_").replace("_", "-"): value
                                   for name, value in attributes.items() if value is not None})
    node.text = text
    for child in children:
        node.append(child)
    return node


def serialize(root) -> bytes:
    return lxml_html.tostring(root, doctype="<!DOCTYPE html>", encoding="utf-8")


def _head(head, title: str | None = None) -> None:
    """The preview's stylesheets and script, after the page's own head."""
    if title is not None:
        head.append(element("title", title))
    head.append(element("meta", name="viewport", content="width=device-width, initial-scale=1"))
    for href in STYLESHEETS:
        head.append(element("link", rel="stylesheet", href=href))
    head.append(element("script", "", src=SCRIPT, defer="defer"))


def language_name(lang: str) -> str:
    return Locale.parse(lang).get_display_name(lang) or lang


# --- An edition ----------------------------------------------------------------------

def edition_page(preview: Preview, page: Page, *, translator: bool, pdf_state: str) -> bytes:
    """One edition for the screen: links between editions lead to their preview pages."""
    root = lxml_html.document_fromstring(page.html)
    _head(root.find("head"))
    body = root.find("body")
    body.set("class", " ".join(filter(None, [body.get("class"), "digin-preview",
                                             "digin-translator" if translator else None])))
    body.set("data-digin-page", page.url)
    _retarget(root, page, preview)
    stand_ins = _mark_stand_ins(root) if translator else []
    for index, node in enumerate(_bar(preview, page, translator, pdf_state, stand_ins)):
        body.insert(index, node)
    return serialize(root)


def _retarget(root, page: Page, preview: Preview) -> None:
    """Links to another edition's file (any format) go to its preview page; images to styles/."""
    toolkit = preview.toolkit
    targets = {page_.edition.filename(toolkit, page_.lang, fmt): url
               for url, page_ in preview.pages.items() for fmt in page_.edition.formats}
    here = page.edition.filename(toolkit, page.lang, page.edition.formats[0])
    base_url = (getattr(toolkit.deliverable, "publication_url", None) or "").rstrip("/")
    for link in root.iter("a"):
        href = link.get("href") or ""
        parts = urlsplit(href)
        if base_url and href.startswith(base_url + "/"):
            path = urlsplit(href[len(base_url) + 1:]).path
        elif not parts.scheme and not parts.netloc and parts.path:
            path = posixpath.normpath(posixpath.join(posixpath.dirname(here), parts.path))
        else:
            continue
        if path in targets:
            link.set("href", targets[path] + (f"#{parts.fragment}" if parts.fragment else ""))
    for image in root.iter("img"):
        source = image.get("src") or ""
        if not urlsplit(source).scheme and styles_file(preview.project, source) is not None:
            image.set("src", "/styles/" + quote(source))


def _mark_stand_ins(root) -> list[tuple[str, str, str]]:
    """The English stand-ins of a translation: each gets an id and its key as a tooltip;
    (id, key, state) of each."""
    found = []
    for number, span in enumerate(root.xpath("//span[@data-digin-key]"), start=1):
        key, state = span.get("data-digin-key"), span.get("data-digin-state")
        span.set("id", f"digin-string-{number}")
        span.set("title", f"{state}: {key}")
        found.append((f"digin-string-{number}", key, state))
    return found


def _bar(preview: Preview, page: Page, translator: bool, pdf_state: str, stand_ins) -> list:
    """The preview's bar (and the problems, if any) at the top of the page."""
    bar = element("nav", class_="digin-bar", lang="en", aria_label="Preview")
    bar.append(element("a", "All editions", href="/", class_="digin-home"))
    others = [(p.lang, url) for url, p in preview.pages.items()
              if p.edition.kind == page.edition.kind and p.edition.id == page.edition.id]
    languages = element("span", class_="digin-languages")
    for lang, url in others:
        languages.append(element("a", lang, href=url, hreflang=lang, title=language_name(lang),
                                 aria_current="page" if url == page.url else None))
    bar.append(languages)
    if page.pdf:
        bar.append(element("a", "PDF", href="/pdf/" + page.pdf, class_="digin-pdf", data_digin_pdf=page.pdf,
                           data_state=pdf_state, children=[element("span", PDF_STATES.get(pdf_state, pdf_state),
                                                                   class_="digin-pdf-state")]))
    if page.lang != SOURCE_LANGUAGE or translator:
        toggle = page.url if translator else page.url + "?" + urlencode({"translator": "1"})
        bar.append(element("a", "Translator view: " + ("on" if translator else "off"), href=toggle,
                           class_="digin-toggle", aria_pressed="true" if translator else "false"))
    nodes = [bar]
    if translator:
        nodes.append(_stand_in_list(stand_ins))
    problems = preview.problem_lines()
    if problems:
        nodes.append(problem_list(problems))
    return nodes


def _stand_in_list(stand_ins) -> lxml_html.HtmlElement:
    """The English stand-ins of the page, each linked to its place and to /where."""
    count = len(stand_ins)
    if not count:
        return element("p", "Every string on this page is translated.", class_="digin-stand-ins", lang="en")
    box = element("details", class_="digin-stand-ins", lang="en", open="open" if count <= 12 else None)
    box.append(element("summary", f"{count} string{'s' if count != 1 else ''} on this page untranslated or fuzzy, "
                                  "shown in English"))
    items = element("ol")
    for anchor, key, state in stand_ins:
        item = element("li", children=[element("a", key, href=f"#{anchor}", class_=f"digin-{state}")])
        item.append(element("span", f" {state} · ", class_="digin-state"))
        item.append(element("a", "where?", href="/where?" + urlencode({"q": key})))
        items.append(item)
    box.append(items)
    return box


def problem_list(problems: list[str]) -> lxml_html.HtmlElement:
    """The located problems of the current files (escaped text), above the last good page."""
    count = len(problems)
    box = element("section", class_="digin-problems", role="alert", lang="en")
    box.append(element("h2", f"{count} problem{'s' if count != 1 else ''}: this is the last good version; "
                             "it comes back up to date once the file is fixed"))
    items = element("ul")
    for line in problems:
        items.append(element("li", children=[element("code", line)]))
    box.append(items)
    return box


# --- The preview's own pages ---------------------------------------------------------

def _frame(title: str, *nodes) -> tuple:
    root = element("html", lang="en")
    head = element("head", children=[element("meta", charset="utf-8")])
    _head(head, title)
    body = element("body", class_="digin-preview digin-own", data_digin_page="/")
    root.append(head)
    root.append(body)
    main = element("main", class_="digin-main")
    for node in nodes:
        main.append(node)
    body.append(main)
    return root, main


def index_page(preview: Preview, pdf_states: dict[str, str]) -> bytes:
    """Every edition in every language, with its PDF's state; the problems, if any."""
    problems = preview.problem_lines()
    root, main = _frame("Preview", element("h1", "Preview"))
    if problems:
        main.append(problem_list(problems))
    if not preview.pages:
        main.append(element("p", "Nothing rendered yet: the pages appear once the problems above are fixed."))
    for lang in preview.langs():
        pages = [(url, page) for url, page in preview.pages.items() if page.lang == lang]
        if not pages:
            continue
        section = element("section", lang=lang, class_="digin-language")
        section.append(element("h2", language_name(lang)))
        items = element("ul", class_="digin-editions")
        for url, page in pages:
            item = element("li", children=[element("span", KINDS.get(page.edition.kind, page.edition.kind),
                                                   class_="digin-kind", lang="en"),
                                           element("a", page.title, href=url)])
            if page.pdf:
                state = pdf_states.get(page.pdf, "absent")
                item.append(element("a", "PDF", href="/pdf/" + page.pdf, class_="digin-pdf", lang="en",
                                    data_digin_pdf=page.pdf, data_state=state,
                                    children=[element("span", PDF_STATES.get(state, state),
                                                      class_="digin-pdf-state")]))
            items.append(item)
        section.append(items)
        main.append(section)
    main.append(_where_form(""))
    return serialize(root)


def _where_form(query: str) -> lxml_html.HtmlElement:
    form = element("form", action="/where", method="get", class_="digin-where", role="search")
    form.append(element("label", "Find a string in the last build: its key, or a piece of its text in any language",
                        for_="digin-where-q"))
    form.append(element("input", type="search", name="q", id="digin-where-q", value=query, required="required"))
    form.append(element("button", "Find", type="submit"))
    return form


def where_page(project: Project, query: str, matches: list[Match] | None, error: list[str] | None) -> bytes:
    """The artifacts and PDF pages of the last build where a string is."""
    root, main = _frame(f"Where: {query}", element("p", children=[element("a", "All editions", href="/")]),
                        element("h1", "Where is this string?"), _where_form(query))
    if error:
        main.append(problem_list(error))
    if matches is not None:
        main.append(element("p", "From the PDFs, EPUBs and DOCX files of the last build in out/ (and the PDFs "
                                 "the preview rebuilt since).", class_="digin-note"))
        results = element("dl", class_="digin-where-results")
        for match in matches:
            results.append(element("dt", children=[element("code", match.key or query),
                                                   element("span", f" {match.lang}", class_="digin-kind")]))
            found = element("dd", children=[element("q", match.text, lang=match.lang)])
            places = element("ul")
            for item in match.found:
                pages = ", ".join(map(str, item.pages))
                label = f"{item.path}" + (f" — page{'s' if len(item.pages) > 1 else ''} {pages}" if pages else "")
                places.append(element("li", label))
            if not match.found:
                places.append(element("li", "in no artifact of the last build"))
            found.append(places)
            results.append(found)
        if not matches:
            main.append(element("p", "No string matches."))
        main.append(results)
    return serialize(root)


def message_page(title: str, text: str, problems: list[str]) -> bytes:
    """A short page (not found, a failed PDF), with the current problems if any."""
    root, main = _frame(title, element("p", children=[element("a", "All editions", href="/")]),
                        element("h1", title), element("p", text))
    if problems:
        main.append(problem_list(problems))
    return serialize(root)
