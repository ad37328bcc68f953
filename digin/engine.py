"""Render targets in worker processes, each importing the writers once and reusing
their caches (WeasyPrint's font configuration and parsed CSS) across renders.

Workers start, and warm up, while the main process is still planning, and start on each
target as soon as the plan has made it (a thread of the main process hands them out until
`run`). Each worker talks to the main process through a pipe of its own, one target at a
time, so:
- a worker that dies costs only the target it held (reported with its name); a new worker
  takes its place and the finished targets are kept;
- a worker ends with its build, however the build ends: on the closed pipe, on SIGTERM
  from the main process, or on the kernel's parent-death signal if the main process is
  killed outright; its temporary folder goes with it (or with the next run's
  `reclaim_temporary_folders` after a SIGKILL).
"""
from __future__ import annotations

import contextlib
import ctypes
import gc
import os
import re
import resource
import shutil
import signal
import sys
import tempfile
import threading
import time
import traceback
from dataclasses import dataclass
from multiprocessing import get_context, resource_tracker
from multiprocessing.connection import wait
from pathlib import Path
from typing import Callable

from .project import Project
from .writers import Output, writer

_TEMPORARY = "digin-worker-"      # + pid + "-" + random: the pid tells whether it is still in use
_PR_SET_PDEATHSIG = 1


@dataclass
class Result:
    target: object                # plan.Target
    output: Output | None
    error: str | None
    seconds: float
    peak_memory_mb: float
    traceback: str = ""


def usable_cores() -> int:
    """The cores this process may run on: a container's or CI runner's CPU limit (its
    affinity), not the host's count."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def _start_method() -> str:
    """"fork" on Linux while this process runs one thread and has not loaded WeasyPrint:
    the worker begins as a copy of the main process, its modules imported, 0.2-0.3 s
    sooner than a new interpreter. Otherwise "spawn": a fork copies no other thread, only
    the locks it may hold (the preview's), nor Pango's and fontconfig's state safely; and
    macOS's system libraries do not support it."""
    quiet = threading.active_count() == 1 and "weasyprint" not in sys.modules
    return "fork" if sys.platform.startswith("linux") and quiet else "spawn"


def _die_with_parent(parent: int) -> None:
    """Ask Linux to send SIGTERM when the main process ends (even by SIGKILL)."""
    with contextlib.suppress(OSError, AttributeError):
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)
    if os.getppid() != parent:    # it ended before the request was made
        os._exit(1)


def _serve(connection, root: str, formats: tuple[str, ...], parent: int) -> None:
    """A worker's life: warm up, then render the targets it is sent until the pipe closes.

    It starts with SIGINT and SIGTERM blocked (see _Worker): a SIGTERM that comes before
    its handler is in place waits, and then removes the temporary folder too."""
    _die_with_parent(parent)
    signal.signal(signal.SIGINT, signal.SIG_IGN)   # Ctrl-C is the main process's to handle
    temporary = tempfile.mkdtemp(prefix=f"{_TEMPORARY}{os.getpid()}-")
    tempfile.tempdir = temporary                   # WeasyPrint's copies of the fonts go here
    signal.signal(signal.SIGTERM, lambda *_: _exit_now(temporary, 1))
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT, signal.SIGTERM})
    _warm_up(Project(Path(root)), formats)
    while True:
        try:
            job = connection.recv()
        except (EOFError, OSError):
            break
        if job is None:
            break
        connection.send(render(root, *job))
    _exit_now(temporary, 0)


def _warm_up(project: Project, formats: tuple[str, ...]) -> None:
    """Import the writers and build their caches before any target arrives."""
    for fmt in formats:
        module = writer(fmt)
        if hasattr(module, "warm_up"):
            module.warm_up(project)
    # Rendering allocates millions of short-lived objects: with Python's default thresholds
    # the collector runs ~1000 times per build and takes 10 % of the render time (2 % so).
    # What the warm-up made (modules, fonts, parsed CSS) lives as long as the worker: frozen,
    # the collector no longer scans it.
    gc.freeze()
    gc.set_threshold(20_000, 50, 100)


def _exit_now(temporary: str, status: int) -> None:
    """Exit without the interpreter's teardown: freeing a worker's objects one by one would
    cost 0.2-0.3 s of wall time for nothing. What must go is its temporary folder."""
    shutil.rmtree(temporary, ignore_errors=True)
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(status)


def render(root: str, fmt: str, html: str, source_date_epoch: str) -> tuple:
    """One target: (output, error, seconds, the worker's peak memory in MB, traceback)."""
    # fontTools stamps subset fonts with this date: fixed, so the bytes are reproducible.
    os.environ["SOURCE_DATE_EPOCH"] = source_date_epoch
    started = time.perf_counter()
    try:
        output, error, trace = writer(fmt).write(Project(Path(root)), html), None, ""
    except Exception as exception:  # noqa: BLE001 - reported per target; the others go on
        output, error, trace = None, f"{type(exception).__name__}: {exception}", traceback.format_exc()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return output, error, time.perf_counter() - started, peak, trace


def reclaim_temporary_folders() -> None:
    """Remove the temporary folders of workers that no longer run (killed with SIGKILL)."""
    for folder in Path(tempfile.gettempdir()).glob(f"{_TEMPORARY}*"):
        match = re.match(rf"{_TEMPORARY}(\d+)-", folder.name)
        if match and not _running(int(match[1])):
            shutil.rmtree(folder, ignore_errors=True)


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _key(target) -> tuple[str, str]:
    return target.path, target.fingerprint


class _Worker:
    def __init__(self, context, project: Project, formats: tuple[str, ...]):
        self.connection, child = context.Pipe()
        self.process = context.Process(target=_serve, args=(child, str(project.root), formats, os.getpid()),
                                       daemon=True, name="digin-worker")
        # Started with SIGINT and SIGTERM blocked (the mask is inherited): a Ctrl-C during
        # its start-up must not print its traceback; it unblocks them once it handles them.
        with _blocked(signal.SIGINT, signal.SIGTERM):
            self.process.start()
        child.close()
        self.target = None            # what it renders now
        self.started = 0.0

    def stop(self) -> None:
        with contextlib.suppress(OSError):
            self.connection.close()
        if self.process.is_alive():
            self.process.terminate()  # SIGTERM: it removes its temporary folder and exits
        self.process.join(3)
        if self.process.is_alive():
            self.process.kill()
            self.process.join()


@contextlib.contextmanager
def _blocked(*signals):
    old = signal.pthread_sigmask(signal.SIG_BLOCK, signals)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, old)


class Workers:
    """A pool of `jobs` worker processes, started (and warming up) on creation; a context
    manager: on leaving it, every worker is stopped, whatever happened."""

    def __init__(self, project: Project, jobs: int, formats: tuple[str, ...]):
        reclaim_temporary_folders()
        self.project, self.formats = project, formats
        self.context = get_context(_start_method())
        # Start multiprocessing's resource tracker now: starting it unblocks SIGINT and
        # SIGTERM (resource_tracker.ensure_running), which would undo _Worker's blocking.
        resource_tracker.ensure_running()
        # One worker starts at once and warms up while the content is validated; the others
        # with the first target (a refused build starts only the one).
        self.jobs = max(1, jobs)
        self.workers = [_Worker(self.context, project, formats)]
        # Targets sent ahead, while the main process still plans: a thread gives them to the
        # workers as these become idle, so that no worker waits for the plan's next page.
        self.waiting: list = []             # sent ahead, not taken by a worker yet
        self.early: list[Result] = []       # their results, before `run`
        self.feeder: threading.Thread | None = None
        self.lock = threading.Lock()
        self.wake_up = None                 # (read, write) ends of a pipe that wakes the feeder

    def send_ahead(self, target, source_date_epoch: str) -> None:
        """Queue a target before the plan is complete (the plan streams its targets as their
        HTML is made); the first idle worker starts on it. `run` takes its result if the
        plan still wants that target with that fingerprint, and drops it otherwise."""
        with self.lock:
            self.waiting.append(target)
        if self.feeder is None:
            self._start_the_others(self.jobs)   # before the thread: a fork copies no thread
            self.wake_up = self.context.Pipe(duplex=False)
            self.feeder = threading.Thread(target=self._feed, args=(source_date_epoch,), daemon=True,
                                           name="digin-feeder")
            self.feeder.start()
        else:
            self.wake_up[1].send_bytes(b"")

    def _feed(self, source_date_epoch: str) -> None:
        """The feeder thread's loop, until `_stop_feeding`. It never starts a worker (a fork
        copies no thread); `run` replaces the workers that died meanwhile."""
        with contextlib.suppress(OSError, ValueError):     # the pool was stopped under it (a second Ctrl-C)
            while True:
                with self.lock:
                    if self.wake_up is None:
                        return
                    self._dispatch(self.waiting, source_date_epoch, replace=False)
                    wake = self.wake_up[0]
                busy = self._busy()
                ready = self._wait(busy, wake)
                if wake in ready:
                    while wake.poll():
                        wake.recv_bytes()
                with self.lock:
                    self.early += self._results(busy, ready)

    def _start_the_others(self, wanted: int) -> None:
        """Up to `wanted` workers (no more than `jobs`)."""
        while len(self.workers) < min(self.jobs, wanted):
            self.workers.append(_Worker(self.context, self.project, self.formats))

    def _stop_feeding(self) -> None:
        feeder, self.feeder = self.feeder, None
        if feeder is None:
            return
        with self.lock:
            read, write = self.wake_up
            self.wake_up = None
        write.send_bytes(b"")
        feeder.join()
        read.close()
        write.close()

    def run(self, targets: list, source_date_epoch: str, on_done: Callable[[Result], None]) -> list[Result]:
        """Render every target, the most costly first; a target whose worker died fails alone."""
        self._stop_feeding()
        wanted = {_key(t) for t in targets}
        taken = {_key(w.target) for w in self._busy()} | {_key(r.target) for r in self.early}
        queue = sorted((t for t in targets if _key(t) not in taken), key=lambda t: -t.cost)
        self._start_the_others(len(queue) + len(self._busy()))
        early, self.early, self.waiting = self.early, [], []
        results = []

        def finish(result: Result) -> None:
            if _key(result.target) in wanted:      # else sent ahead, and the plan did not want it after all
                results.append(result)
                on_done(result)

        for result in early:
            finish(result)
        while queue or self._busy():
            self._dispatch(queue, source_date_epoch)
            busy = self._busy()
            for result in self._results(busy, self._wait(busy)):
                finish(result)
        return results

    def _busy(self) -> list[_Worker]:
        return [w for w in self.workers if w.target is not None]

    def _dispatch(self, queue: list, source_date_epoch: str, replace: bool = True) -> None:
        """Send the first targets of `queue` to the idle workers (`replace`: a new worker
        for one that died while idle; else it is skipped)."""
        for index, worker in enumerate(self.workers):
            if worker.target is None and queue:
                if not worker.process.is_alive():     # it died while idle
                    if not replace:
                        continue
                    worker.stop()
                    worker = self.workers[index] = _Worker(self.context, self.project, self.formats)
                self._send(worker, queue.pop(0), source_date_epoch)

    @staticmethod
    def _wait(busy: list[_Worker], *others) -> set:
        """Until a busy worker answers or dies (or one of `others` is ready): what is ready."""
        return set(wait([*others] + [w.connection for w in busy] + [w.process.sentinel for w in busy]))

    def _results(self, busy: list[_Worker], ready: set) -> list[Result]:
        """The results of the busy workers that `wait` found ready."""
        results = []
        for worker in busy:
            if ready & {worker.connection, worker.process.sentinel}:
                answer = self._answer(worker)
                results.append(Result(worker.target, *answer) if answer else self._died(worker))
                worker.target = None
        return results

    @staticmethod
    def _send(worker: _Worker, target, source_date_epoch: str) -> None:
        worker.target, worker.started = target, time.perf_counter()
        with contextlib.suppress(OSError):    # it died: its sentinel tells the loop
            worker.connection.send((target.format, target.html, source_date_epoch))

    @staticmethod
    def _answer(worker: _Worker) -> tuple | None:
        """The worker's result, or None if it died before sending one."""
        try:
            return worker.connection.recv() if worker.connection.poll() else None
        except (EOFError, OSError):
            return None

    @staticmethod
    def _died(worker: _Worker) -> Result:
        """The failed result of a worker's target when the worker died (a new worker takes
        its place if more targets wait)."""
        worker.stop()
        code = worker.process.exitcode
        how = f"signal {signal.Signals(-code).name}" if code and code < 0 else f"exit status {code}"
        return Result(worker.target, None, f"the worker rendering it ended ({how})",
                      time.perf_counter() - worker.started, 0.0)

    def close(self) -> None:
        for worker in self.workers:
            with contextlib.suppress(OSError):
                worker.connection.send(None)   # finish and exit
        for worker in self.workers:
            worker.process.join(5)
            worker.stop()

    def __enter__(self) -> "Workers":
        return self

    def __exit__(self, kind, *_) -> None:
        self._stop_feeding()
        if kind is None:
            self.close()
        else:                         # Ctrl-C, a kill, an error: stop at once, write nothing more
            for worker in self.workers:
                worker.stop()
