"""rule/alerts-merge: alerts of one name and static labels whose conditions differ.

Prometheus evaluates both, but an alert's identity is its labels: when both fire for the same
series, Alertmanager sees one alert and notifies once, with whichever annotations came last, and
`promtool check rules --lint-fatal` refuses the file. Distinct labels (a severity) keep them apart.
"""

from __future__ import annotations

from collections.abc import Iterator

from ..artifacts.rules import Rule
from .base import Check, Level, Problem, Scope, at_rule
from .context import Context


def run(ctx: Context) -> Iterator[Problem]:
    """No two alerts share a name and static labels (rule/duplicate reports equal conditions)."""
    first: dict[tuple[str, tuple[tuple[str, str], ...]], Rule] = {}
    for rule in ctx.alerts:
        key = (rule.name, tuple(sorted(rule.labels.items())))
        prior = first.setdefault(key, rule)
        if prior is not rule and " ".join(prior.expr.split()) != " ".join(rule.expr.split()):
            yield at_rule(
                rule,
                f"shares its name and labels with the alert at {prior.path}:{prior.line}; when both fire "
                "for one series Alertmanager merges them into one notification (and promtool's lint "
                "refuses the file): give them distinct labels, e.g. their severities",
            )


CHECK = Check(
    "rule/alerts-merge",
    Level.WARNING,
    "alerts of one name and labels that Alertmanager cannot tell apart",
    run,
    scope=Scope.GLOBAL,
)
