"""What the run's test workers (pytest-xdist processes) make once and share."""
from __future__ import annotations

import fcntl
from pathlib import Path
from typing import Callable


def made_once(shared: Path, name: str, make: Callable[[Path], None]) -> Path:
    """`shared/name`, made by `make(path)` once for every process that asks: the first
    makes it under a lock while the others wait, then all find it made."""
    path, made = shared / name, shared / f"{name}.made"
    with open(shared / f"{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not made.is_file():
            make(path)
            made.touch()
    return path
