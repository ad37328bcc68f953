"""Safe YAML reading that keeps line numbers and rejects what PyYAML lets slip: aliases,
tags, duplicate keys, and (before anything is constructed) input over the project's
limits: nesting, list and string lengths, file size (content/limits.yaml)."""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from .assets import FileRefused, read_confined
from .errors import Problems
from .model import Limits


class PosDict(dict):
    """A mapping that remembers the line of itself and of each key's value."""

    line: int = 0
    lines: dict


class PosList(list):
    """A sequence that remembers the line of itself and of each item."""

    line: int = 0
    lines: list


class _Refused(yaml.MarkedYAMLError):
    def __init__(self, message: str, mark, field: str = ""):
        super().__init__(None, None, message, mark)
        self.field = field


# libyaml's parser where PyYAML was built with it (much faster), else the pure-Python one.
_SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Loader(_SafeLoader):
    """A safe loader (no object construction) that keeps positions."""


@dataclass
class _Level:
    """One open list or mapping while the parser's events are walked."""

    mapping: bool
    start: yaml.Mark
    events: int = 0         # items of a list; keys and values of a mapping
    key: str = ""           # a mapping's current key

    def name(self) -> str:
        return self.key if self.mapping else f"[{self.events}]"


def _field(levels: list[_Level]) -> str:
    """The field path of the value being read, as the schema names it: a.b[2].c"""
    path = ""
    for level in levels:
        name = level.name()
        path += name if name.startswith("[") or not path else "." + name
    return path


def _check_shape(text: str, limits: Limits) -> None:
    """Walk the parser's events, before anything is constructed: aliases, nesting deeper
    than the limit (the construction recurses), lists and strings longer than theirs."""
    levels: list[_Level] = []
    for event in yaml.parse(text, Loader=_SafeLoader):
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
            raise _Refused("anchors and aliases (*name) are not allowed", event.start_mark, _field(levels))
        if isinstance(event, yaml.CollectionEndEvent):
            levels.pop()
            continue
        if not isinstance(event, (yaml.ScalarEvent, yaml.CollectionStartEvent)):
            continue
        if levels:
            _count(levels, event, limits)
        if isinstance(event, yaml.ScalarEvent):
            _check_scalar(event, limits, levels)
        if isinstance(event, yaml.CollectionStartEvent):
            if len(levels) >= limits.nesting_depth:
                raise _Refused(f"lists and mappings nested more than {limits.nesting_depth} levels deep "
                               "(nesting_depth in content/limits.yaml)", event.start_mark, _field(levels))
            levels.append(_Level(isinstance(event, yaml.MappingStartEvent), event.start_mark))


# A plain scalar YAML reads as a whole number (decimal, octal, hexadecimal, binary, 1:30).
_INTEGER = re.compile(r"[-+]?(?:0b[01_]+|0x[0-9a-fA-F_]+|[0-9][0-9_:]*)")
_INTEGER_CHARS = 100   # no whole number of the content is longer; Python refuses 4,300 digits


def _check_scalar(event: yaml.ScalarEvent, limits: Limits, levels: list[_Level]) -> None:
    if len(event.value) > limits.string_chars:
        raise _Refused(f"text of {len(event.value):,} characters, more than the limit of "
                       f"{limits.string_chars:,} (string_chars in content/limits.yaml)",
                       event.start_mark, _field(levels))
    read_as_number = event.implicit[0] or event.tag == "tag:yaml.org,2002:int"   # plain, or !!int
    if read_as_number and len(event.value) > _INTEGER_CHARS and _INTEGER.fullmatch(event.value.strip()):
        raise _Refused(f"a number of {len(event.value):,} characters: too long (quote it if it is text)",
                       event.start_mark, _field(levels))


def _count(levels: list[_Level], event: yaml.Event, limits: Limits) -> None:
    level = levels[-1]
    level.events += 1
    is_key = level.mapping and level.events % 2 == 1
    if is_key:
        level.key = event.value[:40] if isinstance(event, yaml.ScalarEvent) else "?"
    items = (level.events + 1) // 2 if level.mapping else level.events
    if items > limits.list_items:
        what = "fields" if level.mapping else "items"
        raise _Refused(f"more than {limits.list_items:,} {what} (list_items in content/limits.yaml)",
                       level.start, _field(levels[:-1]))


def _line(node: yaml.Node) -> int:
    """The 1-based line where a value's text starts (a block scalar starts after `>-`/`|`)."""
    block = isinstance(node, yaml.ScalarNode) and node.style in (">", "|")
    return node.start_mark.line + 1 + block


def _construct_mapping(loader: _Loader, node: yaml.MappingNode) -> PosDict:
    result = PosDict()
    result.line, result.lines = node.start_mark.line + 1, {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if not isinstance(key, str):
            raise _Refused(f"field names must be text, got {key!r}", key_node.start_mark)
        if key in result:
            raise _Refused(f"{key}: duplicate key (first given on line {result.lines[key]})", key_node.start_mark)
        result[key] = loader.construct_object(value_node, deep=True)
        result.lines[key] = _line(value_node)
    return result


def _construct_sequence(loader: _Loader, node: yaml.SequenceNode) -> PosList:
    result = PosList(loader.construct_object(child, deep=True) for child in node.value)
    result.line = node.start_mark.line + 1
    result.lines = [_line(child) for child in node.value]
    return result


_Loader.add_constructor("tag:yaml.org,2002:map", _construct_mapping)
_Loader.add_constructor("tag:yaml.org,2002:seq", _construct_sequence)


def read_yaml(path: Path, shown_as: str, problems: Problems, limits: Limits | None = None,
              folder: Path | None = None):
    """Parse one YAML file, which must be a regular file inside `folder` (default: its
    own); on failure record a located problem and return None."""
    limits = limits or Limits()
    try:
        data = read_confined(path, folder or path.parent, limits.file_bytes.content, shown_as)
        text = data.decode("utf-8")
    except FileRefused as error:
        problems.items.append(error.problem)
        return None
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        problems.add(shown_as, line, "", f"not valid UTF-8 (byte {error.start}); save the file as UTF-8")
        return None
    if not text.strip():
        problems.add(shown_as, 1, "", "the file is empty")
        return None
    try:
        _check_shape(text, limits)
        return yaml.load(text, Loader=_Loader)  # noqa: S506 - _Loader is a SafeLoader
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        problems.add(shown_as, mark.line + 1 if mark else None, getattr(error, "field", ""), _yaml_message(error))
    except yaml.YAMLError as error:
        problems.add(shown_as, None, "", f"invalid YAML: {error}")
    return None


def _yaml_message(error: yaml.MarkedYAMLError) -> str:
    if isinstance(error, _Refused):
        return error.problem
    if isinstance(error, yaml.constructor.ConstructorError):   # e.g. !!python/object: never constructed
        return f"YAML tag not allowed, content is plain data ({error.problem})"
    parts = [p for p in (error.context, error.problem) if p]
    return "invalid YAML: " + "; ".join(parts)
