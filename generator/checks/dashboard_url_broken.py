"""dashboard/url-broken: a link to a dashboard or panel that does not exist or shows something else."""

from __future__ import annotations

from collections.abc import Iterator

from ..artifacts.dashboards import dashboard_link
from .base import Check, Level, Problem, Scope, at_rule
from .context import Context


def run(ctx: Context) -> Iterator[Problem]:
    """Every alert's `dashboard_url` opens a panel, on its service's Grafana, that plots the alert."""
    for rule in ctx.alerts:
        service = ctx.services.get(rule.service)
        if service is None:
            continue
        url = rule.annotations.get("dashboard_url")
        line = rule.annotation_lines.get("dashboard_url")
        if not url:
            yield at_rule(
                rule,
                "has no dashboard_url annotation, so the notification cannot link to a graph; "
                "regenerate the rules from the spec",
            )
            continue
        link = dashboard_link(url)
        board = ctx.dashboards_by_uid.get(link.uid) if link is not None else None
        if link is None or link.base != service.spec.grafana_url:
            yield at_rule(
                rule,
                f"dashboard_url {url!r} is not a dashboard link on {service.spec.grafana_url}; "
                "regenerate the rules from the spec",
                line,
            )
        elif board is None:
            yield at_rule(
                rule,
                f"dashboard_url opens dashboard uid {link.uid!r}, but no dashboard in the output has "
                "that uid; regenerate the output so the uid and the link agree",
                line,
            )
        elif link.panel is None:
            yield at_rule(
                rule, f"dashboard_url {url!r} names no panel (viewPanel=<id>); regenerate the rules", line
            )
        else:
            panel = board.panel(link.panel)
            if panel is None:
                yield at_rule(
                    rule,
                    f"dashboard_url opens panel {link.panel}, but {board.path} has no panel with that "
                    "id; regenerate the output so the panel ids and the link agree",
                    line,
                )
            elif rule.compared_series and not panel.series & rule.compared_series:
                yield at_rule(
                    rule,
                    f"dashboard_url opens {panel.label}, which does not plot "
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
