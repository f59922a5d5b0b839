"""The `alertgen` command line: thin click commands over the pipeline."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

from . import __version__
from .cli_help import EPILOG
from .cli_options import (
    EXIT_BUSY,
    EXIT_CHECK,
    EXIT_DRIFT,
    EXIT_INTERRUPTED,
    EXIT_IO,
    EXIT_SPEC,
    EXIT_WORKER,
    exit_on_spec_errors,
    jobs_option,
    out_option,
    specs_option,
    time_scale_option,
    timeout_option,
)
from .cli_review import history_amend, history_option
from .errors import WorkerDied


class _Alertgen(click.Group):
    """The command group: Ctrl-C (click would say "Aborted!") and a worker killed from outside end
    any command with one line, not a traceback."""

    def invoke(self, ctx: click.Context) -> Any:
        """Run the command; an interrupt or a dead worker is reported, not raised."""
        try:
            return super().invoke(ctx)
        except KeyboardInterrupt:
            click.echo("alertgen: interrupted", err=True)
            ctx.exit(EXIT_INTERRUPTED)
        except WorkerDied as exc:
            click.echo(f"alertgen: {exc}", err=True)
            ctx.exit(EXIT_WORKER)


@click.group(cls=_Alertgen, context_settings={"help_option_names": ["-h", "--help"]}, epilog=EPILOG["main"])
@click.version_option(__version__, prog_name="alertgen")
def main() -> None:
    """Monitoring as code: typed specs to Prometheus rules, tests, Alertmanager, dashboards, runbooks."""


def _model(specs_dir: Path):  # type: ignore[no-untyped-def]
    """The specs loaded and built, or every spec error printed and exit 2."""
    from .errors import SpecErrors
    from .pipeline import load

    try:
        model = load(specs_dir, jobs=1)
    except SpecErrors as exc:
        exit_on_spec_errors(exc, "nothing written")
    _warn(model)
    return model


def _warn(model) -> None:  # type: ignore[no-untyped-def]
    for warning in model.warnings:
        click.echo(f"warning: {warning}", err=True)


@main.command(epilog=EPILOG["generate"])
@specs_option
@out_option
@click.option("--check", is_flag=True, help="Write nothing; list drifted files and exit 1 on drift.")
@click.option(
    "--target",
    "targets",
    multiple=True,
    type=click.Choice(("prometheus", "operator", "thanos", "mimir", "vmalert")),
    help="Rule formats to write, in place of the specs' Targets (repeat it; prometheus: the plain "
    "files only, always written).",
)
@history_option
@jobs_option
@timeout_option
@time_scale_option
def generate(
    specs_dir: Path,
    out_dir: Path,
    check: bool,
    targets: tuple[str, ...],
    history: bool,
    jobs: int | None,
    timeout: float,
    time_scale: float,
) -> None:
    """Render every artifact from the specs into the output folder.

    Loads the spec modules, builds, renders and runs the consistency checks; only then is the
    output folder replaced, in one step. Unchanged files are not rewritten and files no spec
    produces any more are removed; every written file is listed.
    """
    from .errors import SpecErrors
    from .outguard import refusal
    from .output import OutputBusy, Staging, WriteFailed, locked
    from .pipeline import default_jobs, load, process

    jobs = jobs or default_jobs()
    # The plain Prometheus files are always written (the promtool tests and checks read them).
    chosen = [t for t in targets if t != "prometheus"] if targets else None
    try:
        model = load(specs_dir, jobs=jobs, time_scale=time_scale, timeout=timeout, targets=chosen)
        if history:
            model = history_amend(specs_dir, timeout)(model)
    except SpecErrors as exc:
        exit_on_spec_errors(exc, "nothing written")
    _warn(model)
    if check:
        with Staging(out_dir, write=False) as staging:
            result = process(model, jobs=jobs, out=out_dir, staging=staging)
            _refuse_on_check_errors(result.findings)
            drift = staging.finish()
        for line in drift.lines():
            click.echo(line)
        if drift:
            click.echo(
                f"alertgen: {out_dir} is out of date; run `alertgen generate` and commit the result",
                err=True,
            )
            sys.exit(EXIT_DRIFT)
        click.echo(f"{out_dir}: up to date ({len(result.paths)} files)")
        return
    refused = refusal(out_dir, specs_dir)
    if refused:
        click.echo(f"alertgen: {refused}; nothing written", err=True)
        sys.exit(EXIT_SPEC)
    try:
        # Locked from the first file staged: another run's lock would clear this run's new tree.
        with locked(out_dir), Staging(out_dir, write=True) as staging:
            result = process(model, jobs=jobs, out=out_dir, staging=staging)
            _refuse_on_check_errors(result.findings)
            drift = staging.finish()
    except OutputBusy as exc:
        click.echo(f"alertgen: {exc}", err=True)
        sys.exit(EXIT_BUSY)
    except WriteFailed as exc:
        # Disk full, permissions: the new tree was never swapped in, so say so on one line.
        where = f" ({exc.filename})" if exc.filename else ""
        click.echo(
            f"alertgen: cannot write {out_dir}: {exc.strerror}{where}; the previous output is unchanged",
            err=True,
        )
        sys.exit(EXIT_IO)
    for line in drift.lines(written=True):
        click.echo(line)
    if drift and set(result.paths) <= set(drift.added):
        # A first run: "updated" or "unchanged" would read as "nothing happened".
        click.echo(f"alertgen: wrote {len(result.paths)} files to {out_dir}/ (new)")
        return
    state = "updated" if drift else "unchanged"
    click.echo(f"{out_dir}: {state} ({len(result.paths)} files)")


def _refuse_on_check_errors(findings) -> None:  # type: ignore[no-untyped-def]
    from .checks import errors, report

    # Only errors stop a run and are shown here; `alertgen check` reports warnings too.
    failed = errors(findings)
    if failed:
        click.echo(report.text(failed), err=True, nl=False)
        n = len(failed)
        click.echo(f"alertgen: {n} check error{'s' if n != 1 else ''}; nothing written", err=True)
        sys.exit(EXIT_CHECK)


@main.command("verify", epilog=EPILOG["verify"])
@click.option(
    "--out",
    "out_dir",
    type=click.Path(path_type=Path),
    default=Path("output"),
    show_default=True,
    help="Generated folder to verify.",
)
@click.option(
    "-j",
    "--jobs",
    type=click.IntRange(min=1),
    default=None,
    help="Tool calls at once [default: usable CPUs].",
)
def verify_command(out_dir: Path, jobs: int | None) -> None:
    """Run promtool and amtool on a generated tree: rules, unit tests, configs, routing tests."""
    from .verify import VerifyError, verify

    try:
        summary = verify(out_dir, jobs, report=lambda failure: click.echo(failure.line()))
    except VerifyError as exc:
        click.echo(f"alertgen: {exc}", err=True)
        sys.exit(EXIT_SPEC)
    click.echo(summary.line())
    if summary.failures:
        sys.exit(EXIT_DRIFT)


@main.command("list", epilog=EPILOG["list"])
@specs_option
def list_alerts(specs_dir: Path) -> None:
    """Print a table of every alert: service, alert, severity, condition, for."""
    from .render.runbooks import condition

    model = _model(specs_dir)
    rows = [("SERVICE", "ALERT", "SEVERITY", "CONDITION", "FOR")]
    for service in model.services:
        for alert in service.alerts:
            rows.append((service.name, alert.name, alert.severity, condition(alert), alert.for_.text))
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]) - 1)]
    for row in rows:
        cells = [c.ljust(w) for c, w in zip(row, widths, strict=False)] + [row[-1]]
        click.echo("  ".join(cells).rstrip())


@main.command("alertmanager", epilog=EPILOG["alertmanager"])
@specs_option
@click.option(
    "--env",
    type=click.Choice(["production", "staging", "local"]),
    default="production",
    show_default=True,
    help="production: the spec's receivers; staging: each receiver's staging= target, nobody else; "
    "local: every receiver a webhook to --webhook-url (end-to-end tests).",
)
@click.option("--webhook-url", metavar="URL", default=None, help="Where `local` sends every notification.")
@click.option(
    "--out",
    "out_file",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Write the config to this file instead of standard output.",
)
def alertmanager_command(specs_dir: Path, env: str, webhook_url: str | None, out_file: Path | None) -> None:
    """Print (or write) the Alertmanager config of one environment."""
    from .render.alertmanager import render_config
    from .spec.secrets import secret_kind

    if env == "local" and not webhook_url:
        raise click.BadParameter(
            "the local environment needs --webhook-url URL", param_hint="'--webhook-url'"
        )
    if webhook_url is not None:
        if env != "local":
            raise click.BadParameter(
                "only the local environment uses a webhook URL", param_hint="'--webhook-url'"
            )
        if (
            not webhook_url.startswith(("http://", "https://"))
            or any(c.isspace() or not c.isprintable() for c in webhook_url)
            or secret_kind(webhook_url)
        ):
            raise click.BadParameter(
                "give an http:// or https:// URL on one line, without credentials",
                param_hint="'--webhook-url'",
            )
    model = _model(specs_dir)
    text = render_config(model, env, webhook_url)
    if out_file is None:
        click.echo(text, nl=False)
        return
    from .output import write_file
    from .render import alertmanager_templates
    from .routing.templates import FILE

    try:
        write_file(out_file, text.encode())
        if env != "local":
            # The config names the template file relative to itself: without it beside the
            # config, every notification would fail when it is sent.
            (tmpl,) = alertmanager_templates.render(model).values()
            write_file(out_file.with_name(FILE), tmpl.encode())
    except OSError as exc:
        reason = exc.strerror or str(exc)
        click.echo(f"alertgen: cannot write {out_file}: {reason}; the previous file is unchanged", err=True)
        sys.exit(EXIT_IO)
    beside = f", its templates in {out_file.with_name(FILE)}" if env != "local" else ""
    click.echo(f"{out_file}: Alertmanager config for {env}{beside}", err=True)


def entry() -> None:
    """The `alertgen` console command."""
    main(prog_name="alertgen")


def _register() -> None:
    # Its own module (cli.py stays small); the command imports the importer only when it runs.
    from .cli_check import check_command
    from .cli_import import import_command
    from .cli_review import diff_command

    main.add_command(check_command)
    main.add_command(import_command)
    main.add_command(diff_command)


_register()
