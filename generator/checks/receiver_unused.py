"""receiver/unused: a receiver that no route, or only routes no alert reaches, sends to."""

from __future__ import annotations

from collections.abc import Iterator

from .base import Check, Level, Problem, Scope
from .context import Context


def run(ctx: Context) -> Iterator[Problem]:
    """Every receiver but the root's is the receiver of a route some alert reaches."""
    for path, flow in ctx.route_flows.items():
        config = flow.config
        reached: set[tuple[int, ...]] = set()
        for rule in ctx.alerts:
            reached |= flow.visit(rule).reached
        used = {r.receiver for r in config.routes if not r.path or r.path in reached}
        named = {r.receiver for r in config.routes}
        for name, line in sorted(config.receivers.items()):
            if name in used:
                continue
            why = "only routes no alert reaches send to it" if name in named else "no route sends to it"
            yield Problem(
                path,
                line,
                f"receiver {name!r} is never notified: {why}; remove it, or route a team's alerts "
                "to it in the spec",
                route=f"receiver {name!r}",
            )


CHECK = Check("receiver/unused", Level.WARNING, "a receiver no alert reaches", run, scope=Scope.GLOBAL)
