"""Reading the project's files, confined and bounded; and the only files a renderer may read.

Every file the pipeline reads from content/, locales/, templates/ and styles/ goes through
`read_project_file`: resolved first, it must stay inside its folder (a symbolic link that
leads out is refused), be a regular file (a FIFO, a device or a folder is refused before
it is opened, so nothing blocks), and no more than the limit is ever read (a device's
st_size says 0, so the size of the file on disk is not trusted).

WeasyPrint gets `fetcher()` as its URL fetcher: it serves files under styles/ and refuses
everything else (other files, http(s), data: ...), so content can never make the
renderer read the disk or open a network connection.
"""
from __future__ import annotations

import mimetypes
import os
import re
import stat
from pathlib import Path
from urllib.parse import unquote, urlsplit

from .errors import ContentError, Problem, Problems
from .project import Project

_FONT_URL = re.compile(r"url\(\s*['\"]?([^'\")]+)['\"]?\s*\)")
PROJECT_FOLDERS = ("content", "locales", "templates", "styles")   # the parts of a project the pipeline reads
_NOT_REGULAR = "not a regular file (a folder, a device or a FIFO): refused"


class AssetRefused(ValueError):
    pass


class FileRefused(ContentError):
    """A project file that may not be read: missing, outside its folder, not a regular
    file, or too large. A located problem like any other (`problem`)."""

    def __init__(self, shown: str, message: str):
        self.problem = Problem(shown, None, "", message)
        super().__init__([self.problem])

    def __reduce__(self):   # raised in a worker process, it crosses back whole
        return FileRefused, (self.problem.file, self.problem.message)


def read_project_file(project: Project, path: Path, limit: int) -> bytes:
    """The bytes of `path`, a file in one of the PROJECT_FOLDERS, if it stays inside that
    folder, is a regular file and holds at most `limit` bytes; else FileRefused."""
    return read_confined(path, _folder_of(project, path), limit, project.shown(path))


def read_styles_file(project: Project, name: str) -> bytes:
    """A file of styles/ (`name` relative to it, or absolute): a stylesheet, font or image.
    For every writer and the download page; FileRefused if it is not a file of styles/."""
    path = project.styles / name
    return read_confined(path, project.styles, _limits(project).file_bytes.styles, project.shown(path))


def _folder_of(project: Project, path: Path) -> Path:
    """The project folder `path` is written in (before any link is followed)."""
    try:
        top = Path(os.path.abspath(path)).relative_to(os.path.abspath(project.root)).parts[0]
    except (ValueError, IndexError):
        top = ""
    if top not in PROJECT_FOLDERS:
        raise FileRefused(project.shown(path), f"not in a folder the pipeline reads ({', '.join(PROJECT_FOLDERS)})")
    return project.root / top


def read_confined(path: Path, folder: Path, limit: int, shown: str) -> bytes:
    """The bytes of `path` if it is a regular file inside `folder` of at most `limit`
    bytes; else FileRefused, located at `shown`."""
    return _read_confined(path, folder, limit, shown)[1]


def _read_confined(path: Path, folder: Path, limit: int, shown: str) -> tuple[Path, bytes]:
    """(the resolved path, its bytes), checked as read_project_file says."""
    resolved = _confined(path, folder, shown)
    try:
        descriptor = os.open(resolved, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC)
        with os.fdopen(descriptor, "rb") as handle:
            if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):   # replaced since it was checked
                raise FileRefused(shown, _NOT_REGULAR)
            data = handle.read(limit + 1)
    except OSError as error:
        raise FileRefused(shown, f"cannot read: {error.strerror}") from None
    if len(data) > limit:
        name = f"file_bytes.{folder.name}" if folder.name in PROJECT_FOLDERS else "file_bytes"
        raise FileRefused(shown, f"file is larger than {_size(limit)}: refused (the limit is {name} "
                                 "in content/limits.yaml)")
    return resolved, data


def _confined(path: Path, folder: Path, shown: str) -> Path:
    """`path` resolved, if it is a regular file inside `folder`; checked before anything
    opens it (opening a FIFO blocks, reading a device never ends)."""
    try:
        resolved = path.resolve(strict=True)
        if not resolved.is_relative_to(folder.resolve()):
            raise FileRefused(shown, f"leads outside {folder.name}/ (a symbolic link?): refused; "
                                     f"put the file itself in {folder.name}/")
        if not stat.S_ISREG(os.stat(resolved).st_mode):
            raise FileRefused(shown, _NOT_REGULAR)
    except FileNotFoundError:
        raise FileRefused(shown, "file is missing") from None
    except (OSError, RuntimeError) as error:   # RuntimeError: a loop of symbolic links
        raise FileRefused(shown, f"cannot read: {getattr(error, 'strerror', None) or error}") from None
    return resolved


def _size(count: int) -> str:
    for unit, name in ((1_000_000, "MB"), (1_000, "kB")):
        if count >= unit:
            return f"{count / unit:g} {name}"
    return f"{count} bytes"


def _limits(project: Project):
    from .limits import project_limits   # limits.py reads YAML, which reads through this module

    return project_limits(project)


def fetcher(project: Project):
    """A WeasyPrint URL fetcher that serves styles/ files only (fonts, images, CSS)."""
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class ProjectAssets(URLFetcher):
        def fetch(self, url, headers=None):
            parts = urlsplit(url)
            if parts.scheme != "file":
                raise AssetRefused(f"refused {url!r}: only the project's styles/ files are served")
            path = project.styles / unquote(parts.path)
            try:
                resolved, data = _read_confined(path, project.styles, _limits(project).file_bytes.styles,
                                                project.shown(path))
            except FileRefused as error:
                raise AssetRefused(f"refused {url!r}: {error.problem.message}") from None
            mime = mimetypes.guess_type(resolved.name)[0] or "application/octet-stream"
            return URLFetcherResponse(resolved.as_uri(), data, {"Content-Type": mime})

    return ProjectAssets()


def styles_file(project: Project, name: str) -> Path | None:
    """The file `name` (relative to styles/, or absolute) if it is a file in styles/, else
    None: resolved first, so neither ../ nor a symbolic link leads out of styles/.
    (To read it, use read_styles_file: it also bounds the size.)"""
    root = project.styles.resolve()
    path = (root / name).resolve()
    return path if path.is_relative_to(root) and path.is_file() else None


def check_stylesheet(project: Project, stylesheet: str, problems: Problems) -> Path | None:
    """The stylesheet is a file of styles/ and every file it references (fonts) is too."""
    path = project.styles / stylesheet
    try:
        text = read_styles_file(project, stylesheet).decode("utf-8")
    except FileRefused as error:
        message = "stylesheet is missing" if error.problem.message == "file is missing" else error.problem.message
        problems.add(project.shown(path), None, "", message)
        return None
    except UnicodeDecodeError as error:
        problems.add(project.shown(path), None, "", f"not valid UTF-8 (byte {error.start})")
        return None
    for number, line in enumerate(text.splitlines(), start=1):
        for target in _FONT_URL.findall(line):
            try:
                _confined(project.styles / target, project.styles, target)
            except FileRefused as error:
                refused = error.problem.message
                problems.add(project.shown(path), number, "url", f"{target} is missing from styles/ (fonts are "
                             "part of the project)" if refused == "file is missing" else f"{target}: {refused}")
    return path
