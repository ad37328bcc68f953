"""Where a project's parts live. Tests point it at a copy of the project."""
from __future__ import annotations

import functools
import re
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
        """The locale's file, spelt `nl_BE.po` or `nl-BE.po` (gettext's or BCP 47's way);
        a new one is spelt gettext's way."""
        name = posix_name(lang)
        for spelling in (name, language_tag(name)):
            if (self.locales / f"{spelling}.po").exists():
                return self.locales / f"{spelling}.po"
        return self.locales / f"{name}.po"

    def copy_to(self, root: Path) -> "Project":
        """A working copy of the program and its sources (tests and benchmarks change it).
        The program's compiled bytecode comes along: it stays valid, as the copies keep
        their sources' modification times, and spares each copy compiling it again."""
        for part in ("build.py", "digin", "content", "templates", "styles", "locales"):
            source = self.root / part
            if source.is_dir():
                shutil.copytree(source, root / part)
            else:
                root.mkdir(parents=True, exist_ok=True)
                shutil.copy2(source, root / part)
        return Project(root)

    def languages(self) -> list[str]:
        """The source language first, then every locale that has a PO file, named the way
        gettext and Babel name it (`nl_BE`, whichever way the file is spelt)."""
        return [SOURCE_LANGUAGE] + sorted({posix_name(p.stem) for p in self.locales.glob("*.po")})


# A language code: language, then script, region and variants, joined by - or _.
_SUBTAG = re.compile(r"[A-Za-z0-9]+")


def posix_name(lang: str) -> str:
    """A language as gettext and Babel name it: `nl_BE`, `pt_BR`, `sr_Latn_RS` (from
    `nl-BE`, `nl_be` ...). Case follows BCP 47: language lower, script title, region upper."""
    parts = re.split(r"[-_]", lang)
    fixed = [parts[0].lower()]
    for part in parts[1:]:
        fixed.append(part.title() if len(part) == 4 and part.isalpha()
                     else part.upper() if len(part) in (2, 3) else part)
    return "_".join(fixed)


def base_language(lang: str) -> str:
    """The language of a tag without its script or region: `nl` for `nl-BE` or `nl_BE`."""
    return posix_name(lang).split("_")[0]


def language_tag(lang: str) -> str:
    """The BCP 47 tag of a language (`nl-BE`): what HTML `lang`, EPUB, PDF and DOCX carry."""
    return posix_name(lang).replace("_", "-")


@functools.lru_cache(maxsize=None)
def text_direction(lang: str) -> str:
    """"rtl" for a language written right to left (CLDR's character order: ar, fa, he, ur),
    else "ltr"."""
    from babel import Locale, UnknownLocaleError

    try:
        order = Locale.parse(posix_name(lang)).character_order
    except (ValueError, UnknownLocaleError):
        return "ltr"
    return "rtl" if order == "right-to-left" else "ltr"


def language_problem(lang: str) -> str | None:
    """Why `lang` is not a language code Babel knows, with the closest known ones; None if
    it is one."""
    import difflib

    from babel import Locale, UnknownLocaleError
    from babel.localedata import locale_identifiers

    if all(_SUBTAG.fullmatch(part) for part in re.split(r"[-_]", lang)):
        try:
            Locale.parse(posix_name(lang))
            return None
        except (ValueError, UnknownLocaleError):
            pass
    known = sorted(language_tag(code) for code in locale_identifiers())
    names = {code: Locale.parse(posix_name(code)).english_name or "" for code in known} if len(lang) > 3 else {}
    named = [f"{code} ({name})" for code, name in names.items() if lang.casefold() in name.casefold()]
    close = named[:5] or difflib.get_close_matches(language_tag(lang), known, n=5, cutoff=0.5)
    close = close or [code for code in known if code[:1].lower() == lang[:1].lower() and "-" not in code][:5]
    hint = f"; did you mean {', '.join(close)}?" if close else ""
    return (f"{lang!r} is not a language code Babel knows (a language, optionally with a region: "
            f"nl, nl-BE, pt-BR){hint}")
