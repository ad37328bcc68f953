"""The preview's PDFs, rebuilt in the background by one warm worker process (digin/engine.py).

A PDF is built once it is wanted — asked for at /pdf/<path>, or its page is open — and
rebuilt whenever its HTML changes (for good once asked for; else while its page is open).
Only the newest HTML of a path waits in the queue (an older one is dropped), a build
that is running or done is not queued again, and the PDFs of the pages being looked at
go first. The bytes stay in memory: nothing is written to disk, nothing is left behind.
"""
from __future__ import annotations

import hashlib
import threading
import time
from dataclasses import dataclass
from typing import Callable

from ..engine import Workers
from ..plan import Target
from ..project import Project

READY, BUILDING, FAILED, ABSENT = "ready", "building", "failed", "absent"


@dataclass
class Pdf:
    data: bytes | None
    digest: str              # of the HTML it was made from
    seconds: float           # the worker's render time
    error: str | None = None
    pages: int | None = None


def digest(html: str) -> str:
    return hashlib.sha256(html.encode("utf-8")).hexdigest()


class PdfBuilder:
    """`want(path, html)`, `update(path, html)`, `get(path)`; a thread of its own runs the worker."""

    def __init__(self, project: Project, on_done: Callable[[str, str], None] = lambda path, state: None,
                 priority: Callable[[], set] = set):
        self.project, self.on_done, self.priority = project, on_done, priority
        self.condition = threading.Condition()
        self.queue: dict[str, tuple[str, str]] = {}     # path -> (html, source_date_epoch), oldest first
        self.built: dict[str, Pdf] = {}
        self.wanted: set[str] = set()
        self.building: str | None = None
        self.building_digest = ""
        self.stopped = self.restarting = False
        self.pool: Workers | None = None
        self.last_html: dict[str, tuple[str, str]] = {}   # path -> the job it was last built from
        self.thread = threading.Thread(target=self._loop, name="digin-preview-pdf", daemon=True)

    def start(self) -> None:
        self.thread.start()

    def want(self, path: str, html: str, source_date_epoch: str, keep: bool = True) -> None:
        """Build this PDF now unless it is current; with `keep` (it was asked for), keep it
        current from now on; else only while its page is open (`priority`)."""
        with self.condition:
            if keep:
                self.wanted.add(path)
            self._queue(path, html, source_date_epoch)

    def update(self, path: str, html: str, source_date_epoch: str) -> None:
        """Its HTML changed: rebuild it if it was asked for or its page is open."""
        with self.condition:
            if path in self.wanted or path in self.priority():
                self._queue(path, html, source_date_epoch)

    def _queue(self, path: str, html: str, source_date_epoch: str) -> None:
        """Queue a build of `path` from `html`, unless that very build is queued, running or done."""
        wanted = digest(html)
        if path in self.queue:
            if digest(self.queue[path][0]) == wanted:
                return
        elif self.building == path:
            if self.building_digest == wanted:
                return
        elif path in self.built and self.built[path].digest == wanted:
            return
        self.queue.pop(path, None)
        self.queue[path] = (html, source_date_epoch)
        self.condition.notify_all()
        self.on_done(path, BUILDING)

    def state(self, path: str) -> str:
        with self.condition:
            if path in self.queue or path == self.building:
                return BUILDING
            pdf = self.built.get(path)
            return ABSENT if pdf is None else READY if pdf.data is not None else FAILED

    def get(self, path: str, timeout: float) -> Pdf | None:
        """The PDF once no newer build of it is waiting or running (None after `timeout`)."""
        deadline = time.monotonic() + timeout
        with self.condition:
            while (path in self.queue or path == self.building) and not self.stopped:
                if not self.condition.wait(max(0.0, deadline - time.monotonic())):
                    return None
            return self.built.get(path)

    def restart(self) -> None:
        """The stylesheets or fonts changed: a new worker, and the kept PDFs built again."""
        with self.condition:
            self.restarting = True
            kept = self.wanted | self.priority()
            for path, pdf in self.built.items():
                pdf.digest = ""
                if path in kept and path not in self.queue and path in self.last_html:
                    self.queue[path] = self.last_html[path]
            self.condition.notify_all()

    def stop(self) -> None:
        if not self.thread.is_alive():
            return
        with self.condition:
            self.stopped = True
            self.condition.notify_all()
            pool = self.pool
        if pool is not None:
            for worker in pool.workers:   # a render in progress ends now
                worker.stop()
        self.thread.join(10)

    def _next(self) -> tuple[str, str, str] | None:
        """The next job, the pages being looked at first; None when stopping or restarting."""
        with self.condition:
            while not self.queue and not self.stopped and not self.restarting:
                self.condition.wait()
            if self.stopped or self.restarting:
                return None
            first = self.priority()
            path = next((p for p in self.queue if p in first), next(iter(self.queue)))
            html, epoch = self.queue.pop(path)
            self.building, self.building_digest = path, digest(html)
            self.last_html[path] = (html, epoch)
            return path, html, epoch

    def _loop(self) -> None:
        while not self.stopped:
            with Workers(self.project, 1, ("pdf",)) as pool:
                self.pool = pool
                while (job := self._next()) is not None:
                    self._build(pool, *job)
                self.pool = None
            with self.condition:
                self.restarting = False

    def _build(self, pool: Workers, path: str, html: str, epoch: str) -> None:
        target = Target(path, "", "", "", "pdf", "", "", html=html)
        result = pool.run([target], epoch, lambda result: None)[0]
        output = result.output
        pdf = Pdf(output.data if output else None, digest(html), result.seconds, result.error,
                  output.pages if output else None)
        with self.condition:
            self.building = None
            if not self.stopped:
                self.built[path] = pdf
            self.condition.notify_all()
            state = BUILDING if path in self.queue else READY if pdf.data is not None else FAILED
        self.on_done(path, state)
