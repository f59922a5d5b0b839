"""route/unrouted: an alert that reaches only the default receiver of the routing tree."""

from __future__ import annotations

from collections.abc import Iterator

from .base import Check, Level, Problem, Scope
from .context import Context


def run(ctx: Context) -> Iterator[Problem]:
    """Every alert's static labels match some route below the root."""
    for path, flow in ctx.route_flows.items():
        config = flow.config
        for rule in ctx.alerts:
            finals = flow.final(rule)
            # A route that inherits the root's receiver routes nowhere either.
            if any(route.receiver != config.root.receiver for route in finals):
                continue
            labels = ", ".join(f'{k}="{v}"' for k, v in sorted(flow.static(rule).items()))
            yield Problem(
                path,
                config.line(finals[-1]),
                f"reaches only the default receiver {config.root.receiver!r}: no route with a receiver "
                f"of its own matches its labels {labels}; give its team a Notify for severity "
                f"{rule.labels.get('severity', '?')!r} (or a Route) in the spec",
                rule.service,
                rule.name,
                config.describe(finals[-1]),
            )


CHECK = Check(
    "route/unrouted",
    Level.WARNING,
    "an alert that reaches only the default receiver",
    run,
    scope=Scope.GLOBAL,
)
