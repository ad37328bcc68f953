"""The project's limits on its input: content/limits.yaml, or the built-in defaults
(`model.Limits`) for what the file does not set, or when there is no such file."""
from __future__ import annotations

import functools
import os

from .errors import Problems
from .model import Limits
from .project import Project
from .schema import convert_file
from .yamlsource import read_yaml

LIMITS_FILE = "limits.yaml"


def read_limits(project: Project, problems: Problems) -> Limits:
    """The limits content/limits.yaml sets; problems in it are recorded (and the defaults
    returned), so the build stops with them like with any other content problem."""
    path = project.content / LIMITS_FILE
    if not os.path.lexists(path):
        return Limits()
    shown = project.shown(path)
    before = len(problems.items)
    data = read_yaml(path, shown, problems, Limits(), project.content)   # read within the default limits
    if data is None:
        return Limits()
    limits = convert_file(Limits, data, shown, "limits", problems)
    if isinstance(data, dict):
        _check_positive(data, shown, "", problems)
    return limits if limits is not None and len(problems.items) == before else Limits()


def _check_positive(data: dict, shown: str, prefix: str, problems: Problems) -> None:
    """Every number of the file is 1 or more (the schema checks names and types)."""
    for name, value in data.items():
        if isinstance(value, dict):
            _check_positive(value, shown, f"{prefix}{name}.", problems)
        elif type(value) is int and value < 1:
            problems.add(shown, data.lines[name], prefix + name, f"a limit must be 1 or more, got {value}")


def project_limits(project: Project) -> Limits:
    """The limits in force (the defaults where content/limits.yaml has a problem: the
    content check reports it). Read once per version of the file."""
    path = project.content / LIMITS_FILE
    try:
        info = os.stat(path)
        version = (info.st_ino, info.st_size, info.st_mtime_ns)
    except OSError:
        version = None
    return _cached(project, version)


@functools.lru_cache(maxsize=8)
def _cached(project: Project, version) -> Limits:
    return read_limits(project, Problems()) if version is not None else Limits()
