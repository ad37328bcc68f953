"""Per-practice PDFs and module handouts: every locale, tagged, linked, declared as data."""
from __future__ import annotations

import shutil

import pikepdf
import pytest
from pypdf import PdfReader

from conftest import LANGS, manifest, run_cli
from digin.load import load_toolkit
from pdftext import normalize, page_texts

PRACTICES = ["ghent-diversity-framework", "rotterdam-inclusiveness-panel", "genoa-equal-opportunities-table",
             "ghent-employee-networks"]
MODULES = ["participatory-co-creation", "allyship", "strategic-framing", "monitoring-evaluation"]


@pytest.mark.parametrize("lang", LANGS)
def test_every_locale_has_four_practices_and_four_handouts(built, lang):
    entries = {(e["kind"], e["id"], e["format"]) for e in manifest(built) if e["locale"] == lang}
    assert {("practice", p, "pdf") for p in PRACTICES} <= entries
    assert {("handout", m, f) for m in MODULES for f in ("pdf", "docx")} <= entries
    for entry in manifest(built):
        if entry["locale"] == lang and entry["format"] == "pdf" and entry["kind"] != "toolkit":
            pdf = built / entry["path"]
            assert pdf.is_file() and entry["title"]
            pages = len(PdfReader(pdf).pages)
            assert pages == entry["pages"]
            assert 1 <= pages <= (4 if entry["kind"] == "practice" else 2), entry["path"]


@pytest.mark.parametrize("lang", LANGS)
def test_standalone_pdfs_are_tagged_and_complete(built, project, lang):
    toolkit = load_toolkit(project)
    for entry in manifest(built):
        if entry["locale"] != lang or entry["format"] != "pdf" or entry["kind"] == "toolkit":
            continue
        path = built / entry["path"]
        with pikepdf.open(path) as pdf:
            assert "/StructTreeRoot" in pdf.Root and str(pdf.Root.Lang) == lang
            assert pdf.open_metadata().get("pdfuaid:part") == "1"
        text = normalize(" ".join(page_texts(path)))
        assert normalize(entry["title"]) in text
        assert normalize("DiGiN D2.2") in normalize(" ".join(p.extract_text() for p in PdfReader(path).pages))
        if entry["kind"] == "practice":
            practice = next(p for p in toolkit.practices if p.id == entry["id"])
            assert len(practice.phases) and normalize(toolkit.deliverable.how_to_cite) in text


def _uri_links(pdf_path):
    with pikepdf.open(pdf_path) as pdf:
        return [str(a.A.URI) for page in pdf.pages for a in page.get("/Annots", [])
                if a.get("/A") is not None and "/URI" in a.A]


@pytest.mark.parametrize("lang", LANGS)
def test_toolkit_links_open_the_practice_pdfs(built, lang):
    toolkit_pdf = built / lang / f"digin-d2.2-toolkit-{lang}.pdf"
    relative = [u for u in _uri_links(toolkit_pdf) if u.endswith(".pdf")]
    assert sorted(relative) == sorted(f"practices/{p}-{lang}.pdf" for p in PRACTICES)
    for uri in relative:
        assert (toolkit_pdf.parent / uri).is_file()
    practice_pdf = built / lang / "practices" / f"{PRACTICES[1]}-{lang}.pdf"
    back = {u for u in _uri_links(practice_pdf) if ".pdf" in u}   # the lead-in and the colophon's address
    assert back == {f"../digin-d2.2-toolkit-{lang}.pdf"} and (practice_pdf.parent / back.pop()).is_file()


def test_handout_glossary_links_point_into_the_toolkit(built):
    links = _uri_links(built / "en" / "handouts" / "allyship-en.pdf")
    assert "../digin-d2.2-toolkit-en.pdf#term-ally" in links


def test_base_url_makes_links_absolute(project_copy):
    result = run_cli(project_copy, "build", "--locale", "en", "--format", "pdf",
                     "--base-url", "https://digin.example.org/toolkit/")
    assert result.returncode == 0, result.stderr
    links = _uri_links(project_copy / "out/en/digin-d2.2-toolkit-en.pdf")
    assert "https://digin.example.org/toolkit/en/practices/genoa-equal-opportunities-table-en.pdf" in links


def test_a_fifth_practice_and_module_need_no_code_change(project_copy):
    content = project_copy / "content"
    shutil.copy(content / "practices/genoa-equal-opportunities-table.yaml", content / "practices/vienna-test.yaml")
    path = content / "practices/vienna-test.yaml"
    path.write_text(path.read_text().replace("id: genoa-equal-opportunities-table", "id: vienna-test")
                    .replace("municipality: Genoa", "municipality: Vienna"))
    shutil.copy(content / "modules/allyship.yaml", content / "modules/allyship-advanced.yaml")
    path = content / "modules/allyship-advanced.yaml"
    path.write_text(path.read_text().replace("id: allyship", "id: allyship-advanced").replace("number: 2", "number: 5"))
    toolkit_yaml = content / "toolkit.yaml"
    text = toolkit_yaml.read_text()
    text = text.replace("    - ghent-employee-networks\n", "    - ghent-employee-networks\n    - vienna-test\n")
    text = text.replace("    - monitoring-evaluation\n", "    - monitoring-evaluation\n    - allyship-advanced\n")
    toolkit_yaml.write_text(text)
    result = run_cli(project_copy, "build", "--locale", "en", "--format", "pdf")
    assert result.returncode == 0, result.stderr
    paths = {e["path"] for e in manifest(project_copy / "out")}
    assert "en/practices/vienna-test-en.pdf" in paths and "en/handouts/allyship-advanced-en.pdf" in paths
    assert "Vienna" in PdfReader(project_copy / "out/en/practices/vienna-test-en.pdf").pages[0].extract_text()
    assert "practices/vienna-test-en.pdf" in _uri_links(project_copy / "out/en/digin-d2.2-toolkit-en.pdf")
