"""Where the rendered alerts go in a rendered Alertmanager config, and which routes they could use.

Two readings of one tree, both memoised per distinct set of routing-relevant labels, so the
cost grows with the number of distinct label sets, not alerts x routes:
- definite: the static labels of the rule (what `amtool config routes test` is given);
- possible: labels the query keeps may hold any value, so routes on them may be reached.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..artifacts.alertmanager import AlertmanagerFile
from ..artifacts.rules import Rule
from ..routing.matchers import Matcher
from ..routing.router import Route
from .labelflow import LabelIndex


@dataclass
class Visit:
    """What the possible reading of one label set found."""

    reached: set[tuple[int, ...]] = field(default_factory=set)
    # Routes not entered only because the alert lacks a label, with that label.
    blocked: list[tuple[Route, str]] = field(default_factory=list)


class RouteFlow:
    """Per alerting rule: the routes it reaches in one Alertmanager config."""

    def __init__(self, labels: LabelIndex, config: AlertmanagerFile) -> None:
        self._labels = labels
        self.config = config
        self._names = frozenset(m.name for r in config.routes for m in r.matchers)
        self._final: dict[tuple[tuple[str, str], ...], list[Route]] = {}
        self._visits: dict[tuple[tuple[tuple[str, str], ...], frozenset[str]], Visit] = {}

    def static(self, rule: Rule) -> dict[str, str]:
        """The labels routing can rely on before the query runs: the rule's and `alertname`."""
        return {**rule.labels, "alertname": rule.name}

    def dynamic(self, rule: Rule) -> frozenset[str]:
        """Labels the query keeps (values unknown until it runs) that are not static."""
        return self._labels.guaranteed(rule) - frozenset(rule.labels)

    def final(self, rule: Rule) -> list[Route]:
        """The routes that notify for the rule's static labels, in Alertmanager's order."""
        labels = self.static(rule)
        key = tuple(sorted((k, v) for k, v in labels.items() if k in self._names))
        found = self._final.get(key)
        if found is None:
            found = self._final[key] = self.config.root.match(labels)
        return found

    def visit(self, rule: Rule) -> Visit:
        """Every route the rule may reach, and those it misses for lack of a label."""
        static = self.static(rule)
        dynamic = self.dynamic(rule) & self._names
        key = (tuple(sorted((k, v) for k, v in static.items() if k in self._names)), dynamic)
        found = self._visits.get(key)
        if found is None:
            found = self._visits[key] = Visit()
            _walk(self.config.root, static, dynamic, found, relevant=False)
        return found


def _walk(route: Route, static: dict[str, str], dynamic: frozenset[str], out: Visit, relevant: bool) -> bool:
    """Enter `route` if it may match; returns True when it surely matches (stopping siblings)."""
    missing = [m for m in route.matchers if m.name not in static and m.name not in dynamic]
    failing = [m for m in route.matchers if m.name not in dynamic and not m.matches(static)]
    relevant = relevant or any(m.name in static and m.matches(static) for m in route.matchers)
    if failing:
        if relevant and {id(m) for m in failing} <= {id(m) for m in missing}:
            out.blocked.extend((route, m.name) for m in missing if _needs_value(m))
        return False
    out.reached.add(route.path)
    for child in route.routes:
        if _walk(child, static, dynamic, out, relevant) and not child.continue_:
            break
    return not any(m.name in dynamic for m in route.matchers)


def _needs_value(matcher: Matcher) -> bool:
    """Whether a matcher fails on a missing label (reads as "") rather than passing on it."""
    return not matcher.matches({})
