"""Where a project's parts live. Tests point it at a copy of the project."""
from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCE_LANGUAGE = "en"


@dataclass(frozen=True)
class Project:
    root: Path

    @property
    def content(self) -> Path:
        return self.root / "content"

    @property
    def templates(self) -> Path:
        return self.root / "templates"

    @property
    def styles(self) -> Path:
        return self.root / "styles"

    @property
    def locales(self) -> Path:
        return self.root / "locales"

    def shown(self, path: Path) -> str:
        """A path as users see it in messages: relative to the project."""
        try:
            return path.relative_to(self.root).as_posix()
        except ValueError:
            return str(path)

    def po_file(self, lang: str) -> Path:
        return self.locales / f"{lang}.po"

    def copy_to(self, root: Path) -> "Project":
        """A working copy of the program and its sources (tests and benchmarks change it)."""
        for part in ("build.py", "digin", "content", "templates", "styles", "locales"):
            source = self.root / part
            if source.is_dir():
                shutil.copytree(source, root / part, ignore=shutil.ignore_patterns("__pycache__"))
            else:
                root.mkdir(parents=True, exist_ok=True)
                shutil.copy2(source, root / part)
        return Project(root)

    def languages(self) -> list[str]:
        """The source language first, then every locale that has a PO file."""
        return [SOURCE_LANGUAGE] + sorted(p.stem for p in self.locales.glob("*.po"))
