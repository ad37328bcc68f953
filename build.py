#!/usr/bin/env python3
"""The DiGiN toolkit publishing pipeline: `python build.py --help`."""
from __future__ import annotations

import sys
import time
from pathlib import Path

import click

from digin.project import ROOT, Project


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--debug", is_flag=True, help="Show Python tracebacks for unexpected errors.")
@click.pass_context
def cli(ctx: click.Context, debug: bool) -> None:
    """Build the DiGiN D2.2 toolkit from content/ (YAML) and locales/ (PO) into out/."""
    ctx.obj = {"debug": debug}


@cli.command()
@click.option("--locale", "-l", "locales", multiple=True, metavar="LANG",
              help="Build only this language (repeatable). Default: English and every locales/*.po.")
@click.option("--format", "-f", "formats", multiple=True, type=click.Choice(["pdf"]),
              help="Build only this format (repeatable). Default: every format.")
@click.option("--out", "out", type=click.Path(file_okay=False, path_type=Path), default=ROOT / "out",
              show_default="out/", help="Folder to write the editions and manifest.json into.")
def build(locales: tuple[str, ...], formats: tuple[str, ...], out: Path) -> None:
    """Build the editions (every language and format unless narrowed) and out/manifest.json.

    Everything is validated and rendered before anything is written: on an error,
    out/ is left exactly as it was.
    """
    from digin.builder import build as run_build

    started = time.monotonic()
    echo = (lambda message: click.echo(message, err=True))
    report = run_build(Project(ROOT), out, list(locales) or None, list(formats) or None, progress=echo)
    for warning in report.warnings:
        click.echo(f"warning: {warning}", err=True)
    for lang, keys in report.fallbacks.items():
        click.echo(f"warning: {lang}: {len(keys)} strings not translated, shown in English", err=True)
    for item in report.artifacts:
        pages = f", {item.pages} pages" if item.pages else ""
        click.echo(f"wrote out/{item.path} ({item.bytes:,} bytes{pages})")
    click.echo(f"{len(report.artifacts)} files built in {time.monotonic() - started:.1f} s; "
               f"manifest: {out / 'manifest.json'}")


def main() -> None:
    debug = "--debug" in sys.argv[1:]
    try:
        cli.main(standalone_mode=False)
    except click.exceptions.Abort:
        click.echo("Aborted.", err=True)
        sys.exit(130)
    except click.ClickException as error:
        error.show()
        sys.exit(error.exit_code)
    except Exception as error:  # noqa: BLE001 - a bug: keep the traceback only on request
        if debug:
            raise
        click.echo(f"Error: unexpected {type(error).__name__}: {error}\n"
                   f"(this is a bug in the pipeline; run again with --debug for the traceback)", err=True)
        sys.exit(2)


if __name__ == "__main__":
    main()
