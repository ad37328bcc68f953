"""Run targets in worker processes (spawn), each worker importing the writers once and
reusing their caches (WeasyPrint's font configuration and parsed CSS) across renders."""
from __future__ import annotations

import logging
import os
import resource
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


def _init_worker(source_date_epoch: str) -> None:
    # fontTools stamps subset fonts with this date: fixed, so the bytes are reproducible.
    os.environ["SOURCE_DATE_EPOCH"] = source_date_epoch
    logging.getLogger("fontTools").setLevel(logging.ERROR)   # font-table notes are not ours to fix


def render(root: str, fmt: str, html: str) -> tuple[Output | None, str | None, float, float]:
    """One target in a worker: (output, error, seconds, the worker's peak memory in MB)."""
    started = time.perf_counter()
    try:
        output, error = writer(fmt).write(Project(Path(root)), html), None
    except Exception as exception:  # noqa: BLE001 - reported per target; the others go on
        output, error = None, f"{type(exception).__name__}: {exception}"
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return output, error, time.perf_counter() - started, peak


def run(project: Project, targets: list[Target], jobs: int, source_date_epoch: str,
        on_done: Callable[[Result], None]) -> list[Result]:
    """Render every target; `jobs` worker processes (1: in this process)."""
    ordered = sorted(targets, key=lambda t: -_COST.get((t.kind, t.format), 1))
    results: list[Result] = []

    def finish(target: Target, outcome) -> None:
        result = Result(target, *outcome)
        results.append(result)
        on_done(result)

    if jobs <= 1:
        _init_worker(source_date_epoch)
        for target in ordered:
            finish(target, render(str(project.root), target.format, target.html))
        return results
    with ProcessPoolExecutor(max_workers=jobs, mp_context=get_context("spawn"), initializer=_init_worker,
                             initargs=(source_date_epoch,)) as pool:
        pending = {pool.submit(render, str(project.root), t.format, t.html): t for t in ordered}
        try:
            while pending:
                done, _ = wait(pending, return_when=FIRST_COMPLETED)
                for future in done:
                    finish(pending.pop(future), future.result())
        except BaseException:   # Ctrl-C or a kill: stop the workers, write nothing more
            for future in pending:
                future.cancel()
            pool.shutdown(wait=False, cancel_futures=True)
            raise
    return results
