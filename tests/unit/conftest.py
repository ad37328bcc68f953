"""Fixtures of the fast tier: the small project in tests/fixture/, with the real templates
and styles (the code under test reads them; copying keeps the fixture itself small)."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from digin.errors import Problems
from digin.project import ROOT, Project
from digin.yamlsource import read_yaml

FIXTURE = Path(__file__).resolve().parent.parent / "fixture"


def assemble(root: Path) -> Project:
    """A working project at `root`: the fixture's content and locales, the real templates and styles."""
    shutil.copytree(FIXTURE, root)
    for part in ("templates", "styles"):
        shutil.copytree(ROOT / part, root / part, ignore=shutil.ignore_patterns("__pycache__"))
    return Project(root)


@pytest.fixture(scope="session")
def fixture_project(tmp_path_factory) -> Project:
    """The fixture project, assembled once: read it, do not change it."""
    return assemble(tmp_path_factory.mktemp("fixture") / "project")


@pytest.fixture
def fixture_copy(tmp_path) -> Project:
    """A private copy of the fixture project, to change."""
    return assemble(tmp_path / "project")


@pytest.fixture
def yaml_file(tmp_path):
    """read(text) -> (data, problems): `text` parsed as the YAML file `t.yaml`."""
    def read(text: str):
        path = tmp_path / "t.yaml"
        path.write_text(text, encoding="utf-8")
        problems = Problems()
        return read_yaml(path, "t.yaml", problems), problems
    return read

