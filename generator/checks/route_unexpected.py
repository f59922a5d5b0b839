"""route/unexpected: an alert reaches receivers the spec does not intend, or misses intended ones."""

from __future__ import annotations

from collections.abc import Iterator

from ..routing.expect import expected
from .base import Check, Level, Problem, Scope
from .context import Context


def run(ctx: Context) -> Iterator[Problem]:
    """Each alert reaches exactly the receivers its team's routing in the spec names."""
    intended: dict[int, tuple[str, ...]] = {}
    for path, flow in ctx.route_flows.items():
        config = flow.config
        for rule in ctx.alerts:
            intent = ctx.intent(rule)
            if intent is None:
                continue
            key = id(intent)  # alerts may share a name; each spec alert is routed once
            if key not in intended:
                intended[key] = expected(ctx.model, intent)
            want = intended[key]
            routes = flow.final(rule)
            got = [r.receiver for r in routes]
            extra = [r for r in dict.fromkeys(got) if r not in want]
            missing = [r for r in want if r not in got]
            if not extra and not missing:
                continue
            parts = []
            if missing:
                parts.append(f"does not reach {_names(missing)}, which the spec intends")
            if extra:
                parts.append(f"reaches {_names(extra)}, which the spec does not intend")
            where = next((r for r in routes if r.receiver in extra), routes[0])
            yield Problem(
                path,
                config.line(where),
                f"{', and '.join(parts)} (it reaches {_names(got)}); regenerate the Alertmanager "
                "config from the spec, or change the team's routing there",
                rule.service,
                rule.name,
                config.describe(where),
            )


def _names(names: list[str] | tuple[str, ...]) -> str:
    return ", ".join(repr(n) for n in names)


CHECK = Check(
    "route/unexpected",
    Level.ERROR,
    "an alert reaches receivers the spec does not intend",
    run,
    scope=Scope.GLOBAL,
)
