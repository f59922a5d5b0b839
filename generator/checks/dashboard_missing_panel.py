"""dashboard/missing-panel: an alert whose condition no panel of its service's dashboard plots."""

from __future__ import annotations

from collections.abc import Iterator

from .. import conventions as conv
from .base import Check, Level, Problem, at_rule
from .context import Context


def run(ctx: Context) -> Iterator[Problem]:
    """Each alert's compared series is queried by a panel of its service's dashboard."""
    for rule in ctx.alerts:
        series = rule.compared_series
        if not series or rule.service not in ctx.services:
            continue
        intent = ctx.intent(rule)
        if intent is not None and intent.signal is None:
            continue  # an expr= alert the spec places on no panel: its runbook shows the condition
        path = conv.dashboard_path(rule.service)
        board = ctx.dashboards.get(path)
        shown = ", ".join(sorted(series))
        if board is None:
            if path not in ctx.files:  # an unreadable file is artifact/invalid's
                yield at_rule(
                    rule,
                    f"{path} does not exist, so on-call has no graph of {shown}; "
                    "regenerate the output (the Grafana renderer writes one dashboard per service)",
                )
        elif not any(p.series & series for p in board.panels):
            yield at_rule(
                rule,
                f"no panel of {path} queries {shown}, which this alert compares; add the alert's "
                "signal to a row of the service's dashboard (Dashboard(rows=...)) and regenerate",
            )


CHECK = Check("dashboard/missing-panel", Level.ERROR, "an alert whose signal no dashboard panel plots", run)
