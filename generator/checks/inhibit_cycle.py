"""inhibit/cycle: alerts that silence each other, directly or around a loop of inhibit rules.

When A's source silences B and B's silences A (two services depending on each other, say),
Alertmanager mutes both while both fire: the outage everyone should hear about is heard by
nobody.
"""

from __future__ import annotations

from collections.abc import Iterator

from .base import Check, Level, Problem, Scope
from .context import Context


def run(ctx: Context) -> Iterator[Problem]:
    """No alert can, through inhibit rules, end up silencing itself."""
    index = ctx.inhibit_index
    for path, config in ctx.alertmanagers.items():
        mutes: dict[int, set[int]] = {}
        rules = {id(a): a for a in ctx.alerts}
        first_rule: dict[tuple[int, int], int] = {}
        for i, rule in enumerate(config.inhibit):
            targets = {id(t) for t in index.side(rule.target)}
            for source in index.side(rule.source):
                for target in targets - {id(source)}:
                    mutes.setdefault(id(source), set()).add(target)
                    first_rule.setdefault((id(source), target), i)
        reported: set[frozenset[int]] = set()
        for start in sorted(mutes, key=lambda k: (rules[k].path, rules[k].line)):
            loop = _loop(start, mutes)
            if loop is None or frozenset(loop) in reported:
                continue
            reported.add(frozenset(loop))
            alerts = [rules[k] for k in loop]
            where = first_rule[(loop[0], loop[1 % len(loop)])]
            yield Problem(
                path,
                config.inhibit_lines[where],
                "alerts silence each other around a loop ("
                + " -> ".join(repr(a.name) for a in [*alerts, alerts[0]])
                + "): while all fire, Alertmanager mutes every one of them; break the loop in the "
                "spec (a service cannot depend on what depends on it)",
                alerts[0].service,
                alerts[0].name,
                config.describe_inhibit(where),
            )


def _loop(start: int, mutes: dict[int, set[int]]) -> list[int] | None:
    """A path of alerts from `start` back to it, shortest first (breadth-first), or None."""
    parents: dict[int, int] = {}
    frontier = [start]
    while frontier:
        following = []
        for node in frontier:
            for nxt in sorted(mutes.get(node, ())):
                if nxt == start:
                    path = [node]
                    while path[-1] != start:
                        path.append(parents[path[-1]])
                    return path[::-1]
                if nxt not in parents:
                    parents[nxt] = node
                    following.append(nxt)
        frontier = following
    return None


CHECK = Check(
    "inhibit/cycle", Level.ERROR, "alerts that silence each other around a loop", run, scope=Scope.GLOBAL
)
