"""The build plan: one target per edition × language × format, each with a fingerprint
of exactly its inputs, so unchanged targets are skipped.

A target's inputs are its rendered HTML (which already holds the content it uses and
its language's translations, through the templates), the assets its writer reads, the
pipeline's code and the writer libraries' versions. Rendering HTML is cheap; rendering
PDF, EPUB or DOCX is what a skip saves.
"""
from __future__ import annotations

import functools
import hashlib
import json
import os
from dataclasses import asdict, dataclass, field
from importlib import metadata
from pathlib import Path

from .project import Project

STATE = ".build-state.json"
# Everything a build reads, for the no-op check: if none of it changed since the last
# successful build with the same options, nothing needs rendering at all.
INPUTS = (("content", "**/*.yaml"), ("locales", "*.po"), ("templates", "**/*"), ("styles", "**/*"),
          ("digin", "**/*.py"))


@dataclass
class BuildOptions:
    langs: list[str] | None = None
    formats: list[str] | None = None
    release: bool = False
    base_url: str | None = None
    force: bool = False
    jobs: int = field(default_factory=lambda: os.cpu_count() or 1)
    only: list[str] | None = None        # target paths (a CI job builds one)

    def key(self) -> str:
        """What in the options changes the outputs (not force, not jobs)."""
        return json.dumps([self.langs, self.formats, self.release, self.base_url, self.only])
PACKAGE = Path(__file__).resolve().parent
LIBRARIES = ("weasyprint", "pydyf", "fonttools", "ebooklib", "python-docx", "lxml", "jinja2", "babel",
             "markdown-it-py")


@dataclass
class Target:
    path: str            # relative to out/
    locale: str
    kind: str
    id: str
    format: str
    title: str
    fingerprint: str
    reason: str = "new"  # new | changed | forced | unchanged
    html: str = field(default="", repr=False)

    def as_job(self) -> dict:
        """The plan entry a CI system can fan out (`build --target PATH` builds one)."""
        entry = asdict(self)
        del entry["html"]
        return entry


def _digest(*parts: bytes) -> str:
    digest = hashlib.sha256()
    for part in parts:
        digest.update(hashlib.sha256(part).digest())
    return digest.hexdigest()


def code_version(fmt: str) -> str:
    """The pipeline's code that a target of this format runs (not the other formats'
    writers) and the versions of the libraries that write the files."""
    writers = PACKAGE / "writers"
    sources = [p for p in sorted(PACKAGE.rglob("*.py"))
               if p.parent != writers or p.stem in ("__init__", "document", fmt)]
    return _digest(*(p.read_bytes() for p in sources), *_library_versions())


@functools.lru_cache(maxsize=1)
def _library_versions() -> tuple[bytes, ...]:
    """`name==version` of each writing library (fixed for the life of a process)."""
    def version(name: str) -> str:
        try:
            return metadata.version(name)
        except metadata.PackageNotFoundError:
            return "absent"
    return tuple(f"{name}=={version(name)}".encode() for name in LIBRARIES)


def assets_digest(project: Project, patterns: tuple[str, ...]) -> str:
    files = sorted({p for pattern in patterns for p in project.styles.glob(pattern) if p.is_file()})
    return _digest(*(p.relative_to(project.styles).as_posix().encode() + b"\0" + p.read_bytes() for p in files))


def fingerprint(html: str, fmt: str, assets: str, code: str) -> str:
    return _digest(html.encode("utf-8"), fmt.encode(), assets.encode(), code.encode())


def inputs_digest(project: Project, options: BuildOptions) -> str:
    files = sorted({p for folder, pattern in INPUTS for p in (project.root / folder).glob(pattern) if p.is_file()})
    return _digest(options.key().encode(), *_library_versions(),
                   *(p.relative_to(project.root).as_posix().encode() + b"\0" + p.read_bytes() for p in files))


def read_state(out: Path) -> dict:
    """{"inputs": digest of the last successful build's inputs, "targets": {path: fingerprint}}."""
    try:
        state = json.loads((out / STATE).read_text(encoding="utf-8"))
        return state if isinstance(state.get("targets"), dict) else {"inputs": "", "targets": {}}
    except (FileNotFoundError, ValueError, AttributeError):
        return {"inputs": "", "targets": {}}


def nothing_changed(out: Path, options: BuildOptions, inputs: str) -> list[str] | None:
    """The targets of the last build, if its inputs' digest was `inputs` and they are all
    there; else None."""
    if options.force:
        return None
    state = read_state(out)
    paths = sorted(state["targets"])
    if paths and state["inputs"] == inputs and all((out / p).is_file() for p in paths):
        return paths
    return None


def reason(target: Target, state: dict, out: Path, force: bool) -> str:
    known = state["targets"]
    if force:
        return "forced"
    if target.path not in known or not (out / target.path).is_file():
        return "new"
    return "unchanged" if known[target.path] == target.fingerprint else "changed"


def state_json(inputs: str, targets: dict[str, str]) -> bytes:
    return (json.dumps({"inputs": inputs, "targets": dict(sorted(targets.items()))}, indent=1) + "\n").encode()
