"""Safe YAML reading that keeps line numbers and rejects what PyYAML lets slip."""
from __future__ import annotations

from pathlib import Path

import yaml

from .errors import Problems


class PosDict(dict):
    """A mapping that remembers the line of itself and of each key's value."""

    line: int = 0
    lines: dict


class PosList(list):
    """A sequence that remembers the line of itself and of each item."""

    line: int = 0
    lines: list


class _Refused(yaml.MarkedYAMLError):
    pass


# libyaml's parser where PyYAML was built with it (much faster), else the pure-Python one.
_SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Loader(_SafeLoader):
    """A safe loader (no object construction) that keeps positions."""


def _refuse_aliases(text: str) -> None:
    """Content needs no anchors or aliases; refusing them rules out alias bombs."""
    for event in yaml.parse(text, Loader=_SafeLoader):
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
            raise _Refused(None, None, "anchors and aliases (*name) are not allowed", event.start_mark)


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
            raise _Refused(None, None, f"field names must be text, got {key!r}", key_node.start_mark)
        if key in result:
            raise _Refused(None, None, f"{key}: duplicate key (first given on line {result.lines[key]})",
                           key_node.start_mark)
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


MAX_BYTES = 2_000_000   # the largest content file today is ~40 kB; this bounds time and memory


def read_yaml(path: Path, shown_as: str, problems: Problems):
    """Parse one YAML file; on failure record a located problem and return None."""
    try:
        if path.stat().st_size > MAX_BYTES:
            problems.add(shown_as, None, "", f"file is larger than {MAX_BYTES // 1_000_000} MB: refused "
                         "(split it, or check what was pasted into it)")
            return None
        text = path.read_bytes().decode("utf-8")
    except UnicodeDecodeError as error:
        line = path.read_bytes()[: error.start].count(b"\n") + 1
        problems.add(shown_as, line, "", f"not valid UTF-8 (byte {error.start}); save the file as UTF-8")
        return None
    except OSError as error:
        problems.add(shown_as, None, "", f"cannot read: {error.strerror}")
        return None
    if not text.strip():
        problems.add(shown_as, 1, "", "the file is empty")
        return None
    try:
        _refuse_aliases(text)
        return yaml.load(text, Loader=_Loader)  # noqa: S506 - _Loader is a SafeLoader
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        problems.add(shown_as, mark.line + 1 if mark else None, "", _yaml_message(error))
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
