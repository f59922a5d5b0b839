"""inhibit/self: an inhibit rule whose source and target select the same alert."""

from __future__ import annotations

from collections.abc import Iterator

from .base import Check, Level, Problem, Scope
from .context import Context
from .inhibitflow import names


def run(ctx: Context) -> Iterator[Problem]:
    """No alert matches both sides of an inhibit rule."""
    index = ctx.inhibit_index
    for path, config in ctx.alertmanagers.items():
        for i, rule in enumerate(config.inhibit):
            both = [a for a in index.side(rule.source) if index.surely_matches(a, rule.target)]
            if both:
                yield Problem(
                    path,
                    config.inhibit_lines[i],
                    f"{names(both)} {'matches' if len(both) == 1 else 'match'} both the source and "
                    "the target matchers, and Alertmanager "
                    "never lets an alert matching both sides mute another one, so the rule does not "
                    f"act on {'it' if len(both) == 1 else 'them'}; exclude the source from the target "
                    f'(e.g. alertname!="{both[0].name}") in the spec',
                    both[0].service,
                    both[0].name,
                    config.describe_inhibit(i),
                )


CHECK = Check(
    "inhibit/self", Level.ERROR, "an inhibit rule whose source is also its target", run, scope=Scope.GLOBAL
)
