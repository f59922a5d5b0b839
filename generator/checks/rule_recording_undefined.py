"""rule/recording-undefined: an expression reads a recorded series no rule file defines."""

from __future__ import annotations

from collections.abc import Iterator

from ..promql import selectors
from .base import Check, Level, Problem, at_rule
from .context import Context


def run(ctx: Context) -> Iterator[Problem]:
    """Every `level:metric:operation` name read is recorded by some rule of the tree."""
    for rule in ctx.rules:
        ast = rule.ast
        if ast is None:
            continue
        service = ctx.services.get(rule.service)
        # A record made by rules outside the specs is declared in the service's metrics=.
        declared = service.catalog if service is not None else {}
        for name in sorted({s.name for s in selectors(ast) if ":" in s.name}):
            if name not in ctx.records and name not in declared:
                yield at_rule(
                    rule,
                    f"reads recorded series {name!r}, but no rule file records it, so the query "
                    "returns nothing; fix the name, add the signal that records it, or declare it in "
                    "metrics= when other rules record it",
                    rule.expr_line,
                )


CHECK = Check("rule/recording-undefined", Level.ERROR, "a recorded series read but never recorded", run)
