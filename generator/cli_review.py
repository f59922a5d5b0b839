"""`alertgen diff`: what a change to the specs does to alerting, in words fit for a review."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import click

if TYPE_CHECKING:
    from .model import Model
    from .review.snapshot import Baseline

EXIT_CHANGED = 1  # --exit-code: the alerting behaviour differs
EXIT_INPUT = 2  # a revision or spec that cannot be read; nothing compared

# `alertgen check`'s base revision, for version/not-bumped.
base_option = click.option(
    "--base",
    metavar="REV",
    default=None,
    help="Compare alerting behaviour with the specs at this git revision (version/not-bumped) "
    "[default: the merge base with main, when in git].",
)
no_base_option = click.option(
    "--no-base", is_flag=True, help="Compare with no revision: version/not-bumped is off."
)

# Opt-in: output/ stays a function of specs/ alone unless a repository chooses its git history.
history_option = click.option(
    "--history",
    is_flag=True,
    help="Read the specs' git history: a changelog in each runbook, and changed_in where the spec "
    "leaves it unset (docs/review.md).",
)


def history_amend(specs_dir: Path, timeout: float) -> Callable[[Model], Model]:
    """The pipeline's `amend` that adds git history to the model (review/history.py)."""
    from functools import partial

    from .review.history import with_history

    return partial(with_history, specs_dir, timeout=timeout)


@click.command("diff")
@click.option(
    "--specs",
    "specs_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("specs"),
    show_default=True,
    help="Folder of spec modules (*.py), in a git repository.",
)
@click.option(
    "--base",
    "base",
    metavar="REV",
    default=None,
    help="The revision to compare with [default: the merge base of HEAD with main].",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["markdown", "text", "json"]),
    default="markdown",
    show_default=True,
    help="markdown for a pull-request comment, text for a terminal, json for scripts.",
)
@click.option("--exit-code", is_flag=True, help="Exit 1 when the alerting behaviour differs.")
@click.option(
    "-j",
    "--jobs",
    type=click.IntRange(min=1),
    default=None,
    help="Processes to run the per-service jobs on (default: this machine's cores).",
)
@click.option(
    "--timeout",
    type=click.FloatRange(min=0.1),
    default=120.0,
    show_default=True,
    metavar="SECONDS",
    help="Stop a spec module that takes longer than this to load.",
)
def diff_command(
    specs_dir: Path, base: str | None, fmt: str, exit_code: bool, jobs: int | None, timeout: float
) -> None:
    """Compare the alerting behaviour of the specs at REV with the working tree, per service:
    alerts added, removed and renamed; threshold, comparison, for, keep_firing_for, severity,
    expression (as parsed PromQL), labels, annotations, examples; who is notified in each
    environment; inhibitions; dashboard panel and runbook section.

    \b
    Examples:
      alertgen diff                      # against the merge base with main
      alertgen diff --base HEAD~1 --format text
    \b
    Exit codes: 0 compared (also when nothing changed; `no behaviour change`); 1 with
    --exit-code when something changed; 2 a revision or spec that cannot be read.
    """
    from .cli_options import exit_on_spec_errors
    from .errors import SpecErrors
    from .pipeline import default_jobs
    from .review.diff import BaseSpecErrors, semantic_diff
    from .review.gitrev import RevisionError
    from .review.report import FORMATS

    try:
        found = semantic_diff(specs_dir, base, jobs=jobs or default_jobs(), timeout=timeout)
    except RevisionError as exc:
        click.echo(f"alertgen diff: {exc}; nothing compared", err=True)
        sys.exit(EXIT_INPUT)
    except BaseSpecErrors as exc:
        click.echo(f"alertgen diff: the specs at {exc.rev} have errors:", err=True)
        exit_on_spec_errors(exc.errors, "nothing compared")
    except SpecErrors as exc:
        exit_on_spec_errors(exc, "nothing compared")
    click.echo(FORMATS[fmt](found), nl=False)
    if exit_code and found.changed:
        sys.exit(EXIT_CHANGED)


def baseline_or_exit(specs_dir: Path, base: str | None, timeout: float) -> Baseline | None:
    """`alertgen check`'s base: the behaviour at `base` (default: the merge base with main, None
    when there is none); a `--base` that cannot be read is one line (or the spec errors) and exit 2."""
    from .cli_options import exit_on_spec_errors
    from .review.diff import BaseSpecErrors, baseline
    from .review.gitrev import RevisionError

    try:
        return baseline(specs_dir, base, timeout=timeout)
    except RevisionError as exc:
        click.echo(f"alertgen check: --base: {exc}; nothing checked", err=True)
        sys.exit(EXIT_INPUT)
    except BaseSpecErrors as exc:
        click.echo(f"alertgen check: the specs at {exc.rev} have errors:", err=True)
        exit_on_spec_errors(exc.errors, "nothing checked")
