"""The content model on the real content: it loads, it is complete, it is translated."""
from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from digin import markup
from digin.errors import Problems
from digin.i18n import content_strings, translator_for, untranslated
from digin.load import load_toolkit


def test_content_loads_with_every_part(project):
    toolkit = load_toolkit(project)
    assert [p.id for p in toolkit.practices] == [
        "ghent-diversity-framework", "rotterdam-inclusiveness-panel",
        "genoa-equal-opportunities-table", "ghent-employee-networks"]
    assert [m.number for m in toolkit.modules] == [1, 2, 3, 4]
    assert [g.id for g in toolkit.resources.groups] == ["standards", "tools", "reports"]
    assert len(toolkit.glossary.terms) == 24
    assert len(toolkit.references.references) == 39    # the seed's two United Nations 2006 entries are one work
    assert toolkit.deliverable.grant_agreement == "101144379"
    for practice in toolkit.practices:
        assert practice.objective and practice.impact and practice.phases
        assert practice.dos and practice.donts and practice.replication
        assert any(href.startswith("mailto:") for block in practice.contact for href in markup.links(block))


def test_absent_module_fields_stay_absent(project):
    modules = {m.number: m for m in load_toolkit(project).modules}
    assert modules[1].duration is None and modules[1].format is None
    assert all(modules[n].duration for n in (2, 3, 4))


def test_lost_links_have_no_invented_target(project):
    toolkit = load_toolkit(project)
    for module in toolkit.modules:
        assert markup.links(module.materials) == [""]
    hrefs = [h for text in content_strings(toolkit) for h in markup.links(text)]
    assert "" in hrefs and "#" not in hrefs
    assert all(h == "" or h.startswith(("https://", "http://", "mailto:", "#")) for h in hrefs)


def test_keys_are_unique(project):
    keys = [text.key for text in content_strings(load_toolkit(project))]
    assert len(keys) == len(set(keys))


def test_every_string_has_a_dutch_translation(project):
    missing = untranslated(project, load_toolkit(project), translator_for(project, "nl", Problems()))
    assert missing == []


def test_po_files_pass_msgfmt_check(project):
    assert shutil.which("msgfmt"), "gettext's msgfmt is needed (apt-get install gettext)"
    for po in sorted(project.locales.glob("*.po")):
        result = subprocess.run(["msgfmt", "--check", "-o", "/dev/null", str(po)], capture_output=True, text=True)
        assert result.returncode == 0, result.stderr


def test_po_files_pass_pofilter_tags_urls_emails(project, tmp_path):
    """translate-toolkit's own checks: tags, URLs, e-mail addresses, printf placeholders."""
    # The test extra installs it beside the Python that runs the tests (the project's .venv).
    pofilter = shutil.which("pofilter", path=str(Path(sys.executable).parent)) or shutil.which("pofilter")
    assert pofilter, "pofilter comes with translate-toolkit (the test extra)"
    for po in sorted(project.locales.glob("*.po")):
        report = tmp_path / f"{po.stem}-failures.po"
        subprocess.run([pofilter, "--progress=none", "--nofuzzy", "-t", "xmltags", "-t", "urls", "-t", "emails",
                        "-t", "printf", str(po), "-o", str(report)], check=True, capture_output=True)
        failures = report.read_text() if report.exists() else ""
        assert "(pofilter)" not in failures, failures
