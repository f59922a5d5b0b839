"""rule/recording-unused: a recording rule that no alert, rule or dashboard reads."""

from __future__ import annotations

from collections.abc import Iterator

from ..promql import selectors
from .base import Check, Level, Problem, at_rule
from .context import Context


def run(ctx: Context) -> Iterator[Problem]:
    """Each recording rule is read by a rule expression or a dashboard query."""
    used: set[str] = set()
    for rule in ctx.rules:
        ast = rule.ast
        if ast is not None:
            used.update(s.name for s in selectors(ast) if s.name != rule.name)
    used |= ctx.dashboard_series
    for name, rule in ctx.records.items():
        if name not in used:
            yield at_rule(
                rule,
                f"recording rule {name!r} is read by no alert, rule or dashboard panel, yet Prometheus "
                "evaluates it every interval; remove its signal or alert on it",
            )


CHECK = Check("rule/recording-unused", Level.WARNING, "a recording rule nothing reads", run)
