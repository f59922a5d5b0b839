"""inhibit/equal-conflict: an `equal` label whose static values differ between source and target."""

from __future__ import annotations

from collections.abc import Iterator

from .base import Check, Level, Problem, Scope
from .context import Context


def run(ctx: Context) -> Iterator[Problem]:
    """No `equal` label is fixed by the rules to different values on the two sides."""
    index = ctx.inhibit_index
    for path, config in ctx.alertmanagers.items():
        for i, rule in enumerate(config.inhibit):
            sources, targets = index.side(rule.source), index.side(rule.target)
            if not sources or not targets:
                continue
            for label in rule.equal:
                if not all(label in a.labels for a in (*sources, *targets)):
                    continue  # a value from the query may agree
                source_values = {a.labels[label] for a in sources}
                target_values = {a.labels[label] for a in targets}
                if source_values & target_values:
                    continue
                yield Problem(
                    path,
                    config.inhibit_lines[i],
                    f"equal label {label!r} is {_show(source_values)} on every source and "
                    f"{_show(target_values)} on every target, so the two never agree and the "
                    "inhibition never happens; drop it from equal",
                    sources[0].service,
                    sources[0].name,
                    config.describe_inhibit(i),
                )


def _show(values: set[str]) -> str:
    return " or ".join(repr(v) for v in sorted(values))


CHECK = Check(
    "inhibit/equal-conflict",
    Level.ERROR,
    "an inhibit equal label fixed to different values per side",
    run,
    scope=Scope.GLOBAL,
)
