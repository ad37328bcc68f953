"""Writers turn the one HTML of an edition into the bytes of one format.

A writer is one module of this package, named after its format (`pdf.py` is "pdf"), that
declares everything the rest of the pipeline knows of the format:

    MEDIA_TYPE   its media type (download page, manifest clients)
    EXTENSION    the file suffix (default: the format's name)
    ORDER        its place among the formats (CLI choices, download page)
    LIBRARIES    the PyPI names of the libraries that write it (their versions are part
                 of its targets' fingerprints)
    COST         its relative render time (the longest targets are scheduled first)
    STYLESHEET   its file in styles/, checked before a build (or None)
    ASSETS       the styles/ files it reads, as globs (part of the fingerprints)
    HELPERS      the names of its private helper modules in this package (optional)
    write(project, html) -> Output; optionally warm_up(project)

Adding a format is adding such a module; editions.yaml then names it in `formats`.
"""
from __future__ import annotations

import functools
import importlib
import io
import logging
import pkgutil
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

# fontTools reads the fonts (WeasyPrint's and our coverage check) and logs notes on their own tables: not ours to fix.
logging.getLogger("fontTools").setLevel(logging.ERROR)


@dataclass
class Output:
    data: bytes
    pages: int | None = None
    warnings: list[str] = field(default_factory=list)


def writer(fmt: str):
    """The writer module of a format."""
    return importlib.import_module(f"{__name__}.{fmt}")


@functools.lru_cache(maxsize=1)
def _registry() -> tuple[str, ...]:
    """The formats: every module of this package that declares a writer, in ORDER."""
    found = []
    for info in pkgutil.iter_modules(__path__):
        module = writer(info.name)
        if callable(getattr(module, "write", None)) and hasattr(module, "MEDIA_TYPE"):
            found.append((getattr(module, "ORDER", 99), info.name))
    return tuple(name for _order, name in sorted(found))


def extension(fmt: str) -> str:
    return getattr(writer(fmt), "EXTENSION", fmt)


def media_type(fmt: str) -> str:
    return writer(fmt).MEDIA_TYPE


def cost(fmt: str, kind_cost: float = 1) -> float:
    """The relative render time of a target: its kind's cost times its format's."""
    return kind_cost * getattr(writer(fmt), "COST", 1)


def library_names() -> tuple[str, ...]:
    return tuple(dict.fromkeys(name for fmt in FORMATS for name in writer(fmt).LIBRARIES))


def private_files(fmt: str) -> set[Path]:
    """The source files that only this format's targets run."""
    module = writer(fmt)
    names = (fmt, *getattr(module, "HELPERS", ()))
    return {Path(writer(name).__file__).resolve() for name in names}


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


FORMATS = _registry()   # last: the writer modules import this package's helpers above
