"""Run a build: load and validate everything, render every target in memory, then publish.

Nothing is written until every target has rendered, so a failed build leaves out/
exactly as it was.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import jinja2

from . import assets
from .editions import build_date, check_internal_links, editions, toolkit_outline
from .errors import Problems
from .i18n import localize, translator_for, untranslated
from .load import load_toolkit
from .project import SOURCE_LANGUAGE, Project
from .publish import Artifact, artifact, publish
from .render import render_html
from .writers import FORMATS, writer


@dataclass
class BuildReport:
    artifacts: list[Artifact] = field(default_factory=list)
    fallbacks: dict[str, list[str]] = field(default_factory=dict)   # lang -> keys shown in English
    warnings: list[str] = field(default_factory=list)


def build(project: Project, out: Path, langs: list[str] | None = None, formats: list[str] | None = None,
          progress: Callable[[str], None] = lambda message: None, release: bool = False) -> BuildReport:
    """Build the editions. A release refuses any locale that is not completely translated."""
    formats = formats or list(FORMATS)
    problems = Problems()
    toolkit, translators = prepare(project, langs, problems, release)
    for fmt in formats:
        if writer(fmt).STYLESHEET:
            assets.check_stylesheet(project, writer(fmt).STYLESHEET, problems)
    problems.raise_if_any()
    localized = {lang: localize(toolkit, translator) for lang, translator in translators.items()}
    for lang, model in localized.items():
        if lang != SOURCE_LANGUAGE:
            check_internal_links(model, problems, project.shown(project.po_file(lang)))
    problems.raise_if_any()

    report = BuildReport()
    files: list[tuple[Artifact, bytes]] = []
    for lang, translator in translators.items():
        for edition in editions(toolkit):
            html = _render(project, edition, localized[lang], translator, problems)
            if html is None:
                continue
            for fmt in formats:
                path = edition.filename(toolkit, lang, fmt)
                progress(f"rendering {path}")
                output = writer(fmt).write(project, html)
                report.warnings += [f"{path}: {w}" for w in output.warnings]
                files.append((artifact(path, lang, edition.kind, edition.id, fmt, output.data, output.pages),
                              output.data))
        if translator.fallbacks:
            report.fallbacks[lang] = sorted(set(translator.fallbacks))
    problems.raise_if_any()
    publish(out, files)
    report.artifacts = [item for item, _ in files]
    return report


def prepare(project: Project, langs: list[str] | None, problems: Problems, release: bool = False):
    """Load and validate the content and the requested locales' catalogs."""
    toolkit = load_toolkit(project)
    check_internal_links(toolkit, problems)
    available = project.languages()
    langs = langs or available
    for lang in langs:
        if lang not in available:
            problems.add(project.shown(project.locales), None, "--locale",
                         f"no locale {lang!r} (available: {', '.join(available)})")
    problems.raise_if_any()
    translators = {lang: translator_for(project, lang, problems) for lang in langs}
    if release:
        _release_checks(project, toolkit, translators, problems)
    problems.raise_if_any()
    return toolkit, translators


def _release_checks(project: Project, toolkit, translators, problems: Problems) -> None:
    from .check import ERROR, run_checks   # a release must pass the editorial checks

    for finding in run_checks(project, [lang for lang in translators if lang != SOURCE_LANGUAGE]):
        if finding.severity == ERROR:
            problems.add(finding.file, finding.line, "--release", f"{finding.message} ({finding.code})")
    for lang, translator in translators.items():
        missing = untranslated(project, toolkit, translator)
        if missing:
            problems.add(project.shown(project.po_file(lang)), None, "--release",
                         f"{len(missing)} strings untranslated or fuzzy: " + ", ".join(missing))


def edition_html(project: Project, lang: str, edition_id: str = "toolkit") -> str:
    """The HTML of one edition in one language, as every writer receives it."""
    problems = Problems()
    toolkit, translators = prepare(project, [lang], problems)
    edition = next(e for e in editions(toolkit) if e.id == edition_id)
    html = _render(project, edition, localize(toolkit, translators[lang]), translators[lang], problems)
    problems.raise_if_any()
    return html


def _render(project: Project, edition, toolkit, translator, problems: Problems) -> str | None:
    try:
        return render_html(project, edition.template, toolkit, translator, toc=toolkit_outline(toolkit),
                           edition_id=edition.id, build_date=build_date(toolkit))
    except jinja2.TemplateNotFound as error:
        problems.add(project.shown(project.templates / error.name), None, "", "template is missing")
    except jinja2.TemplateSyntaxError as error:
        problems.add(project.shown(project.templates / (error.name or edition.template)), error.lineno, "",
                     f"template error: {error.message}")
    return None
