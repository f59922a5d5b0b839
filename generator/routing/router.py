"""An in-process Alertmanager router: which routes, hence receivers, a label set reaches.

Follows Alertmanager 0.25's dispatch.Route: a route matches when all its matchers hold (legacy
`match` / `match_re` included); its children are tried in order, every matching child's own
matches are collected, and the first matching child without `continue` stops the search; a route
none of whose children match is itself the match. Unset options (receiver, group_by, timers)
are inherited from the parent. Checks use it to read the rendered config, not the spec.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from .matchers import Matcher, Op, all_match, parse_matchers

_TIMERS = ("group_wait", "group_interval", "repeat_interval")
# Alertmanager's defaults for the root route's timers.
_ROOT_TIMERS = {"group_wait": "30s", "group_interval": "5m", "repeat_interval": "4h"}


@dataclass(frozen=True, slots=True)
class Route:
    """One node of the routing tree with its inherited options resolved."""

    receiver: str
    matchers: tuple[Matcher, ...]
    continue_: bool
    group_by: tuple[str, ...] | None
    timers: tuple[tuple[str, str], ...]
    mute_time_intervals: tuple[str, ...]
    active_time_intervals: tuple[str, ...]
    routes: tuple[Route, ...] = field(default=())
    path: tuple[int, ...] = ()

    def match(self, labels: Mapping[str, str]) -> list[Route]:
        """The routes that take an alert with these labels, in Alertmanager's order."""
        if not all_match(self.matchers, labels):
            return []
        found: list[Route] = []
        for child in self.routes:
            hits = child.match(labels)
            found.extend(hits)
            if hits and not child.continue_:
                break
        return found or [self]

    def walk(self) -> list[Route]:
        """This route and all below it, depth first."""
        return [self, *(r for child in self.routes for r in child.walk())]


def parse_route(data: Mapping[str, Any], parent: Route | None = None, path: tuple[int, ...] = ()) -> Route:
    """A route tree from the `route:` section of an Alertmanager config (parsed YAML)."""
    matchers: list[Matcher] = []
    for line in data.get("matchers") or ():
        matchers.extend(parse_matchers(str(line)))
    for name, value in sorted((data.get("match") or {}).items()):
        matchers.append(Matcher.of(str(name), Op.EQ, str(value)))
    for name, value in sorted((data.get("match_re") or {}).items()):
        matchers.append(Matcher.of(str(name), Op.RE, str(value)))
    inherited_timers = dict(parent.timers) if parent else dict(_ROOT_TIMERS)
    timers = {k: str(data.get(k) or inherited_timers[k]) for k in _TIMERS}
    group_by = data.get("group_by")
    node = Route(
        receiver=str(data.get("receiver") or (parent.receiver if parent else "")),
        matchers=tuple(matchers),
        continue_=bool(data.get("continue", False)),
        group_by=tuple(map(str, group_by)) if group_by is not None else (parent.group_by if parent else None),
        timers=tuple(sorted(timers.items())),
        mute_time_intervals=tuple(data.get("mute_time_intervals") or ()),
        active_time_intervals=tuple(data.get("active_time_intervals") or ()),
        path=path,
    )
    children = tuple(parse_route(child, node, (*path, i)) for i, child in enumerate(data.get("routes") or ()))
    return replace(node, routes=children)


def receivers(config: Mapping[str, Any], labels: Mapping[str, str]) -> list[str]:
    """The receivers an alert reaches, in the order `amtool config routes test` prints them."""
    return [r.receiver for r in parse_route(config["route"]).match(labels)]


@dataclass(frozen=True, slots=True)
class InhibitRule:
    """One `inhibit_rules` entry: source and target matchers and the labels that must be equal."""

    source: tuple[Matcher, ...]
    target: tuple[Matcher, ...]
    equal: tuple[str, ...]

    def inhibits(self, source: Mapping[str, str], target: Mapping[str, str]) -> bool:
        """Whether a firing alert with `source` labels mutes one with `target` labels.

        As in Alertmanager, an alert that matches both sides is never muted by another such one,
        and `equal` labels missing from both alerts count as equal.
        """
        if not (all_match(self.source, source) and all_match(self.target, target)):
            return False
        if all_match(self.source, target) and all_match(self.target, source):
            return False
        return all(source.get(name, "") == target.get(name, "") for name in self.equal)


def parse_inhibit_rules(config: Mapping[str, Any]) -> list[InhibitRule]:
    """The inhibit rules of an Alertmanager config (parsed YAML), legacy forms included."""
    rules = []
    for data in config.get("inhibit_rules") or ():
        sides = []
        for side in ("source", "target"):
            found: list[Matcher] = []
            for line in data.get(f"{side}_matchers") or ():
                found.extend(parse_matchers(str(line)))
            for name, value in sorted((data.get(f"{side}_match") or {}).items()):
                found.append(Matcher.of(str(name), Op.EQ, str(value)))
            for name, value in sorted((data.get(f"{side}_match_re") or {}).items()):
                found.append(Matcher.of(str(name), Op.RE, str(value)))
            sides.append(tuple(found))
        rules.append(InhibitRule(sides[0], sides[1], tuple(map(str, data.get("equal") or ()))))
    return rules
