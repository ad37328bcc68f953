"""The build engine: reproducible, incremental, atomic, and the plan tells the truth."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time

import pytest

from conftest import edit, run_cli, snapshot


def built_paths(result) -> set[str]:
    return {line.split(" ", 1)[1] for line in result.stderr.splitlines() if line.startswith("built ")}


@pytest.mark.long
def test_edits_rebuild_exactly_the_targets_that_use_them(built_copy):
    project_copy = built_copy
    first = run_cli(project_copy, "build", "--format", "pdf", "--format", "docx")   # only this build's options
    assert first.returncode == 0 and first.stdout.startswith("0 built"), first.stderr
    noop = run_cli(project_copy, "build", "--format", "pdf", "--format", "docx")
    assert "0 built" in noop.stdout and "no input changed" in noop.stdout

    edit(project_copy / "content/practices/rotterdam-inclusiveness-panel.yaml",
         "Growth often comes", "Growth usually comes")
    dry = run_cli(project_copy, "build", "--format", "pdf", "--format", "docx", "--dry-run")
    planned = {line.split()[1] for line in dry.stdout.splitlines() if line.startswith(("changed", "new"))}
    result = run_cli(project_copy, "build", "--format", "pdf", "--format", "docx")
    assert result.returncode == 0, result.stderr
    # The practice and the toolkit that contains it, in every language (their translation
    # of the changed string is no longer current, so a draft shows the new English);
    # not the handouts.
    assert built_paths(result) == planned == {
        f"{lang}/{path}-{lang}.{fmt}" for lang in ("en", "nl", "it")
        for path, fmt in (("practices/rotterdam-inclusiveness-panel", "pdf"), ("digin-d2.2-toolkit", "pdf"),
                          ("digin-d2.2-toolkit", "docx"))}

    po = project_copy / "locales/it.po"
    po.write_text(po.read_text().replace('msgstr "Obiettivo"', 'msgstr "Obiettivo generale"', 1))
    result = run_cli(project_copy, "build", "--format", "pdf", "--format", "docx")
    rebuilt = built_paths(result)
    assert rebuilt and all(path.startswith("it/") for path in rebuilt)
    assert "it/digin-d2.2-toolkit-it.pdf" in rebuilt and not any("handouts" in p for p in rebuilt)


def test_plan_json_lists_one_job_per_target(project_copy):
    result = run_cli(project_copy, "plan", "--json")
    jobs = json.loads(result.stdout)["jobs"]
    assert len(jobs) == 3 * (3 + 4 + 4 * 2)     # per language: toolkit x3, practices, handouts x2
    assert {j["reason"] for j in jobs} == {"new"} and len({j["fingerprint"] for j in jobs}) == len(jobs)
    one = jobs[5]["path"]
    single = run_cli(project_copy, "build", "--target", one)
    assert single.returncode == 0, single.stderr
    assert built_paths(single) == {one}


@pytest.mark.long
def test_an_interrupted_build_leaves_out_intact(built_copy, tmp_path):
    project_copy = built_copy
    before = snapshot(project_copy / "out")
    edit(project_copy / "templates/macros.html.j2", "<h3>{{ _(\"Objective\") }}</h3>",
         "<h3>{{ _(\"Objective\") }}!</h3>")   # every target changes
    for sig in (signal.SIGINT, signal.SIGKILL):
        temporary = tmp_path / sig.name
        temporary.mkdir()
        process = subprocess.Popen([sys.executable, "build.py", "build", "--format", "pdf", "--force"],
                                   cwd=project_copy, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                   start_new_session=True, env={**os.environ, "TMPDIR": str(temporary)})
        first = process.stderr.readline()       # one target is rendered, the others are rendering
        assert first.startswith(b"built "), first
        os.killpg(process.pid, sig)
        process.wait(timeout=60)
        assert process.returncode != 0
        assert snapshot(project_copy / "out") == before
        assert not list((project_copy / "out").rglob("*.part"))
    # Ctrl-C lets the workers remove their temporary folders (a kill cannot).
    assert not list((tmp_path / "SIGINT").iterdir())


def test_targets_stream_to_the_workers_as_the_plan_makes_them(project):
    """A worker starts on each target as soon as the plan has made it; its result counts
    once if the plan then wants that target with that fingerprint, and is dropped otherwise."""
    from digin.engine import Workers
    from digin.plan import BuildOptions, make_plan, prepare

    only = ["en/practices/rotterdam-inclusiveness-panel-en.pdf", "en/handouts/allyship-en.pdf",
            "en/handouts/strategic-framing-en.pdf"]
    options = BuildOptions(langs=["en"], formats=["pdf"], only=only)
    prepared = prepare(project, options)
    with Workers(project, 1, ("pdf",)) as pool:
        streamed = []

        def start(target):
            streamed.append(target.path)
            pool.send_ahead(target, prepared.source_date_epoch)

        plan = make_plan(project, options, prepared, on_target=start)
        assert sorted(streamed) == sorted(only) and [t.path for t in plan.targets] == only   # the plan's own order
        wanted = plan.targets[1:]                            # the plan no longer wants the practice
        results = pool.run(wanted, plan.source_date_epoch, lambda result: None)
        assert sorted(r.target.path for r in results) == sorted(t.path for t in wanted)   # each once
        assert all(r.output is not None for r in results)


def test_the_plan_makes_the_quick_pages_of_the_first_language_first(project):
    """While a toolkit's HTML is made (its citations take a few tenths of a second), the
    workers already render the first language's practices and handouts; then every
    language follows, its toolkit first, so the longest renders do not come last."""
    from digin.editions import editions
    from digin.load import load_toolkit
    from digin.plan import render_order

    order = [(lang, edition.id) for lang, edition in render_order(["en", "nl"], editions(load_toolkit(project)))]
    assert len(order) == len(set(order)) == 18
    assert order.index(("en", "toolkit")) == 8 and all(lang == "en" for lang, _id in order[:8])
    assert order[9] == ("nl", "toolkit") and order[10:] == [("nl", edition) for _lang, edition in order[:8]]


def test_workers_are_forked_only_from_a_quiet_process_on_linux(monkeypatch):
    """A fork starts a worker 0.2-0.3 s sooner, but copies no other thread (only the locks
    it held) and no safe state of Pango: a process that runs threads (the preview) or has
    loaded WeasyPrint starts its workers as new interpreters."""
    import threading

    from digin import engine

    monkeypatch.delitem(sys.modules, "weasyprint", raising=False)
    assert engine._start_method() == ("fork" if sys.platform.startswith("linux") else "spawn")
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait)
    thread.start()
    try:
        assert engine._start_method() == "spawn"
    finally:
        stop.set()
        thread.join()
    monkeypatch.setitem(sys.modules, "weasyprint", object())
    assert engine._start_method() == "spawn"
