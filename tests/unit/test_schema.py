"""digin/schema.py: the dataclass field types are the schema; every problem is located."""
from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Literal

import pytest

from digin.errors import Problems
from digin.model import Blocks, Bullets, Id, Numbered
from digin.schema import Converter, Where, convert_file
from digin.text import Text


@dataclass(frozen=True)
class Entry:
    id: str
    label: Text


@dataclass(frozen=True)
class Record:
    title: Text
    count: int
    day: datetime.date
    kind: Literal["first", "second"]
    year: str
    entries: tuple[Entry, ...] = ()
    body: Blocks = ()
    note: Text | None = None


@dataclass(frozen=True)
class Named:
    id: Id
    label: Text


@dataclass(frozen=True)
class NamedList:
    items: tuple[Named, ...]


GOOD = """\
title: A title
count: 3
day: 2025-01-15
kind: second
year: 2020
entries:
  - id: alpha
    label: Alpha
  - id: beta
    label: Beta
body:
  - A paragraph.
  - bullets: [One, Two]
  - numbered: [Three]
"""


def convert(yaml_file, text: str, cls=Record):
    """(converted record or None, the problems as `file:line: field: message` strings)."""
    data, problems = yaml_file(text)
    assert data is not None, problems.items
    return convert_file(cls, data, "t.yaml", "rec", problems), [str(p) for p in problems.items]


def test_every_type_is_converted(yaml_file):
    record, problems = convert(yaml_file, GOOD)
    assert problems == []
    assert record.count == 3 and record.day == datetime.date(2025, 1, 15) and record.kind == "second"
    assert record.year == "2020"                      # a number where text is expected is data, kept
    assert record.note is None                        # optional and absent
    assert [e.id for e in record.entries] == ["alpha", "beta"]
    paragraph, bullets, numbered = record.body
    assert isinstance(paragraph, Text) and isinstance(bullets, Bullets) and isinstance(numbered, Numbered)
    assert bullets.bullets == ("One", "Two") and numbered.numbered == ("Three",)


def test_texts_know_their_key_and_line(yaml_file):
    record, _ = convert(yaml_file, GOOD)
    assert (record.title.key, record.title.source) == ("rec.title", "t.yaml:1")
    # list items with an id are keyed by it, others by their first English words: stable when items move
    assert (record.entries[1].label.key, record.entries[1].label.where) == ("rec.entries.beta.label", ("t.yaml", 10))
    assert record.body[0].key == "rec.body.a-paragraph"
    assert [t.key for t in record.body[1].bullets] == ["rec.body.list.bullets.one", "rec.body.list.bullets.two"]


def test_text_is_stripped(yaml_file):
    record, _ = convert(yaml_file, GOOD.replace("title: A title", "title: '  A title  '"))
    assert record.title == "A title"


def test_unknown_field_suggests_the_closest_name(yaml_file):
    record, problems = convert(yaml_file, GOOD.replace("count: 3", "count: 3\ncuont: 4"))
    assert record is None
    assert problems == ["t.yaml:3: cuont: unknown field (did you mean 'count'?)"]


def test_unknown_field_without_a_close_name_lists_the_allowed_ones(yaml_file):
    _, problems = convert(yaml_file, GOOD.replace("    label: Beta", "    label: Beta\n    zzz: 1"))
    assert problems == ["t.yaml:11: entries[2].zzz: unknown field (allowed: id, label)"]


def test_missing_field_is_named(yaml_file):
    record, problems = convert(yaml_file, GOOD.replace("    label: Alpha\n", ""))
    assert record is None
    assert problems == ["t.yaml:7: entries[1].label: required field is missing"]


@pytest.mark.parametrize("old, new, expected", [
    ("count: 3", "count: three", "t.yaml:2: count: expected a whole number, got text"),
    ("count: 3", "count: true", "t.yaml:2: count: expected a whole number, got true/false"),
    ("count: 3", "count: 3.5", "t.yaml:2: count: expected a whole number, got a number"),
    ("day: 2025-01-15", "day: 15/01/2025", "t.yaml:3: day: expected a date (YYYY-MM-DD), got text"),
    ("kind: second", "kind: third", "t.yaml:4: kind: expected one of first, second, got 'third'"),
    ("title: A title", "title: [a, b]", "t.yaml:1: title: expected text, got a list"),
    ("title: A title", "title:", "t.yaml:1: title: expected text, got nothing"),
    ("  - id: alpha\n    label: Alpha\n", "  - just text\n",
     "t.yaml:7: entries[1]: expected a mapping of fields, got text"),
    ("  - bullets: [One, Two]", "  - bulets: [One, Two]",
     "t.yaml:13: body[2]: expected one of the fields bullets, numbered, got bulets"),
    ("  - A paragraph.", "  - 12", "t.yaml:12: body[1]: expected text or a list block, got a whole number"),
])
def test_wrong_type_is_located(yaml_file, old, new, expected):
    assert old in GOOD
    record, problems = convert(yaml_file, GOOD.replace(old, new, 1))
    assert record is None
    assert problems == [expected]


def test_every_problem_is_reported_at_once(yaml_file):
    _, problems = convert(yaml_file, GOOD.replace("count: 3", "count: x").replace("kind: second", "kinds: second"))
    assert sorted(problems) == ["t.yaml:1: kind: required field is missing",
                                "t.yaml:2: count: expected a whole number, got text",
                                "t.yaml:4: kinds: unknown field (did you mean 'kind'?)"]


def test_unsafe_link_in_text_is_a_located_problem(yaml_file):
    _, problems = convert(yaml_file, GOOD.replace("  - A paragraph.", "  - '[x](javascript:alert(1))'"))
    assert problems == ["t.yaml:12: body[1]: link scheme 'javascript:' not allowed "
                        "(use https://, http://, mailto: or #id)"]


def test_plain_values_need_no_line_numbers():
    problems = Problems()
    value = {"id": "a", "label": "x"}
    entry = Converter(problems).convert(Entry, value, Where("f.yaml", 5, "", "k"))
    assert entry == Entry("a", "x") and entry.label.source == "f.yaml:5" and not problems.items


def test_an_unsupported_schema_type_is_a_programming_error():
    with pytest.raises(TypeError, match="schema type not supported"):
        Converter(Problems()).convert(float, 1.5, Where("f.yaml", 1, "x", "k"))


def test_ids_are_checked_and_unique_in_their_list(yaml_file):
    text = "items:\n  - id: good-id\n    label: A\n  - id: Bad_Id\n    label: B\n  - id: good-id\n    label: C\n"
    record, problems = convert(yaml_file, text, NamedList)
    assert record is None and len(problems) == 2
    assert problems[0].startswith("t.yaml:4: items[2].id: id 'Bad_Id': use lowercase letters")
    assert problems[1] == "t.yaml:6: items[3]: id 'good-id' is given twice (first on line 2)"
