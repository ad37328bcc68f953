"""The build plan: one target per edition × language × format, each with a fingerprint
of exactly its inputs, so unchanged targets are skipped.

Made in four steps, each taking and returning plain data:
  validate (content + catalogs) -> localize (one model per language)
  -> render (one HTML per edition and language) -> targets (fingerprinted, per format).
Only `reasons()` looks at out/ (its build state and manifest), under the build's lock.

A target's inputs are its rendered HTML (which already holds the content it uses and
its language's translations, through the templates), the assets its writer reads, the
pipeline's code and the writer libraries' versions. Rendering HTML is cheap; rendering
PDF, EPUB or DOCX is what a skip saves.
"""
from __future__ import annotations

import functools
import hashlib
import json
import os
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Callable, Iterator

from . import assets, fonts
from .cache import library_versions
from .dates import build_date
from .editions import Edition, editions, refuse_bad_links
from .engine import usable_cores
from .errors import ContentError, Problem, Problems
from .i18n import Translator, localize, translator_for, untranslated
from .load import load_toolkit
from .model import Toolkit
from .project import SOURCE_LANGUAGE, Project
from .publish import damaged, read_manifest
from .render import environment, render_edition
from .state import read_state
from .writers import FORMATS, cost, library_names, private_files, writer

# Everything a build reads, for the no-op check: if none of it changed since the last
# successful build with the same options, nothing needs rendering at all.
INPUTS = (("content", "**/*.yaml"), ("locales", "*.po"), ("templates", "**/*"), ("styles", "**/*"),
          ("digin", "**/*.py"))
# The environment that changes the bytes of the outputs (the date stamped into them).
ENVIRONMENT = ("SOURCE_DATE_EPOCH",)
PACKAGE = Path(__file__).resolve().parent
NOT_BUILD_CODE = ("preview",)   # subpackages that builds never run: editing them rebuilds nothing
DIGEST_LIMIT = 50_000_000   # above every file limit of content/limits.yaml: the digest never reads more
# Every target's HTML goes through them.
SHARED_LIBRARIES = ("jinja2", "babel", "markdown-it-py", "citeproc-py", "pyicu-wheels")


@dataclass
class BuildOptions:
    langs: list[str] | None = None
    formats: list[str] | None = None
    release: bool = False
    base_url: str | None = None
    force: bool = False
    jobs: int = field(default_factory=usable_cores)
    only: list[str] | None = None        # target paths (a CI job builds one)

    def workers(self) -> int:
        """How many workers to start: no more than the targets asked for (each worker
        imports WeasyPrint, for nothing if no target is left for it)."""
        return max(1, min(self.jobs, len(self.only)) if self.only else self.jobs)

    def key(self) -> str:
        """What in the options changes the outputs (not force, not jobs)."""
        return json.dumps([self.langs, self.formats, self.release, self.base_url, self.only])


@dataclass
class Target:
    path: str            # relative to out/
    locale: str
    kind: str
    id: str
    format: str
    title: str
    fingerprint: str
    reason: str = "new"  # new | changed | damaged | forced | unchanged
    cost: float = field(default=1.0, repr=False)   # relative render time, for scheduling
    html: str = field(default="", repr=False)

    def as_job(self) -> dict:
        """The plan entry a CI system can fan out (`build --target PATH` builds one)."""
        entry = asdict(self)
        del entry["html"], entry["cost"]
        return entry


@dataclass
class Plan:
    targets: list[Target]
    fallbacks: dict[str, list[str]]     # lang -> the strings it shows in English
    source_date_epoch: str              # the date stamped into every output
    toolkit: Toolkit
    translators: dict[str, Translator]
    waived: list[dict] = field(default_factory=list)   # a release's waived findings (content/waivers.yaml)

    @property
    def todo(self) -> list[Target]:
        return [t for t in self.targets if t.reason != "unchanged"]


@dataclass
class Page:
    """One edition rendered in one language: the HTML every writer of it receives."""

    edition: Edition
    lang: str
    title: str
    html: str
    toolkit: Toolkit = field(repr=False)    # the English model (file names come from it)


@dataclass
class Prepared:
    """The content and catalogs validated, one localized model per language of the
    build: what every target is made from."""

    toolkit: Toolkit
    translators: dict[str, Translator]   # every language's (the download page lists them all)
    wanted: dict[str, Translator]        # the languages this build makes
    localized: dict[str, Toolkit]
    waived: list[dict]
    formats: list[str]

    @property
    def source_date_epoch(self) -> str:
        """The date stamped into every output."""
        return str(int(build_date(self.toolkit).timestamp()))


def prepare(project: Project, options: BuildOptions) -> Prepared:
    """Validate (and, for a release, gate) and localize: the steps before any rendering."""
    formats = options.formats or list(FORMATS)
    toolkit, translators = validate(project, options.langs, formats)
    wanted = {lang: translators[lang] for lang in options.langs or translators}
    waived = release_gate(project, toolkit, wanted) if options.release else []
    return Prepared(toolkit, translators, wanted, localize_all(project, toolkit, wanted), waived, formats)


def make_plan(project: Project, options: BuildOptions, prepared: Prepared | None = None,
              on_target: Callable[[Target], None] = lambda target: None) -> Plan:
    """Every target with its fingerprint; nothing in out/ is read (see `reasons`). Each
    target goes to `on_target` as soon as it is made, so that a worker can start on it
    while the rest of the plan is made."""
    prepared = prepared or prepare(project, options)
    paths = target_paths(prepared.toolkit, prepared.wanted, prepared.formats)
    unknown = set(options.only or ()) - set(paths)
    if unknown:                      # refused before anything is rendered
        raise ContentError([Problem("--target", None, "", f"no such target: {path}") for path in sorted(unknown)])
    inputs = {fmt: (assets_digest(project, writer(fmt).ASSETS), code_version(fmt)) for fmt in prepared.formats}
    made = {}
    for page in render_all(project, prepared.toolkit, prepared.localized, prepared.wanted, options):
        for target in page_targets(page, inputs, options.only):
            on_target(target)
            made[target.path] = target
    targets = [made[path] for path in paths if path in made]
    fallbacks = {lang: sorted(set(t.fallbacks)) for lang, t in prepared.wanted.items() if t.fallbacks}
    return Plan(targets, fallbacks, prepared.source_date_epoch, prepared.toolkit, prepared.translators,
                prepared.waived)


def validate(project: Project, langs: list[str] | None, formats: list[str]):
    """The content and every locale's catalog, loaded and checked — every one, not only
    those of `langs`: the download page lists every language. Returns (toolkit,
    translators of every language)."""
    problems = Problems()
    toolkit = load_toolkit(project)
    refuse_bad_links(toolkit, problems)
    available = project.languages()
    for lang in langs or ():
        if lang not in available:
            problems.add(project.shown(project.locales), None, "--locale",
                         f"no locale {lang!r} (available: {', '.join(available)})")
    problems.raise_if_any()
    translators = {lang: translator_for(project, lang, problems) for lang in available}
    fonts.check_coverage(project, toolkit, translators, problems)
    for fmt in formats:
        if writer(fmt).STYLESHEET:
            assets.check_stylesheet(project, writer(fmt).STYLESHEET, problems)
    problems.raise_if_any()
    return toolkit, translators


def release_gate(project: Project, toolkit: Toolkit, translators: dict[str, Translator]) -> list[dict]:
    """A release passes the editorial checks and is fully translated, or is refused; an
    error that content/waivers.yaml waives lets it pass. Returns the waived findings."""
    from .check import run_checks
    from .waivers import apply_waivers, as_record

    findings = run_checks(project, [lang for lang in translators if lang != SOURCE_LANGUAGE], toolkit)
    refused, waived = apply_waivers(project, findings)
    problems = Problems()
    problems.items += [replace(f, field="--release", message=f"{f.message} ({f.code})") for f in refused]
    for lang, translator in translators.items():
        missing = untranslated(project, toolkit, translator)
        if missing:
            problems.add(project.shown(project.po_file(lang)), None, "--release",
                         f"{len(missing)} strings untranslated or fuzzy: " + ", ".join(missing))
    problems.raise_if_any()
    return [as_record(finding, waiver) for finding, waiver in waived]


def localize_all(project: Project, toolkit: Toolkit, translators: dict[str, Translator]) -> dict[str, Toolkit]:
    """One model per language; a translation's links are checked like the source's."""
    problems = Problems()
    localized = {lang: localize(toolkit, translator) for lang, translator in translators.items()}
    for lang, model in localized.items():
        if lang != SOURCE_LANGUAGE:
            refuse_bad_links(model, problems, project.shown(project.po_file(lang)))
    problems.raise_if_any()
    return localized


def render_all(project: Project, toolkit: Toolkit, localized: dict[str, Toolkit],
               translators: dict[str, Translator], options: BuildOptions) -> Iterator[Page]:
    """The HTML of every edition in every language that the options ask for, one page at a
    time in `render_order`; the problems of every page are raised after the last."""
    problems = Problems()
    all_editions = editions(toolkit)
    # Links between files: absolute under the publication address (the option, else the
    # content's), so a file works once downloaded; relative when neither is known.
    base_url = options.base_url or toolkit.deliverable.publication_url
    environments = {}
    for lang, edition in render_order(list(translators), all_editions):
        if options.only and not any(edition.filename(toolkit, lang, fmt) in options.only for fmt in edition.formats):
            continue
        if lang not in environments:
            environments[lang] = environment(project, translators[lang])
        html = render_edition(project, environments[lang], edition, all_editions, toolkit, localized[lang], lang,
                              base_url, problems)
        if html is not None:
            yield Page(edition, lang, edition.title(localized[lang]), html, toolkit)
    problems.raise_if_any()


def render_order(langs: list[str], all_editions: list[Edition]) -> list[tuple[str, Edition]]:
    """(language, edition) in the order the plan renders them: the first language's quick
    editions (milliseconds of HTML each: the workers have work at once), then every
    language's editions, the costliest first (a toolkit's HTML takes a few tenths of a
    second, most of it its citations)."""
    costliest = max((edition.cost for edition in all_editions), default=0)
    quick = [(langs[0], e) for e in all_editions if e.cost < costliest] if langs else []
    by_cost = sorted(all_editions, key=lambda e: -e.cost)
    return quick + [(lang, e) for lang in langs for e in by_cost if (lang, e) not in quick]


def target_paths(toolkit: Toolkit, langs, formats: list[str]) -> list[str]:
    """Every target's path in the plan's order: by language, edition, then format."""
    return [edition.filename(toolkit, lang, fmt) for lang in langs for edition in editions(toolkit)
            for fmt in edition.formats if fmt in formats]


def page_targets(page: Page, inputs: dict[str, tuple[str, str]], only: list[str] | None) -> list[Target]:
    """One target per format of a page, with the fingerprint of its inputs (`inputs`: per
    format, the digests of its assets and its code)."""
    edition = page.edition
    targets = []
    for fmt in edition.formats:
        path = edition.filename(page.toolkit, page.lang, fmt)
        if fmt in inputs and not (only and path not in only):
            targets.append(Target(path, page.lang, edition.kind, edition.id, fmt, page.title,
                                  fingerprint(page.html, fmt, *inputs[fmt]), cost=cost(fmt, edition.cost),
                                  html=page.html))
    return targets


def reasons(targets: list[Target], out: Path, force: bool) -> None:
    """Why each target would be built, from out/'s build state and manifest."""
    known = read_state(out)["targets"]
    entries = [entry for entry in read_manifest(out) if entry.get("path") in known]
    broken = damaged(out, entries) | (set(known) - {entry["path"] for entry in entries})
    for target in targets:
        if force:
            target.reason = "forced"
        elif target.path not in known:
            target.reason = "new"
        elif target.path in broken:
            target.reason = "damaged"
        else:
            target.reason = "unchanged" if known[target.path] == target.fingerprint else "changed"


def _digest(*parts: bytes) -> str:
    digest = hashlib.sha256()
    for part in parts:
        digest.update(hashlib.sha256(part).digest())
    return digest.hexdigest()


@functools.lru_cache(maxsize=None)
def code_version(fmt: str) -> str:
    """The pipeline's code that a target of this format runs (not the other formats'
    writers) and the versions of the libraries that write the files: read once per
    process, which runs the code it imported."""
    others = set().union(*(private_files(name) for name in FORMATS if name != fmt)) - private_files(fmt)
    sources = [p for p in sorted(PACKAGE.rglob("*.py")) if p.resolve() not in others
               and p.relative_to(PACKAGE).parts[0] not in NOT_BUILD_CODE]
    return _digest(*(p.read_bytes() for p in sources), *_library_versions())


def _library_versions() -> tuple[bytes, ...]:
    """`name==version` of each library the outputs depend on."""
    return tuple(v.encode() for v in library_versions((*library_names(), *SHARED_LIBRARIES)))


def assets_digest(project: Project, patterns: tuple[str, ...]) -> str:
    files = sorted({p for pattern in patterns for p in project.styles.glob(pattern) if p.is_file()})
    return _digest(*(p.relative_to(project.styles).as_posix().encode() + b"\0" + _bytes(project, p) for p in files))


def _bytes(project: Project, path: Path) -> bytes:
    """A file's bytes for a digest, read as the build reads it (confined, bounded); a file
    the build refuses counts as its refusal, which validation then reports. (The code in
    digin/ is the program itself, not input.)"""
    if path.relative_to(project.root).parts[0] not in assets.PROJECT_FOLDERS:
        return path.read_bytes()
    try:
        return assets.read_project_file(project, path, DIGEST_LIMIT)
    except ContentError as refused:
        return str(refused).encode()


def fingerprint(html: str, fmt: str, assets: str, code: str) -> str:
    return _digest(html.encode("utf-8"), fmt.encode(), assets.encode(), code.encode())


def inputs_digest(project: Project, options: BuildOptions) -> str:
    """Everything a build reads: the project's files, the options and the environment."""
    files = sorted({p for folder, pattern in INPUTS for p in (project.root / folder).glob(pattern) if p.is_file()
                    and not (folder == "digin" and p.relative_to(project.root / folder).parts[0] in NOT_BUILD_CODE)})
    environment = json.dumps({name: os.environ.get(name) for name in ENVIRONMENT}).encode()
    return _digest(options.key().encode(), environment, *_library_versions(),
                   *(p.relative_to(project.root).as_posix().encode() + b"\0" + _bytes(project, p) for p in files))


def nothing_changed(out: Path, options: BuildOptions, inputs: str) -> list[str] | None:
    """The targets of the last build, if its inputs' digest was `inputs` and each of its
    files is still the one the manifest lists; else None."""
    if options.force:
        return None
    state = read_state(out)
    paths = sorted(state["targets"])
    if not paths or state["inputs"] != inputs:
        return None
    entries = [entry for entry in read_manifest(out) if entry.get("path") in state["targets"]]
    if len(entries) != len(paths) or damaged(out, entries):
        return None
    return paths


def edition_html(project: Project, lang: str, edition_id: str = "toolkit", base_url: str | None = None) -> str:
    """The HTML of one edition in one language, as every writer receives it."""
    toolkit, translators = validate(project, [lang], [])
    localized = localize_all(project, toolkit, {lang: translators[lang]})
    all_editions = editions(toolkit)
    edition = next(e for e in all_editions if e.id == edition_id)
    problems = Problems()
    html = render_edition(project, environment(project, translators[lang]), edition, all_editions, toolkit,
                          localized[lang], lang, base_url, problems)
    problems.raise_if_any()
    return html
