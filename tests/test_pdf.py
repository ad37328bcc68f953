"""The built PDFs themselves: content, table of contents, tags and metadata."""
from __future__ import annotations

import re

import pikepdf
import pytest
from pypdf import PdfReader

from digin import markup
from digin.errors import Problems
from digin.i18n import content_strings, index, read_catalog
from digin.load import load_toolkit

from conftest import LANGS, SEED, manifest
from pdftext import normalize, page_texts, seed_paragraphs


def pdf_path(out, lang):
    return out / lang / f"digin-d2.2-toolkit-{lang}.pdf"


def translations(project, lang="nl"):
    """tr(text) -> its translation: a content Text (looked up by its key) or a UI string."""
    entries = index(read_catalog(project, lang, Problems()))

    def tr(text):
        return entries[(getattr(text, "key", None), str(text))].msgstr

    return tr


def test_manifest_lists_every_pdf(built):
    entries = {e["path"]: e for e in manifest(built)}
    for lang in LANGS:
        entry = entries[f"{lang}/digin-d2.2-toolkit-{lang}.pdf"]
        data = pdf_path(built, lang).read_bytes()
        assert entry["bytes"] == len(data) and entry["locale"] == lang
        assert (entry["kind"], entry["id"], entry["format"]) == ("toolkit", "toolkit", "pdf")
        assert entry["pages"] == len(PdfReader(pdf_path(built, lang)).pages)
        assert re.fullmatch(r"[0-9a-f]{64}", entry["sha256"])


def body_text(out, project, lang):
    """Normalized body text of a PDF, without the pipeline's own lost-link markers."""
    marker = "(link not available)"
    if lang != "en":
        marker = translations(project, lang)(marker)
    return normalize(" ".join(page_texts(pdf_path(out, lang))).replace(marker, ""))


CITE_MARKER = re.compile(r"\[@[^\]]*\]|(?<![\w@.:/\\\[])@[a-z0-9]+(?:-[a-z0-9]+)*")
# Citations: generated from the reference data, in the edition's language, so the seed's
# hand-typed forms ("(Wereldgezondheidsorganisatie, 2025)") are compared without them.
CITATION = re.compile(r"\([^()]*?(?:\d{4}[a-z]?|[nsz]\.d\.);?\)|[A-Z][\w'’-]+(?:(?:,\s*|\s+(?:en|and|e)\s+)[A-Z][\w'’-]+)*"
                      r"(?:\s+et al\.)?\s+\(\d{4}\)")
# The seed's wording that the toolkit corrects on purpose (a training's "Format:" is its Werkvorm).
CORRECTIONS = {"Formaat:": "Werkvorm:"}


def _as_corrected(text: str) -> str:
    for seed, fixed in CORRECTIONS.items():
        text = text.replace(seed, fixed)
    return CITATION.sub("", text)


def test_dutch_pdf_carries_the_seed_paragraphs(built, project):
    """Every seed body paragraph (>= 60 letters, introduction to references), measured."""
    body = normalize(CITATION.sub("", " ".join(page_texts(pdf_path(built, "nl")))))
    body = body.replace(normalize(translations(project, "nl")("(link not available)")), "")
    paragraphs = seed_paragraphs(SEED, "## INLEIDING", "## VERWIJZINGEN")
    missing = [p for p in paragraphs if normalize(_as_corrected(p)) not in body]
    coverage = 1 - len(missing) / len(paragraphs)
    print(f"nl PDF carries {len(paragraphs) - len(missing)}/{len(paragraphs)} seed paragraphs ({coverage:.1%})")
    assert len(paragraphs) > 150
    assert coverage >= 0.98, "missing:\n" + "\n".join(missing)


@pytest.mark.parametrize("lang", LANGS)
def test_pdf_contains_every_string_of_its_language(built, project, lang):
    toolkit = load_toolkit(project)
    page_only = {t.key for t in content_strings(toolkit.editions)}   # the download page's headings
    strings = [t for t in content_strings(toolkit) if t.key not in page_only]
    texts = [markup.to_text(t) for t in strings]
    if lang != "en":
        tr = translations(project, lang)
        texts = [markup.to_text(tr(t)) for t in strings]
    body = body_text(built, project, lang)
    # A citation marker ([@who-nd]) is printed from the reference data: compare the text around it.
    pieces = [piece for text in texts for piece in CITE_MARKER.split(text) if piece.strip(" .,;")]
    missing = [piece for piece in pieces if normalize(piece) not in body]
    assert missing == []


@pytest.mark.parametrize("lang", LANGS)
def test_toc_page_numbers_are_where_headings_land(built, lang):
    reader = PdfReader(pdf_path(built, lang))
    toc_page = next(i for i, page in enumerate(reader.pages)
                    if re.search(r"\.{10,}\s*\d+", page.extract_text() or ""))
    toc_text = " ".join(reader.pages[toc_page].extract_text().split())
    checked = 0

    def visit(items, depth):
        nonlocal checked
        for item in items:
            if isinstance(item, list):
                if depth < 2:
                    visit(item, depth + 1)
                continue
            page = reader.get_destination_page_number(item) + 1
            title = re.escape(" ".join(item.title.split()))
            match = re.search(r"(?:^|\d )" + title + r"\s*\.{3,}\s*(\d+)", toc_text)
            if match and page > toc_page + 1:
                assert int(match.group(1)) == page, item.title
                checked += 1

    visit(reader.outline, 1)
    assert checked >= 18   # 8 chapters, 4 practices, 4 modules, 3 resource groups (less short ones)


def _struct_tags(node, found):
    if isinstance(node, pikepdf.Dictionary):
        if "/S" in node:
            found.append((str(node.S), node))
        kids = node.get("/K")
        if kids is not None:
            for kid in (kids if isinstance(kids, pikepdf.Array) else [kids]):
                _struct_tags(kid, found)
    elif isinstance(node, pikepdf.Array):
        for kid in node:
            _struct_tags(kid, found)
    return found


@pytest.mark.parametrize("lang", LANGS)
def test_pdf_is_tagged_pdf_ua(built, project, lang):
    with pikepdf.open(pdf_path(built, lang)) as pdf:
        assert "/StructTreeRoot" in pdf.Root
        assert pdf.Root.MarkInfo.Marked is True
        assert str(pdf.Root.Lang) == lang
        assert pdf.Root.ViewerPreferences.DisplayDocTitle is True
        meta = pdf.open_metadata()
        assert meta.get("pdfuaid:part") == "1"
        title = meta.get("dc:title")
        deliverable = load_toolkit(project).deliverable.title
        assert title == "DiGiN D2.2 – " + (translations(project, lang)(deliverable) if lang != "en" else deliverable)
        tags = _struct_tags(pdf.Root.StructTreeRoot, [])
        names = [name for name, _ in tags]
        levels = [int(n[2]) for n in names if re.fullmatch(r"/H[1-6]", n)]
        assert levels[0] == 1 and len(levels) > 60
        assert all(b <= a + 1 for a, b in zip(levels, levels[1:])), "a heading level is skipped"
        figures = [node for name, node in tags if name == "/Figure"]
        assert figures and all(str(node.get("/Alt", "")).strip() for node in figures)
        assert {"/P", "/L", "/LI", "/Table", "/TH", "/TD", "/Link"} <= set(names)


@pytest.mark.parametrize("lang", LANGS)
def test_pdf_embeds_only_the_project_fonts(built, lang):
    with pikepdf.open(pdf_path(built, lang)) as pdf:
        fonts = {str(font.BaseFont).split("+")[-1] for page in pdf.pages
                 for font in page.Resources.get("/Font", {}).values()}
    assert fonts == {"DiGiN-Lato", "DiGiN-Lato-Bold", "DiGiN-Lato-Italic", "DiGiN-Lato-Bold-Italic"}


@pytest.mark.parametrize("lang", LANGS)
def test_bookmarks_and_internal_links(built, lang):
    reader = PdfReader(pdf_path(built, lang))
    titles = []

    def visit(items):
        for item in items:
            visit(item) if isinstance(item, list) else titles.append(item.title)

    visit(reader.outline)
    assert len(titles) > 60   # every heading, down to the practices' phases
    internal = [a for page in reader.pages for a in (page.get("/Annots") or [])
                if a.get_object().get("/Subtype") == "/Link" and "/Dest" in a.get_object()]
    assert len(internal) >= 19 + 4   # the table of contents and the module list


def test_lost_links_are_visibly_marked(built, project):
    marker = translations(project)("(link not available)")
    text = " ".join(page_texts(pdf_path(built, "nl")))
    assert text.count(marker) >= 20   # modules, resources, practices' further links


def _chapter_pages(reader, first_title, next_title):
    pages = {item.title: reader.get_destination_page_number(item)
             for item in reader.outline if not isinstance(item, list)}
    return pages[first_title], pages[next_title]


def test_glossary_follows_each_languages_collation(built, project):
    toolkit = load_toolkit(project)
    prose = toolkit.prose
    for lang in LANGS:
        tr = translations(project, lang) if lang != "en" else str
        reader = PdfReader(pdf_path(built, lang))
        first, last = _chapter_pages(reader, tr(prose.glossary.title), tr(prose.practices.title))
        text = " ".join(page_texts(pdf_path(built, lang))[first:last + 1])
        terms = {tr(t.term) for t in toolkit.glossary.terms}
        printed = [term for _pos, term in sorted((text.index(f"{term}:"), term) for term in terms)]
        expected = sorted(terms, key=lambda s: normalize(s))
        assert printed == expected, lang


def _standalone_pdfs(out, lang):
    return [out / e["path"] for e in manifest(out)
            if e["format"] == "pdf" and e["kind"] != "toolkit" and e["locale"] == lang]


@pytest.mark.parametrize("lang", LANGS)
def test_a_standalone_file_says_on_page_one_whose_it_is(built, project, lang):
    """Downloaded on its own, a practice or handout shows on page 1 the DiGiN name, the EU
    emblem and the funding line; it names the organisation and the authors, and gives
    the full toolkit's address."""
    deliverable = load_toolkit(project).deliverable
    funded = translations(project, lang)("Funded by the European Union") if lang != "en" else \
        "Funded by the European Union"
    funded = markup.typographic_texts([funded], lang)[0]    # as printed: dall’Unione
    paths = _standalone_pdfs(built, lang)
    assert len(paths) == 8
    for path in paths:
        texts = page_texts(path)
        assert deliverable.acronym in texts[0] and funded in texts[0], path
        with pikepdf.open(path) as pdf:
            first_page = pdf.pages[0].obj
            figures = [node for name, node in _struct_tags(pdf.Root.StructTreeRoot, [])
                       if name == "/Figure" and node.get("/Pg") == first_page]
            assert figures, path
            assert lang != "en" or "European Union" in str(figures[0].get("/Alt")), path
        whole = "".join(texts)
        assert deliverable.responsible_organisation in whole and deliverable.authors[0] in whole, path
        assert f"digin-d2.2-toolkit-{lang}.pdf" in whole, path


def test_an_address_is_whole_in_the_text_and_the_link(built):
    """The Genoa contact's e-mail address breaks (if at all) only before "@" or ".", without
    a hyphen: the PDF's text and the link's target are the address itself."""
    path = built / "en" / "practices" / "genoa-equal-opportunities-table-en.pdf"
    text = "".join(page_texts(path))
    assert "ypiccione@comune.genova.it" in text
    reader = PdfReader(path)
    targets = {str(a.get_object()["/A"]["/URI"]) for page in reader.pages for a in page.get("/Annots") or []
               if "/URI" in a.get_object().get("/A", {})}
    assert "mailto:ypiccione@comune.genova.it" in targets
