"""Pseudo-localization (`build.py i18n pseudo`): every string longer, accented and
bracketed, markup and links intact; its layout check names each fault with file and page."""
from __future__ import annotations

import json
import re
import subprocess
import types
from pathlib import Path

import polib
import pytest
from pypdf import PdfReader

from conftest import EVERY_CORE, edit, once_per_run, run_cli
from digin import pseudo
from digin.i18n import placeholders
from digin.project import ROOT, Project
from pdftext import normalize, page_texts

SENTENCE = "In recent years the municipalities of Europe have worked on fairer services for everyone."
FAULT = re.compile(r"^en_001/\S+\.pdf: page \d+: .+$")


@pytest.fixture(scope="session")
def pseudo_run(tmp_path_factory):
    """`i18n pseudo` of every PDF, once per run: (its exit status and output, out-pseudo/)."""
    def make(folder: Path) -> None:
        result = run_cli(ROOT, "i18n", "pseudo", "--format", "pdf", "--out", str(folder / "out-pseudo"), *EVERY_CORE)
        (folder / "result.json").write_text(json.dumps(
            {"returncode": result.returncode, "stdout": result.stdout, "stderr": result.stderr}))

    folder = once_per_run(tmp_path_factory, "pseudo", make)
    result = types.SimpleNamespace(**json.loads((folder / "result.json").read_text()))
    return result, folder / "out-pseudo"


def test_text_is_longer_accented_and_bracketed():
    text = pseudo.pseudo_text(SENTENCE)
    assert text.startswith(pseudo.OPEN) and text.endswith(pseudo.CLOSE)
    assert 1.35 <= len(text) / len(SENTENCE) <= 1.45
    assert not re.search(r"[a-z]{2}", text.translate(str.maketrans("", "", "fmpqvx")))   # accented throughout
    assert pseudo.pseudo_text(SENTENCE, 1.0).count("e") == 0


def test_markup_placeholders_links_and_citations_are_kept():
    source = ("**Bold** and *italic*, %(acronym)s deliverable %(number)s: [the site](https://example.org/a_b?x=1), "
              "[Here](%(url)s), [team@city.eu](mailto:team@city.eu), as shown [@crenshaw-1991; @mohanty-2003, p. 4] "
              "and @collins-2000.")
    text = pseudo.pseudo_text(source)
    for kept in ("%(acronym)s", "%(number)s", "](https://example.org/a_b?x=1)", "](%(url)s)",
                 "[team@city.eu](mailto:team@city.eu)", "[@crenshaw-1991; @mohanty-2003, p. 4]", "@collins-2000"):
        assert kept in text
    assert text.count("**") == 2 and text.count("*") == 6
    assert placeholders(text, True) == placeholders(source, True)


def test_the_catalog_is_written_into_a_copy(tmp_path):
    copy = Project(ROOT).copy_to(tmp_path / "project")
    path = pseudo.write_catalog(copy, 1.4)
    assert path == copy.locales / "en_001.po" and not (ROOT / "locales" / "en_001.po").exists()
    entries = [e for e in polib.pofile(str(path)) if not e.obsolete]
    assert entries and all(e.msgstr and not e.fuzzy for e in entries)
    kept = [e for e in entries if re.fullmatch(r"resources\.groups\.[^.]+\.items\.[^.]+\.title", e.msgctxt or "")]
    assert kept and all(e.msgstr == e.msgid for e in kept)      # locales/keep.yaml: stays English
    assert all(e.msgstr.startswith(pseudo.OPEN) for e in entries if e.msgctxt is None)


@pytest.mark.long
def test_pseudo_build_runs_and_its_check_passes_or_names_each_fault(pseudo_run):
    result, out = pseudo_run
    assert "Traceback" not in result.stderr
    assert result.returncode in (0, 1), result.stderr
    summary = result.stdout.strip().splitlines()[-1]
    count = int(re.search(r"(\d+) layout faults", summary).group(1))
    faults = result.stdout.strip().splitlines()[:-1]
    assert len(faults) == count and all(FAULT.match(line) for line in faults), result.stdout
    assert (result.returncode == 1) == bool(faults or "failed:" in result.stderr)
    assert len(list((out / "en_001").rglob("*.pdf"))) == 9


def test_pseudo_text_shows_and_markup_survives(pseudo_run):
    _result, out = pseudo_run
    toolkit = out / "en_001" / "digin-d2.2-toolkit-en_001.pdf"
    text = normalize(" ".join(page_texts(toolkit)))
    assert normalize(pseudo.pseudo_text("Introduction")) in text
    assert "**" not in text and "[@" not in text and "%(" not in text and "](" not in text
    uris = {annotation.get_object()["/A"].get("/URI") for page in PdfReader(toolkit).pages
            for annotation in page.get("/Annots") or () if "/A" in annotation.get_object()}
    assert any(str(uri).startswith("https://") for uri in uris if uri)
    assert "mailto:diversiteitsbeleid@stad.gent" in {str(u) for u in uris}
    fonts = subprocess.run(["pdffonts", str(toolkit)], capture_output=True, text=True, check=True).stdout
    assert "DiGiN-Lato-Bold" in fonts and "DiGiN-Lato-Italic" in fonts


def test_layout_check_names_file_and_page(pseudo_run, tmp_path):
    """A page limit the pseudo text exceeds is reported with the file and the page."""
    _result, out = pseudo_run
    copy = Project(ROOT).copy_to(tmp_path / "project")
    edit(copy.content / "editions.yaml", "    path: \"{lang}/practices/{id}-{lang}.{format}\"\n",
         "    path: \"{lang}/practices/{id}-{lang}.{format}\"\n    max_pages: 1\n")
    faults = [str(f) for f in pseudo.layout_faults(copy, out)]
    practices = [f for f in faults if "/practices/" in f and "too many pages" in f]
    assert len(practices) == 4 and all(FAULT.match(f) for f in practices), faults


def test_overflow_past_the_margin_is_found(tmp_path):
    """A word too long for its table cell runs past the margin; an ordinary page does not."""
    from weasyprint import HTML

    style = "<style>@page { size: A4; margin: 25mm 22mm } td { width: 30mm }</style>"
    good, bad = tmp_path / "good.pdf", tmp_path / "bad.pdf"
    HTML(string=f"{style}<h1>A heading</h1><p>{SENTENCE * 5}</p>").write_pdf(good)
    HTML(string=f"{style}<table><tr><td>short</td><td>{'Ŀöñĝ' * 60}</td></tr></table>").write_pdf(bad)
    margins = pseudo._margins(Project(ROOT))
    assert pseudo.overflows(good, margins) == []
    found = pseudo.overflows(bad, margins)
    assert len(found) == 1 and found[0].field == "page 1" and "text overflows" in found[0].message

