"""The static download page: one HTML page per language, listing every file of out/manifest.json.

The page is plain HTML and CSS in out/ itself, with relative links only, so out/ works
opened from disk and copied as-is to any static host. Every page lists the files of
every language, its own language first.
"""
from __future__ import annotations

from dataclasses import dataclass

import jinja2
from babel import Locale
from babel.numbers import format_decimal
from babel.units import format_unit

from .assets import read_styles_file
from .editions import editions
from .errors import Problems
from .i18n import Translator, localize
from .load import load_toolkit
from .project import SOURCE_LANGUAGE, Project, language_tag
from .publish import MANIFEST
from .render import environment, template_problem
from .writers import FORMATS, media_type

TEMPLATE = "index.html.j2"
STYLESHEET = "site.css"
ASSETS = (STYLESHEET, "eu-emblem.svg")   # copied from styles/ to out/, next to the pages


@dataclass(frozen=True)
class File:
    """One manifest entry as the page shows it."""

    path: str
    title: str
    format: str
    bytes: int
    sha256: str
    pages: int | None

    @property
    def label(self) -> str:
        return self.format.upper()

    @property
    def media_type(self) -> str | None:
        return media_type(self.format) if self.format in FORMATS else None


@dataclass(frozen=True)
class LanguageFiles:
    """The files of one language, grouped by kind: [(kind, [File, ...]), ...]."""

    lang: str
    name: str
    groups: list[tuple[str, list[File]]]   # in editions.yaml's order, only kinds that have files


def page_name(lang: str) -> str:
    return "index.html" if lang == SOURCE_LANGUAGE else f"index.{lang}.html"


def language_name(code: str) -> str:
    """The language's name in that language ("Nederlands", "Italiano").

    Capitalised as CLDR asks for names in menus and headings (contextTransforms
    uiListOrMenu: titlecase-firstword); Babel gives the mid-sentence form ("italiano").
    """
    name = Locale.parse(code).get_display_name(code)
    return name[:1].upper() + name[1:]


def human_size(size: int, lang: str) -> str:
    """A file size in decimal units, written the language's way: "198.7 kB", "198,7 kB"."""
    for unit, factor in (("digital-megabyte", 1_000_000), ("digital-kilobyte", 1_000)):
        if size >= factor:
            return format_unit(size / factor, unit, length="short", format="#,##0.#", locale=lang)
    return format_unit(size, "digital-byte", length="short", locale=lang)


def site_files(project: Project, entries: list[dict], translators: dict[str, Translator],
               toolkit=None) -> dict[str, bytes]:
    """The download pages of the manifest `entries`: index.html (English),
    index.<lang>.html for every other language of `translators`, and the page's stylesheet
    and emblem, as {path relative to out/: bytes}, published with the files they list.
    `toolkit`: the content, if the caller has it loaded already."""
    problems = Problems()
    toolkit = toolkit or load_toolkit(project)
    kinds = [kind.kind for kind in toolkit.editions.editions]   # the page's groups, in this order
    if not entries:
        problems.add(MANIFEST, None, "", "no artifacts listed: build the editions first")
    for entry in entries:
        if entry["kind"] not in kinds:
            problems.add(MANIFEST, None, entry["path"], f"kind {entry['kind']!r} is not in content/editions.yaml: "
                                                        "the download page has no heading for it")
    problems.raise_if_any()

    # Files in the toolkit's own order (practices and modules as in content/), then any
    # file the content no longer declares, by path.
    position = {(e.kind, e.id): n for n, e in enumerate(editions(toolkit))}

    def order(entry: dict):
        item = position.get((entry["kind"], entry["id"]), len(position))
        fmt = FORMATS.index(entry["format"]) if entry["format"] in FORMATS else len(FORMATS)
        return item, entry["path"].rsplit(".", 1)[0], fmt   # an item's formats side by side

    files: dict[str, dict[str, list[File]]] = {}   # lang -> kind -> files
    for entry in sorted(entries, key=order):
        title = entry.get("title") or entry["path"].rsplit("/", 1)[-1]   # manifests before titles
        files.setdefault(entry["locale"], {}).setdefault(entry["kind"], []).append(
            File(entry["path"], title, entry["format"], entry["bytes"], entry["sha256"], entry.get("pages")))
    known = project.languages()

    def language_order(lang: str):   # English, then the project's locales, then any other
        return (known.index(lang) if lang in known else len(known), lang)

    file_langs = sorted(files, key=language_order)
    sections = {lang: LanguageFiles(language_tag(lang), language_name(lang), [(kind, files[lang][kind]) for kind in kinds
                                                                if kind in files[lang]])
                for lang in file_langs}
    page_langs = sorted(translators, key=language_order)
    switcher = [(language_tag(lang), language_name(lang), page_name(lang)) for lang in page_langs]

    pages: dict[str, bytes] = {}
    for lang in page_langs:
        translator = translators[lang]
        env = environment(project, translator)
        env.filters["filesize"] = lambda size, lang=lang: human_size(size, lang)
        env.filters["number"] = lambda value, lang=lang: format_decimal(value, locale=lang)
        own_first = [sections[other] for other in sorted(file_langs, key=lambda other: other != lang)]
        try:
            localized = localize(toolkit, translator)
            headings = {kind.kind: kind.heading for kind in localized.editions.editions}
            html = env.get_template(TEMPLATE).render(
                lang=language_tag(lang), toolkit=localized, languages=switcher, sections=own_first,
                headings=headings)
        except (jinja2.TemplateNotFound, jinja2.TemplateSyntaxError) as error:
            template_problem(project, error, TEMPLATE, problems)
            continue
        pages[page_name(lang)] = html.encode("utf-8")
    for name in ASSETS:
        if not (project.styles / name).exists():
            problems.add(project.shown(project.styles / name), None, "", "missing: the download page needs it")
            continue
        pages[name] = read_styles_file(project, name)   # a file in styles/, never one a link leads to
    problems.raise_if_any()
    return pages
