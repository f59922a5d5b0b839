"""`alertgen import`: existing rule files as spec modules, and the proof nothing changed."""

from __future__ import annotations

import sys
from pathlib import Path

import click

EXIT_DIFFERENT = 1  # the regenerated rules differ from the source, or something was not kept
EXIT_INPUT = 2  # the input could not be read, or alertgen cannot express it; nothing written


@click.command("import")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--service", default=None, help="Put every rule in one service of this name.")
@click.option("--team", default="imported", show_default=True, help="The team the services belong to.")
@click.option(
    "--tests",
    "tests",
    multiple=True,
    type=click.Path(path_type=Path),
    help="promtool test files whose cases become the alerts' examples (repeatable).",
)
@click.option(
    "--out",
    "out_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("specs"),
    show_default=True,
    help="Folder the spec modules are written to.",
)
@click.option(
    "--check", is_flag=True, help="Write nothing; exit 1 when the rules would not come back the same."
)
def import_command(
    paths: tuple[Path, ...],
    service: str | None,
    team: str,
    tests: tuple[Path, ...],
    out_dir: Path,
    check: bool,
) -> None:
    """Read Prometheus rule files, PrometheusRule objects or Mimir namespaces (files or folders),
    write them as spec modules, and compare the rules they generate with the source, rule by rule.

    \b
    Examples:
      alertgen import rules/*.yml --team platform
      alertgen import k8s/prometheus-rules/ --tests tests/rules_test.yml --check
    \b
    Exit codes: 0 equal and written; 1 a difference or a rule not kept (listed); 2 bad input
    (file:line errors, nothing written).
    """
    from .importer.run import import_rules

    outcome = import_rules(list(paths), list(tests), service, team, out_dir)
    for line in outcome.errors:
        click.echo(line, err=True)
    if outcome.errors:
        n = len(outcome.errors)
        click.echo(f"alertgen import: {n} error{'s' if n != 1 else ''}; nothing written", err=True)
        sys.exit(EXIT_INPUT)
    for line in outcome.summary:
        click.echo(line)
    for line in outcome.disabled:
        click.echo(f"kept as written, check off: {line}")
    for line in outcome.not_kept:
        click.echo(f"not kept: {line}")
    for line in outcome.differences:
        click.echo(f"differs: {line}")
    same = not outcome.differences and not outcome.not_kept
    verdict = (
        "every group and rule equal"
        if not outcome.differences
        else f"{len(outcome.differences)} difference{'s' if len(outcome.differences) != 1 else ''}"
    )
    if outcome.uncompared:  # Sloth specs: alertgen derives the rules, there are none to compare
        n = len(outcome.uncompared)
        slos = f"{n} SLO{'s' if n != 1 else ''} from Sloth specs, which have no rules to compare with"
        verdict = f"{verdict}; not compared: {slos}" if outcome.compared else f"nothing: {slos}"
    click.echo(f"compared with the source: {verdict}")
    if not check:
        clash = sorted(n for n in outcome.modules if (out_dir / n).exists() and n != "house.py")
        if clash:
            for name in clash:
                click.echo(f"{out_dir / name}: exists; move it away or import into another --out", err=True)
            sys.exit(EXIT_INPUT)
        out_dir.mkdir(parents=True, exist_ok=True)
        for name, text in outcome.modules.items():
            target = out_dir / name
            if name == "house.py" and target.exists():
                # The repository's conventions stay as they are; what the PrometheusRule objects
                # need is said, for the team to add where it keeps its Targets.
                if outcome.targets:
                    click.echo(
                        f"{target}: exists, left as it is; the imported files need Targets({outcome.targets})"
                    )
                continue
            target.write_text(text)
            click.echo(f"wrote {target}")
    sys.exit(0 if same else EXIT_DIFFERENT)
