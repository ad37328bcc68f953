"""Reading built PDFs the way a reader sees them: body text without running headers."""
from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from functools import lru_cache
from pathlib import Path

import pikepdf
from pypdf import PdfReader

from digin.pdfpages import read_pages
from sharing import made_once

MARGIN_PT = 25 / 25.4 * 72  # the page margins of styles/print.css (25 mm top and bottom)
LIST_MARKER = re.compile(r"^\s*(?:\d{1,2}\.|•)\s*$")  # drawn apart from the item's text
SHARED: Path | None = None   # a folder the run's test workers share (tests/conftest.py sets it)


def page_texts(path: Path | str) -> tuple[str, ...]:
    """The text of each page, without running headers, page numbers and list markers.

    Several tests, in several test workers, read the same files: the result is
    remembered per file and modification
    time (a rebuilt file is read again), in the process and in SHARED."""
    path = Path(path).resolve()
    return _page_texts(path, path.stat().st_mtime_ns)


@lru_cache(maxsize=64)
def _page_texts(path: Path, mtime_ns: int) -> tuple[str, ...]:
    if SHARED is None:
        return _extract(path)
    name = hashlib.sha256(f"{path}\0{mtime_ns}".encode()).hexdigest()[:32] + ".json"
    saved = made_once(SHARED, name, lambda file: file.write_text(json.dumps(_extract(path)), encoding="utf-8"))
    return tuple(json.loads(saved.read_text(encoding="utf-8")))


def _extract(path: Path) -> tuple[str, ...]:
    """Read with the typesetting check's reader (digin/pdfpages.py), which
    tests/test_typesetting.py checks against pypdf's text extraction on every toolkit."""
    with pikepdf.open(path) as pdf:
        return tuple("".join(run.text for run in page.runs if run.text is not None
                             and MARGIN_PT * 0.8 < page.height - run.baseline < page.height - MARGIN_PT * 0.8
                             and not LIST_MARKER.match(run.text))
                     for page in read_pages(pdf))


def pypdf_page_texts(path: Path | str) -> tuple[str, ...]:
    """The text of each page as pypdf extracts it (whole pages, running headers too): a
    reading independent of the pipeline's own."""
    return tuple(page.extract_text() or "" for page in PdfReader(path).pages)


def normalize(text: str) -> str:
    """Letters and digits only, lower case: layout (hyphens, line breaks) does not count."""
    text = unicodedata.normalize("NFKC", text).lower()
    return "".join(ch for ch in text if ch.isalnum())


def seed_paragraphs(seed: Path, start: str, stop: str, min_letters: int = 60) -> list[str]:
    """Body paragraphs of the seed between two headings, without Markdown syntax."""
    lines = seed.read_text(encoding="utf-8").splitlines()
    first = next(i for i, line in enumerate(lines) if line.strip() == start)
    last = next(i for i, line in enumerate(lines) if line.strip() == stop)
    paragraphs = []
    for line in lines[first + 1:last]:
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        line = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", line)   # links -> their text
        line = re.sub(r"^\s*(?:[-*]|\d+\.)\s+", "", line)         # list markers
        if sum(ch.isalpha() for ch in line) >= min_letters:
            paragraphs.append(line)
    return paragraphs
