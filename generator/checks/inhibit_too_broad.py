"""inhibit/too-broad: an inhibit rule that can silence alerts of other services."""

from __future__ import annotations

from collections.abc import Iterator

from ..routing.matchers import Op
from .base import Check, Level, Problem, Scope
from .context import Context
from .inhibitflow import names


def run(ctx: Context) -> Iterator[Problem]:
    """A rule's targets are pinned to its sources' services (or to services that depend on them),
    by a matcher or by `equal`."""
    label = ctx.model.conventions.service_label
    if label is None:
        return  # no service label: nothing tells services' alerts apart (the build says so)
    index = ctx.inhibit_index
    for path, config in ctx.alertmanagers.items():
        for i, rule in enumerate(config.inhibit):
            if label in rule.equal:
                continue
            sources = index.side(rule.source)
            own = {a.labels.get(label, "") for a in sources}
            own |= {m.value for m in rule.source if m.name == label and m.op is Op.EQ}
            # A service's outage may silence the services that declared they depend on it.
            allowed = own | {n for n, s in ctx.services.items() if own & set(s.spec.depends_on)}
            pinned = {m.value for m in rule.target if m.name == label and m.op is Op.EQ}
            if pinned and pinned <= allowed:
                continue
            others = [a for a in index.side(rule.target) if a.labels.get(label, "") not in allowed]
            seen = f" (here {names(others)})" if others else ""
            shown = ", ".join(sorted(s for s in own if s)) or "none"
            yield Problem(
                path,
                config.inhibit_lines[i],
                f"its target matchers select alerts of any service{seen}, not only the source's "
                f'({shown}) or those depending on it; add {label}="<name>" to target_matchers or '
                f"{label} to equal",
                route=config.describe_inhibit(i),
            )


CHECK = Check(
    "inhibit/too-broad",
    Level.ERROR,
    "an inhibit rule that silences other services' alerts",
    run,
    scope=Scope.GLOBAL,
)
