"""Hostile input: content and translations are untrusted text. Nothing in them is run,
rendered as HTML, fetched, or allowed to exhaust the machine."""
from __future__ import annotations

import http.server
import io
import threading
import time
import zipfile
from pathlib import Path

import docx
import pytest
from lxml import etree
from pypdf import PdfReader

from conftest import EVERY_CORE, assert_refused, edit, once_per_run, run_cli
from digin.project import ROOT, Project
from digin.writers import pdf
from test_epub import documents

HTML_ATTACKS = ['<script>alert("x")</script>', '<img src=x onerror="alert(1)">', "<style>body{display:none}</style>",
                '<iframe src="https://example.org"></iframe>']


def _all_text_of_outputs(out, lang):
    pdf_text = " ".join(p.extract_text() for p in PdfReader(out / lang / f"digin-d2.2-toolkit-{lang}.pdf").pages)
    with zipfile.ZipFile(out / lang / f"digin-d2.2-toolkit-{lang}.epub") as book:
        xhtml = list(documents(book).values())
    document = docx.Document(str(out / lang / f"digin-d2.2-toolkit-{lang}.docx"))
    docx_text = "\n".join(p.text for p in document.paragraphs)
    return pdf_text, xhtml, docx_text


@pytest.fixture(scope="session")
def hostile_build(tmp_path_factory) -> Path:
    """The toolkit in English and Dutch, every format, built from content and a translation
    that hold raw HTML, template syntax and a script in a glossary term: out/."""
    def make(folder: Path) -> None:
        root = Project(ROOT).copy_to(folder / "project").root
        edit(root / "content/toolkit.yaml", "  body:\n", "  body:\n" + "".join(f"    - '{a}'\n" for a in HTML_ATTACKS))
        edit(root / "content/deliverable.yaml", "title: Toolkit of DEI capacity-building materials",
             "title: Toolkit {{ 7*7 }} {% raw %} {{ config }}")
        edit(root / "content/glossary.yaml", "term: Ableism", "term: 'Ableism <script>x()</script>'")
        po = root / "locales/nl.po"
        po.write_text(po.read_text().replace('msgstr "Inhoudsopgave"', 'msgstr "Inhoud <script>alert(2)</script>"', 1)
                      .replace('msgstr "Doelstelling"', 'msgstr "Doel {{ 7*7 }}"', 1))
        toolkits = [arg for lang in ("en", "nl") for fmt in ("pdf", "epub", "docx")
                    for arg in ("--target", f"{lang}/digin-d2.2-toolkit-{lang}.{fmt}")]   # where the attacks are
        result = run_cli(root, "build", *toolkits, *EVERY_CORE)
        assert result.returncode == 0, result.stderr

    return once_per_run(tmp_path_factory, "hostile", make) / "project" / "out"


@pytest.mark.long
def test_raw_html_is_shown_as_text_in_every_format(hostile_build):
    docx_texts = {}
    straight = str.maketrans("“”‘’", "\"\"''")   # the typography curls the attacks' quotes: still text
    for lang in ("en", "nl"):
        pdf_text, xhtml, docx_text = (part.translate(straight) if isinstance(part, str) else part
                                      for part in _all_text_of_outputs(hostile_build, lang))
        docx_texts[lang] = docx_text
        for attack in HTML_ATTACKS:
            if lang == "en":
                assert attack in " ".join(pdf_text.split()) or attack.replace(" ", "") in pdf_text.replace(" ", "")
                assert attack in docx_text
        elements = [element for document in xhtml for element in document.iter() if isinstance(element.tag, str)]
        tags = {etree.QName(element).localname for element in elements}
        assert not tags & {"script", "iframe", "style", "object", "embed"}
        assert not [name for element in elements for name in element.attrib if name.lower().startswith("on")]
        assert any("<script>" in (element.text or "") for element in elements)   # shown as text
    assert "Inhoud <script>alert(2)</script>" in docx_texts["nl"]


@pytest.mark.parametrize("target", ["javascript:alert(1)", "data:text/html,<b>x</b>", "file:///etc/passwd",
                                    "ftp://example.org/x", "vbscript:msgbox"])
def test_unsafe_link_schemes_are_refused_in_content(built_copy, target):
    edit(built_copy / "content/modules/allyship.yaml", "[Download here]()", f"[Download here]({target})")
    scheme = target.split(":", 1)[0]
    assert_refused(built_copy, ["content/modules/allyship.yaml:", f"'{scheme}:'"])


def test_unsafe_link_in_a_translation_is_refused(built_copy):
    po = built_copy / "locales/nl.po"
    text = po.read_text()
    assert "[Download hier]()" in text
    po.write_text(text.replace("[Download hier]()", "[Download hier](javascript:alert(1))", 1))
    assert_refused(built_copy, ["locales/nl.po:", "module.", "'javascript:' not allowed"])


def test_strings_are_never_templates(hostile_build):
    cover = PdfReader(hostile_build / "en/digin-d2.2-toolkit-en.pdf").pages[0].extract_text()
    assert "{{ 7*7 }}" in cover and "{% raw %}" in cover and "49" not in cover
    nl = " ".join(p.extract_text() for p in PdfReader(hostile_build / "nl/digin-d2.2-toolkit-nl.pdf").pages)
    assert "Doel {{ 7*7 }}" in nl


class _Recorder(http.server.BaseHTTPRequestHandler):
    requests: list[str] = []

    def do_GET(self):  # noqa: N802 - the stdlib's name
        _Recorder.requests.append(self.path)
        self.send_response(200)
        self.end_headers()
        self.wfile.write(b"body{background:red}")

    def log_message(self, *args):
        pass


def test_the_renderer_fetches_nothing_outside_the_project():
    server = http.server.HTTPServer(("127.0.0.1", 0), _Recorder)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{server.server_port}"
    html = f"""<!DOCTYPE html><html lang="en"><head><title>t</title>
<link rel="stylesheet" href="{url}/style.css"><style>@import url("{url}/import.css");
p {{ background: url("{url}/bg.png") }}</style></head>
<body><h1>Attack</h1><p>text</p><img src="file:///etc/hostname" alt="a"><img src="{url}/x.png" alt="b">
<img src="../../../../etc/hostname" alt="c"><object data="{url}/o"></object></body></html>"""
    try:
        output = pdf.write(Project(ROOT), html)
        time.sleep(0.2)
    finally:
        server.shutdown()
    assert _Recorder.requests == []
    with open("/etc/hostname", "rb") as handle:
        secret = handle.read().strip()
    assert not secret or secret not in output.data
    assert any("refused" in w for w in output.warnings)


def test_yaml_is_loaded_safely(built_copy):
    path = built_copy / "content/deliverable.yaml"
    edit(path, "revision: \"1.0\"", "revision: !!python/object/apply:os.system [\"touch /tmp/digin-pwned\"]")
    assert_refused(built_copy, ["content/deliverable.yaml:", "YAML tag not allowed"])


def test_alias_bomb_is_refused(built_copy):
    bomb = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 9)}]\n" for i in range(8))
    (built_copy / "content/glossary.yaml").write_text(bomb)
    started = time.monotonic()
    assert_refused(built_copy, ["content/glossary.yaml:", "aliases (*name) are not allowed"])
    assert time.monotonic() - started < 30


def test_a_ten_megabyte_string_is_refused_quickly(built_copy):
    path = built_copy / "content/deliverable.yaml"
    with path.open("a") as handle:
        handle.write("how_to_cite_long: '" + "x" * 10_000_000 + "'\n")
    started = time.monotonic()
    assert_refused(built_copy, ["content/deliverable.yaml: file is larger than 2 MB"])
    assert time.monotonic() - started < 30


def test_epub_has_no_script_even_with_hostile_input(hostile_build):
    data = (hostile_build / "en/digin-d2.2-toolkit-en.epub").read_bytes()
    with zipfile.ZipFile(io.BytesIO(data)) as book:
        assert b"Ableism &lt;script&gt;" in book.read("EPUB/glossary.xhtml")   # shown as text
        for name in book.namelist():
            if name.endswith((".xhtml", ".svg", ".opf")):
                assert b"<script" not in book.read(name), name
