"""Editorial and release checks: what is wrong with the deliverable, file by file.

Content checks run on the English source; translation checks compare each locale with
it. Errors block a release; warnings are for an editor to look at.
"""
from __future__ import annotations

import collections
import difflib
import re
import shutil
import subprocess
from dataclasses import asdict, replace

import polib

from . import markup
from .bibliography import bibliography, csl_files
from .editions import unknown_links
from .errors import ERROR, WARNING, ContentError, Problem, Problems
from .i18n import catalog_keys, content_strings, index, read_catalog, translated
from .load import load_toolkit
from .model import Reference, Toolkit
from .project import SOURCE_LANGUAGE, Project
from .translating import Kept, keep_rules, kept

_YEAR = r"(?:\d{4}[a-z]?|[nsz]\.d\.)"
_PARENTHESIS = re.compile(r"\(([^()]*" + _YEAR + r"[^()]*)\)")
_ITEM = re.compile(r"^(?P<names>.*?)[,\s]+(?P<year>" + _YEAR + r")$")
_NARRATIVE = re.compile(r"(?P<names>[A-Z][\w'’-]+(?:(?:,\s*|\s+(?:and|&)\s+)[A-Z][\w'’-]+)*(?:\s+et al\.)?)"
                        r"\s+\((?P<year>" + _YEAR + r")\)")
_PLACEHOLDER = re.compile(r"%\(\w+\)s")
_HTML = re.compile(r"<\s*/?\s*[a-zA-Z][^>]*>")


def finding(file: str, line: int | None, severity: str, code: str, message: str, hint: str = "") -> Problem:
    """A check's problem: no field of its own (the message names the string's key)."""
    return Problem(file, line, "", message, severity, code, hint)


# --- content ------------------------------------------------------------------------

def link_findings(toolkit: Toolkit) -> list[Problem]:
    found = [finding(*text.where, WARNING, "link-missing-target",
                     f"{text.key}: link without a target (printed as not available)",
                     "add the URL once it is known; never guess one")
             for text in content_strings(toolkit) for href in markup.links(text) if href == ""]
    found += [finding(*text.where, ERROR, "link-unknown-id", f"{text.key}: internal link {href!r} points to no id",
                      "use #term-<id>, #practice-<id>, #module-<id> or a chapter id")
              for text, href in unknown_links(toolkit)]
    return found


def citations_in(text: str) -> list[tuple[str, str]]:
    """(names, year) of every "(Author, Year; ...)" and "Author (Year)" citation."""
    found = []
    for group in _PARENTHESIS.findall(text):
        for item in group.split(";"):
            match = _ITEM.match(re.sub(r"(?<!n\.d)\.$", "", item.strip()))
            if match and match["names"]:
                found.append((match["names"].strip(" ,"), match["year"]))
    found += [(m["names"], m["year"]) for m in _NARRATIVE.finditer(text)]
    return found


def _initials(name: str) -> str:
    return "".join(word[0] for word in name.split() if word[:1].isupper())


def _creator_matches(names: str, ref: Reference) -> bool:
    first = re.split(r",|&| and | et al\.", names)[0].strip().casefold()
    if ref.authors:
        return ref.authors[0].split(",")[0].strip().casefold() == first
    organisation = (ref.organisation or "").casefold()
    return first in (organisation, _initials(ref.organisation or "").casefold()) or organisation.startswith(first)


def resolve(names: str, year: str, references: tuple[Reference, ...]) -> list[Reference]:
    """Every reference a citation may mean (more than one: the citation is ambiguous)."""
    return [ref for ref in references if str(ref.year) == year and _creator_matches(names, ref)]


def _name_mismatches(names: str, ref: Reference) -> list[str]:
    """Cited surnames that the reference does not list (a misspelling, e.g. Wuame/Wuiame)."""
    if not ref.authors:
        return []
    surnames = {author.split(",")[0].strip().casefold() for author in ref.authors}
    cited = [n.strip() for n in re.split(r",|&| and ", names.replace("et al.", "")) if n.strip()]
    return [name for name in cited if name.casefold() not in surnames]


def _citing_texts(toolkit: Toolkit):
    """Citations still written as text in prose (by key they are `[@id]`)."""
    for text in content_strings(toolkit):
        yield text, citations_in(markup.to_text(text))


def _unresolved(file: str, line: int | None, key: str, ref: str) -> Problem:
    return finding(file, line, ERROR, "citation-unresolved", f"{key}: citation \"{ref}\" matches no reference",
                   "add the work to content/references.yaml or correct the citation's id")


def _keyed_citations(toolkit: Toolkit, project: Project, ids: set[str], cited: set[str]) -> list[Problem]:
    """The citations by key (the glossary's, and `[@id]` in strings): each must name a
    reference. `cited` collects the ids they name."""
    found = []
    for term in toolkit.glossary.terms:
        file, line = term.term.where
        for citation in term.citations:
            cited.add(citation.ref)
            if citation.ref not in ids:
                found.append(_unresolved(file, _line_after(project.root / file, line, f"ref: {citation.ref}"),
                                         f"glossary.terms.{term.id}.citations", citation.ref))
    for text in content_strings(toolkit):
        for cite in markup.cites(text):
            for citation in cite.citations:
                cited.add(citation.ref)
                if citation.ref not in ids:
                    found.append(_unresolved(*text.where, text.key, citation.ref))
    return found


def _line_after(path, start: int, needle: str) -> int:
    """The first line from `start` on that holds `needle` (else `start`): a citation's own
    line (a Citation is data, without a position of its own)."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return next((number for number in range(start, len(lines) + 1) if needle in lines[number - 1]), start)


def check_citations(toolkit: Toolkit, project: Project, langs: list[str] | None = None) -> list[Problem]:
    """Citations and references; `langs`: the languages whose citations are compared with
    their reference list (default: all)."""
    references = toolkit.references.references
    cited: set[str] = set()
    found = _keyed_citations(toolkit, project, {ref.id for ref in references}, cited)
    for text, citations in _citing_texts(toolkit):
        file, line = text.where
        for names, year in citations:
            matches = resolve(names, year, references)
            cited.update(ref.id for ref in matches)
            label = f"{text.key}: citation \"{names}, {year}\""
            if not matches:
                found.append(finding(file, line, ERROR, "citation-unresolved", f"{label} matches no reference",
                                     "add the work to content/references.yaml or correct the citation"))
            elif len(matches) > 1:
                found.append(finding(file, line, WARNING, "citation-ambiguous",
                                     f"{label} may mean {', '.join(r.id for r in matches)}",
                                     "cite the work by key: " + " or ".join(f"[@{r.id}]" for r in matches)))
            elif wrong := _name_mismatches(names, matches[0]):
                found.append(finding(file, line, WARNING, "citation-names",
                                     f"{label}: {', '.join(wrong)} not among the authors of {matches[0].id}",
                                     f"cite the work by key, [@{matches[0].id}]: its names come from the reference"))
            else:
                found.append(finding(file, line, WARNING, "citation-free-text", f"{label} is written as text",
                                     f"cite it by key, [@{matches[0].id}] (or @{matches[0].id} in the sentence), "
                                     "so that every language prints it as its reference list does"))
    path = project.content / "references.yaml"
    lines = _id_lines(path)
    for ref in references:
        if ref.id not in cited:
            found.append(finding(project.shown(path), lines.get(ref.id), WARNING, "reference-uncited",
                                 f"{ref.id}: reference is never cited", "cite it in the text or remove it"))
    found += _duplicate_references(references, project.shown(path), lines)
    found += _link_languages(references, project.shown(path), lines, project.languages())
    for lang in project.languages() if langs is None else langs:
        found += _names_in_citation_and_list(toolkit, project, lang, project.shown(path), lines)
    return found


def _names_in_citation_and_list(toolkit: Toolkit, project: Project, lang: str, file: str,
                                lines: dict[str, int]) -> list[Problem]:
    """In each language, a work's citation names its author as its entry in the reference
    list begins (an organisation by the same name in both: see TRANSLATING.md)."""
    try:
        works = bibliography(toolkit.references, csl_files(project, lang), lang)
    except ContentError as error:   # a CSL file missing or broken
        return [replace(p, code="citation-style") for p in error.problems]
    found = []
    for ref_id, entry in works.entries:
        author = works.author(ref_id)
        first = re.split(r" & | et al\.", author)[0]
        if not (author and entry.striptags().startswith(first)):
            found.append(finding(file, lines.get(ref_id), ERROR, "citation-list-mismatch",
                                 f"{ref_id}: cited as \"{author}\" but listed as \"{entry.striptags()[:60]}\" ({lang})",
                                 "give the reference an author or an organisation"))
    return found


_LINK_LANGUAGE = re.compile(r"(?:_|/|[?&]lang=)([a-z]{2})(?=$|/|[?&#.])")


def _link_languages(references, file: str, lines: dict[str, int], langs: list[str]) -> list[Problem]:
    """An address in one language (`_nl`, `/nl/`, `lang=nl`) is linked from every edition:
    staff decide whether another language's page is the same document."""
    found = []
    for ref in references:
        for tag in set(_LINK_LANGUAGE.findall(ref.url or "")) & set(langs):
            others = [lang for lang in langs if lang != tag]
            found.append(finding(file, lines.get(ref.id), WARNING, "link-language",
                                 f"{ref.id}: the address is the {tag} page, linked from the "
                                 f"{', '.join(others)} editions too",
                                 "give the page in the edition's language if it is the same document; never guess one"))
    return found


def _id_lines(path) -> dict[str, int]:
    """Line of each `id:` in a YAML file (references carry no positions of their own)."""
    pattern = re.compile(r"^\s*-?\s*id:\s*(\S+)")
    return {m[1]: number for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
            if (m := pattern.match(line))}


def _duplicate_references(references, file: str, lines: dict[str, int]) -> list[Problem]:
    found = []
    for i, a in enumerate(references):
        for b in references[i + 1:]:
            same_creator = (a.authors or a.organisation) == (b.authors or b.organisation)
            if (same_creator and a.year == b.year   # the cheap tests first
                    and difflib.SequenceMatcher(None, a.title.casefold(), b.title.casefold()).ratio() > 0.8):
                found.append(finding(file, lines.get(b.id), WARNING, "reference-duplicate",
                                     f"{a.id} and {b.id}: the same work listed twice", "keep one entry"))
    return found


def check_glossary(toolkit: Toolkit) -> list[Problem]:
    found = []
    seen_terms: dict[str, str] = {}
    seen_definitions: dict[str, str] = {}
    for term in toolkit.glossary.terms:
        file, line = term.term.where
        name = markup.to_text(term.term).casefold()
        definition = " ".join(markup.to_text(block) for block in term.definition if isinstance(block, str))
        for seen, value, what in ((seen_terms, name, "term"), (seen_definitions, definition, "definition")):
            if value in seen:
                found.append(finding(file, line, ERROR, f"glossary-duplicate-{what}",
                                     f"{term.id}: same {what} as {seen[value]}", "merge or remove one entry"))
            seen[value] = term.id
    return found


def check_modules(toolkit: Toolkit) -> list[Problem]:
    found = []
    for module in toolkit.modules:
        file, line = module.title.where
        missing = [name for name in ("duration", "format") if getattr(module, name) is None]
        if missing:
            found.append(finding(file, line, WARNING, "module-incomplete",
                                 f"module {module.number}: no {' and no '.join(missing)}",
                                 "add them if the training materials give them"))
        if module.format and not str(module.format).rstrip().endswith((".", "!", "?")):
            found.append(finding(*module.format.where, WARNING, "module-format-unfinished",
                                 f"module {module.number}: the format text is an unfinished announcement "
                                 f"(no structure follows it)", "give the structure or rephrase"))
    return found


# --- translations -------------------------------------------------------------------

IGNORE_SAME = "ignore-same"   # Weblate's flag: this translation is right as the English
_URL = re.compile(r"https?://\S+")


def _markup_signature(text: str) -> tuple:
    return (markup.links(text), text.count("**"), len(re.findall(r"(?<!\*)\*(?!\*)", text)))


def _cites(text: str) -> collections.Counter:
    """The works a string cites, and how (in parentheses or in the sentence)."""
    return collections.Counter((cite.citations, cite.narrative) for cite in markup.cites(text))


def _cite_sources(text: str) -> str:
    return " ".join(cite.source for cite in markup.cites(text)) or "none"


def _words(text: str) -> list[str]:
    """The words of a string, without placeholders, link targets, addresses and numbers."""
    plain = _PLACEHOLDER.sub(" ", text)
    plain = re.sub(r"\]\([^)]*\)", "] ", plain)
    plain = _URL.sub(" ", markup.EMAIL.sub(" ", plain))
    return re.findall(r"[^\W\d_]{2,}", plain)


def _identical(entry: polib.POEntry, rule: Kept) -> bool:
    """A translation left as the English that probably should not be. Not flagged: what
    keep.yaml marks as staying as it is, what the translator flagged `ignore-same`, and a
    single word (a word the languages share: Status, Partners, Module)."""
    return (entry.msgstr == entry.msgid and not rule.name and not rule.english
            and IGNORE_SAME not in entry.flags and len(_words(entry.msgid)) > 1)


def check_translation(project: Project, toolkit: Toolkit, lang: str,
                      keys: list[tuple[str | None, str]]) -> list[Problem]:
    """`keys`: catalog_keys(), every string the locale must translate."""
    problems = Problems()
    catalog = read_catalog(project, lang, problems)
    file = project.shown(project.po_file(lang))
    if catalog is None:
        return [replace(p, code="po-invalid") for p in problems.items]
    rules = keep_rules(project, problems)
    found = [replace(p, code="keep-invalid") for p in problems.items]
    entries = index(catalog)

    def flag(entry: polib.POEntry, severity: str, code: str, message: str, hint: str = "") -> None:
        label = entry.msgctxt or entry.msgid[:40]
        found.append(finding(file, entry.linenum, severity, code, f"{label}: {message}", hint))

    untranslated = 0
    for key in keys:
        entry = entries.get(key)
        if not translated(entry):
            untranslated += 1
            continue
        source, translation = entry.msgid, entry.msgstr
        if _HTML.search(translation):
            flag(entry, ERROR, "translation-html", "raw HTML in the translation", "use **bold**, *italic*, [text](url)")
        if markup.links(source) != markup.links(translation):
            flag(entry, ERROR, "translation-links", f"links differ from the English: "
                    f"{markup.links(source)} vs {markup.links(translation)}", "keep the same link targets")
        elif _markup_signature(source) != _markup_signature(translation):
            flag(entry, WARNING, "translation-markup", "bold/italic spans differ from the English")
        if sorted(markup.EMAIL.findall(source)) != sorted(markup.EMAIL.findall(translation)):
            flag(entry, ERROR, "translation-email", "e-mail addresses differ from the English")
        if sorted(_PLACEHOLDER.findall(source)) != sorted(_PLACEHOLDER.findall(translation)):
            flag(entry, ERROR, "translation-placeholder", "placeholders %(...)s differ from the English")
        cite_problems = markup.cite_problems(translation)
        for problem in markup.problems(_PLACEHOLDER.sub("", translation)):  # %(url)s: filled by templates
            if problem not in cite_problems:
                flag(entry, ERROR, "translation-link-target", problem)
        if cite_problems or _cites(source) != _cites(translation):
            flag(entry, ERROR, "translation-citations",
                 "citations differ from the English: " + (cite_problems[0] if cite_problems else
                                                          f"{_cite_sources(source)} vs {_cite_sources(translation)}"),
                 "keep the English's citation markers, [@id] and @id, exactly as they are")
        rule = kept(rules, entry.msgctxt)
        if rule.english and translation != source:
            flag(entry, WARNING, "translation-keep-english", "translated, but meant to stay as in the English",
                 "write the English as it is (the entry's note says why; locales/keep.yaml)")
        if _identical(entry, rule):
            flag(entry, WARNING, "translation-identical", "identical to the English",
                 f"translate it; if it is right as it is, mark the entry `#, {IGNORE_SAME}`")
    if untranslated:
        found.append(finding(file, None, WARNING, "translation-incomplete",
                             f"{untranslated} strings untranslated or fuzzy (shown in English in a draft)",
                             "python build.py i18n stats"))
    found += _same_translation_for_two_terms(toolkit, entries, file)
    found += _msgfmt(project, lang)
    return found


def _same_translation_for_two_terms(toolkit: Toolkit, entries, file: str) -> list[Problem]:
    by_translation: dict[str, list] = {}
    for term in toolkit.glossary.terms:
        entry = entries.get((term.term.key, str(term.term)))
        if entry is not None and entry.msgstr:
            by_translation.setdefault(entry.msgstr.casefold(), []).append((term, entry))
    found = []
    for translation, pairs in by_translation.items():
        if len(pairs) > 1:
            names = ", ".join(f"“{term.term}”" for term, _ in pairs)
            found.append(finding(file, pairs[-1][1].linenum, WARNING, "glossary-same-translation",
                                 f"{names} are all translated “{pairs[0][1].msgstr}”",
                                 "give each term its own translation"))
    return found


def _msgfmt(project: Project, lang: str) -> list[Problem]:
    if not shutil.which("msgfmt"):
        return []
    path = project.po_file(lang)
    result = subprocess.run(["msgfmt", "--check", "-o", "/dev/null", str(path)], capture_output=True, text=True)
    found = []
    for line in result.stderr.splitlines():
        match = re.match(r".*?:(\d+): (.*)", line)
        if match and "warning" not in line:
            found.append(finding(project.shown(path), int(match[1]), ERROR, "msgfmt", match[2]))
    return found


# --- all together -------------------------------------------------------------------

def run_checks(project: Project, langs: list[str] | None = None, toolkit: Toolkit | None = None) -> list[Problem]:
    """Every finding for the content and the locales `langs` (default: all); `toolkit`:
    the validated content, if the caller has loaded it already."""
    try:
        toolkit = toolkit or load_toolkit(project)
    except ContentError as error:  # invalid content: report it like any other finding
        return [replace(p, code="content-invalid") for p in error.problems]
    cited_langs = None if langs is None else list(dict.fromkeys([SOURCE_LANGUAGE, *langs]))
    findings = link_findings(toolkit) + check_citations(toolkit, project, cited_langs) + check_glossary(toolkit)
    findings += check_modules(toolkit)
    keys = catalog_keys(project, toolkit)
    for lang in project.languages()[1:] if langs is None else langs:
        findings += check_translation(project, toolkit, lang, keys)
    return sorted(findings, key=lambda f: (f.file, f.line or 0, f.code))


def by_locale(project: Project, findings: list[Problem], langs: list[str]) -> tuple[list[Problem], list[Problem]]:
    """(the findings in the PO files of `langs`, which their translators fix; all the others,
    which are the editors'): `check --locale LANG` reports the first and exits on them,
    and only counts the second."""
    files = {project.shown(project.po_file(lang)) for lang in langs}
    return [f for f in findings if f.file in files], [f for f in findings if f.file not in files]


def others_summary(others: list[Problem]) -> str:
    """One line on the findings a translator's run leaves out (`check --locale LANG`)."""
    errors = sum(f.severity == ERROR for f in others)
    files = sorted({f.file for f in others})
    return (f"Not in your file, for the editors: {errors} errors and {len(others) - errors} warnings in "
            f"{', '.join(files[:3])}{' ...' if len(files) > 3 else ''} (`python build.py check` lists them).")


def as_json(findings: list[Problem]) -> list[dict]:
    return [asdict(f) for f in findings]
