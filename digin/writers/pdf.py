"""PDF writer: WeasyPrint, tagged PDF/UA-1, fonts and images only from styles/."""
from __future__ import annotations

import atexit
import functools
import logging

from .. import assets
from ..project import Project
from . import Output

STYLESHEET = "print.css"


class RenderLog(logging.Handler):
    """Collects WeasyPrint's warnings and errors, which it only logs, as build problems."""

    def __init__(self):
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record):
        self.messages.append(record.getMessage())


@functools.lru_cache(maxsize=4)
def _resources(root):
    """Font configuration and parsed stylesheet, reused across renders in one process."""
    from weasyprint import CSS
    from weasyprint.text.fonts import FontConfiguration

    project = Project(root)
    fonts = FontConfiguration()
    css = CSS(filename=str(project.styles / STYLESHEET), font_config=fonts,
              url_fetcher=assets.fetcher(project))
    return fonts, css


# Release the font configuration while the interpreter still works (its __del__ needs it).
atexit.register(_resources.cache_clear)


def write(project: Project, html: str) -> Output:
    """Render HTML to a tagged PDF, with its page count and the renderer's warnings."""
    from weasyprint import HTML

    fonts, css = _resources(project.root)
    log = RenderLog()
    logger = logging.getLogger("weasyprint")
    logger.addHandler(log)
    try:
        document = HTML(string=html, base_url=project.styles.as_uri() + "/",
                        url_fetcher=assets.fetcher(project)).render(
            stylesheets=[css], font_config=fonts, pdf_variant="pdf/ua-1", cache={})
        pdf = document.write_pdf(pdf_variant="pdf/ua-1")
    finally:
        logger.removeHandler(log)
    return Output(pdf, len(document.pages), log.messages)
