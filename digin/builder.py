"""Run a build: load and validate everything, plan the targets, render the changed ones
in worker processes, then publish them and the download page.

Nothing is written before every input has been validated; files are only ever replaced
whole (digin/publish.py), so a failed or interrupted build leaves out/ as it was.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import jinja2

from . import assets
from .editions import build_date, check_links, editions, link, toolkit_outline
from .engine import Result, Workers
from .errors import ContentError, Problem, Problems
from .i18n import localize, translator_for, untranslated
from .load import load_toolkit
from .plan import (BuildOptions, Target, assets_digest, code_version, fingerprint, inputs_digest, read_state,
                   reason)
from .project import SOURCE_LANGUAGE, Project
from .publish import Artifact, artifact, publish
from .render import environment, render_html, retarget_links, template_problem
from .site import write_site
from .writers import FORMATS, writer


@dataclass
class BuildReport:
    built: list[Artifact] = field(default_factory=list)
    skipped: list[Target] = field(default_factory=list)
    failed: list[tuple[Target, str]] = field(default_factory=list)
    fallbacks: dict[str, list[str]] = field(default_factory=dict)   # lang -> keys shown in English
    warnings: list[str] = field(default_factory=list)
    results: list[Result] = field(default_factory=list)


@dataclass
class Plan:
    targets: list[Target]
    fallbacks: dict[str, list[str]]     # lang -> the strings it shows in English
    source_date_epoch: str              # the date stamped into every output
    toolkit: object = None              # the validated content (English)
    translators: dict = field(default_factory=dict)

    @property
    def todo(self) -> list[Target]:
        return [t for t in self.targets if t.reason != "unchanged"]


def make_plan(project: Project, out: Path, options: BuildOptions) -> Plan:
    """Every target with its fingerprint and why it would be built; nothing is written."""
    formats = options.formats or list(FORMATS)
    problems = Problems()
    toolkit, translators = prepare(project, options.langs, problems, options.release)
    for fmt in formats:
        if writer(fmt).STYLESHEET:
            assets.check_stylesheet(project, writer(fmt).STYLESHEET, problems)
    problems.raise_if_any()
    localized = {lang: localize(toolkit, translator) for lang, translator in translators.items()}
    for lang, model in localized.items():
        if lang != SOURCE_LANGUAGE:
            check_links(model, problems, project.shown(project.po_file(lang)))
    problems.raise_if_any()

    state = read_state(out)
    code = {fmt: code_version(fmt) for fmt in formats}
    envs = {lang: environment(project, translator) for lang, translator in translators.items()}
    asset_digests = {fmt: assets_digest(project, writer(fmt).ASSETS) for fmt in formats}
    all_editions = editions(toolkit)
    targets = []
    for lang, translator in translators.items():
        for edition in all_editions:
            wanted = [fmt for fmt in edition.formats if fmt in formats
                      and (not options.only or edition.filename(toolkit, lang, fmt) in options.only)]
            if not wanted:
                continue
            html = _render(project, envs[lang], edition, localized[lang], problems,
                           href=_linker(toolkit, all_editions, edition, lang, options.base_url))
            if html is None:
                continue
            for fmt in wanted:
                target = Target(edition.filename(toolkit, lang, fmt), lang, edition.kind, edition.id, fmt,
                                edition.title(localized[lang]), fingerprint(html, fmt, asset_digests[fmt], code[fmt]),
                                html=html)
                target.reason = reason(target, state, out, options.force)
                targets.append(target)
    problems.raise_if_any()
    if options.only:
        unknown = set(options.only) - {t.path for t in targets}
        if unknown:
            raise ContentError([Problem("--target", None, "", f"no such target: {path}") for path in sorted(unknown)])
    fallbacks = {lang: sorted(set(t.fallbacks)) for lang, t in translators.items() if t.fallbacks}
    return Plan(targets, fallbacks, str(int(build_date(toolkit).timestamp())), toolkit, translators)


def build(project: Project, out: Path, options: BuildOptions | None = None,
          on_done: Callable[[Result], None] = lambda result: None,
          on_start: Callable[[int], None] = lambda total: None, workers: Workers | None = None,
          inputs: str | None = None) -> BuildReport:
    """Build what changed; publish what was built (atomically), even if other targets failed.

    `workers`: a pool the caller started early (else one is started here); `inputs`: the
    digest of the inputs, if the caller took it already (before anything was read)."""
    options = options or BuildOptions()
    inputs = inputs or inputs_digest(project, options)
    with workers or Workers(project, max(1, options.jobs), tuple(options.formats or FORMATS)) as pool:
        plan = make_plan(project, out, options)
        report = BuildReport(fallbacks=plan.fallbacks, skipped=[t for t in plan.targets if t.reason == "unchanged"])
        on_start(len(plan.todo))
        report.results = pool.run(plan.todo, plan.source_date_epoch, on_done)
    files = []
    for result in report.results:
        target = result.target
        if result.output is None:
            report.failed.append((target, result.error))
            continue
        report.warnings += [f"{target.path}: {w}" for w in result.output.warnings]
        files.append((artifact(target.path, target.locale, target.kind, target.id, target.format,
                               result.output.data, result.output.pages, target.title),
                      result.output.data, target.fingerprint))
    publish(out, files, inputs if not report.failed else "")
    report.built = [item for item, _data, _fp in files]
    # The download page lists every language, whatever this build narrowed.
    translators = dict(plan.translators)
    problems = Problems()
    translators.update({lang: translator_for(project, lang, problems)
                        for lang in project.languages() if lang not in translators})
    write_site(project, out, translators, plan.toolkit)
    return report


def prepare(project: Project, langs: list[str] | None, problems: Problems, release: bool = False):
    """Load and validate the content and the requested locales' catalogs."""
    toolkit = load_toolkit(project)
    check_links(toolkit, problems)
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

    for finding in run_checks(project, [lang for lang in translators if lang != SOURCE_LANGUAGE], toolkit):
        if finding.severity == ERROR:
            problems.add(finding.file, finding.line, "--release", f"{finding.message} ({finding.code})")
    for lang, translator in translators.items():
        missing = untranslated(project, toolkit, translator)
        if missing:
            problems.add(project.shown(project.po_file(lang)), None, "--release",
                         f"{len(missing)} strings untranslated or fuzzy: " + ", ".join(missing))


def edition_html(project: Project, lang: str, edition_id: str = "toolkit", base_url: str | None = None) -> str:
    """The HTML of one edition in one language, as every writer receives it."""
    problems = Problems()
    toolkit, translators = prepare(project, [lang], problems)
    all_editions = editions(toolkit)
    edition = next(e for e in all_editions if e.id == edition_id)
    html = _render(project, environment(project, translators[lang]), edition, localize(toolkit, translators[lang]),
                   problems,
                   href=_linker(toolkit, all_editions, edition, lang, base_url))
    problems.raise_if_any()
    return html


def _linker(toolkit, all_editions, edition, lang: str, base_url: str | None):
    """href(kind, id, format): the link from this edition's file to another artifact."""
    here = edition.filename(toolkit, lang, edition.formats[0])
    by_key = {(e.kind, e.id): e for e in all_editions}

    def href(kind: str, item_id: str, fmt: str = "pdf") -> str:
        return link(here, by_key[(kind, item_id)].filename(toolkit, lang, fmt), base_url)

    return href


def _render(project: Project, env, edition, toolkit, problems: Problems, href) -> str | None:
    try:
        html = render_html(env, edition.template, toolkit, env.globals["lang"], toc=toolkit_outline(toolkit),
                           edition_id=edition.id, build_date=build_date(toolkit), item=edition.item(toolkit),
                           href=href)
        return html if edition.kind == "toolkit" else retarget_links(html, href("toolkit", "toolkit"))
    except (jinja2.TemplateNotFound, jinja2.TemplateSyntaxError) as error:
        template_problem(project, error, edition.template, problems)
    return None
