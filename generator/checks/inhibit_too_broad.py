"""inhibit/too-broad: an inhibit rule that can silence alerts of other services."""

from __future__ import annotations

from collections.abc import Iterator

from ..routing.matchers import Op
from .base import Check, Level, Problem, Scope
from .context import Context
from .inhibitflow import names


def run(ctx: Context) -> Iterator[Problem]:
    """A rule's targets are pinned to its sources' services, by a matcher or by `equal`."""
    index = ctx.inhibit_index
    for path, config in ctx.alertmanagers.items():
        for i, rule in enumerate(config.inhibit):
            if "service" in rule.equal:
                continue
            sources = index.side(rule.source)
            own = {a.labels.get("service", "") for a in sources}
            own |= {m.value for m in rule.source if m.name == "service" and m.op is Op.EQ}
            pinned = {m.value for m in rule.target if m.name == "service" and m.op is Op.EQ}
            if pinned and pinned <= own:
                continue
            others = [a for a in index.side(rule.target) if a.labels.get("service", "") not in own]
            seen = f" (here {names(others)})" if others else ""
            shown = ", ".join(sorted(s for s in own if s)) or "none"
            yield Problem(
                path,
                config.inhibit_lines[i],
                f"its target matchers select alerts of any service{seen}, not only the source's "
                f'({shown}); add service="<name>" to target_matchers or service to equal',
                route=config.describe_inhibit(i),
            )


CHECK = Check(
    "inhibit/too-broad",
    Level.ERROR,
    "an inhibit rule that silences other services' alerts",
    run,
    scope=Scope.GLOBAL,
)
