"""The design values of every edition (styles/design-tokens.css), read outside a browser.

The file is one CSS `:root { --name: value; }` block. print.css reads it as CSS; the
DOCX reference document (scripts/make_reference_docx.py), the DOCX writer (image sizes)
and the EPUB writer (its raster cover) read it here, so the look is decided once.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

FILE = "design-tokens.css"
_COMMENT = re.compile(r"/\*.*?\*/", re.S)
_BLOCK = re.compile(r"\s*:root\s*\{(?P<body>[^{}]*)\}\s*")
_DECLARATION = re.compile(r"\s*--(?P<name>[a-z0-9-]+)\s*:\s*(?P<value>[^;]+?)\s*")
_LENGTH = re.compile(r"(?P<number>-?\d+(?:\.\d+)?)(?P<unit>pt|mm|cm|in|px|em|%)?")
_COLOR = re.compile(r"#(?P<hex>[0-9a-fA-F]{6}|[0-9a-fA-F]{3})")
_SIDES = {1: (0, 0, 0, 0), 2: (0, 1, 0, 1), 3: (0, 1, 2, 1), 4: (0, 1, 2, 3)}   # CSS shorthand
_POINTS = {"pt": 1.0, "mm": 72 / 25.4, "cm": 720 / 25.4, "in": 72.0, "px": 0.75}


@dataclass(frozen=True)
class Tokens:
    values: dict[str, str]
    source: str                     # the file, for messages

    def raw(self, name: str) -> str:
        if name not in self.values:
            raise ValueError(f"{self.source}: --{name} is not defined")
        return self.values[name]

    def color(self, name: str) -> str:
        """#1a1a1a -> "1A1A1A" (OOXML's form)."""
        match = _COLOR.fullmatch(self.raw(name))
        if not match:
            raise ValueError(f"{self.source}: --{name}: {self.raw(name)!r} is not a #rrggbb colour")
        digits = match["hex"] if len(match["hex"]) == 6 else "".join(c * 2 for c in match["hex"])
        return digits.upper()

    def number(self, name: str) -> float:
        try:
            return float(self.raw(name))
        except ValueError:
            raise ValueError(f"{self.source}: --{name}: {self.raw(name)!r} is not a number") from None

    def fraction(self, name: str) -> float:
        """45% -> 0.45."""
        text = self.raw(name)
        if not re.fullmatch(r"\d+(\.\d+)?%", text):
            raise ValueError(f"{self.source}: --{name}: {text!r} is not a percentage")
        return float(text[:-1]) / 100

    def length(self, name: str, em: float | None = None) -> float:
        """A size in points; em and % are relative to `em` (a font size in points)."""
        return self.lengths(name, em)[0]

    def lengths(self, name: str, em: float | None = None) -> list[float]:
        return [self._points(name, part, em) for part in self.raw(name).split()]

    def box(self, name: str, em: float | None = None) -> tuple[float, float, float, float]:
        """A CSS margin shorthand (1 to 4 values) as (top, right, bottom, left) points."""
        values = self.lengths(name, em)
        if len(values) not in _SIDES:
            raise ValueError(f"{self.source}: --{name}: 1 to 4 lengths expected")
        top, right, bottom, left = (values[i] for i in _SIDES[len(values)])
        return top, right, bottom, left

    def family(self, name: str) -> str:
        """The first family of a font-family list, unquoted."""
        return self.raw(name).split(",")[0].strip().strip("\"'")

    def _points(self, name: str, text: str, em: float | None) -> float:
        match = _LENGTH.fullmatch(text)
        if not match or (match["unit"] is None and float(match["number"]) != 0):
            raise ValueError(f"{self.source}: --{name}: {text!r} is not a length")
        number, unit = float(match["number"]), match["unit"]
        if unit in ("em", "%"):
            if em is None:
                raise ValueError(f"{self.source}: --{name}: {text!r} is relative, but to no font size here")
            return number * em / (100 if unit == "%" else 1)
        return number * _POINTS.get(unit, 1.0)


def parse(text: str, source: str) -> Tokens:
    """The declarations of the one :root block; anything else in the file is an error."""
    stripped = _COMMENT.sub(lambda m: re.sub(r"[^\n]", " ", m.group()), text)   # keep line numbers
    block = _BLOCK.fullmatch(stripped)
    if not block:
        raise ValueError(f"{source}: one ':root {{ --name: value; }}' block expected, and nothing else")
    values: dict[str, str] = {}
    offset = block.start("body")
    for declaration in block["body"].split(";"):
        start = offset + len(declaration) - len(declaration.lstrip())
        line = stripped.count("\n", 0, start) + 1
        offset += len(declaration) + 1
        if not declaration.strip():
            continue
        match = _DECLARATION.fullmatch(declaration)
        if not match:
            raise ValueError(f"{source}:{line}: '--name: value' expected, not {declaration.strip()!r}")
        if match["name"] in values:
            raise ValueError(f"{source}:{line}: --{match['name']} is defined twice")
        values[match["name"]] = match["value"]
    return Tokens(values, source)


def read(styles: Path) -> Tokens:
    path = styles / FILE
    return parse(path.read_text(encoding="utf-8"), f"styles/{FILE}")
