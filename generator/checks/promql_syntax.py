"""promql/syntax: a rule expression that does not parse (a hand edit, or a renderer bug)."""

from __future__ import annotations

from collections.abc import Iterator

from ..promql import PromQLError, parse
from .base import Check, Level, Problem, at_rule
from .context import Context


def run(ctx: Context) -> Iterator[Problem]:
    """Report each rule whose `expr` promql-parser rejects."""
    for rule in ctx.rules:
        try:
            parse(rule.expr)
        except PromQLError as exc:
            yield at_rule(
                rule,
                f"expr does not parse as PromQL ({exc}); fix the expression in the spec and regenerate",
                rule.expr_line,
            )


CHECK = Check("promql/syntax", Level.ERROR, "a rule expression is not valid PromQL", run)
