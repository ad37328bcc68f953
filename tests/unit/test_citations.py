"""Citations: by key in content ([@id], @id, the glossary's `ref:`), made by the bibliography
in the edition's language (digin/bibliography.py), checked by digin/check.py; the parser
and resolver of citations still written as text."""
from __future__ import annotations

import datetime
import json

import pytest
from markupsafe import Markup

from conftest import edit
from digin import markup
from digin.bibliography import Bibliography, csl_files
from digin.check import check_citations, check_translation, citations_in, resolve
from digin.errors import ContentError
from digin.i18n import catalog_keys
from digin.load import load_toolkit
from digin.model import Citation, Reference


@pytest.mark.parametrize("text, expected", [
    ("x (Doe, 2020; Roe 2019).", [("Doe", "2020"), ("Roe", "2019")]),
    ("as Roe (2019) says", [("Roe", "2019")]),
    ("Doe, Poe and Roe (2024) argue", [("Doe, Poe and Roe", "2024")]),
    ("Doe et al. (2020)", [("Doe et al.", "2020")]),
    ("(Doe & Poe, 2020)", [("Doe & Poe", "2020")]),
    ("(Example Agency, n.d.)", [("Example Agency", "n.d.")]),
    ("(Doe, 2016a; Doe, 2016b)", [("Doe", "2016a"), ("Doe", "2016b")]),
    ("(see above) in 2020 (a year)", []),
    ("by key [@doe-2020] and @roe-2019", []),
])
def test_citations_written_as_text_are_found(text, expected):
    assert citations_in(text) == expected


def ref(ref_id: str, year: str, authors=(), organisation=None, **fields) -> Reference:
    return Reference(id=ref_id, type="report", title=fields.pop("title", ref_id), year=year, authors=tuple(authors),
                     organisation=organisation, **fields)


REFERENCES = (ref("doe-2020", "2020", ["Doe, J.", "Poe, E."]),
              ref("agency-2021", "2021", organisation="Example Agency"),
              ref("un-2016a", "2016", organisation="United Nations"),
              ref("un-2016b", "2016", organisation="United Nations"))


@pytest.mark.parametrize("names, year, expected", [
    ("Doe", "2020", ["doe-2020"]),
    ("Doe & Poe", "2020", ["doe-2020"]),
    ("doe et al.", "2020", ["doe-2020"]),          # case does not matter
    ("Doe", "2021", []),                            # wrong year
    ("Poe", "2020", []),                            # the first author decides
    ("Example Agency", "2021", ["agency-2021"]),
    ("EA", "2021", ["agency-2021"]),                # an organisation's initials
    ("Example", "2021", ["agency-2021"]),           # the start of its name
    ("United Nations", "2016", ["un-2016a", "un-2016b"]),   # ambiguous
])
def test_resolve(names, year, expected):
    assert [r.id for r in resolve(names, year, REFERENCES)] == expected


# --- the markers ---------------------------------------------------------------------

@pytest.mark.parametrize("text, expected", [
    ("x [@doe-2020] y", [((("doe-2020", None),), False)]),
    ("[@doe-2020; @roe-2019, p. 4]", [((("doe-2020", None), ("roe-2019", "4")), False)]),
    ("[@doe-2020, pp. 4 - 5]", [((("doe-2020", "4-5"),), False)]),
    ("as @roe-2019 says", [((("roe-2019", None),), True)]),
    ("*[@doe-2020]* and **@roe-2019**", [((("doe-2020", None),), False), ((("roe-2019", None),), True)]),
    ("mail a@example.org, [x](mailto:a@example.org)", []),   # an address is no citation
    ("see https://example.social/@digin-eu", []),
    (r"an escaped \@roe-2019, @Roe, @roe_2019", []),
])
def test_markers_are_read(text, expected):
    found = [(tuple((c.ref, c.page) for c in cite.citations), cite.narrative) for cite in markup.cites(text)]
    assert found == expected and markup.problems(text) == []


@pytest.mark.parametrize("text, message", [
    ("[@doe-2020, page 4]", "malformed citation '[@doe-2020, page 4]'"),
    ("[@doe-2020 @roe-2019]", "malformed citation"),
    ("[@Doe-2020]", "malformed citation"),
    ("[@doe-2020, p. *4*]", "unfinished citation"),
    ("[@doe-2020", "unfinished citation"),
])
def test_a_malformed_marker_is_a_problem_and_printed_as_written(text, message):
    [problem] = markup.problems(text)
    assert problem.startswith(message) and "[@id, p. 4]" in problem
    assert "CITE" not in markup.to_html(text, "", lambda cite: Markup("CITE"))


def test_markup_leaves_the_citation_text_to_its_caller_and_escapes_the_rest():
    def cite(found):
        return None if found.citations[0].ref == "unknown" else Markup("<i>C</i>")
    html = markup.to_html("<b>x</b> [@doe-2020] & [@unknown] @unknown", "", cite)
    assert html == "&lt;b&gt;x&lt;/b&gt; <i>C</i> &amp; [@unknown] @unknown"   # unknown keys: as written
    assert markup.to_html("[@doe-2020]", "") == "[@doe-2020]"                  # no bibliography: as written


# --- the bibliography ------------------------------------------------------------------

@pytest.fixture(scope="module")
def files(fixture_project):
    return {lang: csl_files(fixture_project, lang) for lang in ("en", "nl", "it")}


WORKS = (ref("un-2016b", "2016", organisation="United Nations", title="B title"),
         ref("un-2016a", "2016", organisation="United Nations", title="A title", url=""),
         ref("who-nd", "n.d.", organisation="World Health Organization", title="Web page",
             url="https://example.org/who", accessed=datetime.date(2025, 11, 24)),
         ref("who-2001", "2001", organisation="World Health Organization", title="Report"),
         ref("loftus-2020", "2020", ["Loftus, E. F."]),
         ref("loft-2020", "2020", ["Loft, V."], title="Why <script>?"),
         ref("arao-2013", "2013", ["Arao, B.", "Clemens, K."]),
         ref("mahajan-2024", "2024", ["Mahajan, R.", "Bleijenbergh, I.", "Benschop, Y."]))


def test_suffixes_order_and_the_no_date_term_per_language(files):
    for lang, no_date in (("en", "n.d."), ("nl", "z.d."), ("it", "s.d.")):
        works = Bibliography(WORKS, files[lang], lang)
        assert [key for key, _ in works.entries] == ["arao-2013", "loft-2020", "loftus-2020", "mahajan-2024",
                                                     "un-2016a", "un-2016b", "who-nd", "who-2001"]
        assert works.cite((Citation("un-2016b"), Citation("un-2016a"))) == (
            "(United Nations, 2016a; United Nations, 2016b)")
        assert works.cite((Citation("who-nd"),)) == f"(World Health Organization, {no_date})"
        entries = dict(works.listed("(gone)"))
        assert entries["who-nd"].startswith(f"World Health Organization. ({no_date}).")
        assert entries["un-2016a"].endswith('<span class="missing-link-note">(gone)</span>')   # url "": lost
        assert "missing-link" not in entries["un-2016b"]


def test_narrative_citations_spell_out_and_in_the_language(files):
    for lang, and_word in (("en", "and"), ("nl", "en"), ("it", "e")):
        works = Bibliography(WORKS, files[lang], lang)
        assert works.narrative(Citation("arao-2013")) == f"Arao {and_word} Clemens (2013)"
        assert works.narrative(Citation("mahajan-2024")) == "Mahajan et al. (2024)"
        assert works.cite((Citation("arao-2013", "4-5"),)) == "(Arao &amp; Clemens, 2013, pp. 4–5)"
        assert works.cite((Citation("nobody"),)) is None and works.narrative(Citation("nobody")) is None


def test_entries_are_escaped_linked_and_punctuated_once(files):
    entries = dict(Bibliography(WORKS, files["en"], "en").entries)
    assert "<em>Why &lt;script&gt;?</em>" in entries["loft-2020"]          # escaped, and no "?." after it
    assert "<script" not in entries["loft-2020"] and "?." not in entries["loft-2020"]
    assert entries["who-nd"].endswith('Retrieved November 24, 2025, from <a href="https://example.org/who">'
                                      'https://example.org/who</a>')


def test_a_bibliography_from_the_cache_is_the_one_made(files, tmp_path, monkeypatch):
    """The list and its year suffixes are kept between runs (digin/cache.py); what comes
    back is what the CSL processor made, and the citations are the same."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    made = Bibliography(WORKS, files["nl"], "nl")
    assert len(list((tmp_path / "digin" / "references").glob("*.json"))) == 1
    monkeypatch.setattr(Bibliography, "_formatted", None)    # a second making would fail
    kept = Bibliography(WORKS, files["nl"], "nl")
    assert kept.entries == made.entries and kept.suffixes == made.suffixes == {"un-2016a": "a", "un-2016b": "b"}
    both = (Citation("un-2016b"), Citation("un-2016a"))
    assert kept.cite(both) == made.cite(both) == "(United Nations, 2016a; United Nations, 2016b)"


def test_in_text_citations_from_the_cache_are_the_ones_made(files, tmp_path, monkeypatch):
    """Each in-text citation is kept too: a later run answers from the cache, without a
    CSL processor, what the processor answered; a new citation is made and kept."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    asked = [(Citation("un-2016a", "12"),), (Citation("un-2016b"), Citation("un-2016a")), (Citation("nobody"),),
             (Citation("un-2016b"),)]
    made = [Bibliography(WORKS, files["it"], "it").cite(citation) for citation in asked]
    assert made[0] == "(United Nations, 2016a, p. 12)" and made[2] is None
    monkeypatch.setattr(Bibliography, "_cite", None)       # a second making would fail
    kept = Bibliography(WORKS, files["it"], "it")
    assert [kept.cite(citation) for citation in asked] == made
    assert kept.narrative(Citation("un-2016b")) == "United Nations (2016b)"   # the same answer as (… 2016b)
    monkeypatch.undo()
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    other = Bibliography(WORKS, files["it"], "it")
    assert other.cite((Citation("un-2016b", "3"),)) == "(United Nations, 2016b, p. 3)"
    assert "p. 3" in Bibliography(WORKS, files["it"], "it").cited.answers[json.dumps([["un-2016b", "3"]])]


# --- the fixture: rendered and checked ------------------------------------------------------

def edition_html(project, lang: str) -> str:
    from digin.plan import edition_html as render
    return render(project, lang, "toolkit")


def test_the_fixture_renders_its_citations_from_the_references(fixture_project):
    html = edition_html(fixture_project, "en")
    assert "cites Roe (2019)." in html                                     # @roe-2019
    assert "the other term (Example Agency, 2021, p. 3)." in html           # [@example-agency-2021, p. 3]
    assert "sample term. (Doe &amp; Poe, 2020)</p>" in html                 # the glossary's ref: doe-2020
    assert '<li id="ref-doe-2020">Doe, J., &amp; Poe, E. (2020). <em>A sample book</em>. Example Press.</li>' in html
    assert "[@" not in html and "@roe" not in html


def test_a_translation_keeps_the_markers_and_gets_the_languages_citation(fixture_copy):
    po = fixture_copy.po_file("nl")
    po.write_text(po.read_text(encoding="utf-8") + '''
msgctxt "glossary.terms.other-term.definition.the-definition-of"
msgid "The definition of the other term [@example-agency-2021, p. 3]."
msgstr "De definitie van de andere term [@example-agency-2021, p. 3]."
''', encoding="utf-8")
    assert "De definitie van de andere term (Example Agency, 2021, p. 3)." in edition_html(fixture_copy, "nl")
    toolkit = load_toolkit(fixture_copy)
    keys = catalog_keys(fixture_copy, toolkit)
    assert not [f for f in check_translation(fixture_copy, toolkit, "nl", keys) if f.code == "translation-citations"]
    edit(po, 'msgstr "De definitie van de andere term [@example-agency-2021, p. 3]."',
         'msgstr "De definitie van de andere term (Voorbeeldbureau, 2021) [@no-such-work]."')
    [changed] = [f for f in check_translation(fixture_copy, toolkit, "nl", keys) if f.code == "translation-citations"]
    assert changed.severity == "error" and changed.file == "locales/nl.po" and changed.line
    assert "[@example-agency-2021, p. 3] vs [@no-such-work]" in changed.message
    # the build does not stop at it: an unknown key is printed as written
    assert "andere term (Voorbeeldbureau, 2021) [@no-such-work]." in edition_html(fixture_copy, "nl")


def test_the_fixture_cites_every_reference_once(fixture_project):
    toolkit = load_toolkit(fixture_project)
    assert check_citations(toolkit, fixture_project) == []


def test_an_unknown_key_is_a_located_error(fixture_copy):
    edit(fixture_copy.content / "glossary.yaml", "- ref: doe-2020", "- ref: doe-2019")
    edit(fixture_copy.content / "glossary.yaml", "[@example-agency-2021, p. 3]", "[@example-agency-2022]")
    findings = check_citations(load_toolkit(fixture_copy), fixture_copy)
    unresolved = [f for f in findings if f.code == "citation-unresolved"]
    assert [(f.file, f.line, f.severity) for f in unresolved] == [("content/glossary.yaml", 7, "error"),
                                                                  ("content/glossary.yaml", 11, "error")]
    assert unresolved[0].message == 'glossary.terms.sample-term.citations: citation "doe-2019" matches no reference'
    assert '"example-agency-2022" matches no reference' in unresolved[1].message
    uncited = [f for f in findings if f.code == "reference-uncited"]
    assert [(f.file, f.line) for f in uncited] == [("content/references.yaml", 2), ("content/references.yaml", 18)]
    assert "(Example Agency" not in edition_html(fixture_copy, "en")      # nothing invented, and no crash


def test_a_malformed_marker_is_refused_when_loading(fixture_copy):
    edit(fixture_copy.content / "toolkit.yaml", "cites @roe-2019.", "cites [@roe-2019, page 4].")
    with pytest.raises(ContentError) as caught:
        load_toolkit(fixture_copy)
    [problem] = caught.value.problems
    assert (problem.file, problem.line) == ("content/toolkit.yaml", 21)
    assert "malformed citation '[@roe-2019, page 4]'" in problem.message


def test_a_citation_written_as_text_is_a_warning_that_names_its_key(fixture_copy):
    edit(fixture_copy.content / "toolkit.yaml", "cites @roe-2019.", "cites Roe (2019).")
    findings = check_citations(load_toolkit(fixture_copy), fixture_copy)
    assert [(f.code, f.severity, f.line) for f in findings] == [("citation-free-text", "warning", 21)]
    assert "[@roe-2019]" in findings[0].hint


def test_a_misspelt_co_author_is_a_warning(fixture_copy):
    edit(fixture_copy.content / "glossary.yaml", "- ref: doe-2020", "- ref: roe-2019")
    edit(fixture_copy.content / "toolkit.yaml", "cites @roe-2019.", "cites (Doe & Pooe, 2020).")
    findings = check_citations(load_toolkit(fixture_copy), fixture_copy)
    assert [(f.code, f.severity) for f in findings] == [("citation-names", "warning")]
    assert "Pooe not among the authors of doe-2020" in findings[0].message


def test_a_broken_marker_in_a_translation_refuses_the_build_with_its_file(fixture_copy):
    po = fixture_copy.po_file("nl")
    po.write_text(po.read_text(encoding="utf-8") + '''
msgctxt "glossary.terms.other-term.definition.the-definition-of"
msgid "The definition of the other term [@example-agency-2021, p. 3]."
msgstr "De definitie van de andere term [@example-agency-2021, blz. 3]."
''', encoding="utf-8")
    with pytest.raises(ContentError) as caught:
        edition_html(fixture_copy, "nl")
    [problem] = caught.value.problems
    assert problem.file == "locales/nl.po" and problem.field == "glossary.terms.other-term.definition.the-definition-of"
    assert "malformed citation '[@example-agency-2021, blz. 3]'" in problem.message
    toolkit = load_toolkit(fixture_copy)
    found = [f for f in check_translation(fixture_copy, toolkit, "nl", catalog_keys(fixture_copy, toolkit))
             if f.code.startswith("translation-") and f.code != "translation-incomplete"]
    assert [f.code for f in found] == ["translation-citations"]      # one finding, not a link's too
