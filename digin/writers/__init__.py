"""Writers turn the one HTML of an edition into the bytes of one format.

Each writer module has `STYLESHEET` (its file in styles/, or None), `ASSETS` (the
styles/ files it reads, as globs: part of its targets' fingerprints) and
`write(project, html) -> Output`. The format names are the CLI choices and suffixes.
"""
from __future__ import annotations

import importlib
from dataclasses import dataclass, field

FORMATS = ("pdf", "epub", "docx")


@dataclass
class Output:
    data: bytes
    pages: int | None = None
    warnings: list[str] = field(default_factory=list)


def writer(fmt: str):
    """The writer module of a format, imported on first use (WeasyPrint is slow to import)."""
    return importlib.import_module(f"{__name__}.{fmt}")
