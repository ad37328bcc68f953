"""The live preview (`build.py preview`): every edition in every language as HTML, kept
current while content/, locales/, templates/ and styles/ are edited.

A change re-renders only what it touches: a PO file, its language's editions; a YAML
file or a template, every language (rendering all of them costs a few tenths of a
second; the PDFs are what is expensive). Open pages reload by server-sent events
(digin/serve.py); the PDFs of the pages being looked at, and of those asked for, are
rebuilt in the background (digin/background.py).

A bad edit leaves the last good HTML in place: its problems, located as a build reports
them, are shown on every page until the file is fixed. The HTML is the one the writers
receive, rendered with two extra attributes on the English stand-ins of a draft
(`data-digin-key`, `data-digin-state`) for the translator's view; `writer_html` removes
them, giving the build's HTML byte for byte.
"""
from __future__ import annotations

import re
import threading
import time
import traceback
from dataclasses import dataclass, field
from pathlib import Path

import jinja2
from markupsafe import Markup

from ..dates import build_date
from ..editions import Edition, editions, refuse_bad_links
from ..errors import ContentError, Problem, Problems
from ..i18n import Translator, translator_for
from ..load import load_toolkit
from ..model import Toolkit
from ..plan import localize_all
from ..render import render_edition
from ..project import Project, posix_name
from ..render import environment
from ..text import Text

# The attributes the preview adds to a string shown in English in another language's
# page; nothing else differs from the writers' HTML.
MARKS = re.compile(r' data-digin-key="[^"]*" data-digin-state="(?:fuzzy|untranslated)"')
WATCHED = ("content", "locales", "templates", "styles")
# styles/ files that the PDFs read: a change restarts the PDF worker (it caches them).
PDF_ASSETS = re.compile(r"(design-tokens\.css|print\.css|fonts/.*|[^/]*\.svg)")


def writer_html(html: str) -> str:
    """A preview page's HTML as the writers receive it (the preview's marks removed)."""
    return MARKS.sub("", html)


@dataclass
class Page:
    """One edition in one language, as the preview serves it."""

    url: str                 # "/nl/digin-d2.2-toolkit-nl.html"
    edition: Edition
    lang: str
    title: str
    html: str                # with the preview's marks
    pdf: str | None          # the path of its PDF in out/, if it has one
    position: int = 0        # its edition's place in content/editions.yaml's order


@dataclass
class Change:
    """What a set of changed files touches."""

    everything: bool = False            # content/ or templates/: every language
    langs: set[str] = field(default_factory=set)     # locales/<lang>.po
    styles: set[str] = field(default_factory=set)    # names under styles/

    @property
    def pdf_assets(self) -> bool:
        return any(PDF_ASSETS.fullmatch(name) for name in self.styles)


def classify(project: Project, paths: set[Path]) -> Change:
    change = Change()
    for path in paths:
        try:
            folder, *rest = path.resolve().relative_to(project.root.resolve()).parts
        except ValueError:
            continue
        name = "/".join(rest)
        if not rest or any(part.startswith(".") for part in rest):   # editors' hidden swap files
            continue
        if folder == "content" and name.endswith(".yaml") or folder == "templates" and name.endswith(".j2"):
            change.everything = True
        elif folder == "locales" and name.endswith(".po") and len(rest) == 1:
            change.langs.add(posix_name(name[:-len(".po")]))   # nl-BE.po is nl_BE
        elif folder == "styles":
            change.styles.add(name)
    return change


def marking_environment(project: Project, translator: Translator) -> jinja2.Environment:
    """The language's environment of render.py, whose English stand-ins (the spans
    render.py marks lang="en") also carry their key and whether the entry is fuzzy or
    missing."""
    env = environment(project, translator)
    if translator.entries is None:    # the source language has no stand-ins
        return env
    finalize, md = env.finalize, env.filters["md"]

    def state(value: Text) -> str:
        entry = translator.entries.get((value.key, str(value))) or translator.entries.get((None, value.key))
        return "fuzzy" if entry is not None and entry.fuzzy else "untranslated"

    def mark(value, html):
        opening = f'<span lang="{value.lang}">' if isinstance(value, Text) else None
        if opening and value.lang != translator.lang and isinstance(html, Markup) and html.startswith(opening):
            marked = Markup('<span lang="{}" data-digin-key="{}" data-digin-state="{}">').format(
                value.lang, value.key, state(value))
            return marked + Markup(html[len(opening):])
        return html

    env.finalize = lambda value: mark(value, finalize(value))
    env.filters["md"] = lambda text: mark(text, md(text))
    return env


class Preview:
    """The rendered pages and the problems of the current files; `refresh` brings them up
    to date after a change. Readers (the server's threads) see whole dictionaries: each
    refresh replaces them rather than changing them in place."""

    def __init__(self, project: Project, langs: list[str] | None = None):
        self.project = project
        self.requested = list(langs) if langs else None
        self.pages: dict[str, Page] = {}
        self.problems: dict[str, list[Problem]] = {}    # by what found them: "content", "po nl", "render nl"
        self.toolkit: Toolkit | None = None
        self.entries: dict[str, dict | None] = {}       # lang -> its catalog's entries (the last good one)
        self.lock = threading.Lock()

    def langs(self) -> list[str]:
        available = self.project.languages()
        return [lang for lang in self.requested if lang in available] if self.requested else available

    def check_requested(self) -> None:
        """Refuse a --locale that has no PO file, as `build` does."""
        available = self.project.languages()
        unknown = [lang for lang in self.requested or () if lang not in available]
        if unknown:
            raise ContentError([Problem(self.project.shown(self.project.locales), None, "--locale",
                                        f"no locale {lang!r} (available: {', '.join(available)})")
                                for lang in unknown], summary="the preview did not start.")

    def start(self) -> None:
        self.refresh(Change(everything=True, langs=set(self.langs())))

    def problem_lines(self) -> list[str]:
        """Every current problem once, as `file:line: field: message`."""
        found = [problem for problems in dict(self.problems).values() for problem in problems]
        return list(dict.fromkeys(str(problem) for problem in sorted(found, key=lambda p: (p.file, p.line or 0))))

    def source_date_epoch(self) -> str:
        return str(int(build_date(self.toolkit).timestamp())) if self.toolkit else "0"

    def refresh(self, change: Change) -> set[str]:
        """Re-read and re-render what `change` touches; the URLs whose HTML changed."""
        with self.lock:
            langs = self.langs()
            if change.everything:
                self._load_content()
                for lang in langs:
                    if lang not in self.entries:
                        change.langs.add(lang)
            for lang in sorted(change.langs & set(langs)):
                self._load_catalog(lang)
            if self.toolkit is None or "content" in self.problems:
                return set()
            pages = dict(self.pages)
            changed = set()
            for lang in (langs if change.everything else sorted(change.langs & set(langs))):
                if f"po {lang}" not in self.problems and lang in self.entries:
                    changed |= self._render_language(lang, pages)
            self.pages = dict(sorted(pages.items(), key=lambda item: self._order(item[1])))
            return changed

    def _order(self, page: Page) -> tuple:
        langs = self.langs()
        return (langs.index(page.lang) if page.lang in langs else len(langs), page.position)

    def _load_content(self) -> None:
        problems = Problems()
        try:
            toolkit = load_toolkit(self.project)
            refuse_bad_links(toolkit, problems)
            problems.raise_if_any()
        except ContentError as error:
            self.problems["content"] = error.problems
            return
        self.toolkit = toolkit
        self.problems.pop("content", None)

    def _load_catalog(self, lang: str) -> None:
        problems = Problems()
        try:
            translator = translator_for(self.project, lang, problems)
            problems.raise_if_any()
        except ContentError as error:
            self.problems[f"po {lang}"] = error.problems
            return
        self.entries[lang] = translator.entries
        self.problems.pop(f"po {lang}", None)

    def _render_language(self, lang: str, pages: dict[str, Page]) -> set[str]:
        """Render every edition in `lang` into `pages`; the URLs whose HTML changed."""
        toolkit, translator = self.toolkit, Translator(lang, self.entries[lang])
        problems = Problems()
        all_editions = editions(toolkit)
        base_url = getattr(toolkit.deliverable, "publication_url", None)
        rendered = {}
        try:
            localized = localize_all(self.project, toolkit, {lang: translator})[lang]
            env = marking_environment(self.project, translator)
            for position, edition in enumerate(all_editions):
                html = render_edition(self.project, env, edition, all_editions, toolkit, localized, lang, base_url,
                                      problems)
                if html is not None:
                    rendered[page_url(toolkit, edition, lang)] = Page(
                        page_url(toolkit, edition, lang), edition, lang, edition.title(localized), html,
                        edition.filename(toolkit, lang, "pdf") if "pdf" in edition.formats else None, position)
            problems.raise_if_any()
        except ContentError as error:
            self.problems[f"render {lang}"] = error.problems
            return set()
        except jinja2.TemplateError as error:   # e.g. an undefined name: located in its template
            self.problems[f"render {lang}"] = [template_problem(self.project, error)]
            return set()
        self.problems.pop(f"render {lang}", None)
        gone = {url for url, page in pages.items() if page.lang == lang and url not in rendered}
        for url in gone:
            del pages[url]
        changed = {url for url, page in rendered.items() if url not in pages or pages[url].html != page.html}
        pages.update(rendered)
        return changed | gone


def page_url(toolkit: Toolkit, edition: Edition, lang: str) -> str:
    """Where the preview serves an edition: its path in out/, as .html."""
    path = edition.filename(toolkit, lang, edition.formats[0])
    return "/" + path.rsplit(".", 1)[0] + ".html"


def template_problem(project: Project, error: jinja2.TemplateError) -> Problem:
    """A template's run-time error, at the template line Jinja's traceback gives."""
    templates = str(project.templates.resolve())
    frames = [frame for frame in traceback.extract_tb(error.__traceback__)
              if str(Path(frame.filename).resolve()).startswith(templates)]
    if frames:
        return Problem(project.shown(Path(frames[-1].filename)), frames[-1].lineno, "",
                       f"template error: {error.message}")
    return Problem(project.shown(project.templates), None, "", f"template error: {error.message}")


def run(project: Project, langs: list[str] | None, host: str, port: int, on_ready=lambda url: None,
        log=lambda line: None) -> None:
    """Serve the preview until Ctrl-C (or SIGTERM): every thread and worker process is
    stopped on the way out, and nothing is left on disk."""
    from watchfiles import watch

    from .background import PdfBuilder
    from .serve import Hub, make_server

    preview = Preview(project, langs)
    preview.check_requested()
    preview.start()
    for line in preview.problem_lines():
        log(f"problem: {line}")
    hub = Hub()
    pdfs = PdfBuilder(project, on_done=lambda path, state: hub.publish("pdf", {"path": path, "state": state}),
                      priority=lambda: {page.pdf for url, page in preview.pages.items() if url in hub.watched()})
    server = make_server(preview, hub, pdfs, host, port)
    stop = threading.Event()

    def watch_files() -> None:
        folders = [project.root / name for name in WATCHED if (project.root / name).is_dir()]
        for changes in watch(*folders, stop_event=stop, step=30, debounce=400, rust_timeout=500,
                             yield_on_timeout=False, raise_interrupt=False):
            change = classify(project, {Path(path) for _kind, path in changes})
            for line in apply_change(preview, hub, pdfs, change):
                log(line)

    watcher = threading.Thread(target=watch_files, name="digin-preview-watch", daemon=True)
    serving = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.2},
                               name="digin-preview-http", daemon=True)
    try:
        pdfs.start()
        watcher.start()
        serving.start()
        shown = f"[{host}]" if ":" in host else host
        if not server.loopback:
            log(f"warning: listening on {host}: anyone who can reach this machine sees the drafts")
        on_ready(f"http://{shown}:{server.server_address[1]}/")
        while serving.is_alive():
            serving.join(0.5)
    finally:
        stop.set()
        hub.close()
        if serving.is_alive():
            server.shutdown()
        server.server_close()
        pdfs.stop()
        if watcher.is_alive():
            watcher.join(5)


def apply_change(preview: Preview, hub, pdfs, change: Change) -> list[str]:
    """Bring the pages up to date, reload the open ones it touched, queue their PDFs;
    what happened, in a line or a few."""
    started = time.perf_counter()
    before = preview.problem_lines()
    changed = preview.refresh(change) if change.everything or change.langs else set()
    problems = preview.problem_lines()
    if change.styles:
        hub.publish("reload", {"full": True}, None)     # the stylesheets too
    elif problems != before:
        hub.publish("reload", {"full": False}, None)    # the problems' banner: every page
    elif changed:
        hub.publish("reload", {"full": False}, changed | {"/"})
    if change.pdf_assets:
        pdfs.restart()
    for url in changed:
        page = preview.pages.get(url)
        if page is not None and page.pdf:
            pdfs.update(page.pdf, writer_html(page.html), preview.source_date_epoch())
    took = f"{time.perf_counter() - started:.2f} s"
    lines = [f"problem: {line}" for line in problems if line not in before]
    if before and not problems:
        lines.append(f"fixed: every problem is gone ({took})")
    if changed:
        lines.append(f"updated {len(changed)} page{'s' if len(changed) != 1 else ''} in {took}: "
                     + ", ".join(sorted(changed)[:4]) + (" …" if len(changed) > 4 else ""))
    elif change.styles:
        lines.append("styles/ changed: pages reloaded" + (", PDFs rebuilt" if change.pdf_assets else ""))
    return lines
