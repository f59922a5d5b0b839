"""Per-alert routing facts that other artifacts (runbooks, checks) show: receivers, inhibitions.

Read from the production Alertmanager config as rendered (through the in-process router), so a
runbook says what Alertmanager will do, not what the spec meant it to.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..model import Model
from .config import alertmanager_config, declared_receivers
from .expect import routing_labels
from .router import parse_inhibit_rules, parse_route


@dataclass(frozen=True)
class AlertRouting:
    """Who is told about one alert, and the inhibitions that involve it."""

    receivers: tuple[str, ...] = ()
    inhibited_by: tuple[str, ...] = ()
    inhibits: tuple[str, ...] = ()
    # The receivers in words, same order: `PagerDuty brownie-oncall`, `Slack #brownie-alerts`.
    destinations: tuple[str, ...] = ()


def alert_routing(model: Model) -> dict[tuple[str, str], AlertRouting]:
    """Routing facts per `(service, alert)`, for the production environment."""
    config = alertmanager_config(model, "production")
    tree = parse_route(config["route"])
    rules = parse_inhibit_rules(config)
    words = {
        name: receiver.destination if receiver is not None else "nobody (no integration)"
        for name, receiver in declared_receivers(model)
    }
    alerts = [(s.name, a.name, routing_labels(a)) for s in model.services for a in s.alerts]
    out = {}
    for service, name, labels in alerts:
        receivers = tuple(dict.fromkeys(r.receiver for r in tree.match(labels)))
        # Static labels only: labels from the query are assumed equal on both sides, as they
        # are when both alerts come from the same target.
        by = [n for s, n, other in alerts if n != name and any(r.inhibits(other, labels) for r in rules)]
        over = [n for s, n, other in alerts if n != name and any(r.inhibits(labels, other) for r in rules)]
        out[(service, name)] = AlertRouting(
            receivers=receivers,
            inhibited_by=tuple(by),
            inhibits=tuple(over),
            destinations=tuple(words.get(r, r) for r in receivers),
        )
    return out
