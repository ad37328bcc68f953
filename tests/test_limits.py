"""Bounded input: the limits of content/limits.yaml, enforced at validation with located
errors, for content and translations alike; ids and the editions' path templates."""
from __future__ import annotations

import dataclasses
import time

import pytest
import yaml

from conftest import assert_refused, edit
from digin.errors import ContentError, Problems
from digin.i18n import Translator, translator_for
from digin.limits import read_limits
from digin.load import load_toolkit
from digin.model import Limits
from digin.project import ROOT, Project
from test_errors import line_of


def refusal(root) -> str:
    """The message of the content check of the project at `root`, which must fail."""
    with pytest.raises(ContentError) as caught:
        load_toolkit(Project(root))
    return str(caught.value)


def entry_line(po, msgid: str) -> int:
    """The first line of the PO entry of `msgid` (its comments): where a problem points."""
    lines = po.read_text(encoding="utf-8").splitlines()
    number = lines.index(f"msgid {msgid}")
    while number > 0 and lines[number - 1].strip():
        number -= 1
    return number + 1


def po_problems(root, lang: str = "nl") -> list[str]:
    problems = Problems()
    translator_for(Project(root), lang, problems)
    return [str(p) for p in problems.items]


# --- the limits themselves ----------------------------------------------------------

def _measure(value, depth: int = 1) -> dict[str, int]:
    """Nesting depth, longest list or mapping, longest string of a YAML value."""
    found = {"nesting_depth": 0, "list_items": 0, "string_chars": len(value) if isinstance(value, str) else 0}
    if isinstance(value, (list, dict)):
        found["nesting_depth"], found["list_items"] = depth, len(value)
        for item in value.values() if isinstance(value, dict) else value:
            for name, number in _measure(item, depth + 1).items():
                found[name] = max(found[name], number)
    return found


def test_the_project_states_the_defaults_and_the_content_is_far_below_them(project):
    problems = Problems()
    limits = read_limits(project, problems)
    assert problems.items == []
    assert limits == Limits()   # the file writes the built-in defaults down: absent, nothing changes
    largest = {name: 0 for name in ("nesting_depth", "list_items", "string_chars")}
    for path in project.content.rglob("*.yaml"):
        assert path.stat().st_size * 10 < limits.file_bytes.content, path
        for name, number in _measure(yaml.safe_load(path.read_text(encoding="utf-8"))).items():
            largest[name] = max(largest[name], number)
    for name, number in largest.items():
        assert 0 < number * 2 <= getattr(limits, name), name   # comfortably: half the limit at most
    toolkit = load_toolkit(project)
    ids = [item.id for items in (toolkit.practices, toolkit.modules, toolkit.glossary.terms,
                                 toolkit.references.references) for item in items]
    assert max(map(len, ids)) * 1.5 < limits.id_chars
    for po in project.locales.glob("*.po"):
        assert po.stat().st_size * 10 < limits.file_bytes.locales


def test_without_the_file_the_defaults_apply(project_copy):
    (project_copy / "content/limits.yaml").unlink()
    assert read_limits(Project(project_copy), Problems()) == Limits()
    load_toolkit(Project(project_copy))   # the content passes the defaults


def test_a_limit_the_file_sets_is_applied_and_a_bad_one_is_located(project_copy):
    path = project_copy / "content/limits.yaml"
    edit(path, "list_items: 2_000", "list_items: 10")
    assert read_limits(Project(project_copy), Problems()) == dataclasses.replace(Limits(), list_items=10)
    assert "content/glossary.yaml:2: terms: more than 10 items (list_items in content/limits.yaml)" \
        in refusal(project_copy)
    edit(path, "list_items: 10", "list_items: 0")
    edit(path, "id_chars: 64", "id_chars: many")
    message = refusal(project_copy)
    assert f"content/limits.yaml:{line_of(path, 'list_items')}: list_items: a limit must be 1 or more, got 0" in message
    assert f"content/limits.yaml:{line_of(path, 'id_chars')}: id_chars: expected a whole number, got text" in message


# --- content ------------------------------------------------------------------------

def test_deep_nesting_is_a_located_error_not_a_recursion_error(built_copy):
    path = built_copy / "content/glossary.yaml"
    with path.open("a", encoding="utf-8") as handle:
        handle.write("deep:\n" + "".join("  " * level + "- \n" for level in range(1, 450)))   # block style
    line = line_of(path, "deep:") + 20
    assert_refused(built_copy, [f"content/glossary.yaml:{line}: deep[1][1]",
                                "nested more than 20 levels deep (nesting_depth in content/limits.yaml)"])
    path.write_text("terms: " + "[" * 100_000 + "]" * 100_000 + "\n")   # flow style, far deeper
    assert "content/glossary.yaml:1: terms[1][1]" in refusal(built_copy)


def test_a_million_item_list_is_refused_within_seconds(built_copy):
    path = built_copy / "content/glossary.yaml"
    path.write_text("terms:\n" + "  - x\n" * 1_000_000)   # 6 MB: over the size limit
    started = time.monotonic()
    assert_refused(built_copy, ["content/glossary.yaml: file is larger than 2 MB"])
    assert time.monotonic() - started < 20
    # With the size limit raised, the list limit stops it, as soon as the parser reaches it.
    edit(built_copy / "content/limits.yaml", "content: 2_000_000", "content: 20_000_000")
    started = time.monotonic()
    assert "content/glossary.yaml:2: terms: more than 2,000 items" in refusal(built_copy)
    assert time.monotonic() - started < 5


def test_a_long_string_and_a_huge_mapping_are_located(project_copy):
    path = project_copy / "content/modules/allyship.yaml"
    edit(path, "[Download here]()", "x" * 20_001 + " [Download here]()")
    fields = project_copy / "content/deliverable.yaml"
    with fields.open("a", encoding="utf-8") as handle:
        handle.write("".join(f"extra{n}: x\n" for n in range(2_001)))
    message = refusal(project_copy)
    assert (f"content/modules/allyship.yaml:{line_of(path, 'materials:')}: materials: text of 20,0"
            in message and "more than the limit of 20,000 (string_chars in content/limits.yaml)" in message)
    assert "content/deliverable.yaml:1: more than 2,000 fields (list_items in content/limits.yaml)" in message


@pytest.mark.parametrize("number", ["1" * 5_000, "0x" + "f" * 5_000, '!!int "' + "1" * 5_000 + '"'])
def test_a_number_too_long_for_python_is_located(project_copy, number):
    path = project_copy / "content/deliverable.yaml"
    edit(path, 'revision: "1.0"', f"revision: {number}")
    assert f"content/deliverable.yaml:{line_of(path, 'revision:')}: revision: a number of 5,00" in refusal(project_copy)


# --- ids ------------------------------------------------------------------------------

@pytest.mark.parametrize("bad", ['"equity gap"', "\"equity'gap\"", "Equity", "-equity", "equity--gap", "équité"])
def test_an_id_with_unsafe_characters_is_refused(project_copy, bad):
    path = project_copy / "content/glossary.yaml"
    edit(path, "- id: ableism", f"- id: {bad}")
    assert (f"content/glossary.yaml:{line_of(path, '- id: ' + bad)}: terms[1].id: id "
            in refusal(project_copy)), bad
    assert "lowercase letters a-z, digits and single hyphens" in refusal(project_copy)


def test_a_long_id_is_refused_where_it_is_written(built_copy):
    long_id = "a" * 240
    path = built_copy / "content/glossary.yaml"
    edit(path, "- id: ableism", f"- id: {long_id}")
    assert_refused(built_copy, [f"content/glossary.yaml:{line_of(path, long_id)}: terms[1].id: id of 240 characters",
                                "at most 64 (id_chars in content/limits.yaml)"])


def test_every_kind_of_id_is_checked_and_an_id_given_twice_too(project_copy):
    content = project_copy / "content"
    edit(content / "references.yaml", "- id: arao-2013", "- id: Arao 2013")
    edit(content / "resources.yaml", "- id: standards", "- id: standards!")
    edit(content / "toolkit.yaml", "    - id: purpose", "    - id: purpose.")
    edit(content / "editions.yaml", "kind: practice", "kind: Practice")
    terms = content / "glossary.yaml"
    edit(terms, "- id: ageism", "- id: ableism")
    message = refusal(project_copy)
    for file, needle, field in (("references.yaml", "Arao 2013", "references[1].id"),
                                ("resources.yaml", "standards!", "groups[1].id"),
                                ("toolkit.yaml", "purpose.", "introduction.sections[1].id"),
                                ("editions.yaml", "Practice", "editions[2].kind")):
        assert f"content/{file}:{line_of(content / file, needle)}: {field}: id " in message, file
    line = line_of(terms, "- id: ableism")
    assert f"id 'ableism' is given twice (first on line {line})" in message


# --- translations ---------------------------------------------------------------------

def test_a_wide_placeholder_in_a_translation_is_refused_in_a_draft_build(built_copy):
    po = built_copy / "locales/nl.po"
    edit(po, 'msgstr "Module %(number)s"', 'msgstr "Module %(number)010000000d"')
    line = entry_line(po, '"Module %(number)s"')
    started = time.monotonic()
    assert_refused(built_copy, [f"locales/nl.po:{line}: Module %(number)s: placeholder '%(number)010000000d': "
                                "width 10,000,000 is over the limit of 20 (placeholder_width in content/limits.yaml)"],
                   "--locale", "nl", "--format", "pdf")
    assert time.monotonic() - started < 30


@pytest.mark.parametrize("translation, found", [
    ("Fase %(number)s", "%(number)s"),                              # one missing
    ("Fase %(number)s: %(title)s %(title)s", "%(number)s %(title)s %(title)s"),  # one twice
    ("Fase %(nummer)s: %(title)s", "%(nummer)s %(title)s"),          # renamed
    ("Fase %(number)d: %(title)s", "%(number)d %(title)s"),          # another conversion
    ("Fase %(number)s: %(title)s %s", "%(number)s %(title)s %s"),    # a bare one: formats the mapping
    ("Fase %(number)s: 50 % %(title)s", "% % %(number)s"),           # a lone %: eats the next one
])
def test_placeholders_must_be_the_english_ones(project_copy, translation, found):
    po = project_copy / "locales/nl.po"
    edit(po, 'msgstr "Fase %(number)s: %(title)s"', f'msgstr "{translation}"')
    line = entry_line(po, '"Phase %(number)s: %(title)s"')
    assert po_problems(project_copy) == [
        f"locales/nl.po:{line}: Phase %(number)s: %(title)s: placeholders differ from the English: "
        f"%(number)s %(title)s in the English, {found} in the translation (keep them as they are)"]


def test_a_placeholder_in_a_content_translation_and_an_overlong_one(project_copy):
    po = project_copy / "locales/nl.po"
    text = po.read_text(encoding="utf-8")
    edit(po, 'msgstr "Toolkit van DEI-materialen voor capaciteitsopbouw"',
         'msgstr "Toolkit %(title)s van DEI-materialen"')
    edit(po, 'msgstr "Doelstelling"', 'msgstr "' + "x" * 20_001 + '"')
    problems = "\n".join(po_problems(project_copy))
    assert "deliverable.title: placeholders differ from the English: none in the English, %(title)s" in problems
    assert "translation of 20,001 characters, more than the limit of 20,000" in problems
    assert "30 % van de" in text          # a percent sign in prose is no placeholder: the real PO passes
    assert po_problems(ROOT, "nl") == po_problems(ROOT, "it") == []


def test_a_broken_translation_is_never_formatted():
    """Even a catalog that skipped the check cannot make the renderer format a wide placeholder."""
    entry = type("Entry", (), {"fuzzy": False, "msgstr": "Module %(number)0100000000s"})()
    translator = Translator("nl", {(None, "Module %(number)s"): entry})
    assert str(translator.gettext("Module %(number)s", number="2")) == "Module 2"
    assert translator.fallbacks == ["Module %(number)s"]


# --- path templates of content/editions.yaml ------------------------------------------

PRACTICE_PATH = 'path: "{lang}/practices/{id}-{lang}.{format}"'


@pytest.mark.parametrize("template, message", [
    ("{lang}/practices/{id.__class__.__mro__}-{lang}.{format}", "{id.__class__.__mro__} is not a field of a path"),
    ("{lang}/practices/{id[0]}-{lang}.{format}", "{id[0]} is not a field of a path"),
    ("{lang}/practices/{nope}-{lang}.{format}", "{nope} is not a field of a path: use {lang}, {id}, {format}"),
    ("{lang}/practices/{id:>999999999}.{format}", "{id}: a field of a path takes no format specification"),
    ("{lang}/practices/{id!r}.{format}", "{id}: a field of a path takes no format specification or conversion"),
    ("../../outside/{lang}/{id}.{format}", "a path in out/ is relative, without '..'"),
    ("/tmp/outside/{lang}/{id}.{format}", "a path in out/ is relative"),
    ("{lang}\\\\practices\\\\{id}.{format}", "a path in out/ is relative, without '..' or '\\'"),
    ("{lang}/practices/{id}-{lang}.{format", "expected '}' before end of string"),
    ("{lang}/practices/practice.{format}", "needs {id}: without it two files would get the same path"),
    ("practices/{id}.{format}", "needs {lang}"),
    ("{lang}/practices/{id}-{lang}.html", "'en/practices/ghent-diversity-framework-en.html' of practice "
                                          "'ghent-diversity-framework' (en, pdf): the file name must end in .pdf"),
    ("{lang}/practices/{id}.{format}#x", "'ghent-diversity-framework.pdf#x' is not a safe file or folder name"),
])
def test_path_templates_are_checked(project_copy, template, message):
    path = project_copy / "content/editions.yaml"
    edit(path, PRACTICE_PATH, f'path: "{template}"')
    assert f"content/editions.yaml:{line_of(path, template)}: editions[2].path: " in refusal(project_copy)
    assert message in refusal(project_copy)


def test_two_editions_with_one_path_are_an_error(built_copy):
    path = built_copy / "content/editions.yaml"
    edit(path, 'path: "{lang}/{acronym}-d{number}-toolkit-{lang}.{format}"',
         'path: "{lang}/practices/ghent-diversity-framework-{lang}.{format}"')
    assert_refused(built_copy, [f"content/editions.yaml:{line_of(path, PRACTICE_PATH)}: editions[2].path: "
                                "'en/practices/ghent-diversity-framework-en.pdf' of practice "
                                "'ghent-diversity-framework' (en, pdf): also the path of toolkit 'toolkit' (en, pdf)"])


def test_a_field_value_that_leaves_out_is_refused(built_copy):
    edit(built_copy / "content/deliverable.yaml", 'number: "2.2"', 'number: "../../2.2"')
    line = line_of(built_copy / "content/editions.yaml", "toolkit-{lang}")
    assert_refused(built_copy, [f"content/editions.yaml:{line}: editions[1].path: 'en/digin-d../../2.2-toolkit-en.pdf'"
                                " of toolkit 'toolkit' (en, pdf): '..' is not a safe file or folder name"])
