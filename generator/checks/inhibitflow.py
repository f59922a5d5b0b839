"""Which rendered alerts the two sides of an inhibit rule can select, found through an index.

Alerts are indexed by each static label value (and `alertname`), so a side with an equality
matcher looks at one bucket instead of every alert: linear in alerts for the whole config.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from ..artifacts.rules import Rule
from ..routing.matchers import Matcher, Op
from .labelflow import LabelIndex


class InhibitIndex:
    """Alerting rules by static label value, and the matching of inhibit rule sides."""

    def __init__(self, alerts: Sequence[Rule], labels: LabelIndex) -> None:
        self._alerts = alerts
        self._labels = labels
        self._by: dict[tuple[str, str], list[Rule]] = defaultdict(list)
        # Static labels per rule (by identity: the context holds every rule for its lifetime).
        self._static: dict[int, dict[str, str]] = {}
        # Five checks ask for the same sides of the same rules: each side is matched once.
        self._sides: dict[tuple[Matcher, ...], list[Rule]] = {}
        for rule in alerts:
            own = self._static[id(rule)] = static(rule)
            for item in own.items():
                self._by[item].append(rule)

    def side(self, matchers: Sequence[Matcher]) -> list[Rule]:
        """The alerts that may match all `matchers` (labels the query keeps may hold any value)."""
        key = tuple(matchers)
        found = self._sides.get(key)
        if found is None:
            buckets = [self._by.get((m.name, m.value), []) for m in matchers if m.op is Op.EQ and m.value]
            candidates = min(buckets, key=len) if buckets else self._alerts
            found = self._sides[key] = [r for r in candidates if self.may_match(r, matchers)]
        return found

    def may_match(self, rule: Rule, matchers: Sequence[Matcher]) -> bool:
        """Whether the alert can satisfy every matcher."""
        labels = self._static.get(id(rule)) or static(rule)
        dynamic = self._labels.guaranteed(rule)
        return all(m.matches(labels) or (m.name in dynamic and m.name not in labels) for m in matchers)

    def surely_matches(self, rule: Rule, matchers: Sequence[Matcher]) -> bool:
        """Whether the alert satisfies every matcher whatever its query returns."""
        labels = self._static.get(id(rule)) or static(rule)
        return all(m.matches(labels) for m in matchers)


def static(rule: Rule) -> dict[str, str]:
    """The labels an alert has before its query runs: the rule's and `alertname`."""
    return {**rule.labels, "alertname": rule.name}


def names(rules: Sequence[Rule], limit: int = 3) -> str:
    """`'A', 'B', 'C' and 2 more`: a few alert names for a message."""
    shown = ", ".join(repr(r.name) for r in rules[:limit])
    more = len(rules) - limit
    return f"{shown} and {more} more" if more > 0 else shown
