"""eval/unavailable-input: a rule reads a series that does not exist where it is evaluated.

A source Prometheus holds what it scrapes and the source records; it never sees what the
global ruler records. The global ruler sees the source records (with the labels each source
adds) and only the raw series the spec says are forwarded (`GlobalLayer(forwarded=...)`).
"""

from __future__ import annotations

from collections.abc import Iterator

from .base import Check, Level, Problem, Scope, at_rule
from .context import Context


def run(ctx: Context) -> Iterator[Problem]:
    """Every series a rule reads exists at its evaluation tier."""
    tiers = {r.name: r.evaluation for r in ctx.rules if r.kind == "record"}
    forwarded = set(ctx.model.targets.layer().forwarded)
    # The names come from the label facts the services' jobs worked out: parsing every rule again
    # here would hold all their trees in the main process (80 MB at 10,000 alerts).
    for rule in ctx.rules:  # a rule that did not parse reads nothing: promql/syntax reports it
        for name in sorted({n for n in ctx.labels.reads(rule) if n}):
            where = tiers.get(name)
            if rule.evaluation == "global" and where is None and name not in forwarded:
                yield at_rule(
                    rule,
                    f"is evaluated at the global tier but reads raw series {name!r}, which no source "
                    "forwards there, so the query returns nothing; read a source signal's record "
                    "instead, or list it in GlobalLayer(forwarded=...) if every source sends it",
                    rule.expr_line,
                )
            elif rule.evaluation != "global" and where == "global":
                yield at_rule(
                    rule,
                    f"is evaluated at the source but reads {name!r}, which only the global ruler "
                    "records, so no source Prometheus has it; evaluate this rule at the global tier "
                    "(evaluation='global') or read the source series",
                    rule.expr_line,
                )


CHECK = Check(
    "eval/unavailable-input",
    Level.ERROR,
    "a rule reads a series that does not exist at its evaluation tier",
    run,
    scope=Scope.GLOBAL,
)
