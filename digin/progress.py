"""What a build shows while it runs: a progress bar with the current target and an ETA
on a terminal; one line per finished target otherwise (logs, CI)."""
from __future__ import annotations

import contextlib
import sys

import click

from .engine import Result


class Display(contextlib.ExitStack):
    """A context manager: leaving it — normally, by Ctrl-C or by an error — closes the bar
    and gives the terminal back."""

    def __init__(self, quiet: bool = False, verbose: bool = False, stream=None):
        super().__init__()
        self.quiet, self.verbose = quiet, verbose
        self.stream = stream or sys.stderr
        self.bar = None
        self.interactive = self.stream.isatty() and not quiet

    def start(self, total: int) -> None:
        if self.interactive and total:
            self.bar = self.enter_context(click.progressbar(
                length=total, label="Building", show_eta=True, show_pos=True, item_show_func=lambda text: text,
                file=self.stream))

    def done(self, result: Result) -> None:
        target = result.target
        status = "failed" if result.error else "built"
        if self.bar is not None:
            self.bar.update(1, f"{status} {target.path}")
        elif not self.quiet or result.error:
            seconds = f" ({result.seconds:.1f} s)" if self.verbose else ""
            click.echo(f"{status} {target.path}{seconds}", file=self.stream)

    def waiting(self, holder: str) -> None:
        click.echo(f"waiting: another build is writing into this output folder ({holder})", file=self.stream)
