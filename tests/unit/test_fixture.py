"""The fixture project is a real project: it loads, validates and renders with the real code;
broken copies of it are refused with located messages (digin/load.py)."""
from __future__ import annotations

import pytest

from conftest import edit
from digin.errors import ContentError
from digin.load import load_toolkit


def test_the_fixture_loads_with_every_part(fixture_project):
    toolkit = load_toolkit(fixture_project)
    assert [p.id for p in toolkit.practices] == ["sample-practice"]
    assert [(m.id, m.number) for m in toolkit.modules] == [("sample-module", 1)]
    assert [t.id for t in toolkit.glossary.terms] == ["sample-term", "other-term"]
    assert [r.id for r in toolkit.references.references] == ["doe-2020", "roe-2019", "example-agency-2021"]
    assert [g.id for g in toolkit.resources.groups] == ["tools"]
    assert [k.kind for k in toolkit.editions.editions] == ["toolkit", "practice", "handout"]
    assert fixture_project.languages() == ["en", "nl"]


def edition_html(project, lang: str, edition_id: str = "toolkit") -> str:
    """The edition's HTML as the writers receive it (imported here: the builder pulls in the writers)."""
    from digin.plan import edition_html as render
    return render(project, lang, edition_id)


def test_the_fixture_renders_with_the_real_templates(fixture_project):
    html = edition_html(fixture_project, "nl")
    assert '<html lang="nl"' in html and "Testtoolkit" in html and "Voorbeeldpraktijk" in html
    assert '<span lang="en">Sample module</span>' in html          # the fuzzy title, in English, marked
    assert '<span class="missing-link">' in html and "(link niet beschikbaar)" in html
    assert "<strong>vette</strong>" in html and "<em>cursieve</em>" in html


def test_a_practice_renders_on_its_own(fixture_project):
    html = edition_html(fixture_project, "en", "sample-practice")
    assert 'href="mailto:someone@example.org"' in html and "Example City" in html


def refused(project) -> list[str]:
    with pytest.raises(ContentError) as caught:
        load_toolkit(project)
    return [str(p) for p in caught.value.problems]


def test_a_misspelt_field_is_located_with_a_suggestion(fixture_copy):
    edit(fixture_copy.content / "practices/sample-practice.yaml", "country:", "contry:")
    assert refused(fixture_copy) == [
        "content/practices/sample-practice.yaml:1: country: required field is missing",
        "content/practices/sample-practice.yaml:4: contry: unknown field (did you mean 'country'?)"]


def test_problems_in_several_files_are_reported_together(fixture_copy):
    edit(fixture_copy.content / "modules/sample-module.yaml", "number: 1", "number: one")
    edit(fixture_copy.content / "glossary.yaml", "    term: Other term", "    term: [Other, term]")
    assert refused(fixture_copy) == ["content/glossary.yaml:9: terms[2].term: expected text, got a list",
                                     "content/modules/sample-module.yaml:2: number: expected a whole number, got text"]


def test_an_id_must_match_its_file_name(fixture_copy):
    edit(fixture_copy.content / "modules/sample-module.yaml", "id: sample-module", "id: other-module")
    problems = refused(fixture_copy)
    assert any(p.startswith("content/modules/sample-module.yaml:1: id: 'other-module' must match the file name")
               for p in problems), problems


def test_every_item_must_be_listed_and_every_listed_item_must_exist(fixture_copy):
    (fixture_copy.content / "modules/sample-module.yaml").rename(fixture_copy.content / "modules/extra-module.yaml")
    edit(fixture_copy.content / "modules/extra-module.yaml", "id: sample-module", "id: extra-module")
    problems = refused(fixture_copy)
    assert "content/toolkit.yaml: modules.order: no content/modules/sample-module.yaml" in problems
    assert "content/toolkit.yaml: modules.order: content/modules/extra-module.yaml is not listed" in problems


def test_a_missing_file_is_named(fixture_copy):
    (fixture_copy.content / "resources.yaml").unlink()
    assert refused(fixture_copy) == ["content/resources.yaml: file is missing"]
