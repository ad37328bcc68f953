"""PDF writer: WeasyPrint, tagged PDF/UA-1, fonts and images only from styles/."""
from __future__ import annotations

import atexit
import functools
import logging
import re

from .. import assets
from ..project import Project
from . import Output, paging, printmarks

MEDIA_TYPE = "application/pdf"
LIBRARIES = ("weasyprint", "pydyf", "fonttools")   # their versions are part of the fingerprints
ORDER = 1                 # its place among the formats (CLI, download page)
COST = 3                  # relative render time, for scheduling (the longest first)
STYLESHEET = "print.css"
STYLESHEETS = ("design-tokens.css", STYLESHEET)   # in this order: print.css uses the tokens' var(--…)
ASSETS = ("design-tokens.css", "print.css", "fonts/*", "*.svg")   # what the rendering reads from styles/


class RenderLog(logging.Handler):
    """Collects WeasyPrint's warnings and errors, which it only logs, as build problems."""

    def __init__(self):
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record):
        self.messages.append(record.getMessage())


@functools.lru_cache(maxsize=4)
def _resources(root):
    """Font configuration, parsed stylesheets and image cache, reused across renders in one process."""
    from weasyprint import CSS
    from weasyprint.text.fonts import FontConfiguration

    project = Project(root)
    fonts = FontConfiguration()
    sheets = [CSS(filename=str(project.styles / name), font_config=fonts, url_fetcher=assets.fetcher(project))
              for name in STYLESHEETS]
    return fonts, sheets, {}   # the last: WeasyPrint's image cache (the emblem is parsed once)


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
    from weasyprint import HTML

    fonts, sheets, images = _resources(project.root)
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
