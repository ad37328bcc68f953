"""The PDF writer's second look at its pages: the typesetting rules (digin/typeset.py)
that CSS cannot express in WeasyPrint 70 — no word hyphenated across a page turn, no
more than two hyphenated lines in a row, no paragraph ending on a word fragment, a
heading never at the foot of a page, no near-empty page — are checked on the laid-out
boxes and mended before the PDF is written.

How: WeasyPrint lays a document out page by page and can re-make one page and the pages
after it until the layout meets the old one again (it does so for page-number lookups).
We wrap its `make_all_pages`: once the pages are made, find the faults, change the style
of the few boxes concerned (no hyphenation in one paragraph; a page break before a
heading or paragraph; one more line carried over), and let WeasyPrint re-make the pages
from the first one concerned. A mend costs the re-layout of a few pages, not a second
rendering of the document. The change is WeasyPrint 70's internals (pinned).
"""
from __future__ import annotations

import contextvars
import time

from .. import typeset
from ..typeset import Line, Page

MAX_ROUNDS = 12          # mending rounds per document; each re-makes a few pages
FILL_MARGIN = 0.03       # mend a page below a quarter full plus this (the check measures from the PDF)

BLOCK_KINDS = {"p": "P", "li": "LI", "td": "TD", "th": "TH", "caption": "Caption",
               **{f"h{level}": f"H{level}" for level in range(1, 7)}}
HYPHENATION_FIXES = (typeset.HYPHEN_AT_TURN, typeset.HYPHEN_RUN, typeset.FRAGMENT_END, typeset.NAME)
NARROWING_EM = 2.0       # a paragraph whose line ends in a compound's own hyphen: its lines this much shorter
MAX_NARROWING = 3
BREAK_FIXES = (typeset.HEADING_AT_FOOT, typeset.NEAR_EMPTY, typeset.FURNITURE_ONLY)
# The rules whose faults it mends (the others, e.g. straight quotes, are not a matter of layout).
MENDABLE = (typeset.headings_at_foot, typeset.hyphens_at_page_turns, typeset.hyphen_runs, typeset.fragment_endings,
            typeset.hyphenated_names, typeset.near_empty_pages)

_MENDING = contextvars.ContextVar("mending", default=None)


class Mender:
    """The mending of one document: its rounds and what they changed, for the log."""

    def __init__(self):
        self.rounds = 0
        self.seconds = 0.0                             # CPU time of finding and mending
        self.mended: list[str] = []
        self.index: dict[int, list] | None = None     # id(element) -> its boxes in the box tree
        self.trial = None        # (box, its style before, score before, page index) of the last page break
        self.tried: set[int] = set()                  # elements a page break before did not help

    def __enter__(self):
        self.token = _MENDING.set(self)
        return self

    def __exit__(self, *exc):
        _MENDING.reset(self.token)


def install() -> None:
    """Wrap WeasyPrint's page making (once per process)."""
    from weasyprint import layout

    if getattr(layout.make_all_pages, "mends", False):
        return
    original = layout.make_all_pages

    def make_all_pages(context, root_box, html, pages):
        pages = list(original(context, root_box, html, pages))
        mender = _MENDING.get()
        started = time.process_time()
        # Mend a settled layout only: while page-number lookups (the table of contents)
        # still wait for pages to be re-made, WeasyPrint's own loop comes back here.
        while mender is not None and mender.rounds < MAX_ROUNDS and not _unsettled(context):
            changed = _mend(mender, pages, root_box)
            if not changed:
                break
            mender.rounds += 1
            for index in changed:
                context.page_maker[index][-1]["content_changed"] = True
            pages = list(original(context, root_box, html, pages))
        if mender is not None:
            mender.seconds += time.process_time() - started
        return pages

    make_all_pages.mends = True
    layout.make_all_pages = make_all_pages


def _unsettled(context) -> bool:
    return any(state["content_changed"] or state["pages_wanted"] for *_, state in context.page_maker)


def _mend(mender: Mender, page_boxes, root_box) -> set[int]:
    """Mend the faults of the laid-out pages; the indexes of the pages to re-make (none
    if there is nothing more to mend)."""
    pages, origins = read_layout(page_boxes)
    findings = [f for f in typeset.faults(pages, rules=MENDABLE) if f.line]
    if mender.trial is not None:
        # A page break that leaves as many faults, or more pages, is taken back.
        box, style, score, page_index = mender.trial
        mender.trial = None
        if _score(findings, pages) >= score:
            box.style = style
            mender.tried.add(id(box.element))
            mender.mended.append(f"p. {page_index + 1}: page break taken back")
            return {page_index}
    if not findings:
        return set()
    if mender.index is None:
        mender.index = _box_index(root_box)
    firsts = set()
    # Paragraphs without hyphenation never hurt elsewhere: mend them all at once. A page
    # break moves everything after it: mend only the first, then look again.
    for finding in findings:
        if finding.rule not in HYPHENATION_FIXES:
            continue
        origin = origins[id(finding.line)]
        if _no_hyphenation(mender, origin):
            firsts.add(finding.page - 1)
            mender.mended.append(f"p. {finding.page}: {finding.rule}: no hyphenation in that paragraph")
        elif _narrower(mender, origin):
            firsts.add(finding.page - 1)
            mender.mended.append(f"p. {finding.page}: {finding.rule}: paragraph set narrower")
    if not firsts:
        score = _score(findings, pages)
        for finding in findings:
            if finding.rule in BREAK_FIXES:
                page = _break_before(mender, pages, origins, finding)
                if page is not None:
                    mender.trial = (*mender.trial, score, page)
                    firsts.add(page)
                    mender.mended.append(f"p. {finding.page}: {finding.rule}: page break moved")
                    break
    return firsts


def _score(findings, pages) -> tuple[int, int]:
    return sum(f.rule in BREAK_FIXES for f in findings), len(pages)


# --- Reading the laid-out pages --------------------------------------------------------

def read_layout(page_boxes) -> tuple[list[Page], dict[int, tuple]]:
    """The pages as typeset.Page lines, and for each line (by id) where it comes from:
    (block element, last text box of the line)."""
    from weasyprint.formatting_structure import boxes   # once per reading: the walk visits every box

    pages, origins = [], {}
    for number, page_box in enumerate(page_boxes, start=1):
        page = Page(number)
        _walk(page_box, None, "", page, origins, boxes)
        pages.append(page)
    return pages, origins


def _walk(box, element, kind, page: Page, origins, boxes) -> None:
    tag = box.element_tag or ""
    if tag.endswith("::marker"):
        return
    if tag in BLOCK_KINDS and box.element is not None:
        element, kind = box.element, BLOCK_KINDS[tag]
    if isinstance(box, boxes.LineBox):
        texts = list(_text_boxes(box, boxes))
        text = "".join(t.text for t in texts)
        if text.strip():
            line = Line(text, id(element), kind, box.position_y, box.position_y + box.height)
            page.lines.append(line)
            origins[id(line)] = (element, texts[-1])
        return
    if isinstance(box, boxes.ReplacedBox) and tag == "img":
        line = Line("", id(box.element), "Figure", box.position_y, box.position_y + box.height)
        page.lines.append(line)
        origins[id(line)] = (box.element, None)
        return
    for child in getattr(box, "children", ()):
        _walk(child, element, kind, page, origins, boxes)


def _text_boxes(box, boxes):
    for child in getattr(box, "children", ()):
        if (child.element_tag or "").endswith("::marker"):
            continue
        if isinstance(child, boxes.TextBox):
            yield child
        else:
            yield from _text_boxes(child, boxes)


def _box_index(root_box) -> dict[int, list]:
    """id(element) -> the boxes of the (not laid-out) box tree that it made."""
    index: dict[int, list] = {}
    for box in root_box.descendants():
        if box.element is not None:
            index.setdefault(id(box.element), []).append(box)
    return index


# --- Mending -------------------------------------------------------------------------

def _no_hyphenation(mender: Mender, origin) -> bool:
    """No automatic hyphenation in the text of the element whose text box ends the line.
    Its boxes get a style of their own (WeasyPrint shares styles between siblings)."""
    _element, text_box = origin
    if text_box is None or text_box.style["hyphens"] != "auto":
        return False
    style = text_box.style.copy()
    style["hyphens"] = "manual"
    changed = False
    for box in mender.index.get(id(text_box.element), ()):
        if box.style is text_box.style:
            box.style = style
            changed = True
    return changed


def _narrower(mender: Mender, origin) -> bool:
    """A line that ends in a compound's own hyphen ("co-"): no style stops that break, so
    the paragraph is set a little narrower, which moves its line breaks."""
    element, text_box = origin
    made = mender.index.get(id(element))
    if text_box is None or not text_box.text.endswith("-") or not made or made[0].style["padding_right"].unit != "px":
        return False
    box = made[0]
    steps = getattr(box, "narrowed", 0)
    if steps >= MAX_NARROWING:
        return False
    style = box.style.copy()
    style["padding_right"] = _plus_em(style["padding_right"], NARROWING_EM, style["font_size"])
    box.style = style
    box.narrowed = steps + 1
    return True


def _plus_em(length, em: float, font_size: float):
    from weasyprint.css.properties import Dimension

    return Dimension(length.value + em * font_size, "px")


def _break_before(mender: Mender, pages, origins, finding) -> int | None:
    """A page break before the element that should open the next page; the index of the
    page to re-make from."""
    page = pages[finding.page - 1]
    if finding.rule == typeset.HEADING_AT_FOOT:
        lines = page.text_lines
        start = next(i for i, line in enumerate(lines) if line is finding.line)
        while start > 0 and lines[start - 1].is_heading:      # the headings above it go along
            start -= 1
        if start == 0:
            return None
        return _force_break(mender, origins[id(lines[start])][0], finding.page - 1)
    # A page too empty: carry over the end of the page before it, from a heading if one
    # leaves both pages full enough, else from a paragraph.
    previous = pages[finding.page - 2] if finding.page >= 2 else None
    if previous is None or not previous.text_lines:
        return None
    line = _carry_over_start(pages, previous, page)
    return None if line is None else _force_break(mender, origins[id(line)][0], finding.page - 2)


def _carry_over_start(pages, previous: Page, page: Page) -> Line | None:
    """The line of `previous` from which to carry its end over to `page`: it leaves both
    pages full enough and fits; a heading first, else the lowest paragraph start."""
    used = [line for p in pages for line in p.text_lines]
    top = min(line.top for line in used)
    height = max(line.bottom for line in used) - top
    on_page = (max((line.bottom for line in page.text_lines), default=top) - top)
    needed = (typeset.MIN_FILL + FILL_MARGIN) * height - on_page
    bottom = max(line.bottom for line in previous.text_lines)
    candidates = []
    lines = previous.text_lines
    for index, line in enumerate(lines):
        starts_block = index > 0 and lines[index - 1].block != line.block
        if not starts_block or (index > 0 and lines[index - 1].is_heading):
            continue
        moved = bottom - line.top
        left = line.top - top
        if moved >= needed and left >= (typeset.MIN_FILL + FILL_MARGIN) * height and moved + on_page < height:
            candidates.append((not line.is_heading, -index, line))
    return min(candidates)[2] if candidates else None


def _force_break(mender: Mender, element, page_index: int) -> int | None:
    """A page break before the element's principal box (the first it made)."""
    made = mender.index.get(id(element))
    if not made or made[0].style["break_before"] == "page" or id(element) in mender.tried:
        return None
    mender.trial = (made[0], made[0].style)
    style = made[0].style.copy()
    style["break_before"] = "page"
    made[0].style = style
    return page_index
