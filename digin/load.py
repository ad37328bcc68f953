"""Read content/ into the validated Toolkit model, reporting every problem at once."""
from __future__ import annotations

from pathlib import Path

from . import model
from .editions import path_problems, template_problems
from .errors import Problems
from .limits import read_limits
from .project import Project
from .schema import convert_file
from .yamlsource import read_yaml

# file (relative to content/) -> (model class, key prefix of its strings)
SINGLE_FILES = {
    "deliverable": ("deliverable.yaml", model.Deliverable, "deliverable"),
    "prose": ("toolkit.yaml", model.Prose, "toolkit"),
    "glossary": ("glossary.yaml", model.Glossary, "glossary"),
    "resources": ("resources.yaml", model.Resources, "resources"),
    "references": ("references.yaml", model.References, "references"),
    "editions": ("editions.yaml", model.EditionKinds, "editions"),
}
# folder -> (model class, key prefix); one file per item, named after its id
FOLDERS = {"practices": (model.Practice, "practice"), "modules": (model.Module, "module")}


def load_toolkit(project: Project) -> model.Toolkit:
    problems = Problems()
    limits = read_limits(project, problems)
    parts, sources = {}, {}
    for name, (file, cls, key) in SINGLE_FILES.items():
        sources[name], parts[name] = _load(project, project.content / file, cls, key, problems, limits)
    for folder, (cls, key) in FOLDERS.items():
        items = {}
        for path in sorted((project.content / folder).glob("*.yaml")):
            item = _load(project, path, cls, f"{key}.{path.stem}", problems, limits)[1]
            if item is not None:
                _check_id(project, path, item, problems)
                items[item.id] = item
        parts[folder] = items
    if parts["editions"] is not None:
        _locate_editions(project, template_problems(parts["editions"]), sources["editions"], problems)
    problems.raise_if_any()
    _order(project, parts, problems)
    problems.raise_if_any()
    toolkit = model.Toolkit(**parts)
    _locate_editions(project, path_problems(toolkit, project.languages()), sources["editions"], problems)
    problems.raise_if_any()
    return toolkit


def _load(project: Project, path: Path, cls, key: str, problems: Problems, limits: model.Limits):
    """(the file's YAML data, its model object); None for either that has problems."""
    shown = project.shown(path)
    if not path.exists():
        problems.add(shown, None, "", "file is missing")
        return None, None
    data = read_yaml(path, shown, problems, limits, project.content)
    if data is None:
        return None, None
    return data, convert_file(cls, data, shown, key, problems, limits)


def _check_id(project: Project, path: Path, item, problems: Problems) -> None:
    if item.id != path.stem:
        problems.add(project.shown(path), 1, "id", f"{item.id!r} must match the file name {path.stem!r}")


def _locate_editions(project: Project, found: list[tuple[int, str, str]], data, problems: Problems) -> None:
    """Report (edition index, field, message) at the line of that field in
    content/editions.yaml."""
    shown = project.shown(project.content / SINGLE_FILES["editions"][0])
    for index, field, message in found:
        item = data["editions"][index]
        problems.add(shown, item.lines.get(field, item.line), f"editions[{index + 1}].{field}", message)


def _order(project: Project, parts: dict, problems: Problems) -> None:
    """Put practices and modules in the order toolkit.yaml gives; all must be listed."""
    shown = project.shown(project.content / SINGLE_FILES["prose"][0])
    for folder in FOLDERS:
        listing: model.Listing = getattr(parts["prose"], folder)
        items = parts[folder]
        for item_id in listing.order:
            if item_id not in items:
                problems.add(shown, None, f"{folder}.order", f"no content/{folder}/{item_id}.yaml")
        for item_id in items.keys() - set(listing.order):
            problems.add(shown, None, f"{folder}.order", f"content/{folder}/{item_id}.yaml is not listed")
        parts[folder] = tuple(items[i] for i in listing.order if i in items)


NOTES_FILE = "translator-notes.yaml"


def load_translator_notes(project: Project) -> tuple[model.TranslatorNote, ...]:
    """Notes for translators (optional file); the first matching glob wins."""
    path = project.content / NOTES_FILE
    if not path.exists():
        return ()
    problems = Problems()
    notes = _load(project, path, model.TranslatorNotes, "notes", problems, read_limits(project, problems))[1]
    problems.raise_if_any()
    return notes.notes
