"""Publishing into out/: the files a build made, as one all-or-nothing transaction.

A build stages every new file (artifacts, download pages, build state, manifest last) in
out/.staging/, writes the journal out/.staging/COMMIT — the commit point — and then moves
the staged files into place with SIGINT and SIGTERM held back for those milliseconds.
`recover()`, run under the lock before a build reads out/, rolls back a publish stopped
before its journal and completes one stopped after it (a SIGKILL, a power cut). So once
a build has ended, however it ended, out/'s files, manifest.json and the download pages
agree; and the next build checks that they still do (`damaged()`).

Every path is confined: relative, inside out/, through no symbolic link. One build at a
time writes into an out/ (`locked()`).
"""
from __future__ import annotations

import contextlib
import datetime
import errno
import fcntl
import hashlib
import json
import os
import shutil
import signal
import tempfile
from dataclasses import asdict, dataclass
from pathlib import Path, PurePosixPath

from .errors import ContentError, Problem

MANIFEST = "manifest.json"
STAGING = ".staging"
JOURNAL = "COMMIT"
LOCK = ".lock"
_UMASK = os.umask(0o022)
os.umask(_UMASK)
_HELD = {signal.SIGINT, signal.SIGTERM, signal.SIGHUP}


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


class PublishError(ContentError):
    """out/ cannot take the files (full disk, read-only, a folder or link in the way)."""

    def __init__(self, path: Path | str, message: str):
        super().__init__([Problem(str(path), None, "", message)], summary="nothing was published; out/ is as it was.")


def os_problem(path: Path | str, error: OSError, doing: str) -> PublishError:
    """An OSError as a message about the path it concerns, with what to do."""
    hints = {errno.ENOSPC: "free some space, or build into another --out",
             errno.EDQUOT: "free some space, or build into another --out",
             errno.EROFS: "the file system is read-only: build into another --out",
             errno.EACCES: "no permission: build into a folder you may write",
             errno.EPERM: "no permission: build into a folder you may write",
             errno.ENAMETOOLONG: "shorten the id that makes this file name (content/)",
             errno.EISDIR: "a folder is in the way: remove it",
             errno.ENOTDIR: "a file is in the way of a folder: remove it"}
    hint = hints.get(error.errno, "")
    return PublishError(path, f"{doing}: {error.strerror or error}" + (f" ({hint})" if hint else ""))


def write_atomic(target: Path, data: bytes) -> None:
    """One file: written to a temporary file in the same folder, then renamed."""
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
        entries = json.loads((out / MANIFEST).read_text(encoding="utf-8"))["artifacts"]
        return entries if isinstance(entries, list) else []
    except (OSError, ValueError, KeyError, TypeError):
        return []


def manifest_json(entries: list[dict], waived: list[dict] = ()) -> bytes:
    """The manifest; a release with waived findings records them (content/waivers.yaml)."""
    manifest = {"artifacts": sorted(entries, key=lambda entry: entry["path"])}
    if waived:
        manifest["waived"] = list(waived)
    return (json.dumps(manifest, indent=2, ensure_ascii=False) + "\n").encode()


def file_sha256(path: Path) -> str | None:
    try:
        if path.is_symlink() or not path.is_file():
            return None
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return None


def damaged(out: Path, entries: list[dict]) -> set[str]:
    """The paths of the entries whose file is missing or not the one the manifest lists."""
    return {entry["path"] for entry in entries
            if not plain_path(entry["path"]) or file_sha256(out / entry["path"]) != entry.get("sha256")}


def plain_path(relative: str) -> bool:
    """A relative POSIX path that names something inside its folder (no `..`, no root)."""
    parts = PurePosixPath(relative).parts
    return bool(parts) and not relative.startswith("/") and "\\" not in relative and "\0" not in relative \
        and not any(part in ("..", ".") for part in parts) and "//" not in relative


def checked_path(out: Path, relative: str) -> Path:
    """`out/relative`, refused unless it stays inside out/ without following a link and
    nothing is in its way."""
    if not plain_path(relative):
        raise PublishError(out / relative, "not a plain path inside out/: refused")
    folder = out
    for part in PurePosixPath(relative).parts[:-1]:
        folder = folder / part
        if folder.is_symlink():
            raise PublishError(folder, "is a symbolic link: the build writes only inside out/ and never follows "
                                       "a link (remove the link)")
        if folder.exists() and not folder.is_dir():
            raise PublishError(folder, "a file is in the way of a folder: remove it")
    target = out / relative
    if target.is_dir() and not target.is_symlink():
        raise PublishError(target, "is a folder, where the build writes a file: remove it")
    return target


@contextlib.contextmanager
def signals_held():
    """SIGINT, SIGTERM and SIGHUP wait until the block is done (then they act)."""
    old = signal.pthread_sigmask(signal.SIG_BLOCK, _HELD)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, old)


def publish(out: Path, files: dict[str, bytes]) -> None:
    """Replace or add `files` ({path relative to out/: bytes}) in out/, all or nothing.
    The manifest and the build state, if among them, go last."""
    staging = out / STAGING
    order = sorted(files, key=lambda path: (path == MANIFEST, path.startswith("."), path))
    targets = {path: checked_path(out, path) for path in order}
    shutil.rmtree(staging, ignore_errors=True)
    try:
        for path in order:
            _write(staging / path, files[path])
        _write(staging / JOURNAL, (json.dumps({"files": order}) + "\n").encode())   # the commit point
        _sync(staging)
    except OSError as error:
        shutil.rmtree(staging, ignore_errors=True)
        raise os_problem(getattr(error, "filename", None) or out, error, "cannot write") from error
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    _apply(out, targets)


def recover(out: Path) -> str | None:
    """Finish what an interrupted publish left: complete it if it had committed, else
    roll it back. Also removes the temporary files of older versions. Returns what was done."""
    staging = out / STAGING
    done = None
    if (staging / JOURNAL).is_file():
        try:
            order = json.loads((staging / JOURNAL).read_text(encoding="utf-8"))["files"]
        except (OSError, ValueError, KeyError):
            order = None
        if order is not None:
            _apply(out, {path: checked_path(out, path) for path in order})
            done = "completed the publish that an earlier build had started"
    if staging.exists():
        shutil.rmtree(staging, ignore_errors=True)
        done = done or "rolled back the publish that an earlier build had not finished"
    for leftover in out.rglob(".*.part") if out.is_dir() else ():
        leftover.unlink(missing_ok=True)
    return done


def _apply(out: Path, targets: dict[str, Path]) -> None:
    """Move the staged files into place (those not moved yet), then drop the journal."""
    staging = out / STAGING
    with signals_held():
        try:
            for path, target in targets.items():
                staged = staging / path
                if staged.is_file():
                    target.parent.mkdir(parents=True, exist_ok=True)
                    os.replace(staged, target)
            _sync(out)
        except OSError as error:
            raise os_problem(getattr(error, "filename", None) or out, error, "cannot move into place "
                             "(the next build completes this publish)") from error
        (staging / JOURNAL).unlink(missing_ok=True)
        shutil.rmtree(staging, ignore_errors=True)


def _write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "xb") as stream:
        stream.write(data)
        stream.flush()
        os.fsync(stream.fileno())
    os.chmod(path, 0o666 & ~_UMASK)


def _sync(folder: Path) -> None:
    """Make the renames in a folder durable (the journal's order must survive a power cut)."""
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


@contextlib.contextmanager
def locked(out: Path, on_wait=lambda holder: None):
    """Hold out/'s lock: one build writes into an out/ at a time; another one waits.
    The kernel releases the lock when its holder ends, however it ends (so a lock is never
    stale); the lock file names the holder while it is held."""
    try:
        out.mkdir(parents=True, exist_ok=True)
        descriptor = os.open(out / LOCK, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as error:
        raise os_problem(out, error, "cannot write into the output folder") from error
    try:
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            on_wait(os.pread(descriptor, 200, 0).decode("utf-8", "replace").strip() or "another build")
            fcntl.flock(descriptor, fcntl.LOCK_EX)
        started = datetime.datetime.now().astimezone().isoformat(timespec="seconds")
        os.ftruncate(descriptor, 0)
        os.pwrite(descriptor, f"build pid {os.getpid()}, started {started}\n".encode(), 0)
        yield
    finally:
        with contextlib.suppress(OSError):
            os.ftruncate(descriptor, 0)   # released: the file stays, empty
        # Unlocked before it is closed: a worker forked meanwhile holds a copy of the descriptor.
        fcntl.flock(descriptor, fcntl.LOCK_UN)
        os.close(descriptor)


def manifest_entries(out: Path, built: list[Artifact]) -> list[dict]:
    """The manifest after this publish: the earlier entries whose file is still whole,
    with this build's artifacts replacing or adding theirs."""
    entries = {entry["path"]: entry for entry in read_manifest(out)
               if isinstance(entry, dict) and isinstance(entry.get("path"), str) and plain_path(entry["path"])}
    entries = {path: entry for path, entry in entries.items() if path not in damaged(out, [entry])}
    entries.update({item.path: asdict(item) for item in built})
    return [entries[path] for path in sorted(entries)]
