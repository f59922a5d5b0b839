"""Per alert, the receivers it must reach, read from the spec (not from the rendered tree).

This is the statement the routing tests hold the rendered config to: amtool and the in-process
router must both route each alert's static labels to exactly these receivers, in this order
(the order `amtool config routes test` prints). It reads the spec's meaning directly: routes
before teams, in order, a route without `continue` ending the search; within a team its routes,
then the first Notify entry whose severity and category fit; nothing matched: the default.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from ..model import Model, ResolvedAlert
from ..spec.routing import Route, Team
from .matchers import all_match, parse_matchers
from .tree import default_receiver


@dataclass(frozen=True, slots=True)
class Expectation:
    """An alert, the labels its rule gives it, and the receivers it must reach."""

    service: str
    alert: str
    labels: tuple[tuple[str, str], ...]
    receivers: tuple[str, ...]


def expectations(model: Model) -> list[Expectation]:
    """One expectation per alert, in service and rule order."""
    out = []
    for service in model.services:
        for alert in service.alerts:
            labels = routing_labels(alert)
            out.append(
                Expectation(service.name, alert.name, tuple(sorted(labels.items())), expected(model, alert))
            )
    return out


def routing_labels(alert: ResolvedAlert) -> dict[str, str]:
    """The labels routing may rely on: the rule's static labels and the alert name."""
    return {**alert.label_map, "alertname": alert.name}


def expected(model: Model, alert: ResolvedAlert) -> tuple[str, ...]:
    """The receivers `alert` must reach in production (and, by name, in every environment)."""
    labels = routing_labels(alert)
    found: list[str] = []
    routes = model.routing.routes if model.routing is not None else ()
    stopped = _routes(routes, labels, found)
    if not stopped:
        team_label = model.conventions.team_label
        owner = labels.get(team_label) if team_label else None
        team = next((t for t in model.teams if t.name == owner), None)
        if team is not None and (team.routes or team.notify):
            found.extend(_team(team, alert, labels) or [default_receiver(model)])
    return tuple(found) or (default_receiver(model),)


def _routes(routes: Sequence[Route], labels: Mapping[str, str], found: list[str]) -> bool:
    """Append the receivers of matching routes; True when one without `continue` ends the search."""
    for route in routes:
        matchers = [m for line in route.matchers for m in parse_matchers(line)]
        if all_match(matchers, labels):
            found.extend(route.receivers)
            if not route.continue_:
                return True
    return False


def _team(team: Team, alert: ResolvedAlert, labels: Mapping[str, str]) -> list[str]:
    found: list[str] = []
    if _routes(team.routes, labels, found):
        return found
    for notify in team.notify:
        if notify.severity in (None, alert.severity) and notify.category in (None, alert.category):
            return [*found, *notify.receivers]
    return found
