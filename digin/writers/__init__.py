"""Writers turn the one HTML of an edition into the bytes of one format.

Each writer module has `STYLESHEET` (its file in styles/, or None), `ASSETS` (the
styles/ files it reads, as globs: part of its targets' fingerprints) and
`write(project, html) -> Output`. The format names are the CLI choices and suffixes.
"""
from __future__ import annotations

import importlib
import io
import logging
import zipfile
from dataclasses import dataclass, field

FORMATS = ("pdf", "epub", "docx")

# fontTools subsets the fonts (PDF, EPUB) and logs notes on the fonts' own tables: not ours to fix.
logging.getLogger("fontTools").setLevel(logging.ERROR)


@dataclass
class Output:
    data: bytes
    pages: int | None = None
    warnings: list[str] = field(default_factory=list)


def writer(fmt: str):
    """The writer module of a format, imported on first use (WeasyPrint is slow to import)."""
    return importlib.import_module(f"{__name__}.{fmt}")


def reproducible_zip(data: bytes, first: str, date_time=(1980, 1, 1, 0, 0, 0), stored: str = "") -> bytes:
    """The same zip (EPUB, DOCX) with fixed entry dates and a fixed order, `first` first
    and `stored` uncompressed (EPUB's mimetype): the same input gives the same bytes."""
    source = zipfile.ZipFile(io.BytesIO(data))
    names = sorted(source.namelist(), key=lambda name: (name != first, name))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for name in names:
            info = zipfile.ZipInfo(name, date_time=date_time)
            info.compress_type = zipfile.ZIP_STORED if name == stored else zipfile.ZIP_DEFLATED
            info.create_system = 3          # the same on every platform
            info.external_attr = 0o644 << 16
            target.writestr(info, source.read(name))
    return out.getvalue()
