"""The only files a renderer may read: the project's styles, fonts and images.

WeasyPrint gets `fetcher()` as its URL fetcher: it serves files under styles/ and refuses
everything else (other files, http(s), data: ...), so content can never make the
renderer read the disk or open a network connection.
"""
from __future__ import annotations

import mimetypes
import re
from pathlib import Path
from urllib.parse import unquote, urlsplit

from .errors import Problems
from .project import Project

_FONT_URL = re.compile(r"url\(\s*['\"]?([^'\")]+)['\"]?\s*\)")


class AssetRefused(ValueError):
    pass


def fetcher(project: Project):
    """A WeasyPrint URL fetcher that serves styles/ files only (fonts, images, CSS)."""
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class ProjectAssets(URLFetcher):
        def fetch(self, url, headers=None):
            parts = urlsplit(url)
            path = styles_file(project, unquote(parts.path)) if parts.scheme == "file" else None
            if path is None:
                raise AssetRefused(f"refused {url!r}: only the project's styles/ files are served")
            mime = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
            return URLFetcherResponse(path.as_uri(), path.read_bytes(), {"Content-Type": mime})

    return ProjectAssets()


def styles_file(project: Project, name: str) -> Path | None:
    """The file `name` (relative to styles/, or absolute) if it is a file in styles/, else
    None: resolved first, so neither ../ nor a symbolic link leads out of styles/."""
    root = project.styles.resolve()
    path = (root / name).resolve()
    return path if path.is_relative_to(root) and path.is_file() else None


def check_stylesheet(project: Project, stylesheet: str, problems: Problems) -> Path | None:
    """The stylesheet exists and every file it references (fonts) is in styles/."""
    path = project.styles / stylesheet
    shown = project.shown(path)
    if not path.is_file():
        problems.add(shown, None, "", "stylesheet is missing")
        return None
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        for target in _FONT_URL.findall(line):
            if not (project.styles / target).is_file():
                problems.add(shown, number, "url", f"{target} is missing from styles/ (fonts are part of the project)")
    return path
