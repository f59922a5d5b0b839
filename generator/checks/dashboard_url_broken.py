"""dashboard/url-broken: a link to a dashboard or panel that does not exist or shows something else."""

from __future__ import annotations

from collections.abc import Iterator

from ..artifacts.dashboards import dashboard_link
from .base import Check, Level, Problem, Scope, at_rule
from .context import Context


def run(ctx: Context) -> Iterator[Problem]:
    """Every alert's `dashboard_url` opens a panel, on its service's Grafana, that plots the alert."""
    key = ctx.model.conventions.dashboard_annotation
    if key is None:
        return  # the repository links no dashboard from its alerts
    for rule in ctx.alerts:
        service = ctx.services.get(rule.service)
        if service is None:
            continue
        url = rule.annotations.get(key)
        line = rule.annotation_lines.get(key)
        if not url:
            yield at_rule(
                rule,
                f"has no {key} annotation, so the notification cannot link to a graph; "
                "regenerate the rules from the spec",
            )
            continue
        link = dashboard_link(url)
        board = ctx.dashboards_by_uid.get(link.uid) if link is not None else None
        if link is None or link.base != service.spec.grafana_url:
            yield at_rule(
                rule,
                f"{key} {url!r} is not a dashboard link on {service.spec.grafana_url}; "
                "regenerate the rules from the spec",
                line,
            )
        elif board is None:
            yield at_rule(
                rule,
                f"{key} opens dashboard uid {link.uid!r}, but no dashboard in the output has "
                "that uid; regenerate the output so the uid and the link agree",
                line,
            )
        elif link.panel is None:
            intent = ctx.intent(rule)
            if intent is None or intent.signal is not None:  # an alert without a panel links the board
                yield at_rule(
                    rule, f"{key} {url!r} names no panel (viewPanel=<id>); regenerate the rules", line
                )
        else:
            panel = board.panel(link.panel)
            if panel is None:
                yield at_rule(
                    rule,
                    f"{key} opens panel {link.panel}, but {board.path} has no panel with that "
                    "id; regenerate the output so the panel ids and the link agree",
                    line,
                )
            elif rule.compared_series and not panel.series & rule.compared_series:
                yield at_rule(
                    rule,
                    f"{key} opens {panel.label}, which does not plot "
                    f"{', '.join(sorted(rule.compared_series))}; regenerate the output",
                    line,
                )


CHECK = Check(
    "dashboard/url-broken",
    Level.ERROR,
    "an alert's dashboard link opens nothing useful",
    run,
    scope=Scope.GLOBAL,
)
