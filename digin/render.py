"""Render one edition of the toolkit in one language to semantic HTML (Jinja2).

Content strings are never templates: they reach the HTML only through the `md` filter
(inline markup, raw HTML off) or Jinja's autoescape. Their citations by key, the
glossary's citations (`cite`) and the reference list (`bibliography`) are made by the
toolkit's bibliography in the edition's language (digin/bibliography.py).
"""
from __future__ import annotations

import os

import jinja2
from babel import Locale
from babel.dates import format_date
from markupsafe import Markup

from . import markup
from .assets import FileRefused, read_project_file
from .collation import sort_key
from .dates import build_date
from .bibliography import Bibliography, bibliography, csl_files
from .cache import remembered
from .editions import Edition, link, toolkit_outline
from .errors import ContentError, Problem, Problems
from .i18n import Translator
from .limits import project_limits
from .model import Citation, Toolkit
from .project import Project, language_tag, text_direction
from .text import Text


class Citations:
    """The citations of the toolkit being rendered (render_html sets its references), in
    one language; the CSL files are read, and the bibliography made, at the first citation."""

    def __init__(self, project: Project, lang: str, missing_link_label):
        self.project, self.lang, self.missing_link_label = project, lang, missing_link_label
        self.references = None
        self.files = None

    def bibliography(self, references=None) -> Bibliography | None:
        references = references or self.references
        if references is None:   # a page that is not an edition of the toolkit
            return None
        if self.files is None:
            self.files = csl_files(self.project, self.lang)
        return bibliography(references, self.files, self.lang)

    def cite(self, cite: markup.Cite) -> Markup | None:
        """A citation by key in a string; None (shown as written) if it names no work."""
        works = self.bibliography()
        if works is None:
            return None
        return works.narrative(cite.citations[0]) if cite.narrative else works.cite(cite.citations)

    def parenthetical(self, citations: tuple[Citation, ...]) -> Markup:
        """The glossary's citations of a term; nothing if they name no work."""
        works = self.bibliography()
        return (works.cite(citations) if works else None) or Markup("")

    def entries(self, references) -> list:
        """(id, entry) of every reference, in the list's order."""
        return self.bibliography(references).listed(self.missing_link_label())


class _SharedBytecode(jinja2.BytecodeCache):
    """Compiled templates kept in memory and shared by every language's environment:
    each template is compiled once per process, not once per language."""

    def __init__(self):
        self.store: dict[str, bytes] = {}

    def load_bytecode(self, bucket) -> None:
        if bucket.key in self.store:
            bucket.bytecode_from_string(self.store[bucket.key])

    def dump_bytecode(self, bucket) -> None:
        self.store[bucket.key] = bucket.bytecode_to_string()


_BYTECODE = _SharedBytecode()


class _Environment(jinja2.Environment):
    """Jinja's parsing and code generation of our templates, 0.065 s in every process that
    renders, kept between runs (digin/cache.py) by the template's name and text: the
    Python it generates depends on nothing else but the code that sets up the
    environment. Compiling that Python takes 0.012 s, with this checkout's file name (so
    a traceback points into its own templates/)."""

    def compile(self, source, name=None, filename=None, raw=False, defer_init=False):
        if raw or defer_init or not isinstance(source, str):
            return super().compile(source, name, filename, raw, defer_init)
        python = remembered("templates", (name, source), ("jinja2",),
                            lambda: super(_Environment, self).compile(source, name, filename, raw=True))
        return self._compile(python, filename or "<template>")


class _ProjectTemplates(jinja2.BaseLoader):
    """The templates of templates/, read like every project file: confined to the folder,
    regular files only, bounded in size."""

    def __init__(self, project: Project):
        self.project = project

    def get_source(self, environment, template: str):
        path = self.project.templates.joinpath(*jinja2.loaders.split_template_path(template))
        try:
            data = read_project_file(self.project, path, project_limits(self.project).file_bytes.templates)
        except FileRefused as error:
            if error.problem.message == "file is missing":
                raise jinja2.TemplateNotFound(template) from None
            raise
        try:
            source = data.decode("utf-8")
        except UnicodeDecodeError as error:
            problem = Problem(self.project.shown(path), None, "", f"not valid UTF-8 (byte {error.start})")
            raise ContentError([problem]) from None
        read = _modified(path)
        return source, str(path), lambda: _modified(path) == read


def _modified(path) -> int | None:
    try:
        return os.stat(path).st_mtime_ns
    except OSError:
        return None


def environment(project: Project, translator: Translator) -> jinja2.Environment:
    lang = translator.lang

    def in_language(value, html=None):
        """Mark text that is not in the edition's language (a draft's English fallback)."""
        if isinstance(value, Text) and value.lang != lang:
            # English in a right-to-left edition reads left to right, set apart (dir).
            own = text_direction(value.lang)
            direction = Markup(' dir="{}"').format(own) if own != text_direction(lang) else ""
            return Markup('<span lang="{}"{}>{}</span>').format(language_tag(value.lang), direction,
                                                               html if html is not None else value)
        return html if html is not None else value

    env = _Environment(
        loader=_ProjectTemplates(project),
        bytecode_cache=_BYTECODE,
        finalize=in_language,
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
    )
    # Our gettext returns plain str, so translations are autoescaped like any text
    # (Jinja's own newstyle gettext would mark them safe).
    # Templates write `lang` into the HTML (hence EPUB, PDF and DOCX): a BCP 47 tag, nl-BE.
    env.globals.update(_=translator.gettext, gettext=translator.gettext, lang=language_tag(translator.lang),
                       direction=text_direction(translator.lang))   # <html dir="rtl"> for Arabic
    locale = Locale.parse(translator.lang)
    dates = Locale.parse(markup.dates_locale(translator.lang))
    collated = sort_key(translator.lang)
    labels: dict[str, str] = {}

    def missing_link_label() -> str:
        # The marker of a link whose target is lost is a UI string of the templates.
        if "missing_link" not in labels:
            labels["missing_link"] = env.get_template("macros.html.j2").module.missing_link_note()
        return labels["missing_link"]
    citations = Citations(project, translator.lang, missing_link_label)
    env.extend(citations=citations)
    env.filters.update(
        md=lambda text: in_language(text, markup.to_html(text, missing_link_label(), citations.cite)),
        plain=markup.to_text,
        date=lambda value: format_date(value, "long", locale=dates),   # CLDR's: "31. März 2026"
        language_name=lambda code: locale.languages.get(code, code),
        direction=text_direction,
        cite=citations.parenthetical,
        bibliography=citations.entries,
        collate=lambda items, field: sorted(items, key=lambda item: collated(markup.to_text(getattr(item, field)))),
    )
    return env


def render_html(env: jinja2.Environment, template: str, toolkit: Toolkit, lang: str, **extra) -> str:
    """Render one template; `env` is the language's environment (its templates compile once)."""
    env.citations.references = toolkit.references
    return env.get_template(template).render(toolkit=toolkit, lang=language_tag(lang), **extra)


def template_problem(project: Project, error: jinja2.TemplateError, template: str, problems: Problems) -> None:
    """Report a missing template, or a syntax error in one, as a build problem."""
    if isinstance(error, jinja2.TemplateSyntaxError):
        problems.add(project.shown(project.templates / (error.name or template)), error.lineno, "",
                     f"template error: {error.message}")
    else:
        problems.add(project.shown(project.templates / (error.name or template)), None, "", "template is missing")


def retarget_links(html: str, document_url: str) -> str:
    """Point internal links whose target is not in this document (a glossary term cited in
    a handout) to the same id in the full toolkit, which holds every id."""
    from lxml import html as lxml_html

    root = lxml_html.document_fromstring(html)
    ids = set(root.xpath("//@id"))
    changed = False
    for anchor in root.xpath("//a[starts-with(@href, '#')]"):
        if anchor.get("href")[1:] not in ids:
            anchor.set("href", document_url + anchor.get("href"))
            changed = True
    if not changed:
        return html
    return "<!DOCTYPE html>\n" + lxml_html.tostring(root, encoding="unicode")


def render_edition(project: Project, env, edition: Edition, all_editions: list[Edition], toolkit: Toolkit,
                   localized: Toolkit, lang: str, base_url: str | None, problems: Problems) -> str | None:
    """The HTML of one edition in one language, links to other files made by `link`."""
    here = edition.filename(toolkit, lang, edition.formats[0])
    by_key = {(e.kind, e.id): e for e in all_editions}
    holder = next((e for e in all_editions if e.holds_every_id), None)

    def href(kind: str, item_id: str, fmt: str = "pdf") -> str:
        return link(here, by_key[(kind, item_id)].filename(toolkit, lang, fmt), base_url)

    try:
        html = markup.typographic_html(render_html(env, edition.template, localized, lang, toc=toolkit_outline(localized),
                                            edition_id=edition.id, build_date=build_date(toolkit),
                                            item=edition.item(localized), href=href))
        if holder is None or edition == holder:
            return html
        return retarget_links(html, link(here, holder.filename(toolkit, lang, holder.formats[0]), base_url))
    except (jinja2.TemplateNotFound, jinja2.TemplateSyntaxError) as error:
        template_problem(project, error, edition.template, problems)
    return None
