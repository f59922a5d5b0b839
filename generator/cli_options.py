"""What the commands share: exit codes, the common options, and how spec errors are reported
(its own module, so that the commands in other modules need not import cli.py, which imports
them)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

import click

if TYPE_CHECKING:
    from .errors import SpecErrors

EXIT_DRIFT = 1
EXIT_SPEC = 2
EXIT_BUSY = 3
EXIT_CHECK = 4  # the consistency checks found errors (docs/checks.md); nothing written
EXIT_IO = 5  # the output folder could not be written; the previous tree is unchanged
EXIT_PROMETHEUS = 6  # the Prometheus given with --prometheus could not be queried
EXIT_WORKER = 7  # a job's worker process was killed from outside (out of memory?); nothing written
EXIT_INTERRUPTED = 130  # Ctrl-C (128 + SIGINT, as shells report it)

specs_option = click.option(
    "--specs",
    "specs_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("specs"),
    show_default=True,
    help="Folder of spec modules (*.py).",
)
out_option = click.option(
    "--out",
    "out_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("output"),
    show_default=True,
    help="Folder the artifacts are written to.",
)


timeout_option = click.option(
    "--timeout",
    type=click.FloatRange(min=0.1),
    default=120.0,
    show_default=True,
    metavar="SECONDS",
    help="Stop a spec module that takes longer than this to load (an endless loop) and report it.",
)

jobs_option = click.option(
    "-j",
    "--jobs",
    type=click.IntRange(min=1),
    default=None,
    help="Processes to run the per-service jobs on (default: this machine's cores; 1: no extra process).",
)

# Hidden: scaled output is for end-to-end tests against a real Prometheus, never for deployment.
time_scale_option = click.option(
    "--time-scale",
    type=click.FloatRange(min=1.0),
    default=1.0,
    hidden=True,
    help="TESTS ONLY: divide every for, interval and range window by this factor (docs/testing.md).",
)


def exit_on_spec_errors(exc: SpecErrors, outcome: str) -> NoReturn:
    """Print every spec error on its own line, a count, and exit 2."""
    for err in exc.errors:
        click.echo(str(err), err=True)
    n = len(exc.errors)
    click.echo(f"alertgen: {n} error{'s' if n != 1 else ''} in specs; {outcome}", err=True)
    sys.exit(EXIT_SPEC)
