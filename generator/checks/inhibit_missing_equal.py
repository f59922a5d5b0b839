"""inhibit/missing-equal: an `equal` label that the source or target alerts do not carry.

Alertmanager reads a missing label as empty: missing on one side, the rule never matches;
missing on both, it no longer narrows the rule. A label the query had but an aggregation
dropped is reported as label/dropped-by-aggregation instead, which says where to keep it.
"""

from __future__ import annotations

from collections.abc import Iterator

from ..artifacts.rules import Rule
from .base import Check, Level, Problem, Scope
from .context import Context
from .inhibitflow import names


def run(ctx: Context) -> Iterator[Problem]:
    """Every `equal` label is on every alert of both sides (or dropped by an aggregation)."""
    index = ctx.inhibit_index
    for path, config in ctx.alertmanagers.items():
        for i, rule in enumerate(config.inhibit):
            sides = {"source": index.side(rule.source), "target": index.side(rule.target)}
            for label in rule.equal:
                lacking = {side: _lacking(ctx, alerts, label) for side, alerts in sides.items()}
                if not any(lacking.values()):
                    continue
                everyone = all(len(lacking[s]) == len(sides[s]) for s in sides)
                if everyone:
                    effect = (
                        "no alert of either side carries it, so both read it as empty and it does "
                        "not narrow the rule; drop it from equal, or keep the label in the queries"
                    )
                else:
                    which = "; ".join(f"{side} {names(a)}" for side, a in lacking.items() if a)
                    effect = (
                        f"it is missing from {which}, whose empty value never equals the other "
                        "side's, so the inhibition does not happen; keep the label in their queries "
                        "or drop it from equal"
                    )
                first = next(a for alerts in lacking.values() for a in alerts)
                yield Problem(
                    path,
                    config.inhibit_lines[i],
                    f"equal label {label!r}: {effect}",
                    first.service,
                    first.name,
                    config.describe_inhibit(i),
                )


def _lacking(ctx: Context, alerts: list[Rule], label: str) -> list[Rule]:
    """Alerts without `label` at run time whose queries never had it (not dropped by aggregation)."""
    return [
        a for a in alerts if label not in ctx.labels.runtime(a) and ctx.labels.dropped_by(a, label) is None
    ]


CHECK = Check(
    "inhibit/missing-equal",
    Level.ERROR,
    "an inhibit equal label missing from source or target",
    run,
    scope=Scope.GLOBAL,
)
