"""A build from start to end: plan (validating everything first), then under out/'s lock
render the changed targets in worker processes and publish them — with the download
pages, the build state and the manifest — as one transaction (digin/publish.py).

`merge` combines the out/ folders of separate `--target` jobs (CI fan-out) into one.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from .engine import Result, Workers
from .errors import WARNING, ContentError, Problem, Problems
from .plan import BuildOptions, Plan, Target, inputs_digest, make_plan, prepare, reasons
from .project import Project
from .publish import (MANIFEST, Artifact, artifact, damaged, locked, manifest_entries, manifest_json, plain_path,
                      publish, read_manifest, recover)
from .site import site_files
from .state import STATE, read_state, state_json
from .writers import FORMATS


@dataclass
class BuildReport:
    built: list[Artifact] = field(default_factory=list)
    skipped: list[Target] = field(default_factory=list)
    failed: list[Result] = field(default_factory=list)
    fallbacks: dict[str, list[str]] = field(default_factory=dict)   # lang -> keys shown in English
    warnings: list[Problem] = field(default_factory=list)   # the writers' (WeasyPrint's CSS notes ...)
    results: list[Result] = field(default_factory=list)
    recovered: str | None = None     # what was done about an earlier, interrupted publish
    waived: list[dict] = field(default_factory=list)   # a release's waived findings


def build(project: Project, out: Path, options: BuildOptions | None = None,
          on_done: Callable[[Result], None] = lambda result: None,
          on_start: Callable[[int], None] = lambda total: None, workers: Workers | None = None,
          inputs: str | None = None, on_wait: Callable[[str], None] = lambda holder: None) -> BuildReport:
    """Build what changed and publish what was built, even if other targets failed.

    `workers`: a pool the caller started early (else one is started here); `inputs`: the
    digest of the inputs, if the caller took it already (before anything was read)."""
    options = options or BuildOptions()
    inputs = inputs or inputs_digest(project, options)
    with workers or Workers(project, options.workers(), tuple(options.formats or FORMATS)) as pool:
        prepared = prepare(project, options)         # everything validated; out/ not touched yet
        # The workers start on each target as the plan makes it, unless out/ has it
        # already (read without the lock: a hint only; `run` decides on the plan).
        known = {} if options.force else read_state(out)["targets"]

        def start(target: Target) -> None:
            if known.get(target.path) != target.fingerprint:
                pool.send_ahead(target, prepared.source_date_epoch)

        plan = make_plan(project, options, prepared, on_target=start)
        with locked(out, on_wait):
            report = BuildReport(fallbacks=plan.fallbacks, recovered=recover(out), waived=plan.waived)
            reasons(plan.targets, out, options.force)
            report.skipped = [t for t in plan.targets if t.reason == "unchanged"]
            on_start(len(plan.todo))
            report.results = pool.run(plan.todo, plan.source_date_epoch, on_done)
            _publish(project, out, plan, report, inputs)
    return report


def _publish(project: Project, out: Path, plan: Plan, report: BuildReport, inputs: str) -> None:
    built, state = {}, read_state(out)["targets"]
    for result in report.results:
        target = result.target
        if result.output is None:
            report.failed.append(result)
            continue
        report.warnings += [Problem(target.path, None, "", w, WARNING, "writer") for w in result.output.warnings]
        item = artifact(target.path, target.locale, target.kind, target.id, target.format, result.output.data,
                        result.output.pages, target.title)
        built[item.path] = (item, result.output.data)
        state[item.path] = target.fingerprint
    entries = manifest_entries(out, [item for item, _data in built.values()])
    if not entries:          # nothing built and nothing there before: no page lists nothing
        return
    listed = {entry["path"] for entry in entries}
    state = {path: value for path, value in state.items() if path in listed}
    files = {path: data for path, (_item, data) in built.items()}
    files.update(_site(project, entries, plan))
    files[STATE] = state_json(inputs if not report.failed else "", state)
    files[MANIFEST] = manifest_json(entries, plan.waived)
    publish(out, files)
    report.built = [item for item, _data in built.values()]


def _site(project: Project, entries: list[dict], plan: Plan) -> dict[str, bytes]:
    """The download pages list every language, whatever this build narrowed (the plan
    holds every language's translator)."""
    return site_files(project, entries, plan.translators, plan.toolkit)


def merge(project: Project, folders: list[Path], out: Path,
          on_wait: Callable[[str], None] = lambda holder: None) -> list[dict]:
    """Combine the out/ folders of `--target` jobs into `out`: every file checked against
    its job's manifest, one manifest, the download pages and the build state. When the
    jobs together made every target of a full build from these inputs, the result is that
    full build, byte for byte (and a later build is a no-op)."""
    problems = Problems()
    files, entries, state = {}, {}, {}
    for folder in folders:
        listed = read_manifest(folder)
        if not listed:
            problems.add(str(folder / MANIFEST), None, "", "no artifacts listed: not the out/ of a build")
        fingerprints = read_state(folder)["targets"]
        for entry in listed:
            path = entry.get("path", "")
            if not plain_path(path) or damaged(folder, [entry]):
                problems.add(str(folder / MANIFEST), None, path, "the file is missing or differs from the manifest")
            elif path in entries and entries[path]["sha256"] != entry["sha256"]:
                problems.add(str(folder / MANIFEST), None, path, "two jobs made different files for this path")
            else:
                entries[path], files[path] = entry, (folder / path).read_bytes()
                state[path] = fingerprints.get(path, "")
    problems.raise_if_any()

    full = BuildOptions()
    plan = make_plan(project, full)
    expected = {t.path: t.fingerprint for t in plan.targets}
    stale = sorted(path for path in state if expected.get(path) != state[path])
    if stale:
        raise ContentError([Problem(path, None, "", "made from other inputs than this project's (rebuild it)")
                            for path in stale])
    complete = set(expected) == set(entries)
    with locked(out, on_wait):
        recover(out)
        current = {e["path"]: e for e in read_manifest(out) if plain_path(e.get("path", ""))
                   and not damaged(out, [e])}
        known = read_state(out)["targets"]
        state = {**{p: known[p] for p in current if p in known}, **state}
        merged = [{**current, **entries}[path] for path in sorted({**current, **entries})]
        files.update(_site(project, merged, plan))
        files[STATE] = state_json(inputs_digest(project, full) if complete and not current.keys() - entries.keys()
                                  else "", state)
        files[MANIFEST] = manifest_json(merged)
        publish(out, files)
    return merged

