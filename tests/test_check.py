"""`python build.py check` on the real content (the seed's defects) and on broken copies."""
from __future__ import annotations

import json

import pytest

from conftest import edit, run_cli


@pytest.fixture(scope="module")
def findings(project):
    result = run_cli(project.root, "check", "--format", "json")
    assert result.returncode == 1, result.stderr   # the seed's missing reference is an error
    return json.loads(result.stdout)["findings"]


def codes(findings, code):
    return [f for f in findings if f["code"] == code]


def test_seed_defects_are_found(findings):
    unresolved = codes(findings, "citation-unresolved")
    assert {f["message"].split(": ", 1)[1] for f in unresolved} == {
        'citation "european-commission-2021" matches no reference'}
    assert all(f["severity"] == "error" and f["file"] == "content/glossary.yaml" and f["line"] for f in unresolved)
    same = codes(findings, "glossary-same-translation")
    assert len(same) == 1 and same[0]["file"] == "locales/nl.po" and "Geslacht" in same[0]["message"]
    assert not codes(findings, "reference-duplicate")   # the seed's UN 2006 twice is one entry now
    assert any("module 1: no duration and no format" in f["message"] for f in codes(findings, "module-incomplete"))
    assert len(codes(findings, "module-format-unfinished")) == 3
    lost = codes(findings, "link-missing-target")
    assert len(lost) >= 20 and all(f["severity"] == "warning" for f in lost)
    # every citation is by key: none ambiguous (EIGE 2016a/2016b) or written as text
    assert not codes(findings, "citation-ambiguous") and not codes(findings, "citation-free-text")
    assert {f["message"].split(":")[0] for f in codes(findings, "link-language")} == {"ec-2020a", "ec-2020b"}
    assert not codes(findings, "citation-list-mismatch")


def test_every_finding_is_located_with_a_hint(findings):
    for finding in findings:
        assert finding["file"] and finding["severity"] in ("error", "warning")
        if finding["code"] != "translation-incomplete":
            assert finding["line"], finding
    assert all(f["hint"] for f in findings if f["severity"] == "error")


def test_text_report_is_grouped_by_file(project):
    result = run_cli(project.root, "check")
    assert result.returncode == 1
    assert "\ncontent/glossary.yaml\n" in result.stdout
    assert 'error: glossary.terms.underserved.citations: citation "european-commission-2021"' in result.stdout
    assert result.stdout.rstrip().endswith("warnings")


def test_release_build_refuses_the_errors(project_copy):
    result = run_cli(project_copy, "build", "--release")
    assert result.returncode == 1
    assert "content/glossary.yaml:" in result.stderr and '"european-commission-2021"' in result.stderr
    assert not (project_copy / "out").exists()


def test_release_of_one_language_checks_only_its_own_translation(project_copy):
    edit(project_copy / "locales/nl.po", 'msgstr "Doelstelling"', 'msgstr "<b>Doelstelling</b>"')
    nl = run_cli(project_copy, "build", "--release", "--locale", "nl", "--format", "docx")
    en = run_cli(project_copy, "build", "--release", "--locale", "en", "--format", "docx")
    assert nl.returncode == en.returncode == 1   # the content's own errors block both
    assert "locales/nl.po" in nl.stderr and "raw HTML" in nl.stderr
    assert "locales/nl.po" not in en.stderr and '"european-commission-2021"' in en.stderr


def test_translation_qa_finds_broken_markup_and_addresses(project_copy):
    po = project_copy / "locales/nl.po"
    text = po.read_text()
    # an e-mail address changed, a link removed, raw HTML, a broken placeholder
    text = text.replace('msgstr "[diversiteitsbeleid@stad.gent](mailto:diversiteitsbeleid@stad.gent)"',
                        'msgstr "[diversiteit@stad.gent](mailto:diversiteit@stad.gent)"', 1)
    text = text.replace('msgstr "[De woordenlijst](#glossary)"', 'msgstr "De woordenlijst"', 1)
    text = text.replace('msgstr "Doelstelling"', 'msgstr "<b>Doelstelling</b>"', 1)
    text = text.replace('msgstr "Fase %(number)s: %(title)s"', 'msgstr "Fase %(nummer)s: %(title)s"', 1)
    po.write_text(text)
    result = run_cli(project_copy, "check", "--locale", "nl", "--format", "json")
    found = {f["code"] for f in json.loads(result.stdout)["findings"] if f["file"] == "locales/nl.po"}
    assert {"translation-email", "translation-links", "translation-html", "translation-placeholder"} <= found


def test_duplicate_glossary_term_is_an_error(project_copy):
    path = project_copy / "content/glossary.yaml"
    edit(path, "term: Ageism", "term: Ableism")
    result = run_cli(project_copy, "check", "--format", "json")
    duplicates = [f for f in json.loads(result.stdout)["findings"] if f["code"] == "glossary-duplicate-term"]
    assert duplicates and duplicates[0]["severity"] == "error" and "ageism" in duplicates[0]["message"]


def test_a_release_passes_with_a_waiver_and_records_it(project_copy):
    """The missing "European Commission, 2021" reference (cited as european-commission-2021)
    waits for its owner: with a waiver the release goes out (and says so), without one it
    is refused; an expired one waives nothing."""
    waivers = project_copy / "content/waivers.yaml"
    args = ("build", "--release", "--locale", "en", "--format", "docx")
    refused = run_cli(project_copy, *args)
    assert refused.returncode == 1 and '"european-commission-2021"' in refused.stderr
    waiver = ('waivers:\n  - code: citation-unresolved\n    match: "european-commission-2021"\n'
              '    accepted_by: "Test Editor, DiGiN"\n    reason: "the work is being identified"\n'
              '    expires: {date}\n')
    waivers.write_text(waiver.format(date="2999-12-31"), encoding="utf-8")
    result = run_cli(project_copy, *args)
    assert result.returncode == 0, result.stderr
    assert result.stderr.count("waived: content/glossary.yaml:") == 2
    recorded = json.loads((project_copy / "out/manifest.json").read_text(encoding="utf-8"))["waived"]
    assert {r["waiver"]["accepted_by"] for r in recorded} == {"Test Editor, DiGiN"} and len(recorded) == 2
    checked = run_cli(project_copy, "check", "--locale", "en")
    assert checked.returncode == 0 and "0 errors, 2 waived" in checked.stdout
    waivers.write_text(waiver.format(date="2020-01-01"), encoding="utf-8")
    expired = run_cli(project_copy, *args)
    assert expired.returncode == 1 and "expired on 2020-01-01" in expired.stderr
