"""Per-alert routing facts that other artifacts (runbooks, checks) show: receivers, inhibitions.

Read from the production Alertmanager config as rendered (through the in-process router), so a
runbook says what Alertmanager will do, not what the spec meant it to.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Mapping, Sequence

from ..model import AlertRouting, Model
from .config import alertmanager_config, declared_receivers
from .expect import routing_labels
from .matchers import Matcher, Op, all_match
from .router import InhibitRule, parse_inhibit_rules, parse_route


def alert_routing(model: Model) -> dict[tuple[str, str], AlertRouting]:
    """Routing facts per `(service, alert's runbook anchor)` (alerts may share a name), for the
    production environment."""
    config = alertmanager_config(model, "production")
    tree = parse_route(config["route"])
    rules = parse_inhibit_rules(config)
    words = {
        name: receiver.destination if receiver is not None else "nobody (no integration)"
        for name, receiver in declared_receivers(model)
    }
    alerts = [(s.name, a.name, routing_labels(a)) for s in model.services for a in s.alerts]
    anchors = [a.anchor for s in model.services for a in s.alerts]
    # Static labels only: labels from the query are assumed equal on both sides, as they
    # are when both alerts come from the same target.
    by: dict[int, set[int]] = defaultdict(set)
    over: dict[int, set[int]] = defaultdict(set)
    for source, target in _inhibited(rules, [labels for _, _, labels in alerts]):
        if alerts[source][1] != alerts[target][1]:
            by[target].add(source)
            over[source].add(target)
    # Only labels some route matches on decide the receivers: route each distinct set of them once.
    names = frozenset(m.name for route in tree.walk() for m in route.matchers)
    routed: dict[tuple[tuple[str, str], ...], tuple[str, ...]] = {}
    out = {}
    for i, (service, _name, labels) in enumerate(alerts):
        key = tuple(sorted((k, v) for k, v in labels.items() if k in names))
        receivers = routed.get(key)
        if receivers is None:
            receivers = routed[key] = tuple(dict.fromkeys(r.receiver for r in tree.match(labels)))
        out[(service, anchors[i])] = AlertRouting(
            receivers=receivers,
            inhibited_by=tuple(alerts[j][1] for j in sorted(by[i])),
            inhibits=tuple(alerts[j][1] for j in sorted(over[i])),
            destinations=tuple(words.get(r, r) for r in receivers),
        )
    return out


def _inhibited(
    rules: Sequence[InhibitRule], alerts: Sequence[Mapping[str, str]]
) -> Iterator[tuple[int, int]]:
    """`(source, target)` indices of every alert pair some rule inhibits.

    Each side is looked up in an index of label values, so a rule pinned by an equality matcher
    (`alertname="X"`, `service="y"`) visits its few alerts, not all pairs of alerts.
    """
    index: dict[tuple[str, str], list[int]] = defaultdict(list)
    for i, labels in enumerate(alerts):
        for item in labels.items():
            index[item].append(i)
    everyone = range(len(alerts))

    def side(matchers: tuple[Matcher, ...]) -> list[int]:
        # `name="v"` with v non-empty holds exactly for the alerts in its bucket.
        buckets = [index.get((m.name, m.value), []) for m in matchers if m.op is Op.EQ and m.value]
        candidates = min(buckets, key=len) if buckets else everyone
        return [i for i in candidates if all_match(matchers, alerts[i])]

    for rule in rules:
        targets = side(rule.target)
        for source in side(rule.source):
            yield from ((source, t) for t in targets if rule.inhibits(alerts[source], alerts[t]))
