"""A whole Alertmanager config for one environment, as plain data: global, route, inhibitions,
receivers, time intervals."""

from __future__ import annotations

from typing import Any

from .. import conventions as conv
from ..model import Model
from ..spec.routing import Receiver, TimeInterval
from . import templates
from .inhibit import inhibit_rules
from .receivers import receiver_config
from .tree import default_receiver, route_tree


def alertmanager_config(model: Model, env: str, webhook_url: str | None = None) -> dict[str, Any]:
    """The config Alertmanager loads in `env` (production, staging, local)."""
    if env not in conv.ENVIRONMENTS:
        raise ValueError(f"unknown environment {env!r}; use one of: {', '.join(conv.ENVIRONMENTS)}")
    if env == "local" and not webhook_url:
        raise ValueError("the local environment sends every notification to a webhook: give its URL")
    local = env == "local"
    routing = model.routing
    config: dict[str, Any] = {
        "global": {"resolve_timeout": routing.resolve_timeout.text if routing is not None else "5m"},
        "route": route_tree(model, local=local),
    }
    rules = inhibit_rules(model)
    if rules:
        config["inhibit_rules"] = rules
    config["receivers"] = [
        receiver_config(name, receiver, env, webhook_url, model.conventions)
        for name, receiver in declared_receivers(model)
    ]
    if not local:
        # Relative to the config's folder: the template file is written beside it.
        config["templates"] = [templates.FILE]
    intervals = [] if local else declared_intervals(model)
    if intervals:
        config["time_intervals"] = [_interval(i) for i in intervals]
    return config


def declared_receivers(model: Model) -> list[tuple[str, Receiver | None]]:
    """Every receiver by name, the default first; None for the default without integrations."""
    routing = model.routing
    declared: dict[str, Receiver] = {r.name: r for t in model.teams for r in t.receivers}
    if routing is not None:
        declared.update({r.name: r for r in routing.receivers})
    default = default_receiver(model)
    first = routing.default_receiver if routing is not None else None
    return [(default, first), *((n, declared[n]) for n in sorted(declared) if n != default)]


def declared_intervals(model: Model) -> list[TimeInterval]:
    """Every declared time interval, by name."""
    found = [i for t in model.teams for i in t.time_intervals]
    if model.routing is not None:
        found.extend(model.routing.time_intervals)
    return sorted(found, key=lambda i: i.name)


def _interval(interval: TimeInterval) -> dict[str, Any]:
    period: dict[str, Any] = {}
    if interval.times:
        period["times"] = [{"start_time": t.start, "end_time": t.end} for t in interval.times]
    for key in ("weekdays", "days_of_month", "months", "years"):
        values = getattr(interval, key)
        if values:
            period[key] = list(values)
    if interval.timezone:
        period["location"] = interval.timezone
    return {"name": interval.name, "time_intervals": [period]}
