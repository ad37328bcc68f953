"""Each extension point is declared once: a new format is one writer module, a new kind
of edition is one entry of content/editions.yaml — no other code change."""
from __future__ import annotations

import textwrap

from lxml import html as lxml_html

from conftest import edit, manifest, run_cli

TOY_WRITER = textwrap.dedent('''\
    """A toy format: an edition's headings and paragraphs as plain text, one per line."""
    from lxml import html as lxml_html

    from . import Output

    MEDIA_TYPE = "text/plain"
    EXTENSION = "txt"
    ORDER = 4
    LIBRARIES = ("lxml",)
    COST = 0.1
    STYLESHEET = None
    ASSETS = ()


    def write(project, html):
        root = lxml_html.document_fromstring(html)
        lines = [" ".join(el.text_content().split()) for el in root.iter("h1", "h2", "h3", "p", "li")]
        return Output(("\\n".join(lines) + "\\n").encode("utf-8"))
    ''')


def _headings(page) -> list[str]:
    return [" ".join(h.text_content().split()) for h in lxml_html.parse(str(page)).getroot().iter("h3")]


def test_a_new_format_is_one_module(project_copy):
    (project_copy / "digin/writers/text.py").write_text(TOY_WRITER, encoding="utf-8")
    edit(project_copy / "content/editions.yaml", "    formats: [pdf]\n", "    formats: [pdf, text]\n")
    result = run_cli(project_copy, "build", "--format", "text", "--locale", "en", "--locale", "nl")
    assert result.returncode == 0, result.stderr
    entries = [e for e in manifest(project_copy / "out") if e["format"] == "text"]
    assert sorted(e["path"] for e in entries) == sorted(
        f"{lang}/practices/{practice}-{lang}.txt" for lang in ("en", "nl")
        for practice in ("rotterdam-inclusiveness-panel", "ghent-diversity-framework", "ghent-employee-networks",
                         "genoa-equal-opportunities-table"))
    text = (project_copy / "out/nl/practices/ghent-diversity-framework-nl.txt").read_text(encoding="utf-8")
    assert "Gent" in text
    page = lxml_html.parse(str(project_copy / "out/index.html")).getroot()
    links = page.xpath("//a[@type='text/plain']/@href")      # the media type, from the module
    assert "en/practices/ghent-diversity-framework-en.txt" in links
    assert "text" in run_cli(project_copy, "build", "--help").stdout   # a CLI choice
    again = run_cli(project_copy, "build", "--format", "text", "--locale", "en", "--locale", "nl")
    assert again.stdout.startswith("0 built")                 # fingerprinted like the others


def test_a_new_kind_of_edition_is_one_entry_of_data(project_copy):
    with (project_copy / "content/editions.yaml").open("a", encoding="utf-8") as data:
        data.write('  - kind: summary\n'
                   '    heading: Practice summaries\n'
                   '    each: practices\n'
                   '    template: practice.html.j2\n'
                   '    formats: [docx]\n'
                   '    path: "{lang}/summaries/{id}-{lang}.{format}"\n')
    result = run_cli(project_copy, "build", "--format", "docx", "--locale", "en")
    assert result.returncode == 0, result.stderr
    summaries = [e for e in manifest(project_copy / "out") if e["kind"] == "summary"]
    assert len(summaries) == 4 and all(e["path"].startswith("en/summaries/") for e in summaries)
    # The download page groups them under the data's heading, after the others (the file's order).
    assert _headings(project_copy / "out/index.html")[-1] == "Practice summaries"


def test_an_unknown_format_is_a_located_error(project_copy):
    edit(project_copy / "content/editions.yaml", "    formats: [pdf]\n", "    formats: [pdf, odt]\n")
    result = run_cli(project_copy, "build", "--locale", "en")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "content/editions.yaml:" in result.stderr and "editions[2].formats: 'odt' is not a format" in result.stderr


def test_a_failing_writer_costs_its_targets_and_keeps_its_traceback(project_copy):
    broken = TOY_WRITER.replace("    root = lxml_html.document_fromstring(html)\n",
                                "    raise RuntimeError('toy writer broke')\n")
    (project_copy / "digin/writers/text.py").write_text(broken, encoding="utf-8")
    edit(project_copy / "content/editions.yaml", "    formats: [pdf]\n", "    formats: [pdf, text]\n")
    args = ("build", "--format", "text", "--locale", "en")
    summary = run_cli(project_copy, *args)
    assert summary.returncode == 1
    failed = [line for line in summary.stderr.splitlines() if line.startswith("failed: ")]
    assert len(failed) == 4 and all("RuntimeError: toy writer broke" in line for line in failed)
    assert "Traceback" not in summary.stderr and "--debug" in summary.stderr
    debug = run_cli(project_copy, "--debug", *args)
    assert debug.stderr.count("Traceback (most recent call last)") == 4
    assert 'digin/writers/text.py", line' in debug.stderr
