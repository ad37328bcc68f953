"""digin/yamlsource.py: plain data with line numbers; what PyYAML would let slip is refused."""
from __future__ import annotations

import pytest

from digin import yamlsource
from digin.errors import Problems
from digin.model import FileBytes, Limits


def only_problem(problems) -> str:
    assert len(problems.items) == 1, problems.items
    return str(problems.items[0])


def test_mappings_and_lists_remember_their_lines(yaml_file):
    data, problems = yaml_file("a: 1\nb:\n  - x\n  - y\nc: >-\n  folded\n  text\nd: {e: 2}\n")
    assert not problems.items
    assert data == {"a": 1, "b": ["x", "y"], "c": "folded text", "d": {"e": 2}}
    assert data.line == 1
    assert data.lines == {"a": 1, "b": 3, "c": 6, "d": 8}   # a folded block starts after `>-`
    assert data["b"].line == 3 and data["b"].lines == [3, 4]
    assert data["d"].line == 8


def test_duplicate_key_is_refused_with_both_lines(yaml_file):
    data, problems = yaml_file("title: one\nother: x\ntitle: two\n")
    assert data is None
    assert only_problem(problems) == "t.yaml:3: title: duplicate key (first given on line 1)"


def test_nested_duplicate_key_is_found(yaml_file):
    data, problems = yaml_file("items:\n  - id: a\n    id: b\n")
    assert data is None
    assert only_problem(problems).startswith("t.yaml:3: id: duplicate key")


@pytest.mark.parametrize("text", ["a: &x 1\nb: *x\n", "a: &x [1]\n", "a: [&x 1, *x]\n"])
def test_anchors_and_aliases_are_refused(yaml_file, text):
    data, problems = yaml_file(text)
    assert data is None
    assert "anchors and aliases (*name) are not allowed" in only_problem(problems)


@pytest.mark.parametrize("tag", ["!!python/object/apply:os.system ['true']", "!!python/name:os.system",
                                 "!custom value", "!!python/tuple [1, 2]"])
def test_tags_are_refused_and_nothing_is_constructed(yaml_file, tag):
    data, problems = yaml_file(f"a: 1\nb: {tag}\n")
    assert data is None
    message = only_problem(problems)
    assert message.startswith("t.yaml:2: ") and "YAML tag not allowed" in message


def test_field_names_must_be_text(yaml_file):
    data, problems = yaml_file("a: 1\n2: b\n")
    assert data is None
    assert only_problem(problems) == "t.yaml:2: field names must be text, got 2"


def test_syntax_error_is_located(yaml_file):
    data, problems = yaml_file("a: 1\nb: [2\nc: 3\n")
    assert data is None
    problem = problems.items[0]
    assert problem.file == "t.yaml" and problem.line in (2, 3) and problem.message.startswith("invalid YAML: ")


def test_empty_file_is_refused(yaml_file):
    data, problems = yaml_file("  \n")
    assert data is None and only_problem(problems) == "t.yaml:1: the file is empty"


def test_invalid_utf8_names_its_line(tmp_path):
    path = tmp_path / "t.yaml"
    path.write_bytes(b"a: 1\nb: \xff\n")
    problems = Problems()
    assert yamlsource.read_yaml(path, "t.yaml", problems) is None
    assert only_problem(problems).startswith("t.yaml:2: not valid UTF-8")


def test_missing_file_is_a_problem_not_a_crash(tmp_path):
    problems = Problems()
    assert yamlsource.read_yaml(tmp_path / "absent.yaml", "absent.yaml", problems) is None
    assert only_problem(problems) == "absent.yaml: file is missing"


def test_oversized_file_is_refused_before_parsing(tmp_path):
    path = tmp_path / "t.yaml"
    path.write_text("a: 1\nb: 2\nc: 3\n", encoding="utf-8")
    problems = Problems()
    limits = Limits(file_bytes=FileBytes(content=10))
    assert yamlsource.read_yaml(path, "t.yaml", problems, limits) is None
    assert only_problem(problems).startswith("t.yaml: ")


@pytest.mark.parametrize("text, field, limit", [
    ("a:\n  b:\n    c: [1]\n", "a.b.c", "nesting_depth"),
    ("a: [1, 2, 3, 4]\n", "a", "list_items"),
    ("a: 1\nb: [x, 12345678901]\n", "b[2]", "string_chars"),
])
def test_limits_are_checked_before_anything_is_built(tmp_path, text, field, limit):
    path = tmp_path / "t.yaml"
    path.write_text(text, encoding="utf-8")
    problems = Problems()
    limits = Limits(nesting_depth=3, list_items=3, string_chars=10)
    assert yamlsource.read_yaml(path, "t.yaml", problems, limits) is None
    [problem] = problems.items
    assert (problem.file, problem.field) == ("t.yaml", field) and f"({limit} in content/limits.yaml)" in problem.message
