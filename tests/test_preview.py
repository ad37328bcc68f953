"""The live preview (`build.py preview`) in a real browser, and `i18n where`.

Each test starts the preview on a free port in a copy of the project, as a user would
(`python build.py preview --port 0`), and drives headless Chromium (Debian's, through
Playwright) or sends raw HTTP requests. Nothing reloads the page but the preview itself.
"""
from __future__ import annotations

import contextlib
import http.client
import io
import os
import re
import select
import signal
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote, urlsplit

import pytest
from pypdf import PdfReader

from conftest import edit, run_cli
from digin.plan import edition_html
from digin.preview import Change, Preview, writer_html
from digin.project import Project
from digin.preview.where import normalized

CHROMIUM = Path("/usr/bin/chromium")   # Debian's package; CI installs it
CHROMIUM_FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync"]
HANDOUT = "/nl/handouts/allyship-nl.html"
TITLE_NL = "Bouwen aan inclusieve werkplekken: De rol van bondgenootschap"
SECRET = "secret-of-the-project-root"


class Running:
    def __init__(self, process: subprocess.Popen, url: str, log: Path):
        self.process, self.url, self.log = process, url.rstrip("/"), log

    def get(self, path: str, host: str | None = None) -> tuple[int, bytes]:
        """A raw request: the path is sent exactly as given (no client normalizes it)."""
        parts = urlsplit(self.url)
        connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=60)
        try:
            connection.putrequest("GET", path, skip_host=True)
            connection.putheader("Host", host or parts.netloc)
            connection.endheaders()
            response = connection.getresponse()
            return response.status, response.read()
        finally:
            connection.close()


@contextlib.contextmanager
def preview(root: Path, *args: str, env: dict[str, str] | None = None):
    """`build.py preview --port 0` running in `root`; stopped with Ctrl-C (SIGINT) after."""
    log = root / "preview.log"
    with open(log, "w", encoding="utf-8") as errors:
        process = subprocess.Popen([sys.executable, "build.py", "preview", "--port", "0", *args], cwd=root,
                                   stdout=subprocess.PIPE, stderr=errors, text=True, env={**os.environ, **(env or {})})
    try:
        ready, _, _ = select.select([process.stdout], [], [], 60)
        line = process.stdout.readline() if ready else ""
        match = re.search(r"http://\S+/", line)
        assert match, f"the preview did not start: {line!r} {log.read_text(encoding='utf-8')}"
        yield Running(process, match.group(), log)
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGINT)
            try:
                process.wait(30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        process.stdout.close()


def expect(locator):
    from playwright.sync_api import expect as playwright_expect

    return playwright_expect(locator)


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    assert CHROMIUM.is_file(), "the browser tests need Debian's Chromium: apt-get install -y chromium"
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_FLAGS)
        yield chromium
        chromium.close()


@pytest.fixture
def tab(browser):
    context = browser.new_context(viewport={"width": 1100, "height": 900})
    page = context.new_page()
    yield page
    context.close()


def po_entry(root: Path, key: str) -> tuple[str, str]:
    """(the entry's text in locales/nl.po, from its msgctxt to its blank line)."""
    text = (root / "locales" / "nl.po").read_text(encoding="utf-8")
    start = text.index(f'msgctxt "{key}"')
    return text, text[start:text.index("\n\n", start)]


# --- An edit reaches the open page ---------------------------------------------------

def test_a_po_edit_reaches_the_open_page_through_the_reload(project_copy, tab):
    with preview(project_copy, "--locale", "nl") as running:
        tab.goto(running.url + HANDOUT)
        assert tab.inner_text("h1") == TITLE_NL
        heading = tab.query_selector("h1")
        tab.evaluate("window.diginLoadedBefore = true")
        started = time.monotonic()
        edit(project_copy / "locales" / "nl.po", f'msgstr "{TITLE_NL}"', 'msgstr "Inclusief werken: <b>bondgenoten</b>"')
        expect(tab.locator("h1")).to_contain_text("Inclusief werken", timeout=15_000)
        elapsed = time.monotonic() - started
        # The preview put the new page in place (the old heading is gone) without navigating
        # (our marker is still there); the translation is text, not markup.
        assert not heading.evaluate("node => node.isConnected")
        assert tab.evaluate("window.diginLoadedBefore === true")
        assert tab.inner_text("h1") == "Inclusief werken: <b>bondgenoten</b>"
        assert tab.locator("h1 b").count() == 0
        assert elapsed < 10, f"{elapsed:.1f} s from the save to the page"
        status, body = running.get(HANDOUT)
        assert status == 200 and b"Inclusief werken: &lt;b&gt;bondgenoten&lt;/b&gt;" in body


def test_a_bad_edit_shows_its_located_problem_over_the_last_good_page_until_fixed(project_copy, tab):
    po_file, module = project_copy / "locales" / "nl.po", project_copy / "content" / "modules" / "allyship.yaml"
    po_good, yaml_good = po_file.read_text(encoding="utf-8"), module.read_text(encoding="utf-8")
    with preview(project_copy, "--locale", "nl") as running:
        tab.goto(running.url + HANDOUT)
        assert tab.locator(".digin-problems").count() == 0

        # A PO syntax error: the problem, located, above the last good page.
        text, entry = po_entry(project_copy, "module.allyship.title")
        line = text[:text.index(entry)].count("\n") + 3
        po_file.write_text(text.replace(entry, entry + "\nnot a line of PO"), encoding="utf-8")
        problems = tab.locator(".digin-problems")
        problems.wait_for(timeout=15_000)
        assert re.search(rf"locales/nl\.po:{line + 1}: malformed PO file", problems.inner_text()), problems.inner_text()
        assert tab.inner_text("h1") == TITLE_NL

        # An unknown field in the YAML (named like markup): located, shown as text.
        po_file.write_text(po_good, encoding="utf-8")
        module.write_text(yaml_good.replace("number: 2\n", "number: 2\n'<img src=x>': 1\n"), encoding="utf-8")
        expect(tab.locator(".digin-problems")).to_contain_text("allyship.yaml", timeout=15_000)
        shown = tab.inner_text(".digin-problems")
        assert "content/modules/allyship.yaml:3: <img src=x>: unknown field" in shown, shown
        assert tab.locator(".digin-problems img").count() == 0
        assert tab.inner_text("h1") == TITLE_NL
        assert "content/modules/allyship.yaml:3" in running.get("/")[1].decode()   # the index says so too

        # Fixed: the problems go, without a restart, and the edit made meanwhile shows.
        module.write_text(yaml_good.replace("The Role of Allyship", "The Role of Allies"), encoding="utf-8")
        expect(tab.locator(".digin-problems")).to_have_count(0, timeout=15_000)
        # The English changed, so nl.po's translation no longer applies: the English stands in.
        assert tab.inner_text("h1") == "Building Inclusive Workplaces: The Role of Allies"
        tab.goto(running.url + HANDOUT + "?translator=1")
        assert tab.locator("h1 [data-digin-state=untranslated]").get_attribute("title") == \
            "untranslated: module.allyship.title"


def test_translator_view_marks_what_is_shown_in_english_with_its_key(project_copy, tab):
    po_file = project_copy / "locales" / "nl.po"
    text, entry = po_entry(project_copy, "module.allyship.title")
    po_file.write_text(text.replace(entry, "#, fuzzy\n" + entry), encoding="utf-8")
    objective = re.search(r'msgctxt "(module\.allyship\.objectives\.[^"]+)"', text).group(1)
    text, entry = po_entry(project_copy, objective)
    po_file.write_text(text.replace(entry, entry.split("msgstr")[0] + 'msgstr ""'), encoding="utf-8")
    with preview(project_copy, "--locale", "nl") as running:
        tab.goto(running.url + HANDOUT)
        assert tab.locator("[title*='module.allyship']").count() == 0   # only the translator's view shows keys
        tab.click("text=Translator view: off")
        tab.wait_for_url(re.compile(r"\?translator=1$"))
        fuzzy = tab.locator("[data-digin-state=fuzzy]")
        assert fuzzy.get_attribute("title") == "fuzzy: module.allyship.title"
        assert fuzzy.inner_text() == "Building Inclusive Workplaces: The Role of Allyship"
        missing = tab.locator(f"[data-digin-key='{objective}']")
        assert missing.get_attribute("title") == f"untranslated: {objective}"
        colours = [element.evaluate("node => getComputedStyle(node).backgroundColor")
                   for element in (fuzzy, missing)]
        assert colours[0] != colours[1] and "rgba(0, 0, 0, 0)" not in colours
        listed = tab.locator(".digin-stand-ins li")
        assert listed.count() == tab.locator("[data-digin-state]").count() >= 2
        assert "/where?q=module.allyship.title" in listed.first.inner_html()


def test_the_preview_html_is_the_writers_html(project_copy):
    """Without its marks, a page is exactly the HTML a build gives the writers."""
    text, entry = po_entry(project_copy, "module.allyship.title")
    (project_copy / "locales" / "nl.po").write_text(text.replace(entry, "#, fuzzy\n" + entry), encoding="utf-8")
    project = Project(project_copy)
    live = Preview(project, ["nl"])
    live.start()
    page = live.pages[HANDOUT]
    assert 'data-digin-key="module.allyship.title"' in page.html
    assert writer_html(page.html) == edition_html(project, "nl", "allyship")
    toolkit = live.pages["/nl/digin-d2.2-toolkit-nl.html"]
    assert writer_html(toolkit.html) == edition_html(project, "nl", "toolkit")


def test_a_po_edit_re_renders_its_language_only(project_copy):
    live = Preview(Project(project_copy))
    live.start()
    before = dict(live.pages)
    edit(project_copy / "locales" / "nl.po", f'msgstr "{TITLE_NL}"', 'msgstr "Andere titel"')
    changed = live.refresh(Change(langs={"nl"}))
    assert changed == {HANDOUT, "/nl/digin-d2.2-toolkit-nl.html"}
    assert "Andere titel" in live.pages[HANDOUT].html
    for url, page in live.pages.items():
        if page.lang != "nl":
            assert page is before[url], f"{url} was rendered again"


# --- Safety --------------------------------------------------------------------------

OUTSIDE = ["/../pyproject.toml", "/%2e%2e/pyproject.toml", "/%2E%2E/%2e%2e/pyproject.toml", "/..%2fpyproject.toml",
           "/%2e%2e%2fpyproject.toml", "/%252e%252e/pyproject.toml", "/styles/../pyproject.toml",
           "/styles/%2e%2e/pyproject.toml", "/styles/%2e%2e%2fpyproject.toml", "/styles/..%5cpyproject.toml",
           "/styles//etc/passwd", "/styles/%2fetc%2fpasswd", "//etc/passwd", "/styles/fonts/../../pyproject.toml",
           "/styles/leak.css", "/pdf/../../pyproject.toml", "/pdf/%2e%2e/pyproject.toml", "/nl/../../pyproject.toml",
           "/pyproject.toml", "/build.py", "/content/deliverable.yaml", "/locales/nl.po", "/templates/base.html.j2",
           "/styles/typography.yaml", "/styles/.hidden.css", "%2e%2e/pyproject.toml", "/etc/passwd",
           "/" + quote(str(Path("/etc/passwd")), safe="")]


def test_only_pages_and_styles_are_served_nothing_else(project_copy):
    (project_copy / "pyproject.toml").write_text(SECRET, encoding="utf-8")
    (project_copy / "styles" / "leak.css").symlink_to(project_copy / "pyproject.toml")
    (project_copy / "styles" / ".hidden.css").write_text(SECRET, encoding="utf-8")
    with preview(project_copy, "--locale", "en") as running:
        assert running.get("/styles/screen.css")[0] == 200      # the real files are served
        assert running.get("/en/handouts/allyship-en.html")[0] == 200
        for path in OUTSIDE:
            status, body = running.get(path)
            assert status == 404, f"{path}: {status}"
            assert SECRET.encode() not in body and b"root:" not in body, path
        # A page that renamed itself 127.0.0.1 (DNS rebinding) gets nothing.
        status, body = running.get("/en/handouts/allyship-en.html", host="attacker.example:80")
        assert status == 403 and b"allyship" not in body.lower()


def test_ctrl_c_stops_every_process_and_leaves_no_files(project_copy, tmp_path):
    temporary = tmp_path / "tmp"       # the preview's and its worker's temporary files go here
    temporary.mkdir()
    with preview(project_copy, "--locale", "en", env={"TMPDIR": str(temporary)}) as running:
        status, pdf = running.get("/pdf/en/handouts/allyship-en.pdf")    # the PDF worker is running
        assert status == 200 and pdf.startswith(b"%PDF-")
        assert list(temporary.iterdir()), "the worker's temporary folder"
        children = _children(running.process.pid)
        assert children
        running.process.send_signal(signal.SIGINT)
        assert running.process.wait(30) == 0
    assert "Preview stopped." in running.log.read_text(encoding="utf-8")
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and [pid for pid in children if Path(f"/proc/{pid}").exists()]:
        time.sleep(0.1)
    assert not [pid for pid in children if Path(f"/proc/{pid}").exists()]
    assert not list(temporary.iterdir())
    assert sorted(p.name for p in project_copy.iterdir()) == ["build.py", "content", "digin", "locales",
                                                               "preview.log", "styles", "templates"]


def _children(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        try:
            found += [int(child) for child in (task / "children").read_text().split()]
        except FileNotFoundError:   # a thread that ended while we looked
            continue
    return found


# --- Where is this string? -----------------------------------------------------------

def test_where_lists_the_artifacts_and_pdf_pages_of_a_string(project_copy):
    target = "nl/handouts/allyship-nl.pdf"
    result = run_cli(project_copy, "build", "--locale", "nl", "--format", "pdf", "--target", target, "-q")
    assert result.returncode == 0, result.stderr
    pages = [normalized(page.extract_text()) for page in
             PdfReader(io.BytesIO((project_copy / "out" / target).read_bytes())).pages]
    assert len(pages) >= 2

    result = run_cli(project_copy, "i18n", "where", "module.allyship.title")
    assert result.returncode == 0, result.stderr
    assert f"    {target}: page 1" in result.stdout.splitlines(), result.stdout
    assert "  nl: 'Bouwen aan inclusieve werkplekken: De rol van bondgenootschap'" in result.stdout

    # By a piece of its text, in another language: the same key; and a string on the last page.
    result = run_cli(project_copy, "i18n", "where", "bondgenootschap")
    assert "module.allyship.title" in result.stdout
    phrase = "Gefinancierd door de Europese Unie"     # page 1 and the closing block
    expected = [str(number) for number, text in enumerate(pages, start=1) if normalized(phrase) in text]
    assert expected and expected[-1] == str(len(pages))
    result = run_cli(project_copy, "i18n", "where", phrase)
    assert f"    {target}: pages {', '.join(expected)}" in result.stdout.splitlines(), result.stdout

    result = run_cli(project_copy, "i18n", "where", "no such string anywhere")
    assert result.returncode == 1 and "in no artifact of the last build" in result.stdout

    with preview(project_copy, "--locale", "nl") as running:   # the preview links to the same answer
        status, body = running.get("/where?q=module.allyship.title")
        assert status == 200 and f"{target} — page 1".encode() in body


def test_where_without_a_build_says_so(project_copy):
    result = run_cli(project_copy, "i18n", "where", "module.allyship.title")
    assert result.returncode == 1
    assert "out/manifest.json: no artifacts listed: build first" in result.stderr
    assert "Traceback" not in result.stderr
