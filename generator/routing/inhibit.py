"""Inhibit rules derived from the spec, never written by hand.

- A critical tier inhibits its warning twin on the same signal (Tiers).
- An alert with `inhibits_service=True` (ServiceDown) inhibits every other alert of its service.
- An SLO's page inhibits its ticket.
- A service's outage alert inhibits the alerts of the services that depend on it.

`equal` lists the labels both sides really carry when they fire (static labels plus those the
PromQL keeps, `ResolvedAlert.runtime_labels`) whose values are not fixed differently on the two
sides: a label only one side carries, or a static label with different values (`severity`),
would make the rule never match.
"""

from __future__ import annotations

from typing import Any

from ..model import Model, ResolvedAlert, ResolvedService
from ..spec.types import Severity
from .matchers import Matcher, Op


def inhibit_rules(model: Model) -> list[dict[str, Any]]:
    """The `inhibit_rules:` section, service by service: outage rules first, then tier pairs."""
    rules: list[dict[str, Any]] = []
    label = model.conventions.service_label
    for service in model.services:
        for alert in service.alerts:
            # Without a service label nothing tells this service's alerts from others' (build says so).
            if label is not None and alert.inhibits_service:
                others = [a for a in service.alerts if a.name != alert.name]
                if others:
                    rules.append(_rule(label, service, alert, others, whole_service=True))
        for alert in service.alerts:
            if alert.tier is Severity.CRITICAL and alert.twin:
                rules.append(_rule(label, service, alert, [service.alert(alert.twin)], whole_service=False))
        rules.extend(_slo_rules(service))
    rules.extend(_dependency_rules(model))
    return rules


# Labels that say where an alert comes from, shared by a service and what it depends on.
_PLACE = frozenset({"cluster", "namespace", "env", "environment", "region", "zone", "datacenter"})


def _dependency_rules(model: Model) -> list[dict[str, Any]]:
    """A service's alerts are silenced while a service it depends on is down (its outage alert)."""
    label = model.conventions.service_label
    if label is None:
        return []  # the build refuses depends_on= without a service label
    by_name = {s.name: s for s in model.services}
    out = []
    for service in model.services:
        for name in service.spec.depends_on:
            dependency = by_name.get(name)
            if dependency is None or not service.alerts:
                continue  # the build reports an unknown name
            for down in dependency.alerts:
                if not down.inhibits_service:
                    continue
                source = [
                    Matcher.of("alertname", Op.EQ, down.name),
                    Matcher.of(label, Op.EQ, dependency.name),
                ]
                out.append(
                    {
                        "source_matchers": [str(m) for m in source],
                        "target_matchers": [str(Matcher.of(label, Op.EQ, service.name))],
                        # Where, not what: the same cluster or namespace (job, instance differ).
                        "equal": [n for n in equal_labels(down, list(service.alerts)) if n in _PLACE],
                    }
                )
    return out


def _slo_rules(service: ResolvedService) -> list[dict[str, Any]]:
    """An SLO's page silences its ticket (Pyrra#1883): one burn, one notification."""
    out = []
    for slo in service.spec.slos:
        kinds = {
            kind: [
                a for a in service.alerts if a.name == slo.alert and a.label_map.get("sloth_severity") == kind
            ]
            for kind in ("page", "ticket")
        }
        if not kinds["page"] or not kinds["ticket"]:
            continue
        ident = Matcher.of("sloth_id", Op.EQ, f"{service.name}-{slo.name}")
        name = Matcher.of("alertname", Op.EQ, slo.alert)
        out.append(
            {
                "source_matchers": [str(name), str(ident), str(Matcher.of("sloth_severity", Op.EQ, "page"))],
                "target_matchers": [
                    str(name),
                    str(ident),
                    str(Matcher.of("sloth_severity", Op.EQ, "ticket")),
                ],
                "equal": equal_labels(kinds["page"][0], kinds["ticket"]),
            }
        )
    return out


def equal_labels(source: ResolvedAlert, targets: list[ResolvedAlert]) -> list[str]:
    """Labels every alert of the rule carries at run time and whose values may really agree."""
    common = set(source.runtime_labels)
    for target in targets:
        common &= target.runtime_labels
    common.discard("alertname")
    statics = [source.label_map, *(t.label_map for t in targets)]
    keep = []
    for label in sorted(common):
        values = {s.get(label) for s in statics}
        # Static on every side with one value: always equal. On no side: from the query, so the
        # rule compares the firing series' values. Mixed or differing: it could never hold.
        if len(values) == 1:
            keep.append(label)
    return keep


def _rule(
    label: str | None,
    service: ResolvedService,
    source: ResolvedAlert,
    targets: list[ResolvedAlert],
    whole_service: bool,
) -> dict[str, Any]:
    svc = [Matcher.of(label, Op.EQ, service.name)] if label is not None else []
    src = Matcher.of("alertname", Op.EQ, source.name)
    if whole_service:
        target = [*svc, Matcher.of("alertname", Op.NE, source.name)]
    else:
        target = [*svc, Matcher.of("alertname", Op.EQ, targets[0].name)]
    return {
        "source_matchers": [str(src), *map(str, svc)],
        "target_matchers": [str(m) for m in target],
        "equal": equal_labels(source, targets),
    }
