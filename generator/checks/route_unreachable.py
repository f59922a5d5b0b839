"""route/unreachable: a route that no rendered alert can reach."""

from __future__ import annotations

from collections.abc import Iterator

from .base import Check, Level, Problem, Scope
from .context import Context


def run(ctx: Context) -> Iterator[Problem]:
    """Every route below the root may be reached by some alert of the output."""
    for path, flow in ctx.route_flows.items():
        reached: set[tuple[int, ...]] = set()
        for rule in ctx.alerts:
            reached |= flow.visit(rule).reached
        config = flow.config
        for route in config.routes:
            if route.path and route.path not in reached:
                yield Problem(
                    path,
                    config.line(route),
                    "no alert of the output can reach this route: no alert's labels match its "
                    "matchers, or an earlier route without `continue` takes them first; fix its "
                    "matchers or remove it in the spec",
                    route=config.describe(route),
                )


CHECK = Check("route/unreachable", Level.WARNING, "a route that no alert can match", run, scope=Scope.GLOBAL)
