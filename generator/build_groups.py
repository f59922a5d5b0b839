"""A service's rule groups: its own group (named after it) and the Groups its spec declares."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from . import conventions as conv
from .errors import ErrorSink
from .model import Recording, ResolvedGroup
from .spec import Alert, Service, Signal, Tier, Tiers


def groups_of(
    sink: ErrorSink, service: Service, recordings: Mapping[str, Recording], alerts: Sequence[Alert | Tier]
) -> tuple[ResolvedGroup, ...]:
    """Every rule in one group: those a Group lists there, in its order; the rest in the service's
    own group (recording rules first, then alerts), which comes first and is left out when empty.
    `alerts` are the spec objects (Alert or Tier) of the service's resolved alerts, in their order."""
    signal_index = {name: i for i, name in enumerate(recordings)}
    claimed_records: dict[int, str] = {}
    claimed_alerts: dict[int, str] = {}
    declared: list[ResolvedGroup] = []
    names: dict[str, str] = {}
    for group in service.groups:
        if group.invalid:
            continue
        if group.name in names:
            sink.add(group.location, f"Group {group.name!r}", "a second group of this name; rename one")
            continue
        names[group.name] = str(group.location)
        rules: list[tuple[str, int]] = []
        for rule in group.rules:
            if isinstance(rule, Signal):
                picked = [signal_index[rule.name]] if rule.name in signal_index else []
                kind, taken = "record", claimed_records
            else:
                picked = [i for i, a in enumerate(alerts) if _is_of(a, rule)]
                kind, taken = "alert", claimed_alerts
            for index in picked:
                if index in taken:
                    sink.add(
                        group.location,
                        f"Group {group.name!r}",
                        f"{_what(rule)} is already in group {taken[index]!r}; a rule belongs to one group",
                    )
                    continue
                taken[index] = group.name
                rules.append((kind, index))
        declared.append(ResolvedGroup(group.name, group.interval, group.limit, tuple(rules)))
    own = ResolvedGroup(
        name=conv.group_name(service.name),
        interval=service.evaluation_interval,
        limit=0,
        rules=(
            *(("record", i) for i in range(len(recordings)) if i not in claimed_records),
            *(("alert", i) for i in range(len(alerts)) if i not in claimed_alerts),
        ),
    )
    if own.name in names and own.rules:
        sink.add(
            service.location,
            service.subject,
            f"Group {own.name!r} has the name of the service's own group, which holds the rules no "
            "Group lists; rename the Group",
        )
    return (own, *declared) if own.rules else tuple(declared)


def _is_of(alert: Alert | Tier, rule: Alert | Tiers) -> bool:
    """Whether an alert's spec object is `rule` (an Alert) or one of its tiers: by identity, as an
    SLO writes several alerts of one name and line."""
    if isinstance(rule, Alert):
        return alert is rule
    return alert is rule.warning or alert is rule.critical


def _what(rule: Signal | Alert | Tiers) -> str:
    return f"signal {rule.name!r}" if isinstance(rule, Signal) else f"alert {rule.name!r}"
