"""PDF writer: WeasyPrint, tagged PDF/UA-1, fonts and images only from styles/."""
from __future__ import annotations

import atexit
import contextlib
import ctypes.util
import functools
import logging
import re
import sys

from .. import assets
from ..fonts import faces, font_face_rules, font_stack
from ..project import Project
from . import Output, paging, printmarks

MEDIA_TYPE = "application/pdf"
LIBRARIES = ("weasyprint", "pydyf", "fonttools")   # their versions are part of the fingerprints
ORDER = 1                 # its place among the formats (CLI, download page)
COST = 3                  # relative render time, for scheduling (the longest first)
STYLESHEET = "print.css"
TOKENS = "design-tokens.css"
ASSETS = (TOKENS, STYLESHEET, "fonts.yaml", "fonts/*", "*.svg")   # what the rendering reads from styles/


class RenderLog(logging.Handler):
    """Collects WeasyPrint's warnings and errors, which it only logs, as build problems."""

    def __init__(self):
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record):
        self.messages.append(record.getMessage())


def stylesheets(project: Project, font_config) -> list:
    """The design tokens, the fonts of styles/fonts.yaml (each script's, in its order), then
    print.css, which uses the tokens' var(--…)."""
    from weasyprint import CSS

    fetcher = assets.fetcher(project)
    declared = faces(project)
    fonts = font_face_rules(declared) + f"html {{ font-family: {font_stack(declared)}; }}\n"
    return [CSS(filename=str(project.styles / TOKENS), font_config=font_config, url_fetcher=fetcher),
            CSS(string=fonts, base_url=project.styles.as_uri() + "/", font_config=font_config, url_fetcher=fetcher),
            CSS(filename=str(project.styles / STYLESHEET), font_config=font_config, url_fetcher=fetcher)]


@contextlib.contextmanager
def _sonames_only():
    """On Linux, no ctypes.util.find_library while WeasyPrint loads Pango and co. It tries
    several names per library, and cffi asks find_library about each name that does not
    load, which runs ldconfig, gcc and ld: some 50 processes, 0.2-0.3 s of every worker's
    start (Kozea/WeasyPrint#1125). The sonames, which it tries too, load without them."""
    if not sys.platform.startswith("linux"):
        yield
        return
    search = ctypes.util.find_library
    ctypes.util.find_library = lambda name: None
    try:
        yield
    finally:
        ctypes.util.find_library = search


@functools.lru_cache(maxsize=4)
def _resources(root):
    """Font configuration, parsed stylesheets and image cache, reused across renders in one process."""
    with _sonames_only():
        from weasyprint.text.fonts import FontConfiguration

    font_config = FontConfiguration()
    return font_config, stylesheets(Project(root), font_config), {}   # the last: WeasyPrint's image cache


def _absolute_images(project: Project, html: str) -> str:
    """Images are project assets (styles/): give WeasyPrint their full file URL."""
    base = project.styles.as_uri() + "/"
    return re.sub(r'(<img\b[^>]*\bsrc=")(?![a-z]+:)', lambda m: m.group(1) + base, html)


def warm_up(project: Project) -> None:
    """Import WeasyPrint and parse the stylesheet before the first target arrives."""
    _resources(project.root)


# Release the font configuration while the interpreter still works (its __del__ needs it).
atexit.register(_resources.cache_clear)


def write(project: Project, html: str) -> Output:
    """Render HTML to a tagged PDF, with its page count and the renderer's warnings."""
    fonts, sheets, images = _resources(project.root)   # first: it imports WeasyPrint
    from weasyprint import HTML

    html = _absolute_images(project, printmarks.prepare(html))
    log = RenderLog()
    logger = logging.getLogger("weasyprint")
    logger.addHandler(log)
    paging.install()
    try:
        # No base URL: links between the artifacts of out/ stay relative in the PDF.
        with paging.Mender() as mender:
            document = HTML(string=html, url_fetcher=assets.fetcher(project)).render(
                stylesheets=sheets, font_config=fonts, pdf_variant="pdf/ua-1", cache=images)
        logging.getLogger(__name__).debug("mended in %d rounds: %s", mender.rounds, mender.mended)
        pdf = document.write_pdf(pdf_variant="pdf/ua-1")
    finally:
        logger.removeHandler(log)
    return Output(pdf, len(document.pages), log.messages)
