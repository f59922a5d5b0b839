"""The Alertmanager routing tree, derived from teams: one subtree per team, one route per receiver.

    root (default receiver)
    ├── Routing.routes, in order           hand-written escape hatches
    └── team="<name>"                      one per team, no receiver: unmatched alerts fall back
        ├── Team.routes, in order
        └── Team.notify, in order          severity= / category= matchers; first match wins

An entry with several receivers becomes sibling routes with `continue: true` on all but the last,
so `amtool config routes test` names each receiver and the first-match rule still holds.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from .. import conventions as conv
from ..model import Model
from ..spec.house import Conventions
from ..spec.routing import Grouping, Notify, Route, Team
from .matchers import Matcher, Op, parse_matchers


@dataclass(frozen=True, slots=True)
class Timers:
    """group_wait, group_interval, repeat_interval."""

    group_wait: str
    group_interval: str
    repeat_interval: str


# By urgency (the severity's place in Conventions.severities): paging is fast and repeats soon;
# chat waits to batch more and repeats rarely.
SEVERITY_TIMERS = (Timers("10s", "1m", "1h"), Timers("30s", "5m", "4h"), Timers("1m", "10m", "12h"))
ROOT_TIMERS = Timers("30s", "5m", "4h")
# The local environment is for end-to-end tests: notify within a second, never repeat in a test.
LOCAL_TIMERS = Timers("1s", "1s", "1h")


def default_receiver(model: Model) -> str:
    """The name of the receiver that takes alerts no route claims."""
    routing = model.routing
    if routing is not None and routing.default_receiver is not None:
        return routing.default_receiver.name
    return conv.DEFAULT_RECEIVER


def route_tree(model: Model, local: bool = False) -> dict[str, Any]:
    """The `route:` section; `local` swaps every timer for LOCAL_TIMERS and drops time intervals."""
    routing = model.routing
    root_grouping = routing.grouping if routing is not None else None
    root: dict[str, Any] = {
        "receiver": default_receiver(model),
        "group_by": list(_group_by(root_grouping) or default_group_by(model.conventions)),
        **_timers(_merge(ROOT_TIMERS, root_grouping), local),
    }
    children: list[dict[str, Any]] = []
    for route in routing.routes if routing is not None else ():
        children.extend(_route(route, local))
    for team in model.teams:
        node = _team(team, local, model.conventions)
        if node is not None:
            children.append(node)
    if children:
        root["routes"] = children
    return root


def default_group_by(house: Conventions) -> tuple[str, ...]:
    """How the root groups alerts unless Routing says otherwise: per alert name and service."""
    return ("alertname", house.service_label) if house.service_label else ("alertname",)


def _team(team: Team, local: bool, house: Conventions) -> dict[str, Any] | None:
    if house.team_label is None:  # no team label to match: Routing.routes route (build checks)
        return None
    children: list[dict[str, Any]] = []
    for route in team.routes:
        children.extend(_route(route, local))
    for notify in team.notify:
        children.extend(_notify(notify, local, house))
    if not children:
        return None
    return {"matchers": [str(Matcher.of(house.team_label, Op.EQ, team.name))], "routes": children}


def notify_matchers(notify: Notify, house: Conventions) -> list[Matcher]:
    """The matchers a Notify entry's routes carry, below its team's `team=` node."""
    out = []
    if notify.severity is not None:
        out.append(Matcher.of(house.severity_label, Op.EQ, notify.severity))
    if notify.category is not None and house.category_label is not None:
        out.append(Matcher.of(house.category_label, Op.EQ, notify.category.value))
    return out


def _notify(notify: Notify, local: bool, house: Conventions) -> list[dict[str, Any]]:
    # Without a severity, the timers of the second most urgent: neither a pager's nor a digest's.
    rank = house.rank(notify.severity) if notify.severity is not None else 1
    base = SEVERITY_TIMERS[min(rank, len(SEVERITY_TIMERS) - 1)]
    options: dict[str, Any] = {}
    if notify.grouping is not None and notify.grouping.group_by is not None:
        options["group_by"] = list(notify.grouping.group_by)
    options.update(_timers(_merge(base, notify.grouping), local))
    options.update(_intervals(notify.mute_time_intervals, notify.active_time_intervals, local))
    return _siblings(notify_matchers(notify, house), notify.receivers, False, options)


def _route(route: Route, local: bool) -> list[dict[str, Any]]:
    matchers = [m for line in route.matchers for m in parse_matchers(line)]
    options: dict[str, Any] = {}
    grouping = route.grouping
    if grouping is not None:
        if grouping.group_by is not None:
            options["group_by"] = list(grouping.group_by)
        given = {k: getattr(grouping, k) for k in ("group_wait", "group_interval", "repeat_interval")}
        if not local:  # locally every route inherits the root's short timers
            options.update({k: v.text for k, v in given.items() if v is not None})
    options.update(_intervals(route.mute_time_intervals, route.active_time_intervals, local))
    return _siblings(matchers, route.receivers, route.continue_, options)


def _siblings(
    matchers: list[Matcher], receivers: Sequence[str], last_continue: bool, options: dict[str, Any]
) -> list[dict[str, Any]]:
    out = []
    for i, receiver in enumerate(receivers):
        node: dict[str, Any] = {"receiver": receiver}
        if matchers:
            node["matchers"] = [str(m) for m in matchers]
        if i < len(receivers) - 1 or last_continue:
            node["continue"] = True
        node.update(options)
        out.append(node)
    return out


def _group_by(grouping: Grouping | None) -> tuple[str, ...] | None:
    return grouping.group_by if grouping is not None else None


def _merge(base: Timers, grouping: Grouping | None) -> Timers:
    if grouping is None:
        return base
    return Timers(
        grouping.group_wait.text if grouping.group_wait is not None else base.group_wait,
        grouping.group_interval.text if grouping.group_interval is not None else base.group_interval,
        grouping.repeat_interval.text if grouping.repeat_interval is not None else base.repeat_interval,
    )


def _timers(timers: Timers, local: bool) -> dict[str, str]:
    t = LOCAL_TIMERS if local else timers
    return {
        "group_wait": t.group_wait,
        "group_interval": t.group_interval,
        "repeat_interval": t.repeat_interval,
    }


def _intervals(mute: Sequence[str], active: Sequence[str], local: bool) -> dict[str, list[str]]:
    # Local runs are end-to-end tests: a mute window would make them depend on the clock.
    if local:
        return {}
    out = {}
    if mute:
        out["mute_time_intervals"] = list(mute)
    if active:
        out["active_time_intervals"] = list(active)
    return out
