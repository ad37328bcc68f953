"""The build plan: one target per edition × language × format, each with a fingerprint
of exactly its inputs, so unchanged targets are skipped.

A target's inputs are its rendered HTML (which already holds the content it uses and
its language's translations, through the templates), the assets its writer reads, the
pipeline's code and the writer libraries' versions. Rendering HTML is cheap; rendering
PDF, EPUB or DOCX is what a skip saves.
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field
from importlib import metadata
from pathlib import Path

from .project import Project

STATE = ".build-state.json"
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


def code_version() -> str:
    """The pipeline's own code and the versions of the libraries that write the files."""
    sources = [p.read_bytes() for p in sorted(PACKAGE.rglob("*.py"))]
    versions = [f"{name}=={_version(name)}".encode() for name in LIBRARIES]
    return _digest(*sources, *versions)


def _version(name: str) -> str:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "absent"


def assets_digest(project: Project, patterns: tuple[str, ...]) -> str:
    files = sorted({p for pattern in patterns for p in project.styles.glob(pattern) if p.is_file()})
    return _digest(*(p.relative_to(project.styles).as_posix().encode() + b"\0" + p.read_bytes() for p in files))


def fingerprint(html: str, fmt: str, assets: str, code: str) -> str:
    return _digest(html.encode("utf-8"), fmt.encode(), assets.encode(), code.encode())


def read_state(out: Path) -> dict[str, str]:
    try:
        return json.loads((out / STATE).read_text(encoding="utf-8"))
    except (FileNotFoundError, ValueError):
        return {}


def reason(target: Target, state: dict[str, str], out: Path, force: bool) -> str:
    if force:
        return "forced"
    if target.path not in state or not (out / target.path).is_file():
        return "new"
    return "unchanged" if state[target.path] == target.fingerprint else "changed"


def state_json(state: dict[str, str]) -> bytes:
    return (json.dumps(dict(sorted(state.items())), indent=1) + "\n").encode()
