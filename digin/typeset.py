"""The typesetting check: rules a professional typesetter applies, on laid-out pages.

The rules work on a neutral page model (pages of lines, each line with its text, its block
and the block's kind), so the same rules serve two readers:
- `read_pdf(path)`: a built PDF, through its structure tree (tagged PDF: every text run
  belongs to a paragraph, heading or list item) — the check of `check_pdf`;
- the PDF writer's reader of WeasyPrint's page boxes (digin/writers/pdf.py), which finds
  and mends the faults before the PDF is written.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

from .errors import Problem
from .markup import EMAIL

# The character WeasyPrint adds where it hyphenates a word (CSS hyphenate-character).
AUTO_HYPHEN = "\u2010"
HEADINGS = ("H1", "H2", "H3", "H4", "H5", "H6")
MIN_FILL = 0.25              # a page (not the last) is at least a quarter full
MAX_HYPHEN_RUN = 2           # consecutive lines ending in a hyphen
STRAIGHT_QUOTES = re.compile(r"[\"']")
_ENDS_HYPHENATED = re.compile(r"\w[-\u2010]$")

# Rule names, as reported
ADDRESS = "address broken badly"
HEADING_AT_FOOT = "heading at the foot of a page"
HYPHEN_AT_TURN = "word hyphenated across a page turn"
HYPHEN_RUN = "more than two consecutive hyphenated lines"
FRAGMENT_END = "paragraph ends in a hyphenated fragment"
NAME = "name hyphenated"
NEAR_EMPTY = "page less than a quarter full"
FURNITURE_ONLY = "last page holds only the closing section"
STRAIGHT = "straight quote or apostrophe"
TOO_LONG = "too many pages"


@dataclass(frozen=True)
class Line:
    text: str
    block: object        # the paragraph, heading, list item or cell it belongs to (identity)
    kind: str            # "P", "H1".."H6", "LI", "TD", "Figure", ...
    top: float           # distance from the top of the page, in points
    bottom: float

    @property
    def hyphenated(self) -> bool:
        """Ends in a hyphen that breaks a word: an added one or a compound's own (in a PDF
        the two are the same glyph, so they count alike)."""
        return bool(_ENDS_HYPHENATED.search(self.text.rstrip()))

    @property
    def is_heading(self) -> bool:
        return self.kind in HEADINGS


@dataclass
class Page:
    number: int                                   # 1-based
    lines: list[Line] = field(default_factory=list)

    @property
    def text_lines(self) -> list[Line]:
        return [line for line in self.lines if line.kind != "Figure"]


class Finding(NamedTuple):
    page: int            # 1-based
    rule: str
    detail: str
    line: Line | None    # the line to mend (the PDF writer's second pass uses it)


def check_pdf(path: Path | str, max_pages: int | None = None) -> list[Problem]:
    """Every typesetting fault of a built PDF, as a problem located at its file and page
    (field "page N"; the message starts with the rule). A file that cannot be read as a
    tagged PDF is one problem."""
    import pikepdf

    try:
        pages, addresses = read_pdf(path)
    except (pikepdf.PdfError, ValueError) as error:
        return [Problem(str(path), None, "", f"cannot be checked: {error}", code="typesetting")]
    found = [(f.page, f.rule, f.detail) for f in faults(pages, addresses)]
    if max_pages is not None and len(pages) > max_pages:
        found.append((len(pages), TOO_LONG, f"{len(pages)} pages, at most {max_pages}"))
    return [Problem(str(path), None, f"page {page}", f"{rule}: {detail}", code="typesetting")
            for page, rule, detail in found]


def faults(pages: list[Page], addresses: set[str] = frozenset(), rules=None) -> list[Finding]:
    """Every fault, in page order; `addresses`: the link targets (URLs,
    e-mail addresses) the document holds, to tell an address broken across lines;
    `rules`: only these (default: all)."""
    found = []
    for rule in rules or RULES:
        found += rule(pages, addresses)
    return sorted(found, key=lambda finding: finding.page)


def _reading_order(pages: list[Page]):
    """(page, line) of every text line, in order."""
    for page in pages:
        for line in page.text_lines:
            yield page, line


def _last_token(line: Line) -> str:
    return line.text.split()[-1] if line.text.split() else ""


def _first_token(line: Line) -> str:
    return line.text.split()[0] if line.text.split() else ""


def broken_addresses(pages, addresses):
    """An e-mail address, URL or DOI breaks only before `/`, `.` or `@` (or after `//`),
    and never with a hyphen (Chicago Manual of Style 6.76 and 14.18)."""
    found = []
    targets = {a.removeprefix("mailto:") for a in addresses}
    lines = list(_reading_order(pages))
    for (page, line), (_next_page, following) in zip(lines, lines[1:]):
        end, start = _last_token(line), _first_token(following)
        if not end or not start:
            continue
        if end[-1] in (AUTO_HYPHEN, "-"):
            joined = (end[:-1] + start, end[:-1] + "-" + start)
            if any(EMAIL.fullmatch(j.strip(".,;:()")) or _within(j, targets) for j in joined):
                found.append(Finding(page.number, ADDRESS, f"{end}|{start}: hyphen inside an address", line))
        elif (_within(end + start, targets) and start[0] not in "/.@" and not end.endswith("//")
              and (re.search(r"[@/]|\w\.\w", end) or EMAIL.fullmatch((end + start).strip(".,;:()")))):
            # (a break at a space inside a mistyped address, "training centre.org", is the text's)
            found.append(Finding(page.number, ADDRESS, f"{end}|{start}: break inside an address", line))
    return found


def _within(text: str, targets: set[str]) -> bool:
    """Part of a link target, and address-like itself (not a word that a URL also has)."""
    text = text.strip(".,;:()<>")
    return bool(re.search(r"[@/]|\w\.\w", text)) and any(text in target for target in targets)


def headings_at_foot(pages, _addresses=()):
    """A heading keeps at least two lines of what follows it on its page (all of it if
    that is shorter)."""
    found = []
    lines = list(_reading_order(pages))
    for index, (page, line) in enumerate(lines):
        if not line.is_heading:
            continue
        following = lines[index + 1:]
        if following and following[0][1].block == line.block:
            continue            # the heading's own next line
        content = []
        for next_page, next_line in following:
            if next_line.is_heading:
                break
            content.append(next_page)
            if len(content) == 2:
                break
        on_page = sum(1 for p in content if p is page)
        if on_page < len(content):
            found.append(Finding(page.number, HEADING_AT_FOOT,
                                 f"{line.text.strip()!r} keeps {on_page} line(s) of its text on the page", line))
    return found


def hyphens_at_page_turns(pages, _addresses=()):
    """No word is hyphenated across a page turn."""
    found = []
    for page, following in zip(pages, pages[1:]):
        lines = page.text_lines
        if lines and lines[-1].hyphenated and following.text_lines:
            found.append(Finding(page.number, HYPHEN_AT_TURN,
                                 f"{_last_token(lines[-1])}|{_first_token(following.text_lines[0])}", lines[-1]))
    return found


def hyphen_runs(pages, _addresses=()):
    """At most two consecutive lines end in a hyphen."""
    found = []
    for page in pages:
        run: list[Line] = []
        for line in page.text_lines + [None]:
            if line is not None and line.hyphenated:
                run.append(line)
                continue
            if len(run) > MAX_HYPHEN_RUN:
                found.append(Finding(page.number, HYPHEN_RUN,
                                     f"{len(run)} lines from {run[0].text.strip()[-30:]!r}", run[MAX_HYPHEN_RUN]))
            run = []
    return found


def fragment_endings(pages, _addresses=()):
    """No paragraph ends on a line that holds only the rest of a hyphenated word."""
    found = []
    lines = list(_reading_order(pages))
    for index in range(1, len(lines)):
        page, line = lines[index]
        previous = lines[index - 1][1]
        following = lines[index + 1][1] if index + 1 < len(lines) else None
        ends_block = following is None or following.block != line.block
        same_page = following is not None and lines[index + 1][0] is page
        if (previous.block == line.block and previous.hyphenated and ends_block
                and (same_page or following is None) and len(line.text.split()) == 1):
            found.append(Finding(page.number, FRAGMENT_END, f"{_last_token(previous)}|{line.text.strip()}", previous))
    return found


def hyphenated_names(pages, _addresses=()):
    """Names (of people, places, organisations) are not hyphenated: a capitalised word
    (not an acronym) at the end of a hyphenated line."""
    found = []
    for page, line in _reading_order(pages):
        if line.hyphenated and re.fullmatch(r"\(?[A-Z][a-zß-ÿ]+[-\u2010]", _last_token(line)):
            found.append(Finding(page.number, NAME, _last_token(line), line))
    return found


def near_empty_pages(pages, _addresses=()):
    """No page but the last is less than a quarter full, except the first (a cover or a
    title page) and a page that a chapter (H1) opens. The last page of a document of more
    than one page holds more than one closing section (a standalone edition's colophon)."""
    found = []
    used = [line for page in pages for line in page.text_lines]
    if not used or len(pages) < 2:
        return found
    top = min(line.top for line in used)
    height = max(line.bottom for line in used) - top
    for page in pages[1:-1]:
        if page.text_lines and page.text_lines[0].kind == "H1":
            continue
        fill = (max(line.bottom for line in page.text_lines) - top) / height if page.text_lines else 0.0
        if fill < MIN_FILL:
            found.append(Finding(page.number, NEAR_EMPTY, f"{fill:.0%} full",
                                 page.text_lines[0] if page.text_lines else None))
    last = pages[-1].text_lines
    headings = [line for line in last if line.is_heading]
    if last and last[0].kind in HEADINGS[1:] and len(headings) == 1:
        found.append(Finding(pages[-1].number, FURNITURE_ONLY,
                             f"only the closing section {last[0].text.strip()!r} on it", last[0]))
    return found


def straight_quotes(pages, _addresses=()):
    """Typographic quotes and apostrophes only (“…”, ‘…’, «…», ’)."""
    found = []
    for page in pages:
        for line in page.text_lines:
            for match in STRAIGHT_QUOTES.finditer(line.text):
                context = line.text[max(0, match.start() - 15):match.end() + 15].strip()
                found.append(Finding(page.number, STRAIGHT, repr(context), line))
    return found


# --- Reading a built PDF -------------------------------------------------------------

BLOCK_KINDS = frozenset(HEADINGS + ("P", "LI", "LBody", "TD", "TH", "Caption", "Figure"))


RULES = (broken_addresses, headings_at_foot, hyphens_at_page_turns, hyphen_runs, fragment_endings,
         hyphenated_names, near_empty_pages, straight_quotes)


def read_pdf(path: Path | str) -> tuple[list[Page], set[str]]:
    """The pages of a tagged PDF as lines of text (running headers and page numbers,
    which belong to no paragraph, left out), and the targets of its links."""
    import pikepdf

    from .pdfpages import read_pages

    with pikepdf.open(path) as pdf:
        parent_tree = _parent_tree(pdf)
        pages, addresses = [], set()
        for pdf_page in read_pages(pdf):
            elements = parent_tree.get(pdf_page.struct_parents, [])
            pages.append(Page(pdf_page.number, _page_lines(pdf_page.runs, elements)))
            addresses.update(pdf_page.links)
    return pages, addresses


def _parent_tree(pdf) -> dict[int, list]:
    """Page key -> its marked-content ids' structure elements (WeasyPrint writes one flat
    number tree)."""
    import pikepdf

    if "/StructTreeRoot" not in pdf.Root:
        raise ValueError("not a tagged PDF: no structure tree to tell paragraphs and headings apart")
    numbers = pdf.Root.StructTreeRoot.ParentTree.Nums
    tree = {}
    for index in range(0, len(numbers), 2):
        value = numbers[index + 1]
        if isinstance(value, pikepdf.Array):
            tree[int(numbers[index])] = list(value)
    return tree


def _block_of(element):
    """The paragraph-level structure element a text run belongs to, or None (artifacts:
    running headers, page numbers)."""
    for _ in range(20):
        if element is None:
            return None
        kind = str(element.get("/S", "/"))[1:]
        if kind in BLOCK_KINDS:
            return element
        if kind in ("Lbl", "Document", ""):
            return None
        element = element.get("/P")
    return None


def _page_lines(runs, elements) -> list[Line]:
    """A page's text runs (digin/pdfpages.py) as lines: each run in its block (by its
    marked-content id); a figure counts as a line of its own."""
    blocks: dict[int, tuple | None] = {}          # mcid -> (block id, kind), or None

    def block(mcid):
        if mcid not in blocks:
            element = _block_of(elements[mcid]) if mcid is not None and mcid < len(elements) else None
            blocks[mcid] = None if element is None else (element.objgen[0], str(element.get("/S"))[1:])
        return blocks[mcid]

    placed = []                    # (block, kind, top, bottom, text)
    for run in runs:
        found = block(run.mcid)
        if found is None:
            continue
        if run.text is None:       # a marked-content sequence begins: only a figure counts
            if found[1] == "Figure":
                placed.append((found[0], "Figure", 0.0, 0.0, ""))
        elif run.text.strip():
            placed.append((*found, run.baseline - run.size, run.baseline + 0.3 * run.size, run.text))
    return _lines_from_runs(placed)


def _lines_from_runs(runs) -> list[Line]:
    """Runs on one baseline (and in one block) make a line."""
    lines: list[Line] = []
    for block, kind, top, bottom, text in runs:
        last = lines[-1] if lines else None
        if last is not None and kind != "Figure" and last.kind != "Figure" and abs(last.bottom - bottom) < 1.0:
            lines[-1] = Line(last.text + text, last.block, last.kind, min(last.top, top), max(last.bottom, bottom))
        else:
            lines.append(Line(text, block, kind, top, bottom))
    return [Line(line.text.replace("\n", ""), line.block, line.kind, line.top, line.bottom) for line in lines]
