"""Build-time checks of teams and routing: every name a route uses is declared, once.

Errors go to the build's sink (`file:line: Subject 'name': what to change`), so a typo in a
receiver name is reported with every other spec error instead of surfacing in Alertmanager.
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence

from .. import conventions as conv
from ..errors import ErrorSink, Location
from ..model import ResolvedService
from ..spec.house import DEFAULT as DEFAULT_CONVENTIONS
from ..spec.house import Conventions
from ..spec.routing import Notify, Receiver, Route, Routing, Team, TimeInterval
from .matchers import parse_matchers


def resolve(
    sink: ErrorSink,
    services: Sequence[ResolvedService],
    teams: Sequence[Team],
    routings: Sequence[Routing],
    house: Conventions = DEFAULT_CONVENTIONS,
) -> tuple[tuple[Team, ...], Routing | None]:
    """The valid teams (sorted by name) and the routing settings; errors go to `sink`."""
    routing = _routing(sink, routings)
    valid = _teams(sink, teams)
    receivers = _receivers(sink, valid, routing)
    intervals = _intervals(sink, valid, routing)
    shared = set(r.name for r in routing.receivers) if routing else set()
    for team in valid:
        own = {r.name for r in team.receivers} | shared
        for notify in team.notify:
            _refs(sink, notify, notify.receivers, own, intervals, f"Team(name={team.name!r}, receivers=...)")
            _conventional(sink, team, notify, house)
        _shadowed(sink, team)
        for route in team.routes:
            _route(sink, route, own, intervals)
    if routing is not None:
        for route in routing.routes:
            _route(sink, route, set(receivers), intervals)
    if valid:
        _owners(sink, services, {t.name for t in valid})
    return tuple(sorted(valid, key=lambda t: t.name)), routing


def _conventional(sink: ErrorSink, team: Team, notify: Notify, house: Conventions) -> None:
    """A Notify entry matches on the standard labels, so they must exist and take its values."""
    subject = f"Team {team.name!r}"
    if house.team_label is None:
        sink.add(
            notify.location,
            subject,
            "notify= routes on the team label, which Conventions(team_label=None) turns off; "
            "route with Routing(routes=[Route(matchers=...)]) instead",
        )
    if notify.category is not None and house.category_label is None:
        sink.add(
            notify.location,
            subject,
            "category= matches the category label, which Conventions(category_label=None) turns off",
        )
    if notify.severity is not None and notify.severity not in house.severities:
        sink.add(
            notify.location,
            subject,
            f"severity {notify.severity!r} is not one of this repository's severities "
            f"({', '.join(map(repr, house.severities))})",
        )


def _routing(sink: ErrorSink, routings: Sequence[Routing]) -> Routing | None:
    valid = [r for r in routings if not r.invalid]
    for extra in valid[1:]:
        sink.add(
            extra.location,
            "Routing",
            f"only one Routing may be declared; the first is at {valid[0].location}",
        )
    return valid[0] if valid else None


def _teams(sink: ErrorSink, teams: Sequence[Team]) -> list[Team]:
    seen: dict[str, Location] = {}
    out = []
    for team in sorted((t for t in teams if not t.invalid), key=lambda t: t.location):
        if team.name in seen:
            sink.add(team.location, team.subject, f"duplicate team name; first defined at {seen[team.name]}")
            continue
        seen[team.name] = team.location
        out.append(team)
    return out


def _receivers(sink: ErrorSink, teams: list[Team], routing: Routing | None) -> dict[str, Receiver]:
    declared: list[Receiver] = [r for t in teams for r in t.receivers]
    if routing is not None:
        declared.extend(routing.receivers)
        if routing.default_receiver is not None:
            declared.append(routing.default_receiver)
    seen: dict[str, Receiver] = {}
    for receiver in declared:
        first = seen.get(receiver.name)
        if first is not None:
            sink.add(
                receiver.location,
                receiver.subject,
                f"duplicate receiver name; first declared at {first.location}; receiver names are "
                "global in Alertmanager, rename one",
            )
        elif receiver.name == conv.DEFAULT_RECEIVER and (
            routing is None or routing.default_receiver is not receiver
        ):
            sink.add(
                receiver.location,
                receiver.subject,
                f"the name {conv.DEFAULT_RECEIVER!r} is reserved for the receiver of unmatched alerts; "
                "rename it, or make it Routing(default_receiver=...)",
            )
        seen.setdefault(receiver.name, receiver)
    return seen


def _intervals(sink: ErrorSink, teams: list[Team], routing: Routing | None) -> set[str]:
    declared: list[TimeInterval] = [i for t in teams for i in t.time_intervals]
    if routing is not None:
        declared.extend(routing.time_intervals)
    seen: dict[str, Location] = {}
    for interval in declared:
        if interval.name in seen:
            sink.add(
                interval.location,
                interval.subject,
                f"duplicate time interval name; first declared at {seen[interval.name]}",
            )
        seen.setdefault(interval.name, interval.location)
    return set(seen)


def _refs(
    sink: ErrorSink,
    owner: Notify | Route,
    names: Sequence[str],
    receivers: set[str],
    intervals: set[str],
    where: str,
) -> None:
    for name in names:
        if name not in receivers:
            sink.add(
                owner.location,
                owner.subject,
                f"receiver {name!r} is not declared; {_hint(name, receivers, where)}",
            )
    for name in (*owner.mute_time_intervals, *owner.active_time_intervals):
        if name not in intervals:
            sink.add(
                owner.location,
                owner.subject,
                f"time interval {name!r} is not declared; {_hint(name, intervals, 'time_intervals=')}",
            )


def _hint(name: str, known: set[str], where: str) -> str:
    close = difflib.get_close_matches(name, sorted(known), n=1)
    if close:
        return f"did you mean {close[0]!r}?"
    return f"declare it in {where}" + (f" or use one of: {', '.join(sorted(known))}" if known else "")


def _route(sink: ErrorSink, route: Route, receivers: set[str], intervals: set[str]) -> None:
    for line in route.matchers:
        try:
            parse_matchers(line)
        except ValueError as exc:
            sink.add(route.location, route.subject, f"matchers: {exc}")
    _refs(sink, route, route.receivers, receivers, intervals, "a Team's or the Routing's receivers=")


def _shadowed(sink: ErrorSink, team: Team) -> None:
    """A Notify entry that an earlier one always wins over is a mistake: first match wins."""
    for i, later in enumerate(team.notify):
        for earlier in team.notify[:i]:
            if earlier.severity in (None, later.severity) and earlier.category in (None, later.category):
                sink.add(
                    later.location,
                    later.subject,
                    f"never used: the earlier Notify {earlier.name!r} (line {earlier.location.line}) "
                    "catches every alert this one would; the first matching entry wins, so move "
                    "this one up or remove it",
                )
                break


def _owners(sink: ErrorSink, services: Sequence[ResolvedService], teams: set[str]) -> None:
    """Each service's and alert's team must be declared once any team is: a typo would reroute."""
    known = ", ".join(sorted(teams))
    for service in services:
        if service.spec.team not in teams:
            sink.add(
                service.spec.location,
                service.spec.subject,
                f"team {service.spec.team!r} is not declared; declare Team(name={service.spec.team!r}, "
                f"...) or use one of: {known}",
            )
        for alert in service.alerts:
            if alert.team != service.spec.team and alert.team not in teams:
                sink.add(
                    alert.location,
                    f"Alert {alert.name!r}",
                    f"team {alert.team!r} is not declared; declare Team(name={alert.team!r}, ...) "
                    f"or use one of: {known}",
                )
