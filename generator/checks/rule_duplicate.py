"""rule/duplicate: the same rule twice (name, static labels and expression), whose series collide."""

from __future__ import annotations

from collections.abc import Iterator

from ..artifacts.rules import Rule
from .base import Check, Level, Problem, Scope, at_rule
from .context import Context


def run(ctx: Context) -> Iterator[Problem]:
    """No two rules of an output tree share a name, static labels and an expression."""
    first: dict[tuple[str, str, tuple[tuple[str, str], ...], str], Rule] = {}
    for rule in ctx.rules:
        # Rules of one name and labels may differ in expression: alerts (GOV.UK's cluster status
        # `== 3` and `== 1`) and records (kube-prometheus' increase1h per status class).
        condition = " ".join(rule.expr.split())
        key = (rule.kind, rule.name, tuple(sorted(rule.labels.items())), condition)
        prior = first.setdefault(key, rule)
        if prior is rule:
            continue
        kind = "alert" if rule.is_alert else "recording rule"
        yield at_rule(
            rule,
            f"{kind} {rule.name!r} with the same labels and expression is "
            f"already defined at {prior.path}:{prior.line}; "
            "Prometheus evaluates both into the same series: remove one",
        )


CHECK = Check(
    "rule/duplicate", Level.ERROR, "the same rule twice: name, labels and expression", run, scope=Scope.GLOBAL
)
