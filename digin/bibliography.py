"""Reference entries rendered in APA 7 style (the style the toolkit's citations use)."""
from __future__ import annotations

from markupsafe import Markup, escape

from .model import Reference


def _names(names: tuple[str, ...]) -> str:
    if len(names) == 1:
        return names[0]
    return ", ".join(names[:-1]) + ", & " + names[-1]


def _link(url: str) -> Markup:
    return Markup('<a href="{0}">{0}</a>').format(url)


def format_reference(ref: Reference) -> Markup:
    """One reference as inline HTML: creator (year). title. container. publisher. link."""
    creator = _names(ref.authors) if ref.authors else (ref.organisation or "")
    parts = [escape(f"{creator} ({ref.year}). ")]
    # APA: a work that stands alone has its title in italics; a part of a container, plain.
    parts.append(Markup("{}. " if ref.container else "<em>{}</em>. ").format(ref.title))
    if ref.type == "chapter" and ref.container:
        editors = f"In {_names(ref.editors)} (Ed{'s' if len(ref.editors) > 1 else ''}.), " if ref.editors else "In "
        pages = f" (pp. {ref.pages})" if ref.pages else ""
        parts.append(Markup("{}<em>{}</em>{}. ").format(editors, ref.container, pages))
    elif ref.container:
        volume = Markup(", <em>{}</em>").format(ref.volume) if ref.volume else ""
        issue = f"({ref.issue})" if ref.issue else ""
        pages = f", {ref.pages}" if ref.pages else ""
        parts.append(Markup("<em>{}</em>{}{}{}. ").format(ref.container, volume, issue, pages))
    if ref.edition:
        parts.append(escape(f"({ref.edition}). "))
    if ref.note:
        parts.append(escape(f"{ref.note}. "))
    if ref.publisher and ref.publisher != creator:
        place = f"{ref.place}: " if ref.place else ""
        parts.append(escape(f"{place}{ref.publisher}. "))
    if ref.doi:
        parts.append(_link(f"https://doi.org/{ref.doi}"))
    elif ref.url:
        parts.append(_link(ref.url))
    return Markup("").join(parts).strip()
