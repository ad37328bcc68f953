"""Pseudo-localization: every edition built with every string lengthened, accented and
bracketed, to see before any translation exists where text will not fit (`build.py
i18n pseudo`), and a layout check of the result.

The pseudo locale is written into a temporary copy of the project, never into the
user's locales/. Babel accepts no private-use tag (qps-ploc, en-XA), so the locale is
`en_001` ("English, world"): CLDR has it, and its dates, plurals and hyphenation are
English, like the words under the accents; no edition of the project uses it.
"""
from __future__ import annotations

import re
import subprocess
import tempfile
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

from . import po
from .builder import BuildReport, build
from .errors import ContentError, Problem, Problems
from .i18n import parse_catalog
from .load import load_toolkit
from .plan import BuildOptions
from .project import Project
from .publish import read_manifest
from .translating import keep_rules, kept
from .typeset import FURNITURE_ONLY, NEAR_EMPTY, TOO_LONG, check_pdf

LOCALE = "en_001"
EXPANSION = 1.4                  # German and Finnish run 35-40 % longer than English
OPEN, CLOSE = "‹", "›"          # ⟦ ⟧ would be clearer, but no font of styles/fonts.yaml has them
LAYOUT_RULES = (TOO_LONG, FURNITURE_ONLY, NEAR_EMPTY)   # of the typesetting check: what longer text breaks
OVERFLOW = "text overflows"
_TOLERANCE = 1.0                 # points: rounding in the PDF's coordinates

# What must come through untouched: placeholders, e-mail addresses, links' targets,
# citation markers, addresses, markup escapes.
_PROTECTED = re.compile(r"""
    %(?:\([^)]*\))?[-\#0 +]*\d*(?:\.\d*)?[a-zA-Z%]     # %(name)s, %d
  | [\w.+-]+@[\w-]+(?:\.[\w-]+)+                       # an e-mail address
  | \]\((?:[^()]|\([^()]*\))*\)                        # a link's target: ](https://…), ](%(url)s)
  | \[@[^\[\]]*\]                                      # a citation: [@key, p. 3]
  | (?<![\w@.\\\[])@\w[\w:.\#$%&+?<>~/-]*              # a bare citation: @key
  | (?:https?|mailto):[^\s)>\]]+                       # an address in the text
  | \\.                                                # an escaped character
""", re.X)
_ACCENTED = str.maketrans("abcdeghijklnorstuwyzACDEGHIJKLNORSTUWYZ",
                          "åƀçðéĝĥîĵķļñöŕšţüŵýžÅÇÐÉĜĤÎĴĶĻÑÖŔŠŢÜŴÝŽ")
_VOWELS = re.compile(r"[aeiouyAEIOUY]")


def pseudo_text(text: str, expand: float = EXPANSION) -> str:
    """`text` lengthened to about `expand` times its length (vowels doubled), accented and
    bracketed, with its markup, placeholders, links and citations intact."""
    pieces = _PROTECTED.split(text)
    kept_pieces = _PROTECTED.findall(text)
    extra = max(0, round(sum(map(len, pieces)) * (expand - 1)) - len(OPEN + CLOSE))
    vowels = [(index, match.start()) for index, piece in enumerate(pieces) for match in _VOWELS.finditer(piece)]
    repeats = _spread(extra, len(vowels))
    doubled = {spot: count for spot, count in zip(vowels, repeats) if count}
    out = []
    for index, piece in enumerate(pieces):
        out.append("".join(char * (1 + doubled.get((index, position), 0)) for position, char in enumerate(piece))
                   .translate(_ACCENTED))
        if index < len(kept_pieces):
            out.append(kept_pieces[index])
    return OPEN + "".join(out) + CLOSE


def _spread(extra: int, slots: int) -> list[int]:
    """`extra` repeats over `slots` vowels, as evenly as can be."""
    if not slots:
        return []
    return [(extra * (i + 1)) // slots - (extra * i) // slots for i in range(slots)]


def write_catalog(project: Project, expand: float) -> Path:
    """locales/en_001.po of `project` (a copy): every string pseudo-translated, except
    those meant to stay as they are (locales/keep.yaml: names, titles, addresses)."""
    problems = Problems()
    path = po.init(project, LOCALE, problems)
    rules = keep_rules(project, problems)
    problems.raise_if_any()
    catalog = parse_catalog(path.read_text(encoding="utf-8"))
    for entry in catalog:
        rule = kept(rules, entry.msgctxt)
        entry.msgstr = entry.msgid if rule.english or rule.name else pseudo_text(entry.msgid, expand)
        if entry.msgid_plural:
            entry.msgstr_plural = {n: pseudo_text(entry.msgid_plural if n else entry.msgid, expand)
                                   for n in entry.msgstr_plural or {0: "", 1: ""}}
        if "fuzzy" in entry.flags:
            entry.flags.remove("fuzzy")
    po.save(catalog, path)
    return path


@dataclass
class PseudoBuild:
    report: BuildReport
    faults: list[Problem]


def build_pseudo(project: Project, out: Path, expand: float = EXPANSION, formats: list[str] | None = None,
                 jobs: int | None = None) -> PseudoBuild:
    """Every edition in the pseudo locale, built from a temporary copy of `project` into
    `out`, and the layout faults of its PDFs. Never into the project's own out/: its
    download page and manifest would list the pseudo language."""
    if out.resolve() == (project.root / "out").resolve():
        raise ContentError([Problem(str(out), None, "--out", "the pseudo build goes into a folder of its own "
                                                            "(default out-pseudo/), not into out/")])
    with tempfile.TemporaryDirectory(prefix="digin-pseudo-") as folder:
        copy = project.copy_to(Path(folder) / "project")
        write_catalog(copy, expand)
        options = BuildOptions(langs=[LOCALE], formats=formats, force=True)
        if jobs:
            options.jobs = jobs
        report = build(copy, out, options)
        return PseudoBuild(report, layout_faults(copy, out))


def layout_faults(project: Project, out: Path) -> list[Problem]:
    """What the pseudo edition's PDFs break: too many pages, a last page with only the
    closing section, a near-empty page, text running past the margins or into other text."""
    limits = {kind.kind: kind.max_pages for kind in load_toolkit(project).editions.editions}
    margins = _margins(project)
    faults = []
    for entry in read_manifest(out):
        if entry.get("format") != "pdf" or entry.get("locale") != LOCALE:
            continue
        path = out / entry["path"]
        found = [f for f in check_pdf(path, limits.get(entry["kind"])) if f.message.split(":")[0] in LAYOUT_RULES]
        found += overflows(path, margins)
        faults += [Problem(entry["path"], f.line, f.field, f.message, code="layout") for f in found]
    return faults


def _margins(project: Project) -> tuple[float, float]:
    from .writers import tokens

    _top, right, _bottom, left = tokens.read(project.styles).box("page-margin")
    return left, right


class _Words(HTMLParser):
    """The words of `pdftotext -bbox` output, per page: (page, width, xmin, ymin, xmax, ymax, text)."""

    def __init__(self):
        super().__init__()
        self.pages: list[tuple[float, list]] = []
        self._word: list | None = None

    def handle_starttag(self, tag, attrs):
        values = dict(attrs)
        if tag == "page":
            self.pages.append((float(values["width"]), []))
        elif tag == "word" and self.pages:
            self._word = [float(values[k]) for k in ("xmin", "ymin", "xmax", "ymax")] + [""]
            self.pages[-1][1].append(self._word)

    def handle_data(self, data):
        if self._word is not None:
            self._word[4] += data

    def handle_endtag(self, tag):
        if tag == "word":
            self._word = None


def overflows(path: Path, margins: tuple[float, float]) -> list[Problem]:
    """Words set past the page's side margins, or on top of other words (a heading or a
    table cell too narrow for a long word), one problem per page."""
    result = subprocess.run(["pdftotext", "-bbox", str(path), "-"], capture_output=True, text=True, timeout=120)
    if result.returncode != 0:
        return [Problem(str(path), None, "", f"pdftotext could not read it: {result.stderr.strip()[:200]}")]
    words = _Words()
    words.feed(result.stdout)
    left, right = margins
    found = []
    for number, (width, page) in enumerate(words.pages, start=1):
        outside = [w for w in page if w[0] < left - _TOLERANCE or w[2] > width - right + _TOLERANCE]
        clashes = [w for w, v in zip(page, page[1:]) if _overlap(w, v)]
        for word in (outside + clashes)[:1]:
            where = "past the margin" if word in outside else "over the next word"
            found.append(Problem(str(path), None, f"page {number}",
                                 f"{OVERFLOW}: {word[4][:40]!r} runs {where}"
                                 + (f" ({len(outside) + len(clashes)} words)" if len(outside) + len(clashes) > 1 else "")))
    return found


def _overlap(first: list, second: list) -> bool:
    """Two words on the same line that cover each other by more than the tolerance."""
    same_line = min(first[3], second[3]) - max(first[1], second[1]) > (first[3] - first[1]) / 2
    return same_line and min(first[2], second[2]) - max(first[0], second[0]) > _TOLERANCE
