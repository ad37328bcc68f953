#!/usr/bin/env python3
"""The DiGiN toolkit publishing pipeline: `python build.py --help`."""
from __future__ import annotations

import os
import signal
import sys
import time

INTERRUPTED = "Interrupted ({}): out/ keeps its last complete publish."


def _interrupted_early(*_) -> None:
    """Ctrl-C while the program is still loading: one line, no traceback (main() then
    takes over with the usual KeyboardInterrupt)."""
    sys.stderr.write(INTERRUPTED.format("Ctrl-C") + "\n")
    os._exit(130)


signal.signal(signal.SIGINT, _interrupted_early)

from pathlib import Path  # noqa: E402 - after the handler: these imports take a moment

import click  # noqa: E402

from digin.engine import usable_cores  # noqa: E402
from digin.project import ROOT, Project, posix_name  # noqa: E402
from digin.writers import FORMATS  # noqa: E402


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--debug", is_flag=True, help="Show the Python traceback of any error, expected or not.")
@click.pass_context
def cli(ctx: click.Context, debug: bool) -> None:
    """Build the DiGiN D2.2 toolkit from content/ (YAML) and locales/ (PO) into out/."""
    ctx.obj = {"debug": debug}


def _selection(function):
    """The options that choose what to build, shared by `build` and `plan`."""
    options = [
        click.option("--locale", "-l", "locales", multiple=True, metavar="LANG",
                     help="Only this language (repeatable). Default: English and every locales/*.po."),
        click.option("--format", "-f", "formats", multiple=True, type=click.Choice(FORMATS),
                     help="Only this format (repeatable). Default: every format."),
        click.option("--target", "only", multiple=True, metavar="PATH",
                     help="Only this file, as `plan` lists it (repeatable): one CI job per target."),
        click.option("--out", "out", type=click.Path(file_okay=False, path_type=Path), default=ROOT / "out",
                     show_default="out/", help="Folder to write the editions and manifest.json into."),
        click.option("--release", is_flag=True,
                     help="Refuse any locale that is not 100% translated, or any error of `check`."),
        click.option("--base-url", metavar="URL",
                     help="Where out/ will be published: links between files become absolute. Default: relative."),
        click.option("--force", is_flag=True, help="Rebuild every target, changed or not."),
    ]
    for option in reversed(options):
        function = option(function)
    return function


# $DIGIN_JOBS sets the default where the core count misleads (a shared CI runner) or where
# something else runs in parallel already (the test suite's workers).
_jobs = click.option("--jobs", "-j", type=click.IntRange(min=1), default=usable_cores, envvar="DIGIN_JOBS",
                     show_envvar=True, show_default="usable CPU cores",
                     help="Worker processes that render in parallel.")


def _options(locales, formats, only, release, base_url, force, jobs=1):
    from digin.plan import BuildOptions

    if base_url and not base_url.startswith(("https://", "http://")):
        raise click.BadParameter("must start with https:// or http://", param_hint="--base-url")
    return BuildOptions([posix_name(lang) for lang in locales] or None, list(formats) or None, release, base_url,
                        force, jobs, list(only) or None)


@cli.command()
@_selection
@_jobs
@click.option("--dry-run", is_flag=True, help="List what would be built and why; build nothing.")
@click.option("--quiet", "-q", is_flag=True, help="Only problems and the closing summary.")
@click.option("--verbose", "-v", is_flag=True, help="Also each skipped target and each render's time.")
@click.pass_context
def build(ctx: click.Context, locales, formats, only, out: Path, release: bool, base_url, force: bool, jobs: int,
          dry_run: bool, quiet: bool, verbose: bool) -> None:
    """Build the editions (every language and format unless narrowed) and out/manifest.json.

    Everything is validated before anything is rendered; targets whose inputs did not
    change are skipped; the new files, the download pages and the manifest are published
    together or not at all, so an error or an interruption leaves out/ consistent.
    One build at a time writes into an output folder; another one waits for it.
    """
    from digin.plan import inputs_digest, nothing_changed

    started = time.monotonic()
    options = _options(locales, formats, only, release, base_url, force, jobs)
    inputs = inputs_digest(Project(ROOT), options)   # before anything is read
    unchanged = nothing_changed(out, options, inputs)
    if unchanged is not None:   # nothing read by the build changed, and out/ is whole
        if dry_run or verbose:
            click.echo("\n".join(f"unchanged {path}" for path in unchanged))
        click.echo(f"0 built, {len(unchanged)} skipped (no input changed), 0 failed "
                   f"in {time.monotonic() - started:.1f} s; manifest: {out / 'manifest.json'}")
        return

    if dry_run:
        from digin.plan import make_plan, reasons

        plan = make_plan(Project(ROOT), options)
        reasons(plan.targets, out, options.force)
        for target in plan.targets:
            if target.reason != "unchanged" or verbose:
                click.echo(f"{target.reason:9} {target.path}")
        click.echo(f"{len(plan.todo)} to build, {len(plan.targets) - len(plan.todo)} unchanged")
        return

    from digin.engine import Workers   # started first: they warm up while the rest loads

    with Workers(Project(ROOT), options.workers(), tuple(options.formats or FORMATS)) as workers:
        from digin import progress
        from digin.builder import build as run_build

        with progress.Display(quiet=quiet, verbose=verbose) as display:
            report = run_build(Project(ROOT), out, options, on_done=display.done, on_start=display.start,
                               workers=workers, inputs=inputs, on_wait=display.waiting)
    if report.recovered:
        click.echo(f"note: {report.recovered} ({out})", err=True)
    for record in report.waived:
        finding, waiver = record["finding"], record["waiver"]
        click.echo(f"waived: {finding['file']}:{finding['line'] or '-'}: {finding['message']} ({finding['code']}) — "
                   f"accepted by {waiver['accepted_by']} until {waiver['expires']}: {waiver['reason']}", err=True)
    for warning in report.warnings:
        click.echo(f"warning: {warning}", err=True)
    for lang, keys in report.fallbacks.items():
        click.echo(f"warning: {lang}: {len(keys)} strings not translated or fuzzy, shown in English "
                   f"(marked lang=\"en\"): {', '.join(keys)}", err=True)
    if verbose:
        for target in report.skipped:
            click.echo(f"skipped  {target.path} (unchanged)")
    for result in report.failed:
        click.echo(f"failed: {result.target.path}: {result.error}", err=True)
        if ctx.obj["debug"] and result.traceback:
            click.echo(result.traceback, err=True)
    if report.failed and not ctx.obj["debug"]:
        click.echo("(run again with --debug for the failed targets' tracebacks)", err=True)
    click.echo(f"{len(report.built)} built, {len(report.skipped)} skipped, {len(report.failed)} failed "
               f"in {time.monotonic() - started:.1f} s; manifest: {out / 'manifest.json'}")
    if report.failed:
        sys.exit(1)


@cli.command()
@_selection
@click.option("--json", "as_json", is_flag=True, help="Print the plan as JSON: one entry per independent job.")
def plan(locales, formats, only, out: Path, release: bool, base_url, force: bool, as_json: bool) -> None:
    """Show the build plan: every target, its fingerprint, and whether it would be built."""
    import json

    from digin.plan import make_plan, reasons

    targets = make_plan(Project(ROOT), _options(locales, formats, only, release, base_url, force)).targets
    reasons(targets, out, force)
    if as_json:
        click.echo(json.dumps({"jobs": [t.as_job() for t in targets]}, indent=2, ensure_ascii=False))
    else:
        for target in targets:
            click.echo(f"{target.reason:9} {target.fingerprint[:12]}  {target.path}")


@cli.command()
@click.argument("folders", nargs=-1, required=True, type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--out", "out", type=click.Path(file_okay=False, path_type=Path), default=ROOT / "out",
              show_default="out/", help="Folder to merge into.")
def merge(folders: tuple[Path, ...], out: Path) -> None:
    """Combine the output folders of `build --target` jobs (CI fan-out) into one out/.

    Every file is checked against its job's manifest and its inputs against this
    project's; the result has one manifest, the download pages and the build state. The
    jobs of every target of `plan` give the same bytes as one full build.
    """
    from digin import progress
    from digin.builder import merge as run_merge

    with progress.Display() as display:
        entries = run_merge(Project(ROOT), list(folders), out, on_wait=display.waiting)
    click.echo(f"merged {len(folders)} folders: {len(entries)} files listed in {out / 'manifest.json'}")


@cli.command()
@click.option("--locale", "-l", "locales", multiple=True, metavar="LANG",
              help="Check only this locale's translation (repeatable). Default: every locale.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
def check(locales: tuple[str, ...], fmt: str) -> None:
    """Editorial and release checks: links, citations, references, glossary, translations.

    Prints every finding with file:line, severity and a fix hint, grouped by file.
    Exits non-zero when there are errors (a release build refuses them too).
    """
    import json

    from digin.check import ERROR, as_json, by_locale, others_summary, run_checks
    from digin.waivers import apply_waivers

    project = Project(ROOT)
    langs = [posix_name(lang) for lang in locales if lang != "en"]
    findings, others = run_checks(project, langs or None), []
    if langs:   # a translator's run: their files' findings, which alone can fail it; the rest counted
        findings, others = by_locale(project, findings, langs)
    refused, waived = apply_waivers(project, findings)
    waivers = {id(finding): waiver for finding, waiver in waived}
    if fmt == "json":
        click.echo(json.dumps({"findings": as_json(findings), "waived": [as_json([f])[0] for f, _w in waived],
                               "others": as_json(others)}, indent=2, ensure_ascii=False))
    else:
        current = None
        for finding in findings:
            if finding.file != current:
                current = finding.file
                click.echo(f"\n{current}")
            line = f"{finding.line}:" if finding.line else "-:"
            hint = f"  → {finding.hint}" if finding.hint else ""
            waiver = waivers.get(id(finding))
            severity = (f"{finding.severity} (waived: {waiver.accepted_by}, until {waiver.expires})" if waiver
                        else finding.severity)
            click.echo(f"  {line:>6} {severity}: {finding.message}{hint}")
        listed = {id(finding) for finding in findings}
        for problem in (p for p in refused if id(p) not in listed):   # the waivers file's own problems
            click.echo(f"\n{problem}")
        errors = sum(f.severity == ERROR for f in refused)
        click.echo(f"\n{errors} errors, {len(waived)} waived, {len(findings) - errors - len(waived)} warnings")
        if others:
            click.echo(others_summary(others))
    if any(f.severity == ERROR for f in refused):
        sys.exit(1)


@cli.command()
@click.option("--out", "out", type=click.Path(file_okay=False, path_type=Path), default=ROOT / "out",
              show_default="out/", help="The output folder whose PDFs to check.")
def typesetting(out: Path) -> None:
    """Check every built PDF of out/ as a typesetter would: addresses broken with a hyphen,
    headings at the foot of a page, hyphens at a page turn or in runs, paragraphs ending in
    a fragment, hyphenated names, near-empty pages, straight quotes, page limits.

    Prints each fault with its file and page; exits non-zero if there is any.
    """
    from digin.load import load_toolkit
    from digin.publish import read_manifest
    from digin.typeset import check_pdf

    limits = {kind.kind: kind.max_pages for kind in load_toolkit(Project(ROOT)).editions.editions}
    pdfs = [entry for entry in read_manifest(out) if entry.get("format") == "pdf"]
    if not pdfs:
        raise click.ClickException(f"{out / 'manifest.json'}: no PDF listed: build first")
    faults = [fault for entry in pdfs for fault in check_pdf(out / entry["path"], limits.get(entry["kind"]))]
    for fault in faults:
        click.echo(str(fault))
    click.echo(f"{len(faults)} typesetting faults in {len(pdfs)} PDFs")
    if faults:
        sys.exit(1)


@cli.group()
def i18n() -> None:
    """Translators' workflow: locales/messages.pot and locales/<lang>.po (see TRANSLATING.md)."""


@i18n.command()
def extract() -> None:
    """Write locales/messages.pot: every translatable string of content/ and templates/."""
    from digin import po

    path = po.extract(Project(ROOT))
    click.echo(f"wrote {Project(ROOT).shown(path)}")


@i18n.command()
def update() -> None:
    """Merge the current English strings into every locales/<lang>.po.

    New strings arrive empty; changed English becomes fuzzy with the old translation
    and the previous English (#| msgid); removed strings become obsolete (#~).
    """
    from digin import po
    from digin.errors import Problems

    project = Project(ROOT)
    for path in po.update(project, Problems()):
        click.echo(f"updated {project.shown(path)}")


@i18n.command()
@click.argument("lang")
def init(lang: str) -> None:
    """Start locales/LANG.po for a new language, every string empty."""
    from digin import po
    from digin.errors import Problems

    project = Project(ROOT)
    click.echo(f"wrote {project.shown(po.init(project, lang, Problems()))}")


@i18n.command()
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
def stats(fmt: str) -> None:
    """Per locale: translated, fuzzy and untranslated strings and words, per part."""
    import json

    from digin import po
    from digin.errors import Problems

    result = po.stats(Project(ROOT), Problems())
    if fmt == "json":
        click.echo(json.dumps(result, indent=2))
        return
    for lang, data in result.items():
        total = data["total"]
        click.echo(f"{lang}: {total['percent']}% translated — {total['translated']} translated, "
                   f"{total['fuzzy']} fuzzy, {total['untranslated']} untranslated strings "
                   f"({total['translated_words']}/{total['fuzzy_words']}/{total['untranslated_words']} words)")
        for part, count in data["parts"].items():
            click.echo(f"  {part:12} {count['percent']:5}%  {count['translated']} / {count['fuzzy']} fuzzy"
                       f" / {count['untranslated']} untranslated")


@i18n.command(name="export")
@click.argument("lang")
@click.option("--format", "fmt", type=click.Choice(["xliff"]), default="xliff", show_default=True,
              help="XLIFF 1.2, which CAT tools read (Trados, memoQ, OmegaT, Phrase, Weblate).")
@click.option("--out", "out", type=click.Path(dir_okay=False, path_type=Path),
              help="File to write. Default: LANG.xlf in the current folder.")
def export_translations(lang: str, fmt: str, out: Path | None) -> None:
    """Write locales/LANG.po as XLIFF for a CAT tool: per string its key, the English, the
    translation and its state (translated, or needs review), the English a changed
    string had before, and the notes for translators. `i18n import` takes it back."""
    from digin import xliff
    from digin.errors import Problems
    from digin.project import language_tag

    project = Project(ROOT)
    target = out or Path(f"{language_tag(lang)}.xlf")
    count = xliff.export(project, lang, target, Problems())
    click.echo(f"wrote {target}: the {count} strings of {project.shown(project.po_file(lang))}")


@i18n.command(name="import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def import_translations(file: Path) -> None:
    """Put the translations of an XLIFF file (from `i18n export`, done in a CAT tool) back
    into its language's PO file; nothing else of the file changes. Strings whose English
    changed since the export arrive fuzzy, to review."""
    from digin import xliff
    from digin.errors import Problems

    project = Project(ROOT)
    result = xliff.import_(project, file, Problems())
    click.echo(f"updated {project.shown(result.path)}: {result.changed} translations or states changed")
    if result.stale:
        click.echo(f"note: the English of {len(result.stale)} strings changed since the export; their "
                   f"translations are in, marked fuzzy for review: {', '.join(result.stale)}", err=True)
    if result.kept:
        click.echo(f"note: {len(result.kept)} strings are no longer in the toolkit; their translations are "
                   f"kept as obsolete entries (#~): {', '.join(result.kept)}", err=True)


class Terminated(KeyboardInterrupt):
    """SIGTERM or SIGHUP: stop as Ctrl-C does, so every clean-up runs (workers, terminal)."""


def _terminate(number, _frame) -> None:
    raise Terminated(signal.Signals(number).name)


@cli.command()
@click.option("--locale", "-l", "locales", multiple=True, metavar="LANG",
              help="Only this language (repeatable). Default: English and every locales/*.po.")
@click.option("--port", "-p", type=click.IntRange(0, 65535), default=8000, show_default=True,
              help="Port to serve on (0: any free port).")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on. Any other than 127.0.0.1 or localhost shows the drafts to your network.")
def preview(locales: tuple[str, ...], port: int, host: str) -> None:
    """Serve every edition in every language as HTML, updated within a second of an edit.

    Watches content/, locales/, templates/ and styles/: a saved change re-renders the pages
    it touches and reloads them in the browser; the PDF of an open page is rebuilt in the
    background (its link in the page's bar). A bad edit shows its located problems on the
    page, over the last good version. Add ?translator=1 to a page's address (or use its
    bar's toggle) to see what is still shown in English. Ctrl-C stops it.
    """
    from digin import preview as live

    try:
        live.run(Project(ROOT), list(locales) or None, host, port,
                 on_ready=lambda url: click.echo(f"Preview at {url} (Ctrl-C stops it)"),
                 log=lambda line: click.echo(line, err=line.startswith("problem:")))
    except KeyboardInterrupt:
        click.echo("Preview stopped.", err=True)
    except OSError as error:
        if error.filename:
            raise
        raise click.ClickException(f"cannot serve on {host}:{port}: {error.strerror or error}") from None


@i18n.command()
@click.argument("query")
@click.option("--locale", "-l", "locales", multiple=True, metavar="LANG",
              help="Only this language's artifacts (repeatable). Default: every language built.")
@click.option("--out", "out", type=click.Path(file_okay=False, path_type=Path), default=ROOT / "out",
              show_default="out/", help="The build to search.")
def where(query: str, locales: tuple[str, ...], out: Path) -> None:
    """List every artifact of the last build, with the PDF pages, where a string appears.

    QUERY is a string's key (a PO file's msgctxt, or a template string's English) or a
    piece of its text in any language. Exits 1 if it appears nowhere.
    """
    from digin.preview.where import find, report

    matches = find(Project(ROOT), out, query, list(locales) or None)
    for line in report(matches):
        click.echo(line)
    if not any(match.found for match in matches):
        sys.exit(1)


@i18n.command()
@click.option("--out", "out", type=click.Path(file_okay=False, path_type=Path), default=ROOT / "out-pseudo",
              show_default="out-pseudo/", help="Folder to write the pseudo-localized editions into.")
@click.option("--expand", type=click.FloatRange(min=1.0, max=3.0), default=1.4, show_default=True,
              help="How much longer than the English every string becomes.")
@click.option("--format", "-f", "formats", multiple=True, type=click.Choice(FORMATS),
              help="Only this format (repeatable). Default: every format.")
@_jobs
def pseudo(out: Path, expand: float, formats, jobs: int) -> None:
    """Build every edition in a pseudo language (every string longer, accented and
    bracketed ‹…›; markup, placeholders, links and citations intact) and check its
    layout: pages over the limit, a last page with only the closing section, text past
    the margins. Run it before sending strings to translators. locales/ is not touched.

    Prints each fault with its file and page; exits non-zero if there is any.
    """
    from digin.pseudo import LOCALE, build_pseudo

    result = build_pseudo(Project(ROOT), out, expand, list(formats) or None, jobs)
    for failed in result.report.failed:
        click.echo(f"failed: {failed.target.path}: {failed.error}", err=True)
    for fault in result.faults:
        click.echo(str(fault))
    click.echo(f"{len(result.report.built)} files built in {out} ({LOCALE}); "
               f"{len(result.faults)} layout faults")
    if result.faults or result.report.failed:
        sys.exit(1)


def main() -> None:
    debug = "--debug" in sys.argv[1:]
    signal.signal(signal.SIGINT, signal.default_int_handler)
    for number in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(number, _terminate)
    try:
        cli.main(standalone_mode=False)
    except (click.exceptions.Abort, KeyboardInterrupt) as error:
        # Click turns a KeyboardInterrupt into Abort: the signal is its cause.
        cause = error.__cause__ if isinstance(error, click.exceptions.Abort) else error
        terminated = isinstance(cause, Terminated)
        click.echo(INTERRUPTED.format(cause.args[0] if terminated else "Ctrl-C"), err=True)
        sys.exit(143 if terminated else 130)
    except click.ClickException as error:
        if debug:   # a developer asked where it came from
            raise
        error.show()
        sys.exit(error.exit_code)
    except OSError as error:   # the machine, not the pipeline: name the file and the cause
        if debug:
            raise
        where = f"{error.filename}: " if error.filename else ""
        click.echo(f"Error: {where}{error.strerror or error}", err=True)
        sys.exit(1)
    except Exception as error:  # noqa: BLE001 - a bug: keep the traceback only on request
        if debug:
            raise
        click.echo(f"Error: unexpected {type(error).__name__}: {error}\n"
                   f"(this is a bug in the pipeline; run again with --debug for the traceback)", err=True)
        sys.exit(2)


def leave() -> None:
    """Exit once a command has done its work, without the interpreter's teardown: freeing
    the models and pages object by object costs 0.1-0.2 s for nothing (the workers leave
    the same way). Every file is closed by then; the output streams are flushed here."""
    status = 0
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except OSError:   # a closed pipe: the exit status the interpreter gives it
        status = 120
    os._exit(status)


if __name__ == "__main__":
    main()
    leave()
