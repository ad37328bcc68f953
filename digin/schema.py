"""Turn YAML data into the frozen dataclasses of the model, collecting located problems.

The dataclass field types are the schema: `Text` (translatable), `str`, `int`, `date`,
`Literal[...]`, `X | None` (optional), `tuple[X, ...]` (a YAML list), nested dataclasses,
`Block` (a paragraph or a bullet/numbered list), and `Id` (text that becomes a file name,
an anchor and an XML id: limited characters and length, unique within its list).
"""
from __future__ import annotations

import dataclasses
import datetime
import difflib
import functools
import re
import types
import typing
import unicodedata
from dataclasses import dataclass

from . import markup
from .errors import Problems
from .model import Id, Limits
from .text import Text

# Safe as a file name, a URL fragment and an XML id on every system: lowercase ASCII
# letters and digits, words joined by single hyphens.
ID_PATTERN = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


@dataclass(frozen=True)
class Where:
    """Where a value sits: file and line for messages, field path and key for catalogs."""

    file: str
    line: int
    field: str
    key: str

    def child(self, name: str, line: int, key_part: str | None = None) -> "Where":
        sep = "" if not self.field or name.startswith("[") else "."
        key_part = name if key_part is None else key_part
        return Where(self.file, line or self.line, self.field + sep + name, f"{self.key}.{key_part}")


_NAMES = {str: "text", int: "a whole number", bool: "true/false", float: "a number",
          datetime.date: "a date (YYYY-MM-DD)", list: "a list", dict: "a mapping"}


def _kind(value) -> str:
    if value is None:
        return "nothing"
    for tp, name in _NAMES.items():
        if type(value) is tp or (tp in (list, dict) and isinstance(value, tp)):
            return name
    return type(value).__name__


class Converter:
    def __init__(self, problems: Problems, limits: Limits | None = None):
        self.problems = problems
        self.limits = limits or Limits()

    def fail(self, where: Where, message: str) -> None:
        self.problems.add(where.file, where.line, where.field, message)

    def convert(self, tp, value, where: Where):
        origin = typing.get_origin(tp)
        if origin in (typing.Union, types.UnionType):
            options = [t for t in typing.get_args(tp) if t is not type(None)]
            if value is None:
                return None
            if len(options) == 1:
                return self.convert(options[0], value, where)
            return self._union(options, value, where)
        if origin is tuple:
            return self._sequence(typing.get_args(tp)[0], value, where)
        if origin is typing.Literal:
            return self._choice(typing.get_args(tp), value, where)
        if dataclasses.is_dataclass(tp):
            return self.record(tp, value, where)
        if tp is Text:
            return self._text(value, where)
        if tp is Id:
            return self._id(value, where)
        if tp is str:
            return self._plain(value, where)
        if tp is int:
            return self._exact(int, value, where)
        if tp is bool:
            return self._exact(bool, value, where)
        if tp is datetime.date:
            return self._exact(datetime.date, value, where)
        raise TypeError(f"schema type not supported: {tp!r}")

    def record(self, cls, value, where: Where):
        if not isinstance(value, dict):
            return self.fail(where, f"expected a mapping of fields, got {_kind(value)}")
        fields = {f.name: f for f in dataclasses.fields(cls) if f.init}
        hints = _hints(cls)
        lines = getattr(value, "lines", {})
        for name in value:
            if name not in fields:
                close = difflib.get_close_matches(name, fields, n=1)
                hint = f" (did you mean '{close[0]}'?)" if close else f" (allowed: {', '.join(fields)})"
                self.fail(where.child(name, lines.get(name, 0)), f"unknown field{hint}")
        kwargs = {}
        for name, field in fields.items():
            if name not in value:
                if field.default is dataclasses.MISSING and field.default_factory is dataclasses.MISSING:
                    self.fail(where.child(name, 0), "required field is missing")
                continue
            kwargs[name] = self.convert(hints[name], value[name], where.child(name, lines.get(name, 0)))
        try:
            return cls(**kwargs)
        except TypeError:  # a missing required field was already reported
            return None

    def _sequence(self, item_type, value, where: Where):
        if not isinstance(value, list):
            return self.fail(where, f"expected a list, got {_kind(value)}")
        lines = getattr(value, "lines", [])
        named_by = _identity_field(item_type)
        key_parts = item_keys(value, named_by) if _translatable(item_type) else None
        items = []
        first_line: dict[str, int] = {}   # id -> line: an id names one item of a list
        for index, item in enumerate(value):
            item_id = item.get(named_by) if named_by and isinstance(item, dict) else None
            line = lines[index] if index < len(lines) else where.line
            item_where = where.child(f"[{index + 1}]", line, key_parts[index] if key_parts else str(index + 1))
            items.append(self.convert(item_type, item, item_where))
            same = item if item_type is Id else item_id
            if isinstance(same, str):
                if same in first_line:
                    self.fail(item_where, f"id {same!r} is given twice (first on line {first_line[same]})")
                first_line.setdefault(same, line)
        return tuple(items)

    def _union(self, options, value, where: Where):
        # A union of dataclasses is told apart by its one required field name.
        if isinstance(value, str):
            text_types = [t for t in options if t in (Text, str)]
            if text_types:
                return self.convert(text_types[0], value, where)
        if isinstance(value, dict):
            for option in options:
                if dataclasses.is_dataclass(option) and set(value) == {f.name for f in dataclasses.fields(option)}:
                    return self.record(option, value, where)
            names = [f.name for t in options if dataclasses.is_dataclass(t) for f in dataclasses.fields(t)]
            return self.fail(where, f"expected one of the fields {', '.join(names)}, got {', '.join(map(str, value))}")
        if int in options and type(value) is int:
            return value
        return self.fail(where, f"expected text or a list block, got {_kind(value)}")

    def _choice(self, choices, value, where: Where):
        if value in choices:
            return value
        return self.fail(where, f"expected one of {', '.join(map(str, choices))}, got {value!r}")

    def _plain(self, value, where: Where):
        if type(value) in (int, float):
            return str(value)
        if not isinstance(value, str):
            return self.fail(where, f"expected text, got {_kind(value)}")
        return value

    def _text(self, value, where: Where):
        plain = self._plain(value, where)
        if plain is None:
            return None
        for message in markup.problems(plain):
            self.fail(where, message)
        return Text(plain.strip(), where.key, f"{where.file}:{where.line}")

    def _id(self, value, where: Where):
        plain = self._plain(value, where)
        if plain is None:
            return None
        if len(plain) > self.limits.id_chars:
            return self.fail(where, f"id of {len(plain)} characters ({plain[:24]!r}...): at most "
                                    f"{self.limits.id_chars} (id_chars in content/limits.yaml)")
        if not ID_PATTERN.fullmatch(plain):
            return self.fail(where, f"id {plain!r}: use lowercase letters a-z, digits and single hyphens "
                                    "between them (it becomes a file name, an anchor and an XML id)")
        return plain

    def _exact(self, tp, value, where: Where):
        if type(value) is not tp:
            return self.fail(where, f"expected {_NAMES[tp]}, got {_kind(value)}")
        return value


# --- the keys of list items ---------------------------------------------------------
# A string's key (its msgctxt in the PO files) names each list item on its path by an id
# that does not depend on the item's position: the id the author gave it, else one made
# of the first words of its English. Inserting, deleting or moving a sibling changes no
# other item's key; see docs/content-model.md.

DERIVED_WORDS, DERIVED_CHARS = 3, 24


def derived_id(text: str) -> str:
    """An id made of the first words of a text: "Access to municipal spaces" ->
    "access-to-municipal" (ASCII letters and digits; link targets are not words)."""
    plain = re.sub(r"\]\([^)]*\)", "]", text)
    ascii_text = unicodedata.normalize("NFKD", plain).encode("ascii", "ignore").decode().lower()
    words = re.findall(r"[a-z0-9]+", ascii_text)[:DERIVED_WORDS]
    while len(words) > 1 and len("-".join(words)) > DERIVED_CHARS:
        words.pop()
    return "-".join(words)[:DERIVED_CHARS].strip("-") or "item"


def item_keys(items: list, named_by: str | None) -> list[str]:
    """The key part of each item of a list: its own id, else the derived id of its first
    string (`list` for a bullet list), made unique in the list by -2, -3 ... in document
    order."""
    given = [item.get(named_by) if named_by and isinstance(item, dict) else None for item in items]
    used = {value for value in given if isinstance(value, str)}
    keys = []
    for item, own in zip(items, given):
        if isinstance(own, str):
            keys.append(own)
            continue
        # An item made only of a list (a bullet list in a body) has no words of its own:
        # named after its first bullet, it would change with that bullet.
        only_lists = isinstance(item, dict) and item and all(isinstance(v, list) for v in item.values())
        base = "list" if only_lists else derived_id(_first_text(item))
        key, number = base, 1
        while key in used:
            number += 1
            key = f"{base}-{number}"
        used.add(key)
        keys.append(key)
    return keys


def _first_text(value) -> str:
    """The first string of a YAML value, in the order the author wrote it."""
    if isinstance(value, str):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    children = value.values() if isinstance(value, dict) else value if isinstance(value, list) else ()
    return next((text for text in map(_first_text, children) if text.strip()), "")


@functools.cache
def _hints(cls) -> dict:
    """A model class's field types (resolved once: every record of a file asks)."""
    return typing.get_type_hints(cls)


@functools.cache
def _identity_field(tp) -> str | None:
    """The field that names an item of this type: its first Id field, else one called id."""
    if not dataclasses.is_dataclass(tp):
        return None
    hints = _hints(tp)
    names = [f.name for f in dataclasses.fields(tp)]
    return next((name for name in names if Id in (hints[name], *typing.get_args(hints[name]))),
                "id" if "id" in names else None)


@functools.cache
def _translatable(tp) -> bool:
    """Whether values of this type can hold a translatable string (then items need keys)."""
    if tp is Text:
        return True
    if dataclasses.is_dataclass(tp):
        return any(_translatable(hint) for hint in _hints(tp).values())
    return any(_translatable(arg) for arg in typing.get_args(tp) if arg is not Ellipsis)


def convert_file(cls, data, file: str, key: str, problems: Problems, limits: Limits | None = None):
    """Convert the data of one YAML file to `cls`; None if it had problems."""
    line = getattr(data, "line", 1)
    before = len(problems.items)
    result = Converter(problems, limits).record(cls, data, Where(file, line, "", key))
    return result if len(problems.items) == before else None

