"""Alertmanager configs read back: the routing tree and inhibit rules, with their lines."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import yaml

from .. import conventions as conv
from ..routing.router import InhibitRule, Route, parse_inhibit_rules, parse_route
from .yamlnodes import LineDict, load


@dataclass(frozen=True, slots=True)
class AlertmanagerFile:
    """One environment's Alertmanager config: routes by path, inhibit rules, receivers."""

    path: str
    root: Route
    route_lines: dict[tuple[int, ...], int]
    inhibit: tuple[InhibitRule, ...]
    inhibit_lines: tuple[int, ...]
    receivers: dict[str, int]
    # Per receiver, what its integrations reach: ("PagerDuty", key file), ("Slack", channel, webhook)...
    destinations: dict[str, tuple[tuple[str, ...], ...]] = field(default_factory=dict)

    @property
    def routes(self) -> list[Route]:
        """Every route, root first, depth first."""
        return self.root.walk()

    def line(self, route: Route) -> int | None:
        """The line of a route's mapping."""
        return self.route_lines.get(route.path)

    def describe(self, route: Route) -> str:
        """How messages name a route: its matchers from the root, and its receiver."""
        if not route.path:
            return f"the root route (receiver {route.receiver!r})"
        chain, node = [], self.root
        for i in route.path:
            node = node.routes[i]
            chain.append(", ".join(str(m) for m in node.matchers) or "{}")
        return f"route {' > '.join(chain)} (receiver {route.receiver!r})"

    def describe_inhibit(self, index: int) -> str:
        """How messages name an inhibit rule: its number and source matchers."""
        rule = self.inhibit[index]
        source = ", ".join(str(m) for m in rule.source) or "{}"
        return f"inhibit rule {index + 1} (source {source})"


def is_alertmanager_config(path: str) -> bool:
    """Whether an output path is an environment's Alertmanager config."""
    head = conv.ALERTMANAGER_DIR + "/alertmanager"
    return path.startswith(head) and path.endswith(".yml") and "/" not in path[len(head) :]


def parse_alertmanager(path: str, text: str) -> AlertmanagerFile:
    """Read one config; ValueError when it is not valid YAML or not an Alertmanager config."""
    try:
        doc = load(text)
    except yaml.YAMLError as exc:
        raise ValueError(f"not valid YAML ({getattr(exc, 'problem', exc)})") from None
    if not isinstance(doc, LineDict) or not isinstance(doc.get("route"), LineDict):
        raise ValueError("no `route:` mapping; not an Alertmanager config")
    root = parse_route(doc["route"])
    lines: dict[tuple[int, ...], int] = {}
    _route_lines(doc["route"], (), lines)
    lines[()] = doc.line_of("route")  # the root: its `route:` key, not its first option
    inhibit = doc.get("inhibit_rules") or []
    receivers = {str(r.get("name")): r.line for r in doc.get("receivers") or () if isinstance(r, LineDict)}
    return AlertmanagerFile(
        path=path,
        root=root,
        route_lines=lines,
        inhibit=tuple(parse_inhibit_rules(doc)),
        inhibit_lines=tuple(getattr(r, "line", 0) for r in inhibit),
        receivers=receivers,
        destinations={
            str(r.get("name")): _destinations(r)
            for r in doc.get("receivers") or ()
            if isinstance(r, LineDict)
        },
    )


def _destinations(receiver: LineDict) -> tuple[tuple[str, ...], ...]:
    """Who a receiver's integrations reach, each as the fields that identify the destination: two
    configs sharing one reach the same people (a PagerDuty key, a Slack channel by one webhook)."""
    found: list[tuple[str, ...]] = []
    for pd in receiver.get("pagerduty_configs") or ():
        key = (
            pd.get("routing_key_file")
            or pd.get("service_key_file")
            or pd.get("routing_key")
            or pd.get("service_key")
        )
        found.append(("PagerDuty", str(key)))
    for slack in receiver.get("slack_configs") or ():
        found.append(
            ("Slack", str(slack.get("channel")), str(slack.get("api_url_file") or slack.get("api_url")))
        )
    for mail in receiver.get("email_configs") or ():
        found.extend(("E-mail", a.strip()) for a in str(mail.get("to", "")).split(",") if a.strip())
    for hook in receiver.get("webhook_configs") or ():
        found.append(("Webhook", str(hook.get("url") or hook.get("url_file"))))
    return tuple(found)


def _route_lines(data: Any, path: tuple[int, ...], out: dict[tuple[int, ...], int]) -> None:
    if isinstance(data, LineDict):
        out[path] = data.line
        for i, child in enumerate(data.get("routes") or ()):
            _route_lines(child, (*path, i), out)
