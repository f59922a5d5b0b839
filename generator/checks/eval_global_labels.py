"""eval/global-labels: a global alert keeps a replica label, or drops a label Alertmanager needs.

At the global tier every series read carries the labels each source adds (its external labels,
`GlobalLayer(external_labels=...)`). An alert that keeps a replica label fires once per replica
instead of once; one that aggregates away a source label a route, `group_by` or inhibition uses
(`cluster`) is routed or muted as if it had none, though the same alert at the source had it.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from ..artifacts.rules import Rule
from ..promql import selectors
from ..promql.labels import flow
from ..routing.router import Route
from .base import Check, Level, Problem, Scope, at_rule
from .context import Context


def run(ctx: Context) -> Iterator[Problem]:
    """Each global alert drops every replica label and keeps the source labels Alertmanager uses."""
    layer = ctx.model.targets.layer()
    used = _used_labels(ctx)
    records = {r.name: r for r in ctx.rules if r.kind == "record" and r.evaluation == "global"}
    for rule in ctx.alerts:
        if rule.evaluation != "global" or rule.ast is None:
            continue
        for label in layer.external_labels:
            if label in rule.labels:
                continue  # a static label wins over whatever the query gives
            kept = carries(rule.ast, label, records, frozenset())
            if label in layer.replica_labels and kept:
                yield at_rule(
                    rule,
                    f"is evaluated at the global tier and keeps replica label {label!r}, so it fires "
                    f"once per replica; aggregate it away, e.g. `max without ({label}) (...)`",
                    rule.expr_line,
                )
            elif label not in layer.replica_labels and not kept and label in used:
                yield at_rule(
                    rule,
                    f"is evaluated at the global tier and drops {label!r}, which every source adds and "
                    f"{used[label]} uses, so Alertmanager treats this alert as having none; keep it "
                    f"(`by (..., {label})`)",
                    rule.expr_line,
                )


def carries(ast: Any, label: str, records: Mapping[str, Rule], seen: frozenset[str]) -> bool:
    """Whether a global query's result may carry a label every source adds: kept by its own
    aggregation, or passed through from an input that has it (a source series always does; a
    global record when its own query keeps it)."""
    kept = flow(ast).keeps(label)  # no catalog: at the global tier inputs carry more than it lists
    if kept is not None:
        return kept
    for selector in selectors(ast):
        record = records.get(selector.name or "")
        if record is None or record.ast is None:
            return True
        if selector.name not in seen and carries(record.ast, label, records, seen | {selector.name}):
            return True
    return False


def _used_labels(ctx: Context) -> dict[str, str]:
    """Labels the Alertmanager configs match, group or compare on, each with what uses it first."""
    used: dict[str, str] = {}
    for path, config in sorted(ctx.alertmanagers.items()):
        stack: list[Route] = [config.root]
        while stack:
            route = stack.pop(0)
            for matcher in route.matchers:
                used.setdefault(matcher.name, f"a route matcher in {path}")
            for label in route.group_by or ():
                if label != "...":
                    used.setdefault(label, f"a route's group_by in {path}")
            stack.extend(route.routes)
        for inhibit in config.inhibit:
            for matcher in (*inhibit.source, *inhibit.target):
                used.setdefault(matcher.name, f"an inhibition in {path}")
            for label in inhibit.equal:
                used.setdefault(label, f"an inhibition's equal in {path}")
    return used


CHECK = Check(
    "eval/global-labels",
    Level.ERROR,
    "a global alert fires once per replica, or drops a source label Alertmanager uses",
    run,
    scope=Scope.GLOBAL,
)
