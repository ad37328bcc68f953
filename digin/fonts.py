"""Scripts and fonts as data (styles/fonts.yaml), and the check that every language's
text can be set in them.

Every character a language's editions show — its content and interface strings (its
translations, and the English where it falls back), its name and month names from CLDR —
must be in a font the project ships, in every face of it. Otherwise the build stops with
one message per language and script; WeasyPrint would quietly take a font from the
build machine, and the output would depend on the machine.
"""
from __future__ import annotations

import datetime
import io
import unicodedata
from dataclasses import dataclass, field

from fontTools import unicodedata as unicode_scripts

from .assets import FileRefused, read_project_file, read_styles_file
from .errors import Problems
from .i18n import Translator, content_strings
from .limits import project_limits
from .markup import dates_locale
from .project import Project, posix_name
from .yamlsource import read_yaml

FILE = "fonts.yaml"
_SHARED_SCRIPTS = ("Zyyy", "Zinh", "Zzzz")   # Common, Inherited, Unknown: used with any script
_FIELDS = ("script", "name", "font", "files", "licence", "languages")
_fonts: dict[tuple, "_FontFile"] = {}       # (file, size, mtime) -> what is read of it, once per process


@dataclass(frozen=True)
class Script:
    code: str            # ISO 15924: Latn, Grek, Cyrl
    name: str
    font: str
    files: tuple[str, ...]
    licence: str
    languages: tuple[str, ...]
    lines: dict = field(default_factory=dict, compare=False)   # field -> its line in the file


def declared_scripts(project: Project, problems: Problems) -> list[Script]:
    """The scripts of styles/fonts.yaml, each checked: its fields, its font files and
    licence present in styles/."""
    path = project.styles / FILE
    shown = project.shown(path)
    data = read_yaml(path, shown, problems, project_limits(project), project.styles)
    if data is None:
        return []
    entries = data.get("scripts") if isinstance(data, dict) else None
    if not isinstance(entries, list) or not entries:
        problems.add(shown, getattr(data, "line", None), "scripts", "a list of scripts, each with its font, is needed")
        return []
    scripts = []
    for number, entry in enumerate(entries):
        line = entries.lines[number]
        script = _script(entry, shown, line, f"scripts[{number}]", problems)
        if script is not None and _files_present(project, script, shown, f"scripts[{number}]", problems):
            scripts.append(script)
    return scripts


def _script(entry, shown: str, line: int, where: str, problems: Problems) -> Script | None:
    if not isinstance(entry, dict) or set(entry) != set(_FIELDS):
        given = ", ".join(entry) if isinstance(entry, dict) else type(entry).__name__
        problems.add(shown, line, where, f"needs exactly the fields {', '.join(_FIELDS)} (has: {given})")
        return None
    texts = ("script", "name", "font", "licence")
    lists = ("files", "languages")
    if not all(isinstance(entry[k], str) and entry[k] for k in texts) or not all(
            isinstance(entry[k], list) and entry[k] and all(isinstance(v, str) for v in entry[k]) for k in lists):
        problems.add(shown, line, where, f"{', '.join(texts)} are text; {', '.join(lists)} are non-empty lists of text")
        return None
    if unicode_scripts.script_name(entry["script"], default=None) is None:
        problems.add(shown, entry.lines["script"], f"{where}.script",
                     f"{entry['script']!r} is not an ISO 15924 script code (Latn, Grek, Cyrl, Arab ...)")
        return None
    return Script(entry["script"], entry["name"], entry["font"], tuple(entry["files"]), entry["licence"],
                  tuple(posix_name(lang) for lang in entry["languages"]), dict(entry.lines))


def _files_present(project: Project, script: Script, shown: str, where: str, problems: Problems) -> bool:
    present = True
    for name, key in [(name, "files") for name in script.files] + [(script.licence, "licence")]:
        if not (project.styles / name).is_file():
            present = False
            problems.add(shown, script.lines.get(key), f"{where}.{key}",
                         f"{name} is not a file in styles/ (fonts and their licence are part of the project)")
    return present


def covered(project: Project, scripts: list[Script], problems: Problems) -> frozenset[int]:
    """The code points some declared font has in every one of its faces."""
    families: dict[str, list[frozenset[int]]] = {}
    for script in scripts:
        for name in script.files:
            cmap = _cmap(project, name, problems)
            if cmap is not None:
                families.setdefault(script.font, []).append(cmap)
    result: frozenset[int] = frozenset()
    for faces in families.values():
        result |= frozenset.intersection(*faces)
    return result


def _cmap(project: Project, name: str, problems: Problems) -> frozenset[int] | None:
    found = _font(project, name, problems)
    return found.cmap if found else None


@dataclass(frozen=True)
class _FontFile:
    cmap: frozenset[int]     # the code points it has
    weight: int              # OS/2: 400, 700
    italic: bool


def _font(project: Project, name: str, problems: Problems) -> _FontFile | None:
    """What the checks and the writers need of a font file in styles/, read once per process
    (per file, size and modification time)."""
    from fontTools.ttLib import TTFont, TTLibError

    path = project.styles / name
    stat = path.stat()
    key = (str(path.resolve()), stat.st_size, stat.st_mtime_ns)
    if key not in _fonts:
        try:
            font = TTFont(io.BytesIO(read_styles_file(project, name)), lazy=True)
            # Numbered glyph names: fontTools would otherwise name every glyph first (5x slower).
            font.setGlyphOrder([f"glyph{number}" for number in range(font["maxp"].numGlyphs)])
            _fonts[key] = _FontFile(frozenset(font["cmap"].getBestCmap() or ()), font["OS/2"].usWeightClass,
                                    bool(font["OS/2"].fsSelection & 1))
        except FileRefused as error:
            problems.items.append(error.problem)
            return None
        except (TTLibError, AssertionError, KeyError, ValueError, OSError) as error:
            problems.add(project.shown(path), None, "", f"not a font fontTools can read: {error}")
            return None
    return _fonts[key]


def language_script(lang: str, scripts: list[Script]) -> str | None:
    """The script a language is written in: as its tag says (sr_Latn), else as
    styles/fonts.yaml lists it, else as CLDR has it (Babel's likely subtags), else None."""
    from babel.core import get_global

    parts = posix_name(lang).split("_")
    if len(parts) > 1 and len(parts[1]) == 4:
        return parts[1]
    for script in scripts:
        if posix_name(lang) in script.languages or parts[0] in script.languages:
            return script.code
    likely = get_global("likely_subtags")
    for candidate in (posix_name(lang), parts[0]):
        found = likely.get(candidate, "").split("_")
        if len(found) > 1 and len(found[1]) == 4:
            return found[1]
    return None


@dataclass(frozen=True)
class Shown:
    """A string one language's editions show, and where it is written."""

    text: str
    file: str
    line: int | None
    field: str


def shown_strings(project: Project, toolkit, translator: Translator) -> list[Shown]:
    """What `translator`'s language shows: its translations (the English where one is
    missing, which is checked as the source language's), its name and month names."""
    if translator.entries is None:
        found = []
        for text in content_strings(toolkit):
            file, _, line = text.source.rpartition(":")
            found.append(Shown(str(text), file or "content", int(line) if line.isdigit() else None, text.key))
        found += _template_lines(project)
        return found + _locale_strings(translator.lang, project.shown(project.content))
    po = project.shown(project.po_file(translator.lang))
    found = [Shown(entry.msgstr, po, entry.linenum, entry.msgctxt or entry.msgid[:40])
             for entry in translator.entries.values() if entry.msgstr and not entry.fuzzy]
    return found + _locale_strings(translator.lang, po)


def _template_lines(project: Project) -> list[Shown]:
    """Every line of the templates: their interface strings in English, and any character
    written into them (reading them is 20 times cheaper than extracting the strings)."""
    limit = project_limits(project).file_bytes.templates
    found = []
    for path in sorted(project.templates.glob("*.j2")):
        text = read_project_file(project, path, limit).decode("utf-8", errors="replace")
        found += [Shown(line, project.shown(path), number, "template")
                  for number, line in enumerate(text.splitlines(), start=1) if not line.isascii()]
    return found


def _locale_strings(lang: str, shown: str) -> list[Shown]:
    """The language's own name, month names and long date (CLDR): the download page and
    every date show them (a date's pattern adds its own signs: "р.", a narrow space)."""
    from babel import Locale, UnknownLocaleError
    from babel.dates import format_date

    try:
        locale = Locale.parse(posix_name(lang))
        dated = format_date(datetime.date(2026, 3, 31), "long", locale=dates_locale(posix_name(lang)))
    except (ValueError, UnknownLocaleError):
        return []   # refused elsewhere, with the closest known codes
    months = locale.months.get("format", {}).get("wide", {})
    return ([Shown(locale.get_display_name(locale) or "", shown, None, "language name (CLDR)"),
             Shown(dated, shown, None, "long date (CLDR)")]
            + [Shown(name, shown, None, "month name (CLDR)") for name in months.values()])


def check_coverage(project: Project, toolkit, translators: dict[str, Translator], problems: Problems) -> None:
    """Every language's text is in the declared fonts; else one problem per language and
    script, with an example and what to add."""
    before = len(problems.items)
    scripts = declared_scripts(project, problems)
    if not scripts or len(problems.items) > before:
        return       # a font file missing or the table broken: that message alone, not every character
    have = covered(project, scripts, problems)
    families: dict[str, list[str]] = {}
    for script in scripts:
        families.setdefault(script.font, []).append(script.name)
    fonts = "; ".join(f"{font}: {', '.join(names)}" for font, names in families.items())
    for lang, translator in translators.items():
        missing: dict[str, tuple[str, Shown]] = {}     # script -> (first character, its string)
        for shown in shown_strings(project, toolkit, translator):
            for char in dict.fromkeys(shown.text):
                if ord(char) not in have and unicodedata.category(char) != "Cc":
                    missing.setdefault(_script_of(char, lang, scripts), (char, shown))
        for code, (char, shown) in missing.items():
            problems.add(shown.file, shown.line, shown.field, _message(lang, code, char, shown.text, fonts),
                         code="font-coverage")


def _script_of(char: str, lang: str, scripts: list[Script]) -> str:
    code = unicode_scripts.script(char)
    if code in _SHARED_SCRIPTS:      # a digit or a dash: name the script of the language
        return language_script(lang, scripts) or code
    return code


def _message(lang: str, code: str, char: str, text: str, fonts: str) -> str:
    name = unicode_scripts.script_name(code, default=code)
    where = " ".join(text.split())
    example = where if len(where) <= 60 else where[:57] + "…"
    return (f"language {lang}, {name} script: {char!r} (U+{ord(char):04X} "
            f"{unicodedata.name(char, 'unnamed character')}) in {example!r} is in no font of "
            f"styles/{FILE} ({fonts}): add a font for the {name} script to styles/{FILE}, with its OFL "
            "licence, and a test (no font of the build machine is used instead)")


# --- the faces every writer embeds ------------------------------------------------------

FAMILY_PREFIX = "DiGiN "   # a family name of the project's own: no installed font can stand in


@dataclass(frozen=True)
class Face:
    family: str          # as the stylesheets name it: "DiGiN Lato"
    file: str            # in styles/: fonts/Lato-Bold.ttf
    weight: int          # from the font's OS/2 table: 400, 700
    italic: bool


def faces(project: Project) -> list[Face]:
    """Every face of the declared fonts, each once, in the order of styles/fonts.yaml (the
    first font is the text's; the others set the characters it lacks)."""
    problems = Problems()
    families: dict[str, str] = {}       # file -> the family that declares it first
    for script in declared_scripts(project, problems):
        families.update({name: script.font for name in script.files if name not in families})
    files = {name: _font(project, name, problems) for name in families}
    problems.raise_if_any()
    return [Face(FAMILY_PREFIX + families[name], name, font.weight, font.italic) for name, font in files.items()]


def font_stack(declared: list[Face]) -> str:
    """The font-family value that sets every declared script: "DiGiN Lato", "DiGiN Noto ..."."""
    return ", ".join(f'"{family}"' for family in dict.fromkeys(face.family for face in declared))


def font_face_rules(declared: list[Face], weights: dict[int, str] | None = None) -> str:
    """One @font-face rule per face (`weights`: how a stylesheet writes 400 and 700, if not
    as numbers); the stylesheets of every format take their fonts from here."""
    weights = weights or {}
    return "".join(f'@font-face {{ font-family: "{face.family}"; src: url({face.file}); '
                   f'font-weight: {weights.get(face.weight, face.weight)}; '
                   f'font-style: {"italic" if face.italic else "normal"}; }}\n' for face in declared)


def needed(project: Project, declared: list[Face], text: str) -> list[Face]:
    """The faces of the families `text` needs: the first family (the text's own), and each
    other only if the text has a character that the families before it lack."""
    chars = {ord(char) for char in text}
    kept: list[Face] = []
    have: frozenset[int] = frozenset()
    for family in dict.fromkeys(face.family for face in declared):
        group = [face for face in declared if face.family == family]
        cmaps = [_cmap(project, face.file, Problems()) or frozenset() for face in group]
        cmap = frozenset.intersection(*cmaps)
        if not kept or (chars - have) & cmap:
            kept += group
            have |= cmap
    return kept


def face_for(project: Project, declared: list[Face], text: str, weight: int) -> Face:
    """The upright face of `weight` of the first font that has every character of `text`
    (else of the first font): for text drawn without a renderer's fallback (a cover)."""
    upright = [face for face in declared if face.weight == weight and not face.italic]
    chars = {ord(char) for char in text if not char.isspace()}
    return next((face for face in upright if chars <= (_cmap(project, face.file, Problems()) or frozenset())),
                upright[0])


def script_font(project: Project, lang: str) -> str:
    """The family the project sets `lang`'s script in (styles/fonts.yaml), as a word
    processor names it: "Noto Sans Arabic" for ar."""
    problems = Problems()
    scripts = declared_scripts(project, problems)
    problems.raise_if_any()
    code = language_script(lang, scripts)
    return next((script.font for script in scripts if script.code == code), scripts[0].font)


def subset(data: bytes, characters: str) -> bytes:
    """A face cut down to `characters` (and basic Latin and common punctuation, for a
    reader's or an editor's own additions); its names stay, with the licence (OFL).
    HarfBuzz's subsetter, as WeasyPrint uses for the PDF: some 400 times faster than
    fontTools' for the same glyphs (0.5 ms against 0.2 s a face)."""
    import uharfbuzz as hb

    wanted = hb.SubsetInput()
    wanted.sets(hb.SubsetInputSets.UNICODE).update(
        set(map(ord, characters + "".join(map(chr, range(0x20, 0x7F))) + "…–—‘’“”•·")))
    names = wanted.sets(hb.SubsetInputSets.NAME_ID)
    names.clear()
    names.invert()                   # every name record: copyright and licence too
    wanted.flags = hb.SubsetFlags.NOTDEF_OUTLINE
    return hb.subset(hb.Face(data), wanted).blob.data
