"""Fixtures: the real project, copies of it to break, and one real build per session."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from digin.builder import build
from digin.project import ROOT, Project

# A copy of ../shared/seed/000_6283f5da194b24d9.txt, the reference Dutch edition.
SEED = Path(__file__).parent / "data" / "seed-nl.txt"


@pytest.fixture(scope="session")
def project() -> Project:
    return Project(ROOT)


@pytest.fixture(scope="session")
def built(tmp_path_factory, project) -> Path:
    """out/ of one full build (every language, every format) of the real project."""
    out = tmp_path_factory.mktemp("out")
    build(project, out)
    return out


@pytest.fixture
def project_copy(tmp_path) -> Path:
    """A private copy of the project, to break on purpose."""
    return Project(ROOT).copy_to(tmp_path / "project").root


def run_cli(root: Path, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    """Run `python build.py ...` in a project folder, as a user would (`env`: extra variables)."""
    return subprocess.run([sys.executable, "build.py", *args], cwd=root, capture_output=True,
                          text=True, timeout=600, env={**os.environ, **(env or {})})
