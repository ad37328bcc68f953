"""Reads confined and bounded: every file the pipeline reads from content/, locales/,
templates/ and styles/ must be a regular file inside its folder, read no further than the
limit. A symbolic link out, a device, a FIFO or a folder is refused before it is opened,
with a message that names the file."""
from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
import time

import pytest

from conftest import assert_refused, run_cli
from digin import assets
from digin.assets import FileRefused, read_project_file, read_styles_file
from digin.errors import Problems
from digin.i18n import template_strings, translator_for
from digin.project import Project

def _zero_device(path) -> None:
    """A device like /dev/zero inside the project's folder (needs the right to make one)."""
    try:
        os.mknod(path, stat.S_IFCHR | 0o600, os.makedev(1, 5))
    except PermissionError:
        pytest.skip("this user may not make a device file")


# What a hostile or unlucky file can be: each is refused.
SPECIAL = {
    "device": lambda path: path.symlink_to("/dev/zero"),
    "device inside": _zero_device,
    "fifo": lambda path: os.mkfifo(path),
    "folder": lambda path: path.mkdir(),
    "link out": lambda path: path.symlink_to(path.parent.parent.parent / "outside.txt"),
}
MESSAGES = {"device": "leads outside", "device inside": "not a regular file", "fifo": "not a regular file",
            "folder": "not a regular file", "link out": "leads outside"}


def make(kind: str, path) -> None:
    """Replace the file at `path` by a special file of this kind (a link out leads to a
    real file, a copy of the original, outside the project)."""
    outside = path.parent.parent.parent / "outside.txt"
    outside.write_bytes(path.read_bytes())
    path.unlink()
    SPECIAL[kind](path)


_LOAD = """
import json, sys, time
from pathlib import Path
from digin.errors import ContentError
from digin.load import load_toolkit
from digin.project import Project
started = time.monotonic()
try:
    load_toolkit(Project(Path(sys.argv[1])))
    message = ""
except ContentError as error:
    message = str(error)
print(json.dumps([message, time.monotonic() - started]))
"""


def load_in_a_process(root) -> tuple[str, float]:
    """(the content check's message, its seconds), in a process of its own: a FIFO that
    blocked would fail the test by its timeout, not hang it."""
    result = subprocess.run([sys.executable, "-c", _LOAD, str(root)], cwd=root, capture_output=True, text=True,
                            timeout=30)
    assert result.returncode == 0, result.stderr
    return tuple(json.loads(result.stdout))


@pytest.mark.parametrize("kind", list(SPECIAL))
def test_a_special_content_file_is_refused_within_a_second(project_copy, kind):
    make(kind, project_copy / "content/resources.yaml")
    message, seconds = load_in_a_process(project_copy)
    assert message.startswith(f"content/resources.yaml: {MESSAGES[kind]}"), message
    assert seconds < 1


@pytest.mark.parametrize("kind", ["device", "fifo"])
def test_the_build_refuses_a_special_content_file_and_writes_nothing(built_copy, kind):
    make(kind, built_copy / "content/resources.yaml")
    started = time.monotonic()
    assert_refused(built_copy, [f"content/resources.yaml: {MESSAGES[kind]}"])
    assert time.monotonic() - started < 20   # the process, its workers' start and stop included


@pytest.mark.parametrize("kind", list(SPECIAL))
def test_a_special_po_file_is_refused(project_copy, kind):
    make(kind, project_copy / "locales/nl.po")
    problems = Problems()
    translator = translator_for(Project(project_copy), "nl", problems)
    assert [str(p) for p in problems.items] == [f"locales/nl.po: {p.message}" for p in problems.items]
    assert MESSAGES[kind] in problems.items[0].message
    assert translator.entries == {}


def test_a_template_linked_from_outside_is_refused(project_copy):
    make("link out", project_copy / "templates/macros.html.j2")
    with pytest.raises(FileRefused, match="templates/macros.html.j2: leads outside templates/"):
        template_strings(Project(project_copy))
    result = run_cli(project_copy, "build", "--locale", "en", "--format", "pdf")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "templates/macros.html.j2: leads outside templates/" in result.stderr
    assert not (project_copy / "out/en").exists()


@pytest.mark.parametrize("stylesheet, fmt", [("print.css", "pdf"), ("epub.css", "epub")])
def test_a_stylesheet_linked_from_outside_is_refused(built_copy, stylesheet, fmt):
    make("link out", built_copy / "styles" / stylesheet)
    assert_refused(built_copy, [f"styles/{stylesheet}: leads outside styles/"], "--format", fmt)


@pytest.mark.parametrize("name", ["site.css", "eu-emblem.svg", "eu-emblem.png", "print.css", "epub.css",
                                  "fonts/Lato-Regular.ttf"])
@pytest.mark.parametrize("kind", list(SPECIAL))
def test_every_styles_file_is_read_confined(project_copy, name, kind):
    project = Project(project_copy)
    assert read_styles_file(project, name)   # the real file: served
    make(kind, project.styles / name)
    with pytest.raises(FileRefused) as refused:
        read_styles_file(project, name)
    assert str(refused.value).startswith(f"styles/{name}: {MESSAGES[kind]}")


def test_the_renderer_is_refused_a_linked_emblem(project_copy):
    project = Project(project_copy)
    fetch = assets.fetcher(project).fetch
    assert fetch((project.styles / "eu-emblem.svg").as_uri()).read().startswith(b"<")   # the real one: served
    make("link out", project.styles / "eu-emblem.svg")
    with pytest.raises(assets.AssetRefused, match="refused .*leads outside styles/"):
        fetch((project.styles / "eu-emblem.svg").as_uri())
    with pytest.raises(assets.AssetRefused, match="refused"):
        fetch((project.root / "content/glossary.yaml").as_uri())


def test_the_size_limit_counts_the_bytes_read(project_copy):
    project = Project(project_copy)
    path = project.content / "glossary.yaml"
    size = path.stat().st_size
    assert len(read_project_file(project, path, size)) == size
    with pytest.raises(FileRefused, match=r"content/glossary.yaml: file is larger than \d+(\.\d+)? kB"):
        read_project_file(project, path, size - 1)


@pytest.mark.parametrize("path", ["build.py", "content/../build.py", "digin/load.py", "/etc/hostname"])
def test_only_the_project_folders_are_read(project_copy, path):
    with pytest.raises(FileRefused, match="not in a folder the pipeline reads"):
        read_project_file(Project(project_copy), project_copy / path, 1_000_000)


def test_a_link_inside_its_folder_is_followed(project_copy):
    """Confinement is by where a file resolves: a link within content/ is fine."""
    glossary = project_copy / "content/glossary.yaml"
    (project_copy / "content/shared").mkdir()
    glossary.rename(project_copy / "content/shared/glossary.yaml")
    glossary.symlink_to(project_copy / "content/shared/glossary.yaml")
    assert load_in_a_process(project_copy)[0] == ""
