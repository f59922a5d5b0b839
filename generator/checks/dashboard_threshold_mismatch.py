"""dashboard/threshold-mismatch: a panel's threshold lines differ from its alerts' thresholds."""

from __future__ import annotations

import math
from collections.abc import Iterator

from ..artifacts.rules import Rule
from .base import Check, Level, Problem
from .context import Context


def run(ctx: Context) -> Iterator[Problem]:
    """A panel plotting alerted series draws exactly the thresholds those alerts fire at."""
    watching: dict[tuple[str, str], list[tuple[Rule, float]]] = {}
    unreadable: set[str] = set()  # services with an alert that does not parse (promql/syntax's)
    for rule in ctx.alerts:
        comparison = rule.comparison
        if comparison is None:
            unreadable.add(rule.service)
            continue
        for name in rule.compared_series:
            watching.setdefault((rule.service, name), []).append((rule, comparison[2]))
    for board in ctx.dashboards.values():
        for panel in board.panels:
            alerts = [a for name in sorted(panel.series) for a in watching.get((board.service, name), ())]
            if not alerts:
                continue
            drawn = ", ".join(f"{v:g}" for v in panel.thresholds) or "none"
            for rule, value in alerts:
                if not any(math.isclose(value, t) for t in panel.thresholds):
                    yield Problem(
                        board.path,
                        panel.line,
                        f"{panel.label} draws thresholds {drawn}, but the alert fires at "
                        f"{value:g}; regenerate the dashboard from the spec so the line shows where "
                        "the alert fires",
                        board.service,
                        rule.name,
                    )
            for t in panel.thresholds if board.service not in unreadable else ():
                if not any(math.isclose(value, t) for _, value in alerts):
                    yield Problem(
                        board.path,
                        panel.line,
                        f"{panel.label} draws a threshold at {t:g} where none of its alerts "
                        f"({', '.join(sorted({r.name for r, _ in alerts}))}) fires; "
                        "regenerate the dashboard from the spec",
                        board.service,
                    )


CHECK = Check(
    "dashboard/threshold-mismatch", Level.ERROR, "a panel's threshold differs from its alert's", run
)
