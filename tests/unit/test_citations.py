"""The citation parser and resolver (digin/check.py) on plain strings and the fixture's references."""
from __future__ import annotations

import pytest

from conftest import edit
from digin.check import check_citations, citations_in, resolve
from digin.load import load_toolkit
from digin.model import Reference


@pytest.mark.parametrize("text, expected", [
    ("x (Doe, 2020; Roe 2019).", [("Doe", "2020"), ("Roe", "2019")]),
    ("as Roe (2019) says", [("Roe", "2019")]),
    ("Doe, Poe and Roe (2024) argue", [("Doe, Poe and Roe", "2024")]),
    ("Doe et al. (2020)", [("Doe et al.", "2020")]),
    ("(Doe & Poe, 2020)", [("Doe & Poe", "2020")]),
    ("(Example Agency, n.d.)", [("Example Agency", "n.d.")]),
    ("(Doe, 2016a; Doe, 2016b)", [("Doe", "2016a"), ("Doe", "2016b")]),
    ("(see above) in 2020 (a year)", []),
])
def test_citations_are_found(text, expected):
    assert citations_in(text) == expected


def ref(ref_id: str, year: str, authors=(), organisation=None) -> Reference:
    return Reference(id=ref_id, type="report", title=ref_id, year=year, authors=tuple(authors),
                     organisation=organisation)


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


def test_the_fixture_cites_every_reference_once(fixture_project):
    toolkit = load_toolkit(fixture_project)
    assert check_citations(toolkit, fixture_project) == []


def test_an_unresolved_citation_is_located(fixture_copy):
    edit(fixture_copy.content / "glossary.yaml", "- Doe, 2020", "- Doe, 2019")
    findings = check_citations(load_toolkit(fixture_copy), fixture_copy)
    unresolved = [f for f in findings if f.code == "citation-unresolved"]
    assert [(f.file, f.line, f.severity) for f in unresolved] == [("content/glossary.yaml", 7, "error")]
    assert '"Doe, 2019" matches no reference' in unresolved[0].message
    uncited = [f for f in findings if f.code == "reference-uncited"]
    assert [(f.file, f.line) for f in uncited] == [("content/references.yaml", 2)]
    assert "doe-2020" in uncited[0].message


def test_a_misspelt_co_author_is_a_warning(fixture_copy):
    edit(fixture_copy.content / "glossary.yaml", "- Doe, 2020", "- Doe & Pooe, 2020")
    findings = check_citations(load_toolkit(fixture_copy), fixture_copy)
    assert [(f.code, f.severity) for f in findings] == [("citation-names", "warning")]
    assert "Pooe not among the authors of doe-2020" in findings[0].message
