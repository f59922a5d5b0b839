"""`alertgen check`: the consistency checks on an output tree as it is on disk (its own module, so
cli.py stays under the size every module keeps)."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from .cli_help import EPILOG
from .cli_options import (
    EXIT_CHECK,
    EXIT_PROMETHEUS,
    exit_on_spec_errors,
    jobs_option,
    out_option,
    specs_option,
    timeout_option,
)
from .cli_review import base_option, history_amend, history_option, no_base_option


@click.command("check", epilog=EPILOG["check"])
@specs_option
@out_option
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json", "sarif"]),
    default="text",
    show_default=True,
    help="text for people, json for scripts, sarif (2.1.0) for code-scanning UIs.",
)
@click.option(
    "--prometheus",
    "prometheus_url",
    metavar="URL",
    default=None,
    help="Also ask this running Prometheus for every series the rules and dashboards read "
    "(promql/series-missing).",
)
@click.option(
    "--prometheus-timeout",
    type=click.FloatRange(min=0.1),
    default=30.0,
    show_default=True,
    metavar="SECONDS",
    help="Give up on a --prometheus answer that is not complete within this time.",
)
@base_option
@no_base_option
@history_option
@jobs_option
@timeout_option
def check_command(
    specs_dir: Path,
    out_dir: Path,
    fmt: str,
    prometheus_url: str | None,
    prometheus_timeout: float,
    base: str | None,
    no_base: bool,
    history: bool,
    jobs: int | None,
    timeout: float,
) -> None:
    """Check that the artifacts in the output folder agree with one another and with the specs.

    Reads the existing output folder (not a fresh render), so a hand edit is caught too.
    Findings name the file and line, the check's id and what to change (docs/checks.md).
    """
    from .checks import errors, report
    from .checks.context import LivePrometheus
    from .checks.promql_series_missing import PrometheusUnavailable
    from .errors import SpecErrors
    from .pipeline import default_jobs, read_tree, run

    if not out_dir.is_dir():
        click.echo(f"alertgen: no output folder {str(out_dir)!r}; run `alertgen generate` first", err=True)
        sys.exit(EXIT_CHECK)
    from .cli_review import baseline_or_exit

    baseline = None if no_base else baseline_or_exit(specs_dir, base, timeout)
    try:
        tree = read_tree(out_dir)
        findings = run(
            specs_dir,
            jobs=jobs or default_jobs(),
            out=out_dir,
            tree=tree,
            prometheus=LivePrometheus(prometheus_url, prometheus_timeout) if prometheus_url else None,
            timeout=timeout,
            base=baseline,
            amend=history_amend(specs_dir, timeout) if history else None,
        ).findings
    except PrometheusUnavailable as exc:
        click.echo(f"alertgen: --prometheus: {exc}; nothing checked", err=True)
        sys.exit(EXIT_PROMETHEUS)
    except SpecErrors as exc:
        exit_on_spec_errors(exc, "nothing checked")
    click.echo(report.FORMATS[fmt](findings), nl=False)
    if errors(findings):
        sys.exit(EXIT_CHECK)
