"""Writing into out/: atomic files and the manifest of what was built."""
from __future__ import annotations

import hashlib
import json
import os
import tempfile
from dataclasses import asdict, dataclass
from pathlib import Path

from .plan import STATE, read_state, state_json

MANIFEST = "manifest.json"
_UMASK = os.umask(0o022)
os.umask(_UMASK)


@dataclass(frozen=True)
class Artifact:
    path: str        # relative to out/, POSIX separators
    locale: str
    kind: str
    id: str
    format: str
    bytes: int
    sha256: str
    pages: int | None = None
    title: str = ""  # in the artifact's language, for the download page


def artifact(path: str, locale: str, kind: str, id: str, fmt: str, data: bytes, pages: int | None,
             title: str = "") -> Artifact:
    return Artifact(path, locale, kind, id, fmt, len(data), hashlib.sha256(data).hexdigest(), pages, title)


def write_atomic(target: Path, data: bytes) -> None:
    """Write to a temporary file in the same folder, then rename: never a partial file."""
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".part")
    try:
        os.chmod(temp, 0o666 & ~_UMASK)  # mkstemp makes 0600; published files are for everyone
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temp, target)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


def read_manifest(out: Path) -> list[dict]:
    try:
        return json.loads((out / MANIFEST).read_text(encoding="utf-8"))["artifacts"]
    except (FileNotFoundError, ValueError, KeyError):
        return []


def publish(out: Path, files: list[tuple[Artifact, bytes, str]], inputs: str = "") -> list[dict]:
    """Write the files, then the build state and the manifest, each atomically: a build
    stopped at any point leaves every file whole and the manifest listing only files
    that were really written. Earlier entries stay unless rebuilt. `inputs` is the
    digest of everything the build read, stored only for a build that fully succeeded."""
    state = read_state(out)["targets"]
    for item, data, fingerprint in files:
        write_atomic(out / item.path, data)
        state[item.path] = fingerprint
    entries = {entry["path"]: entry for entry in read_manifest(out) if (out / entry["path"]).is_file()}
    entries.update({item.path: asdict(item) for item, _data, _fingerprint in files})
    state = {path: value for path, value in state.items() if path in entries}
    write_atomic(out / STATE, state_json(inputs, state))
    manifest = {"artifacts": [entries[path] for path in sorted(entries)]}
    write_atomic(out / MANIFEST, (json.dumps(manifest, indent=2, ensure_ascii=False) + "\n").encode())
    return manifest["artifacts"]
