"""rule/duplicate: two rules with the same name and labels, whose series collide."""

from __future__ import annotations

from collections.abc import Iterator

from ..artifacts.rules import Rule
from .base import Check, Level, Problem, Scope, at_rule
from .context import Context


def run(ctx: Context) -> Iterator[Problem]:
    """No two rules of an output tree share a name and static labels."""
    first: dict[tuple[str, str, tuple[tuple[str, str], ...], str], Rule] = {}
    for rule in ctx.rules:
        # Alerts of one name and labels may differ in condition (GOV.UK's cluster status alerts:
        # `== 3` and `== 1`); two recording rules of one name and labels always collide.
        condition = " ".join(rule.expr.split()) if rule.is_alert else ""
        key = (rule.kind, rule.name, tuple(sorted(rule.labels.items())), condition)
        prior = first.setdefault(key, rule)
        if prior is rule:
            continue
        kind = "alert" if rule.is_alert else "recording rule"
        yield at_rule(
            rule,
            f"{kind} {rule.name!r} with the same labels{' and condition' if rule.is_alert else ''} is "
            f"already defined at {prior.path}:{prior.line}; "
            "Prometheus would evaluate both into one series: rename one or give them distinct labels",
        )


CHECK = Check(
    "rule/duplicate", Level.ERROR, "two rules with the same name and labels", run, scope=Scope.GLOBAL
)
