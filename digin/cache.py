"""Results that cost time to make and depend only on what they are made from, kept between
runs in the user's cache folder ($XDG_CACHE_HOME/digin, else ~/.cache/digin).

Each entry is named by a digest of everything that makes it: its inputs, the program's
code (every module of digin/) and the versions of the libraries that compute it. So an
entry is never stale, only unused; an entry that cannot be read is made again, and a
folder that cannot be written only means no cache. Entries are JSON, written whole
(a temporary file, then a rename), so processes building at once share them safely.
"""
from __future__ import annotations

import functools
import hashlib
import json
import os
import tempfile
from importlib import metadata
from pathlib import Path
from typing import Callable, TypeVar

PACKAGE = Path(__file__).resolve().parent
KEEP = 200           # entries per kind; the oldest go first
T = TypeVar("T")


def folder() -> Path | None:
    """The cache folder; None where there is no home to keep one in. A relative path is
    never used (the XDG specification ignores a relative XDG_CACHE_HOME): it would put
    the cache in whatever folder the program runs in."""
    xdg = os.environ.get("XDG_CACHE_HOME", "")
    base = Path(xdg) if os.path.isabs(xdg) else Path(os.path.expanduser("~")) / ".cache"
    return base / "digin" if base.is_absolute() else None


def remembered(kind: str, inputs: tuple, libraries: tuple[str, ...], make: Callable[[], T]) -> T:
    """`make()`, or what it gave the last time for the same inputs, code and libraries.
    `inputs` is hashed by its repr (plain data: strings, bytes, numbers, dates, tuples and
    frozen dataclasses of them); the result must be JSON (lists come back as lists)."""
    path = _entry(kind, inputs, libraries)
    if path is None:
        return make()
    kept = _read(path)
    if kept is not None:
        return kept
    made = make()
    _keep(path, json.dumps(made, ensure_ascii=False))
    return made


class Memo:
    """The answers of a costly function for one set of inputs (as `remembered` names
    them), kept between runs: one entry, read once, written again with each new answer.
    For functions asked many questions (each in-text citation of a language)."""

    def __init__(self, kind: str, inputs: tuple, libraries: tuple[str, ...]):
        self.path = _entry(kind, inputs, libraries)
        kept = _read(self.path) if self.path is not None else None
        self.answers: dict[str, str] = kept if isinstance(kept, dict) else {}

    def get(self, question: str, make: Callable[[], str]) -> str:
        if question not in self.answers:
            self.answers[question] = make()
            if self.path is not None:
                _keep(self.path, json.dumps(self.answers, ensure_ascii=False))
        return self.answers[question]


def _entry(kind: str, inputs: tuple, libraries: tuple[str, ...]) -> Path | None:
    """Where the entry for these inputs is kept (None: nowhere)."""
    if (where := folder()) is None:
        return None
    digest = hashlib.sha256(repr((inputs, _program(), library_versions(libraries))).encode()).hexdigest()
    return where / kind / f"{digest}.json"


def _read(path: Path):
    """A kept entry, or None if there is none that can be read."""
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def _keep(path: Path, text: str) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        new = not path.exists()     # a Memo rewrites its entry: only a new one can make too many
        with tempfile.NamedTemporaryFile("w", encoding="utf-8", dir=path.parent, suffix=".part",
                                         delete=False) as file:
            file.write(text)
        os.replace(file.name, path)
        if new:
            entries = sorted(path.parent.glob("*.json"), key=lambda p: p.stat().st_mtime)
            for old in entries[:-KEEP]:
                old.unlink(missing_ok=True)
    except OSError:
        pass   # a read-only or full disk: the result was made, it is just not kept


@functools.lru_cache(maxsize=1)
def _program() -> str:
    """The program's code, read once per process (it runs the code it imported)."""
    digest = hashlib.sha256()
    for path in sorted(PACKAGE.rglob("*.py")):
        digest.update(path.relative_to(PACKAGE).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


@functools.lru_cache(maxsize=None)
def library_versions(libraries: tuple[str, ...]) -> tuple[str, ...]:
    """`name==version` of each library (fixed for the life of a process); "absent" for one
    not installed. Cache keys and the build's fingerprints both name their libraries so."""
    def version(name: str) -> str:
        try:
            return metadata.version(name)
        except metadata.PackageNotFoundError:
            return "absent"
    return tuple(f"{name}=={version(name)}" for name in libraries)
