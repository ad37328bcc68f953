"""Run targets in worker processes (spawn), each worker importing the writers once and
reusing their caches (WeasyPrint's font configuration and parsed CSS) across renders.

The workers start, and warm up, while the main process is still planning, so their
start-up costs no wall time; and they end without the interpreter's teardown.
"""
from __future__ import annotations

import atexit
import gc
import os
import resource
import shutil
import sys
import tempfile
import time
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from dataclasses import dataclass
from multiprocessing import get_context
from pathlib import Path
from typing import Callable

from .plan import Target
from .project import Project
from .writers import Output, writer

# Largest first, so the long toolkit renders do not start last.
_COST = {("toolkit", "pdf"): 10, ("toolkit", "docx"): 4, ("toolkit", "epub"): 3}


@dataclass
class Result:
    target: Target
    output: Output | None
    error: str | None
    seconds: float
    peak_memory_mb: float


def _warm_up(root: str, formats: tuple[str, ...]) -> None:
    """Worker start: import the writers and build their caches before any target arrives."""
    # The worker's temporary files (WeasyPrint's copies of the fonts) go into a folder of
    # its own, which _exit_now removes.
    tempfile.tempdir = tempfile.mkdtemp(prefix="digin-worker-")
    for fmt in formats:
        module = writer(fmt)
        if hasattr(module, "warm_up"):
            module.warm_up(Project(Path(root)))
    # Rendering allocates millions of short-lived objects: with Python's default thresholds
    # the collector runs ~1000 times per build and takes 10 % of the render time (2 % so).
    # What the warm-up made (modules, fonts, parsed CSS) lives as long as the worker: frozen,
    # the collector no longer scans it.
    gc.freeze()
    gc.set_threshold(20_000, 50, 100)
    atexit.register(_exit_now, tempfile.tempdir)   # registered last: runs first


def _exit_now(temporary: str) -> None:
    """A finished worker exits at once: freeing its objects one by one (fonts, layouts,
    caches) would cost the build 0.2-0.3 s of wall time for nothing. All results were
    sent already; what must go is its temporary folder."""
    shutil.rmtree(temporary, ignore_errors=True)
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(0)


def render(root: str, fmt: str, html: str, source_date_epoch: str) -> tuple[Output | None, str | None, float, float]:
    """One target in a worker: (output, error, seconds, the worker's peak memory in MB)."""
    # fontTools stamps subset fonts with this date: fixed, so the bytes are reproducible.
    os.environ["SOURCE_DATE_EPOCH"] = source_date_epoch
    started = time.perf_counter()
    try:
        output, error = writer(fmt).write(Project(Path(root)), html), None
    except Exception as exception:  # noqa: BLE001 - reported per target; the others go on
        output, error = None, f"{type(exception).__name__}: {exception}"
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return output, error, time.perf_counter() - started, peak


class Workers:
    """A pool of `jobs` worker processes, started (and warming up) on creation."""

    def __init__(self, project: Project, jobs: int, formats: tuple[str, ...]):
        self.project = project
        self.pool = ProcessPoolExecutor(max_workers=jobs, mp_context=get_context("spawn"), initializer=_warm_up,
                                        initargs=(str(project.root), formats))
        for _ in range(jobs):   # start every worker now; their warm-up overlaps the planning
            self.pool.submit(time.sleep, 0)

    def run(self, targets: list[Target], source_date_epoch: str, on_done: Callable[[Result], None]) -> list[Result]:
        ordered = sorted(targets, key=lambda t: -_COST.get((t.kind, t.format), 1))
        pending = {self.pool.submit(render, str(self.project.root), t.format, t.html, source_date_epoch): t
                   for t in ordered}
        results = []
        while pending:
            done, _ = wait(pending, return_when=FIRST_COMPLETED)
            for future in done:
                result = Result(pending.pop(future), *future.result())
                results.append(result)
                on_done(result)
        return results

    def __enter__(self) -> "Workers":
        return self

    def __exit__(self, kind, *_) -> None:
        # On Ctrl-C, a kill or an error: drop what has not started, write nothing more.
        self.pool.shutdown(wait=kind is None, cancel_futures=kind is not None)
